"""The first screen of the campaign report: one card per level × KPI with the verdict a leader asks for.

A card says baseline → result against the target, met or not (colour and word), how many units met (as
published, computed from every unit, or only among the units a source named — labelled which), and the named
units that missed the target or fell since the baseline, with their figures. Under the cards, one sentence says
what the data cannot support. It fits one A4 page and one laptop screen, so it is drawn as compact HTML.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from dvctt.labels import kpi_label, level_label, t, text
from dvctt.missing import is_missing
from dvctt.report.data import ReportData, has_target, headline_table, printed_precision
from dvctt.report.formatting import fmt_pp, fmt_rate, worsened
from dvctt.report.gaps import gap_lines
from dvctt.report.lookup import per_frame
from dvctt.report.present import esc

MAX_NAMED = 3  # named units per card (lowest first); the rest are counted ("và 3 đơn vị khác")
CARD_COLUMNS = [
    "level", "kpi", "baseline", "result", "target", "met", "gap_pp", "aggregation",
    "units_met", "units_judged", "units_basis", "missed", "fell",
    "data_kind", "provisional", "n_with", "n_app", "gaps",
]  # fmt: skip


def _published_units_met(data: ReportData, level: str, kpi: str) -> tuple[int, int] | None:
    """The count of units meeting the target as the source printed it ("100/101"), if it did."""
    return _units_met(data.campaign.reported_totals, data.period.id).get((level, kpi))


@per_frame
def _units_met(totals: pd.DataFrame, period: str) -> dict[tuple[str, str], tuple[int, int]]:
    """Level × KPI -> (units met, units) of the period, from the first such rows the sources printed."""
    counts = totals["measure"].isin(["units_met", "units_total"])
    keep = totals["period"].eq(period) & totals["unit_code"].isna() & counts
    rows = totals[keep.fillna(False).astype(bool)]
    first: dict[tuple[str, str, str], object] = {}
    for level, kpi, measure, value in zip(rows["level"], rows["kpi"], rows["measure"], rows["value"], strict=True):
        first.setdefault((level, kpi, measure), value)
    return {
        (level, kpi): (int(float(value)), int(float(first[level, kpi, "units_total"])))
        for (level, kpi, measure), value in first.items()
        if measure == "units_met" and (level, kpi, "units_total") in first
    }


def _unit_lists(units: pd.DataFrame) -> dict[tuple[str, str], tuple[list[dict], list[dict]]]:
    """Per level × KPI: units with a result below target, and units whose result fell below their baseline,
    lowest first."""
    ok = units[units["status"] == "ok"].assign(
        _result=lambda f: pd.to_numeric(f["result"], errors="coerce"),
        _baseline=lambda f: pd.to_numeric(f["baseline"], errors="coerce"),
    )
    ok = ok.sort_values(["_result", "unit_name"], kind="stable")  # stable: each pair's units keep this order
    missed = ok["met"].astype("boolean").eq(False).fillna(False).astype(bool)
    wrong_way = [worsened(k, r, b) for k, r, b in zip(ok["kpi"], ok["_result"], ok["_baseline"], strict=True)]
    fell = (ok["baseline_status"] == "ok") & pd.Series(wrong_way, index=ok.index, dtype=bool)
    lists: dict[tuple[str, str], tuple[list[dict], list[dict]]] = {}
    columns = ["level", "kpi", "unit_code", "unit_name", "_result", "_baseline"]
    for row, is_missed, has_fallen in zip(ok[columns].to_dict("records"), missed, fell, strict=True):
        missed_list, fell_list = lists.setdefault((row["level"], row["kpi"]), ([], []))
        for flagged, target in ((is_missed, missed_list), (has_fallen, fell_list)):
            if flagged:
                target.append({"unit_code": row["unit_code"], "unit_name": row["unit_name"],
                               "result": row["_result"], "baseline": row["_baseline"]})  # fmt: skip
    return lists


_UNIT_COLUMNS = ["unit_code", "unit_name", "level", "kpi", "status", "baseline_status", "result", "baseline", "met",
                 "gap", "reject_reason_vi", "reject_reason_en", "rejects_file"]  # fmt: skip


def verdict_table(data: ReportData) -> pd.DataFrame:
    """One row per level × KPI of the headline table with a result or a target, in the campaign's order.

    ``units_basis`` says where the count of units meeting the target comes from: ``published`` (the source
    printed it), ``computed`` (every applicable unit of the level has a result), ``named`` (only the units a
    source chose to name have one: the count covers them only), ``reported`` (a return: among the units that
    reported) or ``none``. ``gaps`` holds a return's units without a figure (missing or rejected).
    """
    rows = []
    summary = data.unit_summary[_UNIT_COLUMNS]  # the unit summary is wide: every filter of it copies 40 columns
    by_pair = dict(iter(summary.groupby(["level", "kpi"], sort=False)))  # as ==, leaves missing keys out
    lists = _unit_lists(summary)
    for _, row in headline_table(data.level_summary).iterrows():
        level, kpi = row["level"], row["kpi"]
        units = by_pair.get((level, kpi), summary.iloc[:0])
        applicable = units[units["status"] != "not_applicable"]
        with_result = applicable[applicable["status"] == "ok"]
        published = _published_units_met(data, level, kpi)
        judged = with_result[with_result["met"].notna()]
        is_return = row.get("data_kind") == "return"
        partial = is_return and 0 < len(with_result) < len(applicable)
        if published is not None:
            met, of, basis = published[0], published[1], "published"
        elif len(applicable) and len(with_result) == len(applicable) and len(judged):  # no target: nothing to meet
            met, of, basis = int(judged["met"].astype(bool).sum()), len(applicable), "computed"
        elif len(judged):
            basis = "reported" if partial else "named"
            met, of = int(judged["met"].astype(bool).sum()), len(judged)
        else:
            met, of, basis = None, None, "none"
        missed, fell = lists.get((level, kpi), ([], []))
        gap = (
            float(row["result"]) - float(row["target"])
            if not is_missing(row["result"]) and not is_missing(row["target"])
            else float("nan")
        )
        rows.append(
            {"level": level, "kpi": kpi, "baseline": row["baseline"], "result": row["result"],
             "target": row["target"], "met": row["met"], "gap_pp": gap, "aggregation": row["aggregation"],
             "units_met": met, "units_judged": of, "units_basis": basis, "missed": missed, "fell": fell,
             "data_kind": row.get("data_kind", "selection"), "provisional": bool(row.get("provisional", False)),
             "n_with": int(row.get("n_units_with_result", 0)), "n_app": int(row.get("n_units_applicable", 0)),
             "gaps": applicable[applicable["status"] != "ok"] if is_return else applicable.iloc[:0]}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=CARD_COLUMNS)


def _names(units: list[dict], lang: str, *, with_baseline: bool) -> str:
    shown = []
    for unit in units[:MAX_NAMED]:
        figure = fmt_rate(unit["result"], lang)
        if with_baseline and not is_missing(unit["baseline"]):
            figure = text("verdict.from", lang, result=figure, baseline=fmt_rate(unit["baseline"], lang))
        shown.append(f"{esc(unit['unit_name'])} <b>{esc(figure)}</b>")
    if len(units) > MAX_NAMED:
        shown.append(esc(text("verdict.more", lang, n=len(units) - MAX_NAMED)))
    return "; ".join(shown)


def _card(row: pd.Series, data: ReportData, lang: str) -> str:
    """One card; its class (met / not-met / unknown) carries the colour, its badge the word."""
    state = "unknown" if is_missing(row["met"]) else ("met" if bool(row["met"]) else "not-met")
    word = t("met.true" if state == "met" else "met.false", lang) if state != "unknown" else ""
    if is_missing(row["result"]):
        word = t("verdict.no_result", lang)
    elif row["provisional"]:  # a return below min_coverage: its figure, never met or not met
        state, word = "provisional", t("verdict.provisional", lang)
    elif state == "unknown":  # the province has no target of its own, or the campaign sets none
        word = t("verdict.no_target" if has_target(data, row["level"], row["kpi"]) else "verdict.no_target_set", lang)
    title = f"{esc(level_label(row['level'], lang))} · {esc(kpi_label(row['kpi'], lang, short=True))}"
    base = fmt_rate(row["baseline"], lang, printed_precision(data, row, data.baseline.id))
    result = fmt_rate(row["result"], lang, printed_precision(data, row, data.period.id))
    if not is_missing(row["target"]):
        target = fmt_rate(row["target"], lang, 0)
    else:  # per-level targets but none for the whole province, or no target at all
        target = t("no_target" if has_target(data, row["level"], row["kpi"]) else "target.none", lang)
    if is_missing(row["result"]):  # a target with no published result: a small grey card
        return (
            f'<div class="v-card v-unknown" data-level="{esc(row["level"])}" data-kpi="{esc(row["kpi"])}">'
            f'<div class="v-head"><span class="v-title">{title}</span><span class="v-badge">{esc(word)}</span></div>'
            f'<div class="v-base">{esc(data.baseline.label(lang))}: {esc(base)} · {esc(t("chart.target", lang))} '
            f"{esc(target)}</div></div>"
        )
    lines = [
        f'<div class="v-head"><span class="v-title">{title}</span><span class="v-badge">{esc(word)}</span></div>',
        '<div class="v-figures">'
        + (
            f'<span class="v-base">{esc(data.baseline.label(lang))}: {esc(base)}</span> → '
            if not is_missing(row["baseline"])
            else ""
        )
        + f'<span class="v-result">{esc(result)}</span></div>',
    ]
    if not is_missing(row["target"]):  # no target of its own: no target line (the badge says so)
        lines.append(
            f'<div class="v-target">{esc(t("chart.target", lang))} {esc(target)}'
            + (f" ({esc(fmt_pp(row['gap_pp'], lang))} {esc(t('pp', lang))})" if not is_missing(row["gap_pp"]) else "")
            + "</div>"
        )
    lines += _coverage_lines(row, data, lang)
    if row["units_basis"] != "none":
        key = f"verdict.units.{row['units_basis']}"
        counts = {"met": int(row["units_met"]), "of": int(row["units_judged"])}
        lines.append(f'<div class="v-units">{esc(text(key, lang, **counts))}</div>')
    if row["missed"]:
        label = esc(t("verdict.missed", lang))
        lines.append(f'<div class="v-missed"><b>{label}:</b> {_names(row["missed"], lang, with_baseline=False)}</div>')
    if row["fell"]:
        label = esc(t("verdict.fell", lang))
        lines.append(f'<div class="v-fell"><b>▼ {label}:</b> {_names(row["fell"], lang, with_baseline=True)}</div>')
    return f'<div class="v-card v-{state}" data-level="{esc(row["level"])}" data-kpi="{esc(row["kpi"])}">' + "".join(
        lines
    ) + "</div>"  # fmt: skip


def _coverage_lines(row: pd.Series, data: ReportData, lang: str) -> list[str]:
    """A return with units missing: its coverage ("99/102 đơn vị"), provisional below min_coverage, and the
    units without a figure by name (not sent yet; rejected, with the rule and the rejects file)."""
    if row["data_kind"] != "return" or row["n_with"] >= row["n_app"]:
        return []
    counts = {"n_with": row["n_with"], "n_app": row["n_app"]}
    if row["provisional"]:
        minimum = f"{data.campaign.definition.min_coverage:g}".replace(".", "," if lang == "vi" else ".")
        line = text("verdict.provisional.line", lang, min=minimum, **counts)
    else:
        line = text("verdict.coverage.line", lang, **counts)
    lines = [f'<div class="v-coverage">{esc(line)}</div>']
    if row["level"] != "all":
        lines += gap_lines(row["gaps"], str(row["level"]), lang)
    return lines


def limits_sentence(data: ReportData, lang: str) -> str:
    """What the data cannot support, in one sentence scoped to what is known."""
    units = data.unit_summary
    applicable = units[units["status"] != "not_applicable"]
    n_with = int(units.loc[units["status"] == "ok", "unit_code"].nunique())
    n_all = int(units["unit_code"].nunique())
    complete = bool((applicable["status"] == "ok").all())
    counts = bool(units["denominator"].notna().any())
    if n_with == 0:
        return text("verdict.limits.no_units", lang)
    if complete and counts:
        return text("verdict.limits.none", lang)
    if complete:
        return text("verdict.limits.no_counts", lang)
    if data.returns and _partial_pairs(applicable) <= {(lv, k) for lv, k, p in data.returns if p == data.period.id}:
        return text("verdict.limits.return", lang, n_with=n_with, n_all=n_all)  # a return: figures over reporters
    key = "verdict.limits.partial" if counts else "verdict.limits.partial_no_counts"
    return text(key, lang, n_with=n_with, n_all=n_all)


def _partial_pairs(applicable: pd.DataFrame) -> set[tuple[str, str]]:
    """Level × KPI pairs where some applicable unit has no result."""
    rows = applicable[applicable["status"] != "ok"]
    return set(zip(rows["level"], rows["kpi"], strict=True))


def verdict(data: ReportData, lang: str) -> HTML:
    """The verdict cards (level × KPI with a result or a target), a line for the rest, and the data's limits."""
    table = verdict_table(data)
    shown = table[table["result"].notna() | table["target"].notna()]
    with_result = set(shown.loc[shown["result"].notna(), "level"])
    shown = shown.assign(_first=~shown["level"].isin(with_result)).sort_values("_first", kind="stable")
    hidden = table.drop(index=shown.index)
    cards = "".join(_card(row, data, lang) for _, row in shown.iterrows())
    n_judged = int(shown["met"].notna().sum())
    n_met = int(shown["met"].fillna(False).astype(bool).sum())
    n_open = int((shown["result"].isna() & shown["target"].notna()).sum())
    no_targets = bool(shown["target"].isna().all()) and bool(shown["result"].notna().any())
    lead = text(
        ("verdict.lead" if n_open else "verdict.lead.all")
        if n_judged
        else ("verdict.lead.no_targets" if no_targets else "verdict.lead.none"),
        lang,
        met=n_met,
        judged=n_judged,
        open=n_open,
        n=int(shown["result"].notna().sum()),
        period=data.period.label(lang),
    )
    columns = max(1, min(len(data.kpis), 4))  # one column per KPI, so each level reads as a row
    parts = [
        f'<section class="verdict" aria-label="{esc(t("verdict.title", lang))}">',
        f'<p class="v-lead"><b>{esc(t("verdict.title", lang))}:</b> {esc(lead)}</p>',
        f'<div class="v-grid" style="grid-template-columns: repeat({columns}, minmax(0, 1fr))">{cards}</div>',
    ]
    if len(hidden):
        pairs = "; ".join(
            f"{level_label(r['level'], lang)} ({kpi_label(r['kpi'], lang).lower()})" for _, r in hidden.iterrows()
        )
        parts.append(f'<p class="v-note">{esc(text("verdict.baseline_only", lang, items=pairs))}</p>')
    parts.append(f'<p class="v-limits">{esc(limits_sentence(data, lang))}</p></section>')
    return HTML("".join(parts))
