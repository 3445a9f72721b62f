"""Bringing unit-level statistics files (one row per unit, per period) into a campaign folder.

One front door, :func:`ingest`, reads a CSV or XLSX file as analysts receive it — title rows, merged header
rows, Vietnamese / unaccented / English headers, Vietnamese number formats, "Tổng" and "I. CẤP TỈNH" rows —
and returns tidy observations in the shape of ``observations.csv``, the totals the file prints, and every
rejected value with its reason in Vietnamese and English. Nothing is guessed: an ambiguous unit name, an
ambiguous number column or a value that breaks a rule is reported, never silently fixed or dropped.

:func:`save_ingest` then upserts the valid rows into the campaign folder (observations keyed on unit × period ×
KPI, the file as a source ``ingest-<sha256 prefix>``, totals with ``headline=false``), writes the rejects to
``rejects/<file stem>.rejects.csv``, and proves the folder still loads. Ingesting the same file twice changes
nothing; the input file is only ever read.

A dossier-level export (one row per dossier, national-portal fields: MaHoSo, DonViXuLy, NgayTiepNhan, …) comes
in through the same door: :func:`ingest` recognises it by its columns and :func:`ingest_dossiers` counts it with
:func:`dvctt.dossiers.aggregate_dossiers` over the campaign's own periods, so it is saved, checked for
conflicts and rejected exactly like a unit-level file.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dvctt import paths, schemas
from dvctt.admin_units import fold_accents
from dvctt.campaign import Campaign, Period
from dvctt.dossiers import CODES, DossierAggregate, aggregate_dossiers, windows_from_definition
from dvctt.errors import DataValidationError, IngestError, ParameterError
from dvctt.ingest_files import Cell, Sheet, Workbook, cell_at, read_workbook
from dvctt.ingest_headers import Column, Layout, assign_orphans, find_layout, normalize_header, partial_layout
from dvctt.ingest_messages import MESSAGES, REJECT_COLUMNS, Issue, fail, message
from dvctt.loading import load_campaign
from dvctt.numbers import (
    NumberFormatError,
    Scale,
    decimals_of,
    detect_count_convention,
    detect_rate_scale,
    missing_marker,
    parse_count,
    parse_rate,
    rate_evidence,
    split_percent,
)
from dvctt.unit_matching import UnitLookupError, UnitMatcher, describe

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
#: Rules only a dossier-level file can break, joined to the one message table so that the CLI and the rejects
#: file word them like every other rule. One per kind of :func:`dvctt.dossiers._checks` rule, plus the file's
#: coverage and its unknown handling units.
_DOSSIER_LEFT_OUT = {
    "vi": ": {dossiers} hồ sơ của đơn vị «{unit}» không được tính, số liệu của đơn vị thiếu các hồ sơ này "
    "(ví dụ MaHoSo {example})",
    "en": ": {dossiers} dossier(s) of unit {unit!r} not counted, so its figures are computed without them "
    "(e.g. MaHoSo {example})",
}
_DOSSIER_RULES: dict[str, tuple[str, str]] = {
    "empty": ("{column} để trống", "{column} is empty"),
    "code": ("{column} không phải một trong các mã {codes}", "{column} is not one of the codes {codes}"),
    "date": ("{column} không phải ngày (YYYY-MM-DD, có thể kèm giờ)", "{column} is not a date (YYYY-MM-DD, "
             "optionally with a time)"),
    "optional_date": ("{column} phải để trống hoặc là ngày (YYYY-MM-DD, có thể kèm giờ)",
                      "{column} must be empty or a date (YYYY-MM-DD, optionally with a time)"),
    "order": ("NgayKetThucXuLy trước NgayTiepNhan", "NgayKetThucXuLy is before NgayTiepNhan"),
    "duplicate": ("MaHoSo lặp lại (hồ sơ đồng bộ nhiều lần), mọi bản đều bị loại",
                  "MaHoSo is repeated (a re-synced dossier), every copy is left out"),
}  # fmt: skip
MESSAGES.update(
    {
        f"dossier_{kind}": {"vi": vi + _DOSSIER_LEFT_OUT["vi"], "en": en + _DOSSIER_LEFT_OUT["en"]}
        for kind, (vi, en) in _DOSSIER_RULES.items()
    }
)
MESSAGES["dossier_unknown_unit"] = {
    "vi": "Đơn vị xử lý «{unit}» không có trong units.csv: {dossiers} hồ sơ không được tính ({total} hồ sơ "
    "không xếp được vào đơn vị nào)",
    "en": "handling unit {unit!r} is not in units.csv: {dossiers} dossier(s) not counted ({total} in all "
    "cannot be placed)",
}
MESSAGES["dossier_no_period"] = {
    "vi": "Hồ sơ tiếp nhận từ {start} đến {end} không phủ trọn kỳ nào của chiến dịch ({periods}): chọn kỳ bằng "
    "--period",
    "en": "the dossiers, received {start} – {end}, cover no whole period of the campaign ({periods}): choose "
    "one with --period",
}
_MEASURE_VI = {"numerator": "tử số", "denominator": "mẫu số", "rate": "tỷ lệ"}
_LEVEL_VI = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


# ------------------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class IngestResult:
    """What one file gives: valid observations and totals, every rejected value, and notices to print."""

    path: Path
    sha256: str
    source_id: str
    observations: pd.DataFrame
    reported_totals: pd.DataFrame
    issues: tuple[Issue, ...]
    notices: tuple[str, ...]
    encoding: str | None
    sheets: tuple[str, ...]
    replace: bool = False

    @property
    def rejects(self) -> pd.DataFrame:
        """One row per rejected value, as written to ``rejects/<stem>.rejects.csv``."""
        return pd.DataFrame([i.to_record() for i in self.issues], columns=list(REJECT_COLUMNS))

    @property
    def ok(self) -> bool:
        return not self.issues


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
    return digits == sorted(set(digits))


def _single(levels: set[str]) -> str:
    """The one level of a block of units, or "all" when it mixes levels."""
    return next(iter(levels)) if len(levels) == 1 else "all"


def _rows_label(rows: Iterable[int]) -> str:
    return ", ".join(str(r) for r in sorted(rows))


def _where(sheet: Sheet, row: int) -> str:
    return f"{sheet.where}, row {row}"


# --------------------------------------------------------------------------------------- number formats


@dataclass(frozen=True)
class ColumnFormats:
    """Per column index: the count convention ("vi"/"en") or the rate scale (percent/fraction)."""

    conventions: dict[int, str]
    scales: dict[int, Scale]


@dataclass(frozen=True)
class Table:
    """The data rows of a sheet, below its header and above its signature block, with their row numbers."""

    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    footer_row: int | None


def table_rows(sheet: Sheet, layout: Layout) -> Table:
    """Rows that hold data: blank rows and the "(1) (2) (3)" row skipped, stopping at the signature block."""
    note = layout.find("note")
    kept = []
    for offset, row in enumerate(sheet.rows[layout.header_row :]):
        number = layout.header_row + offset + 1
        if all(c.empty for c in row) or _is_column_numbers(row):
            continue
        if _is_footer(row, note.index if note else None):
            return Table(tuple(kept), number)
        kept.append((number, row))
    return Table(tuple(kept), None)


def _column_cells(table: Table, index: int) -> list[Cell]:
    cells = (cell_at(row, index) for _, row in table.rows)
    return [c for c in cells if not c.empty and missing_marker(c.text) is None]


def detect_formats(sheet: Sheet, layout: Layout, table: Table, explicit: Scale | None) -> ColumnFormats:
    """Decide every measure column's number format from all its values (raises when ambiguous)."""
    conventions: dict[int, str] = {}
    scales: dict[int, Scale] = {}
    for column in layout.columns:
        if not column.field.is_measure:
            continue
        cells = _column_cells(table, column.index)
        texts = [c for c in cells if c.number is None and c.day is None]
        if column.field.name == "rate":
            native = [c for c in cells if c.number is not None]
            evidence = [rate_evidence(c.text) for c in texts if not c.formula_without_value]
            evidence += [rate_evidence(c.text) for c in native if not c.percent_format]
            scales[column.index] = detect_rate_scale(
                evidence,
                explicit=explicit,
                header_percent=column.field.percent,
                file=sheet.where,
                column=column.display,
            )
        else:
            bodies = [split_percent(c.text)[0] for c in texts if not c.formula_without_value]
            conventions[column.index] = detect_count_convention(bodies, file=sheet.where, column=column.display)
    return ColumnFormats(conventions, scales)


