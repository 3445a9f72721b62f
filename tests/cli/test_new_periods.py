"""`dvctt new --periods week|month|quarter` (issue 22 item 4): the year's calendar periods after a baseline, and a new
campaign whose progress report has a trajectory after two monthly returns, without editing campaign.toml; its report
set writes the chat message (item 5)."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from two_tier_campaign import two_monthly_returns

from dvctt.campaign.loading import load_campaign
from dvctt.cli import main as cli
from dvctt.errors import ParameterError
from dvctt.ingest.scaffold import new_campaign
from dvctt.report.progress_sections import build_progress_data


def _periods(folder: Path) -> list[dict]:
    """campaign.toml's periods as written, with their dates read."""
    raw = tomllib.loads((folder / "campaign.toml").read_text(encoding="utf-8"))["periods"]
    return [{**p, "start": date.fromisoformat(p["start"]), "end": date.fromisoformat(p["end"])} for p in raw]


def test_weeks_are_the_iso_weeks_of_the_year_with_their_dates(tmp_path):
    assert cli.main(["new", str(tmp_path / "w"), "--province", "96", "--periods", "week", "--year", "2026"]) == 0
    periods = _periods(tmp_path / "w")
    assert periods[0] == {"id": "2025", "kind": "baseline", "start": date(2025, 1, 1), "end": date(2025, 12, 31),
                          "label_vi": "Năm 2025", "label_en": "Year 2025"}  # fmt: skip
    weeks = periods[1:]
    assert len(weeks) == 53 and {p["kind"] for p in weeks} == {"week"}  # 2026 starts on a Thursday: 53 ISO weeks
    assert weeks[0] == {"id": "2026-W01", "kind": "week", "start": date(2025, 12, 29), "end": date(2026, 1, 4),
                        "label_vi": "Tuần 1/2026 (29/12/2025–04/01/2026)",
                        "label_en": "Week 1 of 2026 (29 Dec 2025 – 4 Jan 2026)"}  # fmt: skip
    assert (weeks[-1]["id"], weeks[-1]["start"], weeks[-1]["end"]) == ("2026-W53", date(2026, 12, 28), date(2027, 1, 3))
    assert all((b["start"] - a["start"]).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    assert all(p["start"].weekday() == 0 and (p["end"] - p["start"]).days == 6 for p in weeks)
    definition = load_campaign(tmp_path / "w").definition
    assert [p.id for p in definition.series_periods()][:3] == ["2025", "2026-W01", "2026-W02"]


def test_months_and_quarters_with_vietnamese_and_english_labels(tmp_path):
    assert cli.main(["new", str(tmp_path / "m"), "--province", "96", "--periods", "month", "--year", "2028"]) == 0
    months = _periods(tmp_path / "m")[1:]
    assert [p["id"] for p in months] == [f"2028-{m:02d}" for m in range(1, 13)]
    assert months[1] == {
        "id": "2028-02",
        "kind": "month",
        "start": date(2028, 2, 1),
        "end": date(2028, 2, 29),
        "label_vi": "Tháng 2/2028",
        "label_en": "February 2028",
    }  # fmt: skip (a leap year)
    assert cli.main(["new", str(tmp_path / "q"), "--province", "96", "--periods", "quarter", "--year", "2026"]) == 0
    quarters = _periods(tmp_path / "q")[1:]
    assert [(p["id"], p["start"], p["end"], p["label_vi"], p["label_en"]) for p in quarters][2] == (
        "2026-Q3",
        date(2026, 7, 1),
        date(2026, 9, 30),
        "Quý 3/2026",
        "Q3 2026",
    )
    assert len(quarters) == 4 and quarters[-1]["end"] == date(2026, 12, 31)
    readme = (tmp_path / "q" / "README.md").read_text(encoding="utf-8")
    assert "the quarters of 2026, ids 2026-Q1 … 2026-Q4" in readme


def test_the_default_period_is_the_one_holding_the_day_the_folder_is_written(tmp_path):
    def default(name: str, kind: str, year: int, today: date) -> str:
        folder = new_campaign(tmp_path / name, province="96", periods=kind, year=year, today=today)
        return load_campaign(folder).definition.default_period

    assert default("a", "month", 2026, date(2026, 3, 15)) == "2026-03"
    assert default("b", "week", 2026, date(2026, 1, 1)) == "2026-W01"  # ISO week 1 began on 29 December
    assert default("c", "quarter", 2027, date(2026, 12, 7)) == "2027-Q1"  # prepared before its year starts
    assert default("d", "month", 2025, date(2026, 12, 7)) == "2025-12"  # a past year: its last period
    assert default("e", "year", 2026, date(2026, 12, 7)) == "2026"  # the one yearly period, as before


def test_an_unknown_kind_of_period_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ParameterError, match="--periods 'fortnight' is not one of: year, week, month, quarter"):
        new_campaign(tmp_path / "x", province="96", periods="fortnight")
    assert not (tmp_path / "x").exists()


