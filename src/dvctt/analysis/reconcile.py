"""Reconciliation: recompute every figure the sources print from the unit data, in every way the data
allows, and say whether the printed figure holds up.

A printed figure is consistent when it equals the recomputed one up to its own rounding: with d decimals
printed, |difference| <= 0.5 × 10^-d (plus 1e-9 for float noise). Counts (units met, units total) must
match exactly. One output row per reported row × method; a statement that cannot be checked gets one
row with verdict "not recomputable" and a note saying what is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dvctt.analysis.metrics import (
    ALL,
    CHANGE,
    LEVELS,
    NOT_APPLICABLE,
    OK,
    as_float,
    headline_rates,
    is_na,
    plural,
    source_text,
    unit_values,
)
from dvctt.errors import ParameterError

RECONCILE_COLUMNS = [
    "level",
    "kpi",
    "period",
    "reported",
    "source",
    "recomputed",
    "method",
    "difference_pp",
    "consistent",
    "verdict",
    "note",
    "finding",  # a code the report translates: "<method>.<verdict>", or "truncated"
]
VERDICTS = ("consistent", "differs", "not recomputable")
METHODS = (
    "pooled_counts",  # the row's own numerator/denominator
    "sum_of_levels",  # `all` row vs the summed headline counts of the campaign's levels
    "unit_counts",  # pooled counts of the units of the level
    "unit_mean",  # unweighted mean of the unit rates of the level
    "unit_rate",  # a rate printed for one unit vs its observation
    "unit_gap",  # points above target printed for one unit vs its rate - target
    "units_met",  # number of units that met the target
    "units_total",  # number of units of the level
    "none",  # nothing to recompute from
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_FLOAT_NOISE = 1e-9
_RATE_METHODS = ("pooled_counts", "sum_of_levels", "unit_counts", "unit_mean", "unit_rate", "unit_gap")
_MEAN_MATCH = "the printed Tổng appears to be an unweighted mean of unit rates"
_MEAN_DIFFERS = "the reported total is probably a pooled (dossier-weighted) figure, not a mean of unit rates"


def printed_decimals(printed: object, value: object = None) -> int:
    """Decimals of a printed figure: '52,23%' -> 2, '66.7%' -> 1, '0%' -> 0. Takes the number just before
    '%' when there is one. Without a printed string, falls back to the decimals of `value` as written."""
    text = "" if is_na(printed) else str(printed)
    percent = text.find("%")
    numbers = _NUMBER.findall(text[:percent] if percent >= 0 else text)
    if numbers:
        number = numbers[-1] if percent >= 0 else numbers[0]
    elif not is_na(value):
        number = repr(float(value)).removesuffix(".0")
    else:
        return 0
    _, sep, decimals = number.replace(",", ".").partition(".")
    return len(decimals) if sep else 0


def rounding_tolerance(printed: object, value: object = None) -> float:
    """Largest difference a figure printed with d decimals can hide: 0.5 × 10^-d (+ 1e-9)."""
    return 0.5 * 10.0 ** -printed_decimals(printed, value) + _FLOAT_NOISE


def reconcile(
    units: pd.DataFrame,
    observations: pd.DataFrame,
    reported_totals: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    target_set: str | None = None,
    tolerance_pp: float | None = None,
    levels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Check every reported_totals row against the unit data (see module docstring).

    `targets` (with `target_set`, needed only when targets holds more than one set) is required to check
    `units_met` and `gap_pp` statements; without it they are "not recomputable". `tolerance_pp` replaces
    the rounding tolerance of rate and gap comparisons. `levels` (the campaign's, top to bottom) are the parts
    of a whole-province total; by default the levels the data name. Change statements ("tăng 43%") are
    reported as printed next to their figures and never recomputed, so they are not rows here."""
    if levels is None:
        named = set(units["level"]) | set(reported_totals["level"])
        levels = [lv for lv in LEVELS if lv in named]
    checker = _Checker(units, observations, reported_totals, targets, target_set, tolerance_pp, list(levels))
    statements = reported_totals.loc[reported_totals["measure"].ne(CHANGE)]
    rows = [out for _, row in statements.iterrows() for out in checker.check(row)]
    if not rows:
        return _empty()
    frame = pd.DataFrame(rows)
    frame = frame.assign(
        reported=as_float(frame["reported"]),
        recomputed=as_float(frame["recomputed"]),
        difference_pp=as_float(frame["recomputed"]) - as_float(frame["reported"]),
        consistent=frame["consistent"].astype("boolean"),
    )
    return frame[RECONCILE_COLUMNS].reset_index(drop=True)


