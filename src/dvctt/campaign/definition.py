"""The campaign definition (campaign.toml) and the loaded campaign: definition plus its tidy tables."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the tables' type only: reading campaign.toml must not wait for pandas
    import pandas as pd

from dvctt.campaign.levels import DEFAULT_LEVELS, KNOWN_LEVELS
from dvctt.campaign.names import SAFE_NAME_RULE, file_name_problem
from dvctt.campaign.vocabulary import KPIS
from dvctt.errors import CampaignDefinitionError, ParameterError

PERIOD_KINDS = ("baseline", "campaign", "week", "month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    id: str
    kind: str
    start: date
    end: date
    label_vi: str
    label_en: str
    geography: str = ""  # "2023": figures recorded under the units before 1 July 2025 (old_observations.csv)
    overlaps: bool = False  # overlaps = true: a window that may overlap any other period

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


SERIES_KINDS = ("week", "month", "quarter")
#: Below this share (percent) of a level's units reporting, a return's level figure is provisional: never met or not.
DEFAULT_MIN_COVERAGE = 90.0  # periods that repeat: the points of a progress series


@dataclass(frozen=True)
class CampaignDefinition:
    id: str
    name_vi: str
    name_en: str
    synthetic: bool
    province_code: str
    baseline_period: str
    default_period: str
    target_set: str  # "" when the campaign sets no targets
    kpis: tuple[str, ...]
    levels: tuple[str, ...]
    periods: tuple[Period, ...]
    plan: dict[str, Any] = field(default_factory=dict)
    deadline: date | None = None  # when the targets are due; None: the end of the campaign window
    min_coverage: float = DEFAULT_MIN_COVERAGE  # percent of a level's units a return needs for a firm figure
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def period(self, period_id: str) -> Period:
        for period in self.periods:
            if period.id == period_id:
                return period
        valid = ", ".join(p.id for p in self.periods)
        raise ParameterError(f"Period {period_id!r} is not defined for campaign {self.id!r}. Valid periods: {valid}.")

    def resolve_period(self, period_id: str | None) -> Period:
        """THE period rule, the same for every report and route (CLI, batch, notebooks run by hand): the period
        asked for, or, when none is given (None or ""), the campaign's ``default_period``."""
        return self.period(period_id or self.default_period)

    def series_periods(self, as_of: str | None = None) -> list[Period]:
        """The baseline followed by the repeated reporting periods (weeks, months …) up to ``as_of``, by end
        date. Campaigns without repeated periods (a baseline year and one published result) use all their
        periods."""
        baseline = self.period(self.baseline_period)
        repeated = [p for p in self.periods if p.kind in SERIES_KINDS]
        others = repeated or [p for p in self.periods if p.id != baseline.id]
        ordered = sorted(others, key=lambda p: (p.end, p.start))
        if as_of is not None:
            limit = self.period(as_of).end
            ordered = [p for p in ordered if p.end <= limit]
        return [baseline, *ordered]


@dataclass(frozen=True)
class Campaign:
    """A validated campaign: definition, folder and tables (each a fresh DataFrame, safe to transform)."""

    definition: CampaignDefinition
    folder: Path
    units: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    reported_totals: pd.DataFrame
    sources: pd.DataFrame
    data_hash: str
    form_counts: pd.DataFrame | None = None  # form_counts.csv (statistics-form counts), empty when absent
    old_observations: pd.DataFrame | None = None  # old_observations.csv: figures under the pre-2025 units
    example_units: pd.DataFrame | None = None  # units.csv rows still marked code_source = example (not in units)

    @property
    def id(self) -> str:
        return self.definition.id


