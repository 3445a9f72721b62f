"""The gap-to-target heatmap as an HTML table: units × KPIs, each cell coloured by its gap to target.

A table rather than a picture: a leader can search it for a commune's name, it stays sharp at any zoom and in
print, and it costs milliseconds where eleven matplotlib heatmaps cost seconds of every render. The colours are
matplotlib's RdYlGn scale centred on the target, as the charts use.
"""

from __future__ import annotations

import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_hex, to_rgb

from dvctt.labels import kpi_label, t, text
from dvctt.report.charts import COLORS, latest_gap
from dvctt.report.formatting import fmt_pp
from dvctt.report.present import esc

VEIL = 0.55  # share of white over a baseline cell's colour: an older figure is drawn paler than a result
SCALE = colormaps["RdYlGn"]


def cell_colour(gap: float, limit: float, *, veiled: bool = False) -> str:
    """The cell's background: the gap's colour on a scale from -limit (red) to +limit (green), paler if veiled."""
    red, green, blue, _alpha = SCALE(Normalize(vmin=-limit, vmax=limit, clip=True)(gap))
    if veiled:
        red, green, blue = (VEIL + (1 - VEIL) * c for c in (red, green, blue))
    return to_hex((red, green, blue))


def _ink(background: str) -> str:
    """Dark text on light cells, white on the dark ends of the scale."""
    red, green, blue = to_rgb(background)
    return "#ffffff" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else "#1b1b1b"


def _cell(row: pd.Series, limit: float, baseline_label: str, lang: str) -> str:
    """One ``<td>``: the period's result (strong colour, bold), the baseline (pale, italic, dotted, labelled),
    not applicable (hatched) or not reported (grey)."""
    if row["shown_status"] == "not_applicable":
        return f'<td class="gap na">{esc(t("value.not_applicable", lang))}</td>'
    if row["basis"] == "none" or pd.isna(row["gap"]):
        return f'<td class="gap none">{esc(t("chart.no_data", lang))}</td>'
    gap = float(row["gap"])
    if row["basis"] == "baseline":
        colour = cell_colour(gap, limit, veiled=True)
        words = f"{baseline_label} {fmt_pp(gap, lang, 1)}".strip()
        return f'<td class="gap baseline" style="background:{colour};color:#444444">{esc(words)}</td>'
    colour = cell_colour(gap, limit)
    return f'<td class="gap result" style="background:{colour};color:{_ink(colour)}">{esc(fmt_pp(gap, lang, 1))}</td>'


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
    of the colour scale, shared by the tables of one level so their colours compare."""
    rows = latest_gap(units[units["level"] == level])
    order = rows.drop_duplicates("unit_code")[["unit_code", "unit_name"]]
    cells = rows.set_index(["unit_code", "kpi"])
    head = "".join(f'<th class="num">{esc(kpi_label(kpi, lang, short=True))}</th>' for kpi in kpis)
    body = []
    for code, name in order.itertuples(index=False):
        tds = "".join(
            _cell(cells.loc[(code, kpi)], limit, baseline_label, lang)
            if (code, kpi) in cells.index
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
