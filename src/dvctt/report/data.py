"""Everything one campaign report shows, computed once from a loaded campaign.

Why this module is long: the report's tables and the unit figures they are built from stay in one place, so the
reports and the keys of ``dvctt report --all`` can never compute them two ways; so does the hand-over of that data
from ``dvctt report`` to its kernel (prepared in one process, completed and adopted in the other), which must build
exactly what the notebook would.

The notebook displays it; ``dvctt report`` writes its machine-readable part as CSV. Both call this module,
so the HTML and the CSV files can never disagree.
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dvctt import paths
from dvctt.analysis import metrics, rankings, reconcile, stats
from dvctt.analysis.gaps import return_keys, unit_gaps
from dvctt.campaign import provenance
from dvctt.campaign.definition import Campaign, CampaignDefinition, Period
from dvctt.campaign.loading import load_campaign
from dvctt.report.formatting import without_float_noise
from dvctt.report.gaps import gap_list, read_rejects
from dvctt.report.lookup import per_frame
from dvctt.safe_text import safe_frame

# The documented leading columns of each CSV table (the analysis frames may carry more, appended after).
LEVEL_SUMMARY_CSV_COLUMNS = [
    "level", "kpi", "baseline", "target", "result", "change_pp", "met", "aggregation",
    "n_units", "n_units_with_result", "n_units_met",
]  # fmt: skip
UNIT_SUMMARY_CSV_COLUMNS = [
    "unit_code", "unit_name", "level", "parent_code", "kpi", "baseline", "target", "result",
    "change_pp", "met", "status", "numerator", "denominator", "ci_low", "ci_high",
]  # fmt: skip
RECONCILIATION_CSV_COLUMNS = [
    "level", "kpi", "period", "reported", "source", "recomputed", "method", "difference_pp", "consistent",
]  # fmt: skip


@dataclass(frozen=True)
class ReportData:
    campaign: Campaign
    period: Period
    baseline: Period
    unit_summary: pd.DataFrame
    level_summary: pd.DataFrame
    reconciliation: pd.DataFrame
    paired_tests: pd.DataFrame
    ranking: pd.DataFrame
    previous: Period | None
    leaders_result: pd.DataFrame
    leaders_baseline: pd.DataFrame
    zeros_baseline: pd.DataFrame
    zeros_result: pd.DataFrame
    coverage: pd.DataFrame
    statements: pd.DataFrame  # change statements of the period as printed ("tăng 43%"), never recomputed
    old_units: pd.DataFrame | None = None  # old → new mapping used for a baseline under the pre-2025 units
    old_baseline: pd.DataFrame | None = None  # per new unit × KPI: pooled from its old parts, or why not
    returns: frozenset[tuple[str, ...]] = frozenset()  # level × KPI × period whose figures are a return

    @property
    def levels(self) -> tuple[str, ...]:
        return self.campaign.definition.levels

    @property
    def kpis(self) -> tuple[str, ...]:
        return self.campaign.definition.kpis

    def is_return(self, level: str, kpi: str, period: str | None = None) -> bool:
        """Whether the period's (default: the report period's) figures of level × KPI are a return."""
        return (level, kpi, period or self.period.id) in self.returns


def _with_counts(units: pd.DataFrame, observations: pd.DataFrame, *, baseline_period: str, period: str) -> pd.DataFrame:
    """Attach the counts behind each rate, a Wilson interval for the result, a Newcombe interval for the change
    and the significance against target. All empty where the sources give rates only."""
    keys = ["unit_code", "kpi"]
    counts = observations[["unit_code", "period", "kpi", "numerator", "denominator"]]
    current = counts[counts["period"] == period].drop(columns="period")
    before = counts[counts["period"] == baseline_period].drop(columns="period")
    before = before.rename(columns={"numerator": "baseline_numerator", "denominator": "baseline_denominator"})
    merged = units.merge(current, on=keys, how="left").merge(before, on=keys, how="left")
    merged = stats.with_intervals(merged)
    merged = stats.with_change_intervals(merged)
    return stats.significance_against_target(merged)


def _of(returns: frozenset[tuple[str, ...]], period: str) -> frozenset[tuple[str, str]]:
    """The level × KPI pairs of ``period`` that are a return."""
    return frozenset((level, kpi) for level, kpi, p in returns if p == period)


def _with_ranks(units: pd.DataFrame, returns: frozenset, period: str, baseline_period: str) -> pd.DataFrame:
    """Each unit's rank among all units of its level, by result and by baseline (empty where not every unit of
    the level has a value: a rank among the units a source named is not a rank in the level; a return ranks
    the units that reported)."""
    result = rankings.unit_ranks(units, "result", _of(returns, period))
    baseline = rankings.unit_ranks(units, "baseline", _of(returns, baseline_period))
    return units.assign(
        rank=result["rank"].array, n_ranked=result["n_ranked"].array,
        baseline_rank=baseline["rank"].array, baseline_n_ranked=baseline["n_ranked"].array,
    )  # fmt: skip


def _campaign(campaign: Campaign | str | os.PathLike[str]) -> Campaign:
    return campaign if isinstance(campaign, Campaign) else load_campaign(campaign)


def build_report_data(campaign: Campaign | str | os.PathLike[str], period: str | None = None) -> ReportData:
    """Compute every table of the campaign report for ``period`` (default: the campaign's default period).

    For a campaign given by id or path the result is cached by the hash of its data, so the many reports of one
    batch (and the CSV export beside each) compute it once; any change to the data misses the cache. The frames
    are shared between callers, which is safe because nothing in dvctt modifies a frame in place.
    """
    if isinstance(campaign, Campaign):
        return _compute_report_data(campaign, period)
    folder = paths.campaign_dir(campaign)
    key = (str(folder), provenance.data_hash(folder), period)
    return _PREPARED.get(key) or _cached_report_data(*key)


# -------------------------------------------------------------------------- prepared beside the kernel
# A single `dvctt report` computes the report data in its own process while the kernel starts and imports (two
# cores, two jobs), saves it, and the kernel's warm-up adopts it: the notebook's build_report_data() then finds it
# here instead of computing it again. The kernel is ready first, so it checks the campaign's published figures
# (the reconciliation, which needs nothing else) while it waits, and this process leaves them out. Keyed like the
# cache, by folder, data hash and period: data that changed in between is never adopted.
_PREPARED: dict[tuple[str, str, str | None], ReportData] = {}
PENDING_SUFFIX = ".pending"


def prepare_report_data(campaign: str | os.PathLike[str], period: str | None, path: Path) -> None:
    """Compute the report data but its reconciliation and save it at ``path`` for :func:`adopt_prepared`
    (atomically: a reader sees the whole file or none). ``path``'s ``.pending`` marker, made by the caller, is
    removed in every case."""
    import pickle

    pending = path.with_name(path.name + PENDING_SUFFIX)
    try:
        folder = paths.campaign_dir(campaign)
        key = (str(folder), provenance.data_hash(folder), period)
        parts, _observations = _report_parts(load_campaign(folder, data_hash=key[1]), period)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(pickle.dumps((key, parts), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
    finally:
        pending.unlink(missing_ok=True)


def adopt_prepared(path: str | os.PathLike[str], campaign: str = "", wait_seconds: float = 60.0) -> bool:
    """In the kernel: check ``campaign``'s published figures while the rest of the data is being prepared, then
    keep it all for build_report_data(). False (and the notebook computes the data itself) when nothing was
    prepared, it failed, or the data changed since."""
    import pickle
    import time

    path = Path(path)
    pending = path.with_name(path.name + PENDING_SUFFIX)
    checked: tuple[str, pd.DataFrame] | None = None
    if campaign and pending.exists():
        with suppress(Exception):  # only saves time: the figures are checked below otherwise
            loaded = load_campaign(campaign)
            checked = loaded.data_hash, reconciliation_of(loaded)
    deadline = time.monotonic() + wait_seconds
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        key, parts = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return False
    folder, data_hash, _period = key
    if provenance.data_hash(Path(folder)) != data_hash:
        return False
    reconciliation = checked[1] if checked and checked[0] == data_hash else reconciliation_of(parts["campaign"])
    _PREPARED[key] = ReportData(**parts, reconciliation=reconciliation)
    return True


@lru_cache(maxsize=8)
def _cached_report_data(folder: str, data_hash: str, period: str | None) -> ReportData:
    return _compute_report_data(load_campaign(folder, data_hash=data_hash), period)


def _with_old_baseline(
    campaign: Campaign, baseline: Period
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    """The observations, plus the baseline of each new unit pooled from old units where that is honest.

    Only when the baseline period is marked ``geography = "2023"`` and old_observations.csv holds it: the old units
    are mapped to the new ones with the code list's converter (:mod:`dvctt.ingest.old_units`), and a new unit gets
    a baseline only when every old part has counts and none was split (or it is exactly one unsplit old unit). A
    figure the campaign records directly for a new unit always wins."""
    old = campaign.old_observations
    if baseline.geography != "2023" or old is None or old.empty:
        return campaign.observations, None, None
    from dvctt.analysis.old_units import mapping_table, pool_into_new_units
    from dvctt.ingest.old_units import old_to_new

    mapping = old_to_new(campaign.definition.province_code)
    mapping = mapping[mapping["new_code"].isin(set(campaign.units["unit_code"]))]
    values = old[old["period"] == baseline.id].rename(columns={"unit_code": "old_code"})
    pooled = pool_into_new_units(mapping, values, campaign.definition.kpis)
    usable = pooled[pooled["comparable"].astype(bool)]
    derived = pd.DataFrame({
        "unit_code": usable["new_code"], "period": baseline.id, "kpi": usable["kpi"],
        "numerator": pd.array(usable["numerator"], dtype="Float64").round().astype("Int64"),
        "denominator": pd.array(usable["denominator"], dtype="Float64").round().astype("Int64"),
        "rate": pd.array(usable["rate"], dtype="Float64"), "status": "ok", "printed": pd.NA,
        "source_id": "old_observations", "source_section": pd.NA, "note": "pooled from old units",
    })  # fmt: skip
    own = campaign.observations
    keys = set(zip(own["unit_code"], own["period"], own["kpi"], strict=True))
    derived = derived[
        [k not in keys for k in zip(derived["unit_code"], derived["period"], derived["kpi"], strict=True)]
    ]
    observations = pd.concat([own, derived], ignore_index=True) if len(derived) else own
    return observations, mapping_table(mapping, pooled), pooled


@dataclass(frozen=True)
class UnitFigures:
    """Every unit's figures of one period, ranks included: what unit reports show (and their keys are taken
    from, :mod:`dvctt.report.unit_inputs`) without the level tables, checks and tests of the whole report."""

    campaign: Campaign
    period: Period
    baseline: Period
    unit_summary: pd.DataFrame
    observations: pd.DataFrame  # the campaign's, plus baselines pooled from old units
    old_units: pd.DataFrame | None = None
    old_baseline: pd.DataFrame | None = None
    returns: frozenset[tuple[str, ...]] = frozenset()  # level × KPI × period whose figures are a return

    @property
    def levels(self) -> tuple[str, ...]:
        return self.campaign.definition.levels

    @property
    def kpis(self) -> tuple[str, ...]:
        return self.campaign.definition.kpis


def build_unit_figures(campaign: Campaign | str | os.PathLike[str], period: str | None = None) -> UnitFigures:
    """The unit summary of ``period`` with counts, intervals and ranks in each level (see :class:`UnitFigures`)."""
    loaded = _campaign(campaign)
    definition = loaded.definition
    report_period = definition.resolve_period(period)
    baseline = definition.period(definition.baseline_period)
    observations, old_units, old_baseline = _with_old_baseline(loaded, baseline)
    summary = metrics.unit_summary(
        loaded.units, observations, loaded.targets, baseline_period=baseline.id, period=report_period.id,
        target_set=definition.target_set, kpis=list(definition.kpis),
    )  # fmt: skip
    units = _with_counts(summary, observations, baseline_period=baseline.id, period=report_period.id)
    returns = return_keys(loaded.units, observations, loaded.sources)
    units = unit_gaps(_with_ranks(units, returns, report_period.id, baseline.id), read_rejects(loaded.folder),
                      report_period.id)  # fmt: skip
    return UnitFigures(loaded, report_period, baseline, units, observations, old_units, old_baseline, returns)


def _compute_report_data(campaign: Campaign | str | os.PathLike[str], period: str | None) -> ReportData:
    parts, observations = _report_parts(campaign, period)
    return ReportData(**parts, reconciliation=_reconciliation(parts["campaign"], observations))


def reconciliation_of(campaign: Campaign) -> pd.DataFrame:
    """Every published figure of the campaign checked against its unit data (:func:`reconcile.reconcile`)."""
    baseline = campaign.definition.period(campaign.definition.baseline_period)
    return _reconciliation(campaign, _with_old_baseline(campaign, baseline)[0])


def _reconciliation(campaign: Campaign, observations: pd.DataFrame) -> pd.DataFrame:
    definition = campaign.definition
    return reconcile.reconcile(
        campaign.units, observations, campaign.reported_totals, targets=campaign.targets,
        target_set=definition.target_set, levels=definition.levels,
    )  # fmt: skip


def _report_parts(campaign: Campaign | str | os.PathLike[str], period: str | None) -> tuple[dict, pd.DataFrame]:
    """Every field of the report data but the reconciliation, and the observations it is checked against."""
    figures = build_unit_figures(campaign, period)
    loaded, report_period, baseline = figures.campaign, figures.period, figures.baseline
    definition, observations, units = loaded.definition, figures.observations, figures.unit_summary
    gaps = {"returns": figures.returns, "min_coverage": definition.min_coverage}
    levels = metrics.level_summary(
        units,
        observations,
        loaded.reported_totals,
        baseline_period=baseline.id,
        period=report_period.id,
        levels=list(definition.levels),
        kpis=list(definition.kpis),
        **gaps,
    )
    previous = previous_period(definition, report_period.id)
    if previous is not None:
        earlier = metrics.level_summary(
            units, observations, loaded.reported_totals, baseline_period=baseline.id,
            period=previous.id, levels=list(definition.levels), kpis=list(definition.kpis), **gaps,
        )  # fmt: skip
        keys = ["level", "kpi", "aggregation"]
        earlier = earlier[[*keys, "result"]].rename(columns={"result": "previous"})
        levels = levels.merge(earlier, on=keys, how="left").assign(
            change_since_previous=lambda f: f["result"] - f["previous"]
        )
    parts = {
        "campaign": loaded,
        "period": report_period,
        "previous": previous,
        "baseline": baseline,
        "unit_summary": units,
        "level_summary": levels,
        "paired_tests": stats.paired_change_tests(units),
        "ranking": stats.emulation_ranking(units),
        "leaders_result": rankings.leaders_and_laggards(
            units, which="result", n=RANKING_SHOWN, returns=_of(figures.returns, report_period.id)
        ),
        "leaders_baseline": rankings.leaders_and_laggards(
            units, which="baseline", n=RANKING_SHOWN, returns=_of(figures.returns, baseline.id)
        ),
        "zeros_baseline": rankings.units_at_zero(units, which="baseline"),
        "zeros_result": rankings.units_at_zero(units, which="result"),
        "coverage": rankings.coverage_table(units),
        "statements": change_statements(loaded.reported_totals, report_period.id),
        "old_units": figures.old_units,
        "old_baseline": figures.old_baseline,
        "returns": figures.returns,
    }
    return parts, observations


STATEMENT_COLUMNS = ["level", "kpi", "period", "value", "printed", "change_unit", "compared_with", "compared_period",
                     "source_id", "source_section", "note"]  # fmt: skip


def change_statements(reported_totals: pd.DataFrame, period: str) -> pd.DataFrame:
    """The change statements a source printed for ``period`` (level × KPI), with the unit as printed."""
    rows = reported_totals[(reported_totals["measure"] == metrics.CHANGE) & (reported_totals["period"] == period)]
    return rows.reindex(columns=STATEMENT_COLUMNS).reset_index(drop=True)


def _ordered(frame: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    """The documented columns first, in order, then any extra columns the metrics add."""
    return frame[first + [c for c in frame.columns if c not in first]]


def build_report_tables(
    campaign: ReportData | Campaign | str | os.PathLike[str], period: str | None = None
) -> dict[str, pd.DataFrame]:
    """The report's machine-readable tables, full precision, keyed by CSV file stem.

    Every row carries its period, so tables of two periods never mix up. Sources are cited by their number in
    the ``sources`` table ("[1] II.1"), never by an internal id. Text cells
    are safe to open in a spreadsheet (:mod:`dvctt.safe_text`: a unit name never becomes a formula)."""
    data = campaign if isinstance(campaign, ReportData) else build_report_data(campaign, period)
    synthetic = data.campaign.definition.synthetic  # every row says whether its figures are real
    numbers, files = source_numbers(data.campaign.sources), source_files(data.campaign.sources)
    levels = _ordered(data.level_summary, LEVEL_SUMMARY_CSV_COLUMNS)
    levels = levels.assign(
        **{c: levels[c].map(lambda v: cite(v, numbers, files)) for c in ("baseline_source", "result_source")}
    )
    reconciliation = _ordered(data.reconciliation, RECONCILIATION_CSV_COLUMNS)
    reconciliation = reconciliation.assign(source=reconciliation["source"].map(lambda v: cite(v, numbers, files)))
    return {
        "level_summary": safe_frame(levels.assign(period=data.period.id, synthetic=synthetic)),
        "unit_summary": safe_frame(
            _ordered(data.unit_summary, UNIT_SUMMARY_CSV_COLUMNS).assign(period=data.period.id, synthetic=synthetic)
        ),
        "reconciliation": safe_frame(reconciliation.assign(synthetic=synthetic)),
        "sources": safe_frame(sources_table(data.campaign.sources)),
        "units_without_data": safe_frame(gap_list(data.unit_summary, data.period.id, data.returns)),
        **(
            {"old_to_new": safe_frame(data.old_units), "old_units_baseline": safe_frame(data.old_baseline)}
            if data.old_units is not None
            else {}
        ),
    }


@per_frame
def source_numbers(sources: pd.DataFrame) -> dict[str, int]:
    """The footnote number of each source, in the order of sources.csv (the report's source list)."""
    return {str(sid): i for i, sid in enumerate(sources["source_id"], start=1)}


def cite(value: object, numbers: dict[str, int], files: tuple[str, ...] = ()) -> object:
    """ "plan48: II.1 (pooled …)" -> "[1] II.1 (pooled …)": a source id becomes its footnote number, and the
    name of the file a figure was transcribed from (``facts.md, 'Later results'``) is left out."""
    if not isinstance(value, str) or not numbers:
        return value
    pattern = r"\b(" + "|".join(re.escape(sid) for sid in sorted(numbers, key=len, reverse=True)) + r"):\s*"
    cited = re.sub(pattern, lambda m: f"[{numbers[m.group(1)]}] ", value)
    for name in files:
        cited = re.sub(re.escape(name) + r"(?:,\s*'[^']*')?", "", cited)
    return cited.strip()


@per_frame
def source_files(sources: pd.DataFrame) -> tuple[str, ...]:
    """The transcription files named in sources.csv (never shown to readers)."""
    if "file" not in sources:
        return ()
    return tuple(str(f) for f in sources["file"].dropna() if str(f).strip())


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """The numbered source list: title, publisher and publication date, as a reader cites them."""
    return pd.DataFrame(
        {
            "source_number": range(1, len(sources) + 1),
            "title": sources["title"].to_numpy(),
            "publisher": sources["publisher"].to_numpy() if "publisher" in sources else None,
            "published": sources["published"].to_numpy() if "published" in sources else None,
        }
    )


CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM: Excel on Windows otherwise garbles "Cà Mau"
RANKING_SHOWN = 10  # ranking tables show the top and bottom 10; the workbook holds every unit's rank
AGGREGATION_PREFERENCE = ("reported", "pooled", "unit_mean")


def previous_period(definition: CampaignDefinition, period: str) -> Period | None:
    """The period before ``period`` in the reporting series (week before week, month before month), or None
    when there is none other than the baseline (the report already compares with the baseline)."""
    series = definition.series_periods()
    ids = [p.id for p in series]
    if period not in ids or ids.index(period) < 2:
        return None
    return series[ids.index(period) - 1]


@per_frame  # asked by the verdict, the headline, the targets and the index line of one report
def headline_table(level_summary: pd.DataFrame) -> pd.DataFrame:
    """One row per level × KPI: the first method (published, pooled, mean) that gives a result, else a baseline.

    The chosen method is kept in ``aggregation`` so every headline figure says how it was obtained.
    """
    has_figure = level_summary[["baseline", "result", "target"]].notna().any(axis=1)
    level_summary = level_summary[has_figure]
    ranked = level_summary.assign(
        _pref=level_summary["aggregation"].map({a: i for i, a in enumerate(AGGREGATION_PREFERENCE)}),
        _has_result=level_summary["result"].notna(),
        _has_baseline=level_summary["baseline"].notna(),
    )
    ranked = ranked.sort_values(["_has_result", "_has_baseline", "_pref"], ascending=[False, False, True])
    chosen = ranked.drop_duplicates(["level", "kpi"], keep="first")
    order = {level: i for i, level in enumerate(level_summary["level"].drop_duplicates())}
    kpi_order = {kpi: i for i, kpi in enumerate(level_summary["kpi"].drop_duplicates())}
    chosen = chosen.assign(_lo=chosen["level"].map(order), _ko=chosen["kpi"].map(kpi_order))
    return chosen.sort_values(["_lo", "_ko"]).drop(columns=["_pref", "_has_result", "_has_baseline", "_lo", "_ko"])


def write_report_tables(data: ReportData, folder: str | os.PathLike[str]) -> dict[str, str]:
    """Write the report's non-empty CSV tables into ``folder`` (UTF-8 with BOM, so Excel on Windows reads the
    diacritics; 10 significant digits, so no float noise); returns file names by table."""
    from pathlib import Path

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in build_report_tables(data).items():
        if frame.empty:  # a header-only file tells nobody anything
            continue
        path = target / f"{name}.csv"
        safe_frame(without_float_noise(frame)).to_csv(path, index=False, encoding=CSV_ENCODING)
        written[name] = path.name
    return written


def headline_row(data: ReportData, row: pd.Series, period: str) -> pd.Series | None:
    """The printed headline figure behind a level rate (level × KPI × period), if a source printed one."""
    return _headline_rows(data.campaign.reported_totals).get((row["level"], row["kpi"], period))


@per_frame
def _headline_rows(totals: pd.DataFrame) -> dict[tuple[str, str, str], pd.Series]:
    """The headline rate row of each level × KPI × period (:func:`metrics.headline_rates`: one at most)."""
    rows = metrics.headline_rates(totals)
    keys = zip(rows["level"], rows["kpi"], rows["period"], strict=True)
    return {key: row for key, (_, row) in zip(keys, rows.iterrows(), strict=True)}


def printed_precision(data: ReportData, row: pd.Series, period: str) -> int:
    """Decimals to show a level rate with: those of the printed figure when the rate is the printed one ("79%":
    0), else 2. A figure is never shown with more precision than its source gave."""
    printed = headline_row(data, row, period) if row.get("aggregation") == "reported" else None
    return 2 if printed is None else reconcile.printed_decimals(printed["printed"], printed["value"])


def has_target(data: ReportData, level: str, kpi: str) -> bool:
    """Whether the campaign sets a target for this level × KPI (for `all`: for any of its levels)."""
    return _has_target(data.campaign.targets, data.campaign.definition.target_set, level, kpi)


@per_frame
def _has_target(targets: pd.DataFrame, target_set: str, level: str, kpi: str) -> bool:
    targets = targets[(targets["target_set"] == target_set) & (targets["kpi"] == kpi)]
    return bool(len(targets if level == "all" else targets[targets["level"] == level]))


def status_line(data: ReportData, lang: str, unit: str | None = None) -> str:
    """One line for the index: how many targets were met (of the unit, or of the levels)."""
    from dvctt.labels import text

    if unit is not None:
        rows = data.unit_summary[data.unit_summary["unit_code"] == unit]
    else:
        rows = headline_table(data.level_summary)
        rows = rows[rows["level"].isin(data.levels)]
    judged = int(rows["met"].notna().sum())
    met = int(rows["met"].fillna(False).astype(bool).sum())
    if judged == 0 and rows["target"].isna().all():
        return text("status.no_targets", lang, total=len(rows))
    return text("status.met", lang, met=met, judged=judged, total=len(rows))
