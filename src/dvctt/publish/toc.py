"""A table of contents for a rendered report, built from its h2 headings after conversion.

It is added to the converted HTML rather than by a notebook cell, so every notebook dvctt renders gets one
without asking. Headings keep the ids they have (report_sections gives stable ASCII ones, nbconvert gives
Markdown headings their own); a heading without one gets an ASCII slug, unique in the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

MIN_ENTRIES = 2  # a report with one section needs no contents list
_H2 = re.compile(r"<h2\b(?P<attrs>[^>]*)>(?P<inner>.*?)</h2\s*>", re.IGNORECASE | re.DOTALL)
_ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_CELL_START = re.compile(r"""<div\b[^>]*\bclass\s*=\s*["']jp-Cell\s""")  # any attribute order
_H1_START = re.compile(r"<h1\b", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One line of the contents: the heading's id and its plain text."""

    id: str
    text: str


def _plain(markup: str) -> str:
    """Text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def _unique(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free; then mark it used."""
    candidate, n = base or "section", 1
    while candidate in used:
        n += 1
        candidate = f"{base or 'section'}-{n}"
    used.add(candidate)
    return candidate


def with_heading_ids(page: str) -> tuple[str, list[Entry]]:
    """The page with an id on every h2, and the h2 headings in order."""
    from dvctt.report.present import anchor  # here: the report package brings pandas, not needed to start a render

    used = {a or b for a, b in _ID_ATTR.findall(page)}
    entries: list[Entry] = []

    def visit(match: re.Match[str]) -> str:
        attrs, inner = match.group("attrs"), match.group("inner")
        found = _ID_ATTR.search(attrs)
        text = _plain(inner)
        if found:
            entries.append(Entry(html.unescape(found.group(1) or found.group(2) or ""), text))
            return match.group(0)
        new_id = _unique(anchor(text), used)
        entries.append(Entry(new_id, text))
        return f'<h2 id="{html.escape(new_id)}"{attrs}>{inner}</h2>'

    return _H2.sub(visit, page), entries


def nav(entries: list[Entry], title: str) -> str:
    """The contents block: a labelled list of in-page links."""
    items = "".join(
        f'<li><a href="#{html.escape(quote(e.id, safe=""))}">{html.escape(e.text)}</a></li>' for e in entries
    )
    return (
        f'<nav class="toc" aria-label="{html.escape(title)}">'
        f'<p class="toc-title">{html.escape(title)}</p><ol>{items}</ol></nav>\n'
    )


def _insertion_point(page: str, first_h2: int) -> int:
    """Before the notebook cell holding the first h2, so the title and subtitle stay above the contents;
    directly before the h2 when that cell also holds the title."""
    starts = [match.start() for match in _CELL_START.finditer(page, 0, first_h2)]
    if not starts or _H1_START.search(page, starts[-1], first_h2):
        return first_h2
    return starts[-1]


def add_toc(page: str, title: str) -> str:
    """The page with ids on its h2 headings and, when it has at least two, a contents list above the first."""
    page, entries = with_heading_ids(page)
    if len(entries) < MIN_ENTRIES:
        return page
    first = _H2.search(page)
    if first is None:  # pragma: no cover - entries come from the same matches
        return page
    at = _insertion_point(page, first.start())
    return page[:at] + nav(entries, title) + page[at:]


# ------------------------------------------------------------------------------ links between related reports

RELATED_START, RELATED_END = "<!--dvctt:related-->", "<!--/dvctt:related-->"
_RELATED = re.compile(re.escape(RELATED_START) + ".*?" + re.escape(RELATED_END), re.DOTALL)
_KINDS = ("campaign_report", "progress_report", "unit_report")
INDEX_FILE = "index.html"


def report_kind(file: str) -> str:
    """campaign_report | progress_report | unit_report | other, from the report's file name."""
    return next((kind for kind in _KINDS if file.startswith(kind + "_")), "other")


def related_links(entry: dict, entries: list[dict], lang: str) -> list[tuple[str, str]]:
    """(href, text) for the index and the reports related to ``entry``: same campaign, period and language;
    the campaign and progress reports link each other and say how many unit reports the index lists; a unit
    report links to both. Only reports that exist (status ok) are linked."""
    from dvctt.labels import t, text

    same = [
        e for e in entries
        if e.get("file") != entry.get("file") and e.get("status", "ok") == "ok"
        and all(e.get(k) == entry.get(k) for k in ("campaign", "period", "lang"))
    ]  # fmt: skip
    links = [(INDEX_FILE, t("related.index", lang))]
    for kind in ("campaign_report", "progress_report"):
        links += [(e["file"], t(f"related.{kind}", lang)) for e in same if report_kind(e["file"]) == kind]
    units = [e for e in same if report_kind(e["file"]) == "unit_report"]
    if units and report_kind(entry.get("file", "")) != "unit_report":
        links.append((INDEX_FILE, text("related.units", lang, n=len(units))))
    return links


def with_related(page: str, links: list[tuple[str, str]]) -> str:
    """The page with its related-reports block (between the markers the template writes) set to ``links``."""
    items = " · ".join(f'<a href="{html.escape(quote(href))}">{html.escape(label)}</a>' for href, label in links)
    return _RELATED.sub(lambda _m: RELATED_START + items + RELATED_END, page, count=1)
