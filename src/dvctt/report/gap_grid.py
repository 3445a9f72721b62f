"""The gap-to-target heatmap as an HTML table: units × KPIs, each cell coloured by its gap to target.

A table rather than a picture: a leader can search it for a commune's name, it stays sharp at any zoom and in
print, and it costs milliseconds where eleven matplotlib heatmaps cost seconds of every render. The colours are
matplotlib's RdYlGn scale (ColorBrewer's eleven colours, in 256 steps) centred on the target, as the charts use;
the scale is computed here so that a report without a picture never imports matplotlib (half a second of every
report's kernel).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dvctt.labels import kpi_label, t, text
from dvctt.report.formatting import fmt_pp, fmt_rate
from dvctt.report.present import esc
from dvctt.report.svg_charts import COLORS

VEIL = 0.55  # share of white over a baseline cell's colour: an older figure is drawn paler than a result
# ColorBrewer RdYlGn, red (far below target) to green (far above), as matplotlib's "RdYlGn" colour map
RDYLGN = ("#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf",
          "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850", "#006837")  # fmt: skip
STEPS = 256  # matplotlib's lookup-table size


def _scale() -> np.ndarray:
    """The colour map as matplotlib samples it: the eleven colours linearly interpolated at 256 steps."""
    anchors = np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in RDYLGN])
    where, steps = np.linspace(0, 1, len(RDYLGN)), np.linspace(0, 1, STEPS)
    return np.column_stack([np.interp(steps, where, anchors[:, c]) for c in range(3)])


SCALE = _scale()


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def cell_colour(gap: float, limit: float, *, veiled: bool = False) -> str:
    """The cell's background: the gap's colour on a scale from -limit (red) to +limit (green), paler if veiled."""
    position = min(max((gap + limit) / (2 * limit), 0.0), 1.0)
    red, green, blue = SCALE[min(int(position * STEPS), STEPS - 1)]
    if veiled:
        red, green, blue = (VEIL + (1 - VEIL) * c for c in (red, green, blue))
    return _hex((red, green, blue))


def latest_gap(units: pd.DataFrame) -> pd.DataFrame:
    """Per unit × KPI the gap to target of the latest known value: the period's result where the unit has one,
    else its baseline. ``basis`` says which (result, baseline, or none), so a chart can show the difference."""
    result = pd.to_numeric(units["result"], errors="coerce")
    baseline = pd.to_numeric(units["baseline"], errors="coerce")
    target = pd.to_numeric(units["target"], errors="coerce")
    has_result = units["status"].eq("ok") & result.notna()
    has_baseline = units["baseline_status"].eq("ok") & baseline.notna()
    value = result.where(has_result, baseline.where(has_baseline))
    basis = np.where(has_result, "result", np.where(has_baseline, "baseline", "none"))
    status = units["status"].where(has_result | ~units["baseline_status"].eq("not_applicable"), "not_applicable")
    rejected = units["gap"].eq("rejected") if "gap" in units else pd.Series(False, index=units.index)
    status = status.mask(rejected & ~has_result & ~status.eq("not_applicable"), "rejected")
    return units.assign(gap=value - target, value=value, basis=basis, shown_status=status)


def gap_limit(gaps: pd.Series) -> float:
    """The largest of ``gaps`` (points, :func:`latest_gap`'s ``gap``): the end of a symmetric colour scale."""
    gap = gaps.abs()
    return max(float(gap.max()) if gap.notna().any() else 1.0, 1.0)


def _ink(background: str) -> str:
    """Dark text on light cells, white on the dark ends of the scale."""
    red, green, blue = _rgb(background)
    return "#ffffff" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else "#1b1b1b"


def _cell(row: Mapping[str, Any], limit: float, baseline_label: str, lang: str) -> str:
    """One ``<td>``: the period's result (strong colour, bold), the baseline (pale, italic, dotted, labelled),
    not applicable (hatched) or not reported (grey)."""
    if row["shown_status"] == "not_applicable":
        return f'<td class="gap na">{esc(t("value.not_applicable", lang))}</td>'
    if row["shown_status"] == "rejected" and row["basis"] != "result":  # its row was refused by ingest
        return f'<td class="gap rejected">{esc(t("gap.rejected_cell", lang))}</td>'
    if row["basis"] == "none":
        return f'<td class="gap none">{esc(t("chart.no_data", lang))}</td>'
    if pd.isna(row["gap"]):  # a figure, but no target to measure a gap from
        shown = fmt_rate(row["value"], lang, 1)
        shown = f"{baseline_label} {shown}".strip() if row["basis"] == "baseline" else shown
        words = f"{shown} · {t('gap.no_target_cell', lang)}"
        return f'<td class="gap no-target">{esc(words)}</td>'
    gap = float(row["gap"])
    if row["basis"] == "baseline":
        colour = cell_colour(gap, limit, veiled=True)
        words = f"{baseline_label} {fmt_pp(gap, lang, 1)}".strip()
        return f'<td class="gap baseline" style="background:{colour};color:#444444">{esc(words)}</td>'
    colour = cell_colour(gap, limit)
    return f'<td class="gap result" style="background:{colour};color:{_ink(colour)}">{esc(fmt_pp(gap, lang, 1))}</td>'


# What a gap table needs of the unit summary, besides the level (then through latest_gap).
GRID_COLUMNS = ["unit_code", "unit_name", "kpi", "result", "baseline", "target", "status", "baseline_status", "gap"]


def gap_grid(
    units: pd.DataFrame,
    level: str,
    kpis: list[str],
    lang: str = "vi",
    *,
    title: str,
    limit: float,
    baseline_label: str = "",
) -> str:
    """Units of ``level`` × ``kpis`` as a coloured table, in the input's unit order; ``limit`` (points) is the end
    of the colour scale, shared by the tables of one level so their colours compare. ``units``: unit summary rows
    through :func:`latest_gap` (at least :data:`GRID_COLUMNS` and ``level``)."""
    rows = units.loc[units["level"] == level]
    order = rows.drop_duplicates("unit_code")[["unit_code", "unit_name"]]
    shown = rows[["unit_code", "kpi", "gap", "value", "basis", "shown_status"]].to_dict("records")
    cells = {(r["unit_code"], r["kpi"]): r for r in shown}  # a lookup per cell: 0.3 ms each by .loc
    head = "".join(f'<th class="num">{esc(kpi_label(kpi, lang, short=True))}</th>' for kpi in kpis)
    body = []
    for code, name in order.itertuples(index=False):
        tds = "".join(
            _cell(cells[(code, kpi)], limit, baseline_label, lang)
            if (code, kpi) in cells
            else f'<td class="gap none">{esc(t("chart.no_data", lang))}</td>'
            for kpi in kpis
        )
        body.append(f'<tr><th scope="row">{esc(name)}</th>{tds}</tr>')
    return (
        f'<table class="gap-grid"><caption>{esc(title)}</caption>'
        f'<thead><tr><th scope="col">{esc(t("col.unit", lang))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def legend(limit: float, baseline_label: str, lang: str) -> str:
    """The colour key under the tables: the scale's ends, a baseline cell, a not-applicable cell."""
    swatches = [
        (cell_colour(-limit, limit), fmt_pp(-limit, lang, 0), text("heatmap.key.below", lang)),
        (cell_colour(0.0, limit), "±0", text("heatmap.key.at", lang)),
        (cell_colour(limit, limit), fmt_pp(limit, lang, 0), text("heatmap.key.above", lang)),
        (cell_colour(0.0, limit, veiled=True), baseline_label, text("heatmap.key.baseline", lang)),
        (COLORS["missing"], "", t("chart.no_data", lang)),
    ]
    items = "".join(
        f'<span class="swatch" style="background:{colour};color:{_ink(colour)}">{esc(mark)}</span> {esc(words)}'
        for colour, mark, words in swatches
    )
    return f'<p class="gap-key">{items}</p>'
