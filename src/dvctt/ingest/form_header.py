"""Recognising the standard statistics form "tình hình, kết quả giải quyết thủ tục hành chính" by its header.

One-stop-shop systems print the same counts under a three-row merged header (no rate column at all):

    (1) STT | (2) Đơn vị | Số hồ sơ nhận giải quyết: (3) Tổng số | trong đó: (4) Số kỳ trước chuyển qua |
    (5) Số mới tiếp nhận trực tuyến | (6) Số mới tiếp nhận trực tiếp, dịch vụ bưu chính |
    Số lượng hồ sơ đã giải quyết: (7) Tổng số | Trả đúng thời hạn: (8) Trả trước hạn | (9) Trả đúng hạn |
    (10) Trả quá hạn | Số lượng hồ sơ đang giải quyết: (11) Tổng số | (12) Trong hạn | (13) Quá hạn

Every column is read as the path of header cells above it (merged cells repeat their text over their range;
a CSV, which loses merges, carries a group label right over the empty cells that have a sub-header below),
compared without diacritics or case (:func:`dvctt.ingest.headers.normalize_header`). The group (received,
finished, pending) comes from the path, the count from the last cell. A headed column that names no known count
is an error naming it, never a guess. Variants: "Đơn vị" / "Tên đơn vị" (rows are units) or "Lĩnh vực" (rows are
fields of one unit); "trực tiếp" and "bưu chính" in one column or two; an extra column of dossiers synced to the
national portal; with or without the "(1) … (13)" row under the header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dvctt.campaign.form_counts import COUNTS
from dvctt.ingest.files import HEADER_SCAN_ROWS, Sheet, column_letter
from dvctt.ingest.headers import ID_ALIASES, normalize_header
from dvctt.ingest.messages import Issue, fail

#: Standard column number of each count, as the form prints it under its header.
FORM_NUMBER: dict[str, str] = {
    "received": "(3)",
    "carried_over": "(4)",
    "new_online": "(5)",
    "new_offline": "(6)",
    "new_in_person": "(6)",
    "new_postal": "(6)",
    "synced": "(5')",
    "finished": "(7)",
    "finished_early": "(8)",
    "finished_on_time": "(9)",
    "finished_late": "(10)",
    "pending": "(11)",
    "pending_in_time": "(12)",
    "pending_overdue": "(13)",
}

#: Group phrases, looked for anywhere in a column's header path; pending first ("đang giải quyết").
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pending", ("dang giai quyet", "chua giai quyet", "dang xu ly", "chua xu ly")),
    ("finished", ("da giai quyet", "giai quyet xong", "ket qua giai quyet", "da xu ly", "da tra ket qua")),
    ("received", ("nhan giai quyet", "tiep nhan", "so ho so nhan", "da nhan", "ho so nhan")),
)
#: Per group: count -> phrases of the column's own (lowest) header cell, checked in this order.
LEAVES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "received": (
        ("carried_over", ("ky truoc", "chuyen qua", "chuyen sang", "ton ky truoc", "ton")),
        ("new_in_person", ("truc tiep",)),
        ("new_postal", ("buu chinh", "dich vu buu chinh cong ich", "bcci")),
        ("new_online", ("truc tuyen",)),
        ("received", ("tong so", "tong", "tong cong")),
    ),
    "finished": (
        ("finished_early", ("truoc han",)),
        ("finished_late", ("qua han", "tre han")),
        ("finished_on_time", ("tra dung han", "dung han", "dung hen", "dung thoi han")),
        ("finished", ("tong so", "tong", "tong cong")),
    ),
    "pending": (
        ("pending_overdue", ("qua han", "tre han")),
        ("pending_in_time", ("trong han", "chua den han", "con han", "chua qua han")),
        ("pending", ("tong so", "tong", "tong cong")),
    ),
}
#: Identifying columns of the form: the unit (by unit) or the field (by field), code, STT, note.
#: A column of dossiers synced to the national portal, wherever it sits in the header.
SYNCED: tuple[str, ...] = ("dong bo", "cong dich vu cong quoc gia", "cong dvc quoc gia", "cong dvcqg")
FIELD_ALIASES: tuple[str, ...] = ("linh vuc", "ten linh vuc", "linh vuc tthc", "linh vuc thu tuc hanh chinh")
ID_FIELDS = ("unit_name", "unit_code", "row_number", "note")
_NUMBER_LABEL = re.compile(r"^\(?(\d{1,2}[a-z]?|[a-z])\)?$", re.IGNORECASE)
MAX_HEADER_ROWS = 4


def _has(normalized: str, phrase: str) -> bool:
    return f" {phrase} " in f" {normalized} "


@dataclass(frozen=True)
class FormColumn:
    index: int
    key: str  # a COUNTS key, or unit_name, unit_code, field_name, row_number, note
    label: str  # the header path as printed, "Số lượng hồ sơ đã giải quyết / Tổng số"

    @property
    def display(self) -> str:
        return f"{column_letter(self.index)}: {self.label}"


@dataclass(frozen=True)
class FormLayout:
    """Where a statistics form's table is and what each column counts."""

    header_rows: tuple[int, int]  # first and last header row, 1-based
    columns: tuple[FormColumn, ...]
    title_rows: tuple[tuple[str, ...], ...]

    def find(self, key: str) -> FormColumn | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def counts(self) -> tuple[FormColumn, ...]:
        return tuple(c for c in self.columns if c.key in COUNTS)

    @property
    def by_field(self) -> bool:
        return self.find("field_name") is not None

    @property
    def split_offline(self) -> bool:
        return self.find("new_in_person") is not None or self.find("new_postal") is not None

    def describe(self) -> str:
        """What ``dvctt validate`` says it recognised: "statistics form, 13 columns, by unit"."""
        parts = [f"statistics form, {len(self.columns)} columns, {'by field' if self.by_field else 'by unit'}"]
        if self.split_offline:
            parts.append("in person and postal in two columns")
        if self.find("synced") is not None:
            parts.append("with a column of dossiers synced to the national portal")
        return "; ".join(parts)


