"""The 2026 portal's ``service-results`` answer: ``{"code": "OK", "data": {"evaluation": [...]}}``.

National: 34 province rows with ``groupScores`` {CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH} that add up to
``totalScore``. One province: its agencies and communes (``childGroup`` AGENCY | COMMUNE) with totals only, so
their component columns are NaN (not in the file, never 0), and no row for the province itself: its code is the
prefix of theirs (H01.187 → H01). No rank (``printed_rank`` stays empty), no as-of date (see
:mod:`.provenance`). ``ONLINE`` in ``groupScores`` is CLGQ (one crawler's name); an ``ONLINE_SERVICE`` there is
CLGQ + TTTT and checked as such. The maxima are the file's (``overview.totalMaxScore``, the radar's
``maxScore``) where it states them, else the year's scheme (:data:`.records.SCHEMES`).
"""

from __future__ import annotations

from pathlib import Path

from dvctt.ingest.messages import Issue
from dvctt.service_index import units as index_units
from dvctt.service_index.definition import COMPONENTS, SUM_TOLERANCE
from dvctt.service_index.formats import records as rec
from dvctt.service_index.formats.provenance import Stamp, period_fields

ALIASES = {"ONLINE": "CLGQ"}  # a crawler's name for the online-provision component
KNOWN_GROUPS = (*COMPONENTS, "ONLINE", "ONLINE_SERVICE")


def recognise(doc: object) -> bool:
    """A portal answer whose rows are units with a total and ``groupScores`` or ``childGroup``."""
    data = doc.get("data") if isinstance(doc, dict) else None
    rows = data.get("evaluation") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        return isinstance(data, dict) and "radar" in data  # the endpoint's frame without its list: read, refused
    return "groupScores" in rows[0] or "childGroup" in rows[0]


def stated_maxima(data: dict, file: str, issues: list[Issue], base: str = "") -> dict[str, float]:
    """The maxima the answer states: ``overview.totalMaxScore`` and each radar item's ``maxScore``."""
    found: dict[str, float] = {}
    overview = rec.need(data, "overview", "object", file, f"{base}data", issues, optional=True)
    if overview is not None:
        top = rec.need(overview, "totalMaxScore", "number", file, f"{base}data.overview", issues, optional=True)
        if top is not None:
            found["total"] = float(top)
    radar = rec.need(data, "radar", "list", file, f"{base}data", issues, optional=True) or []
    for index, item in enumerate(radar):
        path = f"{base}data.radar[{index}]"
        code = rec.need(item, "code", "text", file, path, issues)
        top = rec.need(item, "maxScore", "number", file, path, issues, optional=True)
        if code is not None and top is not None:
            found[ALIASES.get(code, code)] = float(top)
    return found


def radar_scores(data: dict, file: str, issues: list[Issue]) -> dict[str, float]:
    """The radar's scores (the overview unit's five groups, ONLINE_SERVICE = CLGQ + TTTT)."""
    found = {}
    for index, item in enumerate(data.get("radar") or []):
        code, score = item.get("code") if isinstance(item, dict) else None, None
        if isinstance(item, dict):
            score = rec.need(item, "score", "number", file, f"data.radar[{index}]", issues, optional=True)
        if isinstance(code, str) and score is not None:
            found[ALIASES.get(code, code)] = float(score)
    return found


def _groups(row: dict, file: str, path: str, issues: list[Issue]) -> dict[str, float]:
    groups = rec.need(row, "groupScores", "object", file, path, issues, optional=True)
    scores: dict[str, float] = {}
    for key, value in (groups or {}).items():
        where = f"{path}.groupScores.{key}"
        if key not in KNOWN_GROUPS:
            issues.append(rec.shape_issue(file, where, "one of " + ", ".join(KNOWN_GROUPS), key))
            continue
        if not rec.is_kind(value, "number"):
            issues.append(rec.shape_issue(file, where, "number", value))
            continue
        name = ALIASES.get(key, key)
        if name in scores and abs(scores[name] - value) > 1e-9:
            issues.append(Issue(file, None, None, where, f"{value:g}", "index_alias_conflict",
                                {"alias": key, "name": name, "other": f"{scores[name]:g}"}))  # fmt: skip
        scores[name] = float(value)
    covered = set(scores) | ({"CLGQ", "TTTT"} if "ONLINE_SERVICE" in scores else set())
    if groups and not issues and not set(COMPONENTS) <= covered:  # a part left out cannot be told from a 0
        expected = "groupScores with all six of " + ", ".join(COMPONENTS) + " (CLGQ may be ONLINE)"
        issues.append(rec.shape_issue(file, f"{path}.groupScores", expected, groups))
    return scores


