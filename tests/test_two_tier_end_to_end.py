"""Case (a) of issue 11, end to end: the new Cà Mau (two tiers, 64 communes and wards from the code list) started
with `dvctt new`, two of the example agencies confirmed, a seeded synthetic workbook filled from `dvctt template` and
ingested for four weeks, `dvctt check`, then `dvctt report --all`: the reports it makes, the whole-province pooled
rate, and no district anywhere in any file it writes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from two_tier_campaign import confirm_agencies, fill_online

from dvctt.cli import main as cli
from dvctt.report.data import build_report_data

WEEKS = [("2026-w01", "2026-01-05", "2026-01-11"), ("2026-w02", "2026-01-12", "2026-01-18"),
         ("2026-w03", "2026-01-19", "2026-01-25"), ("2026-w04", "2026-01-26", "2026-02-01")]  # fmt: skip
SEED = 2026
AGENCIES = ["96.A03", "96.A04"]  # the two provincial agencies the analyst confirms (Sở Tư pháp, Sở Tài chính)


def _make_synthetic(folder: Path) -> None:
    """Label the campaign synthetic (its figures are generated below) and give it four weekly periods."""
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8").replace("synthetic = false", "synthetic = true")
    text = text.replace('kpis = ["online", "digitized", "online_payment"]', 'kpis = ["online"]')
    text = text.replace('default_period = "2026"', 'default_period = "2026-w04"')
    for period, start, end in WEEKS:
        text += (f'\n[[periods]]\nid = "{period}"\nkind = "week"\nstart = "{start}"\nend = "{end}"\n'
                 f'label_vi = "Tuần {period[-2:]}/2026"\nlabel_en = "Week {period[-2:]} 2026"\n')  # fmt: skip
    toml.write_text(text, encoding="utf-8")


def _words(path: Path) -> str:
    """Every word a reader of ``path`` can see: HTML text and markup, CSV text, every workbook cell."""
    if path.suffix == ".xlsx":
        book = load_workbook(path)
        return (
            " ".join(
                str(c.value)
                for sheet in book.worksheets
                for row in sheet.iter_rows()
                for c in row
                if c.value is not None
            )
            + " "
            + " ".join(book.sheetnames)
        )
    return path.read_text(encoding="utf-8-sig")


@pytest.mark.e2e
def test_the_new_ca_mau_from_nothing_to_a_report(tmp_path, capsys):
    folder = tmp_path / "camau-2026"
    assert cli.main(["new", str(folder), "--province", "96"]) == 0
    _make_synthetic(folder)
    confirm_agencies(folder, AGENCIES)
    template = tmp_path / "bieu-nhap.xlsx"
    assert cli.main(["template", "--campaign", str(folder), "--out", str(template)]) == 0
    assert load_workbook(template).sheetnames == ["Cấp tỉnh", "Cấp xã"]
    rng = np.random.default_rng(SEED)
    sums = {}
    for period, _, _ in WEEKS:
        filled = tmp_path / f"tuan-{period}.xlsx"
        sums[period] = fill_online(template, filled, rng)
        assert cli.main(["ingest", str(filled), "--campaign", str(folder), "--period", period]) == 0
    assert cli.main(["check", str(folder)]) == 0
    assert "levels (units): province 2, commune 64" in capsys.readouterr().out

    data = build_report_data(folder, "2026-w04")
    pooled = data.level_summary.set_index(["level", "kpi", "aggregation"]).loc[("all", "online", "pooled")]
    online, received = sums["2026-w04"]
    assert pooled["result"] == pytest.approx(online / received * 100)
    assert pooled["result_source"] == "computed: pooled counts of 2 levels"
    assert set(data.level_summary["level"]) == {"province", "commune", "all"}

    out = tmp_path / "out"
    assert (
        cli.main(
            ["report", "--campaign", str(folder), "--period", "2026-w04", "--out", str(out), "--all", "--jobs", "1"]
        )
        == 0
    )
    stems = ["campaign_report_2026-w04_vi", "progress_report_2026-w04_vi",
             "unit_report_96.A03_2026-w04_vi", "unit_report_96.A04_2026-w04_vi"]  # fmt: skip
    assert sorted(p.name for p in out.glob("*.html")) == sorted([*(f"{s}.html" for s in stems), "index.html"])
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted(f"{s}.xlsx" for s in stems)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{s}.html"' in index for s in stems)

    html = (out / "campaign_report_2026-w04_vi.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S))
    assert "DỮ LIỆU MÔ PHỎNG" in text
    shown = f"{online / received * 100:.2f}".replace(".", ",") + "%"
    assert shown in text  # the whole-province pooled rate, Vietnamese format
    assert "Văn bản phát động" not in text  # the campaign has no [plan]: no empty "launched by"
    assert "Chưa đặt mục tiêu" in text and not re.search(r"\d+/\d+ đơn vị đạt", text)  # no target: none "met"
    assert "Sở Tư pháp" in (out / "unit_report_96.A03_2026-w04_vi.html").read_text(encoding="utf-8")

    written = [p for p in out.rglob("*") if p.suffix in {".html", ".csv", ".xlsx", ".ipynb", ".json"}]
    assert len([p for p in written if p.suffix == ".csv"]) >= 3
    with_district = [p.name for p in written if "huyện" in _words(p).lower()]
    assert with_district == []  # no "Cấp huyện", no "huyện" in any report, table, workbook, audit notebook or index
