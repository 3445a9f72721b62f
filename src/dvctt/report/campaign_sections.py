"""The sections of the campaign report, each a small function the notebook calls in one cell.

Each returns an ``IPython.display.HTML`` (or a Figure) so the notebook stays a sequence of calls with no logic.

The rankings are in :mod:`dvctt.report.ranking_sections`; the sections about the data themselves (coverage,
reconciliation, sources) in :mod:`dvctt.report.quality_sections`.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML, Image

from dvctt.campaign.levels import parent_level
from dvctt.labels import kpi_label, level_label, t, text
from dvctt.report import gap_grid, svg_charts
from dvctt.report.data import (
    ReportData,
    has_target,
    headline_row,
    headline_table,
    printed_precision,
)  # fmt: skip
from dvctt.report.formatting import fmt_number, fmt_pp, fmt_rate, is_missing
from dvctt.report.present import (
    LEVEL_KPI_COLUMNS,
    Col,
    anchor,
    bullet_list,
    collapsible,
    esc,
    html_table,
    labelled,
    titled,
)

if TYPE_CHECKING:  # matplotlib is imported only by a report that draws a picture (charts)
    from matplotlib.figure import Figure


def heading(key: str, lang: str, level: int = 2, **values: object) -> str:
    title = text(key, lang, **values)
    return f'<h{level} id="{anchor(title)}">{esc(title)}</h{level}>'


def _synthetic(data: ReportData) -> bool:
    return data.campaign.definition.synthetic


def title(data: ReportData, lang: str) -> HTML:
    """Report title, period line and, for synthetic data, a banner that cannot be missed."""
    definition = data.campaign.definition
    name = definition.name(lang)
    heading_text = text("title", lang, name=name)
    if definition.synthetic:
        heading_text = f"[{t('synthetic', lang)}] {heading_text}"
    plan = definition.plan.get("number", "")
    key = "subtitle" if plan else "subtitle.no_plan"
    sub = text(key, lang, period=data.period.label(lang), baseline=data.baseline.label(lang), plan=plan)
    banner = f'<p class="synthetic-banner">{esc(text("synthetic_banner", lang))}</p>' if definition.synthetic else ""
    return HTML(f'<h1 class="report-title">{esc(heading_text)}</h1><p class="subtitle">{esc(sub)}</p>{banner}')


def shown_rate(rate: object, data: ReportData, row: pd.Series, period: str, lang: str) -> str:
    """A level rate with the precision it was printed with ("79%" stays 79%, never 79,00%) when it is the
    printed figure; computed rates keep two decimals."""
    return fmt_rate(rate, lang, printed_precision(data, row, period))


def _with_counts(rate: object, data: ReportData, row: pd.Series, period: str, lang: str) -> str:
    """'52,23% (42.839/82.015 hồ sơ)' when the source printed the counts behind a level rate."""
    first = headline_row(data, row, period)
    shown = shown_rate(rate, data, row, period, lang)
    if first is None or is_missing(first["denominator"]) or is_missing(rate):
        return shown
    counts = f"{fmt_number(first['numerator'], lang)}/{fmt_number(first['denominator'], lang)}"
    return f"{shown} ({counts} {t('dossiers', lang)})"


def verdict_text(row: pd.Series, data: ReportData, lang: str) -> str:
    """Đạt / Chưa đạt; «chưa đặt mục tiêu» when there is a result but no target; — when there is no result."""
    if not is_missing(row["met"]):
        return t("met.true" if bool(row["met"]) else "met.false", lang)
    if not is_missing(row["result"]) and not has_target(data, row["level"], row["kpi"]):
        return t("met.no_target", lang)
    return t("met.na", lang)


def _statements(data: ReportData, level: str, kpi: str) -> pd.DataFrame:
    rows = data.statements
    return rows[(rows["level"] == level) & (rows["kpi"] == kpi)]


def _statement_text(row: pd.Series, lang: str) -> str:
    said = text("headline.statement", lang, printed=row["printed"], compared=row["compared_with"])
    unit = t(f"change_unit.{row['change_unit']}", lang)
    return f"{said} ({unit})"


def _headline_sentence(row: pd.Series, data: ReportData, lang: str) -> str:
    if is_missing(row["target"]):
        target = t("no_target", lang) if has_target(data, row["level"], row["kpi"]) else t("target.none", lang)
        note = text("target.value", lang, value=target) if has_target(data, row["level"], row["kpi"]) else target
    else:
        target = fmt_rate(row["target"], lang, 0)
        note = text("target.value", lang, value=target)
    values = {
        "level": esc(level_label(row["level"], lang)),
        "kpi": esc(kpi_label(row["kpi"], lang).lower() if lang == "en" else kpi_label(row["kpi"], lang)),
        "baseline": esc(_with_counts(row["baseline"], data, row, data.baseline.id, lang)),
        "baseline_period": esc(data.baseline.label(lang)),
        "result": esc(_with_counts(row["result"], data, row, data.period.id, lang)),
        "target": esc(target),
        "target_note": esc(note),
    }
    if is_missing(row["result"]):
        sentence = text("headline.no_result", lang, **values)
    elif is_missing(row["met"]) and is_missing(row["baseline"]):
        sentence = text("headline.no_baseline", lang, verdict=f" ({values['target']})", **values)
    elif is_missing(row["met"]):  # a result with no target to judge it against
        sentence = text("headline.no_verdict", lang, **values)
    else:
        verdict = t("met.true" if bool(row["met"]) else "met.false", lang)
        gap = float(row["result"]) - float(row["target"])
        sentence = text("headline.sentence", lang, verdict=esc(verdict), gap=esc(fmt_pp(gap, lang)), **values)
    said = [esc(_statement_text(s, lang)) for _, s in _statements(data, row["level"], row["kpi"]).iterrows()]
    return sentence + (f" <i>{'; '.join(said)}.</i>" if said else "")


def _statements_table(data: ReportData, lang: str) -> str:
    """Every change statement of the period as printed, next to the headline figures it concerns."""
    if data.statements.empty:
        return ""
    rows = labelled(data.statements, lang).assign(
        unit_label=lambda f: f["change_unit"].map(lambda u: t(f"change_unit.{u}", lang)),
        source=lambda f: [
            f"{a}: {b}" if not is_missing(b) else a for a, b in zip(f["source_id"], f["source_section"], strict=True)
        ],
    )
    table = html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("printed", "col.statement"),
            Col("compared_with", "col.compared_with"),
            Col("unit_label", "col.change_unit"),
            Col("source", "col.source"),
        ],
        lang,
        synthetic=_synthetic(data),
    )
    return f"<p>{esc(text('headline.statements', lang))}</p>" + table


def headline(data: ReportData, lang: str) -> HTML:
    """Per level and KPI: baseline → result against target, in sentences and in one table."""
    chosen = headline_table(data.level_summary)
    rows = labelled(chosen, lang).assign(
        aggregation_label=lambda f: f["aggregation"].map(lambda a: t(f"aggregation.{a}", lang)),
        coverage_label=lambda f: [
            f"{int(w)}/{int(a)}" if not is_missing(a) and int(n) else t("value.missing", lang)
            for w, a, n in zip(f["n_units_with_result"], f["n_units_applicable"], f["n_units"], strict=True)
        ],
        baseline_text=lambda f: [shown_rate(r["baseline"], data, r, data.baseline.id, lang) for _, r in f.iterrows()],
        result_text=lambda f: [shown_rate(r["result"], data, r, data.period.id, lang) for _, r in f.iterrows()],
        verdict_label=lambda f: [verdict_text(r, data, lang) for _, r in f.iterrows()],
    )
    sentences = bullet_list(_headline_sentence(row, data, lang) for _, row in rows.iterrows())
    previous = (
        [Col("previous", "col.previous", "rate"), Col("change_since_previous", "col.change_since_previous", "pp")]
        if data.previous is not None
        else []
    )
    table = html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("baseline_text", "col.baseline_generic", "raw_num"),
            *previous,
            Col("result_text", "col.result", "raw_num"),
            Col("target", "col.target", "rate"),
            Col("change_pp", "col.change_pp", "pp"),
            Col("verdict_label", "col.met"),
            Col("aggregation_label", "col.aggregation"),
            Col("coverage_label", "col.coverage"),
        ],
        lang,
        synthetic=_synthetic(data),
    )
    intro = f"<p>{esc(text('headline.intro', lang))}</p>"
    return HTML(
        heading("h.headline", lang) + intro + table + _statements_table(data, lang)
        + collapsible(t("more.sentences", lang), sentences)
    )  # fmt: skip


def no_units(key: str, data: ReportData, lang: str) -> HTML | None:
    """For a campaign whose sources give level figures only: the section's heading and why it does not apply."""
    if len(data.campaign.units):
        return None
    return HTML(heading(key, lang) + f"<p>{esc(text('units.not_reported', lang))}</p>")


