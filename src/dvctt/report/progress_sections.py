"""Sections of the progress report (trajectory, gain needed, forecast, changes, units at risk) and of the unit
report (any unit against its level's target and its peers, with the units under it ranked when it has some)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import pandas as pd
from IPython.display import HTML

from dvctt.analysis import progress, rankings
from dvctt.analysis.reconcile import printed_decimals
from dvctt.campaign.definition import Campaign, Period
from dvctt.campaign.levels import child_level
from dvctt.campaign.loading import load_campaign
from dvctt.errors import ParameterError
from dvctt.labels import kpi_label, level_label, t, text
from dvctt.report.campaign_sections import heading, picture
from dvctt.report.data import ReportData
from dvctt.report.formatting import fmt_number, fmt_rate, is_missing, worsened
from dvctt.report.present import LEVEL_KPI_COLUMNS, Col, bullet_list, esc, html_table, labelled

PROGRESS_LEVELS_EXTRA = ("all",)


@dataclass(frozen=True)
class ProgressData:
    campaign: Campaign
    period: Period
    trajectory: pd.DataFrame
    levels: pd.DataFrame
    at_risk: pd.DataFrame
    unit_changes: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        return self.campaign.definition.synthetic


def _levels_with_data(campaign: Campaign) -> list[str]:
    """The campaign's levels, plus the whole province when a source reports it."""
    extra = [lvl for lvl in PROGRESS_LEVELS_EXTRA if (campaign.reported_totals["level"] == lvl).any()]
    return [*campaign.definition.levels, *extra]


def build_progress_data(campaign: Campaign | str | os.PathLike[str], period: str | None = None) -> ProgressData:
    """Everything the progress report shows, as of ``period`` (default: the campaign's default period, the one
    rule every report follows; see ``CampaignDefinition.resolve_period``)."""
    loaded = campaign if isinstance(campaign, Campaign) else load_campaign(campaign)
    definition = loaded.definition
    as_of = definition.resolve_period(period)
    levels = _levels_with_data(loaded)
    scoped = replace(definition, levels=tuple(levels))
    traj = progress.trajectory(scoped, loaded.units, loaded.observations, loaded.reported_totals, as_of=as_of.id)
    rows = progress.level_progress(traj, loaded.targets, definition)
    at_risk = progress.units_at_risk(definition, loaded.units, loaded.observations, loaded.targets, as_of=as_of.id)
    return ProgressData(loaded, as_of, traj, rows, at_risk, _unit_changes(loaded, traj, as_of))


def progress_tables(data: ProgressData) -> dict[str, pd.DataFrame]:
    """The progress report's machine-readable tables, by CSV file stem (prefixed: they share a folder with the
    campaign report's)."""
    frames = {"levels": data.levels, "at_risk": data.at_risk, "trajectory": data.trajectory}
    return {f"progress_report_{name}": frame for name, frame in frames.items()}


def _unit_changes(campaign: Campaign, traj: pd.DataFrame, as_of: Period) -> pd.DataFrame:
    """Per unit × KPI: the rate in the latest period with figures against the one before it that has figures:
    a new campaign's calendar holds the year's periods, and the ones still to come have none."""
    reported = set(campaign.observations.loc[campaign.observations["status"] == "ok", "period"])
    series = list(dict.fromkeys(traj.loc[traj["end"] <= as_of.end, "period"]))
    periods = series[:1] + [p for p in series[1:] if p in reported]
    if len(periods) < 3:  # baseline plus at least two campaign periods
        return pd.DataFrame(columns=["unit_code", "unit_name", "level", "kpi", "previous", "latest", "change"])
    previous, latest = periods[-2], periods[-1]
    obs = campaign.observations[campaign.observations["status"] == "ok"]
    wide = obs[obs["period"].isin([previous, latest])].pivot_table(
        index=["unit_code", "kpi"], columns="period", values="rate"
    )
    if previous not in wide or latest not in wide:  # units report in only one of the two periods
        return pd.DataFrame(columns=["unit_code", "unit_name", "level", "kpi", "previous", "latest", "change"])
    wide = wide.dropna().reset_index().rename(columns={previous: "previous", latest: "latest"})
    names = campaign.units[["unit_code", "official_name", "level"]].rename(columns={"official_name": "unit_name"})
    return wide.merge(names, on="unit_code").assign(change=lambda f: f["latest"] - f["previous"])


