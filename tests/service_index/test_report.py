"""The service-index report's sections and chat message, on the shipped export and a synthetic province."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from index766_synthetic import LOCAL, synthetic_export

from dvctt import paths
from dvctt.service_index import sections as section
from dvctt.service_index.formats.export2025 import read_index_exports
from dvctt.service_index.message import build_message, message_lines
from dvctt.service_index.store import SCORES_FILE, load_index, save_index

SHIPPED = paths.DATA_DIR / "index-766"


def test_the_shipped_index_folder_is_the_shipped_export_read_again(tmp_path):
    export = SHIPPED / "bao_cao_766_tinh_2025.xlsx"
    save_index(tmp_path, read_index_exports([export], period="2025-ytd"), [export])
    assert (tmp_path / SCORES_FILE).read_bytes() == (SHIPPED / SCORES_FILE).read_bytes()


def test_camau_first_screen_in_vietnamese_and_english():
    data = section.build_index_data("index-766", "H12")
    vi = section.headline(data, "vi").data
    assert "89,91/100" in vi and "4/34" in vi and "Xếp hạng trong các tỉnh, thành phố" in vi
    assert "Cung cấp dịch vụ trực tuyến (mất 3,85/12 điểm)" in vi
    assert "chưa có kỳ trước cùng loại trong năm 2025" in vi
    en = section.headline(data, "en").data
    assert "89.91/100" in en and "Online services (3.85 of 12 points lost)" in en
    assert section.title(data, "vi").data.count("UBND tỉnh Cà Mau") == 1


def test_notes_name_the_tie_printed_apart():
    notes = section.notes(section.build_index_data("index-766", "H12"), "vi").data
    assert "UBND tỉnh Cao Bằng" in notes and "bằng điểm đơn vị khác nhưng in hạng khác" in notes
    assert "bao_cao_766_tinh_2025.xlsx (SHA-256 f1035c71d7ab)" in notes


@pytest.fixture()
def province(tmp_path: Path) -> Path:
    """SYNTHETIC: Cà Mau's row from the real export plus invented agencies and communes, two months."""
    folder = tmp_path / "index"
    real = read_index_exports([SHIPPED / "bao_cao_766_tinh_2025.xlsx"], period="2025-ytd")
    camau = real[real["unit_code"] == "H12"]
    names = [f"UBND xã Thử Nghiệm Số {i:02d}" for i in range(1, 41)]
    communes = [(f"H12.{300 + i}", n, round(70 + i * 0.55, 2)) for i, n in enumerate(names)]
    for month, shift in (("9", 0.0), ("10", 1.0)):
        path = synthetic_export(tmp_path / f"t{month}.xlsx", [(c, n, t + shift) for c, n, t in LOCAL + communes],
                                title=f"SYNTHETIC Tháng {month}/2025")  # fmt: skip
        exports = read_index_exports([path])
        period = exports["period"].iloc[0]
        province_row = camau.assign(period=period, period_kind="month", as_of=f"2025-{int(month):02d}-28",
                                    total=camau["total"] + shift, MDHL=camau["MDHL"] + shift)  # fmt: skip
        save_index(folder, pd.concat([exports, province_row], ignore_index=True), [path], meta_id="syn", synthetic=True)
    return folder


def test_agencies_and_communes_ranked_in_groups(province):
    data = section.build_index_data(province, "H12", "2025-10")
    assert data.synthetic and len(load_index(province)) == 2 * 49 * 6
    html = section.children(data, "vi").data
    assert "Cần cải thiện gấp: 18 đơn vị; Cần chú ý: 21 đơn vị; Đạt từ ngưỡng trên: 6 đơn vị" in html
    assert "Cần cải thiện gấp: 0 đơn vị; Cần chú ý: 2 đơn vị; Đạt từ ngưỡng trên: 1 đơn vị" in html
    assert html.count("[DỮ LIỆU MÔ PHỎNG]") == 2
    assert "+1,00" in section.headline(data, "vi").data


