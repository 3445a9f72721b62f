"""The statistics form "tình hình, kết quả giải quyết TTHC": recognised by its header, KPIs derived with their
counts, its arithmetic checked, per unit and per field, against a copy of Cà Mau 2023.

Every workbook is built here with openpyxl (three-row merged header, as one-stop-shop systems print it); the
shipped campaign is never written.
"""

from __future__ import annotations

import csv
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from conftest import run_dvctt

from dvctt import paths
from dvctt.campaign.definition import Campaign
from dvctt.campaign.loading import load_campaign
from dvctt.errors import IngestError, ParameterError
from dvctt.ingest.save import save_ingest
from dvctt.ingest.statistics import ingest

PERIOD = "2023"  # Cà Mau has no unit figure for the year 2023: every unit is free
SHIPPED = paths.CAMPAIGNS_DIR / "camau-2023"
RECEIVED = "Số hồ sơ nhận giải quyết"
FINISHED, PENDING = "Số lượng hồ sơ đã giải quyết", "Số lượng hồ sơ đang giải quyết"
SYNCED = "Số hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"


def header_columns(label: str = "Đơn vị", *, split: bool = False, synced: bool = False) -> list[tuple]:
    """Each column's header path, top to bottom; None = merged with the cell above."""
    offline = (
        [
            (RECEIVED, "Trong đó", "Số mới tiếp nhận trực tiếp"),
            (RECEIVED, "Trong đó", "Số mới tiếp nhận qua dịch vụ bưu chính"),
        ]
        if split
        else [(RECEIVED, "Trong đó", "Số mới tiếp nhận trực tiếp, dịch vụ bưu chính")]
    )
    return [
        ("STT", None, None),
        (label, None, None),
        (RECEIVED, "Tổng số", None),
        (RECEIVED, "Trong đó", "Số kỳ trước chuyển qua"),
        (RECEIVED, "Trong đó", "Số mới tiếp nhận trực tuyến"),
        *offline,
        *([(SYNCED, None, None)] if synced else []),
        (FINISHED, "Tổng số", None),
        (FINISHED, "Trả đúng thời hạn", "Trả trước hạn"),
        (FINISHED, "Trả đúng thời hạn", "Trả đúng hạn"),
        (FINISHED, "Trả quá hạn", None),
        (PENDING, "Tổng số", None),
        (PENDING, "Trong hạn", None),
        (PENDING, "Quá hạn", None),
    ]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def build_form(
    path: Path,
    rows: list[list[Any]],
    *,
    label: str = "Đơn vị",
    split: bool = False,
    synced: bool = False,
    numbers_row: bool = True,
    accents: bool = True,
    title: str = "Từ ngày 01/3/2023 đến ngày 09/5/2023",
    columns: list[tuple] | None = None,
) -> Path:
    """An .xlsx statistics form: title, three merged header rows, "(1) … (n)", data rows, signature block.
    ``rows`` are [label, count, count, …] (a label alone is a section row)."""
    columns = columns or header_columns(label, split=split, synced=synced)
    if not accents:
        columns = [tuple(fold(t) if t else t for t in c) for c in columns]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 01"
    sheet.cell(1, 1, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    sheet.cell(2, 1, title)
    top = 3
    for level in range(3):
        c = 0
        while c < len(columns):
            text = columns[c][level]
            end = c
            while end + 1 < len(columns) and columns[end + 1][: level + 1] == columns[c][: level + 1]:
                end += 1
            if text is not None:
                sheet.cell(top + level, c + 1, text)
                depth = level
                while depth + 1 < 3 and all(columns[i][depth + 1] is None for i in range(c, end + 1)):
                    depth += 1
                if end > c or depth > level:
                    sheet.merge_cells(
                        start_row=top + level, start_column=c + 1, end_row=top + depth, end_column=end + 1
                    )
            c = end + 1
    row = top + 3
    if numbers_row:
        for i in range(len(columns)):
            sheet.cell(row, i + 1, f"({i + 1})")
        row += 1
    number = 0
    for values in rows:
        if len(values) > 1 and not str(values[0]).startswith(("Tổng", "Cộng")):
            number += 1
            sheet.cell(row, 1, number)
        for i, value in enumerate(values):
            sheet.cell(row, i + 2, value)
        row += 1
    sheet.cell(row + 1, 2, "Người lập biểu")
    book.save(path)
    return path


@pytest.fixture(scope="session")
def camau(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    folder = tmp_path_factory.mktemp("camau-form") / "camau"
    shutil.copytree(SHIPPED, folder)
    return load_campaign(folder)


@pytest.fixture
def camau_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "camau"
    shutil.copytree(SHIPPED, folder)
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('"digitized", "online_payment"]', '"digitized", "online_payment", "on_time", "overdue_pending"]'),
        encoding="utf-8",
    )
    return folder


# (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13); (3) = (4)+(5)+(6) = (7)+(11)
TU_PHAP = [160, 10, 120, 30, 140, 50, 80, 10, 20, 15, 5]
NOI_VU = [52, 2, 20, 30, 50, 10, 40, 0, 2, 2, 0]
DAM_DOI = [1000, 100, 450, 450, 900, 300, 560, 40, 100, 70, 30]
U_MINH = [300, 0, 0, 300, 300, 100, 200, 0, 0, 0, 0]
UNITS = {"96.A04": TU_PHAP, "96.A03": NOI_VU, "970": DAM_DOI, "966": U_MINH}


def total(*rows: list[int]) -> list[int]:
    return [sum(v) for v in zip(*rows, strict=True)]


def by_unit_rows() -> list[list[Any]]:
    return [
        ["I. CẤP TỈNH"],
        ["Sở Tư pháp", *TU_PHAP],
        ["Sở Nội vụ", *NOI_VU],
        ["II. CẤP HUYỆN"],
        ["UBND huyện Đầm Dơi", *DAM_DOI],
        ["UBND huyện U Minh", *U_MINH],
        ["Tổng cộng", *total(TU_PHAP, NOI_VU, DAM_DOI, U_MINH)],
    ]


def figures(result: Any) -> dict[tuple[str, str], tuple]:
    obs = result.observations
    return {(r.unit_code, r.kpi): (r.numerator, r.denominator, r.rate, r.status) for r in obs.itertuples(index=False)}


def expected(counts: list[int]) -> dict[str, tuple]:
    c = dict(zip(range(3, 14), counts, strict=True))
    out = {}
    rules = (("online", c[5], c[5] + c[6]), ("on_time", c[8] + c[9], c[7]), ("overdue_pending", c[13], c[11]))
    for kpi, num, den in rules:
        out[kpi] = (num, den, num / den * 100 if den else None, "ok" if den else "not_applicable")
    return out


def assert_units(result: Any, units: dict[str, list[int]]) -> None:
    got = figures(result)
    for code, counts in units.items():
        for kpi, want in expected(counts).items():
            num, den, rate, status = got[(code, kpi)]
            assert (int(num), int(den), status) == (want[0], want[1], want[3]), (code, kpi)
            if want[2] is None:
                assert pd.isna(rate)
            else:
                assert rate == pytest.approx(want[2], abs=1e-12), (code, kpi)


# ------------------------------------------------------------------------------------------ recognition


def test_per_unit_with_level_sections(tmp_path: Path, camau: Campaign) -> None:
    path = build_form(tmp_path / "bieu.xlsx", by_unit_rows())
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert result.variants == ("bieu.xlsx, sheet Biểu 01: statistics form, 13 columns, by unit",)
    assert_units(result, UNITS)
    got = figures(result)
    assert got[("96.A04", "online")][:3] == (120, 150, 80.0)  # (5) ÷ ((5)+(6)), not 120/160 with the carried over
    assert got[("96.A04", "on_time")][:2] == (130, 140) and got[("96.A04", "overdue_pending")][:3] == (5, 20, 25.0)
    assert got[("966", "online")][:3] == (0, 300, 0.0)  # a real 0%
    assert got[("966", "overdue_pending")][3] == "not_applicable"  # nothing pending: not 0%
    assert len(result.observations) == 12
    counts = result.form_counts.set_index("unit_code")
    received = ["received", "carried_over", "new_online", "new_offline"]
    assert counts.loc["96.A04", received].tolist() == [160, 10, 120, 30]
    assert counts.loc["970", ["finished", "finished_early", "pending_overdue"]].tolist() == [900, 300, 30]
    assert result.form_counts["field"].isna().all()
    totals = result.reported_totals.set_index("kpi")
    grand = total(TU_PHAP, NOI_VU, DAM_DOI, U_MINH)
    online = totals.loc["online", ["level", "numerator", "denominator"]].tolist()
    assert online == ["all", grand[2], grand[2] + grand[3]]
    assert totals.loc["on_time", ["numerator", "denominator"]].tolist() == [grand[5] + grand[6], grand[4]]
    assert not totals["headline"].any()


def test_without_diacritics_unit_label_and_number_row(tmp_path: Path, camau: Campaign) -> None:
    rows = [["Sở Tư pháp", *TU_PHAP], ["UBND huyện Đầm Dơi", *DAM_DOI]]
    path = build_form(tmp_path / "khong-dau.xlsx", rows, label="Tên đơn vị", accents=False, numbers_row=False)
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert result.variants[0].endswith("statistics form, 13 columns, by unit")
    assert_units(result, {"96.A04": TU_PHAP, "970": DAM_DOI})
    assert result.reported_totals.empty


def test_split_in_person_and_postal_and_synced_column(tmp_path: Path, camau: Campaign) -> None:
    # (3) (4) (5) (6a) (6b) synced (7) (8) (9) (10) (11) (12) (13)
    row = [160, 10, 120, 25, 5, 118, 140, 50, 80, 10, 20, 15, 5]
    path = build_form(tmp_path / "tach.xlsx", [["Sở Tư pháp", *row]], split=True, synced=True)
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert result.variants[0].endswith(
        "statistics form, 15 columns, by unit; in person and postal in two columns; "
        "with a column of dossiers synced to the national portal"
    )
    assert_units(result, {"96.A04": TU_PHAP})
    counts = result.form_counts.iloc[0]
    assert (counts["new_in_person"], counts["new_postal"], counts["new_offline"], counts["synced"]) == (25, 5, 30, 118)


def test_csv_without_merges(tmp_path: Path, camau: Campaign) -> None:
    grid = [
        ["STT", "Đơn vị", RECEIVED, "", "", "", FINISHED, "", "", "", PENDING, "", ""],
        ["", "", "Tổng số", "Trong đó", "", "", "Tổng số", "Trả đúng thời hạn", "", "Trả quá hạn"]
        + ["Tổng số", "Trong hạn", "Quá hạn"],
        ["", "", "", "Số kỳ trước chuyển qua", "Số mới tiếp nhận trực tuyến"]
        + ["Số mới tiếp nhận trực tiếp, dịch vụ bưu chính", "", "Trả trước hạn", "Trả đúng hạn", "", "", "", ""],
        [f"({i})" for i in range(1, 14)],
        ["1", "UBND huyện Đầm Dơi", *(f"{v:,}".replace(",", ".") for v in DAM_DOI)],
    ]
    path = tmp_path / "bieu.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(grid)
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert_units(result, {"970": DAM_DOI})  # "1.000" read as a thousand


def test_unknown_column_is_named_never_guessed(tmp_path: Path, camau: Campaign) -> None:
    path = build_form(tmp_path / "la.xlsx", [["Sở Tư pháp", *TU_PHAP]])
    book = openpyxl.load_workbook(path)
    book.active["M4"] = "Hồ sơ bổ sung"  # under "đang giải quyết": names no count of the form
    book.save(path)
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, PERIOD)
    issue = caught.value.issues[0]
    assert issue.rule == "form_unknown_column"
    assert issue.column == "M: Số lượng hồ sơ đang giải quyết / Hồ sơ bổ sung" and issue.row == 5


