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
    """``2025-10`` → "Tháng 10/2025"; a snapshot id names its day when the figure is not the closed period's:
    ``2026-ytd-10@2026-10-10`` → "Lũy kế đến ngày 10/10/2026" (never "đến hết tháng 10"), ``2026-10@2026-10-15``
    → "Tháng 10/2026, tạm tính đến 15/10/2026"; a closed month fetched later names the day it was fetched."""
    period = parse_period(period_id)
    month_name = calendar.month_name[period.order] if period.kind != "quarter" and period.order else ""
    month = month_name if lang == "en" else period.order
    key = "index.period.ytd_unknown" if period.kind == "ytd" and not period.order else f"index.period.{period.kind}"
    if period.as_of is None or period.as_of == period.end:
        return text(key, lang, order=period.order, year=period.year, month=month)
    day = period.as_of.strftime("%d/%m/%Y")
    if period.kind == "ytd" and not period.final:
        return text("index.period.ytd_as_of", lang, date=day, year=period.year)
    label = text(key, lang, order=period.order, year=period.year, month=month)
    key = "index.period.fetched" if period.final else "index.period.provisional"
    return text(key, lang, period=label, date=day)


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
