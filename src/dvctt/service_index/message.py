"""The chat-sized summary of an index report (``message.txt``): plain text a leader can paste into a group.

At most :data:`MAX_CHARS` characters: the unit's total, rank and change, the component that loses the most
points, and the agencies and communes under each threshold (count and names; names are cut, never the counts,
when the list is long).
"""

from __future__ import annotations

import re

import pandas as pd

from dvctt.labels import t, text
from dvctt.report.formatting import fmt_number
from dvctt.safe_text import one_line
from dvctt.service_index import analysis as ix
from dvctt.service_index.bands import band_number
from dvctt.service_index.definition import COMPONENT_MAX
from dvctt.service_index.sections import IndexData, subject_rank_text
from dvctt.service_index.words import component_label, level_label, period_label, rank_change_text, score, signed

MAX_CHARS = 1000
_COUNCIL = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)


def short_name(name: str) -> str:
    """ "UBND xã Đất Mũi" → "xã Đất Mũi": the council prefix says nothing in a list of communes. On one line: a
    name with line breaks must not forge a line of the message."""
    return _COUNCIL.sub("", one_line(name)).strip()


def _names(frame: pd.DataFrame, budget: int, lang: str) -> str:
    """As many names (lowest total first) as fit in ``budget`` characters, then "and N more"."""
    names = [short_name(n) for n in frame.sort_values(["total", "unit_code"])["unit_name"]]
    shown: list[str] = []
    for i, name in enumerate(names):
        rest = len(names) - i - 1
        more = f", {text('index.message.more', lang, n=rest)}" if rest else ""
        if len(", ".join([*shown, name]) + more) > budget:
            return ", ".join(shown) + f" {text('index.message.more', lang, n=len(names) - len(shown))}".rstrip()
        shown.append(name)
    return ", ".join(shown)


def _headline(data: IndexData, lang: str) -> list[str]:
    row = data.subject
    change = ""
    if pd.notna(row["previous_period"]) and pd.notna(row["total_change"]):
        change = text(
            "index.message.change",
            lang,
            previous=period_label(row["previous_snapshot"], lang),
            delta=signed(row["total_change"], lang),
            rank_change="—" if pd.isna(row["rank_change"]) else rank_change_text(row["rank_change"], lang),
        )
    return [
        text("index.message.head", lang, unit=short_name(row["unit_name"]), period=period_label(data.snapshot, lang)),
        text(
            "index.message.total",
            lang,
            total=score(row["total"], lang),
            rank=row["rank"],
            n=row["n_peers"],
            change=change,
        )  # fmt: skip
        if pd.notna(row["rank"])
        else text(
            "index.message.total_unranked",
            lang,
            total=score(row["total"], lang),
            rank=subject_rank_text(data, lang),
            change=change,
        ),  # fmt: skip
        text(
            "index.message.weakest",
            lang,
            component=component_label(row["weakest"], lang),
            lost=score(row["weakest_lost"], lang),
            max=fmt_number(COMPONENT_MAX[row["weakest"]], lang),
        ),  # fmt: skip
    ]


def build_message(data: IndexData, lang: str = "vi") -> str:
    """The message text (≤ MAX_CHARS characters): one block per level, one line per threshold group."""
    lines = _headline(data, lang)
    inside = ix.children(data.units, str(data.subject["unit_code"]), data.period)
    low, high = data.thresholds
    rules = {
        "urgent": text("index.message.under", lang, low=band_number(low, lang)),
        "attention": text("index.message.between", lang, low=band_number(low, lang), high=band_number(high, lang)),
    }
    blocks: list[tuple[str, list[tuple[str, pd.DataFrame]]]] = []
    for level in ("commune", "agency"):
        rows = inside[inside["level"] == level]
        groups = [(g, rows[rows["group"] == g]) for g in ("urgent", "attention")]
        groups = [(g, r) for g, r in groups if level == "commune" or not r.empty]  # communes: zeros are news too
        if not rows.empty and groups:
            blocks.append((level, groups))
    heads = {
        (level, group): text(
            "index.message.group", lang, group=t(f"index.group.{group}", lang), rule=rules[group], n=len(rows)
        )  # fmt: skip
        for level, groups in blocks
        for group, rows in groups
    }
    fixed = (
        len("\n".join(lines))
        + sum(len(level_label(lv, lang)) + 2 for lv, _ in blocks)
        + sum(len(h) + 4 for h in heads.values())
    )
    remaining = MAX_CHARS - fixed
    named = [(lv, g, r) for lv, groups in blocks for g, r in groups if not r.empty]
    names: dict[tuple[str, str], str] = {}
    for i, (level, group, rows) in enumerate(sorted(named, key=lambda item: len(item[2]))):  # short lists first
        budget = remaining // (len(named) - i)
        names[(level, group)] = _names(rows, budget - 3, lang) if budget > 20 else ""
        remaining -= len(names[(level, group)]) + 3
    for level, groups in blocks:
        lines.append(f"{level_label(level, lang)}:")
        for group, _ in groups:
            listed = names.get((level, group), "")
            lines.append(f"- {heads[(level, group)]}" + (f": {listed}" if listed else ""))
    message = "\n".join(one_line(line) for line in lines)  # one line per item, whatever the data held
    return message if len(message) <= MAX_CHARS else message[: MAX_CHARS - 1] + "…"
