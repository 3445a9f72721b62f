"""SYNTHETIC service-index exports for the tests, built with openpyxl and labelled synthetic in their title row."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from dvctt.service_index.definition import COMPONENT_MAX

HEADER = ["ID", "TEN", "TEN_COQUAN", "MA_COQUAN", "LOAI_COQUAN", "CAPDONVIID", "ID_COQUAN"]
HEADER += ["TDGQ", "MDHL", "MDSH", "TTTT", "CLGQ", "CKMB", "TONG_SCORE", "ROW_STT"]


def synthetic_export(path: Path, units: list[tuple[str, str, float]], title: str = "SYNTHETIC — dữ liệu mô phỏng"):
    """A SYNTHETIC export (labelled so in its title row): each total split over the components by their maxima."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cấp xã và sở ngành"
    ws.append([title])
    ws.append(HEADER)
    for i, (code, name, total) in enumerate(units, start=1):
        values = {c: round(m * total / 100, 2) for c, m in COMPONENT_MAX.items()}
        values["MDSH"] = round(total - sum(v for c, v in values.items() if c != "MDSH"), 2)
        row = {"ID": str(i), "TEN": name, "TEN_COQUAN": name, "MA_COQUAN": code, "LOAI_COQUAN": "2"}
        row |= {"CAPDONVIID": "3", "ID_COQUAN": str(i), "TONG_SCORE": str(total), "ROW_STT": str(i)}
        ws.append([row.get(h, str(values.get(h))) for h in HEADER])
    wb.save(path)
    return path


LOCAL = [  # SYNTHETIC: three agencies and five communes of Cà Mau (real names, invented scores)
    ("H12.10", "Sở Tư pháp", 93.5),
    ("H12.11", "Sở Y tế", 86.0),
    ("H12.12", "Sở Xây dựng", 79.99),
    ("H12.201", "UBND phường An Xuyên", 95.0),
    ("H12.202", "UBND xã Đất Mũi", 88.0),
    ("H12.203", "UBND xã Tân Ân", 88.0),
    ("H12.204", "UBND xã Năm Căn", 80.0),
    ("H12.205", "UBND xã U Minh", 72.25),
]
