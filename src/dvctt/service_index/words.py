"""How the service-index report words its figures: period names, scores (2 decimals), signed changes, ranks.

Shared by the report sections and the chat message, so both say the same thing the same way.
"""

from __future__ import annotations

import calendar

from dvctt.labels import t, text
from dvctt.report.formatting import fmt_number
from dvctt.service_index.definition import parse_period

SCORE_DECIMALS = 2


def period_label(period_id: str, lang: str) -> str:
    """``2025-10`` → "Tháng 10/2025" / "October 2025"."""
    period = parse_period(period_id)
    month_name = calendar.month_name[period.order] if period.kind != "quarter" and period.order else ""
    month = month_name if lang == "en" else period.order
    key = "index.period.ytd_unknown" if period.kind == "ytd" and not period.order else f"index.period.{period.kind}"
    return text(key, lang, order=period.order, year=period.year, month=month)


def period_tick(period_id: str, lang: str) -> str:
    """A chart tick or a trend step: "T9" / "Sep", "Quý 3" / "Q3"."""
    period = parse_period(period_id)
    if period.kind == "quarter":
        return f"Quý {period.order}" if lang == "vi" else f"Q{period.order}"
    return f"T{period.order}" if lang == "vi" else calendar.month_abbr[period.order]


def score(value: object, lang: str) -> str:
    return fmt_number(value, lang, SCORE_DECIMALS)


def signed(value: object, lang: str) -> str:
    number = float(value)  # type: ignore[arg-type]
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    return sign + score(abs(number), lang)


def rank_change_text(change: object, lang: str) -> str:
    n = int(change)  # type: ignore[call-overload]
    if n == 0:
        return text("index.rank_same", lang)
    return text("index.rank_up" if n > 0 else "index.rank_down", lang, n=abs(n))


def component_label(component: str, lang: str) -> str:
    return t(f"index.component.{component}", lang)


def level_label(level: str, lang: str) -> str:
    return t(f"index.level.{level}", lang)
