"""Snapshots (issue 21 item 3) and ranks among what is comparable (item 4), on the real 2026 answers.

A snapshot is a period as of a day: year to date 2026 as of 02/10 and as of 10/10 are two snapshots of
``2026-ytd-10``, both kept in the index folder, the change between them measured; a snapshot of 17/09 is
"lũy kế đến ngày 17/09/2026", never "đến hết tháng 9"; a unit with no peer in its snapshot gets no rank.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from portal2026_frames import AN_GIANG, GIA_LAI, GIA_LAI_BUNDLE, GIA_LAI_FEB, NATIONAL, service_results

from dvctt.errors import DataValidationError, ParameterError
from dvctt.service_index import analysis as ix
from dvctt.service_index.definition import parse_period, snapshot_file_id
from dvctt.service_index.store import SCORES_FILE, load_index, save_index, to_tidy
from dvctt.service_index.words import period_label

SEPT_17, OCT_02, OCT_10 = date(2026, 9, 17), date(2026, 10, 2), date(2026, 10, 10)


def _ranked(*frames: pd.DataFrame) -> pd.DataFrame:
    tidy = to_tidy(pd.concat(frames, ignore_index=True))
    return ix.change_since_previous(ix.rank_units(ix.unit_totals(tidy)))


def test_the_national_answer_ranks_an_giang_24th_of_34_as_of_17_09():
    ranked = _ranked(service_results(NATIONAL, "2026-ytd", SEPT_17)).set_index("unit_code")
    an_giang = ranked.loc["H01"]
    assert (an_giang["total"], an_giang["rank"], an_giang["n_peers"]) == (60.35, 24, 34)
    assert (an_giang["period"], an_giang["as_of"], an_giang["snapshot"]) == (
        "2026-ytd-09", "2026-09-17", "2026-ytd-09@2026-09-17",
    )  # fmt: skip
    assert ranked.loc["H20", ["total", "rank"]].tolist() == [68.32, 1]  # Đồng Tháp, the top province
    assert period_label(an_giang["snapshot"], "vi") == "Lũy kế đến ngày 17/09/2026"
    assert period_label(an_giang["snapshot"], "en") == "Year to date as of 17/09/2026"
    assert "đến hết" not in period_label(an_giang["snapshot"], "vi")
    assert ix.previous_reason(an_giang) == "first"  # no earlier snapshot of the year to date in 2026


def test_snapshot_identity_and_labels():
    ytd = parse_period("2026-ytd", OCT_10)
    assert (ytd.id, ytd.snapshot, ytd.final) == ("2026-ytd-10", "2026-ytd-10@2026-10-10", False)
    assert parse_period("2026-ytd-10@2026-10-02").snapshot == "2026-ytd-10@2026-10-02"
    assert parse_period(snapshot_file_id("2026-ytd-10@2026-10-02")) == parse_period("2026-ytd-10@2026-10-02")
    assert parse_period("2026-ytd@2026-10-10") == ytd  # the formats' "2026-ytd" stored with its day
    assert period_label("2026-ytd-10@2026-10-10", "vi") == "Lũy kế đến ngày 10/10/2026"
    assert period_label("2026-ytd-09", "vi") == "Lũy kế năm 2026 đến hết tháng 9"  # a closed month's figure
    mid = parse_period("2026-10", date(2026, 10, 15))
    assert (mid.snapshot, mid.final) == ("2026-10@2026-10-15", False)
    assert period_label(mid.snapshot, "vi") == "Tháng 10/2026, tạm tính đến 15/10/2026"
    closed = parse_period("2026-02", date(2026, 9, 23))  # February fetched in September: the month's final figure
    assert closed.final and period_label(closed.snapshot, "vi") == "Tháng 2/2026 (số liệu ngày 23/09/2026)"
    assert parse_period("2026-02").final and period_label("2026-02", "vi") == "Tháng 2/2026"
    assert period_label("2025-ytd", "vi") == "Lũy kế năm 2025 (tệp không ghi ngày chốt)"
    with pytest.raises(ParameterError, match="not a date"):
        parse_period("2026-ytd@2026-13-01")
    with pytest.raises(ParameterError, match="lies before period 2026-10"):
        parse_period("2026-10", date(2026, 9, 30))


def test_two_snapshots_of_one_period_are_both_kept_with_the_change_between_them(tmp_path):
    """Gia Lai's year to date as of 02/10/2026 (the component bundle's own service-results) and the year answer
    saved as of 10/10/2026 (its date is not in the answer: the analyst states it, as ``--as-of`` does)."""
    folder = tmp_path / "index"
    early = service_results(GIA_LAI_BUNDLE, "2026-ytd", OCT_02, key="SERVICE_RESULTS")
    late = service_results(GIA_LAI, "2026-ytd", OCT_10)
    first = save_index(folder, early, [GIA_LAI_BUNDLE])
    second = save_index(folder, late, [GIA_LAI])  # no --replace needed: another snapshot
    assert (first.added, second.added, second.replaced) == (149, 149, 0)
    assert second.snapshots == ("2026-ytd-10@2026-10-10",)
    tidy = load_index(folder)
    assert len(tidy) == 2 * 149 * 6 and set(tidy["period"]) == {"2026-ytd-10"}
    assert sorted(set(tidy["as_of"])) == ["2026-10-02", "2026-10-10"]
    assert tidy["score"].isna().all()  # a province's answer gives totals only: components missing, never 0
    ranked = ix.change_since_previous(ix.rank_units(ix.unit_totals(tidy)))
    ranked = ranked.set_index(["unit_code", "as_of"])
    culture = ranked.loc[("H21.17", "2026-10-10")]  # Sở Văn hóa, Thể thao và Du lịch: 79,07 → 79,16
    assert culture["previous_snapshot"] == "2026-ytd-10@2026-10-02" and culture["previous_as_of"] == "2026-10-02"
    assert culture["total_change"] == pytest.approx(0.09) and (culture["rank"], culture["n_peers"]) == (1, 14)
    assert culture["rank_change"] == 0
    pleiku = ranked.loc[("H21.106", "2026-10-10")]  # phường Pleiku among the 135 communes
    before = ranked.loc[("H21.106", "2026-10-02")]
    assert pleiku["rank_change"] == before["rank"] - pleiku["rank"]
    assert pleiku["total_change"] == pytest.approx(pleiku["total"] - before["total"])
    assert (ranked.xs("2026-10-10", level="as_of")["total_change"] != 0).sum() == 146  # 146 of 149 moved
    assert ranked.xs("2026-10-02", level="as_of")["previous_snapshot"].isna().all()


def test_saving_a_snapshot_again_changes_nothing_and_replace_replaces_only_that_snapshot(tmp_path):
    folder = tmp_path / "index"
    early = service_results(GIA_LAI_BUNDLE, "2026-ytd", OCT_02, key="SERVICE_RESULTS")
    late = service_results(GIA_LAI, "2026-ytd", OCT_10)
    save_index(folder, early, [GIA_LAI_BUNDLE])
    save_index(folder, late, [GIA_LAI])
    before = (folder / SCORES_FILE).read_bytes()
    again = save_index(folder, late, [GIA_LAI])
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 149)
    assert (folder / SCORES_FILE).read_bytes() == before
    # the bundle's figures said to be of 10/10 too: another file's figures for the same snapshot
    clash = service_results(GIA_LAI_BUNDLE, "2026-ytd", OCT_10, key="SERVICE_RESULTS")
    with pytest.raises(DataValidationError, match="as of 2026-10-10 of this unit is already in the index from "
                       "service-results_H21_GiaLai_year2026.json"):  # fmt: skip
        save_index(folder, clash, [GIA_LAI_BUNDLE])
    assert (folder / SCORES_FILE).read_bytes() == before
    replaced = save_index(folder, clash, [GIA_LAI_BUNDLE], replace=True)
    assert (replaced.added, replaced.replaced, replaced.unchanged) == (0, 149, 0)  # another file: all replaced
    tidy = load_index(folder).drop_duplicates(["unit_code", "as_of"]).set_index(["unit_code", "as_of"])["total"]
    assert len(tidy) == 2 * 149  # the snapshot of 02/10 is still there
    assert tidy[("H21.17", "2026-10-02")] == 79.07 and tidy[("H21.17", "2026-10-10")] == 79.07


def test_the_previous_snapshot_is_of_the_same_kind_and_year():
    assert ix.previous_snapshots(
        ["2026-ytd-09@2026-09-17", "2026-ytd-10@2026-10-02", "2026-ytd-10@2026-10-10", "2026-02", "2026-03@2026-03-10",
         "2026-ytd", "2025-ytd-12@2025-12-31", "2026-ytd-01@2026-01-20"]
    ) == {
        "2026-ytd-09@2026-09-17": "2026-ytd-01@2026-01-20", "2026-ytd-10@2026-10-02": "2026-ytd-09@2026-09-17",
        "2026-ytd-10@2026-10-10": "2026-ytd-10@2026-10-02", "2026-02": None, "2026-03@2026-03-10": "2026-02",
        "2026-ytd": None, "2025-ytd-12@2025-12-31": None, "2026-ytd-01@2026-01-20": None,
    }  # fmt: skip


def test_a_month_and_a_year_of_one_province_are_ranked_apart():
    """Gia Lai's February 2026 and its year to date: each unit ranked among its level in each snapshot."""
    ranked = _ranked(service_results(GIA_LAI_FEB, "2026-02", None), service_results(GIA_LAI, "2026-ytd-10", OCT_10))
    feb = ranked[ranked["period"] == "2026-02"]
    assert feb.groupby("level")["n_peers"].first().to_dict() == {"agency": 14, "commune": 135}
    pleiku = feb.set_index("unit_code").loc["H21.106"]
    assert (pleiku["total"], pleiku["rank"], pleiku["n_peers"]) == (52.0, 1, 135)
    assert feb["previous_snapshot"].isna().all()  # January is not in the folder


