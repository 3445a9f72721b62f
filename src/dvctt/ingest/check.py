"""``dvctt check CAMPAIGN``: validate a whole campaign folder in seconds, without rendering anything.

Everything a report or an ingest would refuse is found here first, with the usual file/row/column/value messages:
every table against its schema, every cross-table rule (codes, periods, sources, parents from the declared levels),
duplicate headline figures, the target set, and official unit codes against the code list of the campaign's
geography (two tiers: the 2025 list; with districts: the earlier list).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dvctt.analysis.metrics import headline_rates
from dvctt.campaign.definition import Campaign
from dvctt.campaign.loading import FIRST_DATA_ROW, load_campaign
from dvctt.errors import DataValidationError, Problem, UnitResolutionError
from dvctt.ingest.admin_units import province_units
from dvctt.labels import level_label


@dataclass(frozen=True)
class CheckSummary:
    campaign: Campaign
    units_per_level: dict[str, int]
    observations: int
    targets: int
    statements: int

    def lines(self) -> list[str]:
        """What the folder holds, each line in Vietnamese then English (like every ``dvctt ingest`` message)."""
        definition = self.campaign.definition
        counts = [(level, self.units_per_level.get(level, 0)) for level in definition.levels]
        levels_vi = ", ".join(f"{level_label(level, 'vi')} {n}" for level, n in counts)
        levels_en = ", ".join(f"{level} {n}" for level, n in counts)
        if self.targets:
            targets_vi = f"{self.targets} chỉ tiêu (bộ {definition.target_set})"
            targets_en = f"{self.targets} targets ({definition.target_set})"
        else:
            targets_vi, targets_en = "chưa đặt chỉ tiêu", "no targets set"
        periods = ", ".join(p.id for p in definition.periods)
        return [
            f"{definition.id}: hợp lệ / OK",
            f"  cấp (số đơn vị): {levels_vi} / levels (units): {levels_en}",
            *self._examples(),
            f"  kỳ / periods: {periods}",
            f"  {self.observations} số liệu, {self.statements} tổng số và nhận định đã công bố, {targets_vi} / "
            f"{self.observations} observations, {self.statements} reported totals and statements, {targets_en}",
        ]

    def _examples(self) -> list[str]:
        """Rows of units.csv still marked as examples: said on every check, since no report shows them."""
        examples = self.campaign.example_units
        if examples is None or examples.empty:
            return []
        rows = sorted(int(i) + FIRST_DATA_ROW for i in examples.index)
        where = f"{rows[0]}–{rows[-1]}" if rows == list(range(rows[0], rows[-1] + 1)) else ", ".join(map(str, rows))
        n = len(rows)
        return [
            f"  units.csv dòng {where}: {n} đơn vị VÍ DỤ (code_source = example), không có trong báo cáo, biểu mẫu "
            "hay dữ liệu nhập cho đến khi được xác nhận (sửa rồi đặt code_source = project) / "
            f"units.csv rows {where}: {n} example units (code_source = example), left out of every report, "
            "template and ingest until confirmed (edit them, then set code_source = project)"
        ]


def _target_problems(campaign: Campaign) -> list[Problem]:
    definition = campaign.definition
    targets = campaign.targets
    if definition.target_set and not (targets["target_set"] == definition.target_set).any():
        sets = ", ".join(sorted(set(targets["target_set"]))) or "none"
        rule = f"campaign.toml target_set {definition.target_set!r} has no rows in targets.csv (sets: {sets})"
        return [Problem("targets.csv", None, "target_set", definition.target_set, rule)]
    in_set = targets[targets["target_set"] == definition.target_set]
    bad = in_set[~in_set["kpi"].isin(definition.kpis)]
    return [
        Problem("targets.csv", int(i) + FIRST_DATA_ROW, "kpi", kpi, "KPI not in campaign.toml kpis")
        for i, kpi in bad["kpi"].items()
    ]


def _code_problems(campaign: Campaign) -> list[Problem]:
    """Units said to carry an official code must carry one of the province's codes in the campaign's geography."""
    definition = campaign.definition
    official = campaign.units[campaign.units["code_source"] == "gso-vietnamadminunits"]
    if official.empty or not definition.province_code:
        return []
    geography = "2023" if "district" in definition.levels else "2025"
    try:
        _, units = province_units(definition.province_code, geography)
    except UnitResolutionError as exc:
        return [Problem("campaign.toml", None, "province_code", definition.province_code, str(exc))]
    known = set(zip(units["code"], units["level"], strict=True))
    return [
        Problem("units.csv", int(i) + FIRST_DATA_ROW, "unit_code", row.unit_code,
                f"not a {row.level} code of province {definition.province_code} in the {geography} code list")
        for i, row in official.iterrows()
        if (row.unit_code, row.level) not in known
    ]  # fmt: skip


def _old_code_problems(campaign: Campaign) -> list[Problem]:
    """old_observations.csv holds codes of the province's old units (those now inside the new province)."""
    old = campaign.old_observations
    if old is None or old.empty:
        return []
    from dvctt.ingest.old_units import old_to_new

    known = set(old_to_new(campaign.definition.province_code)["old_code"])
    return [
        Problem("old_observations.csv", int(i) + FIRST_DATA_ROW, "unit_code", code,
                f"not an old unit (before July 2025) of the new province {campaign.definition.province_code}")
        for i, code in old["unit_code"].items()
        if code not in known
    ]  # fmt: skip


def check_campaign(campaign: str | os.PathLike[str]) -> CheckSummary:
    """Validate the folder; raise DataValidationError listing every problem, else return what it holds."""
    loaded = load_campaign(campaign)  # schemas and cross-table rules
    problems: list[Problem] = []
    try:
        headline_rates(loaded.reported_totals)
    except DataValidationError as exc:
        problems += exc.problems
    problems += _target_problems(loaded)
    problems += _code_problems(loaded)
    problems += _old_code_problems(loaded)
    if problems:
        raise DataValidationError(problems)
    counts = loaded.units["level"].value_counts()
    return CheckSummary(
        campaign=loaded,
        units_per_level={str(k): int(v) for k, v in counts.items()},
        observations=len(loaded.observations),
        targets=int((loaded.targets["target_set"] == loaded.definition.target_set).sum()),
        statements=len(loaded.reported_totals),
    )