def _count(cell: Cell, convention: str) -> int:
    if cell.formula_without_value:
        raise NumberFormatError("formula_no_value", cell.text)
    if cell.day is not None:
        raise NumberFormatError("date_in_number", cell.text)
    if cell.number is not None:
        if cell.percent_format:
            raise NumberFormatError("percent_in_count", cell.text)
        if cell.number != cell.number.to_integral_value():
            raise NumberFormatError("not_whole", cell.text)
        if cell.number < 0:
            raise NumberFormatError("negative", cell.text)
        return int(cell.number)
    return parse_count(cell.text, convention)  # type: ignore[arg-type]


def _rate(cell: Cell, scale: Scale) -> tuple[Decimal, int]:
    """(percent, decimals as printed in percent units)."""
    if cell.formula_without_value:
        raise NumberFormatError("formula_no_value", cell.text)
    if cell.day is not None:
        raise NumberFormatError("date_in_number", cell.text)
    if cell.number is not None:
        as_fraction = cell.percent_format or scale == "fraction"
        value = cell.number * 100 if as_fraction else cell.number
        digits = max(-value.normalize().as_tuple().exponent, 0)  # type: ignore[operator]
        return value, int(digits)
    body, percent = split_percent(cell.text)
    value = parse_rate(cell.text, scale)
    digits = decimals_of(body) - (2 if scale == "fraction" and not percent else 0)
    return value, max(digits, 0)


# -------------------------------------------------------------------------------------- one indicator


@dataclass
class _Figures:
    """The cells of one KPI on one row, read and checked."""

    kpi: str
    columns: dict[str, Column]
    cells: dict[str, Cell]
    issues: list[Issue] = field(default_factory=list)
    numerator: int | None = None
    denominator: int | None = None
    rate: float | None = None
    status: str = "ok"
    printed: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return any(not c.empty for c in self.cells.values())


def _figures(kpi: str, layout: Layout, row: Sequence[Cell], formats: ColumnFormats, issue: Any) -> _Figures | None:
    """Read numerator, denominator and rate of ``kpi`` on ``row`` and apply the rules; None when all empty."""
    columns = {m: c for m in ("numerator", "denominator", "rate") if (c := layout.find(m, kpi)) is not None}
    cells = {m: cell_at(row, c.index) for m, c in columns.items()}
    fig = _Figures(kpi, columns, cells)
    if not fig.present:
        return None
    markers = {m: missing_marker(c.text) for m, c in cells.items() if missing_marker(c.text)}
    values: dict[str, Any] = {}
    decimals = 0
    for measure, cell in cells.items():
        if cell.empty or measure in markers:
            continue
        column = columns[measure]
        try:
            if measure == "rate":
                values["rate"], decimals = _rate(cell, formats.scales[column.index])
            else:
                values[measure] = _count(cell, formats.conventions[column.index])
        except NumberFormatError as exc:
            fig.issues.append(issue(column, cell.text, exc.reason))
    if fig.issues:
        return fig
    rate_text = cells["rate"].text if "rate" in cells else ""
    num, den, rate = values.get("numerator"), values.get("denominator"), values.get("rate")
    fig.numerator, fig.denominator = num, den
    fig.printed = rate_text or "/".join(cells[m].text for m in ("numerator", "denominator") if m in cells)
    if not values:
        fig.status = "missing"
        marker = markers.get("rate") or next(iter(markers.values()))
        fig.printed = marker
        fig.notes.append(message("note.marker", "vi", marker=marker))
        return fig
    if num is not None and den is not None and num > den:
        fig.issues.append(
            issue(
                columns["numerator"],
                cells["numerator"].text,
                "numerator_above_denominator",
                numerator=num,
                denominator=den,
            )
        )
        return fig
    if "rate" in markers:
        fig.status = "missing"
        fig.printed = markers["rate"]
        fig.notes.append(message("note.marker", "vi", marker=markers["rate"]))
        return fig
    if rate is not None:
        return _check_rate(fig, rate, decimals, issue)
    if num is None or den is None:
        given, missing = ("numerator", "denominator") if num is not None else ("denominator", "numerator")
        fig.issues.append(
            issue(
                columns[given],
                cells[given].text,
                "count_without_pair",
                given=_MEASURE_VI[given],
                missing=_MEASURE_VI[missing],
                given_en=given,
                missing_en=missing,
            )
        )
        return fig
    if den == 0:
        fig.status = "not_applicable"
        fig.notes.append(message("note.zero_denominator", "vi"))
        return fig
    fig.rate = num / den * 100
    fig.notes.append(message("note.computed", "vi", numerator=num, denominator=den))
    return fig


