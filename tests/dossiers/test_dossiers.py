"""dvctt.dossiers.aggregate on a hand-made export of 12 dossiers whose every figure is counted by hand below.

Calendar facts the frame leans on: 2022-12-31 is a Saturday and 2023-01-01 a Sunday, both in ISO week
2022-W52; 2023-01-02 (Monday) starts 2023-W01; 2023-01-08 (Sunday) ends it; 2023-03-31 (Friday) and
2023-04-01 (Saturday) are both in 2023-W13 but in different months and quarters; 2023-04-03 starts 2023-W14.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from dvctt.dossiers.aggregate import (
    AGGREGATE_SQL,
    DOSSIER_COLUMNS,
    Window,
    aggregate_dossiers,
    grain_windows,
    observations_from_counts,
    period_id,
)
from dvctt.errors import DataValidationError, ParameterError

# MaHoSo, unit, channel, received, due, finished, digitised, fee-bearing, paid online, toàn trình
ROWS = [
    ("d01", "U1", 2, "2023-01-01 09:00", "2023-01-03 17:00", "2023-01-03 10:00", 1, 1, 1, 1),  # on time
    ("d02", "U1", 1, "2023-01-02 08:00", "2023-01-04 17:00", "2023-01-05 09:00", 0, 1, 0, 1),  # late
    ("d03", "U1", 2, "2023-01-08 16:00", "2023-01-09 17:00", "2023-01-09 18:30", 1, 0, 0, 0),  # same date: on time
    ("d04", "U1", 3, "2023-01-09 10:00", "2023-01-20 17:00", None, 1, 1, 2, 1),  # unfinished; paid on a gateway
    ("d05", "U1", 2, "2023-03-31 10:00", "2023-04-03 17:00", "2023-04-03 11:00", 1, 1, 1, 0),  # on time
    ("d06", "U1", 2, "2023-04-01 10:00", "2023-04-05 17:00", "2023-04-07 11:00", 0, 0, 0, 1),  # late
    ("d07", "U2", 2, "2023-01-02 10:00", "2023-01-02 17:00", "2023-01-02 15:00", 1, 0, 0, 1),  # on time
    ("d08", "U2", 1, "2023-01-03 10:00", "2023-01-10 17:00", "2023-01-11 08:00", 0, 0, 0, 1),  # late
    ("d09", "U2", 2, "2023-04-03 10:00", "2023-04-04 17:00", None, 1, 0, 0, 0),  # unfinished
    ("d10", "U1", 2, "2022-12-30 10:00", "2023-01-02 17:00", "2023-01-02 09:00", 1, 1, 1, 1),  # on time
    ("d11", "U2", 1, "2022-12-31 10:00", "2023-01-06 17:00", "2023-01-06 09:00", 1, 0, 1, 0),  # paid, not fee-bearing
    ("d12", "U1", 1, "2023-01-03 10:00", "2023-01-05 17:00", "2023-01-04 09:00", 1, 1, 0, 0),  # on time
]
NA = None  # expected "not_applicable": 0/0, no rate


def dossier_frame() -> pd.DataFrame:
    """The 12 dossiers with typed columns, as pandas would hold an export."""
    frame = pd.DataFrame(
        ROWS,
        columns=[
            "MaHoSo", "DonViXuLy", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy",
            "HoSoCoThanhPhanSoHoa", "CoPhiLePhi", "DuocThanhToanTrucTuyen", "ToanTrinh",
        ],
    )  # fmt: skip
    frame = frame.assign(
        MaTTHC="P1",
        **{
            c: pd.to_datetime(frame[c], format="%Y-%m-%d %H:%M")
            for c in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy")
        },
    )
    return frame[list(DOSSIER_COLUMNS)]


def text_frame() -> pd.DataFrame:
    """The same dossiers as a CSV export holds them: every cell text, empty when unfinished."""
    frame = dossier_frame().astype({c: "str" for c in ("KenhThucHien", "HoSoCoThanhPhanSoHoa", "CoPhiLePhi")})
    dates = ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy")
    return frame.assign(**{c: frame[c].dt.strftime("%Y-%m-%d %H:%M:%S").fillna("") for c in dates})


def figures(observations: pd.DataFrame) -> dict[tuple[str, str, str], tuple[int, int] | None]:
    """(unit, period, kpi) -> (numerator, denominator), or None when not applicable (then 0/0, no rate)."""
    out = {}
    for row in observations.itertuples(index=False):
        if row.status == "not_applicable":
            assert (row.numerator, row.denominator) == (0, 0) and pd.isna(row.rate), row
            out[(row.unit_code, row.period, row.kpi)] = None
        else:
            assert row.status == "ok" and row.rate == pytest.approx(row.numerator / row.denominator * 100), row
            out[(row.unit_code, row.period, row.kpi)] = (row.numerator, row.denominator)
    return out


def expect(unit: str, period: str, online, digitized, online_payment, on_time, full_process) -> dict:
    values = dict(online=online, digitized=digitized, online_payment=online_payment, on_time=on_time,
                  full_process=full_process)  # fmt: skip
    return {(unit, period, kpi): value for kpi, value in values.items()}


WEEKS = {
    **expect("U1", "2022-W52", (2, 2), (2, 2), (2, 2), NA, (2, 2)),  # d01 (a Sunday) and d10
    **expect("U1", "2023-W01", (1, 3), (2, 3), (0, 2), (3, 4), (0, 3)),  # d02 d03 d12; finished d01 d02 d10 d12
    **expect("U1", "2023-W02", (0, 1), (1, 1), (1, 1), (1, 1), (0, 1)),  # d04 by post; finished d03 (18:30 ≤ due date)
    **expect("U1", "2023-W13", (2, 2), (1, 2), (1, 1), NA, (1, 2)),  # d05 d06
    **expect("U1", "2023-W14", NA, NA, NA, (1, 2), NA),  # nothing received; finished d05 (on time) d06 (late)
    **expect("U2", "2022-W52", (0, 1), (1, 1), NA, NA, (0, 1)),  # d11: paid flag without a fee is not counted
    **expect("U2", "2023-W01", (1, 2), (1, 2), NA, (2, 2), (1, 2)),  # d07 d08; finished d07 d11
    **expect("U2", "2023-W02", NA, NA, NA, (0, 1), NA),  # finished d08, late: 0% is a rate here
    **expect("U2", "2023-W14", (1, 1), (1, 1), NA, NA, (0, 1)),  # d09, unfinished
}


def test_week_grain_counts_every_kpi_by_hand():
    result = aggregate_dossiers(dossier_frame(), "week", units=["U1", "U2"])
    got = figures(result.observations)
    periods = list(dict.fromkeys(result.observations["period"]))
    assert periods == ["2022-W52"] + [f"2023-W{w:02d}" for w in range(1, 15)]  # data span: 30/12/2022–07/04/2023
    for key, value in got.items():
        assert value == WEEKS.get(key, NA), key  # every week not listed above is 0/0 for every KPI
    assert len(got) == 2 * 15 * 5
    assert result.n_dossiers == 12 and result.n_unknown == 0


def test_month_grain():
    got = figures(aggregate_dossiers(dossier_frame(), "month", units=["U1", "U2"]).observations)
    assert sorted({k[1] for k in got}) == ["2022-12", "2023-01", "2023-02", "2023-03", "2023-04"]
    expected = {
        **expect("U1", "2022-12", (1, 1), (1, 1), (1, 1), NA, (1, 1)),
        **expect("U1", "2023-01", (2, 5), (4, 5), (2, 4), (4, 5), (1, 5)),
        **expect("U1", "2023-02", NA, NA, NA, NA, NA),
        **expect("U1", "2023-03", (1, 1), (1, 1), (1, 1), NA, (0, 1)),
        **expect("U1", "2023-04", (1, 1), (0, 1), NA, (1, 2), (1, 1)),
        **expect("U2", "2022-12", (0, 1), (1, 1), NA, NA, (0, 1)),
        **expect("U2", "2023-01", (1, 2), (1, 2), NA, (2, 3), (1, 2)),
        **expect("U2", "2023-04", (1, 1), (1, 1), NA, NA, (0, 1)),
    }
    for key, value in expected.items():
        assert got[key] == value, key


def test_quarter_grain():
    got = figures(aggregate_dossiers(dossier_frame(), "quarter", units=["U1", "U2"]).observations)
    assert sorted({k[1] for k in got}) == ["2022-Q4", "2023-Q1", "2023-Q2"]
    expected = {
        **expect("U1", "2023-Q1", (3, 6), (5, 6), (3, 5), (4, 5), (1, 6)),  # d05 (31/3) is Q1, d06 (1/4) is Q2
        **expect("U1", "2023-Q2", (1, 1), (0, 1), NA, (1, 2), (1, 1)),
        **expect("U2", "2022-Q4", (0, 1), (1, 1), NA, NA, (0, 1)),
        **expect("U2", "2023-Q1", (1, 2), (1, 2), NA, (2, 3), (1, 2)),
    }
    for key, value in expected.items():
        assert got[key] == value, key


def test_year_grain():
    got = figures(aggregate_dossiers(dossier_frame(), "year", units=["U1", "U2"]).observations)
    expected = {
        **expect("U1", "2022", (1, 1), (1, 1), (1, 1), NA, (1, 1)),  # d10 finished in 2023: counted there
        **expect("U1", "2023", (4, 7), (5, 7), (3, 5), (5, 7), (2, 7)),
        **expect("U2", "2022", (0, 1), (1, 1), NA, NA, (0, 1)),
        **expect("U2", "2023", (2, 3), (2, 3), NA, (2, 3), (1, 3)),
    }
    assert got == expected


def test_custom_windows_may_overlap_and_cut_across_weeks():
    windows = [
        Window("first-week", date(2023, 1, 1), date(2023, 1, 8)),
        Window("2023", date(2023, 1, 1), date(2023, 12, 31)),
    ]
    got = figures(aggregate_dossiers(dossier_frame(), windows, units=["U1", "U2"]).observations)
    expected = {
        **expect("U1", "first-week", (2, 4), (3, 4), (1, 3), (3, 4), (1, 4)),  # d01 d02 d03 d12; fin d01 d02 d10 d12
        **expect("U2", "first-week", (1, 2), (1, 2), NA, (2, 2), (1, 2)),  # d11 (31/12) is outside
        **expect("U1", "2023", (4, 7), (5, 7), (3, 5), (5, 7), (2, 7)),
        **expect("U2", "2023", (2, 3), (2, 3), NA, (2, 3), (1, 3)),
    }
    assert got == expected


def test_grain_covers_whole_periods_when_bounds_cut_them():
    result = aggregate_dossiers(
        dossier_frame(), "week", units=["U1", "U2"], start=date(2023, 1, 4), end=date(2023, 1, 10)
    )
    got = figures(result.observations)
    assert sorted({k[1] for k in got}) == ["2023-W01", "2023-W02"]
    assert got[("U1", "2023-W01", "online")] == (1, 3)  # the whole week, not 4–8 January


def test_csv_and_parquet_give_the_same_observations_as_a_frame(tmp_path):
    csv, parquet = tmp_path / "export.csv", tmp_path / "export.parquet"
    text_frame().to_csv(csv, index=False)
    dossier_frame().to_parquet(parquet, index=False)
    expected = aggregate_dossiers(dossier_frame(), "month", units=["U1", "U2"]).observations
    for source in (csv, parquet):
        pd.testing.assert_frame_equal(aggregate_dossiers(source, "month", units=["U1", "U2"]).observations, expected)


def test_a_hive_partitioned_parquet_folder_is_read_whole(tmp_path):
    """The layout a distributed engine would use (province=…/month=…/part.parquet) works here too."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = dossier_frame()
    frame = frame.assign(province="99", month=frame["NgayTiepNhan"].dt.strftime("%Y-%m"))
    pq.write_to_dataset(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "export", ["province", "month"])
    assert len(list((tmp_path / "export").rglob("*.parquet"))) == 4  # received in 4 months
    expected = aggregate_dossiers(dossier_frame(), "month", units=["U1", "U2"]).observations
    got = aggregate_dossiers(tmp_path / "export", "month", units=["U1", "U2"]).observations
    pd.testing.assert_frame_equal(got, expected)


