"""The service index analysed: ranks among peers, change since the previous snapshot, points lost, groups.

Pure DataFrame-in/DataFrame-out functions over the tidy table of :mod:`dvctt.service_index.store` (one row per
unit × period × as_of × component). A *snapshot* is a period as of a day: the column ``snapshot`` holds its id
(``2026-ytd-10@2026-10-10``, or the bare period id when the as-of date is unknown; see
:func:`~dvctt.service_index.definition.snapshot_id`) and is the key of every per-unit figure; tables keep
``period`` and ``as_of`` apart. Peers are the units of the same level in the same snapshot — all provinces for a
province, the agencies (or communes) of the same province for an agency (commune). Ranks come from the totals in
the data (2026 prints none), never from the printed ``ROW_STT``; equal totals share a rank (1, 2, 2, 4); a unit
with no peer gets no rank (never "1 of 1"). Snapshots are only compared within one year and one kind (month,
quarter, year to date): the portal re-bases its scale between years.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from dvctt.errors import ParameterError
from dvctt.service_index.definition import COMPONENTS, parse_period, snapshot_id, snapshot_sort_key

DEFAULT_THRESHOLDS: tuple[float, float] = (80.0, 90.0)
GROUPS: tuple[str, ...] = ("urgent", "attention", "ok")  # under the 1st threshold, under the 2nd, the rest
UNIT_COLUMNS: tuple[str, ...] = (
    "unit_code", "ma_coquan", "unit_name", "level", "province_code", "official_code", "official_name",
    "period", "period_kind", "year", "as_of", "snapshot",
)  # fmt: skip
SCORES_COLUMNS: tuple[str, ...] = (
    "unit_code", "unit_name", "level", "period", "as_of", "component", "score", "max_points", "points_lost", "total",
    "rank", "n_peers",
)  # fmt: skip


def with_snapshot(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds ``snapshot`` (period and as-of date as one id) unless present; a frame without ``as_of`` is keyed by
    period alone."""
    if "snapshot" in frame.columns:
        return frame
    if "as_of" not in frame.columns:
        return frame.assign(snapshot=frame["period"].astype(str))
    as_of = frame["as_of"].fillna("").astype(str)
    ids = [snapshot_id(p, a) for p, a in zip(frame["period"].astype(str), as_of, strict=True)]
    return frame.assign(snapshot=pd.Series(ids, index=frame.index, dtype="object"))


