"""Text cells that are safe to open in Excel or LibreOffice: no formula ever starts in a cell dvctt writes.

A unit name such as ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` copied from a statistics file would be
a live formula in the report workbook and in every CSV opened by a spreadsheet (CSV injection). The OWASP rule:
a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe,
which spreadsheets show as text. Numbers stay numbers, and so does text that only spells a number ("-5",
"-12,5%") or a lone dash (the "not reported" marker), which no spreadsheet reads as a formula.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NEGATIVE = re.compile(r"^-(\d[\d.,\s]*([eE][-+]?\d+)?%?)?$")  # "-", "-5", "-12,5%": a number or the dash marker


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NEGATIVE.match(text)


def safe_text(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is formula-like text; any other value unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A new frame whose text cells (and text column names) are safe; numeric columns are not touched."""
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c].dtype)]
    changed = {c: frame[c].map(safe_text) for c in text_columns}
    safe = frame.assign(**changed) if changed else frame.copy()
    return safe.rename(columns=lambda c: safe_text(c) if isinstance(c, str) else c)
