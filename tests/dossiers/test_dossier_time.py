"""Issue 23 item 4: a dossier's day is its day in Vietnam, and implausible dates are rejected, never covered.

Hand-made dossiers around the night of Sunday 12 / Monday 13 March 2023 (2023-W10 ends on the Sunday, 2023-W11
starts on the Monday): ``2023-03-12T23:30:00Z`` is 06:30 on Monday in Vietnam (UTC+07:00), so it is received in
W11; the same text without offset is Vietnam time, Sunday, W10. Every expected count is worked out by hand.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_dvctt

from dvctt.dossiers.aggregate import DOSSIER_COLUMNS, aggregate_dossiers
from dvctt.dossiers.timestamps import vietnam_today
from dvctt.errors import DataValidationError
from dvctt.ingest.statistics import ingest
from tests.ingest.test_ingest_dossiers import DOSSIERS, campaign_dir, write_dossiers  # noqa: F401 (a fixture)

EXPORTED = date(2023, 3, 31)


def _text(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(MaHoSo, received, due, finished) -> a CSV-like frame (every cell text), all online in unit U1."""
    frame = pd.DataFrame(rows, columns=["MaHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy"])
    fixed = {"MaTTHC": "P1", "KenhThucHien": "2", "DonViXuLy": "U1", "HoSoCoThanhPhanSoHoa": "1"}
    return frame.assign(**fixed, CoPhiLePhi="0", DuocThanhToanTrucTuyen="0", ToanTrinh="1")[list(DOSSIER_COLUMNS)]


ACROSS_MIDNIGHT = [
    ("z", "2023-03-12T23:30:00Z", "2023-03-20", ""),  # Mon 13/03 06:30 in Vietnam: W11
    ("minus5", "2023-03-12T23:30:00-05:00", "2023-03-20", ""),  # Mon 13/03 11:30: W11
    ("plus7", "2023-03-12T23:30:00+07:00", "2023-03-20", ""),  # Vietnam time already: Sun 12/03, W10
    ("naive", "2023-03-12 23:30:00", "2023-03-20", ""),  # no offset: Vietnam time, W10
    ("plus9", "2023-03-13T01:00:00+0900", "2023-03-20", ""),  # Sun 12/03 23:00 in Vietnam: W10
    # finished 18:00 UTC on the due day = 01:00 the next day in Vietnam: late; 09:00 UTC = 16:00: on time
    ("late", "2023-03-13 08:00", "2023-03-14 17:00", "2023-03-14T18:00:00Z"),
    ("on-time", "2023-03-13 08:00", "2023-03-14 17:00", "2023-03-14T09:00:00Z"),
]


