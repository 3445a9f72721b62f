"""The sections of the campaign report, each a small function the notebook calls in one cell.

Each returns an ``IPython.display.HTML`` (or a Figure) so the notebook stays a sequence of calls with no logic.

Why this module is long: one function per section of the campaign report, in the order the notebook
calls them.
"""

from __future__ import annotations

import re
import unicodedata

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image

from dvctt.campaign.levels import parent_level
from dvctt.labels import kpi_label, level_label, t, text
from dvctt.report import charts
from dvctt.report.data import ReportData, headline_table
from dvctt.report.formatting import fmt_number, fmt_pp, fmt_rate, fmt_status_rate, is_missing
from dvctt.report.present import LEVEL_KPI_COLUMNS, Col, bullet_list, esc, html_table, labelled

COUNT_METHODS = ("units_met", "units_total")  # reconciliation rows about numbers of units, not rates


def anchor(title: str) -> str:
    """A stable ASCII anchor for a heading ("1. Kết quả chính" -> "ket-qua-chinh")."""
    folded = unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"^\d+\.\s*", "", ascii_text)).strip("-")


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
    sub = text("subtitle", lang, period=data.period.label(lang), baseline=data.baseline.label(lang), plan=plan)
    banner = f'<p class="synthetic-banner">{esc(text("synthetic_banner", lang))}</p>' if definition.synthetic else ""
    return HTML(f'<h1 class="report-title">{esc(heading_text)}</h1><p class="subtitle">{esc(sub)}</p>{banner}')


def _with_counts(rate: object, data: ReportData, row: pd.Series, period: str, lang: str) -> str:
    """'52,23% (42.839/82.015 hồ sơ)' when the source printed the counts behind a level rate."""
    totals = data.campaign.reported_totals
    match = totals[
        (totals["level"] == row["level"])
        & (totals["kpi"] == row["kpi"])
        & (totals["period"] == period)
        & (totals["measure"] == "rate")
        & totals["unit_code"].isna()
        & totals["headline"]
        & totals["denominator"].notna()
    ]
    shown = fmt_rate(rate, lang)
    if match.empty or is_missing(rate):
        return shown
    first = match.iloc[0]
    counts = f"{fmt_number(first['numerator'], lang)}/{fmt_number(first['denominator'], lang)}"
    return f"{shown} ({counts} {t('dossiers', lang)})"


def _headline_sentence(row: pd.Series, data: ReportData, lang: str) -> str:
    values = {
        "level": esc(level_label(row["level"], lang)),
        "kpi": esc(kpi_label(row["kpi"], lang).lower() if lang == "en" else kpi_label(row["kpi"], lang)),
        "baseline": esc(_with_counts(row["baseline"], data, row, data.baseline.id, lang)),
        "baseline_period": esc(data.baseline.label(lang)),
        "result": esc(_with_counts(row["result"], data, row, data.period.id, lang)),
        "target": esc(fmt_rate(row["target"], lang, 0) if not is_missing(row["target"]) else t("no_target", lang)),
    }
    if is_missing(row["result"]):
        return text("headline.no_result", lang, **values)
    if is_missing(row["met"]):  # a result with no target to judge it against
        return text("headline.no_verdict", lang, **values)
    verdict = t("met.true" if bool(row["met"]) else "met.false", lang)
    gap = float(row["result"]) - float(row["target"])
    return text("headline.sentence", lang, verdict=esc(verdict), gap=esc(fmt_pp(gap, lang)), **values)


