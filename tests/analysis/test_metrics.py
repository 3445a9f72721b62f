"""dvctt.analysis.metrics on tiny hand-built frames whose every figure is worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dvctt.analysis import metrics, rankings
from dvctt.errors import DataValidationError, ParameterError

NA = None


def _units() -> pd.DataFrame:
    rows = [
        ("P1", "province", "96", "Sở Một", "Sở 1"),
        ("P2", "province", "96", "Sở Hai", "Sở 2"),
        ("P3", "province", "96", "Sở Ba", "Sở 3"),
        ("D1", "district", "96", "Huyện An", "UBND huyện An"),
        ("D2", "district", "96", "Huyện Bình", "UBND huyện Bình"),
        ("D3", "district", "96", "Huyện Cà", "UBND huyện Cà"),
        ("D4", "district", "96", "Huyện Đông", "UBND huyện Đông"),
        ("C1", "commune", "D1", "Xã Một", "UBND xã Một"),
        ("C2", "commune", "D1", "Xã Hai", "UBND xã Hai"),
        ("C3", "commune", "D2", "Xã Ba", "UBND xã Ba"),
    ]
    frame = pd.DataFrame(rows, columns=["unit_code", "level", "parent_code", "official_name", "published_name"])
    return frame.assign(code_source="project", appendix_row=pd.array(range(1, 11), dtype="Int64"))


def _observations() -> pd.DataFrame:
    rows = [
        # unit, period, kpi, numerator, denominator, rate, status
        ("P1", "2023", "online", 60, 100, 60.0, "ok"),
        ("P2", "2023", "online", 25, 50, 50.0, "ok"),  # exactly the province target 50
        ("P3", "2023", "online", 10, 40, 25.0, "ok"),
        ("D1", "2023", "online", 30, 75, 40.0, "ok"),  # exactly the district target 40
        ("D2", "2023", "online", 8, 10, 80.0, "ok"),
        ("D3", "2023", "online", 2, 10, 20.0, "ok"),
        ("D4", "2023", "online", 0, 5, 0.0, "ok"),
        ("C1", "2023", "online", 3, 10, 30.0, "ok"),
        ("C2", "2023", "online", NA, NA, NA, "missing"),  # C3 has no row at all: also missing
        ("P1", "2022", "online", 40, 100, 40.0, "ok"),
        ("P2", "2022", "online", 25, 50, 50.0, "ok"),  # P3 has no 2022 row
        ("D1", "2022", "online", 15, 50, 30.0, "ok"),
        ("D2", "2022", "online", 5, 10, 50.0, "ok"),
        ("D3", "2022", "online", 1, 10, 10.0, "ok"),
        ("D4", "2022", "online", 0, 4, 0.0, "ok"),
        ("P1", "2023", "online_payment", NA, NA, NA, "not_applicable"),
        ("P2", "2023", "online_payment", 0, 20, 0.0, "ok"),
        ("P3", "2023", "online_payment", 5, 5, 100.0, "ok"),
        ("D1", "2023", "online_payment", NA, NA, NA, "not_applicable"),
        ("D2", "2023", "online_payment", 0, 3, 0.0, "ok"),
        ("D3", "2023", "online_payment", 1, 2, 50.0, "ok"),  # D4 has no row
    ]
    frame = pd.DataFrame(rows, columns=["unit_code", "period", "kpi", "numerator", "denominator", "rate", "status"])
    return frame.assign(
        numerator=frame["numerator"].astype("Int64"),
        denominator=frame["denominator"].astype("Int64"),
        rate=frame["rate"].astype("Float64"),
        printed=pd.NA,
        source_id="appendix",
        source_section="Phụ lục",
    )


def _targets() -> pd.DataFrame:
    rows = [
        ("campaign", "province", "online", 50.0),
        ("campaign", "district", "online", 40.0),
        ("campaign", "commune", "online", 30.0),
        ("campaign", "province", "online_payment", 20.0),
        ("campaign", "district", "online_payment", 20.0),
        ("campaign", "commune", "online_payment", 20.0),
        ("national", "province", "online", 99.0),
    ]
    frame = pd.DataFrame(rows, columns=["target_set", "level", "kpi", "target"])
    return frame.assign(target=frame["target"].astype("Float64"), source_id="plan48", source_section="II")


def _reported() -> pd.DataFrame:
    rows = [
        # level, period, kpi, numerator, denominator, value, printed, headline, source_section
        ("province", "2023", "online", 95, 190, 50.0, "50%", True, "Mục II.1"),
        ("district", "2022", "online", NA, NA, 28.38, "28,38%", True, "Mục I"),
        ("district", "2023", "online", NA, NA, 36.0, "36%", False, "báo chí"),  # not a headline: ignored
        ("commune", "2023", "online", 300, 1000, 30.0, "30%", True, "Mục II.3"),
        ("all", "2023", "online", 435, 1290, 33.72, "33,72%", True, "Mục II"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "level",
            "period",
            "kpi",
            "numerator",
            "denominator",
            "value",
            "printed",
            "headline",
            "source_section",
        ],
    )
    return frame.assign(
        unit_code=pd.Series([pd.NA] * len(frame), dtype="str"),
        measure="rate",
        numerator=frame["numerator"].astype("Int64"),
        denominator=frame["denominator"].astype("Int64"),
        value=frame["value"].astype("Float64"),
        headline=frame["headline"].astype("boolean"),
        source_id="plan48",
    )


def _summary() -> pd.DataFrame:
    return metrics.unit_summary(
        _units(), _observations(), _targets(), baseline_period="2022", period="2023", target_set="campaign"
    )


def _levels() -> pd.DataFrame:
    return metrics.level_summary(
        _summary(), _observations(), _reported(), baseline_period="2022", period="2023", levels=metrics.LEVELS
    )


def _row(frame: pd.DataFrame, **keys) -> pd.Series:
    hit = frame
    for column, value in keys.items():
        hit = hit.loc[hit[column] == value]
    assert len(hit) == 1, keys
    return hit.iloc[0]


# ------------------------------------------------------------------------------------------- unit_summary


def test_unit_summary_shape_order_and_columns():
    usd = _summary()
    assert list(usd.columns) == metrics.UNIT_SUMMARY_COLUMNS
    assert len(usd) == 20  # 10 units × the target set's 2 kpis
    assert list(usd["unit_code"][:4]) == ["P1", "P1", "P2", "P2"]
    assert list(usd["kpi"][:2]) == ["online", "online_payment"]
    assert usd["met"].dtype == "boolean"
    assert _row(usd, unit_code="D1", kpi="online")["unit_name"] == "Huyện An"
    assert _row(usd, unit_code="D1", kpi="online")["published_name"] == "UBND huyện An"


def test_unit_summary_values_change_gap_and_met_boundary():
    usd = _summary()
    p2 = _row(usd, unit_code="P2", kpi="online")
    assert (p2["result"], p2["target"], p2["gap_pp"], p2["change_pp"]) == (50.0, 50.0, 0.0, 0.0)
    assert bool(p2["met"]) is True  # at the target counts as met
    d1 = _row(usd, unit_code="D1", kpi="online")
    assert (d1["baseline"], d1["result"], d1["change_pp"], d1["gap_pp"]) == (30.0, 40.0, 10.0, 0.0)
    assert bool(d1["met"])
    p3 = _row(usd, unit_code="P3", kpi="online")
    assert p3["baseline_status"] == "missing" and math.isnan(p3["baseline"]) and math.isnan(p3["change_pp"])
    assert bool(p3["met"]) is False and p3["gap_pp"] == -25.0


def test_unit_summary_statuses_missing_and_not_applicable():
    usd = _summary()
    na = _row(usd, unit_code="P1", kpi="online_payment")
    assert na["status"] == "not_applicable" and math.isnan(na["result"]) and na["met"] is pd.NA
    assert _row(usd, unit_code="C2", kpi="online")["status"] == "missing"  # a row saying missing
    c3 = _row(usd, unit_code="C3", kpi="online")  # no row at all
    assert c3["status"] == "missing" and c3["met"] is pd.NA and math.isnan(c3["gap_pp"])
    assert _row(usd, unit_code="D4", kpi="online_payment")["status"] == "missing"
    zero = _row(usd, unit_code="D4", kpi="online")
    assert zero["status"] == "ok" and zero["result"] == 0.0 and bool(zero["met"]) is False


def test_unit_summary_explicit_kpis_and_unknown_target_set():
    usd = metrics.unit_summary(
        _units(),
        _observations(),
        _targets(),
        baseline_period="2022",
        period="2023",
        target_set="national",
        kpis=["online"],
    )
    assert len(usd) == 10
    assert _row(usd, unit_code="P1")["target"] == 99.0
    assert math.isnan(_row(usd, unit_code="D1")["target"])  # no national district target
    assert _row(usd, unit_code="D1")["met"] is pd.NA
    with pytest.raises(ParameterError):
        metrics.unit_summary(
            _units(), _observations(), _targets(), baseline_period="2022", period="2023", target_set="nope"
        )


# ------------------------------------------------------------------------------------------ level_summary


def test_level_summary_columns_and_rows():
    ls = _levels()
    assert list(ls.columns) == metrics.LEVEL_SUMMARY_COLUMNS
    # 3 levels × 2 kpis × 3 aggregations + `all` × 2 kpis × 2 aggregations
    assert len(ls) == 18 + 4
    assert list(ls["level"].drop_duplicates()) == ["province", "district", "commune", "all"]
    assert set(ls.loc[ls["level"] == "all", "aggregation"]) == {"reported", "pooled"}


def test_level_summary_province_online_three_ways():
    ls = _levels()
    reported = _row(ls, level="province", kpi="online", aggregation="reported")
    assert reported["result"] == 50.0 and reported["result_source"] == "plan48: Mục II.1"
    assert math.isnan(reported["baseline"]) and reported["baseline_source"] == "no reported total"
    pooled = _row(ls, level="province", kpi="online", aggregation="pooled")
    assert pooled["result"] == pytest.approx(95 / 190 * 100)  # (60+25+10)/(100+50+40)
    assert pooled["result_source"] == "computed: pooled counts of 3 units"
    assert bool(pooled["met"])  # 50.0 >= 50
    assert math.isnan(pooled["baseline"])  # P3 has no 2022 row
    mean = _row(ls, level="province", kpi="online", aggregation="unit_mean")
    assert mean["result"] == pytest.approx(45.0)  # (60+50+25)/3
    assert mean["result_source"] == "computed: mean of 3 unit rates"
    assert bool(mean["met"]) is False
    assert (
        mean["n_units"],
        mean["n_units_applicable"],
        mean["n_units_with_result"],
        mean["n_units_met"],
    ) == (
        3,
        3,
        3,
        2,
    )
    assert mean["coverage"] == 1.0 and mean["target"] == 50.0


def test_level_summary_district_baseline_and_change():
    ls = _levels()
    reported = _row(ls, level="district", kpi="online", aggregation="reported")
    assert reported["baseline"] == 28.38 and math.isnan(reported["result"])  # the 36% row is no headline
    assert math.isnan(reported["change_pp"]) and reported["met"] is pd.NA
    pooled = _row(ls, level="district", kpi="online", aggregation="pooled")
    assert pooled["baseline"] == pytest.approx(21 / 74 * 100)  # (15+5+1+0)/(50+10+10+4)
    assert pooled["result"] == pytest.approx(40.0)  # (30+8+2+0)/(75+10+10+5)
    assert pooled["change_pp"] == pytest.approx(40.0 - 2100 / 74)
    assert bool(pooled["met"])  # exactly the target 40
    mean = _row(ls, level="district", kpi="online", aggregation="unit_mean")
    assert (mean["baseline"], mean["result"], mean["change_pp"]) == (22.5, 35.0, 12.5)
    assert mean["n_units_met"] == 2  # D1 (40 = target) and D2


def test_level_summary_incomplete_coverage_gives_nan_mean_and_reported_counts_pool():
    ls = _levels()
    mean = _row(ls, level="commune", kpi="online", aggregation="unit_mean")
    assert math.isnan(mean["result"])  # only C1 of 3 communes has a rate
    assert mean["result_source"] == "not computed: rates for 1 of 3 applicable units"
    assert (mean["n_units"], mean["n_units_applicable"], mean["n_units_with_result"]) == (3, 3, 1)
    assert mean["coverage"] == pytest.approx(1 / 3)
    pooled = _row(ls, level="commune", kpi="online", aggregation="pooled")
    assert pooled["result"] == pytest.approx(30.0)  # 300/1000 printed with the headline row
    assert pooled["result_source"] == "plan48: Mục II.3 (pooled from reported counts)"
    assert math.isnan(pooled["baseline"])
    assert pooled["baseline_source"].startswith("not computed")


def test_level_summary_not_applicable_excluded_from_mean_pool_and_counts():
    ls = _levels()
    mean = _row(ls, level="province", kpi="online_payment", aggregation="unit_mean")
    assert mean["result"] == pytest.approx(50.0)  # P2 0 and P3 100; P1 n/a is not a 0
    assert (mean["n_units"], mean["n_units_applicable"], mean["n_units_with_result"]) == (3, 2, 2)
    assert mean["n_units_met"] == 1 and mean["coverage"] == 1.0
    pooled = _row(ls, level="province", kpi="online_payment", aggregation="pooled")
    assert pooled["result"] == pytest.approx(20.0)  # (0+5)/(20+5)
    # district: D1 n/a, D4 missing -> neither mean nor pool
    district = ls.loc[(ls["level"] == "district") & (ls["kpi"] == "online_payment")]
    assert district["result"].isna().all()
    assert _row(district, aggregation="unit_mean")["coverage"] == pytest.approx(2 / 3)


def test_level_summary_all_rows():
    ls = _levels()
    reported = _row(ls, level="all", kpi="online", aggregation="reported")
    assert reported["result"] == 33.72 and reported["result_source"] == "plan48: Mục II"
    assert math.isnan(reported["target"])  # levels have different targets
    pooled = _row(ls, level="all", kpi="online", aggregation="pooled")
    # province 95/190 + district 40/100 from units, commune 300/1000 from its reported counts
    assert pooled["result"] == pytest.approx(435 / 1290 * 100)
    assert pooled["result_source"] == "computed: pooled counts of 3 levels (reported counts for commune)"
    assert math.isnan(pooled["baseline"])  # no province/commune counts in 2022
    assert (pooled["n_units"], pooled["n_units_applicable"], pooled["n_units_with_result"]) == (10, 10, 8)
    assert pooled["n_units_met"] == 5 and pooled["coverage"] == pytest.approx(0.8)
    payment = _row(ls, level="all", kpi="online_payment", aggregation="pooled")
    assert math.isnan(payment["result"])  # district and commune have no counts


def test_level_summary_duplicate_headline_is_an_error():
    reported = _reported()
    reported = pd.concat([reported, reported.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataValidationError):
        metrics.level_summary(_summary(), _observations(), reported, baseline_period="2022", period="2023")


# -------------------------------------------------------------------------------- rankings, zeros, coverage


def test_leaders_and_laggards_ranks_among_all_units_and_splits_small_levels():
    ll = rankings.leaders_and_laggards(_summary(), which="result", n=5)
    assert list(ll.columns) == rankings.RANKING_COLUMNS
    district = ll.loc[(ll["level"] == "district") & (ll["kpi"] == "online")]
    # 4 units, every one with a result: two leaders, two laggards (lowest first), ranks among all 4
    assert list(district["unit_code"]) == ["D2", "D1", "D4", "D3"]
    assert list(district["rank_group"]) == ["leader", "leader", "laggard", "laggard"]
    assert list(district["rank"]) == [1, 2, 4, 3] and set(district["n_ranked"]) == {4}
    province = ll.loc[(ll["level"] == "province") & (ll["kpi"] == "online")]
    assert list(zip(province["rank_group"], province["unit_code"], strict=True)) == [
        ("leader", "P1"),
        ("leader", "P2"),
        ("laggard", "P3"),
    ]
    # communes: only C1 of 3 has a result, so it is a unit named by the source, never a leader or laggard
    commune = ll.loc[ll["level"] == "commune"]
    assert list(commune["unit_code"]) == ["C1"] and list(commune["rank_group"]) == ["named"]
    assert commune["rank"].isna().all()
    # D4 has no payment figure: the two district payment results are named units, not a ranking
    payment = ll.loc[(ll["level"] == "district") & (ll["kpi"] == "online_payment")]
    assert set(payment["rank_group"]) == {"named"} and list(payment["unit_code"]) == ["D3", "D2"]
    assert not ll.duplicated(["level", "kpi", "unit_code"]).any()
    # not-applicable P1 is never ranked for online_payment, and does not make the level incomplete
    province_payment = ll.loc[(ll["level"] == "province") & (ll["kpi"] == "online_payment")]
    assert "P1" not in set(province_payment["unit_code"])
    assert list(province_payment["rank_group"]) == ["leader", "laggard"]


def _tied(values: list[float]) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame(
        {
            "unit_code": [f"U{i}" for i in range(n)],
            "unit_name": [f"Xã {chr(65 + i)}" for i in range(n)],
            "level": "commune",
            "kpi": "online",
            "baseline": np.nan,
            "baseline_status": "missing",
            "target": 30.0,
            "result": values,
            "status": "ok",
            "met": pd.array([v >= 30 for v in values], dtype="boolean"),
        }
    )


def test_ties_share_a_rank_and_never_sit_in_both_lists():
    usd = _tied([50.0, 50.0, 10.0, 10.0, 30.0])
    one = rankings.leaders_and_laggards(usd, n=1)
    # both 50% units share rank 1; both 10% units share rank 4 (competition ranking)
    assert list(zip(one["rank_group"], one["unit_name"], one["rank"], strict=True)) == [
        ("leader", "Xã A", 1),
        ("leader", "Xã B", 1),
        ("laggard", "Xã C", 4),
        ("laggard", "Xã D", 4),
    ]
    # sixteen communes at 0% and four above: the zeros share one rank, none of them is a leader
    zeros = rankings.leaders_and_laggards(_tied([0.0] * 16 + [5.0, 6.0, 7.0, 8.0]), n=10)
    lag = zeros[zeros["rank_group"] == "laggard"]
    assert len(lag) == 16 and set(lag["rank"]) == {5} and set(lag["value"]) == {0.0}
    assert set(zeros.loc[zeros["rank_group"] == "leader", "value"]) == {5.0, 6.0, 7.0, 8.0}
    # every unit equal: one tied group, neither leaders nor laggards
    flat = rankings.leaders_and_laggards(_tied([0.0] * 6), n=3)
    assert set(flat["rank_group"]) == {"tied"} and set(flat["rank"]) == {1} and len(flat) == 6


def test_unit_ranks_only_where_the_level_is_complete():
    ranks = rankings.unit_ranks(_summary(), "result")
    by_key = {(u, k): r for u, k, r in zip(ranks["unit_code"], ranks["kpi"], ranks["rank"], strict=True)}
    assert by_key[("D2", "online")] == 1 and by_key[("D4", "online")] == 4
    assert pd.isna(by_key[("C1", "online")])  # 1 of 3 communes: no rank in the level
    assert pd.isna(by_key[("P1", "online_payment")])  # not applicable


def test_leaders_and_laggards_by_baseline_and_change():
    base = rankings.leaders_and_laggards(_summary(), which="baseline", n=1)
    province = base.loc[base["level"] == "province"]
    assert list(province["unit_code"]) == ["P2", "P1"]  # 50 then 40; P3 has no baseline: named, not ranked
    assert list(province["met"]) == [True, False]  # baseline against the target 50
    assert set(province["rank_group"]) == {"named"}
    change = rankings.leaders_and_laggards(_summary(), which="change_pp", n=1)
    district = change.loc[change["level"] == "district"]
    assert list(district["unit_code"]) == ["D2", "D4"]  # +30 and 0
    assert list(district["value"]) == [30.0, 0.0]
    with pytest.raises(ParameterError):
        rankings.leaders_and_laggards(_summary(), which="target")


def test_units_at_zero_excludes_not_applicable():
    zeros = rankings.units_at_zero(_summary())
    assert list(zeros.columns) == rankings.ZERO_COLUMNS
    assert list(zip(zeros["unit_code"], zeros["kpi"], strict=True)) == [
        ("P2", "online_payment"),
        ("D4", "online"),
        ("D2", "online_payment"),
    ]
    assert (zeros["value"] == 0.0).all()
    base = rankings.units_at_zero(_summary(), which="baseline")
    assert list(base["unit_code"]) == ["D4"]


def test_coverage_table():
    cov = rankings.coverage_table(_summary())
    assert list(cov.columns) == rankings.COVERAGE_COLUMNS
    assert len(cov) == 6
    pay = _row(cov, level="province", kpi="online_payment")
    assert pay[rankings.COVERAGE_COLUMNS[2:]].tolist() == [3, 0, 3, 0, 2, 0, 1]
    commune = _row(cov, level="commune", kpi="online")
    assert commune[rankings.COVERAGE_COLUMNS[2:]].tolist() == [3, 0, 3, 0, 1, 2, 0]
    district = _row(cov, level="district", kpi="online_payment")
    assert district[rankings.COVERAGE_COLUMNS[2:]].tolist() == [4, 0, 4, 0, 2, 1, 1]


# ------------------------------------------------------------------------------------------ purity


def test_inputs_are_not_mutated():
    units, obs, targets, reported = _units(), _observations(), _targets(), _reported()
    copies = [frame.copy(deep=True) for frame in (units, obs, targets, reported)]
    usd = metrics.unit_summary(units, obs, targets, baseline_period="2022", period="2023", target_set="campaign")
    usd_copy = usd.copy(deep=True)
    metrics.level_summary(usd, obs, reported, baseline_period="2022", period="2023")
    rankings.leaders_and_laggards(usd, which="change_pp")
    rankings.units_at_zero(usd)
    rankings.coverage_table(usd)
    for original, copy in zip((units, obs, targets, reported), copies, strict=True):
        pd.testing.assert_frame_equal(original, copy)
    pd.testing.assert_frame_equal(usd, usd_copy)