def test_observation_rows_have_the_observations_csv_shape():
    obs = aggregate_dossiers(
        dossier_frame(), "year", units=["U1", "U2"], source_id="export", source_section="p. 1"
    ).observations
    assert list(obs.columns) == [
        "unit_code", "period", "kpi", "numerator", "denominator", "rate", "status", "printed", "source_id",
        "source_section", "note",
    ]  # fmt: skip
    assert (
        obs["printed"].isna().all() and set(obs["source_id"]) == {"export"} and set(obs["source_section"]) == {"p. 1"}
    )
    row = obs[(obs["unit_code"] == "U2") & (obs["period"] == "2023") & (obs["kpi"] == "online_payment")].iloc[0]
    assert row["status"] == "not_applicable" and row["note"] == "no fee-bearing dossiers received in the period"
    row = obs[(obs["unit_code"] == "U1") & (obs["period"] == "2023") & (obs["kpi"] == "online")].iloc[0]
    assert row["rate"] == pytest.approx(400 / 7) and pd.isna(row["note"])
    assert list(obs["kpi"].head(5)) == ["online", "digitized", "online_payment", "on_time", "full_process"]


def test_a_unit_without_dossiers_still_gets_its_rows():
    got = figures(aggregate_dossiers(dossier_frame(), "year", units=["U1", "U2", "U3"]).observations)
    assert {v for k, v in got.items() if k[0] == "U3"} == {NA}
    assert len([k for k in got if k[0] == "U3"]) == 2 * 5