def title(data: ProgressData, lang: str) -> HTML:
    name = data.campaign.definition.name(lang)
    head = text("progress.title", lang, name=name)
    if data.synthetic:
        head = f"[{t('synthetic', lang)}] {head}"
    sub = text("progress.subtitle", lang, period=data.period.label(lang), deadline=_date(data.levels, lang))
    banner = f'<p class="synthetic-banner">{esc(text("synthetic_banner", lang))}</p>' if data.synthetic else ""
    return HTML(f'<h1 class="report-title">{esc(head)}</h1><p class="subtitle">{esc(sub)}</p>{banner}')


def _date(rows: pd.DataFrame, lang: str) -> str:
    due = rows["deadline"].iloc[0]
    return f"{due:%d/%m/%Y}" if lang == "vi" else f"{due:%d %b %Y}"


def _forecast_text(row: pd.Series, lang: str) -> str:
    if row["forecast_reason"]:
        return t(f"forecast.{row['forecast_reason']}", lang).format(n=row["forecast_points"], min=progress.MIN_POINTS)
    interval = f"{fmt_rate(row['forecast_low'], lang, 1)}–{fmt_rate(row['forecast_high'], lang, 1)}"
    chance = fmt_number(100 * row["probability_met"], lang, 0) + "%"
    return text("forecast.value", lang, rate=fmt_rate(row["forecast"], lang, 1), interval=interval, chance=chance)


def _latest_text(data: ProgressData, row: pd.Series, lang: str) -> str:
    """The latest rate with the precision it was printed with when it is a printed figure ("79%", not 79,00%)."""
    if row["latest_method"] != "reported":
        return fmt_rate(row["latest"], lang)
    totals = data.campaign.reported_totals
    printed = totals[
        (totals["level"] == row["level"]) & (totals["kpi"] == row["kpi"]) & (totals["period"] == row["latest_period"])
        & (totals["measure"] == "rate") & totals["unit_code"].isna() & totals["headline"]
    ]  # fmt: skip
    if printed.empty:
        return fmt_rate(row["latest"], lang)
    return fmt_rate(row["latest"], lang, printed_decimals(printed.iloc[0]["printed"], printed.iloc[0]["value"]))


def _no_figures(rows: pd.DataFrame, lang: str) -> str:
    """One sentence naming the level × KPI rows without a figure in any period (a new campaign's KPIs nobody has
    sent yet), so the rows that have figures come first on the screen instead of below a block of dashes."""
    if rows.empty:
        return ""
    by_level = rows.groupby("level_label", sort=False)["kpi_label"].agg(", ".join)
    items = "; ".join(f"{level}: {kpis}" for level, kpis in by_level.items())
    return f"<p>{esc(text('progress.no_figures', lang, items=items))}</p>"


def overview(data: ProgressData, lang: str) -> HTML:
    """Per level × KPI: where it is, how it moved since the previous period, the pace needed and the forecast;
    the rows without any figure are named under the table (the machine table keeps every row)."""
    empty = data.levels["baseline"].isna() & data.levels["latest"].isna()
    rows = labelled(data.levels[~empty], lang).assign(
        path_gap=lambda f: f["latest"] - f["on_straight_path"],
        forecast_text=lambda f: [_forecast_text(r, lang) for _, r in f.iterrows()],
        latest_text=lambda f: [_latest_text(data, r, lang) for _, r in f.iterrows()],
    )
    table = html_table(
        rows,
        [
            *LEVEL_KPI_COLUMNS,
            Col("baseline", "col.baseline_generic", "rate"),
            Col("latest_text", "col.latest", "raw_num"),
            Col("change_since_previous", "col.change_since_previous", "pp"),
            Col("target", "col.target", "rate"),
            Col("path_gap", "col.path_gap", "pp"),
            Col("weekly_gain_needed", "col.weekly_gain_needed", "pp"),
            Col("forecast_text", "col.forecast"),
        ],
        lang,
        synthetic=data.synthetic,
    )
    intro = f"<p>{esc(text('progress.intro', lang, min=progress.MIN_POINTS))}</p>"
    return HTML(
        heading("h.progress_overview", lang) + intro + table + _no_figures(labelled(data.levels[empty], lang), lang)
    )


