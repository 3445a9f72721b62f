"""Which snapshot a portal answer is: its period and as-of date, and the campaign period that holds it.

The portal's answers carry no date (portal-2026 README): the period comes from the request (the sidecar
``<stem>.meta.json`` that ``dvctt fetch`` writes: body ``timeType``/``year``/``month``/``quarter``, and
``fetched_at``, the as-of date), else from ``--period``/``--as-of``, else from the file name (``year2026``,
``month2026-02``, ``quarter2026-q3``; ``_2026-10-02`` or ``asof-2026-10-02``). A campaign period is one
snapshot: ``2026-ytd-2026-10-02`` is the year 2026 to date as of 02/10/2026; another day is another period.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from dvctt.errors import ParameterError
from dvctt.service_index.definition import parse_period

_VIETNAM = timezone(timedelta(hours=7))
_YEAR = re.compile(r"year(\d{4})")
_MONTH = re.compile(r"month(\d{4})-(\d{2})")
_QUARTER = re.compile(r"quarter(\d{4})-?q?([1-4])", re.IGNORECASE)
_DATE = re.compile(r"(?:asof-|_)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass(frozen=True)
class Snapshot:
    """A campaign period holding one snapshot (``kind`` is a campaign period kind: year, quarter, month)."""

    id: str
    kind: str
    start: date
    end: date
    as_of: str  # ISO date, "" when unknown
    label_vi: str
    label_en: str


def _from_sidecar(path: Path) -> tuple[str | None, date | None]:
    meta = path.with_name(path.stem + ".meta.json")
    if not meta.is_file():
        return None, None
    try:
        record = json.loads(meta.read_text(encoding="utf-8"))
        body = record.get("body") or {}
        kind, year = body.get("timeType"), int(body["year"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, None
    period = {"year": f"{year}-ytd", "month": f"{year}-{int(body.get('month') or 0):02d}",
              "quarter": f"{year}-q{body.get('quarter')}"}.get(str(kind))  # fmt: skip
    fetched = record.get("fetched_at")
    try:
        as_of = datetime.fromisoformat(str(fetched)).astimezone(_VIETNAM).date() if fetched else None
    except ValueError:
        as_of = None
    return period, as_of


def _from_name(name: str) -> tuple[str | None, date | None]:
    period = None
    if match := _MONTH.search(name):
        period = f"{match.group(1)}-{match.group(2)}"
    elif match := _QUARTER.search(name):
        period = f"{match.group(1)}-q{match.group(2)}"
    elif match := _YEAR.search(name):
        period = f"{match.group(1)}-ytd"
    found = _DATE.search(name)
    return period, date.fromisoformat(found.group(1)) if found else None


def bundle_snapshot(path: Path, period: str | None = None, as_of: date | None = None) -> Snapshot:
    """The snapshot of the answer in ``path``: given values first, then the sidecar, then the file name."""
    side_period, side_as_of = _from_sidecar(path)
    name_period, name_as_of = _from_name(path.name)
    text = period or side_period or name_period
    when = as_of or side_as_of or name_as_of
    if not text:
        raise ParameterError(f"{path.name}: the period is not known (no request beside the file, none in its name); "
                             "give it with --period (2026-ytd, 2026-02, 2026-q3)")  # fmt: skip
    return snapshot_period(text, when)


def snapshot_period(text: str, as_of: date | None) -> Snapshot:
    """The campaign period of the index period ``text`` (``2026-ytd``, ``2026-02``, ``2026-q3``) as of a date."""
    index = parse_period(text)  # the as-of date may lie after the period: a month's final figure
    kind = {"ytd": "year", "month": "month", "quarter": "quarter"}[index.kind]
    if index.kind == "ytd":
        start, base = date(index.year, 1, 1), f"{index.year}-ytd"
        label_vi, label_en = f"Lũy kế năm {index.year}", f"Year {index.year} to date"
        period_end = date(index.year, 12, 31)
    elif index.kind == "month":
        start, base = date(index.year, index.order, 1), index.id
        label_vi, label_en = f"Tháng {index.order:02d}/{index.year}", f"Month {index.order:02d}/{index.year}"
        period_end = (date(index.year + index.order // 12, index.order % 12 + 1, 1)) - timedelta(days=1)
    else:
        start, base = date(index.year, 3 * index.order - 2, 1), index.id
        label_vi, label_en = f"Quý {index.order}/{index.year}", f"Q{index.order} {index.year}"
        period_end = date(index.year + (index.order == 4), (3 * index.order) % 12 + 1, 1) - timedelta(days=1)
    if as_of is None:
        return Snapshot(base, kind, start, period_end, "", label_vi, label_en)
    return Snapshot(
        f"{base}-{as_of.isoformat()}", kind, start, min(as_of, period_end), as_of.isoformat(),
        f"{label_vi} (đến ngày {as_of:%d/%m/%Y})", f"{label_en} (as of {as_of:%d/%m/%Y})",
    )  # fmt: skip
