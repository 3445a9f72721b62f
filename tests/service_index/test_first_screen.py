"""The index report's first screen on the portal's real 2026 answers (An Giang, Gia Lai): the band counts of
agencies and communes with the lowest named; the long tables closed; the trend axis that neither magnifies a
0,06-point change nor flattens a 20-point rise."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from portal2026_frames import AN_GIANG, an_giang, gia_lai

from dvctt.service_index import analysis as ix
from dvctt.service_index import first_screen
from dvctt.service_index import sections as section
from dvctt.service_index.charts import trend_axis, trend_chart
from dvctt.service_index.store import save_index


@pytest.fixture(scope="module")
def an_giang_folder(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("an-giang")
    frame, files = an_giang()
    save_index(folder, frame, files)
    return folder


def _rows(data: section.IndexData) -> list[dict[str, object]]:
    code = str(data.subject["unit_code"])
    return first_screen.band_rows(ix.children(data.units, code, data.period)).to_dict("records")


def test_an_giang_band_counts_and_lowest_units(an_giang_folder):
    rows = _rows(section.build_index_data(an_giang_folder, "H01"))
    assert rows == [
        {"level": "agency", "n": 15, "urgent": 15, "attention": 0, "ok": 0,
         "worst_name": "Thanh tra tỉnh An Giang", "worst_total": 16.0},
        {"level": "commune", "n": 102, "urgent": 102, "attention": 0, "ok": 0,
         "worst_name": "UBND Đặc khu Phú Quốc - tỉnh An Giang", "worst_total": 49.01},
    ]  # fmt: skip
    spread = _rows(section.build_index_data(an_giang_folder, "H01", thresholds=(50, 60)))
    assert [(r["urgent"], r["attention"], r["ok"]) for r in spread] == [(3, 4, 8), (1, 10, 91)]


def test_the_first_screen_gives_the_verdict_with_the_band_counts(an_giang_folder):
    data = section.build_index_data(an_giang_folder, "H01")
    html = first_screen.bands(data, "vi").data
    assert html.startswith("<p class='lead'>Dưới 80 điểm: 15/15 sở, ban, ngành và 102/102 xã, phường, đặc khu.</p>")
    assert "<th class='txt'>Cần cải thiện gấp (dưới 80)</th>" in html
    assert "<th class='txt'>Cần chú ý (từ 80 đến dưới 90)</th>" in html
    assert "<td class='txt'>đặc khu Phú Quốc 49,01</td>" in html and "UBND" not in html  # names as people write them
    assert "<td class='txt'>Thanh tra tỉnh An Giang 16,00</td>" in html
    english = first_screen.bands(data, "en").data
    assert "Under 80 points: 15 of 15 provincial agencies and 102 of 102 communes." in english


def test_gia_lai_lowest_agency_loses_only_the_province_suffix(tmp_path):
    frame, files = gia_lai()
    save_index(tmp_path, frame, files)
    data = section.build_index_data(tmp_path, "H21", "2026-ytd-09", (50, 60))
    html = first_screen.bands(data, "vi").data
    assert "Dưới 50 điểm: 4/14 sở, ban, ngành và 0/135 xã, phường, đặc khu." in html
    assert "<td class='txt'>Thanh tra tỉnh 19,79</td>" in html and "<td class='txt'>phường Ayun Pa 58,35</td>" in html


def test_no_band_counts_for_a_file_of_provinces_only():
    assert first_screen.bands(section.build_index_data("index-766", "H12"), "vi") is None


def test_long_tables_are_closed_and_short_ones_open(an_giang_folder):
    data = section.build_index_data(an_giang_folder, "H01")
    children = section.children(data, "vi").data
    summary = '<details class="more"><summary>Bảng xếp hạng {n} đơn vị ({level}): bấm để mở</summary><table'
    assert summary.format(n=102, level="xã, phường, đặc khu") in children
    assert summary.format(n=15, level="sở, ban, ngành") in children
    assert children.count("<tr>") + children.count("<tr ") == 2 + 15 + 102  # every row kept, behind the summary
    peers = section.peers(data, "vi").data
    assert summary.format(n=34, level="tỉnh, thành phố") in peers
    short = first_screen.long_table("x", "<table></table>", first_screen.LONG_ROWS)
    assert short == "<table></table>"


@pytest.mark.parametrize(
    ("totals", "axis"),
    [
        ([89.91, 89.97], (85.0, 95.0)),  # a 0,06-point change stays flat
        ([39.24, 36.21, 36.21, 37.44, 47.4, 59.77, 61.59, 59.82, 54.54], (35.0, 65.0)),  # An Giang's months
        ([99.8], (90.0, 100.0)),
        ([2.0], (0.0, 10.0)),
        ([90.0], (85.0, 95.0)),  # a total on a multiple of 5 is not drawn on the frame
    ],
)
def test_trend_axis_spans_at_least_ten_points_from_a_multiple_of_five(totals, axis):
    assert trend_axis(pd.Series(totals)) == axis


def test_trend_chart_on_an_giang_months_labels_its_floor_once():
    months = json.loads(AN_GIANG.read_text(encoding="utf-8"))["data"]["monthlyChart"]
    given = [(int(m["month"]), m["averageScore"]) for m in months if m["averageScore"] is not None]
    series = pd.DataFrame({"year": 2026, "order": [o for o, _ in given], "total": [v for _, v in given],
                           "tick": [f"T{o}" for o, _ in given]})  # fmt: skip
    ax = trend_chart(series, "theo tháng", "vi").axes[0]
    low, high = ax.get_ylim()
    labels = [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert (low, high) == (35.0, 65.0) and labels == ["35", "40", "45", "50", "55", "60", "65"]