# ------------------------------------------------------------------ a new campaign after two monthly returns


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory):
    """`dvctt new --periods month --year 2025` with January and February ingested (two_monthly_returns), then
    `dvctt report --all --period 2025-02` (the return just ingested; the default period, the one holding the day
    the folder was written, is checked apart)."""
    root = tmp_path_factory.mktemp("months")
    folder, sums = two_monthly_returns(root)
    out = root / "out"
    assert cli.main(["report", "--campaign", str(folder), "--all", "--period", "2025-02", "--jobs", "1",
                     "--out", str(out)]) == 0  # fmt: skip
    return folder, out, sums


def test_the_progress_report_has_a_trajectory_after_two_months(two_months):
    folder, out, sums = two_months
    assert sums == {"2025-01": (8742, 12127), "2025-02": (10477, 14221)}  # the 64 communes' online counts
    as_of_default = build_progress_data(folder)  # campaign.toml not edited: as of its default, December
    assert as_of_default.period.id == "2025-12"
    latest = as_of_default.levels.set_index(["level", "kpi"]).loc[("commune", "online")]
    assert (latest["latest_period"], round(latest["latest"], 4)) == ("2025-02", 73.6727)
    traj = pd.read_csv(out / "tables" / "2025-02" / "progress_report_trajectory.csv", dtype={"period": str})
    online = traj[(traj["level"] == "commune") & (traj["kpi"] == "online")].set_index("period")
    assert list(online.index) == ["2024", "2025-01", "2025-02"]  # the baseline, then the months up to February
    reported = online.dropna(subset=["rate"])
    assert list(reported.index) == ["2025-01", "2025-02"] and set(reported["method"]) == {"pooled"}
    assert reported["rate"].round(4).tolist() == [72.0871, 73.6727]  # 8.742/12.127 and 10.477/14.221
    assert reported["denominator"].tolist() == [12127, 14221]
    levels = pd.read_csv(out / "tables" / "2025-02" / "progress_report_levels.csv")
    row = levels[(levels["level"] == "commune") & (levels["kpi"] == "online")].iloc[0]
    assert (row["latest_period"], row["previous_period"]) == ("2025-02", "2025-01")
    assert round(row["change_since_previous"], 4) == 1.5857 and row["forecast_reason"] == "no_target"
    html = (out / "progress_report_2025-02_vi.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "73,67%" in text and "+1,59" in text and "Tháng 2/2025" in text
    changes = re.search(r"Xã Gành Hào.{0,400}", text, flags=re.S)
    assert changes is not None and "42,50%" in changes.group(0)  # the steepest fall, January to February


def test_the_report_set_writes_its_chat_message(two_months):
    _, out, _ = two_months
    message = (out / "message.txt").read_text(encoding="utf-8")
    assert message == (
        "[DỮ LIỆU MÔ PHỎNG] Dịch vụ công trực tuyến — Tỉnh Cà Mau — năm 2025 - Tháng 2/2025\n"
        "Cấp xã · Trực tuyến: 73,67%; chưa đặt mục tiêu; 64/64 đơn vị có số liệu\n"
        "  Thấp nhất: Xã Gành Hào 42,50%; Xã Tân Thuận 49,37%; Phường Lý Văn Lâm 49,53%; và 61 đơn vị khác\n"
    )
