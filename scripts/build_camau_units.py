"""Build the CSV tables of data/campaigns/camau-2023 from the transcriptions below.

Why a script: the appendix of plan 48/KH-UBND names 128 units but gives no codes. Codes of districts and
communes are looked up here, once, with :mod:`dvctt.ingest.admin_units` (strict matching, no guesses), and the
result is written as plain CSV so that reports never depend on name matching at run time.

Inputs are literal transcriptions of the seed documents (copied from the text, then checked cell by cell
against the seed by tests/campaign/test_data_camau.py). The output is deterministic: running the script twice gives
byte-identical files. It writes units.csv, observations.csv, targets.csv and reported_totals.csv;
campaign.toml, sources.csv and README.md are edited by hand.

Run: .venv/bin/python scripts/build_camau_units.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from dvctt.campaign.schemas import OBSERVATION_COLUMNS
from dvctt.errors import UnitResolutionError
from dvctt.ingest.admin_units import resolve_commune, resolve_district
from dvctt.paths import CAMPAIGNS_DIR

OUT_DIR: Path = CAMPAIGNS_DIR / "camau-2023"
PROVINCE_CODE = "96"
PLAN = "plan48"
ARTICLE = "kte-results"
PORTAL = "camau-portal-2023-03-02"
NO_FEE = "Không có TTHC yêu cầu thực hiện nghĩa vụ tài chính"
KPIS = ("online", "digitized", "online_payment")


def _rate(printed: str) -> float:
    """'19,08%' -> 19.08: the appendix mixes decimal commas and dots."""
    return float(printed.strip().removesuffix("%").replace(",", "."))


def _with_quote(quote: str, note: str) -> str:
    """Notes start with the exact source words, so tests can find them in the seed text."""
    parts = [f'quote: "{quote}"'] if quote else []
    if note:
        parts.append(note)
    return " | ".join(parts)


def _appendix_total(level: str, heading: str, kpi: str, printed: str, narrative: str) -> tuple:
    value = _rate(printed)
    narrative_value = _rate(narrative)
    if abs(value - narrative_value) < 1e-9:
        note = f"Appendix 'Tổng' row; agrees with the section II figure {narrative}."
    else:
        note = (
            f"Appendix 'Tổng' row; differs from the section II figure {narrative} by "
            f"{value - narrative_value:+.2f} points. The plan does not say how either was computed."
        )
    return (
        level,
        "",
        "2022",
        kpi,
        "rate",
        None,
        None,
        value,
        printed,
        False,
        PLAN,
        f"Phụ lục, {heading}, dòng Tổng",
        "",
        note,
    )


# Data below is laid out by hand, one source row per line; keep the formatter away from it.
# fmt: off
# --- Plan 48/KH-UBND, appendix (seed 003): STT, unit as printed, online, digitized, online payment, note ---
PROVINCE_ROWS: list[tuple[int, str, str, str, str, str]] = [
    (1, "Sở Thông tin và Truyền thông", "66.7%", "83.3%", "19,08%", ""),
    (2, "Sở Giáo dục và Đào tạo", "61%", "64.3%", "", NO_FEE),
    (3, "Sở Nội vụ", "49.3%", "63.3%", "0%", ""),
    (4, "Sở Tư pháp", "95.6%", "54.9%", "0%", ""),
    (5, "Sở Xây dựng", "73.4%", "57.2%", "0%", ""),
    (6, "Sở Khoa học và Công nghệ", "89.2%", "61.4%", "0%", ""),
    (7, "Sở Y tế", "49.4%", "43.3%", "0%", ""),
    (8, "Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)", "80%", "93.1%", "", NO_FEE),
    (9, "Sở Kế hoạch và Đầu tư", "47.3%", "42.8%", "0%", ""),
    (10, "Sở Tài chính", "55.8%", "50.7%", "", NO_FEE),
    (11, "Sở Công Thương", "95.5%", "65.3%", "0%", ""),
    (12, "Sở Nông nghiệp và Phát triển nông thôn", "29.1%", "63.5%", "0%", ""),
    (13, "Sở Giao thông vận tải", "77.4%", "32%", "14.35%", ""),
    (14, "Sở Tài nguyên và Môi trường", "49.8%", "61.4%", "5%", ""),
    (15, "Sở Văn hóa, Thể thao và Du lịch", "78%", "65.7%", "0%", ""),
    (16, "Sở Lao động - Thương binh và Xã hội", "19.3%", "32.2%", "0%", ""),
    (17, "Ban Quản lý khu kinh tế", "29.1%", "43.8%", "", NO_FEE),
    (18, "Ban Dân tộc", "100%", "100%", "", NO_FEE),
]
DISTRICT_ROWS: list[tuple[int, str, str, str, str, str]] = [
    (1, "UBND thành phố Cà Mau", "32.10%", "36.52%", "7.11%", ""),
    (2, "UBND huyện Ngọc Hiển", "31.20%", "38.34%", "0%", ""),
    (3, "UBND huyện U Minh", "30.80%", "49.01%", "1.12%", ""),
    (4, "UBND huyện Đầm Dơi", "29.19%", "49.35%", "0%", ""),
    (5, "UBND huyện Phú Tân", "29.12%", "36.45%", "0%", ""),
    (6, "UBND huyện Thới Bình", "30.50%", "34.14%", "0%", ""),
    (7, "UBND huyện Cái Nước", "34.50%", "42.46%", "0%", ""),
    (8, "UBND huyện Năm Căn", "23%", "46.34%", "0%", ""),
    (9, "UBND huyện Trần Văn Thời", "32.10%", "37.51%", "0.53%", ""),
]
COMMUNE_ROWS: list[tuple[int, str, str, str, str, str]] = [
    (1, "UBND xã Hòa Thành", "75%", "23.28%", "0%", ""),
    (2, "UBND xã Lý Văn Lâm", "60%", "22.31%", "0%", ""),
    (3, "UBND xã Định Bình", "75%", "21.42%", "0%", ""),
    (4, "UBND xã Hòa Tân", "60.05%", "23.66%", "0%", ""),
    (5, "UBND xã Tắc Vân", "55.57%", "22.81%", "0%", ""),
    (6, "UBND xã An Xuyên", "81.60%", "23.96%", "0%", ""),
    (7, "UBND phường Tân Thành", "72.50%", "23.63%", "0%", ""),
    (8, "UBND phường Tân Xuyên", "92.56%", "22.09%", "0%", ""),
    (9, "UBND phường 1", "85%", "23.23%", "0%", ""),
    (10, "UBND phường 2", "81%", "44.71%", "0%", ""),
    (11, "UBND phường 4", "89%", "30.06%", "0%", ""),
    (12, "UBND phường 5", "49.51%", "30.53%", "0%", ""),
    (13, "UBND phường 6", "69.25%", "28.34%", "0%", ""),
    (14, "UBND phường 7", "69.85%", "32.64%", "0%", ""),
    (15, "UBND phường 8", "89%", "27.65%", "0%", ""),
    (16, "UBND phường 9", "96.05%", "28.41%", "0%", ""),
    (17, "UBND xã Tân Thành", "65%", "30.92%", "0%", ""),
    (18, "UBND xã Viên An Đông", "79%", "19.53%", "0%", ""),
    (19, "UBND xã Đất Mũi", "79.25%", "21.21%", "0%", ""),
    (20, "UBND xã Tân Ân", "65.29%", "23.74%", "0%", ""),
    (21, "UBND xã Tam Giang Tây", "68.65%", "20.41%", "0%", ""),
    (22, "UBND xã Tân Ân Tây", "94.32%", "20.96%", "0%", ""),
    (23, "UBND xã Viên An", "12.31%", "23.60%", "0%", ""),
    (24, "UBND thị trấn Rạch Gốc", "59.26%", "20.64%", "0%", ""),
    (25, "UBND xã Khánh Thuận", "50.06%", "22.23%", "0%", ""),
    (26, "UBND xã Khánh Hòa", "49.25%", "28.01%", "0%", ""),
    (27, "UBND xã Khánh Tiến", "29.55%", "21.84%", "0%", ""),
    (28, "UBND xã Khánh Hội", "69.25%", "25.52%", "0%", ""),
    (29, "UBND xã Nguyễn Phích", "59.25%", "35.14%", "0%", ""),
    (30, "UBND xã Khánh Lâm", "38.25%", "26.53%", "0%", ""),
    (31, "UBND thị trấn U Minh", "38.52%", "26.41%", "0%", ""),
    (32, "UBND xã Khánh An", "37.56%", "32.74%", "0%", ""),
    (33, "UBND thị trấn Đầm Dơi", "38.12%", "27.08%", "0%", ""),
    (34, "UBND xã Tân Thuận", "4.30%", "22.61%", "0%", ""),
    (35, "UBND xã Tân Đức", "91.24%", "22.01%", "0%", ""),
    (36, "UBND xã Trần Phán", "49.52%", "30.45%", "0%", ""),
    (37, "UBND xã Tạ An Khương", "49.51%", "21.94%", "0%", ""),
    (38, "UBND xã Tạ An Khương Nam", "49%", "22.28%", "0%", ""),
    (39, "UBND xã Tạ An Khương Đông", "0%", "28.23%", "0%", ""),
    (40, "UBND xã Tân Duyệt", "58.25%", "24.37%", "0%", ""),
    (41, "UBND xã Quách Phẩm", "59.16%", "22.55%", "0%", ""),
    (42, "UBND xã Quách Phẩm Bắc", "59.14%", "22.11%", "0%", ""),
    (43, "UBND xã Tân Tiến", "49.12%", "27.05%", "0%", ""),
    (44, "UBND xã Thanh Tùng", "48.95%", "23.22%", "0%", ""),
    (45, "UBND xã Ngọc Chánh", "49.56%", "38.24%", "0%", ""),
    (46, "UBND xã Tân Trung", "49.51%", "25.54%", "0%", ""),
    (47, "UBND xã Nguyễn Huân", "4.79%", "26.70%", "0%", ""),
    (48, "UBND xã Tân Dân", "49.12%", "27.16%", "0%", ""),
    (49, "UBND thị trấn Cái Đôi Vàm", "78.50%", "22.13%", "0%", ""),
    (50, "UBND xã Phú Mỹ", "31.25%", "21.40%", "0%", ""),
    (51, "UBND xã Phú Tân", "58.95%", "23.58%", "0%", ""),
    (52, "UBND xã Tân Hải", "58.12%", "21.48%", "0%", ""),
    (53, "UBND xã Việt Thắng", "86.21%", "21.27%", "0%", ""),
    (54, "UBND xã Tân Hưng Tây", "68.55%", "25.21%", "0%", ""),
    (55, "UBND xã Nguyễn Việt Khái", "71.11%", "23.47%", "0%", ""),
    (56, "UBND xã Phú Thuận", "49.52%", "20.78%", "0%", ""),
    (57, "UBND xã Rạch Chèo", "76.50%", "27.80%", "0%", ""),
    (58, "UBND thị trấn Thới Bình", "76.19%", "21.32%", "0%", ""),
    (59, "UBND xã Biển Bạch", "82.14%", "28.19%", "0%", ""),
    (60, "UBND xã Biển Bạch Đông", "38.25%", "24.79%", "0%", ""),
    (61, "UBND xã Tân Bằng", "38.10%", "21.50%", "0%", ""),
    (62, "UBND xã Trí Phải", "42.13%", "30.82%", "0%", ""),
    (63, "UBND xã Trí Lực", "52.79%", "23.20%", "0%", ""),
    (64, "UBND xã Tân Phú", "35.23%", "22.40%", "0%", ""),
    (65, "UBND xã Thới Bình", "32.16%", "35.74%", "0%", ""),
    (66, "UBND xã Tân Lộc", "39.15%", "24.52%", "0%", ""),
    (67, "UBND xã Tân Lộc Bắc", "38.59%", "25.19%", "0%", ""),
    (68, "UBND xã Tân Lộc Đông", "39.45%", "24.14%", "0%", ""),
    (69, "UBND xã Hồ Thị Kỷ", "42.16%", "32.64%", "0%", ""),
    (70, "UBND thị trấn Cái Nước", "59.24%", "21.86%", "0%", ""),
    (71, "UBND xã Thạnh Phú", "91.85%", "26.50%", "0%", ""),
    (72, "UBND xã Lương Thế Trân", "96.50%", "36.72%", "0%", ""),
    (73, "UBND xã Phú Hung", "62.25%", "22.66%", "0%", ""),
    (74, "UBND xã Tân Hưng", "65.29%", "25.82%", "0%", ""),
    (75, "UBND xã Hưng Mỹ", "69.24%", "24.06%", "0%", ""),
    (76, "UBND xã Tân Hưng Đông", "62.54%", "26.15%", "0%", ""),
    (77, "UBND xã Trần Thới", "70.77%", "27.45%", "0%", ""),
    (78, "UBND xã Đông Thới", "83.02%", "21.89%", "0%", ""),
    (79, "UBND xã Hòa Mỹ", "65.99%", "25.36%", "0%", ""),
    (80, "UBND xã Đông Hưng", "69.54%", "27.30%", "0%", ""),
    (81, "UBND thị trấn Năm Căn", "68.25%", "21.38%", "0%", ""),
    (82, "UBND xã Hàm Rồng", "49.15%", "20.26%", "0%", ""),
    (83, "UBND xã Đất Mới", "68.24%", "22.98%", "0%", ""),
    (84, "UBND xã Hàng Vịnh", "55.31%", "21.84%", "0%", ""),
    (85, "UBND xã Hiệp Tùng", "22.16%", "29.91%", "0%", ""),
    (86, "UBND xã Tam Giang", "42.29%", "32.78%", "0%", ""),
    (87, "UBND xã Tam Giang Đông", "46.10%", "35.02%", "0%", ""),
    (88, "UBND xã Lâm Hải", "15.89%", "29.36%", "0%", ""),
    (89, "UBND thị trấn Trần Văn Thời", "49.55%", "33.85%", "0%", ""),
    (90, "UBND thị trấn Sông Đốc", "19.66%", "26.92%", "0%", ""),
    (91, "UBND xã Phong Lạc", "26.98%", "32.12%", "0%", ""),
    (92, "UBND xã Phong Điền", "0%", "23.22%", "0%", ""),
    (93, "UBND xã Lợi An", "39.54%", "29.54%", "0%", ""),
    (94, "UBND xã Khánh Lộc", "39.55%", "21.41%", "0%", ""),
    (95, "UBND xã Khánh Hải", "54.26%", "38.01%", "0%", ""),
    (96, "UBND xã Khánh Hưng", "49.25%", "37.11%", "0%", ""),
    (97, "UBND xã Trần Hợi", "49.68%", "32.59%", "0%", ""),
    (98, "UBND xã Khánh Bình", "49.68%", "34.55%", "0%", ""),
    (99, "UBND xã Khánh Bình Tây Bắc", "48.69%", "32.05%", "0%", ""),
    (100, "UBND xã Khánh Bình Tây", "49.25%", "28.42%", "0%", ""),
    (101, "UBND xã Khánh Bình Đông", "48.96%", "24.45%", "0%", ""),
]
# The appendix lists communes district by district without saying so; the blocks follow the district order
# of section II (shared/facts.md: TP Cà Mau 1-17, Ngọc Hiển 18-24, ..., Trần Văn Thời 89-101).
COMMUNE_BLOCKS: list[tuple[int, int, int]] = [  # (district appendix STT, first commune STT, last commune STT)
    (1, 1, 17),
    (2, 18, 24),
    (3, 25, 32),
    (4, 33, 48),
    (5, 49, 57),
    (6, 58, 69),
    (7, 70, 80),
    (8, 81, 88),
    (9, 89, 101),
]
# Units the official list cannot give a code for. Checked: the resolver must refuse them.
UNRESOLVED: dict[tuple[str, str], tuple[str, str, str]] = {
    ("964", "UBND phường 4"): (
        "964.P4",
        "Phường 4",
        "Phường 4 (TP Cà Mau) existed in 2022-2023 but is not in the vietnamadminunits legacy table: the "
        "package lists 'phuong4' only as an alias of Phường 2 (32002), the ward it was merged into later, "
        "and its parser silently maps 'Phường 4' to 32002. Phường 2 is a separate row of the appendix (STT "
        "10), so that mapping is refused; no source of the project gives Phường 4's own GSO code, hence a "
        "project code.",
    ),
}
UNIT_NOTES: dict[str, str] = {
    "UBND phường Tân Thành": "A xã Tân Thành also exists in TP Cà Mau (STT 17); resolved by the printed "
    "type.",
    "UBND xã Tân Thành": "A phường Tân Thành also exists in TP Cà Mau (STT 7); resolved by the printed type.",
    "UBND thị trấn Thới Bình": "A xã Thới Bình also exists in huyện Thới Bình (STT 65); resolved by the "
    "printed type.",
    "UBND xã Thới Bình": "A thị trấn Thới Bình also exists in huyện Thới Bình (STT 58); resolved by the "
    "printed type.",
    "UBND thị trấn Năm Căn": "official_name kept as spelled in the code list ('Thị Trấn', capital T).",
    "Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)": "Only the foreign-affairs field (Lĩnh vực Ngoại vụ) of the "
    "Provincial People's Committee Office is listed; the results article calls it 'Văn phòng UBND tỉnh'.",
}

# --- Results article (seed 002), campaign period: (level, unit as printed in the appendix, kpi, printed,
# section, exact quote from the article, extra note) ---
S_ONLINE = "para. 'Theo đó, đa số các đơn vị thực hiện đạt…'"
S_DIGITIZED = "para. 'Bên cạnh đó, tỷ lệ số hóa hồ sơ…'"
S_KHANH_THUAN = "para. 'Nhờ vậy, xã Khánh Thuận thực hiện các chỉ tiêu…'"
S_LEVELS = "para. 'Văn phòng UBND tỉnh Cà Mau cho biết…'"
S_CLOSING = "para. 'Ông Lê Văn Ngời, Chánh Văn phòng UBND tỉnh Cà Mau cho biết…'"
S_ON_PROV_HIGH = f"{S_ONLINE}, cấp tỉnh list (tỷ lệ cao)"
S_ON_PROV_LOW = f"{S_ONLINE}, cấp tỉnh list (tỷ lệ thấp)"
S_ON_DIST = f"{S_ONLINE}, cấp huyện list"
S_ON_COMM = f"{S_ONLINE}, cấp xã list"
S_DIG_PROV = f"{S_DIGITIZED}, cấp tỉnh list"
S_DIG_DIST = f"{S_DIGITIZED}, cấp huyện list"
S_LEAD = "lead para. 'Kinhtedothi – Với 93% thủ tục hành chính…'"
VP_NOTE = (
    "The article's 'Văn phòng UBND tỉnh' is the appendix unit 'Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)' "
    "(cấp tỉnh STT 8), the only Văn phòng UBND tỉnh row."
)
CAMPAIGN_ROWS: list[tuple[str, str, str, str, str, str, str]] = [
    ("province", "Sở Thông tin và Truyền thông", "online", "100%", S_ON_PROV_HIGH,
     "Sở Thông tin và Truyền thông (100%)", ""),
    ("province", "Sở Khoa học và Công nghệ", "online", "100%", S_ON_PROV_HIGH,
     "Sở Khoa học và Công nghệ (100%)", ""),
    ("province", "Sở Văn hóa, Thể thao và Du lịch", "online", "100%", S_ON_PROV_HIGH,
     "Sở Văn hóa, Thể thao và Du lịch (100%)", ""),
    ("province", "Sở Giáo dục và Đào tạo", "online", "100%", S_ON_PROV_HIGH,
     "Sở Giáo dục và Đào tạo (100%)", ""),
    ("province", "Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)", "online", "100%",
     S_ON_PROV_HIGH, "Văn phòng UBND tỉnh (100%)", VP_NOTE),
    ("province", "Sở Công Thương", "online", "99,88%", S_ON_PROV_HIGH,
     "Sở Công Thương (99,88%)", ""),
    ("province", "Sở Y tế", "online", "98,83%", S_ON_PROV_HIGH, "Sở Y tế (98,83%)", ""),
    ("province", "Sở Nông nghiệp và Phát triển nông thôn", "online", "97,20%",
     S_ON_PROV_HIGH, "Sở Nông nghiệp và Phát triển nông thôn (97,20%)", ""),
    ("province", "Sở Tư pháp", "online", "68,73%", S_ON_PROV_LOW,
     "Sở Tư pháp (68,73%/80%)", "Printed with the campaign target after the slash."),
    ("province", "Ban Quản lý khu kinh tế", "online", "40%", S_ON_PROV_LOW,
     "Ban Quản lý khu kinh tế (40%/80%)", "Printed with the campaign target after the slash."),
    ("district", "UBND huyện Đầm Dơi", "online", "96,83%", S_ON_DIST, "Đầm Dơi (96,83%)", ""),
    ("district", "UBND huyện Năm Căn", "online", "94,69%", S_ON_DIST, "Năm Căn (94,69%)", ""),
    ("district", "UBND huyện Phú Tân", "online", "91,77%", S_ON_DIST, "Phú Tân (91,77%)",
     "In the cấp huyện list, so huyện Phú Tân, not xã Phú Tân."),
    ("district", "UBND huyện Cái Nước", "online", "91,48%", S_ON_DIST,
     "Cái Nước (91,48%)", ""),
    ("commune", "UBND xã Hòa Mỹ", "online", "100%", S_ON_COMM, "xã Hòa Mỹ (100%)", ""),
    ("commune", "UBND xã Tân Ân Tây", "online", "100%", S_ON_COMM, "xã Tân Ân Tây (100%)", ""),
    ("commune", "UBND phường 2", "online", "100%", S_ON_COMM, "phường 2 (100%)",
     "Phường 2 (appendix STT 10), not Phường 4."),
    ("commune", "UBND phường Tân Xuyên", "online", "100%", S_ON_COMM,
     "phường Tân Xuyên (100%)", ""),
    ("commune", "UBND phường 9", "online", "100%", S_ON_COMM, "phường 9 (100%)", ""),
    ("commune", "UBND xã Hưng Mỹ", "online", "99,49%", S_ON_COMM, "xã Hưng Mỹ (99,49%)", ""),
    ("commune", "UBND xã Tân Hưng", "online", "99,32%", S_ON_COMM, "xã Tân Hưng (99,32%)",
     "Xã Tân Hưng of huyện Cái Nước (appendix STT 74), the only commune named exactly Tân Hưng."),
    ("commune", "UBND xã Thới Bình", "online", "99,56%", S_ON_COMM, "xã Thới Bình (99,56%)",
     "Printed 'xã', so the xã (appendix STT 65), not the thị trấn Thới Bình (STT 58)."),
    ("commune", "UBND phường 8", "online", "99,52%", S_ON_COMM, "phường 8 (99,52%)", ""),
    ("province", "Sở Thông tin và Truyền thông", "digitized", "100%", S_DIG_PROV,
     "Sở Thông tin và Truyền thông (100%)", ""),
    ("province", "Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)", "digitized", "100%", S_DIG_PROV,
     "Văn phòng UBND tỉnh (100%)", VP_NOTE),
    ("province", "Sở Y tế", "digitized", "98,67%", S_DIG_PROV, "Sở Y tế (98,67%)", ""),
    ("province", "Sở Giao thông vận tải", "digitized", "96,97%", S_DIG_PROV,
     "Sở Giao thông vận tải (96,97%)", ""),
    ("district", "UBND huyện Cái Nước", "digitized", "81,11%", S_DIG_DIST,
     "Cái Nước (81,11%)", ""),
    ("district", "UBND thành phố Cà Mau", "digitized", "81,73%", S_DIG_DIST,
     "TP Cà Mau (81,73%)", ""),
    ("commune", "UBND xã Khánh Thuận", "online", "80%", S_KHANH_THUAN,
     "tỷ lệ nộp hồ sơ trực tuyến đạt 80%",
     "U Minh's best commune; 'vượt 20%' is in reported_totals (gap_pp)."),
    ("commune", "UBND xã Khánh Thuận", "digitized", "70%", S_KHANH_THUAN, "tỷ lệ số hoá hồ sơ đạt 70%",
     "'vượt 5%' is in reported_totals (gap_pp)."),
    ("commune", "UBND xã Khánh Thuận", "online_payment", "89%", S_KHANH_THUAN,
     "tỷ lệ thanh toán trực tuyến đạt 89%", "'vượt 59% chỉ tiêu kế hoạch' is in reported_totals (gap_pp)."),
]

# --- targets.csv: (target_set, level, kpi, target, source_id, section, quote, note) ---
LEVELS = ("province", "district", "commune")
TARGET_ROWS: list[tuple[str, str, str, float, str, str, str, str]] = [
    *[
        ("campaign", lvl, "online", t, PLAN, "III.1.a",
         "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến cấp tỉnh đạt 80%; cấp huyện đạt 70%; cấp xã "
         "đạt 60%", "Repeated by camau-portal-2023-03-02.")
        for lvl, t in zip(LEVELS, (80, 70, 60), strict=True)
    ],
    *[
        ("campaign", lvl, "digitized", t, PLAN, "III.1.b",
         "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính cấp tỉnh đạt 80%; cấp huyện đạt 70%; "
         "cấp xã đạt 65%", "Repeated by camau-portal-2023-03-02.")
        for lvl, t in zip(LEVELS, (80, 70, 65), strict=True)
    ],
    *[
        ("campaign", lvl, "online_payment", t, PLAN, "III.1.c",
         "Tỷ lệ thanh toán trực tuyến cấp tỉnh đạt 40%; cấp huyện đạt 35%; cấp xã đạt 30%",
         "Repeated by camau-portal-2023-03-02.")
        for lvl, t in zip(LEVELS, (40, 35, 30), strict=True)
    ],
    *[
        ("annual-2023", lvl, "online", 30, PLAN, "footnote 2 (to III.1.a)",
         "tỷ lệ hồ sơ giải quyết trực tuyến đạt từ 30% trở lên",
         "Provincial 2023 administrative-reform plan; one figure for all levels; excludes dossiers of "
         "vertical agencies based in the province (không bao gồm hồ sơ của các cơ quan ngành dọc).")
        for lvl in LEVELS
    ],
    *[
        ("annual-2023", lvl, "digitized", t, PLAN, "footnote 3 (to III.1.b)",
         "tỷ lệ số hóa kết quả giải quyết thủ tục hành chính của cấp tỉnh, cấp huyện, cấp xã tương ứng là "
         "70%, 60%, 55%",
         "Provincial 2023 administrative-reform plan; about digitising results only (số hóa kết quả), "
         "whereas the campaign KPI covers dossiers and results.")
        for lvl, t in zip(LEVELS, (70, 60, 55), strict=True)
    ],
    *[
        ("annual-2023", lvl, "online_payment", 30, PLAN, "footnote 4 (to III.1.c); II.3",
         "tỷ lệ giao dịch thanh toán trực tuyến phấn đấu đạt từ 30% trở lên",
         "Provincial 2023 administrative-reform plan; one figure for all levels ('phấn đấu', an aim); II.3 "
         "also says 'trong năm 2023, chỉ tiêu này là 30%'.")
        for lvl in LEVELS
    ],
    *[
        ("annual-2022", lvl, "online", 20, PLAN, "II.1, footnote 1",
         "chỉ tiêu mà Ủy ban nhân dân tỉnh giao 20% trở lên",
         "Set by Quyết định 2942/QĐ-UBND ngày 23/12/2021 (footnote 1); the plan gives one figure, applied to "
         "all levels.")
        for lvl in LEVELS
    ],
    ("annual-2022", "province", "digitized", 50, PLAN, "II.2", "cấp tỉnh 50%", ""),
    ("annual-2022", "district", "digitized", 40, PLAN, "II.2", "cấp huyện 40%", ""),
    ("annual-2022", "commune", "digitized", 35, PLAN, "II.2", "cấp xã vẫn chưa đạt chỉ tiêu giao 35%", ""),
    *[
        ("annual-2022", lvl, "online_payment", 10, PLAN, "II.3",
         "chỉ tiêu 10% mà Ủy ban nhân dân tỉnh giao cho các đơn vị, địa phương trong năm 2022",
         "One figure for all units and localities.")
        for lvl in LEVELS
    ],
]


# --- reported_totals.csv: (level, unit appendix name or "", period, kpi, measure, numerator, denominator,
# value, printed, headline, source_id, section, quote, note) ---
S_II1 = "II.1"
P23 = "2023-campaign"
Y23 = "2023"
FACTS = "baophapluat-2023"
S_FACTS = "facts.md, 'Later public results for Cà Mau'"
KHANH_THUAN = "UBND xã Khánh Thuận"
REPORTED_ROWS: list[tuple] = [
    ("all", "", "2022", "online", "rate", 42839, 82015, 52.23, "52,23%", True, PLAN, S_II1,
     "có 42.839/82.015 hồ sơ nộp trực tuyến, đạt 52,23%", "Counts printed as 42.839/82.015."),
    ("all", "", "2022", "online", "rate", 42839, 82015, 52.23, "52,23%", False, PORTAL, "para. 2",
     "Trong năm 2022, có 42.839/82.015 hồ sơ nộp trực tuyến, đạt 52,23%", "Repeats plan 48, II.1."),
    ("province", "", "2022", "online", "rate", 24965, 39219, 63.65, "63,65%", True, PLAN, S_II1,
     "Cấp tỉnh có 24.965/39.219, đạt 63,65%", "Counts printed as 24.965/39.219."),
    ("district", "", "2022", "online", "rate", 7113, 23487, 30.28, "30,28%", True, PLAN, S_II1,
     "cấp huyện có 7.113/23.487 đạt 30,28%", "Counts printed as 7.113/23.487."),
    ("commune", "", "2022", "online", "rate", 10761, 19309, 55.73, "55,73%", True, PLAN, S_II1,
     "cấp xã có 10.761/19.309 đạt 55,73%", "Counts printed as 10.761/19.309."),
    ("province", "", "2022", "digitized", "rate", None, None, 51.72, "51,72%", True, PLAN, "II.2",
     "cấp tỉnh đạt 51,72%", ""),
    ("district", "", "2022", "digitized", "rate", None, None, 40.01, "40,01%", True, PLAN, "II.2",
     "cấp huyện đạt 40,01%", ""),
    ("commune", "", "2022", "digitized", "rate", None, None, 25.89, "25,89%", True, PLAN, "II.2",
     "cấp xã đạt 25,89%", ""),
    ("province", "", "2022", "online_payment", "rate", None, None, 1.08, "1,08%", True, PLAN, "II.3",
     "cấp tỉnh đạt 1,08%", ""),
    ("district", "", "2022", "online_payment", "rate", None, None, 0.97, "0,97%", True, PLAN, "II.3",
     "cấp huyện đạt 0,97%", ""),
    ("commune", "", "2022", "online_payment", "rate", None, None, 0.0, "0%", True, PLAN, "II.3",
     "cấp xã đạt 0%", ""),
    _appendix_total("province", "I. CẤP TỈNH", "online", "63.65%", "63,65%"),
    _appendix_total("province", "I. CẤP TỈNH", "digitized", "59.90%", "51,72%"),
    _appendix_total("province", "I. CẤP TỈNH", "online_payment", "1.08%", "1,08%"),
    _appendix_total("district", "II. CẤP HUYỆN", "online", "30.28%", "30,28%"),
    _appendix_total("district", "II. CẤP HUYỆN", "digitized", "41.12%", "40,01%"),
    _appendix_total("district", "II. CẤP HUYỆN", "online_payment", "0.97%", "0,97%"),
    _appendix_total("commune", "III. CẤP XÃ", "online", "55.73%", "55,73%"),
    _appendix_total("commune", "III. CẤP XÃ", "digitized", "26.29%", "25,89%"),
    _appendix_total("commune", "III. CẤP XÃ", "online_payment", "0%", "0%"),
    # Campaign results (article, seed 002).
    ("province", "", P23, "online", "rate", None, None, 92.79, "92,79%", True, ARTICLE, S_LEVELS,
     "Cấp tỉnh đạt 92,79%/80%", "Printed with the campaign target after the slash."),
    ("district", "", P23, "online", "rate", None, None, 90.61, "90,61%", True, ARTICLE, S_LEVELS,
     "cấp huyện đạt 90,61%/70%", "Printed with the campaign target after the slash."),
    ("commune", "", P23, "online", "rate", None, None, 86.66, "86,66%", True, ARTICLE, S_LEVELS,
     "cấp xã đạt 86,66%/60%", "Printed with the campaign target after the slash."),
    ("province", "", P23, "online", "rate", None, None, 92.79, "92,79%", False, ARTICLE, S_CLOSING,
     "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến cấp tỉnh (đạt 92,79%)",
     "Repeats the figure of para. 'Văn phòng UBND tỉnh Cà Mau cho biết…'."),
    ("province", "", P23, "digitized", "rate", None, None, 92.28, "92,28%", True, ARTICLE,
     S_DIGITIZED, "tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính ở cấp tỉnh đạt 92,28%", ""),
    ("province", "", P23, "digitized", "rate", None, None, 92.28, "92,28%", False, ARTICLE,
     S_CLOSING, "tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính cấp tỉnh (đạt 92,28%)",
     "Repeats the figure of para. 'Bên cạnh đó…'."),
    ("district", "", P23, "digitized", "rate", None, None, 74.0, "74%", True, ARTICLE, S_DIGITIZED,
     "Ở cấp huyện đạt 74%", ""),
    ("commune", "", P23, "online_payment", "rate", None, None, 90.14, "90,14%", True, ARTICLE,
     S_CLOSING, "tỷ lệ thanh toán trực tuyến cấp xã (đạt 90,14%)",
     "The only online-payment level figure of the article."),
    ("commune", "", P23, "online", "units_met", None, None, 100.0, "100/101", True, ARTICLE,
     f"{S_ONLINE}, cấp xã", "Có 100/101 đơn vị thực hiện đạt, vượt mục tiêu đề ra",
     "Communes at or above the campaign online target (60%)."),
    ("commune", "", P23, "online", "units_total", None, None, 101.0, "100/101", True, ARTICLE,
     f"{S_ONLINE}, cấp xã", "Có 100/101 đơn vị thực hiện đạt, vượt mục tiêu đề ra",
     "Matches the 101 commune-level units of the appendix."),
    ("district", "", P23, "online", "units_met", None, None, 9.0,
     "tất cả các đơn vị thực hiện đạt, vượt mục tiêu đề ra", True, ARTICLE, f"{S_ONLINE}, cấp huyện",
     "tất cả các đơn vị thực hiện đạt, vượt mục tiêu đề ra",
     "The article says 'all units'; 9 is the number of district-level units in the appendix "
     "(II. CẤP HUYỆN)."),
    ("district", "", P23, "online", "units_total", None, None, 9.0,
     "tất cả các đơn vị thực hiện đạt, vượt mục tiêu đề ra", True, ARTICLE, f"{S_ONLINE}, cấp huyện",
     "tất cả các đơn vị thực hiện đạt, vượt mục tiêu đề ra",
     "Not printed as a number: 9 district-level units in the appendix (II. CẤP HUYỆN)."),
    ("commune", KHANH_THUAN, P23, "online", "gap_pp", None, None, 20.0, "vượt 20%", False,
     ARTICLE, S_KHANH_THUAN, "tỷ lệ nộp hồ sơ trực tuyến đạt 80%, vượt 20%",
     "Points above the campaign commune target: 80 - 60 = 20 (the article writes '%')."),
    ("commune", KHANH_THUAN, P23, "digitized", "gap_pp", None, None, 5.0, "vượt 5%", False,
     ARTICLE, S_KHANH_THUAN, "tỷ lệ số hoá hồ sơ đạt 70%, vượt 5%",
     "Points above the campaign commune target: 70 - 65 = 5 (the article writes '%')."),
    ("commune", KHANH_THUAN, P23, "online_payment", "gap_pp", None, None, 59.0, "vượt 59%",
     False, ARTICLE, S_KHANH_THUAN, "tỷ lệ thanh toán trực tuyến đạt 89%, vượt 59% chỉ tiêu kế hoạch",
     "Points above the campaign commune target: 89 - 30 = 59 (the article writes '%')."),
    ("all", "", Y23, "online", "rate", None, None, 97.3, "97.3%", True, FACTS, S_FACTS,
     "online dossiers 97.3%", "Full year 2023, whole province, after the campaign."),
    ("all", "", Y23, "digitized", "rate", None, None, 97.29, "97.29%", True, FACTS, S_FACTS,
     "digitisation 97.29%", "Full year 2023, whole province, after the campaign."),
    ("all", "", Y23, "online_payment", "rate", None, None, 62.58, "62.58%", True, FACTS, S_FACTS,
     "online payment 62.58%", "Full year 2023, whole province, after the campaign."),
    ("all", "", P23, "online", "rate", None, None, 93.0, "93%", False, ARTICLE, S_LEAD,
     "Với 93% thủ tục hành chính giải quyết trực tuyến, hồ sơ đã số hóa",
     "Headline figure; the article does not say which KPI or level it is (it names online resolution and "
     "digitised dossiers together); kpi 'online' is a placeholder. A photo caption repeats it ('các chỉ số "
     "thủ tục hành chính trực tuyến của tỉnh này đã đạt mức 93%'). Not used as a level figure."),
]
# fmt: on


def build_units() -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    for stt, name, *_rest in PROVINCE_ROWS:
        rows.append(
            {
                "unit_code": f"{PROVINCE_CODE}.A{stt:02d}",
                "level": "province",
                "parent_code": PROVINCE_CODE,
                "official_name": name,
                "published_name": name,
                "code_source": "project",
                "appendix_row": stt,
                "source_section": f"Phụ lục, I. CẤP TỈNH, STT {stt}",
                "note": UNIT_NOTES.get(name, ""),
            }
        )
    district_codes: dict[int, str] = {}
    for stt, name, *_rest in DISTRICT_ROWS:
        found = resolve_district(name, PROVINCE_CODE)
        district_codes[stt] = found["code"]
        rows.append(
            {
                "unit_code": found["code"],
                "level": "district",
                "parent_code": PROVINCE_CODE,
                "official_name": found["official_name"],
                "published_name": name,
                "code_source": "gso-vietnamadminunits",
                "appendix_row": stt,
                "source_section": f"Phụ lục, II. CẤP HUYỆN, STT {stt}",
                "note": UNIT_NOTES.get(name, ""),
            }
        )
    for stt, name, *_rest in COMMUNE_ROWS:
        district_stt = next(d for d, first, last in COMMUNE_BLOCKS if first <= stt <= last)
        parent = district_codes[district_stt]
        row = {
            "level": "commune",
            "parent_code": parent,
            "published_name": name,
            "appendix_row": stt,
            "source_section": f"Phụ lục, III. CẤP XÃ, STT {stt}",
        }
        if (parent, name) in UNRESOLVED:
            code, official, note = UNRESOLVED[(parent, name)]
            try:
                found = resolve_commune(name, parent, PROVINCE_CODE)
            except UnitResolutionError:
                pass
            else:
                sys.exit(f"{name} now resolves to {found}: review UNRESOLVED before rebuilding.")
            rows.append(
                {
                    **row,
                    "unit_code": code,
                    "official_name": official,
                    "code_source": "unresolved",
                    "note": note,
                }
            )
            continue
        found = resolve_commune(name, parent, PROVINCE_CODE)
        notes = [UNIT_NOTES.get(name, "")]
        if found["match"] != "exact":
            notes.append(
                "Printed name differs from the code list only in diacritics; matched to "
                f"{found['official_name']}, the only unit of the district with the same accent-free name."
            )
        rows.append(
            {
                **row,
                "unit_code": found["code"],
                "official_name": found["official_name"],
                "code_source": "gso-vietnamadminunits",
                "note": " ".join(n for n in notes if n),
            }
        )
    units = pd.DataFrame(rows).assign(source_id=PLAN)
    columns = [
        "unit_code",
        "level",
        "parent_code",
        "official_name",
        "published_name",
        "code_source",
        "appendix_row",
        "source_id",
        "source_section",
        "note",
    ]
    return units[columns]


def build_observations(units: pd.DataFrame) -> pd.DataFrame:
    code_of = {
        (lvl, name): code
        for lvl, name, code in zip(units["level"], units["published_name"], units["unit_code"], strict=True)
    }
    rows: list[dict[str, object]] = []
    for level, heading, table in (
        ("province", "I. CẤP TỈNH", PROVINCE_ROWS),
        ("district", "II. CẤP HUYỆN", DISTRICT_ROWS),
        ("commune", "III. CẤP XÃ", COMMUNE_ROWS),
    ):
        for stt, name, online, digitized, payment, note in table:
            for kpi, printed in zip(KPIS, (online, digitized, payment), strict=True):
                blank = printed == ""
                rows.append(
                    {
                        "unit_code": code_of[(level, name)],
                        "period": "2022",
                        "kpi": kpi,
                        "rate": None if blank else _rate(printed),
                        "status": "not_applicable" if blank else "ok",
                        "printed": printed,
                        "source_id": PLAN,
                        "source_section": f"Phụ lục, {heading}, STT {stt}",
                        "note": note if kpi == "online_payment" else "",
                    }
                )
                if blank and not note:
                    sys.exit(f"Empty cell without a reason: {name} {kpi}")
    for level, name, kpi, printed, section, quote, note in CAMPAIGN_ROWS:
        rows.append(
            {
                "unit_code": code_of[(level, name)],
                "period": "2023-campaign",
                "kpi": kpi,
                "rate": _rate(printed),
                "status": "ok",
                "printed": printed,
                "source_id": ARTICLE,
                "source_section": section,
                "note": _with_quote(quote, note),
            }
        )
    obs = pd.DataFrame(rows).assign(
        numerator=pd.array([None] * len(rows), dtype="Int64"),
        denominator=pd.array([None] * len(rows), dtype="Int64"),
    )
    return obs[list(OBSERVATION_COLUMNS)]


def build_targets() -> pd.DataFrame:
    targets = pd.DataFrame(
        [
            {
                "target_set": s,
                "level": lvl,
                "kpi": kpi,
                "target": float(t),
                "source_id": src,
                "source_section": sec,
                "note": _with_quote(quote, note),
            }
            for s, lvl, kpi, t, src, sec, quote, note in TARGET_ROWS
        ]
    )
    return targets


def build_reported_totals(units: pd.DataFrame) -> pd.DataFrame:
    code_of = dict(zip(units["published_name"], units["unit_code"], strict=True))
    rows = [
        {
            "level": lvl,
            "unit_code": code_of[unit] if unit else "",
            "period": period,
            "kpi": kpi,
            "measure": measure,
            "numerator": num,
            "denominator": den,
            "value": float(value),
            "printed": printed,
            "headline": "true" if headline else "false",
            "source_id": src,
            "source_section": sec,
            "note": _with_quote(quote, note),
        }
        for (
            lvl,
            unit,
            period,
            kpi,
            measure,
            num,
            den,
            value,
            printed,
            headline,
            src,
            sec,
            quote,
            note,
        ) in REPORTED_ROWS
    ]
    totals = pd.DataFrame(rows).astype({"numerator": "Int64", "denominator": "Int64"})
    return totals


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    units = build_units()
    tables = {
        "units.csv": units,
        "observations.csv": build_observations(units),
        "targets.csv": build_targets(),
        "reported_totals.csv": build_reported_totals(units),
    }
    for file, frame in tables.items():
        frame.to_csv(OUT_DIR / file, index=False, lineterminator="\n")
        print(f"wrote {OUT_DIR / file} ({len(frame)} rows)")


if __name__ == "__main__":
    main()
