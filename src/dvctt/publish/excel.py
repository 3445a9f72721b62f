"""The report's tables as one Excel workbook, for analysts who filter and re-use the figures.

The CSV files stay the machine-readable copy (codes, full precision, rates in percent units). The workbook is for
people: translated sheet names, headers and codes (``province`` -> "Cấp tỉnh"), rates stored as real fractions
formatted as percent (92,79% is the number 0.9279 shown with the reader's own decimal separator), unit codes
kept as text so "32134" or "96.A01" never turn into numbers, a frozen header row and readable column widths.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt.labels import LABELS, finding_label, reconcile_note, source_note, t
from dvctt.report.formatting import round_significant
from dvctt.safe_text import safe_text

RATE_FORMAT = "0.00%"
SHARE_FORMAT = "0.0%"
PP_FORMAT = "+0.00;-0.00;0.00"
DIFF_FORMAT = "+0.0000;-0.0000;0.0000"  # reconciliation differences are often within rounding: show 4 decimals
COUNT_FORMAT = "#,##0"
P_FORMAT = "0.0000"
TEXT_FORMAT = "@"
DATE_FORMAT = "dd/mm/yyyy"
HEADER_FILL = "EEF1F4"
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 8, 60, 22
COUNT_METHODS = frozenset({"units_met", "units_total"})  # reconciliation rows about numbers of units
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """How a table column is shown: its header label key and the kind of its values."""

    label: str
    kind: str  # code | text | period | rate | share | pp | count | p | met | bool | label:<prefix> | by_method | ...


def _same(value: str) -> str:
    return value


@dataclass(frozen=True)
class Words:
    """How the workbook names what the tables hold as ids: a period id becomes its label from campaign.toml (or
    the index's period name), the campaign id its name. Nothing in a Vietnamese workbook is an internal id."""

    period: Callable[[str], str] = field(default=_same)
    campaign: str = ""


COLUMNS: dict[str, Column] = {
    "level": Column("col.level", "label:level"),
    "kpi": Column("col.kpi", "label:kpi"),
    "unit_code": Column("col.unit_code", "code"),
    "unit_name": Column("col.unit_name", "text"),
    "published_name": Column("col.published_name", "text"),
    "parent_code": Column("col.parent_code", "code"),
    "period": Column("col.period", "period"),
    "baseline": Column("col.baseline_generic", "rate"),
    "target": Column("col.target", "rate"),
    "result": Column("col.result", "rate"),
    "change_pp": Column("col.change_pp", "pp"),
    "gap_pp": Column("col.gap_pp", "pp"),
    "met": Column("col.met", "met"),
    "status": Column("col.status", "label:status"),
    "baseline_status": Column("col.baseline_status", "label:status"),
    "aggregation": Column("col.aggregation", "label:aggregation"),
    "n_units": Column("col.n_units", "count"),
    "n_units_with_result": Column("col.n_units_with_result", "count"),
    "n_units_met": Column("col.units_met", "count"),
    "n_units_applicable": Column("col.n_units_applicable", "count"),
    "coverage": Column("col.coverage_share", "share"),
    "numerator": Column("col.numerator", "count"),
    "denominator": Column("col.denominator", "count"),
    "baseline_numerator": Column("col.baseline_numerator", "count"),
    "baseline_denominator": Column("col.baseline_denominator", "count"),
    "ci_low": Column("col.ci_low", "rate"),
    "ci_high": Column("col.ci_high", "rate"),
    "change_ci_low": Column("col.change_ci_low", "pp"),
    "change_ci_high": Column("col.change_ci_high", "pp"),
    "p_value": Column("col.p_value", "p"),
    "p_adjusted": Column("col.p_adjusted", "p"),
    "significance": Column("col.significance", "label:significance"),
    "reported": Column("col.reported", "by_method"),
    "recomputed": Column("col.recomputed", "by_method"),
    "difference_pp": Column("col.difference_pp", "by_method_diff"),
    "source": Column("col.source", "source"),
    "method": Column("col.method", "label:method"),
    "consistent": Column("col.consistent", "bool"),
    "verdict": Column("col.verdict", "label:verdict"),
    "note": Column("col.note", "text"),
    "finding": Column("col.finding", "finding"),
    "baseline_source": Column("col.baseline_source", "source"),
    "result_source": Column("col.result_source", "source"),
    "synthetic": Column("col.synthetic", "bool"),
    # partial data (issue 22): a return or a selection, and why a unit has no figure
    "data_kind": Column("col.data_kind", "label:data_kind"),
    "provisional": Column("col.provisional", "bool"),
    "gap": Column("col.gap", "label:gap"),
    "reject_rule": Column("col.reject_rule", "code"),
    "reject_reason_vi": Column("col.reject_reason_vi", "text"),
    "reject_reason_en": Column("col.reject_reason_en", "text"),
    "rejects_file": Column("col.rejects_file", "text"),
    # every unit's rank among all units of its level (issue 13): ties share a rank, empty where not ranked
    "rank": Column("col.rank_in_level", "count"),
    "n_ranked": Column("col.n_ranked", "count"),
    "baseline_rank": Column("col.baseline_rank", "count"),
    "baseline_n_ranked": Column("col.baseline_n_ranked", "count"),
    # the progress report's tables
    "rate": Column("col.rate", "rate"),
    "latest": Column("col.latest", "rate"),
    "latest_period": Column("col.latest_period", "period"),
    "latest_method": Column("col.latest_method", "label:aggregation"),
    "previous_period": Column("col.previous_period_name", "period"),
    "previous": Column("col.previous", "rate"),
    "change_since_previous": Column("col.change_since_previous", "pp"),
    "on_straight_path": Column("col.on_straight_path", "rate"),
    "weekly_gain_needed": Column("col.weekly_gain_needed", "pp"),
    "forecast": Column("col.forecast", "rate"),
    "forecast_low": Column("col.forecast_low", "rate"),
    "forecast_high": Column("col.forecast_high", "rate"),
    "probability_met": Column("col.probability_met", "share"),
    "forecast_points": Column("col.forecast_points", "count"),
    "forecast_model": Column("col.forecast_model", "label:forecast_model"),
    "forecast_reason": Column("col.forecast_reason", "label:forecast_reason"),
    "deadline": Column("col.deadline", "date"),
    "start": Column("col.start", "date"),
    "end": Column("col.end", "date"),
    "order": Column("col.order", "count"),
    "kind": Column("col.period_kind", "label:period_kind"),
    "projected": Column("col.projected", "rate"),
    "weekly_trend": Column("col.weekly_trend", "pp"),
    "n_points": Column("col.n_points", "count"),
    "source_number": Column("col.source_number", "count"),
    "title": Column("col.title", "text"),
    "publisher": Column("col.publisher", "text"),
    "published": Column("col.published", "date"),
}
# The service index (issue 12): scores in points, ranks as counts, codes translated through labels.py. Scoped to
# the index tables, where ``level`` is province | agency | commune and ``score`` is in points.
_INDEX_COLUMNS: dict[str, Column] = {
    "level": Column("col.index_level", "label:index.level"),
    "component": Column("col.component", "label:index.component"),
    "score": Column("col.index_score", "points"),
    "max_points": Column("col.max_points", "points"),
    "points_lost": Column("col.points_lost", "points"),
    "total": Column("col.total", "points"),
    "total_change": Column("col.index_change", "points"),
    "weakest_lost": Column("col.weakest_lost", "points"),
    "rank": Column("col.rank", "count"),
    "n_peers": Column("col.n_peers", "count"),
    "rank_change": Column("col.rank_change", "count"),
    "previous_period": Column("col.previous_period", "period"),
    "as_of": Column("col.as_of", "date"),  # "" when the file does not state it
    "previous_as_of": Column("col.previous_as_of", "date"),
    "unranked": Column("col.unranked", "label:index.unranked_code"),
    "group": Column("col.group", "label:index.group"),
    "weakest": Column("col.weakest", "label:index.component"),
    "ma_coquan": Column("col.ma_coquan", "code"),
    "official_code": Column("col.official_code", "code"),
    "printed_rank": Column("col.printed_rank", "code"),
    "printed_note": Column("col.index_note", "label:index.note"),
}
#: Column specs that hold in one table only (they win over COLUMNS there).
_OLD_UNIT_COLUMNS = {
    "old_code": Column("col.old_code", "code"), "old_name": Column("col.old_name", "text"),
    "old_district": Column("col.old_district", "text"), "old_province": Column("col.old_province", "text"),
    "new_code": Column("col.new_code", "code"), "new_name": Column("col.new_name", "text"),
    "split": Column("col.split", "bool"), "used_for_pooling": Column("col.used_for_pooling", "bool"),
    "n_parts": Column("col.n_parts", "count"), "old_codes": Column("col.old_codes", "code"),
    "comparable": Column("col.comparable", "bool"), "method": Column("col.pooling", "label:old_units"),
    "reason": Column("col.reason", "label:old_units"),
}  # fmt: skip
TABLE_COLUMNS: dict[str, dict[str, Column]] = {
    **{table: _INDEX_COLUMNS for table in ("index_scores", "index_units", "index_rank_notes")},
    "old_to_new": _OLD_UNIT_COLUMNS,
    "old_units_baseline": _OLD_UNIT_COLUMNS,
    "reconciliation": {"note": Column("col.note", "reconcile_note")},
    "old_parts": _OLD_UNIT_COLUMNS,
}
_UNIT_TABLE = re.compile(r"^unit_.+_(?=(summary|units_under|old_parts)$)")  # a unit report's table: unit_<code>_…

FORMATS = {
    "rate": RATE_FORMAT,
    "share": SHARE_FORMAT,
    "pp": PP_FORMAT,
    "diff": DIFF_FORMAT,
    "count": COUNT_FORMAT,
    "p": P_FORMAT,
    "points": "0.00",
}


def _missing(value: Any) -> bool:
    """NaN, None and pandas' NA all mean an empty cell, never 0."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _label(prefix: str, code: Any, lang: str) -> str:
    """A code's label when the translation table has one; otherwise the code itself, unchanged."""
    key = f"{prefix}.{code}"
    return t(key, lang) if key in LABELS else str(code)


def column_spec(name: str, series: pd.Series, table: str = "") -> Column:
    """The known spec of a column, or one guessed from its dtype (tables may grow columns before this file)."""
    scoped = TABLE_COLUMNS.get(_UNIT_TABLE.sub("", table), {})  # a unit report's "unit_<code>_old_parts" too
    if name in scoped:
        return scoped[name]
    if name in COLUMNS:
        return COLUMNS[name]
    if pd.api.types.is_bool_dtype(series):
        return Column(name, "bool")
    if pd.api.types.is_numeric_dtype(series):
        return Column(name, "number")
    return Column(name, "text")


def _row_kind(kind: str, row: Mapping[str, Any]) -> str:
    """Reconciliation mixes rates, unit counts and point gaps in one column; the row's method decides."""
    method = row.get("method")
    if kind == "by_method":
        return "count" if method in COUNT_METHODS else "pp" if method == "unit_gap" else "rate"
    if kind == "by_method_diff":
        return "count" if method in COUNT_METHODS else "diff"
    return kind


def cell_value(value: Any, kind: str, lang: str, words: Words = Words()) -> tuple[Any, str]:
    """The value to store and its number format: rates become fractions, codes stay text, NA stays empty."""
    if _missing(value):
        return None, TEXT_FORMAT if kind in {"code", "text"} else "General"
    if kind == "rate":
        return round(float(value) / 100, 12), RATE_FORMAT  # 92.79 -> 0.9279, without 0.9279000000000001
    if kind in FORMATS:
        number = round_significant(float(value))  # 29.140000000000008 -> 29.14
        return (int(number) if kind == "count" and number.is_integer() else number), FORMATS[kind]
    if kind == "met":
        return t("met.true" if bool(value) else "met.false", lang), TEXT_FORMAT
    if kind == "source":  # "computed: mean of 18 unit rates" -> the reader's language
        return source_note(str(value), lang), TEXT_FORMAT
    if kind == "period":  # "2023-campaign" -> "Chiến dịch 69 ngày đêm (01/3–09/5/2023)"
        return safe_text(words.period(str(value))), TEXT_FORMAT
    if kind == "reconcile_note":  # "printed counts 42839/82015" -> "số hồ sơ được in: 42.839/82.015"
        return safe_text(reconcile_note(str(value), lang)), TEXT_FORMAT
    if kind == "finding":  # "unit_mean.differs" -> "Trung bình tỷ lệ các đơn vị — Lệch"
        return finding_label(str(value), lang), TEXT_FORMAT
    if kind == "date":
        return _as_date(value), DATE_FORMAT
    if kind == "bool":
        return t("bool.true" if bool(value) else "bool.false", lang), TEXT_FORMAT
    if kind.startswith("label:"):
        return safe_text(_label(kind.removeprefix("label:"), value, lang)), TEXT_FORMAT
    if kind == "number" and isinstance(value, numbers.Real) and math.isfinite(float(value)):
        return value, "General"
    return safe_text(str(value)), TEXT_FORMAT


def _as_date(value: Any) -> Any:
    """A real date cell (shown dd/mm/yyyy), or the text unchanged when it is not a date."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)


def sheet_title(key: str, lang: str) -> str:
    """The sheet's translated name, cut to Excel's 31 characters and free of the characters Excel refuses. A table
    whose file stem carries its report ("progress_report_levels", "unit_96.A04_summary") is named by its last part."""
    known = [k.removeprefix("sheet.") for k in LABELS if k.startswith("sheet.")]
    matches = [k for k in known if key == k or key.endswith(f"_{k}")]
    name = t(f"sheet.{max(matches, key=len)}", lang) if matches else key
    return _SHEET_FORBIDDEN.sub("-", name)[:31]


def _display_width(value: Any, number_format: str) -> int:
    """Roughly how many characters Excel needs to show the value."""
    if value is None:
        return 0
    if isinstance(value, numbers.Real) and number_format != "General":
        return 10
    return len(str(value))


def _write_sheet(sheet: Any, frame: pd.DataFrame, lang: str, table: str = "", words: Words = Words()) -> None:
    """Header row, typed and formatted cells, frozen header, filter and column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    specs = [column_spec(str(name), frame[name], table) for name in frame.columns]
    headers = [safe_text(t(spec.label, lang) if spec.label in LABELS else spec.label) for spec in specs]
    sheet.append(headers)
    widths = [min(len(h), MAX_HEADER_WIDTH) for h in headers]
    for row, record in enumerate(frame.to_dict("records"), start=2):
        cells = [
            cell_value(value, _row_kind(spec.kind, record), lang, words)
            for spec, value in zip(specs, record.values(), strict=True)
        ]
        widths = [max(w, _display_width(*cell)) for w, cell in zip(widths, cells, strict=True)]
        sheet.append([safe_text(stored) for stored, _ in cells])  # no text cell is a formula
        for column, (_, number_format) in enumerate(cells, start=1):  # by position: sheet.max_row scans the sheet
            sheet.cell(row=row, column=column).number_format = number_format
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        cell.number_format = TEXT_FORMAT
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(width + 2, MAX_WIDTH))
    sheet.freeze_panes = "A2"
    if frame.shape[1]:
        sheet.auto_filter.ref = sheet.dimensions


