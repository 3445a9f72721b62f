"""What ``dvctt ingest`` / ``dvctt validate`` tell the analyst, in Vietnamese and English, from one table.

Every problem found in a statistics file is an :class:`Issue`: where it is (file, sheet, row, column), the
value as printed, and a rule code of :data:`MESSAGES`. Messages are ``str.format`` templates filled from the
issue's parameters, so both languages always say the same thing.

Why this module is long: most of it is the MESSAGES table itself (one entry per rule, both languages); it moves
to the catalog data of issue 25 item 3, which leaves the Issue model and its formatting here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dvctt.errors import IngestError, Problem
from dvctt.ingest.index_messages import INDEX_FORMAT_MESSAGES

MESSAGES: dict[str, dict[str, str]] = {
    # file level: nothing from the file is kept
    "unreadable": {
        "vi": "Không đọc được tệp ({detail})",
        "en": "the file cannot be read ({detail})",
    },
    "encoding": {
        "vi": "Không giải mã được văn bản của tệp: không phải UTF-8, UTF-16 hay Windows-1258 ({detail}). Lưu lại "
        "tệp dạng CSV UTF-8",
        "en": "the text is not UTF-8, UTF-16 or Windows-1258 ({detail}). Save the file as CSV UTF-8",
    },
    "unsupported_type": {
        "vi": "Loại tệp {suffix} không được hỗ trợ: dùng .xlsx hoặc .csv (với .xls, mở bằng Excel và lưu thành .xlsx)",
        "en": "file type {suffix} is not supported: use .xlsx or .csv (open an .xls in Excel and save it as .xlsx)",
    },
    "empty_file": {"vi": "Tệp rỗng, không có dữ liệu", "en": "the file is empty"},
    "no_rows": {
        "vi": "Tệp chỉ có dòng tiêu đề, không có dòng số liệu nào bên dưới",
        "en": "the file has a header row but no data row under it",
    },
    "not_xlsx": {
        "vi": "Tệp mang đuôi .xlsx nhưng là {kind_vi}",
        "en": "the file is named .xlsx but is {kind_en}",
    },
    "wrong_sheet": {
        "vi": "Không có trang tính «{sheet}»; các trang có trong tệp: {sheets}",
        "en": "there is no sheet {sheet!r}; the workbook's sheets are: {sheets}",
    },
    "no_header": {
        "vi": "Không tìm thấy dòng tiêu đề có cột tên/mã đơn vị và cột chỉ tiêu trong {rows} dòng đầu (đọc theo "
        "mã {encoding}). Xem bảng tên cột trong docs/vi/reference/headers.md",
        "en": "no header row with a unit name/code column and an indicator column in the first {rows} rows "
        "(read as {encoding}). See the column-name table in docs/en/reference/headers.md",
    },
    "missing_column": {
        "vi": "Thiếu cột bắt buộc: {missing}. Các cột đọc được: {found}",
        "en": "required column missing: {missing}. Columns found: {found}",
    },
    "duplicate_column": {
        "vi": "Hai cột cùng được hiểu là «{field}»: {columns}. Đổi tên một cột",
        "en": "two columns both read as {field!r}: {columns}. Rename one of them",
    },
    "ambiguous_column": {
        "vi": "Cột «{column}» không nói rõ chỉ tiêu nào ({kpis}): ghi tên chỉ tiêu, ví dụ «Tỷ lệ hồ sơ trực tuyến (%)»",
        "en": "column {column!r} does not say which indicator it is ({kpis}): name it, e.g. 'Online rate (%)'",
    },
    "period_unknown": {
        "vi": "Kỳ «{period}» không có trong chiến dịch; các kỳ hợp lệ: {periods}",
        "en": "period {period!r} is not a period of the campaign; valid: {periods}",
    },
    "period_missing": {
        "vi": "Không biết số liệu thuộc kỳ nào: thêm --period (các kỳ: {periods}) hoặc một cột «Kỳ báo cáo»",
        "en": "no period given: add --period (periods: {periods}) or a 'period' column",
    },
    "period_outside": {
        "vi": "Ngày ghi trong tệp ({start} – {end}) nằm ngoài kỳ {period} ({period_start} – {period_end})",
        "en": "the file's dates ({start} – {end}) are outside period {period} ({period_start} – {period_end})",
    },
    # row / cell level: the row (or one indicator of it) is rejected, the rest is kept
    "rate_out_of_range": {
        "vi": "Tỷ lệ {rate}% nằm ngoài khoảng 0–100%",
        "en": "rate {rate}% is outside 0–100%",
    },
    "numerator_above_denominator": {
        "vi": "Tử số {numerator} lớn hơn mẫu số {denominator}",
        "en": "numerator {numerator} is above denominator {denominator}",
    },
    "rate_mismatch": {
        "vi": "Tỷ lệ ghi {rate}% không khớp với {numerator}/{denominator} = {computed}%",
        "en": "printed rate {rate}% does not match {numerator}/{denominator} = {computed}%",
    },
    "zero_denominator_rate": {
        "vi": "Mẫu số bằng 0 thì không có tỷ lệ (không áp dụng): để trống ô tỷ lệ",
        "en": "with a denominator of 0 the rate does not exist (not applicable): leave the rate empty",
    },
    "count_without_pair": {
        "vi": "Chỉ có {given}, thiếu {missing} và tỷ lệ: không tính được tỷ lệ",
        "en": "only the {given_en} is given, without the {missing_en} or a rate: no rate can be derived",
    },
    "duplicate_key": {
        "vi": "Trùng đơn vị × kỳ × chỉ tiêu ({unit_code}, {period}, {kpi}) ở {count_vi} dòng {rows}: "
        "không nhập dòng nào",
        "en": "duplicate unit × period × indicator ({unit_code}, {period}, {kpi}) in {count:,} rows {rows}: none kept",
    },
    "conflict": {
        "vi": "Đã có số liệu {unit_code} × {period} × {kpi} từ nguồn khác «{existing_source}» (giá trị "
        "{existing}); dùng --replace để thay",
        "en": "{unit_code} × {period} × {kpi} already has a value from another source {existing_source!r} "
        "({existing}); use --replace to overwrite it",
    },
    "unknown_unit": {
        "vi": "Không tìm thấy đơn vị «{name}» trong units.csv{scope_vi}; gần giống: {candidates}",
        "en": "unit {name!r} is not in units.csv{scope_en}; closest: {candidates}",
    },
    "example_unit": {
        "vi": "«{name}» ({code}) là đơn vị VÍ DỤ chưa xác nhận trong units.csv (code_source = example): sửa và xác "
        "nhận dòng đó (đổi code_source thành project) rồi nhập lại",
        "en": "{name!r} ({code}) is an unconfirmed EXAMPLE unit of units.csv (code_source = example): edit and "
        "confirm that row (code_source = project), then ingest again",
    },
    "ambiguous_unit": {
        "vi": "Tên «{name}» khớp nhiều đơn vị: {candidates}. Ghi rõ loại (xã / phường / thị trấn / huyện) hoặc "
        "mã đơn vị",
        "en": "name {name!r} matches several units: {candidates}. Give the unit type (xã / phường / thị trấn / "
        "huyện) or the unit code",
    },
    "unknown_unit_code": {
        "vi": "Mã đơn vị «{code}» không có trong units.csv; mã gần giống: {candidates}",
        "en": "unit code {code!r} is not in units.csv; closest codes: {candidates}",
    },
    "code_name_mismatch": {
        "vi": "Mã {code} là «{official}» nhưng tên ghi «{name}» ({named}): mã và tên không khớp, dòng không được "
        "nhập. Sửa mã hoặc tên",
        "en": "code {code} is {official!r} but the name says {name!r} ({named}): code and name disagree, the row "
        "is not kept. Correct the code or the name",
    },
    "fuzzy_unit": {
        "vi": "Tên «{name}» không khớp đúng đơn vị nào; gần giống «{official}» ({code}). Sửa tên trong tệp, hoặc "
        "chạy lại với --accept-fuzzy để nhận khớp này",
        "en": "name {name!r} matches no unit exactly; it is close to {official!r} ({code}). Correct the name, or "
        "run again with --accept-fuzzy to accept this match",
    },
    "level_mismatch": {
        "vi": "Đơn vị {unit_code} thuộc {unit_level}, không phải {level}",
        "en": "unit {unit_code} is at level {unit_level}, not {level}",
    },
    "unknown_level": {
        "vi": "Không hiểu cấp «{value}»: dùng Cấp tỉnh / Cấp huyện / Cấp xã",
        "en": "unknown level {value!r}: use province / district / commune",
    },
    "after_footer": {
        "vi": "Dòng có số liệu nằm dưới phần chữ ký (dòng {footer}) nên không được nhập: chuyển dòng này lên trên "
        "phần chữ ký",
        "en": "a row with figures below the signature block (row {footer}) is not read: move it above the "
        "signature block",
    },
    "no_unit": {
        "vi": "Dòng có số liệu nhưng không có tên hay mã đơn vị",
        "en": "the row has figures but no unit name or code",
    },
    "row_period_unknown": {
        "vi": "Kỳ «{value}» không có trong chiến dịch; các kỳ hợp lệ: {periods}",
        "en": "period {value!r} is not in the campaign; valid: {periods}",
    },
    "period_mismatch": {
        "vi": "Cột kỳ ghi «{value}» nhưng lệnh yêu cầu --period {period}",
        "en": "the period column says {value!r} but --period is {period}",
    },
    "date_outside": {
        "vi": "Ngày {date} nằm ngoài kỳ {period} ({start} – {end})",
        "en": "date {date} is outside period {period} ({start} – {end})",
    },
    "not_a_date": {"vi": "Không phải ngày (dd/mm/yyyy)", "en": "not a date (dd/mm/yyyy)"},
    "not_a_number": {"vi": "Không phải là số", "en": "not a number"},
    "not_whole": {"vi": "Số hồ sơ phải là số nguyên", "en": "a dossier count must be a whole number"},
    "negative": {"vi": "Số hồ sơ không được âm", "en": "a dossier count cannot be negative"},
    "too_large": {
        "vi": "Số hồ sơ quá lớn (trên 1.000.000.000.000): kiểm tra lại ô này",
        "en": "the dossier count is implausibly large (above 10^12): check this cell",
    },
    "percent_in_count": {"vi": "Ô số hồ sơ không được có dấu %", "en": "a dossier count cannot carry a % sign"},
    "grouped_rate": {
        "vi": "Tỷ lệ không có dấu phân cách hàng nghìn",
        "en": "a rate has no thousands separator",
    },
    "formula_no_value": {
        "vi": "Ô có công thức nhưng chưa có giá trị tính sẵn: mở tệp bằng Excel, lưu lại rồi nhập lại",
        "en": "the cell holds a formula without a computed value: open and save the file in Excel, then retry",
    },
    "date_in_number": {
        "vi": "Ô chứa ngày tháng, không phải số (Excel có thể đã tự đổi số thành ngày)",
        "en": "the cell holds a date, not a number (Excel may have turned the number into a date)",
    },
    # the statistics form "tình hình, kết quả giải quyết TTHC" (dvctt.ingest.form)
    "form_unknown_column": {
        "vi": "Biểu thống kê: cột «{column}» không khớp số liệu nào của biểu (tiếp nhận, đã giải quyết, đang giải "
        "quyết): đổi tên cột hoặc xóa cột",
        "en": "statistics form: column {column!r} matches no count of the form (received, finished, pending): "
        "rename or remove it",
    },
    "form_mixed": {
        "vi": "Biểu thống kê vừa có cột đơn vị vừa có cột lĩnh vực ({columns}): tách thành hai tệp",
        "en": "the statistics form has both a unit and a field column ({columns}): split it into two files",
    },
    "form_mixed_sheets": {
        "vi": "Tệp trộn biểu theo lĩnh vực (trang {fields}) với biểu theo đơn vị (trang {units}): nhập riêng từng loại",
        "en": "the file mixes forms by field (sheets {fields}) and by unit (sheets {units}): ingest each kind "
        "separately",
    },
    "form_sum": {
        "vi": "«{label}»: {rule} không đúng ({values}); không nhập chỉ tiêu {kpis} của dòng này",
        "en": "{label!r}: {rule} does not hold ({values}); indicator(s) {kpis} of this row not ingested",
    },
    "form_total_mismatch": {
        "vi": "Dòng «{label}» ghi {printed}, tổng {n} dòng {rows} là {total}; số tổng vẫn được giữ làm số liệu "
        "báo cáo để đối chiếu",
        "en": "row {label!r} prints {printed}, the {n} rows {rows} sum to {total}; the total is kept as a "
        "reported figure for the reconciliation",
    },
    "note.form_online": {
        "vi": "tính từ biểu thống kê: (5) ÷ ((5)+(6)) = {numerator}/{denominator}, không tính hồ sơ kỳ trước "
        "chuyển qua",
        "en": "from the statistics form: (5) ÷ ((5)+(6)) = {numerator}/{denominator}, carried-over dossiers excluded",
    },
    "note.form_on_time": {
        "vi": "tính từ biểu thống kê: ((8)+(9)) ÷ (7) = {numerator}/{denominator}",
        "en": "from the statistics form: ((8)+(9)) ÷ (7) = {numerator}/{denominator}",
    },
    "note.form_overdue_pending": {
        "vi": "tính từ biểu thống kê: (13) ÷ (11) = {numerator}/{denominator}",
        "en": "from the statistics form: (13) ÷ (11) = {numerator}/{denominator}",
    },
    "note.form_missing": {
        "vi": "biểu thống kê để trống một ô cần cho chỉ tiêu này",
        "en": "the statistics form leaves a cell this indicator needs empty",
    },
    # notes written into observations.csv / reported_totals.csv
    "note.marker": {"vi": "ô ghi «{marker}»: không có số liệu", "en": "cell printed {marker!r}: not reported"},
    "note.computed": {"vi": "tỷ lệ tính từ {numerator}/{denominator}", "en": "rate computed from counts"},
    "note.zero_denominator": {
        "vi": "mẫu số 0: không có hồ sơ, tỷ lệ không áp dụng",
        "en": "denominator 0: no dossiers, the rate does not apply",
    },
    "note.spelling": {
        "vi": "tên in «{printed}» được khớp với «{official}» (sai khác chính tả nhỏ)",
        "en": "printed name {printed!r} matched to {official!r} (small spelling difference)",
    },
}


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """The message ``code`` in ``lang``, filled with ``params``; an unknown code is a programming error."""
    return MESSAGES[code][lang].format(**params)


def bilingual(code: str, /, **params: Any) -> str:
    """Vietnamese first, then English: the analyst reads one, a colleague abroad the other."""
    return f"{message(code, 'vi', **params)} / {message(code, 'en', **params)}"


@dataclass(frozen=True)
class Issue:
    """One problem in a statistics file: where, what was printed, which rule (a MESSAGES code)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    rule: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)
    unit_code: str = ""  # the unit of the rejected row, when the row named one (the report says "bị từ chối")
    period: str = ""
    kpi: str = ""  # empty: every KPI of the row

    def reason(self, lang: str = "vi") -> str:
        return message(self.rule, lang, **self.params)

    def to_problem(self) -> Problem:
        where = self.file if self.sheet is None else f"{self.file}, sheet {self.sheet!r}"
        return Problem(where, self.row, self.column, self.value, bilingual(self.rule, **self.params))

    def to_record(self) -> dict[str, Any]:
        """One row of a rejects file."""
        return {
            "file": self.file,
            "sheet": self.sheet or "",
            "row": "" if self.row is None else self.row,
            "column": self.column or "",
            "value": "" if self.value is None else self.value,
            "rule": self.rule,
            "reason_vi": self.reason("vi"),
            "reason_en": self.reason("en"),
            **{key: getattr(self, key) for key in ("unit_code", "period", "kpi")},
        }


