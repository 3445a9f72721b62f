"""Read the national portal's service-index export (Decision 766) as analysts download it: .xlsx or .csv.

One row per unit (province, provincial agency or commune) with the portal's columns (see
:data:`dvctt.service_index.definition.EXPORT_COLUMNS`, in any order), every number possibly stored as text with
either decimal mark, a title row above the header or none, one sheet or several. Every problem is collected and
raised together as one :class:`~dvctt.errors.IngestError` naming file, sheet, row, column and value: nothing of
a file with a problem is kept (an export is one ranking; half of it would rank wrongly). The file is only read.

The printed rank (``ROW_STT``) is kept as printed and never used: real exports have gaps, offsets and ties
printed as different ranks. The period comes from ``--period`` or from a title above the header ("Tháng
10/2025", "Quý III/2025", "Từ ngày 01/01/2025 đến ngày 31/10/2025"); a sheet that gives neither is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from dvctt.errors import ParameterError
from dvctt.ingest.admin_units import fold_accents
from dvctt.ingest.files import Cell, Sheet, read_workbook
from dvctt.ingest.messages import Issue, fail
from dvctt.ingest.result import file_sha256, source_id_for
from dvctt.ingest.vocabulary import title_range
from dvctt.service_index import units as index_units
from dvctt.service_index.definition import (
    COMPONENT_MAX,
    COMPONENTS,
    EXPORT_COLUMNS,
    SUM_TOLERANCE,
    TOTAL_MAX,
    IndexPeriod,
    parse_period,
)

HEADER_SCAN_ROWS = 10
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class SheetMeta:
    """What the lines above the header say: the period and the level, when they say it."""

    period: IndexPeriod | None
    level: str | None


# ------------------------------------------------------------------------------------------------ title


_MONTH_TITLE = re.compile(r"thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})")
_QUARTER_TITLE = re.compile(r"quy\s*([1-4]|iv|iii|ii|i)\s*(?:/|nam)\s*(\d{4})")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_LEVEL_WORDS = (
    ("commune", ("cap xa", "xa, phuong", "xa phuong", "xa/phuong")),
    ("agency", ("so, ban, nganh", "so ban nganh", "so nganh", "co quan cap tinh", "so, nganh")),
    ("province", ("cap tinh", "tinh, thanh pho", "tinh/thanh pho", "63 tinh", "34 tinh")),
)


def _fold(text: str) -> str:
    return " ".join(fold_accents(text).casefold().split())


def _period_from_title(lines: Sequence[str]) -> IndexPeriod | None:
    """The period a title names; a date range from 1 January is a year to date as of its last day."""
    folded = _fold(" ".join(lines))
    span = title_range([list(lines)])
    if span is not None:
        start, end = span
        if start == date(end.year, 1, 1):
            return parse_period(f"{end.year}-ytd-{end.month:02d}", as_of=end)
    if match := _MONTH_TITLE.search(folded):
        return parse_period(f"{match.group(2)}-{int(match.group(1)):02d}")
    if match := _QUARTER_TITLE.search(folded):
        return parse_period(f"{match.group(2)}-q{_ROMAN.get(match.group(1), match.group(1))}")
    return None


def level_from_text(text: str) -> str | None:
    """The one level a sheet name or title names ("Cấp xã", "Sở, ban, ngành"), else None."""
    folded = _fold(text)
    found = {level for level, words in _LEVEL_WORDS if any(word in folded for word in words)}
    return found.pop() if len(found) == 1 else None  # a name naming two levels decides nothing


def _sheet_meta(sheet: Sheet, header_row: int) -> SheetMeta:
    lines = [" ".join(c.text for c in row if c.text) for row in sheet.rows[:header_row]]
    title = " ".join(line for line in lines if line)
    level = level_from_text(sheet.name or "") or level_from_text(title)
    return SheetMeta(_period_from_title(lines), level)


# ----------------------------------------------------------------------------------------------- header


def _header_key(text: str) -> str:
    return text.strip().upper()


def find_header(sheet: Sheet) -> int | None:
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        keys = {_header_key(c.text) for c in row}
        if {"MA_COQUAN", "TONG_SCORE"} <= keys:
            return index
    return None


def _columns(sheet: Sheet, header_row: int) -> tuple[dict[str, int], list[Issue]]:
    """Column name → index; every unknown, duplicated or missing column is an issue."""
    issues: list[Issue] = []
    found: dict[str, int] = {}
    header = sheet.rows[header_row]
    for index, cell in enumerate(header):
        key = _header_key(cell.text)
        if not key:
            if any(index < len(r) and not r[index].empty for r in sheet.rows[header_row + 1 :]):
                issues.append(_issue(sheet, header_row, f"#{index + 1}", "", "index_unknown_column"))
            continue
        if key not in EXPORT_COLUMNS:
            issues.append(_issue(sheet, header_row, cell.text, cell.text, "index_unknown_column"))
        elif key in found:
            issues.append(_issue(sheet, header_row, cell.text, cell.text, "index_duplicate_column"))
        else:
            found[key] = index
    for column in EXPORT_COLUMNS:
        if column not in found:
            issues.append(_issue(sheet, header_row, column, None, "index_missing_column", name=column))
    return found, issues


def _issue(sheet: Sheet, row_index: int | None, column: str | None, value: str | None, rule: str, **params) -> Issue:
    if rule == "index_unknown_column":
        params.setdefault("expected", ", ".join(EXPORT_COLUMNS))
    row = None if row_index is None else row_index + 1
    return Issue(sheet.file, sheet.name, row, column, value, rule, params)


# ------------------------------------------------------------------------------------------------- rows


def _score(cell: Cell) -> Decimal | str:
    """The score a cell holds, or the rule it breaks."""
    if cell.number is not None and not cell.percent_format:
        return cell.number
    text = cell.text.replace(" ", "")
    if not text:
        return "index_empty_score"
    if not _NUMBER.match(text):
        return "index_not_a_number"
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return "index_not_a_number"


def _text(row: Sequence[Cell], index: int) -> str:
    return row[index].text if index < len(row) else ""


_LEVEL_VI = {"province": "tỉnh", "agency": "sở, ban, ngành", "commune": "xã", "agency/commune": "sở ngành hoặc xã"}


def _level_params(row_level: str, sheet_level: str) -> dict[str, str]:
    return {
        "row_level": row_level,
        "sheet_level": sheet_level,
        "row_level_vi": _LEVEL_VI[row_level],
        "sheet_level_vi": _LEVEL_VI[sheet_level],
    }


def _decide_level(code: str, name: str, sheet_level: str | None) -> str | tuple[str, dict[str, str]]:
    """The row's level, or (rule, params) when it is undecided or contradicts the sheet."""
    own = index_units.level_of(code, name)
    if own is not None and sheet_level is not None and own != sheet_level:
        return "index_level_conflict", _level_params(own, sheet_level)
    if own is None and sheet_level is None:
        return "index_level_undecided", {}
    if own is None and sheet_level == "province" and "." in code:
        return "index_level_conflict", _level_params("agency/commune", sheet_level)
    return own or str(sheet_level)


