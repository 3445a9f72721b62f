"""Report charts (matplotlib, styled and drawn with seaborn). Every function returns a Figure and never reads files.

Text uses DejaVu Sans, shipped with matplotlib, which covers every Vietnamese letter, so diacritics survive
on any machine. Labels come from the translation table; numbers use the report language's conventions.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from dvctt.labels import kpi_label, level_label, t
from dvctt.report.formatting import fmt_rate, is_missing
from dvctt.report.present import titled
from dvctt.report.svg_charts import COLORS  # one palette for every chart

FONT = "DejaVu Sans"


PNG_COLORS = 256  # a palette this size keeps chart colours within a few units and text crisp


def to_png(fig: Figure) -> bytes:
    """PNG bytes of a figure, then close it. No timestamp or software tag, so equal charts give equal bytes.

    Every chart lays itself out (``tight_layout``) when it is built, so the figure is drawn once here, as it is
    (``bbox_inches="tight"`` drew each one a second time: a third of a report's chart time).

    The image is quantised to a 256-colour palette: charts are flat colours and antialiased text, so it looks
    the same and weighs about a third, which keeps an e-mailed report small (the commune heatmap: 270 -> 80 KB).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, metadata={"Software": None})
    plt.close(fig)
    return _palette_png(buffer.getvalue())


def _palette_png(png: bytes) -> bytes:
    """The same picture as an 8-bit palette PNG (flattened on white, no dithering noise around letters)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    palette = flat.quantize(colors=PNG_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Sizes on top of seaborn's "whitegrid" theme in its "notebook" context: small print for A4 pages.
REPORT_RC = {
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.unicode_minus": False,
    "font.sans-serif": [FONT, "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
}


def use_report_style() -> None:
    """seaborn's whitegrid theme with the report's font and sizes; called by each chart, so a notebook needs no
    set-up. seaborn is imported here, not with this module: only a kernel that draws pays for its import, and a
    report that draws nothing starts as fast as before."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", font=FONT, rc=REPORT_RC)


def _percent_axis(ax: plt.Axes, lang: str) -> None:
    ax.set_xlim(-1, 102)  # room for markers drawn at exactly 0% or 100%
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_rate(x, lang, 0)))


SIGNIFICANCE_COLORS = {"above": "#1a9850", "below": "#d73027", "not_distinguishable": "#7f7f7f"}


