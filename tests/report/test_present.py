"""Presentation: escaping, number formats in tables, and charts that keep Vietnamese text."""

from __future__ import annotations

import pandas as pd

from dvctt.report import charts
from dvctt.report.data import headline_table
from dvctt.report.present import Col, html_table


def test_text_from_data_is_escaped_and_numbers_are_right_aligned():
    frame = pd.DataFrame({"unit_name": ["<script>alert(1)</script>"], "result": [92.79], "status": ["ok"]})
    table = html_table(frame, [Col("unit_name", "col.unit"), Col("result", "col.result", "rate")], "vi")
    assert "<script>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert '<td class="num">92,79%</td>' in table


def test_not_applicable_and_missing_rates_show_as_such_in_tables():
    frame = pd.DataFrame({"rate": [None, None, 0.0], "status": ["not_applicable", "missing", "ok"]})
    table = html_table(frame, [Col("rate", "col.value", "rate")], "vi")
    assert [cell for cell in table.split('<td class="num">')[1:]] == [
        "không áp dụng</td></tr><tr>",
        "—</td></tr><tr>",
        "0,00%</td></tr></tbody></table>",
    ]


def _level_summary() -> pd.DataFrame:
    rows = []
    for aggregation, baseline, result in (
        ("reported", 63.65, None),
        ("pooled", 63.6554, None),
        ("unit_mean", 63.66, 95.0),
    ):
        rows.append(
            {"level": "province", "kpi": "online", "aggregation": aggregation, "baseline": baseline,
             "target": 80.0, "result": result, "met": pd.NA if result is None else result >= 80}
        )  # fmt: skip
    rows.append(
        {"level": "all", "kpi": "digitized", "aggregation": "reported", "baseline": None, "target": None,
         "result": None, "met": pd.NA}
    )  # fmt: skip
    return pd.DataFrame(rows)


def test_headline_prefers_the_method_that_gives_a_result_and_drops_empty_rows():
    chosen = headline_table(_level_summary())
    assert chosen[["level", "aggregation", "result"]].to_dict("records") == [
        {"level": "province", "aggregation": "unit_mean", "result": 95.0}
    ]


def test_png_charts_keep_diacritics_and_their_bytes_are_reproducible():
    import matplotlib.pyplot as plt

    def draw() -> bytes:
        charts.use_report_style()
        fig, ax = plt.subplots(figsize=(3, 1))
        ax.set_title("Xã Tân Ân Tây")
        fig.tight_layout()
        return charts.to_png(fig)

    first, second = draw(), draw()
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first == second
