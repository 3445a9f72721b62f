"""A table copied from the portal's web page (pasted into Excel or saved as CSV), with its Vietnamese headers.

The page shows, per unit, "Công khai, minh bạch" (CKMB), "Tiến độ giải quyết" (TDGQ), "Dịch vụ trực tuyến"
(the 22-point online service = CLGQ + TTTT, which the page does not split: CLGQ and TTTT stay NaN), "Mức độ hài
lòng" (MDHL), "Số hóa hồ sơ" (MDSH) and "Tổng điểm"; the five add up to the total. A unit is named by a code
column when there is one ("Mã đơn vị"), else, for provinces, by its name through the portal's province codes.
The page prints no rank dvctt uses (an "STT"/"Xếp hạng" column is ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

from dvctt.ingest.files import Cell, Sheet
from dvctt.ingest.messages import Issue
from dvctt.service_index import units as index_units
from dvctt.service_index.definition import SUM_TOLERANCE, IndexPeriod
from dvctt.service_index.formats import export2025
from dvctt.service_index.formats import records as rec

HEADERS: dict[str, str] = {
    "cong khai minh bach": "CKMB",
    "tien do giai quyet": "TDGQ",
    "tien do ket qua giai quyet": "TDGQ",
    "dich vu truc tuyen": "ONLINE_SERVICE",
    "cung cap dich vu truc tuyen": "CLGQ",
    "thanh toan truc tuyen": "TTTT",
    "muc do hai long": "MDHL",
    "so hoa ho so": "MDSH",
    "muc do so hoa ho so": "MDSH",
    "tong diem": "total",
    "ma": "code",
    "ma don vi": "code",
    "ma co quan": "code",
    "ten don vi": "name",
    "don vi": "name",
    "ten co quan": "name",
    "co quan": "name",
    "tinh thanh pho": "name",
    "stt": "",
    "xep hang": "",
    "hang": "",
}
SCORE_KEYS = ("CKMB", "TDGQ", "ONLINE_SERVICE", "CLGQ", "TTTT", "MDHL", "MDSH")
_GSO_TO_PORTAL = {gso: portal for portal, gso in index_units.PORTAL_PROVINCE_CODES.items()}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", export2025._fold(text)).split())


def find_header(sheet: Sheet) -> int | None:
    """The row (in the first rows) that has "Tổng điểm" and at least three component headers."""
    for index, row in enumerate(sheet.rows[: export2025.HEADER_SCAN_ROWS]):
        keys = [HEADERS.get(_key(c.text)) for c in row if c.text]
        if "total" in keys and sum(k in SCORE_KEYS for k in keys) >= 3:
            return index
    return None


def _unit(code_text: str, name: str) -> str | None:
    if code_text:
        return index_units.normalize_code(code_text)
    found = index_units.match_province(name)
    return _GSO_TO_PORTAL.get(found[0]) if found else None


def read_sheet(
    sheet: Sheet, header_row: int, period: IndexPeriod | None, level: str | None, as_of: str
) -> tuple[list[dict], list[Issue]]:
    """One record per unit row of a copied web table; every problem with sheet, row, column and value."""
    meta = export2025._sheet_meta(sheet, header_row)
    issues: list[Issue] = []
    where = (sheet.file, sheet.name)
    if period is not None and meta.period is not None and meta.period.id != period.id:
        issues.append(Issue(*where, None, None, None, "index_period_conflict",
                            {"sheet_period": meta.period.id, "period": period.id}))  # fmt: skip
    chosen = period or meta.period
    if chosen is None:
        issues.append(Issue(*where, None, None, None, "index_no_period"))
    columns: dict[str, int] = {}
    for index, cell in enumerate(sheet.rows[header_row]):
        if not cell.text:
            continue
        key = HEADERS.get(_key(cell.text))
        if key is None:
            known = "; ".join(sorted({k for k in HEADERS if HEADERS[k]}))
            issues.append(Issue(*where, header_row + 1, cell.text, cell.text, "index_web_unknown_column",
                                {"expected": known}))  # fmt: skip
        elif key and key in columns:
            issues.append(Issue(*where, header_row + 1, cell.text, cell.text, "index_duplicate_column"))
        elif key:
            columns[key] = index
    if issues:
        return [], issues
    records = []
    headers = sheet.rows[header_row]
    for index in range(header_row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if all(c.empty for c in row):
            continue

        def cell(key: str, row: tuple[Cell, ...] = row) -> Cell:
            at = columns.get(key)
            return row[at] if at is not None and at < len(row) else Cell()

        found: list[Issue] = []
        scores: dict[str, float] = {}
        for key in (*SCORE_KEYS, "total"):
            if key not in columns:
                continue
            value = export2025._score(cell(key))
            if isinstance(value, str):
                found.append(Issue(*where, index + 1, headers[columns[key]].text, cell(key).text, value))
            else:
                scores[key] = float(value)
        name, code_text = cell("name").text, cell("code").text
        code = _unit(code_text, name)
        if code is None:
            found.append(Issue(*where, index + 1, "code" if code_text else "name", code_text or name,
                               "index_web_no_code"))  # fmt: skip
        total = scores.pop("total", None)
        if total is not None and chosen is not None:
            at = f"row {index + 1}"
            for problem in rec.check_scores({**scores, "total": total}, {}, chosen.year, sheet.file, at):
                key = problem.column.rsplit(".", 1)[1] if problem.column else ""
                column = headers[columns[key]].text if key in columns else problem.column
                found.append(Issue(*where, index + 1, column, problem.value, problem.rule, problem.params))
            summed = rec.sum_issue(scores, total, sheet.file, at, SUM_TOLERANCE)
            if summed is not None:
                found.append(Issue(*where, index + 1, headers[columns["total"]].text, summed.value, summed.rule,
                                   summed.params))  # fmt: skip
        level_here = None
        if code is not None:
            level_here = "province" if "." not in code else (level or meta.level or index_units.level_of(code, name))
            if level_here is None:
                found.append(Issue(*where, index + 1, "name", name, "index_level_undecided"))
        issues.extend(found)
        if found or chosen is None or total is None or code is None:
            continue
        fields = {"period": chosen.id, "period_kind": chosen.kind, "year": chosen.year,
                  "as_of": as_of or chosen.as_of_text}  # fmt: skip
        place = (
            f"{sheet.file}, sheet {sheet.name!r}, row {index + 1}" if sheet.name else f"{sheet.file}, row {index + 1}"
        )
        records.append(
            rec.unit_record(
                code=code, name=name, level=level_here, portal_id="", scores=scores, total=total,
                file=Path(sheet.file), where=place, sheet=sheet.name or "", row=index + 1, period=fields, exact=True,
                printed_code=code_text or code,
            )
        )  # fmt: skip
    return records, issues