def _check_rate(fig: _Figures, rate: Decimal, decimals: int, issue: Any) -> _Figures:
    """A printed rate must be a percentage and agree with the counts printed beside it."""
    column, text = fig.columns["rate"], fig.cells["rate"].text
    if not 0 <= rate <= 100:
        fig.issues.append(issue(column, text, "rate_out_of_range", rate=_plain(rate)))
        return fig
    num, den = fig.numerator, fig.denominator
    if den == 0:
        fig.issues.append(issue(column, text, "zero_denominator_rate"))
        return fig
    if num is not None and den is not None:
        computed = Decimal(num) / Decimal(den) * 100
        tolerance = Decimal(10) ** -min(decimals, 6)  # the printed precision; a spreadsheet's full float is not
        if abs(computed - rate) > tolerance + Decimal("1e-9"):
            fig.issues.append(
                issue(
                    column,
                    text,
                    "rate_mismatch",
                    rate=_plain(rate),
                    numerator=num,
                    denominator=den,
                    computed=f"{computed:.4f}",
                )
            )
            return fig
    fig.rate = float(rate)
    return fig


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


# ------------------------------------------------------------------------------------------ one sheet


@dataclass
class _SheetRead:
    observations: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    """A totals row waiting for its level (known only once the units around it are read)."""

    row: int
    grand: bool
    explicit: str | None
    section: str | None
    block_before: set[str]
    figures: list[_Figures]
    label: str
    period: Period


