"""The service-index report's sections and chat message, on the shipped export and a synthetic province."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from index766_synthetic import LOCAL, synthetic_export

from dvctt import paths
from dvctt.service_index import sections as section
from dvctt.service_index.formats.export2025 import read_index_exports
from dvctt.service_index.message import MAX_CHARS, build_message
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
    assert "tệp không ghi ngày chốt số liệu nên không xác định được kỳ trước" in vi  # a 2025 export: no date
    en = section.headline(data, "en").data
    assert "89.91/100" in en and "Online services (3.85 of 12 points lost)" in en
    assert section.title(data, "vi").data.count("UBND tỉnh Cà Mau") == 1


def test_camau_message():
    message = build_message(section.build_index_data("index-766", "Cà Mau"), "vi")
    assert message.splitlines() == [
        "Chỉ số 766 - tỉnh Cà Mau - Lũy kế năm 2025 (tệp không ghi ngày chốt)",
        "Tổng điểm 89,91/100, hạng 4/34.",
        "Mất nhiều điểm nhất: Cung cấp dịch vụ trực tuyến (3,85/12).",
    ]


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
        province_row = camau.assign(period=period, period_kind="month", as_of=exports["as_of"].iloc[0],
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


def test_message_lists_communes_under_each_threshold_and_stays_short(province):
    data = section.build_index_data(province, "H12", "2025-10")
    message = build_message(data, "vi")
    assert len(message) <= MAX_CHARS
    lines = message.splitlines()
    # Cà Mau is the only province in the folder: no rank, never "1/1"
    assert lines[1] == "Tổng điểm 90,91/100, không xếp hạng: tệp chỉ có một tỉnh; so với Tháng 9/2025: +1,00 điểm, —."
    assert lines[3:5] == ["Xã, phường, đặc khu:", lines[4]] and lines[-2:-1] == ["Sở, ban, ngành:"]
    urgent, attention = lines[4], lines[5]
    # lowest first: Số 01 (71,00) … Số 05 (73,20), then xã U Minh (73,25)
    assert urgent.startswith("- Cần cải thiện gấp (dưới 80): 18 đơn vị: xã Thử Nghiệm Số 01, ")
    assert "xã Thử Nghiệm Số 05, xã U Minh, xã Thử Nghiệm Số 06" in urgent
    assert attention.startswith("- Cần chú ý (80-90): 21 đơn vị: xã Thử Nghiệm Số 18, xã Thử Nghiệm Số 19, xã Năm Căn")
    assert urgent.endswith("đơn vị khác") and attention.endswith("đơn vị khác")  # shortened; the counts stay whole
    assert lines[-1] == "- Cần chú ý (80-90): 2 đơn vị: Sở Xây dựng, Sở Y tế"  # an empty agency group is left out


def test_trend_draws_months_of_one_year(province):
    data = section.build_index_data(province, "H12", "2025-10")
    parts = section.trend(data, "vi")
    assert len(parts) == 2 and parts[1].format == "png"  # the re-basing note, then one chart (months)


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
    assert lines[1] == "Tổng điểm 89,91/100, không xếp hạng: tệp chỉ có một tỉnh." and not any(
        line.startswith("Tổng điểm 99") for line in lines
    )
    (urgent,) = [line for line in lines if "xã Giả" in line]
    assert urgent.startswith("- Cần cải thiện gấp (dưới 80): ")
    assert "xã Giả Tổng điểm 99,99/100, hạng 1/34. Hạng 1 Mất nhiều điểm nhất" in urgent
