"""One state of the data per report set (issue 23, item 2): an ingest that commits during `--all` is wholly out of
the set, a set made from two states is flagged, a kill between a report's files loses nothing and mixes nothing,
and reports that fail (in their notebook, or on a full disk) never hide the others from index.html and
manifest.json. Real notebooks on the tiny campaign; the commit and the faults happen at named steps, not timings.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dvctt import paths
from dvctt.campaign import commit, provenance
from dvctt.campaign.loading import load_campaign
from dvctt.publish import batch, manifest

pytestmark = pytest.mark.e2e

OLD_ROW, NEW_ROW = "99.A02,2023,online,30,50,60.0,ok,60%", "99.A02,2023,online,46,50,92.0,ok,92%"
UNIT = "unit_report_99.A02_2023_vi.html"
UNIT_TABLE = "tables/2023/unit_99.A02_summary.csv"


def _ingest_commit(folder: Path) -> None:
    """What `dvctt ingest --replace` does at its end: one commit of observations.csv under the writer lock."""
    text = (folder / "observations.csv").read_text(encoding="utf-8")
    assert text.count(OLD_ROW) == 1
    with commit.writer_lock(folder):
        commit.commit(folder, {"observations.csv": text.replace(OLD_ROW, NEW_ROW)})


def _reports(out: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]}


def _online_result(out: Path, table: str) -> str:
    """The 99.A02 online result as the table on disk gives it."""
    lines = (out / table).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    [row] = [r for r in rows if r["unit_code"] == "99.A02" and r["kpi"] == "online"]
    return row["result"]


def _meta_hash(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    start = text.index('name="dvctt:data-hash" content="') + len('name="dvctt:data-hash" content="')
    return text[start : text.index('"', start)]


def test_an_ingest_committing_during_a_set_is_wholly_out_of_it_and_a_mixed_set_is_flagged(
    tiny_campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, old_hash = tmp_path / "set", provenance.data_hash(tiny_campaign)
    real_stage, staged = batch._stage, []

    def stage_then_ingest(*args: object, **kwargs: object) -> object:
        done = real_stage(*args, **kwargs)
        staged.append(done.entry["file"])
        if len(staged) == 1:  # the campaign report is made; the ingest commits before the other four
            _ingest_commit(tiny_campaign)
        return done

    monkeypatch.setattr(batch, "_stage", stage_then_ingest)
    first = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    new_hash = provenance.data_hash(tiny_campaign)
    assert first.ok and len(first.published) == 5 and staged[0] == "campaign_report_2023_vi.html"
    assert new_hash != old_hash and NEW_ROW in (tiny_campaign / "observations.csv").read_text(encoding="utf-8")
    reports = _reports(out)
    assert {e["data_hash"] for e in reports.values()} == {old_hash}  # every report: the state before the ingest
    assert {_meta_hash(out / f) for f in reports} == {old_hash}
    assert _online_result(out, UNIT_TABLE) == _online_result(out, "tables/2023/unit_summary.csv") == "60.0"
    assert "60,00%" in (out / UNIT).read_text(encoding="utf-8")
    document = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert document["mixed_data"] == [] and "Cảnh báo" not in (out / "index.html").read_text(encoding="utf-8")

    # only the campaign report made again: the set now mixes two states, and says so
    monkeypatch.setattr(batch, "_stage", real_stage)
    batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False, only=[batch.Job(batch.CAMPAIGN_NOTEBOOK)])
    [mixed] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["mixed_data"]
    assert mixed["campaign"] == "tiny" and mixed["period"] == "2023"
    assert mixed["states"] == {
        old_hash: sorted(f for f in reports if f != "campaign_report_2023_vi.html"),
        new_hash: ["campaign_report_2023_vi.html"],
    }
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "được tạo từ 2 trạng thái dữ liệu khác nhau" in index
    assert f"{old_hash[:12]}: 4" in index and f"{new_hash[:12]}: 1" in index

    # the next --all renders what the ingest changed; the rest is up to date with the new state: one state again
    again = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    assert sorted(again.published) == ["progress_report_2023_vi.html", "unit_report_99.A01_2023_vi.html", UNIT]
    assert sorted(again.up_to_date) == ["campaign_report_2023_vi.html", "unit_report_901_2023_vi.html"]
    reports = _reports(out)
    assert {manifest.state_of(e) for e in reports.values()} == {new_hash}
    assert reports["unit_report_901_2023_vi.html"]["data_hash"] == old_hash  # rendered then, still true now
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["mixed_data"] == []
    assert "Cảnh báo" not in (out / "index.html").read_text(encoding="utf-8")
    assert _online_result(out, UNIT_TABLE) == _online_result(out, "tables/2023/unit_summary.csv") == "92.0"
    assert "92,00%" in (out / UNIT).read_text(encoding="utf-8")


CHILD = """
import os, sys
from pathlib import Path
from dvctt.campaign import commit
from dvctt.publish import batch

def die_at(step):
    if step == sys.argv[3]:
        os._exit(9)  # as a kill -9 would: no cleanup, no finally

