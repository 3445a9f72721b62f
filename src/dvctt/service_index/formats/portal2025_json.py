"""The 2025 portal's records as crawlers save them in JSON: the export's upper-case fields (ID, TEN, MA_COQUAN,
…, CKMB, …, TONG_SCORE, ROW_STT), numbers as text or numbers, as a list or under ``data`` or ``records``.

The records are read by the export's own rules (:mod:`.export2025`: the same columns, maxima, sums and levels),
so a JSON copy of an export and the export give the same frame; problems name the JSON path (``data[3].CKMB``).
"""

from __future__ import annotations

from pathlib import Path

from dvctt.ingest.files import Cell, Sheet
from dvctt.ingest.messages import Issue
from dvctt.service_index.definition import IndexPeriod
from dvctt.service_index.formats import export2025
from dvctt.service_index.formats import records as rec

LIST_KEYS = ("data", "records")


def _records(doc: object) -> tuple[str, object]:
    """(JSON path of the list, the list) — the list itself, or under ``data`` / ``records`` (one level deep)."""
    if isinstance(doc, list):
        return "", doc
    if isinstance(doc, dict):
        for key in LIST_KEYS:
            value = doc.get(key)
            if isinstance(value, list):
                return key, value
            if isinstance(value, dict):
                for inner in LIST_KEYS:
                    if isinstance(value.get(inner), list):
                        return f"{key}.{inner}", value[inner]
    return "", None


def recognise(doc: object) -> bool:
    """Records whose first item has the export's MA_COQUAN and TONG_SCORE fields."""
    _, items = _records(doc)
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return False
    return {"MA_COQUAN", "TONG_SCORE"} <= {str(k).upper() for k in items[0]}


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read(doc: object, path: Path, period: IndexPeriod | None, level: str | None) -> tuple[list[dict], list[Issue]]:
    """The records as rows of an export (header = the fields of the first record), checked by its rules."""
    where, items = _records(doc)
    assert isinstance(items, list)
    prefix = where or "$"
    issues: list[Issue] = []
    header = [str(k) for k in items[0]]
    rows = [tuple(Cell(text=h) for h in header)]
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            issues.append(rec.shape_issue(path.name, f"{prefix}[{index}]", "object", item))
            rows.append(())
            continue
        unknown = [k for k in item if k not in header]
        for key in unknown:
            issues.append(rec.shape_issue(path.name, f"{prefix}[{index}].{key}", "; ".join(header), key))
        rows.append(tuple(Cell(text=_text(item.get(h))) for h in header))
    sheet = Sheet(file=path.name, name=None, rows=tuple(rows), header_text=())
    found, problems = export2025.sheet_records(sheet, 0, period, level)
    for problem in problems:
        column = problem.column
        if problem.row is not None and problem.row >= 2:
            column = f"{prefix}[{problem.row - 2}]" + (f".{problem.column}" if problem.column else "")
        issues.append(Issue(problem.file, None, None, column, problem.value, problem.rule, problem.params))
    for record in found:
        index = int(record["row"]) - 2
        record.update(
            sheet=where, row=index + 1, _where=f"{path.name} {prefix}[{index}]", _exact=True, _code_key="MA_COQUAN"
        )
    return found, issues
