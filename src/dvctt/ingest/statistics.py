"""Bringing unit-level statistics files (one row per unit, per period) into a campaign folder.

One front door, :func:`ingest`, reads a CSV or XLSX file as analysts receive it — title rows, merged header
rows, Vietnamese / unaccented / English headers, Vietnamese number formats, "Tổng" and "I. CẤP TỈNH" rows —
and returns tidy observations in the shape of ``observations.csv``, the totals the file prints, and every
rejected value with its reason in Vietnamese and English. Nothing is guessed: an ambiguous unit name, an
ambiguous number column or a value that breaks a rule is reported, never silently fixed or dropped.

:func:`save_ingest` then upserts the valid rows into the campaign folder (observations keyed on unit × period ×
KPI, the file as a source ``ingest-<sha256 prefix>``, totals with ``headline=false``), writes the rejects to
``rejects/<file stem>.<hash>.rejects.csv``, and proves the folder still loads. Ingesting the same file twice changes
nothing; the input file is only ever read.

A dossier-level export (one row per dossier, national-portal fields: MaHoSo, DonViXuLy, NgayTiepNhan, …) comes
in through the same door: :func:`ingest` recognises it by its columns and :func:`ingest_dossiers` counts it with
:func:`dvctt.dossiers.aggregate.aggregate_dossiers` over the campaign's own periods, so it is saved, checked for
conflicts and rejected exactly like a unit-level file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dvctt.campaign.definition import Campaign, Period
from dvctt.campaign.form_counts import COLUMNS as FORM_COUNT_COLUMNS
from dvctt.errors import ParameterError
from dvctt.ingest.dossier_files import ingest_dossiers
from dvctt.ingest.files import Sheet, Workbook, read_workbook
from dvctt.ingest.form import find_forms, read_forms
from dvctt.ingest.formats import detect_formats, table_rows
from dvctt.ingest.headers import Layout, assign_orphans, find_layout, partial_layout
from dvctt.ingest.messages import Issue, fail
from dvctt.ingest.numbers import (
    Scale,
)
from dvctt.ingest.result import (
    IngestResult,
    _conflicts,
    _duplicates,
    _frame,
    open_source,
)
from dvctt.ingest.sheet import SheetContext, _SheetReader
from dvctt.ingest.unit_matching import UnitMatcher
from dvctt.ingest.vocabulary import DOSSIER_KEY_COLUMNS, OBSERVATION_COLUMNS, TOTAL_COLUMNS, title_range

# ------------------------------------------------------------------------------------------- front door


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
    unit: str | None = None,
    accept_fuzzy: bool = False,
) -> IngestResult:
    """Read one statistics file against ``campaign`` (id, folder or loaded campaign).

    ``period`` is a period id of the campaign (needed unless the file has a period column); ``scale`` decides
    rate columns whose values cannot tell fractions from percentages; ``replace`` lets this file overwrite
    values another source gave; ``accept_fuzzy`` stores units matched by a name with a small spelling
    difference (else every such row is rejected, naming the unit it is close to). Raises
    :class:`~dvctt.errors.IngestError` when nothing can be read from the file; row-level problems are returned
    in ``issues`` and the valid rows are kept.

    A dossier-level export (``dossiers=True``, or by default any file :func:`is_dossier_file` recognises) is
    handed to :func:`ingest_dossiers`, so callers have one front door for both kinds of file. A sheet that is
    the standard statistics form ("tình hình, kết quả giải quyết TTHC") is read by :mod:`dvctt.ingest.form`;
    ``unit`` (a unit code) names the unit a form by field (lĩnh vực) belongs to.
    """
    path = Path(path)
    if dossiers or (dossiers is None and path.is_file() and is_dossier_file(path)):
        given = [
            name
            for name, value in (("--sheet", sheet), ("--percent/--fraction", scale), ("--encoding", encoding))
            if value
        ]
        if unit:
            given.append("--unit")
        if given:
            raise ParameterError(f"{', '.join(given)} apply to unit-level files, not to the dossier-level {path.name}.")
        return ingest_dossiers(path, campaign, period, replace=replace)
    camp, sha, source_id, chosen = open_source(path, campaign, period)
    ctx = SheetContext(camp, UnitMatcher(camp.units), source_id, chosen, accept_fuzzy)
    workbook = read_workbook(path, sheet=sheet, encoding=encoding)
    observations: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    issues: list[Issue] = []
    notices: list[str] = []
    read_sheets: list[str] = []
    forms = find_forms(workbook)
    if unit and not forms:
        raise ParameterError(f"--unit applies to a statistics form by field (lĩnh vực), which {path.name} is not.")
    if forms and chosen is None:
        sheet_ = forms[0][0]
        raise fail(Issue(sheet_.file, sheet_.name, None, None, None, "period_missing", {"periods": ctx.period_list}))
    for table, form_layout in forms:
        _check_title_dates(table, Layout(form_layout.header_rows[0], (), form_layout.title_rows), chosen)
    form = read_forms(forms, ctx, unit) if forms else None
    if form is not None:
        observations += form.observations
        totals += form.totals
        issues += form.issues
        notices += form.notices
        read_sheets += [t.name or t.file for t in form.sheets]
    # the other sheets of a workbook are read as unit-level tables; a CSV is one table
    tables = [] if forms and workbook.kind == "csv" else _pick_table(workbook)
    tables = [(t, lo) for t, lo in tables if all(t is not f for f, _ in forms)]
    if not forms and all(layout is None for _, layout in tables):
        raise fail(*[_no_header(workbook, s) for s, _ in tables if any(not c.empty for r in s.rows for c in r)])
    data_rows = 0
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
        data_rows += len(rows.rows) + len(rows.after_footer)
        formats = detect_formats(table, layout, rows, scale)
        read = _SheetReader(table, layout, rows, formats, ctx).read()
        observations += read.observations
        totals += read.totals
        issues += read.issues
        notices += read.notices
        if layout.ignored:
            notices.append(f"{table.where}: columns not read: {', '.join(layout.ignored)}")
        read_sheets.append(table.name or table.file)
    if not forms and not data_rows:  # a header and nothing under it: an export that went wrong
        header_sheets = [t for t, lo in tables if lo is not None]
        raise fail(*[Issue(t.file, t.name, None, None, None, "no_rows", {}) for t in header_sheets])
    observations, duplicate_issues = _duplicates(observations)
    observations, conflict_issues = _conflicts(observations, camp.observations, source_id, replace)
    issues += duplicate_issues + conflict_issues
    order = {name: i for i, name in enumerate(t.name for t in workbook.sheets)}
    issues.sort(key=lambda i: (order.get(i.sheet, 0), i.row or 0, i.column or ""))
    if workbook.encoding:
        notices.insert(0, f"{path.name}: read as {workbook.encoding}")
    obs_frame = _frame(
        observations, OBSERVATION_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "rate": "Float64"}
    )
    totals_frame = _frame(
        totals, TOTAL_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "value": "Float64", "headline": "boolean"}
    )
    counts = None
    if form is not None:
        counts = _frame(form.counts, FORM_COUNT_COLUMNS, {c: "Int64" for c in FORM_COUNT_COLUMNS[3:-2]})
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
        form_counts=counts,
        variants=tuple(form.variants) if form is not None else (),
    )
