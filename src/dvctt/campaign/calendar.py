"""The periods of a calendar year, as ``dvctt new --periods week|month|quarter|year`` writes them into campaign.toml.

A campaign that reports every week or month needs one period per return for its progress report to have a series;
writing them by hand is where a new campaign stalled ("—" everywhere until campaign.toml was edited). Weeks are ISO
weeks (Monday to Sunday, week 1 holds the year's first Thursday), so a week's id and dates are those of the
national calendar and week 1 may start in late December. Ids are plain file names (``2026-01``, ``2026-W05``,
``2026-Q3``): a period id names an output folder.
"""

from __future__ import annotations

from datetime import date, timedelta

from dvctt.campaign.definition import Period
from dvctt.labels import t, text

PERIOD_CHOICES = ("year", "week", "month", "quarter")


def _day(when: date, lang: str) -> str:
    """29/12/2025 in Vietnamese, 29 Dec 2025 in English (month abbreviations from the catalog)."""
    if lang == "vi":
        return f"{when:%d/%m/%Y}"
    return f"{when.day} {t(f'month_abbr.{when.month}', 'en')} {when.year}"


def _labelled(pid: str, kind: str, start: date, end: date, key: str, **values: object) -> Period:
    """A period labelled in both languages; a value given as ``{"vi": ..., "en": ...}`` is taken per language."""

    def of(lang: str) -> dict[str, object]:
        return {k: v[lang] if isinstance(v, dict) else v for k, v in values.items()}

    vi, en = (text(key, lang, **of(lang), start=_day(start, lang), end=_day(end, lang)) for lang in ("vi", "en"))
    return Period(id=pid, kind=kind, start=start, end=end, label_vi=vi, label_en=en)


def whole_year(year: int, kind: str = "year") -> Period:
    """The calendar year as one period (``kind`` baseline for the year before the campaign's)."""
    return _labelled(str(year), kind, date(year, 1, 1), date(year, 12, 31), "calendar.year", year=year)


def months(year: int) -> list[Period]:
    starts = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    return [
        _labelled(
            f"{year}-{s.month:02d}",
            "month",
            s,
            nxt - timedelta(days=1),
            "calendar.month",
            year=year,
            month_name={lang: t(f"month_name.{s.month}", lang) for lang in ("vi", "en")},
        )
        for s, nxt in zip(starts, starts[1:], strict=False)
    ]


def quarters(year: int) -> list[Period]:
    starts = [date(year, m, 1) for m in (1, 4, 7, 10)] + [date(year + 1, 1, 1)]
    return [
        _labelled(f"{year}-Q{i}", "quarter", s, nxt - timedelta(days=1), "calendar.quarter", year=year, quarter=i)
        for i, (s, nxt) in enumerate(zip(starts, starts[1:], strict=False), 1)
    ]


def iso_weeks(year: int) -> list[Period]:
    """Every ISO week of ISO year ``year`` (52 or 53), Monday to Sunday."""
    monday = date.fromisocalendar(year, 1, 1)
    n_weeks = date(year, 12, 28).isocalendar().week  # 28 December always lies in the year's last ISO week
    return [
        _labelled(f"{year}-W{w:02d}", "week", start, start + timedelta(days=6), "calendar.week", year=year, week=w)
        for w, start in ((w, monday + timedelta(weeks=w - 1)) for w in range(1, n_weeks + 1))
    ]


def year_periods(year: int, kind: str) -> list[Period]:
    """The reporting periods of ``year`` of one kind, in calendar order."""
    makers = {"year": lambda y: [whole_year(y)], "week": iso_weeks, "month": months, "quarter": quarters}
    if kind not in makers:
        from dvctt.errors import ParameterError

        raise ParameterError(f"--periods {kind!r} is not one of: {', '.join(PERIOD_CHOICES)}.")
    return makers[kind](year)


def current(periods: list[Period], today: date) -> Period:
    """The period a new campaign reports by default: the one holding ``today``, else the last one begun (a past
    year), else the first (a campaign prepared before its year starts)."""
    begun = [p for p in periods if p.start <= today]
    return next((p for p in periods if p.start <= today <= p.end), begun[-1] if begun else periods[0])