commit.fault_hook = die_at
job = batch.Job(batch.UNIT_NOTEBOOK, subject="99.A02", parameters={"unit": "99.A02"})
batch.render_all(sys.argv[1], out_dir=Path(sys.argv[2]), jobs=1, progress_bar=False, only=[job])
"""


def _killed_publish(campaign: Path, out: Path, step: str) -> None:
    sources = os.pathsep.join([str(paths.PACKAGE_DIR.parent), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": sources}
    done = subprocess.run([sys.executable, "-c", CHILD, str(campaign), str(out), step], env=env, timeout=300)
    assert done.returncode == 9  # it died at that step


def _files(out: Path, entry: dict) -> dict[str, bytes]:
    names = [entry["file"], entry["workbook"], entry["executed_notebook"], *entry["tables"]]
    return {name: (out / name).read_bytes() for name in names}


def test_a_kill_between_a_reports_files_leaves_the_old_report_or_the_new_one_never_a_mix(
    tiny_campaign: Path, tmp_path: Path
) -> None:
    out = tmp_path / "set"
    job = batch.Job(batch.UNIT_NOTEBOOK, subject="99.A02", parameters={"unit": "99.A02"})
    assert batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False, only=[job]).ok
    old_hash, old_files = provenance.data_hash(tiny_campaign), _files(out, _reports(out)[UNIT])
    old_manifest = (out / "manifest.json").read_bytes()
    _ingest_commit(tiny_campaign)
    new_hash = provenance.data_hash(tiny_campaign)

    # killed before the commit point (its files written beside their targets): the old report, whole
    _killed_publish(tiny_campaign, out, "journal")
    assert not commit.journal_pending(out)
    assert _files(out, _reports(out)[UNIT]) == old_files and (out / "manifest.json").read_bytes() == old_manifest

    # killed after the commit point, between the tables, workbook and notebook moved in and the HTML
    _killed_publish(tiny_campaign, out, f"rename {UNIT}")
    assert commit.journal_pending(out) and _meta_hash(out / UNIT) == old_hash  # the interrupted step, on disk
    # the next command finishes it before anything else: the new report, whole, and a manifest that lists it
    result = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False, only=[job])
    assert result.published == () and result.up_to_date == (UNIT,)  # the killed run's report is complete
    assert not commit.journal_pending(out) and not list(out.rglob(f"*{commit.NEW_SUFFIX}"))
    entry = _reports(out)[UNIT]
    assert entry["data_hash"] == _meta_hash(out / UNIT) == new_hash
    assert _online_result(out, UNIT_TABLE) == "92.0" and "92,00%" in (out / UNIT).read_text(encoding="utf-8")
    new_files = _files(out, entry)
    assert all(new_files[name] != old_files[name] for name in (UNIT, UNIT_TABLE, entry["workbook"]))


def _notebooks_failing_for(tmp_path: Path, units: set[str]) -> Path:
    folder = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, folder)
    path = folder / "unit_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    broken = nbformat.v4.new_code_cell(f"if unit in {sorted(units)!r}:\n    raise ValueError('hỏng: ' + unit)")
    broken["id"] = "broken"
    nb.cells.insert(3, broken)
    nbformat.write(nb, path)
    return folder


def test_reports_failing_around_the_others_never_hide_them_from_the_index_and_manifest(
    tiny_campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_campaign(tiny_campaign)
    units = [j.subject for j in batch.plan(loaded.units, loaded.definition.levels) if j.subject]
    first, between, last = units  # published in this order, after the campaign and progress reports
    notebooks = _notebooks_failing_for(tmp_path, {first, last})
    full_disk = "progress_report_2023_vi.html"

    def disk_full(step: str) -> None:
        if step == f"write {full_disk}":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(commit, "fault_hook", disk_full)
    out = tmp_path / "set"
    result = batch.render_all(tiny_campaign, out_dir=out, jobs=1, notebook_dir=notebooks, progress_bar=False)
    stem = "unit_report_{}_2023_vi.html".format
    assert result.published == ("campaign_report_2023_vi.html", stem(between))
    assert [f for f, _ in result.failed] == [full_disk, stem(first), stem(last)]
    assert "No space left on device" in dict(result.failed)[full_disk]
    reports = _reports(out)
    assert {f: e["status"] for f, e in reports.items()} == {
        "campaign_report_2023_vi.html": "ok", stem(between): "ok",
        full_disk: "failed", stem(first): "failed", stem(last): "failed",
    }  # fmt: skip
    assert f"hỏng: {first}" in reports[stem(first)]["error"] and f"hỏng: {last}" in reports[stem(last)]["error"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for file in ("campaign_report_2023_vi.html", stem(between)):
        assert f'href="{file}"' in index
        entry = reports[file]
        assert entry["tables"] and all((out / t).is_file() for t in entry["tables"])
        assert _meta_hash(out / file) == entry["data_hash"] == loaded.data_hash
    assert not (out / full_disk).exists() and not list(out.rglob(f"*{commit.NEW_SUFFIX}"))
