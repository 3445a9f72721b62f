"""The one translation table: every user-facing word, in Vietnamese and English.

Why this module is long: it is one table by design (one place to translate every word); splitting it
would scatter the translations.

Code uses English codes (``online``, ``commune``); people read labels. Add a key here, never a literal in a
notebook or chart.

"""

from __future__ import annotations

LANGS = ("vi", "en")

LABELS: dict[str, dict[str, str]] = {
    # levels
    "level.province": {"vi": "Cấp tỉnh", "en": "Provincial agencies"},
    "level.district": {"vi": "Cấp huyện", "en": "Districts"},
    "level.commune": {"vi": "Cấp xã", "en": "Communes"},
    "level.all": {"vi": "Toàn tỉnh", "en": "Whole province"},
    # KPIs
    "kpi.online": {"vi": "Tỷ lệ hồ sơ trực tuyến", "en": "Dossiers filed online"},
    "kpi.digitized": {"vi": "Tỷ lệ số hóa hồ sơ", "en": "Dossiers digitised"},
    "kpi.online_payment": {"vi": "Tỷ lệ thanh toán trực tuyến", "en": "Fees paid online"},
    "kpi.on_time": {"vi": "Tỷ lệ giải quyết đúng hạn", "en": "Resolved on time"},
    "kpi.full_process": {"vi": "Tỷ lệ hồ sơ trực tuyến toàn trình", "en": "Full-process online"},
    "kpi.overdue_pending": {"vi": "Tỷ lệ hồ sơ đang giải quyết quá hạn", "en": "Pending dossiers overdue"},
    "kpi_short.online": {"vi": "Trực tuyến", "en": "Online"},
    "kpi_short.digitized": {"vi": "Số hóa", "en": "Digitised"},
    "kpi_short.online_payment": {"vi": "Thanh toán TT", "en": "Paid online"},
    "kpi_short.on_time": {"vi": "Đúng hạn", "en": "On time"},
    "kpi_short.full_process": {"vi": "Toàn trình", "en": "Full process"},
    "kpi_short.overdue_pending": {"vi": "Tồn quá hạn", "en": "Overdue pending"},
    # aggregation methods
    "aggregation.reported": {"vi": "Số liệu công bố", "en": "As published"},
    "aggregation.pooled": {"vi": "Tỷ lệ gộp (theo số hồ sơ)", "en": "Pooled (by dossier counts)"},
    "aggregation.unit_mean": {"vi": "Trung bình các đơn vị", "en": "Mean of unit rates"},
    # statuses and values
    "status.ok": {"vi": "có số liệu", "en": "reported"},
    "status.missing": {"vi": "chưa có số liệu", "en": "not reported"},
    "status.not_applicable": {"vi": "không áp dụng", "en": "not applicable"},
    "value.missing": {"vi": "—", "en": "—"},
    "value.not_applicable": {"vi": "không áp dụng", "en": "n/a"},
    "met.true": {"vi": "Đạt", "en": "Met"},
    "met.false": {"vi": "Chưa đạt", "en": "Not met"},
    "met.na": {"vi": "—", "en": "—"},
    "verdict.consistent": {"vi": "Khớp", "en": "Consistent"},
    "verdict.differs": {"vi": "Lệch", "en": "Differs"},
    "verdict.not recomputable": {"vi": "Không tính lại được", "en": "Not recomputable"},
    "method.pooled_counts": {"vi": "Tính từ số hồ sơ", "en": "From dossier counts"},
    "method.sum_of_levels": {"vi": "Cộng ba cấp", "en": "Sum of the three levels"},
    "method.unit_mean": {"vi": "Trung bình tỷ lệ các đơn vị", "en": "Mean of unit rates"},
    "method.none": {"vi": "Không có dữ liệu đơn vị", "en": "No unit data"},
    "method.unit_counts": {"vi": "Cộng số hồ sơ các đơn vị", "en": "Summed unit counts"},
    "method.unit_rate": {"vi": "Tỷ lệ của đơn vị", "en": "The unit's rate"},
    "method.unit_gap": {"vi": "Kết quả đơn vị trừ mục tiêu", "en": "Unit result minus target"},
    "method.units_met": {"vi": "Đếm đơn vị đạt", "en": "Count of units meeting target"},
    "method.units_total": {"vi": "Đếm số đơn vị", "en": "Count of units"},
    "measure.rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "measure.units_met": {"vi": "Số đơn vị đạt", "en": "Units meeting target"},
    "measure.gap_pp": {"vi": "Vượt chỉ tiêu (điểm %)", "en": "Above target (pp)"},
    "pp": {"vi": "điểm %", "en": "pp"},
    "dossiers": {"vi": "hồ sơ", "en": "dossiers"},
    "no_target": {"vi": "không giao riêng", "en": "none set"},
    "target.none": {"vi": "chưa đặt mục tiêu", "en": "no target set"},
    "met.no_target": {"vi": "Chưa đặt mục tiêu", "en": "No target set"},
    "change_unit.percent": {"vi": "phần trăm", "en": "percent"},
    "change_unit.points": {"vi": "điểm phần trăm", "en": "percentage points"},
    "change_unit.ambiguous": {
        "vi": "nguồn không nói rõ là % hay điểm %",
        "en": "the source does not say whether percent or percentage points",
    },
    "col.old_parts": {"vi": "Đơn vị cũ hợp thành (số liệu kỳ cơ sở)", "en": "Old units it was made of (baseline)"},
    "col.old_code": {"vi": "Mã đơn vị cũ", "en": "Old unit code"},
    "col.old_name": {"vi": "Tên đơn vị cũ", "en": "Old unit"},
    "col.old_district": {"vi": "Huyện cũ", "en": "Old district"},
    "col.old_province": {"vi": "Tỉnh cũ", "en": "Old province"},
    "col.new_code": {"vi": "Mã đơn vị mới", "en": "New unit code"},
    "col.new_name": {"vi": "Tên đơn vị mới", "en": "New unit"},
    "col.split": {"vi": "Bị chia tách", "en": "Split"},
    "col.used_for_pooling": {"vi": "Dùng để gộp", "en": "Used for pooling"},
    "col.n_parts": {"vi": "Số đơn vị cũ", "en": "Old units"},
    "col.old_codes": {"vi": "Mã các đơn vị cũ", "en": "Old unit codes"},
    "col.comparable": {"vi": "So sánh được", "en": "Comparable"},
    "col.pooling": {"vi": "Cách lấy kỳ cơ sở", "en": "Baseline from"},
    "col.reason": {"vi": "Lý do không so sánh được", "en": "Why not comparable"},
    "old_units.pooled": {"vi": "gộp theo số hồ sơ", "en": "pooled from counts"},
    "old_units.single": {"vi": "đúng một đơn vị cũ", "en": "exactly one old unit"},
    "old_units.split": {"vi": "có đơn vị cũ bị chia tách", "en": "an old unit was split"},
    "old_units.no_counts": {"vi": "chỉ có tỷ lệ, không có số hồ sơ", "en": "rates only, no counts"},
    "old_units.missing": {"vi": "thiếu số liệu đơn vị cũ", "en": "an old unit has no figure"},
    "col.statement": {"vi": "Nguồn viết", "en": "As printed"},
    "col.compared_with": {"vi": "So với", "en": "Compared with"},
    "col.change_unit": {"vi": "Đơn vị của mức thay đổi", "en": "Unit of the change"},
    "synthetic": {"vi": "DỮ LIỆU MÔ PHỎNG", "en": "SYNTHETIC DATA"},
    "rank_group.leader": {"vi": "Dẫn đầu", "en": "Leaders"},
    "rank_group.laggard": {"vi": "Thấp nhất", "en": "Laggards"},
    "rank_group.tied": {"vi": "Tất cả bằng nhau", "en": "All equal"},
    "rank_group.named": {"vi": "Đơn vị được nguồn nêu tên", "en": "Units named by the source"},
    "col.named_units": {"vi": "Đơn vị được nguồn nêu tên (kết quả)", "en": "Units named by the source (result)"},
    "col.named_count": {"vi": "Số đơn vị có kết quả", "en": "Units with a result"},
    "col.named_met": {"vi": "Đạt mục tiêu", "en": "Met the target"},
    "col.n_ranked": {"vi": "Số đơn vị được xếp hạng", "en": "Units ranked"},
    "col.baseline_rank": {"vi": "Hạng kỳ cơ sở", "en": "Baseline rank"},
    "col.baseline_n_ranked": {"vi": "Số đơn vị xếp hạng kỳ cơ sở", "en": "Units ranked at baseline"},
    "chart.decline": {"vi": "Giảm so với kỳ cơ sở", "en": "Fell since baseline"},
    "more.table": {"vi": "Bảng chi tiết", "en": "The detailed table"},
    "more.sentences": {"vi": "Diễn giải từng dòng", "en": "Each row in words"},
    # verdict cards (first screen of the campaign report)
    "verdict.title": {"vi": "Kết luận", "en": "Verdict"},
    "verdict.no_result": {"vi": "Chưa công bố", "en": "Not published"},
    "verdict.no_target": {"vi": "Không giao mục tiêu", "en": "No target set"},
    "verdict.no_target_set": {"vi": "Chưa đặt mục tiêu", "en": "No target set"},
    "verdict.provisional": {"vi": "Tạm tính", "en": "Provisional"},
    "rank_group.reported": {"vi": "Đơn vị đã báo cáo", "en": "Units that reported"},
    "gap.rejected_cell": {"vi": "bị từ chối", "en": "rejected"},
    "gap.no_target_cell": {"vi": "chưa đặt mục tiêu", "en": "no target set"},
    "sheet.units_without_data": {"vi": "Đơn vị chưa có số liệu", "en": "Units without data"},
    "col.data_kind": {"vi": "Loại số liệu", "en": "Kind of data"},
    "col.provisional": {"vi": "Tạm tính", "en": "Provisional"},
    "col.gap": {"vi": "Lý do thiếu số liệu", "en": "Why no figure"},
    "col.reject_rule": {"vi": "Quy tắc bị vi phạm", "en": "Rule broken"},
    "col.reject_reason_vi": {"vi": "Lý do từ chối", "en": "Reason rejected (Vietnamese)"},
    "col.reject_reason_en": {"vi": "Lý do từ chối (tiếng Anh)", "en": "Reason rejected"},
    "col.rejects_file": {"vi": "Tệp ghi dòng bị từ chối", "en": "Rejects file"},
    "data_kind.return": {"vi": "Báo cáo định kỳ (mọi đơn vị phải nộp)", "en": "Return (every unit reports)"},
    "data_kind.selection": {"vi": "Đơn vị do nguồn chọn nêu tên", "en": "Units named by the source"},
    "gap.missing": {"vi": "chưa có số liệu", "en": "no data yet"},
    "gap.rejected": {"vi": "bị từ chối", "en": "rejected"},
    "verdict.missed": {"vi": "Chưa đạt", "en": "Missed"},
    "verdict.fell": {"vi": "Giảm so với kỳ cơ sở", "en": "Fell since the baseline"},
    # table column headers
    "col.level": {"vi": "Cấp", "en": "Level"},
    "col.kpi": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "col.best": {"vi": "Cao nhất (hạng)", "en": "Highest (rank)"},
    "col.worst": {"vi": "Thấp nhất (hạng)", "en": "Lowest (rank)"},
    "col.unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "col.parent": {"vi": "Thuộc", "en": "Under"},
    "col.baseline": {"vi": "Năm 2022 (cơ sở)", "en": "Baseline"},
    "col.baseline_generic": {"vi": "Kỳ cơ sở", "en": "Baseline"},
    "col.target": {"vi": "Mục tiêu", "en": "Target"},
    "col.result": {"vi": "Kết quả", "en": "Result"},
    "col.change_pp": {"vi": "Thay đổi (điểm %)", "en": "Change (pp)"},
    "col.gap_pp": {"vi": "So với mục tiêu (điểm %)", "en": "Against target (pp)"},
    "col.met": {"vi": "Đánh giá", "en": "Verdict"},
    "col.aggregation": {"vi": "Cách tính", "en": "Method"},
    "col.coverage": {"vi": "Đơn vị có số liệu", "en": "Units with data"},
    "col.units_met": {"vi": "Số đơn vị đạt", "en": "Units meeting target"},
    "col.n_units": {"vi": "Số đơn vị", "en": "Units"},
    "col.rank": {"vi": "Hạng", "en": "Rank"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.period": {"vi": "Kỳ", "en": "Period"},
    "col.reported": {"vi": "Số công bố", "en": "Published"},
    "col.recomputed": {"vi": "Tính lại", "en": "Recomputed"},
    "col.difference_pp": {"vi": "Chênh lệch (điểm %)", "en": "Difference (pp)"},
    "col.verdict": {"vi": "Kết luận", "en": "Verdict"},
    "col.method": {"vi": "Cách tính lại", "en": "Recomputed as"},
    "col.source": {"vi": "Nguồn", "en": "Source"},
    "col.note": {"vi": "Ghi chú", "en": "Note"},
    "col.status": {"vi": "Tình trạng", "en": "Status"},
    "col.n_ok": {"vi": "Có số liệu", "en": "Reported"},
    "col.n_missing": {"vi": "Chưa có số liệu", "en": "Not reported"},
    "col.n_not_applicable": {"vi": "Không áp dụng", "en": "Not applicable"},
    "col.baseline_ok": {"vi": "Kỳ cơ sở: có số liệu", "en": "Baseline: reported"},
    "col.baseline_missing": {"vi": "Kỳ cơ sở: chưa có", "en": "Baseline: not reported"},
    "col.baseline_not_applicable": {"vi": "Kỳ cơ sở: không áp dụng", "en": "Baseline: n/a"},
    "col.result_ok": {"vi": "Kỳ báo cáo: có số liệu", "en": "Period: reported"},
    "col.result_missing": {"vi": "Kỳ báo cáo: chưa có", "en": "Period: not reported"},
    "col.result_not_applicable": {"vi": "Kỳ báo cáo: không áp dụng", "en": "Period: n/a"},
    # chart words
    "chart.target": {"vi": "Mục tiêu", "en": "Target"},
    "chart.baseline": {"vi": "Kỳ cơ sở", "en": "Baseline"},
    "chart.result": {"vi": "Kết quả", "en": "Result"},
    "chart.rate_axis": {"vi": "Tỷ lệ (%)", "en": "Rate (%)"},
    "chart.gap_title": {"vi": "Khoảng cách so với mục tiêu (điểm %)", "en": "Gap to target (pp)"},
    "chart.no_data": {"vi": "chưa có số liệu", "en": "not reported"},
    "chart.straight_path": {"vi": "Đường thẳng đến mục tiêu", "en": "Straight path to target"},
    "chart.forecast": {"vi": "Dự báo tại hạn chót", "en": "Forecast at the deadline"},
    "chart.volume_axis": {"vi": "Số hồ sơ (thang log)", "en": "Dossiers (log scale)"},
    "chart.limit95": {"vi": "Giới hạn 95%", "en": "95% limits"},
    "chart.limit998": {"vi": "Giới hạn 99,8%", "en": "99.8% limits"},
    "chart.pooled": {"vi": "Tỷ lệ gộp của cấp", "en": "Pooled rate of the level"},
    "significance.above": {"vi": "Cao hơn mục tiêu (có ý nghĩa)", "en": "Above target (significant)"},
    "significance.below": {"vi": "Thấp hơn mục tiêu (có ý nghĩa)", "en": "Below target (significant)"},
    "significance.not_distinguishable": {"vi": "Chưa phân biệt được", "en": "Not distinguishable"},
    "significance.no_counts": {"vi": "Không có số hồ sơ", "en": "No counts"},
    "col.ci": {"vi": "Khoảng tin cậy 95%", "en": "95% interval"},
    "col.score": {"vi": "Điểm thi đua (điểm %)", "en": "Score (pp)"},
    "col.significance": {"vi": "So với mục tiêu", "en": "Against target"},
    "col.volume": {"vi": "Số hồ sơ", "en": "Dossiers"},
    "col.pooled_baseline": {"vi": "Tỷ lệ gộp kỳ cơ sở", "en": "Pooled, baseline"},
    "col.pooled_result": {"vi": "Tỷ lệ gộp kỳ báo cáo", "en": "Pooled, period"},
    "col.mean_baseline": {"vi": "Trung bình đơn vị kỳ cơ sở", "en": "Mean of units, baseline"},
    "col.mean_result": {"vi": "Trung bình đơn vị kỳ báo cáo", "en": "Mean of units, period"},
    "col.rate_effect": {"vi": "Do đơn vị cải thiện (điểm %)", "en": "Units improving (pp)"},
    "col.mix_effect": {"vi": "Do thay đổi cơ cấu hồ sơ (điểm %)", "en": "Volume mix (pp)"},
    "col.n_up": {"vi": "Số đơn vị tăng", "en": "Units up"},
    "col.n_down": {"vi": "Số đơn vị giảm", "en": "Units down"},
    "col.median_change": {"vi": "Trung vị thay đổi (điểm %)", "en": "Median change (pp)"},
    "col.latest": {"vi": "Kỳ gần nhất", "en": "Latest"},
    "col.previous": {"vi": "Kỳ trước", "en": "Previous"},
    "col.change_since_previous": {"vi": "So với kỳ trước (điểm %)", "en": "Since previous (pp)"},
    "col.path_gap": {"vi": "So với lộ trình (điểm %)", "en": "Against the path (pp)"},
    "col.weekly_gain_needed": {"vi": "Cần tăng mỗi tuần (điểm %)", "en": "Gain needed per week (pp)"},
    "col.forecast": {"vi": "Dự báo tại hạn chót", "en": "Forecast at the deadline"},
    "col.weekly_trend": {"vi": "Xu hướng mỗi tuần (điểm %)", "en": "Trend per week (pp)"},
    "col.projected": {"vi": "Dự kiến tại hạn chót", "en": "Projected at the deadline"},
    "col.rank_in_level": {"vi": "Thứ hạng trong cấp", "en": "Rank in level"},
    "col.baseline_rank_in_level": {"vi": "Thứ hạng trong cấp (kỳ cơ sở)", "en": "Rank in level (baseline)"},
    "col.result_generic": {"vi": "Kết quả kỳ báo cáo", "en": "Period result"},
    "forecast.too_few_periods": {
        "vi": "Chưa dự báo: mới có {n} kỳ, cần ít nhất {min}",
        "en": "No forecast: {n} periods so far, at least {min} needed",
    },
    "forecast.deadline_passed": {"vi": "Đã qua hạn chót: kết quả là chính thức", "en": "Deadline passed: final"},
    "forecast.no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    "forecast.no_target": {"vi": "Chưa đặt mục tiêu", "en": "No target set"},
    "col.p_adjusted": {"vi": "p (đã hiệu chỉnh)", "en": "p (adjusted)"},
    # report navigation
    "toc.title": {"vi": "Mục lục", "en": "Contents"},
    "image.alt": {"vi": "Hình ảnh không có mô tả", "en": "Image without a description"},
    # sortable, searchable long tables (publish/interactive_tables.py); DataTables' own placeholders in capitals
    "tables.search": {"vi": "Tìm trong bảng:", "en": "Search the table:"},
    "tables.info": {"vi": "_TOTAL_ dòng", "en": "_TOTAL_ rows"},
    "tables.info_filtered": {"vi": "(lọc từ _MAX_ dòng)", "en": "(of _MAX_ rows)"},
    "tables.info_empty": {"vi": "0 dòng", "en": "0 rows"},
    "tables.zero_records": {"vi": "Không có dòng nào khớp", "en": "No matching row"},
    # Excel workbook beside each report (sheet names: at most 31 characters)
    "sheet.level_summary": {"vi": "Tổng hợp theo cấp", "en": "Level summary"},
    "sheet.unit_summary": {"vi": "Kết quả từng đơn vị", "en": "Unit summary"},
    "sheet.reconciliation": {"vi": "Đối chiếu số liệu", "en": "Reconciliation"},
    "sheet.old_to_new": {"vi": "Đơn vị cũ sang mới", "en": "Old to new units"},
    "sheet.old_units_baseline": {"vi": "Kỳ cơ sở theo đơn vị mới", "en": "Baseline by new unit"},
    "sheet.about": {"vi": "Thông tin báo cáo", "en": "About"},
    "col.unit_name": {"vi": "Tên đơn vị", "en": "Unit"},
    "col.published_name": {"vi": "Tên trong văn bản nguồn", "en": "Name in the source"},
    "col.parent_code": {"vi": "Mã đơn vị cấp trên", "en": "Parent unit code"},
    "col.baseline_status": {"vi": "Tình trạng kỳ cơ sở", "en": "Baseline status"},
    "col.n_units_with_result": {"vi": "Số đơn vị có kết quả", "en": "Units with a result"},
    "col.n_units_applicable": {"vi": "Số đơn vị áp dụng", "en": "Units where it applies"},
    "col.coverage_share": {"vi": "Tỷ lệ đơn vị có số liệu", "en": "Share of units reporting"},
    "col.baseline_source": {"vi": "Nguồn kỳ cơ sở", "en": "Baseline source"},
    "col.result_source": {"vi": "Nguồn kết quả", "en": "Result source"},
    "col.numerator": {"vi": "Số hồ sơ đạt (tử số)", "en": "Numerator (dossiers)"},
    "col.denominator": {"vi": "Tổng số hồ sơ (mẫu số)", "en": "Denominator (dossiers)"},
    "col.baseline_numerator": {"vi": "Tử số kỳ cơ sở", "en": "Baseline numerator"},
    "col.baseline_denominator": {"vi": "Mẫu số kỳ cơ sở", "en": "Baseline denominator"},
    "col.ci_low": {"vi": "Cận dưới KTC 95%", "en": "95% interval, low"},
    "col.ci_high": {"vi": "Cận trên KTC 95%", "en": "95% interval, high"},
    "col.change_ci_low": {"vi": "Thay đổi: cận dưới KTC 95% (điểm %)", "en": "Change: 95% low (pp)"},
    "col.change_ci_high": {"vi": "Thay đổi: cận trên KTC 95% (điểm %)", "en": "Change: 95% high (pp)"},
    "col.p_value": {"vi": "p", "en": "p"},
    "col.consistent": {"vi": "Khớp", "en": "Consistent"},
    # the statistics form, by field (unit report)
    "col.field": {"vi": "Lĩnh vực", "en": "Field"},
    "col.carried_over": {"vi": "Kỳ trước chuyển qua", "en": "Carried over"},
    "col.new_received": {"vi": "Mới tiếp nhận", "en": "Newly received"},
    "col.new_online": {"vi": "Mới tiếp nhận trực tuyến", "en": "Received online"},
    "col.finished": {"vi": "Đã giải quyết", "en": "Finished"},
    "col.pending": {"vi": "Đang giải quyết", "en": "Pending"},
    "col.rate_online": {"vi": "Tỷ lệ trực tuyến", "en": "Online rate"},
    "col.rate_on_time": {"vi": "Tỷ lệ đúng hạn", "en": "On-time rate"},
    "col.rate_overdue_pending": {"vi": "Tỷ lệ tồn quá hạn", "en": "Overdue pending rate"},
    "unit.fields_total": {"vi": "Cộng", "en": "Total"},
    "col.finding": {"vi": "Nhận xét", "en": "Finding"},
    # workbook: issue 13 (every column and sheet of every report kind translated)
    "col.synthetic": {"vi": "Dữ liệu mô phỏng", "en": "Synthetic data"},
    "col.rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "col.latest_period": {"vi": "Kỳ số liệu gần nhất", "en": "Latest period"},
    "col.previous_period_name": {"vi": "Kỳ số liệu trước đó", "en": "Previous period"},
    "col.latest_method": {"vi": "Cách tính kỳ gần nhất", "en": "How the latest figure was obtained"},
    "col.on_straight_path": {"vi": "Theo lộ trình thẳng", "en": "On the straight path"},
    "col.forecast_low": {"vi": "Dự báo: cận dưới", "en": "Forecast: low"},
    "col.forecast_high": {"vi": "Dự báo: cận trên", "en": "Forecast: high"},
    "col.probability_met": {"vi": "Khả năng đạt mục tiêu", "en": "Chance of meeting the target"},
    "col.forecast_points": {"vi": "Số kỳ dùng để dự báo", "en": "Periods used"},
    "col.forecast_model": {"vi": "Mô hình dự báo", "en": "Forecast model"},
    "col.forecast_reason": {"vi": "Lý do không dự báo", "en": "Why no forecast"},
    "col.deadline": {"vi": "Hạn chót", "en": "Deadline"},
    "col.start": {"vi": "Từ ngày", "en": "From"},
    "col.end": {"vi": "Đến ngày", "en": "To"},
    "col.order": {"vi": "Thứ tự kỳ", "en": "Period order"},
    "col.period_kind": {"vi": "Loại kỳ", "en": "Period kind"},
    "col.n_points": {"vi": "Số kỳ", "en": "Periods"},
    "col.source_number": {"vi": "Số thứ tự nguồn", "en": "Source number"},
    "col.title": {"vi": "Tên văn bản", "en": "Title"},
    "col.publisher": {"vi": "Cơ quan ban hành / đăng tải", "en": "Publisher"},
    "col.published": {"vi": "Ngày ban hành", "en": "Published"},
    "period_kind.baseline": {"vi": "Kỳ cơ sở", "en": "Baseline"},
    "period_kind.campaign": {"vi": "Chiến dịch", "en": "Campaign"},
    "period_kind.week": {"vi": "Tuần", "en": "Week"},
    "period_kind.month": {"vi": "Tháng", "en": "Month"},
    "period_kind.quarter": {"vi": "Quý", "en": "Quarter"},
    "period_kind.year": {"vi": "Năm", "en": "Year"},
    "forecast_model.quasi-binomial logit GLM": {
        "vi": "Xu hướng logit theo số hồ sơ (quasi-binomial)",
        "en": "Logit trend on dossier counts (quasi-binomial)",
    },
    "forecast_model.least squares on logit rates": {
        "vi": "Xu hướng logit theo tỷ lệ (bình phương tối thiểu)",
        "en": "Logit trend on rates (least squares)",
    },
    "forecast_reason.too_few_periods": {"vi": "Chưa đủ số kỳ", "en": "Too few periods"},
    "forecast_reason.deadline_passed": {"vi": "Đã qua hạn chót", "en": "Deadline passed"},
    "forecast_reason.no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    "forecast_reason.no_target": {"vi": "Không có mục tiêu", "en": "No target"},
    "method.pooled": {"vi": "Tỷ lệ gộp (theo số hồ sơ)", "en": "Pooled (by dossier counts)"},
    "method.reported": {"vi": "Số liệu công bố", "en": "As published"},
    "aggregation.none": {"vi": "Không có số liệu", "en": "No figure"},
    "finding.truncated": {"vi": "Nguồn cắt bớt chữ số thập phân", "en": "The source cut the decimals"},
    "sheet.levels": {"vi": "Tiến độ theo cấp", "en": "Progress by level"},
    "sheet.at_risk": {"vi": "Đơn vị có nguy cơ", "en": "Units at risk"},
    "sheet.trajectory": {"vi": "Diễn biến qua các kỳ", "en": "Trajectory"},
    "sheet.summary": {"vi": "Kết quả của đơn vị", "en": "The unit's results"},
    "sheet.units_under": {"vi": "Đơn vị trực thuộc", "en": "Units under it"},
    "sheet.old_parts": {"vi": "Đơn vị cũ hợp thành", "en": "Old units it was made of"},
    "sheet.sources": {"vi": "Nguồn số liệu", "en": "Sources"},
    "related.index": {"vi": "Danh sách báo cáo", "en": "All reports"},
    "related.campaign_report": {"vi": "Báo cáo kết quả", "en": "Results report"},
    "related.progress_report": {"vi": "Báo cáo tiến độ", "en": "Progress report"},
    "bool.true": {"vi": "Có", "en": "Yes"},
    "bool.false": {"vi": "Không", "en": "No"},
    "about.campaign": {"vi": "Báo cáo về", "en": "Report on"},
    "lang.vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "lang.en": {"vi": "Tiếng Anh", "en": "English"},
    "about.period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "about.lang": {"vi": "Ngôn ngữ", "en": "Language"},
    "about.data_hash": {"vi": "Mã dữ liệu (SHA-256)", "en": "Data hash (SHA-256)"},
    "about.version": {"vi": "Phiên bản dvctt", "en": "dvctt version"},
    "about.rendered_at": {"vi": "Tạo lúc (giờ Việt Nam)", "en": "Rendered (Vietnam time)"},
    "footer.related": {"vi": "Báo cáo liên quan", "en": "Related reports"},
    "footer.synthetic": {
        "vi": "Dữ liệu mô phỏng — không phải số liệu thật.",
        "en": "Synthetic data — not real figures.",
    },
    "footer.rendered": {"vi": "Tạo lúc", "en": "Rendered"},
    "footer.vietnam_time": {"vi": "(giờ Việt Nam)", "en": "(Vietnam time)"},
    "listing.title": {"vi": "Danh sách báo cáo", "en": "Reports"},
    "listing.report": {"vi": "Báo cáo", "en": "Report"},
    "listing.status": {"vi": "Tình trạng", "en": "Status"},
    "listing.campaign": {"vi": "Báo cáo về", "en": "Report on"},
    "listing.period": {"vi": "Kỳ", "en": "Period"},
    "listing.lang": {"vi": "Ngôn ngữ", "en": "Language"},
    "listing.rendered_at": {"vi": "Tạo lúc (giờ Việt Nam)", "en": "Rendered (Vietnam time)"},
    "listing.tables": {"vi": "Bảng số liệu", "en": "Tables"},
    "listing.rendered": {"vi": "Đã tạo", "en": "Rendered"},
    "listing.failed": {"vi": "chưa tạo được", "en": "render failed"},
    "listing.stale": {
        "vi": "lần tạo gần nhất bị lỗi, đây là bản trước",
        "en": "last render failed, previous version shown",
    },
    "listing.failed_detail": {
        "vi": "Lần tạo gần nhất bị lỗi. Người lập báo cáo xem lỗi trong manifest.json và bản chạy lỗi trong thư mục "
        "_failed; bản trước (nếu có) được giữ nguyên.",
        "en": "The last render failed. The analyst finds the error in manifest.json and the failed run in the "
        "_failed folder; the previous version, if any, was kept.",
    },
    "listing.up_to_date": {"vi": "không đổi, không tạo lại", "en": "up to date"},
    "listing.empty": {"vi": "Chưa có báo cáo nào.", "en": "No reports yet."},
    "listing.mixed_data": {
        "vi": "Cảnh báo: các báo cáo {campaign} — {period} được tạo từ {n} trạng thái dữ liệu khác nhau (mã dữ liệu: "
        "số báo cáo — {states}), số liệu giữa các báo cáo có thể không khớp. Hãy tạo lại cả bộ báo cáo.",
        "en": "Warning: the reports on {campaign} — {period} come from {n} different states of the data (data hash: "
        "reports — {states}); their figures may not agree. Render the whole set again.",
    },
    "about.note": {
        "vi": "Tỷ lệ lưu dưới dạng số thập phân, định dạng phần trăm; bảng CSV kèm theo giữ mã gốc.",
        "en": "Rates are stored as fractions formatted as percent; the CSV tables keep the raw codes.",
    },
}


def check_lang(lang: str) -> str:
    """The one language check: entry points (renderer, batch, a notebook run by hand) call it before any work."""
    if lang not in LANGS:
        from dvctt.errors import ParameterError

        raise ParameterError(f"Language {lang!r} is not supported; use one of: {', '.join(LANGS)}.")
    return lang


def t(key: str, lang: str = "vi") -> str:
    """Label for ``key`` in ``lang``; an unknown key is a programming error, so it raises."""
    try:
        return LABELS[key][lang]
    except KeyError:
        check_lang(lang)  # names the language when that is what is wrong
        raise


def level_label(level: str, lang: str = "vi") -> str:
    return t(f"level.{level}", lang)


def kpi_label(kpi: str, lang: str = "vi", *, short: bool = False) -> str:
    return t(f"kpi_short.{kpi}" if short else f"kpi.{kpi}", lang)


# Report text: headings and explanations, with str.format placeholders filled from the data.
TEXT: dict[str, dict[str, str]] = {
    "title": {"vi": "Báo cáo kết quả: {name}", "en": "Results report: {name}"},
    "subtitle": {
        "vi": "Kỳ báo cáo: {period}. So sánh với kỳ cơ sở: {baseline}. Văn bản phát động: {plan}.",
        "en": "Reporting period: {period}. Compared with the baseline: {baseline}. Launched by: {plan}.",
    },
    "subtitle.no_plan": {  # a campaign.toml without [plan] (e.g. written by dvctt new): no empty "launched by"
        "vi": "Kỳ báo cáo: {period}. So sánh với kỳ cơ sở: {baseline}.",
        "en": "Reporting period: {period}. Compared with the baseline: {baseline}.",
    },
    "synthetic_banner": {
        "vi": "Toàn bộ số liệu trong báo cáo này là DỮ LIỆU MÔ PHỎNG do chương trình sinh ra, không phải số liệu thật.",
        "en": "Every figure in this report is SYNTHETIC DATA generated by a program, not real data.",
    },
    "h.headline": {"vi": "1. Kết quả chính theo cấp", "en": "1. Headline results by level"},
    "h.bullets": {"vi": "2. So với mục tiêu", "en": "2. Against the targets"},
    "h.units": {"vi": "3. Kết quả từng đơn vị", "en": "3. Results per unit"},
    "h.heatmap": {"vi": "4. Khoảng cách đến mục tiêu theo đơn vị", "en": "4. Gap to target per unit"},
    "h.leaders": {"vi": "5. Đơn vị dẫn đầu và đơn vị thấp nhất", "en": "5. Leaders and laggards"},
    "h.zeros": {"vi": "6. Đơn vị đạt 0%", "en": "6. Units at 0%"},
    "h.coverage": {"vi": "7. Mức độ đầy đủ của số liệu", "en": "7. What the data cover"},
    "h.reconciliation": {
        "vi": "8. Đối chiếu với số liệu công bố",
        "en": "8. Reconciliation with published totals",
    },
    "h.sources": {"vi": "Nguồn số liệu", "en": "Sources"},
    "headline.intro": {
        "vi": "Mỗi dòng so sánh kết quả kỳ báo cáo với kỳ cơ sở và mục tiêu của cấp đó. Cột «Cách tính» cho biết "
        "con số lấy từ đâu: số liệu do cơ quan công bố, tỷ lệ gộp theo số hồ sơ, hay trung bình tỷ lệ các đơn vị.",
        "en": "Each row compares the period's result with the baseline and the level's target. «Method» says "
        "where the figure comes from: published by the authority, pooled from dossier counts, or the mean of "
        "unit rates.",
    },
    "headline.sentence": {
        "vi": "<b>{level}</b> — {kpi}: {baseline_period} {baseline} → <b>{result}</b>, mục tiêu {target}: "
        "<b>{verdict}</b> ({gap} điểm % so với mục tiêu).",
        "en": "<b>{level}</b> — {kpi}: {baseline_period} {baseline} → <b>{result}</b>, target {target}: "
        "<b>{verdict}</b> ({gap} pp against target).",
    },
    "headline.no_verdict": {
        "vi": "<b>{level}</b> — {kpi}: {baseline_period} {baseline} → <b>{result}</b> ({target}).",
        "en": "<b>{level}</b> — {kpi}: {baseline_period} {baseline} → <b>{result}</b> ({target}).",
    },
    "headline.no_result": {
        "vi": "<b>{level}</b> — {kpi}: {baseline_period} {baseline}; kết quả kỳ này <i>chưa được công bố</i> "
        "({target_note}).",
        "en": "<b>{level}</b> — {kpi}: {baseline_period} {baseline}; this period's result is <i>not "
        "published</i> ({target_note}).",
    },
    "bullets.no_targets": {
        "vi": "Chiến dịch chưa đặt mục tiêu nào, nên không có gì để so; kết quả từng cấp ở bảng kết quả chính.",
        "en": "The campaign sets no targets, so there is nothing to compare against; each level's result is in the "
        "main results table.",
    },
    "bullets.intro": {
        "vi": "Thanh màu xanh đậm là kết quả kỳ báo cáo, hình thoi xám là kỳ cơ sở, vạch đỏ là mục tiêu; nền "
        "đậm hơn kéo dài đến mục tiêu.",
        "en": "The dark blue bar is the period's result, the grey diamond the baseline, the red tick the "
        "target; the darker band runs up to the target.",
    },
    "units.intro": {
        "vi": "Mỗi đơn vị có kết quả được công bố: điểm xám là kỳ cơ sở, điểm xanh là kết quả (với khoảng tin "
        "cậy 95% khi có số hồ sơ), đường đỏ đứt nét là mục tiêu của cấp. Đơn vị không được nêu kết quả không "
        "xuất hiện trong hình.",
        "en": "Every unit with a published result: grey dot the baseline, blue dot the result (with its 95% "
        "interval where dossier counts exist), red dashed line the level's target. Units whose result is not "
        "published are not drawn.",
    },
    "units.count": {
        "vi": "{kpi}: có kết quả của {n_with} trên {n_app} đơn vị {level_lower}.",
        "en": "{kpi}: results for {n_with} of {n_app} {level_lower}.",
    },
    "units.collapsed": {
        "vi": "{kpi}: biểu đồ {n} đơn vị — bấm để xem",
        "en": "{kpi}: chart of {n} units — click to open",
    },
    "units.none": {
        "vi": "{kpi}: nguồn không công bố kết quả của đơn vị nào trong kỳ này.",
        "en": "{kpi}: the sources publish no unit's result for this period.",
    },
    "heatmap.intro.baseline": {
        "vi": "Vì kết quả kỳ báo cáo chưa đầy đủ cho mọi đơn vị, bản đồ nhiệt cho thấy khoảng cách giữa số "
        "liệu kỳ cơ sở ({baseline}) và mục tiêu: ô đỏ là đơn vị phải tăng nhiều nhất. Ô gạch chéo: không áp "
        "dụng (không có thủ tục thu phí, lệ phí).",
        "en": "Because the period's results do not cover every unit, the heatmap shows the gap between the "
        "baseline ({baseline}) and the target: red cells are the units with the furthest to go. Hatched "
        "cells: not applicable (no fee-bearing procedures).",
    },
    "heatmap.intro.latest": {
        "vi": "Khoảng cách đến mục tiêu (điểm %) theo số liệu mới nhất của từng đơn vị: ô màu đậm là kết quả "
        "{period}; ô nhạt, chữ nghiêng, ghi «{baseline}» là số liệu kỳ cơ sở, dùng khi đơn vị chưa có kết quả kỳ "
        "này. Xanh là vượt mục tiêu, đỏ là còn thiếu. Ô ghi «không áp dụng»: không có thủ tục thu phí, lệ phí.",
        "en": "Gap to target (pp) by each unit's latest figure: strong colour is the result of {period}; pale "
        "italic cells marked «{baseline}» show the baseline, used where the unit has no result for this period. "
        "Green is above target, red below. Cells marked «n/a»: no fee-bearing procedures.",
    },
    "heatmap.collapsed": {
        "vi": "{level}: {n} đơn vị trong {groups} bảng ({n_result} ô có kết quả kỳ này, {n_baseline} ô chỉ có số "
        "liệu kỳ cơ sở) — bấm để xem",
        "en": "{level}: {n} units in {groups} tables ({n_result} cells with this period's result, "
        "{n_baseline} with the baseline only) — click to open",
    },
    "heatmap.key.below": {"vi": "dưới mục tiêu", "en": "below target"},
    "heatmap.key.at": {"vi": "bằng mục tiêu", "en": "at target"},
    "heatmap.key.above": {"vi": "vượt mục tiêu", "en": "above target"},
    "heatmap.key.baseline": {"vi": "số liệu kỳ cơ sở (nhạt)", "en": "baseline figure (pale)"},
    "ranking.and_more": {"vi": "{names} và {n} đơn vị khác", "en": "{names} and {n} more"},
    "ranking.shared": {"vi": "{rank} (đồng hạng, {n} đơn vị)", "en": "{rank} (shared by {n} units)"},
    "ranking.from": {"vi": "từ {baseline}", "en": "from {baseline}"},
    "leaders.named": {
        "vi": "Kết quả kỳ này chỉ được công bố cho các đơn vị nguồn chọn nêu tên, nên không xếp hạng: các đơn vị "
        "thấp nhất trong số này không phải là đơn vị thấp nhất của cấp. ▼: giảm so với kỳ cơ sở.",
        "en": "This period's results are published only for the units a source chose to name, so they are not "
        "ranked: the lowest of them are not the lowest of their level. ▼: fell since the baseline.",
    },
    "zeros.list": {
        "vi": "Danh sách {n} lượt đơn vị–chỉ tiêu ở mức 0% ({period})",
        "en": "The {n} unit–indicator pairs at 0% ({period})",
    },
    "reconciliation.table": {
        "vi": "Bảng đối chiếu đầy đủ ({n} dòng; cũng có trong sổ Excel)",
        "en": "Full reconciliation table ({n} rows; also in the workbook)",
    },
    "heatmap.intro.result": {
        "vi": "Khoảng cách giữa kết quả kỳ báo cáo và mục tiêu: ô xanh là vượt mục tiêu, ô đỏ là chưa đạt. Ô "
        "gạch chéo: không áp dụng.",
        "en": "Gap between the period's result and the target: green is above target, red below. Hatched "
        "cells: not applicable.",
    },
    "leaders.intro": {
        "vi": "Xếp hạng trong từng cấp và chỉ tiêu, chỉ khi mọi đơn vị của cấp có số liệu; hạng tính trong toàn bộ "
        "đơn vị của cấp (1 là cao nhất), đơn vị bằng nhau đồng hạng. Bảng chỉ nêu tối đa {n} đơn vị đầu và {n} "
        "đơn vị cuối; thứ hạng của mọi đơn vị có trong sổ Excel và tệp CSV.",
        "en": "Ranked within each level and indicator, only where every unit of the level has a figure; the rank "
        "counts all units of the level (1 is the highest) and equal units share a rank. Tables show at most the "
        "top {n} and the bottom {n}; every unit's rank is in the workbook and the CSV files.",
    },
    "leaders.result": {"vi": "Theo kết quả kỳ báo cáo ({period})", "en": "By the period's result ({period})"},
    "leaders.table": {
        "vi": "Bảng {n} đơn vị đầu và {n} đơn vị cuối của từng cấp và chỉ tiêu",
        "en": "The top {n} and bottom {n} units of each level and indicator",
    },
    "leaders.baseline": {"vi": "Theo kỳ cơ sở ({period})", "en": "By the baseline ({period})"},
    "leaders.partial": {
        "vi": "Lưu ý: kết quả kỳ này chỉ được công bố cho một phần đơn vị (thường là các đơn vị được nêu tên "
        "vì cao nhất hoặc thấp nhất), nên bảng này không phải là xếp hạng đầy đủ.",
        "en": "Note: this period's results are published for only some units (usually those named for being "
        "highest or lowest), so this table is not a full ranking.",
    },
    "zeros.intro": {
        "vi": "Đơn vị có tỷ lệ đúng bằng 0%. Đơn vị «không áp dụng» (không có thủ tục thu phí) không tính là 0%.",
        "en": "Units whose rate is exactly 0%. Units where the rate does not apply (no fee-bearing procedures) "
        "are not counted as 0%.",
    },
    "zeros.none": {
        "vi": "{period}: trong {n_with} đơn vị có kết quả, không đơn vị nào ở mức 0%.",
        "en": "{period}: among the {n_with} units with a result, none is at 0%.",
    },
    "zeros.summary": {
        "vi": "{period}: {n} lượt đơn vị–chỉ tiêu ở mức 0%.",
        "en": "{period}: {n} unit–indicator pairs at 0%.",
    },
    "coverage.intro": {
        "vi": "Số đơn vị có số liệu, chưa có số liệu và không áp dụng, theo cấp và chỉ tiêu. «Chưa có số liệu» "
        "nghĩa là nguồn không công bố, không phải 0%.",
        "en": "Units with data, without data and not applicable, per level and indicator. «Not reported» means "
        "the sources do not publish it; it is not 0%.",
    },
    "coverage.missing_level": {
        "vi": "{level} — {kpi}: nguồn không công bố tỷ lệ chung của cấp cho kỳ {period}.",
        "en": "{level} — {kpi}: the sources give no level figure for {period}.",
    },
    "coverage.no_counts": {
        "vi": "Nguồn chỉ công bố tỷ lệ của từng đơn vị, không có số hồ sơ, nên không tính được tỷ lệ gộp theo "
        "đơn vị và không đánh giá được độ tin cậy của từng tỷ lệ.",
        "en": "The sources publish only each unit's rate, not its dossier counts, so no pooled rate can be "
        "computed from units and the certainty of each rate cannot be judged.",
    },
    "reconciliation.intro": {
        "vi": "Mỗi tổng số do nguồn công bố được tính lại từ số liệu chi tiết theo mọi cách mà dữ liệu cho "
        "phép. «Khớp» nghĩa là chênh lệch không vượt quá sai số làm tròn của con số in ra.",
        "en": "Every published total is recomputed from the detailed data in every way the data allow. "
        "«Consistent» means the difference is within the rounding of the printed figure.",
    },
    "reconciliation.summary": {
        "vi": "{consistent} khớp, {differs} lệch, {not_recomputable} không tính lại được.",
        "en": "{consistent} consistent, {differs} differ, {not_recomputable} not recomputable.",
    },
    "findings.heading": {"vi": "Những điểm đáng chú ý", "en": "What the checks found"},
    "findings.more": {"vi": "{n} điểm khác — bấm để xem", "en": "{n} more — click to show"},
    "finding.truncated": {
        "vi": "{what}: số in ra {reported}, tính từ số hồ sơ được {recomputed}: nguồn cắt bớt chữ số thập phân thay "
        "vì làm tròn (chênh {diff} điểm %), không phải sai lệch số liệu.",
        "en": "{what}: printed {reported}, the counts give {recomputed}: the source cut the decimals instead of "
        "rounding them ({diff} pp), not a data error.",
    },
    "finding.unit_mean.differs": {
        "vi": "{what}: số công bố {reported} khác trung bình cộng tỷ lệ các đơn vị ({recomputed}, chênh {diff} điểm "
        "%): con số công bố có lẽ là tỷ lệ gộp theo số hồ sơ, không phải trung bình cộng.",
        "en": "{what}: the published {reported} differs from the mean of unit rates ({recomputed}, {diff} pp): the "
        "published figure is probably pooled by dossier counts, not a mean.",
    },
    "finding.unit_mean.consistent": {
        "vi": "{what}: số công bố {reported} khớp trung bình cộng tỷ lệ các đơn vị ({recomputed}): nhiều khả năng "
        "là trung bình không gia quyền, không tính đến số hồ sơ của từng đơn vị.",
        "en": "{what}: the published {reported} equals the mean of unit rates ({recomputed}): most likely an "
        "unweighted mean that ignores each unit's number of dossiers.",
    },
    "finding.other": {
        "vi": "{what}: số công bố {reported}, tính lại ({method}) được {recomputed}, chênh {diff}.",
        "en": "{what}: published {reported}, recomputed ({method}) as {recomputed}, difference {diff}.",
    },
    "verdict.lead": {
        "vi": "{period}: đạt {met}/{judged} mục tiêu đã có kết quả; {open} mục tiêu chưa có kết quả công bố.",
        "en": "{period}: {met} of {judged} targets with a result met; {open} targets have no published result.",
    },
    "verdict.lead.all": {
        "vi": "{period}: đạt {met}/{judged} mục tiêu.",
        "en": "{period}: {met} of {judged} targets met.",
    },
    "verdict.lead.no_targets": {
        "vi": "{period}: {n} con số có kết quả, chưa đặt mục tiêu nào để đánh giá đạt hay chưa đạt.",
        "en": "{period}: {n} figures with a result; no target is set to judge them against.",
    },
    "verdict.lead.none": {
        "vi": "{period}: chưa mục tiêu nào có kết quả công bố ({open} mục tiêu).",
        "en": "{period}: no target has a published result yet ({open} targets).",
    },
    "verdict.limits.no_units": {
        "vi": "Kỳ này nguồn không công bố kết quả của đơn vị nào: chỉ đánh giá được các con số chung ở trên.",
        "en": "The sources publish no unit's result for this period: only the overall figures above can be judged.",
    },
    "related.units": {"vi": "{n} báo cáo đơn vị (trong danh sách)", "en": "{n} unit reports (in the list)"},
    "verdict.from": {"vi": "{result} (từ {baseline})", "en": "{result} (from {baseline})"},
    "verdict.more": {"vi": "và {n} đơn vị khác", "en": "and {n} more"},
    "verdict.units.published": {
        "vi": "{met}/{of} đơn vị đạt (số liệu công bố)",
        "en": "{met} of {of} units met the target (as published)",
    },
    "verdict.units.computed": {
        "vi": "{met}/{of} đơn vị đạt (tính từ số liệu từng đơn vị)",
        "en": "{met} of {of} units met the target (computed from every unit)",
    },
    "verdict.units.named": {
        "vi": "{met}/{of} đơn vị được nguồn nêu tên đạt (các đơn vị khác chưa có số liệu)",
        "en": "{met} of the {of} units named by the source met the target (no figure for the others)",
    },
    "verdict.units.reported": {
        "vi": "{met}/{of} đơn vị đã báo cáo đạt",
        "en": "{met} of the {of} units that reported met the target",
    },
    "verdict.coverage": {"vi": "{n_with}/{n_app} đơn vị", "en": "{n_with}/{n_app} units"},
    "verdict.coverage.line": {
        "vi": "Tính trên {n_with}/{n_app} đơn vị đã báo cáo",
        "en": "Over the {n_with} of {n_app} units that reported",
    },
    "verdict.provisional.line": {
        "vi": "Tạm tính: mới có {n_with}/{n_app} đơn vị báo cáo, dưới mức {min}% cần để đánh giá đạt hay chưa đạt",
        "en": "Provisional: {n_with} of {n_app} units reported, below the {min}% needed to judge it met or not",
    },
    "gap.missing_units": {"vi": "{n} {noun} chưa có số liệu", "en": "{n} {noun} without data yet"},
    "gap.rejected_units": {"vi": "{n} {noun} bị từ chối", "en": "{n} {noun} rejected"},
    "gap.rejected_why": {"vi": "{reason}; xem tệp {file}", "en": "{reason}; see {file}"},
    "gap.noun.province": {"vi": "cơ quan", "en": "agency(ies)"},
    "gap.noun.district": {"vi": "huyện", "en": "district(s)"},
    "gap.noun.commune": {"vi": "xã", "en": "commune(s)"},
    "leaders.reported": {
        "vi": "Báo cáo định kỳ: hạng tính trong số các đơn vị đã báo cáo (hạng 3/99: thứ 3 trong 99 đơn vị); các "
        "đơn vị chưa có số liệu hoặc bị từ chối được liệt kê riêng, không xếp hạng.",
        "en": "A return: ranks are among the units that reported (3/99: 3rd of 99 units); units without data or "
        "rejected are listed apart, unranked.",
    },
    "leaders.unranked": {"vi": "{level} — {kpi}, không xếp hạng", "en": "{level} — {kpi}, not ranked"},
    "verdict.baseline_only": {
        "vi": "Chưa có kết quả kỳ này: {items}.",
        "en": "No result for this period: {items}.",
    },
    "verdict.limits.none": {
        "vi": "Mọi đơn vị đều có kết quả và số hồ sơ: các so sánh giữa đơn vị có khoảng tin cậy ở mục 9.",
        "en": "Every unit has a result and dossier counts: comparisons between units carry intervals (section 9).",
    },
    "verdict.limits.no_counts": {
        "vi": "Nguồn chỉ công bố tỷ lệ, không có số hồ sơ: không kết luận được đơn vị nào chắc chắn cao hay thấp "
        "hơn mục tiêu.",
        "en": "The sources publish rates without dossier counts: no unit can be called surely above or below target.",
    },
    "verdict.limits.partial": {
        "vi": "Kết quả kỳ này chỉ có cho {n_with} trong {n_all} đơn vị: không xếp hạng được cả cấp, và mọi nhận "
        "định về đơn vị chỉ đúng trong {n_with} đơn vị có kết quả.",
        "en": "This period's results cover {n_with} of {n_all} units: no level can be ranked, and every statement "
        "about units holds only among the {n_with} units with a result.",
    },
    "verdict.limits.return": {
        "vi": "Báo cáo định kỳ: {n_with}/{n_all} đơn vị đã gửi số liệu kỳ này. Số liệu của cấp tính trên các đơn vị "
        "đã báo cáo, xếp hạng chỉ trong số đó; đơn vị còn thiếu được nêu tên ở trên và trong tệp Excel.",
        "en": "A return: {n_with} of {n_all} units have sent this period's figures. Level figures are computed over "
        "the units that reported and ranks are among them; the units still missing are named above and in the "
        "workbook.",
    },
    "verdict.limits.partial_no_counts": {
        "vi": "Kết quả kỳ này chỉ có cho {n_with} trong {n_all} đơn vị (do nguồn chọn nêu tên) và chỉ là tỷ lệ, "
        "không có số hồ sơ: không xếp hạng được cả cấp, không tính được khoảng tin cậy, và mọi nhận định về đơn vị "
        "chỉ đúng trong {n_with} đơn vị có kết quả.",
        "en": "This period's results cover {n_with} of {n_all} units (those a source chose to name) and are rates "
        "without dossier counts: no level can be ranked, no interval computed, and every statement about units "
        "holds only among the {n_with} units with a result.",
    },
    "h.summary": {"vi": "Tóm tắt", "en": "Summary"},
    "h.certainty": {"vi": "9. Độ tin cậy của các so sánh", "en": "9. How sure the comparisons are"},
    "summary.met": {"vi": "Đạt mục tiêu: {items}.", "en": "Targets met: {items}."},
    "summary.not_met": {"vi": "Chưa đạt mục tiêu: {items}.", "en": "Targets not met: {items}."},
    "old_units.summary": {
        "vi": "Kỳ cơ sở ({baseline}) được ghi theo đơn vị hành chính cũ (trước 01/7/2025) và chuyển sang đơn vị mới "
        "theo bảng chuyển đổi của danh mục (không ghép theo mã hay theo tên). Trong {n} lượt đơn vị mới–chỉ tiêu: "
        "{pooled} gộp theo số hồ sơ, {single} giữ nguyên (đúng một đơn vị cũ); không so sánh được: {split} vì có đơn "
        "vị cũ bị chia tách, {no_counts} vì chỉ có tỷ lệ, {missing} vì thiếu số liệu. Bảng ánh xạ: old_to_new.csv.",
        "en": "The baseline ({baseline}) is recorded under the units before 1 July 2025 and carried to the new units "
        "with the code list's converter (never by code or name). Of {n} new unit × indicator pairs: {pooled} pooled "
        "from dossier counts, {single} kept (exactly one old unit); not comparable: {split} because an old unit was "
        "split, {no_counts} rates only, {missing} missing figures. Mapping table: old_to_new.csv.",
    },
    "old_units.not_comparable": {
        "vi": "{n} lượt không so sánh được, với các đơn vị cũ hợp thành",
        "en": "{n} not comparable, with their old units",
    },
    "target.value": {"vi": "mục tiêu {value}", "en": "target {value}"},
    "units.not_reported": {
        "vi": "Nguồn chỉ công bố số liệu chung của từng cấp, không có số liệu của từng đơn vị: phần này không áp dụng.",
        "en": "The sources give figures per level only, not per unit: this section does not apply.",
    },
    "coverage.no_units": {
        "vi": "Nguồn không báo cáo số liệu của từng đơn vị (chỉ có số liệu chung của cấp).",
        "en": "The sources do not report units (level figures only).",
    },
    "headline.statements": {
        "vi": "Mức thay đổi do nguồn công bố, ghi đúng như văn bản. Khi nguồn không nói rõ là phần trăm hay điểm "
        "phần trăm, con số được giữ nguyên và không dùng để suy ra kỳ cơ sở.",
        "en": "Changes as the sources print them. Where a source does not say whether percent or percentage points "
        "are meant, the figure is kept as printed and never used to derive a baseline.",
    },
    "headline.statement": {
        "vi": "Nguồn viết «{printed}» so với {compared}",
        "en": "The source says «{printed}» against {compared}",
    },
    "headline.no_baseline": {
        "vi": "<b>{level}</b> — {kpi}: <b>{result}</b>{verdict}.",
        "en": "<b>{level}</b> — {kpi}: <b>{result}</b>{verdict}.",
    },
    "summary.unknown": {
        "vi": "Chưa có số liệu để đánh giá: {items}.",
        "en": "No figure to judge: {items}.",
    },
    "summary.moved": {
        "vi": "{level} — {kpi}: {n_up} trên {n} đơn vị tăng, {n_down} giảm (trung vị {median} điểm %){verdict}.",
        "en": "{level} — {kpi}: {n_up} of {n} units up, {n_down} down (median {median} pp){verdict}.",
    },
    "summary.moved_level": {"vi": "{level} — đơn vị tăng/giảm: {items}.", "en": "{level} — units up/down: {items}."},
    "summary.moved_item": {
        "vi": "{kpi} {n_up}/{n_down} trên {n} (trung vị {median} điểm %){sig}",
        "en": "{kpi} {n_up}/{n_down} of {n} (median {median} pp){sig}",
    },
    "summary.moved.sig_mark": {"vi": " ✓", "en": " ✓"},
    "summary.moved_legend": {
        "vi": "✓: thay đổi có ý nghĩa thống kê (kiểm định dấu-hạng Wilcoxon theo cặp, mục 9); "
        "không có dấu: chưa đủ bằng chứng thống kê về thay đổi.",
        "en": "✓: the change is statistically significant (paired Wilcoxon signed-rank test, section 9); "
        "no mark: not enough statistical evidence of a change.",
    },
    "summary.moved.sig": {"vi": "; thay đổi có ý nghĩa thống kê", "en": "; the change is statistically significant"},
    "summary.moved.nosig": {
        "vi": "; chưa đủ bằng chứng thống kê về thay đổi",
        "en": "; not enough statistical evidence of a change",
    },
    "summary.behind": {
        "vi": "{n} đơn vị thấp hơn mục tiêu một cách có ý nghĩa thống kê (sau hiệu chỉnh so sánh bội): {names}.",
        "en": "{n} units are significantly below target (after multiple-comparison control): {names}.",
    },
    "summary.no_counts": {
        "vi": "Nguồn chỉ công bố tỷ lệ, không có số hồ sơ của từng đơn vị: không tính được khoảng tin cậy, không "
        "kết luận được đơn vị nào chắc chắn cao hay thấp hơn mục tiêu, và không tách được phần thay đổi do cơ cấu "
        "hồ sơ.",
        "en": "The sources publish rates only, without each unit's dossier counts: no interval can be computed, no "
        "unit can be called surely above or below target, and the effect of the volume mix cannot be separated.",
    },
    "summary.partial": {
        "vi": "Kết quả kỳ báo cáo chỉ có cho {n_with}/{n_app} đơn vị (không đủ mọi chỉ tiêu): không thể xếp hạng "
        "đầy đủ, và kết luận chỉ đúng cho các đơn vị có số liệu. Nếu nguồn chỉ nêu tên các đơn vị cao nhất hoặc "
        "thấp nhất, các đơn vị đó không đại diện cho cả cấp.",
        "en": "The period's results cover {n_with} of {n_app} units (not every indicator): no full ranking is "
        "possible, and conclusions hold only for the units with data. Where a source names only the highest or "
        "lowest units, those do not represent their level.",
    },
    "certainty.intro": {
        "vi": "Một xã có 12 hồ sơ đạt 100% và một sở có 20.000 hồ sơ đạt 92% không phải là bằng chứng như nhau. "
        "Phần này cho biết mức độ chắc chắn của mỗi so sánh khi có số hồ sơ.",
        "en": "A commune with 12 dossiers at 100% and an agency with 20,000 at 92% are not the same kind of "
        "evidence. This section says how sure each comparison is, where dossier counts exist.",
    },
    "certainty.aggregates": {
        "vi": "Hai cách tổng hợp trả lời hai câu hỏi khác nhau: <b>tỷ lệ gộp</b> (tổng hồ sơ trực tuyến / tổng hồ sơ) "
        "cho biết bao nhiêu phần hồ sơ của người dân được xử lý trực tuyến; <b>trung bình các đơn vị</b> cho biết "
        "một đơn vị điển hình đạt bao nhiêu, mỗi đơn vị một phiếu. Phần thay đổi của tỷ lệ gộp được tách thành "
        "phần do các đơn vị cải thiện và phần do cơ cấu hồ sơ giữa các đơn vị thay đổi.",
        "en": "The two aggregates answer different questions: the <b>pooled rate</b> (online dossiers / all "
        "dossiers) says what share of people's dossiers went online; the <b>mean of unit rates</b> says how a "
        "typical unit does, one vote per unit. The change of the pooled rate is split into the part due to units "
        "improving and the part due to the mix of volumes between units changing.",
    },
    "certainty.aggregates_title": {
        "vi": "Tỷ lệ gộp và trung bình các đơn vị — bấm để xem",
        "en": "Pooled rate and mean of unit rates — click to show",
    },
    "certainty.funnel_title": {
        "vi": "Biểu đồ phễu ({n} chỉ tiêu) — bấm để xem",
        "en": "Funnel plots ({n} indicators) — click to show",
    },
    "certainty.funnel": {
        "vi": "Biểu đồ phễu: mỗi điểm là một đơn vị, trục ngang là số hồ sơ. Điểm nằm ngoài phễu (đường đứt nét) "
        "khác mục tiêu nhiều hơn mức có thể do ngẫu nhiên với quy mô đó; điểm trong phễu thì chưa phân biệt được. "
        "Đỏ: thấp hơn mục tiêu có ý nghĩa; xanh: cao hơn có ý nghĩa.",
        "en": "Funnel plots: each dot is a unit, the horizontal axis its number of dossiers. A dot outside the "
        "funnel (dashed) differs from the target by more than chance allows at that size; inside, it cannot be told "
        "apart. Red: significantly below target; green: significantly above.",
    },
    "certainty.ranking_rule": {
        "vi": "Quy tắc xếp hạng: điểm = cận dưới khoảng tin cậy 95% (Wilson) của tỷ lệ trừ mục tiêu, tức mức vượt "
        "mục tiêu mà ta chắc chắn 95%; đơn vị nhỏ không được xếp cao chỉ nhờ may mắn. Không có số hồ sơ thì điểm = "
        "tỷ lệ trừ mục tiêu. Điểm bằng nhau (làm tròn 0,1) thì đồng hạng. ▲/▼: cao/thấp hơn mục tiêu có ý nghĩa "
        "thống kê ở chỉ tiêu đó (kiểm định nhị thức chính xác, hiệu chỉnh Benjamini–Hochberg).",
        "en": "Ranking rule: score = the lower end of the rate's 95% Wilson interval minus the target, the attainment "
        "we are 95% sure of, so a small unit is not ranked high by luck. Without counts the score is the rate minus "
        "the target. Equal scores (to 0.1) share a rank. ▲/▼: significantly above/below target on that indicator "
        "(exact binomial test, Benjamini–Hochberg).",
    },
    "certainty.ranking_all": {"vi": "Bảng xếp hạng đầy đủ ({n} đơn vị)", "en": "The full ranking ({n} units)"},
    "certainty.significant_list": {
        "vi": "{n_above} lượt đơn vị–chỉ tiêu cao hơn và {n_below} lượt thấp hơn mục tiêu "
        "một cách có ý nghĩa thống kê.",
        "en": "{n_above} unit–indicator pairs are significantly above target and {n_below} significantly below.",
    },
    "certainty.ranking": {"vi": "Bảng xếp hạng thi đua — {level}", "en": "Emulation ranking — {level}"},
    "certainty.paired": {
        "vi": "Kiểm định dấu-hạng Wilcoxon theo cặp (kỳ cơ sở so với kỳ báo cáo) trên các đơn vị của từng cấp, "
        "hiệu chỉnh Holm cho nhiều kiểm định. Chỉ thực hiện khi mọi đơn vị có số liệu cả hai kỳ.",
        "en": "Paired Wilcoxon signed-rank test (baseline vs period) across the units of each level, Holm-adjusted "
        "for multiple tests. Run only when every unit has both values.",
    },
    "certainty.not_available": {
        "vi": "Không có: {what}. Lý do: nguồn không công bố số hồ sơ của từng đơn vị.",
        "en": "Not available: {what}. Why: the sources do not publish each unit's dossier counts.",
    },
    "certainty.what_missing": {
        "vi": "khoảng tin cậy, tỷ lệ gộp theo đơn vị, tách phần thay đổi do cơ cấu, biểu đồ phễu",
        "en": "intervals, pooled rates from units, the mix decomposition, funnel plots",
    },
    "certainty.paired_incomplete": {
        "vi": "Không kiểm định được sự thay đổi: kết quả kỳ báo cáo chỉ có cho một phần đơn vị, không phải mẫu "
        "đại diện.",
        "en": "The change cannot be tested: the period's results cover only some units, which are not a "
        "representative sample.",
    },
    "progress.title": {"vi": "Báo cáo tiến độ: {name}", "en": "Progress report: {name}"},
    "progress.subtitle": {
        "vi": "Số liệu đến hết: {period}. Hạn chót đạt mục tiêu: {deadline}.",
        "en": "Data up to: {period}. Targets due: {deadline}.",
    },
    "forecast.value": {
        "vi": "{rate} (khoảng {interval}); khả năng đạt mục tiêu {chance}",
        "en": "{rate} (interval {interval}); chance of meeting the target {chance}",
    },
    "h.progress_overview": {"vi": "1. Tiến độ theo cấp", "en": "1. Progress by level"},
    "h.trajectory": {"vi": "2. Diễn biến qua các kỳ", "en": "2. Trajectory over the periods"},
    "h.changes": {"vi": "3. Thay đổi so với kỳ trước", "en": "3. What changed since the previous period"},
    "h.at_risk": {"vi": "4. Đơn vị có nguy cơ không đạt", "en": "4. Units at risk"},
    "progress.intro": {
        "vi": "«So với lộ trình» là khoảng cách đến đường thẳng nối kỳ cơ sở với mục tiêu tại hạn chót (âm là chậm "
        "hơn lộ trình). Dự báo dùng xu hướng logit của các kỳ đã có, nên luôn nằm trong 0–100%, kèm khoảng tin cậy "
        "95% và khả năng đạt mục tiêu; cần ít nhất {min} kỳ để dự báo.",
        "en": "«Against the path» is the distance to the straight line from the baseline to the target at the "
        "deadline (negative is behind). Forecasts use a logit trend of the periods so far, so they stay within "
        "0–100%, with a 95% interval and the chance of meeting the target; at least {min} periods are needed.",
    },
    "progress.chart": {
        "vi": "Đường xanh: tỷ lệ từng kỳ; chấm xám: kỳ cơ sở; đường chấm: lộ trình thẳng đến mục tiêu; vạch đỏ: mục "
        "tiêu; ô vuông tím: dự báo tại hạn chót với khoảng tin cậy.",
        "en": "Blue line: the rate each period; grey diamond: baseline; dotted line: the straight path to the "
        "target; red dashes: target; purple square: forecast at the deadline with its interval.",
    },
    "progress.no_figures": {
        "vi": "Chưa có số liệu ở kỳ nào (kể cả kỳ cơ sở): {items}.",
        "en": "No figure in any period yet (baseline included): {items}.",
    },
    "progress.no_previous": {
        "vi": "Chưa có hai kỳ báo cáo liên tiếp của từng đơn vị để so sánh.",
        "en": "There are not yet two consecutive periods per unit to compare.",
    },
    "progress.at_risk": {
        "vi": "Đơn vị đang dưới mục tiêu mà xu hướng của chính nó (đường thẳng qua tối đa 4 kỳ gần nhất) không đạt "
        "mục tiêu trước hạn chót. Cần ít nhất 3 kỳ của đơn vị.",
        "en": "Units below target whose own trend (a straight line through up to the last 4 periods) does not reach "
        "the target by the deadline. At least 3 periods of the unit are needed.",
    },
    "progress.none_at_risk": {
        "vi": "Không có đơn vị nào được xác định là có nguy cơ (hoặc chưa đủ số kỳ để đánh giá).",
        "en": "No unit is identified as at risk (or there are not enough periods to judge).",
    },
    "unit.title": {"vi": "Báo cáo đơn vị: {unit}", "en": "Unit report: {unit}"},
    "status.met": {
        "vi": "Đạt {met}/{judged} mục tiêu có kết quả ({total} chỉ tiêu)",
        "en": "{met} of {judged} targets with a result met ({total} indicators)",
    },
    "status.no_targets": {"vi": "Chưa đặt mục tiêu ({total} chỉ tiêu)", "en": "No targets set ({total} indicators)"},
    "h.unit_figures": {"vi": "1. Kết quả của đơn vị", "en": "1. The unit's results"},
    "h.unit_children": {"vi": "2. Các đơn vị {name} trực thuộc", "en": "2. Units under it: {name}"},
    "unit.figures": {
        "vi": "So với mục tiêu của {level}. Thứ hạng tính trong toàn bộ đơn vị {level} (đơn vị bằng nhau đồng "
        "hạng); «—» khi không phải mọi đơn vị của cấp đều có số liệu, vì xếp hạng trong số đơn vị được nguồn nêu tên "
        "không phải là thứ hạng trong cấp.",
        "en": "Against the target of {level}. The rank counts every unit of the level (equal units share a rank); "
        "«—» where not every unit of the level has a figure, since a rank among the units a source named is not a "
        "rank in the level.",
    },
    "unit.fell": {
        "vi": "{kpi}: {result}, giảm so với {period} ({baseline}).",
        "en": "{kpi}: {result}, down from {baseline} in {period}.",
    },
    "unit.no_children": {
        "vi": "Không có đơn vị {level} nào thuộc đơn vị này.",
        "en": "No unit of the level «{level}» belongs to this unit.",
    },
    "unit.zeros": {"vi": "{n} đơn vị {level} ở mức 0%: {names}.", "en": "{n} units ({level}) at 0%: {names}."},
    "unit.summary": {
        "vi": "Đạt {met}/{judged} chỉ tiêu có kết quả (trong {total} chỉ tiêu).",
        "en": "Met {met} of {judged} indicators with a result ({total} indicators in all).",
    },
    "h.unit_old_parts": {
        "vi": "Kỳ cơ sở theo đơn vị hành chính cũ",
        "en": "The baseline under the old administrative units",
    },
    "unit.old_parts.intro": {
        "vi": "{unit} được hợp thành từ {n} đơn vị hành chính cũ (trước 01/7/2025; {n_split} trong số đó bị chia tách "
        "giữa nhiều đơn vị mới). Kỳ cơ sở ({baseline}) được ghi theo các đơn vị cũ này và chuyển sang đơn vị "
        "mới theo bảng chuyển đổi của danh mục (không ghép theo mã hay theo tên); chỉ cộng dồn khi mọi đơn vị cũ đều "
        "có số hồ sơ và không đơn vị nào bị chia tách.",
        "en": "{unit} was made of {n} old administrative units (before 1 July 2025; {n_split} of them split between "
        "several new units). The baseline ({baseline}) is recorded under these old units and carried to the new unit "
        "with the code list's converter (never by code or name); counts are pooled only when every old part has "
        "dossier counts and none was split.",
    },
    "unit.old_parts.comparable": {
        "vi": "{kpi}: kỳ cơ sở so sánh được ({method}): {value}.",
        "en": "{kpi}: the baseline is comparable ({method}): {value}.",
    },
    "unit.old_parts.not_comparable": {
        "vi": "{kpi}: kỳ cơ sở không so sánh được ({reason}); không tính mức thay đổi so với kỳ cơ sở.",
        "en": "{kpi}: the baseline is not comparable ({reason}); no change from the baseline is computed.",
    },
    "h.unit_fields": {
        "vi": "Theo lĩnh vực (biểu thống kê giải quyết TTHC)",
        "en": "By field (procedure statistics form)",
    },
    "unit.fields": {
        "vi": "Số hồ sơ theo lĩnh vực kỳ {period}, theo biểu thống kê tình hình, kết quả giải quyết thủ tục hành "
        "chính. Tỷ lệ trực tuyến = mới tiếp nhận trực tuyến ÷ mới tiếp nhận (không tính hồ sơ kỳ trước chuyển "
        "qua); đúng hạn = (trước hạn + đúng hạn) ÷ đã giải quyết; tồn quá hạn = quá hạn ÷ đang giải quyết.",
        "en": "Dossiers by field, period {period}, from the procedure statistics form. Online = received online ÷ "
        "newly received (carried-over dossiers excluded); on time = (early + on time) ÷ finished; overdue "
        "pending = overdue ÷ pending.",
    },
    "sources.intro": {
        "vi": "Mọi con số trong báo cáo được chép từ các văn bản sau; mỗi dòng dữ liệu ghi rõ nguồn và mục.",
        "en": "Every figure in this report is transcribed from these documents; each data row names its source "
        "and section.",
    },
}


# `dvctt fetch` (issue 21 item 8): why a fetch from the portal stopped. Vietnamese and English are printed together.
TEXT.update(
    {
        "fetch.unreachable": {
            "vi": "Không lấy được {url} sau {tries} lần thử: {reason}. Thử lại sau, hoặc tăng --timeout/--tries",
            "en": "{url} could not be fetched after {tries} tries: {reason}. Try again later, or raise "
            "--timeout/--tries",
        },
        "fetch.timed_out": {"vi": "quá {seconds} giây không trả lời", "en": "no answer within {seconds} s"},
        "fetch.after_tries": {"vi": " sau {tries} lần thử", "en": " after {tries} tries"},
        "fetch.not_kept": {"vi": "(không giữ vì quá lớn)", "en": "(not kept: too large)"},
        "fetch.refused": {
            "vi": "Cổng từ chối {url}: HTTP {status}{detail}. Câu trả lời được giữ nguyên trong {raw}",
            "en": "the portal refused {url}: HTTP {status}{detail}. Its answer is kept unmodified in {raw}",
        },
        "fetch.redirected": {
            "vi": " (chuyển hướng tới {location}, dvctt không đi theo)",
            "en": " (a redirect to {location}, which dvctt does not follow)",
        },
        "fetch.unknown_shape": {
            "vi": "Câu trả lời của {url} có dạng dvctt không biết: {what}. Câu trả lời được giữ nguyên trong {raw}",
            "en": "the answer of {url} has a shape dvctt does not know: {what}. It is kept unmodified in {raw}",
        },
        "fetch.shape.not_json": {
            "vi": "không phải JSON (Content-Type {content_type}, bắt đầu bằng {start})",
            "en": "it is not JSON (Content-Type {content_type}, it starts with {start})",
        },
        "fetch.shape.code": {
            "vi": 'trường code là {value} chứ không phải "OK" (message: {message})',
            "en": 'its code is {value}, not "OK" (message: {message})',
        },
        "fetch.shape.no_list": {
            "vi": "không có {path} là danh sách các đơn vị",
            "en": "{path} is not a list of units",
        },
        "fetch.shape.pages": {
            "vi": "{path} báo {pages} trang; dvctt chỉ đọc câu trả lời một trang (pageSize 300)",
            "en": "{path} says {pages} pages; dvctt reads one-page answers only (pageSize 300)",
        },
        "fetch.shape.other_unit": {
            "vi": "data.overview.departmentCode là {got}, không phải tỉnh đã hỏi {wanted}",
            "en": "data.overview.departmentCode is {got}, not the province asked for, {wanted}",
        },
        "fetch.shape.bad_row": {
            "vi": "{path} = {value} không phải {expected}",
            "en": "{path} = {value} is not {expected}",
        },
        "fetch.shape.too_big": {
            "vi": "câu trả lời lớn hơn {limit} MB",
            "en": "the answer is larger than {limit} MB",
        },
        "fetch.unknown_province": {
            "vi": "Không có tỉnh {province} trong câu trả lời toàn quốc ({raw}); các mã có: {codes}",
            "en": "there is no province {province} in the national answer ({raw}); its codes are: {codes}",
        },
        "fetch.bad_base_url": {
            "vi": "Địa chỉ Cổng {url} không dùng được: cần http:// hoặc https:// và tên máy, không kèm tên đăng "
            "nhập, mật khẩu, truy vấn",
            "en": "portal address {url} cannot be used: it needs http:// or https:// and a host, without user "
            "name, password or query",
        },
        "fetch.bad_period": {
            "vi": "Kỳ {period}: Cổng chỉ trả số liệu theo năm (2026-ytd), quý (2026-q3) hoặc tháng (2026-02)",
            "en": "period {period}: the portal answers for a year (2026-ytd), a quarter (2026-q3) or a month "
            "(2026-02) only",
        },
    }
)


# How a level figure was (or was not) obtained, as metrics writes it in English, and the same in Vietnamese.
_SOURCE_NOTES: tuple[tuple[str, dict[str, str]], ...] = (
    (
        r"computed: mean of (\d+) unit rates?",
        {"vi": "tính: trung bình tỷ lệ của {0} đơn vị", "en": "computed: mean of {0} unit rates"},
    ),
    (
        r"computed: pooled counts of (\d+) units?",
        {"vi": "tính: gộp số hồ sơ của {0} đơn vị", "en": "computed: pooled counts of {0} units"},
    ),
    (
        r"computed: pooled counts of (\d+) levels?",
        {"vi": "tính: gộp số hồ sơ của {0} cấp", "en": "computed: pooled counts of {0} levels"},
    ),
    (
        r"not computed: counts for (\d+) of (\d+) applicable units and no reported counts",
        {
            "vi": "không tính được: chỉ {0}/{1} đơn vị có số hồ sơ, nguồn không in số hồ sơ",
            "en": "not computed: counts for {0} of {1} applicable units and no reported counts",
        },
    ),
    (
        r"not computed: rates for (\d+) of (\d+) applicable units",
        {
            "vi": "không tính được: chỉ {0}/{1} đơn vị có tỷ lệ",
            "en": "not computed: rates for {0} of {1} applicable units",
        },
    ),
    (
        r"not computed: no applicable units",
        {"vi": "không tính được: không đơn vị nào áp dụng", "en": "not computed: no applicable units"},
    ),
    (
        r"not computed: counts missing for at least one level",
        {
            "vi": "không tính được: thiếu số hồ sơ của ít nhất một cấp",
            "en": "not computed: counts missing for at least one level",
        },
    ),
    (r"\blead para\. ", {"vi": "đoạn mở đầu ", "en": "lead para. "}),
    (r"\bpara\. ", {"vi": "đoạn ", "en": "para. "}),
    (r"no reported total", {"vi": "nguồn không công bố số tổng", "en": "no reported total"}),
    (
        r"\(pooled from reported counts\)",
        {"vi": "(gộp từ số hồ sơ được công bố)", "en": "(pooled from reported counts)"},
    ),
)


def source_note(value: str, lang: str = "vi") -> str:
    """Where a figure came from, in ``lang``: the English notes metrics writes become Vietnamese."""
    import re

    out = value
    for pattern, words in _SOURCE_NOTES:
        out = re.sub(pattern, lambda m, w=words: w[lang].format(*m.groups()), out)
    if lang == "vi":  # "(reported counts for province, district)" -> "(số hồ sơ công bố của cấp tỉnh, cấp huyện)"
        out = re.sub(
            r"\(reported counts for ([a-z_]+(?:, [a-z_]+)*)\)",
            lambda m: (
                "(số hồ sơ công bố của "
                + ", ".join(level_label(x, "vi").lower() if f"level.{x}" in LABELS else x for x in m[1].split(", "))
                + ")"
            ),
            out,
        )
    return out


# A reconciliation note, as analysis.reconcile writes it in English (one clause per pattern), in Vietnamese. Each
# pattern's groups are shown as: c a count (42.839), d a decimal (80,0), k kept as is (a unit code), s a status.
_RECONCILE_NOTES: tuple[tuple[str, str, str], ...] = (
    (r"printed counts (\d+)/(\d+)", "cc", "số hồ sơ được in: {0}/{1}"),
    (
        r"; consistent if the source truncates instead of rounding",
        "",
        "; khớp nếu nguồn cắt bớt chữ số thay vì làm tròn",
    ),
    (r"summed counts of (\d+) units?: (\d+)/(\d+)", "ccc", "cộng số hồ sơ của {0} đơn vị: {1}/{2}"),
    (r"; the row prints (\d+)/(\d+) \(counts match\)", "cc", "; dòng tổng in {0}/{1} (số hồ sơ khớp)"),
    (r"; the row prints (\d+)/(\d+) \(counts differ\)", "cc", "; dòng tổng in {0}/{1} (số hồ sơ lệch)"),
    (r"; the row prints (\d+)/(\d+)", "cc", "; dòng tổng in {0}/{1}"),
    (r"levels sum to (\d+)/(\d+)", "cc", "cộng các cấp được {0}/{1}"),
    (r"mean of (\d+) unit rates?", "c", "trung bình tỷ lệ của {0} đơn vị"),
    (
        r"the printed Tổng appears to be an unweighted mean of unit rates",
        "",
        "dòng Tổng được in có vẻ là trung bình cộng tỷ lệ các đơn vị (không theo số hồ sơ)",
    ),
    (
        r"the reported total is probably a pooled \(dossier-weighted\) figure, not a mean of unit rates",
        "",
        "số tổng công bố có lẽ là tỷ lệ gộp (theo số hồ sơ), không phải trung bình tỷ lệ các đơn vị",
    ),
    (
        r"units known: (\d+) of (\d+) applicable units have a rate \((\d+) units?, (\d+) not applicable\)",
        "cccc",
        "đã biết tỷ lệ của {0}/{1} đơn vị áp dụng ({2} đơn vị, {3} không áp dụng)",
    ),
    (
        r"units known: (\d+) of (\d+) applicable units have a rate, (\d+) of them met the target; "
        r"the full count lies between (\d+) and (\d+)",
        "ccccc",
        "đã biết tỷ lệ của {0}/{1} đơn vị áp dụng, {2} đơn vị trong số đó đạt mục tiêu; số đơn vị đạt thực tế "
        "trong khoảng {3} đến {4}",
    ),
    (r"; no printed counts", "", "; nguồn không in số hồ sơ"),
    (r"(\d+) of (\d+) applicable units? met the target", "cc", "{0}/{1} đơn vị áp dụng đạt mục tiêu"),
    (r"(\d+) units? in units\.csv", "c", "{0} đơn vị trong danh mục đơn vị"),
    (r"unit (\S+): rate ([\d.]+) − target ([\d.]+)", "kdd", "đơn vị {0}: tỷ lệ {1}% − mục tiêu {2}%"),
    (r"unit (\S+): observation rate", "k", "đơn vị {0}: tỷ lệ trong số liệu đơn vị"),
    (r"unit (\S+): not in units\.csv", "k", "đơn vị {0}: không có trong danh mục đơn vị"),
    (r"unit (\S+): status (\w+)", "ks", "đơn vị {0}: {1}"),
    (r"unit (\S+): no target for its level", "k", "đơn vị {0}: cấp của đơn vị không có mục tiêu"),
    (r"no targets given", "", "chưa có mục tiêu"),
    (r"\w+ statements of this kind are not checked", "", "loại số liệu này không được kiểm tra"),
)


def _note_part(value: str, kind: str) -> str:
    if kind == "c":
        return f"{int(value):,}".replace(",", ".")
    if kind == "d":
        return value.replace(".", ",")
    if kind == "s":
        return t(f"status.{value}", "vi") if f"status.{value}" in LABELS else value
    return value


def reconcile_note(value: str, lang: str = "vi") -> str:
    """A reconciliation note in ``lang``: analysis.reconcile writes English; Vietnamese readers get it translated."""
    import re

    if check_lang(lang) == "en":
        return value
    out = value
    for pattern, kinds, words in _RECONCILE_NOTES:
        out = re.sub(
            pattern,
            lambda m, k=kinds, w=words: w.format(*(_note_part(g, x) for g, x in zip(m.groups(), k, strict=True))),
            out,
        )
    return out


def finding_label(code: str, lang: str = "vi") -> str:
    """A reconciliation finding code ("unit_mean.differs") as words ("Trung bình tỷ lệ các đơn vị — Lệch")."""
    if f"finding.{code}" in LABELS:
        return t(f"finding.{code}", lang)
    method, _, verdict = code.partition(".")
    keyed = ((f"method.{method}", method), (f"verdict.{verdict}", verdict))
    parts = [t(key, lang) if key in LABELS else part for key, part in keyed if part]
    return " — ".join(parts)


def text(key: str, lang: str = "vi", **values: object) -> str:
    """A report sentence in ``lang`` with its placeholders filled."""
    try:
        sentence = TEXT[key][lang]
    except KeyError:
        check_lang(lang)
        raise
    return sentence.format(**values)


# Calendar periods written by `dvctt new --periods` (dvctt.campaign.calendar), issue 22 item 4.
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")  # fmt: skip
LABELS.update({f"month_name.{i}": {"vi": f"Tháng {i}", "en": name} for i, name in enumerate(_MONTHS_EN, 1)})
LABELS.update({f"month_abbr.{i}": {"vi": f"thg {i}", "en": name[:3]} for i, name in enumerate(_MONTHS_EN, 1)})
TEXT.update(
    {
        "calendar.year": {"vi": "Năm {year}", "en": "Year {year}"},
        "calendar.month": {"vi": "{month_name}/{year}", "en": "{month_name} {year}"},
        "calendar.quarter": {"vi": "Quý {quarter}/{year}", "en": "Q{quarter} {year}"},
        "calendar.week": {"vi": "Tuần {week}/{year} ({start}–{end})", "en": "Week {week} of {year} ({start} – {end})"},
    }
)


# The chat message of a campaign report set (dvctt.report.campaign_message), issue 22 item 5.
TEXT.update(
    {
        "campaign.message.head": {"vi": "{name} - {period}", "en": "{name} - {period}"},
        "campaign.message.part": {"vi": "(Phần {i}/{n})", "en": "(Part {i} of {n})"},
        "campaign.message.no_result": {"vi": "chưa có số liệu kỳ này", "en": "no figure this period"},
        "campaign.message.met": {"vi": "mục tiêu {target}: đạt", "en": "target {target}: met"},
        "campaign.message.missed": {"vi": "mục tiêu {target}: chưa đạt", "en": "target {target}: not met"},
        "campaign.message.unjudged": {"vi": "mục tiêu {target}: chưa đánh giá", "en": "target {target}: not judged"},
        "campaign.message.no_target": {"vi": "chưa đặt mục tiêu", "en": "no target set"},
        "campaign.message.coverage": {"vi": "{n}/{total} đơn vị có số liệu", "en": "{n} of {total} units reported"},
        "campaign.message.behind": {"vi": "Xa mục tiêu nhất: {names}", "en": "Furthest behind: {names}"},
        "campaign.message.lowest": {"vi": "Thấp nhất: {names}", "en": "Lowest: {names}"},
        "campaign.message.more": {"vi": "và {n} đơn vị khác", "en": "and {n} more"},
    }
)


# The service index (Decision 766/QĐ-TTg): component names, levels, groups, table headers (issue 12).
LABELS.update(
    {
        "index.component.CKMB": {"vi": "Công khai, minh bạch", "en": "Transparency"},
        "index.component.TDGQ": {"vi": "Tiến độ, kết quả giải quyết", "en": "Progress and results"},
        "index.component.MDSH": {"vi": "Mức độ số hóa hồ sơ", "en": "Digitisation"},
        "index.component.CLGQ": {"vi": "Cung cấp dịch vụ trực tuyến", "en": "Online services"},
        "index.component.TTTT": {"vi": "Thanh toán trực tuyến", "en": "Online payment"},
        "index.component.MDHL": {"vi": "Mức độ hài lòng", "en": "Satisfaction"},
        "index.level.province": {"vi": "Tỉnh, thành phố", "en": "Provinces"},
        "index.level.agency": {"vi": "Sở, ban, ngành", "en": "Provincial agencies"},
        "index.level.commune": {"vi": "Xã, phường, đặc khu", "en": "Communes"},
        "index.group.urgent": {"vi": "Cần cải thiện gấp", "en": "Needs urgent improvement"},
        "index.group.attention": {"vi": "Cần chú ý", "en": "Needs attention"},
        "index.group.ok": {"vi": "Đạt từ ngưỡng trên", "en": "At or above the upper threshold"},
        "index.note.tie": {"vi": "bằng điểm đơn vị khác nhưng in hạng khác", "en": "tied, printed with another rank"},
        "index.note.order": {"vi": "thứ tự in ngược với tổng điểm", "en": "printed order contradicts the totals"},
        "index.note.offset": {"vi": "số thứ tự in bị lệch hoặc nhảy cóc", "en": "printed numbering skips or shifts"},
        "index.note.not_a_number": {"vi": "hạng in không phải số", "en": "printed rank is not a number"},
        "index.unranked_code.alone": {"vi": "không có đơn vị cùng cấp để xếp hạng", "en": "no peer to rank among"},
        "col.previous_as_of": {"vi": "Ngày chốt kỳ trước", "en": "Previous as of"},
        "col.unranked": {"vi": "Lý do không xếp hạng", "en": "Why not ranked"},
        "sheet.index_scores": {"vi": "Điểm thành phần", "en": "Component scores"},
        "sheet.index_units": {"vi": "Xếp hạng đơn vị", "en": "Unit ranking"},
        "sheet.index_rank_notes": {"vi": "Ghi chú hạng in", "en": "Printed rank notes"},
        "col.component": {"vi": "Thành phần", "en": "Component"},
        "col.index_score": {"vi": "Điểm", "en": "Score"},
        "col.max_points": {"vi": "Điểm tối đa", "en": "Maximum"},
        "col.points_lost": {"vi": "Điểm bị mất", "en": "Points lost"},
        "col.total": {"vi": "Tổng điểm", "en": "Total"},
        "col.n_peers": {"vi": "Số đơn vị cùng cấp", "en": "Peers"},
        "col.lowest_unit": {"vi": "Thấp nhất", "en": "Lowest"},
        "col.printed_rank": {"vi": "Hạng in trong tệp (ROW_STT)", "en": "Printed rank (ROW_STT)"},
        "col.index_change": {"vi": "Thay đổi (điểm)", "en": "Change (points)"},
        "col.rank_change": {"vi": "Thay đổi hạng", "en": "Rank change"},
        "col.previous_period": {"vi": "Kỳ trước", "en": "Previous period"},
        "col.group": {"vi": "Nhóm", "en": "Group"},
        "col.weakest": {"vi": "Thành phần mất nhiều điểm nhất", "en": "Component losing most"},
        "col.weakest_lost": {"vi": "Điểm mất ở thành phần đó", "en": "Points lost there"},
        "col.peer_median": {"vi": "Trung vị cùng cấp", "en": "Peer median"},
        "col.index_level": {"vi": "Cấp", "en": "Level"},
        "col.ma_coquan": {"vi": "Mã trên Cổng (MA_COQUAN)", "en": "Portal code (MA_COQUAN)"},
        "col.official_code": {"vi": "Mã ĐVHC chính thức", "en": "Official code"},
        "col.index_note": {"vi": "Ghi chú", "en": "Note"},
        "col.file": {"vi": "Tệp", "en": "File"},
        "col.as_of": {"vi": "Ngày chốt số liệu", "en": "As of"},
        "col.kpi_rate": {"vi": "Tỷ lệ của chiến dịch", "en": "Campaign rate"},
        "index.max_source": {
            "vi": "Quyết định 766/QĐ-TTg ngày 23/6/2022, năm nhóm 100 điểm như Cổng DVC quốc gia thể hiện; nhóm cung "
            "cấp dịch vụ trực tuyến 22 điểm gồm dịch vụ trực tuyến (CLGQ) 12 và thanh toán trực tuyến (TTTT) 10",
            "en": "Decision 766/QĐ-TTg of 23/6/2022, five groups of 100 points as the national portal shows them; "
            "online service provision (22) is online services (CLGQ) 12 + online payment (TTTT) 10",
        },
    }
)

TEXT.update(
    {
        "index.title": {
            "vi": "Chỉ số phục vụ người dân, doanh nghiệp: {unit}",
            "en": "Service index (Decision 766): {unit}",
        },
        "index.subtitle": {
            "vi": "Bộ chỉ số theo Quyết định 766/QĐ-TTg, số liệu xuất từ Cổng Dịch vụ công quốc gia. Kỳ: {period}.",
            "en": "The Government's service index (Decision 766/QĐ-TTg), as exported from the national public "
            "service portal. Period: {period}.",
        },
        "index.period.month": {"vi": "Tháng {month}/{year}", "en": "{month} {year}"},
        "index.period.quarter": {"vi": "Quý {order}/{year}", "en": "Q{order} {year}"},
        "index.period.ytd": {
            "vi": "Lũy kế năm {year} đến hết tháng {month}",
            "en": "Year {year} to the end of {month}",
        },
        "index.period.ytd_as_of": {"vi": "Lũy kế đến ngày {date}", "en": "Year to date as of {date}"},
        "index.period.provisional": {"vi": "{period}, tạm tính đến {date}", "en": "{period}, provisional to {date}"},
        "index.period.fetched": {"vi": "{period} (số liệu ngày {date})", "en": "{period} (figures of {date})"},
        "index.period.ytd_unknown": {
            "vi": "Lũy kế năm {year} (tệp không ghi ngày chốt)",
            "en": "Year {year} to date (the export does not state the date)",
        },
        "index.headline.total": {"vi": "Tổng điểm", "en": "Total"},
        "index.headline.rank": {"vi": "Xếp hạng trong các {level}", "en": "Rank among {level}"},
        "index.headline.change": {"vi": "So với kỳ trước", "en": "Since the previous period"},
        "index.headline.no_previous": {
            "vi": "chưa có kỳ trước cùng loại trong năm {year}",
            "en": "no earlier snapshot of the same kind in {year}",
        },
        "index.headline.change_value": {
            "vi": "{change} điểm ({previous}); hạng {rank_change}",
            "en": "{change} points ({previous}); rank {rank_change}",
        },
        "index.headline.weakest": {
            "vi": "Thành phần mất nhiều điểm nhất: {component} (mất {lost}/{max} điểm).",
            "en": "The component losing most points: {component} ({lost} of {max} points lost).",
        },
        "index.rank_up": {"vi": "tăng {n} bậc", "en": "up {n}"},
        "index.rank_down": {"vi": "giảm {n} bậc", "en": "down {n}"},
        "index.rank_same": {"vi": "giữ nguyên", "en": "unchanged"},
        "h.index_lost": {"vi": "1. Điểm bị mất theo thành phần", "en": "1. Points lost per component"},
        "h.index_trend": {"vi": "2. Diễn biến theo tháng, quý", "en": "2. Trend per month and quarter"},
        "h.index_peers": {"vi": "3. Xếp hạng cùng cấp", "en": "3. Ranking among peers"},
        "h.index_children": {"vi": "4. Sở, ban, ngành và xã, phường", "en": "4. Agencies and communes"},
        "h.index_kpis": {"vi": "5. Đối chiếu với chỉ tiêu chiến dịch", "en": "5. Beside the campaign's KPIs"},
        "h.index_notes": {"vi": "6. Ghi chú về số liệu", "en": "6. Notes on the data"},
        "h.index_notes_no_kpis": {"vi": "5. Ghi chú về số liệu", "en": "5. Notes on the data"},
        "index.lost.intro": {
            "vi": "Điểm bị mất = điểm tối đa của thành phần − điểm đạt được. Thành phần có thanh dài nhất là nơi cần "
            "tập trung cải thiện. Trung vị cùng cấp: của {n} {level} trong cùng kỳ.",
            "en": "Points lost = the component's maximum − the score. The longest bar is where to work first. Peer "
            "median: of the {n} {level} in the same period.",
        },
        "index.lost.chart_title": {"vi": "Điểm bị mất theo thành phần", "en": "Points lost per component"},
        "index.lost.axis": {"vi": "Điểm bị mất", "en": "Points lost"},
        "index.lost.bar": {"vi": "mất {lost}/{max}", "en": "{lost} of {max} lost"},
        "index.trend.rebased": {
            "vi": "Điểm của các năm khác nhau không so sánh với nhau: Cổng tính lại thang điểm giữa các năm (năm "
            "2026 thang điểm thay đổi); mỗi năm là một đường riêng.",
            "en": "Scores of different years are not compared: the portal re-bases its scale between years (as in "
            "2026); each year is a line of its own.",
        },
        "index.trend.none": {
            "vi": "Chỉ có {n} kỳ số liệu {kind} trong năm: chưa đủ để vẽ diễn biến. Nạp thêm tệp của các tháng, quý "
            "khác để thấy xu hướng.",
            "en": "Only {n} {kind} period(s) in the year: not enough for a trend. Add the exports of other months "
            "or quarters to see one.",
        },
        "index.trend.kind.month": {"vi": "theo tháng", "en": "monthly"},
        "index.trend.kind.quarter": {"vi": "theo quý", "en": "quarterly"},
        "index.trend.kind.ytd": {"vi": "lũy kế", "en": "year-to-date"},
        "index.trend.axis": {"vi": "Tổng điểm", "en": "Total"},
        "index.trend.chart_title": {"vi": "Tổng điểm {kind}", "en": "Total, {kind}"},
        "index.peers.intro": {
            "vi": "Hạng tính từ tổng điểm trong tệp (bằng điểm thì cùng hạng), không lấy theo cột ROW_STT.",
            "en": "Ranks come from the totals in the file (equal totals share a rank), not from ROW_STT.",
        },
        "index.children.none": {
            "vi": "Tệp không có số liệu sở, ban, ngành hay xã, phường của đơn vị này. Tải thêm trang tính cấp sở, "
            "cấp xã từ Cổng để xếp hạng.",
            "en": "The data hold no agency or commune of this unit. Download the agency and commune sheets from "
            "the portal to rank them.",
        },
        "index.children.groups": {
            "vi": "Ngưỡng: dưới {low} điểm «{urgent}», từ {low} đến dưới {high} điểm «{attention}».",
            "en": "Thresholds: under {low} points '{urgent}', {low} to under {high} '{attention}'.",
        },
        "index.children.group_line": {"vi": "{group}: {n} đơn vị", "en": "{group}: {n} unit(s)"},
        "index.bands.caption": {
            "vi": "Sở, ban, ngành và xã, phường theo nhóm điểm, {period}",
            "en": "Agencies and communes by band, {period}",
        },
        "index.bands.verdict": {"vi": "Dưới {low} điểm: {units}.", "en": "Under {low} points: {units}."},
        "index.bands.part": {"vi": "{n}/{of} {level}", "en": "{n} of {of} {level}"},
        "index.bands.and": {"vi": "và", "en": "and"},
        "index.long.ranking": {
            "vi": "Bảng xếp hạng {n} đơn vị ({level}): bấm để mở",
            "en": "Ranking of the {n} units ({level}): click to open",
        },
        "index.long.notes": {
            "vi": "{n} đơn vị có hạng in khác hạng tính từ tổng điểm: bấm để mở",
            "en": "{n} units whose printed rank differs from the rank by total: click to open",
        },
        "index.trend.axis_note": {
            "vi": "Trục dọc từ {low} đến {high} điểm: luôn trải ít nhất {span} điểm (từ bội số của 5 ngay dưới điểm "
            "thấp nhất), để một thay đổi vài phần trăm điểm không trông như một bước nhảy, còn thay đổi vài điểm "
            "vẫn thấy rõ.",
            "en": "The vertical axis runs from {low} to {high} points: it always spans at least {span} points (from "
            "the multiple of 5 just under the lowest score), so a change of a few hundredths does not look like a "
            "jump while a change of a few points still shows.",
        },
        "index.notes.printed": {
            "vi": "Cột ROW_STT được giữ nguyên như in nhưng không dùng để xếp hạng. Các đơn vị có hạng in khác hạng "
            "tính từ tổng điểm:",
            "en": "ROW_STT is kept as printed but never used for ranking. Units whose printed rank differs from "
            "their rank by total:",
        },
        "index.notes.printed_none": {
            "vi": "Hạng in (ROW_STT) khớp với hạng tính từ tổng điểm.",
            "en": "The printed ranks (ROW_STT) agree with the ranks by total.",
        },
        "index.notes.max": {
            "vi": "Điểm tối đa từng thành phần: {max}. Nguồn: {source}.",
            "en": "Maxima: {max}. Source: {source}.",
        },
        "index.notes.files": {"vi": "Tệp đã đọc:", "en": "Files read:"},
        "index.kpis.intro": {
            "vi": "Tỷ lệ của chiến dịch đặt cạnh thành phần chỉ số gần nhất. Đây không phải cùng một phép đo: "
            "thành phần chỉ số do Cổng chấm theo cách riêng, chỉ nên đọc cùng chiều.",
            "en": "The campaign's rates beside the nearest index component. They are not the same measure: the "
            "portal scores components its own way; read them side by side only.",
        },
        "index.status": {"vi": "{total} điểm, hạng {rank}/{n}", "en": "{total} points, rank {rank} of {n}"},
        "index.bands.scale_2025": {
            "vi": "Ngưỡng {year}: dưới {low} điểm «{urgent}», từ {low} đến dưới {high} «{attention}» (ngưỡng của thang "
            "điểm 2025); đặt [bands.{year}] trong index.toml để thay đổi.",
            "en": "Bands {year}: under {low} '{urgent}', {low} to under {high} '{attention}' (the bands of the 2025 "
            "scale); set [bands.{year}] in index.toml to change them.",
        },
        "index.bands.index_toml": {
            "vi": "Ngưỡng {year}: dưới {low} điểm «{urgent}», từ {low} đến dưới {high} «{attention}» (đặt trong "
            "index.toml của thư mục chỉ số).",
            "en": "Bands {year}: under {low} '{urgent}', {low} to under {high} '{attention}' (set in the index "
            "folder's index.toml).",
        },
        "index.bands.command_line": {
            "vi": "Ngưỡng {year}: dưới {low} điểm «{urgent}», từ {low} đến dưới {high} «{attention}» (đặt bằng "
            "--threshold-low/--threshold-high).",
            "en": "Bands {year}: under {low} '{urgent}', {low} to under {high} '{attention}' (given with "
            "--threshold-low/--threshold-high).",
        },
        "index.bands.national_median": {
            "vi": "Ngưỡng {year}: dưới {low} điểm (trung vị của {n} {level} cùng kỳ) «{urgent}», từ {low} đến dưới "
            "{high} (tứ phân vị trên) «{attention}»; thang điểm {year} đã được Cổng tính lại nên không dùng ngưỡng "
            "80/90 của năm 2025; đặt [bands.{year}] trong index.toml để thay đổi.",
            "en": "Bands {year}: under {low} (the median of the {n} {level} in the same snapshot) '{urgent}', {low} "
            "to under {high} (their upper quartile) '{attention}'; the portal re-based its {year} scale, so the "
            "2025 bands 80/90 do not apply; set [bands.{year}] in index.toml to change them.",
        },
        "index.bands.peer_quartile": {
            "vi": "Ngưỡng {year}: dưới {low} điểm (một phần tư thấp nhất của {n} {level} cùng kỳ) «{urgent}», từ "
            "{low} đến dưới {high} (trung vị) «{attention}»; thang điểm {year} đã được Cổng tính lại nên không dùng "
            "ngưỡng 80/90 của năm 2025; đặt [bands.{year}] trong index.toml để thay đổi.",
            "en": "Bands {year}: under {low} (the lowest quarter of the {n} {level} in the same snapshot) "
            "'{urgent}', {low} to under {high} (their median) '{attention}'; the portal re-based its {year} scale, "
            "so the 2025 bands 80/90 do not apply; set [bands.{year}] in index.toml to change them.",
        },
        "index.bands.unfit": {
            "vi": "Ngưỡng {year}: tạm dùng {low}/{high} của thang điểm 2025, không hợp với thang điểm {year} đã tính "
            "lại, vì số liệu không đủ đơn vị cùng kỳ để rút ngưỡng; đặt [bands.{year}] trong index.toml.",
            "en": "Bands {year}: the 2025 bands {low}/{high} for want of peers in the snapshot to draw bands from; "
            "they do not fit the re-based {year} scale: set [bands.{year}] in index.toml.",
        },
        "index.bands.level.province": {"vi": "tỉnh, thành phố", "en": "provinces"},
        "index.bands.level.commune": {"vi": "xã, phường của tỉnh", "en": "communes of the province"},
        "index.bands.level.agency": {"vi": "sở, ban, ngành của tỉnh", "en": "agencies of the province"},
        "index.rebasing": {
            "vi": "Điểm hai năm không đặt trên cùng một thang: Cổng đã tính lại thang điểm năm 2026 (trung vị các "
            "tỉnh, thành phố: {medians}).",
            "en": "The two years' scores are not on one scale: the portal re-based its scale in 2026 (median of "
            "the provinces: {medians}).",
        },
        "index.rebasing.year": {
            "vi": "khoảng {median} điểm năm {year}, {snapshot}, {n} tỉnh",
            "en": "about {median} in {year}, {snapshot}, {n} provinces",
        },
        "index.unranked.province": {
            "vi": "không xếp hạng: tệp chỉ có một tỉnh",
            "en": "not ranked: the files hold no other province",
        },
        "index.unranked.agency": {
            "vi": "không xếp hạng: tệp chỉ có một sở, ban, ngành của tỉnh",
            "en": "not ranked: the files hold no other agency of the province",
        },
        "index.unranked.commune": {
            "vi": "không xếp hạng: tệp chỉ có một xã, phường của tỉnh",
            "en": "not ranked: the files hold no other commune of the province",
        },
        "index.children.other_snapshot": {
            "vi": "Số liệu sở, ban, ngành và xã, phường: {snapshot} (tệp của tỉnh lấy vào ngày khác).",
            "en": "Figures of the agencies and communes: {snapshot} (the province's file was fetched on another day).",
        },
        "index.unranked.elsewhere": {
            "vi": "{reason}; hạng {rank}/{n} ({snapshot})",
            "en": "{reason}; rank {rank} of {n} ({snapshot})",
        },
        "index.headline.no_date": {
            "vi": "tệp không ghi ngày chốt số liệu nên không xác định được kỳ trước",
            "en": "the file does not state its as-of date, so there is no previous snapshot to compare with",
        },
        "index.headline.absent": {
            "vi": "đơn vị không có trong kỳ trước ({previous})",
            "en": "the unit is not in the previous snapshot ({previous})",
        },
        "index.message.head": {"vi": "Chỉ số 766 - {unit}", "en": "Service index - {unit}"},
        "index.message.score": {
            "vi": "{period}: {total}/100, {rank}{change}.",
            "en": "{period}: {total}/100, {rank}{change}.",
        },
        "index.message.rank": {"vi": "hạng {rank}/{n}", "en": "rank {rank} of {n}"},
        "index.message.no_rank": {
            "vi": "chưa xếp hạng (tệp không có đơn vị cùng cấp)",
            "en": "no rank (the files hold no peers)",
        },
        "index.message.change": {
            "vi": "; so với {previous}: {delta} điểm{rank_change}",
            "en": "; since {previous}: {delta} points{rank_change}",
        },
        "index.message.components": {"vi": "Thành phần ({period}):", "en": "Components ({period}):"},
        "index.message.months": {"vi": "{n} tháng gần nhất: {series}", "en": "Last {n} months: {series}"},
        "index.message.quarters": {"vi": "Theo quý: {series}", "en": "By quarter: {series}"},
        "index.message.level": {"vi": "{level} ({n} đơn vị): {counts}", "en": "{level} ({n}): {counts}"},
        "index.message.level_head": {"vi": "{level} ({n} đơn vị):", "en": "{level} ({n}):"},
        "index.message.weakest_agencies": {"vi": "{n} đơn vị thấp nhất:", "en": "The {n} lowest:"},
        "index.message.band": {"vi": "{group} ({rule}): {n} đơn vị", "en": "{group} ({rule}): {n}"},
        "index.message.continued": {"vi": "(tiếp)", "en": "(continued)"},
        "index.message.under": {"vi": "dưới {low}", "en": "under {low}"},
        "index.message.between": {"vi": "từ {low} đến dưới {high}", "en": "{low} to under {high}"},
        "index.message.from": {"vi": "từ {high}", "en": "{high} or more"},
    }
)