def picture(fig: Figure) -> Image:
    """Embed a chart as PNG and close the figure, so the notebook shows it exactly once."""
    from dvctt.report import charts

    return Image(data=charts.to_png(fig), format="png")


def embedded(fig: Figure) -> str:
    """A chart as an inline <img> (for charts inside a collapsible block)."""
    from dvctt.report import charts

    encoded = base64.b64encode(charts.to_png(fig)).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="">'


def against_targets(data: ReportData, lang: str) -> list[object]:
    """Bullet chart per KPI and level: result, baseline and target on one 0–100% scale. A campaign that sets no
    target gets a sentence, not a chart of empty target ticks (issue 22 item 3)."""
    headline = headline_table(data.level_summary)
    if headline["target"].isna().all():
        return [HTML(heading("h.bullets", lang) + f"<p>{esc(text('bullets.no_targets', lang))}</p>")]
    headline = headline.assign(  # figures as the sources printed them: "79%" is never drawn as 79,00%
        result_text=[shown_rate(r["result"], data, r, data.period.id, lang) for _, r in headline.iterrows()],
        baseline_text=[shown_rate(r["baseline"], data, r, data.baseline.id, lang) for _, r in headline.iterrows()],
    )
    chart = svg_charts.bullet_chart(headline, list(data.kpis), list(data.levels), lang, synthetic=_synthetic(data))
    return [HTML(heading("h.bullets", lang) + f"<p>{esc(text('bullets.intro', lang))}</p>"), HTML(chart)]


