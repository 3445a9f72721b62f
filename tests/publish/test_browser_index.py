"""The service-index report of An Giang on the portal's real 2026 answers (the 34 provinces as of 17/09/2026 and
the province's 117 units), as a leader opens it on a laptop (1366×768) in headless Chromium: the first screen gives
the total, the rank and the verdict with how many agencies and communes are in each band, the lowest named; the
long tables (34 provinces, 15 agencies, 102 communes) are closed on screen and in print, one click away.

The browser, its launch arguments and the laptop screen are those of test_browser / test_browser_kinds.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from typing import Any

import pytest
from portal2026_frames import an_giang
from test_browser import SCREENSHOTS, Opened
from test_browser_kinds import LAPTOP, _open
from test_browser_kinds import browser as browser  # the module's Chromium (skips or fails as there, never mocked)

from dvctt.service_index.report import render_index_report
from dvctt.service_index.store import save_index

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MAX_PAGES = 4  # 11 A4 pages before the long tables were closed


@pytest.fixture(scope="module")
def an_giang_report(tmp_path_factory: pytest.TempPathFactory) -> types.SimpleNamespace:
    root = tmp_path_factory.mktemp("an-giang-2026")
    frame, files = an_giang()
    save_index(root / "index", frame, files, meta_id="an-giang-2026")
    result = render_index_report(root / "index", scope="H01", out_dir=root / "out")
    return types.SimpleNamespace(html=result.html_path)


@pytest.fixture()
def opened(browser: Any, an_giang_report: types.SimpleNamespace) -> Iterator[Opened]:
    page = _open(browser, an_giang_report.html)
    yield page
    page.page.close()


def _box(opened: Opened, selector: str) -> dict[str, Any]:
    return opened.page.evaluate(
        "s => { const e = document.querySelector(s); const r = e.getBoundingClientRect();"
        " return {text: e.innerText.trim(), top: r.top, bottom: r.bottom}; }",
        selector,
    )


def test_the_first_screen_gives_total_rank_and_the_band_counts(opened: Opened) -> None:
    assert opened.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.page.screenshot(path=str(SCREENSHOTS / "first-screen-index-an-giang-2026.png"))
    figures = opened.page.evaluate(
        "[...document.querySelectorAll('table.index-figures td.figure')].map(td => {"
        " const r = td.getBoundingClientRect(); return {text: td.innerText.trim(), bottom: r.bottom}; })"
    )
    assert [f["text"] for f in figures] == ["60,35/100", "24/34"]
    assert all(0 < f["bottom"] <= LAPTOP["height"] for f in figures), figures
    verdict = _box(opened, "table.index-bands")
    lead = opened.page.evaluate("[...document.querySelectorAll('p.lead')].map(p => p.innerText.trim())")
    assert "Dưới 80 điểm: 15/15 sở, ban, ngành và 102/102 xã, phường, đặc khu." in lead
    rows = opened.page.evaluate(
        "[...document.querySelectorAll('table.index-bands tbody tr')].map(tr =>"
        " [...tr.cells].map(td => td.innerText.trim().replace(/\\s+/g, ' ')))"
    )
    assert rows == [
        ["Sở, ban, ngành", "15", "15", "0", "0", "Thanh tra tỉnh An Giang 16,00"],
        ["Xã, phường, đặc khu", "102", "102", "0", "0", "đặc khu Phú Quốc 49,01"],
    ]
    assert verdict["top"] > 0 and verdict["bottom"] <= LAPTOP["height"], verdict  # all of it on the first screen


def test_the_long_tables_are_closed_and_open_with_one_click(opened: Opened) -> None:
    page = opened.page
    summaries = page.evaluate("[...document.querySelectorAll('details')].map(d => [d.open, d.innerText.trim()])")
    assert [s for _, s in summaries] == [
        "Bảng xếp hạng 34 đơn vị (tỉnh, thành phố): bấm để mở",
        "Bảng xếp hạng 15 đơn vị (sở, ban, ngành): bấm để mở",
        "Bảng xếp hạng 102 đơn vị (xã, phường, đặc khu): bấm để mở",
    ]
    assert not any(is_open for is_open, _ in summaries)
    shown = page.evaluate("[...document.querySelectorAll('tr')].filter(tr => tr.checkVisibility()).length")
    assert shown == 2 + 3 + 7  # the figures, the band counts, the points lost per component: no wall of rows
    assert "xã An Minh" not in opened.text()
    page.click("summary:has-text('102 đơn vị')")
    rows = page.evaluate(
        "[...document.querySelectorAll('details')].filter(d => d.open)"
        ".map(d => [...d.querySelectorAll('tbody tr')].filter(tr => tr.checkVisibility()).length)"
    )
    assert rows == [102]
    assert "UBND xã An Minh - tỉnh An Giang" in opened.text()


def test_the_report_prints_short_with_the_long_tables_closed(opened: Opened) -> None:
    pdf = opened.page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "index-an-giang-2026.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 1 <= pages <= MAX_PAGES, pages