def headline(data: ReportData, lang: str) -> HTML:
    """Per level and KPI: baseline → result against target, in sentences and in one table."""
    rows = labelled(headline_table(data.level_summary), lang).assign(
        aggregation_label=lambda f: f["aggregation"].map(lambda a: t(f"aggregation.{a}", lang)),
        coverage_label=lambda f: [
            f"{int(w)}/{int(a)}" if not is_missing(a) else t("value.missing", lang)
            for w, a in zip(f["n_units_with_result"], f["n_units_applicable"], strict=True)
        ],
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
            Col("baseline", "col.baseline_generic", "rate"),
            *previous,
            Col("result", "col.result", "rate"),
            Col("target", "col.target", "rate"),
            Col("change_pp", "col.change_pp", "pp"),
            Col("met", "col.met", "met"),
            Col("aggregation_label", "col.aggregation"),
            Col("coverage_label", "col.coverage"),
        ],
        lang,
        synthetic=_synthetic(data),
    )
    intro = f"<p>{esc(text('headline.intro', lang))}</p>"
    return HTML(heading("h.headline", lang) + sentences + intro + table)


def picture(fig: plt.Figure) -> Image:
    """Embed a chart as PNG and close the figure, so the notebook shows it exactly once."""
    return Image(data=charts.to_png(fig), format="png")


def against_targets(data: ReportData, lang: str) -> list[object]:
    """Bullet chart per KPI and level: result, baseline and target on one 0–100% scale."""
    fig = charts.bullet_chart(
        headline_table(data.level_summary),
        list(data.kpis),
        list(data.levels),
        lang,
        synthetic=_synthetic(data),
    )
    return [HTML(heading("h.bullets", lang) + f"<p>{esc(text('bullets.intro', lang))}</p>"), picture(fig)]


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
    items: list[object] = [HTML(heading("h.units", lang) + f"<p>{esc(text('units.intro', lang))}</p>")]
    for kpi in data.kpis:
        items.append(_unit_counts(data, kpi, lang))
        fig = charts.dumbbell_chart(data.unit_summary, kpi, list(data.levels), lang, synthetic=_synthetic(data))
        if fig is not None:
            items.append(picture(fig))
    return items


def heatmap_basis(data: ReportData) -> str:
    """Show the period's gaps when every applicable unit reports, else the baseline's (and say so)."""
    applicable = data.unit_summary["status"] != "not_applicable"
    complete = bool((data.unit_summary.loc[applicable, "status"] == "ok").all())
    return "result" if complete else "baseline"


def gaps(data: ReportData, lang: str) -> list[object]:
    """Heatmap of units × KPIs gap to target, one per level."""
    basis = heatmap_basis(data)
    intro = text(f"heatmap.intro.{basis}", lang, baseline=data.baseline.label(lang))
    items: list[object] = [HTML(heading("h.heatmap", lang) + f"<p>{esc(intro)}</p>")]
    names = dict(zip(data.campaign.units["unit_code"], data.campaign.units["official_name"], strict=True))
    for level in data.levels:
        rows = data.unit_summary[data.unit_summary["level"] == level]
        limit = charts.gap_limit(rows, basis)
        for parent, part in _heatmap_groups(rows, parent_level(data.levels, level)):
            title = None if parent is None else f"{level_label(level, lang)} — {names.get(parent, parent)}"
            fig = charts.gap_heatmap(
                part, level, list(data.kpis), lang, which=basis, synthetic=_synthetic(data), title=title, limit=limit
            )
            items.append(picture(fig))
    return items


HEATMAP_ROWS = 25  # units per heatmap, so each stays legible on screen and on an A4 page


def _heatmap_groups(rows: pd.DataFrame, above: str | None) -> list[tuple[str | None, pd.DataFrame]]:
    """One chart per parent unit (a district's communes) when the level hangs under another; otherwise charts of
    at most HEATMAP_ROWS units in their input order (the 64 communes of a two-tier province)."""
    if above is not None:
        return list(rows.groupby("parent_code", sort=False))
    codes = list(dict.fromkeys(rows["unit_code"]))
    chunks = [codes[i : i + HEATMAP_ROWS] for i in range(0, len(codes), HEATMAP_ROWS)] or [[]]
    return [(None, rows[rows["unit_code"].isin(chunk)]) for chunk in chunks]