def funnel_chart(
    units: pd.DataFrame, kpi: str, levels: list[str], lang: str = "vi", *, synthetic: bool = False
) -> Figure | None:
    """Unit rate against its volume, with 95% and 99.8% limits around the target and the pooled rate.

    A unit outside the funnel differs from the target by more than chance at its size; one inside does not,
    however high or low its rate looks. Returns None when no unit of this KPI has counts.
    """
    import seaborn as sns

    from dvctt.analysis.stats import funnel_limits, pooled_rate

    use_report_style()
    data = units[(units["kpi"] == kpi) & units["denominator"].notna() & (units["status"] == "ok")]
    data = data[data["denominator"].astype(float) > 0]
    present = [level for level in levels if (data["level"] == level).any()]
    if not present:
        return None
    fig, axes = plt.subplots(1, len(present), figsize=(3.4 * len(present) + 0.6, 3.8), squeeze=False, sharey=True)
    for ax, level in zip(axes[0], present, strict=True):
        rows = data[data["level"] == level]
        volume = rows["denominator"].astype(float)
        rate = 100 * rows["numerator"].astype(float) / volume
        target = float(rows["target"].dropna().iloc[0]) if rows["target"].notna().any() else np.nan
        grid = np.unique(np.geomspace(max(volume.min() / 1.5, 1), volume.max() * 1.5, 120).round())
        if not np.isnan(target):
            for coverage, style in ((0.95, "--"), (0.998, ":")):
                low, high = funnel_limits(target, grid, coverage)
                ax.plot(grid, low, style, color=COLORS["target"], lw=1)
                ax.plot(grid, high, style, color=COLORS["target"], lw=1)
            ax.axhline(target, color=COLORS["target"], lw=1.5)
        ax.axhline(pooled_rate(rows["numerator"].astype(float), volume), color=COLORS["result"], lw=1, ls="-.")
        significance = rows.get("significance", pd.Series("not_distinguishable", index=rows.index))
        sns.scatterplot(
            x=volume.to_numpy(), y=rate.to_numpy(), hue=significance.fillna("not_distinguishable").to_numpy(),
            palette=SIGNIFICANCE_COLORS, hue_order=list(SIGNIFICANCE_COLORS), s=18, zorder=3, edgecolor="white",
            linewidth=0.4, legend=False, ax=ax,
        )  # fmt: skip
        ax.set_xscale("log")
        ax.set_ylim(-2, 102)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: fmt_rate(y, lang, 0)))
        ax.set_xlabel(t("chart.volume_axis", lang))
        ax.set_title(level_label(level, lang), loc="left")
    handles = [
        plt.Line2D([], [], color=COLORS["target"], lw=1.5, label=t("chart.target", lang)),
        plt.Line2D([], [], color=COLORS["target"], ls="--", lw=1, label=t("chart.limit95", lang)),
        plt.Line2D([], [], color=COLORS["target"], ls=":", lw=1, label=t("chart.limit998", lang)),
        plt.Line2D([], [], color=COLORS["result"], ls="-.", lw=1, label=t("chart.pooled", lang)),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
    fig.suptitle(titled(kpi_label(kpi, lang), synthetic, lang), x=0.01, ha="left", fontsize=12, weight="bold")
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    return fig


def trajectory_chart(
    traj: pd.DataFrame,
    progress_rows: pd.DataFrame,
    kpi: str,
    levels: list[str],
    lang: str = "vi",
    *,
    start_label: str = "",
    synthetic: bool = False,
) -> Figure | None:
    """Per level: the rate period by period, the straight path from baseline to target by the deadline, the
    target, and the forecast at the deadline with its interval (when there are enough periods for one)."""
    import seaborn as sns

    use_report_style()
    data = traj[(traj["kpi"] == kpi) & traj["level"].isin(levels)]
    present = [level for level in levels if data.loc[data["level"] == level, "rate"].notna().any()]
    if not present:
        return None
    fig, axes = plt.subplots(1, len(present), figsize=(3.3 * len(present) + 0.6, 3.6), squeeze=False, sharey=True)
    for ax, level in zip(axes[0], present, strict=True):
        series = data[data["level"] == level].sort_values("order")
        info = progress_rows[(progress_rows["level"] == level) & (progress_rows["kpi"] == kpi)].iloc[0]
        ends = pd.to_datetime(series["end"])
        baseline_end = ends.iloc[0]
        due = pd.Timestamp(info["deadline"])
        sns.lineplot(x=ends.iloc[1:].to_numpy(), y=series["rate"].iloc[1:].to_numpy(), marker="o",
                     color=COLORS["result"], lw=1.8, ms=4, ax=ax)  # fmt: skip
        if not is_missing(series["rate"].iloc[0]):
            ax.scatter([baseline_end], [series["rate"].iloc[0]], color=COLORS["baseline"], marker="D", zorder=3)
            if not is_missing(info["target"]):
                ax.plot([baseline_end, due], [series["rate"].iloc[0], info["target"]], ls=":", color="#555555", lw=1)
        if not is_missing(info["target"]):
            ax.axhline(float(info["target"]), color=COLORS["target"], lw=1.2, ls="--")
        if not is_missing(info["forecast"]):
            low, high = float(info["forecast_low"]), float(info["forecast_high"])
            ax.errorbar([due], [info["forecast"]], yerr=[[info["forecast"] - low], [high - info["forecast"]]],
                        fmt="s", color="#7b3294", capsize=3, ms=5)  # fmt: skip
        ax.set_ylim(-2, 102)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: fmt_rate(y, lang, 0)))
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.set_title(level_label(level, lang), loc="left")
    handles = [
        plt.Line2D([], [], color=COLORS["result"], marker="o", label=t("chart.result", lang)),
        plt.Line2D([], [], color=COLORS["baseline"], marker="D", lw=0, label=t("chart.baseline", lang)),
        plt.Line2D([], [], color="#555555", ls=":", label=t("chart.straight_path", lang)),
        plt.Line2D([], [], color=COLORS["target"], ls="--", label=t("chart.target", lang)),
        plt.Line2D([], [], color="#7b3294", marker="s", lw=0, label=t("chart.forecast", lang)),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=5, frameon=False)
    fig.suptitle(titled(kpi_label(kpi, lang), synthetic, lang), x=0.01, ha="left", fontsize=12, weight="bold")
    fig.tight_layout(rect=(0, 0.1, 1, 0.95))
    return fig
