"""Sections of the service-index report (``notebooks/index_report.ipynb``) and the tables published with it.

For one unit (a province by default, or an agency or commune) and one period: the total, the rank among its
peers and the change since the previous period first; then the points lost per component (the main chart), the
trend per month and quarter (one line per year: the portal re-bases its scale between years), the ranking of its
peers, its agencies and communes in threshold groups, and notes on the data. Every text is in the report's
language; numbers follow its conventions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Image

from dvctt.campaign import provenance
from dvctt.errors import ParameterError
from dvctt.labels import t, text
from dvctt.report import charts
from dvctt.report.formatting import fmt_number
from dvctt.report.present import esc
from dvctt.service_index import analysis as ix
from dvctt.service_index import charts as index_charts
from dvctt.service_index import store as index_store
from dvctt.service_index.definition import COMPONENT_MAX, COMPONENTS, parse_period
from dvctt.service_index.first_screen import long_table
from dvctt.service_index.words import (
    component_label,
    level_label,
    period_label,
    period_tick,
    rank_change_text,
    score,
    signed,
)


@dataclass(frozen=True)
class IndexData:
    """Everything the report shows, computed once."""

    id: str
    synthetic: bool
    tidy: pd.DataFrame  # unit × period × component, with points_lost
    units: pd.DataFrame  # unit × period: total, rank, n_peers, change, group, weakest
    subject: pd.Series  # the report's unit in the report's period (a row of ``units``)
    period: str
    thresholds: tuple[float, float]
    sources: pd.DataFrame
    campaign_kpis: pd.DataFrame | None = None  # level × KPI results of the campaign sharing the folder, if any
    campaign_period: Any = None  # the campaign's Period (labels in both languages)
    data_hash: str = ""  # SHA-256 of the folder's files, for the footer


def _sort_key(period_id: str) -> tuple[int, int, int]:
    period = parse_period(period_id)
    return period.year, period.order, ("ytd", "quarter", "month").index(period.kind)


def build_index_data(
    index: str | os.PathLike[str],
    scope: str | None = None,
    period: str | None = None,
    thresholds: tuple[float, float] = ix.DEFAULT_THRESHOLDS,
) -> IndexData:
    """Load the index folder and analyse it for ``scope`` in ``period`` (default: its latest period)."""
    folder = index_store.index_folder(index)
    tidy = index_store.load_index(folder)
    tidy = tidy.assign(score=pd.to_numeric(tidy["score"].replace("", None)))  # a component the file omits: missing
    tidy = tidy.astype({"score": float, "max_points": float, "total": float, "year": int})
    if tidy.empty:
        raise ParameterError(f"The index folder {folder.name!r} holds no scores yet.")
    totals = ix.unit_totals(tidy)
    code = ix.resolve_scope(totals, scope)
    periods = sorted(set(totals.loc[totals["unit_code"] == code, "period"]), key=_sort_key)
    if not periods:
        raise ParameterError(f"Unit {code} has no scores in the index (it is only a parent of the units there).")
    chosen = parse_period(period).id if period else periods[-1]
    if chosen not in periods:
        raise ParameterError(
            f"Unit {code} has no scores for period {chosen}; periods with scores: {', '.join(periods)}."
        )
    low, high = sorted(float(x) for x in thresholds)
    units = ix.threshold_groups(ix.change_since_previous(ix.rank_units(totals)), (low, high))
    units = units.merge(ix.weakest_components(tidy), on=["unit_code", "period"], how="left")
    subject = units[(units["unit_code"] == code) & (units["period"] == chosen)].iloc[0]
    meta = index_store.index_meta(folder)
    kpis, kpi_period = _campaign_kpis(folder)
    return IndexData(
        id=str(meta["id"]),
        synthetic=bool(meta["synthetic"]),
        tidy=ix.points_lost(tidy),
        units=units,
        subject=subject,
        period=chosen,
        thresholds=(low, high),
        sources=index_store.load_sources(folder),
        campaign_kpis=kpis,
        campaign_period=kpi_period,
        data_hash=provenance.data_hash(folder),
    )


#: Index component → the campaign KPI nearest to it (shown side by side, never as the same measure).
KPI_BESIDE: dict[str, str] = {"CLGQ": "online", "MDSH": "digitized", "TTTT": "online_payment"}


def _campaign_kpis(folder: Path) -> tuple[pd.DataFrame | None, Any]:
    """The headline level × KPI results of the campaign whose folder also holds the index, for its default period."""
    if not (folder / "campaign.toml").is_file():
        return None, None
    from dvctt.report.data import build_report_data, headline_table

    data = build_report_data(str(folder), None)
    rows = headline_table(data.level_summary)
    rows = rows[rows["kpi"].isin(KPI_BESIDE.values()) & rows["result"].notna()]
    return rows[["level", "kpi", "result"]], data.period


def index_tables(data: IndexData) -> dict[str, pd.DataFrame]:
    """The report period's CSV tables (codes, full precision): component scores, unit ranking, printed-rank notes."""
    scores = series_table(data)
    unit_columns = ["unit_code", "ma_coquan", "unit_name", "level", "official_code", "period", "total", "rank",
                    "n_peers", "previous_period", "total_change", "rank_change", "group", "weakest", "weakest_lost",
                    "printed_rank"]  # fmt: skip
    units = data.units[data.units["period"] == data.period][unit_columns]
    units = units.sort_values(["level", "rank", "unit_code"]).reset_index(drop=True)
    notes = ix.printed_order_notes(data.units[data.units["period"] == data.period])
    notes = notes.rename(columns={"note": "printed_note"}).reset_index(drop=True)
    return {"index_scores": scores[scores["period"] == data.period].reset_index(drop=True), "index_units": units,
            "index_rank_notes": notes}  # fmt: skip


