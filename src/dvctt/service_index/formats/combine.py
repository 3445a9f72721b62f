"""The records of every file read in one call, joined into one row per unit × period × as-of date.

A unit's total and its components may come from different answers of the same snapshot (``service-results``
and the six component endpoints, in one bundle or as separate files of a ``dvctt fetch`` folder): they are joined
here. Rows without a ``departmentCode`` (TRANSPARENCY, HANDLING_SATISFACTION) take the code of the row with the
same ``departmentId`` in the other answers read. A figure given twice for one unit and snapshot is a duplicate
unit (refused, as for the 2025 export). Parts joined from several answers are checked against the total within
:data:`.components2026.BUNDLE_TOLERANCE`; a unit beyond it is kept as the portal gives it and reported in a note.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from dvctt.ingest.messages import Issue
from dvctt.service_index import units as index_units
from dvctt.service_index.definition import COMPONENTS
from dvctt.service_index.formats.components2026 import BUNDLE_TOLERANCE

FIELDS = (*COMPONENTS, "total")


def _given(record: dict) -> set[str]:
    return {f for f in FIELDS if not math.isnan(float(record[f]))}


def _place(record: dict) -> tuple[str, str | None, int | None, str | None, str]:
    """Where an issue about this record points: (file, sheet, row, column, value)."""
    where = str(record["_where"])
    if str(record["file"]).lower().endswith(".json"):  # where = "file path.in.the[json]"
        return (
            str(record["file"]),
            None,
            None,
            f"{where.split(' ', 1)[1]}.{record.get('_code_key', 'departmentCode')}",
            str(record["unit_code"]),
        )
    return (
        str(record["file"]),
        (str(record["sheet"]) or None),
        int(record["row"]),
        "MA_COQUAN",
        str(record["ma_coquan"]),
    )


def _fill_codes(records: list[dict]) -> list[Issue]:
    """Codes for rows that have only a ``departmentId``, from the other answers read."""
    by_id = {r["portal_id"]: r for r in records if r["unit_code"] and r["portal_id"]}
    issues = []
    for record in records:
        if record["unit_code"]:
            continue
        known = by_id.get(record["portal_id"])
        if known is None:
            file, _, _, _, _ = _place({**record, "unit_code": ""})
            path = str(record["_where"]).split(" ", 1)[1]
            issues.append(Issue(file, None, None, f"{path}.departmentId", str(record["portal_id"]),
                                "index_unit_without_code"))  # fmt: skip
            continue
        code = str(known["unit_code"])
        record.update(unit_code=code, ma_coquan=code, province_code=index_units.province_of(code))
        if record["level"] is None:
            record["level"] = known["level"]
    return issues


def _merge(group: list[dict]) -> tuple[dict | None, list[Issue], list[Issue]]:
    """One unit × snapshot from its records, or the issues that refuse it; plus notes."""
    issues: list[Issue] = []
    owner: dict[str, dict] = {}
    for record in group:
        for field in sorted(_given(record)):
            if field in owner:
                other = owner[field]
                issues.append(Issue(*_place(record), "index_duplicate_unit", {"other": other["_where"]}))
                break
            owner[field] = record
    if issues:
        return None, issues, []
    base = owner.get("total") or group[0]
    merged = {**base}
    for field, record in owner.items():
        merged[field] = record[field]
        if field != "total" and base is not record:
            merged["_exact"] = False
    if merged["level"] is None:
        merged["level"] = next((r["level"] for r in group if r["level"]), None)
    parts = [c for c in COMPONENTS if c in owner]
    notes: list[Issue] = []
    if "total" not in owner:
        if len(parts) < len(COMPONENTS):
            given = ", ".join(parts)
            return None, [Issue(*_place(base), "index_total_missing", {"given": given})], []
        merged["total"] = round(sum(float(owner[c][c]) for c in COMPONENTS), 2)
        notes.append(Issue(*_place(base), "index_total_computed", {"total": f"{merged['total']:g}"}))
    elif len(parts) == len(COMPONENTS) and not merged["_exact"]:
        added = round(sum(float(merged[c]) for c in COMPONENTS), 6)
        if abs(added - float(merged["total"])) > BUNDLE_TOLERANCE + 1e-9:
            notes.append(Issue(*_place(owner["total"]), "index_sum_joined",
                               {"sum": f"{added:g}", "total": f"{float(merged['total']):g}",
                                "tolerance": BUNDLE_TOLERANCE}))  # fmt: skip
    if {"CLGQ", "TTTT"} <= set(parts):
        merged["online_service"] = round(float(merged["CLGQ"]) + float(merged["TTTT"]), 6)
    return merged, [], notes


def combine(records: Iterable[dict]) -> tuple[list[dict], list[Issue], list[Issue]]:
    """(one record per unit × period × as-of, issues that refuse the files, notes kept as warnings)."""
    records = [dict(r) for r in records]
    issues = _fill_codes(records)
    groups: dict[tuple[object, object, object], list[dict]] = {}
    for record in records:
        if record["unit_code"]:
            groups.setdefault((record["unit_code"], record["period"], record["as_of"]), []).append(record)
    merged, notes = [], []
    for group in groups.values():
        row, problems, remarks = _merge(group)
        issues += problems
        notes += remarks
        if row is not None:
            merged.append(row)
    return merged, issues, notes