def _unit_counts(data: ReportData, kpi: str, lang: str) -> HTML:
    """How many units of each level report a result for ``kpi``: the dumbbells show only those."""
    rows = data.unit_summary[data.unit_summary["kpi"] == kpi]
    if not (rows["status"] == "ok").any():
        return HTML(
            f"<h3>{esc(kpi_label(kpi, lang))}</h3><p>{esc(text('units.none', lang, kpi=kpi_label(kpi, lang)))}</p>"
        )
    items = []
    for level in data.levels:
        at_level = rows[rows["level"] == level]
        values = {
            "kpi": level_label(level, lang),
            "n_with": int((at_level["status"] == "ok").sum()),
            "n_app": int((at_level["status"] != "not_applicable").sum()),
            "level_lower": level_label(level, lang).lower(),
        }
        items.append(esc(text("units.count", lang, **values)))
    return HTML(f"<h3>{esc(kpi_label(kpi, lang))}</h3>" + bullet_list(items))


def unit_results(data: ReportData, lang: str) -> list[object]:
    """Per KPI: how many units report, and a dumbbell chart baseline → result for those that do."""
    if (skipped := no_units("h.units", data, lang)) is not None:
        return [skipped]
    items: list[object] = [HTML(heading("h.units", lang) + f"<p>{esc(text('units.intro', lang))}</p>")]
    for kpi in data.kpis:
        items.append(_unit_counts(data, kpi, lang))
        chart = svg_charts.dumbbell_chart(data.unit_summary, kpi, list(data.levels), lang, synthetic=_synthetic(data))
        if chart is None:
            continue
        shown = int(((data.unit_summary["kpi"] == kpi) & (data.unit_summary["status"] == "ok")).sum())
        if shown <= MAX_VISIBLE_UNITS:
            items.append(HTML(chart))
        else:  # a chart of a hundred units is several pages long: one click away, closed in print
            label = text("units.collapsed", lang, kpi=kpi_label(kpi, lang), n=shown)
            items.append(HTML(collapsible(label, chart)))
    return items


MAX_VISIBLE_UNITS = 40  # unit charts with more units than this are collapsed (the Cà Mau ones have at most 24)


