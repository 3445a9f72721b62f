"""Campaign metrics: pure DataFrame-in/DataFrame-out nodes over the tidy tables of docs/en/reference/data-model.md.

Rules every function follows:

- rates are percent 0–100 at full precision; nothing is rounded here (rounding is for display only);
- a rate that does not apply (`not_applicable`) is not 0% and a missing rate is not 0% either: both are
  left out of means and of met / not-met counts and are counted separately;
- a unit meets its target when its rate is at or above the target; `met` is <NA> when there is no rate;
- inputs are never modified; every function returns a new frame.

Numbers come out as float64 with NaN for "no value"; `met` is the nullable "boolean" dtype.

Rankings and counts over a unit summary are in :mod:`dvctt.analysis.rankings`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dvctt.analysis.values import as_float, is_blank, is_true, met_flag, plural, source_text
from dvctt.campaign.levels import KNOWN_LEVELS as LEVELS
from dvctt.errors import DataValidationError, ParameterError, Problem
from dvctt.missing import is_missing as is_na

ALL = "all"
CHANGE = "change"  # a reported change statement ("tăng 43%"): shown as printed, never turned into a baseline
OK, MISSING, NOT_APPLICABLE = "ok", "missing", "not_applicable"
AGGREGATIONS = ("reported", "pooled", "unit_mean")

UNIT_SUMMARY_COLUMNS = [
    "unit_code",
    "unit_name",
    "published_name",
    "level",
    "parent_code",
    "kpi",
    "baseline",
    "baseline_status",
    "target",
    "result",
    "status",
    "change_pp",
    "gap_pp",
    "met",
]
LEVEL_SUMMARY_COLUMNS = [
    "level",
    "kpi",
    "aggregation",
    "baseline",
    "target",
    "result",
    "change_pp",
    "met",
    "n_units",
    "n_units_applicable",
    "n_units_with_result",
    "n_units_met",
    "coverage",
    "data_kind",
    "provisional",
    "baseline_source",
    "result_source",
]


# --------------------------------------------------------------------------------------------- tables


def headline_rates(reported_totals: pd.DataFrame) -> pd.DataFrame:
    """The one headline `rate` row per level × kpi × period (unit_code empty). Two headlines for the same
    key would make the report pick one arbitrarily, so that is an error."""
    rt = reported_totals
    keep = rt["measure"].astype("string").eq("rate").fillna(False) & is_blank(rt["unit_code"])
    keep &= is_true(rt["headline"])
    rows = rt.loc[keep]
    dup = rows.duplicated(["level", "kpi", "period"], keep=False)
    if dup.any():
        problems = [
            Problem("reported_totals.csv", None, "headline", f"{r.level}/{r.kpi}/{r.period}",
                    "more than one headline rate")
            for r in rows.loc[dup].drop_duplicates(["level", "kpi", "period"]).itertuples()
        ]  # fmt: skip
        raise DataValidationError(problems)
    return rows


def unit_values(units: pd.DataFrame, observations: pd.DataFrame, *, period: str, kpis: Sequence[str]) -> pd.DataFrame:
    """One row per unit × kpi (units order, then kpi order) with the period's numerator, denominator, rate
    and status. No observation row means `missing`; an `ok` row without a rate is treated as missing too.
    Counts are kept only for `ok` rows, because they are only used to pool applicable units."""
    frame = units[["unit_code", "level"]].astype({"unit_code": "str"})
    frame = frame.merge(pd.DataFrame({"kpi": pd.Series(list(kpis), dtype="str")}), how="cross")
    obs = observations.loc[
        observations["period"].astype("str").eq(str(period)),
        ["unit_code", "kpi", "numerator", "denominator", "rate", "status"],
    ].astype({"unit_code": "str", "kpi": "str"})
    merged = frame.merge(obs, on=["unit_code", "kpi"], how="left", validate="many_to_one")
    rate = as_float(merged["rate"])
    status = merged["status"].astype("str").fillna(MISSING)
    status = status.mask(status.eq(OK) & rate.isna(), MISSING)
    ok = status.eq(OK)
    return merged.assign(
        numerator=as_float(merged["numerator"]).where(ok),
        denominator=as_float(merged["denominator"]).where(ok),
        rate=rate.where(ok),
        status=status,
    ).reset_index(drop=True)


# ----------------------------------------------------------------------------------------- unit level


def unit_summary(
    units: pd.DataFrame,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    baseline_period: str,
    period: str,
    target_set: str,
    kpis: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per unit × kpi: baseline, result, target, change and whether the target is met.

    Units keep their input (appendix) order; kpis keep the order of the target set (or of `kpis`). Targets are
    optional: a unit × KPI without one has target NaN and met <NA> (the report says "no target set")."""
    in_set = targets.loc[targets["target_set"].astype("str").eq(str(target_set)), ["level", "kpi", "target"]]
    if kpis is None:
        if in_set.empty:
            raise ParameterError(f"No targets for target_set {target_set!r}, and no KPI list to report on.")
        kpis = list(dict.fromkeys(in_set["kpi"].astype("str")))
    kpis = list(kpis)
    result = unit_values(units, observations, period=period, kpis=kpis)
    baseline = unit_values(units, observations, period=baseline_period, kpis=kpis)
    names = units[["unit_code", "official_name", "published_name", "parent_code"]]
    names = names.astype({"unit_code": "str"})
    goals = in_set.astype({"level": "str", "kpi": "str"}).assign(target=lambda d: as_float(d["target"]))
    frame = (
        result[["unit_code", "level", "kpi", "rate", "status"]]
        .rename(columns={"rate": "result"})
        .merge(names, on="unit_code", how="left", validate="many_to_one")
        .merge(
            baseline[["unit_code", "kpi", "rate", "status"]].rename(
                columns={"rate": "baseline", "status": "baseline_status"}
            ),
            on=["unit_code", "kpi"],
            how="left",
            validate="one_to_one",
        )
        .merge(goals, on=["level", "kpi"], how="left", validate="many_to_one")
    )
    frame = frame.assign(
        unit_name=frame["official_name"],
        change_pp=frame["result"] - frame["baseline"],
        gap_pp=frame["result"] - frame["target"],
        met=met_flag(frame["result"], frame["target"]),
    )
    return frame[UNIT_SUMMARY_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------------------------- level level


def _period_units(usd: pd.DataFrame, observations: pd.DataFrame, period: str, role: str) -> pd.DataFrame:
    """Rates and statuses of one period as the unit summary has them, plus that period's counts."""
    rate_col, status_col = ("baseline", "baseline_status") if role == "baseline" else ("result", "status")
    kpis = list(dict.fromkeys(usd["kpi"]))
    units = usd[["unit_code", "level"]].drop_duplicates("unit_code")
    counts = unit_values(units, observations, period=period, kpis=kpis)[
        ["unit_code", "kpi", "numerator", "denominator"]
    ]
    frame = usd[["unit_code", "level", "kpi", rate_col, status_col]].rename(
        columns={rate_col: "rate", status_col: "status"}
    )
    return frame.astype({"unit_code": "str"}).merge(counts, on=["unit_code", "kpi"], how="left")


def _stats(frame: pd.DataFrame, partial: bool = False) -> dict:
    """What one level × kpi × period allows: unit mean if every applicable unit has a rate, pooled counts
    if every applicable unit has both counts. A ``partial`` return (every unit was asked, some have not sent
    theirs yet) allows both over the units that reported: pooled when each of them has counts."""
    applicable = frame.loc[frame["status"].ne(NOT_APPLICABLE)]
    with_rate = applicable.loc[applicable["status"].eq(OK)]
    with_counts = with_rate.dropna(subset=["numerator", "denominator"])
    n_app = len(applicable)
    partial = partial and 0 < len(with_rate) < n_app
    rates_complete = n_app > 0 and (len(with_rate) == n_app or partial)
    counts_complete = len(frame) > 0 and len(with_counts) == (len(with_rate) if partial else n_app)
    return {
        "n_units": len(frame),
        "n_applicable": n_app,
        "n_with_rate": len(with_rate),
        "n_with_counts": len(with_counts),
        "partial": partial,
        "mean": float(with_rate["rate"].mean()) if rates_complete else np.nan,
        "counts": (float(with_counts["numerator"].sum()), float(with_counts["denominator"].sum()))
        if counts_complete
        else None,
    }


def _over(stats: dict, noun: str) -> str:
    """'3 units' or, for a partial return, '99 of 102 units (a return: 3 without data)'."""
    if not stats["partial"]:
        return plural(stats["n_applicable"] if noun == "unit" else stats["n_with_rate"], noun)
    missing = stats["n_applicable"] - stats["n_with_rate"]
    return f"{stats['n_with_rate']} of {plural(stats['n_applicable'], noun)} (a return: {missing} without data)"


def _ratio(counts: tuple[float, float] | None) -> float:
    if counts is None or counts[1] == 0:
        return np.nan
    return counts[0] / counts[1] * 100


def _reported_counts(row: pd.Series | None) -> tuple[float, float] | None:
    if row is None or is_na(row["numerator"]) or is_na(row["denominator"]):
        return None
    return float(row["numerator"]), float(row["denominator"])


def _level_counts(stats: dict, row: pd.Series | None) -> tuple[tuple[float, float] | None, str]:
    """Pooled counts of a level: from its units when complete, else from the reported headline counts."""
    if stats["counts"] is not None:
        if stats["n_applicable"] == 0:  # 0/0: adds nothing to a whole-province pool, no level rate
            return stats["counts"], "not computed: no applicable units"
        return stats["counts"], f"computed: pooled counts of {_over(stats, 'unit')}"
    reported = _reported_counts(row)
    if reported is not None:
        return reported, _reported_counts_source(row)
    return None, (
        f"not computed: counts for {stats['n_with_counts']} of {stats['n_applicable']} applicable units"
        " and no reported counts"
    )


def _mean_source(stats: dict) -> str:
    if not np.isnan(stats["mean"]):
        return f"computed: mean of {_over(stats, 'unit rate')}"
    return f"not computed: rates for {stats['n_with_rate']} of {stats['n_applicable']} applicable units"


def _reported_value(row: pd.Series | None) -> tuple[float, str]:
    if row is None:
        return np.nan, "no reported total"
    value = as_float(pd.Series([row["value"]])).iloc[0]
    return float(value), source_text(row["source_id"], row["source_section"])


_BORROWED = "(pooled from reported counts)"


def _reported_counts_source(row: pd.Series) -> str:
    return f"{source_text(row['source_id'], row['source_section'])} {_BORROWED}"


_LEVEL_INPUTS = ["unit_code", "level", "kpi", "target", "status", "baseline_status", "met", "baseline", "result"]


def level_summary(
    unit_summary_df: pd.DataFrame,
    observations: pd.DataFrame,
    reported_totals: pd.DataFrame,
    *,
    baseline_period: str,
    period: str,
    levels: Sequence[str] | None = None,
    kpis: Sequence[str] | None = None,
    returns: Collection[tuple[str, str, str]] = (),
    min_coverage: float = 90.0,
) -> pd.DataFrame:
    """Level figures three ways (reported, pooled, unit_mean) per level × kpi, plus `all` (reported, pooled).

    Computed figures of a *selection* need complete coverage: a mean over whichever units a press article
    happened to name is not a level figure, so it is NaN and the source column says why. A *return* (``returns``
    holds its level × kpi × period: every unit was asked) gives them over the units that reported, with its
    coverage; below ``min_coverage`` percent the result is ``provisional`` and never met or not met. Unit counts
    (n_units_*) and coverage refer to the result period; `target` and `n_units_met` come from the unit rows."""
    usd = unit_summary_df[_LEVEL_INPUTS]  # narrow: the unit summary is wide, every filter below copies each column
    levels = [lv for lv in LEVELS if lv in set(usd["level"])] if levels is None else list(levels)
    kpis = list(dict.fromkeys(usd["kpi"])) if kpis is None else list(kpis)
    heads = headline_rates(reported_totals)
    periods = {"baseline": baseline_period, "result": period}
    per_period = {role: _period_units(usd, observations, p, role) for role, p in periods.items()}
    asked: dict[tuple, Any] = {}  # the `all` rows ask again what the level rows asked

    def head(level: str, kpi: str, role: str) -> pd.Series | None:
        if ("head", level, kpi, role) not in asked:
            hit = heads.loc[heads["level"].eq(level) & heads["kpi"].eq(kpi) & heads["period"].eq(periods[role])]
            asked["head", level, kpi, role] = None if hit.empty else hit.iloc[0]
        return asked["head", level, kpi, role]

    def stats(level: Iterable[str], kpi: str, role: str) -> dict:
        key = ("stats", tuple(level), kpi, role)
        if key not in asked:
            frame, partial = per_period[role], all((lv, kpi, periods[role]) in returns for lv in key[1])
            asked[key] = _stats(frame.loc[frame["level"].isin(list(key[1])) & frame["kpi"].eq(kpi)], partial)
        return asked[key]

    rows: list[dict] = []
    for level in levels:
        for kpi in kpis:
            units = usd.loc[usd["level"].eq(level) & usd["kpi"].eq(kpi)]
            targets = as_float(units["target"]).dropna()
            common = {
                "level": level,
                "kpi": kpi,
                "target": float(targets.iloc[0]) if len(targets) else np.nan,
                "data_kind": "return" if (level, kpi, period) in returns else "selection",
                **_unit_counts(units),
            }
            values: dict[str, dict[str, tuple[float, str]]] = {agg: {} for agg in AGGREGATIONS}
            for role in periods:
                st, row = stats([level], kpi, role), head(level, kpi, role)
                counts, pooled_source = _level_counts(st, row)
                values["reported"][role] = _reported_value(row)
                values["pooled"][role] = (_ratio(counts), pooled_source)
                values["unit_mean"][role] = (st["mean"], _mean_source(st))
            rows += [_level_row(common, agg, values[agg]) for agg in AGGREGATIONS]
    for kpi in kpis:
        rows += _all_rows(usd, kpi, periods, stats, head, levels, returns)
    frame = pd.DataFrame(rows)
    provisional = frame["data_kind"].eq("return") & (frame["coverage"] * 100 < min_coverage) & frame["result"].notna()
    met = met_flag(frame["result"], frame["target"]).mask(provisional)  # a provisional figure is never judged
    frame = frame.assign(change_pp=frame["result"] - frame["baseline"], met=met, provisional=provisional)
    # Order: levels (then `all`), kpis, aggregations in AGGREGATIONS order.
    return frame[LEVEL_SUMMARY_COLUMNS].reset_index(drop=True)


def _unit_counts(units: pd.DataFrame) -> dict:
    n_app = int(units["status"].ne(NOT_APPLICABLE).sum())
    n_with = int(units["status"].eq(OK).sum())
    return {
        "n_units": len(units),
        "n_units_applicable": n_app,
        "n_units_with_result": n_with,
        "n_units_met": int(units["met"].fillna(False).astype(bool).sum()),
        "coverage": n_with / n_app if n_app else np.nan,
    }


def _level_row(common: dict, aggregation: str, values: dict[str, tuple[float, str]]) -> dict:
    return {
        **common,
        "aggregation": aggregation,
        "baseline": values["baseline"][0],
        "result": values["result"][0],
        "baseline_source": values["baseline"][1],
        "result_source": values["result"][1],
    }


def _all_rows(usd: pd.DataFrame, kpi: str, periods: dict, stats, head, levels: Sequence[str], returns) -> list[dict]:
    """Whole-province rows. Pooled needs counts for each level the campaign has (from units or from the
    levels' reported counts), else the `all` row's own reported counts."""
    units = usd.loc[usd["kpi"].eq(kpi)]
    whole = all((lv, kpi, periods["result"]) in returns for lv in levels)
    common = {
        "level": ALL,
        "kpi": kpi,
        # Targets are set per level: the whole province has none of its own, even when its levels share one.
        "target": np.nan,
        "data_kind": "return" if whole and levels else "selection",
        **_unit_counts(units),
    }
    values: dict[str, dict[str, tuple[float, str]]] = {"reported": {}, "pooled": {}}
    for role in periods:
        row = head(ALL, kpi, role)
        values["reported"][role] = _reported_value(row)
        parts = [_level_counts(stats([lv], kpi, role), head(lv, kpi, role)) for lv in levels]
        if parts and all(counts is not None for counts, _ in parts):
            total = (sum(c[0] for c, _ in parts), sum(c[1] for c, _ in parts))
            borrowed = [lv for lv, (_, src) in zip(levels, parts, strict=True) if src.endswith(_BORROWED)]
            note = f" (reported counts for {', '.join(borrowed)})" if borrowed else ""
            values["pooled"][role] = (_ratio(total), f"computed: pooled counts of {len(levels)} levels{note}")
        elif (own := _reported_counts(row)) is not None:
            values["pooled"][role] = (_ratio(own), _reported_counts_source(row))
        else:
            values["pooled"][role] = (np.nan, "not computed: counts missing for at least one level")
    return [_level_row(common, agg, values[agg]) for agg in ("reported", "pooled")]
