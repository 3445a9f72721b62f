"""Issue 23 item 3: what ``dvctt check`` (and every load, so ``dvctt report`` too) refuses — periods that overlap,
period ids and unit codes that cannot be file names — and ``dvctt report --out`` inside a campaign folder.
The hostile campaigns are made here, from the tiny campaign of conftest.py."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dvctt import paths
from dvctt.campaign.definition import read_definition
from dvctt.campaign.loading import load_campaign
from dvctt.campaign.names import MAX_NAME_CHARS, file_name_problem, is_safe_name
from dvctt.errors import CampaignDefinitionError, DataValidationError
from tests.conftest import TINY_FILES, run_dvctt, write_campaign


def _period(period_id: str, kind: str, start: str, end: str, extra: str = "") -> str:
    return (
        textwrap.dedent(f"""
        [[periods]]
        id = {period_id}
        kind = "{kind}"
        start = "{start}"
        end = "{end}"
        label_vi = "Kỳ"
        label_en = "Period"
        """)
        + extra
    )


def _with_periods(tmp_path: Path, *periods: str) -> Path:
    toml = textwrap.dedent(TINY_FILES["campaign.toml"]).lstrip("\n") + "".join(periods)
    return write_campaign(tmp_path / "hostile", {"campaign.toml": toml})


WEEK_10 = _period('"2023-W10"', "week", "2023-03-06", "2023-03-12")
WEEK_11 = _period('"2023-W11"', "week", "2023-03-13", "2023-03-19")


def _check(folder: Path) -> tuple[int, str]:
    done = run_dvctt("check", str(folder), cwd=folder.parent)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stderr


def test_weeks_inside_the_campaign_window_pass_and_the_shipped_campaigns_too(tmp_path: Path) -> None:
    folder = _with_periods(tmp_path, WEEK_10, WEEK_11)  # weeks inside the campaign window 2023-03-01 – 05-09
    definition = read_definition(folder / "campaign.toml")
    assert [p.id for p in definition.series_periods()] == ["2022", "2023-W10", "2023-W11"]
    for toml in sorted(paths.CAMPAIGNS_DIR.glob("*/campaign.toml")):
        read_definition(toml)
    assert _check(folder)[0] == 0


def test_a_duplicate_week_is_refused_by_check_and_by_report(tmp_path: Path) -> None:
    again = _period('"2023-W10-again"', "week", "2023-03-06", "2023-03-12")
    folder = _with_periods(tmp_path, WEEK_10, again)
    with pytest.raises(CampaignDefinitionError, match=r"'2023-W10'.*'2023-W10-again'.*overlap from 2023-03-06"):
        load_campaign(folder)
    code, err = _check(folder)
    assert code == 1 and "overlaps = true" in err and "#3" in err and "#4" in err
    done = run_dvctt("report", "--campaign", str(folder), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 1 and "overlap" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_75_day_week_over_the_next_weeks_is_refused(tmp_path: Path) -> None:
    long_week = _period('"2023-W09"', "week", "2023-02-27", "2023-05-12")
    folder = _with_periods(tmp_path, long_week, WEEK_10, WEEK_11)
    with pytest.raises(CampaignDefinitionError, match=r"week 2023-02-27 – 2023-05-12.*overlap from 2023-03-06 to"):
        read_definition(folder / "campaign.toml")


def test_a_month_over_its_weeks_passes_but_two_overlapping_months_do_not(tmp_path: Path) -> None:
    march = _period('"2023-03"', "month", "2023-03-01", "2023-03-31")
    definition = read_definition(_with_periods(tmp_path / "a", WEEK_10, WEEK_11, march) / "campaign.toml")
    assert [p.id for p in definition.periods][-3:] == ["2023-W10", "2023-W11", "2023-03"]
    shifted = _period('"2023-03b"', "month", "2023-03-15", "2023-04-14")
    with pytest.raises(CampaignDefinitionError, match=r"two month periods must not overlap.*overlaps = true"):
        read_definition(_with_periods(tmp_path / "b", march, shifted) / "campaign.toml")


def test_overlaps_true_marks_a_window_that_may_overlap(tmp_path: Path) -> None:
    rolling = _period('"2023-W10-W11"', "week", "2023-03-06", "2023-03-19", "overlaps = true\n")
    definition = read_definition(_with_periods(tmp_path, WEEK_10, WEEK_11, rolling) / "campaign.toml")
    assert [p.overlaps for p in definition.periods] == [False, False, False, False, True]
    quoted = _period('"2023-W12"', "week", "2023-03-06", "2023-03-12", 'overlaps = "true"\n')
    with pytest.raises(CampaignDefinitionError, match="overlaps must be true or false"):
        read_definition(_with_periods(tmp_path, WEEK_10, quoted) / "campaign.toml")


def test_two_campaign_windows_that_overlap_are_refused(tmp_path: Path) -> None:
    second = _period('"2023-bis"', "campaign", "2023-05-01", "2023-06-30")
    with pytest.raises(CampaignDefinitionError, match="two campaign periods must not overlap"):
        read_definition(_with_periods(tmp_path, second) / "campaign.toml")


@pytest.mark.parametrize(
    ("period_id", "reason"),
    [
        ('"nl\\n"', "line break"),
        ('"a\\u0000b"', "NUL"),
        ('"tab\\tid"', "control character"),
        ('" 2023-W10"', "whitespace"),
        ('"../escaped"', "path separator"),
        ('"a\\\\b"', "path separator"),
        ('".."', "starts with '.'"),
        ('".hidden"', "starts with '.'"),
        ('"Tuần-10"', "holds 'ầ'"),
        (f'"{"x" * (MAX_NAME_CHARS + 1)}"', "characters long"),
    ],
)
def test_period_ids_that_cannot_be_file_names_are_refused(tmp_path: Path, period_id: str, reason: str) -> None:
    folder = _with_periods(tmp_path, _period(period_id, "week", "2023-03-06", "2023-03-12"))
    with pytest.raises(CampaignDefinitionError, match=reason):
        read_definition(folder / "campaign.toml")
    code, err = _check(folder)
    assert code == 1 and "[[periods]] #3" in err and reason in err


def _units_with_code(code: str) -> str:
    units = textwrap.dedent(TINY_FILES["units.csv"]).lstrip("\n")
    header, first, *rest = units.splitlines()
    fields = first.split(",")
    fields[0] = code
    return "\n".join([header, ",".join(fields), *rest]) + "\n"


@pytest.mark.parametrize(
    ("code", "reason"),
    [("99.A\x0001", "NUL"), ('"99.A01\n"', "line break"), ("99/A01", "path separator"), ("x" * 101, "long")],
)
def test_unit_codes_that_cannot_be_file_names_are_refused(tmp_path: Path, code: str, reason: str) -> None:
    folder = write_campaign(tmp_path / "hostile", {"units.csv": _units_with_code(code)})
    with pytest.raises(DataValidationError) as caught:
        load_campaign(folder)
    bad = [p for p in caught.value.problems if p.column == "unit_code" and p.file == "units.csv" and p.row == 2]
    assert bad and reason in bad[0].rule
    code_, err = _check(folder)
    assert code_ == 1 and "units.csv, row 2, column 'unit_code'" in err and reason in err


def test_one_file_name_rule_for_campaign_ids_period_ids_and_unit_codes(tmp_path: Path) -> None:
    """file_name_problem gives a reason exactly when is_safe_name says no; the campaign id is checked by it too."""
    good = ("2023-W10", "96.A01", "32134", "2023-campaign", "a.b", "x" * MAX_NAME_CHARS, "H01.187")
    bad = ("", ".", "..", ".hidden", "-x", "a/b", "a\\b", "a\x00", "a\n", "a\u2028b", "a\x7f", "a ", "\ta", "x" * 101)
    for name in good:
        assert file_name_problem(name) is None and is_safe_name(name), name
    for name in (*bad, "Tuần 10", "Cà-Mau", "a b", None, 7):
        assert file_name_problem(name) and not is_safe_name(name), repr(name)
    toml = textwrap.dedent(TINY_FILES["campaign.toml"]).lstrip("\n").replace('id = "tiny"', 'id = "tiny\\n"', 1)
    folder = write_campaign(tmp_path / "bad-id", {"campaign.toml": toml})
    with pytest.raises(CampaignDefinitionError, match=r"'id' has value 'tiny\\n'.*cannot name a folder.*line break"):
        read_definition(folder / "campaign.toml")
    assert "holds a line break" in _check(folder)[1]


@pytest.mark.parametrize("where", ["campaign", "nested", "any-campaign"])
@pytest.mark.parametrize("batch", [False, True])
def test_report_out_inside_a_campaign_folder_is_refused(tmp_path: Path, where: str, batch: bool) -> None:
    folder = write_campaign(tmp_path / "tiny")
    other = write_campaign(tmp_path / "other")
    out = {"campaign": folder, "nested": folder / "reports" / "week", "any-campaign": other / "out"}[where]
    before = sorted(p.name for p in folder.rglob("*")), sorted(p.name for p in other.rglob("*"))
    args = ["report", "--campaign", str(folder), "--out", str(out), *(["--all"] if batch else [])]
    done = run_dvctt(*args, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "lies inside the campaign folder" in done.stderr and str(out) in done.stderr
    assert (sorted(p.name for p in folder.rglob("*")), sorted(p.name for p in other.rglob("*"))) == before