def test_a_form_row_matched_only_by_spelling_needs_confirmation(tmp_path: Path, camau: Campaign) -> None:
    """Issue 10: the form reader follows the identity rules of every reader (no silent spelling match)."""
    path = build_form(tmp_path / "typo.xlsx", [["Sở Tư pháo", *TU_PHAP], ["Sở Nội vụ", *NOI_VU]])
    result = ingest(path, camau, PERIOD)
    assert set(result.observations["unit_code"]) == {"96.A03"}
    fuzzy = [i for i in result.issues if i.rule == "fuzzy_unit"]
    assert [(i.value, i.params["code"]) for i in fuzzy] == [("Sở Tư pháo", "96.A04")]
    assert "--accept-fuzzy" in fuzzy[0].reason("en")
    confirmed = ingest(path, camau, PERIOD, accept_fuzzy=True)
    assert set(confirmed.observations["unit_code"]) == {"96.A03", "96.A04"}


# ----------------------------------------------------------------------------------------- arithmetic


def test_every_broken_identity_is_reported_and_its_kpis_rejected(tmp_path: Path, camau: Campaign) -> None:
    bad_received = [161, 10, 120, 30, 140, 50, 80, 10, 20, 15, 5]  # (3) ≠ (4)+(5)+(6) and (3) ≠ (7)+(11)
    bad_finished = [1000, 100, 450, 450, 900, 300, 560, 41, 100, 70, 30]  # (7) ≠ (8)+(9)+(10)
    bad_pending = [52, 2, 20, 30, 50, 10, 40, 0, 2, 1, 0]  # (11) ≠ (12)+(13)
    rows = [["Sở Tư pháp", *bad_received], ["UBND huyện Đầm Dơi", *bad_finished], ["Sở Nội vụ", *bad_pending]]
    path = build_form(tmp_path / "sai.xlsx", rows)
    result = ingest(path, camau, PERIOD)
    found = [(i.row, i.rule, i.params["rule"], i.value, i.column) for i in result.issues]
    assert found == [
        (7, "form_sum", "(3) = (4) + (5) + (6)", "161 ≠ 10 + 120 + 30 = 160",
         "C: Số hồ sơ nhận giải quyết / Tổng số; D: Số hồ sơ nhận giải quyết / Trong đó / Số kỳ trước chuyển qua; "
         "E: Số hồ sơ nhận giải quyết / Trong đó / Số mới tiếp nhận trực tuyến; "
         "F: Số hồ sơ nhận giải quyết / Trong đó / Số mới tiếp nhận trực tiếp, dịch vụ bưu chính"),
        (7, "form_sum", "(3) = (7) + (11)", "161 ≠ 140 + 20 = 160",
         "C: Số hồ sơ nhận giải quyết / Tổng số; G: Số lượng hồ sơ đã giải quyết / Tổng số; "
         "K: Số lượng hồ sơ đang giải quyết / Tổng số"),
        (8, "form_sum", "(7) = (8) + (9) + (10)", "900 ≠ 300 + 560 + 41 = 901",
         "G: Số lượng hồ sơ đã giải quyết / Tổng số; "
         "H: Số lượng hồ sơ đã giải quyết / Trả đúng thời hạn / Trả trước hạn; "
         "I: Số lượng hồ sơ đã giải quyết / Trả đúng thời hạn / Trả đúng hạn; "
         "J: Số lượng hồ sơ đã giải quyết / Trả quá hạn"),
        (9, "form_sum", "(11) = (12) + (13)", "2 ≠ 1 + 0 = 1",
         "K: Số lượng hồ sơ đang giải quyết / Tổng số; L: Số lượng hồ sơ đang giải quyết / Trong hạn; "
         "M: Số lượng hồ sơ đang giải quyết / Quá hạn"),
    ]  # fmt: skip
    assert result.issues[0].file == "sai.xlsx" and result.issues[0].sheet == "Biểu 01"
    assert "không nhập chỉ tiêu online" in result.issues[0].reason("vi")
    kept = sorted(figures(result))
    assert kept == [("96.A03", "on_time"), ("96.A03", "online"), ("970", "online"), ("970", "overdue_pending")]
    assert len(result.form_counts) == 3  # the counts are kept as printed