REJECT_COLUMNS: tuple[str, ...] = ("file", "sheet", "row", "column", "value", "rule", "reason_vi", "reason_en",
                                   "unit_code", "period", "kpi")  # fmt: skip


def fail(*issues: Issue) -> IngestError:
    """The file-level error for ``issues``, keeping them for callers that report in both languages."""
    error = IngestError([i.to_problem() for i in issues])
    error.issues = list(issues)  # type: ignore[attr-defined]
    return error


#: Rules only a dossier-level file can break, joined to the one message table so that the CLI and the rejects
#: file word them like every other rule. One per kind of :func:`dvctt.dossiers.aggregate._checks` rule, plus the file's
#: coverage and its unknown handling units.
_DOSSIER_LEFT_OUT = {
    "vi": ": {dossiers} hồ sơ của đơn vị «{unit}» không được tính, số liệu của đơn vị thiếu các hồ sơ này "
    "(ví dụ MaHoSo {example})",
    "en": ": {dossiers} dossier(s) of unit {unit!r} not counted, so its figures are computed without them "
    "(e.g. MaHoSo {example})",
}
_DOSSIER_RULES: dict[str, tuple[str, str]] = {
    "empty": ("{column} để trống", "{column} is empty"),
    "code": ("{column} không phải một trong các mã {codes}", "{column} is not one of the codes {codes}"),
    "date": ("{column} không phải ngày (YYYY-MM-DD, có thể kèm giờ)", "{column} is not a date (YYYY-MM-DD, "
             "optionally with a time)"),
    "optional_date": ("{column} phải để trống hoặc là ngày (YYYY-MM-DD, có thể kèm giờ)",
                      "{column} must be empty or a date (YYYY-MM-DD, optionally with a time)"),
    "order": ("NgayKetThucXuLy trước NgayTiepNhan", "NgayKetThucXuLy is before NgayTiepNhan"),
    "range": ("{column} ngoài khoảng ngày có thể có {low} – {high} (ngày nhập sai)",
              "{column} lies outside the possible days {low} – {high} (a mistyped date)"),
    "duplicate": ("MaHoSo lặp lại (hồ sơ đồng bộ nhiều lần), mọi bản đều bị loại",
                  "MaHoSo is repeated (a re-synced dossier), every copy is left out"),
}  # fmt: skip
MESSAGES.update(  # one table: dossier rules are worded like every other rule
    {
        f"dossier_{kind}": {"vi": vi + _DOSSIER_LEFT_OUT["vi"], "en": en + _DOSSIER_LEFT_OUT["en"]}
        for kind, (vi, en) in _DOSSIER_RULES.items()
    }
)
MESSAGES["dossier_unknown_unit"] = {
    "vi": "Đơn vị xử lý «{unit}» không có trong units.csv: {dossiers} hồ sơ không được tính ({total} hồ sơ "
    "không xếp được vào đơn vị nào)",
    "en": "handling unit {unit!r} is not in units.csv: {dossiers} dossier(s) not counted ({total} in all "
    "cannot be placed)",
}
MESSAGES["dossier_no_period"] = {
    "vi": "Hồ sơ tiếp nhận từ {start} đến {end} không phủ trọn kỳ nào của chiến dịch ({periods}): chọn kỳ bằng "
    "--period",
    "en": "the dossiers, received {start} – {end}, cover no whole period of the campaign ({periods}): choose "
    "one with --period",
}
#: The service-index export (Decision 766), read by :mod:`dvctt.service_index.formats.export2025`: a file with
#: any of these problems is refused whole.
MESSAGES.update(
    {
        "index_no_header": {
            "vi": "Không tìm thấy dòng tiêu đề của tệp chỉ số 766 (cột MA_COQUAN và TONG_SCORE) trong {rows} dòng "
            "đầu; chọn trang tính bằng --sheet",
            "en": "no header row of a service-index export (columns MA_COQUAN and TONG_SCORE) in the first {rows} "
            "rows; pick the sheet with --sheet",
        },
        "index_unknown_column": {
            "vi": "Cột không có trong tệp chỉ số 766 của Cổng DVC quốc gia (các cột hợp lệ: {expected})",
            "en": "this column is not in the portal's service-index export (valid columns: {expected})",
        },
        "index_missing_column": {
            "vi": "Thiếu cột {name} của tệp chỉ số 766",
            "en": "the export has no {name} column",
        },
        "index_duplicate_column": {"vi": "Cột bị lặp lại", "en": "the column appears twice"},
        "index_not_a_number": {"vi": "Điểm không phải là số", "en": "the score is not a number"},
        "index_empty_score": {"vi": "Ô điểm để trống", "en": "the score is empty"},
        "index_above_max": {
            "vi": "Điểm vượt tối đa {max} của thành phần theo Quyết định 766",
            "en": "the score is above the component's maximum of {max} (Decision 766)",
        },
        "index_below_zero": {"vi": "Điểm âm", "en": "the score is below 0"},
        "index_sum": {
            "vi": "Tổng sáu thành phần là {sum}, khác TONG_SCORE quá {tolerance}",
            "en": "the six components add up to {sum}, not to TONG_SCORE (beyond {tolerance})",
        },
        "index_bad_code": {
            "vi": "Mã cơ quan không đúng dạng mã của Cổng (H12, H01.187)",
            "en": "not a portal unit code (H12, H01.187)",
        },
        "index_duplicate_unit": {
            "vi": "Đơn vị xuất hiện nhiều lần trong cùng kỳ (cũng ở {other})",
            "en": "the unit appears more than once in the same period (also at {other})",
        },
        "index_level_undecided": {
            "vi": "Không xác định được cấp (tỉnh, sở ngành hay xã) của đơn vị từ mã và tên; ghi rõ cấp bằng "
            "--level hoặc đặt tên trang tính (ví dụ «Cấp xã»)",
            "en": "the unit's level (province, agency or commune) cannot be told from its code and name; give it "
            "with --level or in the sheet name (e.g. 'Cấp xã')",
        },
        "index_level_conflict": {
            "vi": "Mã và tên cho thấy cấp {row_level_vi}, khác với cấp {sheet_level_vi} của trang tính / "
            "tham số --level",
            "en": "code and name say {row_level}, but the sheet or --level says {sheet_level}",
        },
        "index_no_period": {
            "vi": "Trang tính không ghi kỳ (tháng, quý hay lũy kế năm): ghi kỳ bằng --period, ví dụ 2025-10, "
            "2025-q3, 2025-ytd-10",
            "en": "the sheet does not state its period (month, quarter or year to date): give it with --period, "
            "e.g. 2025-10, 2025-q3, 2025-ytd-10",
        },
        "index_period_conflict": {
            "vi": "Tiêu đề ghi kỳ {sheet_period}, khác với --period {period}",
            "en": "the title states period {sheet_period}, not --period {period}",
        },
    }
)
MESSAGES.update(INDEX_FORMAT_MESSAGES)  # the 2026 answers and the other formats (read_index_files)
