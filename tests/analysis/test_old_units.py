"""Old units → new units through the code list's converter (never code alone, never spelling), and the Cà Mau 2022
appendix set beside the 64 new communes only where that is honest."""

from __future__ import annotations

import pandas as pd
import pytest
from old_unit_campaign import write_case_c

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


def test_a_two_tier_campaign_with_the_2022_appendix_as_old_unit_baseline(tmp_path, capsys):
    """Case (c): the new Cà Mau's communes with the 2022 appendix (old units) as baseline, through the mapping."""
    from dvctt.cli import main as cli
    from dvctt.report import quality_sections
    from dvctt.report.data import build_report_data, build_report_tables

    folder = tmp_path / "camau-moi"
    old = write_case_c(folder)
    assert old["unit_code"].nunique() == 100 and cli.main(["check", str(folder)]) == 0
    camau = load_campaign("camau-2023")
    everything = camau.observations[camau.observations["period"] == "2022"]
    everything.to_csv(folder / "old_observations.csv", index=False)
    assert cli.main(["check", str(folder)]) == 1  # agencies and districts are no old commune of the code list
    old.to_csv(folder / "old_observations.csv", index=False)

    data = build_report_data(folder, "2025")  # no figures yet for the new units: the baseline is the point
    base = data.unit_summary.set_index(["unit_name", "kpi"])["baseline"]
    assert base[("Xã Hồ Thị Kỷ", "online")] == old.query("unit_code == '32092' and kpi == 'online'")["rate"].item()
    assert pd.isna(base[("Phường Tân Thành", "online")])  # split old wards: not comparable
    assert pd.isna(base[("Xã Vĩnh Mỹ", "online")])  # never old 31918's figure through the shared code
    tables = build_report_tables(data)
    assert len(tables["old_to_new"]) == 186 and int(tables["old_to_new"]["used_for_pooling"].sum()) == 1
    html = quality_sections.coverage(data, "vi").data
    assert "Kỳ cơ sở (Năm 2022) được ghi theo đơn vị hành chính cũ" in html
    assert "không so sánh được: 63 vì có đơn vị cũ bị chia tách" in html  # 21 new units × 3 KPIs
    assert "Phường Tân Thành" in html and "Phường 6 (32017)" in html
    err = capsys.readouterr().err
    assert "old_observations.csv, row 2, column 'unit_code': value '96.A01': not an old unit" in err