def test_unknown_units_raise_with_their_counts_by_default():
    with pytest.raises(DataValidationError) as info:
        aggregate_dossiers(dossier_frame(), "year", units=["U1"])
    message = str(info.value)
    assert "'DonViXuLy'" in message and "'U2'" in message and "4 dossier(s) (4 in all)" in message


def test_unknown_units_can_be_reported_instead_never_dropped_silently():
    result = aggregate_dossiers(dossier_frame(), "year", units=["U1"], on_unknown="report")
    assert result.unknown_units.to_dict("records") == [{"unit_code": "U2", "dossiers": 4}]
    assert result.n_unknown == 4 and result.n_dossiers == 12
    assert set(result.observations["unit_code"]) == {"U1"}
    assert int(result.counts["received"].sum()) == 8


def test_without_units_every_unit_in_the_data_is_reported():
    result = aggregate_dossiers(dossier_frame(), "year")
    assert list(dict.fromkeys(result.observations["unit_code"])) == ["U1", "U2"]


def test_missing_column_names_the_file_and_the_column(tmp_path):
    path = tmp_path / "export.csv"
    text_frame().drop(columns=["CoPhiLePhi"]).to_csv(path, index=False)
    with pytest.raises(DataValidationError) as info:
        aggregate_dossiers(path, "week")
    assert str(info.value).endswith("export.csv, row 1, column 'CoPhiLePhi': required column is missing")


