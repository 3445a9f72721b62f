"""The unit report's table by field (lĩnh vực), from the statistics form's counts (``form_counts.csv``).

A form printed per field is a breakdown of one unit; the table shows, per field, the dossiers carried over (in
no rate), the new receipts, and the online, on-time and overdue-pending rates with their Wilson 95% intervals,
computed exactly as the unit's own KPIs are (:mod:`dvctt.ingest.form`).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from dvctt.analysis.stats import wilson_interval
from dvctt.labels import t, text
from dvctt.report.campaign_sections import heading
from dvctt.report.data import ReportData
from dvctt.report.formatting import fmt_rate
from dvctt.report.present import Col, esc, html_table

#: Rate -> (numerator counts, denominator counts): the formulas of dvctt.ingest.form.
RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "online": (("new_online",), ("new_online", "new_offline")),
    "on_time": (("finished_early", "finished_on_time"), ("finished",)),
    "overdue_pending": (("pending_overdue",), ("pending",)),
}


def _sum(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Row sums that stay missing when any part is missing (never a 0 for an empty cell)."""
    parts = frame[list(columns)].astype("Float64")
    return parts.sum(axis=1, min_count=len(columns)).where(parts.notna().all(axis=1))


def field_table(form_counts: pd.DataFrame, unit_code: str, period: str) -> pd.DataFrame:
    """The unit's fields for ``period`` with counts, rates and Wilson bounds, then its own row (field empty)."""
    mine = form_counts[(form_counts["unit_code"] == unit_code) & (form_counts["period"] == period)]
    fields = mine[mine["field"].notna()]
    if fields.empty:
        return fields.assign()
    rows = pd.concat([fields, mine[mine["field"].isna()]], ignore_index=True)
    out = rows.assign(new_received=_sum(rows, ("new_online", "new_offline")))
    rates = dict(RATES)
    if rows["finished_early"].isna().all():  # a form with one "đúng hạn" column for every in-time dossier
        rates["on_time"] = (("finished_on_time",), ("finished",))
    for rate, (numerator, denominator) in rates.items():
        num, den = _sum(rows, numerator), _sum(rows, denominator)
        bounds = [wilson_interval(n, d) for n, d in zip(num, den, strict=True)]
        out = out.assign(
            **{
                f"{rate}_numerator": num,
                f"{rate}_denominator": den,
                f"{rate}_rate": (num / den.where(den > 0) * 100).astype("Float64"),
                f"{rate}_ci_low": [b[0] for b in bounds],
                f"{rate}_ci_high": [b[1] for b in bounds],
            }
        )
    return out


def _rate_text(row: pd.Series, rate: str, lang: str) -> str:
    """'80,00% (72,9–85,7%)'; not applicable for a zero denominator, '—' for a missing count."""
    den = row[f"{rate}_denominator"]
    if pd.isna(den):
        return t("value.missing", lang)
    if den == 0:
        return t("value.not_applicable", lang)
    low, high = fmt_rate(row[f"{rate}_ci_low"], lang, 1), fmt_rate(row[f"{rate}_ci_high"], lang, 1)
    return f"{fmt_rate(row[f'{rate}_rate'], lang)} ({low.rstrip('%')}–{high})"


def unit_fields(data: ReportData, unit: pd.Series, lang: str) -> HTML:
    """The unit's statistics form by field; nothing when no form by field was ingested for it."""
    counts = data.campaign.form_counts
    if counts is None or counts.empty:
        return HTML("")
    table = field_table(counts, str(unit["unit_code"]), data.period.id)
    if table.empty:
        return HTML("")
    shown = table.assign(
        field_label=table["field"].fillna(t("unit.fields_total", lang)),
        **{f"{r}_text": [_rate_text(row, r, lang) for _, row in table.iterrows()] for r in RATES},
    )
    columns = [
        Col("field_label", "col.field"),
        Col("carried_over", "col.carried_over", "count"),
        Col("new_received", "col.new_received", "count"),
        Col("new_online", "col.new_online", "count"),
        Col("online_text", "col.rate_online", "raw_num"),
        Col("finished", "col.finished", "count"),
        Col("on_time_text", "col.rate_on_time", "raw_num"),
        Col("pending", "col.pending", "count"),
        Col("overdue_pending_text", "col.rate_overdue_pending", "raw_num"),
    ]
    intro = text("unit.fields", lang, period=data.period.label(lang))
    body = html_table(shown, columns, lang, synthetic=data.campaign.definition.synthetic)
    return HTML(heading("h.unit_fields", lang, level=3) + f"<p>{esc(intro)}</p>" + body)
