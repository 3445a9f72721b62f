"""Processes that end with the process they work for: a killed ``dvctt report --all`` leaves no worker or
kernel running.

A report worker of ``--all`` is a child of multiprocessing's fork server, not of the dvctt process, and waits
for work on a queue: nothing tells it that dvctt was killed. :func:`worker_started` (the pool's initializer)
asks Linux to send it SIGTERM when its parent (the fork server) ends (``prctl(PR_SET_PDEATHSIG)``), and watches
the dvctt process itself (a pidfd, or a poll where there is none): when that ends, the worker stops its kernel
and exits. A kernel watches its own parent, the worker (ipykernel's parent poller, from ``JPY_PARENT_PID`` that
jupyter_client sets), and exits within a second of it.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from dvctt.errors import ParameterError

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def die_with_parent(sig: int = signal.SIGTERM) -> bool:
    """Linux: this process gets ``sig`` when its parent ends. False where that cannot be asked for."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def wait_for_exit(pid: int) -> None:
    """Return when process ``pid`` has ended (at once if it already has)."""
    try:
        fd = os.pidfd_open(pid)  # type: ignore[attr-defined]  # Linux 5.3+, Python 3.9+
    except ProcessLookupError:
        return
    except (AttributeError, OSError):
        while _alive(pid):
            time.sleep(POLL_SECONDS)
        return
    try:
        select.select([fd], [], [])
    finally:
        os.close(fd)


def on_term(on_exit: Callable[[], Any]) -> None:
    """SIGTERM (the parent-death signal among others) runs ``on_exit`` before the process ends: the kernel is
    shut down and its connection file removed, which the default handler's immediate end would leave behind."""

    def handler(signum: int, frame: Any) -> None:  # noqa: ARG001 - the signal module's signature
        with suppress(Exception):
            on_exit()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def watch(pid: int, on_exit: Callable[[], Any]) -> threading.Thread:
    """A daemon thread that runs ``on_exit`` and ends this process when process ``pid`` ends."""

    def run() -> None:
        wait_for_exit(pid)
        with suppress(Exception):
            on_exit()
        os._exit(1)

    thread = threading.Thread(target=run, name="dvctt-parent-watch", daemon=True)
    thread.start()
    return thread


def cores_here() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int | None) -> int:
    """--jobs, at most one worker per core this process may use (each runs a kernel of ~200 MB: more only
    wait for a core, and memory); a note says so when --jobs asked for more."""
    cores = cores_here()
    if jobs is None:
        return cores
    if jobs < 1:
        raise ParameterError(f"--jobs {jobs}: give a number of reports rendered at once, 1 or more.")
    if jobs > cores:
        print(
            f"note: --jobs {jobs}, {cores} core(s): rendering {cores} report(s) at a time / máy chỉ có {cores} lõi, "
            f"chạy {cores} báo cáo một lúc",
            file=sys.stderr,
        )
    return min(jobs, cores)