def _rank_table(frame: pd.DataFrame, data: ReportData, lang: str) -> str:
    rows = labelled(frame, lang).assign(group_label=lambda f: f["rank_group"].map(lambda g: t(f"rank_group.{g}", lang)))
    return html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("group_label", "col.status"),
            Col("rank", "col.rank", "count"),
            Col("unit_name", "col.unit"),
            Col("value", "col.value", "rate"),
            Col("target", "col.target", "rate"),
            Col("met", "col.met", "met"),
        ],
        lang,
        synthetic=_synthetic(data),
    )


def leaders(data: ReportData, lang: str) -> HTML:
    """Leaders and laggards by the period's result (partial when only named units are published) and baseline."""
    parts = [heading("h.leaders", lang), f"<p>{esc(text('leaders.intro', lang))}</p>"]
    if len(data.leaders_result):
        parts.append(f"<h3>{esc(text('leaders.result', lang, period=data.period.label(lang)))}</h3>")
        applicable = data.unit_summary["status"] != "not_applicable"
        if not (data.unit_summary.loc[applicable, "status"] == "ok").all():
            parts.append(f'<p class="note">{esc(text("leaders.partial", lang))}</p>')
        parts.append(_rank_table(data.leaders_result, data, lang))
    parts.append(f"<h3>{esc(text('leaders.baseline', lang, period=data.baseline.label(lang)))}</h3>")
    parts.append(_rank_table(data.leaders_baseline, data, lang))
    return HTML("".join(parts))


def zeros(data: ReportData, lang: str) -> HTML:
    """Units at exactly 0% — never the not-applicable ones — for the baseline and the period."""
    parts = [heading("h.zeros", lang), f"<p>{esc(text('zeros.intro', lang))}</p>"]
    for frame, period in ((data.zeros_result, data.period), (data.zeros_baseline, data.baseline)):
        label = period.label(lang)
        if frame.empty:
            parts.append(f"<p>{esc(text('zeros.none', lang, period=label))}</p>")
            continue
        parts.append(f"<h3>{esc(text('zeros.summary', lang, period=label, n=len(frame)))}</h3>")
        rows = labelled(frame, lang)
        parts.append(
            html_table(
                rows,
                [
                    *LEVEL_KPI_COLUMNS,
                    Col("unit_name", "col.unit"),
                    Col("value", "col.value", "rate"),
                ],
                lang,
                synthetic=_synthetic(data),
            )
        )
    return HTML("".join(parts))


def coverage(data: ReportData, lang: str) -> HTML:
    """What the sources report and what they do not, per level and KPI, for the baseline and the period."""
    rows = labelled(data.coverage, lang)
    cols = [
        *LEVEL_KPI_COLUMNS,
        Col("n_units", "col.n_units", "count"),
    ]
    for which in ("baseline", "result"):
        for stat in ("ok", "missing", "not_applicable"):
            cols.append(Col(f"n_{which}_{stat}", f"col.{which}_{stat}", "count"))
    table = html_table(rows, cols, lang, synthetic=_synthetic(data))
    missing = headline_table(data.level_summary)
    missing = missing[missing["result"].isna() & missing["level"].isin(data.levels)]
    notes = [
        esc(
            text(
                "coverage.missing_level",
                lang,
                level=level_label(r["level"], lang),
                kpi=kpi_label(r["kpi"], lang),
                period=data.period.label(lang),
            )
        )
        for _, r in missing.iterrows()
    ]
    if not data.campaign.observations["denominator"].notna().any():
        notes.append(esc(text("coverage.no_counts", lang)))
    intro = f"<p>{esc(text('coverage.intro', lang))}</p>"
    return HTML(heading("h.coverage", lang) + intro + table + bullet_list(notes))


