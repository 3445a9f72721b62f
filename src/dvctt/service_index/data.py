"""The data of the service-index report, computed once from an index folder: :class:`IndexData`.

One *snapshot* (a period as of a day) of one unit: its figures, the previous snapshot of the same kind and the
change since it, its rank among the peers present in the files (or why it has none), the bands that apply to
its year's scale and why, and, when the data hold two years, each year's provinces' median (the 2026 re-basing).
The sections (:mod:`dvctt.service_index.sections`) and the chat message (:mod:`dvctt.service_index.message`)
only word what is here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt.campaign import provenance
from dvctt.errors import ParameterError
from dvctt.labels import text
from dvctt.service_index import analysis as ix
from dvctt.service_index import bands as index_bands
from dvctt.service_index import store as index_store
from dvctt.service_index.definition import FILE_SEPARATOR, SNAPSHOT_SEPARATOR, parse_period, snapshot_sort_key
from dvctt.service_index.words import period_label


@dataclass(frozen=True)
class IndexData:
    """Everything the report shows, computed once.

    The report is about one *snapshot* (``snapshot``: a period as of a day, ``2026-ytd-10@2026-10-10``; ``period``
    is its period id). ``subject`` carries the figures: ``total``, ``rank``/``n_peers`` (NA when the unit has no
    peer; ``unranked`` then says why, see :func:`rank_text`), ``previous_snapshot`` with ``total_change`` and
    ``rank_change``; ``previous_reason`` says why there is no change (``no_date``, ``first``, ``absent``; ``""``
    when there is one). ``bands`` are the thresholds that apply and why (:func:`bands_text`).
    """

    id: str
    synthetic: bool
    tidy: pd.DataFrame  # unit × snapshot × component, with points_lost and snapshot
    units: pd.DataFrame  # unit × snapshot: total, rank, n_peers, change, group, weakest
    subject: pd.Series  # the report's unit in the report's snapshot (a row of ``units``)
    period: str
    thresholds: tuple[float, float]
    sources: pd.DataFrame
    campaign_kpis: pd.DataFrame | None = None  # level × KPI results of the campaign sharing the folder, if any
    campaign_period: Any = None  # the campaign's Period (labels in both languages)
    data_hash: str = ""  # SHA-256 of the folder's files, for the footer
    snapshot: str = ""  # the report's snapshot id (period@as_of; the period id when the date is unknown)
    as_of: str = ""  # its as-of date, ISO; "" when unknown
    previous_snapshot: str | None = None  # the snapshot the change is measured against
    previous_reason: str = ""  # why there is no change: no_date, first, absent ("" when there is one)
    bands: index_bands.Bands | None = None  # the thresholds, how they were chosen
    rebasing: pd.DataFrame | None = None  # per year present: the provinces' median (two years or more), else empty
    rank_elsewhere: pd.Series | None = None  # an unranked subject's rank in an earlier snapshot of the kind, if any

    @property
    def current(self) -> pd.DataFrame:
        """The units of the report's snapshot."""
        return self.units[self.units["snapshot"] == self.snapshot]

    @property
    def previous(self) -> pd.DataFrame | None:
        """The units of the previous snapshot of the same kind, or None (``previous_reason`` says why)."""
        if self.previous_snapshot is None:
            return None
        return self.units[self.units["snapshot"] == self.previous_snapshot]


def rank_text(row: pd.Series, lang: str, elsewhere: pd.Series | None = None) -> str:
    """ "24/34", or why there is no rank ("không xếp hạng: tệp chỉ có một tỉnh"), with the rank of ``elsewhere``
    (the same unit in an earlier snapshot that ranks it: "hạng 24/34, Lũy kế đến ngày 17/09/2026")."""
    if pd.notna(row["rank"]):
        return f"{row['rank']}/{row['n_peers']}"
    reason = text(f"index.unranked.{row['level']}", lang)
    if elsewhere is None:
        return reason
    return text("index.unranked.elsewhere", lang, reason=reason, rank=elsewhere["rank"], n=elsewhere["n_peers"],
                snapshot=period_label(str(elsewhere["snapshot"]), lang))  # fmt: skip


def subject_rank_text(data: IndexData, lang: str) -> str:
    """The report's unit's rank, or why it has none and its rank in an earlier snapshot that gives one."""
    return rank_text(data.subject, lang, data.rank_elsewhere)


def bands_text(data: IndexData, lang: str) -> str:
    """Which bands apply and why, one sentence."""
    assert data.bands is not None
    return index_bands.bands_text(data.bands, lang)


def rebasing_text(data: IndexData, lang: str) -> str:
    """The re-basing sentence with each year's provinces' median, when the data hold two years; else ``""``."""
    return index_bands.rebasing_text(data.rebasing if data.rebasing is not None else pd.DataFrame(), lang)


