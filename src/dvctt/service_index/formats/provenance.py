"""Which period a file's scores belong to and the date the portal computed them (its *as-of* date).

The 2026 answers carry neither, so they come, in this order, from the request sidecar ``<stem>.meta.json`` that
``dvctt fetch`` writes (``body``: timeType year/quarter/month, year, month/quarter; ``fetched_at``: the Vietnam
date), or a crawler's ``<prefix>_request.json`` whose prefix starts the file's name (the request only: no date);
then from ``--period``/``--as-of`` (``NAME=VALUE`` for one file or sheet, a plain value for all the others);
then from the file name (``year2026``, ``month2026-02``, ``quarter2026-q3``, ``asof-2026-09-17``,
``_2026-10-02``). A sidecar and an option that disagree are refused: two truths for one file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from dvctt.errors import ParameterError
from dvctt.ingest.messages import Issue
from dvctt.service_index.definition import IndexPeriod, parse_period

VIETNAM = timezone(timedelta(hours=7))
SIDECAR_SUFFIX = ".meta.json"
REQUEST_SUFFIX = "_request.json"

_NAME_PERIODS = (
    (re.compile(r"month(\d{4})-?(\d{2})(?!\d)", re.IGNORECASE), lambda m: f"{m[1]}-{m[2]}"),
    (re.compile(r"quarter(\d{4})-?q?([1-4])(?!\d)", re.IGNORECASE), lambda m: f"{m[1]}-q{m[2]}"),
    (re.compile(r"year(\d{4})(?!\d)", re.IGNORECASE), lambda m: f"{m[1]}-ytd"),
    (re.compile(r"(?:^|_)(\d{4}-(?:ytd|q[1-4]|\d{2}))(?=$|[_.])", re.IGNORECASE), lambda m: m[1].lower()),
)
_NAME_AS_OF = (
    re.compile(r"asof-?(\d{4}-\d{2}-\d{2})", re.IGNORECASE),
    re.compile(r"_(\d{4}-\d{2}-\d{2})(?=$|[_.])"),
)


@dataclass(frozen=True)
class Stamp:
    """What is known of one file's (or sheet's) period and as-of date, and where it was learnt."""

    period: IndexPeriod | None
    as_of: date | None
    source: str  # sidecar | request | option | name | none


@dataclass(frozen=True)
class Options:
    """``--period``/``--as-of`` as given: one value for every file, and values for named files or sheets."""

    period: str | None = None
    as_of: date | None = None
    periods: Mapping[str, str] | None = None  # file name, file path or sheet name → period

    def period_for(self, *names: str) -> str | None:
        return self.named_for(*names) or self.period

    def named_for(self, *names: str) -> str | None:
        """The period given to this file or sheet by name (``--period NAME=P``), which must agree with what the
        file states; a plain ``--period`` only fills in where the file states nothing."""
        return next((self.periods[n] for n in names if self.periods and n in self.periods), None)


def split_period_options(values: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """``["2026-ytd", "Tháng 10=2025-10"]`` → (``2026-ytd``, {``Tháng 10``: ``2025-10``}); one plain value."""
    plain = [v for v in values or [] if "=" not in v]
    if len(plain) > 1:
        raise ParameterError(f"--period given {len(plain)} times without NAME=: give one plain period at most.")
    named = dict(v.rsplit("=", 1) for v in values or [] if "=" in v)
    for value in [*plain, *named.values()]:
        parse_period(value)  # a typo is refused before any file is read
    return (plain[0] if plain else None), {k.strip(): v.strip() for k, v in named.items()}


def period_from_request(body: Mapping[str, object]) -> str | None:
    """The period a 2026 request body asks for (``timeType`` year/quarter/month with year, quarter, month)."""
    kind, year = body.get("timeType"), body.get("year")
    if not isinstance(year, int):
        return None
    if kind == "year":
        return f"{year}-ytd"
    if kind == "month" and isinstance(body.get("month"), int):
        return f"{year}-{int(body['month']):02d}"  # type: ignore[call-overload]
    if kind == "quarter" and isinstance(body.get("quarter"), int):
        return f"{year}-q{body['quarter']}"
    return None


def _vietnam_date(text: object) -> date | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)).astimezone(VIETNAM).date()


def is_sidecar(path: Path) -> bool:
    """A request sidecar, read with its answer and never as an answer itself."""
    return path.name.endswith(SIDECAR_SUFFIX) or path.name.endswith(REQUEST_SUFFIX)


def _sidecar(path: Path) -> tuple[Mapping[str, object] | None, date | None, str] | Issue:
    """(request body, fetch date, source) of the file's sidecar, or the issue of an unreadable one."""
    meta = path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX) if path.suffix else None
    if meta is not None and meta.is_file():
        try:
            content = json.loads(meta.read_text(encoding="utf-8"))
            body = content.get("body") if isinstance(content, dict) else None
            body = json.loads(body) if isinstance(body, str) else body
        except (ValueError, AttributeError) as exc:
            return Issue(meta.name, None, None, None, None, "index_sidecar_unreadable", {"detail": str(exc)})
        if not isinstance(body, dict):
            return Issue(meta.name, None, None, "body", None, "index_sidecar_unreadable", {"detail": "no body"})
        return body, _vietnam_date(content.get("fetched_at")), "sidecar"
    for request in sorted(path.parent.glob(f"*{REQUEST_SUFFIX}")):
        prefix = request.name[: -len(REQUEST_SUFFIX)]
        if path.name.startswith(prefix) and path != request:
            try:
                body = json.loads(request.read_text(encoding="utf-8"))
            except ValueError as exc:
                return Issue(request.name, None, None, None, None, "index_sidecar_unreadable", {"detail": str(exc)})
            if isinstance(body, dict):
                return body, None, "request"
    return None, None, "none"


