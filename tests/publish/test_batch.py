"""`dvctt report --all`: the full set in parallel, a broken report that takes nothing else down."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from dvctt import paths
from dvctt.cli import main as cli
from dvctt.publish import batch, worker_kernel

pytestmark = pytest.mark.e2e


def _notebooks_with_a_broken_unit(tmp_path: Path, unit: str) -> Path:
    """A copy of the shipped notebooks whose unit report fails for one unit, in a cell we can name."""
    folder = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, folder)
    path = folder / "unit_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    broken = nbformat.v4.new_code_cell(f'if unit == "{unit}":\n    raise ValueError("dữ liệu hỏng cho {unit}")')
    broken["id"] = "broken"
    nb.cells.insert(3, broken)
    nbformat.write(nb, path)
    return folder


def test_the_full_set_renders_in_parallel_and_is_indexed(tiny_campaign, tmp_path):
    out = tmp_path / "set"
    result = batch.render_all(tiny_campaign, out_dir=out, jobs=2, progress_bar=False)
    assert result.ok, result.failed
    # campaign + progress + one per agency (2) and district (1)
    assert sorted(result.published) == sorted(
        [
            "campaign_report_2023_vi.html",
            "progress_report_2023_vi.html",
            "unit_report_99.A01_2023_vi.html",
            "unit_report_99.A02_2023_vi.html",
            "unit_report_901_2023_vi.html",
        ]
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    for file in result.published:
        assert f'href="{file}"' in index
    # one-line status: tiny agency 99.A02 online 60% < 80% target, payment n/a -> 0 of 1 met
    assert "Đạt 0/1 mục tiêu có kết quả (2 chỉ tiêu)" in index
    assert "Đạt 1/1 mục tiêu có kết quả (2 chỉ tiêu)" in index  # 99.A01: 90% >= 80%
    district = (out / "unit_report_901_2023_vi.html").read_text(encoding="utf-8")
    assert "Huyện Một" in district and "Xã Một" in district  # its communes are listed
    assert (out / "tables" / "2023" / "unit_901_units_under.csv").read_text(encoding="utf-8").count("\n") == 1 + 2 * 2
    assert (out / "tables" / "2023" / "progress_report_levels.csv").is_file()
    assert (out / "tables" / "2023" / "level_summary.csv").is_file()


def test_a_broken_report_keeps_its_last_good_version_and_fails_the_run(tiny_campaign, tmp_path):
    out = tmp_path / "set"
    good = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    assert good.ok
    before = (out / "unit_report_901_2023_vi.html").read_bytes()
    others = (out / "unit_report_99.A01_2023_vi.html").stat().st_mtime_ns

    notebooks = _notebooks_with_a_broken_unit(tmp_path, "901")
    result = batch.render_all(tiny_campaign, out_dir=out, jobs=1, notebook_dir=notebooks, progress_bar=False)
    assert not result.ok
    [(file, message)] = result.failed
    assert file == "unit_report_901_2023_vi.html"
    assert "cell 3" in message and "dữ liệu hỏng cho 901" in message
    assert (out / "unit_report_901_2023_vi.html").read_bytes() == before  # last good report untouched
    assert (out / "unit_report_99.A01_2023_vi.html").stat().st_mtime_ns > others  # the others were redone
    manifest = {e["file"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]}
    assert manifest["unit_report_901_2023_vi.html"]["status"] == "stale"
    assert "dữ liệu hỏng" in manifest["unit_report_901_2023_vi.html"]["error"]
    assert manifest["campaign_report_2023_vi.html"]["status"] == "ok"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "lần tạo gần nhất bị lỗi" in index and "xem lỗi trong manifest.json" in index  # flagged, in Vietnamese
    assert "cell 3" not in index  # the error's words (English) are for the analyst: manifest.json and the CLI


def test_the_cli_exits_non_zero_when_one_report_fails(tiny_campaign, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", _notebooks_with_a_broken_unit(tmp_path, "99.A02"))
    code = cli.main(["report", "--campaign", str(tiny_campaign), "--all", "--jobs", "2", "--out", str(tmp_path / "o")])
    assert code == 1
    captured = capsys.readouterr()
    assert "FAILED unit_report_99.A02_2023_vi.html" in captured.err
    assert "4 report(s) published" in captured.out


def test_default_layout_is_outputs_campaign_period():
    assert batch.default_out_dir("camau-2023", "2023-campaign") == paths.OUTPUTS_DIR / "camau-2023" / "2023-campaign"


@pytest.mark.xdist_group("batch-incremental")  # the longest test: free to run beside the rest of this file
def test_an_unchanged_set_is_left_as_it_is_and_changed_inputs_render_again(tiny_campaign, tmp_path):
    out = tmp_path / "set"
    first = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    assert first.ok and len(first.published) == 5 and first.up_to_date == ()
    assert worker_kernel._KERNEL is None  # one worker: this process's own kernel, shut down with the set
    written = {f: (out / f).read_bytes() for f in first.published}

    again = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    assert again.ok and again.published == ()
    assert sorted(again.up_to_date) == sorted(first.published)
    assert {f: (out / f).read_bytes() for f in first.published} == written  # not rendered again
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("(không đổi, không tạo lại)") == 5

    forced = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False, force=True,
                              only=[batch.Job(batch.CAMPAIGN_NOTEBOOK)])  # fmt: skip
    assert forced.published == ("campaign_report_2023_vi.html",) and forced.up_to_date == ()

    # a unit report's own notebook changes: only the unit reports are out of date
    notebooks = _notebooks_with_a_broken_unit(tmp_path, "no-such-unit")
    partial = batch.render_all(tiny_campaign, out_dir=out, jobs=1, notebook_dir=notebooks, progress_bar=False)
    assert sorted(partial.published) == sorted(f for f in first.published if f.startswith("unit_report_"))
    assert sorted(partial.up_to_date) == ["campaign_report_2023_vi.html", "progress_report_2023_vi.html"]

    # one commune's figure changes and no rank moves: the campaign and progress reports (they read everything)
    # and its district's report (it lists its communes) render again; the agencies' reports are left as they were
    observations = tiny_campaign / "observations.csv"
    rows = observations.read_text(encoding="utf-8")
    rows = rows.replace("90101,2023,online,,,80,ok,80%", "90101,2023,online,,,85,ok,85%")
    observations.write_text(rows, encoding="utf-8")
    commune = batch.render_all(tiny_campaign, out_dir=out, jobs=1, notebook_dir=notebooks, progress_bar=False)
    assert sorted(commune.published) == WHOLE_DATA + ["unit_report_901_2023_vi.html"]
    assert sorted(commune.up_to_date) == ["unit_report_99.A01_2023_vi.html", "unit_report_99.A02_2023_vi.html"]
    assert "85,00%" in (out / "unit_report_901_2023_vi.html").read_text(encoding="utf-8")

    # Sở Hai overtakes Sở Một: Sở Một's own rows are the same, but the rank its report shows is not
    assert _rank(out, "99.A01") == "1"
    rows = rows.replace("99.A02,2023,online,30,50,60.0,ok,60%", "99.A02,2023,online,95,100,95.0,ok,95%")
    observations.write_text(rows, encoding="utf-8")
    ranks = batch.render_all(tiny_campaign, out_dir=out, jobs=1, notebook_dir=notebooks, progress_bar=False)
    assert sorted(ranks.published) == WHOLE_DATA + [
        "unit_report_99.A01_2023_vi.html",
        "unit_report_99.A02_2023_vi.html",
    ]
    assert ranks.up_to_date == ("unit_report_901_2023_vi.html",)
    assert _rank(out, "99.A01") == "2"


WHOLE_DATA = ["campaign_report_2023_vi.html", "progress_report_2023_vi.html"]


def _rank(out: Path, unit: str) -> str:
    """The unit's online rank in its level, as its report's table (CSV beside the HTML) gives it."""
    import csv

    with (out / "tables" / "2023" / f"unit_{unit}_summary.csv").open(encoding="utf-8-sig") as file:
        return next(r["rank"] for r in csv.DictReader(file) if r["kpi"] == "online")
