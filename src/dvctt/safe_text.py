"""Text cells that are safe to open in Excel or LibreOffice: no formula ever starts in a cell dvctt writes.

A unit name such as ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` copied from a statistics file would be
a live formula in the report workbook and in every CSV opened by a spreadsheet (CSV injection). The OWASP rule:
a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe,
which spreadsheets show as text. Numbers stay numbers, and so does text that only spells a number ("-5",
"-12,5%") or a lone dash (the "not reported" marker), which no spreadsheet reads as a formula.

Text written one item per line (the chat message of an index report) is put on one line first (:func:`one_line`),
so a name copied from a data file can never add a line of its own.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 control characters (tab, CR, LF, NEL …) and the line and paragraph separators, with the spaces around.
_BREAKS = re.compile(r" *(?:[\x00-\x1f\x7f-\x9f\u2028\u2029] *)+")
_PLAIN_NEGATIVE = re.compile(r"^-(\d[\d.,\s]*([eE][-+]?\d+)?%?)?$")  # "-", "-5", "-12,5%": a number or the dash marker


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NEGATIVE.match(text)


def one_line(value: Any) -> str:
    """``value`` as text on one line: every run of line breaks and control characters becomes one space, and the
    ends are trimmed: a name "Xã A<line break>Tổng điểm 99,99/100" cannot forge a line of a message."""
    return _BREAKS.sub(" ", str(value)).strip()


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
