"""Reading one sheet of a unit-level statistics table into observations, totals and issues."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dvctt.campaign.definition import Campaign, Period
from dvctt.campaign.levels import parent_level
from dvctt.ingest.files import Cell, Sheet, cell_at
from dvctt.ingest.formats import ColumnFormats, Table, _Figures, _figures
from dvctt.ingest.headers import Column, Layout
from dvctt.ingest.messages import Issue, message
from dvctt.ingest.unit_matching import UnitLookupError, UnitMatcher, describe, example_unit
from dvctt.ingest.vocabulary import _LEVEL_VI, _day, _has_figure, _single, _totals_level, _where, parse_level


@dataclass
class SheetContext:
    """What reading a sheet needs from the front door: the campaign, its unit matcher, the source and period."""

    campaign: Campaign
    matcher: UnitMatcher
    source_id: str
    period: Period | None
    accept_fuzzy: bool = False  # store spelling-tolerant name matches (else each is rejected, for confirmation)

    @property
    def period_list(self) -> str:
        return ", ".join(p.id for p in self.campaign.definition.periods)

    def find_period(self, text: str) -> Period | None:
        wanted = " ".join(text.split()).casefold()
        for period in self.campaign.definition.periods:
            if wanted in (period.id.casefold(), period.label_vi.casefold(), period.label_en.casefold()):
                return period
        return None


# ------------------------------------------------------------------------------------------ one sheet


@dataclass
class _SheetRead:
    observations: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    """A totals row waiting for its level (known only once the units around it are read)."""

    row: int
    grand: bool
    explicit: str | None
    section: str | None
    block_before: set[str]
    figures: list[_Figures]
    label: str
    period: Period


class _SheetReader:
    """Reads the data rows of one sheet whose header is known."""

    def __init__(self, sheet: Sheet, layout: Layout, table: Table, formats: ColumnFormats, ctx: SheetContext):
        self.sheet, self.layout, self.table, self.formats, self.ctx = sheet, layout, table, formats, ctx
        self.out = _SheetRead()
        self.sheet_level = parse_level(sheet.name) if sheet.name else None
        self.name_col = layout.find("unit_name")
        self.code_col = layout.find("unit_code")
        self.level_col = layout.find("level")
        self.period_col = layout.find("period")
        self.date_col = layout.find("date")
        self.note_col = layout.find("note")
        self.section: str | None = None
        self.parent: str | None = None
        self.block: set[str] = set()
        self.all_levels: set[str] = set()
        self.pending: list[_Pending] = []

    # -- issues
    def issue(self, row: int) -> Any:
        def make(column: Column | None, printed: str | None, rule: str, /, **params: Any) -> Issue:
            shown = column.display if column is not None else None
            return Issue(self.sheet.file, self.sheet.name, row, shown, printed, rule, params)

        return make

    def read(self) -> _SheetRead:
        for number, row in self.table.rows:
            self._row(number, row)
        for number, row in self.table.after_footer:  # never skipped silently
            self.out.issues.append(
                self.issue(number)(
                    self.name_col, self._label(row) or None, "after_footer", footer=self.table.footer_row
                )
            )
        if self.table.footer_row is not None:
            self.out.notices.append(
                f"{self.sheet.where}: the table ends at row {self.table.footer_row} (signature block)"
            )
        self._settle_totals()
        return self.out

    def _label(self, row: Sequence[Cell]) -> str:
        name = cell_at(row, self.name_col.index if self.name_col else None).text
        if name:
            return name
        return next((c.text for c in row if c.text and c.number is None), "")

    def _kpi_figures(self, number: int, row: Sequence[Cell]) -> list[_Figures]:
        found = []
        for kpi in self.layout.kpis:
            fig = _figures(kpi, self.layout, row, self.formats, self.issue(number))
            if fig is not None:
                found.append(fig)
        return found

    def _row(self, number: int, row: Sequence[Cell]) -> None:
        code = cell_at(row, self.code_col.index if self.code_col else None).text
        label = self._label(row)
        measures = [c for c in self.layout.columns if c.field.is_measure]
        has_figures = any(_has_figure(cell_at(row, c.index)) for c in measures)
        if not code and label:
            totals = _totals_level(label)
            if totals is not None:
                self._pending(number, row, totals[0], totals[1], self.section, label)
                self.block = set()
                return
            level = parse_level(label)
            if level is not None:
                self.section, self.parent, self.block = level, None, set()
                if has_figures:  # a section row that prints its level's total
                    self._pending(number, row, False, level, level, label)
                return
        self._unit_row(number, row, code, has_figures)

    def _pending(
        self, number: int, row: Sequence[Cell], grand: bool, explicit: str | None, section: str | None, label: str
    ) -> None:
        period = self._row_period(number, row)
        if period is not None:
            figures = self._kpi_figures(number, row)
            self.pending.append(_Pending(number, grand, explicit, section, set(self.block), figures, label, period))

    def _level_hint(self, number: int, row: Sequence[Cell]) -> tuple[str | None, bool]:
        if self.level_col is not None:
            text = cell_at(row, self.level_col.index).text
            if text:
                level = parse_level(text)
                if level is None:
                    self.out.issues.append(self.issue(number)(self.level_col, text, "unknown_level", value=text))
                    return None, False
                return level, True
        return self.section or self.sheet_level, True

    def _unit_row(self, number: int, row: Sequence[Cell], code: str, has_figures: bool) -> None:
        make = self.issue(number)
        name = cell_at(row, self.name_col.index if self.name_col else None).text
        level, ok = self._level_hint(number, row)
        if not ok:
            return
        if not code and not name:
            if has_figures:
                self.out.issues.append(make(self.name_col or self.code_col, None, "no_unit"))
            return
        matcher = self.ctx.matcher
        try:
            if code:
                match = matcher.by_code(code)
                if level is not None and match.unit.level != level:
                    self.out.issues.append(
                        make(
                            self.code_col,
                            code,
                            "level_mismatch",
                            unit_code=match.unit.code,
                            unit_level=match.unit.level,
                            level=level,
                        )
                    )
                    return
                if name and not matcher.name_agrees(match.unit, name):
                    self.out.issues.append(self._mismatch(number, match.unit, name))
                    return
            else:
                below_heading = level is not None and parent_level(self.ctx.campaign.definition.levels, level)
                parent = self.parent if below_heading else None
                match = matcher.by_name(name, level=level, parent=parent)
        except UnitLookupError as exc:
            self._lookup_failed(number, code, name, level, has_figures, exc)
            return
        unit = match.unit
        if match.how == "spelling" and not self.ctx.accept_fuzzy:
            self.out.issues.append(
                make(self.name_col, name, "fuzzy_unit", name=name, official=unit.official_name, code=unit.code)
            )
            return
        self.block.add(unit.level)
        self.all_levels.add(unit.level)
        notes = []
        if match.how == "spelling":
            notes.append(message("note.spelling", "vi", printed=name, official=unit.official_name))
        note_text = cell_at(row, self.note_col.index).text if self.note_col else ""
        if note_text:
            notes.append(note_text)
        period = self._row_period(number, row)
        if period is None:
            return
        for fig in self._kpi_figures(number, row):
            if fig.issues:  # the unit's row is known: the report names it as rejected, not as missing
                named = (replace(i, unit_code=unit.code, period=period.id, kpi=fig.kpi) for i in fig.issues)
                self.out.issues.extend(named)
                continue
            self.out.observations.append(self._observation(number, unit.code, period, fig, notes))

    def _mismatch(self, number: int, unit: Any, name: str) -> Issue:
        try:
            named_unit = self.ctx.matcher.by_name(name).unit
            named = f"{named_unit.official_name}, {named_unit.code}"
        except UnitLookupError:
            named = "—"
        return self.issue(number)(
            self.code_col,
            unit.code,
            "code_name_mismatch",
            code=unit.code,
            official=unit.official_name,
            name=name,
            named=named,
        )

    def _lookup_failed(
        self, number: int, code: str, name: str, level: str | None, has_figures: bool, exc: UnitLookupError
    ) -> None:
        make = self.issue(number)
        above = parent_level(self.ctx.campaign.definition.levels, level) if level else None
        parent_heading = [u for u in exc.elsewhere if above is not None and u.level == above]
        if not has_figures and len(parent_heading) == 1:
            self.parent = parent_heading[0].code  # "Huyện Cái Nước" above its communes: a heading
            return
        if not has_figures:
            self.out.notices.append(
                f"{_where(self.sheet, number)}: {name or code!r} has no figures and is not a unit of units.csv: skipped"
            )
            return
        example = example_unit(self.ctx.campaign.example_units, code, name) if exc.kind != "ambiguous" else None
        if example is not None:
            column, value = (self.code_col, code) if exc.kind == "unknown_code" else (self.name_col, name)
            self.out.issues.append(make(column, value, "example_unit", code=example[0], name=example[1]))
        elif exc.kind == "unknown_code":
            self.out.issues.append(
                make(self.code_col, code, "unknown_unit_code", code=code, candidates=describe(exc.candidates))
            )
        elif exc.kind == "ambiguous":
            self.out.issues.append(
                make(self.name_col, name, "ambiguous_unit", name=name, candidates=describe(exc.candidates))
            )
        else:
            scope_vi = f" ({_LEVEL_VI[level]})" if level else ""
            scope_en = f" (level {level})" if level else ""
            self.out.issues.append(
                make(
                    self.name_col,
                    name,
                    "unknown_unit",
                    name=name,
                    scope_vi=scope_vi,
                    scope_en=scope_en,
                    candidates=describe(exc.candidates),
                )
            )

    def _row_period(self, number: int, row: Sequence[Cell]) -> Period | None:
        make = self.issue(number)
        ctx = self.ctx
        period = ctx.period
        if self.period_col is not None:
            text = cell_at(row, self.period_col.index).text
            if text:
                found = ctx.find_period(text)
                if found is None:
                    self.out.issues.append(
                        make(self.period_col, text, "row_period_unknown", value=text, periods=ctx.period_list)
                    )
                    return None
                if period is not None and found.id != period.id:
                    self.out.issues.append(make(self.period_col, text, "period_mismatch", value=text, period=period.id))
                    return None
                period = found
        if period is None:
            self.out.issues.append(make(self.period_col, None, "period_missing", periods=ctx.period_list))
            return None
        if self.date_col is not None:
            cell = cell_at(row, self.date_col.index)
            if not cell.empty:
                day = cell.day or _day(cell.text)
                if day is None:
                    self.out.issues.append(make(self.date_col, cell.text, "not_a_date"))
                    return None
                if not period.start <= day <= period.end:
                    self.out.issues.append(
                        make(
                            self.date_col,
                            cell.text,
                            "date_outside",
                            date=day.isoformat(),
                            period=period.id,
                            start=period.start.isoformat(),
                            end=period.end.isoformat(),
                        )
                    )
                    return None
        return period

    def _observation(self, number: int, unit_code: str, period: Period, fig: _Figures, notes: list[str]) -> dict:
        return {
            "unit_code": unit_code,
            "period": period.id,
            "kpi": fig.kpi,
            "numerator": fig.numerator,
            "denominator": fig.denominator,
            "rate": fig.rate if fig.status == "ok" else None,
            "status": fig.status,
            "printed": fig.printed,
            "source_id": self.ctx.source_id,
            "source_section": _where(self.sheet, number),
            "note": " | ".join([*fig.notes, *notes]),
            "_row": number,
            "_file": self.sheet.file,
            "_column": fig.columns.get("rate", next(iter(fig.columns.values()))).display,
            "_sheet": self.sheet.name,
        }

    def _settle_totals(self) -> None:
        """Give every totals row its level, now that all units of the sheet are known."""
        for pending in self.pending:
            if pending.grand:  # "Tổng cộng": the whole sheet, whatever section it follows
                level = pending.explicit or self.sheet_level or _single(self.all_levels)
            else:
                level = pending.explicit or pending.section or self.sheet_level
                level = level or _single(pending.block_before or self.all_levels)
            period = pending.period
            for fig in pending.figures:
                if fig.issues:
                    self.out.issues.extend(fig.issues)
                    continue
                if fig.status != "ok" or fig.rate is None:
                    continue
                note = " | ".join([f"{pending.label}", *fig.notes])
                self.out.totals.append(
                    {
                        "level": level,
                        "unit_code": None,
                        "period": period.id,
                        "kpi": fig.kpi,
                        "measure": "rate",
                        "numerator": fig.numerator,
                        "denominator": fig.denominator,
                        "value": fig.rate,
                        "printed": fig.printed,
                        "headline": False,
                        "source_id": self.ctx.source_id,
                        "source_section": _where(self.sheet, pending.row),
                        "note": note,
                    }
                )
