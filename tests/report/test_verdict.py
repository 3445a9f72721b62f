"""The first screen and the honest rankings of the Cà Mau report, checked against the seeds' figures."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dvctt.report import gap_grid, ranking_sections, verdict
from dvctt.report.data import build_report_data


@pytest.fixture(scope="module")
def data():
    return build_report_data("camau-2023")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _row(table: pd.DataFrame, level: str, kpi: str) -> pd.Series:
    return table[(table["level"] == level) & (table["kpi"] == kpi)].iloc[0]


def test_verdict_counts_units_as_published_or_among_named_units(data):
    table = verdict.verdict_table(data)
    district = _row(table, "district", "online")  # "tất cả các đơn vị thực hiện đạt, vượt mục tiêu"
    assert (district["units_met"], district["units_judged"], district["units_basis"]) == (9, 9, "published")
    commune = _row(table, "commune", "online")  # "100/101"
    assert (commune["units_met"], commune["units_judged"], commune["units_basis"]) == (100, 101, "published")
    province = _row(table, "province", "online")  # 10 agencies named by the article, 8 of them at or above 80%
    assert (province["units_met"], province["units_judged"], province["units_basis"]) == (8, 10, "named")
    assert _row(table, "province", "online_payment")["units_basis"] == "none"


def test_verdict_names_the_units_that_missed_or_fell_with_their_figures(data):
    province = _row(verdict.verdict_table(data), "province", "online")
    missed = {u["unit_name"]: u["result"] for u in province["missed"]}
    assert missed == {"Ban Quản lý khu kinh tế": 40.0, "Sở Tư pháp": 68.73}
    fell = [(u["unit_name"], u["result"], u["baseline"]) for u in province["fell"]]
    assert fell == [("Sở Tư pháp", 68.73, 95.6)]


def test_verdict_html_shows_cards_with_colour_word_and_limits(data):
    html = verdict.verdict(data, "vi").data
    assert html.count('class="v-card v-met"') == 6  # six level × KPI pairs with a result, all met
    assert html.count('class="v-card v-unknown"') == 3  # targets whose result was not published
    assert 'class="v-card v-not-met"' not in html
    text = _text(html)
    assert "Sở Tư pháp 68,73% (từ 95,60%)" in text
    assert "Ban Quản lý khu kinh tế 40,00%" in text
    assert "9/9 đơn vị đạt (số liệu công bố)" in text
    assert "100/101 đơn vị đạt (số liệu công bố)" in text
    assert "8/10 đơn vị được nguồn nêu tên đạt" in text
    assert "26 trong 128 đơn vị" in text  # what the data cannot support, scoped to what is known
    assert "đạt 6/6 mục tiêu đã có kết quả; 3 mục tiêu chưa có kết quả công bố" in text


def test_the_year_2023_verdict_leads_with_the_published_figures(data):
    year = build_report_data("camau-2023", "2023")
    html = verdict.verdict(year, "vi").data
    first_card = html.index('class="v-card')
    assert "97,3%" in html[first_card : first_card + 800]  # the real figure (printed 97.3%) before the empty targets
    assert "không đơn vị nào" not in _text(html)  # no claim about units when no unit has a result
    assert "Không giao mục tiêu" in _text(html)


def test_named_units_are_never_called_laggards(data):
    html = ranking_sections.leaders(data, "vi").data
    result_part = html[: html.index("<details")]  # the period's part; the baseline ranking is collapsed
    assert "Thấp nhất" not in _text(result_part)
    assert "Xã Khánh Thuận 80,00%" in _text(result_part)
    assert "Sở Tư pháp 68,73% ▼ từ 95,60%" in _text(result_part)
    assert 'class="decline"' in result_part
    baseline = _text(html[html.index("<details") :])
    # 2022 is complete: ranks among all 18 agencies, ties share a rank on one row
    assert "16/18 (đồng hạng, 2 đơn vị)" in baseline
    assert "Ban Quản lý khu kinh tế, Sở Nông nghiệp và Phát triển nông thôn" in baseline


def test_ranking_tables_show_at_most_ten_rows_per_group(data):
    shown = data.leaders_baseline[data.leaders_baseline["rank_group"].isin(["leader", "laggard"])]
    ranks_shown = shown.groupby(["level", "kpi", "rank_group"])["rank"].nunique()
    assert ranks_shown.max() <= 10
    # the whole list lives in unit_summary (workbook and CSV): every agency has its 2022 rank
    agencies = data.unit_summary[(data.unit_summary["level"] == "province") & (data.unit_summary["kpi"] == "online")]
    assert agencies["baseline_rank"].notna().all() and set(agencies["baseline_n_ranked"]) == {18}
    assert agencies["rank"].isna().all()  # campaign results for 10 of 18: no rank in the level


def test_heatmap_uses_the_latest_known_value(data):
    gaps = gap_grid.latest_gap(data.unit_summary)
    justice = gaps[(gaps["unit_name"] == "Sở Tư pháp") & (gaps["kpi"] == "online")].iloc[0]
    assert justice["basis"] == "result" and justice["gap"] == pytest.approx(68.73 - 80)  # red, not the 2022 green
    thoi_binh = gaps[(gaps["unit_code"] == "32077") & (gaps["kpi"] == "online")].iloc[0]
    assert thoi_binh["basis"] == "result" and thoi_binh["gap"] == pytest.approx(99.56 - 60)
    education = gaps[(gaps["unit_name"] == "Sở Giáo dục và Đào tạo") & (gaps["kpi"] == "digitized")].iloc[0]
    assert education["basis"] == "baseline"  # no campaign figure: the 2022 gap, drawn lighter
    counts = gaps["basis"].value_counts()
    assert counts["result"] == 32  # unit × KPI results in the campaign


def test_zeros_are_summarised_and_scoped(data):
    html = ranking_sections.zeros(data, "vi").data
    text = _text(html)
    assert "trong 26 đơn vị có kết quả, không đơn vị nào ở mức 0%" in text
    visible = _text(re.sub(r"<details.*?</details>", "", html, flags=re.S))
    assert "Xã Hòa Thành" not in visible  # the 119-row list is collapsed
    assert "Xã Hòa Thành" in text


def test_unit_report_shows_everything_the_campaign_holds_for_the_unit(data):
    from dvctt.report import progress_sections

    justice = progress_sections.resolve_unit(data.campaign, "96.A04")
    text = _text(progress_sections.unit_figures(data, justice, "vi").data)
    # 2022 digitisation and payment are shown although the campaign result is missing; targets too
    assert "Tỷ lệ số hóa hồ sơ 54,90% 12/18 — — 80,00%" in text
    assert "Tỷ lệ thanh toán trực tuyến 0,00% 4/13 — — 40,00%" in text  # 13 agencies with fee-bearing procedures
    # online: rank 2 of 18 in 2022; no rank among the 10 agencies the article named
    assert "Tỷ lệ hồ sơ trực tuyến 95,60% 2/18 68,73% — 80,00% −26,87 Chưa đạt" in text
    assert "▼ Tỷ lệ hồ sơ trực tuyến: 68,73%, giảm so với Năm 2022 (95,60%)" in text

    dam_doi = progress_sections.resolve_unit(data.campaign, "970")
    text = _text(progress_sections.unit_figures(data, dam_doi, "vi").data)
    assert "Tỷ lệ số hóa hồ sơ 49,35% 1/9" in text
    communes = _text(progress_sections.unit_children(data, dam_doi, "vi").data)
    assert "Xã Tân Trung 49,51% 61/101" in communes and "Xã Tạ An Khương 49,51% 61/101" in communes  # a shared rank


def test_a_rise_is_a_decline_where_lower_is_better():
    from dvctt.report.formatting import worsened

    assert worsened("online", 68.73, 95.6) and not worsened("online", 96.0, 95.6)
    assert worsened("overdue_pending", 12.0, 5.0) and not worsened("overdue_pending", 2.0, 5.0)
    assert not worsened("online", None, 95.6)


def test_reports_link_their_index_and_each_other(tmp_path):
    from dvctt.publish import manifest, toc

    page = f"<html><body><main></main><footer>{toc.RELATED_START}{toc.RELATED_END}</footer></body></html>"
    files = ["campaign_report_2023-campaign_vi.html", "progress_report_2023-campaign_vi.html",
             "unit_report_970_2023-campaign_vi.html", "campaign_report_2023_vi.html"]  # fmt: skip
    entries = []
    for name in files:
        (tmp_path / name).write_text(page, encoding="utf-8")
        period = "2023" if name == files[-1] else "2023-campaign"
        entries.append({"file": name, "title": name, "campaign": "camau-2023", "period": period, "lang": "vi",
                        "status": "ok"})  # fmt: skip
    manifest.rebuild_index(tmp_path, entries)
    campaign = (tmp_path / files[0]).read_text(encoding="utf-8")
    assert 'href="index.html">Danh sách báo cáo' in campaign
    assert f'href="{files[1]}">Báo cáo tiến độ' in campaign and "1 báo cáo đơn vị" in campaign
    assert files[3] not in campaign  # another period is not related
    unit = (tmp_path / files[2]).read_text(encoding="utf-8")
    assert f'href="{files[0]}">Báo cáo kết quả' in unit and f'href="{files[1]}"' in unit
    # a report rendered alone links only its index
    assert (tmp_path / files[3]).read_text(encoding="utf-8").count("<a href=") == 1
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Đã tạo" in index and ">ok<" not in index  # no bare English status
    shown = index.split("</style>", 1)[1]  # Vietnamese reports, a Vietnamese index
    assert "rendered" not in shown.lower() and "Report" not in shown and '<html lang="vi">' in index


def test_a_single_render_runs_its_kernel_on_unix_sockets():
    from dvctt.publish import execute

    with execute.warming_kernel() as km:
        assert km.transport == "ipc" and km.ip.endswith("kernel")