def _write_about(sheet: Any, about: Mapping[str, Any], lang: str, words: Words = Words()) -> None:
    """Which data, code and parameters made the workbook: the report footer, as two columns, in the reader's words
    (the campaign's name, the period's label, the language's name; the data hash and version stay as they are)."""
    shown = {
        "campaign": words.campaign or about.get("campaign"),
        "period": words.period(str(about["period"])) if "period" in about else None,
        "lang": t(f"lang.{about['lang']}", lang) if f"lang.{about.get('lang')}" in LABELS else about.get("lang"),
    }
    for key in ("campaign", "period", "lang", "data_hash", "version", "rendered_at"):
        if key in about:
            sheet.append([t(f"about.{key}", lang), safe_text(str(shown.get(key) or about[key]))])
    sheet.append([])
    sheet.append([t("about.note", lang)])
    for row in sheet.iter_rows():
        for cell in row:
            cell.number_format = TEXT_FORMAT
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 68


def write_workbook(
    tables: Mapping[str, pd.DataFrame],
    path: Path,
    lang: str,
    *,
    about: Mapping[str, Any] | None = None,
    words: Words = Words(),
) -> Path:
    """Write one sheet per table (in the given order), plus an "about" sheet when ``about`` is given; ``words``
    names the period and campaign ids."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, frame in tables.items():
        if frame.empty and (len(tables) > 1 or about):  # no header-only sheet beside real ones
            continue
        _write_sheet(workbook.create_sheet(sheet_title(str(key), lang)), frame, lang, str(key), words)
    if about:
        _write_about(workbook.create_sheet(sheet_title("about", lang)), about, lang, words)
        workbook.properties.title = f"dvctt {about.get('campaign', '')} {about.get('period', '')}".strip()
        workbook.properties.creator = f"dvctt {about.get('version', '')}".strip()
    path = Path(path)
    workbook.save(path)
    return path
