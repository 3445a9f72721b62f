"""Old units → new units through the code list's converter (never code alone, never spelling), and the Cà Mau 2022
appendix set beside the 64 new communes only where that is honest."""

from __future__ import annotations

import pandas as pd
import pytest

from dvctt.analysis.old_units import mapping_summary, mapping_table, pool_into_new_units
from dvctt.campaign.loading import load_campaign
from dvctt.ingest.old_units import old_to_new


@pytest.fixture(scope="module")
def mapping() -> pd.DataFrame:
    return old_to_new("96")


def test_the_new_ca_mau_maps_164_old_units_19_of_them_split(mapping):
    assert mapping["old_code"].nunique() == 164  # old Cà Mau 100 + old Bạc Liêu 64 (facts.md)
    assert mapping.loc[mapping["split"], "old_code"].nunique() == 19
    assert mapping["new_code"].nunique() == 64
    assert set(mapping["old_province"]) == {"Tỉnh Cà Mau", "Tỉnh Bạc Liêu"}


def test_a_reused_code_is_not_a_join_key(mapping):
    vinh_my = mapping[mapping["new_code"] == "31918"]
    assert vinh_my["new_name"].unique().tolist() == ["Xã Vĩnh Mỹ"]
    # new Xã Vĩnh Mỹ keeps old Xã Vĩnh Bình's code but is three old communes
    assert dict(zip(vinh_my["old_code"], vinh_my["old_name"], strict=True)) == {
        "31915": "Xã Minh Diệu", "31918": "Xã Vĩnh Bình", "31924": "Xã Vĩnh Mỹ B",
    }  # fmt: skip


def _old(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["old_code", "kpi", "numerator", "denominator", "rate", "status"])


def test_pooling_needs_every_part_with_counts_and_no_split():
    mapping = pd.DataFrame(
        [("1", "A", "N1", False), ("2", "B", "N1", False), ("3", "C", "N2", False), ("4", "D", "N3", True),
         ("5", "E", "N4", False), ("6", "F", "N4", False)],
        columns=["old_code", "old_name", "new_code", "split"],
    ).assign(new_name=lambda f: "Xã " + f["new_code"])  # fmt: skip
    old = _old([("1", "online", 30, 100, 30.0, "ok"), ("2", "online", 10, 50, 20.0, "ok"),
                ("3", "online", None, None, 55.5, "ok"), ("4", "online", 5, 10, 50.0, "ok"),
                ("5", "online", None, None, 40.0, "ok"), ("6", "online", None, None, 60.0, "ok")])  # fmt: skip
    pooled = pool_into_new_units(mapping, old, ["online"]).set_index("new_code")
    assert pooled.loc["N1", "rate"] == pytest.approx(40 / 150 * 100) and pooled.loc["N1", "method"] == "pooled"
    assert pooled.loc["N2", "rate"] == 55.5 and pooled.loc["N2", "method"] == "single"
    assert not pooled.loc["N3", "comparable"] and pooled.loc["N3", "reason"] == "split"
    assert not pooled.loc["N4", "comparable"] and pooled.loc["N4", "reason"] == "no_counts"  # never a mean of rates
    assert pd.isna(pooled.loc["N4", "rate"])
    table = mapping_table(mapping, pooled.reset_index())
    assert table.set_index("old_code")["used_for_pooling"].to_dict() == {
        "1": True, "2": True, "3": True, "4": False, "5": False, "6": False,
    }  # fmt: skip


def test_the_2022_appendix_beside_the_new_communes(mapping):
    camau = load_campaign("camau-2023")
    old = camau.observations[camau.observations["period"] == "2022"].rename(columns={"unit_code": "old_code"})
    pooled = pool_into_new_units(mapping, old, ["online"])
    assert len(pooled) == 64
    assert mapping_summary(pooled) == {"pooled": 0, "single": 1, "split": 21, "no_counts": 17, "missing": 25}
    by_name = pooled.set_index("new_name")
    # the one new commune that is exactly one old, unsplit commune keeps its 2022 rate
    assert by_name.loc["Xã Hồ Thị Kỷ", "rate"] == old.query("old_code == '32092' and kpi == 'online'")["rate"].item()
    # a new ward made of split old wards is not comparable, and its old parts are listed
    tan_thanh = by_name.loc["Phường Tân Thành"]
    assert not tan_thanh["comparable"] and tan_thanh["reason"] == "split" and tan_thanh["n_parts"] == 7
    assert "32017" in tan_thanh["old_codes"].split(";")
    # old Bạc Liêu communes have no 2022 figure here: their new units stay without a baseline
    assert not by_name.loc["Xã Vĩnh Mỹ", "comparable"] and by_name.loc["Xã Vĩnh Mỹ", "reason"] == "missing"
    assert pooled.loc[~pooled["comparable"], "rate"].isna().all()
