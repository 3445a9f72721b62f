"""Reading the statistics form "tình hình, kết quả giải quyết TTHC" into counts, KPIs and arithmetic checks.

The form prints counts only (header recognised by :mod:`dvctt.ingest.form_header`). From them, per row:

- ``online`` = (5) ÷ ((5)+(6)): new online receipts over new receipts. Not over (3), which also counts the
  dossiers carried over from the previous period (4): those are kept as their own count, in no denominator;
- ``on_time`` = ((8)+(9)) ÷ (7): finished early or on time over finished;
- ``overdue_pending`` = (13) ÷ (11): pending past their due date over pending (lower is better).

Every rate keeps its numerator and denominator, so pooled rates and Wilson intervals work downstream; a zero
denominator is *not applicable*, never 0%. The arithmetic the form implies is checked on every row —
(3) = (4)+(5)+(6); (7) = (8)+(9)+(10); (11) = (12)+(13); (3) = (7)+(11) — and a row that breaks an identity
has the KPIs built on it rejected with file, sheet, row, columns and values. A "Tổng cộng" (or section) row
is compared with the sum of the rows it covers and kept as a reported total, so the reconciliation shows it
like any other. Rows are units ("Đơn vị") or the fields (lĩnh vực) of one unit given with ``--unit``.

Why this module is long: one sheet reader whose steps (rows, counts, identities, totals, derived KPIs) share
the same row state and are read together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dvctt.campaign.form_counts import COUNTS
from dvctt.errors import ParameterError
from dvctt.ingest.files import Cell, Sheet, Workbook, cell_at
from dvctt.ingest.form_header import FORM_NUMBER, FormColumn, FormLayout, _is_number_label_row, find_form
from dvctt.ingest.formats import _count
from dvctt.ingest.messages import Issue, fail, message
from dvctt.ingest.numbers import NumberFormatError, detect_count_convention, missing_marker, split_percent
from dvctt.ingest.sheet import SheetContext
from dvctt.ingest.unit_matching import UnitLookupError, describe, example_unit
from dvctt.ingest.vocabulary import _has_figure, _is_footer, _single, _totals_level, _where, parse_level
from dvctt.safe_text import safe_text

#: KPI -> (alternative numerators, alternative denominators): the first whose columns the form has is used. A
#: form with no "trước hạn" column prints one "đúng hạn" (or "đúng thời hạn") column for every in-time dossier.
KPI_FORMULAS: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]] = {
    "online": ((("new_online",),), (("new_online", "new_offline"),)),
    "on_time": (
        (("finished_early", "finished_on_time"), ("finished_on_time",)),
        (("finished",), ("finished_early", "finished_on_time", "finished_late"), ("finished_on_time", "finished_late")),
    ),
    "overdue_pending": ((("pending_overdue",),), (("pending",), ("pending_in_time", "pending_overdue"))),
}
#: The identities the form implies: (total, parts, KPIs whose counts they involve). "Trước hạn" is the one part
#: a form may leave out (its "đúng hạn" then counts every in-time dossier); every other part must be printed.
OPTIONAL_PARTS = ("finished_early",)
IDENTITIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("received", ("carried_over", "new_online", "new_offline"), ("online",)),
    ("finished", ("finished_early", "finished_on_time", "finished_late"), ("on_time",)),
    ("pending", ("pending_in_time", "pending_overdue"), ("overdue_pending",)),
    ("received", ("finished", "pending"), ("on_time", "overdue_pending")),
)


@dataclass
class FormRead:
    """What the form sheets of one file give, in the shapes the front door collects."""

    observations: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    label: str
    kind: str  # unit | field | total | section
    counts: dict[str, int | None]
    failed: set[str]
    unit: Any = None  # dvctt.ingest.unit_matching.Unit of a unit row
    level: str | None = None
    block: int = 0
    rejected: set[str] = field(default_factory=set)  # KPIs a broken identity rejects


def find_forms(workbook: Workbook) -> list[tuple[Sheet, FormLayout]]:
    """The sheets of ``workbook`` that are statistics forms (for a CSV, the first separator that reads one)."""
    found = []
    for sheet in workbook.sheets:
        layout = find_form(sheet)
        if layout is not None:
            found.append((sheet, layout))
            if workbook.kind == "csv":
                break
    return found


def read_forms(forms: Sequence[tuple[Sheet, FormLayout]], ctx: SheetContext, unit: str | None) -> FormRead:
    """Read every form sheet; ``unit`` (a unit code) is required by, and only allowed with, by-field sheets."""
    out = FormRead()
    kinds = {layout.by_field for _, layout in forms}
    if len(kinds) > 1:
        by_field = ", ".join(s.name or s.file for s, layout in forms if layout.by_field)
        by_unit = ", ".join(s.name or s.file for s, layout in forms if not layout.by_field)
        first = forms[0][0]
        params = {"fields": by_field, "units": by_unit}
        raise fail(Issue(first.file, None, None, None, None, "form_mixed_sheets", params))
    by_field = kinds == {True}
    owner = None
    if by_field:
        if not unit:
            raise ParameterError(
                f"{forms[0][0].where}: the statistics form lists fields (lĩnh vực), not units: give the unit they "
                "belong to with --unit CODE / biểu thống kê theo lĩnh vực: ghi rõ đơn vị bằng --unit MÃ"
            )
        try:
            owner = ctx.matcher.by_code(unit).unit
        except UnitLookupError as exc:
            raise ParameterError(f"--unit {unit!r} is not a unit code of units.csv ({exc}).") from exc
    elif unit:
        raise ParameterError(
            f"--unit applies to a statistics form by field (lĩnh vực); {forms[0][0].where} lists units."
        )
    for sheet, layout in forms:
        _FormSheet(sheet, layout, ctx, owner, out).read()
        out.variants.append(f"{sheet.where}: {layout.describe()}")
        out.sheets.append(sheet)
    out.counts = _unique_counts(out.counts)
    listed = set(ctx.campaign.definition.kpis)
    unlisted = sorted({o["kpi"] for o in out.observations} - listed)
    if unlisted:
        out.notices.append(
            f"{', '.join(unlisted)}: stored, but not in campaign.toml's kpis, so the reports do not show them"
        )
    return out


def _unique_counts(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A unit (or field) printed twice keeps no counts: its KPIs are rejected as duplicates, and which row is
    right is not ours to say."""
    keys = [(r["unit_code"], r["period"], r["field"]) for r in records]
    times = Counter(keys)
    return [r for r, k in zip(records, keys, strict=True) if times[k] == 1]