def test_bad_values_are_all_listed_with_counts_and_an_example(tmp_path):
    frame = text_frame()
    frame.loc[1, "KenhThucHien"] = "4"
    frame.loc[[2, 3], "CoPhiLePhi"] = "1.0"  # a code is a whole number, not a float
    frame.loc[4, "NgayTiepNhan"] = "31/03/2023"  # not ISO: never guessed
    frame.loc[5, "DonViXuLy"] = "  "
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as info:
        aggregate_dossiers(path, "week")
    message = str(info.value)
    assert "4 problem(s)" in message
    assert (
        "export.csv, column 'KenhThucHien': value '4': must be one of 1, 2, 3 (1 dossier(s), e.g. MaHoSo d02)"
        in message
    )
    assert "column 'CoPhiLePhi': value '1.0': must be one of 0, 1 (2 dossier(s), e.g. MaHoSo d03)" in message
    assert "column 'NgayTiepNhan': value '31/03/2023': must be a date" in message
    assert "column 'DonViXuLy'" in message and "must not be empty" in message


def test_finish_before_receipt_and_repeated_dossiers_are_errors():
    frame = dossier_frame()
    early = frame.assign(
        NgayKetThucXuLy=frame["NgayKetThucXuLy"].where(frame["MaHoSo"] != "d02", pd.Timestamp("2023-01-01"))
    )
    with pytest.raises(DataValidationError, match="must not be before NgayTiepNhan"):
        aggregate_dossiers(early, "week")
    repeated = pd.concat([frame, frame.iloc[[0, 0, 4]]], ignore_index=True)
    with pytest.raises(
        DataValidationError,
        match=r"value 'd01': must be unique: one row per dossier \(3 repeated row\(s\); this one 3 times\)",
    ):
        aggregate_dossiers(repeated, "week")


