"""Which column is which: the header aliases of unit-level statistics files, and finding the header row.

Files arrive with a title, a date line and often two header rows (a merged indicator name above "Số hồ sơ /
Tổng số / Tỷ lệ"). Headers are compared after :func:`normalize_header` (no diacritics, lowercase, punctuation
dropped, "%" kept), so "Tỷ lệ (%)", "TY LE %" and "tỷ lệ %" are the same header.

A header is read in two steps (documented in docs/en/how-to/weekly-return.md):

1. an exact match in :data:`ID_ALIASES` makes it an identifying column (unit name, unit code, level ...);
2. otherwise it is an indicator column when it names a KPI (:data:`KPI_ALIASES`, first match in
   :data:`KPI_ORDER`) and/or a measure (:data:`MEASURE_ALIASES`: rate before denominator before numerator).
   A KPI without a measure word ("Trực tuyến") is that KPI's rate. A measure without a KPI ("Tỷ lệ (%)") takes
   the KPI of the merged header above it, or is resolved per sheet (see :func:`assign_orphans`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dvctt.ingest.admin_units import fold_accents
from dvctt.ingest.files import HEADER_SCAN_ROWS, Sheet, column_letter
from dvctt.ingest.messages import Issue, fail

#: Identifying columns: normalised header -> field. Exact matches only ("đơn vị tính" is not "đơn vị").
ID_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_name": (
        "ten don vi",
        "don vi",
        "ten",
        "co quan don vi",
        "ten co quan don vi",
        "co quan",
        "ten co quan",
        "dia phuong",
        "don vi dia phuong",
        "ten dia phuong",
        "don vi hanh chinh",
        "unit",
        "unit name",
        "name",
        "agency",
    ),
    "unit_code": ("ma don vi", "ma", "ma so", "ma dvhc", "ma dia ban", "unit code", "unit_code", "code"),
    "level": ("cap", "cap hanh chinh", "cap don vi", "level"),
    "period": ("ky", "ky bao cao", "thoi ky", "period"),
    "date": ("ngay", "ngay bao cao", "ngay so lieu", "date", "report date"),
    "note": ("ghi chu", "note", "notes", "remarks"),
    "row_number": ("stt", "tt", "so tt", "so thu tu", "no", "#"),
}

#: Indicator names: KPI code -> phrases that name it inside a header (whole words, after normalisation).
KPI_ALIASES: dict[str, tuple[str, ...]] = {
    "full_process": ("toan trinh", "full process", "end to end"),
    "online_payment": (
        "thanh toan truc tuyen",
        "thanh toan",
        "nghia vu tai chinh",
        "thu phi",
        "online payment",
        "payment",
        "paid online",
        "fee bearing",
        "fee",
    ),
    "on_time": ("dung han", "dung hen", "truoc han", "da giai quyet", "on time", "resolved"),
    "digitized": ("so hoa", "digitized", "digitised", "digitization", "digitisation"),
    "online": ("truc tuyen", "online"),
}
#: More specific indicators first: "thanh toán trực tuyến" also contains "trực tuyến".
KPI_ORDER: tuple[str, ...] = ("full_process", "online_payment", "on_time", "digitized", "online")

#: Measure words: measure -> phrases. Checked in this order: a header with "tỷ lệ" or "%" is a rate even if
#: it also says "tổng số"; "tổng số hồ sơ" is a denominator even though it contains "số hồ sơ".
MEASURE_ALIASES: dict[str, tuple[str, ...]] = {
    "rate": ("ty le", "%", "rate", "percent", "percentage", "share"),
    "denominator": (
        "tong so",
        "tong",
        "mau so",
        "tiep nhan",
        "co nghia vu tai chinh",
        "da giai quyet",
        "denominator",
        "total",
        "received",
        "fee bearing",
    ),
    "numerator": ("so ho so", "so luong", "tu so", "ho so", "numerator", "count", "number", "dossiers"),
}
MEASURES: tuple[str, ...] = ("rate", "denominator", "numerator")
#: KPIs whose denominator is every dossier received, so one shared "Tổng số hồ sơ" column can serve them.
RECEIVED_BASE_KPIS: tuple[str, ...] = ("online", "digitized", "full_process")

_ID_LOOKUP = {alias: name for name, aliases in ID_ALIASES.items() for alias in aliases}


def normalize_header(text: str) -> str:
    """Comparison form of a header: "Tỷ lệ (%)" -> "ty le %"."""
    folded = fold_accents(unicodedata.normalize("NFC", text)).casefold().replace("%", " % ")
    return " ".join(re.sub(r"[^\w%#]+", " ", folded).split())


def _has(normalized: str, phrase: str) -> bool:
    return f" {phrase} " in f" {normalized} "


def _kpi(normalized: str) -> str | None:
    for kpi in KPI_ORDER:
        if any(_has(normalized, p) for p in KPI_ALIASES[kpi]):
            return kpi
    return None


def _measure(normalized: str) -> str | None:
    for measure in MEASURES:
        if any(_has(normalized, p) for p in MEASURE_ALIASES[measure]):
            return measure
    return None


@dataclass(frozen=True)
class Field:
    """What a column holds: an identifying field (``kpi`` None) or one measure of one KPI."""

    name: str  # unit_name, unit_code, level, period, date, note, row_number | rate, numerator, denominator
    kpi: str | None = None
    percent: bool = False  # the header itself says "%": its values are percentages

    @property
    def is_measure(self) -> bool:
        return self.name in MEASURES

    @property
    def key(self) -> str:
        return f"{self.kpi or '?'}.{self.name}" if self.is_measure else self.name


def resolve_header(text: str) -> Field | None:
    """The field one header cell names, or None when it names nothing dvctt reads."""
    normalized = normalize_header(text)
    if not normalized:
        return None
    if normalized in _ID_LOOKUP:
        return Field(_ID_LOOKUP[normalized])
    kpi, measure = _kpi(normalized), _measure(normalized)
    if kpi is None and measure is None:
        return None
    measure = measure or "rate"
    return Field(measure, kpi, percent=measure == "rate" and "%" in normalized)


def resolve_composite(group: str, sub: str) -> Field | None:
    """The field of a column under a two-row header: ``group`` (the merged cell above) and ``sub``."""
    if not sub or sub == group:
        return resolve_header(sub or group)
    own = resolve_header(sub)
    if not group or (own is not None and not own.is_measure):
        return own
    joined = normalize_header(f"{group} {sub}")
    kpi = _kpi(joined)
    measure = _measure(normalize_header(sub)) or _measure(normalize_header(group))
    if kpi is None and measure is None:
        return own
    measure = measure or "rate"
    return Field(measure, kpi, percent=measure == "rate" and "%" in joined)


@dataclass(frozen=True)
class Column:
    index: int
    label: str  # the header as printed ("Tỷ lệ hồ sơ trực tuyến / Tỷ lệ (%)")
    field: Field

    @property
    def display(self) -> str:
        """How rejects name the column: spreadsheet letter and printed header."""
        return f"{column_letter(self.index)}: {self.label}"


@dataclass(frozen=True)
class Layout:
    """Where a sheet's table is: the header row (1-based, as a spreadsheet shows it) and its columns."""

    header_row: int
    columns: tuple[Column, ...]
    title_rows: tuple[tuple[str, ...], ...]
    ignored: tuple[str, ...] = ()

    def find(self, name: str, kpi: str | None = None) -> Column | None:
        for column in self.columns:
            if column.field.name == name and column.field.kpi == kpi:
                return column
        return None

    @property
    def kpis(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.field.kpi for c in self.columns if c.field.kpi is not None))


