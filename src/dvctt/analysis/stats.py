"""Comparisons that hold up: intervals, volume-aware tests, the pooled-change decomposition and the ranking.

Where counts are known, every rate gets a Wilson interval and every change a Newcombe interval, so a commune with
12 dossiers at 100% is not read like an agency with 20,000 at 92%. Where only rates are published, the functions
return empty intervals and the report says what cannot be concluded. Formulas come from statsmodels and scipy.
All rates are percentages (0–100); functions return new frames and never modify their inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALPHA = 0.05


def _counts_ok(numerator: object, denominator: object) -> bool:
    return not (pd.isna(numerator) or pd.isna(denominator)) and float(denominator) > 0


def wilson_interval(successes: float, trials: float, alpha: float = ALPHA) -> tuple[float, float]:
    """Wilson score interval of successes/trials, in percent; (nan, nan) without counts."""
    if not _counts_ok(successes, trials):
        return (np.nan, np.nan)
    from statsmodels.stats.proportion import proportion_confint  # ~1 s to import: only when there are counts

    low, high = proportion_confint(int(successes), int(trials), alpha=alpha, method="wilson")
    return (100 * float(low), 100 * float(high))


def newcombe_interval(
    successes_after: float, trials_after: float, successes_before: float, trials_before: float, alpha: float = ALPHA
) -> tuple[float, float]:
    """Newcombe's hybrid score interval of the change (after − before) in percentage points."""
    if not (_counts_ok(successes_after, trials_after) and _counts_ok(successes_before, trials_before)):
        return (np.nan, np.nan)
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(
        int(successes_after),
        int(trials_after),
        int(successes_before),
        int(trials_before),
        method="newcomb",
        compare="diff",
        alpha=alpha,
    )
    return (100 * float(low), 100 * float(high))


def with_intervals(
    frame: pd.DataFrame, *, numerator: str = "numerator", denominator: str = "denominator"
) -> pd.DataFrame:
    """Add ci_low / ci_high (Wilson, percent) for every row with counts; empty where counts are unknown."""
    bounds = [wilson_interval(n, d) for n, d in zip(frame[numerator], frame[denominator], strict=True)]
    return frame.assign(
        ci_low=[b[0] for b in bounds],
        ci_high=[b[1] for b in bounds],
    )


def with_change_intervals(
    frame: pd.DataFrame,
    *,
    after: tuple[str, str] = ("numerator", "denominator"),
    before: tuple[str, str] = ("baseline_numerator", "baseline_denominator"),
) -> pd.DataFrame:
    """Add change_ci_low / change_ci_high (Newcombe, points) where both periods have counts."""
    bounds = [
        newcombe_interval(a_n, a_d, b_n, b_d)
        for a_n, a_d, b_n, b_d in zip(frame[after[0]], frame[after[1]], frame[before[0]], frame[before[1]], strict=True)
    ]
    return frame.assign(change_ci_low=[b[0] for b in bounds], change_ci_high=[b[1] for b in bounds])


def pooled_rate(numerators: pd.Series, denominators: pd.Series) -> float:
    """Ratio of sums in percent: 'what share of all dossiers' (each dossier counts once)."""
    total = float(denominators.sum())
    return np.nan if total <= 0 else 100 * float(numerators.sum()) / total