def test_total_row_that_disagrees_is_reported_and_kept_as_a_reported_total(tmp_path: Path, camau: Campaign) -> None:
    printed = total(TU_PHAP, DAM_DOI)
    printed[2] += 5  # (5): 575 printed, the units sum to 570
    printed[0] += 5  # (3) likewise, so the row's own identities still hold
    printed[4] += 5
    printed[5] += 5
    rows = [["Sở Tư pháp", *TU_PHAP], ["UBND huyện Đầm Dơi", *DAM_DOI], ["Tổng cộng", *printed]]
    result = ingest(build_form(tmp_path / "tong.xlsx", rows), camau, PERIOD)
    found = [(i.row, i.rule, i.column, i.value, i.params["total"]) for i in result.issues]
    assert found == [
        (9, "form_total_mismatch", "C: Số hồ sơ nhận giải quyết / Tổng số", "1165", 1160),
        (9, "form_total_mismatch", "E: Số hồ sơ nhận giải quyết / Trong đó / Số mới tiếp nhận trực tuyến", "575", 570),
        (9, "form_total_mismatch", "G: Số lượng hồ sơ đã giải quyết / Tổng số", "1045", 1040),
        (9, "form_total_mismatch", "H: Số lượng hồ sơ đã giải quyết / Trả đúng thời hạn / Trả trước hạn", "355", 350),
    ]
    assert "tổng 2 dòng 7–8 là 1160" in result.issues[0].reason("vi")
    assert_units(result, {"96.A04": TU_PHAP, "970": DAM_DOI})  # the unit rows stand
    totals = result.reported_totals.set_index("kpi")
    assert totals.loc["online", ["level", "numerator", "denominator"]].tolist() == ["all", 575, 1055]
    assert totals.loc["online", "value"] == pytest.approx(575 / 1055 * 100)