def series_table(data: IndexData) -> pd.DataFrame:
    """Every period of the index folder as the published ``index_scores`` columns (the series)."""
    return ix.scores_table(data.tidy.drop(columns="points_lost"), data.units)


def build_index_tables(
    index: str | os.PathLike[str],
    period: str | None = None,
    scope: str | None = None,
    thresholds: tuple[float, float] = ix.DEFAULT_THRESHOLDS,
) -> dict[str, pd.DataFrame]:
    """:func:`index_tables` of a folder, for callers without the report data at hand."""
    return index_tables(build_index_data(index, scope, period, thresholds))


def status_line(data: IndexData, lang: str) -> str:
    """One line for the index page: total and rank of N."""
    row = data.subject
    return text("index.status", lang, total=score(row["total"], lang), rank=row["rank"], n=row["n_peers"])


def _synthetic(head: str, data: IndexData, lang: str) -> str:
    return f"[{t('synthetic', lang)}] {head}" if data.synthetic else head


def _h2(key: str, lang: str) -> str:
    from dvctt.report.campaign_sections import heading

    return heading(key, lang)


# ----------------------------------------------------------------------------------------------- sections


def title(data: IndexData, lang: str) -> HTML:
    head = _synthetic(text("index.title", lang, unit=data.subject["unit_name"]), data, lang)
    sub = text("index.subtitle", lang, period=period_label(data.period, lang))
    return HTML(f'<h1 class="report-title">{esc(head)}</h1><p class="subtitle">{esc(sub)}</p>')


def _change_text(row: pd.Series, lang: str) -> str:
    if pd.isna(row["previous_period"]) or pd.isna(row["total_change"]):
        return text("index.headline.no_previous", lang, year=row["year"])
    return text(
        "index.headline.change_value",
        lang,
        change=signed(row["total_change"], lang),
        previous=period_label(row["previous_period"], lang),
        rank_change=rank_change_text(row["rank_change"], lang),
    )


