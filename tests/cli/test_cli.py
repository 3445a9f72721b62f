"""The dvctt command line: exit codes, messages, and one real report through `dvctt report`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from minimal_campaign import campaign_toml

from dvctt import __version__, paths
from dvctt.cli import main as cli
from dvctt.publish import render
from dvctt.report import data as report_data

FIXTURE_NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
CAMPAIGN_TOML = campaign_toml("cli-camau", synthetic=False)


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    folder = tmp_path / "camp"
    folder.mkdir()
    (folder / "campaign.toml").write_text(CAMPAIGN_TOML, encoding="utf-8")
    (folder / "observations.csv").write_text("unit_code,rate\n964,52.23\n", encoding="utf-8")
    return folder


def run_dvctt(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter, the way an analyst's shell would."""
    return subprocess.run([sys.executable, "-m", "dvctt", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_program_collects_garbage_rarely_and_keeps_the_exit_status(tmp_path: Path) -> None:
    """`dvctt` (and `python -m dvctt`) run main() with the collector started every 100,000 allocations, and
    exit with main()'s status."""
    code = "import gc, dvctt.cli.main as m; m.main = lambda: print(gc.get_threshold()) or 3; m.run()"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (3, "(100000, 20, 100)", "")


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    done = run_dvctt("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"dvctt {__version__}"


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("dvctt")
    if not script.exists():
        pytest.skip("dvctt console script not installed next to this interpreter")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and __version__ in done.stdout


def test_unknown_campaign_exits_1_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    done = run_dvctt("report", "--campaign", str(tmp_path / "no-such-campaign"), cwd=tmp_path)
    assert done.returncode == 1
    assert "dvctt report: error:" in done.stderr and "not found" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_invalid_period_exits_1_listing_valid_periods(campaign: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["report", "--campaign", str(campaign), "--period", "2031"]) == 1
    err = capsys.readouterr().err
    assert "Valid periods: 2022, 2023-campaign" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [[], ["report"], ["report", "--campaign", "x", "--lang", "fr"], ["nonsense"]],
    ids=["no-command", "no-campaign", "bad-lang", "bad-command"],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    assert "usage: dvctt" in capsys.readouterr().err


def test_report_prints_where_the_files_went(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    calls = []

    def fake_render(campaign_arg: str, **kwargs: object) -> render.RenderResult:
        calls.append((campaign_arg, kwargs))
        out = tmp_path / "out"
        return render.RenderResult(
            html_path=out / "campaign_report_2022_en.html",
            table_paths=(out / "tables" / "2022" / "level_summary.csv",),
            index_path=out / "index.html",
            manifest_path=out / "manifest.json",
            campaign_id="cli-camau",
            period="2022",
            lang="en",
            title="T",
            data_hash="0" * 64,
            rendered_at="2024-01-01T00:00:00Z",
        )

    monkeypatch.setattr(render, "render_report", fake_render)
    argv = ["report", "--campaign", str(campaign), "--period", "2022", "--lang", "en", "--out", "o"]
    assert cli.main(argv) == 0
    expected = {"period": "2022", "lang": "en", "out_dir": Path("o"), "notebook": "campaign_report",
                "extra_parameters": None, "subject": ""}  # fmt: skip
    assert calls == [(str(campaign), expected)]
    out = capsys.readouterr().out
    assert str(tmp_path / "out" / "campaign_report_2022_en.html") in out
    assert "level_summary.csv" in out and "index.html" in out


@pytest.mark.e2e
def test_report_command_renders_the_default_notebook(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copyfile(FIXTURE_NOTEBOOKS / "mini_report.ipynb", notebooks / "campaign_report.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    fake = lambda campaign, period: {"level_summary": pd.DataFrame({"rate": [1.5]})}  # noqa: E731
    monkeypatch.setattr(report_data, "build_report_tables", fake)
    out = tmp_path / "out"

    assert cli.main(["report", "--campaign", str(campaign), "--out", str(out)]) == 0

    html = out / "campaign_report_2023-campaign_vi.html"
    assert html.is_file() and "Báo cáo thử nghiệm — Cà Mau" in html.read_text(encoding="utf-8")
    assert (out / "tables" / "2023-campaign" / "level_summary.csv").read_text(encoding="utf-8-sig") == "rate\n1.5\n"
    assert str(html) in capsys.readouterr().out
