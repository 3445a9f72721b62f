"""The Monday message of an index report: plain text a leader pastes into a group chat, as provinces' own bots send.

For the report's unit: the year-to-date and month score and rank (whichever the index folder holds for the report's
year) with the change since the previous period, each component's share of its maximum, the trend over the last
3 months and by quarter, the 5 weakest agencies and every commune of every band with its score. Names are written
as people write them ("xã An Minh": no "UBND", no " - tỉnh An Giang"). A chat message holds at most
:data:`MAX_CHARS` characters, so a long message is split at line boundaries into numbered parts ("(1/3) ...");
nothing is cut and no unit is left out. Each function takes the values it words, so the snapshot change (issue 21
item 3) plugs in where :func:`change_text` reads the row.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from datetime import date

import pandas as pd

from dvctt.errors import DvcttError
from dvctt.labels import t, text
from dvctt.report.formatting import fmt_number, fmt_rate
from dvctt.safe_text import one_line
from dvctt.service_index import analysis as ix
from dvctt.service_index.definition import COMPONENTS, PERIOD_KINDS, parse_period
from dvctt.service_index.sections import IndexData
from dvctt.service_index.words import (
    band_rules,
    component_label,
    level_label,
    period_label,
    period_tick,
    plain_name,
    province_of,
    rank_change_text,
    score,
    signed,
)

MAX_CHARS = 2000  # one chat message (Zalo, Telegram groups): longer ones are split into numbered parts
WEAKEST_AGENCIES = 5
TREND_MONTHS = 3
ITEM = "- "  # an item line; any other line is a heading, repeated "(tiếp)" when a part starts inside its list
# ----------------------------------------------------------------------------------------------- the values


def headline_periods(periods: Sequence[str], chosen: str) -> list[str]:
    """The report's period and the latest period of each other kind of the same year, year to date first."""
    year = parse_period(chosen).year
    parsed = [parse_period(p) for p in dict.fromkeys(periods)]
    picked = {parse_period(chosen).kind: chosen}
    for kind in ("ytd", "month"):
        same = [p for p in parsed if p.kind == kind and p.year == year]
        if kind not in picked and same:
            picked[kind] = max(same, key=lambda p: p.order).id
    return [picked[k] for k in ("ytd", "quarter", "month") if k in picked]


def change_text(row: pd.Series, lang: str) -> str:
    """ "; so với Tháng 8/2026: +1,20 điểm, tăng 2 bậc", or "" without a previous period in the folder."""
    if pd.isna(row.get("previous_period")) or pd.isna(row.get("total_change")):
        return ""
    ranks = "" if pd.isna(row.get("rank_change")) else ", " + rank_change_text(row["rank_change"], lang)
    return text("index.message.change", lang, previous=period_label(row["previous_period"], lang),
                delta=signed(row["total_change"], lang), rank_change=ranks)  # fmt: skip


def rank_text(row: pd.Series, lang: str) -> str:
    """ "hạng 24/34"; without peers in the files there is no rank, and the message says so."""
    if pd.isna(row.get("rank")) or int(row.get("n_peers", 0) or 0) < 2:
        return text("index.message.no_rank", lang)
    return text("index.message.rank", lang, rank=int(row["rank"]), n=int(row["n_peers"]))


def score_line(row: pd.Series, lang: str) -> str:
    """One period's total, rank and change."""
    period, total = period_label(row["period"], lang), score(row["total"], lang)
    return ITEM + text("index.message.score", lang, period=period, total=total, rank=rank_text(row, lang),
                       change=change_text(row, lang))  # fmt: skip


def component_lines(rows: pd.DataFrame, lang: str) -> list[str]:
    """ "Công khai, minh bạch 16,20/18 (90%)" per component the file gives (rows: component, score, max_points)."""
    given = rows[rows["score"].notna()].set_index("component").reindex(list(COMPONENTS)).dropna(subset=["score"])
    return [
        f"{ITEM}{component_label(c, lang)} {score(r.score, lang)}/{fmt_number(r.max_points, lang)} "
        f"({fmt_rate(100 * r.score / r.max_points, lang, 0)})"
        for c, r in given.iterrows()
    ]


