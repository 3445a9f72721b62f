"""Progress: straight path, gain needed, bounded forecasts and the refusal to forecast from too little."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from dvctt.analysis import progress


def _weekly(rates, counts=None, start=date(2023, 3, 12)):
    ends = [start + timedelta(weeks=i) for i in range(len(rates))]
    frame = pd.DataFrame({"end": ends, "rate": rates})
    if counts is None:
        return frame.assign(numerator=np.nan, denominator=np.nan)
    return frame.assign(numerator=[r / 100 * c for r, c in zip(rates, counts, strict=True)], denominator=counts)


def test_straight_path_and_weekly_gain():
    start, due = date(2023, 3, 1), date(2023, 5, 10)  # 10 weeks
    assert progress.straight_path(30.0, 70.0, start, due, date(2023, 4, 5)) == pytest.approx(50.0)
    assert progress.straight_path(30.0, 70.0, start, due, date(2023, 6, 1)) == pytest.approx(70.0)
    assert progress.weekly_gain_needed(50.0, 70.0, date(2023, 4, 5), due) == pytest.approx(4.0)
    assert progress.weekly_gain_needed(75.0, 70.0, date(2023, 4, 5), due) == 0.0


def test_too_few_periods_gives_a_reason_not_a_line():
    result = progress.forecast(_weekly([30.0, 40.0]), 70.0, date(2023, 6, 1))
    assert not result.available and result.reason == "too_few_periods" and np.isnan(result.rate)


def test_no_forecast_once_the_deadline_has_passed():
    result = progress.forecast(_weekly([30.0, 40.0, 50.0, 60.0]), 70.0, date(2023, 3, 20))
    assert result.reason == "deadline_passed"


def test_a_clean_logit_trend_is_recovered_and_bounded():
    # true logit rises by 0.3 per week from -1: rates expit(-1 + 0.3 w)
    weeks = np.arange(6)
    rates = 100 * expit(-1 + 0.3 * weeks)
    points = _weekly(list(rates), counts=[20_000] * 6)
    due = date(2023, 3, 12) + timedelta(weeks=12)
    result = progress.forecast(points, 70.0, due)
    assert result.rate == pytest.approx(100 * expit(-1 + 0.3 * 12), abs=0.2)
    assert 0 <= result.low <= result.rate <= result.high <= 100
    assert result.probability_met > 0.99 and "binomial" in result.model


def test_rates_only_use_least_squares_and_stay_within_0_100():
    points = _weekly([90.0, 95.0, 97.0, 99.0, 99.5])
    result = progress.forecast(points, 99.9, date(2023, 3, 12) + timedelta(weeks=30))
    assert result.model.startswith("least squares")
    assert 0 <= result.low <= result.rate <= result.high <= 100


def test_noisy_weeks_widen_the_interval():
    steady = _weekly([40.0, 45.0, 50.0, 55.0, 60.0], counts=[10_000] * 5)
    noisy = _weekly([40.0, 58.0, 44.0, 62.0, 60.0], counts=[10_000] * 5)
    due = date(2023, 3, 12) + timedelta(weeks=8)
    width = [progress.forecast(p, 70.0, due) for p in (steady, noisy)]
    # a steady line keeps the floor of period-to-period variation (MIN_PERIOD_SD); real swings widen it further
    assert (width[1].high - width[1].low) > 1.5 * (width[0].high - width[0].low)
    assert width[0].high - width[0].low > 10.0


def test_big_counts_still_give_an_interval_with_the_weekly_swings():
    """20.000 dossiers a week make the binomial error tiny; the weeks still swing by a point or two, and a level
    ahead of its straight path must not be told it has no chance."""
    rates = [50.0, 57.0, 60.5, 64.0, 65.0, 67.5]  # slowing down, ahead of the path 40% → 83% over 12 weeks
    points = _weekly(rates, counts=[20_000] * 6)
    start, due = date(2023, 3, 5), date(2023, 3, 5) + timedelta(weeks=12)
    latest_end = points["end"].iloc[-1]
    assert rates[-1] > progress.straight_path(40.0, 83.0, start, due, latest_end)  # ahead of the straight path
    result = progress.forecast(points, 83.0, due)
    assert result.high - result.low > 3.0  # points, not "82,8% (82,8%–82,8%)"
    assert 0.05 < result.probability_met < 0.95
    assert result.low <= result.rate <= result.high


def test_not_applicable_units_do_not_remove_a_level_series():
    from dvctt.campaign.loading import load_campaign

    campaign = load_campaign("camau-2023")
    definition = campaign.definition
    units = pd.DataFrame({"unit_code": ["A", "B", "C"], "level": "province"})
    periods = [p.id for p in definition.series_periods()]
    rows = []
    for period in periods:
        rows += [
            {"unit_code": "A", "period": period, "kpi": "online_payment", "numerator": 10.0, "denominator": 40.0,
             "rate": 25.0, "status": "ok"},
            {"unit_code": "B", "period": period, "kpi": "online_payment", "numerator": 30.0, "denominator": 60.0,
             "rate": 50.0, "status": "ok"},
            {"unit_code": "C", "period": period, "kpi": "online_payment", "numerator": np.nan,
             "denominator": np.nan, "rate": np.nan, "status": "not_applicable"},
        ]  # fmt: skip
    totals = campaign.reported_totals.iloc[0:0]
    traj = progress.trajectory(definition, units, pd.DataFrame(rows), totals)
    payment = traj[(traj["level"] == "province") & (traj["kpi"] == "online_payment")]
    assert (payment["method"] == "pooled").all()
    assert payment["rate"].tolist() == pytest.approx([40.0] * len(periods))  # 40 of 100 dossiers, C not counted


@pytest.mark.parametrize(
    ("rates", "counts"),
    [
        ([85.0, 84.5, 83.2, 82.9], [10_000] * 4),  # above target, drifting down smoothly: was 77,4% (75,7–79,0), 1%
        ([90.0, 88.0, 86.0, 84.0], [10_000] * 4),  # a perfectly straight fall: was 0,02%
        ([85.0, 84.5, 83.2, 82.9], None),  # the same from printed rates only
    ],
    ids=["smooth-fall-counts", "straight-fall", "smooth-fall-rates"],
)
def test_a_level_ahead_of_its_straight_path_never_gets_a_near_zero_chance(rates, counts):
    """Four periods that lie on a falling line cannot show that the level never swings: the interval keeps the
    period-to-period variation (at least MIN_PERIOD_SD on the logit scale) and reaches the target."""
    points = _weekly(rates, counts=counts, start=date(2023, 3, 12))
    start, due = date(2023, 3, 5), date(2023, 5, 14)  # baseline 50% → target 80% over 10 weeks
    assert rates[-1] > progress.straight_path(50.0, 80.0, start, due, points["end"].iloc[-1])  # ahead of the path
    result = progress.forecast(points, 80.0, due)
    assert result.rate < 80.0  # the trend alone says it falls short ...
    assert result.low < 80.0 < result.high  # ... but the interval includes meeting the target
    assert result.probability_met > 0.05


def test_the_variance_floor_does_not_give_a_chance_to_a_level_far_below_its_target():
    points = _weekly([40.0, 41.0, 40.0, 41.0], counts=[10_000] * 4)
    result = progress.forecast(points, 80.0, date(2023, 3, 12) + timedelta(weeks=9))
    assert result.high < 80.0 and result.probability_met < 0.01
