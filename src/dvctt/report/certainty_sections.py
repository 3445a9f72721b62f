"""The report's plain-language summary and its "how sure are we" section (intervals, funnels, ranking).

Where counts are known these show intervals, both aggregates with the mix decomposition, funnel plots and a
significance-aware ranking; where only rates are published they say what cannot be concluded, and why.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from dvctt.analysis import stats
from dvctt.labels import kpi_label, level_label, t, text
from dvctt.report.campaign_sections import embedded, heading, no_units
from dvctt.report.data import ReportData
from dvctt.report.formatting import fmt_number, fmt_pp, fmt_rate, is_missing
from dvctt.report.present import LEVEL_KPI_COLUMNS, Col, bullet_list, collapsible, esc, html_table, labelled

MAX_NAMES = 10
# The emulation ranking combines every KPI and comes after the per-KPI rankings (section 5, top and bottom
# RANKING_SHOWN): its top and bottom 5 per level are shown, the full list is one click away and in the workbook.
OVERALL_SHOWN = 5


def has_unit_counts(data: ReportData) -> bool:
    return bool(data.unit_summary["denominator"].notna().any())


def _coverage(data: ReportData) -> tuple[int, int]:
    """Units with at least one result in the period, out of all units."""
    units = data.unit_summary
    return int(units.loc[units["status"] == "ok", "unit_code"].nunique()), int(units["unit_code"].nunique())


def _pair(row: pd.Series, lang: str) -> str:
    return f"{level_label(row['level'], lang).lower()} ({kpi_label(row['kpi'], lang).lower()})"


def summary(data: ReportData, lang: str) -> HTML:
    """Under the verdict cards: how many units moved and which are significantly behind, where counts allow.

    Which targets were met, by whom, and what the data cannot support are on the cards (report/verdict.py);
    this adds only what needs the statistics, and nothing when the data cannot support it."""
    items = []
    if data.campaign.units.empty:  # level figures only: nothing about units to add under the cards
        return HTML("")
    tests = data.paired_tests[data.paired_tests["complete"] & (data.paired_tests["n_units"] > 0)]
    for level, by_level in tests.groupby("level", sort=False):  # one line per level, not one per level × KPI
        moved = []
        for _, test in by_level.iterrows():
            significant = not pd.isna(test["significant"]) and bool(test["significant"])
            values = {"kpi": kpi_label(test["kpi"], lang, short=True), "n": test["n_units"], "n_up": test["n_up"],
                      "n_down": test["n_down"], "median": fmt_pp(test["median_change_pp"], lang),
                      "sig": text("summary.moved.sig_mark", lang) if significant else ""}  # fmt: skip
            moved.append(text("summary.moved_item", lang, **values))
        items.append(
            esc(text("summary.moved_level", lang, level=level_label(str(level), lang), items="; ".join(moved)))
        )
    if len(tests):
        items.append(esc(text("summary.moved_legend", lang)))
    behind = data.unit_summary[data.unit_summary["significance"] == "below"]
    if len(behind):
        names = ", ".join(behind["unit_name"].drop_duplicates().head(MAX_NAMES))
        names += "…" if behind["unit_name"].nunique() > MAX_NAMES else ""
        items.append(esc(text("summary.behind", lang, n=behind["unit_name"].nunique(), names=names)))
    if not items:
        return HTML("")
    return HTML(heading("h.summary", lang) + bullet_list(items))


def _aggregates(data: ReportData, lang: str) -> str:
    """Pooled vs unit mean per level × KPI, with the pooled change split into improvement and mix."""
    summary_rows = data.level_summary[data.level_summary["level"].isin(data.levels)]
    wide = summary_rows.pivot_table(
        index=["level", "kpi"], columns="aggregation", values=["baseline", "result"], sort=False
    )
    wide.columns = [f"{value}_{method}" for value, method in wide.columns]
    wide = wide.reset_index()
    effects = []
    for _, row in wide.iterrows():
        units = data.unit_summary[
            (data.unit_summary["level"] == row["level"]) & (data.unit_summary["kpi"] == row["kpi"])
        ]
        before = units.rename(columns={"baseline_numerator": "n0", "baseline_denominator": "d0"})
        split = stats.decompose_pooled_change(
            before[["unit_code", "n0", "d0"]].rename(columns={"n0": "numerator", "d0": "denominator"}).dropna(),
            units[["unit_code", "numerator", "denominator"]].dropna(),
        )
        effects.append(split)
    effects_frame = pd.DataFrame(effects, index=wide.index)
    rows = labelled(wide.assign(rate_effect=effects_frame["rate_effect"], mix_effect=effects_frame["mix_effect"]), lang)
    for column in ("baseline_pooled", "result_pooled", "baseline_unit_mean", "result_unit_mean"):
        if column not in rows:
            rows = rows.assign(**{column: float("nan")})
    columns = [
        *LEVEL_KPI_COLUMNS,
        Col("baseline_pooled", "col.pooled_baseline", "rate"),
        Col("result_pooled", "col.pooled_result", "rate"),
        Col("baseline_unit_mean", "col.mean_baseline", "rate"),
        Col("result_unit_mean", "col.mean_result", "rate"),
        Col("rate_effect", "col.rate_effect", "pp"),
        Col("mix_effect", "col.mix_effect", "pp"),
    ]
    return f"<p>{text('certainty.aggregates', lang)}</p>" + html_table(
        rows, columns, lang, synthetic=data.campaign.definition.synthetic
    )


def _significant_units(data: ReportData, lang: str) -> str:
    units = data.unit_summary[data.unit_summary["significance"].isin(["above", "below"])]
    if units.empty:
        return ""
    rows = labelled(units, lang).assign(
        ci_text=[
            f"{fmt_rate(lo, lang, 1)} – {fmt_rate(hi, lang, 1)}"
            for lo, hi in zip(units["ci_low"], units["ci_high"], strict=True)
        ],
        significance_label=units["significance"].map(lambda s: t(f"significance.{s}", lang)),
        volume=units["denominator"],
    )
    rows = rows.sort_values(["level", "kpi", "significance", "result"])
    return html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("unit_name", "col.unit"),
            Col("result", "col.result", "rate"),
            Col("ci_text", "col.ci", "raw_num"),
            Col("target", "col.target", "rate"),
            Col("volume", "col.volume", "count"),
            Col("significance_label", "col.significance"),
        ],
        lang,
        synthetic=data.campaign.definition.synthetic,
    )


def _paired(data: ReportData, lang: str) -> str:
    tests = data.paired_tests[data.paired_tests["complete"]]
    if tests.empty:
        return f"<p>{esc(text('certainty.paired_incomplete', lang))}</p>"
    rows = labelled(tests, lang).assign(
        p_text=[t("value.missing", lang) if is_missing(p) else fmt_number(p, lang, 4) for p in tests["p_adjusted"]],
        met_label=tests["significant"],
    )
    table = html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("n_units", "col.n_units", "count"),
            Col("n_up", "col.n_up", "count"),
            Col("n_down", "col.n_down", "count"),
            Col("median_change_pp", "col.median_change", "pp"),
            Col("p_text", "col.p_adjusted", "raw_num"),
        ],
        lang,
        synthetic=data.campaign.definition.synthetic,
    )
    return f"<p>{esc(text('certainty.paired', lang))}</p>" + table


def _significance_marks(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per unit, the KPIs on which it is significantly above (▲) or below (▼) target, so the league table
    separates real differences from ranking noise."""
    marked = units[units["significance"].isin(["above", "below"])]
    marks = (
        marked.assign(
            mark=[
                ("▲ " if s == "above" else "▼ ") + kpi_label(k, lang, short=True)
                for s, k in zip(marked["significance"], marked["kpi"], strict=True)
            ]
        )  # fmt: skip
        .groupby("unit_code", sort=False)["mark"]
        .agg(", ".join)
        .rename("marks")
        .reset_index()
    )
    return marks if len(marks) else pd.DataFrame({"unit_code": pd.Series(dtype=str), "marks": pd.Series(dtype=str)})


