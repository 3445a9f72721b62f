"""What every adapter shares: walking a JSON answer with its path, one unit's record, the maxima per year.

A record is one unit × period as one file gives it: a dict of the wide frame's columns
(:data:`~dvctt.service_index.formats.export2025.SCORE_FRAME_COLUMNS`), with NaN for a component or total the file
does not give (missing is never 0), plus ``_where`` (file and JSON path or sheet and row, for messages) and
``_exact`` (True when the components and the total come from one row, so they must add up to 0,01).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from dvctt.ingest.messages import Issue
from dvctt.service_index import units as index_units
from dvctt.service_index.definition import COMPONENT_MAX, COMPONENTS, MAX_POINTS_SOURCE, TOTAL_MAX

NAN = math.nan

#: The maxima of each year's scheme when the file does not state them, with their source.
SCHEMES: dict[int, tuple[dict[str, float], str]] = {
    2025: (COMPONENT_MAX, MAX_POINTS_SOURCE),
    2026: (
        {**COMPONENT_MAX, "ONLINE_SERVICE": 22.0},
        "the portal's 2026 answers: radar maxScore CKMB 18, TDGQ 20, ONLINE_SERVICE 22 (= CLGQ + TTTT), MDHL 18, "
        "MDSH 22; component endpoints totalMaxScore 12 for online provision (CLGQ) and 10 for online payment "
        "(TTTT) (tests/fixtures/portal-2026/README.md)",
    ),
}


def maxima(year: int) -> dict[str, float]:
    """The year's maxima; a year without its own table keeps Decision 766's (unchanged since 2022)."""
    known = SCHEMES.get(year) or SCHEMES[max(SCHEMES)]
    return {**known[0], "ONLINE_SERVICE": 22.0, "total": TOTAL_MAX}


# ------------------------------------------------------------------------------------------------- JSON


_KIND_EN = {
    "unit": "a unit's record {departmentId, departmentCode, departmentName, totalScore, …}",
    "object": "an object {…}",
    "list": "a list […]",
    "number": "a number",
    "text": "a text",
}
_KIND_VI = {
    "unit": "bản ghi của một đơn vị {departmentId, departmentCode, departmentName, totalScore, …}",
    "object": "một đối tượng {…}",
    "list": "một danh sách […]",
    "number": "một số",
    "text": "một chuỗi chữ",
}


def _shown(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(list(value)[:6]) + ("…" if len(value) > 6 else "") + "}"
    if isinstance(value, list):
        return f"[{len(value)} phần tử / items]"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def shape_issue(file: str, path: str, expected: str, value: object, *, missing: bool = False) -> Issue:
    """The answer is not what dvctt knows at ``path``: what was expected there and what was found."""
    found = "nothing (the key is missing)" if missing else _shown(value)
    found_vi = "không có (thiếu khóa)" if missing else _shown(value)
    if isinstance(value, dict) and value and all(str(k).startswith("_omitted") for k in value):
        found += " — a cut made by whoever copied the answer; read the whole answer as the portal gave it"
        found_vi += " — chỗ người sao chép đã cắt bớt; hãy đọc nguyên câu trả lời của cổng"
    return Issue(
        file, None, None, path, None if missing else _shown(value), "index_json_shape",
        {"path": path, "expected": _KIND_EN.get(expected, expected), "expected_vi": _KIND_VI.get(expected, expected),
         "found": found, "found_vi": found_vi},
    )  # fmt: skip


def is_kind(value: object, kind: str) -> bool:
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, {"object": dict, "list": list, "text": str}[kind])


def need(node: object, key: str, kind: str, file: str, path: str, issues: list[Issue], *, optional: bool = False):
    """``node[key]`` when it is of ``kind``; else None and an issue naming ``path.key`` (optional: absent is ok)."""
    where = f"{path}.{key}" if path else key
    if not isinstance(node, dict) or key not in node:
        if not optional:
            issues.append(shape_issue(file, where, kind, None, missing=True))
        return None
    value = node[key]
    if value is None and optional:
        return None
    if not is_kind(value, kind):
        issues.append(shape_issue(file, where, kind, value))
        return None
    return value


# ---------------------------------------------------------------------------------------------- records


def unit_record(
    *,
    code: str | None,
    name: str,
    level: str | None,
    portal_id: str,
    scores: Mapping[str, float],
    total: float,
    file: Path,
    where: str,
    sheet: str,
    row: int,
    period: Mapping[str, object],
    exact: bool,
    printed_code: str | None = None,
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """One unit × period with every column of the wide frame (NaN for what the file does not give)."""
    official = ("", "", "", "")
    if code is not None and level is not None:
        official = index_units.official(level, code, name)
    return {
        "unit_code": code,
        "ma_coquan": printed_code if printed_code is not None else (code or ""),
        "unit_name": name,
        "ten_coquan": name,
        "level": level,
        "province_code": index_units.province_of(code) if code else "",
        "official_code": official[0],
        "official_name": official[1],
        "code_source": official[2],
        "code_note": official[3],
        "portal_id": portal_id,
        "id_coquan": "",
        "loai_coquan": "",
        "capdonviid": "",
        **{c: float(scores[c]) if c in scores else NAN for c in COMPONENTS},
        "total": float(total),
        "online_service": float(scores["ONLINE_SERVICE"]) if "ONLINE_SERVICE" in scores else NAN,
        "printed_rank": "",
        **period,
        "file": file.name,
        "sheet": sheet,
        "row": row,
        "source_id": "",
        "_where": where,
        "_exact": exact,
        **(extra or {}),
    }


def check_scores(
    scores: Mapping[str, float], stated: Mapping[str, float], year: int, file: str, path: str
) -> list[Issue]:
    """Each score between 0 and its maximum: the file's own ``maxScore`` where it states one, else the year's."""
    issues = []
    table = maxima(year)
    for key, value in scores.items():
        maximum = stated.get(key, table.get(key, TOTAL_MAX))
        if value < 0:
            issues.append(Issue(file, None, None, f"{path}.{key}", f"{value:g}", "index_below_zero"))
        elif value > maximum + 1e-9:
            issues.append(Issue(file, None, None, f"{path}.{key}", f"{value:g}", "index_above_max",
                                {"max": f"{maximum:g}"}))  # fmt: skip
    return issues


def sum_issue(scores: Mapping[str, float], total: float, file: str, path: str, tolerance: float) -> Issue | None:
    """The six parts (or ONLINE_SERVICE in place of CLGQ + TTTT) that do not add up to the total."""
    parts = [c for c in COMPONENTS if c in scores]
    if "ONLINE_SERVICE" in scores and not {"CLGQ", "TTTT"} & set(parts):
        parts.append("ONLINE_SERVICE")
    if len(parts) < 5 or (len(parts) == 5 and "ONLINE_SERVICE" not in parts):
        return None
    added = round(sum(scores[p] for p in parts), 6)
    if abs(added - total) > tolerance + 1e-9:
        return Issue(file, None, None, f"{path}.totalScore", f"{total:g}", "index_sum_total",
                     {"sum": f"{added:g}", "tolerance": tolerance})  # fmt: skip
    return None


def online_service_issue(scores: Mapping[str, float], file: str, path: str, tolerance: float) -> Issue | None:
    """``ONLINE_SERVICE`` stated beside CLGQ and TTTT must be their sum (the radar's 22 = 12 + 10)."""
    if not {"ONLINE_SERVICE", "CLGQ", "TTTT"} <= set(scores):
        return None
    added = round(scores["CLGQ"] + scores["TTTT"], 6)
    if abs(added - scores["ONLINE_SERVICE"]) > tolerance + 1e-9:
        return Issue(file, None, None, f"{path}.ONLINE_SERVICE", f"{scores['ONLINE_SERVICE']:g}",
                     "index_online_service_sum", {"sum": f"{added:g}", "tolerance": tolerance})  # fmt: skip
    return None


def level_from_group(group: object) -> str | None:
    """``childGroup`` (or a component row's ``level``/``departmentType``) → the frame's level."""
    return {
        "AGENCY": "agency",
        "COMMUNE": "commune",
        "PROVINCIAL_DEPARTMENT": "agency",
        "COMMUNE_PEOPLE_COMMITTEE": "commune",
        "PROVINCE": "province",
    }.get(str(group).upper())
