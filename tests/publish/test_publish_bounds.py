"""Messages, not tracebacks, and bounded work when publishing (issue 23, items 5 and 6); the cases built here.

`--out /`, `--out` an existing file, `dvctt check` into a closed pipe, a 300-character unit code in `--all`,
a killed `--all --jobs 64` (one worker a core; no worker, kernel or connection file left), scratch folders of
killed runs swept by the next run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conftest import run_dvctt, write_campaign

from dvctt.publish import cleanup, lifetime

LONG_CODE = "9" * 300


def test_out_at_the_root_or_on_a_file_is_a_message(tiny_campaign: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    root = run_dvctt("report", "--campaign", str(tiny_campaign), "--out", "/", cwd=tmp_path)
    assert root.returncode == 1 and "Traceback" not in root.stderr, root.stderr
    assert "--out /: không dùng thư mục gốc làm thư mục kết quả / the root of a file system cannot be" in root.stderr
    for out in ("a-file", "a-file/sub"):
        done = run_dvctt("report", "--campaign", str(tiny_campaign), "--all", "--out", out, cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert f"--out {out}" in done.stderr and "is a file, not a folder" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "tiny"]  # nothing staged anywhere


def test_check_into_a_closed_pipe_exits_quietly(tiny_campaign: Path, tmp_path: Path) -> None:
    """`dvctt check | head -1`: the reader is gone before dvctt writes."""
    read, write = os.pipe()
    os.close(read)
    done = subprocess.run([sys.executable, "-m", "dvctt", "check", str(tiny_campaign)], stdout=write,
                          stderr=subprocess.PIPE, text=True, timeout=120, cwd=tmp_path)  # fmt: skip
    os.close(write)
    assert (done.returncode, done.stderr) == (1, "")  # before: a BrokenPipeError traceback


def test_a_300_character_code_is_a_message_before_any_render(tmp_path: Path) -> None:
    campaign = write_campaign(tmp_path / "tiny")
    for name in ("units.csv", "observations.csv"):
        path = campaign / name
        path.write_text(path.read_text(encoding="utf-8").replace("99.A02,", f"{LONG_CODE},"), encoding="utf-8")
    for extra in (["--all"], ["--unit", LONG_CODE]):
        done = run_dvctt("report", "--campaign", str(campaign), *extra, "--out", str(tmp_path / "out"), cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "units.csv, row 3, column 'unit_code'" in done.stderr and "(at most 100)" in done.stderr
    assert not (tmp_path / "out").exists()  # before: in --all, a traceback and nothing published


def test_jobs_below_one_are_refused() -> None:
    assert lifetime.worker_count(None) == lifetime.cores_here()
    for jobs in (0, -3):
        try:
            lifetime.worker_count(jobs)
        except Exception as exc:  # noqa: BLE001 - the message is what is checked
            assert f"--jobs {jobs}: give a number of reports rendered at once, 1 or more." in str(exc)
        else:
            raise AssertionError(f"--jobs {jobs} accepted")


def _children() -> dict[int, int]:
    """pid → parent pid of every process (Linux /proc)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            table[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return table


def _descendants(pid: int) -> set[int]:
    table, found, frontier = _children(), set(), {pid}
    while frontier:
        frontier = {child for child, parent in table.items() if parent in frontier} - found
        found |= frontier
    return found


def _kernels(pids: set[int]) -> set[int]:
    kernels = set()
    for pid in pids:
        try:
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                kernels.add(pid)
        except OSError:
            continue
    return kernels


def test_a_killed_all_leaves_no_worker_kernel_or_connection_file(tiny_campaign: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "dvctt", "report", "--campaign", str(tiny_campaign), "--all", "--jobs", "64",
               "--out", str(tmp_path / "out")]  # fmt: skip
    err = (tmp_path / "err.txt").open("w")
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err)
    deadline, seen = time.monotonic() + 240, set()
    while time.monotonic() < deadline and process.poll() is None:
        seen |= _descendants(process.pid)
        if _kernels(seen):
            break
        time.sleep(0.2)
    assert _kernels(seen), "no kernel started"
    workers = {pid for pid in seen if pid not in _kernels(seen)}
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (alive := seen & set(_children())):
        time.sleep(0.2)
    assert not alive, f"left running: {sorted(alive)} of workers {sorted(workers)}"
    err.close()
    cores = lifetime.cores_here()  # --jobs 64 starts one worker (and kernel) per core, and says so
    assert (
        f"note: --jobs 64, {cores} core(s): rendering {cores} report(s) at a time" in (tmp_path / "err.txt").read_text()
    )
    assert len(_kernels(seen)) <= cores
    temp = Path(tempfile.gettempdir())
    mine = [p for pid in seen for p in temp.glob(f"dvctt-kernel-{pid}-*")]
    assert [f for folder in mine for f in folder.glob("*.json")] == []  # no connection file behind


def test_the_next_run_sweeps_every_scratch_prefix_of_a_dead_process(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    temp, out = tmp_path / "temp", tmp_path / "out"
    names = [f"{prefix}{pid}-x" for prefix in cleanup.TEMP_PREFIXES]
    for name in names:
        (temp / name).mkdir(parents=True)
        (temp / f"{name[: -len(f'{pid}-x')]}{os.getpid()}-live").mkdir()
    staged = [out / f".dvctt-{kind}-{pid}-x" for kind in cleanup.STAGING_KINDS]
    for folder in staged:
        folder.mkdir(parents=True)
    removed = cleanup.sweep(out, temp)
    assert sorted(p.name for p in removed) == sorted([*names, *(p.name for p in staged)])
    assert sorted(p.name for p in temp.iterdir()) == sorted(f"{p}{os.getpid()}-live" for p in cleanup.TEMP_PREFIXES)
    assert list(out.iterdir()) == []
    assert set(cleanup.TEMP_PREFIXES) == {"dvctt-kernel-", "dvctt-cwd-", "dvctt-ingest-", "dvctt-duckdb-"}