def _require(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise CampaignDefinitionError(f"{where}: missing key {key!r}.")
    value = table[key]
    if not isinstance(value, kind):
        raise CampaignDefinitionError(f"{where}: key {key!r} has value {value!r}, expected {kind}.")
    return value


def checked_id(
    value: Any, where: str, key: str = "id", names: str = "its output folder", example: str = "camau-2023"
) -> str:
    """An id that names a folder or file (a campaign or index id: ``outputs/<id>/``; a period id:
    ``tables/<period>/``), checked by THE file-name rule (:mod:`dvctt.campaign.names`): ``"../../x"`` or an
    absolute path would lead ``dvctt report`` to write outside ``outputs/``, a trailing newline or a NUL makes
    files no one can open."""
    problem = file_name_problem(value)
    if problem:
        raise CampaignDefinitionError(
            f"{where}: key {key!r} has value {value!r}, which cannot name a folder or file ({names}): it {problem}. "
            f'Use {SAFE_NAME_RULE}; e.g. {key} = "{example}" / mã không dùng được làm tên thư mục, tên tệp'
        )
    return str(value)


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CampaignDefinitionError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD).") from exc


def _period(raw: dict[str, Any], where: str) -> Period:
    kind = _require(raw, "kind", str, where)
    if kind not in PERIOD_KINDS:
        raise CampaignDefinitionError(f"{where}: kind {kind!r} is not one of {', '.join(PERIOD_KINDS)}.")
    start = _as_date(_require(raw, "start", (str, date), where), where)
    end = _as_date(_require(raw, "end", (str, date), where), where)
    if end < start:
        raise CampaignDefinitionError(f"{where}: end {end} is before start {start}.")
    period_id = checked_id(
        _require(raw, "id", str, where), where, names="report files: tables/<period>/", example="2023-W10"
    )
    return Period(
        id=period_id,
        kind=kind,
        start=start,
        end=end,
        label_vi=str(_require(raw, "label_vi", str, where)),
        label_en=str(_require(raw, "label_en", str, where)),
        geography=_geography(raw, where),
        overlaps=_boolean(raw, "overlaps", False, where),
    )


def _overlap_problem(periods: tuple[Period, ...], where: str) -> None:
    """Refuse two periods of one kind that share a day (a duplicate week, a 75-day "week" over the next weeks:
    the same dossiers would be counted twice), unless one of them says ``overlaps = true``. Periods of different
    kinds are windows over one another (a month or the campaign over its weeks). Sorted by start, each period is
    compared with the one of its kind reaching furthest so far: n log n, not n²."""
    order = sorted(range(len(periods)), key=lambda i: (periods[i].start, periods[i].end))
    furthest: dict[str, int] = {}
    for i in order:
        period = periods[i]
        if period.overlaps:
            continue
        j = furthest.get(period.kind)
        if j is not None and periods[j].end >= period.start:
            first, second = sorted((i, j))
            a, b = periods[first], periods[second]
            raise CampaignDefinitionError(
                f"{where}: [[periods]] #{first + 1} (id {a.id!r}, {a.kind} {a.start} – {a.end}) and #{second + 1} "
                f"(id {b.id!r}, {b.kind} {b.start} – {b.end}) overlap from {max(a.start, b.start)} to "
                f"{min(a.end, b.end)}: two {a.kind} periods must not overlap, or the same dossiers and figures are "
                "counted twice. Correct the dates, or mark a window that may overlap with overlaps = true."
            )
        if j is None or period.end > periods[j].end:
            furthest[period.kind] = i


def _geography(raw: dict[str, Any], where: str) -> str:
    value = raw.get("geography", "")
    if value not in ("", "2023", "2025"):
        raise CampaignDefinitionError(f'{where}: geography {value!r} must be "2023" or "2025".')
    return str(value)


def _levels(raw: dict[str, Any], where: str) -> tuple[str, ...]:
    """The declared levels, top to bottom; campaigns written before levels were declared get all three."""
    if "levels" not in raw:
        return DEFAULT_LEVELS
    levels = raw["levels"]
    if not isinstance(levels, list) or not levels or not all(isinstance(v, str) for v in levels):
        raise CampaignDefinitionError(f"{where}: levels must be a non-empty list of level names, got {levels!r}.")
    unknown = [v for v in levels if v not in KNOWN_LEVELS]
    if unknown:
        raise CampaignDefinitionError(
            f"{where}: levels {unknown} unknown; use names from {', '.join(KNOWN_LEVELS)} (top to bottom)."
        )
    if len(set(levels)) != len(levels):
        raise CampaignDefinitionError(f"{where}: levels {levels} name a level twice.")
    if levels != sorted(levels, key=KNOWN_LEVELS.index):
        order = ", ".join(KNOWN_LEVELS)
        raise CampaignDefinitionError(f"{where}: levels {levels} must run top to bottom ({order}).")
    return tuple(levels)


