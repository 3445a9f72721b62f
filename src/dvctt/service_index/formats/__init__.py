"""Readers of the service index's file formats, one module per format, and the one entry point that picks them.

:func:`read_index_files` recognises each file from its content, never from a flag: the 2025 export
(:mod:`.export2025`, .xlsx/.csv) and a table copied from the portal's web page (:mod:`.web_table`), sheet by sheet
(:mod:`.tables`); the 2025 records as JSON (:mod:`.portal2025_json`); the 2026 ``service-results`` answer
(:mod:`.service_results2026`); the 2026 component endpoints, one answer each or in a crawler's bundle
(:mod:`.components2026`). Period and as-of date: :mod:`.provenance`. The records of all files are joined and
checked together (:mod:`.combine`): a duplicate unit across files is refused like one within a file. Nothing
of a call with a problem is returned; files are only read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from dvctt.errors import ParameterError
from dvctt.ingest.messages import Issue, fail
from dvctt.ingest.result import file_sha256, source_id_for
from dvctt.service_index.formats import combine, components2026, portal2025_json, service_results2026, tables
from dvctt.service_index.formats.export2025 import SCORE_FRAME_COLUMNS
from dvctt.service_index.formats.provenance import Options, is_sidecar, stamp

__all__ = ["SCORE_FRAME_COLUMNS", "expand", "read_index_files", "read_index_files_with_notes"]

JSON_SUFFIXES = (".json",)


def expand(files: Sequence[str | Path]) -> list[Path]:
    """Files as given; a directory is every file in it (sorted, sidecars and hidden files left to their answers)."""
    found: list[Path] = []
    for item in files:
        path = Path(item)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            found += [p for p in inside if p.suffix.lower() in (*JSON_SUFFIXES, *tables.TABLE_SUFFIXES)]
            found = [p for p in found if not is_sidecar(p)]
        else:
            found.append(path)
    return found


def _load_json(path: Path) -> tuple[object, list[Issue]]:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig")), []
    except (ValueError, UnicodeDecodeError) as exc:
        return None, [Issue(path.name, None, None, None, None, "unreadable", {"detail": f"not JSON: {exc}"})]


def _read_json(path: Path, options: Options, level: str | None) -> tuple[list[dict], list[Issue], list[Issue]]:
    """The records of one JSON file, by the adapter its content calls for."""
    doc, issues = _load_json(path)
    if issues:
        return [], issues, []
    file_stamp, problems = stamp(path, options)
    if portal2025_json.recognise(doc):
        if problems:
            return [], problems, []
        found, issues = portal2025_json.read(doc, path, file_stamp.period, level)
        if file_stamp.period is None:
            issues.append(Issue(path.name, None, None, None, None, "index_no_period_json"))
        for record in found if file_stamp.as_of is not None else []:
            record["as_of"] = file_stamp.as_of.isoformat()  # type: ignore[union-attr]
        return found, issues, []
    if components2026.recognise_bundle(doc):
        found, issues, notes = components2026.read_bundle(doc, path, file_stamp, level=level)
        return found, problems + issues, notes
    if service_results2026.recognise(doc):
        found, issues = service_results2026.read(doc, path, file_stamp, level=level)
        return found, problems + issues, []
    if isinstance(doc, dict) and ("code" in doc or "data" in doc):  # a 2026 portal answer
        if doc.get("code") != "OK":
            return [], service_results2026.read(doc, path, file_stamp)[1], []
        endpoint = components2026.endpoint_of(doc, path.name)
        if endpoint is None:
            return [], [Issue(path.name, None, None, "data", None, "index_unknown_answer")], []
        found, issues = components2026.read_endpoint(endpoint, doc, path, file_stamp)
        return found, problems + issues, []
    at = "[0]" if isinstance(doc, list) and doc else "$"
    return [], [Issue(path.name, None, None, at, None, "index_unknown_format")], []


def read_index_files_with_notes(
    files: Sequence[Path],
    *,
    period: str | None = None,
    as_of: date | None = None,
    sheets: Sequence[str] = (),
    level: str | None = None,
    periods: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    """:func:`read_index_files` and the notes it keeps as warnings (units whose parts, joined from several
    answers, do not add up to their total; totals computed from the six parts; a radar that disagrees)."""
    if level is not None and level not in ("province", "agency", "commune"):
        raise ParameterError(f"Level {level!r} must be province, agency or commune.")
    options = Options(period=period, as_of=as_of, periods=periods)
    paths = expand(files)
    if not paths:
        raise ParameterError("No file to read: the folder(s) given hold no .json, .xlsx or .csv file.")
    records: list[dict] = []
    issues: list[Issue] = []
    notes: list[Issue] = []
    sheet_names: dict[str, set[str]] = {}  # workbook → its sheets
    for path in paths:
        if not path.is_file():
            issues.append(Issue(path.name, None, None, None, None, "unreadable", {"detail": "file not found"}))
            continue
        if path.suffix.lower() in JSON_SUFFIXES:
            found, problems, remarks = _read_json(path, options, level)
            source_id = source_id_for(file_sha256(path))
            found = [{**r, "source_id": source_id} for r in found]
        else:
            found, problems, names = tables.read_table_file(path, options, sheets, level)
            if names:
                sheet_names[path.name] = names
            remarks = []
        records += found
        issues += problems
        notes += remarks
    for name in sheets:  # every --sheet names a sheet of some workbook read (a CSV is read whole)
        if sheet_names and not any(name in names for names in sheet_names.values()) and not issues:
            listed = "; ".join(f"{f}: " + ", ".join(repr(n) for n in sorted(ns)) for f, ns in sheet_names.items())
            issues.append(Issue(next(iter(sheet_names)), None, None, None, None, "wrong_sheet",
                                {"sheet": name, "sheets": listed}))  # fmt: skip
    joined, problems, remarks = combine.combine(records)
    issues += problems
    notes += remarks
    if issues:
        raise fail(*issues)
    frame = pd.DataFrame(joined, columns=list(SCORE_FRAME_COLUMNS))
    return frame.astype({"row": "int64", "year": "int64"}), notes


def read_index_files(
    files: Sequence[Path],
    *,
    period: str | None = None,
    as_of: date | None = None,
    sheets: Sequence[str] = (),
    level: str | None = None,
    periods: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per unit × period (× as-of date) of every file, in the wide frame (:data:`SCORE_FRAME_COLUMNS`):
    component columns NaN where a file gives only totals. Raises IngestError naming file, sheet/row or JSON
    path and what was expected. ``periods`` maps a file or sheet name to its period (``--period NAME=P``).
    The warnings are in ``frame.attrs["notes"]``."""
    frame, notes = read_index_files_with_notes(
        files, period=period, as_of=as_of, sheets=sheets, level=level, periods=periods
    )
    frame.attrs["notes"] = notes
    return frame
