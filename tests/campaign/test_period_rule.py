"""One rule for the default period, the same on every route: ``dvctt report`` and the notebook run by hand."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

from dvctt import paths
from dvctt.campaign.definition import read_definition
from dvctt.cli import main as cli
from dvctt.report import handoff

pytestmark = pytest.mark.e2e


def _shown_html(nb: nbformat.NotebookNode) -> str:
    return "\n".join(
        output.get("data", {}).get("text/html", "") for cell in nb.cells for output in cell.get("outputs", [])
    )


def test_the_progress_report_has_the_same_period_from_the_cli_and_from_papermill(tmp_path: Path) -> None:
    definition = read_definition(paths.campaign_dir("camau-2023") / "campaign.toml")
    default = definition.period(definition.default_period)
    latest_in_series = definition.period("2023")  # what the notebook used to pick on its own
    assert default.id == "2023-campaign" and default.label_vi != latest_in_series.label_vi

    out = tmp_path / "cli"
    argv = ["report", "--campaign", "camau-2023", "--notebook", "progress_report", "--out", str(out)]
    assert cli.main(argv) == 0
    [entry] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    cli_html = (out / entry["file"]).read_text(encoding="utf-8")
    cli_levels = pd.read_csv(
        out / "tables" / "2023-campaign" / "progress_report_levels.csv", dtype=str, keep_default_na=False
    )

    executed = papermill.execute_notebook(
        str(paths.NOTEBOOKS_DIR / "progress_report.ipynb"),
        str(tmp_path / "executed.ipynb"),
        parameters={"campaign": "camau-2023", "period": "", "tables_dir": str(tmp_path / "handoff")},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    notebook_html = _shown_html(executed)
    handed = handoff.take_over(tmp_path / "handoff")
    assert handed is not None

    assert entry["period"] == default.id
    as_of = f"Số liệu đến hết: {default.label_vi}."
    assert as_of in cli_html and as_of in notebook_html
    stale = f"Số liệu đến hết: {latest_in_series.label_vi}."
    assert stale not in cli_html and stale not in notebook_html
    # the figures agree too: the latest period per level and KPI is the same on both routes
    notebook_levels = handed.tables["progress_report_levels"]
    assert list(cli_levels["latest_period"]) == ["" if pd.isna(p) else p for p in notebook_levels["latest_period"]]
    assert default.id in set(cli_levels["latest_period"]) and latest_in_series.id not in set(
        cli_levels["latest_period"]
    )
