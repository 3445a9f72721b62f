"""Number formats decided per column, and the figures of one indicator read from one row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dvctt.ingest.files import Cell, Sheet, cell_at
from dvctt.ingest.headers import Column, Layout
from dvctt.ingest.messages import Issue, message
from dvctt.ingest.numbers import (
    NumberFormatError,
    Scale,
    check_count,
    decimals_of,
    detect_count_convention,
    detect_rate_scale,
    missing_marker,
    parse_count,
    parse_rate,
    rate_evidence,
    split_percent,
)
from dvctt.ingest.vocabulary import _MEASURE_VI, _has_figure, _is_column_numbers, _is_footer

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
    after_footer: tuple[tuple[int, tuple[Cell, ...]], ...] = ()  # rows with figures below the signature block


def table_rows(sheet: Sheet, layout: Layout) -> Table:
    """Rows that hold data: blank rows and the "(1) (2) (3)" row right under the header skipped, stopping at the
    signature block. Rows with figures below the signature block are kept aside, to be rejected loudly."""
    note = layout.find("note")
    measures = [c.index for c in layout.columns if c.field.is_measure]
    kept = []
    rows = sheet.rows[layout.header_row :]
    for offset, row in enumerate(rows):
        number = layout.header_row + offset + 1
        if all(c.empty for c in row) or (not kept and _is_column_numbers(row)):
            continue
        if _is_footer(row, note.index if note else None):
            below = [
                (number + 1 + i, r)
                for i, r in enumerate(rows[offset + 1 :])
                if any(_has_figure(cell_at(r, index)) for index in measures)
            ]
            return Table(tuple(kept), number, tuple(below))
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
        return check_count(cell.number, cell.text)
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
