"""The 2026 portal's six component endpoints, one answer each or gathered in a crawler's bundle.

A bundle is one JSON object whose keys name the endpoints (``SERVICE_RESULTS``, ``TRANSPARENCY``, ``DIGITIZED``,
``PROGRESS``, ``ONLINE``, ``PAYMENT``, ``HANDLING_SATISFACTION``), each value one endpoint's whole answer. Each
endpoint gives every unit one component: CKMB (transparency), MDSH (digitised), TDGQ (progress), CLGQ (online
provision, max 12; a crawler calls it ``ONLINE``), TTTT (online payment, max 10), MDHL (handling satisfaction),
with its score and the maximum the answer states. TRANSPARENCY and HANDLING_SATISFACTION rows carry no
``departmentCode``: they are joined on ``departmentId`` (see :mod:`.combine`). A single answer's endpoint is told
from its content (its counts and metric codes), else from its sidecar's URL or its file name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dvctt.ingest.messages import Issue
from dvctt.service_index import units as index_units
from dvctt.service_index.formats import records as rec
from dvctt.service_index.formats import service_results2026
from dvctt.service_index.formats.provenance import Stamp, period_fields

#: Six parts from six endpoints, each rounded to 0,01 by the portal, need more room than one row's 0,01: the
#: 02/10/2026 answers of Gia Lai add up to the same day's service-results total within 0,015 for 149 of 149
#: units (tests/fixtures/portal-2026/README.md). Beyond it a unit is kept as the portal gives it, with a note.
BUNDLE_TOLERANCE = 0.015
RADAR_TOLERANCE = 0.015


@dataclass(frozen=True)
class Endpoint:
    component: str
    rows: str  # the list's key under data
    score: str
    maximum: str
    slug: str  # the endpoint's URL path


ENDPOINTS: dict[str, Endpoint] = {
    "TRANSPARENCY": Endpoint("CKMB", "evaluation", "totalScore", "totalMaxScore", "transparency"),
    "DIGITIZED": Endpoint("MDSH", "evaluation", "totalScore", "totalMaxScore", "dossier-digitized"),
    "PROGRESS": Endpoint("TDGQ", "children", "score", "maxScore", "dvc-progress-tree"),
    "ONLINE": Endpoint("CLGQ", "children", "totalScore", "totalMaxScore", "provide-online-tree"),
    "PAYMENT": Endpoint("TTTT", "children", "totalScore", "totalMaxScore", "formality-online-payment-tree"),
    "HANDLING_SATISFACTION": Endpoint("MDHL", "evaluation", "totalScore", "totalMaxScore", "handling-satisfaction"),
}
BUNDLE_KEYS = ("SERVICE_RESULTS", *ENDPOINTS)
_METRICS = {
    "TRANSPARENCY": ("PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "DOSSIER_SYNC"),
    "DIGITIZED": ("ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET", "REUSED_DIGITIZED_DATA"),
    "HANDLING_SATISFACTION": ("DOSSIER_RECEIVING_SATISFACTION", "PETITION_PROCESSING_ON_TIME"),
}


def recognise_bundle(doc: object) -> bool:
    """An object keyed by endpoint names (a crawler's ``_note`` beside them is allowed)."""
    if not isinstance(doc, dict):
        return False
    keys = {k for k in doc if not str(k).startswith("_")}
    return bool(keys) and keys <= set(BUNDLE_KEYS) and bool(keys & set(ENDPOINTS))


def endpoint_of(doc: object, hint: str = "") -> str | None:
    """Which component endpoint answered: from the content, else from ``hint`` (a URL or file name)."""
    data = doc.get("data") if isinstance(doc, dict) else None
    if isinstance(data, dict):
        children = data.get("children")
        first = children[0] if isinstance(children, list) and children and isinstance(children[0], dict) else {}
        head = {**(data.get("parent") or {}), **first} if isinstance(data.get("parent"), dict) else first
        if "totalReceived" in head or "totalOnTime" in head:
            return "PROGRESS"
        if "totalDossierFinancialObligation" in head:
            return "PAYMENT"
        if "channelOnlineSum" in head or "authorityCount" in head or head.get("totalMaxScore") == 12:
            return "ONLINE"
        rows = data.get("evaluation")
        first = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
        codes = {m.get("code") for m in first.get("metrics") or [] if isinstance(m, dict)}
        for name, known in _METRICS.items():
            if codes & set(known):
                return name
    for name in sorted(ENDPOINTS, key=lambda n: -len(ENDPOINTS[n].slug)):
        if ENDPOINTS[name].slug in hint:
            return name
    return None


def _level(row: dict, code: str | None) -> str | None:
    """``departmentType`` decides; a row's ``level`` PROVINCE is a provincial agency when its code has a dot."""
    level = rec.level_from_group(row.get("departmentType")) or rec.level_from_group(row.get("level"))
    if level == "province" and (code is None or "." in code):
        return "agency" if code is not None or row.get("departmentLevel") != "PROVINCE" else None
    return level


def read_endpoint(name: str, doc: object, path: Path, stamp: Stamp, prefix: str = "") -> tuple[list[dict], list[Issue]]:
    """One record per unit of one endpoint's answer: its one component, the total left NaN."""
    file, spec, issues = path.name, ENDPOINTS[name], []
    base = f"{prefix}." if prefix else ""
    if not isinstance(doc, dict):
        return [], [rec.shape_issue(file, prefix or "$", "object", doc)]
    if doc.get("code") != "OK":
        return [], [rec.shape_issue(file, f"{base}code", '"OK"', doc.get("code"), missing="code" not in doc)]
    data = rec.need(doc, "data", "object", file, prefix, issues)
    rows = rec.need(data, spec.rows, "list", file, f"{base}data", issues) if data is not None else None
    if rows is None or stamp.period is None:
        return [], issues
    records = []
    for index, row in enumerate(rows):
        where = f"{base}data.{spec.rows}[{index}]"
        if not isinstance(row, dict) or not {"departmentId", "departmentCode", "departmentName"} & set(row):
            issues.append(rec.shape_issue(file, where, "unit", row))
            continue
        found: list[Issue] = []
        portal_id = rec.need(row, "departmentId", "text", file, where, found)
        name_text = rec.need(row, "departmentName", "text", file, where, found) or ""
        printed = rec.need(row, "departmentCode", "text", file, where, found, optional=True)
        score = rec.need(row, spec.score, "number", file, where, found)
        top = rec.need(row, spec.maximum, "number", file, where, found, optional=True)
        code = index_units.normalize_code(printed) if printed is not None else None
        if printed is not None and code is None:
            found.append(Issue(file, None, None, f"{where}.departmentCode", printed, "index_bad_code"))
        if score is not None:
            stated = {spec.component: float(top)} if top is not None else {}
            checked = rec.check_scores({spec.component: score}, stated, stamp.period.year, file, where)
            found += [
                Issue(i.file, i.sheet, i.row, f"{where}.{spec.score}", i.value, i.rule, i.params) for i in checked
            ]
        issues.extend(found)
        if found:
            continue
        records.append(
            rec.unit_record(
                code=code, name=name_text, level=_level(row, code), portal_id=str(portal_id),
                scores={spec.component: float(score)}, total=rec.NAN, file=path, where=f"{file} {where}",
                sheet=f"{base}data.{spec.rows}", row=index + 1, period=period_fields(stamp), exact=False,
                printed_code=printed,
            )
        )  # fmt: skip
    return records, issues


def _parent_score(name: str, answer: object) -> float | None:
    """The province's own score of one endpoint (its ``overview`` or ``parent``), when the answer gives it."""
    data = answer.get("data") if isinstance(answer, dict) else None
    head = (data.get("overview") or data.get("parent")) if isinstance(data, dict) else None
    value = head.get("totalScore") if isinstance(head, dict) else None
    return float(value) if rec.is_kind(value, "number") else None


def radar_notes(doc: dict, file: str) -> list[Issue]:
    """The service-results radar beside the six endpoints' own province scores; ONLINE_SERVICE = CLGQ + TTTT."""
    answer = doc.get("SERVICE_RESULTS")
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        return []
    radar = service_results2026.radar_scores(data, file, [])
    parts = {ENDPOINTS[n].component: _parent_score(n, doc.get(n)) for n in ENDPOINTS}
    if parts.get("CLGQ") is not None and parts.get("TTTT") is not None:
        parts["ONLINE_SERVICE"] = round(parts["CLGQ"] + parts["TTTT"], 6)  # type: ignore[operator]
    notes = []
    for code, score in radar.items():
        own = parts.get(code)
        if own is not None and abs(own - score) > RADAR_TOLERANCE + 1e-9:
            params = {"value": f"{score:g}", "own": f"{own:g}", "tolerance": RADAR_TOLERANCE}
            at = f"SERVICE_RESULTS.data.radar.{code}"
            notes.append(Issue(file, None, None, at, f"{score:g}", "index_radar_mismatch", params))
    return notes


def read_bundle(doc: dict, path: Path, stamp: Stamp, *, level: str | None = None):
    """(records, issues, notes) of every endpoint in the bundle; SERVICE_RESULTS gives the totals."""
    records: list[dict] = []
    issues: list[Issue] = []
    for key in BUNDLE_KEYS:
        if key not in doc:
            continue
        if key == "SERVICE_RESULTS":
            found, problems = service_results2026.read(doc[key], path, stamp, level=level, prefix=key)
        else:
            found, problems = read_endpoint(key, doc[key], path, stamp, prefix=key)
        records += found
        issues += problems
    return records, issues, radar_notes(doc, path.name)
