"""Messages, not tracebacks, and bounded work when publishing (issue 23, items 5 and 6); the cases built here.

`--out /`, `--out` an existing file, `dvctt check` into a closed pipe, a 300-character unit code in `--all`,
`--jobs 64` on a small machine, a killed `--all` (no worker, kernel or connection file left), scratch folders of
killed runs swept by the next run.
"""

from __future__ import annotations

import json
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


def test_a_300_character_code_fails_its_report_alone_and_jobs_are_capped(tmp_path: Path) -> None:
    campaign = write_campaign(tmp_path / "tiny")
    for name in ("units.csv", "observations.csv"):
        path = campaign / name
        path.write_text(path.read_text(encoding="utf-8").replace("99.A02,", f"{LONG_CODE},"), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "dvctt", "report", "--campaign", str(campaign), "--all", "--jobs", "64"]
    done = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    cores = lifetime.cores_here()
    assert f"note: --jobs 64, {cores} core(s): rendering {cores} report(s) at a time" in done.stderr
    assert "4 report(s) published" in done.stdout
    assert f"FAILED unit_report_{LONG_CODE}_2023_vi.html: tên tệp quá dài / the report's file name is too long " \
           "(320 characters: a unit code over 100 characters?)" in done.stderr  # fmt: skip
    reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert {(r["file"], r["status"]) for r in reports} == {
        ("campaign_report_2023_vi.html", "ok"), ("progress_report_2023_vi.html", "ok"),
        (f"unit_report_{LONG_CODE}_2023_vi.html", "failed"),
        ("unit_report_901_2023_vi.html", "ok"), ("unit_report_99.A01_2023_vi.html", "ok"),
    }  # fmt: skip


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
    command = [sys.executable, "-m", "dvctt", "report", "--campaign", str(tiny_campaign), "--all", "--jobs", "2",
               "--out", str(tmp_path / "out")]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
