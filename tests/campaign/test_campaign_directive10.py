"""The shipped level-only campaign of seed 004 (Directive 10/CT-UBND): real figures per level, no unit, no target,
change statements kept as printed."""

from __future__ import annotations

import re

import pytest

from dvctt.campaign.loading import load_campaign
from dvctt.report import campaign_sections, certainty_sections, progress_sections, quality_sections, verdict
from dvctt.report.data import build_report_data, status_line

CAMPAIGN = "directive10-2023"
SEED = "004_73f539becc0a94a2.txt"
# (level, kpi) -> rate printed for October 2023 (seed 004, paragraphs 2, 3 and 5)
PRINTED = {
    ("all", "online"): 72, ("province", "online"): 79, ("district", "online"): 68,
    ("all", "digitized"): 79, ("province", "digitized"): 96, ("district", "digitized"): 70,
    ("all", "online_payment"): 45, ("province", "online_payment"): 56, ("district", "online_payment"): 8,
}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return build_report_data(CAMPAIGN)


def test_no_unit_and_no_target_is_invented():
    campaign = load_campaign(CAMPAIGN)
    assert campaign.units.empty and campaign.observations.empty and campaign.targets.empty
    assert campaign.definition.levels == ("province", "district")
    assert campaign.definition.target_set == ""
    assert str(campaign.definition.deadline) == "2023-12-31"
    assert not campaign.definition.synthetic


def test_every_figure_is_the_printed_one_with_its_source(data):
    totals = data.campaign.reported_totals
    rates = totals[totals["measure"] == "rate"]
    assert {(r.level, r.kpi): r.value for r in rates.itertuples()} == PRINTED
    assert (totals["source_id"] == "seed004").all() and totals["source_section"].notna().all()
    reported = data.level_summary[data.level_summary["aggregation"] == "reported"]
    assert {(r.level, r.kpi): r.result for r in reported.itertuples()} == PRINTED
    assert data.level_summary["target"].isna().all() and data.level_summary["met"].isna().all()


def test_quotes_are_in_the_seed(seeds_dir):
    text = " ".join((seeds_dir / SEED).read_text(encoding="utf-8").split())
    totals = load_campaign(CAMPAIGN).reported_totals
    for row in totals.itertuples():
        quote = re.search(r'quote: "([^"]+)"', row.note).group(1)
        assert quote in text, quote
        assert row.printed.replace("tăng ", "") in quote


def test_change_statements_stay_as_printed_and_ambiguous(data):
    said = data.statements.set_index(["level", "kpi"])
    assert list(said["printed"]) == ["tăng 43%", "tăng 66%", "tăng 64%", "tăng 40%"]
    assert set(said["change_unit"]) == {"ambiguous"}
    assert said.loc[("province", "digitized"), "compared_period"] == "2023-05"
    # never converted into a baseline: the baseline month has no figure at all
    assert data.level_summary["baseline"].isna().all()
    assert data.reconciliation["method"].ne("change").all()


def test_the_report_shows_printed_precision_no_target_and_the_statements(data):
    html = campaign_sections.headline(data, "vi").data
    assert "<b>96%</b> (chưa đặt mục tiêu). <i>Nguồn viết «tăng 66%» so với tháng 5" in html
    assert "nguồn không nói rõ là % hay điểm %" in html
    assert "96,00%" not in html and "79,00%" not in html
    assert html.count("Chưa đặt mục tiêu") == 9  # the verdict column of the nine level × KPI rows
    cards = verdict.verdict(data, "vi").data
    assert "Tháng 10/2023: 9 con số có kết quả, chưa đặt mục tiêu nào để đánh giá" in cards
    assert cards.count("Chưa đặt mục tiêu") == 9 and "Mục tiêu" not in cards  # no "target: none" line
    assert '<span class="v-result">8%</span>' in cards and "8,00%" not in cards
    assert "chưa công bố" not in cards.lower()  # a missing target is not missing data
    assert certainty_sections.summary(data, "vi").data == ""  # nothing about units to add
    coverage = quality_sections.coverage(data, "vi").data
    assert "Nguồn không báo cáo số liệu của từng đơn vị" in coverage
    units = campaign_sections.unit_results(data, "vi")
    assert len(units) == 1 and "phần này không áp dụng" in units[0].data
    assert status_line(data, "vi") == "Chưa đặt mục tiêu (6 chỉ tiêu)"


def test_the_progress_report_keeps_printed_precision():
    progress = progress_sections.build_progress_data(CAMPAIGN)
    html = progress_sections.overview(progress, "vi").data
    assert ">8%<" in html and "8,00%" not in html
    assert html.count("Chưa đặt mục tiêu") == 9


@pytest.mark.e2e
def test_the_level_only_campaign_renders_without_placeholders(tmp_path):
    """Case (b): `dvctt report` on the shipped seed-004 campaign; no placeholder unit, target or invented decimal."""
    from dvctt.cli import main as cli

    out = tmp_path / "out"
    assert cli.main(["report", "--campaign", CAMPAIGN, "--out", str(out)]) == 0
    html = (out / "campaign_report_2023-10_vi.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<(style|script)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S).split())
    assert "Chưa đặt mục tiêu" in text and "Tháng 10/2023: 9 con số có kết quả" in text
    assert "tăng 43%" in text and "nguồn không nói rõ là % hay điểm %" in text
    assert "Nguồn không báo cáo số liệu của từng đơn vị" in text
    for printed in ("72%", "79%", "68%", "96%", "70%", "45%", "56%", "8%"):
        assert printed in text
    assert not re.search(r"\b(72|79|68|96|70|45|56|8),00%", text)  # never 79,00%
    assert "Cấp xã" not in text  # only the declared levels (cấp tỉnh, cấp huyện)
