"""Dossier-level exports (CSV/Parquet) counted over the campaign's periods, then checked like any file."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dvctt.campaign.definition import Campaign, Period
from dvctt.dossiers.aggregate import (
    CODES,
    DOSSIER_KPIS,
    DossierAggregate,
    aggregate_dossiers,
    windows_from_definition,
)
from dvctt.errors import DataValidationError, IngestError
from dvctt.ingest.messages import Issue, fail
from dvctt.ingest.result import (
    IngestResult,
    _conflicts,
    _frame,
    open_source,
)
from dvctt.ingest.vocabulary import OBSERVATION_COLUMNS, TOTAL_COLUMNS

# ----------------------------------------------------------------------------------- dossier-level files


def _uncovered_workdays(period: Period, first: date, last: date) -> int:
    """Working days (Monday–Friday) of ``period`` before the first or after the last day a dossier was
    received. Offices receive few dossiers on Saturday and none on Sunday, so an export of a whole week seldom
    holds one received on its Sunday: weekend days are not held against it."""
    days = (period.start + timedelta(days=n) for n in range((period.end - period.start).days + 1))
    return sum(1 for day in days if (day < first or day > last) and day.weekday() < 5)


def _dossier_periods(
    file: str, received: tuple[date, date], candidates: Sequence[Period], explicit: bool
) -> tuple[list[Period], list[str]]:
    """The periods to write, and notices. Without --period: every period the dossiers cover whole, since a
    partly covered one would be counted from part of its dossiers; with --period: that period, unless no
    dossier was received in it at all (every unit would get "no dossiers", which the file does not say)."""
    first, last = received
    kept: list[Period] = []
    notices: list[str] = []
    for period in candidates:
        if first > period.end or last < period.start:
            if explicit:
                raise fail(_outside(file, received, period))
            continue
        missing = _uncovered_workdays(period, first, last)
        if missing:
            partly = f"{file}: period {period.id} is only partly covered ({missing} working day(s) without data)"
            if not explicit:
                notices.append(f"{partly}: not ingested (use --period {period.id} to ingest it anyway)")
                continue
            notices.append(partly)
        kept.append(period)
    return kept, notices


def _outside(file: str, received: tuple[date, date], period: Period) -> Issue:
    start, end = (d.isoformat() for d in received)
    params = {
        "start": start,
        "end": end,
        "period": period.id,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }
    return Issue(file, None, None, "NgayTiepNhan", f"{start} – {end}", "period_outside", params)


def _no_period(file: str, received: tuple[date, date], campaign: Campaign) -> Issue:
    start, end = (d.isoformat() for d in received)
    periods = ", ".join(p.id for p in campaign.definition.periods)
    params = {"start": start, "end": end, "periods": periods}
    return Issue(file, None, None, "NgayTiepNhan", f"{start} – {end}", "dossier_no_period", params)


def _idle_units(counts: pd.DataFrame) -> list[str]:
    """Units with no dossier at all in the periods written. An export that does not mention a unit says nothing
    about it (an export of one district's system does not cover the others): its figures are missing, which is
    neither 0% nor "not applicable", so no row is written for it."""
    per_unit = counts.groupby("unit_code", sort=False)[["received", "finished"]].sum().sum(axis=1)
    return per_unit.index[per_unit == 0].tolist()


def _idle_notice(file: str, idle: list[str], shown: int = 10) -> list[str]:
    if not idle:
        return []
    more = f" and {len(idle) - shown} more" if len(idle) > shown else ""
    return [
        f"{file}: {len(idle)} unit(s) of units.csv have no dossier in this file; their figures are left missing "
        f"(not 0%, not 'not applicable'): {', '.join(idle[:shown])}{more}"
    ]


def _first_rows(path: Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The row (spreadsheet numbering: header = row 1) of the first dossier whose ``column`` holds ``value``,
    for each wanted pair; one pass that stops when all are found. A Parquet file's rows count from 2 the same
    way (its first record is row 2), so a row number means the same in both kinds of file."""
    found: dict[tuple[str, str], int] = {}
    columns = sorted({c for c, _ in wanted})
    try:
        if path.suffix.lower() == ".parquet" and path.is_file():
            offset = 2
            for batch in pq.ParquetFile(path).iter_batches(columns=columns):
                frame = batch.to_pydict()
                for i in range(batch.num_rows):
                    for column in columns:
                        key = (column, str(frame[column][i]).strip())
                        if key in wanted and key not in found:
                            found[key] = offset + i
                if len(found) == len(wanted):
                    break
                offset += batch.num_rows
        elif path.suffix.lower() in (".csv", ".txt"):
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
                reader = csv.reader(handle)
                header = [h.strip() for h in next(reader, [])]
                index = {c: header.index(c) for c in columns if c in header}
                for number, record in enumerate(reader, start=2):
                    for column, at in index.items():
                        key = (column, record[at].strip() if at < len(record) else "")
                        if key in wanted and key not in found:
                            found[key] = number
                    if len(found) == len(wanted):
                        break
    except (OSError, ValueError, KeyError, pa.ArrowException, csv.Error):
        return found  # the rows are a help for the analyst, never a reason to fail
    return found


def _dossier_issues(file: str, aggregate: DossierAggregate, path: Path | None = None) -> list[Issue]:
    """Unknown handling units (with their dossier counts), then invalid dossiers per rule and unit; each with
    the row of its first (example) dossier in the file."""
    issues = []
    total = aggregate.n_unknown
    wanted = {("DonViXuLy", str(u)) for u in aggregate.unknown_units["unit_code"]}
    wanted |= {("MaHoSo", e.strip()) for e in aggregate.invalid["example"] if isinstance(e, str) and e.strip()}
    rows = _first_rows(path, wanted) if path is not None and wanted else {}
    for row in aggregate.unknown_units.itertuples(index=False):
        params = {"unit": row.unit_code, "dossiers": row.dossiers, "total": total}
        at = rows.get(("DonViXuLy", str(row.unit_code)))
        issues.append(Issue(file, None, at, "DonViXuLy", row.unit_code, "dossier_unknown_unit", params))
    for row in aggregate.invalid.itertuples(index=False):
        params = {
            "column": row.column,
            "codes": ", ".join(map(str, CODES.get(row.column, ()))),
            "dossiers": row.dossiers,
            "unit": row.unit_code or "—",
            "example": row.example if isinstance(row.example, str) and row.example.strip() else "—",
        }
        low, high = aggregate.date_bounds.get(row.column, (None, None))  # the range rule's days
        params.update(low=low, high=high)
        value = row.value if isinstance(row.value, str) else None
        at = rows.get(("MaHoSo", params["example"]))
        issues.append(Issue(file, None, at, row.column, value, f"dossier_{row.check}", params))
    return issues


def _dossier_records(observations: pd.DataFrame, file: str) -> list[dict[str, Any]]:
    """Aggregated observations as the records the unit-level reader produces (for the conflict check): no
    printed value, an empty note where the rate exists."""
    records = []
    for row in observations.astype(object).to_dict("records"):
        record = {c: (None if row[c] is pd.NA else row[c]) for c in OBSERVATION_COLUMNS}
        record.update(printed="", note=record["note"] or "", source_section=file)
        records.append({**record, "_file": file, "_sheet": None, "_row": None, "_column": None})
    return records


def ingest_dossiers(
    path: str | os.PathLike[str],
    campaign: str | os.PathLike[str] | Campaign,
    period: str | None = None,
    *,
    replace: bool = False,
) -> IngestResult:
    """Count a dossier-level export (CSV or Parquet) into observations of ``campaign``: its units, its KPIs,
    and its periods — ``period``, or else every period the dossiers cover whole (see
    :func:`_uncovered_workdays`). Dossiers of a unit missing from units.csv and dossiers that break a rule are
    left out and returned as issues with their counts; the rest is counted, as a unit-level file's valid rows
    are kept. Raises :class:`~dvctt.errors.IngestError` when nothing can be counted."""
    path = Path(path)
    camp, sha, source_id, chosen = open_source(path, campaign, period)
    candidates = [chosen] if chosen else list(camp.definition.periods)
    try:
        aggregate = aggregate_dossiers(
            path,
            windows_from_definition(camp.definition, [p.id for p in candidates]),
            units=camp.units,
            kpis=[k for k in camp.definition.kpis if k in DOSSIER_KPIS],  # the others come from other files
            on_unknown="report",
            on_invalid="report",
            source_id=source_id,
            source_section=path.name,
        )
    except DataValidationError as exc:  # a missing column, an unreadable file: nothing can be counted
        raise IngestError(exc.problems) from exc
    if aggregate.n_dossiers == 0:
        raise fail(Issue(path.name, None, None, None, None, "empty_file", {}))
    issues = _dossier_issues(path.name, aggregate, path)
    if aggregate.n_counted == 0 or aggregate.received is None:  # else every unit would read "nothing received"
        raise fail(*issues)
    kept, notices = _dossier_periods(path.name, aggregate.received, candidates, explicit=chosen is not None)
    if not kept:
        raise fail(_no_period(path.name, aggregate.received, camp))
    ids = [p.id for p in kept]
    first, last = aggregate.received
    summary = (
        f"{path.name}: dossier-level file, {aggregate.n_dossiers} dossier(s) received {first} – {last}, "
        f"{aggregate.n_counted} counted; periods {', '.join(ids)}"
    )
    idle = _idle_units(aggregate.counts[aggregate.counts["period"].isin(ids)])
    notices = [summary, *notices, *_idle_notice(path.name, idle)]
    observations = aggregate.observations[
        aggregate.observations["period"].isin(ids) & ~aggregate.observations["unit_code"].isin(idle)
    ]
    records = _dossier_records(observations, path.name)
    records, conflict_issues = _conflicts(records, camp.observations, source_id, replace)
    return IngestResult(
        path,
        sha,
        source_id,
        _frame(records, OBSERVATION_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "rate": "Float64"}),
        _frame(
            [], TOTAL_COLUMNS, {"numerator": "Int64", "denominator": "Int64", "value": "Float64", "headline": "boolean"}
        ),
        tuple(issues + conflict_issues),
        tuple(notices),
        None,
        (path.name,),
        replace,
    )
