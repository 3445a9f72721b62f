"""The ranking sections of the campaign report: leaders and laggards where every unit of a level has a result
(ties share a rank), units named by a source shown as such, and units at 0%.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from dvctt.labels import kpi_label, level_label, t, text
from dvctt.report.campaign_sections import _synthetic, heading, no_units
from dvctt.report.data import (
    RANKING_SHOWN,
    ReportData,
)  # fmt: skip
from dvctt.report.formatting import fmt_rate, is_missing, worsened
from dvctt.report.gaps import gap_lines
from dvctt.report.present import LEVEL_KPI_COLUMNS, Col, bullet_list, collapsible, esc, html_table, labelled

MAX_TIE_NAMES = 3  # a tie group of more units shows three names and a count
MAX_NAMED_SHOWN = 10  # units a source named, shown by name per level × KPI; the workbook lists every one


def _tie_groups(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per group of units sharing a rank: "Phường 1, Phường 2, Phường 4 và 85 đơn vị khác"."""
    rows = []
    for _, group in frame.groupby(["level", "kpi", "rank_group", "rank"], sort=False, dropna=False):
        names = list(group["unit_name"])
        shown = ", ".join(names[:MAX_TIE_NAMES])
        if len(names) > MAX_TIE_NAMES:
            shown = text("ranking.and_more", lang, names=shown, n=len(names) - MAX_TIE_NAMES)
        first = group.iloc[0]
        rank = "" if is_missing(first["rank"]) else f"{int(first['rank'])}/{int(first['n_ranked'])}"
        if len(names) > 1 and rank:
            rank = text("ranking.shared", lang, rank=rank, n=len(names))
        rows.append({**first.to_dict(), "unit_name": shown, "rank_text": rank})
    return pd.DataFrame(rows)


def _rank_table(frame: pd.DataFrame, data: ReportData, lang: str) -> str:
    """Leaders and laggards, ranks among all units of the level, each group of tied units on one row."""
    rows = labelled(_tie_groups(frame, lang), lang).assign(
        group_label=lambda f: f["rank_group"].map(lambda g: t(f"rank_group.{g}", lang))
    )
    return html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("group_label", "col.status"),
            Col("rank_text", "col.rank_in_level", "raw_num"),
            Col("unit_name", "col.unit"),
            Col("value", "col.value", "rate"),
            Col("target", "col.target", "rate"),
            Col("met", "col.met", "met"),
        ],
        lang,
        synthetic=_synthetic(data),
    )


def _named_table(frame: pd.DataFrame, data: ReportData, lang: str) -> str:
    """Units a source chose to name, one row per level × KPI: names, results and declines, never a ranking."""
    rows = []
    for (level, kpi), group in frame.groupby(["level", "kpi"], sort=False):
        units = data.unit_summary
        n_all = int(((units["level"] == level) & (units["kpi"] == kpi) & (units["status"] != "not_applicable")).sum())
        shown = []
        for _, unit in group.head(MAX_NAMED_SHOWN).iterrows():  # never a paragraph of every unit
            figure = f"{esc(unit['unit_name'])} {esc(fmt_rate(unit['value'], lang))}"
            if worsened(kpi, unit["value"], unit["baseline"]):
                was = esc(text("ranking.from", lang, baseline=fmt_rate(unit["baseline"], lang)))
                figure = f'<span class="decline">{figure} ▼ {was}</span>'
            shown.append(figure)
        if len(group) > MAX_NAMED_SHOWN:
            shown.append(esc(text("verdict.more", lang, n=len(group) - MAX_NAMED_SHOWN)))
        met = group["met"].astype("boolean")
        met_text = f"{int(met.fillna(False).sum())}/{int(met.notna().sum())}"
        rows.append({"level": level, "kpi": kpi, "named": "; ".join(shown), "count": f"{len(group)}/{n_all}",
                     "met_text": met_text})  # fmt: skip
    table = labelled(pd.DataFrame(rows), lang)
    keys = ("col.level", "col.kpi", "col.named_units", "col.named_count", "col.named_met")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in keys)
    body = "".join(
        f'<tr><td>{esc(r["level_label"])}</td><td>{esc(r["kpi_label"])}</td><td class="txt">{r["named"]}</td>'
        f'<td class="num">{esc(r["count"])}</td><td class="num">{esc(r["met_text"])}</td></tr>'
        for _, r in table.iterrows()
    )
    return f'<table class="dvctt-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _ends_text(group: pd.DataFrame, lang: str) -> str:
    """The units sharing one rank, with their value: "Sở A, Sở B 96,08% (1/15)", a decline marked ▼."""
    tie = _tie_groups(group, lang).iloc[0]
    figure = f"{esc(tie['unit_name'])} {esc(fmt_rate(tie['value'], lang))}"
    if worsened(str(tie["kpi"]), tie["value"], tie["baseline"]):
        figure = f'<span class="decline">{figure} ▼</span>'
    rank = "" if is_missing(tie["rank"]) else f" ({int(tie['rank'])}/{int(tie['n_ranked'])})"
    return figure + esc(rank)


