"""Progress over reporting periods: trajectory, the straight path to target, the gain still needed, a forecast.

The series of a level × KPI uses pooled unit counts where they exist, else the level figure a source printed.
Forecasts are fitted on the logit scale (a quasi-binomial GLM on counts, or least squares on logit rates when
only rates exist), so the forecast and its interval stay inside 0–100%. With fewer campaign periods than
MIN_POINTS the forecast is refused with a reason instead of drawing a line through two points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dvctt.campaign.definition import CampaignDefinition

MIN_POINTS = 4  # campaign periods needed before a trend is fitted
EPSILON = 0.5  # continuity correction (dossiers) so 0% and 100% have a finite logit
# The least period-to-period variation a forecast assumes, as a standard deviation on the logit scale (0.15 is
# about ±2,5 points a period around 80%). Four to six reported rates that happen to lie on a line cannot show that
# a level never swings from one period to the next; without a floor a smooth falling series gets "77,4%
# (75,7%–79,0%)" and a 1% chance although it stands at 82,9%, above its target and ahead of its straight path.
MIN_PERIOD_SD = 0.15


def deadline(definition: CampaignDefinition) -> date:
    """The date targets are due: campaign.toml `deadline`, else the end of the campaign window, else the last period."""
    if definition.deadline is not None:
        return definition.deadline
    windows = [p for p in definition.periods if p.kind == "campaign"]
    return (windows[0] if windows else max(definition.periods, key=lambda p: p.end)).end


def _level_counts(observations: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per level × KPI × period: summed counts over units that report counts, how many do, and how many units
    the rate does not apply to (no fee-bearing procedures): those are not missing, so they never block a sum."""
    merged = observations.merge(units[["unit_code", "level"]], on="unit_code")
    keys = ["level", "kpi", "period"]
    counted = merged[(merged["status"] == "ok") & merged["denominator"].notna()]
    sums = (
        counted.groupby(keys, sort=False)
        .agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"), n_units=("unit_code", "nunique"))
        .reset_index()
    )
    not_applicable = (
        merged[merged["status"] == "not_applicable"].groupby(keys, sort=False)["unit_code"].nunique().rename("n_na")
    )
    sums = sums.merge(not_applicable.reset_index(), on=keys, how="left")
    return sums.assign(n_na=sums["n_na"].fillna(0).astype(int))


def trajectory(
    definition: CampaignDefinition,
    units: pd.DataFrame,
    observations: pd.DataFrame,
    reported_totals: pd.DataFrame,
    *,
    as_of: str | None = None,
) -> pd.DataFrame:
    """One row per level × KPI × period of the series: rate (percent), counts when known, and where it came from."""
    periods = definition.series_periods(as_of)
    counts = _level_counts(observations, units)
    reported = reported_totals[
        (reported_totals["measure"] == "rate") & reported_totals["unit_code"].isna() & reported_totals["headline"]
    ]
    rows = []
    for level in definition.levels:
        n_units = int((units["level"] == level).sum())
        for kpi in definition.kpis:
            for order, period in enumerate(periods):
                row = {"level": level, "kpi": kpi, "period": period.id, "order": order, "kind": period.kind,
                       "start": period.start, "end": period.end, "numerator": np.nan, "denominator": np.nan,
                       "rate": np.nan, "method": "none"}  # fmt: skip
                found = counts[(counts["level"] == level) & (counts["kpi"] == kpi) & (counts["period"] == period.id)]
                printed = reported[
                    (reported["level"] == level) & (reported["kpi"] == kpi) & (reported["period"] == period.id)
                ]
                complete = len(found) and int(found["n_units"].iloc[0]) + int(found["n_na"].iloc[0]) >= n_units
                if complete and float(found["denominator"].iloc[0]) > 0:
                    num, den = float(found["numerator"].iloc[0]), float(found["denominator"].iloc[0])
                    row.update(numerator=num, denominator=den, rate=100 * num / den, method="pooled")
                elif len(printed):
                    first = printed.iloc[0]
                    row.update(rate=float(first["value"]), method="reported")
                    if pd.notna(first["denominator"]):
                        row.update(numerator=float(first["numerator"]), denominator=float(first["denominator"]))
                rows.append(row)
    return pd.DataFrame(rows)


def straight_path(baseline_rate: float, target: float, start: date, due: date, when: date) -> float:
    """Where a level should be on ``when`` if it moved in a straight line from the baseline to the target."""
    span = (due - start).days
    if span <= 0:
        return target
    share = min(max((when - start).days / span, 0.0), 1.0)
    return baseline_rate + share * (target - baseline_rate)