def gaps(data: ReportData, lang: str) -> list[object]:
    """Units × KPIs gap to target as coloured tables, one per level: the period's result where known, else the
    baseline (paler and labelled). Communes, one table per district, are collapsed under a summary."""
    if (skipped := no_units("h.heatmap", data, lang)) is not None:
        return [skipped]
    intro = text("heatmap.intro.latest", lang, baseline=data.baseline.label(lang), period=data.period.label(lang))
    parts = [heading("h.heatmap", lang) + f"<p>{esc(intro)}</p>"]
    names = dict(zip(data.campaign.units["unit_code"], data.campaign.units["official_name"], strict=True))
    short = data.baseline.label(lang).split()[-1]  # "Năm 2022" -> "2022" inside a cell
    shown = gap_grid.latest_gap(data.unit_summary[[*gap_grid.GRID_COLUMNS, "level", "parent_code"]])  # once
    limit = gap_grid.gap_limit(shown["gap"])  # one scale for the whole section, so every colour compares
    for level in data.levels:
        rows = shown[shown["level"] == level]
        groups = _heatmap_groups(rows, parent_level(data.levels, level))
        title = titled(level_label(level, lang), _synthetic(data), lang)
        if len(groups) == 1:
            parts.append(gap_grid.gap_grid(rows, level, list(data.kpis), lang, title=title, limit=limit,
                                           baseline_label=short))  # fmt: skip
            continue
        # many units: one table per parent unit or per block, collapsed so the report stays short
        tables = []
        for i, (parent, part) in enumerate(groups, start=1):
            where = names.get(parent, parent) if parent is not None else f"{i}/{len(groups)}"
            tables.append(gap_grid.gap_grid(part, level, list(data.kpis), lang, title=f"{title} — {where}",
                                            limit=limit, baseline_label=short))  # fmt: skip
        counts = _latest_counts(rows)
        label = text("heatmap.collapsed", lang, level=level_label(level, lang), n=rows["unit_code"].nunique(),
                     groups=len(tables), **counts)  # fmt: skip
        parts.append(collapsible(label, "".join(tables)))
    parts.append(gap_grid.legend(limit, short, lang))
    return [HTML("".join(parts))]


HEATMAP_ROWS = 25  # units per heatmap, so each stays legible on screen and on an A4 page


def _heatmap_groups(rows: pd.DataFrame, above: str | None) -> list[tuple[str | None, pd.DataFrame]]:
    """One chart per parent unit (a district's communes) when the level hangs under another; otherwise charts of
    at most HEATMAP_ROWS units in their input order (the 64 communes of a two-tier province)."""
    if above is not None:
        return list(rows.groupby("parent_code", sort=False))
    codes = list(dict.fromkeys(rows["unit_code"]))
    chunks = [codes[i : i + HEATMAP_ROWS] for i in range(0, len(codes), HEATMAP_ROWS)] or [[]]
    return [(None, rows[rows["unit_code"].isin(chunk)]) for chunk in chunks]


def _latest_counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many unit × KPI cells of a heatmap (rows through latest_gap) show the period's result and how many only
    the baseline."""
    basis = rows["basis"]
    return {"n_result": int((basis == "result").sum()), "n_baseline": int((basis == "baseline").sum())}


def key_figures(data: ReportData) -> str:
    """The headline figures as plain, language-neutral text, full precision to 4 decimals.

    nbval compares this cell's output with the one stored in the notebook, so a change in the data or in a
    metric that moves a headline number shows up as a failing test.
    """
    lines = [f"campaign={data.campaign.id} period={data.period.id} baseline={data.baseline.id}"]
    for _, row in headline_table(data.level_summary).iterrows():
        values = " ".join(
            f"{name}={'NA' if is_missing(row[name]) else format(float(row[name]), '.4f')}"
            for name in ("baseline", "target", "result", "change_pp")
        )
        met = "NA" if is_missing(row["met"]) else str(bool(row["met"]))
        lines.append(f"{row['level']:<9} {row['kpi']:<15} {row['aggregation']:<9} {values} met={met}")
    counts = data.reconciliation["verdict"].value_counts().sort_index()
    lines.append("reconciliation: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return "\n".join(lines)