class _SheetReader:
    """Reads the data rows of one sheet whose header is known."""

    def __init__(self, sheet: Sheet, layout: Layout, table: Table, formats: ColumnFormats, ctx: _Context):
        self.sheet, self.layout, self.table, self.formats, self.ctx = sheet, layout, table, formats, ctx
        self.out = _SheetRead()
        self.sheet_level = parse_level(sheet.name) if sheet.name else None
        self.name_col = layout.find("unit_name")
        self.code_col = layout.find("unit_code")
        self.level_col = layout.find("level")
        self.period_col = layout.find("period")
        self.date_col = layout.find("date")
        self.note_col = layout.find("note")
        self.section: str | None = None
        self.parent: str | None = None
        self.block: set[str] = set()
        self.all_levels: set[str] = set()
        self.pending: list[_Pending] = []

    # -- issues
    def issue(self, row: int) -> Any:
        def make(column: Column | None, printed: str | None, rule: str, /, **params: Any) -> Issue:
            shown = column.display if column is not None else None
            return Issue(self.sheet.file, self.sheet.name, row, shown, printed, rule, params)

        return make

    def read(self) -> _SheetRead:
        for number, row in self.table.rows:
            self._row(number, row)
        if self.table.footer_row is not None:
            self.out.notices.append(
                f"{self.sheet.where}: the table ends at row {self.table.footer_row} (signature block)"
            )
        self._settle_totals()
        return self.out

    def _label(self, row: Sequence[Cell]) -> str:
        name = cell_at(row, self.name_col.index if self.name_col else None).text
        if name:
            return name
        return next((c.text for c in row if c.text and c.number is None), "")

    def _kpi_figures(self, number: int, row: Sequence[Cell]) -> list[_Figures]:
        found = []
        for kpi in self.layout.kpis:
            fig = _figures(kpi, self.layout, row, self.formats, self.issue(number))
            if fig is not None:
                found.append(fig)
        return found

    def _row(self, number: int, row: Sequence[Cell]) -> None:
        code = cell_at(row, self.code_col.index if self.code_col else None).text
        label = self._label(row)
        measures = [c for c in self.layout.columns if c.field.is_measure]
        has_figures = any(_has_figure(cell_at(row, c.index)) for c in measures)
        if not code and label:
            totals = _totals_level(label)
            if totals is not None:
                self._pending(number, row, totals[0], totals[1], self.section, label)
                self.block = set()
                return
            level = parse_level(label)
            if level is not None:
                self.section, self.parent, self.block = level, None, set()
                if has_figures:  # a section row that prints its level's total
                    self._pending(number, row, False, level, level, label)
                return
        self._unit_row(number, row, code, has_figures)

    def _pending(
        self, number: int, row: Sequence[Cell], grand: bool, explicit: str | None, section: str | None, label: str
    ) -> None:
        period = self._row_period(number, row)
        if period is not None:
            figures = self._kpi_figures(number, row)
            self.pending.append(_Pending(number, grand, explicit, section, set(self.block), figures, label, period))

    def _level_hint(self, number: int, row: Sequence[Cell]) -> tuple[str | None, bool]:
        if self.level_col is not None:
            text = cell_at(row, self.level_col.index).text
            if text:
                level = parse_level(text)
                if level is None:
                    self.out.issues.append(self.issue(number)(self.level_col, text, "unknown_level", value=text))
                    return None, False
                return level, True
        return self.section or self.sheet_level, True

    def _unit_row(self, number: int, row: Sequence[Cell], code: str, has_figures: bool) -> None:
        make = self.issue(number)
        name = cell_at(row, self.name_col.index if self.name_col else None).text
        level, ok = self._level_hint(number, row)
        if not ok:
            return
        if not code and not name:
            if has_figures:
                self.out.issues.append(make(self.name_col or self.code_col, None, "no_unit"))
            return
        matcher = self.ctx.matcher
        try:
            if code:
                match = matcher.by_code(code)
                if level is not None and match.unit.level != level:
                    self.out.issues.append(
                        make(
                            self.code_col,
                            code,
                            "level_mismatch",
                            unit_code=match.unit.code,
                            unit_level=match.unit.level,
                            level=level,
                        )
                    )
                    return
            else:
                parent = self.parent if level == "commune" else None
                match = matcher.by_name(name, level=level, parent=parent)
        except UnitLookupError as exc:
            self._lookup_failed(number, code, name, level, has_figures, exc)
            return
        unit = match.unit
        self.block.add(unit.level)
        self.all_levels.add(unit.level)
        notes = []
        if match.how == "spelling":
            notes.append(message("note.spelling", "vi", printed=name, official=unit.official_name))
        note_text = cell_at(row, self.note_col.index).text if self.note_col else ""
        if note_text:
            notes.append(note_text)
        period = self._row_period(number, row)
        if period is None:
            return
        for fig in self._kpi_figures(number, row):
            if fig.issues:
                self.out.issues.extend(fig.issues)
                continue
            self.out.observations.append(self._observation(number, unit.code, period, fig, notes))

    def _lookup_failed(
        self, number: int, code: str, name: str, level: str | None, has_figures: bool, exc: UnitLookupError
    ) -> None:
        make = self.issue(number)
        district_heading = [u for u in exc.elsewhere if u.level == "district"]
        if not has_figures and level == "commune" and len(district_heading) == 1:
            self.parent = district_heading[0].code  # "Huyện Cái Nước" above its communes: a heading
            return
        if not has_figures:
            self.out.notices.append(
                f"{_where(self.sheet, number)}: {name or code!r} has no figures and is not a unit of units.csv: skipped"
            )
            return
        if exc.kind == "unknown_code":
            self.out.issues.append(make(self.code_col, code, "unknown_unit_code", code=code))
        elif exc.kind == "ambiguous":
            self.out.issues.append(
                make(self.name_col, name, "ambiguous_unit", name=name, candidates=describe(exc.candidates))
            )
        else:
            scope_vi = f" ({_LEVEL_VI[level]})" if level else ""
            scope_en = f" (level {level})" if level else ""
            self.out.issues.append(
                make(
                    self.name_col,
                    name,
                    "unknown_unit",
                    name=name,
                    scope_vi=scope_vi,
                    scope_en=scope_en,
                    candidates=describe(exc.candidates),
                )
            )

    def _row_period(self, number: int, row: Sequence[Cell]) -> Period | None:
        make = self.issue(number)
        ctx = self.ctx
        period = ctx.period
        if self.period_col is not None:
            text = cell_at(row, self.period_col.index).text
            if text:
                found = ctx.find_period(text)
                if found is None:
                    self.out.issues.append(
                        make(self.period_col, text, "row_period_unknown", value=text, periods=ctx.period_list)
                    )
                    return None
                if period is not None and found.id != period.id:
                    self.out.issues.append(make(self.period_col, text, "period_mismatch", value=text, period=period.id))
                    return None
                period = found
        if period is None:
            self.out.issues.append(make(self.period_col, None, "period_missing", periods=ctx.period_list))
            return None
        if self.date_col is not None:
            cell = cell_at(row, self.date_col.index)
            if not cell.empty:
                day = cell.day or _day(cell.text)
                if day is None:
                    self.out.issues.append(make(self.date_col, cell.text, "not_a_date"))
                    return None
                if not period.start <= day <= period.end:
                    self.out.issues.append(
                        make(
                            self.date_col,
                            cell.text,
                            "date_outside",
                            date=day.isoformat(),
                            period=period.id,
                            start=period.start.isoformat(),
                            end=period.end.isoformat(),
                        )
                    )
                    return None
        return period

    def _observation(self, number: int, unit_code: str, period: Period, fig: _Figures, notes: list[str]) -> dict:
        return {
            "unit_code": unit_code,
            "period": period.id,
            "kpi": fig.kpi,
            "numerator": fig.numerator,
            "denominator": fig.denominator,
            "rate": fig.rate if fig.status == "ok" else None,
            "status": fig.status,
            "printed": fig.printed,
            "source_id": self.ctx.source_id,
            "source_section": _where(self.sheet, number),
            "note": " | ".join([*fig.notes, *notes]),
            "_row": number,
            "_file": self.sheet.file,
            "_column": fig.columns.get("rate", next(iter(fig.columns.values()))).display,
            "_sheet": self.sheet.name,
        }

    def _settle_totals(self) -> None:
        """Give every totals row its level, now that all units of the sheet are known."""
        for pending in self.pending:
            if pending.grand:  # "Tổng cộng": the whole sheet, whatever section it follows
                level = pending.explicit or self.sheet_level or _single(self.all_levels)
            else:
                level = pending.explicit or pending.section or self.sheet_level
                level = level or _single(pending.block_before or self.all_levels)
            period = pending.period
            for fig in pending.figures:
                if fig.issues:
                    self.out.issues.extend(fig.issues)
                    continue
                if fig.status != "ok" or fig.rate is None:
                    continue
                note = " | ".join([f"{pending.label}", *fig.notes])
                self.out.totals.append(
                    {
                        "level": level,
                        "unit_code": None,
                        "period": period.id,
                        "kpi": fig.kpi,
                        "measure": "rate",
                        "numerator": fig.numerator,
                        "denominator": fig.denominator,
                        "value": fig.rate,
                        "printed": fig.printed,
                        "headline": False,
                        "source_id": self.ctx.source_id,
                        "source_section": _where(self.sheet, pending.row),
                        "note": note,
                    }
                )


