"""The Monday message on the portal's real 2026 answers (An Giang, Gia Lai) and the 2025 export: split into numbered
parts under 2,000 characters with every commune exactly once, names as people write them, year and month in one
message, one file per snapshot with message.txt the latest."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from portal2026_frames import AN_GIANG, an_giang, gia_lai

from dvctt.service_index import message as chat
from dvctt.service_index import sections as section
from dvctt.service_index.report import write_messages
from dvctt.service_index.store import save_index


@pytest.fixture(scope="module")
def an_giang_data(tmp_path_factory: pytest.TempPathFactory) -> section.IndexData:
    folder = tmp_path_factory.mktemp("an-giang")
    frame, files = an_giang()
    save_index(folder, frame, files)
    return section.build_index_data(folder, "H01")


def _communes() -> dict[str, float]:
    """An Giang's 102 communes as the portal names them, with their totals."""
    rows = json.loads(AN_GIANG.read_text(encoding="utf-8"))["data"]["evaluation"]
    return {r["departmentName"]: r["totalScore"] for r in rows if r["childGroup"] == "COMMUNE"}


def test_an_giang_message_is_split_into_numbered_parts_with_every_commune_once(an_giang_data):
    parts = chat.build_parts(an_giang_data, "vi")
    assert len(parts) == 2 and all(len(p) <= chat.MAX_CHARS for p in parts)
    assert len("\n".join(chat.message_lines(an_giang_data, "vi"))) > chat.MAX_CHARS
    assert parts[0].startswith("(1/2) Chỉ số 766 - tỉnh An Giang\n")
    assert parts[0].splitlines()[1] == "- Lũy kế năm 2026 đến hết tháng 9: 60,35/100, hạng 24/34."
    assert parts[1].startswith("(2/2) Cần cải thiện gấp (dưới 80): 102 đơn vị (tiếp)\n- ")  # the band goes on
    items = [line for p in parts for line in p.splitlines() if line.startswith("- ")]
    communes = _communes()
    assert len(communes) == 102
    for name, total in communes.items():
        plain = chat.plain_name(name, "An Giang")
        expected = f"- {plain} {total:.2f}".replace(".", ",")
        assert items.count(expected) == 1, expected
    assert "- xã An Minh 69,51" in items and "- phường Long Phú 65,64" in items  # NFD in the answer, NFC here
    assert "- xã Vĩnh Hòa 67,52" in items  # "UBND Xã Vĩnh Hòa - tỉnh An Giang"
    assert sum(1 for line in parts[0].splitlines() + parts[1].splitlines() if re.search(r" \d+,\d\d$", line)) == (
        102 + 5
    )  # every commune and the 5 weakest agencies carry their score; nothing else ends in a score
    whole = chat.build_message(an_giang_data, "vi")
    assert "UBND" not in whole and "đơn vị khác" not in whole and not any(" - " in line[2:] for line in items)
    assert whole == unicodedata.normalize("NFC", whole)


def test_an_giang_components_weakest_agencies_and_bands(an_giang_data):
    lines = chat.message_lines(an_giang_data, "vi")
    at = lines.index("Thành phần (Lũy kế năm 2026 đến hết tháng 9):")
    assert lines[at + 1 : at + 7] == [
        "- Công khai, minh bạch 8,00/18 (44%)",
        "- Tiến độ, kết quả giải quyết 17,98/20 (90%)",
        "- Mức độ số hóa hồ sơ 8,97/22 (41%)",
        "- Cung cấp dịch vụ trực tuyến 8,88/12 (74%)",
        "- Thanh toán trực tuyến 6,33/10 (63%)",
        "- Mức độ hài lòng 10,19/18 (57%)",
    ]
    at = lines.index("Sở, ban, ngành (15 đơn vị): Cần cải thiện gấp 15 · Cần chú ý 0 · Đạt từ ngưỡng trên 0")
    assert lines[at + 1 : at + 7] == [
        "5 đơn vị thấp nhất:",
        "- Thanh tra tỉnh An Giang 16,00",  # its own name: "tỉnh" is part of it, not a suffix
        "- Sở Tài chính 43,72",
        "- Sở Nông nghiệp và Môi trường 47,17",
        "- Sở Giáo dục và Đào tạo 51,36",
        "- Ban Quản lý Khu kinh tế Phú Quốc 57,06",
    ]
    assert lines[-2:] == ["Cần chú ý (từ 80 đến dưới 90): 0 đơn vị", "Đạt từ ngưỡng trên (từ 90): 0 đơn vị"]
    assert lines[lines.index("Cần cải thiện gấp (dưới 80): 102 đơn vị") + 1] == "- đặc khu Phú Quốc 49,01"