def _series(rows: pd.DataFrame, lang: str) -> str:
    return " → ".join(
        f"{period_tick(p, lang)} {score(v, lang)}" for p, v in zip(rows["period"], rows["total"], strict=True)
    )


def trend_lines(series: pd.DataFrame, year: int, lang: str) -> list[str]:
    """The last 3 months and the quarters of ``year`` (never another year: the scale is re-based between years);
    a kind with fewer than two periods is left out. ``series``: period, period_kind, year, total."""
    rows = series[series["year"] == year].assign(order=series["period"].map(lambda p: parse_period(p).order))
    rows = rows[rows["order"] > 0].sort_values("order")
    months, quarters = rows[rows["period_kind"] == "month"].tail(TREND_MONTHS), rows[rows["period_kind"] == "quarter"]
    lines = []
    if len(months) >= 2:
        lines.append(text("index.message.months", lang, n=len(months), series=_series(months, lang)))
    if len(quarters) >= 2:
        lines.append(text("index.message.quarters", lang, series=_series(quarters, lang)))
    return lines


def _unit_item(row: pd.Series, province: str, lang: str) -> str:
    return f"{ITEM}{plain_name(row['unit_name'], province)} {score(row['total'], lang)}"


def _lowest_first(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values(["total", "unit_code"], kind="stable")


def band_counts(rows: pd.DataFrame, lang: str) -> str:
    """ "Cần cải thiện gấp 15 · Cần chú ý 0 · Đạt từ ngưỡng trên 0"."""
    return " · ".join(f"{t(f'index.group.{g}', lang)} {int((rows['group'] == g).sum())}" for g in ix.GROUPS)


def agency_lines(agencies: pd.DataFrame, province: str, lang: str) -> list[str]:
    """The agencies' band counts, then the 5 weakest with their scores."""
    if agencies.empty:
        return []
    weakest = _lowest_first(agencies).head(WEAKEST_AGENCIES)
    head = text("index.message.level", lang, level=level_label("agency", lang), n=len(agencies),
                counts=band_counts(agencies, lang))  # fmt: skip
    lines = [head, text("index.message.weakest_agencies", lang, n=len(weakest))]
    return lines + [_unit_item(r, province, lang) for _, r in weakest.iterrows()]


def commune_lines(communes: pd.DataFrame, rules: dict[str, str], province: str, lang: str) -> list[str]:
    """Every commune, band by band (lowest first), each with its score; an empty band says 0."""
    if communes.empty:
        return []
    lines = [text("index.message.level_head", lang, level=level_label("commune", lang), n=len(communes))]
    for group in ix.GROUPS:
        rows = _lowest_first(communes[communes["group"] == group])
        lines.append(text("index.message.band", lang, group=t(f"index.group.{group}", lang), rule=rules[group],
                          n=len(rows)))  # fmt: skip
        lines += [_unit_item(r, province, lang) for _, r in rows.iterrows()]
    return lines


# ------------------------------------------------------------------------------------------------ assembly


def message_lines(data: IndexData, lang: str = "vi") -> list[str]:
    """Every line of the message, in order, before splitting into parts."""
    row, units = data.subject, data.units
    own = units[units["unit_code"] == row["unit_code"]]
    province_rows = units[(units["unit_code"] == row["province_code"]) & (units["level"] == "province")]
    province = province_of(province_rows["unit_name"].iloc[0]) if len(province_rows) else ""
    lines = [text("index.message.head", lang, unit=plain_name(row["unit_name"]))]
    for period in headline_periods(own["period"].tolist(), data.period):
        lines.append(score_line(own[own["period"] == period].iloc[0], lang))
    components = data.tidy[(data.tidy["unit_code"] == row["unit_code"]) & (data.tidy["period"] == data.period)]
    shares = component_lines(components, lang)
    if shares:
        lines += [text("index.message.components", lang, period=period_label(data.period, lang)), *shares]
    lines += trend_lines(own, int(row["year"]), lang)
    inside = ix.children(units, str(row["unit_code"]), data.period)
    lines += agency_lines(inside[inside["level"] == "agency"], province, lang)
    lines += commune_lines(inside[inside["level"] == "commune"], band_rules(data.thresholds, lang), province, lang)
    return [one_line(line) for line in lines]  # one line per item, whatever the data held


def _pack(lines: Sequence[str], budget: int, continued: str) -> list[list[str]]:
    """Lines into parts of at most ``budget`` characters; a part starting inside a list repeats its heading."""
    parts: list[list[str]] = []
    current: list[str] = []
    heading = ""
    for line in lines:
        for piece in textwrap.wrap(line, budget, break_on_hyphens=False, subsequent_indent="  ") or [line]:
            if current and len("\n".join([*current, piece])) > budget:
                parts.append(current)
                again = f"{heading} {continued}"
                current = [again] if piece.startswith(ITEM) and heading and len(again) + len(piece) < budget else []
            current.append(piece)
        if not line.startswith(ITEM):
            heading = line
    return [*parts, current] if current else parts


def split_parts(lines: Sequence[str], lang: str = "vi", limit: int = MAX_CHARS) -> list[str]:
    """The message as chat messages of at most ``limit`` characters, numbered "(1/3) " when there are several."""
    continued = text("index.message.continued", lang)
    n = 1
    while True:
        parts = _pack(lines, limit - len(f"({n}/{n}) "), continued)
        if len(str(len(parts))) <= len(str(n)):
            break
        n = len(parts)
    if len(parts) == 1:
        return ["\n".join(parts[0])]
    return [f"({i}/{len(parts)}) " + "\n".join(p) for i, p in enumerate(parts, start=1)]


def build_parts(data: IndexData, lang: str = "vi") -> list[str]:
    """The message as the chat messages to send, each at most :data:`MAX_CHARS` characters."""
    return split_parts(message_lines(data, lang), lang)


def build_message(data: IndexData, lang: str = "vi") -> str:
    """The message file's text: the parts one after another, a blank line between them."""
    return "\n\n".join(build_parts(data, lang))


# ------------------------------------------------------------------------------------------ one file a snapshot

LATEST_NAME = "message.txt"
_FILE = re.compile(r"^message_(?P<period>.+?)(?:_(?P<as_of>\d{4}-\d{2}-\d{2}))?(?P<en>_en)?\.txt$")


def message_file_name(period: str, as_of: str, lang: str) -> str:
    """ "message_2026-ytd-09_2026-09-17.txt": one file per snapshot (period and as-of date), ``_en`` in English."""
    return f"message_{period}{'_' + as_of if as_of else ''}{'' if lang == 'vi' else '_' + lang}.txt"


def latest_name(lang: str) -> str:
    return LATEST_NAME if lang == "vi" else f"message_{lang}.txt"


def snapshot_key(period: str, as_of: str) -> tuple[date, int, int]:
    """Chronological order of snapshots: as-of date (else the period's end); on one day the year to date is the
    latest (the Monday message leads with it)."""
    parsed = parse_period(period)
    when = date.fromisoformat(as_of) if as_of else (parsed.as_of or date(parsed.year, 12, 31))
    return when, PERIOD_KINDS.index(parsed.kind), parsed.order


def is_latest(period: str, as_of: str, names: Sequence[str], lang: str) -> bool:
    """Whether this snapshot is not older than any whose message file (in ``lang``) is among ``names``."""
    keys = []
    for name in names:
        match = _FILE.match(name)
        if match and bool(match["en"]) == (lang == "en"):
            try:
                keys.append(snapshot_key(match["period"], match["as_of"] or ""))
            except (DvcttError, ValueError):
                continue  # not a message file of ours
    return all(snapshot_key(period, as_of) >= key for key in keys)