# ------------------------------------------------------------------------------------------- front door


@dataclass
class _Context:
    campaign: Campaign
    matcher: UnitMatcher
    source_id: str
    period: Period | None

    @property
    def period_list(self) -> str:
        return ", ".join(p.id for p in self.campaign.definition.periods)

    def find_period(self, text: str) -> Period | None:
        wanted = " ".join(text.split()).casefold()
        for period in self.campaign.definition.periods:
            if wanted in (period.id.casefold(), period.label_vi.casefold(), period.label_en.casefold()):
                return period
        return None


def _as_campaign(campaign: str | os.PathLike[str] | Campaign) -> Campaign:
    return campaign if isinstance(campaign, Campaign) else load_campaign(campaign)


def _pick_table(workbook: Workbook) -> list[tuple[Sheet, Layout | None]]:
    """For a CSV, the separator whose reading has the best header; for a workbook, every sheet."""
    if workbook.kind != "csv":
        return [(s, find_layout(s)) for s in workbook.sheets]
    scored = []
    for sheet in workbook.sheets:
        layout = find_layout(sheet)
        score = len({c.field.key for c in layout.columns}) if layout else 0
        scored.append((score, len(partial_layout(sheet)), sheet, layout))
    best = max(scored, key=lambda item: item[:2])  # first maximum: "," before ";" before tab on a tie
    return [(best[2], best[3])]


def _no_header(workbook: Workbook, sheet: Sheet) -> Issue:
    partial = partial_layout(sheet)
    keys = {c.field.key for c in partial}
    found = ", ".join(c.label for c in partial) or "—"
    if partial and not keys & {"unit_name", "unit_code"}:
        missing = "tên đơn vị hoặc mã đơn vị / unit name or unit code"
        return Issue(sheet.file, sheet.name, None, None, None, "missing_column", {"missing": missing, "found": found})
    if partial and not any(c.field.is_measure for c in partial):
        missing = "cột chỉ tiêu (số hồ sơ hoặc tỷ lệ) / an indicator column (count or rate)"
        return Issue(sheet.file, sheet.name, None, None, None, "missing_column", {"missing": missing, "found": found})
    encoding = workbook.encoding or "xlsx"
    return Issue(sheet.file, sheet.name, None, None, None, "no_header", {"rows": 30, "encoding": encoding})


def _check_title_dates(sheet: Sheet, layout: Layout, period: Period | None) -> None:
    stated = title_range(layout.title_rows)
    if stated is None or period is None:
        return
    start, end = stated
    if start < period.start or end > period.end:
        raise fail(
            Issue(
                sheet.file,
                sheet.name,
                None,
                None,
                f"{start} – {end}",
                "period_outside",
                {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "period": period.id,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                },
            )
        )


def _duplicates(observations: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Issue]]:
    """Every row of a unit × period × KPI printed twice is rejected: which one is right is not ours to say."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for obs in observations:
        groups[(obs["unit_code"], obs["period"], obs["kpi"])].append(obs)
    kept, issues = [], []
    for key, rows in groups.items():
        if len(rows) == 1:
            kept.append(rows[0])
            continue
        label = _rows_label(r["_row"] for r in rows)
        for obs in rows:
            issues.append(
                Issue(
                    obs["_file"],
                    obs["_sheet"],
                    obs["_row"],
                    obs["_column"],
                    obs["printed"],
                    "duplicate_key",
                    {"unit_code": key[0], "period": key[1], "kpi": key[2], "rows": label},
                )
            )
    order = {id(o): i for i, o in enumerate(observations)}
    return sorted(kept, key=lambda o: order[id(o)]), issues


def _conflicts(
    observations: list[dict[str, Any]], existing: pd.DataFrame, source_id: str, replace: bool
) -> tuple[list[dict[str, Any]], list[Issue]]:
    """A key another source already gives is a conflict, unless the analyst said --replace."""
    if replace or existing.empty:
        return observations, []
    known = {
        (r.unit_code, r.period, r.kpi): (r.source_id, r.printed if isinstance(r.printed, str) else r.rate)
        for r in existing.itertuples(index=False)
    }
    kept, issues = [], []
    for obs in observations:
        hit = known.get((obs["unit_code"], obs["period"], obs["kpi"]))
        if hit is None or hit[0] == source_id:
            kept.append(obs)
            continue
        issues.append(
            Issue(
                obs["_file"],
                obs["_sheet"],
                obs["_row"],
                obs["_column"],
                obs["printed"] or None,  # a dossier-level file prints no value
                "conflict",
                {
                    "unit_code": obs["unit_code"],
                    "period": obs["period"],
                    "kpi": obs["kpi"],
                    "existing_source": hit[0],
                    "existing": hit[1],
                },
            )
        )
    return kept, issues


def _frame(records: list[dict[str, Any]], columns: Sequence[str], types: dict[str, str]) -> pd.DataFrame:
    """A new typed frame in the column order of the campaign table."""
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in records], columns=list(columns), dtype=object)
    text = [c for c in columns if c not in types]
    return frame.astype({**dict.fromkeys(text, "str"), **types})


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_id_for(sha256: str) -> str:
    """``ingest-<first 12 hex digits>``: the same bytes always give the same source, whatever the file name."""
    return f"{SOURCE_ID_PREFIX}{sha256[:SOURCE_HASH_LENGTH]}"


def _campaign_period(camp: Campaign, period: str | None, file: str) -> Period | None:
    """The campaign period ``period`` names (None when not given); an id campaign.toml lacks is refused."""
    if period is None:
        return None
    chosen = next((p for p in camp.definition.periods if p.id == period), None)
    if chosen is None:
        periods = ", ".join(p.id for p in camp.definition.periods)
        raise fail(Issue(file, None, None, None, period, "period_unknown", {"period": period, "periods": periods}))
    return chosen


def is_dossier_file(path: str | os.PathLike[str]) -> bool:
    """True when the file's columns include MaHoSo, DonViXuLy and NgayTiepNhan: a dossier-level export, which
    no unit-level table resembles. Reads only the Parquet schema or the CSV's first line."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            names = pq.read_schema(path).names
        elif suffix in (".csv", ".txt"):
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
                names = [n.strip().strip('"').strip() for n in re.split(r"[,;\t]", handle.readline())]
        else:
            return False
    except (OSError, pa.ArrowException):
        return False
    return set(DOSSIER_KEY_COLUMNS) <= set(names)