def _boolean(raw: dict[str, Any], key: str, default: bool, where: str) -> bool:
    """A TOML boolean: ``synthetic = "false"`` (a string, which Python reads as true) is an error, not true."""
    if key not in raw:
        return default
    value = raw[key]
    if not isinstance(value, bool):
        raise CampaignDefinitionError(
            f"{where}: {key} must be true or false (without quotes), got {value!r}; e.g. {key} = false."
        )
    return value


def _kpis(raw: dict[str, Any], where: str) -> tuple[str, ...]:
    kpis = _require(raw, "kpis", list, where)
    if not kpis or not all(isinstance(k, str) for k in kpis):
        raise CampaignDefinitionError(f"{where}: kpis must be a non-empty list of KPI names, got {kpis!r}.")
    unknown = [k for k in kpis if k not in KPIS]
    if unknown:
        raise CampaignDefinitionError(f"{where}: kpis {unknown} unknown; use names from {', '.join(KPIS)}.")
    if len(set(kpis)) != len(kpis):
        raise CampaignDefinitionError(f"{where}: kpis {kpis} name a KPI twice.")
    return tuple(kpis)


def _min_coverage(raw: dict[str, Any], where: str) -> float:
    """``min_coverage``: percent (0 < x ≤ 100) of a level's units a return needs before its figure is judged."""
    value = raw.get("min_coverage", DEFAULT_MIN_COVERAGE)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise CampaignDefinitionError(
            f"{where}: min_coverage must be a percentage above 0 and at most 100 (e.g. 90), got {value!r}."
        )
    return float(value)


def read_definition(path: Path) -> CampaignDefinition:
    """Parse and check campaign.toml; every error names the file and the key."""
    where = str(path.name)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CampaignDefinitionError(f"{where}: not valid TOML ({exc}).") from exc
    except RecursionError:  # tables or arrays nested thousands deep
        raise CampaignDefinitionError(f"{path}: not valid TOML (nested too deeply to read).") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise CampaignDefinitionError(f"{path}: cannot be read ({type(exc).__name__}: {exc}).") from None
    name = _require(raw, "name", dict, where)
    periods_raw = _require(raw, "periods", list, where)
    periods = tuple(_period(p, f"{where} [[periods]] #{i + 1}") for i, p in enumerate(periods_raw))
    ids = [p.id for p in periods]
    if len(set(ids)) != len(ids):
        raise CampaignDefinitionError(f"{where}: period ids are not unique: {ids}.")
    _overlap_problem(periods, where)
    levels = _levels(raw, where)
    deadline = raw.get("deadline")
    definition = CampaignDefinition(
        id=checked_id(_require(raw, "id", str, where), where),
        name_vi=_require(name, "vi", str, f"{where} [name]"),
        name_en=_require(name, "en", str, f"{where} [name]"),
        synthetic=_boolean(raw, "synthetic", False, where),
        province_code=str(_require(raw, "province_code", str, where)),
        baseline_period=_require(raw, "baseline_period", str, where),
        default_period=_require(raw, "default_period", str, where),
        target_set=_require(raw, "target_set", str, where) if "target_set" in raw else "",
        kpis=_kpis(raw, where),
        levels=levels,
        periods=periods,
        plan=dict(raw.get("plan", {})),
        deadline=None if deadline is None else _as_date(deadline, f"{where}: deadline"),
        min_coverage=_min_coverage(raw, where),
        raw=raw,
    )
    for key in ("baseline_period", "default_period"):
        if getattr(definition, key) not in ids:
            raise CampaignDefinitionError(f"{where}: {key} {getattr(definition, key)!r} is not among periods {ids}.")
    return definition
