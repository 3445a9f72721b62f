"""A blank statistics form ("tình hình, kết quả giải quyết TTHC") for a campaign: ``dvctt template --layout form``.

The second layout of :mod:`dvctt.ingest.template`: the form one-stop-shop systems print — title, reporting
period line, the three-row merged header, the "(1) … (13)" row, one section per level (I. CẤP TỈNH …) with the
campaign's units and their codes, a "Tổng cộng" row and the signature block. Its words are those
:mod:`dvctt.ingest.form_header` reads, so a blank form ingests to nothing and a filled one gives the online,
on-time and overdue-pending rates with their counts.
"""

from __future__ import annotations

import os
from pathlib import Path

from dvctt.campaign.definition import Campaign
from dvctt.errors import ParameterError
from dvctt.labels import level_label

RECEIVED = "Số hồ sơ nhận giải quyết"
FINISHED = "Số lượng hồ sơ đã giải quyết"
PENDING = "Số lượng hồ sơ đang giải quyết"
#: Every column's header path, top to bottom (None: merged with the cell above), as the form prints it.
COLUMNS: tuple[tuple[str, str | None, str | None], ...] = (
    ("STT", None, None),
    ("Mã đơn vị", None, None),
    ("Đơn vị", None, None),
    (RECEIVED, "Tổng số", None),
    (RECEIVED, "Trong đó", "Số kỳ trước chuyển qua"),
    (RECEIVED, "Trong đó", "Số mới tiếp nhận trực tuyến"),
    (RECEIVED, "Trong đó", "Số mới tiếp nhận trực tiếp, dịch vụ bưu chính"),
    (FINISHED, "Tổng số", None),
    (FINISHED, "Trả đúng thời hạn", "Trả trước hạn"),
    (FINISHED, "Trả đúng thời hạn", "Trả đúng hạn"),
    (FINISHED, "Trả quá hạn", None),
    (PENDING, "Tổng số", None),
    (PENDING, "Trong hạn", None),
    (PENDING, "Quá hạn", None),
)
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
PERIOD_LINE = "Kỳ báo cáo: từ ngày … đến ngày … — {campaign}"
NOTE = (
    "Ghi số hồ sơ (số nguyên). Kiểm tra: (3) = (4)+(5)+(6); (7) = (8)+(9)+(10); (11) = (12)+(13); (3) = (7)+(11). "
    "Nhập bằng lệnh: dvctt ingest TỆP --campaign {campaign} --period KỲ"
)
SECTIONS = {"province": "I. CẤP TỈNH", "district": "II. CẤP HUYỆN", "commune": "III. CẤP XÃ"}
HEADER_TOP = 4
FIRST_COUNT = 4  # column D, (3)


def _load(campaign: str | os.PathLike[str] | Campaign) -> Campaign:
    from dvctt.campaign.loading import load_campaign

    return campaign if isinstance(campaign, Campaign) else load_campaign(campaign)


def _header(sheet) -> None:  # noqa: ANN001 - an openpyxl worksheet
    """The three merged header rows: a horizontal run of one text merges, a cell with nothing below merges down."""
    for level in range(3):
        c = 0
        while c < len(COLUMNS):
            end = c
            while end + 1 < len(COLUMNS) and COLUMNS[end + 1][: level + 1] == COLUMNS[c][: level + 1]:
                end += 1
            text = COLUMNS[c][level]
            if text is not None:
                sheet.cell(HEADER_TOP + level, c + 1, text)
                depth = level
                while depth < 2 and all(COLUMNS[i][depth + 1] is None for i in range(c, end + 1)):
                    depth += 1
                if end > c or depth > level:
                    sheet.merge_cells(
                        start_row=HEADER_TOP + level, start_column=c + 1, end_row=HEADER_TOP + depth, end_column=end + 1
                    )
            c = end + 1


def build_form_template(
    campaign: str | os.PathLike[str] | Campaign, out: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write the blank form to ``out`` (.xlsx); an existing file is kept unless ``force``."""
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
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu thống kê"
    width = len(COLUMNS)
    for row, text, font in (
        (1, TITLE, Font(bold=True, size=13)),
        (2, PERIOD_LINE.format(campaign=definition.name_vi), Font(italic=True)),
        (3, NOTE.format(campaign=definition.id), Font(italic=True)),
    ):
        sheet.cell(row, 1, text).font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    _header(sheet)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill = PatternFill("solid", fgColor="DDEBF7")
    numbers_row = HEADER_TOP + 3
    sheet.cell(numbers_row, 1, "(1)")  # the code column (B) is ours, not one of the form's (1) … (13)
    for col in range(3, width + 1):
        sheet.cell(numbers_row, col, f"({col - 1})")
    for col in range(1, width + 1):
        for row in range(HEADER_TOP, numbers_row + 1):
            cell = sheet.cell(row, col)
            cell.font, cell.alignment, cell.fill = bold, wrap, fill
    row = numbers_row + 1
    first_data = row
    for level in definition.levels:
        units = camp.units[camp.units["level"] == level]
        sheet.cell(row, 1, SECTIONS.get(level, level_label(level, "vi").upper())).font = bold
        row += 1
        for offset, unit in enumerate(units.itertuples(index=False)):
            sheet.cell(row, 1, offset + 1)
            sheet.cell(row, 2, str(unit.unit_code))
            sheet.cell(row, 3, str(unit.official_name))
            for col in range(FIRST_COUNT, width + 1):
                sheet.cell(row, col).number_format = "#,##0"
            row += 1
    sheet.cell(row, 3, "Tổng cộng").font = bold
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    counts.error = "Số hồ sơ phải là số nguyên không âm / a count is a whole number >= 0"
    counts.showErrorMessage = True
    sheet.add_data_validation(counts)
    counts.add(f"{get_column_letter(FIRST_COUNT)}{first_data}:{get_column_letter(width)}{row}")
    sheet.cell(row + 2, 3, "Người lập biểu")
    sheet.cell(row + 2, 9, "Thủ trưởng đơn vị")
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 11
    sheet.column_dimensions["C"].width = 40
    for col in range(FIRST_COUNT, width + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 13
    sheet.freeze_panes = sheet.cell(first_data, FIRST_COUNT)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
