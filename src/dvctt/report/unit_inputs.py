"""What one unit report reads and shows, as CSV text: the data part of its key in ``dvctt report --all``.

A unit report's figures come from a few rows, but some of them (its rank and the ranks of the units under it)
depend on every unit of their level. So the key is taken from the figures the report shows, computed here with
the same functions the notebook calls (no kernel), plus the raw rows they come from. When you add a section to
``notebooks/unit_report.ipynb``, add what it reads here: a key that misses an input leaves a stale report in place.

What the notebook shows, section by section (and where it is listed below):
- title and subtitle: the unit's official name, the campaign's name, plan and period labels -> ``units``,
  ``campaign.toml``;
- summary line, figures table, index status line: the unit's ``unit_summary`` rows (baseline, result, target,
  change, met, status, rank and baseline rank in its level with ``n_ranked``) -> ``shown_unit``;
- units under it: the children's ``unit_summary`` rows (values, ranks in their level, names) -> ``shown_children``;
- old parts: :func:`old_parts_table` -> ``old_parts``;
- table by field: the unit's ``form_counts`` rows -> ``form_counts``;
- CSV tables and workbook (:func:`dvctt.report.handoff.unit_tables`): the same rows, sources numbered from
  ``sources``.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from dvctt.campaign.levels import child_level
from dvctt.report.data import ReportData, UnitFigures
from dvctt.report.lookup import per_frame


def _rows(frame: pd.DataFrame | None, codes: set[str]) -> pd.DataFrame:
    if frame is None or "unit_code" not in frame:
        return pd.DataFrame()
    return frame[frame["unit_code"].astype("string").isin(codes)]


def old_parts_table(data: ReportData | UnitFigures, code: str) -> pd.DataFrame:
    """The unit's old parts (one row per old part × KPI, :func:`dvctt.analysis.old_units.old_parts`); empty when
    the baseline is not recorded under the old units or the unit has no old parts."""
    from dvctt.analysis.old_units import PART_COLUMNS, old_parts

    old = data.campaign.old_observations
    if data.old_baseline is None or data.old_units is None or old is None:
        return pd.DataFrame(columns=PART_COLUMNS)
    values = old[old["period"] == data.baseline.id].rename(columns={"unit_code": "old_code"})
    return old_parts(data.old_units, data.old_baseline, values, str(code), data.kpis)


def _family(data: ReportData | UnitFigures, code: str) -> tuple[str, str | None, set[str]]:
    """The unit's level, the level under it, and the codes of its children there."""
    level_of, children_of = _tree(data.campaign.units)
    level = level_of.get(code, "")
    below = child_level(data.levels, level) if level else None
    return level, below, set(children_of.get((code, below), ())) if below else set()


@per_frame
def _tree(units: pd.DataFrame) -> tuple[dict[str, str], dict[tuple[str, str], list[str]]]:
    """Each unit's level (its first row's), and the units under each parent by level."""
    level_of: dict[str, str] = {}
    children_of: dict[tuple[str, str], list[str]] = {}
    for unit, parent, level in zip(units["unit_code"], units["parent_code"], units["level"], strict=True):
        level_of.setdefault(str(unit), str(level))
        if not pd.isna(parent) and not pd.isna(level):
            children_of.setdefault((str(parent), str(level)), []).append(str(unit))
    return level_of, children_of


def unit_inputs_hash(data: ReportData | UnitFigures, code: str) -> str:
    """SHA-256 of :func:`unit_inputs` and the campaign's campaign.toml: equal hashes, equal unit reports."""
    digest = hashlib.sha256((data.campaign.folder / "campaign.toml").read_bytes())
    digest.update(f"\0period={data.period.id}\0".encode())
    for name, body in unit_inputs(data, code).items():
        encoded = body.encode("utf-8")
        digest.update(b"%d:%s\0%d:" % (len(name), name.encode(), len(encoded)))
        digest.update(encoded)
    return digest.hexdigest()


def unit_inputs(data: ReportData | UnitFigures, code: str) -> dict[str, str]:
    """Every table the unit report of ``code`` reads or shows (see the module docstring), by name, as the CSV
    text of its rows (what ``to_csv`` gives for them), cut from the CSV of the whole tables, written once per
    table rather than once per unit: a set hashes every unit's inputs on each re-run."""
    campaign, summary = data.campaign, data.unit_summary
    level, below, children = _family(data, code)
    codes = {code, *children}
    return {
        "units": _csv_rows(campaign.units, codes),
        "shown_unit": _csv_rows(summary, {code}),
        "shown_children": _csv_rows(summary, children),
        "old_parts": _csv(old_parts_table(data, code)),
        "observations": _csv_rows(campaign.observations, codes),
        "reported_totals": _csv_rows(campaign.reported_totals, codes),
        "form_counts": _csv_rows(campaign.form_counts, {code}),
        "targets": _table_csv(campaign.targets, level, below),
        "sources": _table_csv(campaign.sources),
    }


@per_frame
def _table_csv(frame: pd.DataFrame, level: str | None = None, below: str | None = None) -> str:
    """A whole table, or its rows of two levels (the targets: the same for every unit of a level)."""
    return _csv(frame if level is None else frame[frame["level"].isin({level, below})])


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _csv_rows(frame: pd.DataFrame | None, codes: set[str]) -> str:
    """``_csv(_rows(frame, codes))``, from the whole table's CSV lines."""
    lines = None if frame is None or "unit_code" not in frame else _csv_lines(frame)
    if lines is None:  # no unit column, or a value that spans lines: the rows are written themselves
        return _csv(_rows(frame, codes))
    header, rows, positions = lines
    picked = sorted(i for c in codes for i in positions.get(c, ()))
    return "".join([header, *(rows[i] for i in picked)])


@per_frame
def _csv_lines(frame: pd.DataFrame) -> tuple[str, list[str], dict[str, list[int]]] | None:
    """The table's CSV header and one line per row, and the rows of each unit code; None when a row takes more
    than one line (a quoted line break)."""
    lines = _csv(frame).splitlines(keepends=True)
    if len(lines) != len(frame) + 1:
        return None
    positions: dict[str, list[int]] = {}
    for i, unit in enumerate(frame["unit_code"].astype("string")):
        if not pd.isna(unit):
            positions.setdefault(str(unit), []).append(i)
    return lines[0], lines[1:], positions
