"""End to end: `dvctt report` on the real Cà Mau 2023 data, checked against figures stated in the seeds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from dvctt import paths
from dvctt.campaign import provenance
from dvctt.labels import LABELS, TEXT
from dvctt.publish import manifest

pytestmark = pytest.mark.e2e
DVCTT = [sys.executable, "-m", "dvctt"]


@pytest.fixture(scope="module")
def report(camau_site: types.SimpleNamespace) -> types.SimpleNamespace:
    """The default report in both languages, rendered by `dvctt report` from an unrelated working directory (the
    shared render of conftest.camau_site)."""
    out, runs = camau_site.out, camau_site.runs
    html = {
        lang: (out / f"campaign_report_2023-campaign_{lang}.html").read_text(encoding="utf-8")
        for lang in ("vi", "en")
        if runs[lang].returncode == 0
    }
    tables = {
        name: pd.read_csv(
            out / "tables" / "2023-campaign" / f"{name}.csv", dtype={"unit_code": str, "parent_code": str}
        )
        for name in ("level_summary", "unit_summary", "reconciliation")
    }
    return types.SimpleNamespace(out=out, runs=runs, html=html, tables=tables)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]+"', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_both_languages_render(report):
    for lang, run in report.runs.items():
        assert run.returncode == 0, f"{lang}: {run.stderr[-2000:]}"
        assert "without encryption" not in run.stderr  # the kernel runs on Unix sockets, not unencrypted TCP
    assert "campaign_report_2023-campaign_vi.html" in run.stdout or report.html


def test_the_csv_tables_open_in_excel_with_their_diacritics(report):
    for name in ("level_summary", "unit_summary", "reconciliation", "sources"):
        raw = (report.out / "tables" / "2023-campaign" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 BOM
        assert not re.search(rb"\d\.\d*0000000\d", raw) and not re.search(rb"\d\.\d*9999999\d", raw), name
    footer = _visible_text(report.html["vi"])
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d \(giờ Việt Nam\)", footer)  # as a reader writes it
    assert 'href="index.html"' in report.html["vi"]


def test_the_vietnamese_report_states_the_seed_figures_in_vietnamese_format(report):
    text = _visible_text(report.html["vi"])
    assert "52,23% (42.839/82.015 hồ sơ)" in text  # plan 48, II.1: 42.839/82.015 hồ sơ = 52,23%
    assert "63,65% (24.965/39.219 hồ sơ)" in text
    assert "92,79%" in text and "90,61%" in text and "86,66%" in text  # results article, per level
    assert "90,14%" in text  # commune online payment
    assert "Sở Tư pháp" in text and "68,73%" in text  # named laggard
    assert "không áp dụng" in text  # n/a payment rates are not 0%
    assert "Cà Mau" in text and "Chiến dịch cao điểm 69 ngày đêm" in text


def test_the_english_report_uses_english_number_format(report):
    text = _visible_text(report.html["en"])
    assert "52.23% (42,839/82,015 dossiers)" in text
    assert "92.79%" in text and "Provincial agencies" in text
    assert '<html lang="en"' in report.html["en"]


def test_the_html_is_standalone_and_holds_no_code_parameters_or_paths(report):
    html = report.html["vi"]
    # charts: the bullet chart and 3 dumbbells, inline SVG; the gap heatmaps are coloured tables: provincial
    # agencies, districts, then one per district for the communes
    assert len(re.findall(r'<svg\b[^>]*\bclass="chart"', html)) == 1 + 3
    own = html.index('<script type="text/plain" id="dvctt-datatables">')  # the sortable tables' bundle, dvctt's own
    page = html[: html.rindex("<style>", 0, own)]
    assert "data:image/png" not in page
    assert html.count('<table class="gap-grid">') == 2 + 9
    assert "<link" not in page  # nothing to fetch (test_browser.py: no request leaves the page)
    for leaked in ("from dvctt", "section.", "build_report_data", "NBVAL", "injected-parameters", "In&nbsp;["):
        assert leaked not in html, leaked
    for path in (str(paths.PROJECT_ROOT), str(Path.home()), str(report.out)):
        assert path not in _visible_text(html), path


def test_the_footer_records_parameters_data_hash_and_version(report):
    text = _visible_text(report.html["vi"])
    short = provenance.data_hash(paths.campaign_dir("camau-2023"))[:12]
    assert short in text
    footer = _visible_text(report.html["vi"].split('<footer class="provenance">', 1)[1])
    assert "Chiến dịch cao điểm 69 ngày đêm" in footer and "Chiến dịch 69 ngày đêm (01/3–09/5/2023)" in footer
    assert "Ngôn ngữ: Tiếng Việt" in footer
    assert "camau-2023" not in text and "2023-campaign" not in text  # ids only where a machine reads them
    assert '<meta name="dvctt:campaign" content="camau-2023">' in report.html["vi"]
    assert '<meta name="dvctt:period" content="2023-campaign">' in report.html["vi"]
    from dvctt import __version__

    assert __version__ in text


def test_the_index_links_both_reports(report):
    index = (report.out / "index.html").read_text(encoding="utf-8")
    assert 'href="campaign_report_2023-campaign_vi.html"' in index
    assert 'href="campaign_report_2023-campaign_en.html"' in index


_WORD = re.compile(r"[A-Za-z][A-Za-z_]{3,}")


def _english_words() -> set[str]:
    """Words of the translation table's English labels that no Vietnamese label uses."""
    english, vietnamese = set(), set()
    for table in (LABELS, TEXT):
        for words in table.values():
            english |= {w.lower() for w in _WORD.findall(words["en"])}
            vietnamese |= {w.lower() for w in _WORD.findall(words["vi"])}
    return english - vietnamese


