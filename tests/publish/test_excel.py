"""The Excel workbook written beside each report, read back with openpyxl as Excel would see it."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dvctt.publish import excel
from dvctt.report import data as report_data

SMALL_TABLES = {
    "level_summary": pd.DataFrame(
        {
            "level": ["province", "commune"],
            "kpi": ["online", "online_payment"],
            "result": [92.79, None],
            "change_pp": [29.14, None],
            "met": pd.array([True, None], dtype="boolean"),
            "n_units": [18, 101],
            "coverage": [10 / 18, 1.0],
        }
    ),
    "unit_summary": pd.DataFrame(
        {
            "unit_code": ["32134", "96.A01", "00123"],
            "unit_name": ["Xã Phú Hưng", "Sở Tư pháp", "<script>alert(1)</script>"],
            "status": ["ok", "missing", "not_applicable"],
            "extra_score": [1.5, 2.0, None],  # a column this module does not know yet
        }
    ),
    "reconciliation": pd.DataFrame(
        {
            "method": ["pooled_counts", "units_met", "unit_gap"],
            "reported": [52.23, 8.0, 12.79],
            "difference_pp": [0.0031, 0.0, 0.0],
            "consistent": pd.array([True, False, True], dtype="boolean"),
        }
    ),
}


def _rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def small_book(tmp_path: Path) -> openpyxl.Workbook:
    path = excel.write_workbook(SMALL_TABLES, tmp_path / "r.xlsx", "vi", about={"campaign": "tiny", "version": "1"})
    return openpyxl.load_workbook(path)


def test_vietnamese_sheet_names_headers_and_about_sheet(small_book):
    assert small_book.sheetnames == [
        "Tổng hợp theo cấp",
        "Kết quả từng đơn vị",
        "Đối chiếu số liệu",
        "Thông tin báo cáo",
    ]
    level = small_book["Tổng hợp theo cấp"]
    assert _rows(level)[0] == [
        "Cấp",
        "Chỉ tiêu",
        "Kết quả",
        "Thay đổi (điểm %)",
        "Đánh giá",
        "Số đơn vị",
        "Tỷ lệ đơn vị có số liệu",
    ]
    assert _rows(small_book["Thông tin báo cáo"])[0] == ["Báo cáo về", "tiny"]


def test_period_ids_notes_and_report_names_become_the_readers_words(tmp_path):
    """A period id shows as its campaign.toml label, the reconciliation notes in Vietnamese, tables named by the
    last part of their file stem, and the about sheet names the campaign, period and language."""
    labels = {"2023-campaign": "Chiến dịch 69 ngày đêm", "2022": "Năm 2022"}
    words = excel.Words(period=lambda p: labels.get(p, p), campaign="Chiến dịch cao điểm")
    tables = {
        "progress_report_levels": pd.DataFrame(
            {"latest_period": ["2023-campaign"], "latest_method": ["reported"], "previous_period": ["2022"]}
        ),
        "reconciliation": pd.DataFrame(
            {
                "period": ["2022", "2022", "2023-campaign"],
                "method": ["unit_mean", "sum_of_levels", "units_met"],
                "note": [
                    "mean of 18 unit rates; the reported total is probably a pooled (dossier-weighted) figure, not a "
                    "mean of unit rates",
                    "levels sum to 42839/82015; the row prints 42839/82015 (counts match)",
                    "units known: 10 of 101 applicable units have a rate, 10 of them met the target; the full count "
                    "lies between 10 and 101",
                ],
            }
        ),
        "unit_96.A04_summary": pd.DataFrame({"unit_code": ["96.A04"], "period": ["2023-campaign"]}),
    }
    about = {"campaign": "camau-2023", "period": "2023-campaign", "lang": "vi", "version": "1"}
    book = openpyxl.load_workbook(excel.write_workbook(tables, tmp_path / "b.xlsx", "vi", about=about, words=words))
    assert book.sheetnames == ["Tiến độ theo cấp", "Đối chiếu số liệu", "Kết quả của đơn vị", "Thông tin báo cáo"]
    assert _rows(book["Tiến độ theo cấp"]) == [
        ["Kỳ số liệu gần nhất", "Cách tính kỳ gần nhất", "Kỳ số liệu trước đó"],
        ["Chiến dịch 69 ngày đêm", "Số liệu công bố", "Năm 2022"],
    ]
    notes = [row[2] for row in _rows(book["Đối chiếu số liệu"])[1:]]
    assert notes == [
        "trung bình tỷ lệ của 18 đơn vị; số tổng công bố có lẽ là tỷ lệ gộp (theo số hồ sơ), không phải trung bình "
        "tỷ lệ các đơn vị",
        "cộng các cấp được 42.839/82.015; dòng tổng in 42.839/82.015 (số hồ sơ khớp)",
        "đã biết tỷ lệ của 10/101 đơn vị áp dụng, 10 đơn vị trong số đó đạt mục tiêu; số đơn vị đạt thực tế trong "
        "khoảng 10 đến 101",
    ]
    assert [row[0] for row in _rows(book["Đối chiếu số liệu"])[1:]] == [
        "Năm 2022",
        "Năm 2022",
        "Chiến dịch 69 ngày đêm",
    ]
    assert _rows(book["Thông tin báo cáo"])[:3] == [
        ["Báo cáo về", "Chiến dịch cao điểm"], ["Kỳ báo cáo", "Chiến dịch 69 ngày đêm"], ["Ngôn ngữ", "Tiếng Việt"]
    ]  # fmt: skip


def test_rates_are_fractions_formatted_as_percent_and_missing_stays_empty(small_book):
    level = small_book["Tổng hợp theo cấp"]
    result, missing = level["C2"], level["C3"]
    assert result.value == 0.9279 and result.number_format == "0.00%"
    assert missing.value is None  # not reported is never 0%
    assert level["D2"].value == pytest.approx(29.14) and "%" not in level["D2"].number_format  # points, not percent
    assert level["G2"].value == pytest.approx(10 / 18) and "%" in level["G2"].number_format  # already a share
    assert (level["A2"].value, level["B2"].value, level["E2"].value) == ("Cấp tỉnh", "Tỷ lệ hồ sơ trực tuyến", "Đạt")
    assert level["F3"].value == 101 and level["F3"].number_format == "#,##0"


def test_codes_stay_text_and_unknown_columns_keep_their_name(small_book):
    units = small_book["Kết quả từng đơn vị"]
    codes = [units.cell(row=r, column=1) for r in range(2, 5)]
    assert [c.value for c in codes] == ["32134", "96.A01", "00123"]
    assert all(c.data_type == "s" and c.number_format == "@" for c in codes)
    assert _rows(units)[0] == ["Mã đơn vị", "Tên đơn vị", "Tình trạng", "extra_score"]
    assert units["B4"].value == "<script>alert(1)</script>"  # plain text in a cell, nothing to execute
    assert [units.cell(row=r, column=3).value for r in range(2, 5)] == [
        "có số liệu",
        "chưa có số liệu",
        "không áp dụng",
    ]


def test_reconciliation_rows_are_formatted_by_method(small_book):
    rec = small_book["Đối chiếu số liệu"]
    assert (rec["B2"].value, rec["B2"].number_format) == (0.5223, "0.00%")
    assert (rec["B3"].value, rec["B3"].number_format) == (8, "#,##0")  # a count of units, not a rate
    assert rec["B4"].value == pytest.approx(12.79) and "%" not in rec["B4"].number_format  # a gap in points
    assert rec["C2"].number_format.startswith("+0.0000")
    assert [rec.cell(row=r, column=4).value for r in range(2, 5)] == ["Có", "Không", "Có"]


def test_every_table_sheet_has_a_frozen_header_filter_and_widths(small_book):
    for name in small_book.sheetnames[:3]:
        sheet = small_book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
        assert all(sheet.column_dimensions[c].width >= excel.MIN_WIDTH for c in "AB")
        assert sheet["A1"].font.bold


def test_sheet_titles_are_valid_excel_names():
    assert excel.sheet_title("unit_summary", "en") == "Unit summary"
    assert excel.sheet_title("a/b:c*d?e[f]" + "x" * 40, "vi") == ("a-b-c-d-e-f-" + "x" * 40)[:31]


@pytest.fixture(scope="module")
def camau_tables() -> dict[str, pd.DataFrame]:
    return report_data.build_report_tables("camau-2023")


@pytest.mark.parametrize(
    ("lang", "sheets", "headers"),
    [
        (
            "vi",
            ["Tổng hợp theo cấp", "Kết quả từng đơn vị", "Đối chiếu số liệu", "Nguồn số liệu"],
            ["Cấp", "Chỉ tiêu", "Kỳ cơ sở"],
        ),
        ("en", ["Level summary", "Unit summary", "Reconciliation", "Sources"], ["Level", "Indicator", "Baseline"]),
    ],
)
def test_camau_workbook_reads_back(camau_tables, tmp_path: Path, lang: str, sheets: list[str], headers: list[str]):
    path = excel.write_workbook(camau_tables, tmp_path / f"camau_{lang}.xlsx", lang)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == sheets
    level = book[sheets[0]]
    rows = _rows(level)
    assert rows[0][:3] == headers and rows[0][4] == ("Kết quả" if lang == "vi" else "Result")
    province_online = rows[1]  # level summary row 1: province, online, as published (92,79% in the results article)
    assert province_online[:2] == (["Cấp tỉnh", "Tỷ lệ hồ sơ trực tuyến"] if lang == "vi" else
                                   ["Provincial agencies", "Dossiers filed online"])  # fmt: skip
    cell = level["E2"]
    assert cell.value == 0.9279 and "%" in cell.number_format
    units = book[sheets[1]]
    codes = {units.cell(row=r, column=1).value for r in range(2, units.max_row + 1)}
    assert "32134" in codes and all(isinstance(c, str) for c in codes)
    assert all(book[name].freeze_panes == "A2" for name in sheets)
    assert units.max_row == len(camau_tables["unit_summary"]) + 1


ENGLISH_OR_IDS = re.compile(
    r"computed|applicable|reported total|pooled from|para\.|plan48|kte-results|camau-portal|_|\b(?:baseline|campaign)\b"
)


def test_every_header_and_text_cell_of_the_camau_workbook_is_vietnamese(tmp_path: Path) -> None:
    tables = report_data.build_report_tables("camau-2023")
    path = excel.write_workbook(tables, tmp_path / "book.xlsx", "vi", about={"campaign": "camau-2023"})
    book = openpyxl.load_workbook(path)
    assert "Nguồn số liệu" in book.sheetnames
    leaks = []
    for sheet in book.worksheets:
        if sheet.title == "Thông tin báo cáo":
            continue  # the about sheet names the campaign folder on purpose
        header = [c.value for c in sheet[1]]
        leaks += [(sheet.title, "header", h) for h in header if ENGLISH_OR_IDS.search(str(h))]
        for row in sheet.iter_rows(min_row=2):
            for cell, name in zip(row, header, strict=True):
                if name in {"Ghi chú", "Mã đơn vị", "Mã đơn vị cấp trên", "Kỳ"}:
                    continue  # free-text notes of the transcription, and codes kept on purpose
                if isinstance(cell.value, str) and ENGLISH_OR_IDS.search(cell.value):
                    leaks.append((sheet.title, name, cell.value))
    assert leaks == []
    levels = book["Tổng hợp theo cấp"]
    header = [c.value for c in levels[1]]
    first = {name: c.value for name, c in zip(header, levels[2], strict=True)}
    assert first["Nguồn kỳ cơ sở"] == "[1] II.1"
    assert first["Thay đổi (điểm %)"] == 29.14  # no float noise (29.14000000000001)
    assert (
        first["Kỳ cơ sở"] == pytest.approx(0.6365)
        and levels.cell(2, header.index("Kỳ cơ sở") + 1).number_format == "0.00%"
    )


def test_report_csvs_have_a_bom_no_float_noise_and_no_empty_table(tmp_path: Path) -> None:
    data = report_data.build_report_data("camau-2023")
    written = report_data.write_report_tables(data, tmp_path)
    raw = (tmp_path / "level_summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads "Cấp tỉnh" only with the BOM
    text = raw.decode("utf-8-sig")
    assert "29.14," in text and "29.140000000000008" not in text and "29.14000000000001" not in text
    assert set(written) == {"level_summary", "unit_summary", "reconciliation", "sources"}
    for name in written:
        assert len((tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()) > 1
