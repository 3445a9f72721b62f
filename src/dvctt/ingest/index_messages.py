"""What dvctt says about the files of the service index beyond the 2025 export (the 2026 portal's JSON answers,
the component endpoints, copied web tables, workbooks of several sheets), read by
:func:`dvctt.service_index.formats.read_index_files`. Joined to the one table :data:`dvctt.ingest.messages.MESSAGES`
so that every rule is worded the same way in the CLI and the rejects file."""

from __future__ import annotations

INDEX_FORMAT_MESSAGES: dict[str, dict[str, str]] = {
    "index_json_shape": {
        "vi": "Câu trả lời JSON không đúng cấu trúc dvctt biết tại {path}: cần {expected_vi}, gặp {found_vi}; "
        "tệp được giữ nguyên, không đọc",
        "en": "the JSON answer is not of a shape dvctt knows at {path}: expected {expected}, found {found}; "
        "the file is kept as it is and not read",
    },
    "index_unknown_format": {
        "vi": "dvctt không nhận ra định dạng tệp này: cần tệp xuất 2025 (.xlsx/.csv có MA_COQUAN, TONG_SCORE), "
        "bản ghi 2025 dạng JSON, câu trả lời service-results 2026 ({{code, data: {{evaluation}}}}), câu trả lời "
        "các thành phần 2026 (hoặc tệp gộp SERVICE_RESULTS, TRANSPARENCY, …) hoặc bảng chép từ trang Cổng; "
        "tệp được giữ nguyên",
        "en": "dvctt does not recognise this file: expected the 2025 export (.xlsx/.csv with MA_COQUAN, "
        "TONG_SCORE), 2025 records as JSON, a 2026 service-results answer ({{code, data: {{evaluation}}}}), "
        "2026 component answers (or a bundle keyed SERVICE_RESULTS, TRANSPARENCY, …) or a table copied from "
        "the portal's page; the file is kept as it is",
    },
    "index_unknown_answer": {
        "vi": "Câu trả lời của Cổng (code OK) nhưng không rõ của điểm cuối nào: cần data.evaluation "
        "(service-results, transparency, dossier-digitized, handling-satisfaction) hoặc data.parent và "
        "data.children (dvc-progress-tree, provide-online-tree, formality-online-payment-tree); tệp được giữ "
        "nguyên",
        "en": "a portal answer (code OK) of no endpoint dvctt knows: expected data.evaluation (service-results, "
        "transparency, dossier-digitized, handling-satisfaction) or data.parent and data.children "
        "(dvc-progress-tree, provide-online-tree, formality-online-payment-tree); the file is kept as it is",
    },
    "index_no_period_json": {
        "vi": "Không biết kỳ của câu trả lời: không có tệp kèm .meta.json hay _request.json, tên tệp không ghi "
        "kỳ (year2026, month2026-02); ghi kỳ bằng --period, ví dụ --period 2026-ytd hoặc --period TỆP=2026-02",
        "en": "the answer's period is unknown: no .meta.json or _request.json sidecar and no period in the "
        "file name (year2026, month2026-02); give it with --period, e.g. --period 2026-ytd or --period "
        "FILE=2026-02",
    },
    "index_period_conflict_request": {
        "vi": "Yêu cầu đã gửi (tệp kèm) là kỳ {request_period}, khác với --period {period}",
        "en": "the request sent (its sidecar) asked for period {request_period}, not --period {period}",
    },
    "index_sidecar_unreadable": {
        "vi": "Không đọc được tệp kèm của câu trả lời ({detail})",
        "en": "the answer's sidecar cannot be read ({detail})",
    },
    "index_alias_conflict": {
        "vi": "{alias} là tên khác của {name}, nhưng hai giá trị khác nhau ({name} = {other})",
        "en": "{alias} is another name of {name}, but the two differ ({name} = {other})",
    },
    "index_online_service_sum": {
        "vi": "ONLINE_SERVICE phải bằng CLGQ + TTTT = {sum} (sai lệch quá {tolerance})",
        "en": "ONLINE_SERVICE must be CLGQ + TTTT = {sum} (beyond {tolerance})",
    },
    "index_sum_total": {
        "vi": "Tổng các thành phần là {sum}, khác tổng điểm quá {tolerance}",
        "en": "the components add up to {sum}, not to the total (beyond {tolerance})",
    },
    "index_unit_without_code": {
        "vi": "Dòng không có departmentCode và không câu trả lời nào khác đã đọc có departmentId này: đọc kèm "
        "câu trả lời service-results của cùng tỉnh, cùng ngày",
        "en": "the row has no departmentCode and no other answer read has this departmentId: read it together "
        "with the same province's service-results answer of the same day",
    },
    "index_total_missing": {
        "vi": "Đơn vị chỉ có thành phần {given}, không có tổng điểm: đọc kèm câu trả lời service-results cùng ngày",
        "en": "the unit has only {given}, no total: read it with the service-results answer of the same day",
    },
    "index_total_computed": {
        "vi": "Tổng điểm {total} là tổng sáu thành phần (không có câu trả lời service-results)",
        "en": "the total {total} is the sum of the six parts (no service-results answer was read)",
    },
    "index_sum_joined": {
        "vi": "Sáu thành phần (từ các câu trả lời thành phần) cộng lại {sum}, khác tổng điểm {total} của "
        "service-results quá {tolerance}: giữ nguyên như Cổng công bố",
        "en": "the six parts (from the component answers) add up to {sum}, not to the service-results total "
        "{total} (beyond {tolerance}): kept as the portal gives them",
    },
    "index_radar_mismatch": {
        "vi": "Biểu đồ radar ghi {value}, còn các câu trả lời thành phần cho tỉnh {own} (lệch quá {tolerance})",
        "en": "the radar says {value}, but the component answers give the province {own} (beyond {tolerance})",
    },
    "index_no_header_csv": {
        "vi": "Không tìm thấy dòng tiêu đề của tệp chỉ số 766 (MA_COQUAN và TONG_SCORE, hoặc «Tổng điểm» và "
        "các thành phần của trang Cổng) trong {rows} dòng đầu của tệp CSV",
        "en": "no header row of a service-index table (MA_COQUAN and TONG_SCORE, or the portal page's "
        "'Tổng điểm' and components) in the first {rows} rows of the CSV",
    },
    "index_web_unknown_column": {
        "vi": "Cột không có trong bảng chỉ số trên trang Cổng (các cột hợp lệ: {expected})",
        "en": "this column is not in the portal page's index table (valid columns: {expected})",
    },
    "index_web_no_code": {
        "vi": "Không xác định được mã đơn vị của Cổng: thêm cột «Mã đơn vị» (H01, H01.187) hoặc ghi tên tỉnh "
        "đúng như danh mục",
        "en": "the unit's portal code cannot be told: add a 'Mã đơn vị' column (H01, H01.187) or give the "
        "province's name as the code list has it",
    },
}
