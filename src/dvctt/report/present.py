"""HTML tables and sentences for the report, in the report's language.

Every piece of text that comes from data is escaped here, so a unit named ``<script>`` shows as text. Numbers
use the language's conventions (92,79% in Vietnamese); rates that do not apply say so instead of 0%.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dvctt.labels import kpi_label, level_label, t
from dvctt.report.formatting import fmt_met, fmt_number, fmt_pp, fmt_rate, fmt_status_rate, is_missing


def titled(text: str, synthetic: bool, lang: str) -> str:
    """A chart or table title, marked synthetic when the data are."""
    return f"[{t('synthetic', lang)}] {text}" if synthetic else text


@dataclass(frozen=True)
class Col:
    """One table column: the frame's field, the header label key, and how to show a value."""

    field: str
    label: str
    kind: str = "text"  # text | rate | pp | met | count | raw_num (already formatted, right-aligned)

    @property
    def numeric(self) -> bool:
        return self.kind in {"rate", "pp", "count", "raw_num"}


LEVEL_KPI_COLUMNS = (Col("level_label", "col.level"), Col("kpi_label", "col.kpi"))  # after `labelled`


def _cell(value: Any, kind: str, lang: str, row: pd.Series, field: str = "") -> str:
    if kind == "rate":
        # a baseline figure has its own status: a unit whose result is missing still shows its baseline
        key = "baseline_status" if field.startswith("baseline") and "baseline_status" in row else "status"
        status = row.get(key) if key in row and field != "target" else None  # a target is set, not reported
        return fmt_status_rate(value, status, lang) if status else fmt_rate(value, lang)
    if kind == "pp":
        return fmt_pp(value, lang)
    if kind == "met":
        return fmt_met(value, lang)
    if kind == "count":
        return fmt_number(value, lang)
    if is_missing(value):
        return t("value.missing", lang)
    return str(value)


def html_table(
    frame: pd.DataFrame, columns: Iterable[Col], lang: str = "vi", *, caption: str = "", synthetic: bool = False
) -> str:
    """A plain, escaped HTML table with right-aligned numbers; synthetic data says so in the caption."""
    if synthetic:
        caption = f"[{t('synthetic', lang)}] {caption}".strip()
    cols = list(columns)
    head = "".join(f'<th class="{"num" if c.numeric else "txt"}">{html.escape(t(c.label, lang))}</th>' for c in cols)
    body = []
    for _, row in frame.iterrows():
        shown = [(c, _cell(row[c.field], c.kind, lang, row, c.field)) for c in cols]
        cells = "".join(f'<td class="{"num" if c.numeric else "txt"}">{html.escape(value)}</td>' for c, value in shown)
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="dvctt-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add human labels for level and kpi codes (new columns; the codes stay for machines)."""
    extra: dict[str, Callable[[pd.DataFrame], pd.Series]] = {}
    if "level" in frame:
        extra["level_label"] = lambda f: f["level"].map(lambda v: level_label(v, lang))
    if "kpi" in frame:
        extra["kpi_label"] = lambda f: f["kpi"].map(lambda v: kpi_label(v, lang))
    return frame.assign(**extra)


def esc(text: Any) -> str:
    return html.escape("" if is_missing(text) else str(text))


def bullet_list(items: Iterable[str]) -> str:
    """Items are already-escaped HTML fragments."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def collapsible(summary: str, body: str) -> str:
    """A section closed on screen and in print (browsers print a closed <details> as its summary line only), so
    long lists stay one click away without lengthening the report. ``summary`` is plain text; ``body`` HTML."""
    return f'<details class="more"><summary>{esc(summary)}</summary>{body}</details>'


def anchor(title: str) -> str:
    """A stable ASCII anchor for a heading ("1. Kết quả chính" -> "ket-qua-chinh")."""
    folded = unicodedata.normalize("NFKD", title.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"^\d+\.\s*", "", ascii_text)).strip("-")
