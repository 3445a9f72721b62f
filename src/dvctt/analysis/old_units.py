"""A baseline recorded under the old units (before 1 July 2025) set beside the new units — only where that is honest.

Given the code list's old → new mapping (``dvctt.ingest.old_units.old_to_new``), a new unit's baseline is:

- ``pooled``: every old part has dossier counts and none of them was split between new units — the counts add up;
- ``single``: the new unit is exactly one old unit, not split — its rate carries over unchanged;
- otherwise ``not comparable``, with the reason (``split``: an old part went partly elsewhere; ``no_counts``: several
  parts but rates only, and a mean of rates is not the new unit's rate; ``missing``: a part has no value), and the
  report lists the old parts with their own figures.

Pure DataFrame-in/DataFrame-out; nothing here reads the code list or the disk.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

POOLED_COLUMNS = ["new_code", "new_name", "kpi", "n_parts", "old_codes", "comparable", "method", "reason",
                  "numerator", "denominator", "rate"]  # fmt: skip


def _pool(parts: pd.DataFrame) -> dict:
    """One new unit × KPI from its old parts (one row per old part, with that part's value for the KPI)."""
    base = {"numerator": np.nan, "denominator": np.nan, "rate": np.nan}
    if parts["split"].any():
        return {**base, "comparable": False, "method": "", "reason": "split"}
    ok = parts["status"].eq("ok") & parts["rate"].notna()
    if not ok.all():
        return {**base, "comparable": False, "method": "", "reason": "missing"}
    if len(parts) == 1:
        row = parts.iloc[0]
        return {"numerator": row["numerator"], "denominator": row["denominator"], "rate": float(row["rate"]),
                "comparable": True, "method": "single", "reason": ""}  # fmt: skip
    if parts[["numerator", "denominator"]].notna().all().all():
        num, den = float(parts["numerator"].sum()), float(parts["denominator"].sum())
        rate = num / den * 100 if den else np.nan
        return {"numerator": num, "denominator": den, "rate": rate, "comparable": bool(den), "method": "pooled",
                "reason": "" if den else "no_counts"}  # fmt: skip
    return {**base, "comparable": False, "method": "", "reason": "no_counts"}


def pool_into_new_units(mapping: pd.DataFrame, old_values: pd.DataFrame, kpis: Sequence[str]) -> pd.DataFrame:
    """Per new unit × KPI: the baseline pooled from its old parts, or why it is not comparable.

    ``mapping``: old_code, new_code, new_name, split (one row per old × new unit). ``old_values``: one period's
    old_code, kpi, numerator, denominator, rate, status (an old unit × KPI without a row is missing)."""
    rows = []
    values = old_values.astype({"old_code": "str", "kpi": "str"})
    for (new_code, new_name), parts in mapping.groupby(["new_code", "new_name"], sort=True):
        for kpi in kpis:
            joined = parts.merge(values[values["kpi"] == kpi], on="old_code", how="left", validate="many_to_one")
            joined = joined.assign(status=joined["status"].fillna("missing"))
            rows.append({"new_code": new_code, "new_name": new_name, "kpi": kpi, "n_parts": len(parts),
                         "old_codes": ";".join(parts["old_code"]), **_pool(joined)})  # fmt: skip
    return pd.DataFrame(rows, columns=POOLED_COLUMNS)


def mapping_table(mapping: pd.DataFrame, pooled: pd.DataFrame) -> pd.DataFrame:
    """The mapping written next to the report: old code, old name, new code, new name, split, used for pooling
    (the old unit's figures make up the new unit's baseline for at least one KPI)."""
    used = set(pooled.loc[pooled["comparable"].astype(bool), "new_code"])
    return mapping.assign(used_for_pooling=mapping["new_code"].isin(used) & ~mapping["split"].astype(bool))


def mapping_summary(pooled: pd.DataFrame) -> dict[str, int]:
    """How many new units × KPIs got a baseline, and why the others did not."""
    counts = pooled["method"].where(pooled["comparable"].astype(bool), pooled["reason"]).value_counts()
    return {key: int(counts.get(key, 0)) for key in ("pooled", "single", "split", "no_counts", "missing")}


PART_COLUMNS = ["old_code", "old_name", "kpi", "numerator", "denominator", "rate", "status", "split",
                "used_for_pooling", "comparable", "method", "reason"]  # fmt: skip


def old_parts(
    mapping: pd.DataFrame, pooled: pd.DataFrame, old_values: pd.DataFrame, new_code: str, kpis: Sequence[str]
) -> pd.DataFrame:
    """The reverse view for one new unit: its old parts, one row per old part × KPI, with the part's own baseline
    figure, whether it was split between new units, whether its figures make up the new unit's baseline for that KPI,
    and whether that baseline is comparable (and why not). Empty when the unit has no old parts in ``mapping``.

    ``mapping``: old_code, old_name, new_code, split; ``pooled``: :func:`pool_into_new_units`; ``old_values``: one
    period's old_code, kpi, numerator, denominator, rate, status."""
    parts = mapping.loc[mapping["new_code"] == new_code, ["old_code", "old_name", "split"]]
    rows = parts.merge(pd.DataFrame({"kpi": list(kpis)}), how="cross")
    values = old_values.astype({"old_code": "str", "kpi": "str"})
    values = values[["old_code", "kpi", "numerator", "denominator", "rate", "status"]]
    rows = rows.merge(values, on=["old_code", "kpi"], how="left", validate="many_to_one")
    verdict = pooled.loc[pooled["new_code"] == new_code, ["kpi", "comparable", "method", "reason"]]
    rows = rows.merge(verdict, on="kpi", how="left", validate="many_to_one")
    comparable = rows["comparable"].fillna(False).astype(bool)
    rows = rows.assign(
        status=rows["status"].fillna("missing"),
        split=rows["split"].astype(bool),
        comparable=comparable,
        used_for_pooling=comparable & ~rows["split"].astype(bool),
    )
    order = {kpi: i for i, kpi in enumerate(kpis)}
    rows = rows.assign(_order=rows["kpi"].map(order)).sort_values(["_order", "old_code"], kind="stable")
    return rows[PART_COLUMNS].reset_index(drop=True)
