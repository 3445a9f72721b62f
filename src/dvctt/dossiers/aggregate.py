"""Dossier-level records (one row per dossier) -> unit × period × KPI observations with counts.

Why this module is long: the SQL, the calendar it joins and the checks it runs are one pipeline that
must agree column for column; they read best together.

Input is a dossier export with the national portal's field names (docs/en/how-to/dossier-export.md),
as CSV, Parquet or a DataFrame. DuckDB does the heavy lifting so ten million dossiers aggregate in seconds on
a laptop; the aggregation itself is one plain-SQL constant (:data:`AGGREGATE_SQL`) that Spark SQL or Trino
can run unchanged over the same three relations:

- ``dossiers``: the typed dossier rows;
- ``calendar(day DATE, period VARCHAR)``: which period(s) each day belongs to (a date dimension, built here,
  so no engine-specific week/quarter function is needed and custom windows work the same way);
- ``units(unit_code VARCHAR, unit_order INTEGER)``: the reporting units, so that a unit with no dossier in
  a period still gets a row (0/0) instead of silently disappearing.

KPI rules (shared/facts.md): every KPI except ``on_time`` counts dossiers by the day they were received
(NgayTiepNhan); ``on_time`` counts dossiers by the day they were finished (NgayKetThucXuLy), unfinished ones
excluded, on time when the finish date is on or before the appointment date (NgayHenTra), compared as dates.
A rate with a zero denominator does not exist: its row has status ``not_applicable`` and counts 0/0, never 0%.

Memory: DuckDB works within :data:`MEMORY_LIMIT` and spills what does not fit to a temporary folder of its own,
removed afterwards, so a year of a whole country's dossiers (100 million rows in a folder of Parquet files) is
checked and aggregated on one machine within 2 GB (benchmarks/README.md).

"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
import pyarrow as pa

from dvctt.campaign import schemas
from dvctt.campaign.definition import CampaignDefinition
from dvctt.dossiers.timestamps import date_bounds, vietnam_time, vietnam_today, within
from dvctt.errors import DataValidationError, ParameterError, Problem

# --------------------------------------------------------------------------------------------- contract

#: The dossier fields dvctt reads, in export order. ``CoPhiLePhi`` is dvctt's name for "the dossier's
#: procedure carries a fee or charge" (1) or not (0): the portal has fee lines, not one flag, so an export
#: derives it (1 when the procedure has at least one fee or charge line).
DOSSIER_COLUMNS: tuple[str, ...] = (
    "MaHoSo",
    "MaTTHC",
    "KenhThucHien",
    "DonViXuLy",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "HoSoCoThanhPhanSoHoa",
    "CoPhiLePhi",
    "DuocThanhToanTrucTuyen",
    "ToanTrinh",
)
#: Allowed codes per coded column (KenhThucHien: 1 in person, 2 online, 3 post; DuocThanhToanTrucTuyen: 0 not
#: paid online, 1 national portal, 2 ministry/province payment gateway).
CODES: dict[str, tuple[int, ...]] = {
    "KenhThucHien": (1, 2, 3),
    "HoSoCoThanhPhanSoHoa": (0, 1),
    "CoPhiLePhi": (0, 1),
    "DuocThanhToanTrucTuyen": (0, 1, 2),
    "ToanTrinh": (0, 1),
}
TEXT_COLUMNS = ("MaHoSo", "MaTTHC", "DonViXuLy")
REQUIRED_DATES = ("NgayTiepNhan", "NgayHenTra")
OPTIONAL_DATES = ("NgayKetThucXuLy",)  # empty = not finished yet
GRAINS = ("week", "month", "quarter", "year")
OBSERVATION_COLUMNS = list(schemas.OBSERVATION_COLUMNS)
COUNT_COLUMNS = [
    "received", "online", "digitized", "fee_bearing", "paid_online", "full_process", "finished", "finished_on_time",
]  # fmt: skip
#: KPI -> (numerator count, denominator count, why a zero denominator means "no rate").
KPI_COUNTS: dict[str, tuple[str, str, str]] = {
    "online": ("online", "received", "no dossiers received in the period"),
    "digitized": ("digitized", "received", "no dossiers received in the period"),
    "online_payment": ("paid_online", "fee_bearing", "no fee-bearing dossiers received in the period"),
    "on_time": ("finished_on_time", "finished", "no dossiers finished in the period"),
    "full_process": ("full_process", "received", "no dossiers received in the period"),
}
#: The KPIs a dossier export gives (overdue_pending comes from the statistics form only).
DOSSIER_KPIS: tuple[str, ...] = tuple(KPI_COUNTS)
OnUnknown = Literal["raise", "report"]
OnInvalid = Literal["raise", "report"]
#: One row per broken rule × handling unit when invalid dossiers are reported instead of raised. ``check`` is
#: the rule's kind (empty, code, date, optional_date, range, order, duplicate), ``rule`` its English wording.
INVALID_COLUMNS = ["column", "check", "rule", "unit_code", "dossiers", "example", "value"]

# ------------------------------------------------------------------------------------------------- SQL

#: The aggregation, in plain SQL (CAST, CASE, COALESCE, joins, GROUP BY): no engine-specific function.
#: The ``dossiers`` relation holds Vietnam wall-clock timestamps (offsets already applied, see
#: :mod:`dvctt.dossiers.timestamps`), so ``CAST(... AS DATE)`` is the dossier's day in Vietnam.
#: Paid online counts only fee-bearing dossiers, so the numerator can never exceed its denominator.
AGGREGATE_SQL = """
WITH received AS (
    SELECT
        d.DonViXuLy AS unit_code,
        c.period AS period,
        COUNT(*) AS received,
        SUM(CASE WHEN d.KenhThucHien = 2 THEN 1 ELSE 0 END) AS online,
        SUM(CASE WHEN d.HoSoCoThanhPhanSoHoa = 1 THEN 1 ELSE 0 END) AS digitized,
        SUM(CASE WHEN d.CoPhiLePhi = 1 THEN 1 ELSE 0 END) AS fee_bearing,
        SUM(CASE WHEN d.CoPhiLePhi = 1 AND d.DuocThanhToanTrucTuyen IN (1, 2) THEN 1 ELSE 0 END) AS paid_online,
        SUM(CASE WHEN d.KenhThucHien = 2 AND d.ToanTrinh = 1 THEN 1 ELSE 0 END) AS full_process
    FROM dossiers AS d
    JOIN calendar AS c ON c.day = CAST(d.NgayTiepNhan AS DATE)
    GROUP BY d.DonViXuLy, c.period
),
finished AS (
    SELECT
        d.DonViXuLy AS unit_code,
        c.period AS period,
        COUNT(*) AS finished,
        SUM(CASE WHEN CAST(d.NgayKetThucXuLy AS DATE) <= CAST(d.NgayHenTra AS DATE) THEN 1 ELSE 0 END)
            AS finished_on_time
    FROM dossiers AS d
    JOIN calendar AS c ON c.day = CAST(d.NgayKetThucXuLy AS DATE)
    GROUP BY d.DonViXuLy, c.period
),
periods AS (
    SELECT period, MIN(day) AS period_start FROM calendar GROUP BY period
)
SELECT
    u.unit_code,
    p.period,
    COALESCE(r.received, 0) AS received,
    COALESCE(r.online, 0) AS online,
    COALESCE(r.digitized, 0) AS digitized,
    COALESCE(r.fee_bearing, 0) AS fee_bearing,
    COALESCE(r.paid_online, 0) AS paid_online,
    COALESCE(r.full_process, 0) AS full_process,
    COALESCE(f.finished, 0) AS finished,
    COALESCE(f.finished_on_time, 0) AS finished_on_time
