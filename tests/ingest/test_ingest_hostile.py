"""Hostile and broken input files (issue 10): a clear message for each, never a traceback, nothing misfiled.

Every file is generated here; the campaign is a copy of Cà Mau 2023 in tmp_path. CLI runs are real processes.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from conftest import run_dvctt

from dvctt import paths
from dvctt.campaign.definition import Campaign
from dvctt.campaign.loading import load_campaign
from dvctt.ingest.save import save_ingest
from dvctt.ingest.statistics import ingest

PERIOD = "2023-campaign"
SHIPPED = paths.CAMPAIGNS_DIR / "camau-2023"
RATE = "Tỷ lệ hồ sơ trực tuyến (%)"


@pytest.fixture(scope="module")
def camau(tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    folder = tmp_path_factory.mktemp("camau-ro") / "camau"
    shutil.copytree(SHIPPED, folder)
    return load_campaign(folder)


@pytest.fixture
def camau_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "camau"
    shutil.copytree(SHIPPED, folder)
    return folder


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def issues(result: Any) -> list[tuple[int | None, str, str]]:
    return [(i.row, i.rule, i.reason("en")) for i in result.issues]


# ------------------------------------------------------------------------------------------ identity


def test_a_code_and_a_name_that_disagree_are_rejected_naming_both(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Mã đơn vị", "Tên đơn vị", RATE],
        ["964", "Huyện U Minh", "80"],  # 964 is Thành phố Cà Mau; U Minh is 966
        ["966", "UBND huyện U Minh", "81"],  # agrees after normalisation
    ]
    result = ingest(write_csv(tmp_path / "codes.csv", rows), camau, PERIOD)
    assert result.observations["unit_code"].tolist() == ["966"]
    [(row, rule, reason)] = issues(result)
    assert (row, rule) == (2, "code_name_mismatch")
    assert "code 964 is 'Thành phố Cà Mau'" in reason and "'Huyện U Minh' (Huyện U Minh, 966)" in reason


def test_an_unknown_code_gets_a_message_with_the_closest_codes(tmp_path: Path, camau_dir: Path) -> None:
    path = write_csv(tmp_path / "codes.csv", [["Mã đơn vị", RATE], ["9644", "80"]])
    for command in ("validate", "ingest"):
        done = run_dvctt(command, str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "codes.csv, row 2, column 'A: Mã đơn vị': '9644'" in done.stderr
        assert "unit code '9644' is not in units.csv; closest codes: Thành phố Cà Mau (964)" in done.stderr


def test_spelling_tolerant_matches_need_confirmation(tmp_path: Path, camau_dir: Path) -> None:
    path = write_csv(tmp_path / "typo.csv", [["Tên đơn vị", RATE], ["Xã Nguyễn Phíc", "33"], ["Xã Tân Ân", "50"]])
    args = ("--campaign", str(camau_dir), "--period", PERIOD)
    done = run_dvctt("validate", str(path), *args, cwd=tmp_path)
    assert done.returncode == 1
    assert "typo.csv, row 2, column 'A: Tên đơn vị': 'Xã Nguyễn Phíc'" in done.stderr
    assert "close to 'Xã Nguyễn Phích' (32053)" in done.stderr and "--accept-fuzzy" in done.stderr
    done = run_dvctt("ingest", str(path), *args, cwd=tmp_path)
    assert done.returncode == 1
    obs = load_campaign(camau_dir).observations
    assert "32053" not in set(obs.loc[obs["period"] == PERIOD, "unit_code"])  # not stored unconfirmed
    assert "32245" in set(obs.loc[obs["period"] == PERIOD, "unit_code"])  # the exact match is
    done = run_dvctt("validate", str(path), *args, "--accept-fuzzy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run_dvctt("ingest", str(path), *args, "--accept-fuzzy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    obs = load_campaign(camau_dir).observations
    stored = obs[(obs["unit_code"] == "32053") & (obs["period"] == PERIOD)]
    assert stored["rate"].tolist() == [33.0] and "Xã Nguyễn Phích" in stored["note"].iloc[0]


# --------------------------------------------------------------------------------------------- rates


def test_fractions_under_a_percent_header_are_ambiguous_unless_told(tmp_path: Path, camau_dir: Path) -> None:
    """The header says "(%)" like the template's; 0.799 typed under it is 79.9% or 0.799%: dvctt asks."""
    rows = [["Tên đơn vị", RATE], ["Xã Tân Ân", "0.799"], ["Xã Đất Mũi", "0.5"]]
    path = write_csv(tmp_path / "fractions.csv", rows)
    args = ("--campaign", str(camau_dir), "--period", PERIOD)
    before = (camau_dir / "observations.csv").read_bytes()
    done = run_dvctt("ingest", str(path), *args, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"column 'B: {RATE}'" in done.stderr and "Re-run with --fraction or --percent" in done.stderr
    assert (camau_dir / "observations.csv").read_bytes() == before  # nothing stored as 0.799 %
    done = run_dvctt("ingest", str(path), *args, "--fraction", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    obs = load_campaign(camau_dir).observations
    mine = obs[obs["source_id"].str.startswith("ingest-")]
    assert sorted(zip(mine["unit_code"], mine["rate"].round(9), strict=True)) == [("32245", 79.9), ("32248", 50.0)]


def test_excel_percent_format_says_what_the_values_are(tmp_path: Path, camau: Campaign) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tên đơn vị", RATE])
    for name, value in (("Xã Tân Ân", 0.799), ("Xã Đất Mũi", 0.5)):
        sheet.append([name, value])
        sheet.cell(sheet.max_row, 2).number_format = "0.0%"
    path = tmp_path / "percent-format.xlsx"
    book.save(path)
    result = ingest(path, camau, PERIOD)
    assert result.ok, result.issues
    assert sorted(result.observations["rate"].astype(float).round(9)) == [50.0, 79.9]


# ------------------------------------------------------------------------------ no row skipped silently


def test_a_row_with_figures_below_the_signature_block_is_rejected(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ"],
        ["Xã Tân Ân", "5", "10"],
        ["Người lập biểu", "", ""],
        ["", "", ""],
        ["Xã Đất Mũi", "7", "10"],  # added after the signature by someone in a hurry
    ]
    result = ingest(write_csv(tmp_path / "signed.csv", rows), camau, PERIOD)
    assert result.observations["unit_code"].tolist() == ["32245"]
    [(row, rule, reason)] = issues(result)
    assert (row, rule) == (5, "after_footer") and "below the signature block (row 3)" in reason
    assert result.issues[0].value == "Xã Đất Mũi"


def test_figures_without_a_unit_are_not_taken_for_column_numbers(tmp_path: Path, camau: Campaign) -> None:
    rows = [
        ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ", RATE],
        ["", "5", "10", "77"],  # not "(1) (2) (3)": figures whose unit name is missing
        ["Xã Tân Ân", "5", "10", "50"],
    ]
    result = ingest(write_csv(tmp_path / "nameless.csv", rows), camau, PERIOD)
    assert result.observations["unit_code"].tolist() == ["32245"]
    assert [(row, rule) for row, rule, _ in issues(result)] == [(2, "no_unit")]
    numbered = [rows[0], ["(1)", "(2)", "(3)", "(4)"], rows[2]]  # the real column-number row is still skipped
    result = ingest(write_csv(tmp_path / "numbered.csv", numbered), camau, PERIOD)
    assert result.ok and result.observations["unit_code"].tolist() == ["32245"]


# ------------------------------------------------------------------------------------ no tracebacks


def test_huge_counts_are_rejected_not_a_crash(tmp_path: Path, camau_dir: Path) -> None:
    rows = [
        ["Tên đơn vị", "Số hồ sơ trực tuyến", "Tổng số hồ sơ"],
        ["Xã Tân Ân", str(10**20), str(10**20)],
        ["Xã Đất Mũi", str(2**63 - 1), str(2**63 - 1)],
        ["Xã Viên An", "5", "10"],
    ]
    path = write_csv(tmp_path / "big.csv", rows)
    done = run_dvctt("ingest", str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"big.csv, row 3, column 'B: Số hồ sơ trực tuyến': '{2**63 - 1}'" in done.stderr
    assert "the dossier count is implausibly large (above 10^12)" in done.stderr
    obs = load_campaign(camau_dir).observations
    kept = obs[obs["source_id"].str.startswith("ingest-")]
    assert kept[["unit_code", "numerator", "denominator", "rate"]].values.tolist() == [["32242", 5, 10, 50.0]]


def test_a_zero_byte_campaign_table_is_a_message(tmp_path: Path, camau_dir: Path) -> None:
    (camau_dir / "observations.csv").write_bytes(b"")
    path = write_csv(tmp_path / "a.csv", [["Tên đơn vị", RATE], ["Xã Tân Ân", "50"]])
    done = run_dvctt("validate", str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "observations.csv: the file is empty: it needs at least its header row" in done.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "the file is named .xlsx but is an image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "is an Excel 97–2003 (.xls) file renamed; open it in Excel"),
    ],
    ids=["zero-byte", "png", "renamed-xls"],
)
def test_files_that_are_not_workbooks_get_a_message(
    tmp_path: Path, camau_dir: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    done = run_dvctt("validate", str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "BadZipFile" not in done.stderr
    assert "bao-cao.xlsx: " in done.stderr and expected in done.stderr


def test_beyond_50_problems_a_summary_and_the_full_list_in_a_file(tmp_path: Path, camau_dir: Path) -> None:
    rows = [["Tên đơn vị", RATE]] + [[f"Xã Không Có Số {i}", "50"] for i in range(120)]
    path = write_csv(tmp_path / "many.csv", rows)
    done = run_dvctt("validate", str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 1
    listed = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == 50
    assert "... và 70 lỗi khác / and 70 more" in done.stderr
    full = tmp_path / "dvctt-validate-problems.txt"
    assert str(full) in done.stderr
    lines = full.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 120 and lines[119].startswith("many.csv, row 121, column 'A: Tên đơn vị'")


def test_a_duplicate_in_a_copied_sheet_names_the_sheets(tmp_path: Path, camau: Campaign) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in ("Cấp xã", "Cấp xã (2)"):
        sheet = book.create_sheet(name)
        sheet.append(["Tên đơn vị", RATE])
        sheet.append(["Xã Tân Ân", 50])
    path = tmp_path / "copied.xlsx"
    book.save(path)
    result = ingest(path, camau, PERIOD)
    assert result.observations.empty
    reasons = {(i.sheet, i.row): i.reason("en") for i in result.issues}
    assert set(reasons) == {("Cấp xã", 2)}  # one message for the group, at its first row
    assert "in 2 rows 2 (Cấp xã), 2 (Cấp xã (2))" in reasons[("Cấp xã", 2)]


def test_minus_zero_is_stored_as_zero(tmp_path: Path, camau_dir: Path) -> None:
    path = write_csv(tmp_path / "zero.csv", [["Tên đơn vị", RATE], ["Xã Tân Ân", "-0"]])
    save_ingest(ingest(path, camau_dir, PERIOD), camau_dir)
    text = (camau_dir / "observations.csv").read_text(encoding="utf-8")
    assert "32245,2023-campaign,online,,,0.0,ok,-0," in text and "-0.0" not in text


# --------------------------------------------------------------------------------------- safe to open

FORMULAS = ['=HYPERLINK("http://evil.example/","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0"]


def formula_like(text: str) -> bool:
    """What a spreadsheet may read as a formula (checked independently of dvctt.safe_text)."""
    if text[:1] in ("=", "+", "@", "\t", "\r"):
        return True
    return text.startswith("-") and not re.fullmatch(r"-[\d.,\s]*([eE][-+]?\d+)?%?", text)  # a number


def formula_cells(folder: Path) -> list[str]:
    """Every formula-like text cell and every formula in the CSV and XLSX files under ``folder``."""
    found = []
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                found += [f"{path.name}: {cell!r}" for cell in row if formula_like(cell)]
    for path in sorted(folder.rglob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (isinstance(cell.value, str) and formula_like(cell.value)):
                        found.append(f"{path.name}!{sheet.title}!{cell.coordinate}: {cell.value!r}")
    return found


def hostile_campaign(folder: Path) -> Path:
    """Cà Mau with formula-like unit names (units.csv is the analyst's own file, read as it is)."""
    units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    for code, name in zip(["32245", "32242", "32239", "964"], FORMULAS, strict=True):
        units.loc[units["unit_code"] == code, ["official_name", "published_name"]] = name
    units.to_csv(folder / "units.csv", index=False, lineterminator="\n")
    return folder


def test_ingest_writes_no_formula_like_cell(tmp_path: Path, camau_dir: Path) -> None:
    hostile_campaign(camau_dir)
    rows = [
        ["Mã đơn vị", "Tên đơn vị", RATE, "Ghi chú"],
        ["32245", FORMULAS[0], "50", "=1+1"],  # stored, with its note
        ["", "@SUM(A1:A9)", "60", ""],  # unknown unit: rejected, its name in the rejects file
        ["", "-5+cmd", "70", "+note"],
    ]
    path = write_csv(tmp_path / "=evil.csv", rows)
    result = ingest(path, camau_dir, PERIOD)
    save_ingest(result, camau_dir)
    assert len(result.observations) == 1 and len(result.issues) == 2, result.issues
    assert formula_cells(camau_dir / "rejects") == []
    new_rows = (camau_dir / "observations.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert "'=1+1" in new_rows and "'=evil.csv, row 2" in new_rows
    obs = load_campaign(camau_dir).observations
    assert obs.loc[obs["source_id"] == result.source_id, "note"].tolist() == ["'=1+1"]
    assert not any(formula_like(f) for f in load_campaign(camau_dir).sources["file"])
    out = tmp_path / "template" / "bieu-nhap.xlsx"
    out.parent.mkdir()
    assert run_dvctt("template", "--campaign", str(camau_dir), "--out", str(out), cwd=tmp_path).returncode == 0
    assert formula_cells(out.parent) == []  # the template pre-fills the unit names


@pytest.mark.e2e
def test_a_render_writes_no_formula_like_cell(tmp_path: Path, camau_dir: Path) -> None:
    hostile_campaign(camau_dir)
    out = tmp_path / "out"
    done = run_dvctt("report", "--campaign", str(camau_dir), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert formula_cells(out) == []
    book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    texts = {c.value for s in book.worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)}
    assert "'" + FORMULAS[0] in texts  # the name is kept, as text
