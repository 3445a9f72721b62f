"""``form_counts.csv``: the counts of the statistics form "tình hình, kết quả giải quyết TTHC", kept as printed.

The KPIs derived from the form go to observations.csv like any other; this optional table keeps the counts
they come from — above all the dossiers carried over from the previous period, which belong in no rate's
denominator — and the per-field (lĩnh vực) breakdown of a unit that the unit report shows. One row per unit ×
period × field (``field`` empty for the unit's own row). Absent in a campaign that never ingested such a form.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from dvctt.campaign.schemas import checks_ready
from dvctt.errors import DataValidationError, Problem

FILE = "form_counts.csv"
#: The counts, in the form's column order: (3) received, (4) carried over, (5) new online, (6) new in person or
#: by post (split into in person and postal on some forms), synced to the national portal, (7) finished,
#: (8) early, (9) on time, (10) late, (11) pending, (12) within time, (13) overdue.
COUNTS: tuple[str, ...] = (
    "received",
    "carried_over",
    "new_online",
    "new_offline",
    "new_in_person",
    "new_postal",
    "synced",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "pending",
    "pending_in_time",
    "pending_overdue",
)
COLUMNS: tuple[str, ...] = ("unit_code", "period", "field", *COUNTS, "source_id", "source_section")
TYPES: dict[str, str] = dict.fromkeys(COUNTS, "Int64")

SCHEMA = pa.DataFrameSchema(
    {
        "unit_code": pa.Column(str, nullable=False),
        "period": pa.Column(str, nullable=False),
        "field": pa.Column(str, nullable=True),
        **{c: pa.Column("Int64", pa.Check.ge(0), nullable=True) for c in COUNTS},
        "source_id": pa.Column(str, nullable=False),
        "source_section": pa.Column(str, nullable=True),
    },
    unique=["unit_code", "period", "field"],
    strict=False,
)


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=TYPES.get(c, "str")) for c in COLUMNS})


def read_form_counts(folder: Path, unit_codes: set[str], periods: set[str]) -> pd.DataFrame:
    """The folder's form counts (an empty table when it has none), parsed strictly and checked."""
    path = folder / FILE
    if not path.is_file():
        return empty()
    text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems = [Problem(FILE, 1, c, None, "required column is missing") for c in COLUMNS if c not in text]
    if problems:
        raise DataValidationError(problems)
    converted = {}
    for column in COUNTS:
        values = text[column]
        bad = values.ne("") & ~values.str.fullmatch(r"\d+")
        problems += [Problem(FILE, i + 2, column, v, "must be a whole number >= 0") for i, v in values[bad].items()]
        converted[column] = pd.to_numeric(values.where(values.ne("") & ~bad)).astype("Int64")
    frame = text.assign(**converted, field=text["field"].replace("", pd.NA))
    problems += [Problem(FILE, i + 2, "unit_code", v, "unknown unit_code (not in units.csv)")
                 for i, v in frame["unit_code"].items() if v not in unit_codes]  # fmt: skip
    problems += [Problem(FILE, i + 2, "period", v, "period not in campaign.toml")
                 for i, v in frame["period"].items() if v not in periods]  # fmt: skip
    if not problems:
        checks_ready()
        try:
            SCHEMA.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += [Problem(FILE, None, c.column, c.failure_case, str(c.check))
                         for c in exc.failure_cases.itertuples(index=False)]  # fmt: skip
    if problems:
        raise DataValidationError(problems)
    return frame[list(COLUMNS)]
