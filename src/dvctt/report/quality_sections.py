"""The sections of the campaign report about the data themselves: how complete they are (coverage, old
units beside new ones), whether the published totals add up (reconciliation), and where every figure comes
from (sources).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from dvctt.labels import kpi_label, level_label, source_note, t, text
from dvctt.report.campaign_sections import _synthetic, heading, no_units
from dvctt.report.data import (
    ReportData,
    cite,
    headline_table,
    source_files,
    source_numbers,
)  # fmt: skip
from dvctt.report.formatting import fmt_date, fmt_number, fmt_pp, fmt_rate, fmt_status_rate, is_missing
from dvctt.report.present import LEVEL_KPI_COLUMNS, Col, bullet_list, collapsible, esc, html_table, labelled
from dvctt.report.unit_inputs import old_parts_table

COUNT_METHODS = ("units_met", "units_total")  # reconciliation rows about numbers of units, not rates


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
    if data.campaign.units.empty:
        notes.append(esc(text("coverage.no_units", lang)))
    elif not data.campaign.observations["denominator"].notna().any():
        notes.append(esc(text("coverage.no_counts", lang)))
    intro = f"<p>{esc(text('coverage.intro', lang))}</p>"
    return HTML(heading("h.coverage", lang) + intro + table + bullet_list(notes) + old_units(data, lang))


def old_units(data: ReportData, lang: str) -> str:
    """A baseline recorded under the pre-2025 units: how many new units got one, and which are not comparable,
    with their old parts and the parts' own figures. The mapping itself is the table old_to_new.csv."""
    pooled = data.old_baseline
    if pooled is None or data.old_units is None:
        return ""
    from dvctt.analysis.old_units import mapping_summary

    counts = mapping_summary(pooled)
    summary = text("old_units.summary", lang, baseline=data.baseline.label(lang), n=len(pooled), **counts)
    old = data.campaign.old_observations
    old = old[old["period"] == data.baseline.id] if old is not None else old
    names = dict(zip(data.old_units["old_code"], data.old_units["old_name"], strict=True))
    rows = []
    for _, row in pooled[~pooled["comparable"].astype(bool)].iterrows():
        parts = []
        for code in row["old_codes"].split(";"):
            hit = old[(old["unit_code"] == code) & (old["kpi"] == row["kpi"])] if old is not None else old
            value = (
                fmt_status_rate(hit["rate"].iloc[0], hit["status"].iloc[0], lang)
                if len(hit)
                else t("value.missing", lang)
            )
            parts.append(f"{names.get(code, code)} ({code}) {value}")
        rows.append({"unit_name": row["new_name"], "kpi": row["kpi"], "why": t(f"old_units.{row['reason']}", lang),
                     "parts": "; ".join(parts)})  # fmt: skip
    table = html_table(
        labelled(pd.DataFrame(rows, columns=["unit_name", "kpi", "why", "parts"]), lang),
        [
            Col("unit_name", "col.unit"),
            Col("kpi_label", "col.kpi"),
            Col("why", "col.status"),
            Col("parts", "col.old_parts"),
        ],  # fmt: skip
        lang,
        synthetic=_synthetic(data),
    )
    label = text("old_units.not_comparable", lang, n=len(rows))
    return f"<p>{esc(summary)}</p>" + (collapsible(label, table) if rows else "")


