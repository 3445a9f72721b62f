"""Bands that fit the year's scale (issue 21 item 5) and the report data of a snapshot (items 3, 4), on the real
2026 answers and the 2025 export.

2025: 80/90, the bands of the 2025 scale. 2026 is re-based (the 34 provinces' median 61,50 as of 17/09/2026;
2025: 86,27), so 80/90 would put all 14 of Gia Lai's agencies under "cần cải thiện gấp": the bands come from
``index.toml`` ([bands.2026]), else from the snapshot, and the report says which and why.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from portal2026_frames import AN_GIANG, GIA_LAI, NATIONAL, service_results

from dvctt.errors import ParameterError
from dvctt.service_index import analysis as ix
from dvctt.service_index import sections as section
from dvctt.service_index.bands import read_band_config
from dvctt.service_index.formats.export2025 import read_index_exports
from dvctt.service_index.store import save_index

EXPORT_2025 = Path(__file__).parents[1] / "fixtures" / "index766" / "bao_cao_766_tinh_2025.xlsx"


@pytest.fixture(scope="module")
def gia_lai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Gia Lai's year answer saved as of 10/10/2026 (the answer has no date; the analyst states it)."""
    folder = tmp_path_factory.mktemp("gia_lai") / "index"
    save_index(folder, service_results(GIA_LAI, "2026-ytd", date(2026, 10, 10)), [GIA_LAI])
    return folder


