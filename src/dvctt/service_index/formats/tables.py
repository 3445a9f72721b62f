"""A spreadsheet or CSV, sheet by sheet: each sheet is the 2025 export (MA_COQUAN … TONG_SCORE) or a table
copied from the portal's web page, recognised from its header; each carries its own period and level.

A sheet's period comes from its title ("Tháng 10/2025", "Từ ngày 01/01/2025 đến ngày 31/10/2025"), or from
``--period NAME=P`` naming the sheet (or the file), or from a plain ``--period``; its level from its name or
title ("Sở, ban, ngành", "Cấp xã") or the rows' own codes and names. ``--sheet`` (repeatable) reads only the
named sheets of a workbook; a CSV has one table and is read whole whatever ``--sheet`` says.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dvctt.errors import IngestError
from dvctt.ingest.files import Sheet, read_workbook
from dvctt.ingest.messages import Issue
from dvctt.ingest.result import file_sha256, source_id_for
from dvctt.service_index.definition import IndexPeriod, parse_period
from dvctt.service_index.formats import export2025, web_table
from dvctt.service_index.formats.provenance import Options

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


def _period(options: Options, path: Path, sheet: Sheet, header_row: int) -> IndexPeriod | None:
    """``--period NAME=P`` for this sheet or file (checked against its title), else the title's period (None
    here), else a plain ``--period``: one plain value never overrides what each sheet of a workbook states."""
    names = [n for n in (sheet.name, path.name, str(path)) if n]
    text = options.named_for(*names)
    if text is None and export2025._sheet_meta(sheet, header_row).period is None:
        text = options.period
    return parse_period(text, options.as_of) if text else None


def _header(sheet: Sheet) -> tuple[str, int] | None:
    if (row := export2025.find_header(sheet)) is not None:
        return "export", row
    if (row := web_table.find_header(sheet)) is not None:
        return "web", row
    return None


def _read_sheet(sheet: Sheet, found: tuple[str, int], path: Path, options: Options, level: str | None):
    kind, row = found
    period = _period(options, path, sheet, row)
    if kind == "export":
        records, issues = export2025.sheet_records(sheet, row, period, level)
        for record in records:
            where = f"{path.name}, sheet {sheet.name!r}" if sheet.name else path.name
            record.update(_where=f"{where}, row {record['row']}", _exact=True)
            record["online_service"] = round(float(record["CLGQ"]) + float(record["TTTT"]), 6)
        return records, issues
    as_of = options.as_of.isoformat() if options.as_of and period is None else ""
    return web_table.read_sheet(sheet, row, period, level, as_of)


def read_table_file(
    path: Path, options: Options, sheets: Sequence[str] = (), level: str | None = None
) -> tuple[list[dict], list[Issue], set[str]]:
    """(records, issues, the names of the workbook's sheets: none for a CSV) of one .xlsx or .csv file."""
    try:
        workbook = read_workbook(path)
    except IngestError as exc:
        return [], list(getattr(exc, "issues", [])), set()
    records: list[dict] = []
    issues: list[Issue] = []
    if workbook.kind == "csv":
        chosen = next(((s, h) for s in workbook.sheets if (h := _header(s)) is not None), None)
        if chosen is None:
            rows = export2025.HEADER_SCAN_ROWS
            return [], [Issue(path.name, None, None, None, None, "index_no_header_csv", {"rows": rows})], set()
        tables = [chosen]
        names: list[str] = []
    else:
        names = [s.name for s in workbook.sheets]
        matched = {n for n in sheets if n in names}
        if sheets and not matched:
            listed = ", ".join(repr(n) for n in names)
            wanted = ", ".join(repr(n) for n in sheets)
            return (
                [],
                [Issue(path.name, None, None, None, None, "wrong_sheet", {"sheet": wanted, "sheets": listed})],
                set(names),
            )
        selected = [s for s in workbook.sheets if not sheets or s.name in sheets]
        tables = []
        for sheet in selected:
            found = _header(sheet)
            if found is not None:
                tables.append((sheet, found))
            elif any(not c.empty for r in sheet.rows for c in r):
                rows = export2025.HEADER_SCAN_ROWS
                issues.append(Issue(path.name, sheet.name, None, None, None, "index_no_header", {"rows": rows}))
    source_id = source_id_for(file_sha256(path))
    for sheet, found in tables:
        got, problems = _read_sheet(sheet, found, path, options, level)
        issues += problems
        records += [{**r, "file": path.name, "source_id": source_id} for r in got]
    return records, issues, set(names)
