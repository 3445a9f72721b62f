"""The loader stops on bad input with every problem named by file, row, column and value."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY_FILES, write_campaign

from dvctt.campaign.loading import load_campaign
from dvctt.errors import CampaignDefinitionError, CampaignNotFoundError, DataValidationError

OBS_HEADER = "unit_code,period,kpi,numerator,denominator,rate,status,printed,source_id,source_section,note\n"


def _problems(folder) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_campaign(folder)
    return [str(p) for p in info.value.problems]


def test_a_valid_campaign_loads_with_typed_columns(tiny_campaign):
    campaign = load_campaign(tiny_campaign)
    assert campaign.id == "tiny"
    assert len(campaign.units) == 5
    assert len(campaign.observations) == 14
    assert campaign.observations["rate"].dtype == "Float64"
    assert campaign.observations["numerator"].dtype == "Int64"
    assert campaign.reported_totals["headline"].tolist() == [True, True, True]
    # "not applicable" stays distinct from 0 and from missing
    na = campaign.observations.query("unit_code == '99.A02' and kpi == 'online_payment'").iloc[0]
    assert na["status"] == "not_applicable" and pd.isna(na["rate"])
    # the printed value is kept exactly as printed
    assert (
        campaign.observations.query("unit_code == '901' and period == '2022' and kpi == 'online'")["printed"].item()
        == "30,5%"
    )


def test_a_vietnamese_decimal_in_a_machine_column_is_named_precisely(tmp_path):
    bad = OBS_HEADER + '99.A01,2022,online,,,"52,23",ok,,test,,\n'
    problems = _problems(write_campaign(tmp_path / "c", {"observations.csv": bad}))
    assert problems == [
        "observations.csv, row 2, column 'rate': value '52,23': must be a number with a dot decimal (no % sign)"
    ]


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    bad = (
        OBS_HEADER
        + "99.A01,2022,online,,,120,ok,,test,,\n"  # rate above 100
        + "99.A01,2022,online_payment,,,5,ok,,test,,\n"
        + "99.A01,2022,online_payment,,,6,ok,,test,,\n"  # duplicate key
        + "99.A02,2022,speed,,,5,ok,,test,,\n"  # unknown kpi
    )
    problems = _problems(write_campaign(tmp_path / "c", {"observations.csv": bad}))
    text = "\n".join(problems)
    assert "row 2, column 'rate': value 120.0: breaks rule in_range(0, 100)" in text
    assert "row 5, column 'kpi': value 'speed'" in text
    assert "row 3" in text and "row 4" in text and "uniqueness" in text


def test_cross_table_rules(tmp_path):
    bad = (
        OBS_HEADER
        + "99.X99,2022,online,,,10,ok,,test,,\n"  # unknown unit
        + "99.A01,2031,online,,,10,ok,,test,,\n"  # unknown period
        + "99.A02,2022,online,60,50,10,ok,,test,,\n"  # numerator above denominator
        + "901,2022,online,,,,ok,,test,,\n"  # ok without a rate
        + "90101,2022,online,,,10,not_applicable,,nosuch,,\n"  # n/a with a rate, unknown source
    )
    problems = _problems(write_campaign(tmp_path / "c", {"observations.csv": bad}))
    assert (
        "observations.csv, row 2, column 'unit_code': value '99.X99': unknown unit_code (not in units.csv)" in problems
    )
    assert "observations.csv, row 3, column 'period': value '2031': unknown period (not in campaign.toml)" in problems
    assert "observations.csv, row 4, column 'numerator': value 60: numerator above denominator" in problems
    assert "observations.csv, row 5, column 'rate': status ok needs a rate" in problems
    assert "observations.csv, row 6, column 'rate': value 10.0: a missing/n.a. row has no rate" in problems
    assert any("row 6, column 'source_id': value 'nosuch'" in p for p in problems)


def test_a_missing_required_column_is_named(tmp_path):
    units = TINY_FILES["units.csv"].replace("level,", "lvl,", 1)
    problems = _problems(write_campaign(tmp_path / "c", {"units.csv": units}))
    assert "units.csv, row 1, column 'level': required column is missing" in problems


def test_a_commune_must_hang_under_a_known_district(tmp_path):
    units = TINY_FILES["units.csv"].replace("90102,commune,901", "90102,commune,999")
    problems = _problems(write_campaign(tmp_path / "c", {"units.csv": units}))
    assert any("units.csv, row 6, column 'parent_code': value '999'" in p for p in problems)


def test_a_bad_definition_names_the_key(tmp_path):
    toml = TINY_FILES["campaign.toml"].replace('default_period = "2023"', 'default_period = "2099"')
    with pytest.raises(CampaignDefinitionError, match="default_period '2099' is not among periods"):
        load_campaign(write_campaign(tmp_path / "c", {"campaign.toml": toml}))


def test_an_unknown_campaign_lists_the_shipped_ones():
    with pytest.raises(CampaignNotFoundError, match="camau-2023"):
        load_campaign("no-such-campaign")


def test_loading_never_modifies_the_raw_files(tiny_campaign):
    def digest() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(tiny_campaign.iterdir())}

    before = digest()
    load_campaign(tiny_campaign)
    assert digest() == before


def test_the_data_hash_changes_when_any_input_changes(tmp_path):
    first = load_campaign(write_campaign(tmp_path / "a")).data_hash
    same = load_campaign(write_campaign(tmp_path / "b")).data_hash
    changed_targets = TINY_FILES["targets.csv"].replace("campaign,commune,online,60", "campaign,commune,online,61")
    changed = load_campaign(write_campaign(tmp_path / "c", {"targets.csv": changed_targets})).data_hash
    assert first == same
    assert first != changed


def test_a_table_already_checked_is_not_checked_again_yet_a_changed_file_is(tmp_path: Path, monkeypatch) -> None:
    """Tables are kept by their content: a copy of a folder reads without a second check, a caller changing what
    it got changes nothing for the next reader, and a changed byte is read and checked afresh."""
    from dvctt.campaign import loading

    first = write_campaign(tmp_path / "a")
    copy = write_campaign(tmp_path / "b")
    kept = loading.read_table(first, "observations")
    checks = []
    monkeypatch.setattr(loading, "_schema_problems", lambda *args: checks.append(args) or [])
    again = loading.read_table(copy, "observations")
    pd.testing.assert_frame_equal(again, kept)
    assert checks == []  # same bytes in another folder: not checked again
    again.loc[0, "rate"] = -1.0
    assert loading.read_table(first, "observations").loc[0, "rate"] == kept.loc[0, "rate"]
    monkeypatch.undo()
    observations = copy / "observations.csv"
    observations.write_text(observations.read_text(encoding="utf-8").replace("40.0,ok", "4O.0,ok"), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"observations.csv.*4O.0"):
        loading.read_table(copy, "observations")


def test_the_checks_run_without_loading_hypothesis(tmp_path):
    """pandera registers its checks with hypothesis hidden (it would load it for data synthesis, 0.2 s): a bad
    value is still caught, and hypothesis stays importable. In a fresh interpreter: the tests load hypothesis."""
    folder = write_campaign(tmp_path / "c", {"observations.csv": OBS_HEADER + "99.A01,2022,online,,,120,ok,,test,,\n"})
    code = (
        "import sys\nfrom dvctt.campaign.loading import load_campaign\n"
        "try:\n    load_campaign(sys.argv[1])\nexcept Exception as exc:\n    print(*exc.problems, sep='\\n')\n"
        "print('hypothesis loaded:', 'hypothesis' in sys.modules)\nimport hypothesis.strategies\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "row 2, column 'rate': value 120.0: breaks rule in_range(0, 100)" in done.stdout
    assert "hypothesis loaded: False" in done.stdout
