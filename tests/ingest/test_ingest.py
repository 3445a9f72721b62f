"""dvctt ingest / validate / template on a corpus of awkward statistics files, against a copy of Cà Mau 2023.

Every file is generated here into tmp_path, with the outcome it must have: figures kept, values rejected with
their rule, or the whole file refused. The shipped campaign is never written: writes go to a copy.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from conftest import run_dvctt
from openpyxl.styles import numbers as xl_numbers

from dvctt import paths
from dvctt.campaign.definition import Campaign
from dvctt.campaign.loading import load_campaign
from dvctt.errors import AmbiguousNumberFormatError, IngestError, ParameterError
from dvctt.ingest.headers import resolve_composite, resolve_header
from dvctt.ingest.result import IngestResult
from dvctt.ingest.save import save_ingest
from dvctt.ingest.statistics import ingest
from dvctt.ingest.template import build_template
from dvctt.ingest.unit_matching import UnitLookupError, UnitMatcher
from dvctt.ingest.vocabulary import title_range

PERIOD = "2023-campaign"  # Cà Mau: only 32 unit figures are known for it, so most units are free
SHIPPED = paths.CAMPAIGNS_DIR / "camau-2023"


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def camau(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    """Cà Mau loaded once, from a copy, for tests that only read."""
    folder = tmp_path_factory.mktemp("camau-ro") / "camau"
    shutil.copytree(SHIPPED, folder)
    return load_campaign(folder)


@pytest.fixture
def camau_dir(tmp_path: Path) -> Path:
    """A fresh writable copy of Cà Mau 2023."""
    folder = tmp_path / "camau"
    shutil.copytree(SHIPPED, folder)
    return folder


def write_csv(path: Path, rows: list[list[Any]], *, sep: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 writes Vietnamese: base letter (with its horn/circumflex/breve) + tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            shape = parts[0] + "".join(m for m in parts[1:] if m not in tones)
            tone = "".join(m for m in parts[1:] if m in tones)
            out += unicodedata.normalize("NFC", shape).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def rates(result: IngestResult) -> dict[tuple[str, str], float | None]:
    obs = result.observations
    return {
        (u, k): (None if pd.isna(r) else round(float(r), 6))
        for u, k, r in zip(obs["unit_code"], obs["kpi"], obs["rate"], strict=True)
    }


def rules(result: IngestResult) -> list[tuple[int | None, str]]:
    return [(i.row, i.rule) for i in result.issues]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def file_rule(exc: IngestError) -> str:
    issues = getattr(exc, "issues", None)
    return issues[0].rule if issues else exc.problems[0].rule


# ------------------------------------------------------------------------------------ the header table


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Tên đơn vị", "unit_name"),
        ("TEN DON VI", "unit_name"),
        ("Unit", "unit_name"),
        ("Mã đơn vị", "unit_code"),
        ("Tỷ lệ hồ sơ trực tuyến (%)", "online.rate"),
        ("Ty le ho so truc tuyen", "online.rate"),
        ("Số hồ sơ trực tuyến", "online.numerator"),
        ("Tổng số hồ sơ", "?.denominator"),
        ("Tỷ lệ thanh toán trực tuyến", "online_payment.rate"),
        ("Số hồ sơ có nghĩa vụ tài chính", "online_payment.denominator"),
        ("Tỷ lệ số hóa hồ sơ", "digitized.rate"),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình", "full_process.rate"),
        ("Tỷ lệ giải quyết đúng hạn", "on_time.rate"),
        ("Online rate (%)", "online.rate"),
        ("Online payment rate", "online_payment.rate"),
        ("Total dossiers", "?.denominator"),
        ("Digitised", "digitized.rate"),
    ],
)
def test_header_aliases(header: str, key: str) -> None:
    field = resolve_header(header)
    assert field is not None and field.key == key


def test_unrelated_headers_are_not_read() -> None:
    assert resolve_header("Đơn vị tính") is None
    assert resolve_header("") is None


def test_two_row_header_takes_the_indicator_from_the_merged_cell_above() -> None:
    assert resolve_composite("Tỷ lệ hồ sơ trực tuyến", "Tổng số hồ sơ tiếp nhận").key == "online.denominator"
    assert resolve_composite("Thanh toán trực tuyến", "Tỷ lệ (%)").key == "online_payment.rate"
    assert resolve_composite("Tên đơn vị", "Tên đơn vị").key == "unit_name"


def test_title_range() -> None:
    assert title_range([["Từ ngày 01/3/2023 đến ngày 09/5/2023"]]) == (
        pd.Timestamp("2023-03-01").date(),
        pd.Timestamp("2023-05-09").date(),
    )
    assert title_range([["Cà Mau, ngày 10 tháng 5 năm 2023"]]) is None


# ------------------------------------------------------------------------------------ unit matching


def test_unit_matcher_never_guesses(camau: Campaign) -> None:
    matcher = UnitMatcher(camau.units)
    assert matcher.by_name("UBND xã Phú Hưng").unit.code == "32134"  # printed "Phú Hung", official "Phú Hưng"
    assert matcher.by_name("xa Thoi Binh").unit.code == "32077"
    assert matcher.by_name("Thới Bình", level="district").unit.code == "967"
    with pytest.raises(UnitLookupError) as caught:
        matcher.by_name("Thới Bình", level="commune")
    assert caught.value.kind == "ambiguous"
    assert sorted(c for c, _ in caught.value.candidates) == ["32065", "32077"]
    typo = matcher.by_name("Xã Nguyễn Phíc")
    assert (typo.unit.code, typo.how) == ("32053", "spelling")
    with pytest.raises(UnitLookupError) as caught:
        matcher.by_name("Xã Hòa Thàn")  # one edit from Hòa Thành, and from Hòa Tân: no guess
    assert sorted(c for c, _ in caught.value.candidates) == ["32038", "32041"]
    with pytest.raises(UnitLookupError) as caught:
        matcher.by_name("Phường 3")  # numbers are never typo-matched
    assert caught.value.kind == "unknown"


# ------------------------------------------------------------------------------------ the corpus


def test_01_xlsx_title_and_merged_two_row_header(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["ỦY BAN NHÂN DÂN TỈNH CÀ MAU", None, None, None, None],
        ["BÁO CÁO KẾT QUẢ DỊCH VỤ CÔNG TRỰC TUYẾN", None, None, None, None],
        [None, None, None, None, None],
        ["STT", "Tên đơn vị", "Hồ sơ trực tuyến", None, None],
        [None, None, "Số hồ sơ", "Tổng số hồ sơ", "Tỷ lệ (%)"],
        [1, "UBND huyện U Minh", "42.839", "82.015", "52,23"],
        [2, "UBND huyện Ngọc Hiển", 600, 1000, 60],
    ]
    merges = ["A1:E1", "A2:E2", "A4:A5", "B4:B5", "C4:E4"]
    path = write_xlsx(tmp_path / "merged.xlsx", {"Báo cáo": rows}, {"Báo cáo": merges})
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert rates(result) == {("966", "online"): 52.23, ("973", "online"): 60.0}
    obs = result.observations.set_index("unit_code")
    assert (obs.loc["966", "numerator"], obs.loc["966", "denominator"]) == (42839, 82015)
    assert obs.loc["966", "printed"] == "52,23"
    assert obs.loc["966", "source_section"] == "merged.xlsx, sheet Báo cáo, row 6"
    assert result.source_id == "ingest-" + sha(path)[:12]


def test_02_csv_two_row_header_without_merges(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến", "", "", "Tỷ lệ số hóa hồ sơ", "", ""],
        ["", "Số hồ sơ", "Tổng số", "Tỷ lệ (%)", "Số hồ sơ", "Tổng số", "Tỷ lệ (%)"],
        ["UBND huyện Trần Văn Thời", "70", "100", "70", "25", "100", "25"],
    ]
    result = ingest(write_csv(tmp_path / "two-row.csv", rows), camau, PERIOD)
    assert result.ok, result.issues
    assert rates(result) == {("968", "online"): 70.0, ("968", "digitized"): 25.0}


def test_03_headers_without_diacritics(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["TEN DON VI", "TY LE HO SO TRUC TUYEN (%)", "TY LE THANH TOAN TRUC TUYEN (%)"],
        ["UBND xa Hoa Thanh", "81,5", "12"],
    ]
    result = ingest(write_csv(tmp_path / "ascii.csv", rows), camau, PERIOD)
    assert rates(result) == {("32038", "online"): 81.5, ("32038", "online_payment"): 12.0}


def test_04_english_headers_and_shared_total(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Unit", "Online dossiers", "Digitised dossiers", "Total dossiers", "Online payment rate (%)"],
        ["Huyện Thới Bình", "300", "150", "600", "5,5"],
    ]
    result = ingest(write_csv(tmp_path / "english.csv", rows), camau, PERIOD)
    assert result.ok, result.issues
    assert rates(result) == {("967", "online"): 50.0, ("967", "digitized"): 25.0, ("967", "online_payment"): 5.5}
    assert set(result.observations["denominator"].dropna()) == {600}


def test_05_vietnamese_number_formats(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ hồ sơ trực tuyến", "Tỷ lệ số hóa"],
        ["UBND huyện U Minh", "42.839", "82.015", "52,23%", "19,08 %"],
        ["UBND huyện Ngọc Hiển", "1.234,5", "2.000", "", "66.7%"],
    ]
    result = ingest(write_csv(tmp_path / "formats.csv", rows), camau, PERIOD)
    assert rates(result) == {("966", "online"): 52.23, ("966", "digitized"): 19.08, ("973", "digitized"): 66.7}
    assert rules(result) == [(3, "not_whole")]
    assert result.issues[0].value == "1.234,5"


def test_06_dash_and_x_cells_are_missing_with_the_marker_kept(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)", "Tỷ lệ số hóa (%)"],
        ["Xã Tân Ân", "-", "x"],
        ["Xã Viên An", "", "40"],
    ]
    result = ingest(write_csv(tmp_path / "markers.csv", rows), camau, PERIOD)
    assert result.ok
    obs = result.observations.set_index(["unit_code", "kpi"])
    assert obs.loc[("32245", "online"), ["status", "printed"]].tolist() == ["missing", "-"]
    assert obs.loc[("32245", "digitized"), ["status", "printed"]].tolist() == ["missing", "x"]
    assert pd.isna(obs.loc[("32245", "online"), "rate"])
    assert ("32242", "online") not in obs.index  # an empty cell is no row: not reported, never 0
    assert obs.loc[("32242", "digitized"), "rate"] == 40.0


ENCODED_ROWS = [
    ["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"],
    ["UBND xã Phú Hưng", "77,7"],
    ["UBND thị trấn Thới Bình", "88,8"],
    ["Xã Tạ An Khương Đông", "55,5"],
]
ENCODED_EXPECTED = {("32134", "online"): 77.7, ("32065", "online"): 88.8, ("32158", "online"): 55.5}


def test_07_utf16_csv(tmp_path: Path, camau: Campaign) -> None:
    result = ingest(write_csv(tmp_path / "u16.csv", ENCODED_ROWS, sep="\t", encoding="utf-16"), camau, PERIOD)
    assert result.encoding == "utf-16"
    assert rates(result) == ENCODED_EXPECTED


def test_08_windows_1258_csv_with_combining_tone_marks(tmp_path: Path, camau: Campaign) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows(ENCODED_ROWS)
    data = to_cp1258(buffer.getvalue())
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\xec" in data or b"\xd2" in data or b"\xf2" in data  # tone marks travel as separate bytes
    path = tmp_path / "cp1258.csv"
    path.write_bytes(data)
    result = ingest(path, camau, PERIOD)
    assert result.encoding == "cp1258"
    assert rates(result) == ENCODED_EXPECTED


def test_09_semicolon_separator_with_decimal_commas_and_bom(tmp_path: Path, camau: Campaign) -> None:
    path = write_csv(tmp_path / "semi.csv", ENCODED_ROWS, sep=";", encoding="utf-8-sig")
    result = ingest(path, camau, PERIOD)
    assert result.encoding == "utf-8-sig"
    assert rates(result) == ENCODED_EXPECTED


def test_10_totals_and_section_rows(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["STT", "Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ (%)"],
        ["I", "CẤP TỈNH", "", "", ""],
        ["1", "Sở Nội vụ", "80", "100", "80"],
        ["2", "Sở Xây dựng", "30", "50", "60"],
        ["", "Tổng", "110", "150", "73,33"],
        ["II", "CẤP HUYỆN", "", "", ""],
        ["1", "Thới Bình", "10", "20", "50"],  # a district name under II: the huyện, not the xã
        ["", "Cộng", "10", "20", "50"],
        ["", "Tổng cộng", "120", "170", "70,59"],
    ]
    result = ingest(write_csv(tmp_path / "totals.csv", rows), camau, PERIOD)
    assert result.ok, result.issues
    assert rates(result) == {("96.A03", "online"): 80.0, ("96.A05", "online"): 60.0, ("967", "online"): 50.0}
    totals = result.reported_totals
    assert totals[["level", "numerator", "denominator", "value", "printed"]].values.tolist() == [
        ["province", 110, 150, 73.33, "73,33"],
        ["district", 10, 20, 50.0, "50"],
        ["all", 120, 170, 70.59, "70,59"],
    ]
    assert not totals["headline"].any()
    assert set(totals["source_section"]) == {"totals.csv, row 5", "totals.csv, row 8", "totals.csv, row 9"}


def test_11_unknown_unit_is_rejected_with_candidates(tmp_path: Path, camau: Campaign) -> None:
    rows = [["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"], ["Xã Hòa Thành", "50"], ["Xã Không Có Thật", "60"]]
    result = ingest(write_csv(tmp_path / "unknown.csv", rows), camau, PERIOD)
    assert rates(result) == {("32038", "online"): 50.0}
    assert rules(result) == [(3, "unknown_unit")]
    assert result.issues[0].column == "A: Tên đơn vị"


def test_12_ambiguous_unit_lists_both_thoi_binh(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Cấp", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["Thới Bình", "Cấp xã", "50"],
        ["Xã Thới Bình", "xã", "60"],
    ]
    result = ingest(write_csv(tmp_path / "ambiguous.csv", rows), camau, PERIOD)
    assert rules(result) == [(2, "ambiguous_unit"), (3, "conflict")]  # the xã already has 99,56% (kte-results)
    reason = result.issues[0].reason("en")
    assert "Thị trấn Thới Bình (32065)" in reason and "Xã Thới Bình (32077)" in reason
    assert result.observations.empty


def test_13_rate_above_100_and_numerator_above_denominator(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["Xã Tân Ân", "", "", "120"],
        ["Xã Viên An", "150", "100", ""],
        ["Xã Đất Mũi", "50", "100", "50"],
    ]
    result = ingest(write_csv(tmp_path / "rules.csv", rows), camau, PERIOD)
    assert rules(result) == [(2, "rate_out_of_range"), (3, "numerator_above_denominator")]
    assert rates(result) == {("32248", "online"): 50.0}


def test_14_duplicate_rows_are_all_rejected(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["Xã Tân Ân", "50"],
        ["Xã Đất Mũi", "40"],
        ["UBND xã Tân Ân", "55"],
    ]
    result = ingest(write_csv(tmp_path / "dup.csv", rows), camau, PERIOD)
    assert rules(result) == [(2, "duplicate_key")]  # one message for the group, at its first row
    assert rates(result) == {("32248", "online"): 40.0}
    assert (result.issues[0].params["rows"], result.issues[0].params["count"]) == ("2, 4", 2)


def test_15_empty_files_are_refused(tmp_path: Path, camau: Campaign) -> None:
    empty_csv = tmp_path / "empty.csv"
    empty_csv.write_bytes(b"")
    blank_csv = tmp_path / "blank.csv"
    blank_csv.write_bytes(b";;;\r\n\r\n")
    empty_xlsx = write_xlsx(tmp_path / "empty.xlsx", {"Sheet1": []})
    for path in (empty_csv, blank_csv, empty_xlsx):
        with pytest.raises(IngestError) as caught:
            ingest(path, camau, PERIOD)
        assert file_rule(caught.value) == "empty_file", path.name


def test_16_wrong_sheet_lists_the_sheets(tmp_path: Path, camau: Campaign) -> None:
    path = write_xlsx(tmp_path / "sheets.xlsx", {"Cấp xã": [["Tên đơn vị", "Tỷ lệ (%)"]], "Ghi chú": [["x"]]})
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, PERIOD, sheet="Cap xa")
    assert file_rule(caught.value) == "wrong_sheet"
    assert "Cấp xã, Ghi chú" in str(caught.value)


def test_17_missing_columns(tmp_path: Path, camau: Campaign) -> None:
    no_unit = write_csv(tmp_path / "no-unit.csv", [["STT", "Tỷ lệ hồ sơ trực tuyến (%)"], ["1", "50"]])
    no_kpi = write_csv(tmp_path / "no-kpi.csv", [["STT", "Tên đơn vị", "Ghi chú"], ["1", "Xã Tân Ân", ""]])
    for path, missing in ((no_unit, "unit name"), (no_kpi, "indicator")):
        with pytest.raises(IngestError) as caught:
            ingest(path, camau, PERIOD)
        assert file_rule(caught.value) == "missing_column"
        assert missing in str(caught.value)


def test_18_fraction_column_is_ambiguous_until_told(tmp_path: Path, camau: Campaign) -> None:
    rows = [["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến"], ["Xã Tân Ân", "0,5223"], ["Xã Đất Mũi", "0,91"]]
    path = write_csv(tmp_path / "fraction.csv", rows)
    with pytest.raises(AmbiguousNumberFormatError) as caught:
        ingest(path, camau, PERIOD)
    problem = caught.value.problems[0]
    assert problem.file == "fraction.csv" and problem.column == "B: Tỷ lệ hồ sơ trực tuyến"
    assert "'0,5223'" in problem.value and "--fraction" in problem.rule
    assert rates(ingest(path, camau, PERIOD, scale="fraction")) == {
        ("32245", "online"): 52.23,
        ("32248", "online"): 91.0,
    }
    assert rates(ingest(path, camau, PERIOD, scale="percent")) == {
        ("32245", "online"): 0.5223,
        ("32248", "online"): 0.91,
    }


def test_19_period_checks(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Số liệu từ ngày 01/6/2023 đến ngày 30/6/2023"],
        ["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["Xã Tân Ân", "50"],
    ]
    path = write_csv(tmp_path / "dated.csv", rows)
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, "2025")
    assert file_rule(caught.value) == "period_unknown"
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, PERIOD)
    assert file_rule(caught.value) == "period_outside"
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, None)
    assert file_rule(caught.value) == "period_missing"


def test_20_period_and_date_columns(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Kỳ", "Ngày báo cáo", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["Xã Tân Ân", "2023-campaign", "15/04/2023", "50"],
        ["Xã Đất Mũi", "2023-campaign", "15/06/2023", "60"],
        ["Xã Viên An", "2021", "", "70"],
        ["Xã Tân Ân", "2022", "", "1"],  # 2022 is known from plan 48: a conflict, not a duplicate
    ]
    result = ingest(write_csv(tmp_path / "periods.csv", rows), camau)
    assert rates(result) == {("32245", "online"): 50.0}
    assert rules(result) == [(3, "date_outside"), (4, "row_period_unknown"), (5, "conflict")]


def test_21_unit_code_column_wins_and_typos_are_noted(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["32065", "Thới Bình", "45"],  # ambiguous by name, settled by the code
        ["", "Xã Nguyễn Phíc", "33"],  # one letter off: Xã Nguyễn Phích
        ["99999", "Xã Tân Ân", "20"],
    ]
    result = ingest(write_csv(tmp_path / "codes.csv", rows), camau, PERIOD, accept_fuzzy=True)
    assert rates(result) == {("32065", "online"): 45.0, ("32053", "online"): 33.0}
    assert rules(result) == [(4, "unknown_unit_code")]
    note = result.observations.set_index("unit_code").loc["32053", "note"]
    assert "Xã Nguyễn Phích" in note


def test_22_conflict_with_another_source_unless_replace(tmp_path: Path, camau: Campaign) -> None:
    rows = [["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"], ["UBND huyện Cái Nước", "90"]]
    path = write_csv(tmp_path / "conflict.csv", rows)
    result = ingest(path, camau, PERIOD)
    assert rules(result) == [(2, "conflict")]
    assert "kte-results" in result.issues[0].reason("en")
    assert rates(ingest(path, camau, PERIOD, replace=True)) == {("969", "online"): 90.0}


def test_23_rate_must_agree_with_counts_and_zero_denominator_is_not_applicable(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        [
            "Tên đơn vị",
            "Số hồ sơ thanh toán trực tuyến",
            "Số hồ sơ có nghĩa vụ tài chính",
            "Tỷ lệ thanh toán trực tuyến (%)",
        ],
        ["Xã Tân Ân", "24965", "39219", "63,65"],  # 63.655…: printed cut, within the printed precision
        ["Xã Đất Mũi", "10", "40", "40"],
        ["Xã Viên An", "0", "0", ""],
        ["Xã Tân Ân Tây", "5", "", ""],
    ]
    result = ingest(write_csv(tmp_path / "counts.csv", rows), camau, PERIOD)
    assert rules(result) == [(3, "rate_mismatch"), (5, "count_without_pair")]
    obs = result.observations.set_index("unit_code")
    assert obs.loc["32245", "rate"] == 63.65
    assert obs.loc["32242", "status"] == "not_applicable" and pd.isna(obs.loc["32242", "rate"])


def test_24_column_number_row_footer_and_district_headings(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["STT", "Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)", "Ghi chú"],
        ["(1)", "(2)", "(3)", "(4)"],
        ["III", "CẤP XÃ", "", ""],
        ["", "Huyện Thới Bình", "", ""],
        ["1", "Xã Tân Phú", "70", "số liệu tạm tính"],
        ["", "Huyện Cái Nước", "", ""],
        ["2", "Xã Tân Hưng Đông", "71", ""],
        ["", "", "", ""],
        ["", "Người lập biểu", "Thủ trưởng đơn vị", ""],
        ["", "Nguyễn Văn A", "", ""],
    ]
    result = ingest(write_csv(tmp_path / "footer.csv", rows), camau, PERIOD)
    assert result.ok, result.issues
    assert rates(result) == {("32080", "online"): 70.0, ("32146", "online"): 71.0}
    assert result.observations.set_index("unit_code").loc["32080", "note"] == "số liệu tạm tính"
    assert any("signature" in n for n in result.notices)


def test_25_xlsx_native_numbers_percent_format_and_formulas(tmp_path: Path, camau: Campaign) -> None:
    path = tmp_path / "native.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cấp huyện"
    sheet.append(["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ hồ sơ trực tuyến"])
    sheet.append(["Huyện U Minh", 523, 1000, 0.523])
    sheet.append(["Huyện Ngọc Hiển", 100, 400, "=B3/C3"])  # a formula never calculated by Excel
    sheet["D2"].number_format = xl_numbers.FORMAT_PERCENTAGE_00
    book.save(path)
    result = ingest(path, camau, PERIOD)
    assert rates(result) == {("966", "online"): 52.3}
    assert result.observations["printed"].tolist() == ["52.3%"]
    assert rules(result) == [(3, "formula_no_value")]


def test_26_unsupported_and_unreadable_files(tmp_path: Path, camau: Campaign) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    headerless = write_csv(tmp_path / "noheader.csv", [["a", "b"], ["1", "2"]])
    outcomes = {}
    for path in (xls, fake, headerless):
        with pytest.raises(IngestError) as caught:
            ingest(path, camau, PERIOD)
        outcomes[path.name] = file_rule(caught.value)
    assert outcomes == {"old.xls": "unsupported_type", "fake.xlsx": "not_xlsx", "noheader.csv": "no_header"}


def test_28_undecodable_text_is_an_encoding_error(tmp_path: Path, camau: Campaign) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes("Tên đơn vị,Tỷ lệ (%)\r\n".encode("utf-16-le")[:7] + b"\x81\x8d\x9d garbage\r\n")
    with pytest.raises(IngestError) as caught:
        ingest(path, camau, PERIOD)
    assert file_rule(caught.value) == "encoding"
    with pytest.raises(IngestError) as caught:
        ingest(write_csv(tmp_path / "ok.csv", ENCODED_ROWS), camau, PERIOD, encoding="no-such-codec")
    assert file_rule(caught.value) == "encoding"


def test_27_ambiguous_column_and_duplicate_column(tmp_path: Path, camau: Campaign) -> None:
    ambiguous = [
        ["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)", "Tỷ lệ số hóa (%)", "Tỷ lệ (%)"],
        ["Xã Tân Ân", "1", "2", "3"],
    ]
    twice = [["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)", "Online rate"], ["Xã Tân Ân", "1", "2"]]
    for rows, rule in ((ambiguous, "ambiguous_column"), (twice, "duplicate_column")):
        with pytest.raises(IngestError) as caught:
            ingest(write_csv(tmp_path / f"{rule}.csv", rows), camau, PERIOD)
        assert file_rule(caught.value) == rule


# --------------------------------------------------------------------------------- template round trip


def test_blank_template_ingests_to_nothing_and_a_filled_one_round_trips(tmp_path: Path, camau: Campaign) -> None:
    template = build_template(camau, tmp_path / "template.xlsx")
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    assert book["Cấp xã"].max_row == 4 + 101 and book["Cấp tỉnh"]["B5"].value == "96.A01"
    blank = ingest(template, camau, PERIOD)
    assert blank.ok and blank.observations.empty and blank.reported_totals.empty
    with pytest.raises(ParameterError):
        build_template(camau, template)  # never overwrites a file that may already be filled in

    communes = book["Cấp xã"]
    assert [c.value for c in communes[3]][:4] == ["STT", "Mã đơn vị", "Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến"]
    assert [c.value for c in communes[4]][3:6] == ["Số hồ sơ trực tuyến", "Tổng số hồ sơ tiếp nhận", "Tỷ lệ (%)"]
    communes["D5"], communes["E5"], communes["F5"] = 42839, 82015, 52.23  # Xã Hòa Thành
    communes["G6"], communes["H6"] = 7, 20  # Xã Lý Văn Lâm, digitised: counts only
    communes["L7"] = 0  # Xã Định Bình pays 0% online
    communes["D8"], communes["E8"], communes["F8"] = 1, 3, 100 / 3  # Xã Hòa Tân: a rate Excel computed in full
    book["Cấp tỉnh"]["F7"] = 66.7  # Sở Nội vụ, rate only
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    result = ingest(filled, camau, PERIOD)
    assert result.ok, result.issues
    got = result.observations.set_index(["unit_code", "kpi"])
    assert got.loc[("32038", "online"), ["numerator", "denominator", "rate"]].tolist() == [42839, 82015, 52.23]
    assert got.loc[("32032", "digitized"), "rate"] == 35.0
    assert got.loc[("32035", "online_payment"), ["rate", "status"]].tolist() == [0.0, "ok"]
    assert got.loc[("96.A03", "online"), "rate"] == 66.7
    assert got.loc[("32041", "online"), "rate"] == pytest.approx(100 / 3, abs=1e-12)  # as openpyxl stores it
    assert len(result.observations) == 5


# ------------------------------------------------------------------------------- writing into a folder


def _good_and_bad(tmp_path: Path) -> Path:
    rows = [
        ["BÁO CÁO TUẦN", "", ""],
        ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", "Tỷ lệ hồ sơ trực tuyến (%)"],
        ["Xã Tân Ân", "42.839", "82.015", "52,23"],
        ["Xã Đất Mũi", "", "", "120"],
        ["Tổng cộng", "42.839", "82.015", "52,23"],
    ]
    return write_csv(tmp_path / "weekly.csv", rows, sep=";")


def test_save_writes_valid_rows_rejects_and_source_and_is_idempotent(tmp_path: Path, camau_dir: Path) -> None:
    path = _good_and_bad(tmp_path)
    before_input = sha(path)
    result = ingest(path, camau_dir, PERIOD)
    summary = save_ingest(result, camau_dir, today=pd.Timestamp("2023-05-12").date())
    assert (summary.observations_added, summary.observations_replaced, summary.totals_written) == (1, 0, 1)
    campaign = load_campaign(camau_dir)
    obs = campaign.observations
    row = obs[(obs["unit_code"] == "32245") & (obs["period"] == PERIOD)].iloc[0]
    assert (row["numerator"], row["denominator"], row["rate"], row["printed"]) == (42839, 82015, 52.23, "52,23")
    assert row["source_id"] == result.source_id and row["source_section"] == "weekly.csv, row 3"
    source = campaign.sources.set_index("source_id").loc[result.source_id]
    assert source["file"] == "weekly.csv" and "2023-05-12" in source["note"]
    assert source["kind"] == "return"  # an ingested file is a return; the hand-transcribed sources stay selections
    assert pd.isna(campaign.sources.set_index("source_id").loc["plan48", "kind"])
    totals = campaign.reported_totals
    mine = totals[totals["source_id"] == result.source_id]
    assert mine[["level", "value", "headline"]].values.tolist() == [["commune", 52.23, False]]

    assert summary.rejects_path == camau_dir / "rejects" / f"weekly.{result.sha256[:12]}.rejects.csv"
    rejects = pd.read_csv(summary.rejects_path, dtype=str, encoding="utf-8-sig")
    assert rejects.columns.tolist() == ["file", "sheet", "row", "column", "value", "rule", "reason_vi", "reason_en",
                                        "unit_code", "period", "kpi"]  # fmt: skip
    assert rejects[["file", "row", "column", "value", "rule", "unit_code", "period", "kpi"]].values.tolist() == [
        ["weekly.csv", "4", "D: Tỷ lệ hồ sơ trực tuyến (%)", "120", "rate_out_of_range", "32248", PERIOD, "online"]
    ]  # the rejected row names its unit (Xã Đất Mũi): the report says it was rejected, not that it sent nothing
    assert rejects.loc[0, "reason_vi"] == "Tỷ lệ 120% nằm ngoài khoảng 0–100%"
    assert rejects.loc[0, "reason_en"] == "rate 120% is outside 0–100%"

    snapshot = folder_bytes(camau_dir)
    again = save_ingest(ingest(path, camau_dir, PERIOD), camau_dir, today=pd.Timestamp("2024-01-01").date())
    assert again.changed_files == () and folder_bytes(camau_dir) == snapshot
    assert sha(path) == before_input  # the raw file is only read


def test_save_leaves_untouched_rows_byte_identical(tmp_path: Path, camau_dir: Path) -> None:
    before = (camau_dir / "observations.csv").read_text(encoding="utf-8")
    save_ingest(ingest(_good_and_bad(tmp_path), camau_dir, PERIOD), camau_dir)
    after = (camau_dir / "observations.csv").read_text(encoding="utf-8")
    assert after.startswith(before) and after.count("\n") == before.count("\n") + 1


def test_replace_overwrites_another_source_in_place(tmp_path: Path, camau_dir: Path) -> None:
    path = write_csv(
        tmp_path / "fix.csv", [["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"], ["UBND huyện Cái Nước", "90"]]
    )
    save_ingest(ingest(path, camau_dir, PERIOD, replace=True), camau_dir)
    obs = load_campaign(camau_dir).observations
    hit = obs[(obs["unit_code"] == "969") & (obs["period"] == PERIOD) & (obs["kpi"] == "online")]
    assert len(hit) == 1 and hit.iloc[0]["rate"] == 90.0 and hit.iloc[0]["source_id"].startswith("ingest-")


# ------------------------------------------------------------------------------------------- the CLI


def test_cli_ingest_validate_template_exit_codes(tmp_path: Path, camau_dir: Path) -> None:
    shipped_before = folder_bytes(SHIPPED)
    clean = write_csv(tmp_path / "clean.csv", [["Tên đơn vị", "Tỷ lệ hồ sơ trực tuyến (%)"], ["Xã Tân Ân", "50"]])
    bad = _good_and_bad(tmp_path)
    camp = str(camau_dir)

    done = run_dvctt("validate", str(clean), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    before = folder_bytes(camau_dir)
    done = run_dvctt("validate", str(clean), str(bad), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1
    assert "weekly.csv, row 4, column 'D: Tỷ lệ hồ sơ trực tuyến (%)': '120'" in done.stderr
    assert "nằm ngoài khoảng 0–100%" in done.stderr and "outside 0–100%" in done.stderr
    assert "duplicate unit × period × indicator across files" in done.stderr  # Xã Tân Ân in both files
    assert folder_bytes(camau_dir) == before  # validate writes nothing

    done = run_dvctt("ingest", str(bad), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "REJECTED" in done.stderr
    assert [p.name for p in (camau_dir / "rejects").iterdir()] == [f"weekly.{sha(bad)[:12]}.rejects.csv"]
    done = run_dvctt("ingest", str(clean), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1  # Xã Tân Ân now has a value from weekly.csv's source: another file conflicts
    assert "already has a value from another source 'ingest-" in done.stderr

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    done = run_dvctt("ingest", str(empty), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "empty" in done.stderr

    out = tmp_path / "t.xlsx"
    done = run_dvctt("template", "--campaign", camp, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0 and out.is_file()
    done = run_dvctt("ingest", str(out), "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "0 observations" in done.stdout
    done = run_dvctt("validate", str(out), "--sheet", "Nope", "--campaign", camp, "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "Cấp tỉnh, Cấp huyện, Cấp xã" in done.stderr
    assert folder_bytes(SHIPPED) == shipped_before
