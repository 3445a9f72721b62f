"""Rankings and counts over a unit summary: honest leaders and laggards (ties share a rank, partial data is
never ranked), every unit's rank in its level, units at 0%, statuses and coverage.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from dvctt.analysis.metrics import MISSING, NOT_APPLICABLE, OK, as_float, met_flag
from dvctt.campaign.vocabulary import LOWER_IS_BETTER
from dvctt.errors import ParameterError

RANKING_COLUMNS = [
    "level", "kpi", "rank_group", "rank", "n_ranked", "unit_code", "unit_name", "value", "baseline", "target", "met",
]  # fmt: skip
ZERO_COLUMNS = ["level", "kpi", "unit_code", "unit_name", "published_name", "value"]
COVERAGE_COLUMNS = [
    "level",
    "kpi",
    "n_units",
    "n_baseline_ok",
    "n_baseline_missing",
    "n_baseline_not_applicable",
    "n_result_ok",
    "n_result_missing",
    "n_result_not_applicable",
]
_RANKABLE = {
    "result": ("status",),
    "baseline": ("baseline_status",),
    "change_pp": ("status", "baseline_status"),
}


# ---------------------------------------------------------------------------------------- rankings


def _status_columns(which: str) -> tuple[str, ...]:
    if which not in _RANKABLE:
        raise ParameterError(f"which must be one of {sorted(_RANKABLE)}, not {which!r}.")
    return _RANKABLE[which]


def _scores(usd: pd.DataFrame, which: str) -> tuple[np.ndarray, np.ndarray, pd.Series, pd.Series]:
    """Per unit row: has a value by its statuses, is applicable, the value, and its score (higher is better)."""
    statuses = [usd[col] for col in _status_columns(which)]
    ok = np.logical_and.reduce([s.eq(OK).to_numpy() for s in statuses])
    applicable = ~np.logical_or.reduce([s.eq(NOT_APPLICABLE).to_numpy() for s in statuses])
    value = as_float(usd[which])
    return ok, applicable, value, value.where(~usd["kpi"].isin(LOWER_IS_BETTER), -value)


def leaders_and_laggards(
    unit_summary_df: pd.DataFrame, *, which: str = "result", n: int = 10, returns: Collection[tuple[str, str]] = ()
) -> pd.DataFrame:
    """Honest leaders and laggards per level × kpi by `which` (result, baseline or change_pp).

    Where every applicable unit of the level has a value, units are ranked among all of them (1 = highest) and
    ties share a rank (competition ranking: 1, 2, 2, 4). Leaders are the units ranked in the top n (at most the
    top half) that are above the level's lowest value; laggards those in the bottom n (at most the bottom half)
    that are below its highest value and not leaders, so a tie never sits in both lists; when every unit has
    the same value they are one ``tied`` group.
    Where only some units have a value (a source named them), they are listed as ``named`` with no rank:
    units a source chose to name are neither leaders nor laggards of their level. A return (``returns`` holds its
    level × KPI) ranks the units that reported, ``n_ranked`` of them; the others are listed apart by the report.

    `met` is the result's met for which='result'/'change_pp' and baseline >= target for which='baseline'.
    For a KPI where lower is better (overdue_pending) the lowest value leads."""
    statuses = _status_columns(which)
    if n < 1:
        raise ParameterError(f"n must be at least 1, not {n}.")
    needed = ["level", "kpi", "unit_code", "unit_name", "baseline", "target", "met", which, *statuses]
    usd = unit_summary_df[list(dict.fromkeys(needed))]  # narrow: every group, filter and sort copies each column
    ok, applicable, value, score = _scores(usd, which)
    met = met_flag(usd["baseline"], usd["target"]) if which == "baseline" else usd["met"].astype("boolean")
    frame = usd.assign(value=value, _score=score, met=met, _ok=ok, _applicable=applicable)
    parts = []
    for key, group in frame.groupby(["level", "kpi"], sort=False):
        ranked = group[group["_ok"] & group["value"].notna()]
        if ranked.empty:
            continue
        ranked = ranked.sort_values(["_score", "unit_name"], ascending=[False, True], kind="stable")
        if len(ranked) < int(group["_applicable"].sum()) and tuple(key) not in returns:
            parts.append(ranked.assign(rank_group="named", rank=pd.NA, n_ranked=pd.NA))
            continue
        rank = ranked["_score"].rank(ascending=False, method="min").astype("int64")
        rank_up = ranked["_score"].rank(ascending=True, method="min").astype("int64")
        lowest, highest = ranked["_score"].min(), ranked["_score"].max()
        n_lead = min(n, -(-len(ranked) // 2))  # a small level is split at its middle
        lead = (rank <= n_lead) & (ranked["_score"] > lowest)
        lag = (rank_up <= min(n, len(ranked) - n_lead)) & (ranked["_score"] < highest) & ~lead
        marked = ranked.assign(rank=rank, n_ranked=len(ranked))
        if lowest == highest:
            parts.append(marked.assign(rank_group="tied"))
            continue
        parts.append(marked[lead].assign(rank_group="leader"))
        parts.append(marked[lag].sort_values(["_score", "unit_name"], kind="stable").assign(rank_group="laggard"))
    if not parts:
        return pd.DataFrame({col: pd.Series(dtype="object") for col in RANKING_COLUMNS})
    out = pd.concat(parts)[RANKING_COLUMNS].reset_index(drop=True)
    return out.assign(rank=out["rank"].astype("Int64"), n_ranked=out["n_ranked"].astype("Int64"))


def unit_ranks(
    unit_summary_df: pd.DataFrame, which: str = "result", returns: Collection[tuple[str, str]] = ()
) -> pd.DataFrame:
    """Each unit's rank by `which` among all units of its level (ties share a rank), with the number ranked.

    Empty (NA) where not every applicable unit of the level has a value: a rank among the units a source named
    is not a rank in the level; in a return (``returns``: level × KPI) the rank is among the units that reported.
    The ranks :func:`leaders_and_laggards` gives (every ranked unit is a leader, a laggard or tied when n covers the
    level), computed for all levels at once."""
    usd = unit_summary_df
    ok, applicable, value, score = _scores(usd, which)
    ranked = pd.Series(ok, index=usd.index) & value.notna()
    keys = [usd["level"], usd["kpi"]]  # rows with a missing level or KPI are in no group, as in groupby
    n_ranked = ranked.astype("int64").groupby(keys, sort=False).transform("sum")
    n_applicable = pd.Series(applicable, index=usd.index).astype("int64").groupby(keys, sort=False).transform("sum")
    is_return = pd.Series([(lv, k) in returns for lv, k in zip(usd["level"], usd["kpi"], strict=True)], index=usd.index)
    whole = ranked & (n_ranked.ge(n_applicable).fillna(False).astype(bool) | is_return)
    rank = score.where(whole).groupby(keys, sort=False).rank(ascending=False, method="min")
    return pd.DataFrame({
        "unit_code": usd["unit_code"].reset_index(drop=True), "kpi": usd["kpi"].reset_index(drop=True),
        "rank": pd.array(rank.where(whole), dtype="Float64").astype("Int64"),
        "n_ranked": pd.array(n_ranked.where(whole), dtype="Float64").astype("Int64"),
    })  # fmt: skip


def units_at_zero(unit_summary_df: pd.DataFrame, *, which: str = "result") -> pd.DataFrame:
    """Units with a value of exactly 0% (status ok), per level × kpi. Not-applicable units have no rate
    and are never listed: 'no fee-bearing procedures' is not 'nobody paid online'. A KPI where lower is better
    (0% of pending dossiers overdue) is never listed: 0% there is the best value, not a warning."""
    if which not in ("result", "baseline"):
        raise ParameterError(f"which must be 'result' or 'baseline', not {which!r}.")
    usd = unit_summary_df
    status = usd["status" if which == "result" else "baseline_status"]
    value = as_float(usd[which])
    keep = (status.eq(OK) & value.eq(0) & ~usd["kpi"].isin(LOWER_IS_BETTER)).fillna(False).astype(bool)
    # Group by level and kpi in first-appearance order, units in input order within each group.
    group = usd.groupby(["level", "kpi"], sort=False).ngroup()
    frame = usd.assign(value=value, _group=group).loc[keep].sort_values("_group", kind="stable")
    return frame[ZERO_COLUMNS].reset_index(drop=True)


def status_counts(unit_summary_df: pd.DataFrame, status_column: str = "status") -> pd.DataFrame:
    """level × kpi × n_ok / n_missing / n_not_applicable for one status column."""
    usd = unit_summary_df
    dummies = pd.DataFrame({f"n_{s}": usd[status_column].eq(s).astype("int64") for s in (OK, MISSING, NOT_APPLICABLE)})
    keys = usd[["level", "kpi"]]
    return pd.concat([keys, dummies], axis=1).groupby(["level", "kpi"], sort=False).sum().reset_index()


def coverage_table(unit_summary_df: pd.DataFrame) -> pd.DataFrame:
    """How many units have a value, are missing, or are not applicable, at baseline and in the result
    period, per level × kpi. This is what tells the reader whether a level figure can be computed."""
    usd = unit_summary_df
    sizes = usd.groupby(["level", "kpi"], sort=False).size().rename("n_units").reset_index()
    base = status_counts(usd, "baseline_status").rename(columns=lambda c: _prefix("baseline", c))
    res = status_counts(usd, "status").rename(columns=lambda c: _prefix("result", c))
    frame = sizes.merge(base, on=["level", "kpi"]).merge(res, on=["level", "kpi"])
    return frame[COVERAGE_COLUMNS]


def _prefix(prefix: str, column: str) -> str:
    """n_ok -> n_baseline_ok."""
    return f"n_{prefix}_{column[2:]}" if column.startswith("n_") else column