FROM units AS u
CROSS JOIN periods AS p
LEFT JOIN received AS r ON r.unit_code = u.unit_code AND r.period = p.period
LEFT JOIN finished AS f ON f.unit_code = u.unit_code AND f.period = p.period
ORDER BY p.period_start, p.period, u.unit_order
"""

#: MaHoSo uniqueness: the 64-bit hashes of the ids that occur more than once (then confirmed on the text of those
#: rows only, since hashes can collide and ids cannot). A GROUP BY rather than ``COUNT(DISTINCT ...)``: DuckDB
#: spills a grouped aggregate to disk when it outgrows the memory limit, while an ungrouped DISTINCT keeps every
#: id in memory (DuckDB 2.0: 4.6 GiB at 100 million ids; with a 300 MB limit it stops with "Out of Memory").
REPEATED_HASHES_SQL = 'SELECT hash("MaHoSo") AS h FROM raw GROUP BY 1 HAVING COUNT(*) > 1'
_SUSPECT = 'hash("MaHoSo") IN (SELECT h FROM repeated_hashes)'  # rows whose id hash is repeated

#: DuckDB's memory budget for one aggregation (its buffer manager: the process adds Python, pandas, pyarrow and
#: DuckDB's own allocations, about 0.3 GB). What does not fit spills to a temporary folder removed afterwards.
MEMORY_LIMIT = "1GB"

#: Dossiers whose handling unit is not among the reporting units (never dropped silently).
UNKNOWN_UNITS_SQL = """
SELECT d.DonViXuLy AS unit_code, COUNT(*) AS dossiers
FROM dossiers AS d
LEFT JOIN units AS u ON u.unit_code = d.DonViXuLy
WHERE u.unit_code IS NULL
GROUP BY d.DonViXuLy
ORDER BY dossiers DESC, unit_code
"""


# ---------------------------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Window:
    """A reporting period: an id (as in campaign.toml) and its first and last day, both included."""

    id: str
    start: date
    end: date


def period_id(day: date, grain: str) -> str:
    """'2023-W10' (ISO week), '2023-03', '2023-Q1' or '2023': the id of the period holding ``day``."""
    if grain == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if grain == "month":
        return f"{day.year}-{day.month:02d}"
    if grain == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if grain == "year":
        return str(day.year)
    raise ParameterError(f"Grain {grain!r} is not one of {', '.join(GRAINS)} (or pass windows).")


def _period_bounds(day: date, grain: str) -> tuple[date, date]:
    """First and last day of the period holding ``day``."""
    if grain == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if grain == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    months = 1 if grain == "month" else 3
    first_month = day.month if grain == "month" else (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    nxt = first_month + months
    after = date(day.year + 1, nxt - 12, 1) if nxt > 12 else date(day.year, nxt, 1)
    return start, after - timedelta(days=1)


def grain_windows(grain: str, start: date, end: date) -> list[Window]:
    """The whole periods of ``grain`` that overlap [start, end]: a grain always counts complete periods, so a
    week is never cut in two by where the data happens to start."""
    period_id(start, grain)  # validates the grain
    if end < start:
        raise ParameterError(f"end {end} is before start {start}.")
    windows: list[Window] = []
    day = start
    while day <= end:
        first, last = _period_bounds(day, grain)
        windows.append(Window(period_id(day, grain), first, last))
        day = last + timedelta(days=1)
    return windows


def calendar_table(windows: Sequence[Window]) -> pa.Table:
    """The ``calendar`` relation: one row per day × period holding it (windows may overlap)."""
    days: list[date] = []
    periods: list[str] = []
    for window in windows:
        n = (window.end - window.start).days + 1
        days += [window.start + timedelta(days=i) for i in range(n)]
        periods += [window.id] * n
    return pa.table({"day": pa.array(days, pa.date32()), "period": pa.array(periods, pa.string())})


# ------------------------------------------------------------------------------------------------ input

DossierSource = str | os.PathLike[str] | pd.DataFrame


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _bind_raw(con: duckdb.DuckDBPyConnection, source: DossierSource) -> str:
    """Expose the input as the view ``raw`` and return the file name used in error messages. CSV cells are
    read as text (nothing interpreted by guesswork); Parquet keeps its types."""
    if isinstance(source, pd.DataFrame):
        con.register("raw_frame", source)
        con.execute("CREATE VIEW raw AS SELECT * FROM raw_frame")
        return "dossiers (DataFrame)"
    path = Path(source)
    if not path.exists():
        raise DataValidationError([Problem(path.name, None, None, None, "dossier file not found")])
    suffix = path.suffix.lower()
    if suffix == ".parquet" or path.is_dir():
        reader = f"read_parquet({_quote(str(path / '**' / '*.parquet' if path.is_dir() else path))})"
    elif suffix in (".csv", ".txt"):
        reader = f"read_csv({_quote(str(path))}, header = true, all_varchar = true)"
    else:
        raise DataValidationError([Problem(path.name, None, None, None, "dossier file must be .csv or .parquet")])
    try:
        con.execute(f"CREATE VIEW raw AS SELECT * FROM {reader}")
    except duckdb.Error as exc:
        raise DataValidationError([Problem(path.name, None, None, None, f"not readable ({exc})")]) from exc
    return path.name


def _read(con: duckdb.DuckDBPyConnection, query: str, file: str) -> list[tuple]:
    """Run a query that reads the input; a file DuckDB cannot read (ragged CSV, broken Parquet) is a data error."""
    try:
        return con.execute(query).fetchall()
    except duckdb.OutOfMemoryException:
        raise  # not the file's fault: aggregate_dossiers names the memory limit
    except duckdb.Error as exc:
        raise DataValidationError([Problem(file, None, None, None, f"not readable ({exc})")]) from exc


_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


def _typed_expressions(types: dict[str, str]) -> dict[str, str]:
    """Per column, a SQL expression giving the typed value, or NULL when the raw value does not parse."""
    exprs: dict[str, str] = {}
    for column in DOSSIER_COLUMNS:
        kind, name = types[column], f'"{column}"'
        if column in TEXT_COLUMNS:
            exprs[column] = f"TRIM(CAST({name} AS VARCHAR))"
        elif column in CODES:
            if kind in _INTEGER_TYPES:
                exprs[column] = f"CAST({name} AS INTEGER)"
            else:  # text (CSV) must be exactly a whole number: '1.0' or 'yes' are not codes
                text = f"TRIM(CAST({name} AS VARCHAR))"
                allowed = ", ".join(_quote(str(c)) for c in CODES[column])
                exprs[column] = f"CASE WHEN {text} IN ({allowed}) THEN CAST({text} AS INTEGER) END"
        else:  # a date: Vietnam wall-clock time, an offset applied (dvctt.dossiers.timestamps)
            exprs[column] = vietnam_time(name, kind)
    return exprs


def _blank(text: str) -> str:
    """SQL condition: the text is NULL, empty or only spaces. Written as a range test (< '!') before TRIM so
    that DuckDB answers it from Parquet min/max statistics without reading the strings (0.02 s, not 0.4 s)."""
    return f"({text} IS NULL OR ({text} < '!' AND TRIM({text}) = ''))"


#: A rule: (column, kind, rule in English, SQL condition true for a bad row). The kind lets a caller word the
#: rule in another language (dvctt ingest writes rejects in Vietnamese and English).
Check = tuple[str, str, str, str]


def _checks(exprs: dict[str, str], types: dict[str, str], bounds: dict[str, tuple[date, date]]) -> list[Check]:
    """Every rule a dossier must follow (MaHoSo uniqueness apart: it spans rows); ``bounds`` gives each date
    column's plausible days (:func:`dvctt.dossiers.timestamps.date_bounds`)."""
    text = {c: f'"{c}"' if types[c] == "VARCHAR" else f'CAST("{c}" AS VARCHAR)' for c in TEXT_COLUMNS}
    checks = [(c, "empty", "must not be empty", _blank(text[c])) for c in TEXT_COLUMNS]
    for column, codes in CODES.items():
        rule = f"must be one of {', '.join(map(str, codes))}"
        bad = f"{exprs[column]} IS NULL OR {exprs[column]} NOT IN ({', '.join(map(str, codes))})"
        checks.append((column, "code", rule, bad))
    for column in REQUIRED_DATES:
        rule = "must be a date (YYYY-MM-DD, optionally with a time)"
        checks.append((column, "date", rule, f"{exprs[column]} IS NULL"))
    for column in OPTIONAL_DATES:
        if types[column] == "VARCHAR":  # typed dates need no parsing check, and casting them to text is slow
            given = "NOT " + _blank(f'"{column}"')
            rule = "must be empty or a date (YYYY-MM-DD, optionally with a time)"
            checks.append((column, "optional_date", rule, f"{given} AND {exprs[column]} IS NULL"))
    for column, (first, last) in bounds.items():  # NULL (no date, or not a date) is the rules' above
        rule = f"must lie between {first} and {last} (a date outside is a typing or system error)"
        checks.append((column, "range", rule, f"NOT {within(f'CAST({exprs[column]} AS DATE)', (first, last))}"))
    finish, received = exprs["NgayKetThucXuLy"], exprs["NgayTiepNhan"]
    checks.append(("NgayKetThucXuLy", "order", "must not be before NgayTiepNhan", f"{finish} < {received}"))
    return checks


