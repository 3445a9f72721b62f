"""Partial data, named: which figures are a *return* (every unit was asked; a unit without a figure has not sent it
yet, so the level figure is computed over those that did) and which a *selection* (a source chose the units it
names; no level figure), and why a unit has no figure (not sent, or its row rejected by ingest).

The kind is recorded per source in sources.csv (``kind``: ingest writes ``return``; an empty cell, as in every
hand-transcribed campaign, is a selection).
"""

from __future__ import annotations

import pandas as pd

from dvctt.analysis.metrics import OK
from dvctt.campaign.vocabulary import RETURN

GAP_COLUMNS = ["gap", "reject_rule", "reject_reason_vi", "reject_reason_en", "rejects_file"]
MISSING_GAP, REJECTED_GAP = "missing", "rejected"


def return_sources(sources: pd.DataFrame) -> frozenset[str]:
    """The source ids whose kind is ``return``."""
    if "kind" not in sources:
        return frozenset()
    kind = sources["kind"].astype("string").str.strip().str.lower()
    return frozenset(sources.loc[kind.eq(RETURN).fillna(False).astype(bool), "source_id"].astype(str))


def return_keys(units: pd.DataFrame, observations: pd.DataFrame, sources: pd.DataFrame) -> frozenset[tuple[str, ...]]:
    """(level, kpi, period) whose observations all come from returns. One row from a selection makes the whole
    level × KPI × period a selection: the stricter rule wins when the two are mixed."""
    returns = return_sources(sources)
    if not returns or observations.empty:
        return frozenset()
    levels = units[["unit_code", "level"]].astype({"unit_code": "str"})
    rows = observations[["unit_code", "kpi", "period", "source_id"]].astype({"unit_code": "str"})
    rows = rows.merge(levels, on="unit_code", how="inner")
    is_return = rows["source_id"].astype(str).isin(returns)
    every = is_return.groupby([rows["level"], rows["kpi"], rows["period"]], sort=False).all()
    return frozenset(tuple(str(k) for k in key) for key, flag in every.items() if flag)


def unit_gaps(unit_summary: pd.DataFrame, rejects: pd.DataFrame, period: str) -> pd.DataFrame:
    """The unit summary with why a unit × KPI has no result: ``gap`` is ``rejected`` (its row was refused by
    ingest: the rule, its reasons and the rejects file) or ``missing`` (nothing came in), empty when it has one
    or it does not apply. A reject counts only while no later file gave the unit's figure."""
    no_result = unit_summary["status"].eq("missing")
    found = rejects[rejects["period"].astype(str).eq(str(period))] if len(rejects) else rejects
    by_key: dict[tuple[str, str], dict] = {}
    for row in found.to_dict("records"):  # a reject naming no KPI refuses each KPI of the row
        by_key.setdefault((str(row["unit_code"]), str(row.get("kpi") or "")), row)
    records = []
    for code, kpi, missing in zip(unit_summary["unit_code"], unit_summary["kpi"], no_result, strict=True):
        hit = (by_key.get((str(code), str(kpi))) or by_key.get((str(code), ""))) if missing else None
        if hit is None:
            records.append({"gap": MISSING_GAP if missing else "", "reject_rule": "", "reject_reason_vi": "",
                            "reject_reason_en": "", "rejects_file": ""})  # fmt: skip
        else:
            records.append({"gap": REJECTED_GAP, "reject_rule": hit["rule"], "reject_reason_vi": hit["reason_vi"],
                            "reject_reason_en": hit["reason_en"], "rejects_file": hit["rejects_file"]})  # fmt: skip
    return unit_summary.assign(**pd.DataFrame(records, columns=GAP_COLUMNS, index=unit_summary.index))


def is_partial_return(level_kpi: pd.DataFrame) -> bool:
    """Whether a level × KPI's unit rows are a return with some units without a result (not the not-applicable)."""
    applicable = level_kpi[level_kpi["status"] != "not_applicable"]
    return bool(len(applicable)) and bool((applicable["status"] != OK).any())
