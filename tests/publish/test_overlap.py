"""The work a render does beside its kernel: started early, kept only when it is still valid."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from queue import Empty

import pytest

from dvctt.publish import execute, overlap


def _write_whole(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def test_work_on_a_file_written_during_the_run_is_kept(tmp_path):
    path, seen = tmp_path / "handoff.pickle", []
    watch = overlap.WhenWritten(path, lambda content: seen.append(content) or len(content))
    time.sleep(3 * overlap.POLL_SECONDS)
    _write_whole(path, b"tables")
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:  # the work starts before the run ends
        time.sleep(0.01)
    assert seen == [b"tables"]
    assert watch.result() == 6


def test_work_on_a_file_rewritten_afterwards_is_not_kept(tmp_path):
    path = tmp_path / "handoff.pickle"
    _write_whole(path, b"first")
    started = threading.Event()
    watch = overlap.WhenWritten(path, lambda content: started.set() or content.decode())
    assert started.wait(10)
    _write_whole(path, b"second")
    assert watch.result() is None


def test_no_file_or_failing_work_gives_nothing(tmp_path):
    assert overlap.WhenWritten(tmp_path / "never.pickle", lambda content: "made").result() is None
    path = tmp_path / "bad.pickle"
    _write_whole(path, b"x")
    watch = overlap.WhenWritten(path, lambda content: 1 / 0)
    time.sleep(3 * overlap.POLL_SECONDS)
    assert watch.result() is None


@pytest.mark.usefixtures("own_kernels")
def test_a_new_client_is_ready_with_its_own_messages_read(tmp_path):
    """Ready means: the kernel answered, and IOPub holds nothing of the readiness request (no stale busy/idle
    that the next request could take for its own); the client then runs code as any client does."""
    with execute.warming_kernel("x = 41") as km:
        execute.wait_until_warm(km)
        client = km.client()
        assert type(client).__name__ == "ReadyKernelClient"
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            with pytest.raises(Empty):
                client.iopub_channel.get_msg(timeout=0.5)
            shown = []
            reply = client.execute_interactive(
                "print(x + 1)", timeout=60, output_hook=lambda m: shown.append(m["content"].get("text", ""))
            )
        finally:
            client.stop_channels()
    assert reply["content"]["status"] == "ok"
    assert "".join(shown).strip() == "42"


@pytest.mark.usefixtures("own_kernels")
def test_a_kernel_started_for_one_report_stops_when_released_others_stay():
    """A single report's kernel is stopped once its notebook has run; a kernel that renders a set of reports in
    this process (one-worker `render_all`) or a kept one must outlive each report."""
    with execute.warming_kernel("x = 1") as for_a_set:
        execute.release(for_a_set)
        assert for_a_set.is_alive()
    assert not for_a_set.is_alive()
    with execute.warming_kernel("x = 1", one_report=True) as km:
        execute.wait_until_warm(km)
        assert km.is_alive()
        execute.release(km)
        deadline = time.monotonic() + 30
        while km.is_alive() and time.monotonic() < deadline:  # stopped while the block goes on
            time.sleep(0.02)
        assert not km.is_alive()
    with execute.keep_kernel_warm():
        with execute.warming_kernel("x = 1") as kept:
            execute.release(kept)
        assert kept.is_alive()
    assert not kept.is_alive()