def _empty_invalid() -> pd.DataFrame:
    return pd.DataFrame(columns=INVALID_COLUMNS).astype({"dossiers": "int64"})


@dataclass(frozen=True)
class _Checked:
    """What validation learnt on its way: typed expressions, number of dossiers, first and last day seen
    (received or finished), last day received; and, when invalid dossiers are reported rather than raised,
    the SQL condition that picks them out, how many they are and the rules they break."""

    exprs: dict[str, str]
    n_dossiers: int
    first_day: date | None
    last_day: date | None
    last_received: date | None
    exclude: str | None = None
    n_invalid: int = 0
    invalid: pd.DataFrame = field(default_factory=_empty_invalid)


def _validate(
    con: duckdb.DuckDBPyConnection, file: str, bounds: dict[str, tuple[date, date]], on_invalid: OnInvalid = "raise"
) -> _Checked:
    """Check the columns, then every value: one scan counts the breaches of every rule (and finds the date
    range, from plausible dates only: a dossier dated 2203 never extends what the file covers), a second one
    MaHoSo uniqueness (:data:`REPEATED_HASHES_SQL`, confirmed on the text before reporting); only when a rule is
    broken another query fetches an example.
    Raises listing every broken rule with its count; with ``on_invalid="report"`` returns them instead (per
    rule and handling unit) with the condition that leaves the invalid dossiers out of the counts."""
    types = {name: str(kind).upper() for name, kind, *_ in _read(con, "DESCRIBE SELECT * FROM raw", file)}
    missing = [c for c in DOSSIER_COLUMNS if c not in types]
    if missing:
        raise DataValidationError([Problem(file, 1, c, None, "required column is missing") for c in missing])
    exprs = _typed_expressions(types)
    checks = _checks(exprs, types, bounds)
    counts = [f"SUM(CASE WHEN {bad} THEN 1 ELSE 0 END)" for *_, bad in checks]
    received, finished = (_plausible_day(exprs[c], bounds[c]) for c in ("NgayTiepNhan", "NgayKetThucXuLy"))
    days = f"MIN({received}), MAX({received}), MAX({finished})"
    row = _read(con, f"SELECT COUNT(*), {days}, {', '.join(counts)} FROM raw", file)[0]
    total, first, last_received, last_finished = int(row[0]), row[1], row[2], row[3]
    breaches = row[4:]
    last = max((d for d in (last_received, last_finished) if d is not None), default=None)
    broken = [(check, int(n)) for check, n in zip(checks, breaches, strict=True) if n]
    if on_invalid == "report":
        checked = _Checked(exprs, total, first, last, last_received)
        return _reported(con, checked, [c for c, _ in broken], _repeated_ids(con, file))
    problems = []
    for (column, _, rule, bad), n in broken:
        query = f'SELECT CAST("{column}" AS VARCHAR), CAST("MaHoSo" AS VARCHAR) FROM raw WHERE {bad} ORDER BY 2'
        value, example = con.execute(query + " LIMIT 1").fetchall()[0]
        problems.append(Problem(file, None, column, value, f"{rule} ({n} dossier(s), e.g. MaHoSo {example})"))
    if not problems:  # uniqueness last: its scan is the costliest, and other breaches already stop the run
        problems = _duplicates(con, file, _repeated_ids(con, file))
    if problems:
        raise DataValidationError(problems)
    return _Checked(exprs, total, first, last, last_received)