def ingest(
    path: str | os.PathLike[str],
    campaign: str | os.PathLike[str] | Campaign,
    period: str | None = None,
    *,
    sheet: str | None = None,
    scale: Scale | None = None,
    encoding: str | None = None,
    replace: bool = False,
    dossiers: bool | None = None,
) -> IngestResult:
    """Read one statistics file against ``campaign`` (id, folder or loaded campaign).

    ``period`` is a period id of the campaign (needed unless the file has a period column); ``scale`` decides
    rate columns whose values cannot tell fractions from percentages; ``replace`` lets this file overwrite
    values another source gave. Raises :class:`~dvctt.errors.IngestError` when nothing can be read from the
    file; row-level problems are returned in ``issues`` and the valid rows are kept.

    A dossier-level export (``dossiers=True``, or by default any file :func:`is_dossier_file` recognises) is
    handed to :func:`ingest_dossiers`, so callers have one front door for both kinds of file.
    """
    path = Path(path)
    if dossiers or (dossiers is None and path.is_file() and is_dossier_file(path)):
        given = [
            name
            for name, value in (("--sheet", sheet), ("--percent/--fraction", scale), ("--encoding", encoding))
            if value
        ]
        if given:
            raise ParameterError(f"{', '.join(given)} apply to unit-level files, not to the dossier-level {path.name}.")
        return ingest_dossiers(path, campaign, period, replace=replace)
    camp = _as_campaign(campaign)
    if not path.is_file():
        raise fail(Issue(path.name, None, None, None, None, "unreadable", {"detail": "file not found"}))
    sha = file_sha256(path)
    source_id = source_id_for(sha)
    chosen = _campaign_period(camp, period, path.name)
    ctx = _Context(camp, UnitMatcher(camp.units), source_id, chosen)
    workbook = read_workbook(path, sheet=sheet, encoding=encoding)
    observations: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    issues: list[Issue] = []
    notices: list[str] = []
    read_sheets: list[str] = []
    tables = _pick_table(workbook)
    if all(layout is None for _, layout in tables):
        raise fail(*[_no_header(workbook, s) for s, _ in tables if any(not c.empty for r in s.rows for c in r)])
    for table, layout in tables:
        if layout is None:
            if any(not c.empty for r in table.rows for c in r):
                notices.append(f"{table.where}: no header with unit and indicator columns, sheet skipped")
            continue
        layout = assign_orphans(layout, (table.file, table.name))
        if layout.find("period") is None and chosen is None:
            periods = ctx.period_list
            raise fail(Issue(table.file, table.name, None, None, None, "period_missing", {"periods": periods}))
        _check_title_dates(table, layout, chosen)
        rows = table_rows(table, layout)
        formats = detect_formats(table, layout, rows, scale)
        read = _SheetReader(table, layout, rows, formats, ctx).read()
        observations += read.observations
        totals += read.totals
        issues += read.issues
        notices += read.notices
        if layout.ignored:
            notices.append(f"{table.where}: columns not read: {', '.join(layout.ignored)}")
        read_sheets.append(table.name or table.file)
    observations, duplicate_issues = _duplicates(observations)
    observations, conflict_issues = _conflicts(observations, camp.observations, source_id, replace)
    issues += duplicate_issues + conflict_issues
    order = {name: i for i, name in enumerate(t.name for t, _ in tables)}
    issues.sort(key=lambda i: (order.get(i.sheet, 0), i.row or 0, i.column or ""))
    if workbook.encoding:
        notices.insert(0, f"{path.name}: read as {workbook.encoding}")
    obs_frame = _frame(
        observations, OBSERVATION_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "rate": "Float64"}
    )
    totals_frame = _frame(
        totals, TOTAL_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "value": "Float64", "headline": "boolean"}
    )
    return IngestResult(
        path,
        sha,
        source_id,
        obs_frame,
        totals_frame,
        tuple(issues),
        tuple(notices),
        workbook.encoding,
        tuple(read_sheets),
        replace,
    )


# ----------------------------------------------------------------------------------- dossier-level files


def _uncovered_workdays(period: Period, first: date, last: date) -> int:
    """Working days (Monday–Friday) of ``period`` before the first or after the last day a dossier was
    received. Offices receive few dossiers on Saturday and none on Sunday, so an export of a whole week seldom
    holds one received on its Sunday: weekend days are not held against it."""
    days = (period.start + timedelta(days=n) for n in range((period.end - period.start).days + 1))
    return sum(1 for day in days if (day < first or day > last) and day.weekday() < 5)


def _dossier_periods(
    file: str, received: tuple[date, date], candidates: Sequence[Period], explicit: bool
) -> tuple[list[Period], list[str]]:
    """The periods to write, and notices. Without --period: every period the dossiers cover whole, since a
    partly covered one would be counted from part of its dossiers; with --period: that period, unless no
    dossier was received in it at all (every unit would get "no dossiers", which the file does not say)."""
    first, last = received
    kept: list[Period] = []
    notices: list[str] = []
    for period in candidates:
        if first > period.end or last < period.start:
            if explicit:
                raise fail(_outside(file, received, period))
            continue
        missing = _uncovered_workdays(period, first, last)
        if missing:
            partly = f"{file}: period {period.id} is only partly covered ({missing} working day(s) without data)"
            if not explicit:
                notices.append(f"{partly}: not ingested (use --period {period.id} to ingest it anyway)")
                continue
            notices.append(partly)
        kept.append(period)
    return kept, notices