def _ranking(data: ReportData, lang: str) -> str:
    """Per level: the overall emulation ranking, only where every applicable unit has a result."""
    parts = [f"<p>{esc(text('certainty.ranking_rule', lang))}</p>"]
    overall = stats.overall_ranking(data.ranking)
    for level in data.levels:
        units = data.unit_summary[data.unit_summary["level"] == level]
        applicable = units["status"] != "not_applicable"
        if not (units.loc[applicable, "status"] == "ok").all() or overall.empty:
            continue
        rows = overall[overall["level"] == level].merge(_significance_marks(units, lang), on="unit_code", how="left")
        kpi_cols = [Col(k, f"kpi_short.{k}", "pp") for k in data.kpis if k in rows]
        parts.append(f"<h4>{esc(text('certainty.ranking', lang, level=level_label(level, lang)))}</h4>")
        columns = [
            Col("overall_rank", "col.rank", "count"),
            Col("unit_name", "col.unit"),
            *kpi_cols,
            Col("overall_score", "col.score", "pp"),
            Col("marks", "col.significance"),
        ]
        synthetic = data.campaign.definition.synthetic
        ranks = rows["overall_rank"]
        ends = (ranks <= OVERALL_SHOWN) | (ranks > ranks.max() - OVERALL_SHOWN)  # top and bottom, ties included
        parts.append(html_table(rows[ends], columns, lang, synthetic=synthetic))
        if (~ends).any():
            label = text("certainty.ranking_all", lang, n=len(rows))
            parts.append(collapsible(label, html_table(rows, columns, lang, synthetic=synthetic)))
    return "".join(parts) if len(parts) > 1 else ""


