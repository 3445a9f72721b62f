"""The verdict's band counts on the index report's first screen.

A provincial leader reads the first screen and stops: beside the total, rank and change (sections.headline) it
must say how many of the province's agencies and communes fall in each band, and which one is the lowest. The
long tables below (every commune ranked, printed-rank notes) stay one click away (:func:`long_table`), closed on
screen and in print, so the first screen is not a wall of rows and the printed report stays short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from dvctt.labels import t, text
from dvctt.report.formatting import fmt_number
from dvctt.report.present import collapsible, esc
from dvctt.service_index import analysis as ix
from dvctt.service_index.words import band_rules, level_label, period_label, plain_name, province_of, score

if TYPE_CHECKING:
    from dvctt.service_index.sections import IndexData

LEVELS = ("agency", "commune")
LONG_ROWS = 10  # a table of more rows is closed on screen and in print (34 provinces, 102 communes, 114 notes)


def band_rows(inside: pd.DataFrame) -> pd.DataFrame:
    """Per level (agency, commune): the number of units, the count in each band and the lowest unit.

    ``inside``: the province's units in one period with ``level``, ``group``, ``total``, ``unit_code``,
    ``unit_name`` (analysis.children). Columns: level, n, one per band of :data:`analysis.GROUPS`, worst_name,
    worst_total; a level without units is left out.
    """
    rows = []
    for level in LEVELS:
        units = inside[inside["level"] == level]
        if units.empty:
            continue
        worst = units.sort_values(["total", "unit_code"], kind="stable").iloc[0]
        counts = {g: int((units["group"] == g).sum()) for g in ix.GROUPS}
        rows.append({"level": level, "n": len(units), **counts, "worst_name": worst["unit_name"],
                     "worst_total": float(worst["total"])})  # fmt: skip
    return pd.DataFrame(rows, columns=["level", "n", *ix.GROUPS, "worst_name", "worst_total"])


def _province(data: IndexData) -> str:
    units = data.units
    own = units[(units["unit_code"] == data.subject["province_code"]) & (units["level"] == "province")]
    return province_of(own["unit_name"].iloc[0]) if len(own) else ""


def bands(data: IndexData, lang: str) -> HTML | None:
    """The first screen's band counts: per level, how many agencies and communes in each band, the lowest named;
    ``None`` for a unit whose files hold no agencies or communes (section 4 says so)."""
    rows = band_rows(ix.children(data.units, str(data.subject["unit_code"]), data.period))
    if rows.empty:
        return None
    rules = band_rules(data.thresholds, lang)
    heads = [t("col.level", lang), t("col.n_units", lang)]
    heads += [f"{t(f'index.group.{g}', lang)} ({rules[g]})" for g in ix.GROUPS] + [t("col.lowest_unit", lang)]
    province = _province(data)
    body = ""
    for r in rows.itertuples():
        worst = f"{plain_name(r.worst_name, province)} {score(r.worst_total, lang)}"
        cells = [f"<td class='txt'>{esc(level_label(r.level, lang))}</td>", f"<td class='num'>{r.n}</td>"]
        cells += [f"<td class='num band-{g}'>{getattr(r, g)}</td>" for g in ix.GROUPS]
        body += "<tr>" + "".join(cells) + f"<td class='txt'>{esc(worst)}</td></tr>"
    head = "".join(f"<th class='txt'>{esc(h)}</th>" for h in heads)
    caption = text("index.bands.caption", lang, period=period_label(data.period, lang))
    table = (f'<table class="index-bands"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
             f"<tbody>{body}</tbody></table>")  # fmt: skip
    return HTML(f"<p class='lead'>{esc(verdict(rows, data.thresholds, lang))}</p>{table}")


def verdict(rows: pd.DataFrame, thresholds: tuple[float, float], lang: str) -> str:
    """ "Dưới 80 điểm: 15/15 sở, ban, ngành và 102/102 xã, phường, đặc khu." (from :func:`band_rows`)."""
    parts = [
        text("index.bands.part", lang, n=int(r.urgent), of=int(r.n), level=level_label(r.level, lang).lower())
        for r in rows.itertuples()
    ]
    joined = f" {text('index.bands.and', lang)} ".join(parts)
    return text("index.bands.verdict", lang, low=fmt_number(thresholds[0], lang), units=joined)


def long_table(summary: str, table_html: str, n_rows: int) -> str:
    """``table_html`` closed behind ``summary`` when it has more than :data:`LONG_ROWS` rows, else as it is."""
    return collapsible(summary, table_html) if n_rows > LONG_ROWS else table_html
