"""A blank input workbook for a campaign: what a unit fills in, in the shape ``dvctt ingest`` reads unchanged.

One sheet per level (Cấp tỉnh / Cấp huyện / Cấp xã) with a title row, a line of instructions, a two-row
Vietnamese header (the indicator merged above "Số hồ sơ … / Tổng số … / Tỷ lệ (%)") and the campaign's units
pre-filled with their code and name. The header words are those of :mod:`dvctt.ingest.headers`, so a blank
template ingests to zero observations and a filled one round-trips.
"""

from __future__ import annotations

import os
from pathlib import Path

from dvctt.campaign.definition import Campaign
from dvctt.errors import ParameterError
from dvctt.labels import kpi_label, level_label
from dvctt.safe_text import safe_text

#: Sub-headers per KPI: (numerator, denominator). The rate column is always "Tỷ lệ (%)".
KPI_COUNT_HEADERS: dict[str, tuple[str, str]] = {
    "online": ("Số hồ sơ trực tuyến", "Tổng số hồ sơ tiếp nhận"),
    "digitized": ("Số hồ sơ được số hóa", "Tổng số hồ sơ tiếp nhận"),
    "online_payment": ("Số hồ sơ thanh toán trực tuyến", "Số hồ sơ có nghĩa vụ tài chính"),
    "on_time": ("Số hồ sơ giải quyết đúng hạn", "Số hồ sơ đã giải quyết"),
    "full_process": ("Số hồ sơ trực tuyến toàn trình", "Tổng số hồ sơ tiếp nhận"),
}
RATE_HEADER = "Tỷ lệ (%)"
ID_HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị")
INSTRUCTIONS = (
    "Ghi số hồ sơ (số nguyên) và/hoặc tỷ lệ phần trăm (0–100). Để trống ô không có số liệu; ghi «-» nếu đơn vị "
    "không báo cáo. Không sửa cột Mã đơn vị. Nhập bằng lệnh: dvctt ingest TỆP --campaign {campaign} --period KỲ"
)
TITLE_ROW, INSTRUCTION_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = 5


def _load(campaign: str | os.PathLike[str] | Campaign) -> Campaign:
    from dvctt.campaign.loading import load_campaign

    return campaign if isinstance(campaign, Campaign) else load_campaign(campaign)


def build_template(
    campaign: str | os.PathLike[str] | Campaign, out: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write the blank workbook to ``out`` (.xlsx); an existing file is kept unless ``force``, because it may
    be a filled-in original."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    camp = _load(campaign)
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ParameterError(f"The template must be an .xlsx file, got {out.name!r}.")
    if out.exists() and not force:
        raise ParameterError(f"{out} already exists; choose another name or pass --force to overwrite it.")
    definition = camp.definition
    kpis = [k for k in definition.kpis if k in KPI_COUNT_HEADERS]
    book = Workbook()
    book.remove(book.active)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill = PatternFill("solid", fgColor="DDEBF7")
    width = len(ID_HEADERS) + 3 * len(kpis)
    for level in definition.levels:
        sheet = book.create_sheet(level_label(level, "vi"))
        units = camp.units[camp.units["level"] == level]
        sheet.cell(TITLE_ROW, 1, f"Số liệu dịch vụ công trực tuyến — {level_label(level, 'vi')} — {definition.name_vi}")
        sheet.cell(TITLE_ROW, 1).font = Font(bold=True, size=13)
        sheet.cell(INSTRUCTION_ROW, 1, INSTRUCTIONS.format(campaign=definition.id))
        sheet.cell(INSTRUCTION_ROW, 1).font = Font(italic=True)
        for row in (TITLE_ROW, INSTRUCTION_ROW):
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for col, text in enumerate(ID_HEADERS, 1):
            sheet.cell(GROUP_ROW, col, text)
            sheet.merge_cells(start_row=GROUP_ROW, start_column=col, end_row=HEADER_ROW, end_column=col)
        for i, kpi in enumerate(kpis):
            first = len(ID_HEADERS) + 3 * i + 1
            sheet.cell(GROUP_ROW, first, kpi_label(kpi, "vi"))
            sheet.merge_cells(start_row=GROUP_ROW, start_column=first, end_row=GROUP_ROW, end_column=first + 2)
            for offset, text in enumerate((*KPI_COUNT_HEADERS[kpi], RATE_HEADER)):
                sheet.cell(HEADER_ROW, first + offset, text)
        for row in (GROUP_ROW, HEADER_ROW):
            for col in range(1, width + 1):
                cell = sheet.cell(row, col)
                cell.font, cell.alignment, cell.fill = bold, wrap, fill
        last = FIRST_DATA_ROW + max(len(units), 1) - 1
        for offset, unit in enumerate(units.itertuples(index=False)):
            row = FIRST_DATA_ROW + offset
            sheet.cell(row, 1, offset + 1)
            sheet.cell(row, 2, safe_text(str(unit.unit_code)))
            sheet.cell(row, 3, safe_text(str(unit.official_name)))
            for i in range(len(kpis)):
                first = len(ID_HEADERS) + 3 * i + 1
                sheet.cell(row, first).number_format = "#,##0"
                sheet.cell(row, first + 1).number_format = "#,##0"
                sheet.cell(row, first + 2).number_format = "0.00"
        counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rates = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
        counts.error = "Số hồ sơ phải là số nguyên không âm / a count is a whole number >= 0"
        rates.error = "Tỷ lệ từ 0 đến 100 / a rate is between 0 and 100"
        for validation in (counts, rates):
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
        for i in range(len(kpis)):
            first = len(ID_HEADERS) + 3 * i + 1
            for col, validation in ((first, counts), (first + 1, counts), (first + 2, rates)):
                letter = get_column_letter(col)
                validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
        sheet.column_dimensions["A"].width = 6
        sheet.column_dimensions["B"].width = 11
        sheet.column_dimensions["C"].width = 42
        for col in range(len(ID_HEADERS) + 1, width + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 16
        sheet.row_dimensions[HEADER_ROW].height = 45
        sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, len(ID_HEADERS) + 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