def test_bad_parameters():
    with pytest.raises(ParameterError, match="fortnight"):
        aggregate_dossiers(dossier_frame(), "fortnight")
    with pytest.raises(ParameterError, match="on_unknown"):
        aggregate_dossiers(dossier_frame(), "week", on_unknown="drop")
    with pytest.raises(ParameterError, match="satisfaction"):
        aggregate_dossiers(dossier_frame(), "week", kpis=["online", "satisfaction"])
    with pytest.raises(DataValidationError, match="not found"):
        aggregate_dossiers("/nonexistent/export.parquet", "week")


def test_kpis_subset_and_empty_counts():
    obs = aggregate_dossiers(dossier_frame(), "year", kpis=["on_time"]).observations
    assert set(obs["kpi"]) == {"on_time"} and len(obs) == 4
    assert observations_from_counts(pd.DataFrame(columns=["unit_code", "period"]), kpis=[]).empty


@pytest.mark.parametrize(
    ("day", "grain", "expected"),
    [
        (date(2023, 1, 1), "week", "2022-W52"),
        (date(2023, 1, 2), "week", "2023-W01"),
        (date(2021, 1, 3), "week", "2020-W53"),
        (date(2024, 12, 30), "week", "2025-W01"),
        (date(2023, 3, 6), "week", "2023-W10"),
        (date(2023, 3, 31), "month", "2023-03"),
        (date(2023, 3, 31), "quarter", "2023-Q1"),
        (date(2023, 10, 1), "quarter", "2023-Q4"),
        (date(2023, 10, 1), "year", "2023"),
    ],
)
def test_period_ids(day, grain, expected):
    assert period_id(day, grain) == expected


def test_grain_windows_are_whole_contiguous_periods():
    weeks = grain_windows("week", date(2022, 12, 28), date(2023, 1, 3))
    assert [(w.id, w.start, w.end) for w in weeks] == [
        ("2022-W52", date(2022, 12, 26), date(2023, 1, 1)),
        ("2023-W01", date(2023, 1, 2), date(2023, 1, 8)),
    ]
    quarters = grain_windows("quarter", date(2023, 2, 1), date(2023, 12, 31))
    assert [(q.id, q.start, q.end) for q in quarters][-1] == ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31))
    months = grain_windows("month", date(2024, 2, 10), date(2024, 2, 10))
    assert [(m.start, m.end) for m in months] == [(date(2024, 2, 1), date(2024, 2, 29))]


def test_aggregate_sql_is_plain_sql():
    """The aggregation must run unchanged on Spark SQL or Trino: no DuckDB-only syntax or functions."""
    sql = AGGREGATE_SQL.upper()
    for banned in (
        "::",
        "FILTER (",
        "DATE_TRUNC",
        "ISOYEAR",
        "STRFTIME",
        "QUALIFY",
        "EXCLUDE",
        "READ_PARQUET",
        "COUNT_IF",
    ):
        assert banned not in sql, banned
    relations = {name for _, name in re.findall(r"\b(FROM|JOIN)\s+(\w+)", sql)}
    assert relations == {"DOSSIERS", "CALENDAR", "UNITS", "PERIODS", "RECEIVED", "FINISHED"}
