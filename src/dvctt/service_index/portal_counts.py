"""The portal's own counts in its 2026 component answers: every rate with its numerator and denominator.

The six component endpoints (``TRANSPARENCY``, ``DIGITIZED``, ``PROGRESS``, ``ONLINE``, ``PAYMENT``,
``HANDLING_SATISFACTION``; a bundle keeps each endpoint's whole answer under its key, next to the same day's
``SERVICE_RESULTS``) list a province's units with the counts behind their scores. This module reads those counts
into one tidy table (one row per unit × endpoint × metric), recomputes each ratio from its counts beside the
ratio the portal prints (the reconciliation), and turns the counts that measure a campaign KPI into
observations. The component *scores* are read by :mod:`dvctt.service_index.formats.components2026`.

What the answers give, and what they do not (portal-2026 README, "Traps"):
- ``PROGRESS``: on time = ``totalOnTime / totalReceived`` per unit (the portal divides by dossiers received,
  not finished);
- ``PAYMENT``: paid online ÷ fee-bearing = ``totalDossierOnlinePaymentSuccess / totalDossierFinancialObligation``,
  computed here; the portal's ``ratio`` is not that ratio (it is kept beside it);
- ``DIGITIZED``: metrics with numerator and denominator; ``SO_HOA_GIAY_TO_GIAI_QUYET`` is the digitisation of
  dossiers;
- ``TRANSPARENCY`` and ``HANDLING_SATISFACTION`` rows carry no ``departmentCode``: joined on ``departmentId``;
- ``ONLINE`` gives each unit only a score and a ratio: online filing per unit cannot be given (the channel sums
  exist only for the province as a whole); full-process filing is not counted at all.
A 0/0 rate does not apply (never 0 %); a missing count stays missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt.errors import IngestError, Problem

ENDPOINTS: tuple[str, ...] = ("TRANSPARENCY", "DIGITIZED", "PROGRESS", "ONLINE", "PAYMENT", "HANDLING_SATISFACTION")
BUNDLE_KEYS: tuple[str, ...] = ("SERVICE_RESULTS", *ENDPOINTS)
#: Percentage points a printed ratio may differ from its counts' ratio: the portal prints two decimals.
RATIO_TOLERANCE = 0.01
METRIC_COLUMNS: tuple[str, ...] = (
    "unit_code", "department_id", "unit_name", "level", "endpoint", "metric", "metric_name", "numerator",
    "denominator", "portal_ratio", "computed_ratio", "difference", "flagged", "status", "score", "max_score",
    "data_quality",
)  # fmt: skip
#: The campaign KPI each counted metric measures (endpoint, metric) → kpi.
KPI_METRICS: dict[tuple[str, str], str] = {
    ("PROGRESS", "ON_TIME"): "on_time",
    ("PAYMENT", "ONLINE_PAYMENT"): "online_payment",
    ("DIGITIZED", "SO_HOA_GIAY_TO_GIAI_QUYET"): "digitized",
    ("ONLINE", "ONLINE_PROVISION"): "online",  # units: no counts (written as missing, saying why)
}
#: The province's own online-filing counts (channel sums of ONLINE's parent record), printed as the donut's share.
PROVINCE_ONLINE = ("ONLINE", "ONLINE_CHANNEL")
#: Why a KPI cannot be given per unit from these answers (said in the CLI and written in the observation's note).
NOT_GIVEN: dict[str, str] = {
    "online": "the portal's ONLINE answer gives each unit only a score and a ratio, no counts of dossiers by "
    "channel (the channel sums exist only for the whole province)",
    "full_process": "no endpoint counts dossiers of full-process procedures (ONLINE counts procedures, not dossiers, "
    "and only for the whole province)",
    "overdue_pending": "PROGRESS counts received dossiers on time and overdue, not dossiers still pending",
}
_LEVELS = {"AGENCY": "agency", "COMMUNE": "commune"}


def _fail(file: str, path: str, value: object, rule: str) -> IngestError:
    return IngestError([Problem(file, None, path, value, rule)])


def read_bundle(path: Path) -> dict[str, Any]:
    """The bundle's JSON, checked to hold every endpoint's answer (``{"code": "OK", "data": {...}}``)."""
    try:
        bundle = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path.name, "$", None, f"not a JSON text ({exc})") from exc
    if not isinstance(bundle, dict):
        raise _fail(path.name, "$", type(bundle).__name__, f"expected an object with keys {', '.join(BUNDLE_KEYS)}")
    missing = [k for k in BUNDLE_KEYS if k not in bundle]
    if missing:
        raise _fail(path.name, "$", ", ".join(missing), "keys missing: a components bundle has every endpoint")
    for key in BUNDLE_KEYS:
        if not isinstance(bundle[key], dict) or not isinstance(bundle[key].get("data"), dict):
            raise _fail(path.name, f"$.{key}.data", None, "expected the endpoint's answer {code, data: {...}}")
    return bundle


def is_bundle(path: Path) -> bool:
    """True when the file is a JSON object whose keys name the component endpoints (cheap: no full check)."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(head, dict) and all(k in head for k in BUNDLE_KEYS)