def _plausible_day(expr: str, bounds: tuple[date, date]) -> str:
    """SQL: the timestamp's day when it lies within ``bounds``, else NULL (left out of MIN and MAX)."""
    day = f"CAST({expr} AS DATE)"
    return f"CASE WHEN {within(day, bounds)} THEN {day} END"


def _repeated_ids(con: duckdb.DuckDBPyConnection, file: str) -> int:
    """How many MaHoSo hashes occur more than once (0: every id is unique); keeps them as ``repeated_hashes``."""
    _read(con, f"CREATE OR REPLACE TEMP TABLE repeated_hashes AS {REPEATED_HASHES_SQL}", file)
    return int(con.execute("SELECT COUNT(*) FROM repeated_hashes").fetchall()[0][0])


def _reported(con: duckdb.DuckDBPyConnection, checked: _Checked, broken: list[Check], repeated_ids: int) -> _Checked:
    """``checked`` with the broken rules (MaHoSo uniqueness included) turned into an exclusion condition, the
    number of dossiers it leaves out, and the rules per handling unit."""
    duplicate = _duplicate_check(con, repeated_ids)
    broken = broken + ([duplicate] if duplicate else [])
    if not broken:
        return checked
    exclude = " OR ".join(f"COALESCE({bad}, FALSE)" for *_, bad in broken)  # NULL (e.g. no finish date) is not bad
    n_invalid = int(con.execute(f"SELECT COUNT(*) FROM raw WHERE {exclude}").fetchall()[0][0])
    invalid = pd.concat([_invalid_by_unit(con, check) for check in broken], ignore_index=True)
    return replace(checked, exclude=exclude, n_invalid=n_invalid, invalid=invalid)


