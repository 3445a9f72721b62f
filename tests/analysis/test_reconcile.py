"""dvctt.analysis.reconcile: printed totals against what the unit data give, on figures worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dvctt.analysis import reconcile as rc
from dvctt.errors import ParameterError

NA = None

# Cà Mau 2022, district level: online share of the nine districts (printed Tổng 30,28%) and digitised share
# (narrative says 40,01%).
ONLINE_2022 = [32.10, 31.20, 30.80, 29.19, 29.12, 30.50, 34.50, 23, 32.10]
DIGITIZED_2022 = [36.52, 38.34, 49.01, 49.35, 36.45, 34.14, 42.46, 46.34, 37.51]
DISTRICTS = [f"D{i}" for i in range(1, 10)]


def _units() -> pd.DataFrame:
    rows = [("P1", "province", "Sở Một"), ("P2", "province", "Sở Hai"), ("P3", "province", "Sở Ba")]
    rows += [(code, "district", f"Huyện {code}") for code in DISTRICTS]
    rows += [("C1", "commune", "Xã Một"), ("C2", "commune", "Xã Hai")]
    frame = pd.DataFrame(rows, columns=["unit_code", "level", "official_name"])
    return frame.assign(parent_code="96", published_name=frame["official_name"], code_source="project")


def _observations() -> pd.DataFrame:
    rows = [(code, "2022", "online", NA, NA, rate, "ok") for code, rate in zip(DISTRICTS, ONLINE_2022, strict=True)]
    rows += [
        (code, "2022", "digitized", NA, NA, rate, "ok") for code, rate in zip(DISTRICTS, DIGITIZED_2022, strict=True)
    ]
    rows += [
        ("D1", "2023", "online", NA, NA, 60.0, "ok"),  # only two districts named for 2023
        ("D2", "2023", "online", NA, NA, 40.0, "ok"),  # both above the district target 30
        ("P1", "2023", "online", 500, 1000, 50.0, "ok"),  # one agency of three
        ("C1", "2023", "online", 3, 10, 30.0, "ok"),
        ("C2", "2023", "online", 14, 20, 70.0, "ok"),
    ]
    frame = pd.DataFrame(rows, columns=["unit_code", "period", "kpi", "numerator", "denominator", "rate", "status"])
    return frame.assign(
        numerator=frame["numerator"].astype("Int64"),
        denominator=frame["denominator"].astype("Int64"),
        rate=frame["rate"].astype("Float64"),
        source_id="appendix",
        source_section="Phụ lục",
    )


def _targets() -> pd.DataFrame:
    frame = pd.DataFrame(
        [("campaign", "district", "online", 30.0), ("campaign", "province", "online", 50.0)],
        columns=["target_set", "level", "kpi", "target"],
    )
    return frame.assign(target=frame["target"].astype("Float64"))


REPORTED_COLUMNS = [
    "level",
    "unit_code",
    "period",
    "kpi",
    "measure",
    "numerator",
    "denominator",
    "value",
    "printed",
    "headline",
    "source_section",
]


def _reported(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=REPORTED_COLUMNS)
    return frame.assign(
        unit_code=frame["unit_code"].astype("str"),
        numerator=frame["numerator"].astype("Int64"),
        denominator=frame["denominator"].astype("Int64"),
        value=frame["value"].astype("Float64"),
        headline=frame["headline"].astype("boolean"),
        source_id="plan48",
    )


def _check(rows: list[tuple], **kwargs) -> pd.DataFrame:
    return rc.reconcile(_units(), _observations(), _reported(rows), **kwargs)


# ------------------------------------------------------------------------------------------ tolerance


@pytest.mark.parametrize(
    ("printed", "value", "decimals"),
    [
        ("52,23%", 52.23, 2),
        ("66.7%", 66.7, 1),
        ("0%", 0.0, 0),
        ("42.839/82.015 (52,23%)", 52.23, 2),
        ("vượt 20%", 20.0, 0),
        (None, 30.5, 1),
        (None, 30.0, 0),
    ],
)
def test_printed_decimals(printed, value, decimals):
    assert rc.printed_decimals(printed, value) == decimals


def test_rounding_tolerance():
    assert rc.rounding_tolerance("52,23%") == pytest.approx(0.005 + 1e-9)
    assert rc.rounding_tolerance("0%") == pytest.approx(0.5 + 1e-9)


# ---------------------------------------------------------------------------------------------- rates


def test_printed_rate_against_its_own_counts():
    out = _check([("province", NA, "2023", "online", "rate", 42839, 82015, 52.23, "52,23%", True, "Mục II.1")])
    assert list(out.columns) == rc.RECONCILE_COLUMNS
    assert len(out) == 1  # only one of three agencies known: no unit mean, no unit counts
    row = out.iloc[0]
    assert row["method"] == "pooled_counts" and row["source"] == "plan48: Mục II.1"
    assert row["recomputed"] == pytest.approx(52.23312808632568)
    assert row["difference_pp"] == pytest.approx(0.0031281, abs=1e-6)
    assert bool(row["consistent"]) and row["verdict"] == "consistent"
    assert row["note"] == "printed counts 42839/82015"


def test_printed_total_that_is_a_mean_of_unit_rates():
    out = _check([("district", NA, "2022", "online", "rate", NA, NA, 30.28, "30.28%", True, "Phụ lục 1")])
    row = out.iloc[0]
    assert row["method"] == "unit_mean"
    assert row["recomputed"] == pytest.approx(30.278888888888889)
    assert row["difference_pp"] == pytest.approx(-0.0011111, abs=1e-6)
    assert row["verdict"] == "consistent"
    assert "unweighted mean of unit rates" in row["note"]


def test_printed_total_that_is_not_a_mean_of_unit_rates():
    out = _check([("district", NA, "2022", "digitized", "rate", NA, NA, 40.01, "40,01%", True, "báo chí")])
    row = out.iloc[0]
    assert row["method"] == "unit_mean"
    assert row["recomputed"] == pytest.approx(41.124444444444444)
    assert row["difference_pp"] == pytest.approx(1.1144444, abs=1e-6)
    assert not pd.isna(row["consistent"]) and bool(row["consistent"]) is False
    assert row["verdict"] == "differs"
    assert "pooled (dossier-weighted)" in row["note"]


def test_truncated_figure_is_flagged_in_the_note():
    # 24965/39219 = 63.6554%: printed 63,65 is cut, not rounded (rounding gives 63,66)
    out = _check([("province", NA, "2022", "online", "rate", 24965, 39219, 63.65, "63,65%", True, "II.1")])
    row = out.iloc[0]
    assert row["verdict"] == "differs"
    assert row["difference_pp"] == pytest.approx(0.0053711, abs=1e-6)
    assert row["note"] == "printed counts 24965/39219; consistent if the source truncates instead of rounding"
    rounded_down_wrongly = _check([("province", NA, "2022", "online", "rate", 24965, 39219, 63.64, "63,64%", True, "")])
    assert rounded_down_wrongly.iloc[0]["note"] == "printed counts 24965/39219"


def test_zero_denominator_is_not_recomputable():
    out = _check([("commune", NA, "2022", "online_payment", "rate", 0, 0, 0.0, "0%", True, "II.3")])
    assert (out.iloc[0]["method"], out.iloc[0]["verdict"]) == ("pooled_counts", "not recomputable")


def test_tolerance_override():
    row = ("district", NA, "2022", "digitized", "rate", NA, NA, 40.01, "40,01%", True, "báo chí")
    assert _check([row], tolerance_pp=1.2).iloc[0]["verdict"] == "consistent"
    assert _check([row], tolerance_pp=1.0).iloc[0]["verdict"] == "differs"


def test_unit_counts_and_unit_mean_both_reported():
    # communes: 3/10 (30%) and 14/20 (70%) -> pooled 17/30 = 56.67%, mean 50%
    out = _check([("commune", NA, "2023", "online", "rate", NA, NA, 56.67, "56,67%", True, "Mục II.3")])
    assert list(out["method"]) == ["unit_counts", "unit_mean"]
    assert out["recomputed"].tolist() == pytest.approx([1700 / 30, 50.0])
    assert list(out["verdict"]) == ["consistent", "differs"]
    assert out.iloc[0]["note"] == "summed counts of 2 units: 17/30"


def test_not_recomputable_when_units_are_only_partly_named():
    out = _check([("district", NA, "2023", "online", "rate", NA, NA, 45.0, "45%", True, "báo chí")])
    row = out.iloc[0]
    assert (row["method"], row["verdict"]) == ("none", "not recomputable")
    assert math.isnan(row["recomputed"]) and math.isnan(row["difference_pp"]) and row["consistent"] is pd.NA
    assert row["note"] == (
        "units known: 2 of 9 applicable units have a rate (9 units, 0 not applicable); no printed counts"
    )


def test_sum_of_levels_for_the_whole_province():
    rows = [
        ("province", NA, "2023", "digitized", "rate", 10, 20, 50.0, "50%", True, "a"),
        ("district", NA, "2023", "digitized", "rate", 30, 60, 50.0, "50%", True, "b"),
        ("commune", NA, "2023", "digitized", "rate", 60, 120, 50.0, "50%", True, "c"),
        ("all", NA, "2023", "digitized", "rate", 100, 200, 50.0, "50,00%", True, "d"),
        ("all", NA, "2023", "digitized", "rate", 100, 210, 50.0, "50%", False, "e"),
    ]
    out = _check(rows)
    whole = out.loc[out["level"] == "all"]
    assert list(whole["method"]) == ["pooled_counts", "sum_of_levels", "pooled_counts", "sum_of_levels"]
    assert list(whole["verdict"]) == ["consistent", "consistent", "differs", "differs"]
    assert whole.iloc[1]["note"] == "levels sum to 100/200; the row prints 100/200 (counts match)"
    assert whole.iloc[2]["recomputed"] == pytest.approx(100 / 210 * 100)
    # the rate agrees with the levels, the printed counts do not
    assert whole.iloc[3]["difference_pp"] == pytest.approx(0.0)
    assert whole.iloc[3]["note"] == "levels sum to 100/200; the row prints 100/210 (counts differ)"


# ------------------------------------------------------------------------------------ unit statements


def test_gap_pp_statements():
    rows = [
        ("district", "D1", "2023", "online", "gap_pp", NA, NA, 30.0, "vượt 30%", False, "báo chí"),
        ("district", "D2", "2023", "online", "gap_pp", NA, NA, 15.0, "vượt 15%", False, "báo chí"),
        ("district", "D3", "2023", "online", "gap_pp", NA, NA, 5.0, "vượt 5%", False, "báo chí"),
    ]
    out = _check(rows, targets=_targets())
    assert list(out["method"]) == ["unit_gap", "unit_gap", "none"]
    assert out["recomputed"].tolist()[:2] == [30.0, 10.0]  # 60 − 30 and 40 − 30
    assert list(out["verdict"]) == ["consistent", "differs", "not recomputable"]
    assert out.iloc[1]["difference_pp"] == pytest.approx(-5.0)
    assert out.iloc[2]["note"] == "unit D3: status missing"
    without_targets = _check(rows[:1])
    assert without_targets.iloc[0]["verdict"] == "not recomputable"


def test_units_met_complete_and_partial():
    rows = [
        ("district", NA, "2022", "online", "units_met", NA, NA, 6.0, "6/9", False, "Phụ lục 1"),
        ("district", NA, "2022", "online", "units_met", NA, NA, 7.0, "7/9", False, "báo chí"),
        ("district", NA, "2023", "online", "units_met", NA, NA, 5.0, "5 huyện", False, "báo chí"),
    ]
    out = _check(rows, targets=_targets(), target_set="campaign")
    assert list(out["method"]) == ["units_met"] * 3
    # 2022: 32.10, 31.20, 30.80, 30.50, 34.50, 32.10 reach 30; 29.19, 29.12, 23 do not
    assert out["recomputed"].tolist()[:2] == [6.0, 6.0]
    assert list(out["verdict"]) == ["consistent", "differs", "not recomputable"]
    assert out.iloc[2]["note"] == (
        "units known: 2 of 9 applicable units have a rate, 2 of them met the target;"
        " the full count lies between 2 and 9"
    )
    assert _check(rows[:1]).iloc[0]["note"] == "no targets given"


def test_units_total_and_unit_rate():
    rows = [
        ("district", NA, "2022", "online", "units_total", NA, NA, 9.0, "9", False, "Phụ lục 1"),
        ("district", "D1", "2023", "online", "rate", NA, NA, 60.0, "60%", False, "báo chí"),
    ]
    out = _check(rows)
    assert list(out["method"]) == ["units_total", "unit_rate"]
    assert list(out["verdict"]) == ["consistent", "consistent"]


def test_several_target_sets_need_a_choice():
    targets = pd.concat([_targets(), _targets().assign(target_set="other")])
    row = ("district", NA, "2022", "online", "units_met", NA, NA, 6.0, "6/9", False, "x")
    with pytest.raises(ParameterError):
        _check([row], targets=targets)


# ------------------------------------------------------------------------------------------- summary


def test_reconciliation_summary_and_purity():
    units, obs = _units(), _observations()
    reported = _reported(
        [
            ("province", NA, "2023", "online", "rate", 42839, 82015, 52.23, "52,23%", True, "Mục II.1"),
            ("district", NA, "2022", "digitized", "rate", NA, NA, 40.01, "40,01%", True, "báo chí"),
            ("district", NA, "2023", "online", "rate", NA, NA, 45.0, "45%", True, "báo chí"),
        ]
    )
    targets = _targets()
    copies = [frame.copy(deep=True) for frame in (units, obs, reported, targets)]
    out = rc.reconcile(units, obs, reported, targets=targets)
    assert rc.reconciliation_summary(out) == {"consistent": 1, "differs": 1, "not recomputable": 1}
    assert out["consistent"].dtype == "boolean"
    for original, copy in zip((units, obs, reported, targets), copies, strict=True):
        pd.testing.assert_frame_equal(original, copy)
    empty = rc.reconcile(units, obs, reported.iloc[0:0])
    assert list(empty.columns) == rc.RECONCILE_COLUMNS and rc.reconciliation_summary(empty) == {
        "consistent": 0,
        "differs": 0,
        "not recomputable": 0,
    }