def decompose_pooled_change(
    baseline: pd.DataFrame, current: pd.DataFrame, *, key: str = "unit_code"
) -> dict[str, float]:
    """Split the change of the pooled rate into units improving and the mix of volumes changing.

    Symmetric shift-share (Kitagawa): with weights w = n / N and rates r, ΔP = Σ w̄ Δr + Σ r̄ Δw, where w̄ and r̄
    are the averages of the two periods. The two parts add up exactly to ΔP. Units present in only one period
    move only weight, so they count in the mix part. Both frames need ``key``, ``numerator`` and ``denominator``.
    """
    cols = [key, "numerator", "denominator"]
    merged = baseline[cols].merge(current[cols], on=key, how="outer", suffixes=("_0", "_1"))
    n0 = merged["denominator_0"].fillna(0).astype(float)
    n1 = merged["denominator_1"].fillna(0).astype(float)
    if n0.sum() <= 0 or n1.sum() <= 0:
        return {"pooled_baseline": np.nan, "pooled_current": np.nan, "change": np.nan, "rate_effect": np.nan,
                "mix_effect": np.nan}  # fmt: skip
    w0, w1 = n0 / n0.sum(), n1 / n1.sum()
    r0 = (merged["numerator_0"].astype(float) / n0.where(n0 > 0)).to_numpy()
    r1 = (merged["numerator_1"].astype(float) / n1.where(n1 > 0)).to_numpy()
    both = ~np.isnan(r0) & ~np.isnan(r1)
    r_mean = np.where(both, (r0 + r1) / 2, np.where(np.isnan(r0), r1, r0))
    rate_effect = float(np.sum(np.where(both, (w0 + w1) / 2 * (r1 - r0), 0.0)))
    mix_effect = float(np.nansum(r_mean * (w1 - w0)))
    p0 = pooled_rate(merged["numerator_0"].fillna(0), n0)
    p1 = pooled_rate(merged["numerator_1"].fillna(0), n1)
    return {
        "pooled_baseline": p0,
        "pooled_current": p1,
        "change": p1 - p0,
        "rate_effect": 100 * rate_effect,
        "mix_effect": 100 * mix_effect,
    }


