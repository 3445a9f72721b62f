"""Shared fixtures: a tiny but complete campaign folder written from text, so tests can break it on purpose."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from dvctt import paths

TINY_FILES = {
    "campaign.toml": """
        id = "tiny"
        synthetic = true
        province_code = "99"
        baseline_period = "2022"
        default_period = "2023"
        target_set = "campaign"
        kpis = ["online", "online_payment"]
        levels = ["province", "district", "commune"]

        [name]
        vi = "Chiến dịch thử nghiệm"
        en = "Test campaign"

        [plan]
        number = "1/KH-TEST"

        [[periods]]
        id = "2022"
        kind = "baseline"
        start = "2022-01-01"
        end = "2022-12-31"
        label_vi = "Năm 2022"
        label_en = "Year 2022"

        [[periods]]
        id = "2023"
        kind = "campaign"
        start = "2023-03-01"
        end = "2023-05-09"
        label_vi = "Chiến dịch 2023"
        label_en = "2023 campaign"
    """,
    "sources.csv": """
        source_id,file,title,publisher,published,note
        test,,Tài liệu thử nghiệm,,,
    """,
    "units.csv": """
        unit_code,level,parent_code,official_name,published_name,code_source,appendix_row,source_id,source_section,note
        99.A01,province,99,Sở Một,Sở Một,synthetic,1,test,,
        99.A02,province,99,Sở Hai,Sở Hai,synthetic,2,test,,
        901,district,99,Huyện Một,UBND huyện Một,synthetic,1,test,,
        90101,commune,901,Xã Một,UBND xã Một,synthetic,1,test,,
        90102,commune,901,Xã Hai,UBND xã Hai,synthetic,2,test,,
    """,
    "observations.csv": """
        unit_code,period,kpi,numerator,denominator,rate,status,printed,source_id,source_section,note
        99.A01,2022,online,40,100,40.0,ok,40%,test,,
        99.A02,2022,online,10,50,20.0,ok,20%,test,,
        99.A01,2022,online_payment,,,0,ok,0%,test,,
        99.A02,2022,online_payment,,,,not_applicable,,test,,no fee-bearing procedures
        901,2022,online,,,30.5,ok,"30,5%",test,,
        901,2022,online_payment,,,1.5,ok,1.5%,test,,
        90101,2022,online,,,50,ok,50%,test,,
        90102,2022,online,,,0,ok,0%,test,,
        90101,2022,online_payment,,,0,ok,0%,test,,
        90102,2022,online_payment,,,0,ok,0%,test,,
        99.A01,2023,online,90,100,90.0,ok,90%,test,,
        99.A02,2023,online,30,50,60.0,ok,60%,test,,
        901,2023,online,,,75,ok,75%,test,,
        90101,2023,online,,,80,ok,80%,test,,
    """,
    "targets.csv": """
        target_set,level,kpi,target,source_id,source_section,note
        campaign,province,online,80,test,,
        campaign,district,online,70,test,,
        campaign,commune,online,60,test,,
        campaign,province,online_payment,40,test,,
        campaign,district,online_payment,35,test,,
        campaign,commune,online_payment,30,test,,
    """,
    "reported_totals.csv": """
        level,unit_code,period,kpi,measure,numerator,denominator,value,printed,headline,source_id,source_section,note
        province,,2022,online,rate,50,150,33.33,"33,33%",true,test,,
        all,,2022,online,rate,,,35,35%,true,test,,
        district,,2023,online,rate,,,75,75%,true,test,,
    """,
}


# The same province after July 2025: two tiers (provincial agencies and communes), no district anywhere, every
# unit with dossier counts in both periods so the whole-province pooled rate can be computed.
TWO_TIER_FILES = {
    **TINY_FILES,
    "campaign.toml": TINY_FILES["campaign.toml"]
    .replace('id = "tiny"', 'id = "tiny-two-tier"')
    .replace('levels = ["province", "district", "commune"]', 'levels = ["province", "commune"]'),
    "units.csv": """
        unit_code,level,parent_code,official_name,published_name,code_source,appendix_row,source_id,source_section,note
        99.A01,province,99,Sở Một,Sở Một,synthetic,1,test,,
        99.A02,province,99,Sở Hai,Sở Hai,synthetic,2,test,,
        90101,commune,99,Xã Một,UBND xã Một,synthetic,1,test,,
        90102,commune,99,Phường Hai,UBND phường Hai,synthetic,2,test,,
    """,
    "observations.csv": """
        unit_code,period,kpi,numerator,denominator,rate,status,printed,source_id,source_section,note
        99.A01,2022,online,40,100,40.0,ok,40%,test,,
        99.A02,2022,online,10,50,20.0,ok,20%,test,,
        90101,2022,online,30,60,50.0,ok,50%,test,,
        90102,2022,online,0,40,0.0,ok,0%,test,,
        99.A01,2023,online,90,100,90.0,ok,90%,test,,
        99.A02,2023,online,30,50,60.0,ok,60%,test,,
        90101,2023,online,48,60,80.0,ok,80%,test,,
        90102,2023,online,20,40,50.0,ok,50%,test,,
    """,
    "targets.csv": """
        target_set,level,kpi,target,source_id,source_section,note
        campaign,province,online,80,test,,
        campaign,commune,online,60,test,,
    """,
    "reported_totals.csv": """
        level,unit_code,period,kpi,measure,numerator,denominator,value,printed,headline,source_id,source_section,note
        all,,2023,online,rate,,,75,75%,true,test,,
    """,
}


def write_campaign(folder: Path, overrides: dict[str, str] | None = None) -> Path:
    """Write the tiny campaign (optionally with some files replaced) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {**TINY_FILES, **(overrides or {})}.items():
        (folder / name).write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_campaign(tmp_path: Path) -> Path:
    return write_campaign(tmp_path / "tiny")


@pytest.fixture
def two_tier_campaign(tmp_path: Path) -> Path:
    return write_campaign(tmp_path / "two-tier", TWO_TIER_FILES)


@pytest.fixture
def seeds_dir() -> Path:
    """The source documents; required in CI, optional on an analyst's machine without ../shared."""
    if not paths.SEEDS_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed documents at {paths.SEEDS_DIR}")
        pytest.skip(f"seed documents not found at {paths.SEEDS_DIR} (only CI requires them)")
    return paths.SEEDS_DIR