def _outside(file: str, received: tuple[date, date], period: Period) -> Issue:
    start, end = (d.isoformat() for d in received)
    params = {
        "start": start,
        "end": end,
        "period": period.id,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }
    return Issue(file, None, None, "NgayTiepNhan", f"{start} – {end}", "period_outside", params)


def _no_period(file: str, received: tuple[date, date], campaign: Campaign) -> Issue:
    start, end = (d.isoformat() for d in received)
    periods = ", ".join(p.id for p in campaign.definition.periods)
    params = {"start": start, "end": end, "periods": periods}
    return Issue(file, None, None, "NgayTiepNhan", f"{start} – {end}", "dossier_no_period", params)


def _idle_units(counts: pd.DataFrame) -> list[str]:
    """Units with no dossier at all in the periods written. An export that does not mention a unit says nothing
    about it (an export of one district's system does not cover the others): its figures are missing, which is
    neither 0% nor "not applicable", so no row is written for it."""
    per_unit = counts.groupby("unit_code", sort=False)[["received", "finished"]].sum().sum(axis=1)
    return per_unit.index[per_unit == 0].tolist()


def _idle_notice(file: str, idle: list[str], shown: int = 10) -> list[str]:
    if not idle:
        return []
    more = f" and {len(idle) - shown} more" if len(idle) > shown else ""
    return [
        f"{file}: {len(idle)} unit(s) of units.csv have no dossier in this file; their figures are left missing "
        f"(not 0%, not 'not applicable'): {', '.join(idle[:shown])}{more}"
    ]


def _dossier_issues(file: str, aggregate: DossierAggregate) -> list[Issue]:
    """Unknown handling units (with their dossier counts), then invalid dossiers per rule and unit."""
    issues = []
    total = aggregate.n_unknown
    for row in aggregate.unknown_units.itertuples(index=False):
        params = {"unit": row.unit_code, "dossiers": row.dossiers, "total": total}
        issues.append(Issue(file, None, None, "DonViXuLy", row.unit_code, "dossier_unknown_unit", params))
    for row in aggregate.invalid.itertuples(index=False):
        params = {
            "column": row.column,
            "codes": ", ".join(map(str, CODES.get(row.column, ()))),
            "dossiers": row.dossiers,
            "unit": row.unit_code or "—",
            "example": row.example if isinstance(row.example, str) and row.example.strip() else "—",
        }
        value = row.value if isinstance(row.value, str) else None
        issues.append(Issue(file, None, None, row.column, value, f"dossier_{row.check}", params))
    return issues


def _dossier_records(observations: pd.DataFrame, file: str) -> list[dict[str, Any]]:
    """Aggregated observations as the records the unit-level reader produces (for the conflict check): no
    printed value, an empty note where the rate exists."""
    records = []
    for row in observations.astype(object).to_dict("records"):
        record = {c: (None if row[c] is pd.NA else row[c]) for c in OBSERVATION_COLUMNS}
        record.update(printed="", note=record["note"] or "", source_section=file)
        records.append({**record, "_file": file, "_sheet": None, "_row": None, "_column": None})
    return records


def ingest_dossiers(
    path: str | os.PathLike[str],
    campaign: str | os.PathLike[str] | Campaign,
    period: str | None = None,
    *,
    replace: bool = False,
) -> IngestResult:
    """Count a dossier-level export (CSV or Parquet) into observations of ``campaign``: its units, its KPIs,
    and its periods — ``period``, or else every period the dossiers cover whole (see
    :func:`_uncovered_workdays`). Dossiers of a unit missing from units.csv and dossiers that break a rule are
    left out and returned as issues with their counts; the rest is counted, as a unit-level file's valid rows
    are kept. Raises :class:`~dvctt.errors.IngestError` when nothing can be counted."""
    path = Path(path)
    camp = _as_campaign(campaign)
    if not path.is_file():
        raise fail(Issue(path.name, None, None, None, None, "unreadable", {"detail": "file not found"}))
    sha = file_sha256(path)
    source_id = source_id_for(sha)
    chosen = _campaign_period(camp, period, path.name)
    candidates = [chosen] if chosen else list(camp.definition.periods)
    try:
        aggregate = aggregate_dossiers(
            path,
            windows_from_definition(camp.definition, [p.id for p in candidates]),
            units=camp.units,
            kpis=camp.definition.kpis,
            on_unknown="report",
            on_invalid="report",
            source_id=source_id,
            source_section=path.name,
        )
    except DataValidationError as exc:  # a missing column, an unreadable file: nothing can be counted
        raise IngestError(exc.problems) from exc
    if aggregate.n_dossiers == 0:
        raise fail(Issue(path.name, None, None, None, None, "empty_file", {}))
    issues = _dossier_issues(path.name, aggregate)
    if aggregate.n_counted == 0 or aggregate.received is None:  # else every unit would read "nothing received"
        raise fail(*issues)
    kept, notices = _dossier_periods(path.name, aggregate.received, candidates, explicit=chosen is not None)
    if not kept:
        raise fail(_no_period(path.name, aggregate.received, camp))
    ids = [p.id for p in kept]
    first, last = aggregate.received
    summary = (
        f"{path.name}: dossier-level file, {aggregate.n_dossiers} dossier(s) received {first} – {last}, "
        f"{aggregate.n_counted} counted; periods {', '.join(ids)}"
    )
    idle = _idle_units(aggregate.counts[aggregate.counts["period"].isin(ids)])
    notices = [summary, *notices, *_idle_notice(path.name, idle)]
    observations = aggregate.observations[
        aggregate.observations["period"].isin(ids) & ~aggregate.observations["unit_code"].isin(idle)
    ]
    records = _dossier_records(observations, path.name)
    records, conflict_issues = _conflicts(records, camp.observations, source_id, replace)
    return IngestResult(
        path,
        sha,
        source_id,
        _frame(records, OBSERVATION_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "rate": "Float64"}),
        _frame(
            [], TOTAL_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "value": "Float64", "headline": "boolean"}
        ),
        tuple(issues + conflict_issues),
        tuple(notices),
        None,
        (path.name,),
        replace,
    )