def _weeks(counts: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    return {r.period: (r.received, r.finished, r.finished_on_time) for r in counts.itertuples(index=False)}


def test_text_with_an_offset_is_given_its_day_in_vietnam(tmp_path: Path) -> None:
    frame = _text(ACROSS_MIDNIGHT)
    path = tmp_path / "ho-so.csv"
    frame.to_csv(path, index=False)
    for source in (frame, path):
        aggregate = aggregate_dossiers(source, "week", units=["U1"], exported=EXPORTED)
        assert _weeks(aggregate.counts) == {"2023-W10": (3, 0, 0), "2023-W11": (4, 2, 1)}
        assert aggregate.received == (date(2023, 3, 12), date(2023, 3, 13))
        assert aggregate.n_invalid == 0


def test_typed_instants_are_converted_too_whatever_their_zone(tmp_path: Path) -> None:
    """A Parquet or DataFrame TIMESTAMP WITH TIME ZONE is an instant; one without zone is Vietnam time."""
    received = pd.Series(["2023-03-12 23:30", "2023-03-12 18:30", "2023-03-12 23:30"])
    zones = ["UTC", "America/New_York", "Asia/Ho_Chi_Minh"]  # W11, W11 (EDT: UTC 22:30 = 05:30 in VN), W10
    instants = [pd.Timestamp(t, tz=z) for t, z in zip(received, zones, strict=True)]
    frame = _text([(f"d{i}", "", "2023-03-20", "") for i in range(3)]).assign(
        NgayTiepNhan=pd.Series(instants, dtype="datetime64[us, UTC]"),
        NgayHenTra=pd.Timestamp("2023-03-20 17:00", tz="UTC"),
        NgayKetThucXuLy=pd.Series([pd.NaT] * 3, dtype="datetime64[us, UTC]"),
    )
    path = tmp_path / "ho-so.parquet"
    frame.to_parquet(path)
    for source in (frame, path):
        counts = aggregate_dossiers(source, "week", units=["U1"], exported=EXPORTED).counts
        assert _weeks(counts) == {"2023-W10": (1, 0, 0), "2023-W11": (2, 0, 0)}
    naive = frame.assign(NgayTiepNhan=pd.to_datetime(received), NgayHenTra=pd.Timestamp("2023-03-20"))
    counts = aggregate_dossiers(naive, "week", units=["U1"], exported=EXPORTED).counts  # as written: Sundays
    assert _weeks(counts) == {"2023-W10": (3, 0, 0)}


IMPLAUSIBLE = [
    ("ok-mon", "2023-03-13 08:00", "2023-03-15 17:00", "2023-03-14 10:00"),
    ("ok-wed", "2023-03-15 08:00", "2023-03-17 17:00", ""),
    ("y2203", "2203-03-14 08:00", "2203-03-16 17:00", ""),  # received: far after the export
    ("y9999", "9999-12-31", "9999-12-31", ""),  # received (and due): far after
    ("y1999", "1999-12-31 08:00", "2023-03-16 17:00", ""),  # received before 2000
    ("done2203", "2023-03-14 08:00", "2023-03-16 17:00", "2203-05-01 10:00"),  # finished after the export
    ("due9999", "2023-03-14 08:00", "9999-01-01", ""),  # due years after the export
]


def test_dates_far_outside_are_rejected_per_dossier_with_a_count_and_never_extend_coverage() -> None:
    frame = _text(IMPLAUSIBLE)
    with pytest.raises(DataValidationError) as caught:
        aggregate_dossiers(frame, "week", units=["U1"], exported=EXPORTED)
    text = str(caught.value)
    assert "3 problem(s)" in text
    assert "'NgayTiepNhan': value '1999-12-31 08:00': must lie between 2000-01-01 and 2023-03-31" in text
    assert "(3 dossier(s), e.g. MaHoSo y1999)" in text
    assert "'NgayKetThucXuLy': value '2203-05-01 10:00': must lie between 2000-01-01 and 2023-03-31" in text
    assert "'NgayHenTra': value '9999-01-01': must lie between 2000-01-01 and 2024-03-31" in text
    assert "(3 dossier(s), e.g. MaHoSo due9999)" in text  # y2203 and y9999 are due years after the export too

    aggregate = aggregate_dossiers(frame, "week", units=["U1"], exported=EXPORTED, on_invalid="report")
    assert aggregate.n_dossiers == 7 and aggregate.n_invalid == 5 and aggregate.n_counted == 2
    invalid = aggregate.invalid.set_index("column")
    assert (invalid["check"] == "range").all()
    assert invalid["dossiers"].to_dict() == {"NgayTiepNhan": 3, "NgayHenTra": 3, "NgayKetThucXuLy": 1}
    assert aggregate.received == (date(2023, 3, 13), date(2023, 3, 15))  # not 1999 – 9999
    assert _weeks(aggregate.counts) == {"2023-W11": (2, 1, 1)}  # only the plausible week, the two valid dossiers


def test_the_export_date_defaults_to_today_in_vietnam() -> None:
    today = vietnam_today()
    tomorrow = str(today + timedelta(days=1))
    frame = _text([("today", str(today), tomorrow, ""), ("tomorrow", tomorrow, tomorrow, "")])
    aggregate = aggregate_dossiers(frame, "week", units=["U1"], on_invalid="report")
    assert aggregate.invalid[["column", "check", "example", "dossiers"]].values.tolist() == [
        ["NgayTiepNhan", "range", "tomorrow", 1]
    ]
    assert aggregate.received == (today, today)


def test_a_dossier_dated_2203_makes_no_partial_week_covered_whole_on_ingest(
    tmp_path: Path,
    campaign_dir: Path,  # noqa: F811 (the fixture imported above)
) -> None:
    """Dossiers of W10 only (6–11 March) and one received in 2203: before, W11 and the campaign window (6–19
    March) counted as covered whole and were written with W11 counted as if nothing had been received."""
    week_10 = [row for row in DOSSIERS if row[3] < "2023-03-12"]
    stray = ("h20", 2, "901", "2203-03-17 09:00", "2023-03-20 17:00", "", 1, 1, 1)
    path = write_dossiers(tmp_path / "ho-so.csv", [*week_10, stray])
    result = ingest(path, campaign_dir)
    assert set(result.observations["period"]) == {"2023-W10"}
    notices = " | ".join(result.notices)
    assert f"{len(week_10) + 1} dossier(s) received 2023-03-06 – 2023-03-11, {len(week_10)} counted" in notices
    assert "2023-W11" not in notices  # no plausible dossier in it: not covered at all
    assert "period 2023-campaign is only partly covered (5 working day(s) without data): not ingested" in notices
    [issue] = result.issues
    assert (issue.rule, issue.column, issue.value, issue.row) == (
        "dossier_range",
        "NgayTiepNhan",
        "2203-03-17 09:00",
        11,
    )
    today = vietnam_today().isoformat()
    assert f"NgayTiepNhan lies outside the possible days 2000-01-01 – {today}" in issue.reason("en")
    assert "1 dossier(s) of unit '901' not counted" in issue.reason("en") and "MaHoSo h20" in issue.reason("en")
    assert f"NgayTiepNhan ngoài khoảng ngày có thể có 2000-01-01 – {today}" in issue.reason("vi")

    done = run_dvctt("validate", str(path), "--campaign", str(campaign_dir), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "2203-03-17 09:00" in done.stderr
