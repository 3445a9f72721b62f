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
    """One scoring period and, with ``as_of``, one *snapshot* of it (the scores move daily; the as-of date is
    part of the identity: ``2026-ytd-10`` as of 2026-10-02 and as of 2026-10-10 are two snapshots, both kept).

    ``2025-10`` (a month), ``2025-q3`` (a quarter), ``2025-ytd-10`` (the year to date in October: to the end of
    October when final, else as of ``as_of``) or ``2025-ytd`` (year to date, as-of date unknown). A snapshot is
    *final* when its as-of date is on or after the period's end (a closed month fetched later is final too) or,
    for a month or quarter, when no date is known; else *provisional* ("tạm tính đến 15/10/2026"). Scores are
    only compared within a year: the portal re-bases its scale between years (:data:`SCALES`)."""

    id: str
    kind: str
    year: int
    order: int  # month number, quarter number, or the month a year-to-date score runs to (0 if unknown)
    as_of: date | None

    @property
    def as_of_text(self) -> str:
        return self.as_of.isoformat() if self.as_of else ""

    @property
    def end(self) -> date:
        """The period's last day (31 December for a year to date without a month)."""
        if self.kind == "quarter":
            return _end_of_month(self.year, 3 * self.order)
        return _end_of_month(self.year, self.order) if self.order else date(self.year, 12, 31)

    @property
    def final(self) -> bool:
        """The period's figure once closed: as of its end or later, or a month/quarter whose date is unknown."""
        if self.as_of is None:
            return self.kind != "ytd" or self.order > 0
        return self.as_of >= self.end

    @property
    def snapshot(self) -> str:
        """The snapshot id: ``2026-ytd-10@2026-10-10``; the bare period id when the as-of date is unknown."""
        return snapshot_id(self.id, self.as_of_text)


def snapshot_id(period: str, as_of: str) -> str:
    """``period@as_of`` (ISO date), or ``period`` when the as-of date is unknown (``""``)."""
    return f"{period}{SNAPSHOT_SEPARATOR}{as_of}" if as_of else period


SNAPSHOT_SEPARATOR = "@"
FILE_SEPARATOR = "_"  # in file and folder names (a safe name has no "@"): 2026-ytd-10_2026-10-10


def snapshot_file_id(snapshot: str) -> str:
    """The snapshot id as a file or folder name: ``2026-ytd-10@2026-10-10`` → ``2026-ytd-10_2026-10-10``."""
    return snapshot.replace(SNAPSHOT_SEPARATOR, FILE_SEPARATOR)


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _split_snapshot(text: str, as_of: date | None) -> tuple[str, date | None]:
    """``2026-ytd@2026-10-10`` → (``2026-ytd``, 2026-10-10); a snapshot id's date and ``as_of`` must agree. The
    file-name form ``2026-ytd_2026-10-10`` (:func:`snapshot_file_id`) reads the same."""
    separator = next((s for s in (SNAPSHOT_SEPARATOR, FILE_SEPARATOR) if s in text), None)
    if separator is None:
        return text, as_of
    period, _, day = text.partition(separator)
    try:
        stated = date.fromisoformat(day.strip())
    except ValueError as exc:
        raise ParameterError(f"Snapshot {text!r}: {day!r} is not a date YYYY-MM-DD.") from exc
    if as_of is not None and as_of != stated:
        raise ParameterError(f"Snapshot {text!r} is as of {stated}, not {as_of.isoformat()}.")
    return period, stated


def parse_period(text: str, as_of: date | None = None) -> IndexPeriod:
    """The period (or snapshot, ``PERIOD@YYYY-MM-DD``) ``text`` names, as of ``as_of`` (the day the portal
    computed the scores: on or after the period's start; after its end it is the closed period's figure).

    Without ``as_of``, a month or quarter is as of its last day (a closed period's export) and ``YYYY-ytd-MM``
    as of the end of month MM; ``YYYY-ytd`` stays without a date (the export does not say it). ``YYYY-ytd`` as
    of a day becomes ``YYYY-ytd-MM`` of that day's month (as of that day: never "to the end of" it).
    """
    raw, as_of = _split_snapshot(text.strip(), as_of)
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
        if match.group(2):
            month = int(match.group(2))
        elif as_of is not None:
            month = as_of.month if as_of.year == year else 12  # a year fetched after it ended is the whole year
        else:
            month = 0
        if month and not 1 <= month <= 12:
            raise ParameterError(f"Period {text!r}: month {month} does not exist.")
        start = date(year, month, 1) if match.group(2) else date(year, 1, 1)
        end = _end_of_month(year, month) if month else date(year, 12, 31)
        pid = f"{year}-ytd-{month:02d}" if month else f"{year}-ytd"
        period = IndexPeriod(pid, "ytd", year, month, as_of or (end if month else None))
    else:
        raise ParameterError(
            f"Period {text!r} is not one of YYYY-MM (a month, 2025-10), YYYY-qN (a quarter, 2025-q3), YYYY-ytd-MM "
            "(year to date in a month, 2025-ytd-10) or YYYY-ytd (year to date, date unknown), optionally followed "
            "by @YYYY-MM-DD (the snapshot of that day)."
        )
    if as_of is not None and as_of < start:
        raise ParameterError(f"As-of date {as_of.isoformat()} lies before period {period.id} ({start} – {end}).")
    return period


def period_sort_key(period_id: str) -> tuple[int, int, int]:
    """Chronological order within a kind: year, then month/quarter number (ytd without a month first)."""
    period = parse_period(period_id)
    return period.year, PERIOD_KINDS.index(period.kind), period.order


def snapshot_sort_key(snapshot: str) -> tuple[int, int, int, str]:
    """Chronological order of snapshots within a kind: year, month/quarter number, then as-of date."""
    period = parse_period(snapshot)
    return period.year, PERIOD_KINDS.index(period.kind), period.order, period.as_of_text


@dataclass(frozen=True)
class Scale:
    """How a year's totals are scaled: whether the portal re-based its scale that year, and the source."""

    year: int
    rebased: bool
    source: str


#: The portal's scale per year. 2025: the Decision 766 scoring the 2025 export was built on (provinces' year
#: to date 2025 between about 81 and 92). 2026: re-based (national average about 36 in January, about 56 by
#: September 2026; top province about 68) — shared/data/portal-2026/README.md ("Shape") and facts.md ("Scores
#: of one year are not comparable with another year's when the method changed").
SCALES: dict[int, Scale] = {
    2025: Scale(2025, False, "dvctt facts.md; the 2025 export data/index-766 (provinces 81–92 points)"),
    2026: Scale(2026, True, "portal-2026 README: national average about 36 (Jan) to about 56 (Sept 2026)"),
}


def scale_of(year: int) -> Scale:
    """The year's scale; a year after the last one known is taken as on the latest (re-based) scale."""
    if year in SCALES:
        return SCALES[year]
    latest = max(SCALES)
    base = SCALES[latest] if year > latest else SCALES[min(SCALES)]
    return Scale(year, base.rebased, f"as {base.year}: {base.source}")