def weekly_gain_needed(current: float, target: float, when: date, due: date) -> float:
    """Points per week still needed to reach the target by the deadline (0 when already there; NaN when past)."""
    if pd.isna(current):
        return np.nan
    if current >= target:
        return 0.0
    weeks = (due - when).days / 7
    return np.nan if weeks <= 0 else (target - current) / weeks


@dataclass(frozen=True)
class Forecast:
    """A forecast at the deadline, or why there is none (``reason``)."""

    rate: float = np.nan
    low: float = np.nan
    high: float = np.nan
    probability_met: float = np.nan
    n_points: int = 0
    model: str = ""
    reason: str = ""

    @property
    def available(self) -> bool:
        return not self.reason


def forecast(points: pd.DataFrame, target: float, due: date, *, level: float = 0.95) -> Forecast:
    """Fit a logit-linear trend on the campaign periods and project it to ``due``.

    ``points`` has end (date), rate (percent) and optionally numerator/denominator. With counts: quasi-binomial
    GLM (dispersion from Pearson χ²). Without: least squares on the logit of the rates. Either way the interval
    is a *prediction* interval for the deadline period: the uncertainty of the trend plus the period-to-period
    variation around it (the residual variance on the logit scale, which holds the over-dispersion), with a t
    distribution on n − 2 degrees of freedom. With tens of thousands of dossiers a week the binomial error alone
    is tiny; leaving out the weekly swings would give "82,8% (82,8%–82,8%)" and a zero chance to a unit that is
    ahead of its straight path. The probability of meeting the target comes from the same t distribution.

    The period-to-period variance is at least MIN_PERIOD_SD² (see there): when the residuals are smaller than
    that, the floor replaces them in both terms (the trend's uncertainty then grows with the distance of the
    deadline from the observed periods) and, being assumed rather than estimated, it is used with a normal
    distribution instead of the t.
    """
    usable = points.dropna(subset=["rate"])
    n = len(usable)
    if n < MIN_POINTS:
        return Forecast(n_points=n, reason="too_few_periods")
    if usable["end"].max() >= due:
        return Forecast(n_points=n, reason="deadline_passed")
    # imported here: a second of every report's start otherwise, and most reports fit no trend
    import statsmodels.api as sm
    from scipy import stats as sps
    from scipy.special import expit, logit

    origin = usable["end"].min()
    x = np.array([(d - origin).days / 7 for d in usable["end"]], dtype=float)
    x_due = (due - origin).days / 7
    design = sm.add_constant(x)
    at_due = np.array([[1.0, x_due]])
    goal = logit(min(max(target / 100, 1e-6), 1 - 1e-6))
    if usable["denominator"].notna().all() and (usable["denominator"] > 0).all():
        successes = usable["numerator"].to_numpy(dtype=float)
        trials = usable["denominator"].to_numpy(dtype=float)
        endog = np.column_stack([successes + EPSILON, trials - successes + EPSILON])
        fit = sm.GLM(endog, design, family=sm.families.Binomial()).fit(scale="X2")
        eta = float((at_due @ fit.params)[0])
        observed = logit((successes + EPSILON) / (trials + 2 * EPSILON))
        residual_var = float(np.sum((observed - design @ fit.params) ** 2) / max(n - 2, 1))
        model = "quasi-binomial logit GLM"
    else:
        rates = np.clip(usable["rate"].to_numpy(dtype=float) / 100, 0.005, 0.995)
        fit = sm.OLS(logit(rates), design).fit()
        eta = float((at_due @ fit.params)[0])
        residual_var, model = float(fit.scale), "least squares on logit rates"
    trend_var = float((at_due @ fit.cov_params() @ at_due.T)[0, 0])
    if residual_var >= MIN_PERIOD_SD**2:
        se, dist = float(np.sqrt(trend_var + residual_var)), sps.t(df=max(n - 2, 1))
    else:  # the floor: the trend's uncertainty as least squares would give it with that variance, plus the variance
        leverage = float((at_due @ np.linalg.inv(design.T @ design) @ at_due.T)[0, 0])
        variance = MIN_PERIOD_SD**2
        se, dist = float(np.sqrt(max(trend_var, variance * leverage) + variance)), sps.norm()
    quantile = dist.ppf(0.5 + level / 2)
    return Forecast(
        rate=100 * float(expit(eta)),
        low=100 * float(expit(eta - quantile * se)),
        high=100 * float(expit(eta + quantile * se)),
        probability_met=float(1 - dist.cdf((goal - eta) / se)) if se > 0 else float(eta >= goal),
        n_points=n,
        model=model,
    )


