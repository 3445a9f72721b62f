"""A province's own four-sheet workbook (year, month, agencies, communes), as provinces' tools save the portal's
web tables, built with openpyxl from REAL values of Gia Lai's 2026 answers in tests/fixtures/portal-2026/:
the year sheet from the 02/10/2026 service-results overview and radar, the month sheet from February's answer,
the agencies and communes sheets from the six component endpoints of 02/10/2026 and the same day's totals."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

PORTAL = Path(__file__).parent / "fixtures" / "portal-2026"
BUNDLE = PORTAL / "components_H21_GiaLai_year2026_2026-10-02.json"
FEBRUARY = PORTAL / "service-results_H21_GiaLai_month2026-02.json"
HEADER = ["Mã đơn vị", "Tên đơn vị", "Công khai, minh bạch", "Tiến độ giải quyết", "Dịch vụ trực tuyến",
          "Mức độ hài lòng", "Số hóa hồ sơ", "Tổng điểm"]  # fmt: skip
YEAR_TITLE = "Chỉ số phục vụ người dân, doanh nghiệp từ ngày 01/01/2026 đến ngày 02/10/2026"
SHEETS = ("Năm 2026", "Tháng 02", "Sở, ban, ngành", "Cấp xã")
#: endpoint → (component, list under data, score field), as the portal answers
PARTS = {
    "TRANSPARENCY": ("CKMB", "evaluation", "totalScore"),
    "PROGRESS": ("TDGQ", "children", "score"),
    "ONLINE": ("CLGQ", "children", "totalScore"),
    "PAYMENT": ("TTTT", "children", "totalScore"),
    "HANDLING_SATISFACTION": ("MDHL", "evaluation", "totalScore"),
    "DIGITIZED": ("MDSH", "evaluation", "totalScore"),
}


def _province_row(data: dict) -> list[object]:
    radar = {item["code"]: item["score"] for item in data["radar"]}
    overview = data["overview"]
    return [overview["departmentCode"], overview["departmentName"], radar["CKMB"], radar["TDGQ"],
            radar["ONLINE_SERVICE"], radar["MDHL"], radar["MDSH"], overview["totalScore"]]  # fmt: skip


def unit_rows(bundle: dict) -> dict[str, list[object]]:
    """Each unit's row (code, name, five web-table parts, total) from the raw component answers."""
    units = {r["departmentCode"]: r for r in bundle["SERVICE_RESULTS"]["data"]["evaluation"]}
    by_id = {r["departmentId"]: code for code, r in units.items()}
    parts: dict[str, dict[str, float]] = {code: {} for code in units}
    for endpoint, (component, rows, score) in PARTS.items():
        for row in bundle[endpoint]["data"][rows]:
            parts[row.get("departmentCode") or by_id[row["departmentId"]]][component] = row[score]
    return {
        code: [code, unit["departmentName"], p["CKMB"], p["TDGQ"], round(p["CLGQ"] + p["TTTT"], 2), p["MDHL"],
               p["MDSH"], unit["totalScore"], unit["childGroup"]]
        for code, unit in units.items() for p in [parts[code]]
    }  # fmt: skip


def gia_lai_workbook(path: Path) -> Path:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    february = json.loads(FEBRUARY.read_text(encoding="utf-8"))["data"]
    wb = openpyxl.Workbook()
    year = wb.active
    year.title = SHEETS[0]
    for sheet, title, rows in (
        (year, YEAR_TITLE, [_province_row(bundle["SERVICE_RESULTS"]["data"])]),
        (wb.create_sheet(SHEETS[1]), "Chỉ số phục vụ người dân, doanh nghiệp tháng 02/2026", [_province_row(february)]),
    ):
        sheet.append([title])
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
    units = unit_rows(bundle)
    for name, group in ((SHEETS[2], "AGENCY"), (SHEETS[3], "COMMUNE")):
        sheet = wb.create_sheet(name)
        sheet.append([YEAR_TITLE])
        sheet.append(HEADER)
        for row in sorted(units.values()):
            if row[-1] == group:
                sheet.append(row[:-1])
    wb.save(path)
    return path