def reconciliation_summary(reconciliation: pd.DataFrame) -> dict[str, int]:
    """Rows per verdict, every verdict present (0 when none): {'consistent': 5, 'differs': 1, ...}."""
    counts = reconciliation["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({col: pd.Series(dtype="str") for col in RECONCILE_COLUMNS})
    return frame.astype(
        {"reported": "float64", "recomputed": "float64", "difference_pp": "float64", "consistent": "boolean"}
    )


def _select_targets(targets: pd.DataFrame | None, target_set: str | None) -> pd.DataFrame | None:
    if targets is None:
        return None
    sets = list(dict.fromkeys(targets["target_set"].astype("str")))
    if target_set is None:
        if len(sets) > 1:
            raise ParameterError(f"targets holds several target sets {sets}; pass target_set.")
        target_set = sets[0] if sets else None
    chosen = targets.loc[targets["target_set"].astype("str").eq(str(target_set))]
    return chosen.astype({"level": "str", "kpi": "str"}).assign(target=lambda d: as_float(d["target"]))


class _Checker:
    """Holds the inputs so each check is a short method; nothing here modifies them."""

    def __init__(self, units, observations, reported_totals, targets, target_set, tolerance_pp, levels):
        self.levels = levels
        self.units = units.astype({"unit_code": "str"})
        self.observations = observations
        self.heads = headline_rates(reported_totals)
        self.targets = _select_targets(targets, target_set)
        self.tolerance_pp = tolerance_pp
        # many statements share a period: its unit values are computed once, for every KPI a statement names
        self._kpis = list(dict.fromkeys(reported_totals["kpi"].astype("str")))
        self._values: dict[str, pd.DataFrame] = {}
        self._scopes: dict[tuple[str, str, str], pd.DataFrame] = {}
        self._targets: dict[tuple[str, str], float] = {}
        if self.targets is not None:
            for level, kpi, target in self.targets[["level", "kpi", "target"]].itertuples(index=False):
                self._targets.setdefault((level, kpi), float(target))  # the first row, as before

    # -- unit data -----------------------------------------------------------------------------------
    def scope(self, level: str, kpi: str, period: str) -> pd.DataFrame:
        """The units of a level (or of every level for `all`) with that period's values."""
        if (level, kpi, period) not in self._scopes:  # asked by several statements of the same figure
            if period not in self._values:
                self._values[period] = unit_values(self.units, self.observations, period=period, kpis=self._kpis)
            frame = self._values[period]
            frame = frame.loc[frame["kpi"].eq(kpi)].reset_index(drop=True)
            self._scopes[level, kpi, period] = frame if level == ALL else frame.loc[frame["level"].eq(level)]
        return self._scopes[level, kpi, period]

    def target(self, level: str, kpi: str) -> float:
        return self._targets.get((level, kpi), np.nan)

    def tolerance(self, row: pd.Series) -> float:
        if self.tolerance_pp is not None:
            return float(self.tolerance_pp) + _FLOAT_NOISE
        return rounding_tolerance(row["printed"], row["value"])

    # -- dispatch --------------------------------------------------------------------------------------
    def check(self, row: pd.Series) -> list[dict]:
        measure, unit = str(row["measure"]), not is_na(row["unit_code"]) and bool(str(row["unit_code"]).strip())
        if measure == "rate":
            return [self.unit_rate(row)] if unit else self.level_rate(row)
        if measure == "gap_pp" and unit:
            return [self.unit_gap(row)]
        if measure == "units_met" and not unit:
            return [self.units_met(row)]
        if measure == "units_total" and not unit:
            return [self.units_total(row)]
        return [self.out(row, "none", np.nan, None, f"{measure} statements of this kind are not checked")]

    def out(self, row: pd.Series, method: str, recomputed: float, consistent: bool | None, note: str) -> dict:
        verdict = "not recomputable" if consistent is None else ("consistent" if consistent else "differs")
        finding = f"{method}.{verdict}"
        if consistent is False and method in _RATE_METHODS and self.truncated(row, recomputed):
            note += "; consistent if the source truncates instead of rounding"
            finding = "truncated"
        return {
            "level": row["level"],
            "kpi": row["kpi"],
            "period": row["period"],
            "reported": row["value"],
            "source": source_text(row["source_id"], row["source_section"]),
            "recomputed": recomputed,
            "method": method,
            "consistent": pd.NA if consistent is None else bool(consistent),
            "verdict": verdict,
            "note": note,
            "finding": finding,
        }

    def truncated(self, row: pd.Series, recomputed: float) -> bool:
        """True when the printed figure is the recomputed one cut (not rounded) to its printed decimals."""
        if self.tolerance_pp is not None or np.isnan(recomputed):
            return False
        excess = recomputed - float(row["value"])
        step = 10.0 ** -printed_decimals(row["printed"], row["value"])
        return self.tolerance(row) < excess < step + _FLOAT_NOISE

    def compare_rate(self, row: pd.Series, rate: float) -> bool | None:
        """None (not recomputable) when the counts give no rate, i.e. a zero denominator."""
        return None if np.isnan(rate) else self.compare(row, rate)

    def compare(self, row: pd.Series, recomputed: float, exact: bool = False) -> bool:
        difference = abs(recomputed - float(row["value"]))
        return difference == 0 if exact else difference <= self.tolerance(row)

    # -- level rates ----------------------------------------------------------------------------------
    def level_rate(self, row: pd.Series) -> list[dict]:
        level, kpi, period = str(row["level"]), str(row["kpi"]), str(row["period"])
        outs = []
        counts = _counts(row)
        if counts is not None:
            rate = _ratio(counts)
            ok = self.compare_rate(row, rate)
            note = f"printed counts {_fmt_counts(counts)}"
            outs.append(self.out(row, "pooled_counts", rate, ok, note))
        if level == ALL:
            outs += self.sum_of_levels(row, counts)
        frame = self.scope(level, kpi, period)
        applicable = frame.loc[frame["status"].ne(NOT_APPLICABLE)]
        known = applicable.loc[applicable["status"].eq(OK)]
        complete = len(applicable) > 0 and len(known) == len(applicable)
        with_counts = known.dropna(subset=["numerator", "denominator"])
        if complete and len(with_counts) == len(applicable):
            unit_counts = (with_counts["numerator"].sum(), with_counts["denominator"].sum())
            rate = _ratio(unit_counts)
            ok = self.compare_rate(row, rate)
            note = f"summed counts of {plural(len(applicable), 'unit')}: {_fmt_counts(unit_counts)}"
            if counts is not None and counts != unit_counts:
                note += f"; the row prints {_fmt_counts(counts)}"
                ok = None if ok is None else False
            outs.append(self.out(row, "unit_counts", rate, ok, note))
        if complete and level != ALL:
            mean = float(known["rate"].mean())
            ok = self.compare(row, mean)
            note = f"mean of {plural(len(known), 'unit rate')}; " + (_MEAN_MATCH if ok else _MEAN_DIFFERS)
            outs.append(self.out(row, "unit_mean", mean, ok, note))
        if not outs:
            na = len(frame) - len(applicable)
            note = (
                f"units known: {len(known)} of {len(applicable)} applicable units have a rate"
                f" ({len(frame)} units, {na} not applicable); no printed counts"
            )
            outs.append(self.out(row, "none", np.nan, None, note))
        return outs

    def sum_of_levels(self, row: pd.Series, own: tuple[float, float] | None) -> list[dict]:
        """Do the campaign's levels' headline counts add up to the whole-province row?"""
        kpi, period = row["kpi"], row["period"]
        parts = {}
        for level in self.levels:
            hit = self.heads.loc[
                self.heads["level"].eq(level) & self.heads["kpi"].eq(kpi) & self.heads["period"].eq(period)
            ]
            parts[level] = _counts(hit.iloc[0]) if len(hit) else None
        if not parts or any(c is None for c in parts.values()):
            return []
        total = (sum(c[0] for c in parts.values()), sum(c[1] for c in parts.values()))
        rate = _ratio(total)
        ok = self.compare_rate(row, rate)
        note = f"levels sum to {_fmt_counts(total)}"
        if own is not None:
            same = own == total
            note += f"; the row prints {_fmt_counts(own)} ({'counts match' if same else 'counts differ'})"
            ok = ok and same  # None (no rate) stays None
        return [self.out(row, "sum_of_levels", rate, ok, note)]

    # -- unit statements ------------------------------------------------------------------------------
    def unit_row(self, row: pd.Series) -> tuple[str, pd.Series | None]:
        code = str(row["unit_code"]).strip()
        frame = unit_values(
            self.units.loc[self.units["unit_code"].eq(code)],
            self.observations,
            period=str(row["period"]),
            kpis=[str(row["kpi"])],
        )
        return code, (frame.iloc[0] if len(frame) else None)

    def unit_rate(self, row: pd.Series) -> dict:
        code, unit = self.unit_row(row)
        if unit is None or unit["status"] != OK:
            status = "not in units.csv" if unit is None else f"status {unit['status']}"
            return self.out(row, "none", np.nan, None, f"unit {code}: {status}")
        rate = float(unit["rate"])
        return self.out(row, "unit_rate", rate, self.compare(row, rate), f"unit {code}: observation rate")

    def unit_gap(self, row: pd.Series) -> dict:
        code, unit = self.unit_row(row)
        if unit is None or unit["status"] != OK:
            status = "not in units.csv" if unit is None else f"status {unit['status']}"
            return self.out(row, "none", np.nan, None, f"unit {code}: {status}")
        target = self.target(str(unit["level"]), str(row["kpi"]))
        if np.isnan(target):
            return self.out(row, "none", np.nan, None, f"unit {code}: no target for its level")
        gap = float(unit["rate"]) - target
        note = f"unit {code}: rate {unit['rate']} − target {target}"
        return self.out(row, "unit_gap", gap, self.compare(row, gap), note)

    # -- unit counts --------------------------------------------------------------------------------
    def units_met(self, row: pd.Series) -> dict:
        level, kpi = str(row["level"]), str(row["kpi"])
        if self.targets is None:
            return self.out(row, "units_met", np.nan, None, "no targets given")
        frame = self.scope(level, kpi, str(row["period"]))
        frame = frame.assign(target=[self.target(lv, kpi) for lv in frame["level"]])
        applicable = frame.loc[frame["status"].ne(NOT_APPLICABLE)]
        known = applicable.loc[applicable["status"].eq(OK) & applicable["target"].notna()]
        met = int((known["rate"] >= known["target"]).sum())
        if len(applicable) > 0 and len(known) == len(applicable):
            note = f"{met} of {plural(len(known), 'applicable unit')} met the target"
            return self.out(row, "units_met", float(met), self.compare(row, met, exact=True), note)
        unknown = len(applicable) - len(known)
        note = (
            f"units known: {len(known)} of {len(applicable)} applicable units have a rate, {met} of them met"
            f" the target; the full count lies between {met} and {met + unknown}"
        )
        return self.out(row, "units_met", np.nan, None, note)

    def units_total(self, row: pd.Series) -> dict:
        level = str(row["level"])
        n = len(self.units) if level == ALL else int(self.units["level"].eq(level).sum())
        note = f"{plural(n, 'unit')} in units.csv"
        return self.out(row, "units_total", float(n), self.compare(row, n, exact=True), note)


def _counts(row: pd.Series) -> tuple[float, float] | None:
    if is_na(row["numerator"]) or is_na(row["denominator"]):
        return None
    return float(row["numerator"]), float(row["denominator"])


def _ratio(counts: tuple[float, float]) -> float:
    return np.nan if counts[1] == 0 else counts[0] / counts[1] * 100


def _fmt_counts(counts: tuple[float, float]) -> str:
    return f"{counts[0]:.0f}/{counts[1]:.0f}"