def _duplicate_check(con: duckdb.DuckDBPyConnection, repeated_ids: int) -> Check | None:
    """MaHoSo uniqueness as a rule like the others, when it is broken: every copy of a repeated id is bad,
    since which copy is the right one is not ours to say. Blank ids are the "empty" rule's, not this one's."""
    if not repeated_ids:
        return None
    text = 'CAST("MaHoSo" AS VARCHAR)'
    repeated = f"SELECT {text} FROM raw WHERE {_SUSPECT} AND NOT {_blank(text)} GROUP BY 1 HAVING COUNT(*) > 1"
    if not con.execute(f"SELECT COUNT(*) FROM ({repeated})").fetchall()[0][0]:  # the hashes collided
        return None
    return ("MaHoSo", "duplicate", "must be unique: one row per dossier", f"{text} IN ({repeated})")


def _invalid_by_unit(con: duckdb.DuckDBPyConnection, check: Check) -> pd.DataFrame:
    """How many dossiers of each handling unit break one rule, with the first MaHoSo and its value: the unit
    tells the analyst whose figures are counted without them."""
    column, kind, rule, bad = check
    unit, key = "COALESCE(TRIM(CAST(\"DonViXuLy\" AS VARCHAR)), '')", 'CAST("MaHoSo" AS VARCHAR)'
    query = (
        f'SELECT {unit}, COUNT(*), MIN({key}), arg_min(CAST("{column}" AS VARCHAR), {key}) '
        f"FROM raw WHERE {bad} GROUP BY 1 ORDER BY 1"
    )
    rows = con.execute(query).fetchall()
    records = [(column, kind, rule, u, int(n), example, value) for u, n, example, value in rows]
    return pd.DataFrame(records, columns=INVALID_COLUMNS).astype({"dossiers": "int64"})