@pytest.fixture(scope="module")
def an_giang(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national answer of 17/09/2026 and An Giang's own answer (around 23/09/2026, with its overview total)."""
    folder = tmp_path_factory.mktemp("an_giang") / "index"
    save_index(folder, service_results(NATIONAL, "2026-ytd", date(2026, 9, 17)), [NATIONAL])
    save_index(folder, service_results(AN_GIANG, "2026-ytd", date(2026, 9, 23), overview=True), [AN_GIANG])
    return folder


def _groups(data: section.IndexData, level: str) -> dict[str, int]:
    rows = data.current[data.current["level"] == level]
    return rows.groupby("group").size().to_dict()


def test_2025_keeps_the_80_90_bands_of_its_scale_and_its_figures():
    data = section.build_index_data("index-766", "H01")
    # the real export: An Giang 87,80 points, 10th of 34 (ROW_STT 10; Gia Lai is 9th with 88,59)
    assert (data.subject["total"], data.subject["rank"], data.subject["n_peers"]) == (87.8, 10, 34)
    assert (data.bands.how, data.thresholds) == ("scale_2025", (80.0, 90.0))
    assert section.bands_text(data, "vi") == (
        "Ngưỡng 2025: dưới 80 điểm «Cần cải thiện gấp», từ 80 đến dưới 90 «Cần chú ý» (ngưỡng của thang điểm "
        "2025); đặt [bands.2025] trong index.toml để thay đổi."
    )
    assert data.previous_reason == "no_date" and data.snapshot == "2025-ytd"
    assert "tệp không ghi ngày chốt số liệu" in section.headline(data, "vi").data


def test_2026_bands_are_drawn_from_the_snapshot_not_80_90(gia_lai):
    data = section.build_index_data(gia_lai, "H21.17")  # Sở Văn hóa, Thể thao và Du lịch, the top agency
    assert (data.bands.how, data.bands.level, data.bands.n, data.thresholds) == (
        "peer_quartile", "agency", 14, (51.63, 62.84),
    )  # fmt: skip
    assert _groups(data, "agency") == {"attention": 3, "ok": 7, "urgent": 4}
    assert ix.threshold_groups(data.current, (80, 90))["group"].eq("urgent").sum() == 149  # what 80/90 would say
    vi = section.bands_text(data, "vi")
    assert "dưới 51,63 điểm (một phần tư thấp nhất của 14 sở, ban, ngành của tỉnh cùng kỳ)" in vi
    assert "không dùng ngưỡng 80/90 của năm 2025" in vi
    assert (data.subject["rank"], data.subject["n_peers"], data.snapshot) == (1, 14, "2026-ytd-10@2026-10-10")
    assert section.title(data, "vi").data.endswith("Kỳ: Lũy kế đến ngày 10/10/2026.</p>")


def test_index_toml_sets_a_years_bands_and_the_command_line_overrides_them(gia_lai):
    (gia_lai / "index.toml").write_text("[bands.2026]\nlow = 60\nhigh = 70\n", encoding="utf-8")
    data = section.build_index_data(gia_lai, "H21.17")
    assert (data.bands.how, data.thresholds) == ("index_toml", (60.0, 70.0))
    assert _groups(data, "agency") == {"ok": 2, "attention": 6, "urgent": 6}
    assert "(đặt trong index.toml của thư mục chỉ số)" in section.bands_text(data, "vi")
    given = section.build_index_data(gia_lai, "H21.17", thresholds=(50.0, None))
    assert (given.bands.how, given.thresholds) == ("command_line", (50.0, 70.0))


def test_bands_that_cannot_be_read_are_refused_naming_file_and_table(tmp_path):
    (tmp_path / "index.toml").write_text("[bands.2026]\nlow = 70\nhigh = 60\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"index.toml, \[bands.2026\]: expected 0 ≤ low ≤ high ≤ 100"):
        read_band_config(tmp_path)
    (tmp_path / "index.toml").write_text('[bands.2026]\nlow = "sixty"\nhigh = 70\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="low and high must both be numbers"):
        read_band_config(tmp_path)


def test_a_province_alone_in_its_own_answer_shows_its_national_rank_and_the_change(an_giang):
    data = section.build_index_data(an_giang, "H01")
    assert data.snapshot == "2026-ytd-09@2026-09-23" and data.previous_snapshot == "2026-ytd-09@2026-09-17"
    assert section.subject_rank_text(data, "vi") == (
        "không xếp hạng: tệp chỉ có một tỉnh; hạng 24/34 (Lũy kế đến ngày 17/09/2026)"
    )
    head = section.headline(data, "vi").data
    assert "1/1" not in head and "+0,21 điểm (Lũy kế đến ngày 17/09/2026)" in head and "60,56/100" in head
    assert "not ranked: the files hold no other province; rank 24 of 34" in section.headline(data, "en").data
    # no province beside it in that snapshot: the bands come from its 102 communes
    assert (data.bands.how, data.bands.level, data.bands.n, data.thresholds) == (
        "peer_quartile", "commune", 102, (65.01, 66.91),
    )  # fmt: skip
    children = ix.children(data.units, "H01", data.snapshot)
    assert children.groupby("level").size().to_dict() == {"agency": 15, "commune": 102}


def test_the_national_snapshot_ranks_and_bands_by_the_provinces_median(an_giang):
    data = section.build_index_data(an_giang, "H01", "2026-ytd-09@2026-09-17")
    assert (data.subject["total"], data.subject["rank"], data.subject["n_peers"]) == (60.35, 24, 34)
    assert (data.bands.how, data.bands.n, data.thresholds) == ("national_median", 34, (61.5, 63.72))
    assert "dưới 61,50 điểm (trung vị của 34 tỉnh, thành phố cùng kỳ)" in section.bands_text(data, "vi")
    assert data.rank_elsewhere is None and data.previous_reason == "first"
    # An Giang's own answer is of another day: its units are shown with their date, not dropped
    children = section.children(data, "vi").data
    assert "Số liệu sở, ban, ngành và xã, phường: Lũy kế đến ngày 23/09/2026" in children
    assert ix.children(data.units, "H01", data.snapshot)["snapshot"].unique().tolist() == ["2026-ytd-09@2026-09-23"]


def test_two_years_in_one_folder_state_the_2026_rebasing(tmp_path):
    folder = tmp_path / "index"
    save_index(folder, read_index_exports([EXPORT_2025], period="2025-ytd"), [EXPORT_2025])
    save_index(folder, service_results(NATIONAL, "2026-ytd", date(2026, 9, 17)), [NATIONAL])
    data = section.build_index_data(folder, "H01")
    assert data.snapshot == "2026-ytd-09@2026-09-17" and data.previous_reason == "first"  # 2025 is never chained
    assert data.rebasing[["year", "n"]].values.tolist() == [[2025, 34], [2026, 34]]
    assert data.rebasing["median"].tolist() == pytest.approx([86.27, 61.5])
    assert section.rebasing_text(data, "vi") == (
        "Điểm hai năm không đặt trên cùng một thang: Cổng đã tính lại thang điểm năm 2026 (trung vị các tỉnh, "
        "thành phố: khoảng 61,5 điểm năm 2026, Lũy kế đến ngày 17/09/2026, 34 tỉnh; khoảng 86,3 điểm năm 2025, "
        "Lũy kế năm 2025 (tệp không ghi ngày chốt), 34 tỉnh)."
    )