def test_an_giang_message_in_english(an_giang_data):
    parts = chat.build_parts(an_giang_data, "en")
    lines = parts[0].splitlines()
    assert lines[:2] == ["(1/2) Service index - tỉnh An Giang", "- Year 2026 to the end of September: 60.35/100, "
                         "rank 24 of 34."]  # fmt: skip
    assert "- Transparency 8.00/18 (44%)" in lines and "Needs urgent improvement (under 80): 102" in lines
    assert parts[1].startswith("(2/2) Needs urgent improvement (under 80): 102 (continued)\n")
    assert all(len(p) <= chat.MAX_CHARS for p in parts)


@pytest.mark.parametrize(
    ("portal", "province", "plain"),
    [
        ("UBND xã An Minh - tỉnh An Giang", "An Giang", "xã An Minh"),
        ("UBND Xã Vĩnh Hòa - tỉnh An Giang", "", "xã Vĩnh Hòa"),
        ("UBND Đặc khu Phú Quốc - tỉnh An Giang", "An Giang", "đặc khu Phú Quốc"),
        ("UBND xã Ia Hrung - Gia Lai", "Gia Lai", "xã Ia Hrung"),
        ("UBND Xã Ia Hrung", "Gia Lai", "xã Ia Hrung"),
        ("Sở Y tế - tỉnh Gia Lai", "", "Sở Y tế"),
        ("Thanh tra tỉnh An Giang", "An Giang", "Thanh tra tỉnh An Giang"),
        (unicodedata.normalize("NFD", "UBND phường Long Phú - tỉnh An Giang"), "An Giang", "phường Long Phú"),
        ("UBND xã Tân\nHội\r - tỉnh An Giang", "An Giang", "xã Tân Hội"),
        ("UBND tỉnh Cà Mau", "", "tỉnh Cà Mau"),
    ],
)
def test_names_as_people_write_them(portal, province, plain):
    assert chat.plain_name(portal, province) == plain
    assert unicodedata.is_normalized("NFC", chat.plain_name(portal, province))


def test_year_and_month_in_one_message_when_the_folder_holds_both(tmp_path):
    frame, files = gia_lai()
    save_index(tmp_path, frame, files)
    year = chat.build_parts(section.build_index_data(tmp_path, "H21", "2026-ytd-09"), "vi")
    month = chat.build_parts(section.build_index_data(tmp_path, "H21", "2026-02"), "vi")
    for parts in (year, month):
        assert parts[0].splitlines()[1:3] == [
            "- Lũy kế năm 2026 đến hết tháng 9: 62,62/100, hạng 12/34.",
            "- Tháng 2/2026: 34,19/100, chưa xếp hạng (tệp không có đơn vị cùng cấp).",  # never "hạng 1/1"
        ]
        assert all(len(p) <= chat.MAX_CHARS for p in parts)
    assert len(year) == 2 and "Thành phần (Lũy kế năm 2026 đến hết tháng 9):" in year[0]
    assert "Thành phần" not in month[0]  # the month answer gives totals only: no shares invented
    items = [line for p in year for line in p.splitlines() if line.startswith("- x") or line.startswith("- p")]
    assert len(items) == 135 and len(set(items)) == 135  # Gia Lai's 135 communes, each once
    lines = [line for p in year + month for line in p.splitlines()]
    assert not any(" - " in line[2:] for line in lines if line.startswith("- ")) and not any("UBND" in x for x in lines)