def level_progress(traj: pd.DataFrame, targets: pd.DataFrame, definition: CampaignDefinition) -> pd.DataFrame:
    """Per level × KPI: latest value, change since the previous period, the straight-path value, the weekly gain
    still needed and the forecast at the deadline."""
    due = deadline(definition)
    target_of = targets[targets["target_set"] == definition.target_set].set_index(["level", "kpi"])["target"]
    rows = []
    for (level, kpi), series in traj.groupby(["level", "kpi"], sort=False):
        series = series.sort_values("order")
        baseline = series.iloc[0]
        campaign = series.iloc[1:].dropna(subset=["rate"])
        target = float(target_of.get((level, kpi), np.nan))
        latest = campaign.iloc[-1] if len(campaign) else None
        previous = campaign.iloc[-2] if len(campaign) > 1 else None
        start = definition.period(definition.baseline_period).end
        result = (
            forecast(campaign, target, due)
            if len(campaign) and not np.isnan(target)
            else Forecast(reason="no_data" if not len(campaign) else "no_target")
        )
        rows.append(
            {
                "level": level,
                "kpi": kpi,
                "baseline": baseline["rate"],
                "target": target,
                "latest_period": None if latest is None else latest["period"],
                "latest_method": None if latest is None else latest["method"],
                "latest": np.nan if latest is None else latest["rate"],
                "previous_period": None if previous is None else previous["period"],
                "previous": np.nan if previous is None else previous["rate"],
                "change_since_previous": np.nan if previous is None else latest["rate"] - previous["rate"],
                "on_straight_path": np.nan
                if latest is None or np.isnan(target) or pd.isna(baseline["rate"])
                else straight_path(baseline["rate"], target, start, due, latest["end"]),
                "weekly_gain_needed": np.nan
                if latest is None
                else weekly_gain_needed(latest["rate"], target, latest["end"], due),
                "forecast": result.rate,
                "forecast_low": result.low,
                "forecast_high": result.high,
                "probability_met": result.probability_met,
                "forecast_points": result.n_points,
                "forecast_model": result.model,
                "forecast_reason": result.reason,
                "deadline": due,
            }
        )
    return pd.DataFrame(rows)


def units_at_risk(
    definition: CampaignDefinition,
    units: pd.DataFrame,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    as_of: str | None = None,
    recent: int = 4,
) -> pd.DataFrame:
    """Units below target whose own recent trend (last ``recent`` periods, straight line, capped to 0–100)
    does not reach the target by the deadline. Needs at least 3 periods of the unit; others are not judged."""
    periods = [p for p in definition.series_periods(as_of)[1:]]
    if len(periods) < 3:
        return pd.DataFrame(columns=["unit_code", "unit_name", "level", "kpi", "latest", "target", "projected"])
    due = deadline(definition)
    ends = {p.id: p.end for p in periods}
    target_of = targets[targets["target_set"] == definition.target_set].set_index(["level", "kpi"])["target"]
    obs = observations[observations["period"].isin(ends) & (observations["status"] == "ok")]
    obs = obs.merge(units[["unit_code", "official_name", "level"]], on="unit_code")
    rows = []
    for (code, kpi), series in obs.groupby(["unit_code", "kpi"], sort=False):
        series = series.assign(end=series["period"].map(ends)).sort_values("end").tail(recent)
        if len(series) < 3:
            continue
        level = series["level"].iloc[0]
        target = float(target_of.get((level, kpi), np.nan))
        latest = float(series["rate"].iloc[-1])
        if np.isnan(target) or latest >= target or series["end"].iloc[-1] >= due:
            continue
        x = np.array([(d - series["end"].iloc[0]).days / 7 for d in series["end"]], dtype=float)
        slope, intercept = np.polyfit(x, series["rate"].astype(float), 1)
        projected = float(np.clip(intercept + slope * ((due - series["end"].iloc[0]).days / 7), 0, 100))
        if projected < target:
            rows.append({"unit_code": code, "unit_name": series["official_name"].iloc[0], "level": level, "kpi": kpi,
                         "latest": latest, "target": target, "projected": projected,
                         "weekly_trend": float(slope)})  # fmt: skip
    return (
        pd.DataFrame(rows).sort_values(["level", "kpi", "projected"])
        if rows
        else pd.DataFrame(
            columns=["unit_code", "unit_name", "level", "kpi", "latest", "target", "projected", "weekly_trend"]
        )
    )