def headline(data: IndexData, lang: str) -> HTML:
    """The first screen: total, rank of N among peers, change since the previous period, weakest component."""
    row = data.subject
    level = level_label(row["level"], lang).lower()
    heads = [
        text("index.headline.total", lang),
        text("index.headline.rank", lang, level=level),
        text("index.headline.change", lang),
    ]
    values = [f"{score(row['total'], lang)}/100", f"{row['rank']}/{row['n_peers']}", _change_text(row, lang)]
    classes = ["figure", "figure", "figure" if pd.notna(row["total_change"]) else "txt"]
    head = "".join(f"<th class='txt'>{esc(h)}</th>" for h in heads)
    body = "".join(f"<td class='{c}'>{esc(v)}</td>" for c, v in zip(classes, values, strict=True))
    weakest = text(
        "index.headline.weakest",
        lang,
        component=component_label(row["weakest"], lang),
        lost=score(row["weakest_lost"], lang),
        max=fmt_number(COMPONENT_MAX[row["weakest"]], lang),
    )
    table = f'<table class="index-figures"><thead><tr>{head}</tr></thead><tbody><tr>{body}</tr></tbody></table>'
    return HTML(f'{table}<p class="lead">{esc(weakest)}</p>')


def _component_rows(data: IndexData) -> pd.DataFrame:
    """The subject's components with the median loss of its peers in the same period."""
    row = data.subject
    same = data.tidy[data.tidy["period"] == data.period]
    peers = data.units[(data.units["period"] == data.period) & (data.units["peer_group"] == row["peer_group"])]
    peer_rows = same[same["unit_code"].isin(peers["unit_code"])]
    median = peer_rows.groupby("component")["points_lost"].median().rename("peer_median_lost")
    own = same[same["unit_code"] == row["unit_code"]].set_index("component")
    return own.join(median).reindex(list(COMPONENTS)).reset_index()


def points_lost(data: IndexData, lang: str) -> list[object]:
    """The main chart: points lost per component, then the same figures as a table."""
    rows = _component_rows(data)
    fig = index_charts.points_lost_chart(rows, lang, synthetic=data.synthetic)
    level = level_label(data.subject["level"], lang).lower()
    intro = text("index.lost.intro", lang, n=data.subject["n_peers"], level=level)
    head = [
        t(k, lang) for k in ("col.component", "col.index_score", "col.max_points", "col.points_lost", "col.peer_median")
    ]
    body = "".join(
        f"<tr><td>{esc(component_label(r.component, lang))}</td><td class='num'>{score(r.score, lang)}</td>"
        f"<td class='num'>{fmt_number(r.max_points, lang)}</td><td class='num'>{score(r.points_lost, lang)}</td>"
        f"<td class='num'>{score(r.peer_median_lost, lang)}</td></tr>"
        for r in rows.sort_values("points_lost", ascending=False).itertuples()
    )
    table = _table(head, body)
    return [HTML(_h2("h.index_lost", lang) + f"<p>{esc(intro)}</p>"), Image(data=charts.to_png(fig), format="png"),
            HTML(table)]  # fmt: skip


def _table(head: list[str], body: str, caption: str = "", kinds: list[str] | None = None) -> str:
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    classes = kinds or [""] * len(head)
    cells = "".join(
        f'<th class="{k}">{esc(h)}</th>' if k else f"<th>{esc(h)}</th>" for h, k in zip(head, classes, strict=True)
    )
    return f'<table class="dvctt-table">{cap}<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


def trend(data: IndexData, lang: str) -> list[object]:
    """Total per month, per quarter and per year-to-date snapshot, one line per year; or why there is none."""
    out: list[object] = [HTML(_h2("h.index_trend", lang) + f"<p>{esc(text('index.trend.rebased', lang))}</p>")]
    series = data.units[data.units["unit_code"] == data.subject["unit_code"]]
    series = series.assign(order=series["period"].map(lambda p: parse_period(p).order))
    for kind in ("month", "quarter", "ytd"):
        rows = series[(series["period_kind"] == kind) & (series["order"] > 0)]
        in_year = rows[rows["year"] == data.subject["year"]]
        kind_label = text(f"index.trend.kind.{kind}", lang)
        if kind != data.subject["period_kind"] and rows.empty:
            continue
        if len(in_year) < 2:
            n = int((series["period_kind"] == kind).sum())
            out.append(HTML(f"<p>{esc(text('index.trend.none', lang, n=n, kind=kind_label))}</p>"))
            continue
        ticks = in_year.assign(tick=in_year["period"].map(lambda p: period_tick(p, lang)))  # one year, one axis
        fig = index_charts.trend_chart(ticks, kind_label, lang, synthetic=data.synthetic)
        low, high = (fmt_number(x, lang) for x in index_charts.trend_axis(ticks["total"]))
        note = text("index.trend.axis_note", lang, low=low, high=high, span=fmt_number(index_charts.AXIS_SPAN, lang))
        out += [Image(data=charts.to_png(fig), format="png"), HTML(f"<p class='note'>{esc(note)}</p>")]
    return out


