"""Outputs of a render (issue 10): periods never overwrite each other, the manifest matches the files on disk,
scratch folders never outlive a run (and a killed run's are cleared by the next), a failed run is kept scrubbed;
reports rendered in a row with `keep_kernel_warm` share a kernel, reset between them, until the environment changes.

Real Papermill and nbconvert on the tiny fixture notebooks; the report tables are replaced by tiny frames that
carry their period, so the renders stay fast.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from minimal_campaign import campaign_toml

from dvctt.errors import OutsideFolderError, RenderError
from dvctt.publish import cleanup, execute, render
from dvctt.report import data as report_data

FIXTURE_NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
CAMPAIGN_TOML = campaign_toml()
SECRET_NAME, SECRET = "DVCTT_TEST_API_TOKEN", "s3cr3t-value-8231"
DEAD_PID = 999_999_999  # above any pid_max: no such process


def tables_for(campaign: str, period: str) -> dict[str, pd.DataFrame]:
    rate = {"2022": 40.5, "2023-campaign": 52.25}[period]
    return {"level_summary": pd.DataFrame({"level": ["province"], "rate": [rate], "period": [period]})}


@pytest.fixture
def campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "camp"
    folder.mkdir()
    (folder / "campaign.toml").write_text(CAMPAIGN_TOML, encoding="utf-8")
    (folder / "observations.csv").write_text("unit_code,period,kpi,rate\n964,2022,online,40.5\n", encoding="utf-8")
    monkeypatch.setattr(report_data, "build_report_tables", tables_for)
    return folder


@pytest.fixture
def temp_dir(monkeypatch: pytest.MonkeyPatch, own_kernels: None) -> Iterator[Path]:
    """A system temporary folder of the test's own, so other processes' scratch folders do not count.

    Short and outside tmp_path: the kernel's Unix socket lives in it, and socket paths are limited to ~100
    characters (pytest-xdist's tmp_path is longer)."""
    folder = Path(tempfile.mkdtemp(prefix="dt-"))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def notebook_dir(tmp_path: Path, *cells: str) -> Path:
    """``mini_report.ipynb`` with code cells appended (to print a folder or a secret, or to fail)."""
    folder = tmp_path / "notebooks"
    folder.mkdir(exist_ok=True)
    nb = nbformat.read(FIXTURE_NOTEBOOKS / "mini_report.ipynb", as_version=4)
    for i, code in enumerate(cells):
        cell = nbformat.v4.new_code_cell(code)
        cell["id"] = f"added-{i}"
        nb.cells.append(cell)
    nbformat.write(nb, folder / "mini_report.ipynb")
    return folder


@pytest.mark.e2e
def test_two_periods_in_one_folder_keep_their_own_tables_and_the_manifest_matches(
    campaign: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    for period in ("2022", "2023-campaign"):
        render.render_report(
            campaign, period=period, out_dir=out, notebook="mini_report", notebook_dir=FIXTURE_NOTEBOOKS
        )
    first = pd.read_csv(out / "tables" / "2022" / "level_summary.csv", dtype={"period": str})
    second = pd.read_csv(out / "tables" / "2023-campaign" / "level_summary.csv", dtype={"period": str})
    assert first[["rate", "period"]].values.tolist() == [[40.5, "2022"]]
    assert second[["rate", "period"]].values.tolist() == [[52.25, "2023-campaign"]]
    reports = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    listed = {r["period"]: r["tables"] for r in reports}
    assert listed == {
        "2022": ["tables/2022/level_summary.csv"],
        "2023-campaign": ["tables/2023-campaign/level_summary.csv"],
    }
    on_disk = sorted(p.relative_to(out).as_posix() for p in (out / "tables").rglob("*.csv"))
    assert on_disk == sorted(t for tables in listed.values() for t in tables)


@pytest.mark.e2e
def test_scratch_folders_are_removed_and_a_killed_runs_are_cleared(
    campaign: Path, tmp_path: Path, temp_dir: Path
) -> None:
    out = tmp_path / "out"
    stale = [
        temp_dir / f"dvctt-kernel-{DEAD_PID}-abc",
        temp_dir / f"dvctt-cwd-{DEAD_PID}-def",
        tmp_path / f".out-render-{DEAD_PID}-ghi",
        tmp_path / f".out-batch-{DEAD_PID}-jkl",
    ]
    live = temp_dir / f"dvctt-cwd-{os.getppid()}-live"  # a render still at work in another process
    for folder in [*stale, live]:
        folder.mkdir()
        (folder / "kernel-1.json").write_text("{}", encoding="utf-8")
    render.render_report(campaign, out_dir=out, notebook="mini_report", notebook_dir=FIXTURE_NOTEBOOKS)
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in temp_dir.iterdir()) == [live.name]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out-")) == []

    broken = notebook_dir(tmp_path, 'raise ValueError("hỏng")')
    with pytest.raises(RenderError, match="ValueError: hỏng"):
        render.render_report(campaign, out_dir=out, notebook="mini_report", notebook_dir=broken)
    assert sorted(p.name for p in temp_dir.iterdir()) == [live.name]  # removed on failure too
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out-")) == []


def test_sweep_keeps_folders_of_running_processes_and_recent_unnamed_ones(tmp_path: Path) -> None:
    mine = tmp_path / cleanup.prefix("dvctt-kernel-")
    dead = tmp_path / f"dvctt-kernel-{DEAD_PID}-x"
    unnamed = tmp_path / "dvctt-cwd-abcdefgh"  # an older dvctt's name: removed only once a day old
    other = tmp_path / "not-dvctt-999999999-x"
    for folder in (mine, dead, unnamed, other):
        folder.mkdir()
    assert cleanup.sweep(temp_dir=tmp_path) == [dead]
    old = 2 * cleanup.LEGACY_AGE
    os.utime(unnamed, (unnamed.stat().st_atime - old, unnamed.stat().st_mtime - old))
    assert cleanup.sweep(temp_dir=tmp_path) == [unnamed]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


@pytest.mark.e2e
def test_a_failed_run_is_kept_scrubbed(campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_NAME, SECRET)
    out = tmp_path / "out"
    cells = (f"import os\nprint({str(campaign)!r}, os.environ[{SECRET_NAME!r}])", "open('/nonexistent/x.csv')")
    broken = notebook_dir(tmp_path, *cells)
    with pytest.raises(RenderError, match="FileNotFoundError"):
        render.render_report(campaign, out_dir=out, notebook="mini_report", notebook_dir=broken)
    kept = (out / "_failed" / "mini_report_2023-campaign_vi.ipynb").read_text(encoding="utf-8")
    assert "FileNotFoundError" in kept  # the error is still there for debugging
    assert str(campaign) not in kept and str(tmp_path) not in kept
    assert SECRET not in kept and f"<redacted:{SECRET_NAME}>" in kept


@pytest.mark.e2e
def test_a_failed_reports_error_in_the_manifest_is_scrubbed_like_the_kept_notebook(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 23: the manifest is shared with the reports; its error text kept a secret and a local folder."""
    monkeypatch.setenv(SECRET_NAME, SECRET)
    out = tmp_path / "out"
    broken = notebook_dir(
        tmp_path, f"import os\nraise ValueError(os.environ[{SECRET_NAME!r}] + ' in ' + {str(campaign)!r})"
    )
    with pytest.raises(RenderError, match="ValueError"):
        render.render_report(campaign, out_dir=out, notebook="mini_report", notebook_dir=broken)
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert entry["status"] == "failed" and "ValueError" in entry["error"]
    assert SECRET not in entry["error"] and f"<redacted:{SECRET_NAME}>" in entry["error"]
    assert str(campaign) not in entry["error"] and str(tmp_path) not in entry["error"]
    assert "in test-camau" in entry["error"]  # the campaign folder is named by its id, as in the notebook


@pytest.mark.e2e
def test_a_tables_folder_linked_outside_is_refused_not_written_through(campaign: Path, tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "tables").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutsideFolderError, match="tables/ is a symbolic link"):  # a DvcttError: the CLI says it
        render.render_report(campaign, out_dir=out, notebook="mini_report", notebook_dir=FIXTURE_NOTEBOOKS)
    assert list(elsewhere.iterdir()) == []
    assert not (out / "mini_report_2023-campaign_vi.html").exists()


@pytest.mark.e2e
def test_a_report_refused_for_a_secret_is_never_kept_unredacted(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_NAME, SECRET)
    out = tmp_path / "out"
    leaky = notebook_dir(tmp_path, f"import os\nprint(os.environ[{SECRET_NAME!r}])")
    with pytest.raises(RenderError, match=SECRET_NAME):
        render.render_report(campaign, out_dir=out, notebook="mini_report", notebook_dir=leaky)
    kept = sorted((out / "_failed").iterdir())
    assert [p.suffix for p in kept] == [".html", ".ipynb"]
    for path in kept:
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text and f"<redacted:{SECRET_NAME}>" in text, path.name
    assert not [p for p in out.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    shutil.rmtree(out)


# ------------------------------------------------------------- a kernel kept warm across reports


def _kept_cells(log: Path) -> tuple[str, ...]:
    """Two cells that append to ``log`` whether the previous notebook's names are still there, the kernel's
    process id and a variable of its environment."""
    write = f"with open({str(log)!r}, 'a') as f:\n    f.write"
    return (
        f"import os\n{write}(str('x_left_over' in globals()) + ' ')\nx_left_over = 1",
        f"{write}(f\"{{os.getpid()}} {{os.environ.get('DVCTT_TEST_KEPT', '-')}}\\n\")",
    )


@pytest.mark.e2e
def test_reports_in_a_row_share_one_kernel_until_the_environment_changes(
    campaign: Path, tmp_path: Path, own_kernels: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "kernels.txt"
    notebooks = notebook_dir(tmp_path, *_kept_cells(log))
    with execute.keep_kernel_warm(ignore_env=("PYTEST_CURRENT_TEST",)):
        for name in ("a", "b", "c"):
            if name == "c":
                monkeypatch.setenv("DVCTT_TEST_KEPT", "set")
            render.render_report(campaign, out_dir=tmp_path / name, notebook="mini_report", notebook_dir=notebooks)
        kept = execute._KEPT.km.provisioner.pid
    first, second, third = (line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert first[0] == second[0] == third[0] == "False"  # the namespace is reset between notebooks
    assert first[1:] == second[1:] and first[2] == "-"  # one kernel for both
    assert third[1] != first[1] and third[2] == "set"  # a new kernel, which sees the variable
    assert kept == int(third[1])
    with pytest.raises(ProcessLookupError):  # shut down when the block ends
        os.kill(kept, 0)
    assert execute._KEPT.km is None
