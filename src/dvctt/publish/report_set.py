"""``reports.toml``: the analyst's own notebooks that join a campaign's report set (`dvctt report --all`).

One ``[[report]]`` table per notebook, in the campaign folder::

    [[report]]
    notebook = "analyses/commune_gaps.ipynb"   # relative to the campaign folder, inside it
    parameters = { kpi = "online" }            # optional: the same for every report of this notebook
    each = { unit = ["970", "971", "972"] }    # optional: one report per value of ONE parameter

Every name is checked against the notebook's parameters cell and every value converted to its declared type
(:func:`dvctt.publish.own_notebook.typed_parameters`) while the set is planned, so a typo stops the run with the
notebook's parameter list before any kernel starts. Each report is named ``<notebook>[_<value>]_<period>_<lang>``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from dvctt import paths
from dvctt.errors import OutsideFolderError, ParameterError
from dvctt.publish import own_notebook

FILE_NAME = "reports.toml"
_KEYS = {"notebook", "parameters", "each"}


def read_report_set(folder: Path) -> list[dict[str, Any]]:
    """The ``[[report]]`` tables of ``<folder>/reports.toml`` (none when the file does not exist)."""
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        return []
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{FILE_NAME}: not valid TOML: {exc}") from exc
    unknown = sorted(set(content) - {"report"})
    if unknown:
        raise ParameterError(f"{FILE_NAME}: unknown key(s) {', '.join(unknown)}; the file holds [[report]] tables.")
    reports = content.get("report", [])
    if not isinstance(reports, list) or not all(isinstance(r, dict) for r in reports):
        raise ParameterError(f"{FILE_NAME}: 'report' must be a list of tables, written [[report]].")
    return reports


def _where(number: int, key: str = "") -> str:
    return f"{FILE_NAME}, [[report]] number {number}" + (f", key {key!r}" if key else "")


def _checked(folder: Path, number: int, report: dict[str, Any]) -> tuple[Path, dict[str, Any], str, list[Any]]:
    """One [[report]] table's notebook (inside the campaign folder), fixed parameters and grid."""
    unknown = sorted(set(report) - _KEYS)
    if unknown:
        raise ParameterError(
            f"{_where(number)}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}."
        )
    notebook = report.get("notebook")
    if not isinstance(notebook, str) or not notebook:
        raise ParameterError(f"{_where(number, 'notebook')}: give the notebook's path relative to the campaign folder.")
    try:
        source = own_notebook.open_notebook(paths.inside(folder, notebook))
    except (OutsideFolderError, ParameterError) as exc:
        raise ParameterError(f"{_where(number, 'notebook')}: {exc}") from exc
    fixed = report.get("parameters", {})
    if not isinstance(fixed, dict):
        raise ParameterError(f'{_where(number, "parameters")}: a table such as {{ kpi = "online" }}, got {fixed!r}.')
    each = report.get("each", {})
    if not isinstance(each, dict) or len(each) > 1:
        raise ParameterError(
            f'{_where(number, "each")}: one parameter and its values, such as {{ unit = ["970", "971"] }}, '
            f"got {each!r}."
        )
    name, values = next(iter(each.items())) if each else ("", [])
    if each and (not isinstance(values, list) or not values):
        raise ParameterError(f"{_where(number, 'each')}: {name} needs a non-empty list of values, got {values!r}.")
    if name in fixed:
        raise ParameterError(f"{_where(number, 'each')}: {name} is also in 'parameters'; give it in one place.")
    return source, fixed, name, values


def own_jobs(folder: Path) -> list[Any]:
    """The report-set jobs of ``<folder>/reports.toml``: one per notebook, or one per value of its grid."""
    jobs: list[Any] = []
    for number, report in enumerate(read_report_set(folder), start=1):
        source, fixed, name, values = _checked(Path(folder), number, report)
        where = _where(number)
        typed = own_notebook.typed_parameters(source, fixed, where)
        if not name:
            jobs.append(own_notebook.own_job(source, typed))
            continue
        for value in values:
            one = own_notebook.typed_parameters(source, {name: value}, f"{_where(number, 'each')}")
            jobs.append(own_notebook.own_job(source, {**typed, **one}, subject=str(value)))
    seen: set[str] = set()
    for job in jobs:
        stem = job.stem("", "")
        if stem in seen:
            raise ParameterError(f"{FILE_NAME}: two reports would both be named {stem!r}; give each a different value.")
        seen.add(stem)
    return jobs
