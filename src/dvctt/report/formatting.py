"""Numbers as people read them: Vietnamese conventions in Vietnamese reports (92,79%; 42.839).

Machine-readable tables keep full precision; only what is shown to people goes through here.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from dvctt.labels import t
from dvctt.missing import is_missing

_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # (decimal, thousands)


def _swap(text: str, lang: str) -> str:
    decimal, thousands = _SEPARATORS[lang]
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def fmt_number(value: Any, lang: str = "vi", decimals: int = 0) -> str:
    """42839 -> '42.839' (vi) or '42,839' (en)."""
    if is_missing(value):
        return t("value.missing", lang)
    return _swap(f"{float(value):,.{decimals}f}", lang)


def fmt_rate(value: Any, lang: str = "vi", decimals: int = 2) -> str:
    """92.79 -> '92,79%' (vi) or '92.79%' (en); missing -> '—'."""
    if is_missing(value):
        return t("value.missing", lang)
    return fmt_number(value, lang, decimals) + "%"


def fmt_pp(value: Any, lang: str = "vi", decimals: int = 2) -> str:
    """Signed percentage points: +40,56 (vi) or +40.56 (en)."""
    if is_missing(value):
        return t("value.missing", lang)
    number = float(value)
    if math.isclose(number, 0.0, abs_tol=0.5 * 10**-decimals):
        number = 0.0
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    return sign + fmt_number(abs(number), lang, decimals)


def fmt_met(value: Any, lang: str = "vi") -> str:
    if is_missing(value):
        return t("met.na", lang)
    return t("met.true" if bool(value) else "met.false", lang)


def fmt_status_rate(value: Any, status: str | None, lang: str = "vi", decimals: int = 2) -> str:
    """A rate shown with its status: n/a is not 0% and missing is neither."""
    if status == "not_applicable":
        return t("value.not_applicable", lang)
    if status == "missing" or is_missing(value):
        return t("value.missing", lang)
    return fmt_rate(value, lang, decimals)


def fmt_date(value: Any, lang: str = "vi") -> str:
    """'2023-02-28' -> '28/02/2023' (vi) or '28 Feb 2023' (en); anything else unchanged."""
    import datetime as dt

    if is_missing(value):
        return t("value.missing", lang)
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.strftime("%-d %b %Y")


SIGNIFICANT_DIGITS = 10


def round_significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """29.140000000000008 -> 29.14: binary noise removed, real precision kept (10 significant digits, far more
    than any source prints; never rounded to display precision)."""
    if not math.isfinite(value) or value == 0:
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def without_float_noise(frame: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """A copy of ``frame`` with every float column rounded to ``digits`` significant digits (for CSV files)."""
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    return frame.assign(**{c: frame[c].map(lambda v: v if pd.isna(v) else round_significant(float(v), digits))
                           for c in floats})  # fmt: skip


def worsened(kpi: str, result: Any, baseline: Any) -> bool:
    """Whether a unit's figure moved the wrong way since the baseline: fell, or rose for a KPI where lower is
    better (pending dossiers overdue). False when either figure is missing."""
    from dvctt.campaign.vocabulary import LOWER_IS_BETTER

    if is_missing(result) or is_missing(baseline):
        return False
    return float(result) > float(baseline) if kpi in LOWER_IS_BETTER else float(result) < float(baseline)