def test_trend_over_the_last_three_months_and_by_quarter():
    """An Giang's 2026 monthly averages as its answer charts them (monthlyChart), and two quarters of 2025."""
    series = pd.DataFrame({
        "period": ["2026-06", "2026-07", "2026-08", "2026-09", "2025-q3", "2025-q4", "2025-12"],
        "period_kind": ["month"] * 4 + ["quarter", "quarter", "month"],
        "year": [2026] * 4 + [2025] * 3,
        "total": [59.77, 61.59, 59.82, 54.54, 86.1, 87.8, 88.0],
    })  # fmt: skip
    assert chat.trend_lines(series, 2026, "vi") == ["3 tháng gần nhất: T7 61,59 → T8 59,82 → T9 54,54"]
    assert chat.trend_lines(series, 2025, "en") == ["By quarter: Q3 86.10 → Q4 87.80"]  # one month: no trend


def test_a_long_line_is_wrapped_never_cut():
    lines = ["Head", "Band: 3", *(f"- xã Thử Nghiệm {i:03d} 70,00" for i in range(200)), "- " + "z" * 250]
    parts = chat.split_parts(lines, "vi", limit=200)
    assert all(len(p) <= 200 for p in parts)
    assert parts[0].startswith(f"(1/{len(parts)}) Head\n") and parts[1].startswith(f"(2/{len(parts)}) Band: 3 (tiếp)")
    joined = "\n".join(parts)
    assert all(joined.count(f"xã Thử Nghiệm {i:03d} 70,00") == 1 for i in range(200))
    assert joined.count("z") == 250  # the long line wrapped, every character kept


def test_the_camau_message_of_2025():
    lines = chat.message_lines(section.build_index_data("index-766", "Cà Mau"), "vi")
    assert lines[:3] == [
        "Chỉ số 766 - tỉnh Cà Mau",
        "- Lũy kế năm 2025 (tệp không ghi ngày chốt): 89,91/100, hạng 4/34.",
        "Thành phần (Lũy kế năm 2025 (tệp không ghi ngày chốt)):",
    ]
    assert "- Cung cấp dịch vụ trực tuyến 8,15/12 (68%)" in lines and len(lines) == 9  # no agency or commune


def _write(out: Path, period: str, as_of: str, lang: str = "vi") -> tuple[Path, Path | None]:
    return write_messages(out, period, as_of, lang, f"message {period} {as_of} {lang}")


def test_one_file_per_snapshot_and_message_txt_the_latest(tmp_path):
    path, latest = _write(tmp_path, "2026-ytd-09", "2026-09-17")
    assert path.name == "message_2026-ytd-09_2026-09-17.txt" and latest == tmp_path / "message.txt"
    path, latest = _write(tmp_path, "2026-02", "")  # the month run: its own file, the year's stays the latest
    assert path.name == "message_2026-02.txt" and latest is None
    assert (tmp_path / "message.txt").read_text(encoding="utf-8") == "message 2026-ytd-09 2026-09-17 vi\n"
    _, latest = _write(tmp_path, "2026-ytd-10", "2026-10-02")  # a later snapshot: the new latest
    _, again = _write(tmp_path, "2026-ytd-10", "2026-10-10")  # the same period a week later: kept apart
    assert latest == again == tmp_path / "message.txt"
    assert (tmp_path / "message.txt").read_text(encoding="utf-8") == "message 2026-ytd-10 2026-10-10 vi\n"
    path, latest = _write(tmp_path, "2026-ytd-10", "2026-10-10", "en")
    assert (path.name, latest.name) == ("message_2026-ytd-10_2026-10-10_en.txt", "message_en.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "message.txt", "message_2026-02.txt", "message_2026-ytd-09_2026-09-17.txt",
        "message_2026-ytd-10_2026-10-02.txt", "message_2026-ytd-10_2026-10-10.txt",
        "message_2026-ytd-10_2026-10-10_en.txt", "message_en.txt",
    ]  # fmt: skip
