"""`dvctt index`: from the portal's export to the report, its tables and the chat message; broken exports write
nothing. Real Papermill, nbconvert and openpyxl throughout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import INDEX_EXPORT, run_dvctt
from portal2026_workbook import gia_lai_workbook

from dvctt import paths

EXPORT = INDEX_EXPORT
SHEET = "Báo cáo 766"


@pytest.fixture
def camau(index_site) -> tuple[Path, object]:
    """The shared render (tests/conftest.py): read it, never write into it."""
    return index_site.out, index_site.run


@pytest.mark.e2e
def test_one_command_from_the_export_to_the_camau_report(camau):
    out, done = camau
    assert done.returncode == 0, done.stderr
    html = (out / "index_report_2025-ytd_vi.html").read_text(encoding="utf-8")
    assert "Chỉ số phục vụ người dân, doanh nghiệp: UBND tỉnh Cà Mau" in html
    assert "89,91/100" in html and ">4/34<" in html and "Xếp hạng trong các tỉnh, thành phố" in html
    assert "Điểm bị mất theo thành phần" in html and "data:image/png;base64," in html
    assert "Cung cấp dịch vụ trực tuyến (mất 3,85/12 điểm)" in html
    assert "Traceback" not in html and str(out) not in html
    assert (out / "index.html").is_file() and (out / "data" / "index_scores.csv").is_file()


@pytest.mark.e2e
def test_the_footer_names_the_report_period_and_language_and_the_ids_stay_in_the_meta_tags(camau):
    out, _ = camau
    html = (out / "index_report_2025-ytd_vi.html").read_text(encoding="utf-8")
    head, footer = html.split("</head>", 1)[0], html.split('<footer class="provenance">', 1)[1]
    assert '<span class="period">Lũy kế năm 2025' in footer and '<span class="lang">Tiếng Việt</span>' in footer
    assert '<span class="campaign">Chỉ số phục vụ người dân, doanh nghiệp: UBND tỉnh Cà Mau</span>' in footer
    assert "index-766" not in footer and "2025-ytd" not in footer.split('href="', 1)[0]
    assert '<meta name="dvctt:campaign" content="index-766">' in head
    assert '<meta name="dvctt:period" content="2025-ytd">' in head


@pytest.mark.e2e
def test_the_scores_table_has_the_published_columns_and_camau_figures(camau):
    out, _ = camau
    table = pd.read_csv(out / "tables" / "index_scores.csv", dtype={"unit_code": str})
    assert list(table.columns) == [
        "unit_code", "unit_name", "level", "period", "component", "score", "max_points", "points_lost", "total",
        "rank", "n_peers",
    ]  # fmt: skip
    assert len(table) == 34 * 6
    camau = table[table["unit_code"] == "H12"].set_index("component")
    assert camau.loc["MDSH", ["score", "max_points", "points_lost", "total", "rank", "n_peers"]].tolist() == [
        19.49, 22.0, 2.51, 89.91, 4, 34,
    ]  # fmt: skip
    assert set(camau["level"]) == {"province"} and set(camau["period"]) == {"2025-ytd"}
    in_period = pd.read_csv(out / "tables" / "2025-ytd" / "index_units.csv", dtype={"unit_code": str})
    assert in_period.set_index("unit_code").loc[["H12", "H57", "H14"], "rank"].tolist() == [4, 25, 25]


@pytest.mark.e2e
def test_the_message_and_the_workbook(camau):
    out, done = camau
    message = (out / "message.txt").read_text(encoding="utf-8")
    assert message.splitlines()[1] == "- Lũy kế năm 2025 (tệp không ghi ngày chốt): 89,91/100, hạng 4/34."
    assert len(message) <= 2000 and (out / "message_2025-ytd.txt").read_text(encoding="utf-8") == message
    workbook = openpyxl.load_workbook(out / "index_report_2025-ytd_vi.xlsx")
    sheet = workbook["Điểm thành phần"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Kỳ", "Thành phần"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    camau = next(r for r in rows if r[0] == "H12" and r[4] == "Mức độ số hóa hồ sơ")
    assert camau[2] == "Tỉnh, thành phố" and camau[5] == 19.49
    assert f"Message: {out / 'message_2025-ytd.txt'}" in done.stdout
    assert f"Message (latest): {out / 'message.txt'}" in done.stdout


@pytest.mark.e2e
def test_dvctt_report_prints_the_message_again(camau, tmp_path):
    out, _ = camau
    done = run_dvctt(
        "report", "--campaign", str(out / "data"), "--notebook", "index_report", "--scope", "H12", "--message",
        "--out", str(tmp_path / "again"), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith((out / "message.txt").read_text(encoding="utf-8"))


def _broken(tmp_path: Path, row: int, column: str, value: str | None) -> Path:
    wb = openpyxl.load_workbook(EXPORT)
    ws = wb[SHEET]
    header = [c.value for c in ws[1]]
    if value is None:
        ws.delete_cols(header.index(column) + 1)
    else:
        ws.cell(row=row, column=header.index(column) + 1, value=value)
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (5, "MDSH", "23", "broken.xlsx, sheet 'Báo cáo 766', row 5, column 'MDSH': '23'"),
        (5, "TONG_SCORE", "91.5", "row 5, column 'TONG_SCORE': '91.5'"),
        (7, "CKMB", "mười lăm", "row 7, column 'CKMB': 'mười lăm'"),
        (1, "MDHL", None, "column 'MDHL'"),
        (6, "MA_COQUAN", "H12", "row 6, column 'MA_COQUAN': 'H12'"),
    ],
    ids=["over-max", "sum", "text", "missing-column", "duplicate"],
)
def test_a_malformed_export_gets_clear_errors_and_writes_nothing(tmp_path, row, column, value, expected):
    path = _broken(tmp_path, row, column, value)
    out = tmp_path / "out"
    done = run_dvctt("index", str(path), "--scope", "H12", "--period", "2025-ytd", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_an_unknown_scope_writes_nothing(tmp_path):
    out = tmp_path / "out"
    done = run_dvctt("index", str(EXPORT), "--scope", "H99", "--period", "2025-ytd", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1 and "H99" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_the_shipped_example_is_the_fixture():
    shipped = paths.DATA_DIR / "index-766" / "bao_cao_766_tinh_2025.xlsx"
    assert shipped.read_bytes() == EXPORT.read_bytes()
    shared = paths.PROJECT_ROOT.parent / "shared" / "data" / "index-766" / "bao_cao_766_tinh_2025.xlsx"
    if shared.is_file():  # CI has ../shared beside the clone; a user's clone does not
        assert shared.read_bytes() == EXPORT.read_bytes()


@pytest.mark.e2e
def test_english_report_and_a_second_run_changes_nothing(camau, tmp_path):
    out = shutil.copytree(camau[0], tmp_path / "out")  # the shared render stays as it was
    before = (out / "data" / "index_scores.csv").read_bytes()
    done = run_dvctt("index", str(EXPORT), "--scope", "Cà Mau", "--period", "2025-ytd", "--lang", "en", "--out",
                     str(out), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "0 unit-period(s) added, 0 replaced, 34 unchanged" in done.stdout
    assert (out / "data" / "index_scores.csv").read_bytes() == before
    html = (out / "index_report_2025-ytd_en.html").read_text(encoding="utf-8")
    assert "Service index (Decision 766): UBND tỉnh Cà Mau" in html and "89.91/100" in html
    assert "Points lost per component" in html and "Điểm bị mất" not in html
    english = (out / "message_en.txt").read_text(encoding="utf-8").splitlines()[1]
    assert english == "- Year 2025 to date (the export does not state the date): 89.91/100, rank 4 of 34."
    assert (out / "message_2025-ytd_en.txt").is_file() and "Tổng điểm" not in english


# ------------------------------------------------------------------ the 2026 answers and a province's own workbook

PORTAL = Path(__file__).parents[1] / "fixtures" / "portal-2026"
NATIONAL = PORTAL / "service-results_national_year2026_asof-2026-09-17.json"
AN_GIANG = PORTAL / "service-results_H01_AnGiang_year2026.json"


@pytest.mark.e2e
def test_one_command_on_a_folder_of_2026_answers_reports_an_giang_60_35_and_24th_of_34(tmp_path):
    answers = shutil.copytree(PORTAL, tmp_path / "answers", ignore=shutil.ignore_patterns("*EXCERPT*"))
    out = tmp_path / "out"
    done = run_dvctt("index", str(answers), "--scope", "H01", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "449 unit-period(s) added" in done.stdout  # 34 + 117 + 149 + 149 (February) of Gia Lai, 2026-ytd, 2026-02
    message = (out / "message.txt").read_text(encoding="utf-8")
    assert "60,35/100, hạng 24/34" in message
    stored = pd.read_csv(out / "data" / "index_scores.csv", dtype=str, keep_default_na=False)
    an_giang = stored[stored["unit_code"] == "H01"]
    assert set(an_giang["as_of"]) == {"2026-09-17"} and set(an_giang["total"]) == {"60.35"}
    commune = stored[stored["unit_code"] == "H01.189"]
    assert len(commune) == 6 and set(commune["score"]) == {""}  # totals only: the components stay empty, not 0
    html = (out / "index_report_2026-ytd_vi.html").read_text(encoding="utf-8")
    assert "60,35/100" in html and "Traceback" not in html


@pytest.mark.e2e
def test_a_provinces_four_sheet_workbook_takes_one_command(tmp_path):
    workbook = gia_lai_workbook(tmp_path / "chi_so_gia_lai.xlsx")
    out = tmp_path / "out"
    done = run_dvctt("index", str(workbook), "--scope", "H21", "--period", "2026-ytd", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "151 unit-period(s) added, 0 replaced, 0 unchanged (2026-02, 2026-ytd-10)" in done.stdout
    stored = pd.read_csv(out / "data" / "index_scores.csv", dtype=str, keep_default_na=False)
    totals = stored.drop_duplicates(["unit_code", "period"]).groupby(["period", "level"]).size().to_dict()
    assert totals == {("2026-02", "province"): 1, ("2026-ytd-10", "province"): 1, ("2026-ytd-10", "agency"): 14,
                      ("2026-ytd-10", "commune"): 135}  # fmt: skip
    gia_lai = stored[stored["unit_code"] == "H21"].drop_duplicates("period").set_index("period")["total"]
    assert gia_lai.to_dict() == {"2026-ytd-10": "65.47", "2026-02": "34.19"}
    message = (out / "message.txt").read_text(encoding="utf-8")
    assert "65,47/100" in message


def test_an_answer_of_unknown_shape_names_file_json_path_and_what_was_expected_and_writes_nothing(tmp_path):
    doc = json.loads(NATIONAL.read_text(encoding="utf-8"))
    doc["data"]["evaluation"][5] = {"provinceScore": 61.2}
    path = tmp_path / "service-results_national_year2026.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    done = run_dvctt("index", str(path), "--scope", "H01", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "service-results_national_year2026.json, at data.evaluation[5]" in done.stderr
    assert "expected a unit's record {departmentId, departmentCode, departmentName, totalScore, …}" in done.stderr
    assert "found {provinceScore}" in done.stderr and "the file is kept as it is" in done.stderr
    assert not out.exists() and json.loads(path.read_text(encoding="utf-8")) == doc


def test_a_scope_that_is_only_the_province_prefix_says_so_and_what_to_do(tmp_path):
    out = tmp_path / "out"
    done = run_dvctt("index", str(AN_GIANG), "--scope", "H01", "--out", str(out), cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "H01 is the province of the 117 agencies and communes read, but its own row is not in these files" in (
        done.stderr
    )
    assert "--scope H01.01" in done.stderr and "service-results_national" in done.stderr
    assert not out.exists()