def _group(normalized_path: Sequence[str]) -> str | None:
    joined = " ".join(normalized_path)
    for group, phrases in GROUPS:
        if any(_has(joined, p) for p in phrases):
            return group
    return None


def _signature_row(texts: Sequence[str]) -> bool:
    """The top header row names all three groups: received, finished and pending."""
    found = {_group([normalize_header(t)]) for t in texts if t}
    return {"received", "finished", "pending"} <= found


def _is_number_label_row(texts: Sequence[str]) -> bool:
    shown = [t for t in texts if t]
    return len(shown) >= 3 and all(_NUMBER_LABEL.match(t.replace(" ", "")) for t in shown)


def _header_depth(sheet: Sheet, top: int, first_count: int) -> int:
    """Header rows below the signature row: rows whose count cells hold text (not numbers, not "(3)")."""
    depth = 1
    for r in range(top + 1, min(top + MAX_HEADER_ROWS, len(sheet.rows), len(sheet.header_text))):
        raw = sheet.rows[r][first_count:]
        texts = [c.text for c in raw if not c.empty]
        if not texts or any(c.number is not None for c in raw) or _is_number_label_row(texts):
            break
        if any(re.fullmatch(r"[\d.,\s%-]+", t) for t in texts):
            break
        depth += 1
    return depth


def _filled_rows(sheet: Sheet, top: int, depth: int) -> list[list[str]]:
    """The header rows' texts; without merges (CSV) a label is carried right over empty cells that have a
    sub-header below and the same parent above."""
    rows = [list(sheet.header_text[r]) for r in range(top, top + depth)]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if sheet.merged:
        return rows
    for level, row in enumerate(rows):
        for c in range(1, width):
            below = any(rows[lower][c] for lower in range(level + 1, depth))
            same_parent = level == 0 or rows[level - 1][c] == rows[level - 1][c - 1]
            if not row[c] and row[c - 1] and below and same_parent:
                row[c] = row[c - 1]
    return rows


