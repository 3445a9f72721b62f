"""An analyst's own notebook published like dvctt's reports (issue 26 item 1): `dvctt report --notebook PATH.ipynb`,
a reports.toml grid in `dvctt report --all`, an unknown parameter refused with the notebook's list, and the
starting notebook of `dvctt new-notebook` rendered as it is. Real kernels, the real Cà Mau 2023 campaign."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_dvctt

from dvctt import paths
from dvctt.errors import ParameterError
from dvctt.publish import batch, own_notebook, report_set

pytestmark = pytest.mark.e2e

FIXTURE = Path(__file__).parents[1] / "fixtures" / "notebooks" / "analyst_below_threshold.ipynb"
CODE_LINES = ("share_tables(", "load_campaign(", "import ", "c.observations.query")


def _analyst_copy(folder: Path) -> Path:
    """The fixture notebook where an analyst keeps it: a folder of their own, with a name the HTML must not show."""
    folder.mkdir(parents=True)
    return Path(shutil.copy(FIXTURE, folder / "Phân tích xã.ipynb"))


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"unit_code": str, "parent_code": str}, encoding="utf-8-sig")


def test_an_analyst_notebook_is_published_with_a_typed_parameter_and_its_table(tmp_path):
    source = _analyst_copy(tmp_path / "may-cua-chi-Lan")
    out = tmp_path / "out"
    run = run_dvctt(
        "report", "--notebook", str(source), "--campaign", "camau-2023", "-p", "level", "district",
        "-p", "threshold", "95", "--out", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    html_path = out / "Phan-tich-xa_2023-campaign_vi.html"
    assert f"Report (camau-2023, 2023-campaign, vi): {html_path}" in run.stdout
    html = html_path.read_text(encoding="utf-8")
    assert "<title>Đơn vị dưới ngưỡng</title>" in html
    assert "Dưới 95.0%: 3 đơn vị" in html  # the threshold arrived as a float (a str would fail :.1f and <)
    assert "Huyện Cái Nước" in html
    # the footer: campaign, period, data hash of the real folder, version
    footer = html[html.index("<footer") :]
    assert "Chiến dịch 69 ngày đêm (01/3–09/5/2023)" in footer and "SHA-256" in footer
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]
    assert entry["data_hash"][:12] in footer and entry["key"]  # the incremental key is recorded
    assert entry["title"] == "Đơn vị dưới ngưỡng" and entry["tables"] == ["tables/2023-campaign/Phan-tich-xa_below.csv"]
    # no code and no local path in the page
    for line in CODE_LINES:
        assert line not in html
    for local in (str(tmp_path), "may-cua-chi-Lan", str(paths.PROJECT_ROOT)):
        assert local not in html
    # the handed-over table: the three districts below 95% in the campaign, lowest first, full precision
    below = _csv(out / "tables" / "2023-campaign" / "Phan-tich-xa_below.csv")
    assert below[["unit_code", "official_name", "rate"]].values.tolist() == [
        ["969", "Huyện Cái Nước", 91.48],
        ["972", "Huyện Phú Tân", 91.77],
        ["971", "Huyện Năm Căn", 94.69],
    ]
    assert (out / "Phan-tich-xa_2023-campaign_vi.xlsx").is_file()
    assert 'href="Phan-tich-xa_2023-campaign_vi.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_an_unknown_parameter_is_refused_with_the_notebooks_own_list(tmp_path):
    source = _analyst_copy(tmp_path / "nb")
    run = run_dvctt(
        "report", "--notebook", str(source), "--campaign", "camau-2023", "-p", "treshold", "95", "--out",
        str(tmp_path / "out"), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "Phân tích xã.ipynb has no parameter 'treshold'" in run.stderr
    for declared in (
        'kpi: str = "online"  # the KPI compared with the threshold',
        "threshold: float = 90.0  # units below this rate (%) are listed",
        'level: str = ""  # only units of this level; empty: every level',
    ):
        assert declared in run.stderr
    assert "tables_dir" not in run.stderr  # dvctt's own parameters are not the analyst's to give
    assert not (tmp_path / "out").exists()  # refused before anything ran
    wrong_type = run_dvctt("report", "--notebook", str(source), "--campaign", "camau-2023", "-p", "threshold", "cao",
                           cwd=tmp_path)  # fmt: skip
    assert wrong_type.returncode == 1 and "Traceback" not in wrong_type.stderr
    assert (
        "threshold (threshold: float = 90.0" in wrong_type.stderr
        and "expected a number, got 'cao'" in wrong_type.stderr
    )


def test_a_reports_toml_grid_of_three_joins_the_report_set(tiny_campaign, tmp_path):
    analyses = tiny_campaign / "analyses"
    analyses.mkdir()
    shutil.copy(FIXTURE, analyses / "below.ipynb")
    (tiny_campaign / "reports.toml").write_text(
        '[[report]]\nnotebook = "analyses/below.ipynb"\nparameters = { threshold = 100 }\n'
        'each = { unit = ["99.A01", "99.A02", "901"] }\n',
        encoding="utf-8",
    )
    out = tmp_path / "set"
    result = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    assert result.ok, result.failed
    own = ["below_99.A01_2023_vi.html", "below_99.A02_2023_vi.html", "below_901_2023_vi.html"]
    assert set(own) <= set(result.published) and "campaign_report_2023_vi.html" in result.published
    index = (out / "index.html").read_text(encoding="utf-8")
    entries = {e["file"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]}
    for file in own:
        assert f'href="{file}"' in index and entries[file]["status"] == "ok" and entries[file]["key"]
    tables = out / "tables" / "2023"
    assert _csv(tables / "below_99.A01_below.csv")[["unit_code", "rate"]].values.tolist() == [["99.A01", 90.0]]
    assert _csv(tables / "below_99.A02_below.csv")[["unit_code", "rate"]].values.tolist() == [["99.A02", 60.0]]
    assert _csv(tables / "below_901_below.csv")[["unit_code", "rate"]].values.tolist() == [
        ["901", 75.0],
        ["90101", 80.0],
    ]
    # the same inputs again: every report, the analyst's included, is up to date
    again = batch.render_all(tiny_campaign, out_dir=out, jobs=1, progress_bar=False)
    assert set(own) <= set(again.up_to_date) and not again.published


def test_a_bad_reports_toml_names_the_report_and_the_notebooks_parameters(tiny_campaign):
    shutil.copy(FIXTURE, tiny_campaign / "below.ipynb")
    toml = tiny_campaign / "reports.toml"
    toml.write_text('[[report]]\nnotebook = "below.ipynb"\neach = { district = ["901"] }\n', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"reports.toml, \[\[report\]\] number 1, key 'each'") as caught:
        report_set.own_jobs(tiny_campaign)
    assert "has no parameter 'district'" in str(caught.value) and 'unit: str = ""' in str(caught.value)
    toml.write_text('[[report]]\nnotebook = "../elsewhere.ipynb"\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="climbs out"):
        report_set.own_jobs(tiny_campaign)


def test_parameters_are_typed_as_papermills_inspection_reads_them():
    declared = own_notebook.declared_parameters(FIXTURE)
    assert {name: p.kind for name, p in declared.items()} == {
        "campaign": "str", "period": "str", "lang": "str", "kpi": "str", "threshold": "float", "level": "str",
        "unit": "str", "tables_dir": "str",
    }  # fmt: skip
    assert own_notebook.typed_parameters(FIXTURE, {"threshold": "92,5", "level": "commune"}) == {
        "threshold": 92.5,
        "level": "commune",
    }
    with pytest.raises(ParameterError, match="dvctt sets campaign, period and lang"):
        own_notebook.typed_parameters(FIXTURE, {"period": "2022"})


def test_the_starting_notebook_renders_as_it_is(tmp_path):
    made = run_dvctt("new-notebook", "Xã chậm nhất", "--campaign", "camau-2023", "--out", str(tmp_path), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    source = tmp_path / "Xa-cham-nhat.ipynb"
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    parameters = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    assert "".join(parameters["source"]).startswith("campaign: str = 'camau-2023'  # campaign id")
    assert "from dvctt.campaign.loading import load_campaign" in "".join(cells[3]["source"])
    again = run_dvctt("new-notebook", "Xã chậm nhất", "--campaign", "camau-2023", "--out", str(tmp_path), cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr  # never overwritten
    out = tmp_path / "out"
    run = run_dvctt("report", "--notebook", str(source), "--campaign", "camau-2023", "--out", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    html = (out / "Xa-cham-nhat_2023-campaign_vi.html").read_text(encoding="utf-8")
    assert "<title>Xã chậm nhất</title>" in html
    assert "Tỷ lệ hồ sơ trực tuyến — Cấp xã — Chiến dịch 69 ngày đêm (01/3–09/5/2023)" in html
    assert len(re.findall(r'<img src="data:image/png;base64,', html)) == 1  # the seaborn chart
    assert "share_tables(" not in html and str(tmp_path) not in html
    units = _csv(out / "tables" / "2023-campaign" / "Xa-cham-nhat_units.csv")
    communes = pd.read_csv(paths.CAMPAIGNS_DIR / "camau-2023" / "units.csv", dtype=str).query("level == 'commune'")
    assert len(units) == len(communes) and list(units.columns)[:2] == ["unit_code", "official_name"]
    rates = units["rate"].dropna()
    assert rates.is_monotonic_increasing and f"{len(rates)} / {len(units)} có số liệu" in html
