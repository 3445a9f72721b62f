"""Campaign writes are transactions: parallel ingests lose nothing, a crash at any write step leaves the old or
the new state (and the next command finishes or discards the interrupted write), rejects are never lost.

Crashes are injected at named write steps through :data:`dvctt.campaign.commit.fault_hook` (an exception, or
the process ending on the spot with ``os._exit``), never by timing.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from dvctt import paths
from dvctt.campaign import commit
from dvctt.campaign.loading import load_campaign
from dvctt.errors import CampaignLockedError
from dvctt.ingest.save import save_ingest
from dvctt.ingest.statistics import ingest

PERIOD = "2023-campaign"
SHIPPED = paths.CAMPAIGNS_DIR / "camau-2023"
HEADER = ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ hồ sơ trực tuyến (%)"]
# three files of communes of different districts, none of which Cà Mau's sources give for the campaign
FILES = {
    "a.csv": [["Xã Tân Ân", "10", "20", "50"], ["Xã Đất Mũi", "30", "40", "75"], ["Xã Viên An", "1", "4", "25"]],
    "b.csv": [["Xã Khánh An", "3", "10", "30"], ["Xã Khánh Lâm", "7", "10", "70"], ["Xã Khánh Tiến", "9", "10", "90"]],
    "c.csv": [["Xã Tân Lộc", "2", "10", "20"], ["Xã Hồ Thị Kỷ", "4", "10", "40"], ["Xã Biển Bạch", "6", "10", "60"]],
}  # fmt: skip


@pytest.fixture
def camau_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "camau"
    shutil.copytree(SHIPPED, folder)
    return folder


def write_file(folder: Path, name: str, rows: list[list[str]], bad: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    extra = [["Xã Không Có", "1", "2", "50"]] if bad else []
    lines = [HEADER, *rows, *extra]
    path = folder / name
    path.write_text("\n".join(",".join(r) for r in lines) + "\n", encoding="utf-8")
    return path


def table_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of the folder except the lock file (which only exists while or after someone writes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != commit.LOCK_NAME
    }


def stored(folder: Path) -> set[tuple[str, str, float]]:
    obs = load_campaign(folder).observations
    mine = obs[obs["source_id"].str.startswith("ingest-")]
    return {(u, s, float(r)) for u, s, r in zip(mine["unit_code"], mine["source_id"], mine["rate"], strict=True)}


# ------------------------------------------------------------------------------------ parallel writers


def test_parallel_ingests_keep_every_row_of_every_file(tmp_path: Path, camau_dir: Path) -> None:
    inputs = [write_file(tmp_path / "in", name, rows) for name, rows in FILES.items()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "dvctt", "ingest", "--campaign", str(camau_dir), "--period", PERIOD]
    runs = [
        subprocess.Popen([*command[:4], str(p), *command[4:]], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for p in inputs
    ]
    outputs = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outputs] == [0, 0, 0], [err.decode() for _, _, err in outputs]
    assert all(b"3 new" in out for _, out, _ in outputs)

    campaign = load_campaign(camau_dir)
    obs = campaign.observations
    mine = obs[obs["source_id"].str.startswith("ingest-")]
    assert len(mine) == 9  # every row of every file
    assert sorted(mine["rate"].astype(float)) == [20, 25, 30, 40, 50, 60, 70, 75, 90]
    assert mine.groupby("source_id").size().tolist() == [3, 3, 3]
    files = campaign.sources.loc[campaign.sources["source_id"].str.startswith("ingest-"), "file"]
    assert sorted(files) == ["a.csv", "b.csv", "c.csv"]
    assert not list(camau_dir.glob(f".*{commit.NEW_SUFFIX}")) and not commit.journal_pending(camau_dir)


def test_a_second_writer_waits_then_gives_up_with_a_clear_error(
    tmp_path: Path, camau_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file(tmp_path, "a.csv", FILES["a.csv"])
    result = ingest(path, camau_dir, PERIOD)
    before = table_bytes(camau_dir)
    monkeypatch.setenv("DVCTT_LOCK_TIMEOUT", "0.3")
    other = FileLock(camau_dir / commit.LOCK_NAME)  # another writer (its own open file: flock excludes it)
    with other, pytest.raises(CampaignLockedError, match="another dvctt command has been writing this campaign"):
        save_ingest(result, camau_dir)
    assert "waiting for another dvctt command to finish writing camau/" in capsys.readouterr().err
    assert table_bytes(camau_dir) == before
    save_ingest(result, camau_dir)  # the lock released, the write goes through
    assert len(stored(camau_dir)) == 3


# ------------------------------------------------------------------------------------- crash at every step


def _steps(tmp_path: Path, camau_dir: Path, path: Path) -> tuple[list[str], dict[str, bytes]]:
    """The write steps of one ingest, recorded on a scratch copy, and the folder it leaves."""
    scratch = tmp_path / "scratch"
    shutil.copytree(camau_dir, scratch)
    seen: list[str] = []
    commit.fault_hook = seen.append
    try:
        save_ingest(ingest(path, scratch, PERIOD), scratch)
    finally:
        commit.fault_hook = None
    return seen, table_bytes(scratch)


def _crash_child(folder: str, path: str, step: str) -> None:
    def hook(name: str) -> None:
        if name == step:
            os._exit(3)  # the machine switched off: no cleanup, no finally, no flush of Python objects

    commit.fault_hook = hook
    save_ingest(ingest(path, folder, PERIOD), folder)
    os._exit(0)


class Crash(Exception):
    pass


def test_a_crash_at_any_write_step_leaves_the_old_or_the_new_state(tmp_path: Path, camau_dir: Path) -> None:
    path = write_file(tmp_path / "in", "a.csv", FILES["a.csv"], bad=True)  # figures and a rejects file
    steps, new_state = _steps(tmp_path, camau_dir, path)
    assert steps[:3] == [
        "write observations.csv",
        "write sources.csv",
        f"write rejects/a.{ingest(path, camau_dir, PERIOD).sha256[:12]}.rejects.csv",
    ]
    assert "journal" in steps and steps[-1] == "done" and len(steps) == 8
    old_state = table_bytes(camau_dir)
    context = multiprocessing.get_context("fork")
    for kind in ("exit", "raise"):
        for step in steps:
            folder = tmp_path / f"{kind}-{steps.index(step)}"
            shutil.copytree(camau_dir, folder)
            if kind == "exit":
                child = context.Process(target=_crash_child, args=(str(folder), str(path), step))
                child.start()
                child.join(120)
                assert child.exitcode == 3, step
            else:

                def hook(name: str, step: str = step) -> None:
                    if name == step:
                        raise Crash(step)

                commit.fault_hook = hook
                try:
                    with pytest.raises(Crash):
                        save_ingest(ingest(path, folder, PERIOD), folder)
                finally:
                    commit.fault_hook = None
            committed = steps.index(step) > steps.index("journal")
            load_campaign(folder)  # the next command loads, finishing an interrupted commit first
            assert table_bytes(folder) == (new_state if committed else old_state), (kind, step)
            save_ingest(ingest(path, folder, PERIOD), folder)  # and the ingest can simply be run again
            assert table_bytes(folder) == new_state, (kind, step)


def test_a_torn_folder_from_a_killed_commit_is_rolled_forward_by_the_next_reader(camau_dir: Path) -> None:
    """The journal names complete new files: the reader renames them before reading anything."""
    obs = (camau_dir / "observations.csv").read_text(encoding="utf-8")
    sources = (camau_dir / "sources.csv").read_text(encoding="utf-8")
    new_sources = sources + "ingest-000000000000,x.csv,Tệp số liệu x.csv,,,test\n"
    line = '32245,2023-campaign,online,1,2,50.0,ok,50,ingest-000000000000,"x.csv, row 2",\n'
    steps: list[str] = []

    def hook(name: str) -> None:
        steps.append(name)
        if name == "rename sources.csv":
            raise Crash(name)

    commit.fault_hook = hook
    try:
        with pytest.raises(Crash), commit.writer_lock(camau_dir):
            commit.commit(camau_dir, {"observations.csv": obs + line, "sources.csv": new_sources})
    finally:
        commit.fault_hook = None
    # observations.csv already names a source that sources.csv does not have yet: torn, but journaled
    assert commit.journal_pending(camau_dir)
    campaign = load_campaign(camau_dir)
    assert "ingest-000000000000" in set(campaign.sources["source_id"])
    assert not commit.journal_pending(camau_dir) and not list(camau_dir.rglob(f"*{commit.NEW_SUFFIX}"))


# ------------------------------------------------------------------------------------------ rejects


def test_rejects_of_two_files_with_the_same_name_are_both_kept(tmp_path: Path, camau_dir: Path) -> None:
    first = write_file(tmp_path / "district-a", "weekly.csv", FILES["a.csv"], bad=True)
    second = write_file(tmp_path / "district-b", "weekly.csv", FILES["b.csv"], bad=True)
    results = [ingest(p, camau_dir, PERIOD) for p in (first, second)]
    for result in results:
        save_ingest(result, camau_dir)
    names = sorted(p.name for p in (camau_dir / "rejects").iterdir())
    assert names == sorted(f"weekly.{r.sha256[:12]}.rejects.csv" for r in results)
    # a clean version of the first file (other bytes) does not delete anybody's rejects
    clean = write_file(tmp_path / "district-a2", "weekly.csv", FILES["c.csv"])
    save_ingest(ingest(clean, camau_dir, PERIOD), camau_dir)
    assert sorted(p.name for p in (camau_dir / "rejects").iterdir()) == names
    for result in results:
        frame = pd.read_csv(camau_dir / "rejects" / f"weekly.{result.sha256[:12]}.rejects.csv", dtype=str)
        assert frame["value"].tolist() == ["Xã Không Có"] and frame["row"].tolist() == ["5"]