def test_an_giang_units_are_ranked_within_their_level_and_a_province_alone_has_no_rank():
    """An Giang's own answer (around 23/09/2026): 15 agencies and 102 communes ranked among themselves; the
    province's own total (its overview, 60,56) alone in that snapshot: no rank, never "1/1"."""
    ranked = _ranked(service_results(AN_GIANG, "2026-ytd", date(2026, 9, 23), overview=True)).set_index("unit_code")
    assert ranked.groupby("level")["n_peers"].max().dropna().to_dict() == {"agency": 15, "commune": 102}
    assert ranked.loc["H01.189", ["total", "rank"]].tolist() == [70.99, 1]  # xã Đông Hòa, the top commune
    province = ranked.loc["H01"]
    assert province["total"] == 60.56 and pd.isna(province["rank"]) and pd.isna(province["n_peers"])
    assert province["unranked"] == "alone"
    assert ix.printed_order_notes(ranked.reset_index()).empty


def test_an_unranked_province_takes_its_national_rank_from_the_national_answer():
    national = service_results(NATIONAL, "2026-ytd", SEPT_17)
    own = service_results(AN_GIANG, "2026-ytd", date(2026, 9, 23), overview=True)
    ranked = _ranked(national, own)
    later = ranked[(ranked["unit_code"] == "H01") & (ranked["as_of"] == "2026-09-23")].iloc[0]
    assert later["previous_snapshot"] == "2026-ytd-09@2026-09-17"
    assert later["total_change"] == pytest.approx(0.21) and pd.isna(later["rank_change"])  # 60,35 → 60,56
    elsewhere = ix.rank_elsewhere(ranked, "H01", str(later["snapshot"]))
    assert elsewhere is not None and (elsewhere["rank"], elsewhere["n_peers"]) == (24, 34)
    assert elsewhere["snapshot"] == "2026-ytd-09@2026-09-17"
    assert ix.rank_elsewhere(ranked, "H01", "2026-ytd-09@2026-09-17") is None  # ranked there already
