"""The words of statistics tables: level phrases, total and footer rows, title dates, row helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from dvctt.campaign import schemas
from dvctt.ingest.admin_units import fold_accents
from dvctt.ingest.files import Cell, Sheet
from dvctt.ingest.headers import normalize_header

OBSERVATION_COLUMNS: tuple[str, ...] = schemas.OBSERVATION_COLUMNS
TOTAL_COLUMNS: tuple[str, ...] = schemas.REPORTED_TOTAL_COLUMNS
SOURCE_ID_PREFIX = "ingest-"
SOURCE_HASH_LENGTH = 12
REJECTS_DIR = "rejects"

#: Level words in section rows ("I. CẤP TỈNH"), level cells and sheet names, after normalize_header.
LEVEL_PHRASES: dict[str, tuple[str, ...]] = {
    "province": (
        "cap tinh",
        "khoi tinh",
        "tinh",
        "so ban nganh",
        "cac so ban nganh",
        "so ban nganh tinh",
        "cac co quan cap tinh",
        "co quan cap tinh",
        "province",
        "provincial",
        "provincial agencies",
        "province level",
        "provincial level",
    ),
    "district": (
        "cap huyen",
        "khoi huyen",
        "huyen",
        "ubnd cap huyen",
        "huyen thanh pho",
        "cac huyen thanh pho",
        "ubnd cac huyen thanh pho",
        "huyen thi xa thanh pho",
        "district",
        "districts",
        "district level",
    ),
    "commune": (
        "cap xa",
        "khoi xa",
        "xa",
        "ubnd cap xa",
        "xa phuong thi tran",
        "cac xa phuong thi tran",
        "ubnd cac xa phuong thi tran",
        "commune",
        "communes",
        "commune level",
    ),
}
#: Words of a totals row. "Tổng"/"Cộng" total the block above (or the section); the grand ones the sheet.
TOTAL_WORDS: tuple[str, ...] = ("tong so", "tong", "cong", "total", "subtotal", "sum")
GRAND_TOTAL_WORDS: tuple[str, ...] = ("tong cong", "toan tinh", "grand total", "all units", "ca tinh")
#: A row starting with one of these ends the table: the signature block under Vietnamese official tables.
FOOTER_WORDS: tuple[str, ...] = ("nguoi lap bieu", "nguoi lap", "thu truong", "noi nhan", "ky ten", "xac nhan")

_ROMAN_PREFIX = re.compile(r"^(?:[ivxlc]+|[a-z]|\d{1,2})\s*[.)/:-]\s*|^(?:[ivxlc]+)\s+", re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{4})-(\d{2})-(\d{2})")
_LONG_DATE = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_RANGE_WORDS = re.compile(r"\b(tu|den|from|to)\b|[-–—]")
_COLUMN_NUMBERS = re.compile(r"^\(?([a-z]|\d{1,2})\)?$", re.IGNORECASE)
#: Columns that only a dossier-level export has together (a unit-level table never holds a dossier id).
DOSSIER_KEY_COLUMNS: tuple[str, ...] = ("MaHoSo", "DonViXuLy", "NgayTiepNhan")
_MEASURE_VI = {"numerator": "tử số", "denominator": "mẫu số", "rate": "tỷ lệ"}
_LEVEL_VI = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


# ------------------------------------------------------------------------------------------- helpers


def _norm(text: str) -> str:
    return normalize_header(text)


def parse_level(text: str) -> str | None:
    """The level a cell, section row or sheet name names ("Cấp xã", "II. CẤP HUYỆN", "province"), else None."""
    normalized = _norm(_ROMAN_PREFIX.sub("", text.strip()))
    for level, phrases in LEVEL_PHRASES.items():
        if normalized in phrases:
            return level
        if any(normalized.startswith(f"{p} ") for p in phrases if p.startswith(("cap ", "khoi "))):
            return level
    return None


def _totals_level(text: str) -> tuple[bool, str | None] | None:
    """(grand, explicit level) when ``text`` labels a totals row ("Tổng", "Cộng cấp xã", "Tổng cộng")."""
    normalized = _norm(_ROMAN_PREFIX.sub("", text.strip()))
    for words, grand in ((GRAND_TOTAL_WORDS, True), (TOTAL_WORDS, False)):
        for word in words:
            if normalized == word:
                return grand, None
            if normalized.startswith(word + " "):
                level = parse_level(normalized[len(word) + 1 :])
                if level is not None:
                    return grand, level
    return None


def _day(text: str) -> date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    d, m, y, yy, mm, dd = match.groups()
    try:
        return date(int(yy), int(mm), int(dd)) if yy else date(int(y), int(m), int(d))
    except ValueError:
        return None


def title_range(rows: Sequence[Sequence[str]]) -> tuple[date, date] | None:
    """The period a title states ("Từ ngày 01/3/2023 đến ngày 09/5/2023"); a single date (the signing date)
    states none."""
    for row in rows:
        text = " ".join(dict.fromkeys(t for t in row if t))
        folded = fold_accents(text).casefold()
        days = []
        for match in _DATE.finditer(folded):
            day = _day(match.group(0))
            if day:
                days.append(day)
        for match in _LONG_DATE.finditer(" ".join(folded.split())):
            try:
                days.append(date(int(match.group(3)), int(match.group(2)), int(match.group(1))))
            except ValueError:
                continue
        if len(days) >= 2 and _RANGE_WORDS.search(folded):
            return min(days[:2]), max(days[:2])
    return None


def _has_figure(cell: Cell) -> bool:
    return cell.number is not None or cell.formula_without_value or bool(re.search(r"\d", cell.text))


def _is_footer(row: Sequence[Cell], skip: int | None = None) -> bool:
    """A signature block ("Người lập biểu", "Cà Mau, ngày 10 tháng 5 năm 2023") outside the note column."""
    for index, cell in enumerate(row):
        if index == skip:
            continue
        normalized = _norm(cell.text) if cell.text else ""
        if normalized and (normalized.startswith(FOOTER_WORDS) or _LONG_DATE.search(normalized)):
            return True
    return False


def _is_column_numbers(row: Sequence[Cell]) -> bool:
    """The "(1) (2) (3)" or "A B 1 2" row printed under many headers: labels, not data."""
    texts = [c.text for c in row if not c.empty]
    if len(texts) < 3 or not all(_COLUMN_NUMBERS.match(t) for t in texts):
        return False
    digits = [int(re.sub(r"\D", "", t)) for t in texts if re.search(r"\d", t)]
    # consecutive numbers only: "5 | 10 | 77" under the header is a row of figures without its unit, not labels
    return bool(digits) and digits == list(range(digits[0], digits[0] + len(digits)))


def _single(levels: set[str]) -> str:
    """The one level of a block of units, or "all" when it mixes levels."""
    return next(iter(levels)) if len(levels) == 1 else "all"


def _rows_label(rows: Iterable[int]) -> str:
    return ", ".join(str(r) for r in sorted(rows))


def _where(sheet: Sheet, row: int) -> str:
    return f"{sheet.where}, row {row}"