def _filled(group: Sequence[str], sub: Sequence[str], merged: bool) -> list[str]:
    """A CSV loses merges: carry a group label right over the empty cells that have a sub-header below."""
    out = list(group)
    if merged:
        return out
    last = ""
    for i, text in enumerate(out):
        if text:
            last = text
        elif i < len(sub) and sub[i]:
            out[i] = last
    return out


def _candidate(sheet: Sheet, r: int, composite: bool) -> list[Column]:
    sub = sheet.header_text[r]
    group = _filled(sheet.header_text[r - 1], sub, sheet.merged) if composite else []
    columns = []
    for i, text in enumerate(sub):
        above = group[i] if i < len(group) else ""
        field = resolve_composite(above, text) if composite else resolve_header(text)
        if field is not None:
            label = f"{above} / {text}" if composite and above and text and above != text else (text or above)
            columns.append(Column(i, label, field))
    return columns


def _score(columns: Sequence[Column]) -> int:
    """Distinct fields recognised; a measure that names its KPI counts double, so a two-row reading that
    gives "Tỷ lệ (%)" its indicator beats the bare bottom row."""
    keys = {c.field.key for c in columns}
    has_id = bool(keys & {"unit_name", "unit_code"})
    has_measure = any(c.field.is_measure for c in columns)
    return sum(1 if k.startswith("?.") else 2 for k in keys) if has_id and has_measure else 0


