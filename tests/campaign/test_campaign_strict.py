"""campaign.toml and the campaign tables are read strictly: a wrong kind of value is an error naming the key,
never read as something else (``synthetic = "false"`` used to be true and put the SYNTHETIC banner on real data).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dvctt import paths
from dvctt.campaign.definition import read_definition
from dvctt.campaign.loading import load_campaign
from dvctt.errors import CampaignDefinitionError, DataValidationError

SHIPPED = paths.CAMPAIGNS_DIR / "camau-2023"


@pytest.fixture
def camau_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "camau"
    shutil.copytree(SHIPPED, folder)
    return folder


def edit_toml(folder: Path, old: str, new: str) -> Path:
    path = folder / "campaign.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_synthetic_must_be_a_boolean(camau_dir: Path) -> None:
    assert read_definition(camau_dir / "campaign.toml").synthetic is False
    path = edit_toml(camau_dir, "synthetic = false", 'synthetic = "false"')
    with pytest.raises(
        CampaignDefinitionError, match=r"synthetic must be true or false \(without quotes\), got 'false'"
    ):
        read_definition(path)


@pytest.mark.parametrize(
    ("kpis", "message"),
    [
        ('["online", "onlin"]', r"kpis \['onlin'\] unknown; use names from online, digitized"),
        ("[1, 2]", r"kpis must be a non-empty list of KPI names, got \[1, 2\]"),
        ('"online"', r"key 'kpis' has value 'online', expected <class 'list'>"),
        ("[]", r"kpis must be a non-empty list"),
        ('["online", "online"]', r"name a KPI twice"),
    ],
)
def test_kpis_are_checked(camau_dir: Path, kpis: str, message: str) -> None:
    path = edit_toml(camau_dir, 'kpis = ["online", "digitized", "online_payment"]', f"kpis = {kpis}")
    with pytest.raises(CampaignDefinitionError, match=message):
        read_definition(path)


def test_unknown_levels_are_refused(camau_dir: Path) -> None:
    path = edit_toml(camau_dir, 'levels = ["province", "district", "commune"]', 'levels = ["province", "ward"]')
    with pytest.raises(CampaignDefinitionError, match=r"levels \['ward'\] unknown"):
        read_definition(path)


@pytest.mark.parametrize("table", ["sources.csv"])
def test_a_table_with_only_a_header_is_refused_where_rows_are_needed(camau_dir: Path, table: str) -> None:
    path = camau_dir / table
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=f"{table}: has a header but no rows"):
        load_campaign(camau_dir)


def test_a_statistics_file_with_only_a_header_is_refused(tmp_path: Path, camau_dir: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text("Tên đơn vị,Tỷ lệ hồ sơ trực tuyến (%)\n", encoding="utf-8")
    before = (camau_dir / "sources.csv").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "dvctt", "ingest", str(path), "--campaign", str(camau_dir), "--period", "2023"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "header-only.csv: " in done.stderr and "the file has a header row but no data row under it" in done.stderr
    assert (camau_dir / "sources.csv").read_bytes() == before  # no source recorded for an empty file


def test_beyond_50_problems_in_a_campaign_the_full_list_goes_to_a_file(tmp_path: Path, camau_dir: Path) -> None:
    path = camau_dir / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = [lines[0]] + [line.replace(",ok,", ",okay,", 1) for line in lines[1:]]
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    statistics = tmp_path / "a.csv"
    statistics.write_text("Tên đơn vị,Tỷ lệ hồ sơ trực tuyến (%)\nXã Tân Ân,50\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dvctt", "validate", str(statistics), "--campaign", str(camau_dir), "--period", "2023"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    n = sum(",ok," in line for line in lines)
    assert done.returncode == 1 and "Traceback" not in done.stderr and n > 50
    assert f"... and {n - 50} more" in done.stderr
    full = tmp_path / "dvctt-validate-problems.txt"
    assert f"full list: {full}" in done.stderr
    listed = full.read_text(encoding="utf-8").splitlines()
    assert len(listed) == n and all("observations.csv, row " in line and "'okay'" in line for line in listed)