# -------------------------------------------------------------------------------------------- by field


FIELDS = {
    "Hộ tịch": [400, 50, 200, 150, 330, 100, 200, 30, 70, 60, 10],
    "Đất đai": [600, 50, 250, 300, 570, 200, 360, 10, 30, 10, 20],
}


def test_per_field_needs_unit_and_gives_the_unit_figures(tmp_path: Path, camau: Campaign) -> None:
    rows = [[name, *counts] for name, counts in FIELDS.items()] + [["Tổng cộng", *total(*FIELDS.values())]]
    path = build_form(tmp_path / "linh-vuc.xlsx", rows, label="Lĩnh vực")
    with pytest.raises(ParameterError, match="--unit"):
        ingest(path, camau, PERIOD)
    result = ingest(path, camau, PERIOD, unit="970")
    assert result.ok, result.issues
    assert result.variants[0].endswith("statistics form, 13 columns, by field")
    assert_units(result, {"970": DAM_DOI})  # the two fields sum to Đầm Dơi's row above
    assert set(result.observations["unit_code"]) == {"970"}
    counts = result.form_counts.set_index("field", drop=False)
    assert counts.loc["Hộ tịch", ["unit_code", "new_online", "pending_overdue"]].tolist() == ["970", 200, 10]
    assert counts["field"].isna().sum() == 1  # plus the unit's own row, the sum of its fields
    totals = result.reported_totals
    assert set(totals["unit_code"]) == {"970"} and set(totals["level"]) == {"district"}
    rows = [['=HYPERLINK("http://x")', *FIELDS["Hộ tịch"]]]
    risky = ingest(build_form(tmp_path / "cong-thuc.xlsx", rows, label="Lĩnh vực"), camau, PERIOD, unit="970")
    assert risky.form_counts["field"].dropna().tolist() == ['\'=HYPERLINK("http://x")']  # safe to open


