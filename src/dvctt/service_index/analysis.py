"""The service index analysed: ranks among peers, change since the previous period, points lost, groups.

Pure DataFrame-in/DataFrame-out functions over the tidy table of :mod:`dvctt.service_index.store` (one row per
unit × period × component). Peers are the units of the same level in the same period — all provinces for a
province, the agencies (or communes) of the same province for an agency (commune). Ranks come from the totals in
the data, never from the printed ``ROW_STT``; equal totals share a rank (1, 2, 2, 4). Periods are only compared
within one year and one kind (month, quarter, year to date): the portal re-bases its scale between years.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from dvctt.errors import ParameterError
from dvctt.service_index.definition import COMPONENTS, parse_period

DEFAULT_THRESHOLDS: tuple[float, float] = (80.0, 90.0)
GROUPS: tuple[str, ...] = ("urgent", "attention", "ok")  # under the 1st threshold, under the 2nd, the rest
UNIT_COLUMNS: tuple[str, ...] = (
    "unit_code", "ma_coquan", "unit_name", "level", "province_code", "official_code", "official_name",
    "period", "period_kind", "year", "as_of",
)  # fmt: skip
SCORES_COLUMNS: tuple[str, ...] = (
    "unit_code", "unit_name", "level", "period", "component", "score", "max_points", "points_lost", "total",
    "rank", "n_peers",
)  # fmt: skip


def unit_totals(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per unit × period with its total and printed rank."""
    first = tidy.drop_duplicates(["unit_code", "period"])
    return first[[*UNIT_COLUMNS, "total", "printed_rank"]].reset_index(drop=True)


def _peer_group(frame: pd.DataFrame) -> pd.Series:
    return frame["level"].where(frame["level"] == "province", frame["level"] + ":" + frame["province_code"])


def rank_units(totals: pd.DataFrame) -> pd.DataFrame:
    """Adds ``peer_group``, ``rank`` (1 = highest total, ties share the best rank) and ``n_peers``."""
    out = totals.assign(peer_group=_peer_group(totals))
    grouped = out.groupby(["period", "peer_group"])["total"]
    out["rank"] = grouped.rank(method="min", ascending=False).astype("int64")
    out["n_peers"] = grouped.transform("size").astype("int64")
    return out


def _printed_int(text: object) -> int | None:
    value = str(text).strip()
    return int(value) if re.fullmatch(r"\d+", value) else None


def printed_order_notes(ranked: pd.DataFrame) -> pd.DataFrame:
    """Units whose printed rank (ROW_STT) differs from their rank by total, with why.

    ``note``: ``tie`` (equal totals printed with different ranks), ``order`` (printed above a unit with a higher
    total: the printed order contradicts the totals), ``offset`` (a gap or shift in the printed numbering) or
    ``not_a_number``; ``order`` wins over the others. Columns: period, unit_code, unit_name, total,
    printed_rank, rank, note.
    """
    rows = []
    for (_, _), group in ranked.groupby(["period", "peer_group"], sort=True):
        printed = group["printed_rank"].map(_printed_int)
        for index, row in group.iterrows():
            value = printed[index]
            if pd.isna(row["printed_rank"]) or not str(row["printed_rank"]).strip():
                continue  # no rank printed (the 2026 answers give none): nothing to compare
            if pd.isna(value):
                note = "not_a_number"
            elif value == row["rank"]:
                continue
            else:
                known = printed.notna()
                above = group[known & (printed < value)]
                below = group[known & (printed > value)]
                if (above["total"] < row["total"]).any() or (below["total"] > row["total"]).any():
                    note = "order"
                elif (group["total"] == row["total"]).sum() > 1:
                    note = "tie"
                else:
                    note = "offset"
            rows.append({**{c: row[c] for c in ("period", "unit_code", "unit_name", "total", "printed_rank")},
                         "rank": row["rank"], "note": note})  # fmt: skip
    columns = ["period", "unit_code", "unit_name", "total", "printed_rank", "rank", "note"]
    return pd.DataFrame(rows, columns=columns)


def points_lost(tidy: pd.DataFrame) -> pd.DataFrame:
    """Adds ``points_lost`` = max points − score for every unit × period × component."""
    return tidy.assign(points_lost=(tidy["max_points"] - tidy["score"]).round(4))