def test_the_index_of_vietnamese_reports_is_vietnamese_and_only_a_bilingual_folder_gets_both(report, tmp_path):
    entries = json.loads((report.out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    vietnamese = [e for e in entries if e["lang"] == "vi"]
    assert len(vietnamese) == 1 and len(entries) == 2
    shutil.copy(report.out / vietnamese[0]["file"], tmp_path)  # the shared render is read only
    text = _visible_text(manifest.rebuild_index(tmp_path, vietnamese).read_text(encoding="utf-8"))
    assert {w for w in _WORD.findall(text) if w.lower() in _english_words()} == set()
    assert "Danh sách báo cáo" in text and "Tiếng Việt" in text
    assert "Chiến dịch 69 ngày đêm (01/3–09/5/2023)" in text and "Chiến dịch cao điểm 69 ngày đêm" in text
    assert "camau-2023" not in text and "2023-campaign" not in text  # names, not ids
    both = _visible_text((report.out / "index.html").read_text(encoding="utf-8"))
    assert "Danh sách báo cáo / Reports" in both and "Tiếng Việt" in both and "English" in both


def test_level_summary_csv(report):
    levels = report.tables["level_summary"]
    assert list(levels.columns[:11]) == [
        "level", "kpi", "baseline", "target", "result", "change_pp", "met", "aggregation",
        "n_units", "n_units_with_result", "n_units_met",
    ]  # fmt: skip
    row = levels.query("level == 'province' and kpi == 'online' and aggregation == 'reported'").iloc[0]
    assert (row["baseline"], row["target"], row["result"]) == (63.65, 80.0, 92.79)
    assert row["change_pp"] == pytest.approx(29.14) and bool(row["met"]) is True
    assert (row["n_units"], row["n_units_with_result"]) == (18, 10)
    pooled = levels.query("level == 'all' and kpi == 'online' and aggregation == 'pooled'").iloc[0]
    assert pooled["baseline"] == pytest.approx(42839 / 82015 * 100, rel=1e-9)  # 10 significant digits kept
    assert pooled["baseline"] != round(pooled["baseline"], 2)  # never display precision
    payment = levels.query("level == 'commune' and kpi == 'online_payment' and aggregation == 'reported'").iloc[0]
    assert (payment["baseline"], payment["result"]) == (0.0, 90.14)
    missing = levels.query("level == 'province' and kpi == 'online_payment' and aggregation == 'reported'").iloc[0]
    assert pd.isna(missing["result"]) and pd.isna(missing["met"])  # not reported is not 0% and not "not met"


def test_unit_summary_csv(report):
    units = report.tables["unit_summary"]
    assert len(units) == 128 * 3
    assert set(units["status"]) <= {"ok", "missing", "not_applicable"}
    justice = units.query("unit_name == 'Sở Tư pháp' and kpi == 'online'").iloc[0]
    assert (justice["baseline"], justice["target"], justice["result"]) == (95.6, 80.0, 68.73)
    assert bool(justice["met"]) is False and justice["change_pp"] == pytest.approx(-26.87)
    education = units.query("unit_name == 'Sở Giáo dục và Đào tạo' and kpi == 'online_payment'").iloc[0]
    assert education["baseline_status"] == "not_applicable" and pd.isna(education["baseline"])
    phu_hung = units.query("unit_code == '32134' and kpi == 'online'").iloc[0]
    assert phu_hung["parent_code"] == "969" and phu_hung["baseline"] == 62.25


def test_reconciliation_csv(report):
    rec = report.tables["reconciliation"]
    total = rec.query("level == 'all' and kpi == 'online' and period == '2022' and method == 'pooled_counts'")
    assert total["recomputed"].iloc[0] == pytest.approx(42839 / 82015 * 100)
    assert set(total["verdict"]) == {"consistent"}
    narrative = "level == 'province' and kpi == 'digitized' and period == '2022' and reported == 51.72"
    digitised = rec.query(f"{narrative} and method == 'unit_mean'").iloc[0]
    assert digitised["recomputed"] == pytest.approx(59.9) and digitised["verdict"] == "differs"


def test_a_period_with_province_wide_results_only_renders(tmp_path):
    """Full year 2023 (facts.md): whole-province results with no level target must render, not crash."""
    run = subprocess.run(
        [*DVCTT, "report", "--campaign", "camau-2023", "--period", "2023", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    text = _visible_text((tmp_path / "campaign_report_2023_vi.html").read_text(encoding="utf-8"))
    assert "97,3%" in text or "97,30%" in text
    assert "62,58%" in text