def test_mixing_units_and_fields_is_refused(tmp_path: Path, camau: Campaign) -> None:
    path = build_form(tmp_path / "tron.xlsx", [["Sở Tư pháp", *TU_PHAP]])
    book = openpyxl.load_workbook(path)
    fields = book.copy_worksheet(book.active)
    fields.title = "Theo lĩnh vực"
    fields["B3"] = "Lĩnh vực"
    fields["B7"] = "Hộ tịch"
    book.save(path)
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, PERIOD, unit="970")
    assert caught.value.issues[0].rule == "form_mixed_sheets"
    assert "Theo lĩnh vực" in caught.value.issues[0].reason("vi") and "Biểu 01" in caught.value.issues[0].reason("vi")
    with pytest.raises(ParameterError, match="--unit applies"):
        ingest(build_form(tmp_path / "don-vi.xlsx", [["Sở Tư pháp", *TU_PHAP]]), camau, PERIOD, unit="970")


# ------------------------------------------------------------------------------------- into a campaign


def test_ingest_saves_counts_and_the_folder_loads(tmp_path: Path, camau_dir: Path) -> None:
    path = build_form(tmp_path / "bieu.xlsx", by_unit_rows())
    result = ingest(path, camau_dir, PERIOD)
    summary = save_ingest(result, camau_dir)
    assert "form_counts.csv" in summary.changed_files
    campaign = load_campaign(camau_dir)
    obs = campaign.observations
    mine = obs[obs["source_id"] == result.source_id]
    assert len(mine) == 12
    row = mine[(mine["unit_code"] == "96.A04") & (mine["kpi"] == "online")].iloc[0]
    assert (row["numerator"], row["denominator"], row["rate"]) == (120, 150, 80.0)
    assert "không tính hồ sơ kỳ trước chuyển qua" in row["note"]
    counts = campaign.form_counts.set_index("unit_code")
    assert counts.loc["96.A04", "carried_over"] == 10
    again = save_ingest(ingest(path, camau_dir, PERIOD), camau_dir)
    assert again.changed_files == ()
    assert not (SHIPPED / "form_counts.csv").exists()