def find_layout(sheet: Sheet) -> Layout | None:
    """The best header among the first rows, single or two-row; None when no row names a unit column and an
    indicator column. Ties go to the single row, then to the earlier row."""
    best: tuple[int, int, int, list[Column]] | None = None
    for r in range(min(len(sheet.header_text), HEADER_SCAN_ROWS)):
        options = [(False, _candidate(sheet, r, False))]
        above = [t for t in sheet.header_text[r - 1] if t] if r > 0 else []
        if len(set(above)) >= 2:
            options.append((True, _candidate(sheet, r, True)))
        for composite, columns in options:
            score = _score(columns)
            if score and (best is None or score > best[0]):
                best = (score, r, int(composite), columns)
    if best is None:
        return None
    _, r, composite, columns = best
    title_end = r - 1 if composite else r
    ignored = tuple(
        t
        for i, t in enumerate(sheet.header_text[r])
        if t and i not in {c.index for c in columns} and normalize_header(t)
    )
    return Layout(r + 1, tuple(columns), tuple(sheet.header_text[:title_end]), ignored)


def partial_layout(sheet: Sheet) -> list[Column]:
    """The row with most recognised columns, for a 'missing column' message when no full header exists."""
    best: list[Column] = []
    for r in range(min(len(sheet.header_text), HEADER_SCAN_ROWS)):
        columns = _candidate(sheet, r, False)
        if len(columns) > len(best):
            best = columns
    return best


def assign_orphans(layout: Layout, where: tuple[str, str | None]) -> Layout:
    """Give a KPI to measure columns that name none, or fail; then check no field appears twice.

    With one KPI in the sheet every orphan belongs to it. With several, an unnamed denominator ("Tổng số hồ
    sơ") is shared by the KPIs counted over all dossiers received (online, digitized, full_process) that have
    no denominator of their own; any other unnamed measure is an error, never a guess.
    """
    file, sheet = where
    kpis = layout.kpis
    columns: list[Column] = []
    for column in layout.columns:
        field = column.field
        if not field.is_measure or field.kpi is not None:
            columns.append(column)
            continue
        if len(kpis) == 1:
            columns.append(replace(column, field=replace(field, kpi=kpis[0])))
            continue
        own = {c.field.kpi for c in layout.columns if c.field.name == "denominator" and c.field.kpi}
        targets = [k for k in kpis if k in RECEIVED_BASE_KPIS and k not in own]
        if field.name == "denominator" and targets:
            columns.extend(replace(column, field=replace(field, kpi=k)) for k in targets)
            continue
        issue = Issue(
            file,
            sheet,
            layout.header_row,
            column.display,
            column.label,
            "ambiguous_column",
            {"column": column.label, "kpis": ", ".join(kpis) or "—"},
        )
        raise fail(issue)
    seen: dict[str, Column] = {}
    for column in columns:
        key = column.field.key
        if key in seen and seen[key].index != column.index:
            issue = Issue(
                file,
                sheet,
                layout.header_row,
                column.display,
                column.label,
                "duplicate_column",
                {"field": key, "columns": f"{seen[key].display}; {column.display}"},
            )
            raise fail(issue)
        seen[key] = column
    return replace(layout, columns=tuple(columns))