def _read_row(
    sheet: Sheet, index: int, row: Sequence[Cell], columns: dict[str, int], sheet_level: str | None
) -> tuple[dict[str, object] | None, list[Issue]]:
    issues: list[Issue] = []
    printed_code = _text(row, columns["MA_COQUAN"])
    name = _text(row, columns["TEN"]) or _text(row, columns["TEN_COQUAN"])
    code = index_units.normalize_code(printed_code)
    if code is None:
        issues.append(_issue(sheet, index, "MA_COQUAN", printed_code, "index_bad_code"))
    scores: dict[str, Decimal] = {}
    for column in (*COMPONENTS, "TONG_SCORE"):
        cell = row[columns[column]] if columns[column] < len(row) else Cell()
        value = _score(cell)
        maximum = COMPONENT_MAX.get(column, TOTAL_MAX)
        if isinstance(value, str):
            issues.append(_issue(sheet, index, column, cell.text, value))
        elif value < 0:
            issues.append(_issue(sheet, index, column, cell.text, "index_below_zero"))
        elif value > Decimal(str(maximum)):
            issues.append(_issue(sheet, index, column, cell.text, "index_above_max", max=f"{maximum:g}"))
        else:
            scores[column] = value
    if len(scores) == len(COMPONENTS) + 1:
        total = sum(scores[c] for c in COMPONENTS)
        if abs(total - scores["TONG_SCORE"]) > Decimal(str(SUM_TOLERANCE)):
            text = _text(row, columns["TONG_SCORE"])
            issues.append(
                _issue(sheet, index, "TONG_SCORE", text, "index_sum", sum=f"{total}", tolerance=SUM_TOLERANCE)
            )
    level: str | None = None
    if code is not None:
        decided = _decide_level(code, name, sheet_level)
        if isinstance(decided, tuple):
            issues.append(_issue(sheet, index, "MA_COQUAN", printed_code, decided[0], **decided[1]))
        else:
            level = decided
    if issues or code is None or level is None:
        return None, issues
    official_code, official_name, code_source, note = index_units.official(level, code, name)
    record: dict[str, object] = {
        "unit_code": code,
        "ma_coquan": printed_code,
        "unit_name": name,
        "ten_coquan": _text(row, columns["TEN_COQUAN"]),
        "level": level,
        "province_code": index_units.province_of(code),
        "official_code": official_code,
        "official_name": official_name,
        "code_source": code_source,
        "code_note": note,
        "portal_id": _text(row, columns["ID"]),
        "id_coquan": _text(row, columns["ID_COQUAN"]),
        "loai_coquan": _text(row, columns["LOAI_COQUAN"]),
        "capdonviid": _text(row, columns["CAPDONVIID"]),
        **{c: float(scores[c]) for c in COMPONENTS},
        "total": float(scores["TONG_SCORE"]),
        "printed_rank": _text(row, columns["ROW_STT"]),
        "sheet": sheet.name or "",
        "row": index + 1,
    }
    return record, []


