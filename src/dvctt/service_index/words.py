"""How the service-index report words its figures: period names, scores (2 decimals), signed changes, ranks,
band rules, and unit names as people write them.

Shared by the report sections and the chat message, so both say the same thing the same way.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

from dvctt.labels import t, text
from dvctt.report.formatting import fmt_number
from dvctt.safe_text import one_line
from dvctt.service_index.definition import parse_period

SCORE_DECIMALS = 2
_COUNCIL = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_KINDS = re.compile(r"^(xã|phường|đặc khu|thị trấn|tỉnh|thành phố)\b", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+[-–]\s+(?:tỉnh|thành phố|tp\.?)\s+[^-–]+$", re.IGNORECASE)


def plain_name(name: object, province: str = "") -> str:
    """ "UBND Xã An Minh - tỉnh An Giang" → "xã An Minh": the name as people write it in a chat, NFC-normalised.

    ``province`` (bare, "An Giang") also removes the short suffix " - An Giang"; the long one (" - tỉnh ...")
    goes without it. A name that is the unit's own ("Thanh tra tỉnh An Giang") is kept.
    """
    plain = _COUNCIL.sub("", unicodedata.normalize("NFC", one_line(name)))
    if province:
        plain = re.sub(rf"\s+[-–]\s+(?:(?:tỉnh|thành phố)\s+)?{re.escape(province)}$", "", plain, flags=re.IGNORECASE)
    plain = _SUFFIX.sub("", plain)
    return _KINDS.sub(lambda m: m.group(1).lower(), plain).strip()


def province_of(name: object) -> str:
    """ "UBND tỉnh An Giang" → "An Giang"."""
    return re.sub(r"^(?:tỉnh|thành phố)\s+", "", plain_name(name), flags=re.IGNORECASE)


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


def band_rules(thresholds: tuple[float, float], lang: str) -> dict[str, str]:
    """Each band's rule in words; the bands of a re-based year (item 5) replace ``thresholds`` here."""
    low, high = (fmt_number(x, lang) for x in thresholds)
    return {"urgent": text("index.message.under", lang, low=low),
            "attention": text("index.message.between", lang, low=low, high=high),
            "ok": text("index.message.from", lang, high=high)}  # fmt: skip