def unit_old_parts(data: ReportData, unit: pd.Series, lang: str) -> HTML:
    """For a new unit whose baseline is recorded under the old units: per KPI whether its baseline is comparable
    (and how it was made, or why not), then its old parts with their own baseline figures, split or not, used for
    pooling or not. Nothing for a unit (or campaign) without old parts."""
    parts = old_parts_table(data, unit["unit_code"])
    if parts.empty:
        return HTML("")
    codes = parts["old_code"].drop_duplicates()
    n_split = int(parts.drop_duplicates("old_code")["split"].sum())
    intro = text("unit.old_parts.intro", lang, unit=unit["official_name"], n=len(codes), n_split=n_split,
                 baseline=data.baseline.label(lang))  # fmt: skip
    own = data.unit_summary[data.unit_summary["unit_code"] == unit["unit_code"]].set_index("kpi")["baseline"]
    verdicts = []
    for kpi, rows in parts.groupby("kpi", sort=False):
        first = rows.iloc[0]
        if first["comparable"]:
            sentence = text(
                "unit.old_parts.comparable",
                lang,
                kpi=kpi_label(str(kpi), lang),
                method=t(f"old_units.{first['method']}", lang),
                value=fmt_rate(own.get(kpi), lang),
            )
        else:
            sentence = text("unit.old_parts.not_comparable", lang, kpi=kpi_label(str(kpi), lang),
                            reason=t(f"old_units.{first['reason']}", lang))  # fmt: skip
        verdicts.append(esc(sentence))
    yes_no = {True: t("bool.true", lang), False: t("bool.false", lang)}
    shown = labelled(parts, lang).assign(
        split_text=parts["split"].map(yes_no), used_text=parts["used_for_pooling"].map(yes_no)
    )
    table = html_table(
        shown,
        [
            Col("old_code", "col.old_code"),
            Col("old_name", "col.old_name"),
            Col("kpi_label", "col.kpi"),
            Col("rate", "col.baseline_generic", "rate"),
            Col("numerator", "col.numerator", "count"),
            Col("denominator", "col.denominator", "count"),
            Col("split_text", "col.split"),
            Col("used_text", "col.used_for_pooling"),
        ],  # fmt: skip
        lang,
        synthetic=_synthetic(data),
    )
    return HTML(heading("h.unit_old_parts", lang) + f"<p>{esc(intro)}</p>" + bullet_list(verdicts) + table)


def reconciliation(data: ReportData, lang: str) -> HTML:
    """Every published total against what the detailed data give, with the verdict."""
    frame = data.reconciliation
    if (frame["verdict"] == "not recomputable").all() and (skipped := no_units("h.reconciliation", data, lang)):
        return skipped
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
        source=frame["source"].map(lambda v: source_reference(v, data, lang)),
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
    found = f"<h3>{esc(text('findings.heading', lang))}</h3>" + bullet_list(findings[:MAX_FINDINGS]) if findings else ""
    if len(findings) > MAX_FINDINGS:  # the rest collapsed: it prints as one line
        more = text("findings.more", lang, n=len(findings) - MAX_FINDINGS)
        found += collapsible(more, bullet_list(findings[MAX_FINDINGS:]))
    details = collapsible(text("reconciliation.table", lang, n=len(rows)), table)
    return HTML(heading("h.reconciliation", lang) + intro + found + details)


MAX_FINDINGS = 5  # findings shown open; the others are one click away (and in the workbook's reconciliation sheet)
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


def source_reference(value: object, data: ReportData, lang: str) -> str:
    """A source id becomes its footnote number, in the reader's words: "plan48: para. 2" -> "[1] đoạn 2"."""
    if is_missing(value):
        return ""
    sources = data.campaign.sources
    return source_note(str(cite(value, source_numbers(sources), source_files(sources))), lang)


def sources(data: ReportData, lang: str) -> HTML:
    """Numbered source list, the report's footnotes: title, publisher and date as people cite them."""
    items = []
    for _, src in data.campaign.sources.iterrows():
        bits = [esc(src["title"])]
        if not is_missing(src.get("publisher")):
            bits.append(esc(src["publisher"]))
        if not is_missing(src.get("published")):
            bits.append(esc(fmt_date(src["published"], lang)))
        items.append(", ".join(bits))
    return HTML(
        heading("h.sources", lang) + f"<p>{esc(text('sources.intro', lang))}</p>" + "<ol>"
        + "".join(f"<li>{i}</li>" for i in items) + "</ol>"
    )  # fmt: skip