def trajectories(data: ProgressData, lang: str) -> list[object]:
    from dvctt.report import charts  # matplotlib, only for a report that draws

    items: list[object] = [HTML(heading("h.trajectory", lang) + f"<p>{esc(text('progress.chart', lang))}</p>")]
    levels = list(dict.fromkeys(data.trajectory["level"]))
    for kpi in data.campaign.definition.kpis:
        fig = charts.trajectory_chart(data.trajectory, data.levels, kpi, levels, lang, synthetic=data.synthetic)
        if fig is not None:
            items.append(picture(fig))
    return items


def changes(data: ProgressData, lang: str, n: int = 5) -> HTML:
    """The units that moved most since the previous period, up and down."""
    parts = [heading("h.changes", lang)]
    if data.unit_changes.empty:
        return HTML("".join(parts) + f"<p>{esc(text('progress.no_previous', lang))}</p>")
    frame = data.unit_changes.sort_values("change")
    moved = pd.concat([frame.tail(n).iloc[::-1], frame.head(n)]).drop_duplicates(["unit_code", "kpi"])
    rows = labelled(moved, lang)
    parts.append(
        html_table(
            rows,
            [
                *LEVEL_KPI_COLUMNS,
                Col("unit_name", "col.unit"),
                Col("previous", "col.previous", "rate"),
                Col("latest", "col.latest", "rate"),
                Col("change", "col.change_pp", "pp"),
            ],
            lang,
            synthetic=data.synthetic,
        )
    )
    return HTML("".join(parts))


def at_risk(data: ProgressData, lang: str) -> HTML:
    parts = [heading("h.at_risk", lang), f"<p>{esc(text('progress.at_risk', lang))}</p>"]
    if data.at_risk.empty:
        return HTML("".join(parts) + f"<p>{esc(text('progress.none_at_risk', lang))}</p>")
    rows = labelled(data.at_risk, lang)
    parts.append(
        html_table(
            rows,
            [
                *LEVEL_KPI_COLUMNS,
                Col("unit_name", "col.unit"),
                Col("latest", "col.latest", "rate"),
                Col("weekly_trend", "col.weekly_trend", "pp"),
                Col("projected", "col.projected", "rate"),
                Col("target", "col.target", "rate"),
            ],
            lang,
            synthetic=data.synthetic,
        )
    )
    return HTML("".join(parts))


# ------------------------------------------------------------------------------------------------ unit report


def resolve_unit(campaign: Campaign, unit: str) -> pd.Series:
    """The unit a unit report is about, of any level, by code or exact official name; else the valid codes."""
    units = campaign.units
    unit = str(unit)  # a code given on a command line may arrive as a number
    match = units[(units["unit_code"] == unit) | (units["official_name"] == unit)]
    if match.empty:
        listed = ", ".join(f"{c} ({n})" for c, n in zip(units["unit_code"], units["official_name"], strict=True))
        raise ParameterError(
            f"Unit {unit!r} is not a unit of campaign {campaign.id}; valid codes: {listed or 'none (no units)'}."
        )
    return match.iloc[0]


def unit_title(data: ReportData, unit: pd.Series, lang: str) -> HTML:
    head = text("unit.title", lang, unit=unit["official_name"])
    if data.campaign.definition.synthetic:
        head = f"[{t('synthetic', lang)}] {head}"
    plan = data.campaign.definition.plan.get("number", "")
    sub = text("subtitle" if plan else "subtitle.no_plan", lang, period=data.period.label(lang),
               baseline=data.baseline.label(lang), plan=plan)  # fmt: skip
    name = data.campaign.definition.name(lang)
    return HTML(f'<h1 class="report-title">{esc(head)}</h1><p class="subtitle">{esc(name)}. {esc(sub)}</p>')


def _rank_text(rank: object, n_ranked: object, lang: str) -> str:
    """ "2/18", or "—" where the level has no full ranking (only some units have a figure)."""
    if is_missing(rank) or is_missing(n_ranked):
        return t("value.missing", lang)
    return f"{int(rank)}/{int(n_ranked)}"