def reconciliation(data: ReportData, lang: str) -> HTML:
    """Every published total against what the detailed data give, with the verdict."""
    frame = data.reconciliation
    counts = frame["verdict"].value_counts()
    summary = text(
        "reconciliation.summary",
        lang,
        consistent=int(counts.get("consistent", 0)),
        differs=int(counts.get("differs", 0)),
        not_recomputable=int(counts.get("not recomputable", 0)),
    )
    periods = {p.id: p.label(lang) for p in data.campaign.definition.periods}
    is_count = frame["method"].isin(COUNT_METHODS)
    is_points = frame["method"] == "unit_gap"

    def shown(column: str, formatter) -> pd.Series:
        values = frame[column]
        return pd.Series(
            [
                fmt_number(v, lang) if count else (fmt_pp(v, lang) if points else formatter(v, lang))
                for v, count, points in zip(values, is_count, is_points, strict=True)
            ],
            index=frame.index,
        )

    rows = labelled(frame, lang).assign(
        period_label=frame["period"].map(periods),
        method_label=frame["method"].map(lambda m: t(f"method.{m}", lang)),
        verdict_label=frame["verdict"].map(lambda v: t(f"verdict.{v}", lang)),
        reported_text=shown("reported", fmt_rate),
        recomputed_text=shown("recomputed", fmt_rate),
        difference_text=shown("difference_pp", lambda v, lg: fmt_pp(v, lg, 4)),
    )
    table = html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("period_label", "col.period"),
            Col("reported_text", "col.reported", "raw_num"),
            Col("recomputed_text", "col.recomputed", "raw_num"),
            Col("method_label", "col.method"),
            Col("difference_text", "col.difference_pp", "raw_num"),
            Col("verdict_label", "col.verdict"),
            Col("source", "col.source"),
        ],
        lang,
        synthetic=_synthetic(data),
    )
    intro = f"<p>{esc(text('reconciliation.intro', lang))}</p><p><b>{esc(summary)}</b></p>"
    findings = _findings(rows, lang)
    found = f"<h3>{esc(text('findings.heading', lang))}</h3>" + bullet_list(findings) if findings else ""
    return HTML(heading("h.reconciliation", lang) + intro + found + table)


NOTABLE_FINDINGS = ("truncated", "unit_mean.differs", "unit_mean.consistent")


def _findings(rows: pd.DataFrame, lang: str) -> list[str]:
    """One translated sentence per published figure that differs, or that turns out to be a plain mean."""
    key = ["level", "kpi", "period", "reported"]  # the same printed figure, whichever row printed it
    consistent_methods = rows[rows["verdict"] == "consistent"].groupby(key)["method"].nunique()
    ambiguous = rows.set_index(key).index.map(lambda k: consistent_methods.get(k, 0) > 1)
    trivial = (rows["reported"] == 0) & (rows["recomputed"] == 0)
    plain_mean = (rows["finding"] == "unit_mean.consistent") & ~ambiguous & ~trivial
    notable = rows[(rows["verdict"] == "differs") | plain_mean]
    notable = notable.drop_duplicates(["level", "kpi", "period", "reported", "method"])
    sentences = []
    for _, row in notable.iterrows():
        key = row["finding"] if row["finding"] in NOTABLE_FINDINGS else "other"
        what = f"{row['level_label']} — {row['kpi_label']}, {row['period_label']}"
        values = {
            "what": what,
            "reported": row["reported_text"],
            "recomputed": row["recomputed_text"],
            "diff": row["difference_text"],
            "method": row["method_label"],
        }
        sentences.append(esc(text(f"finding.{key}", lang, **values)))
    return sentences


def sources(data: ReportData, lang: str) -> HTML:
    """Numbered source list, the report's footnotes."""
    items = []
    for _, src in data.campaign.sources.iterrows():
        bits = [f"<b>[{esc(src['source_id'])}]</b> {esc(src['title'])}"]
        for field in ("publisher", "published"):
            if not is_missing(src.get(field)):
                bits.append(esc(src[field]))
        if not is_missing(src.get("file")):
            bits.append(f"<code>{esc(src['file'])}</code>")
        items.append(", ".join(bits))
    return HTML(
        heading("h.sources", lang) + f"<p>{esc(text('sources.intro', lang))}</p>" + "<ol>"
        + "".join(f"<li>{i}</li>" for i in items) + "</ol>"
    )  # fmt: skip


def unit_rate_text(value: object, status: str, lang: str) -> str:
    return fmt_status_rate(value, status, lang)


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
