"""The tidy index table and its analysis: ranks, printed-rank notes, points lost, change, threshold groups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from index766_synthetic import LOCAL, synthetic_export

from dvctt.errors import DataValidationError, ParameterError
from dvctt.service_index import analysis as ix
from dvctt.service_index.formats.export2025 import read_index_exports
from dvctt.service_index.store import SCORES_FILE, SOURCES_FILE, load_index, save_index, to_tidy

REAL = Path(__file__).parents[1] / "fixtures" / "index766" / "bao_cao_766_tinh_2025.xlsx"


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return to_tidy(read_index_exports([REAL], period="2025-ytd"))


def test_camau_is_4th_of_34_with_its_points_lost(real):
    ranked = ix.rank_units(ix.unit_totals(real))
    camau = ranked.set_index("unit_code").loc["H12"]
    assert (camau["total"], camau["rank"], camau["n_peers"]) == (89.91, 4, 34)
    lost = ix.points_lost(real)
    lost = lost[lost["unit_code"] == "H12"].set_index("component")["points_lost"].to_dict()
    assert lost == {"CKMB": 1.81, "TDGQ": 1.37, "MDSH": 2.51, "CLGQ": 3.85, "TTTT": 0.49, "MDHL": 0.06}
    weakest = ix.weakest_components(real).set_index("unit_code").loc["H12"]
    assert (weakest["weakest"], weakest["weakest_lost"]) == ("CLGQ", 3.85)


def test_ties_share_a_rank_and_the_printed_rank_is_noted(real):
    ranked = ix.rank_units(ix.unit_totals(real)).set_index("unit_code")
    assert ranked.loc[["H57", "H14"], "rank"].tolist() == [25, 25]  # Huế and Cao Bằng, both 84.70
    assert ranked.loc["H61", "rank"] == 27
    notes = ix.printed_order_notes(ranked.reset_index())
    assert notes[["unit_code", "printed_rank", "rank", "note"]].values.tolist() == [["H14", "26", 25, "tie"]]


def test_printed_order_that_contradicts_totals_and_offsets():
    totals = pd.DataFrame({
        "unit_code": ["A", "B", "C", "D"], "unit_name": list("ABCD"), "level": "province", "province_code": "",
        "period": "2025-10", "total": [90.0, 91.0, 80.0, 70.0], "printed_rank": ["1", "2", "4", "x"],
    })  # fmt: skip
    notes = ix.printed_order_notes(ix.rank_units(totals)).set_index("unit_code")["note"].to_dict()
    assert notes == {"A": "order", "B": "order", "C": "offset", "D": "not_a_number"}


def test_scores_table_has_the_published_columns(real):
    table = ix.scores_table(real, ix.rank_units(ix.unit_totals(real)))
    assert list(table.columns) == list(ix.SCORES_COLUMNS) and len(table) == 34 * 6
    row = table[(table["unit_code"] == "H12") & (table["component"] == "MDSH")].iloc[0]
    assert (row["score"], row["max_points"], row["points_lost"], row["rank"], row["n_peers"]) == (
        19.49,
        22,
        2.51,
        4,
        34,
    )


def test_threshold_groups_on_a_synthetic_province(tmp_path):
    tidy = to_tidy(read_index_exports([synthetic_export(tmp_path / "syn.xlsx", LOCAL)], period="2025-10"))
    ranked = ix.threshold_groups(ix.rank_units(ix.unit_totals(tidy)))
    groups = ranked.set_index("unit_name")[["level", "rank", "n_peers", "group"]]
    assert groups.loc["Sở Xây dựng"].tolist() == ["agency", 3, 3, "urgent"]  # 79.99 < 80
    assert groups.loc["UBND xã Năm Căn"].tolist() == ["commune", 4, 5, "attention"]  # 80 is not under 80
    assert groups.loc["UBND xã Đất Mũi"].tolist() == ["commune", 2, 5, "attention"]
    assert groups.loc["UBND xã Tân Ân"].tolist() == ["commune", 2, 5, "attention"]  # tie at 88
    assert groups.loc["UBND phường An Xuyên", "group"] == "ok"
    assert ranked.groupby("group").size().to_dict() == {"attention": 4, "ok": 2, "urgent": 2}
    custom = ix.threshold_groups(ix.rank_units(ix.unit_totals(tidy)), thresholds=(90, 73))
    assert custom.groupby("group").size().to_dict() == {"attention": 5, "ok": 2, "urgent": 1}
    assert ix.children(ranked, "H12", "2025-10")["unit_code"].tolist()[:3] == ["H12.10", "H12.11", "H12.12"]


def test_months_accumulate_idempotently_and_change_is_within_a_year(tmp_path):
    folder = tmp_path / "index"
    sept = synthetic_export(tmp_path / "t9.xlsx", LOCAL, title="SYNTHETIC Tháng 9/2025")
    octo = synthetic_export(
        tmp_path / "t10.xlsx", [(c, n, round(t - 1.5, 2)) for c, n, t in LOCAL], "SYNTHETIC Tháng 10/2025"
    )
    first = save_index(folder, read_index_exports([sept]), [sept])
    assert (first.added, first.replaced, first.unchanged) == (8, 0, 0)
    before = (folder / SCORES_FILE).read_bytes()
    again = save_index(folder, read_index_exports([sept]), [sept])
    assert (again.added, again.unchanged) == (0, 8) and (folder / SCORES_FILE).read_bytes() == before
    save_index(folder, read_index_exports([octo]), [octo])
    tidy = load_index(folder)
    assert len(tidy) == 2 * 8 * 6 and sorted(tidy["period"].unique()) == ["2025-09", "2025-10"]
    assert len(pd.read_csv(folder / SOURCES_FILE)) == 2
    changed = ix.change_since_previous(ix.rank_units(ix.unit_totals(tidy))).set_index(["unit_code", "period"])
    assert changed.loc[("H12.205", "2025-10"), ["previous_period", "total_change", "rank_change"]].tolist() == [
        "2025-09", -1.5, 0,
    ]  # fmt: skip
    assert pd.isna(changed.loc[("H12.205", "2025-09"), "previous_period"])


def test_a_conflicting_export_is_refused_unless_replace(tmp_path):
    folder = tmp_path / "index"
    one = synthetic_export(tmp_path / "a.xlsx", LOCAL, title="SYNTHETIC Tháng 9/2025")
    other = synthetic_export(tmp_path / "b.xlsx", [(c, n, t - 1) for c, n, t in LOCAL[:2]], "SYNTHETIC Tháng 9/2025")
    save_index(folder, read_index_exports([one]), [one])
    before = (folder / SCORES_FILE).read_bytes()
    with pytest.raises(DataValidationError, match="already in the index from a.xlsx"):
        save_index(folder, read_index_exports([other]), [other])
    assert (folder / SCORES_FILE).read_bytes() == before
    summary = save_index(folder, read_index_exports([other]), [other], replace=True)
    assert summary.replaced == 2 and len(load_index(folder)) == 8 * 6


def test_years_are_never_chained():
    assert ix.previous_periods(["2025-12", "2026-01", "2026-02", "2025-q4", "2026-q1"]) == {
        "2025-12": None, "2026-01": None, "2026-02": "2026-01", "2025-q4": None, "2026-q1": None,
    }  # fmt: skip


def test_scope_by_code_or_name(real):
    totals = ix.unit_totals(real)
    assert ix.resolve_scope(totals, "h12") == "H12"
    assert ix.resolve_scope(totals, "Ca Mau") == "H12"
    with pytest.raises(ParameterError, match="34 provinces"):
        ix.resolve_scope(totals, None)
    with pytest.raises(ParameterError, match="H56"):
        ix.resolve_scope(totals, "Thanh")  # Thanh Hóa, Thành phố …: several