# ------------------------------------------------------------------------------------------ writing


@dataclass(frozen=True)
class SaveSummary:
    folder: Path
    observations_added: int
    observations_replaced: int
    totals_written: int
    source_added: bool
    rejects_path: Path | None
    changed_files: tuple[str, ...]


def _cell_text(value: Any) -> str:
    """How a value is written into a campaign CSV: full precision, dot decimal, empty for missing."""
    if hasattr(value, "item"):  # numpy scalar -> Python
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _text_rows(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    records = [{c: _cell_text(row.get(c)) for c in columns} for row in frame.astype(object).to_dict("records")]
    return pd.DataFrame(records, columns=list(columns), dtype="str")


def _read_text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _upsert_observations(existing: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Replace rows with the same unit × period × KPI in place; append the others in file order."""
    columns = list(existing.columns)
    added_rows = _text_rows(new, columns)
    key = ["unit_code", "period", "kpi"]
    position = {tuple(r): i for i, r in enumerate(existing[key].itertuples(index=False, name=None))}
    rows = existing.to_dict("records")
    appended, replaced = [], 0
    for record in added_rows.to_dict("records"):
        index = position.get(tuple(record[k] for k in key))
        if index is None:
            appended.append(record)
        else:
            rows[index] = record
            replaced += 1
    return pd.DataFrame(rows + appended, columns=columns, dtype="str"), len(appended), replaced


def _replace_totals(existing: pd.DataFrame, new: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """This source's totals replace its earlier ones, at the same place in the file."""
    columns = list(existing.columns)
    added = _text_rows(new, columns).to_dict("records")
    rows = existing.to_dict("records")
    mine = [i for i, r in enumerate(rows) if r["source_id"] == source_id]
    at = mine[0] if mine else len(rows)
    others = [r for r in rows if r["source_id"] != source_id]
    before = sum(1 for i in range(at) if rows[i]["source_id"] != source_id)
    return pd.DataFrame(others[:before] + added + others[before:], columns=columns, dtype="str")


def _source_line(result: IngestResult, columns: Sequence[str], today: date) -> str:
    sheets = ", ".join(result.sheets)
    record = {
        "source_id": result.source_id,
        "file": result.path.name,
        "title": f"Tệp số liệu {result.path.name}",
        "publisher": "",
        "published": "",
        "note": f"Imported by dvctt ingest on {today.isoformat()} (nhập ngày {today:%d/%m/%Y}); "
        f"sha256 {result.sha256}; read: {sheets}",
    }
    return _csv_text(pd.DataFrame([{c: record.get(c, "") for c in columns}], dtype="str")).split("\n", 1)[1]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def save_ingest(
    result: IngestResult, campaign: str | os.PathLike[str] | Campaign, *, today: date | None = None
) -> SaveSummary:
    """Write ``result`` into the campaign folder; the folder must still load, or nothing is written."""
    folder = campaign.folder if isinstance(campaign, Campaign) else paths.campaign_dir(campaign)
    today = today or date.today()
    obs_path, totals_path, sources_path = (
        folder / n for n in ("observations.csv", "reported_totals.csv", "sources.csv")
    )
    observations, added, replaced = _upsert_observations(_read_text(obs_path), result.observations)
    totals = _replace_totals(_read_text(totals_path), result.reported_totals, result.source_id)
    sources_text = sources_path.read_text(encoding="utf-8")
    sources = _read_text(sources_path)
    source_added = result.source_id not in set(sources["source_id"])
    if source_added:
        sources_text = sources_text + ("" if sources_text.endswith("\n") else "\n")
        sources_text += _source_line(result, list(sources.columns), today)
    texts = {
        obs_path: _csv_text(observations),
        totals_path: _csv_text(totals),
        sources_path: sources_text,
    }
    # the rejects first: a failure further on must never leave figures saved without their rejects
    rejects_path = folder / REJECTS_DIR / f"{result.path.stem}.rejects.csv"
    if result.issues:
        rejects_path.parent.mkdir(exist_ok=True)
        result.rejects.to_csv(rejects_path, index=False, lineterminator="\n", encoding="utf-8-sig")
    elif rejects_path.exists():
        rejects_path.unlink()
    changed = {p: t for p, t in texts.items() if p.read_text(encoding="utf-8") != t}
    if changed:
        with tempfile.TemporaryDirectory(prefix="dvctt-ingest-") as tmp:
            trial = Path(tmp) / folder.name
            shutil.copytree(folder, trial, ignore=shutil.ignore_patterns(REJECTS_DIR, ".*"))
            for p, t in changed.items():
                (trial / p.name).write_text(t, encoding="utf-8")
            load_campaign(trial)  # raises DataValidationError: the real folder is untouched
        for p, t in changed.items():
            _write_atomic(p, t)
    load_campaign(folder)  # the final check: the campaign still loads
    return SaveSummary(
        folder,
        added,
        replaced,
        len(result.reported_totals),
        source_added,
        rejects_path if result.issues else None,
        tuple(sorted(p.name for p in changed)),
    )


__all__ = [
    "IngestError",
    "IngestResult",
    "OBSERVATION_COLUMNS",
    "SaveSummary",
    "TOTAL_COLUMNS",
    "ingest",
    "ingest_dossiers",
    "is_dossier_file",
    "save_ingest",
    "table_rows",
    "title_range",
]
