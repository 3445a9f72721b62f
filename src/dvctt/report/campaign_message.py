"""The chat-sized message of a campaign report set (``message.txt`` beside ``index.html``): plain text a leader can
paste into a group chat, as the index report's.

One line per item: the campaign and period, then per level × KPI the figure, the target and met or not (or "no
target set"), the coverage (units with a figure of those the rate applies to), and on the next line the units
furthest behind with their figures. Every name is put on one line (:func:`dvctt.safe_text.one_line`), so a name
copied from a data file cannot forge a line. Chat apps cut long messages, so the text comes in numbered parts of at
most :data:`MAX_CHARS` characters, each cut between lines, never inside one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dvctt import paths
from dvctt.labels import kpi_label, level_label, t, text
from dvctt.missing import is_missing
from dvctt.report.data import ReportData, has_target, headline_table, printed_precision
from dvctt.report.formatting import fmt_rate
from dvctt.safe_text import one_line

MESSAGE_NAME = "message.txt"
MAX_CHARS = 2000  # a part, its "(1/3)" line included
MAX_BEHIND = 3  # units named per level × KPI, furthest behind first
MAX_LINE = 400  # a line of names is cut (between names) at this length: a part must hold a whole line


def _verdict(row: pd.Series, data: ReportData, lang: str) -> str:
    if not has_target(data, row["level"], row["kpi"]) or is_missing(row["target"]):
        return text("campaign.message.no_target", lang)
    target = fmt_rate(row["target"], lang, 0 if float(row["target"]).is_integer() else 2)
    if is_missing(row["met"]):
        return text("campaign.message.unjudged", lang, target=target)
    return text("campaign.message.met" if bool(row["met"]) else "campaign.message.missed", lang, target=target)


def _behind(data: ReportData, level: str, kpi: str, lang: str) -> str:
    """The units furthest behind: below the target, lowest first; without a target, the lowest rates."""
    units = data.unit_summary
    rows = units[(units["level"] == level) & (units["kpi"] == kpi) & (units["status"] == "ok")]
    rows = rows.assign(_rate=pd.to_numeric(rows["result"], errors="coerce")).dropna(subset=["_rate"])
    with_target = has_target(data, level, kpi)
    if with_target:
        rows = rows[rows["met"].astype("boolean").eq(False).fillna(False).astype(bool)]
    if rows.empty:
        return ""
    rows = rows.sort_values(["_rate", "unit_name"], kind="stable")
    named = [f"{one_line(n)} {fmt_rate(r, lang)}" for n, r in zip(rows["unit_name"], rows["_rate"], strict=True)]
    shown = named[:MAX_BEHIND]
    while len(shown) > 1 and len("; ".join(shown)) > MAX_LINE:
        shown = shown[:-1]
    listed = "; ".join(shown)[:MAX_LINE]
    if len(named) > len(shown):
        listed += f"; {text('campaign.message.more', lang, n=len(named) - len(shown))}"
    return text("campaign.message.behind" if with_target else "campaign.message.lowest", lang, names=listed)


def message_lines(data: ReportData, lang: str = "vi") -> list[str]:
    """The message as lines (before it is cut into parts)."""
    definition = data.campaign.definition
    head = text("campaign.message.head", lang, name=definition.name(lang), period=data.period.label(lang))
    lines = [f"[{t('synthetic', lang)}] {head}" if definition.synthetic else head]
    rows = headline_table(data.level_summary)
    for _, row in rows[rows["level"].isin(data.levels)].iterrows():
        if is_missing(row["result"]):
            figure = text("campaign.message.no_result", lang)
        else:
            figure = fmt_rate(row["result"], lang, printed_precision(data, row, data.period.id))
        parts = [figure, _verdict(row, data, lang)]
        if int(row["n_units"]) > 0:
            applicable, reported = int(row["n_units_applicable"]), int(row["n_units_with_result"])
            parts.append(text("campaign.message.coverage", lang, n=reported, total=applicable))
        head = f"{level_label(row['level'], lang)} · {kpi_label(row['kpi'], lang, short=True)}"
        lines.append(f"{head}: " + "; ".join(parts))
        behind = _behind(data, row["level"], row["kpi"], lang)
        if behind:
            lines.append(f"  {behind}")
    return [one_line(line) if i == 0 else line.rstrip() for i, line in enumerate(lines)]


def split_parts(lines: list[str], lang: str = "vi", limit: int = MAX_CHARS) -> list[str]:
    """Numbered parts of at most ``limit`` characters each, cut between lines; one part needs no number."""
    marker = text("campaign.message.part", lang, i=999, n=999)  # the widest a number line can be
    room = limit - len(marker) - 1
    parts: list[list[str]] = [[]]
    for line in lines:
        if parts[-1] and len("\n".join([*parts[-1], line])) > room:
            parts.append([])
        parts[-1].append(line[:room])
    if len(parts) == 1:
        return ["\n".join(parts[0])]
    n = len(parts)
    return [text("campaign.message.part", lang, i=i, n=n) + "\n" + "\n".join(p) for i, p in enumerate(parts, 1)]


def build_message(data: ReportData, lang: str = "vi") -> list[str]:
    """The message's parts, each ≤ MAX_CHARS characters."""
    return split_parts(message_lines(data, lang), lang)


def write_message(data: ReportData, out_dir: Path, lang: str = "vi") -> Path:
    """Write ``message.txt`` into the report set's folder: the parts, separated by a blank line."""
    path = paths.inside(out_dir, MESSAGE_NAME)
    paths.write_text_atomic(path, "\n\n".join(build_message(data, lang)) + "\n")
    return path
