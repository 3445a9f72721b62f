"""The service index of Decision 766/QĐ-TTg as the national portal exports it: components, maxima, periods.

One definition used by the reader (checks against the maxima), the tidy table (``max_points``) and the report.
The maxima come from the decision as the portal shows it (``/work/shared/facts.md``, "The national service
index" and "The service index in practice"): transparency 18, progress and results 20, digitisation 22, online
service provision 22 shown as online services 12 + online payment 10, satisfaction 18; 100 in all.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dvctt.errors import ParameterError

#: Export column → max points, in the order the report shows them.
COMPONENT_MAX: dict[str, float] = {
    "CKMB": 18.0,  # Công khai, minh bạch — transparency
    "TDGQ": 20.0,  # Tiến độ, kết quả giải quyết — progress and results of dossier handling
    "MDSH": 22.0,  # Mức độ số hóa hồ sơ — digitisation
    "CLGQ": 12.0,  # Cung cấp dịch vụ trực tuyến — online services (the 12-point part of online provision)
    "TTTT": 10.0,  # Thanh toán trực tuyến — online payment (the 10-point part)
    "MDHL": 18.0,  # Mức độ hài lòng — satisfaction
}
COMPONENTS: tuple[str, ...] = tuple(COMPONENT_MAX)
TOTAL_MAX = 100.0
SUM_TOLERANCE = 0.01  # the six components add up to TONG_SCORE to 0.01 (rounding of the portal)
MAX_POINTS_SOURCE = (
    "Quyết định 766/QĐ-TTg (23/6/2022), five groups of 100 points as the national portal shows them: CKMB 18, "
    "TDGQ 20, MDSH 22, online provision 22 = CLGQ (online services) 12 + TTTT (online payment) 10, MDHL 18 "
    "(dvctt facts.md, 'The national service index'); TTTT is the payment part by its name (thanh toán trực "
    "tuyến) and reaches exactly 10 in the portal's 2025 export"
)

#: The columns of the portal's export, all required; no other column is accepted.
EXPORT_COLUMNS: tuple[str, ...] = (
    "ID",
    "TEN",
    "TEN_COQUAN",
    "MA_COQUAN",
    "LOAI_COQUAN",
    "CAPDONVIID",
    "ID_COQUAN",
    *COMPONENTS,
    "TONG_SCORE",
    "ROW_STT",
)
LEVELS: tuple[str, ...] = ("province", "agency", "commune")
PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "ytd")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[qQ]([1-4])$")
_YTD = re.compile(r"^(\d{4})-ytd(?:-(\d{2}))?$", re.IGNORECASE)


@dataclass(frozen=True)
class IndexPeriod:
    """One scoring period: ``2025-10`` (a month), ``2025-q3`` (a quarter), ``2025-ytd-10`` (the year to the end
    of October) or ``2025-ytd`` (year to date, as-of date unknown). Scores are only compared within a year:
    the portal re-bases its scale between years (2026)."""

    id: str
    kind: str
    year: int
    order: int  # month number, quarter number, or the month a year-to-date score runs to (0 if unknown)
    as_of: date | None

    @property
    def as_of_text(self) -> str:
        return self.as_of.isoformat() if self.as_of else ""


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str, as_of: date | None = None) -> IndexPeriod:
    """The period ``text`` names; ``as_of`` (the date the portal computed the scores) must lie inside it.

    Without ``as_of``, a month or quarter is as of its last day and ``YYYY-ytd-MM`` as of the end of month MM;
    ``YYYY-ytd`` stays without a date (the export does not say it) and is written that way.
    """
    raw = text.strip()
    if match := _MONTH.match(raw):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ParameterError(f"Period {text!r}: month {month} does not exist.")
        start, end = date(year, month, 1), _end_of_month(year, month)
        period = IndexPeriod(f"{year}-{month:02d}", "month", year, month, as_of or end)
    elif match := _QUARTER.match(raw):
        year, quarter = int(match.group(1)), int(match.group(2))
        start, end = date(year, 3 * quarter - 2, 1), _end_of_month(year, 3 * quarter)
        period = IndexPeriod(f"{year}-q{quarter}", "quarter", year, quarter, as_of or end)
    elif match := _YTD.match(raw):
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else (as_of.month if as_of else 0)
        if month and not 1 <= month <= 12:
            raise ParameterError(f"Period {text!r}: month {month} does not exist.")
        start = date(year, 1, 1)
        end = _end_of_month(year, month) if month else date(year, 12, 31)
        pid = f"{year}-ytd-{month:02d}" if month else f"{year}-ytd"
        period = IndexPeriod(pid, "ytd", year, month, as_of or (end if month else None))
    else:
        raise ParameterError(
            f"Period {text!r} is not one of YYYY-MM (a month, 2025-10), YYYY-qN (a quarter, 2025-q3), YYYY-ytd-MM "
            "(year to date to the end of a month, 2025-ytd-10) or YYYY-ytd (year to date, date unknown)."
        )
    if as_of is not None and not start <= as_of <= end:
        raise ParameterError(f"As-of date {as_of.isoformat()} lies outside period {period.id} ({start} – {end}).")
    return period


def period_sort_key(period_id: str) -> tuple[int, int, int]:
    """Chronological order within a kind: year, then month/quarter number (ytd without a month first)."""
    period = parse_period(period_id)
    return period.year, PERIOD_KINDS.index(period.kind), period.order
