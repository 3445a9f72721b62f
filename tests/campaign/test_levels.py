"""Levels are data: a two-tier campaign (provincial agencies and communes) works with no district anywhere."""

from __future__ import annotations

import pytest
from conftest import TINY_FILES, TWO_TIER_FILES, write_campaign

from dvctt.campaign.levels import child_level, parent_level
from dvctt.campaign.loading import load_campaign
from dvctt.errors import CampaignDefinitionError, DataValidationError
from dvctt.report.data import build_report_data


def test_parent_and_child_levels_follow_the_declared_list():
    assert parent_level(("province", "district", "commune"), "commune") == "district"
    assert parent_level(("province", "district", "commune"), "district") is None
    assert parent_level(("province", "commune"), "commune") is None
    assert parent_level(("province", "commune"), "province") is None
    assert child_level(("province", "district", "commune"), "district") == "commune"
    assert child_level(("province", "commune"), "commune") is None
    assert child_level(("province", "commune"), "province") is None


def test_a_two_tier_campaign_pools_the_whole_province(two_tier_campaign):
    data = build_report_data(two_tier_campaign)
    assert data.levels == ("province", "commune")
    pooled = data.level_summary.set_index(["level", "kpi", "aggregation"])
    row = pooled.loc[("all", "online", "pooled")]
    # (90 + 30 + 48 + 20) / (100 + 50 + 60 + 40) = 188 / 250
    assert row["result"] == pytest.approx(75.2)
    assert row["baseline"] == pytest.approx(80 / 250 * 100)
    assert row["result_source"] == "computed: pooled counts of 2 levels"
    assert set(data.level_summary["level"]) == {"province", "commune", "all"}
    assert set(data.coverage["level"]) == {"province", "commune"}
    consistent = data.reconciliation.query("level == 'all' and method == 'sum_of_levels'")
    assert consistent.empty  # no level headline counts printed: nothing to sum


def test_a_commune_of_a_two_tier_campaign_hangs_under_the_province(tmp_path):
    units = TWO_TIER_FILES["units.csv"].replace("90102,commune,99,", "90102,commune,901,")
    folder = write_campaign(tmp_path / "c", {**TWO_TIER_FILES, "units.csv": units})
    with pytest.raises(DataValidationError) as caught:
        load_campaign(folder)
    assert "units.csv, row 5, column 'parent_code': value '901': must be the province code 99" in str(caught.value)


def test_a_unit_of_an_undeclared_level_is_named(tmp_path):
    units = TWO_TIER_FILES["units.csv"] + "        901,district,99,Huyện Một,Huyện Một,synthetic,1,test,,\n"
    folder = write_campaign(tmp_path / "c", {**TWO_TIER_FILES, "units.csv": units})
    with pytest.raises(DataValidationError) as caught:
        load_campaign(folder)
    assert "units.csv, row 6, column 'level': value 'district': unknown level (not in campaign.toml levels)" in str(
        caught.value
    )


def test_old_campaigns_without_levels_keep_three(tmp_path):
    toml = TINY_FILES["campaign.toml"].replace('levels = ["province", "district", "commune"]\n', "")
    campaign = load_campaign(write_campaign(tmp_path / "c", {"campaign.toml": toml}))
    assert campaign.definition.levels == ("province", "district", "commune")


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ('["province", "ward"]', r"levels \['ward'\] unknown"),
        ('["commune", "province"]', "must run top to bottom"),
        ("[]", "non-empty list"),
    ],
)
def test_bad_levels_are_refused_with_the_key(tmp_path, levels, message):
    toml = TINY_FILES["campaign.toml"].replace('["province", "district", "commune"]', levels)
    with pytest.raises(CampaignDefinitionError, match=message):
        load_campaign(write_campaign(tmp_path / "c", {"campaign.toml": toml}))
