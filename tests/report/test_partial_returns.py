"""Issue 22 items 1–3: a return with gaps, a rejected row and a campaign without targets, on An Giang's 102
communes and 12 agencies (tests/two_tier_campaign.py: `dvctt new`, the template filled with seeded synthetic counts,
`dvctt ingest` of 2025 and 2026). Figures are checked against the counts written into the workbooks; the verdict's
HTML is the report's first screen (the browser check is in tests/publish/test_browser_kinds.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from two_tier_campaign import MISSING_AG, REJECTED_AG, return_campaign

from dvctt.analysis.gaps import return_keys
from dvctt.campaign.loading import load_campaign
from dvctt.errors import CampaignDefinitionError
from dvctt.report import campaign_sections, ranking_sections, verdict
from dvctt.report.data import build_report_data, build_report_tables

PERIOD = "2026"


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ;", ";").replace(" :", ":")


def _pooled(counts: dict, codes) -> float:
    online = sum(counts[c][0] for c in codes if c in counts)
    received = sum(counts[c][1] for c in codes if c in counts)
    return online / received * 100


def _vi(rate: float) -> str:
    return f"{rate:.2f}".replace(".", ",") + "%"


def _row(data, level: str, aggregation: str = "pooled") -> pd.Series:
    frame = data.level_summary
    return frame[(frame["level"] == level) & (frame["kpi"] == "online") & (frame["aggregation"] == aggregation)].iloc[0]


@pytest.fixture(scope="module")
def gaps(tmp_path_factory):
    return return_campaign(tmp_path_factory.mktemp("gaps"))


@pytest.fixture(scope="module")
def communes(gaps) -> list[str]:
    units = load_campaign(gaps[0]).units
    return list(units.loc[units["level"] == "commune", "unit_code"])


def test_ingest_records_each_file_as_a_return_and_the_transcribed_sources_stay_selections(gaps):
    folder, _ = gaps
    campaign = load_campaign(folder)
    kinds = dict(zip(campaign.sources["source_id"], campaign.sources["kind"], strict=True))
    assert [k for s, k in kinds.items() if s.startswith("ingest-")] == ["return", "return"]
    assert pd.isna(kinds["codelist"]) and pd.isna(kinds["analyst"])
    assert return_keys(campaign.units, campaign.observations, campaign.sources) == {
        (level, "online", period) for level in ("province", "commune") for period in ("2025", "2026")
    }


def test_99_of_102_communes_give_the_level_figure_with_its_coverage_and_the_three_missing_named(gaps, communes):
    folder, counts = gaps
    data = build_report_data(folder, PERIOD)
    commune = _row(data, "commune")
    expected = _pooled(counts[PERIOD], communes)
    assert len(communes) == 102 and commune["result"] == pytest.approx(expected)
    assert _row(data, "commune", "unit_mean")["result"] == pytest.approx(
        sum(counts[PERIOD][c][0] / counts[PERIOD][c][1] * 100 for c in communes if c in counts[PERIOD]) / 99
    )
    assert (commune["n_units_with_result"], commune["n_units_applicable"]) == (99, 102)
    assert commune["coverage"] == pytest.approx(99 / 102) and commune["data_kind"] == "return"
    assert not commune["provisional"] and commune["met"] == (expected >= 80)
    assert commune["result_source"] == "computed: pooled counts of 99 of 102 units (a return: 3 without data)"
    whole = _row(data, "all")
    assert whole["result"] == pytest.approx(_pooled(counts[PERIOD], counts[PERIOD]))  # 12 agencies + 99 communes
    assert pd.isna(whole["target"])  # both levels have 80%: the whole province still has no target of its own

    tables = build_report_tables(data)
    missing = tables["units_without_data"]
    assert missing[["unit_code", "unit_name", "gap", "period"]].values.tolist() == [
        [code, name, "missing", PERIOD] for code, name in MISSING_AG.items()
    ]
    units = tables["unit_summary"]
    ranked = units[(units["level"] == "commune") & units["rank"].notna()]
    assert len(ranked) == 99 and set(ranked["n_ranked"]) == {99}  # ranked among the 99 that reported
    best = ranked.loc[pd.to_numeric(ranked["result"]).idxmax()]
    assert best["rank"] == 1

    first = _words(verdict.verdict(data, "vi").data)
    card = first[first.index("Cấp xã · Trực tuyến") : first.index("Toàn tỉnh · Trực tuyến")]
    assert _vi(expected) in card and "Mục tiêu 80%" in card
    assert "Tính trên 99/102 đơn vị đã báo cáo" in card
    assert "3 xã chưa có số liệu: Phường Vĩnh Tế, Xã Bình Hòa, Xã An Minh" in card
    assert "Chưa công bố" not in first and "không xếp hạng được cả cấp" not in first
    english = _words(verdict.verdict(data, "en").data)
    assert "3 commune(s) without data yet: Phường Vĩnh Tế, Xã Bình Hòa, Xã An Minh" in english


def test_rankings_rank_the_units_that_reported_and_list_the_missing_apart(gaps):
    data = build_report_data(gaps[0], PERIOD)
    leaders = data.leaders_result[data.leaders_result["level"] == "commune"]
    assert set(leaders["rank_group"]) == {"leader", "laggard"} and set(leaders["n_ranked"]) == {99}
    assert not set(MISSING_AG) & set(leaders["unit_code"])
    section = _words(ranking_sections.leaders(data, "vi").data)
    assert "Đơn vị được nguồn nêu tên" not in section  # a return is not a selection
    assert "(1/99)" in section and "(99/99)" in section
    assert "Cấp xã — Tỷ lệ hồ sơ trực tuyến, không xếp hạng 3 xã chưa có số liệu: Phường Vĩnh Tế" in section


def test_below_min_coverage_the_level_figure_is_provisional_never_met_or_not(tmp_path, communes):
    folder, counts = return_campaign(tmp_path, min_coverage=99)
    data = build_report_data(folder, PERIOD)
    commune = _row(data, "commune")
    assert commune["result"] == pytest.approx(_pooled(counts[PERIOD], communes))
    assert commune["provisional"] and pd.isna(commune["met"])
    assert not _row(data, "province")["provisional"] and not pd.isna(_row(data, "province")["met"])
    first = _words(verdict.verdict(data, "vi").data)
    card = first[first.index("Cấp xã · Trực tuyến") : first.index("Toàn tỉnh · Trực tuyến")]
    assert card.startswith("Cấp xã · Trực tuyến Tạm tính")
    assert "Tạm tính: mới có 99/102 đơn vị báo cáo, dưới mức 99% cần để đánh giá đạt hay chưa đạt" in card
    assert "Chưa đạt Năm" not in card and "Đạt Năm" not in card
    assert 'class="v-card v-provisional" data-level="commune"' in verdict.verdict(data, "vi").data


def test_a_rejected_row_is_named_as_rejected_with_its_rule_and_rejects_file(tmp_path, communes):
    folder, counts = return_campaign(tmp_path, rejected=True)
    rejects = list((folder / "rejects").glob("*.rejects.csv"))
    assert len(rejects) == 1
    data = build_report_data(folder, PERIOD)
    assert _row(data, "commune")["result"] == pytest.approx(_pooled(counts[PERIOD], communes))
    units = data.unit_summary.set_index("unit_code")
    assert units.loc[REJECTED_AG, "gap"] == "rejected"
    assert units.loc[REJECTED_AG, "reject_rule"] == "numerator_above_denominator"
    assert units.loc[REJECTED_AG, "rejects_file"] == f"rejects/{rejects[0].name}"
    assert [units.loc[c, "gap"] for c in MISSING_AG if c != REJECTED_AG] == ["missing", "missing"]

    first = _words(verdict.verdict(data, "vi").data)
    assert "Tính trên 99/102 đơn vị đã báo cáo" in first
    assert "2 xã chưa có số liệu: Phường Vĩnh Tế, Xã An Minh" in first
    file = re.escape(f"rejects/{rejects[0].name}")
    assert re.search(rf"1 xã bị từ chối: Xã Bình Hòa \(Tử số \d+ lớn hơn mẫu số \d+; xem tệp {file}\)", first)
    grid = _words(campaign_sections.gaps(data, "vi")[0].data)
    assert "Xã Bình Hòa bị từ chối" in grid
    missing = build_report_tables(data)["units_without_data"].set_index("unit_code")
    assert missing.loc[REJECTED_AG, "gap"] == "rejected" and missing.loc["30325", "gap"] == "missing"


def test_without_targets_no_cell_says_no_data_for_a_unit_with_data_and_no_target_is_invented(tmp_path):
    folder, counts = return_campaign(tmp_path, targets=False)
    data = build_report_data(folder, PERIOD)
    assert data.level_summary["target"].isna().all() and data.level_summary["met"].isna().all()
    html = campaign_sections.gaps(data, "vi")[0].data
    grid = _words(html)
    assert grid.count("chưa đặt mục tiêu") == 114  # 12 agencies + 102 communes (3 with their 2025 figure)
    assert 'class="gap none"' not in html  # no cell says "chưa có số liệu" (only the colour key names it)
    assert "Phường Vĩnh Tế 2025" in grid  # a missing unit's cell shows its baseline, labelled
    agency = counts[PERIOD]["91.A01"]
    assert f"Văn phòng Ủy ban nhân dân tỉnh {agency[0] / agency[1] * 100:.1f}".replace(".", ",") in grid
    first = _words(verdict.verdict(data, "vi").data)
    assert first.count("Chưa đặt mục tiêu") == 3 and "Mục tiêu" not in first.replace("mục tiêu", "")
    assert "Không giao mục tiêu" not in first and "không giao riêng" not in first
    assert "3 xã chưa có số liệu: Phường Vĩnh Tế, Xã Bình Hòa, Xã An Minh" in first
    (against,) = campaign_sections.against_targets(data, "vi")  # no chart of empty target ticks
    assert "<svg" not in against.data and "Chiến dịch chưa đặt mục tiêu nào" in against.data


def test_a_level_without_a_target_reads_so_in_the_bullet_chart(tmp_path):
    folder, _ = return_campaign(tmp_path)
    targets = folder / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("campaign,commune,online,80,analyst,,\n", ""))
    data = build_report_data(folder, PERIOD)  # only the agencies have a target
    chart = "".join(part.data for part in campaign_sections.against_targets(data, "vi"))
    assert "Cấp tỉnh: Kỳ cơ sở" in chart and "Mục tiêu 80,00%</title>" in chart
    assert re.search(r"Cấp xã: Kỳ cơ sở [\d,]+% · Kết quả [\d,]+% · chưa đặt mục tiêu</title>", chart)
    assert "Mục tiêu —" not in chart


def test_a_source_set_to_selection_in_sources_csv_keeps_the_strict_rule(tmp_path):
    folder, _ = return_campaign(tmp_path)
    sources = pd.read_csv(folder / "sources.csv", dtype=str, keep_default_na=False)
    latest = sources["file"] == "so-lieu-2026.xlsx"
    sources.loc[latest, "kind"] = "selection"  # the analyst says: these units were chosen, not all asked
    sources.to_csv(folder / "sources.csv", index=False)
    data = build_report_data(folder, PERIOD)
    commune = _row(data, "commune")
    assert pd.isna(commune["result"]) and commune["data_kind"] == "selection"
    assert commune["result_source"] == "not computed: counts for 99 of 102 applicable units and no reported counts"
    assert set(data.leaders_result.loc[data.leaders_result["level"] == "commune", "rank_group"]) == {"named"}
    assert build_report_tables(data)["units_without_data"].empty


def test_min_coverage_is_read_strictly(tmp_path: Path):
    from minimal_campaign import campaign_toml

    from dvctt.campaign.definition import read_definition

    path = tmp_path / "campaign.toml"
    path.write_text(campaign_toml().replace('kpis = ["online"]', 'kpis = ["online"]\nmin_coverage = 0.9'))
    assert read_definition(path).min_coverage == 0.9  # a percentage: 0.9% is allowed, if odd
    path.write_text(campaign_toml())
    assert read_definition(path).min_coverage == 90.0
    for bad in ("0", "120", '"90%"', "true"):
        path.write_text(campaign_toml().replace('kpis = ["online"]', f'kpis = ["online"]\nmin_coverage = {bad}'))
        with pytest.raises(CampaignDefinitionError, match="min_coverage must be a percentage"):
            read_definition(path)