def _rows(bundle: dict[str, Any], key: str, file: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The province's own record and the units' records of one endpoint (lists: evaluation or children)."""
    data = bundle[key]["data"]
    list_key = "evaluation" if "evaluation" in data else "children"
    units = data.get(list_key)
    if not isinstance(units, list):
        raise _fail(file, f"$.{key}.data", None, "expected a list 'evaluation' or 'children' of the units")
    own = data.get("overview") if "overview" in data else data.get("parent")
    return own, units


def _number(record: dict[str, Any], field: str, file: str, path: str) -> float | None:
    value = record.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(file, f"{path}.{field}", value, "expected a number or null")
    return float(value)


def _check_counts(nums: tuple[float | None, ...], fields: tuple[str, str], file: str, path: str, *, rate: bool) -> None:
    """Counts are whole numbers ≥ 0; a rate that becomes a campaign figure counts no more than its denominator.
    A bad count is refused naming the file, its JSON path and the value (nothing of the bundle is stored)."""
    for value, field in zip(nums[:2], fields, strict=True):
        if value is not None and (value < 0 or not float(value).is_integer()):
            raise _fail(file, f"{path}.{field}", _printed(value), "expected a count: a whole number ≥ 0 or null")
    numerator, denominator = nums[:2]
    if rate and numerator is not None and denominator is not None and numerator > denominator:
        rule = f"more than {fields[1]} = {_printed(denominator)}: a rate counts a part of its denominator"
        raise _fail(file, f"{path}.{fields[0]}", _printed(numerator), rule)


def _metric(record: dict[str, Any], endpoint: str, code: str, name: str, nums: tuple[float | None, ...]):  # noqa: ANN202
    numerator, denominator, ratio, score, max_score = nums
    return {
        "department_id": str(record.get("departmentId") or ""), "unit_code": str(record.get("departmentCode") or ""),
        "unit_name": str(record.get("departmentName") or ""), "endpoint": endpoint, "metric": code,
        "metric_name": name, "numerator": numerator, "denominator": denominator, "portal_ratio": ratio,
        "score": score, "max_score": max_score, "data_quality": str(record.get("dataQualityStatus") or ""),
    }  # fmt: skip


def _unit_metrics(record: dict[str, Any], endpoint: str, file: str, path: str) -> list[dict[str, Any]]:
    """One unit's metrics of one endpoint, as numerator/denominator/ratio/score/maximum."""
    get = lambda field: _number(record, field, file, path)  # noqa: E731
    if endpoint == "PROGRESS":
        nums = (get("totalOnTime"), get("totalReceived"), get("ratio"), get("score"), get("maxScore"))
        _check_counts(nums, ("totalOnTime", "totalReceived"), file, path, rate=True)
        return [_metric(record, endpoint, "ON_TIME", "Tỷ lệ hồ sơ giải quyết đúng hạn", nums)]
    if endpoint == "PAYMENT":
        nums = (get("totalDossierOnlinePaymentSuccess"), get("totalDossierFinancialObligation"), get("ratio"),
                get("totalScore"), get("totalMaxScore"))  # fmt: skip
        _check_counts(
            nums, ("totalDossierOnlinePaymentSuccess", "totalDossierFinancialObligation"), file, path, rate=True
        )
        return [_metric(record, endpoint, "ONLINE_PAYMENT", "Tỷ lệ hồ sơ thanh toán trực tuyến", nums)]
    if endpoint == "ONLINE":  # a unit's ratio is its score's share of the maximum: no counts behind it
        nums = (None, None, get("ratio"), get("totalScore"), get("totalMaxScore"))
        rows = [_metric(record, endpoint, "ONLINE_PROVISION", "Cung cấp dịch vụ trực tuyến", nums)]
        if "channelOnlineSum" in record:  # the province's own record: dossiers by channel
            channel = (get("channelOnlineSum"), get("channelTotalSum"), None, None, None)
            _check_counts(channel, ("channelOnlineSum", "channelTotalSum"), file, path, rate=True)
            rows.append(_metric(record, endpoint, "ONLINE_CHANNEL", "Tỷ lệ hồ sơ trực tuyến", channel))
        return rows
    metrics = record.get("metrics")
    if not isinstance(metrics, list):
        raise _fail(file, f"{path}.metrics", None, "expected a list of metrics {code, numerator, denominator, …}")
    rows = []
    for i, m in enumerate(metrics):
        where = f"{path}.metrics[{i}]"
        if not isinstance(m, dict) or not isinstance(m.get("code"), str):
            raise _fail(file, where, None, "expected a metric {code, name, numerator, denominator, ratio, score}")
        nums = tuple(_number(m, f, file, where) for f in ("numerator", "denominator", "ratio", "score", "maxScore"))
        _check_counts(nums, ("numerator", "denominator"), file, where, rate=(endpoint, m["code"]) in KPI_METRICS)
        row = _metric(record, endpoint, m["code"], str(m.get("name") or ""), nums)
        rows.append(row | {"data_quality": str(m.get("dataQualityStatus") or "")})
    return rows


def portal_metrics(bundle: dict[str, Any], file: str) -> pd.DataFrame:
    """Every unit's metrics of every endpoint (and the province's own, level ``province``), reconciled.

    Units are keyed on their portal code; rows without one (TRANSPARENCY, HANDLING_SATISFACTION) get it from
    ``SERVICE_RESULTS`` through ``departmentId``. A unit id that no answer codes is refused, naming the row.
    """
    services = bundle["SERVICE_RESULTS"]["data"]
    units = services.get("evaluation")
    if not isinstance(units, list):
        raise _fail(file, "$.SERVICE_RESULTS.data.evaluation", None, "expected the list of the province's units")
    codes = {str(u.get("departmentId")): str(u.get("departmentCode")) for u in units}
    levels = {str(u.get("departmentCode")): _LEVELS.get(str(u.get("childGroup")), "") for u in units}
    overview = services.get("overview") or {}
    province = str(overview.get("departmentCode") or "")
    rows: list[dict[str, Any]] = []
    for endpoint in ENDPOINTS:
        own, records = _rows(bundle, endpoint, file)
        listed = [(f"$.{endpoint}.data.{'evaluation' if endpoint in _EVALUATION else 'children'}[{i}]", r)
                  for i, r in enumerate(records)]  # fmt: skip
        if isinstance(own, dict):
            listed.append((f"$.{endpoint}.data.{'overview' if endpoint in _EVALUATION else 'parent'}", own))
        for path, record in listed:
            for row in _unit_metrics(record, endpoint, file, path):
                is_own = record is own
                code = province if is_own else (row["unit_code"] or codes.get(row["department_id"], ""))
                if not code:
                    raise _fail(file, f"{path}.departmentId", row["department_id"], "no unit of SERVICE_RESULTS")
                rows.append(row | {"unit_code": code, "level": "province" if is_own else levels.get(code, "")})
    frame = pd.DataFrame(rows)
    is_channel = (frame["endpoint"] == PROVINCE_ONLINE[0]) & (frame["metric"] == PROVINCE_ONLINE[1])
    return reconcile(frame.assign(portal_ratio=frame["portal_ratio"].mask(is_channel, _online_share(services))))


def _online_share(services: dict[str, Any]) -> float | None:
    """The share of online dossiers the province's donut prints (``donuts.onlineDossier`` ONLINE percent)."""
    donut = (services.get("donuts") or {}).get("onlineDossier") or []
    found = [d.get("percent") for d in donut if isinstance(d, dict) and d.get("code") == "ONLINE"]
    return float(found[0]) if found and isinstance(found[0], int | float) else None


_EVALUATION = ("TRANSPARENCY", "DIGITIZED", "HANDLING_SATISFACTION")


def reconcile(metrics: pd.DataFrame) -> pd.DataFrame:
    """Each printed ratio beside 100 × numerator ÷ denominator, the difference and whether it exceeds the
    tolerance; 0/0 is ``not_applicable`` (no ratio), a missing count ``missing``."""
    num, den = metrics["numerator"], metrics["denominator"]
    counted = num.notna() & den.notna()
    applies = counted & (den > 0)
    computed = (100 * num / den).where(applies)
    difference = (metrics["portal_ratio"] - computed).where(applies & metrics["portal_ratio"].notna())
    status = pd.Series("missing", index=metrics.index).mask(applies, "ok").mask(counted & (den == 0), "not_applicable")
    frame = metrics.assign(
        computed_ratio=computed, difference=difference, flagged=difference.abs() > RATIO_TOLERANCE, status=status
    )
    return frame[list(METRIC_COLUMNS)].reset_index(drop=True)


def reconciliation_summary(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per endpoint × metric: units compared, how many printed ratios differ from their counts beyond the
    tolerance, and the largest difference (percentage points)."""
    compared = metrics[metrics["difference"].notna()]
    return (
        compared.assign(abs_difference=compared["difference"].abs())
        .groupby(["endpoint", "metric"], sort=False)
        .agg(compared=("difference", "size"), flagged=("flagged", "sum"), max_difference=("abs_difference", "max"))
        .reset_index()
    )


def _printed(value: object) -> str:
    """A JSON number as the portal printed it (``70.9``, ``100``)."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else repr(number)


def kpi_observations(metrics: pd.DataFrame, unit_codes: dict[str, str], period: str, source_id: str) -> pd.DataFrame:
    """Observations (observations.csv columns) of the units in ``unit_codes`` (portal code → campaign code):
    on time, online payment and digitisation with their counts, and online filing as missing, saying why."""
    units = metrics[(metrics["level"] != "province") & metrics["unit_code"].isin(unit_codes)]
    rows = []
    for (endpoint, metric), kpi in KPI_METRICS.items():
        part = units[(units["endpoint"] == endpoint) & (units["metric"] == metric)]
        for r in part.itertuples(index=False):
            counted = endpoint != "ONLINE"
            status = r.status if counted else "missing"
            note = _note(r, kpi) if counted else NOT_GIVEN["online"]
            rows.append({
                "unit_code": unit_codes[r.unit_code], "period": period, "kpi": kpi,
                "numerator": _count(r.numerator) if counted else None,
                "denominator": _count(r.denominator) if counted else None,
                "rate": r.computed_ratio if status == "ok" else None, "status": status,
                "printed": _printed(r.portal_ratio) if counted else "", "source_id": source_id,
                "source_section": f"{endpoint} {metric} ({r.unit_code})", "note": note,
            })  # fmt: skip
    return _whole(pd.DataFrame(rows, columns=_OBSERVATION_FIELDS))


_OBSERVATION_FIELDS = ["unit_code", "period", "kpi", "numerator", "denominator", "rate", "status", "printed",
                       "source_id", "source_section", "note"]  # fmt: skip


def _whole(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers (``41``, not ``41.0``), missing ones empty."""
    return frame.astype({"numerator": "Int64", "denominator": "Int64"})


def _count(value: float | None) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _note(row: Any, kpi: str) -> str:
    """What the portal printed beside the counts, and where its ratio departs from them."""
    parts = []
    if kpi == "on_time":
        parts.append("portal: đúng hạn ÷ hồ sơ tiếp nhận (totalOnTime / totalReceived)")
    if row.status == "not_applicable":
        parts.append("0/0: không áp dụng / does not apply")
    if bool(row.flagged):
        parts.append(f"portal ratio {_printed(row.portal_ratio)} ≠ counts {row.computed_ratio:.4f}")
    return "; ".join(parts)


def province_totals(metrics: pd.DataFrame, period: str, source_id: str) -> pd.DataFrame:
    """The province's own figures (its overview/parent records) as the headline reported totals of level
    ``all``: the ratio the portal prints as the value, its counts beside it, so that the campaign report's
    reconciliation recomputes the printed ratio from those counts and from the units' counts."""
    own = metrics[metrics["level"] == "province"]
    rows = []
    wanted = {k: v for k, v in KPI_METRICS.items() if v != "online"} | {PROVINCE_ONLINE: "online"}
    for (endpoint, metric), kpi in wanted.items():
        chosen = own[(own["endpoint"] == endpoint) & (own["metric"] == metric) & own["portal_ratio"].notna()]
        for r in chosen.itertuples():
            counts = "" if pd.isna(r.computed_ratio) else f"; counts give {r.computed_ratio:.4f}"
            rows.append({
                "level": "all", "unit_code": None, "period": period, "kpi": kpi, "measure": "rate",
                "numerator": _count(r.numerator), "denominator": _count(r.denominator), "value": r.portal_ratio,
                "printed": _printed(r.portal_ratio), "headline": True, "source_id": source_id,
                "source_section": f"{endpoint} {metric} ({r.unit_code})",
                "note": f"portal ratio {_printed(r.portal_ratio)}{counts}",
            })  # fmt: skip
    columns = ["level", "unit_code", "period", "kpi", "measure", "numerator", "denominator", "value", "printed",
               "headline", "source_id", "source_section", "note"]  # fmt: skip
    return _whole(pd.DataFrame(rows, columns=columns))
