"""The reverse view of the old → new mapping in a unit report (issue 11, case (c)): a new unit of the 2025 geography
whose baseline is recorded under the old units lists its old parts with their own figures, split or not, used for
pooling or not, and says whether its baseline is comparable."""

from __future__ import annotations

import csv
import re

import pytest
from old_unit_campaign import write_case_c
from openpyxl import load_workbook

from dvctt.cli import main as cli
from dvctt.report import quality_sections
from dvctt.report.data import build_report_data

TAN_THANH, HO_THI_KY = "32025", "32092"  # new Phường Tân Thành (7 old parts, 4 split), new Xã Hồ Thị Kỷ (one old)


@pytest.fixture(scope="module")
def case_c(tmp_path_factory):
    folder = tmp_path_factory.mktemp("case-c") / "camau-moi"
    old = write_case_c(folder)
    return folder, old.set_index(["unit_code", "kpi"])["rate"]


def test_a_new_ward_of_split_old_wards_lists_its_parts_as_not_comparable(case_c):
    folder, old_rate = case_c
    parts = quality_sections.old_parts_table(build_report_data(folder, "2025"), TAN_THANH)
    assert len(parts) == 7 * 3  # 7 old parts × 3 KPIs
    first = parts[parts["kpi"] == "online"].set_index("old_code")
    assert list(first.index) == ["32008", "32017", "32020", "32025", "32026", "32029", "32035"]
    assert first.loc["32017", "old_name"] == "Phường 6" and first.loc["32026", "old_name"] == "Xã Tân Thành"
    assert sorted(first.index[first["split"]]) == ["32017", "32020", "32029", "32035"]
    # each part keeps its own 2022 figure, including old Phường Tân Thành, whose code the new ward reuses
    assert first.loc["32025", "rate"] == old_rate[("32025", "online")] == 72.5
    assert first.loc["32017", "rate"] == old_rate[("32017", "online")]
    assert not parts["comparable"].any() and set(parts["reason"]) == {"split"}
    assert not parts["used_for_pooling"].any()


def test_a_new_commune_that_is_one_old_commune_keeps_its_baseline(case_c):
    folder, old_rate = case_c
    data = build_report_data(folder, "2025")
    parts = quality_sections.old_parts_table(data, HO_THI_KY)
    assert parts["old_code"].unique().tolist() == [HO_THI_KY] and len(parts) == 3
    assert parts["comparable"].all() and parts["used_for_pooling"].all() and set(parts["method"]) == {"single"}
    assert parts.set_index("kpi").loc["digitized", "rate"] == old_rate[(HO_THI_KY, "digitized")]


@pytest.mark.e2e
def test_the_unit_report_shows_the_old_parts_and_hands_them_to_csv_and_excel(case_c, tmp_path):
    folder, old_rate = case_c
    out = tmp_path / "out"
    args = ["report", "--campaign", str(folder), "--unit", TAN_THANH, "--period", "2025", "--out", str(out)]
    assert cli.main(args) == 0
    html = (out / f"unit_report_{TAN_THANH}_2025_vi.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S))
    assert "Kỳ cơ sở theo đơn vị hành chính cũ" in text
    intro = "Phường Tân Thành được hợp thành từ 7 đơn vị hành chính cũ (trước 01/7/2025; 4 trong số đó bị chia tách"
    assert intro in text
    assert "Tỷ lệ hồ sơ trực tuyến: kỳ cơ sở không so sánh được (có đơn vị cũ bị chia tách)" in text
    phuong_6 = f"{old_rate[('32017', 'online')]:.2f}".replace(".", ",") + "%"
    assert f"32017 Phường 6 Tỷ lệ hồ sơ trực tuyến {phuong_6} — — Có Không" in text
    assert "32008 Phường 5 Tỷ lệ hồ sơ trực tuyến 49,51% — — Không Không" in text
    with (out / "tables" / "2025" / f"unit_{TAN_THANH}_old_parts.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 21 and {r["split"] for r in rows if r["old_code"] == "32017"} == {"True"}
    assert {r["used_for_pooling"] for r in rows} == {"False"}
    book = load_workbook(out / f"unit_report_{TAN_THANH}_2025_vi.xlsx")
    assert book.sheetnames == ["Kết quả của đơn vị", "Đơn vị cũ hợp thành", "Thông tin báo cáo"]  # no internal id
    sheet = book["Đơn vị cũ hợp thành"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Mã đơn vị cũ", "Tên đơn vị cũ", "Chỉ tiêu"] and "Bị chia tách" in header
    assert sheet.cell(3, 1).value == "32017" and sheet.cell(3, header.index("Bị chia tách") + 1).value == "Có"