# ------------------------------------------------------------------------------------------------ sheets


def sheet_records(
    sheet: Sheet, header_row: int, period: IndexPeriod | None, level: str | None
) -> tuple[list[dict[str, object]], list[Issue]]:
    meta = _sheet_meta(sheet, header_row)
    issues: list[Issue] = []
    if period is not None and meta.period is not None and meta.period.id != period.id:
        issues.append(
            _issue(sheet, None, None, None, "index_period_conflict", sheet_period=meta.period.id, period=period.id)
        )
    chosen = period or meta.period
    if chosen is None:
        issues.append(_issue(sheet, None, None, None, "index_no_period"))
    columns, column_issues = _columns(sheet, header_row)
    issues.extend(column_issues)
    if column_issues:
        return [], issues
    records: list[dict[str, object]] = []
    for index in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if all(c.empty for c in row):
            continue
        record, row_issues = _read_row(sheet, index, row, columns, level or meta.level)
        issues.extend(row_issues)
        if record is not None and chosen is not None:
            record.update(period=chosen.id, period_kind=chosen.kind, year=chosen.year, as_of=chosen.as_of_text)
            records.append(record)
    return records, issues


def _tables(path: Path, sheet: str | None) -> tuple[list[tuple[Sheet, int]], list[Issue]]:
    """Each sheet with its header row; a CSV is read with the separator whose header is found."""
    workbook = read_workbook(path, sheet=sheet)
    found = [(s, h) for s in workbook.sheets if (h := find_header(s)) is not None]
    if workbook.kind == "csv":
        found = found[:1]
        missing = [] if found else [workbook.sheets[0]]
    else:
        missing = [s for s in workbook.sheets if find_header(s) is None and any(not c.empty for r in s.rows for c in r)]
    issues = [_issue(s, None, None, None, "index_no_header", rows=HEADER_SCAN_ROWS) for s in missing]
    return found, issues


SCORE_FRAME_COLUMNS: tuple[str, ...] = (
    "unit_code", "ma_coquan", "unit_name", "ten_coquan", "level", "province_code", "official_code", "official_name",
    "code_source", "code_note", "portal_id", "id_coquan", "loai_coquan", "capdonviid", *COMPONENTS, "total",
    "printed_rank", "period", "period_kind", "year", "as_of", "file", "sheet", "row", "source_id", "online_service",
)  # fmt: skip


def _duplicates(records: list[dict[str, object]]) -> list[Issue]:
    """Every copy of a unit that appears twice in one period (within a file or across the files read)."""
    seen: dict[tuple[object, object], dict[str, object]] = {}
    issues = []
    for record in records:
        key = (record["unit_code"], record["period"])
        if key in seen:
            first = seen[key]
            other = f"{first['file']}, {first['sheet'] or 'CSV'}, row {first['row']}"
            sheet_name = str(record["sheet"]) or None
            issues.append(
                Issue(
                    str(record["file"]), sheet_name, int(record["row"]), "MA_COQUAN", str(record["ma_coquan"]),
                    "index_duplicate_unit", {"other": other},
                )
            )  # fmt: skip
        else:
            seen[key] = record
    return issues


def read_index_exports(
    files: Sequence[str | Path],
    *,
    period: str | None = None,
    as_of: date | None = None,
    sheet: str | None = None,
    level: str | None = None,
) -> pd.DataFrame:
    """One row per unit × period of every file, checked; raises IngestError listing every problem of every file.

    ``period``/``as_of`` apply to every sheet that does not state its own (a sheet that states another is an
    error); ``level`` forces the level of sheets whose rows do not show it. Columns: :data:`SCORE_FRAME_COLUMNS`.
    """
    chosen = parse_period(period, as_of) if period else None
    if level is not None and level not in ("province", "agency", "commune"):
        raise ParameterError(f"Level {level!r} must be province, agency or commune.")
    records: list[dict[str, object]] = []
    issues: list[Issue] = []
    for item in files:
        path = Path(item)
        tables, file_issues = _tables(path, sheet)
        issues.extend(file_issues)
        source_id = source_id_for(file_sha256(path))
        for table, header_row in tables:
            sheet_records_, sheet_issues = sheet_records(table, header_row, chosen, level)
            issues.extend(sheet_issues)
            records.extend({**r, "file": path.name, "source_id": source_id} for r in sheet_records_)
    issues.extend(_duplicates(records))
    if issues:
        raise fail(*issues)
    frame = pd.DataFrame(records, columns=list(SCORE_FRAME_COLUMNS))
    frame = frame.assign(online_service=(frame["CLGQ"] + frame["TTTT"]).round(6))
    return frame.astype({"row": "int64", "year": "int64"})