def _conventions(sheet: Sheet, layout: FormLayout, rows: Sequence[tuple[int, tuple[Cell, ...]]]) -> dict[int, str]:
    conventions = {}
    for column in layout.counts:
        cells = [cell_at(r, column.index) for _, r in rows]
        bodies = [split_percent(c.text)[0] for c in cells if c.text and c.number is None and not missing_marker(c.text)]
        conventions[column.index] = detect_count_convention(bodies, file=sheet.where, column=column.display)
    return conventions


class _FormSheet:
    """One form sheet: rows -> counts, then observations, totals and issues into ``out``."""

    def __init__(self, sheet: Sheet, layout: FormLayout, ctx: SheetContext, owner: Any, out: FormRead):
        self.sheet, self.layout, self.ctx, self.owner, self.out = sheet, layout, ctx, owner, out
        self.label_col = layout.find("field_name") or layout.find("unit_name")
        self.code_col = layout.find("unit_code")
        self.rows: list[_Row] = []

    def issue(self, row: int | None, column: str | None, value: str | None, code: str, /, **params: Any) -> None:
        self.out.issues.append(Issue(self.sheet.file, self.sheet.name, row, column, value, code, params))

    def read(self) -> None:
        if self.ctx.period is None:
            periods = self.ctx.period_list
            self.issue(None, None, None, "period_missing", periods=periods)
            return
        data = self._data_rows()
        conventions = _conventions(self.sheet, self.layout, data)
        section, block = None, 0
        for number, cells in data:
            code = cell_at(cells, self.code_col.index if self.code_col else None).text
            label = cell_at(cells, self.label_col.index if self.label_col else None).text
            label = label or next((c.text for c in cells if c.text and c.number is None), "")
            counts, failed = self._counts(number, cells, conventions)
            has_figures = any(_has_figure(cell_at(cells, c.index)) for c in self.layout.counts)
            if not code and label:
                total = _totals_level(label)
                if total is not None:
                    grand_block = -1 if total[0] else block  # a grand total covers the whole sheet
                    self.rows.append(_Row(number, label, "total", counts, failed, level=total[1], block=grand_block))
                    continue
                level = parse_level(label) if not self.layout.by_field else None
                if level is not None:
                    section, block = level, block + 1
                    if has_figures:
                        self.rows.append(_Row(number, label, "total", counts, failed, level=level, block=block))
                    continue
            if not has_figures:
                if not self.layout.by_field and self._quiet_unit(code, label, section):
                    continue  # a unit left blank (a template): no figures, nothing to say
                if label or code:
                    self.out.notices.append(f"{_where(self.sheet, number)}: {label or code!r} has no figures: skipped")
                continue
            if self.layout.by_field:
                self.rows.append(_Row(number, label, "field", counts, failed, self.owner, self.owner.level, block))
                continue
            unit = self._unit(number, code, label, section)
            if unit is not None:
                self.rows.append(_Row(number, label, "unit", counts, failed, unit, unit.level, block))
        self._finish()
        self._name_units()

    def _name_units(self) -> None:
        """Issues on a unit's row name the unit (and the period), so the report says it was rejected."""
        units = {r.number: r.unit.code for r in self.rows if r.kind == "unit"}
        period = self.ctx.period.id  # type: ignore[union-attr]
        self.out.issues[:] = [
            replace(i, unit_code=units[i.row], period=period)
            if i.sheet == self.sheet.name and i.row in units and not i.unit_code
            else i
            for i in self.out.issues
        ]

    def _data_rows(self) -> list[tuple[int, tuple[Cell, ...]]]:
        kept = []
        note = self.layout.find("note")
        for offset, cells in enumerate(self.sheet.rows[self.layout.header_rows[1] :]):
            number = self.layout.header_rows[1] + offset + 1
            texts = [c.text for c in cells if not c.empty]
            if not texts or _is_number_label_row(texts):
                continue
            if _is_footer(cells, note.index if note else None):
                self.out.notices.append(f"{self.sheet.where}: the table ends at row {number} (signature block)")
                break
            kept.append((number, cells))
        return kept

    def _counts(self, number: int, cells: Sequence[Cell], conventions: dict[int, str]) -> tuple[dict, set[str]]:
        counts: dict[str, int | None] = {}
        failed: set[str] = set()
        for column in self.layout.counts:
            cell = cell_at(cells, column.index)
            if cell.empty or missing_marker(cell.text):
                counts[column.key] = None
                continue
            try:
                counts[column.key] = _count(cell, conventions[column.index])
            except NumberFormatError as exc:
                counts[column.key] = None
                failed.add(column.key)
                self.issue(number, column.display, cell.text, exc.reason)
        if self.layout.split_offline:
            parts = [counts.get(k) for k in ("new_in_person", "new_postal") if self.layout.find(k)]
            counts["new_offline"] = None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]
            if any(k in failed for k in ("new_in_person", "new_postal")):
                failed.add("new_offline")
        return counts, failed

    def _quiet_unit(self, code: str, name: str, section: str | None) -> bool:
        try:
            self.ctx.matcher.by_code(code) if code else self.ctx.matcher.by_name(name, level=section)
        except UnitLookupError:
            return False
        return True

    def _named(self, name: str) -> str:
        """Which unit a printed name denotes, for a message about a code that says otherwise."""
        try:
            unit = self.ctx.matcher.by_name(name).unit
        except UnitLookupError:
            return "—"
        return f"{unit.official_name}, {unit.code}"

    def _unit(self, number: int, code: str, name: str, section: str | None) -> Any:
        column = self.code_col if code else self.label_col
        where = column.display if column else None
        try:
            if code:
                unit = self.ctx.matcher.by_code(code).unit
                if name and not self.ctx.matcher.name_agrees(unit, name):
                    self.issue(number, where, code, "code_name_mismatch", code=unit.code,
                               official=unit.official_name, name=name, named=self._named(name))  # fmt: skip
                    return None
                return unit
            match = self.ctx.matcher.by_name(name, level=section)
            if match.how == "spelling" and not self.ctx.accept_fuzzy:
                self.issue(number, where, name, "fuzzy_unit", name=name, official=match.unit.official_name,
                           code=match.unit.code)  # fmt: skip
                return None
            return match.unit
        except UnitLookupError as exc:
            example = example_unit(self.ctx.campaign.example_units, code, name) if exc.kind != "ambiguous" else None
            if example is not None:
                value = code if exc.kind == "unknown_code" else name
                self.issue(number, where, value, "example_unit", code=example[0], name=example[1])
            elif exc.kind == "unknown_code":
                self.issue(number, where, code, "unknown_unit_code", code=code, candidates=describe(exc.candidates))
            elif exc.kind == "ambiguous":
                self.issue(number, where, name, "ambiguous_unit", name=name, candidates=describe(exc.candidates))
            else:
                self.issue(number, where, name, "unknown_unit", name=name, scope_vi="", scope_en="",
                           candidates=describe(exc.candidates))  # fmt: skip
            return None

    # -- derived figures and checks
    def _has(self, key: str) -> bool:
        return self.layout.find(key) is not None or (key == "new_offline" and self.layout.split_offline)

    def _column(self, key: str) -> FormColumn | None:
        if key == "new_offline" and self.layout.split_offline:
            return self.layout.find("new_in_person") or self.layout.find("new_postal")
        return self.layout.find(key)

    def _columns_text(self, keys: Sequence[str]) -> str:
        shown = []
        for key in keys:
            if key == "new_offline" and self.layout.split_offline:
                shown += [c.display for c in (self.layout.find("new_in_person"), self.layout.find("new_postal")) if c]
            elif (column := self.layout.find(key)) is not None:
                shown.append(column.display)
        return "; ".join(shown)

    def _broken(self, row: _Row) -> set[str]:
        """Check the form's identities on ``row``; return the KPIs they reject."""
        rejected: set[str] = set()
        for total, all_parts, kpis in IDENTITIES:
            parts = tuple(p for p in all_parts if p not in OPTIONAL_PARTS or self._has(p))
            keys = (total, *parts)
            if not all(self._has(k) for k in keys) or any(row.counts.get(k) is None for k in keys):
                continue
            values = [row.counts[k] for k in keys]
            if values[0] == sum(values[1:]):  # type: ignore[arg-type]
                continue
            rejected.update(kpis)
            rule = f"{FORM_NUMBER[total]} = {' + '.join(FORM_NUMBER[p] for p in parts)}"
            shown = f"{values[0]} ≠ {' + '.join(str(v) for v in values[1:])} = {sum(values[1:])}"  # type: ignore[arg-type]
            self.issue(row.number, self._columns_text(keys), shown, "form_sum", rule=rule, values=shown,
                       label=row.label, kpis=", ".join(kpis))  # fmt: skip
        return rejected

    def _kpi(self, kpi: str, counts: dict, failed: set[str], rejected: set[str]) -> tuple[str, int, int] | None:
        """(status, numerator, denominator) of ``kpi`` from ``counts``; None when the form cannot give it (no
        such columns, an unreadable cell, or a broken identity: those are issues already)."""
        if kpi in rejected:
            return None
        numerators, denominators = KPI_FORMULAS[kpi]
        numerator_keys = next((a for a in numerators if all(self._has(k) for k in a)), None)
        denominator_keys = next((a for a in denominators if all(self._has(k) for k in a)), None)
        if denominator_keys is None or numerator_keys is None:
            return None
        keys = {*numerator_keys, *denominator_keys}
        if keys & failed:
            return None
        values = [counts.get(k) for k in keys]
        if all(v is None for v in values):
            return None
        if any(v is None for v in values):
            return "missing", 0, 0
        numerator = sum(counts[k] for k in numerator_keys)  # type: ignore[misc]
        denominator = sum(counts[k] for k in denominator_keys)  # type: ignore[misc]
        return ("ok" if denominator else "not_applicable"), numerator, denominator

    def _finish(self) -> None:
        details = [r for r in self.rows if r.kind in ("unit", "field")]
        for row in details:
            row.rejected = self._broken(row)
            self._record_counts(row)
            if row.kind == "unit":
                self._observations(row.unit.code, row.counts, row.failed, row.rejected, [row.number])
        if self.layout.by_field and details:
            summed, failed = _sum_counts(details)
            rejected = set().union(*(r.rejected for r in details))
            self._observations(self.owner.code, summed, failed, rejected, [r.number for r in details])
            self._record_counts(_Row(details[0].number, "", "sum", summed, failed, self.owner), rows=details)
        for row in (r for r in self.rows if r.kind == "total"):
            row.rejected = self._broken(row)
            covered = [r for r in details if row.block in (-1, r.block)]
            self._check_total(row, covered)
            self._totals(row, covered)

    def _observations(self, code: str, counts: dict, failed: set[str], rejected: set[str], numbers: list[int]) -> None:
        where = _where(self.sheet, numbers[0])
        if len(numbers) > 1:
            where = f"{self.sheet.where}, rows {numbers[0]}–{numbers[-1]} (lĩnh vực)"
        for kpi in KPI_FORMULAS:
            figures = self._kpi(kpi, counts, failed, rejected)
            if figures is None:
                continue
            status, numerator, denominator = figures
            note = message(f"note.form_{kpi}", "vi", numerator=numerator, denominator=denominator)
            if status == "missing":
                note = message("note.form_missing", "vi")
            elif status == "not_applicable":
                note = message("note.zero_denominator", "vi")
            column = self._column(KPI_FORMULAS[kpi][0][-1][0])
            self.out.observations.append({
                "unit_code": code,
                "period": self.ctx.period.id,  # type: ignore[union-attr]
                "kpi": kpi,
                "numerator": None if status == "missing" else numerator,
                "denominator": None if status == "missing" else denominator,
                "rate": numerator / denominator * 100 if status == "ok" else None,
                "status": status,
                "printed": "",
                "source_id": self.ctx.source_id,
                "source_section": where,
                "note": note,
                "_row": numbers[0],
                "_file": self.sheet.file,
                "_column": column.display if column else "",
                "_sheet": self.sheet.name,
            })  # fmt: skip

    def _record_counts(self, row: _Row, rows: Sequence[_Row] = ()) -> None:
        code = row.unit.code if row.unit is not None else ""
        where = _where(self.sheet, row.number)
        if rows:
            where = f"{self.sheet.where}, rows {rows[0].number}–{rows[-1].number} (lĩnh vực)"
        record = {k: (None if k in row.failed else row.counts.get(k)) for k in COUNTS}
        self.out.counts.append({
            "unit_code": code, "period": self.ctx.period.id,  # type: ignore[union-attr]
            "field": safe_text(row.label) if row.kind == "field" else None, **record,
            "source_id": self.ctx.source_id, "source_section": where,
        })  # fmt: skip

    def _check_total(self, row: _Row, covered: Sequence[_Row]) -> None:
        """A totals row must equal the sum of the rows it covers, count by count."""
        if not covered:
            return
        for column in self.layout.counts:
            printed = row.counts.get(column.key)
            values = [r.counts.get(column.key) for r in covered]
            if printed is None or any(v is None for v in values):
                continue
            total = sum(values)  # type: ignore[arg-type]
            if total != printed:
                rows = f"{covered[0].number}–{covered[-1].number}"
                self.issue(row.number, column.display, str(printed), "form_total_mismatch", label=row.label,
                           printed=printed, total=total, rows=rows, n=len(covered))  # fmt: skip

    def _totals(self, row: _Row, covered: Sequence[_Row]) -> None:
        """The row's KPIs as reported totals (rate with its counts), headline false."""
        unit_code = self.owner.code if self.layout.by_field else None
        if self.layout.by_field:
            level = self.owner.level
        elif row.block == -1:
            level = _single({r.level for r in covered}) if covered else (row.level or "all")
        else:
            level = row.level or _single({r.level for r in covered} or {"all"})
        for kpi in KPI_FORMULAS:
            figures = self._kpi(kpi, row.counts, row.failed, row.rejected)
            if figures is None or figures[0] != "ok":
                continue
            _, numerator, denominator = figures
            rate = numerator / denominator * 100
            formula = message(f"note.form_{kpi}", "vi", numerator=numerator, denominator=denominator)
            self.out.totals.append({
                "level": level, "unit_code": unit_code, "period": self.ctx.period.id,  # type: ignore[union-attr]
                "kpi": kpi, "measure": "rate", "numerator": numerator, "denominator": denominator, "value": rate,
                "printed": f"{numerator}/{denominator}", "headline": False, "source_id": self.ctx.source_id,
                "source_section": _where(self.sheet, row.number),
                "note": f"{row.label} | {formula}",
            })  # fmt: skip


def _sum_counts(rows: Sequence[_Row]) -> tuple[dict[str, int | None], set[str]]:
    """The unit's counts from its fields: a count is summed only when every field gives it."""
    summed: dict[str, int | None] = {}
    failed: set[str] = set()
    for key in COUNTS:
        values = [r.counts.get(key) for r in rows]
        if any(key in r.failed for r in rows):
            failed.add(key)
        summed[key] = None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]
    return summed, failed