def _duplicates(con: duckdb.DuckDBPyConnection, file: str, repeated_ids: int) -> list[Problem]:
    """One row per dossier: a repeated MaHoSo (a re-synced dossier) would be counted twice. ``repeated_ids``
    counts repeated hashes of the ids; they are confirmed on the text (hashes can collide, ids cannot)."""
    if not repeated_ids:
        return []
    query = f'SELECT "MaHoSo", COUNT(*) FROM raw WHERE {_SUSPECT} GROUP BY 1 HAVING COUNT(*) > 1 ORDER BY 2 DESC, 1'
    repeated = con.execute(query).fetchall()
    if not repeated:  # the hashes collided, the ids did not
        return []
    extra = sum(count - 1 for _, count in repeated)
    value, count = repeated[0]
    rule = f"must be unique: one row per dossier ({extra} repeated row(s); this one {count} times)"
    return [Problem(file, None, "MaHoSo", value, rule)]


def _bind_dossiers(con: duckdb.DuckDBPyConnection, exprs: dict[str, str], exclude: str | None = None) -> None:
    select = ", ".join(f"{expr} AS {column}" for column, expr in exprs.items())
    where = f" WHERE NOT ({exclude})" if exclude else ""
    con.execute(f"CREATE VIEW dossiers AS SELECT {select} FROM raw{where}")