def certainty(data: ReportData, lang: str) -> list[object]:
    """Intervals, both aggregates, funnels, significance, paired tests and the ranking — or why not."""
    if (skipped := no_units("h.certainty", data, lang)) is not None:
        return [skipped]
    items: list[object] = [HTML(heading("h.certainty", lang) + f"<p>{esc(text('certainty.intro', lang))}</p>")]
    if not has_unit_counts(data):
        what = text("certainty.what_missing", lang)
        notes = [esc(text("certainty.not_available", lang, what=what))]
        if not data.paired_tests["complete"].any():
            notes.append(esc(text("certainty.paired_incomplete", lang)))
        items.append(HTML(bullet_list(notes)))
        return items
    # the two aggregates and the funnel plots are for the analyst who checks: collapsed, one line each in print
    items.append(HTML(collapsible(text("certainty.aggregates_title", lang), _aggregates(data, lang))))
    from dvctt.report import charts  # matplotlib, only where units have counts to draw

    funnels = [
        embedded(fig)
        for kpi in data.kpis
        if (fig := charts.funnel_chart(data.unit_summary, kpi, list(data.levels), lang,
                                       synthetic=data.campaign.definition.synthetic)) is not None
    ]  # fmt: skip
    if funnels:
        body = f"<p>{esc(text('certainty.funnel', lang))}</p>" + "".join(funnels)
        items.append(HTML(collapsible(text("certainty.funnel_title", lang, n=len(funnels)), body)))
    significant = _significant_units(data, lang)
    if significant:
        marked = data.unit_summary["significance"]
        label = text("certainty.significant_list", lang, n_above=int((marked == "above").sum()),
                     n_below=int((marked == "below").sum()))  # fmt: skip
        significant = f"<p>{esc(label)}</p>" + collapsible(t("more.table", lang), significant)
    items.append(HTML(significant + _paired(data, lang) + _ranking(data, lang)))
    return items