def _snapshot_key(snapshot: str) -> tuple[int, int, int, str]:
    period = parse_period(snapshot)
    return period.year, period.order, ("ytd", "quarter", "month").index(period.kind), period.as_of_text


def _choose_snapshot(totals: pd.DataFrame, code: str, period: str | None) -> str:
    """The snapshot asked for (a snapshot id, or a period id: its latest snapshot), default the unit's latest."""
    own = totals[totals["unit_code"] == code]
    snapshots = sorted(set(own["snapshot"]), key=_snapshot_key)
    if not snapshots:
        raise ParameterError(f"Unit {code} has no scores in the index (it is only a parent of the units there).")
    if not period:
        return snapshots[-1]
    wanted = parse_period(period)
    dated = any(sep in period for sep in (SNAPSHOT_SEPARATOR, FILE_SEPARATOR))  # one snapshot asked for
    exact = [s for s in snapshots if s in (period.strip(), wanted.snapshot) or parse_period(s) == wanted]
    if dated and exact:
        return exact[0]
    stored = set(own.loc[own["period"] == period.strip(), "snapshot"])  # "2026-ytd" as stored, of any day
    same = [s for s in snapshots if s in stored or parse_period(s).id == wanted.id]
    if not dated and same:
        return max(same, key=snapshot_sort_key)
    raise ParameterError(f"Unit {code} has no scores for {period}; snapshots with scores: {', '.join(snapshots)}.")


def build_index_data(
    index: str | os.PathLike[str],
    scope: str | None = None,
    period: str | None = None,
    thresholds: tuple[float | None, float | None] | None = None,
) -> IndexData:
    """Load the index folder and analyse it for ``scope`` in ``period`` (a period id: its latest snapshot, or a
    snapshot id ``2026-ytd-10@2026-10-02``; default: the unit's latest snapshot). ``thresholds`` override the
    bands (:mod:`~dvctt.service_index.bands`); None (or None in either place) keeps the year's own."""
    folder = index_store.index_folder(index)
    tidy = index_store.load_index(folder).astype({"score": float, "max_points": float, "total": float, "year": int})
    if tidy.empty:
        raise ParameterError(f"The index folder {folder.name!r} holds no scores yet.")
    tidy = ix.with_snapshot(tidy)
    totals = ix.unit_totals(tidy)
    code = ix.resolve_scope(totals, scope)
    chosen = _choose_snapshot(totals, code, period)
    ranked = ix.change_since_previous(ix.rank_units(totals))
    subject = ranked[(ranked["unit_code"] == code) & (ranked["snapshot"] == chosen)].iloc[0]
    override = (None, None) if thresholds is None else thresholds
    bands = index_bands.choose_bands(ranked, subject, index_bands.read_band_config(folder), override)
    units = ix.threshold_groups(ranked, bands.thresholds)
    units = units.merge(ix.weakest_components(tidy), on=["unit_code", "snapshot"], how="left")
    subject = units[(units["unit_code"] == code) & (units["snapshot"] == chosen)].iloc[0]
    meta = index_store.index_meta(folder)
    kpis, kpi_period = _campaign_kpis(folder)
    previous = subject["previous_snapshot"]
    return IndexData(
        id=str(meta["id"]),
        synthetic=bool(meta["synthetic"]),
        tidy=ix.points_lost(tidy),
        units=units,
        subject=subject,
        period=str(subject["period"]),
        thresholds=bands.thresholds,
        sources=index_store.load_sources(folder),
        campaign_kpis=kpis,
        campaign_period=kpi_period,
        data_hash=provenance.data_hash(folder),
        snapshot=chosen,
        as_of=str(subject["as_of"]),
        previous_snapshot=None if pd.isna(previous) else str(previous),
        previous_reason=ix.previous_reason(subject),
        bands=bands,
        rebasing=index_bands.rebasing(units),
        rank_elsewhere=None if pd.notna(subject["rank"]) else ix.rank_elsewhere(units, code, chosen),
    )


#: Index component → the campaign KPI nearest to it (shown side by side, never as the same measure).
KPI_BESIDE: dict[str, str] = {"CLGQ": "online", "MDSH": "digitized", "TTTT": "online_payment"}


def _campaign_kpis(folder: Path) -> tuple[pd.DataFrame | None, Any]:
    """The headline level × KPI results of the campaign whose folder also holds the index, for its default period."""
    if not (folder / "campaign.toml").is_file():
        return None, None
    from dvctt.report.data import build_report_data, headline_table

    data = build_report_data(str(folder), None)
    rows = headline_table(data.level_summary)
    rows = rows[rows["kpi"].isin(KPI_BESIDE.values()) & rows["result"].notna()]
    return rows[["level", "kpi", "result"]], data.period
