"""Reading the portal's service-index export (Decision 766): the real 2025 file, and broken copies of it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from dvctt.errors import IngestError, ParameterError
from dvctt.service_index import units as index_units
from dvctt.service_index.definition import COMPONENT_MAX, COMPONENTS, parse_period
from dvctt.service_index.formats.export2025 import read_index_exports
from dvctt.service_index.units import PORTAL_PROVINCE_CODES

REAL = Path(__file__).parents[1] / "fixtures" / "index766" / "bao_cao_766_tinh_2025.xlsx"
SHEET = "Báo cáo 766"


def _rows() -> list[list[str]]:
    ws = openpyxl.load_workbook(REAL)[SHEET]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _write_xlsx(path: Path, rows: list[list[object]], title: str = "Báo cáo 766", above: list[str] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for line in above:
        ws.append([line])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _col(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def _issues(excinfo: pytest.ExceptionInfo) -> list[tuple]:
    return [(i.file, i.sheet, i.row, i.column, i.value, i.rule) for i in excinfo.value.issues]


def test_the_real_export_reads_whole_with_camau_as_printed():
    frame = read_index_exports([REAL], period="2025-ytd")
    assert len(frame) == 34
    assert set(frame["level"]) == {"province"}
    camau = frame.set_index("unit_code").loc["H12"]
    assert camau["unit_name"] == "UBND tỉnh Cà Mau"
    assert (camau["official_code"], camau["official_name"]) == ("96", "Tỉnh Cà Mau")
    assert [camau[c] for c in COMPONENTS] == [16.19, 18.63, 19.49, 8.15, 9.51, 17.94]
    assert camau["total"] == 89.91
    assert camau["printed_rank"] == "4"
    assert (camau["sheet"], camau["row"], camau["period"], camau["as_of"]) == (SHEET, 5, "2025-ytd", "")


def test_every_row_adds_up_and_stays_within_the_maxima():
    frame = read_index_exports([REAL], period="2025-ytd")
    sums = frame[list(COMPONENTS)].sum(axis=1)
    assert ((sums - frame["total"]).abs() <= 0.01).all()
    for component, maximum in COMPONENT_MAX.items():
        assert frame[component].between(0, maximum).all()
    assert frame["TTTT"].max() == 10.0  # the payment part reaches its 10-point maximum
    assert sum(COMPONENT_MAX.values()) == 100


def test_portal_code_prefix_is_normalised_and_the_printed_code_kept():
    frame = read_index_exports([REAL], period="2025-ytd").set_index("unit_code")
    assert frame.loc["H37", "ma_coquan"] == "000.00.00.H37"
    assert frame.loc["H37", "official_code"] == "20"  # Lạng Sơn


def test_portal_province_table_matches_the_export_names():
    frame = read_index_exports([REAL], period="2025-ytd")
    derived = {row.unit_code: index_units.match_province(row.unit_name)[0] for row in frame.itertuples()}
    assert derived == PORTAL_PROVINCE_CODES


def test_csv_with_comma_decimals_and_a_title_stating_the_month(tmp_path):
    rows = _rows()
    lines = ["BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP THÁNG 10/2025", ";".join(rows[0])]
    lines += [
        ";".join(str(v).replace(".", ",") if v and v[0].isdigit() and "H" not in v else v for v in r) for r in rows[1:]
    ]
    path = tmp_path / "thang10.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    frame = read_index_exports([path])
    camau = frame.set_index("unit_code").loc["H12"]
    assert (camau["period"], camau["period_kind"], camau["as_of"]) == ("2025-10", "month", "2025-10-31")
    assert camau["MDSH"] == 19.49 and camau["row"] == 6 and camau["sheet"] == ""


def test_title_with_a_date_range_from_january_is_a_year_to_date(tmp_path):
    path = _write_xlsx(tmp_path / "ytd.xlsx", _rows(), above=["Từ ngày 01/01/2025 đến ngày 15/10/2025"])
    frame = read_index_exports([path])
    assert set(frame["period"]) == {"2025-ytd-10"} and set(frame["as_of"]) == {"2025-10-15"}


def test_a_title_that_contradicts_period_is_refused(tmp_path):
    path = _write_xlsx(tmp_path / "q.xlsx", _rows(), above=["Quý III/2025"])
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([path], period="2025-10")
    assert _issues(excinfo) == [("q.xlsx", SHEET, None, None, None, "index_period_conflict")]


def test_no_period_anywhere_is_refused():
    with pytest.raises(IngestError, match="--period"):
        read_index_exports([REAL])


def test_component_above_its_maximum(tmp_path):
    rows = _rows()
    rows[4][_col(rows, "MDSH")] = "22.5"  # Cà Mau, spreadsheet row 5
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "over.xlsx", rows)], period="2025-ytd")
    assert ("over.xlsx", SHEET, 5, "MDSH", "22.5", "index_above_max") in _issues(excinfo)
    assert "tối đa 22" in str(excinfo.value)


def test_negative_component(tmp_path):
    rows = _rows()
    rows[2][_col(rows, "TTTT")] = "-1"
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "neg.xlsx", rows)], period="2025-ytd")
    assert ("neg.xlsx", SHEET, 3, "TTTT", "-1", "index_below_zero") in _issues(excinfo)


def test_components_that_do_not_add_up(tmp_path):
    rows = _rows()
    rows[4][_col(rows, "TONG_SCORE")] = "89.93"  # components add up to 89.91
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "sum.xlsx", rows)], period="2025-ytd")
    assert _issues(excinfo) == [("sum.xlsx", SHEET, 5, "TONG_SCORE", "89.93", "index_sum")]
    assert "89.91" in str(excinfo.value)


def test_a_difference_within_a_hundredth_is_rounding(tmp_path):
    rows = _rows()
    rows[4][_col(rows, "TONG_SCORE")] = "89.92"
    frame = read_index_exports([_write_xlsx(tmp_path / "ok.xlsx", rows)], period="2025-ytd")
    assert frame.set_index("unit_code").loc["H12", "total"] == 89.92


def test_missing_and_unknown_columns(tmp_path):
    rows = _rows()
    drop = _col(rows, "MDHL")
    rows = [r[:drop] + r[drop + 1 :] for r in rows]
    rows[0][0] = "MA_SO"
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "cols.xlsx", rows)], period="2025-ytd")
    found = _issues(excinfo)
    assert ("cols.xlsx", SHEET, 1, "MA_SO", "MA_SO", "index_unknown_column") in found
    assert ("cols.xlsx", SHEET, 1, "MDHL", None, "index_missing_column") in found
    assert ("cols.xlsx", SHEET, 1, "ID", None, "index_missing_column") in found


def test_duplicated_unit_is_reported_with_both_places(tmp_path):
    rows = _rows()
    rows.append(list(rows[4]))  # Cà Mau again, row 36
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "dup.xlsx", rows)], period="2025-ytd")
    assert _issues(excinfo) == [("dup.xlsx", SHEET, 36, "MA_COQUAN", "H12", "index_duplicate_unit")]
    assert "row 5" in str(excinfo.value)


def test_the_same_unit_in_two_files_of_one_period_is_a_duplicate(tmp_path):
    first = _write_xlsx(tmp_path / "a.xlsx", _rows())
    second = _write_xlsx(tmp_path / "b.xlsx", _rows()[:6])
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([first, second], period="2025-ytd")
    assert len(excinfo.value.issues) == 5 and {i.file for i in excinfo.value.issues} == {"b.xlsx"}


def test_text_in_a_score(tmp_path):
    rows = _rows()
    rows[10][_col(rows, "CKMB")] = "15,4 điểm"
    rows[11][_col(rows, "TDGQ")] = ""
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "text.xlsx", rows)], period="2025-ytd")
    found = _issues(excinfo)
    assert ("text.xlsx", SHEET, 11, "CKMB", "15,4 điểm", "index_not_a_number") in found
    assert ("text.xlsx", SHEET, 12, "TDGQ", "", "index_empty_score") in found


def _unit_rows(units: list[tuple[str, str, float]]) -> list[list[object]]:
    """Synthetic rows (test-only): code, name and a total split over the components in proportion to maxima."""
    header = _rows()[0]
    out = [header]
    for i, (code, name, total) in enumerate(units, start=1):
        values = {c: round(m * total / 100, 2) for c, m in COMPONENT_MAX.items()}
        values["MDHL"] = round(total - sum(v for c, v in values.items() if c != "MDHL"), 2)
        row = {"ID": str(i), "TEN": name, "TEN_COQUAN": name, "MA_COQUAN": code, "LOAI_COQUAN": "2"}
        row |= {"CAPDONVIID": "3", "ID_COQUAN": str(i), "TONG_SCORE": f"{total}", "ROW_STT": str(i)}
        row |= {c: f"{v}" for c, v in values.items()}
        out.append([row[h] for h in header])
    return out


def test_levels_come_from_code_and_name_and_an_undecidable_row_is_refused(tmp_path):
    units = [("H12.1", "UBND phường An Xuyên", 91.0), ("H12.2", "Sở Tư pháp", 85.5), ("H12.3", "Hội Nông dân", 70.0)]
    with pytest.raises(IngestError) as excinfo:
        read_index_exports([_write_xlsx(tmp_path / "mixed.xlsx", _unit_rows(units))], period="2025-10")
    assert _issues(excinfo) == [("mixed.xlsx", SHEET, 4, "MA_COQUAN", "H12.3", "index_level_undecided")]
    frame = read_index_exports([_write_xlsx(tmp_path / "two.xlsx", _unit_rows(units[:2]))], period="2025-10")
    assert frame["level"].tolist() == ["commune", "agency"]
    assert frame["official_code"].tolist() == ["32002", ""]  # Phường An Xuyên, Cà Mau; agencies have no code


def test_the_sheet_name_decides_the_level_and_contradictions_are_refused(tmp_path):
    units = [("H12.3", "Hội Nông dân", 70.0)]
    frame = read_index_exports(
        [_write_xlsx(tmp_path / "a.xlsx", _unit_rows(units), title="Sở, ban, ngành")], period="2025-10"
    )
    assert frame["level"].tolist() == ["agency"]
    units = [("H12.1", "UBND phường An Xuyên", 91.0)]
    with pytest.raises(IngestError) as excinfo:
        read_index_exports(
            [_write_xlsx(tmp_path / "b.xlsx", _unit_rows(units), title="Sở, ban, ngành")], period="2025-10"
        )
    assert _issues(excinfo)[0][-1] == "index_level_conflict"


def test_several_sheets_are_read_and_a_sheet_can_be_chosen(tmp_path):
    path = _write_xlsx(tmp_path / "multi.xlsx", _rows(), title="Tỉnh")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Cấp xã")
    for row in _unit_rows([("H12.1", "UBND phường An Xuyên", 91.0), ("H12.4", "UBND xã Đất Mũi", 78.5)]):
        ws.append(row)
    wb.save(path)
    frame = read_index_exports([path], period="2025-10")
    assert frame.groupby("sheet")["level"].agg(set).to_dict() == {"Cấp xã": {"commune"}, "Tỉnh": {"province"}}
    only = read_index_exports([path], period="2025-10", sheet="Cấp xã")
    assert only["unit_name"].tolist() == ["UBND phường An Xuyên", "UBND xã Đất Mũi"]


def test_period_grammar():
    assert parse_period("2025-10").as_of_text == "2025-10-31"
    assert (parse_period("2025-Q3").id, parse_period("2025-Q3").as_of_text) == ("2025-q3", "2025-09-30")
    assert parse_period("2025-ytd").as_of is None
    with pytest.raises(ParameterError):
        parse_period("10/2025")