def unit_totals(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per unit × snapshot with its total and printed rank."""
    first = with_snapshot(tidy).drop_duplicates(["unit_code", "snapshot"])
    return first[[*UNIT_COLUMNS, "total", "printed_rank"]].reset_index(drop=True)


def _peer_group(frame: pd.DataFrame) -> pd.Series:
    return frame["level"].where(frame["level"] == "province", frame["level"] + ":" + frame["province_code"])


def rank_units(totals: pd.DataFrame) -> pd.DataFrame:
    """Adds ``peer_group``, ``rank`` (1 = highest total, ties share the best rank), ``n_peers`` and ``unranked``.

    A unit alone in its peer group in a snapshot (a province when the files hold one province) has no rank:
    ``rank`` and ``n_peers`` are NA and ``unranked`` says why (``alone``; empty when ranked).
    """
    out = with_snapshot(totals)
    out = out.assign(peer_group=_peer_group(out))
    grouped = out.groupby(["snapshot", "peer_group"])["total"]
    size = grouped.transform("size")
    alone = size < 2
    out["rank"] = grouped.rank(method="min", ascending=False).round().astype("Int64").mask(alone)
    out["n_peers"] = size.astype("Int64").mask(alone)
    out["unranked"] = alone.map({True: "alone", False: ""})
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
    for (_, _), group in with_snapshot(ranked).groupby(["snapshot", "peer_group"], sort=True):
        printed = group["printed_rank"].map(_printed_int)
        for index, row in group.iterrows():
            value = printed[index]
            if pd.isna(row["rank"]) or pd.isna(row["printed_rank"]) or not str(row["printed_rank"]).strip():
                continue  # nothing to compare: a unit alone among its peers, or no printed rank (2026 prints none)
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
    """Per unit × snapshot, the component that loses the most points (ties: the first in the decision's order);
    none when the file gives totals only."""
    lost = with_snapshot(points_lost(tidy))
    lost = lost.assign(_o=lost["component"].map({c: i for i, c in enumerate(COMPONENTS)}))
    lost = lost.sort_values(["unit_code", "snapshot", "points_lost", "_o"], ascending=[True, True, False, True])
    weakest = lost.drop_duplicates(["unit_code", "snapshot"])
    weakest = weakest.assign(component=weakest["component"].where(weakest["points_lost"].notna()))
    return weakest[["unit_code", "snapshot", "component", "points_lost"]].rename(
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


def previous_snapshots(snapshots: Sequence[str]) -> dict[str, str | None]:
    """Each snapshot's previous one of the same kind and year: the previous as-of date of the same period, else
    the latest snapshot of the previous period of the kind; None for the first of its year and for a year to
    date whose as-of date is unknown (it cannot be placed in time)."""
    keys = {s: snapshot_sort_key(s) for s in dict.fromkeys(snapshots)}
    result: dict[str, str | None] = {}
    for snapshot, key in keys.items():
        earlier = [o for o, k in keys.items() if k[:2] == key[:2] and k[2] > 0 and k[2:] < key[2:]]
        result[snapshot] = max(earlier, key=keys.__getitem__) if earlier and key[2] else None
    return result


def change_since_previous(ranked: pd.DataFrame) -> pd.DataFrame:
    """Adds ``previous_snapshot`` (with its ``previous_period`` and ``previous_as_of``), ``total_change`` and
    ``rank_change`` (positive = climbed; NA when either snapshot gives no rank) per unit × snapshot. The previous
    snapshot is the unit's own: a province's row (national answer) and its communes (the province's answer) may
    be of different days."""
    ranked = with_snapshot(ranked)
    previous: dict[tuple[str, str], str | None] = {}
    for unit, snapshots in ranked.groupby("unit_code", sort=False)["snapshot"]:  # the unit's own snapshots
        previous.update({(unit, s): p for s, p in previous_snapshots(snapshots.tolist()).items()})
    keys = zip(ranked["unit_code"], ranked["snapshot"], strict=True)
    out = ranked.assign(previous_snapshot=pd.Series([previous[k] for k in keys], index=ranked.index, dtype="object"))
    before = ranked[["unit_code", "snapshot", "period", "as_of", "total", "rank"]].rename(
        columns={"snapshot": "previous_snapshot", "period": "previous_period", "as_of": "previous_as_of",
                 "total": "_prev_total", "rank": "_prev_rank"}
    )  # fmt: skip
    out = out.merge(before, on=["unit_code", "previous_snapshot"], how="left")
    out["total_change"] = (out["total"] - out["_prev_total"]).round(4)
    out["rank_change"] = (out["_prev_rank"].astype("Int64") - out["rank"].astype("Int64")).astype("Int64")
    return out.drop(columns=["_prev_total", "_prev_rank"])


def rank_elsewhere(ranked: pd.DataFrame, unit_code: str, snapshot: str) -> pd.Series | None:
    """The unit's row in the latest snapshot of the same year and kind, up to ``snapshot``, in which it has a
    rank (the national answer of an earlier day for a province alone in its own file); None when there is none."""
    key = snapshot_sort_key(snapshot)
    rows = with_snapshot(ranked)
    rows = rows[(rows["unit_code"] == unit_code) & rows["rank"].notna() & (rows["snapshot"] != snapshot)]
    keys = rows["snapshot"].map(snapshot_sort_key)
    rows = rows[[k[:2] == key[:2] and k <= key for k in keys]]
    if rows.empty:
        return None
    return rows.loc[max(rows.index, key=lambda i: snapshot_sort_key(rows.at[i, "snapshot"]))]


def previous_reason(row: pd.Series) -> str:
    """Why a unit × snapshot has no change: ``no_date`` (as-of date unknown), ``first`` (no earlier snapshot of
    the kind in the year), ``absent`` (the unit is not in the previous snapshot); ``""`` when it has one."""
    if pd.notna(row.get("total_change")):
        return ""
    if pd.isna(row.get("previous_snapshot")):
        return "no_date" if row["period_kind"] == "ytd" and not parse_period(row["snapshot"]).order else "first"
    return "absent"


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
    """The published table: one row per unit × snapshot × component with points lost and the unit's rank."""
    lost = with_snapshot(points_lost(tidy))
    keys = ["unit_code", "snapshot"]
    merged = lost.merge(with_snapshot(ranked)[[*keys, "rank", "n_peers"]], on=keys, how="left")
    return merged[list(SCORES_COLUMNS)].reset_index(drop=True)


def trend(ranked: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """The unit's total and rank over time, per kind of period, in order; ``year`` separates re-based scales."""
    rows = with_snapshot(ranked[ranked["unit_code"] == unit_code])
    if rows.empty:
        return rows.assign(order=pd.Series(dtype="int64"))
    rows = rows.assign(order=rows["period"].map(lambda p: parse_period(p).order))
    return rows.sort_values(["period_kind", "year", "order", "as_of"]).reset_index(drop=True)


def in_snapshot(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of one snapshot: ``key`` is a snapshot id, or a period id meaning that period's latest snapshot."""
    frame = with_snapshot(frame)
    exact = frame[frame["snapshot"] == key]
    if len(exact) or key not in set(frame["period"]):
        return exact
    same = frame[frame["period"] == key]
    return same[same["snapshot"] == max(set(same["snapshot"]), key=snapshot_sort_key)]


def children(ranked: pd.DataFrame, unit_code: str, snapshot: str) -> pd.DataFrame:
    """A province's agencies and communes in one snapshot (or period: its latest snapshot), ranked within their
    level (empty for other units); when that snapshot holds none, those of the latest snapshot of the same period
    (a province's answer fetched on another day than the national one; the ``snapshot`` column says which)."""
    inside = in_snapshot(ranked, snapshot)
    inside = inside[(inside["level"] != "province") & (inside["province_code"] == unit_code)]
    if inside.empty and snapshot not in set(ranked["period"]):  # the province's row and its units fetched apart
        period = parse_period(snapshot).id
        inside = with_snapshot(ranked)
        inside = inside[(inside["level"] != "province") & (inside["province_code"] == unit_code)]
        inside = (
            in_snapshot(inside[inside["period"] == period], period)
            if (inside["period"] == period).any()
            else inside.iloc[0:0]
        )
    return inside.sort_values(["level", "rank", "unit_code"])