def _level(row: dict, code: str, name: str, forced: str | None, file: str, path: str, issues: list[Issue]):
    group = rec.need(row, "childGroup", "text", file, path, issues, optional=True)
    if group is not None:
        level = rec.level_from_group(group)
        if level is None:
            issues.append(rec.shape_issue(file, f"{path}.childGroup", "AGENCY or COMMUNE", group))
        return level
    if "." not in code:
        return "province"
    level = forced or index_units.level_of(code, name)
    if level is None:
        issues.append(Issue(file, None, None, f"{path}.departmentCode", code, "index_level_undecided"))
    return level


def read(
    doc: object, path: Path, stamp: Stamp, *, level: str | None = None, prefix: str = ""
) -> tuple[list[dict], list[Issue]]:
    """One record per row of ``data.evaluation``; every shape or score problem as an issue naming its path
    (under ``prefix`` in a bundle)."""
    file, base = path.name, f"{prefix}." if prefix else ""
    issues: list[Issue] = []
    if not isinstance(doc, dict):
        return [], [rec.shape_issue(file, prefix or "$", "object", doc)]
    if doc.get("code") != "OK":
        return [], [rec.shape_issue(file, f"{base}code", '"OK" (the portal\'s answer to a successful request)',
                                    doc.get("code"), missing="code" not in doc)]  # fmt: skip
    data = rec.need(doc, "data", "object", file, prefix, issues)
    rows = rec.need(data, "evaluation", "list", file, f"{base}data", issues) if data is not None else None
    if rows is None or stamp.period is None:
        return [], issues
    stated = stated_maxima(data, file, issues, base)
    records = []
    for index, row in enumerate(rows):
        where = f"{base}data.evaluation[{index}]"
        if not isinstance(row, dict) or not {"departmentId", "departmentCode", "departmentName"} & set(row):
            issues.append(rec.shape_issue(file, where, "unit", row))
            continue
        row_issues: list[Issue] = []
        printed = rec.need(row, "departmentCode", "text", file, where, row_issues)
        name = rec.need(row, "departmentName", "text", file, where, row_issues) or ""
        total = rec.need(row, "totalScore", "number", file, where, row_issues)
        portal_id = rec.need(row, "departmentId", "text", file, where, row_issues, optional=True) or ""
        scores = _groups(row, file, where, row_issues)
        code = index_units.normalize_code(printed) if printed is not None else None
        if printed is not None and code is None:
            row_issues.append(Issue(file, None, None, f"{where}.departmentCode", printed, "index_bad_code"))
        unit_level = _level(row, code, name, level, file, where, row_issues) if code else None
        if total is not None:
            row_issues += rec.check_scores({**scores, "total": total}, stated, stamp.period.year, file, where)
            for found in (
                rec.sum_issue(scores, total, file, where, SUM_TOLERANCE),
                rec.online_service_issue(scores, file, where, SUM_TOLERANCE),
            ):
                if found is not None:
                    row_issues.append(found)
        issues.extend(row_issues)
        if row_issues or code is None or total is None:
            continue
        records.append(
            rec.unit_record(
                code=code, name=name, level=unit_level, portal_id=portal_id, scores=scores, total=total, file=path,
                where=f"{file} {where}", sheet=f"{base}data.evaluation", row=index + 1, period=period_fields(stamp),
                exact=bool(scores), printed_code=printed,
            )
        )  # fmt: skip
    return records, issues