def weakest_components(tidy: pd.DataFrame) -> pd.DataFrame:
    """Per unit × period, the component that loses the most points (ties: the first in the decision's order)."""
    lost = points_lost(tidy)
    lost = lost.assign(_o=lost["component"].map({c: i for i, c in enumerate(COMPONENTS)}))
    lost = lost.sort_values(["unit_code", "period", "points_lost", "_o"], ascending=[True, True, False, True])
    weakest = lost.drop_duplicates(["unit_code", "period"])
    return weakest[["unit_code", "period", "component", "points_lost"]].rename(
        columns={"component": "weakest", "points_lost": "weakest_lost"}
    )


def previous_periods(periods: Sequence[str]) -> dict[str, str | None]:
    """Each period's previous one of the same kind and year (None for the first, or another year's)."""
    parsed = [parse_period(p) for p in dict.fromkeys(periods)]
    result: dict[str, str | None] = {}
    for period in parsed:
        earlier = [p for p in parsed if p.kind == period.kind and p.year == period.year and 0 < p.order < period.order]
        result[period.id] = max(earlier, key=lambda p: p.order).id if earlier and period.order else None
    return result


def change_since_previous(ranked: pd.DataFrame) -> pd.DataFrame:
    """Adds ``previous_period``, ``total_change`` and ``rank_change`` (positive = climbed) per unit × period."""
    previous = previous_periods(ranked["period"].tolist())
    out = ranked.assign(previous_period=ranked["period"].map(previous))
    before = ranked[["unit_code", "period", "total", "rank"]].rename(
        columns={"period": "previous_period", "total": "_prev_total", "rank": "_prev_rank"}
    )
    out = out.merge(before, on=["unit_code", "previous_period"], how="left")
    out["total_change"] = (out["total"] - out["_prev_total"]).round(4)
    out["rank_change"] = (out["_prev_rank"] - out["rank"]).astype("Int64")
    return out.drop(columns=["_prev_total", "_prev_rank"])


def threshold_groups(ranked: pd.DataFrame, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Adds ``group``: ``urgent`` (total < 1st threshold), ``attention`` (< 2nd) or ``ok``."""
    low, high = sorted(float(t) for t in thresholds)
    group = pd.Series("ok", index=ranked.index)
    group[ranked["total"] < high] = "attention"
    group[ranked["total"] < low] = "urgent"
    return ranked.assign(group=group)


def resolve_scope(totals: pd.DataFrame, scope: str | None) -> str:
    """The unit a report is about: a portal code (``H12``) or a name (``Cà Mau``); without one, the only
    province in the data, else the province all agencies and communes belong to."""
    units = totals.drop_duplicates("unit_code")
    if scope:
        wanted = scope.strip()
        by_code = units[units["unit_code"].str.casefold() == wanted.casefold()]
        if len(by_code):
            return str(by_code["unit_code"].iloc[0])
        key = _fold(wanted)
        names = units[units["unit_name"].map(_fold).str.contains(key, regex=False)]
        if len(names) == 1:
            return str(names["unit_code"].iloc[0])
        shown = ", ".join(f"{r.unit_code} ({r.unit_name})" for r in names.head(8).itertuples())
        raise ParameterError(
            f"Scope {scope!r} matches {len(names)} units{': ' + shown if shown else ''}; give the portal code."
        )
    provinces = units[units["level"] == "province"]
    if len(provinces) == 1:
        return str(provinces["unit_code"].iloc[0])
    parents = set(units["province_code"])
    if len(parents) == 1 and provinces.empty:
        return str(next(iter(parents)))
    raise ParameterError(f"The data hold {len(provinces)} provinces: choose one with --scope (e.g. H12 or Cà Mau).")


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")
    return " ".join(plain.casefold().split())


def scores_table(tidy: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """The published table: one row per unit × period × component with points lost and the unit's rank."""
    lost = points_lost(tidy)
    merged = lost.merge(ranked[["unit_code", "period", "rank", "n_peers"]], on=["unit_code", "period"], how="left")
    return merged[list(SCORES_COLUMNS)].reset_index(drop=True)


def trend(ranked: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """The unit's total and rank over time, per kind of period, in order; ``year`` separates re-based scales."""
    rows = ranked[ranked["unit_code"] == unit_code].copy()
    if rows.empty:
        return rows.assign(order=pd.Series(dtype="int64"))
    rows["order"] = rows["period"].map(lambda p: parse_period(p).order)
    return rows.sort_values(["period_kind", "year", "order"]).reset_index(drop=True)


def children(ranked: pd.DataFrame, unit_code: str, period: str) -> pd.DataFrame:
    """A province's agencies and communes in one period, ranked within their level (empty for other units)."""
    inside = ranked[(ranked["period"] == period) & (ranked["level"] != "province")]
    return inside[inside["province_code"] == unit_code].sort_values(["level", "rank", "unit_code"])