def _unit_rows(frame: pd.DataFrame, lang: str, *, group: bool, highlight: str = "") -> str:
    rows = []
    for r in frame.itertuples():
        change = "—" if pd.isna(r.total_change) else signed(r.total_change, lang)
        cells = [("num", str(r.rank)), ("txt", esc(r.unit_name)), ("num", score(r.total, lang)), ("num", change)]
        if group:
            cells.append(("txt", esc(t(f"index.group.{r.group}", lang))))
        cells += [("txt", esc(component_label(r.weakest, lang))), ("num", score(r.weakest_lost, lang))]
        style = ' class="highlight"' if r.unit_code == highlight else ""
        rows.append(f"<tr{style}>" + "".join(f'<td class="{k}">{c}</td>' for k, c in cells) + "</tr>")
    return "".join(rows)


def _unit_head(lang: str, *, group: bool) -> list[str]:
    keys = ["col.rank", "col.unit", "col.total", "col.index_change"]
    keys += ["col.group"] if group else []
    return [t(k, lang) for k in (*keys, "col.weakest", "col.weakest_lost")]


def _unit_kinds(*, group: bool) -> list[str]:
    return ["num", "txt", "num", "num", *(["txt"] if group else []), "txt", "num"]


def peers(data: IndexData, lang: str) -> HTML:
    """The subject's peers in the period, ranked, the subject in bold."""
    units = data.units
    same = units[(units["period"] == data.period) & (units["peer_group"] == data.subject["peer_group"])]
    same = same.sort_values(["rank", "unit_code"])
    body = _unit_rows(same, lang, group=False, highlight=str(data.subject["unit_code"]))
    caption = _synthetic(level_label(data.subject["level"], lang), data, lang)
    intro = esc(text("index.peers.intro", lang))
    table = _table(_unit_head(lang, group=False), body, caption, _unit_kinds(group=False))
    summary = text("index.long.ranking", lang, n=len(same), level=level_label(data.subject["level"], lang).lower())
    return HTML(_h2("h.index_peers", lang) + f"<p>{intro}</p>" + long_table(summary, table, len(same)))


def group_counts(frame: pd.DataFrame) -> dict[str, int]:
    return {g: int((frame["group"] == g).sum()) for g in ix.GROUPS}


def children(data: IndexData, lang: str) -> HTML:
    """The province's agencies and communes ranked within their level, in threshold groups."""
    inside = ix.children(data.units, str(data.subject["unit_code"]), data.period)
    parts = [_h2("h.index_children", lang)]
    if inside.empty:
        return HTML(parts[0] + f"<p>{esc(text('index.children.none', lang))}</p>")
    low, high = data.thresholds
    rule = text("index.children.groups", lang, low=fmt_number(low, lang), high=fmt_number(high, lang),
                urgent=t("index.group.urgent", lang), attention=t("index.group.attention", lang))  # fmt: skip
    parts.append(f"<p>{esc(rule)}</p>")
    for level in ("agency", "commune"):
        rows = inside[inside["level"] == level]
        if rows.empty:
            continue
        counts = group_counts(rows)
        lines = "; ".join(
            text("index.children.group_line", lang, group=t(f"index.group.{g}", lang), n=n) for g, n in counts.items()
        )
        caption = _synthetic(level_label(level, lang), data, lang)
        parts.append(f"<h3>{esc(level_label(level, lang))}</h3><p>{esc(lines)}.</p>")
        table = _table(
            _unit_head(lang, group=True), _unit_rows(rows, lang, group=True), caption, _unit_kinds(group=True)
        )
        summary = text("index.long.ranking", lang, n=len(rows), level=level_label(level, lang).lower())
        parts.append(long_table(summary, table, len(rows)))
    return HTML("".join(parts))