@contextmanager
def _connect(
    threads: int | None, memory_limit: str | None, temp_directory: str | os.PathLike[str] | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that keeps to ``memory_limit`` and spills into a fresh folder inside ``temp_directory``
    (the system's temporary folder by default; never the working directory), removed with everything in it on
    the way out. Insertion order is not preserved: every query that returns rows says its ORDER BY."""
    try:
        spill = tempfile.TemporaryDirectory(prefix="dvctt-duckdb-", dir=temp_directory)
    except OSError as exc:
        raise ParameterError(f"temp_directory {temp_directory} cannot hold a temporary folder ({exc}).") from exc
    with spill as folder:
        config: dict[str, str | int | bool] = {"temp_directory": folder, "preserve_insertion_order": False}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = int(threads)
        try:
            con = duckdb.connect(config=config)
        except duckdb.Error as exc:
            raise ParameterError(f"DuckDB settings not accepted ({exc}).") from exc
        try:
            yield con
        finally:
            con.close()


def _unit_codes(units: pd.DataFrame | Sequence[str] | None, con: duckdb.DuckDBPyConnection) -> list[str]:
    if units is None:  # no reporting units given: every unit in the data is one
        rows = con.execute("SELECT DISTINCT DonViXuLy FROM dossiers ORDER BY 1").fetchall()
        return [r[0] for r in rows]
    codes = units["unit_code"] if isinstance(units, pd.DataFrame) else pd.Series(list(units))
    return [str(c) for c in codes]


# ------------------------------------------------------------------------------------------------ output


@dataclass(frozen=True)
class DossierAggregate:
    """What one aggregation gives: tidy observations, the wide counts they come from, the dossiers that
    could not be placed (handling unit not among the reporting units), the invalid dossiers left out (only
    with ``on_invalid="report"``: per rule and unit, a dossier breaking two rules is listed twice, counted once
    in ``n_invalid``) and the first and last day a dossier was received, which say what the data covers."""

    observations: pd.DataFrame
    counts: pd.DataFrame
    unknown_units: pd.DataFrame
    n_dossiers: int
    invalid: pd.DataFrame = field(default_factory=_empty_invalid)
    n_invalid: int = 0
    received: tuple[date, date] | None = None
    date_bounds: dict[str, tuple[date, date]] = field(default_factory=dict)  # the ``range`` rule's days

    @property
    def n_unknown(self) -> int:
        return int(self.unknown_units["dossiers"].sum())

    @property
    def n_counted(self) -> int:
        """Dossiers in the observations: all of them but the invalid ones and those of unknown units."""
        return self.n_dossiers - self.n_invalid - self.n_unknown


def observations_from_counts(
    counts: pd.DataFrame,
    kpis: Sequence[str] = DOSSIER_KPIS,
    *,
    source_id: str = "dossiers",
    source_section: str | None = None,
) -> pd.DataFrame:
    """Wide counts (unit × period) -> tidy observations in the observations.csv shape, ordered by period,
    unit, then KPI. A zero denominator gives ``not_applicable`` with 0/0 and a note, never a 0% rate."""
    parts = []
    for order, kpi in enumerate(kpis):
        if kpi not in KPI_COUNTS:
            raise ParameterError(f"KPI {kpi!r} cannot be computed from dossiers; use {', '.join(KPI_COUNTS)}.")
        num, den, why = KPI_COUNTS[kpi]
        numerator = counts[num].astype("int64")
        denominator = counts[den].astype("int64")
        applies = denominator > 0
        parts.append(
            pd.DataFrame(
                {
                    "unit_code": counts["unit_code"].astype("str"),
                    "period": counts["period"].astype("str"),
                    "kpi": kpi,
                    "numerator": numerator.astype("Int64"),
                    "denominator": denominator.astype("Int64"),
                    "rate": (numerator / denominator.where(applies) * 100).astype("Float64"),
                    "status": applies.map({True: "ok", False: "not_applicable"}),
                    "printed": pd.Series(pd.NA, index=counts.index, dtype="str"),
                    "source_id": source_id,
                    "source_section": pd.Series(source_section, index=counts.index, dtype="str"),
                    "note": pd.Series(pd.NA, index=counts.index, dtype="str").where(applies, why),
                    "_row": range(len(counts)),
                    "_kpi": order,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    frame = pd.concat(parts, ignore_index=True).sort_values(["_row", "_kpi"], kind="stable")
    return frame[OBSERVATION_COLUMNS].reset_index(drop=True)


def aggregate_dossiers(
    source: DossierSource,
    periods: str | Sequence[Window] = "week",
    *,
    units: pd.DataFrame | Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    kpis: Sequence[str] = DOSSIER_KPIS,
    on_unknown: OnUnknown = "raise",
    on_invalid: OnInvalid = "raise",
    source_id: str = "dossiers",
    source_section: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = MEMORY_LIMIT,
    temp_directory: str | os.PathLike[str] | None = None,
    exported: date | None = None,
) -> DossierAggregate:
    """Validate a dossier export and aggregate it to unit × period × KPI observations with counts.

    ``periods`` is a grain (week, month, quarter, year: whole periods covering ``start``–``end``, by default
    the data's first to last day) or a list of :class:`Window` (custom windows such as a campaign, may overlap).
    ``units`` (units.csv or a list of codes) fixes the reporting units; every unit gets a row for every period.
    Dossiers of a unit not in ``units`` are counted: ``on_unknown="raise"`` (default) stops with every unknown
    code and its dossier count, because a short units.csv would otherwise shrink the figures unnoticed;
    ``"report"`` leaves them out of the observations and returns them in ``unknown_units``. Likewise a dossier
    that breaks a rule stops the run (``on_invalid="raise"``, every broken rule listed) or, with ``"report"``,
    is left out of the counts and listed in ``invalid`` per rule and unit (a missing column still raises).
    ``memory_limit`` (DuckDB syntax, e.g. "1GB"; None: DuckDB's default of 80% of RAM) bounds DuckDB's memory;
    beyond it DuckDB spills to a temporary folder inside ``temp_directory``, removed afterwards.
    Timestamps with an offset are converted to Vietnam time before they are given a day; those without are
    Vietnam time. ``exported`` (default: today in Vietnam) is the export's date: a dossier received or
    finished after it, or dated before 2000, breaks the ``range`` rule (:mod:`dvctt.dossiers.timestamps`)."""
    for name, value in (("on_unknown", on_unknown), ("on_invalid", on_invalid)):
        if value not in ("raise", "report"):
            raise ParameterError(f"{name} must be 'raise' or 'report', not {value!r}.")
    span, handling = (start, end, date_bounds(exported or vietnam_today())), (on_unknown, on_invalid)
    with _connect(threads, memory_limit, temp_directory) as con:
        try:
            return _aggregate(con, source, periods, units, span, kpis, handling, source_id, source_section)
        except duckdb.OutOfMemoryException as exc:
            raise ParameterError(
                f"DuckDB needs more memory than memory_limit={memory_limit!r} allows even when spilling to disk;"
                " raise memory_limit or free disk space in the temporary folder."
            ) from exc


def _aggregate(
    con: duckdb.DuckDBPyConnection,
    source: DossierSource,
    periods: str | Sequence[Window],
    units: pd.DataFrame | Sequence[str] | None,
    bounds: tuple[date | None, date | None, dict[str, tuple[date, date]]],
    kpis: Sequence[str],
    handling: tuple[OnUnknown, OnInvalid],
    source_id: str,
    source_section: str | None,
) -> DossierAggregate:
    """:func:`aggregate_dossiers` on an open connection; ``bounds`` is (start, end, each date column's plausible
    days), ``handling`` (on_unknown, on_invalid)."""
    (start, end, days), (on_unknown, on_invalid) = bounds, handling
    file = _bind_raw(con, source)
    checked = _validate(con, file, days, on_invalid)
    _bind_dossiers(con, checked.exprs, checked.exclude)
    codes = _unit_codes(units, con)
    con.register("units", pa.table({"unit_code": codes, "unit_order": list(range(len(codes)))}))
    unknown = con.execute(UNKNOWN_UNITS_SQL).df()
    unknown = unknown.astype({"unit_code": "str", "dossiers": "int64"})
    if on_unknown == "raise" and len(unknown):
        raise DataValidationError(_unknown_problems(unknown, file))
    windows = _windows(periods, start, end, checked)
    con.register("calendar", calendar_table(windows))
    counts = con.execute(AGGREGATE_SQL).df()
    counts = counts.astype({"unit_code": "str", "period": "str", **dict.fromkeys(COUNT_COLUMNS, "int64")})
    observations = observations_from_counts(counts, kpis, source_id=source_id, source_section=source_section)
    received = (checked.first_day, checked.last_received) if checked.last_received is not None else None
    return DossierAggregate(
        observations, counts, unknown, checked.n_dossiers, checked.invalid, checked.n_invalid, received, days
    )


def _windows(periods: str | Sequence[Window], start: date | None, end: date | None, checked: _Checked) -> list[Window]:
    """Custom windows as given; a grain's whole periods from start (else the first day seen) to end (else the
    last day a dossier was received or finished)."""
    if not isinstance(periods, str):
        return list(periods)
    start, end = start or checked.first_day, end or checked.last_day
    if start is None or end is None:  # no dossiers and no bounds: no periods
        period_id(date(2000, 1, 1), periods)  # still reject an unknown grain
        return []
    return grain_windows(periods, start, end)


def _unknown_problems(unknown: pd.DataFrame, file: str) -> list[Problem]:
    total = int(unknown["dossiers"].sum())
    return [
        Problem(
            file,
            None,
            "DonViXuLy",
            row.unit_code,
            f"handling unit not in units.csv: {row.dossiers} dossier(s) ({total} in all) cannot be placed",
        )
        for row in unknown.itertuples(index=False)
    ]


def windows_from_definition(definition: CampaignDefinition, period_ids: Sequence[str] | None = None) -> list[Window]:
    """The campaign's periods (campaign.toml) as windows, so observations use exactly its period ids."""
    chosen = definition.periods if period_ids is None else [definition.period(p) for p in period_ids]
    return [Window(p.id, p.start, p.end) for p in chosen]
