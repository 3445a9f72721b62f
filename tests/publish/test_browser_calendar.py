"""A new monthly campaign's progress report as a reader sees it (issue 22 items 4 and 7), in headless Chromium on a
1366×768 laptop: `dvctt new --periods month --year 2025`, January and February ingested, campaign.toml not edited.
Its first screen gives the communes' February figure and the change since January; the level × KPI rows that have
no figure in any period (the example agencies are not confirmed, only online counts were sent) are one sentence
under the table, not a screen of dashes above the one row that has figures. The first screen is photographed into
outputs/screenshots/first-screen-progress-monthly.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import SCREENSHOTS
from test_browser import browser as browser  # the one Chromium fixture (skips or fails as there, never mocked)
from two_tier_campaign import two_monthly_returns

from dvctt.publish import render

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

LAPTOP = {"width": 1366, "height": 768}
FIRST_SCREEN = """(height) => [...document.querySelectorAll('main *, body > *')]
  .filter(e => e.children.length === 0 && e.innerText && e.innerText.trim())
  .filter(e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= height; })
  .map(e => e.innerText.trim())"""
ROWS = """(height) => [...document.querySelectorAll('table tbody tr')]
  .filter(r => r.getBoundingClientRect().bottom <= height)
  .map(r => [...r.cells].map(c => c.innerText.trim()))"""


@pytest.fixture(scope="module")
def progress_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("monthly")
    folder, _ = two_monthly_returns(root)
    result = render.render_report(folder, period="2025-02", out_dir=root / "out", notebook="progress_report")
    return Path(result.html_path)


def test_the_first_screen_gives_the_latest_month_and_the_change_since_the_one_before(browser, progress_page):
    page = browser.new_page(viewport=LAPTOP)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(progress_page.as_uri(), wait_until="load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "first-screen-progress-monthly.png"))
    shown = page.evaluate(FIRST_SCREEN, LAPTOP["height"])
    rows = page.evaluate(ROWS, LAPTOP["height"])
    charts = page.evaluate("[...document.querySelectorAll('img')].map(i => i.naturalWidth)")
    page.close()
    assert errors == []
    assert "Số liệu đến hết: Tháng 2/2025. Hạn chót đạt mục tiêu: 31/12/2025." in shown
    # the one row with figures, on the first screen: no baseline for 2024, February 73,67%, +1,59 points since
    # January (8.742/12.127 = 72,09% to 10.477/14.221 = 73,67%), no target set
    assert rows[0] == ["Cấp xã", "Tỷ lệ hồ sơ trực tuyến", "—", "73,67%", "+1,59", "—", "—", "—", "Chưa đặt mục tiêu"]
    assert not any("Chưa có số liệu" in cell for row in rows for cell in row)
    assert (
        "Chưa có số liệu ở kỳ nào (kể cả kỳ cơ sở): Cấp tỉnh: Tỷ lệ hồ sơ trực tuyến, Tỷ lệ số hóa hồ sơ, "
        "Tỷ lệ thanh toán trực tuyến; Cấp xã: Tỷ lệ số hóa hồ sơ, Tỷ lệ thanh toán trực tuyến." in shown
    )
    assert len(charts) == 1 and charts[0] > 0  # the communes' online trajectory, decoded