def _path(rows: Sequence[Sequence[str]], index: int) -> list[str]:
    path: list[str] = []
    for row in rows:
        text = row[index] if index < len(row) else ""
        if text and (not path or path[-1] != text):
            path.append(text)
    return path


def _classify(path: Sequence[str]) -> str | None:
    leaf = normalize_header(path[-1])
    if len(path) == 1:
        if leaf in FIELD_ALIASES:
            return "field_name"
        for key in ID_FIELDS:
            if leaf in ID_ALIASES[key]:
                return key
    if any(_has(leaf, p) for p in SYNCED):
        return "synced"
    group = _group([normalize_header(p) for p in path])
    if group is None:
        return None
    if group == "received" and _has(leaf, "truc tiep") and (_has(leaf, "buu chinh") or _has(leaf, "bcci")):
        return "new_offline"  # "trực tiếp, dịch vụ bưu chính" in one column
    for key, phrases in LEAVES[group]:
        if any(_has(leaf, p) for p in phrases):
            return key
    return None


def find_form(sheet: Sheet) -> FormLayout | None:
    """The statistics-form layout of ``sheet``, or None when it is not one. A headed column that names nothing
    known, or two columns read as the same count, is an error naming the column."""
    limit = min(len(sheet.header_text), HEADER_SCAN_ROWS)
    top = next((r for r in range(limit) if _signature_row(sheet.header_text[r])), None)
    if top is None:
        return None
    first_count = next(i for i, t in enumerate(sheet.header_text[top]) if t and _group([normalize_header(t)]))
    depth = _header_depth(sheet, top, first_count)
    rows = _filled_rows(sheet, top, depth)
    header_row = top + depth  # 1-based number of the last header row
    columns: list[FormColumn] = []
    unknown: list[Issue] = []
    for index in range(len(rows[0])):
        path = _path(rows, index)
        if not path or not any(normalize_header(p) for p in path):
            continue
        label = " / ".join(path)
        key = _classify(path)
        if key is None:
            issue = Issue(sheet.file, sheet.name, header_row, f"{column_letter(index)}: {label}", label,
                          "form_unknown_column", {"column": label})  # fmt: skip
            unknown.append(issue)
            continue
        columns.append(FormColumn(index, key, label))
    if unknown:
        raise fail(*unknown)
    seen: dict[str, FormColumn] = {}
    for column in columns:
        if column.key in seen:
            both = f"{seen[column.key].display}; {column.display}"
            raise fail(Issue(sheet.file, sheet.name, header_row, column.display, column.label, "duplicate_column",
                             {"field": column.key, "columns": both}))  # fmt: skip
        seen[column.key] = column
    layout = FormLayout((top + 1, header_row), tuple(columns), tuple(sheet.header_text[:top]))
    _check_layout(sheet, layout)
    return layout


def _check_layout(sheet: Sheet, layout: FormLayout) -> None:
    """A form needs a row label (unit or field, not both), and "(6)" either whole or split, not both."""
    where = (sheet.file, sheet.name, layout.header_rows[1])
    labels = [c for c in layout.columns if c.key in ("unit_name", "unit_code", "field_name")]
    if not labels:
        raise fail(Issue(*where, None, None, "missing_column",
                         {"missing": "Đơn vị / Lĩnh vực (unit or field)", "found": _found(layout)}))  # fmt: skip
    if layout.by_field and (layout.find("unit_name") or layout.find("unit_code")):
        columns = "; ".join(c.display for c in labels)
        raise fail(Issue(*where, columns, None, "form_mixed", {"columns": columns}))
    if layout.find("new_offline") is not None and layout.split_offline:
        columns = "; ".join(c.display for c in layout.columns if c.key.startswith("new_") and c.key != "new_online")
        raise fail(Issue(*where, columns, None, "duplicate_column", {"field": "new_offline", "columns": columns}))


def _found(layout: FormLayout) -> str:
    return ", ".join(c.label for c in layout.columns) or "—"
