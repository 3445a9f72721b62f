"""Small value helpers of the metrics: numbers without pd.NA, blank and boolean-ish cells, met flags, citations."""

from __future__ import annotations

import pandas as pd

from dvctt.missing import is_missing as is_na

__all__ = ["as_float", "is_blank", "is_true", "met_flag", "plural", "source_text"]


def as_float(values: pd.Series) -> pd.Series:
    """Nullable Int64/Float64 or text -> float64 with NaN, so arithmetic and plotting never meet pd.NA."""
    return pd.to_numeric(values, errors="coerce").astype("float64")


def is_blank(values: pd.Series) -> pd.Series:
    """True where a text cell is empty: NaN, None, pd.NA or only whitespace."""
    text = values.astype("string").str.strip()
    return (text.isna() | text.eq("")).fillna(True).astype(bool)


def is_true(values: pd.Series) -> pd.Series:
    """Boolean-ish column (bool, "boolean", or text 'true'/'1'/'yes') -> plain bool; <NA> counts as False."""
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    return values.astype("string").str.strip().str.lower().isin(["true", "1", "yes"]).fillna(False).astype(bool)


def source_text(source_id: object, section: object) -> str:
    """'plan48: Mục II.1' — the citation the report prints next to a figure."""
    parts = [str(p).strip() for p in (source_id, section) if not is_na(p) and str(p).strip()]
    return ": ".join(parts)


def met_flag(value: pd.Series, target: pd.Series) -> pd.Series:
    """value >= target as nullable boolean; <NA> when either side has no number."""
    value, target = as_float(value), as_float(target)
    return (value >= target).astype("boolean").mask(value.isna() | target.isna())


def plural(n: int, noun: str) -> str:
    """'1 unit', '3 units' — for the free-text source and note columns."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