def funnel_limits(target: float, volumes: np.ndarray, coverage: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact binomial control limits (percent) around ``target`` for each volume: where a unit of that size
    would fall ``coverage`` of the time if its true rate were the target."""
    p = float(target) / 100
    n = np.asarray(volumes, dtype=float)
    tail = (1 - coverage) / 2
    if p <= 0 or p >= 1:
        return np.full(n.shape, 100 * p), np.full(n.shape, 100 * p)
    from scipy import stats as sps

    low = sps.binom.ppf(tail, n, p) / n
    high = sps.binom.ppf(1 - tail, n, p) / n
    return 100 * low, 100 * high


def significance_against_target(
    frame: pd.DataFrame, *, group: list[str] | None = None, alpha: float = ALPHA
) -> pd.DataFrame:
    """Is each unit significantly above or below its target? Exact binomial test, Benjamini–Hochberg per group.

    Adds p_value, p_adjusted and significance ∈ above | below | not_distinguishable | no_counts. Units without
    counts are never called significant: their rate alone cannot say how sure we are.
    """
    group = group or ["level", "kpi"]
    p_values = []
    for num, den, target in zip(frame["numerator"], frame["denominator"], frame["target"], strict=True):
        if not _counts_ok(num, den) or pd.isna(target):
            p_values.append(np.nan)
            continue
        from scipy import stats as sps  # imported once, and only when a unit has counts (about a second)

        p = min(max(float(target) / 100, 0.0), 1.0)
        p_values.append(float(sps.binomtest(int(num), int(den), p, alternative="two-sided").pvalue))
    out = frame.assign(p_value=p_values)
    adjusted = pd.Series(np.nan, index=out.index)
    for _, rows in out[out["p_value"].notna()].groupby(group, sort=False):
        from statsmodels.stats.multitest import multipletests

        adjusted.loc[rows.index] = multipletests(rows["p_value"].to_numpy(), alpha=alpha, method="fdr_bh")[1]
    rate = 100 * out["numerator"].astype(float) / out["denominator"].astype(float)
    significance = np.select(
        [adjusted.isna(), (adjusted <= alpha) & (rate > out["target"]), (adjusted <= alpha) & (rate < out["target"])],
        ["no_counts", "above", "below"],
        default="not_distinguishable",
    )
    return out.assign(p_adjusted=adjusted, significance=significance)


def paired_change_tests(unit_summary: pd.DataFrame, *, alpha: float = ALPHA) -> pd.DataFrame:
    """Wilcoxon signed-rank test of period vs baseline across the units of each level × KPI (Holm-adjusted).

    Answers "did the units move?" without letting one big unit dominate. It is run only when every applicable
    unit has both values and there are at least 6: units a newspaper chose to name are not a sample.
    """
    rows = []
    for (level, kpi), frame in unit_summary.groupby(["level", "kpi"], sort=False):
        applicable = frame[(frame["status"] != "not_applicable") & (frame["baseline_status"] != "not_applicable")]
        paired = applicable[(applicable["status"] == "ok") & (applicable["baseline_status"] == "ok")]
        diff = paired["result"].astype(float) - paired["baseline"].astype(float)
        n = int(len(diff))
        complete = n == len(applicable) and n > 0
        row = {"level": level, "kpi": kpi, "n_units": n, "n_applicable": int(len(applicable)), "complete": complete,
               "n_up": int((diff > 0).sum()), "n_down": int((diff < 0).sum()),
               "median_change_pp": float(diff.median()) if n else np.nan,
               "statistic": np.nan, "p_value": np.nan}  # fmt: skip
        if complete and n >= 6 and (diff != 0).any():
            from scipy import stats as sps

            result = sps.wilcoxon(paired["result"].astype(float), paired["baseline"].astype(float))
            row.update(statistic=float(result.statistic), p_value=float(result.pvalue))
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out.assign(p_adjusted=pd.Series(dtype=float), significant=pd.Series(dtype="boolean"))
    tested = out["p_value"].notna()
    adjusted = pd.Series(np.nan, index=out.index)
    if tested.any():
        from statsmodels.stats.multitest import multipletests

        adjusted[tested] = multipletests(out.loc[tested, "p_value"].to_numpy(), alpha=alpha, method="holm")[1]
    significant = pd.array([pd.NA if pd.isna(p) else bool(p <= alpha) for p in adjusted], dtype="boolean")
    return out.assign(p_adjusted=adjusted, significant=significant)


def emulation_ranking(frame: pd.DataFrame, *, decimals: int = 1) -> pd.DataFrame:
    """Ranking for commendation (bảng xếp hạng thi đua) within each level × KPI.

    Score = the lower end of the unit's 95% Wilson interval minus its target (points): the attainment we can be
    sure of, so small units are not rewarded for luck. Without counts the score is the rate minus the target.
    Scores equal after rounding to ``decimals`` share a rank (1, 2, 2, 4). Needs result, target, numerator,
    denominator, status. A KPI without a target (overdue_pending, where lower is better, never has one) is not
    ranked: there is nothing to score against.
    """
    rated = frame[(frame["status"] == "ok") & frame["target"].notna()]
    rated = with_intervals(rated)
    has_counts = rated["ci_low"].notna()
    score = np.where(has_counts, rated["ci_low"], rated["result"].astype(float)) - rated["target"].astype(float)
    rated = rated.assign(score=np.round(score, decimals), score_basis=np.where(has_counts, "wilson_low", "rate"))
    ranked = []
    for _, rows in rated.groupby(["level", "kpi"], sort=False):
        rows = rows.sort_values(["score", "result", "unit_name"], ascending=[False, False, True])
        ranked.append(rows.assign(rank=rows["score"].rank(method="min", ascending=False).astype(int)))
    if not ranked:
        return rated.assign(rank=pd.Series(dtype=int))
    return pd.concat(ranked, ignore_index=True)


def overall_ranking(ranking: pd.DataFrame, *, decimals: int = 1) -> pd.DataFrame:
    """One row per unit of each level: its score per KPI and the mean over the KPIs that apply to it, ranked.

    A KPI that does not apply to a unit is left out of its mean rather than counted as zero.
    """
    if ranking.empty:
        return pd.DataFrame(columns=["level", "unit_code", "unit_name", "overall_score", "overall_rank"])
    wide = ranking.pivot_table(index=["level", "unit_code", "unit_name"], columns="kpi", values="score", sort=False)
    kpis = list(dict.fromkeys(ranking["kpi"]))
    wide = wide.reindex(columns=kpis).reset_index()
    wide = wide.assign(overall_score=wide[kpis].mean(axis=1).round(decimals), n_kpis=wide[kpis].notna().sum(axis=1))
    parts = []
    for _, rows in wide.groupby("level", sort=False):
        rows = rows.sort_values(["overall_score", "unit_name"], ascending=[False, True])
        parts.append(rows.assign(overall_rank=rows["overall_score"].rank(method="min", ascending=False).astype(int)))
    return pd.concat(parts, ignore_index=True)