def _from_name(name: str) -> tuple[str | None, date | None]:
    period = next((build(m) for pattern, build in _NAME_PERIODS if (m := pattern.search(name))), None)
    as_of = None
    for pattern in _NAME_AS_OF:
        if match := pattern.search(name):
            as_of = date.fromisoformat(match.group(1))
            break
    return period, as_of


def _period(text: str) -> IndexPeriod:
    """The period without binding it to the as-of date: ``2026-ytd`` stays ``2026-ytd`` (the date is its own
    column), and a month's answer fetched after the month is still that month."""
    return parse_period(text)


def stamp(path: Path, options: Options, *names: str) -> tuple[Stamp, list[Issue]]:
    """The period and as-of date of a JSON answer (or a copied table), and the issues that stop reading it."""
    found = _sidecar(path)
    if isinstance(found, Issue):
        return Stamp(None, None, "none"), [found]
    body, fetched, source = found
    chosen = options.period_for(path.name, str(path), *names)
    named = options.named_for(path.name, str(path), *names)
    name_period, name_as_of = _from_name(path.name)
    issues: list[Issue] = []
    if body is not None and (asked := period_from_request(body)) is not None:
        if named is not None and _period(named).id != _period(asked).id:
            issues.append(
                Issue(path.name, None, None, None, None, "index_period_conflict_request",
                      {"request_period": asked, "period": named})
            )  # fmt: skip
        period_text, period_source = asked, source
    elif chosen is not None:
        period_text, period_source = chosen, "option"
    else:
        period_text, period_source = name_period, "name"
    as_of = fetched or options.as_of or name_as_of
    if period_text is None:
        issues.append(Issue(path.name, None, None, None, None, "index_no_period_json"))
        return Stamp(None, as_of, "none"), issues
    return Stamp(_period(period_text), as_of, period_source), issues


def period_fields(stamp_: Stamp) -> dict[str, object]:
    """The frame's period columns for a stamped file."""
    period = stamp_.period
    assert period is not None
    as_of = stamp_.as_of.isoformat() if stamp_.as_of else ""
    return {"period": period.id, "period_kind": period.kind, "year": period.year, "as_of": as_of}