# ---------------------------------------------------------------------------- template, CLI and reports


def fill_template(template: Path, filled: Path, units: dict[str, list[int]]) -> Path:
    """Type counts into the blank form next to each unit code (column B), as a unit's clerk would."""
    book = openpyxl.load_workbook(template)
    sheet = book.active
    for row in sheet.iter_rows(min_row=8):
        code = row[1].value
        if code in units:
            for offset, value in enumerate(units[code]):
                sheet.cell(row[0].row, 4 + offset, value)
    book.save(filled)
    return filled


def test_template_layout_form_validates_ingests_and_refuses_unit(tmp_path: Path, camau_dir: Path) -> None:
    template = tmp_path / "bieu-mau.xlsx"
    done = run_dvctt("template", "--campaign", str(camau_dir), "--out", str(template), "--layout", "form", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    blank = ingest(template, camau_dir, PERIOD)
    assert (
        blank.ok
        and blank.observations.empty
        and blank.notices == ("bieu-mau.xlsx, sheet Biểu thống kê: the table ends at row 141 (signature block)",)
    )
    filled = fill_template(template, tmp_path / "tuan.xlsx", {"96.A04": TU_PHAP, "970": DAM_DOI})
    camp = str(camau_dir)
    done = run_dvctt("validate", str(filled), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "read: tuan.xlsx, sheet Biểu thống kê: statistics form, 14 columns, by unit" in done.stdout
    assert "OK: 1 file(s), 6 observations, 0 reported totals" in done.stdout
    done = run_dvctt("validate", str(filled), "--campaign", camp, "--period", PERIOD, "--unit", "970", cwd=tmp_path)
    assert done.returncode == 1 and "--unit applies to a statistics form by field" in done.stderr
    assert "Traceback" not in done.stderr
    rows = [[name, *counts] for name, counts in FIELDS.items()]
    fields = build_form(tmp_path / "linh-vuc.xlsx", rows, label="Lĩnh vực")
    done = run_dvctt("ingest", str(fields), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "give the unit they belong to with --unit CODE" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_dvctt("validate", str(fields), "--campaign", camp, "--period", PERIOD, "--unit", "970", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "statistics form, 13 columns, by field" in done.stdout


def wilson_text(numerator: int, denominator: int) -> str:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(numerator, denominator, method="wilson")
    vi = lambda v: f"{v:.1f}".replace(".", ",")  # noqa: E731
    return f"{numerator / denominator * 100:.2f}".replace(".", ",") + f"% ({vi(low * 100)}–{vi(high * 100)}%)"


@pytest.mark.e2e
def test_ingest_then_report_shows_the_rates_with_intervals(tmp_path: Path, camau_dir: Path) -> None:
    camp = str(camau_dir)
    by_unit = build_form(tmp_path / "don-vi.xlsx", by_unit_rows())
    done = run_dvctt("ingest", str(by_unit), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [[name, *counts] for name, counts in FIELDS.items()] + [["Tổng cộng", *total(*FIELDS.values())]]
    fields = build_form(tmp_path / "linh-vuc.xlsx", rows, label="Lĩnh vực")
    done = run_dvctt("ingest", str(fields), "--campaign", camp, "--period", PERIOD, "--unit", "970", "--replace",
                     cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr

    out = tmp_path / "out"
    done = run_dvctt("report", "--campaign", camp, "--period", PERIOD, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = pd.read_csv(out / "tables" / PERIOD / "unit_summary.csv", dtype={"unit_code": str})
    row = summary[(summary["unit_code"] == "96.A04") & (summary["kpi"] == "online")].iloc[0]
    assert (row["numerator"], row["denominator"], row["result"]) == (120, 150, 80.0)
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(120, 150, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low * 100), pytest.approx(high * 100))
    pending = summary[(summary["unit_code"] == "970") & (summary["kpi"] == "overdue_pending")].iloc[0]
    assert (pending["numerator"], pending["denominator"], pending["result"]) == (30, 100, 30.0)
    html = next(out.glob("campaign_report_2023_vi.html")).read_text(encoding="utf-8")
    assert "Tỷ lệ hồ sơ đang giải quyết quá hạn" in html and "Tỷ lệ giải quyết đúng hạn" in html

    done = run_dvctt("report", "--campaign", camp, "--period", PERIOD, "--notebook", "unit_report", "--unit", "970",
                     "--out", str(out), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    unit_html = next(out.glob("unit_report_970_2023_vi.html")).read_text(encoding="utf-8")
    assert "Theo lĩnh vực (biểu thống kê giải quyết TTHC)" in unit_html
    ho_tich, dat_dai = FIELDS["Hộ tịch"], FIELDS["Đất đai"]
    assert wilson_text(ho_tich[2], ho_tich[2] + ho_tich[3]) in unit_html  # 200 of 350 new receipts online
    assert wilson_text(dat_dai[5] + dat_dai[6], dat_dai[4]) in unit_html  # 560 of 570 finished on time
    assert wilson_text(DAM_DOI[10], DAM_DOI[8]) in unit_html  # the unit: 30 of 100 pending overdue


def test_a_unit_printed_twice_keeps_neither_row(tmp_path: Path, camau_dir: Path) -> None:
    rows = [["Sở Tư pháp", *TU_PHAP], ["Sở Tư pháp", *NOI_VU], ["UBND huyện Đầm Dơi", *DAM_DOI]]
    result = ingest(build_form(tmp_path / "trung.xlsx", rows), camau_dir, PERIOD)
    assert {(i.row, i.rule) for i in result.issues} == {(7, "duplicate_key")}  # one message a group, its first row
    assert all(i.params["rows"] == "7, 8" and i.params["count"] == 2 for i in result.issues)
    assert set(result.observations["unit_code"]) == {"970"} and list(result.form_counts["unit_code"]) == ["970"]
    save_ingest(result, camau_dir)
    assert list(load_campaign(camau_dir).form_counts["unit_code"]) == ["970"]


def test_overdue_pending_ranks_the_lowest_first_and_zero_is_no_warning() -> None:
    from dvctt.analysis.rankings import leaders_and_laggards, units_at_zero

    units = pd.DataFrame(
        {
            "unit_code": ["a", "b", "c", "d"] * 2,
            "unit_name": ["A", "B", "C", "D"] * 2,
            "published_name": ["A", "B", "C", "D"] * 2,
            "level": "district",
            "kpi": ["overdue_pending"] * 4 + ["on_time"] * 4,
            "result": [0.0, 30.0, 10.0, 50.0, 0.0, 30.0, 10.0, 50.0],
            "baseline": float("nan"),
            "status": "ok",
            "target": [pd.NA] * 4 + [90.0] * 4,
            "met": pd.array([pd.NA] * 8, dtype="boolean"),
        }
    )
    ranked = leaders_and_laggards(units, which="result", n=2)
    overdue = ranked[ranked["kpi"] == "overdue_pending"]
    assert overdue[["unit_code", "rank_group", "rank"]].values.tolist() == [
        ["a", "leader", 1], ["c", "leader", 2], ["d", "laggard", 4], ["b", "laggard", 3]
    ]  # fmt: skip
    on_time = ranked[ranked["kpi"] == "on_time"]
    assert on_time[["unit_code", "rank"]].values.tolist() == [["d", 1], ["b", 2], ["a", 4], ["c", 3]]
    assert units_at_zero(units)[["unit_code", "kpi"]].values.tolist() == [["a", "on_time"]]


def test_two_row_variant_without_an_early_column_and_bcci(tmp_path: Path, camau: Campaign) -> None:
    received, finished, pending = "Tiếp nhận", "Đã giải quyết", "Đang giải quyết"
    columns = [
        ("STT", None, None),
        ("Tên đơn vị", None, None),
        (received, "Tổng số", None),
        (received, "Kỳ trước chuyển sang", None),
        (received, "Trực tuyến", None),
        (received, "Trực tiếp, BCCI", None),
        (finished, "Tổng số", None),
        (finished, "Đúng hạn", None),
        (finished, "Quá hạn", None),
        (pending, "Tổng số", None),
        (pending, "Chưa đến hạn", None),
        (pending, "Quá hạn", None),
    ]
    row = [160, 10, 120, 30, 140, 130, 10, 20, 15, 5]
    path = build_form(tmp_path / "gon.xlsx", [["Sở Tư pháp", *row]], columns=columns)
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert result.variants[0].endswith("statistics form, 12 columns, by unit")
    assert_units(result, {"96.A04": TU_PHAP})  # đúng hạn 130 = trước hạn 50 + đúng hạn 80
    broken = [*row[:5], 131, *row[6:]]
    result = ingest(build_form(tmp_path / "gon-sai.xlsx", [["Sở Tư pháp", *broken]], columns=columns), camau, PERIOD)
    assert [(i.rule, i.params["rule"], i.value) for i in result.issues] == [
        ("form_sum", "(7) = (9) + (10)", "140 ≠ 131 + 10 = 141")
    ]


def test_section_subtotals_are_checked_against_their_own_units(tmp_path: Path, camau: Campaign) -> None:
    district = [*DAM_DOI]
    district[8], district[10], district[0], district[2] = 101, 31, 1001, 451  # (11), (13), (3), (5) one too many
    rows = [
        ["I. CẤP TỈNH"],
        ["Sở Tư pháp", *TU_PHAP],
        ["Sở Nội vụ", *NOI_VU],
        ["Cộng cấp tỉnh", *total(TU_PHAP, NOI_VU)],
        ["II. CẤP HUYỆN"],
        ["UBND huyện Đầm Dơi", *DAM_DOI],
        ["Cộng cấp huyện", *district],
    ]
    result = ingest(build_form(tmp_path / "cong.xlsx", rows), camau, PERIOD)
    found = [(i.row, i.column.split(":")[0], i.value, i.params["total"]) for i in result.issues]
    assert found == [(13, "C", "1001", 1000), (13, "E", "451", 450), (13, "K", "101", 100), (13, "M", "31", 30)]
    totals = result.reported_totals.set_index(["level", "kpi"])
    province = total(TU_PHAP, NOI_VU)
    assert totals.loc[("province", "online"), ["numerator", "denominator"]].tolist() == [140, 200]
    assert totals.loc[("province", "overdue_pending"), ["numerator", "denominator"]].tolist() == [
        province[10], province[8]
    ]  # fmt: skip
    assert totals.loc[("district", "overdue_pending"), ["numerator", "denominator"]].tolist() == [31, 101]