def unit_figures(data: ReportData, unit: pd.Series, lang: str) -> HTML:
    """Everything the campaign holds for the unit: every KPI at baseline and in the period, the target, and its
    rank among all units of its level (ties share a rank; none where not every unit of the level has a figure)."""
    rows = data.unit_summary[data.unit_summary["unit_code"] == unit["unit_code"]]
    table_rows = labelled(rows, lang).assign(
        rank_text=[_rank_text(r, n, lang) for r, n in zip(rows["rank"], rows["n_ranked"], strict=True)],
        baseline_rank_text=[
            _rank_text(r, n, lang) for r, n in zip(rows["baseline_rank"], rows["baseline_n_ranked"], strict=True)
        ],
    )
    table = html_table(
        table_rows,
        [
            Col("kpi_label", "col.kpi"),
            Col("baseline", "col.baseline_generic", "rate"),
            Col("baseline_rank_text", "col.baseline_rank_in_level", "raw_num"),
            Col("result", "col.result", "rate"),
            Col("rank_text", "col.rank_in_level", "raw_num"),
            Col("target", "col.target", "rate"),
            Col("change_pp", "col.change_pp", "pp"),
            Col("met", "col.met", "met"),
        ],
        lang,
        synthetic=data.campaign.definition.synthetic,
    )
    intro = text("unit.figures", lang, level=level_label(unit["level"], lang).lower())
    notes = []
    for _, row in rows.iterrows():
        fell = (
            row["status"] == "ok"
            and row["baseline_status"] == "ok"
            and worsened(row["kpi"], row["result"], row["baseline"])
        )
        if fell:
            values = {"kpi": kpi_label(row["kpi"], lang), "result": fmt_rate(row["result"], lang),
                      "baseline": fmt_rate(row["baseline"], lang), "period": data.baseline.label(lang)}  # fmt: skip
            notes.append(f'<span class="decline">▼ {esc(text("unit.fell", lang, **values))}</span>')
    return HTML(
        heading("h.unit_figures", lang) + f"<p>{esc(intro)}</p>" + table + (bullet_list(notes) if notes else "")
    )


def unit_children(data: ReportData, unit: pd.Series, lang: str) -> HTML:
    """For a unit with units under it (a district's communes): per KPI their baseline and result, each with its
    rank among all units of their level (ties share a rank), best first; units at 0% named."""
    below = child_level(data.levels, unit["level"])
    if below is None:
        return HTML("")
    children = data.unit_summary[
        (data.unit_summary["parent_code"] == unit["unit_code"]) & (data.unit_summary["level"] == below)
    ]
    level = level_label(below, lang)
    parts = [heading("h.unit_children", lang, name=level.lower() if lang == "vi" else level)]
    if children.empty:
        return HTML("".join(parts) + f"<p>{esc(text('unit.no_children', lang, level=level.lower()))}</p>")
    synthetic = data.campaign.definition.synthetic
    for kpi in data.kpis:
        rows = children[children["kpi"] == kpi]
        which = "result" if (rows["status"] == "ok").any() else "baseline"
        ordered = rows.assign(_value=pd.to_numeric(rows[which], errors="coerce")).sort_values(
            ["_value", "unit_name"], ascending=[False, True], na_position="last"
        )
        ordered = ordered.assign(
            rank_text=[_rank_text(r, n, lang) for r, n in zip(ordered["rank"], ordered["n_ranked"], strict=True)],
            baseline_rank_text=[
                _rank_text(r, n, lang)
                for r, n in zip(ordered["baseline_rank"], ordered["baseline_n_ranked"], strict=True)
            ],
        )
        parts.append(f"<h3>{esc(kpi_label(kpi, lang))}</h3>")
        parts.append(
            html_table(
                ordered,
                [
                    Col("unit_name", "col.unit"),
                    Col("baseline", "col.baseline_generic", "rate"),
                    Col("baseline_rank_text", "col.baseline_rank_in_level", "raw_num"),
                    Col("result", "col.result", "rate"),
                    Col("rank_text", "col.rank_in_level", "raw_num"),
                    Col("target", "col.target", "rate"),
                ],
                lang,
                synthetic=synthetic,
            )
        )
        zeros = rankings.units_at_zero(rows, which=which)
        if len(zeros):
            names = ", ".join(zeros["unit_name"])
            parts.append(f"<p>{esc(text('unit.zeros', lang, n=len(zeros), level=level.lower(), names=names))}</p>")
    return HTML("".join(parts))


def unit_summary_line(data: ReportData, unit: pd.Series, lang: str) -> HTML:
    """One plain sentence: how many KPIs the unit met."""
    rows = data.unit_summary[data.unit_summary["unit_code"] == unit["unit_code"]]
    met = int(rows["met"].fillna(False).astype(bool).sum())
    judged = int(rows["met"].notna().sum())
    return HTML(f"<p><b>{esc(text('unit.summary', lang, met=met, judged=judged, total=len(rows)))}</b></p>")