def test_message_of_two_months_gives_the_change_and_every_commune_with_its_score(province):
    lines = message_lines(section.build_index_data(province, "H12", "2025-10"), "vi")
    assert lines[1] == (
        "- Tháng 10/2025: 90,91/100, chưa xếp hạng (tệp không có đơn vị cùng cấp); so với Tháng 9/2025: +1,00 điểm, "
        "giữ nguyên."
    )
    assert "2 tháng gần nhất: T9 89,91 → T10 90,91" in lines
    assert "Cần cải thiện gấp (dưới 80): 18 đơn vị" in lines and "- xã U Minh 73,25" in lines
    assert sum(line.startswith("- xã Thử Nghiệm Số") for line in lines) == 40  # all 40, none left out


def test_trend_draws_months_of_one_year(province):
    data = section.build_index_data(province, "H12", "2025-10")
    parts = section.trend(data, "vi")
    assert len(parts) == 3 and parts[1].format == "png"  # the re-basing note, one chart (months), its axis stated
    assert parts[2].data.startswith("<p class='note'>Trục dọc từ 85 đến 95 điểm: luôn trải ít nhất 10 điểm")


def test_campaign_kpis_beside_the_components_when_a_campaign_folder_holds_both(tmp_path):
    import shutil

    folder = tmp_path / "camau"
    shutil.copytree(paths.CAMPAIGNS_DIR / "camau-2023", folder)
    export = SHIPPED / "bao_cao_766_tinh_2025.xlsx"
    save_index(folder, read_index_exports([export], period="2025-ytd"), [export])
    data = section.build_index_data(folder, "H12")
    html = section.campaign_kpis(data, "vi").data
    assert "Không phải cùng một phép đo".lower() in html.lower()
    rows = html.split("<tr>")[2:]
    assert rows[0].startswith(
        "<td>Cung cấp dịch vụ trực tuyến</td><td>8,15/12 (67,9%)</td><td>Tỷ lệ hồ sơ trực tuyến</td>"
    )
    assert "<td>92,79%</td><td>90,61%</td><td>86,66%</td>" in rows[0]  # online, per level, campaign 2023
    assert rows[2].startswith("<td>Thanh toán trực tuyến</td><td>9,51/10 (95,1%)</td>") and "90,14%" in rows[2]
    assert "Chiến dịch 69 ngày đêm" in html
    assert section.campaign_kpis(section.build_index_data("index-766", "H12"), "vi") is None


def test_a_unit_name_with_line_breaks_cannot_forge_a_line_of_the_message(tmp_path):
    """Issue 23: a name with line breaks put "Tổng điểm 99,99/100, hạng 1/34." on a line of its own, above the real."""
    forged = "UBND xã Giả\nTổng điểm 99,99/100, hạng 1/34.\r\n\u2028Hạng 1\u2029Mất\x85nhiều\tđiểm nhất"
    real = read_index_exports([SHIPPED / "bao_cao_766_tinh_2025.xlsx"], period="2025-ytd")
    camau = real[real["unit_code"] == "H12"]
    path = synthetic_export(tmp_path / "t.xlsx", [*LOCAL, ("H12.299", forged, 50.0)], title="SYNTHETIC Tháng 10/2025")
    exports = read_index_exports([path])
    assert forged.split("\n")[0] in set(exports["unit_name"].str.split("\n").str[0])  # the export keeps it as printed
    period = exports["period"].iloc[0]
    province_row = camau.assign(period=period, period_kind="month", as_of="2025-10-28")
    folder = tmp_path / "index"
    save_index(folder, pd.concat([exports, province_row], ignore_index=True), [path], meta_id="syn", synthetic=True)
    message = build_message(section.build_index_data(folder, "H12", period), "vi")
    lines = message.split("\n")
    assert lines == message.splitlines()  # no other line break either (CR, NEL, U+2028, U+2029, VT …)
    assert not any(ch in message for ch in "\t\r\x85\u2028\u2029")
    assert lines[1] == "- Tháng 10/2025: 89,91/100, chưa xếp hạng (tệp không có đơn vị cùng cấp)."
    assert not any(line.startswith(("Tổng điểm 99", "Hạng 1", "Mất")) for line in lines)
    (item,) = [line for line in lines if "xã Giả" in line]
    assert item == "- xã Giả Tổng điểm 99,99/100, hạng 1/34. Hạng 1 Mất nhiều điểm nhất 50,00"  # one item, its score
    assert lines[lines.index(item) - 1] == "Cần cải thiện gấp (dưới 80): 2 đơn vị"
