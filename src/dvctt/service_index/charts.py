"""Charts of the service-index report: points lost per component (the main chart) and the trend of the total.

Labels come from the translation table (component names with their diacritics); numbers follow the report
language. Each function returns a Figure and reads nothing.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from dvctt.labels import t, text
from dvctt.report.charts import COLORS, use_report_style
from dvctt.report.formatting import fmt_number

LOST = "#c0392b"
KEPT = "#d9e2ec"
AXIS_SPAN = 10.0  # the trend axis spans at least this many points: 0,06 looks flat, 2 points still show
AXIS_STEP = 5.0  # its ends are multiples of this


def _title(title: str, synthetic: bool, lang: str) -> str:
    return f"[{t('synthetic', lang)}] {title}" if synthetic else title


def points_lost_chart(rows: pd.DataFrame, lang: str = "vi", *, synthetic: bool = False) -> Figure:
    """One bar per component, longest loss on top: the points lost (red) inside the component's maximum (grey),
    the peer median's loss as a black tick. ``rows``: component, score, max_points, points_lost, peer_median_lost.
    """
    use_report_style()
    ordered = rows.sort_values(["points_lost", "max_points"], ascending=[True, True]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(ordered) + 1.3))
    y = np.arange(len(ordered))
    ax.barh(y, ordered["max_points"], color=KEPT, height=0.7)
    ax.barh(y, ordered["points_lost"], color=LOST, height=0.42)
    if "peer_median_lost" in ordered:
        for yi, median in zip(y, ordered["peer_median_lost"], strict=True):
            if pd.notna(median):
                ax.plot([median, median], [yi - 0.35, yi + 0.35], color="black", lw=2)
    for yi, row in zip(y, ordered.itertuples(), strict=True):
        label = text(
            "index.lost.bar",
            lang,
            lost=fmt_number(row.points_lost, lang, 2),
            max=fmt_number(row.max_points, lang, 0),
        )
        ax.text(row.max_points + 0.3, yi, label, va="center", fontsize=8)
    ax.set_yticks(y, [t(f"index.component.{c}", lang) for c in ordered["component"]])
    ax.set_xlim(0, float(ordered["max_points"].max()) * 1.35)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_number(x, lang, 0)))
    ax.set_xlabel(text("index.lost.axis", lang))
    ax.grid(axis="y", visible=False)
    ax.set_title(_title(text("index.lost.chart_title", lang), synthetic, lang), loc="left")
    handles = [
        plt.Line2D([], [], color=LOST, lw=7, label=text("index.lost.axis", lang)),
        plt.Line2D([], [], color=KEPT, lw=7, label=t("col.max_points", lang)),
        plt.Line2D([], [], color="black", lw=2, label=t("col.peer_median", lang)),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    fig.tight_layout()  # laid out once here: to_png draws the figure once, as it is
    return fig


def trend_axis(totals: pd.Series, span: float = AXIS_SPAN, step: float = AXIS_STEP) -> tuple[float, float]:
    """The trend chart's vertical axis: from the multiple of ``step`` just under the lowest total to the one over
    the highest, at least ``span`` points wide, within 0-100. Matplotlib's own limits hug the data, so a 0,06-point
    change fills the chart; an axis from 0 flattens a 5-point fall."""
    low = max(math.floor((float(totals.min()) - 0.5) / step) * step, 0.0)
    high = min(math.ceil((float(totals.max()) + 0.5) / step) * step, 100.0)
    while high - low < span and (high < 100 or low > 0):
        high, low = (high + step, low) if high + step <= 100 else (high, max(low - step, 0.0))
    return low, high


def trend_chart(series: pd.DataFrame, kind_label: str, lang: str = "vi", *, synthetic: bool = False) -> Figure:
    """Total per period, one line per year (scales are re-based between years, so years are never joined), on
    the axis of :func:`trend_axis`, labelled every 5 points (10 over a span of 50) so no two labels read the
    same and the floor is labelled.

    ``series``: year, order (month or quarter number), total, tick.
    """
    use_report_style()
    fig, ax = plt.subplots(figsize=(9, 3.2))
    palette = [COLORS["result"], "#e67e22", "#27ae60", "#8e44ad"]
    for i, (year, rows) in enumerate(series.groupby("year", sort=True)):
        rows = rows.sort_values("order")
        color = palette[i % len(palette)]
        ax.plot(rows["order"], rows["total"], marker="o", color=color, label=str(year))
        for row in rows.itertuples():
            ax.annotate(fmt_number(row.total, lang, 2), (row.order, row.total), textcoords="offset points",
                        xytext=(0, 6), ha="center", fontsize=7)  # fmt: skip
    ticks = sorted(series["order"].unique())
    labels = series.drop_duplicates("order").set_index("order")["tick"].reindex(ticks)
    ax.set_xticks(ticks, labels.tolist())
    low, high = trend_axis(series["total"])
    ax.set_ylim(low, high)
    ax.yaxis.set_major_locator(MultipleLocator(AXIS_STEP if high - low <= 50 else 2 * AXIS_STEP))  # the ends labelled
    ax.yaxis.set_minor_locator(MultipleLocator(1))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_number(v, lang, 0)))
    ax.set_xlim(min(ticks) - 0.5, max(ticks) + 0.5)
    ax.set_ylabel(text("index.trend.axis", lang))
    ax.legend(loc="lower right")
    ax.set_title(_title(text("index.trend.chart_title", lang, kind=kind_label), synthetic, lang), loc="left")
    fig.tight_layout()
    return fig
