"""Bounded work and messages on hostile inputs (issue 23, items 5 and 6): every hostile file is built here.

A zip bomb of 3,6 MB that unzips to 1 GB of sheet XML, 5,000 rows of one unit, a symbolic-link loop, a named
pipe and a link to /dev/zero in a campaign folder, a TOML nested 50,000 deep, bad DVCTT_LOCK_TIMEOUT values.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import run_dvctt

from dvctt import paths
from dvctt.campaign.loading import load_campaign
from dvctt.ingest.bounds import Progress
from dvctt.ingest.statistics import ingest

PERIOD = "2023-campaign"
SHIPPED = paths.CAMPAIGNS_DIR / "camau-2023"
RATE = "Tỷ lệ hồ sơ trực tuyến (%)"
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def camau_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "camau"
    shutil.copytree(SHIPPED, folder)
    return folder


def small_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tên đơn vị", RATE])
    book.active.append(["Xã Tân Ân", 50])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A real workbook whose first sheet's XML is ``megabytes`` MB of rows, deflated (1 GB → 3,6 MB)."""
    row = b'<row><c t="inlineStr"><is><t>Xa Tan An</t></is></c><c><v>50</v></c></row>'
    block = row * (1024 * 1024 // len(row))
    with (
        zipfile.ZipFile(io.BytesIO(small_workbook())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                out.writestr(info, source.read(info))
                continue
            with out.open(SHEET, "w", force_zip64=True) as part:
                part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                for _ in range(megabytes):
                    part.write(block)
                part.write(b"</sheetData></worksheet>")
    return path


# Linux counts the image a child was forked from (the test worker, hundreds of MB late in a run) in its peak memory:
# a small launcher interpreter starts dvctt and reports dvctt's own peak, measured from the launcher's wait4.
LAUNCHER = """
import os, subprocess, sys
process = subprocess.Popen([sys.executable, "-m", "dvctt", *sys.argv[2:]], stdout=open("out.txt", "w"),
                           stderr=open("err.txt", "w"))
_, status, usage = os.wait4(process.pid, 0)
open(sys.argv[1], "w").write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_measured(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """``dvctt ARGS`` in a fresh interpreter: the result, its wall time (s) and its own peak memory (MB)."""
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", LAUNCHER, "measured.txt", *args], cwd=cwd, check=True)
    seconds = time.monotonic() - start
    code, maxrss = (int(v) for v in (cwd / "measured.txt").read_text().split())
    out, err = ((cwd / name).read_text(encoding="utf-8") for name in ("out.txt", "err.txt"))
    return subprocess.CompletedProcess(args, code, out, err), seconds, maxrss / 1024


# ------------------------------------------------------------------------------------------ the xlsx guard


def test_a_zip_bomb_is_refused_before_it_is_parsed_in_bounded_time_and_memory(tmp_path: Path, camau_dir: Path) -> None:
    bomb = zip_bomb(tmp_path / "bao-cao.xlsx", 1024)
    assert bomb.stat().st_size < 5 * 1024 * 1024  # a few MB on disk, 1 GB of XML inside
    done, seconds, megabytes = run_measured("ingest", str(bomb), "--campaign", str(camau_dir), "--period", PERIOD,
                                            cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert (
        "part 'xl/worksheets/sheet1.xml' unzips to 1,024.0 MB, above the limit of 256 MB per part "
        "(possibly a zip bomb); if the file really is this large, run again with --max-xlsx-mb 1024"
    ) in done.stderr
    assert (
        "  - bao-cao.xlsx: Phần «xl/worksheets/sheet1.xml» của tệp giải nén ra 1.024,0 MB, quá giới hạn 256 MB "
        "cho mỗi phần" in done.stderr
    )
    assert seconds < 30 and megabytes < 400, (seconds, megabytes)  # before: 1,2 GB of memory for this file
    assert load_campaign(camau_dir).observations.equals(load_campaign(SHIPPED).observations)  # nothing written


def test_the_limit_is_raised_by_a_flag_and_the_environment(tmp_path: Path, camau_dir: Path) -> None:
    book = tmp_path / "nho.xlsx"
    book.write_bytes(small_workbook())
    common = ("validate", str(book), "--campaign", str(camau_dir), "--period", PERIOD)
    tiny = run_dvctt(*common, "--max-xlsx-mb", "0.0001", cwd=tmp_path)
    assert tiny.returncode == 1 and "above the limit of 0.0001 MB per part" in tiny.stderr, tiny.stderr
    assert "run again with --max-xlsx-mb 1" in tiny.stderr
    assert run_dvctt(*common, cwd=tmp_path).returncode == 0  # the default takes an ordinary workbook
    os.environ["DVCTT_MAX_XLSX_MB"] = "0.0001"
    try:
        by_env = run_dvctt(*common, cwd=tmp_path)
        os.environ["DVCTT_MAX_XLSX_MB"] = "abc"
        bad = run_dvctt(*common, cwd=tmp_path)
    finally:
        del os.environ["DVCTT_MAX_XLSX_MB"]
    assert by_env.returncode == 1 and "above the limit of 0.0001 MB per part" in by_env.stderr
    assert bad.returncode == 1 and "DVCTT_MAX_XLSX_MB='abc': give a positive number of MB (default 256)" in bad.stderr
    assert "Traceback" not in by_env.stderr + bad.stderr


# ------------------------------------------------------------------------------------- linear reporting


def test_5000_duplicate_rows_of_one_unit_are_one_message_with_the_rows_counted(tmp_path: Path) -> None:
    path = tmp_path / "trung.csv"
    path.write_text("Tên đơn vị," + RATE + "\n" + "Xã Tân Ân,50\n" * 5000 + "Xã Đất Mũi,40\n", encoding="utf-8")
    start = time.monotonic()
    result = ingest(path, load_campaign(SHIPPED), PERIOD)
    seconds = time.monotonic() - start
    [issue] = result.issues
    assert (issue.row, issue.rule, issue.params["count"]) == (2, "duplicate_key", 5000)
    assert "in 5,000 rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (+4990): none kept" in issue.reason("en")
    assert "ở 5.000 dòng 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (+4990): không nhập dòng nào" in issue.reason("vi")
    assert result.observations[["unit_code", "rate"]].values.tolist() == [["32248", 40.0]]  # the valid row kept
    assert seconds < 30, seconds  # before: the messages grew with the square of the group (1,9 GB here)


# -------------------------------------------------------------------------- what ingest copies and reads


def test_ingest_copies_no_link_loop_pipe_or_device_of_the_campaign_folder(tmp_path: Path, camau_dir: Path) -> None:
    (camau_dir / "loop").symlink_to(".")
    os.mkfifo(camau_dir / "pipe")
    (camau_dir / "zero").symlink_to("/dev/zero")
    path = tmp_path / "a.csv"
    path.write_text(f"Tên đơn vị,{RATE}\nXã Tân Ân,50\n", encoding="utf-8")
    done = run_dvctt("ingest", str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert (
        "3 liên kết / tệp đặc biệt trong thư mục chiến dịch không được sao chép / link(s) or special file(s) in "
        "the campaign folder not copied (not campaign data): loop@, pipe, zero@"
    ) in done.stderr
    obs = load_campaign(camau_dir).observations
    assert obs[obs["source_id"].str.startswith("ingest-")][["unit_code", "rate"]].values.tolist() == [["32245", 50.0]]
    assert os.readlink(camau_dir / "loop") == "." and os.readlink(camau_dir / "zero") == "/dev/zero"  # untouched


def test_a_toml_nested_50000_deep_is_a_message(tmp_path: Path, camau_dir: Path) -> None:
    (camau_dir / "campaign.toml").write_text("name = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    done = run_dvctt("check", str(camau_dir), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert f"{camau_dir / 'campaign.toml'}: not valid TOML (nested too deeply to read)." in done.stderr


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_a_bad_lock_timeout_is_refused_naming_the_variable(tmp_path: Path, camau_dir: Path, value: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"Tên đơn vị,{RATE}\nXã Tân Ân,50\n", encoding="utf-8")
    before = (camau_dir / "observations.csv").read_bytes()
    os.environ["DVCTT_LOCK_TIMEOUT"] = value
    try:
        done = run_dvctt("ingest", str(path), "--campaign", str(camau_dir), "--period", PERIOD, cwd=tmp_path)
    finally:
        del os.environ["DVCTT_LOCK_TIMEOUT"]
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    expected = f"DVCTT_LOCK_TIMEOUT='{value}': give the seconds to wait for another dvctt command, a number 0 or more"
    assert f"{expected} (default 300)" in done.stderr, done.stderr
    assert (camau_dir / "observations.csv").read_bytes() == before


def test_a_read_that_takes_long_says_how_far_it_has_got(capsys: pytest.CaptureFixture[str]) -> None:
    quick = Progress("quick.csv", unit="rows")
    quick.update(10)
    quick.done()
    assert capsys.readouterr().err == ""  # a quick read says nothing
    slow = Progress("lon.xlsx, sheet Cấp xã", total=200_000, unit="rows", after=0.0)
    slow.update(50_000)
    slow.done()
    err = capsys.readouterr().err
    assert err.startswith("\rlon.xlsx, sheet Cấp xã: 50,000 rows (25%), 0 s …") and err.endswith(" s\n")