def _rank_summary(frame: pd.DataFrame, data: ReportData, lang: str) -> str:
    """One row per level × KPI: the highest and the lowest units (ties together) and how many met the target.
    The top and bottom tables follow collapsed, so a leader reads one short table and the print stays short."""
    head = "".join(
        f"<th>{esc(t(k, lang))}</th>" for k in ("col.level", "col.kpi", "col.best", "col.worst", "col.units_met")
    )
    body = []
    units = data.unit_summary
    for (level, kpi), group in frame.groupby(["level", "kpi"], sort=False):
        ranks = group["rank"].astype(float)
        best = _ends_text(group[ranks == ranks.min()], lang)
        worst = _ends_text(group[ranks == ranks.max()], lang) if ranks.max() > ranks.min() else best
        scope = units[(units["level"] == level) & (units["kpi"] == kpi) & (units["status"] == "ok")]
        met = scope["met"].astype("boolean")
        met_text = f"{int(met.fillna(False).sum())}/{int(met.notna().sum())}" if met.notna().any() else "—"
        body.append(
            f"<tr><td>{esc(level_label(str(level), lang))}</td><td>{esc(kpi_label(str(kpi), lang))}</td>"
            f'<td class="txt">{best}</td><td class="txt">{worst}</td><td class="num">{esc(met_text)}</td></tr>'
        )
    return f'<table class="dvctt-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _ranking_part(frame: pd.DataFrame, data: ReportData, lang: str, *, summarise: bool = False) -> str:
    named = frame[frame["rank_group"] == "named"]
    ranked = frame[frame["rank_group"] != "named"]
    parts = []
    if len(named):
        parts.append(f'<p class="note">{esc(text("leaders.named", lang))}</p>' + _named_table(named, data, lang))
    if len(ranked) and summarise:
        table = _rank_table(ranked, data, lang)
        label = text("leaders.table", lang, n=RANKING_SHOWN)
        parts.append(_rank_summary(ranked, data, lang) + collapsible(label, table))
    elif len(ranked):
        parts.append(_rank_table(ranked, data, lang))
    return "".join(parts)


def _unranked(data: ReportData, lang: str) -> str:
    """A return with units missing: the ranks are among the units that reported (said once), and the units
    without a figure are listed apart per level × KPI, by name: not sent yet, or rejected with the rule and file."""
    units, parts = data.unit_summary, []
    for (level, kpi), group in units.groupby(["level", "kpi"], sort=False):
        applicable = group[group["status"] != "not_applicable"]
        if not data.is_return(level, kpi) or not (applicable["status"] != "ok").any():
            continue
        lines = gap_lines(applicable, str(level), lang)
        title = text("leaders.unranked", lang, level=level_label(str(level), lang), kpi=kpi_label(str(kpi), lang))
        parts.append(f'<div class="unranked"><p><b>{esc(title)}</b></p>{"".join(lines)}</div>')
    if not parts:
        return ""
    return f'<p class="note">{esc(text("leaders.reported", lang))}</p>' + "".join(parts)


def leaders(data: ReportData, lang: str) -> HTML:
    """By the period's result: a ranking where every unit has one, else the units the sources named. By the
    baseline: the top and bottom of each level, collapsed (the workbook holds every unit's rank)."""
    if (skipped := no_units("h.leaders", data, lang)) is not None:
        return skipped
    parts = [heading("h.leaders", lang), f"<p>{esc(text('leaders.intro', lang, n=RANKING_SHOWN))}</p>"]
    if len(data.leaders_result):
        parts.append(f"<h3>{esc(text('leaders.result', lang, period=data.period.label(lang)))}</h3>")
        parts.append(_ranking_part(data.leaders_result, data, lang, summarise=True))
        parts.append(_unranked(data, lang))
    if len(data.leaders_baseline):
        label = text("leaders.baseline", lang, period=data.baseline.label(lang))
        parts.append(collapsible(label, _ranking_part(data.leaders_baseline, data, lang)))
    return HTML("".join(parts))


def zeros(data: ReportData, lang: str) -> HTML:
    """Units at exactly 0% — never the not-applicable ones: counts per level × KPI, the list collapsed."""
    if (skipped := no_units("h.zeros", data, lang)) is not None:
        return skipped
    parts = [heading("h.zeros", lang), f"<p>{esc(text('zeros.intro', lang))}</p>"]
    for frame, period, column in ((data.zeros_result, data.period, "status"),
                                  (data.zeros_baseline, data.baseline, "baseline_status")):  # fmt: skip
        label = period.label(lang)
        if frame.empty:
            n_with = int(data.unit_summary.loc[data.unit_summary[column] == "ok", "unit_code"].nunique())
            parts.append(f"<p>{esc(text('zeros.none', lang, period=label, n_with=n_with))}</p>")
            continue
        counts = frame.groupby(["level", "kpi"], sort=False).size().rename("n").reset_index()
        items = [
            f"{esc(level_label(r['level'], lang))} — {esc(kpi_label(r['kpi'], lang))}: <b>{int(r['n'])}</b>"
            for _, r in counts.iterrows()
        ]
        parts.append(f"<p>{esc(text('zeros.summary', lang, period=label, n=len(frame)))}</p>" + bullet_list(items))
        columns = [*LEVEL_KPI_COLUMNS, Col("unit_name", "col.unit"), Col("value", "col.value", "rate")]
        table = html_table(labelled(frame, lang), columns, lang, synthetic=_synthetic(data))
        parts.append(collapsible(text("zeros.list", lang, period=label, n=len(frame)), table))
    return HTML("".join(parts))
