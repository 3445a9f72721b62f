"""`dvctt new-notebook NAME --campaign C`: a starting notebook for an analyst's own report, which renders as it is.

It shows the three things a notebook needs to be published by `dvctt report --notebook NAME.ipynb`: a
self-documenting ``parameters`` cell (``name: type = default  # help``, read by Papermill's inspection), the load
call (``load_campaign``), and the one-line hand-over of its tables (``share_tables``); plus a sample seaborn chart.
"""

from __future__ import annotations

import os
from pathlib import Path

from dvctt.errors import ParameterError
from dvctt.publish.own_notebook import slug

NOTES = """\
*(This cell is not in the report / Ô này không có trong báo cáo.)*

Publish / Xuất bản: `dvctt report --notebook {file} --campaign {campaign} [--period P] [-p level commune]`

* The `parameters` cell: one line per parameter, `name: type = default  # help`; `dvctt report` sets
  `campaign`, `period`, `lang` and `tables_dir`, and `-p NAME VALUE` the others (converted to their type).
  Ô `parameters`: mỗi dòng một tham số; `-p TÊN GIÁ_TRỊ` đặt giá trị khi xuất bản.
* Code is never shown in the report; Markdown cells and outputs are. Tag a cell `remove-from-report` to hide it.
  Mã lệnh không hiện trong báo cáo; ô gắn thẻ `remove-from-report` bị ẩn.
* `share_tables(tables_dir, {{"name": frame}}, c)` publishes tables as CSV files and workbook sheets.
  `share_tables(...)` xuất các bảng thành tệp CSV và trang Excel."""

PARAMETERS = """\
campaign: str = {campaign!r}  # campaign id in data/campaigns/, or the path of a campaign folder
period: str = ""  # reporting period id; empty means the campaign's default period
lang: str = "vi"  # report language: "vi" (Vietnamese) or "en" (English)
kpi: str = ""  # the KPI charted (online, digitized ...); empty means the campaign's first KPI
level: str = ""  # the level of the units ranked (province, district, commune); empty means the lowest level
lowest: int = 15  # how many units the chart shows, lowest rate first
tables_dir: str = ""  # set by dvctt report: where share_tables hands the tables over"""

LOAD = """\
import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import Markdown, display

from dvctt.campaign.loading import load_campaign
from dvctt.labels import kpi_label, level_label, t
from dvctt.report.handoff import share_tables

c = load_campaign(campaign)
p = c.definition.resolve_period(period)
kpi = kpi or c.definition.kpis[0]
level = level or c.definition.levels[-1]"""

TABLE = """\
names = c.units[["unit_code", "official_name", "level", "parent_code"]]
figures = c.observations.query("period == @p.id and kpi == @kpi")[["unit_code", "rate", "status"]]
units = names.query("level == @level").merge(figures, on="unit_code", how="left").sort_values("rate")
with_rate = units.dropna(subset=["rate"])
display(Markdown(f"## {kpi_label(kpi, lang)} — {level_label(level, lang)} — {p.label(lang)}"))
display(Markdown(f"{len(with_rate)} / {len(units)} {t('status.ok', lang)}"))"""

CHART = """\
sns.set_theme(style="whitegrid")
shown = with_rate.head(lowest)
fig, ax = plt.subplots(figsize=(8, 0.3 * len(shown) + 1))
sns.barplot(data=shown, x="rate", y="official_name", color="#2a6f97", ax=ax)
ax.set(xlabel=f"{kpi_label(kpi, lang)} (%)", ylabel="", xlim=(0, 100))
plt.show()"""

SHARE = """\
share_tables(tables_dir, {"units": units}, c)"""


def starter_notebook(name: str, campaign: str) -> object:
    """The notebook ``NAME.ipynb`` that :func:`write_starter` writes, as an nbformat object."""
    import nbformat

    v4 = nbformat.v4
    notes = v4.new_markdown_cell(NOTES.format(file=f"{slug(name)}.ipynb", campaign=campaign))
    notes.metadata["tags"] = ["remove-from-report"]
    parameters = v4.new_code_cell(PARAMETERS.format(campaign=campaign))
    parameters.metadata["tags"] = ["parameters"]
    share = v4.new_code_cell(SHARE)
    share.metadata["tags"] = ["remove-output"]
    cells = [v4.new_markdown_cell(f"# {name}"), notes, parameters, v4.new_code_cell(LOAD), v4.new_code_cell(TABLE),
             v4.new_code_cell(CHART), share]  # fmt: skip
    for number, cell in enumerate(cells):
        cell["id"] = f"starter-{number:02d}"
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def write_starter(name: str, campaign: str, out_dir: str | os.PathLike[str] = ".") -> Path:
    """Write ``<out_dir>/<NAME>.ipynb`` (the name made file-safe); an existing file is never overwritten."""
    import nbformat

    if not name.strip():
        raise ParameterError("Give the new notebook a name, e.g. dvctt new-notebook commune_gaps --campaign C.")
    path = Path(out_dir).expanduser() / f"{slug(name.removesuffix('.ipynb'))}.ipynb"
    if path.exists():
        raise ParameterError(f"{path} already exists; it was left as it is. Choose another name or --out folder.")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(starter_notebook(name.removesuffix(".ipynb"), campaign), path)
    return path
