"""Reading statistics files as analysts receive them: CSV in any of four encodings, or XLSX workbooks.

Everything is turned into grids of :class:`Cell` (one per spreadsheet cell) so the rest of the ingest works
the same for both formats. Text is NFC-normalised: Windows-1258 writes Vietnamese tone marks as separate
combining characters ("Hưng" as "Hư" + U+0301 + "ng"), which must compare equal to the precomposed form.
The file is only ever read.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from dvctt.ingest.bounds import Progress, check_xlsx_size
from dvctt.ingest.messages import Issue, fail

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = (",", ";", "\t")
HEADER_SCAN_ROWS = 30  # title and header rows are looked for this far down


@dataclass(frozen=True)
class Cell:
    """One cell: ``text`` as shown (NFC, stripped), plus the native value of a numeric or date XLSX cell."""

    text: str = ""
    number: Decimal | None = None
    percent_format: bool = False  # an XLSX number formatted as a percentage holds a fraction (0.5223)
    day: date | None = None
    formula_without_value: bool = False

    @property
    def empty(self) -> bool:
        return not self.text and self.number is None and self.day is None and not self.formula_without_value


EMPTY = Cell()


@dataclass(frozen=True)
class Sheet:
    """One table: a CSV file or one worksheet. ``header_text`` repeats a merged cell's text over its whole
    range (for header detection only); ``rows`` keep data as stored (a merged value only in its first cell)."""

    file: str
    name: str | None
    rows: tuple[tuple[Cell, ...], ...]
    header_text: tuple[tuple[str, ...], ...]
    merged: bool = False  # True when header_text was filled from merged ranges (XLSX)

    @property
    def where(self) -> str:
        return self.file if self.name is None else f"{self.file}, sheet {self.name}"


@dataclass(frozen=True)
class Workbook:
    """What was read from one file: its tables (one per CSV separator tried, or per worksheet)."""

    path: Path
    kind: str  # "csv" or "xlsx"
    sheets: tuple[Sheet, ...]
    sheet_names: tuple[str, ...] = ()
    encoding: str | None = None


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _issue(path: Path, rule: str, **params: object) -> Issue:
    return Issue(path.name, None, None, None, None, rule, dict(params))


# ------------------------------------------------------------------------------------------------ CSV


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding used). BOMs decide first; then UTF-16 without a BOM (NUL
    bytes), strict UTF-8, and Windows-1258, the legacy Vietnamese Windows code page."""
    if encoding:
        return nfc(data.decode(encoding)), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return nfc(data[3:].decode("utf-8")), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return nfc(data.decode("utf-16")), "utf-16"
    sample = data[:4000]
    if sample and sample.count(0) > len(sample) // 4:
        even_nuls = sample[0::2].count(0)
        codec = "utf-16-be" if even_nuls > sample[1::2].count(0) else "utf-16-le"
        return nfc(data.decode(codec)), codec
    try:
        return nfc(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        return nfc(data.decode("cp1258")), "cp1258"


def _csv_rows(text: str, separator: str, file: str = "") -> tuple[tuple[Cell, ...], ...]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    progress = Progress(f"{file} ({separator!r}-separated)", unit="rows")
    rows = []
    for record in reader:
        rows.append(tuple(Cell(c.strip()) for c in record))
        if not len(rows) % 1000:
            progress.update(len(rows))
    progress.done()
    return tuple(rows)


def read_csv(path: Path, data: bytes, encoding: str | None = None) -> Workbook:
    """One candidate table per separator: which one is right is decided by where a header is found."""
    try:
        text, used = decode(data, encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise fail(_issue(path, "encoding", detail=str(exc))) from exc
    if not text.strip().strip("".join(SEPARATORS) + "\r\n\"'"):
        raise fail(_issue(path, "empty_file"))
    sheets = []
    for separator in SEPARATORS:
        try:
            rows = _csv_rows(text, separator, path.name)
        except csv.Error as exc:
            raise fail(_issue(path, "unreadable", detail=str(exc))) from exc
        header = tuple(tuple(c.text for c in row) for row in rows[:HEADER_SCAN_ROWS])
        sheets.append(Sheet(path.name, None, rows, header))
    return Workbook(path, "csv", tuple(sheets), encoding=used)


# ----------------------------------------------------------------------------------------------- XLSX


def _plain(number: Decimal) -> str:
    """52.2300 -> "52.23", 1E+2 -> "100": the number as a person would type it."""
    text = format(number.normalize(), "f")
    return text


def _xlsx_cell(value: object, number_format: str, formula: object) -> Cell:
    if value is None:
        is_formula = isinstance(formula, str) and formula.startswith("=")
        return Cell(text=str(formula) if is_formula else "", formula_without_value=is_formula)
    if isinstance(value, bool):
        return Cell(text=str(value).upper())
    if isinstance(value, datetime):
        return Cell(text=value.date().isoformat(), day=value.date())
    if isinstance(value, date):
        return Cell(text=value.isoformat(), day=value)
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        percent = "%" in (number_format or "")
        shown = _plain(number * 100) + "%" if percent else _plain(number)
        return Cell(text=shown, number=number, percent_format=percent)
    return Cell(text=nfc(str(value)).strip())


def _worksheet(file: str, values_ws, formulas_ws) -> Sheet:  # noqa: ANN001 - openpyxl worksheets
    rows: list[tuple[Cell, ...]] = []
    progress = Progress(f"{file}, sheet {values_ws.title}", unit="rows")
    formula_rows = formulas_ws.iter_rows(values_only=True) if formulas_ws is not None else None
    for row in values_ws.iter_rows():
        formulas = next(formula_rows, None) if formula_rows is not None else None
        cells = []
        for index, cell in enumerate(row):
            formula = formulas[index] if formulas is not None and index < len(formulas) else None
            cells.append(_xlsx_cell(cell.value, cell.number_format, formula))
        rows.append(tuple(cells))
        progress.update(len(rows))
    progress.done()
    header = [[c.text for c in row] for row in rows[:HEADER_SCAN_ROWS]]
    for merged in values_ws.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(header):
            continue
        text = header[top][left] if left < len(header[top]) else ""
        for r in range(top, min(merged.max_row, len(header))):
            for c in range(left, merged.max_col):
                if c < len(header[r]):
                    header[r][c] = text
    return Sheet(file, values_ws.title, tuple(rows), tuple(tuple(r) for r in header), merged=True)


#: What a file given as .xlsx really is, by its first bytes (an .xlsx is a zip archive: "PK").
_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_xls"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"%PDF", "pdf"),
)


def _check_xlsx_signature(path: Path) -> None:
    """A zero-byte file, an image, a PDF or an old .xls renamed to .xlsx gets a message that says so."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise fail(_issue(path, "empty_file"))
    if head.startswith(b"PK"):
        return
    kind = next((k for magic, k in _SIGNATURES if head.startswith(magic)), "other")
    raise fail(_issue(path, "not_xlsx", kind_vi=_NOT_XLSX[kind][0], kind_en=_NOT_XLSX[kind][1]))


_NOT_XLSX = {
    "old_xls": (
        "tệp Excel 97–2003 (.xls) bị đổi tên; mở bằng Excel và lưu thành .xlsx",
        "an Excel 97–2003 (.xls) file renamed; open it in Excel and save it as .xlsx",
    ),
    "image": ("một tệp ảnh", "an image"),
    "pdf": ("một tệp PDF", "a PDF document"),
    "other": ("không phải bảng tính Excel", "not an Excel workbook"),
}


def read_xlsx(path: Path, sheet: str | None = None) -> Workbook:
    """Every worksheet, or only ``sheet``; a missing sheet is an error that lists the sheets there are."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_signature(path)
    try:
        check_xlsx_size(path)  # before openpyxl parses anything: a zip bomb is refused here
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:  # fmt: skip
        raise fail(_issue(path, "unreadable", detail=f"{type(exc).__name__}: {exc}")) from exc
    names = tuple(values.sheetnames)
    if sheet is not None and sheet not in names:
        raise fail(_issue(path, "wrong_sheet", sheet=sheet, sheets=", ".join(names)))
    chosen = [sheet] if sheet is not None else list(names)
    sheets = tuple(_worksheet(path.name, values[name], formulas[name]) for name in chosen)
    if all(not any(not c.empty for row in s.rows for c in row) for s in sheets):
        raise fail(_issue(path, "empty_file"))
    return Workbook(path, "xlsx", sheets, sheet_names=names)


def read_workbook(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> Workbook:
    """The front door for one file: CSV (``sheet`` must be None) or XLSX, by suffix."""
    if not path.is_file():
        raise fail(_issue(path, "unreadable", detail="file not found"))
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet)
    if suffix in CSV_SUFFIXES:
        data = path.read_bytes()
        if not data.strip():
            raise fail(_issue(path, "empty_file"))
        if sheet is not None:
            raise fail(_issue(path, "wrong_sheet", sheet=sheet, sheets="(CSV: no sheets)"))
        return read_csv(path, data, encoding)
    raise fail(_issue(path, "unsupported_type", suffix=suffix or "(none)"))


def column_letter(index: int) -> str:
    """0 -> "A", 27 -> "AB": how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_at(row: Sequence[Cell], index: int | None) -> Cell:
    return row[index] if index is not None and index < len(row) else EMPTY
