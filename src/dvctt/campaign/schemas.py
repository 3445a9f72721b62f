"""Table schemas of a campaign folder (see docs/en/reference/data-model.md), checked with pandera.

Columns arrive as text and are parsed strictly before these run, so a schema never coerces a value silently.
"""

from __future__ import annotations

import sys
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from dvctt.campaign.levels import KNOWN_LEVELS as LEVELS
from dvctt.campaign.vocabulary import (  # the words live apart so campaign.toml is read without pandera
    CHANGE_UNITS,
    CODE_SOURCES,
    KPIS,
    MEASURES,
    SCOPES,
    SOURCE_KINDS,
    STATUSES,
)

_text = {"nullable": False}
_optional_text = {"nullable": True, "required": False}


def _count() -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=True)


def _rate(nullable: bool = True) -> pa.Column:
    return pa.Column("Float64", pa.Check.in_range(0, 100), nullable=nullable)


SOURCES = pa.DataFrameSchema(
    {
        "source_id": pa.Column(str, **_text, unique=True),
        "file": pa.Column(str, nullable=True),
        "title": pa.Column(str, **_text),
        "publisher": pa.Column(str, nullable=True),
        "published": pa.Column(str, nullable=True),
        "note": pa.Column(str, **_optional_text),
        "kind": pa.Column(str, pa.Check.isin(SOURCE_KINDS), nullable=True, required=False),
    },
    strict=False,
)

UNITS = pa.DataFrameSchema(
    {
        "unit_code": pa.Column(str, **_text, unique=True),
        "level": pa.Column(str, pa.Check.isin(LEVELS)),
        "parent_code": pa.Column(str, **_text),
        "official_name": pa.Column(str, **_text),
        "published_name": pa.Column(str, nullable=True),
        "code_source": pa.Column(str, pa.Check.isin(CODE_SOURCES)),
        "appendix_row": pa.Column("Int64", pa.Check.ge(1), nullable=True, required=False),
        "source_id": pa.Column(str, **_text),
        "source_section": pa.Column(str, nullable=True),
        "note": pa.Column(str, **_optional_text),
    },
    strict=False,
)

OBSERVATIONS = pa.DataFrameSchema(
    {
        "unit_code": pa.Column(str, **_text),
        "period": pa.Column(str, **_text),
        "kpi": pa.Column(str, pa.Check.isin(KPIS)),
        "numerator": _count(),
        "denominator": _count(),
        "rate": _rate(),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
        "printed": pa.Column(str, **_optional_text),
        "source_id": pa.Column(str, **_text),
        "source_section": pa.Column(str, nullable=True),
        "note": pa.Column(str, **_optional_text),
    },
    unique=["unit_code", "period", "kpi"],
    strict=False,
)

TARGETS = pa.DataFrameSchema(
    {
        "target_set": pa.Column(str, **_text),
        "level": pa.Column(str, pa.Check.isin(LEVELS)),
        "kpi": pa.Column(str, pa.Check.isin(KPIS)),
        "target": _rate(nullable=False),
        "source_id": pa.Column(str, **_text),
        "source_section": pa.Column(str, nullable=True),
        "note": pa.Column(str, **_optional_text),
    },
    unique=["target_set", "level", "kpi"],
    strict=False,
)

REPORTED_TOTALS = pa.DataFrameSchema(
    {
        "level": pa.Column(str, pa.Check.isin(SCOPES)),
        "unit_code": pa.Column(str, nullable=True),
        "period": pa.Column(str, **_text),
        "kpi": pa.Column(str, pa.Check.isin(KPIS)),
        "measure": pa.Column(str, pa.Check.isin(MEASURES)),
        "numerator": _count(),
        "denominator": _count(),
        "value": pa.Column("Float64", nullable=False),
        "printed": pa.Column(str, nullable=True),
        "headline": pa.Column("boolean", nullable=False),
        "source_id": pa.Column(str, **_text),
        "source_section": pa.Column(str, nullable=True),
        "note": pa.Column(str, **_optional_text),
        "change_unit": pa.Column(str, pa.Check.isin(CHANGE_UNITS), nullable=True, required=False),
        "compared_with": pa.Column(str, nullable=True, required=False),
        "compared_period": pa.Column(str, nullable=True, required=False),
    },
    strict=False,
)

# Which columns hold numbers (parsed strictly from text) and booleans, per table.
NUMERIC_COLUMNS: dict[str, dict[str, str]] = {
    "units": {"appendix_row": "Int64"},
    "observations": {"numerator": "Int64", "denominator": "Int64", "rate": "Float64"},
    "old_observations": {"numerator": "Int64", "denominator": "Int64", "rate": "Float64"},
    "targets": {"target": "Float64"},
    "reported_totals": {"numerator": "Int64", "denominator": "Int64", "value": "Float64"},
    "sources": {},
}
BOOLEAN_COLUMNS: dict[str, tuple[str, ...]] = {"reported_totals": ("headline",)}

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sources": SOURCES,
    "units": UNITS,
    "observations": OBSERVATIONS,
    "old_observations": OBSERVATIONS,  # the same columns; unit_code is a code of the 2023 code list
    "targets": TARGETS,
    "reported_totals": REPORTED_TOTALS,
}

# The column order of observations.csv and reported_totals.csv, as written by every producer (ingest, dossier
# aggregation, the Cà Mau build script): taken from the schemas so there is one definition.
OBSERVATION_COLUMNS: tuple[str, ...] = tuple(OBSERVATIONS.columns)
# Optional columns (the change statements' unit and reference) are written only by campaigns that use them.
REPORTED_TOTAL_COLUMNS: tuple[str, ...] = tuple(n for n, c in REPORTED_TOTALS.columns.items() if c.required)


@lru_cache(maxsize=1)
def checks_ready() -> None:
    """Have pandera register its built-in checks without importing hypothesis. pandera does it at the first
    validation and, when hypothesis is installed (dvctt's tests install it), imports it to offer data
    synthesis, which dvctt never uses: 0.2 s of every command that reads a campaign. Call before validating;
    hypothesis itself stays importable (only pandera's synthesis is left off in this process)."""
    if "hypothesis" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # None: "import hypothesis" fails
    try:
        pa.DataFrameSchema({"x": pa.Column(int, pa.Check.ge(0))}).validate(pd.DataFrame({"x": [1]}))
    finally:
        if "hypothesis" in sys.modules and sys.modules["hypothesis"] is None:
            del sys.modules["hypothesis"]
