"""Missing values, one rule for every layer: None, NaN and pandas' NA are missing; 0 and "not applicable" are not."""

from __future__ import annotations

from typing import Any

import pandas as pd


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA: the three ways a missing number arrives."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
