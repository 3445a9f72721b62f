"""Dossier timestamps as Vietnam wall-clock time, and the range of dates a dossier can plausibly carry.

A dossier is counted on the day it was received (or finished) *in Vietnam*: ``2023-03-12T23:30:00Z`` is Monday
13/03 at 06:30 in Vietnam, in week 2023-W11, not Sunday 12/03. So a timestamp with an offset (``Z``, ``+07:00``,
``-05:00``, ``+0700``) or a zone name is converted to Vietnam time (UTC+07:00, without daylight saving since
1975) before it is given a day; a timestamp without an offset, a plain date, or a Parquet ``TIMESTAMP`` without
zone is already Vietnam time (the portal's exports write local time; docs/data-model.md). A Parquet or DataFrame
``TIMESTAMP WITH TIME ZONE`` is an instant and is converted likewise.

The conversion is plain arithmetic on the instant (microseconds since the epoch plus seven hours), so it never
depends on the time zone of the machine or of the DuckDB session.

Dates far outside what an export can hold (before :data:`EARLIEST`; received or finished after the export's
date; due more than :data:`DUE_MARGIN` after it) are a typing or system error (a dossier dated 2203 or 9999):
such a dossier breaks the ``range`` rule like any other rule, is counted in the message, and its dates never
extend what the file is said to cover.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: Vietnam's offset from UTC (ICT, no daylight saving since 1975).
VIETNAM = timezone(timedelta(hours=7), "ICT")
_VIETNAM_MICROSECONDS = 7 * 3600 * 1_000_000
#: No online public service dossier predates this day: an earlier date is a typing or system error.
EARLIEST = date(2000, 1, 1)
#: How far after the export's date a due date (NgayHenTra) may lie: a dossier received on the export's day may
#: be due weeks or months later, never years.
DUE_MARGIN = timedelta(days=366)
#: A time of day followed by a zone: an offset (+07:00, -05, +0700), Z, or a name (UTC, Asia/Ho_Chi_Minh).
_HAS_ZONE = r"\d:\d\d[0-9:.,\s]*[A-Za-z+\-]"


def vietnam_today() -> date:
    """Today's date in Vietnam: the default export date (no dossier can be received after the export)."""
    return datetime.now(VIETNAM).date()


def vietnam_time(name: str, kind: str) -> str:
    """A SQL expression (DuckDB) giving column ``name`` of DuckDB type ``kind`` as a TIMESTAMP of Vietnam
    wall-clock time, NULL when the value is not a date. Text is trimmed; empty text is NULL."""
    if kind in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return f"make_timestamp(epoch_us({name}) + {_VIETNAM_MICROSECONDS})"
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return f"CAST({name} AS TIMESTAMP)"
    if kind != "VARCHAR":
        return "CAST(NULL AS TIMESTAMP)"  # any other type is not a date: every row is reported
    text = f"NULLIF(TRIM({name}), '')"
    # DuckDB's TIMESTAMP cast drops an offset without applying it: text with a zone is read as an instant
    # (TIMESTAMPTZ applies the offset) and moved to Vietnam time; text without one is Vietnam time as written.
    instant = f"make_timestamp(epoch_us(TRY_CAST({text} AS TIMESTAMPTZ)) + {_VIETNAM_MICROSECONDS})"
    return f"CASE WHEN regexp_matches({text}, '{_HAS_ZONE}') THEN {instant} ELSE TRY_CAST({text} AS TIMESTAMP) END"


def date_bounds(exported: date) -> dict[str, tuple[date, date]]:
    """Per date column, the first and last day a dossier of an export made on ``exported`` can carry."""
    return {
        "NgayTiepNhan": (EARLIEST, exported),
        "NgayKetThucXuLy": (EARLIEST, exported),
        "NgayHenTra": (EARLIEST, exported + DUE_MARGIN),
    }


def within(day_expr: str, bounds: tuple[date, date]) -> str:
    """SQL condition: the DATE ``day_expr`` lies within ``bounds`` (NULL when the day is NULL)."""
    first, last = bounds
    return f"({day_expr} BETWEEN DATE '{first.isoformat()}' AND DATE '{last.isoformat()}')"