def notes(data: IndexData, lang: str) -> HTML:
    """Printed ranks that differ from the ranks by total, the maxima with their source, the files read."""
    in_period = data.units[data.units["period"] == data.period]
    notes_frame = ix.printed_order_notes(in_period)
    parts = [_h2("h.index_notes" if data.campaign_kpis is not None else "h.index_notes_no_kpis", lang)]
    if notes_frame.empty:
        parts.append(f"<p>{esc(text('index.notes.printed_none', lang))}</p>")
    else:
        parts.append(f"<p>{esc(text('index.notes.printed', lang))}</p>")
        head = [t(k, lang) for k in ("col.unit", "col.total", "col.printed_rank", "col.rank", "col.index_note")]
        body = "".join(
            f"<tr><td>{esc(r.unit_name)}</td><td>{score(r.total, lang)}</td><td>{esc(r.printed_rank)}</td>"
            f"<td>{r.rank}</td><td>{esc(t(f'index.note.{r.note}', lang))}</td></tr>"
            for r in notes_frame.itertuples()
        )
        parts.append(
            long_table(text("index.long.notes", lang, n=len(notes_frame)), _table(head, body), len(notes_frame))
        )
    maxima = ", ".join(f"{component_label(c, lang)} {fmt_number(m, lang)}" for c, m in COMPONENT_MAX.items())
    parts.append(f"<p>{esc(text('index.notes.max', lang, max=maxima, source=t('index.max_source', lang)))}</p>")
    files = data.sources[data.sources["periods"].str.contains(data.period, regex=False)]
    items = "".join(f"<li>{esc(f.file)} (SHA-256 {esc(f.sha256[:12])})</li>" for f in files.itertuples())
    parts.append(f"<p>{esc(text('index.notes.files', lang))}</p><ul>{items}</ul>")
    return HTML("".join(parts))


def campaign_kpis(data: IndexData, lang: str) -> HTML | None:
    """The campaign's online-payment, digitisation and online-filing rates beside TTTT, MDSH and CLGQ."""
    if data.campaign_kpis is None:
        return None
    from dvctt.labels import kpi_label
    from dvctt.labels import level_label as campaign_level_label
    from dvctt.report.formatting import fmt_rate

    own = data.tidy[(data.tidy["unit_code"] == data.subject["unit_code"]) & (data.tidy["period"] == data.period)]
    own = own.set_index("component")
    levels = list(dict.fromkeys(data.campaign_kpis["level"]))
    wide = data.campaign_kpis.pivot_table(index="kpi", columns="level", values="result", aggfunc="first")
    head = [t("col.component", lang), t("col.index_score", lang), t("col.kpi", lang)]
    head += [campaign_level_label(level, lang) for level in levels]
    body = ""
    for component, kpi in KPI_BESIDE.items():
        share = own.loc[component, "score"] / own.loc[component, "max_points"] * 100
        cells = [esc(component_label(component, lang)),
                 f"{score(own.loc[component, 'score'], lang)}/{fmt_number(own.loc[component, 'max_points'], lang)} "
                 f"({fmt_rate(share, lang, 1)})", esc(kpi_label(kpi, lang))]  # fmt: skip
        cells += [esc(fmt_rate(wide.loc[kpi, lv] if kpi in wide.index and lv in wide else None, lang)) for lv in levels]
        body += "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    intro = text("index.kpis.intro", lang)
    caption = f"{period_label(data.period, lang)} · {data.campaign_period.label(lang)}"
    return HTML(_h2("h.index_kpis", lang) + f"<p>{esc(intro)}</p>" + _table(head, body, caption))
