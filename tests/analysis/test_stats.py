"""Statistics checked against published and hand-computed examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dvctt.analysis import stats


def test_wilson_matches_newcombe_1998_published_examples():
    # Newcombe RG (1998) Stat Med 17:857, Table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605
    assert stats.wilson_interval(81, 263) == pytest.approx((25.53, 36.62), abs=0.005)
    assert stats.wilson_interval(15, 148) == pytest.approx((6.24, 16.05), abs=0.005)


def test_wilson_matches_the_closed_form_by_hand():
    k, n, z = 12, 12, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = stats.wilson_interval(k, n)
    assert low == pytest.approx(100 * (centre - half), abs=1e-9)
    assert high == pytest.approx(100.0)
    assert low == pytest.approx(75.75, abs=0.01)  # 12 of 12 at 100%: we can only be sure of ~76%


def test_no_counts_no_interval():
    assert all(math.isnan(v) for v in stats.wilson_interval(None, 100))
    assert all(math.isnan(v) for v in stats.wilson_interval(5, 0))


def test_newcombe_difference_matches_the_published_example():
    # Newcombe RG (1998) Stat Med 17:873, example (a): 56/70 - 48/80 = 0.2000, method 10: 0.0524 to 0.3339
    low, high = stats.newcombe_interval(56, 70, 48, 80)
    assert (low, high) == pytest.approx((5.24, 33.39), abs=0.005)


def test_intervals_are_added_only_where_counts_exist():
    frame = pd.DataFrame({"numerator": [81, None], "denominator": [263, None]})
    out = stats.with_intervals(frame)
    assert out["ci_low"].iloc[0] == pytest.approx(25.53, abs=0.005)
    assert out["ci_high"].isna().iloc[1]
    assert "ci_low" not in frame  # the input is not modified


def test_decomposition_adds_up_and_separates_mix_from_improvement():
    # Unit A: 900/1000 both periods. Unit B: 10/100 -> 10/100. Volume of B grows to 1000.
    before = pd.DataFrame({"unit_code": ["A", "B"], "numerator": [900, 10], "denominator": [1000, 100]})
    after = pd.DataFrame({"unit_code": ["A", "B"], "numerator": [900, 100], "denominator": [1000, 1000]})
    out = stats.decompose_pooled_change(before, after)
    assert out["pooled_baseline"] == pytest.approx(910 / 1100 * 100)
    assert out["pooled_current"] == pytest.approx(50.0)
    assert out["rate_effect"] == pytest.approx(0.0)  # no unit changed its rate
    assert out["mix_effect"] == pytest.approx(out["change"])  # the whole fall is the mix
    assert out["rate_effect"] + out["mix_effect"] == pytest.approx(out["change"])


def test_decomposition_by_hand_when_both_parts_move():
    before = pd.DataFrame({"unit_code": ["A", "B"], "numerator": [50, 20], "denominator": [100, 100]})
    after = pd.DataFrame({"unit_code": ["A", "B"], "numerator": [180, 40], "denominator": [200, 100]})
    out = stats.decompose_pooled_change(before, after)
    # w0 = (.5,.5), w1 = (2/3,1/3); r0 = (.5,.2), r1 = (.9,.4)
    rate = ((0.5 + 2 / 3) / 2 * 0.4 + (0.5 + 1 / 3) / 2 * 0.2) * 100
    mix = ((0.5 + 0.9) / 2 * (2 / 3 - 0.5) + (0.2 + 0.4) / 2 * (1 / 3 - 0.5)) * 100
    assert out["rate_effect"] == pytest.approx(rate)
    assert out["mix_effect"] == pytest.approx(mix)
    assert out["change"] == pytest.approx(220 / 300 * 100 - 35.0)


def test_funnel_limits_narrow_with_volume():
    low, high = stats.funnel_limits(80, np.array([10, 100, 10000]))
    assert list(high - low) == sorted(high - low, reverse=True)
    assert low[2] == pytest.approx(79.2, abs=0.1) and high[2] == pytest.approx(80.8, abs=0.1)


def test_small_units_are_not_called_significant_by_luck():
    frame = pd.DataFrame(
        {
            "level": ["commune"] * 3,
            "kpi": ["online"] * 3,
            "numerator": [12, 18_400, None],
            "denominator": [12, 20_000, None],
            "target": [80.0, 95.0, 80.0],
        }
    )
    out = stats.significance_against_target(frame)
    assert list(out["significance"]) == ["not_distinguishable", "below", "no_counts"]
    assert out["p_value"].iloc[0] == pytest.approx(0.8**12 * 2, rel=0.2)  # two-sided exact binomial


def test_paired_wilcoxon_counts_units_moving_and_is_holm_adjusted():
    units = pd.DataFrame(
        {
            "level": ["commune"] * 8,
            "kpi": ["online"] * 8,
            "baseline": [10, 20, 30, 40, 50, 60, 70, 80.0],
            "result": [15, 26, 37, 48, 59, 70, 81, 79.0],
            "status": ["ok"] * 8,
            "baseline_status": ["ok"] * 8,
        }
    )
    out = stats.paired_change_tests(units).iloc[0]
    assert (out["n_units"], out["n_up"], out["n_down"], bool(out["complete"])) == (8, 7, 1, True)
    # ranks of |d| = 1,5,6,7,8,9,10,11 -> negative rank sum W- = 1: exact two-sided p = 2 * 2/256
    assert out["statistic"] == 1.0
    assert out["p_value"] == pytest.approx(4 / 256)
    assert bool(out["significant"]) is True


def test_emulation_ranking_rewards_certainty_and_shares_ties():
    frame = pd.DataFrame(
        {
            "level": ["commune"] * 4,
            "kpi": ["online"] * 4,
            "unit_name": ["Small", "Big", "Twin A", "Twin B"],
            "result": [100.0, 92.0, 90.0, 90.0],
            "target": [60.0] * 4,
            "numerator": [12, 18_400, 900, 900],
            "denominator": [12, 20_000, 1000, 1000],
            "status": ["ok"] * 4,
        }
    )
    out = stats.emulation_ranking(frame)
    assert list(out["unit_name"]) == ["Big", "Twin A", "Twin B", "Small"]
    assert list(out["rank"]) == [1, 2, 2, 4]
    assert (out["score_basis"] == "wilson_low").all()


def test_paired_test_refuses_a_partial_selection_of_units():
    units = pd.DataFrame(
        {
            "level": ["commune"] * 8,
            "kpi": ["online"] * 8,
            "baseline": [10, 20, 30, 40, 50, 60, 70, 80.0],
            "result": [15, 26, 37, 48, 59, 70, 81, None],
            "status": ["ok"] * 7 + ["missing"],
            "baseline_status": ["ok"] * 8,
        }
    )
    out = stats.paired_change_tests(units).iloc[0]
    assert (out["n_units"], out["n_applicable"], bool(out["complete"])) == (7, 8, False)
    assert math.isnan(out["p_value"]) and pd.isna(out["significant"])


def test_league_table_marks_units_significantly_above_or_below_target(tiny_campaign):
    from dvctt.report.certainty_sections import _significance_marks
    from dvctt.report.data import build_report_data

    units = build_report_data(tiny_campaign).unit_summary
    marks = _significance_marks(units, "vi").set_index("unit_code")["marks"].to_dict()
    # 90/100 against 80% and 30/50 against 80%: both beyond chance; payment has no counts, so no mark
    assert marks == {"99.A01": "▲ Trực tuyến", "99.A02": "▼ Trực tuyến"}
