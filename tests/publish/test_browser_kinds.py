"""Every report kind as a reader sees it in headless Chromium: the Cà Mau campaign, progress and unit reports and
the synthetic demo province. Each first screen is photographed into outputs/screenshots/first-screen-<kind>.png.

What is checked can fail: the campaign verdict fits one laptop screen and names the units that missed or fell,
the Cà Mau report prints on at most 8 A4 pages, no internal id or English note shows in a Vietnamese page
(collapsed sections opened first), the unit report shows what the campaign holds for the unit, and the demo
says it is synthetic before anything else.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import CHROMIUM_ARGS, SCREENSHOTS, Opened, chromium_path, unavailable

from dvctt.publish import render
from dvctt.synth import province as synth

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

LAPTOP = {"width": 1366, "height": 768}
MAX_CAMAU_PAGES = 8
# internal ids and English notes that must never reach a Vietnamese page
LEAKS = (
    "plan48", "kte-results", "camau-portal", "baophapluat-2023", "003_c71d2b6d6deadd8c", "facts.md", "para.",
    "not computed", "computed:", "no reported total", "pooled_counts", "not_applicable", "forecast_low",
    "latest_period", "quasi-binomial logit GLM", "lead đoạn",
)  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        unavailable("no Chromium found (apt-get install chromium, or set DVCTT_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> types.SimpleNamespace:
    """One report of each kind, rendered the way `dvctt report` renders them."""
    root = tmp_path_factory.mktemp("kinds")
    camau, demo_out = root / "camau", root / "demo"
    demo = synth.write_campaign(20_000, 7, root / "demo-province")
    results = {
        "campaign": render.render_report("camau-2023", out_dir=camau),
        "progress": render.render_report("camau-2023", out_dir=camau, notebook="progress_report"),
        "unit": render.render_report(
            "camau-2023", out_dir=camau, notebook="unit_report", extra_parameters={"unit": "96.A04"}, subject="96.A04"
        ),
        "demo": render.render_report(demo, out_dir=demo_out),
    }
    return types.SimpleNamespace(root=root, pages={kind: Path(r.html_path) for kind, r in results.items()})


def _open(browser: Any, path: Path) -> Opened:
    opened = Opened(browser.new_page(viewport=LAPTOP))
    opened.page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))
    opened.page.goto(path.as_uri(), wait_until="load")
    return opened


@pytest.fixture(params=["campaign", "progress", "unit", "demo"])
def kind(request: pytest.FixtureRequest, browser: Any, kinds: types.SimpleNamespace) -> Iterator[Opened]:
    opened = _open(browser, kinds.pages[request.param])
    opened.name = request.param
    yield opened
    opened.page.close()


def _all_text(opened: Opened) -> str:
    """The page's text with every collapsed section opened (printing keeps them closed; readers can open them)."""
    opened.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return opened.text()


def test_every_kind_loads_cleanly_and_its_first_screen_is_photographed(kind: Opened) -> None:
    assert kind.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    kind.page.screenshot(path=str(SCREENSHOTS / f"first-screen-{kind.name}.png"))
    assert (SCREENSHOTS / f"first-screen-{kind.name}.png").stat().st_size > 10_000
    assert kind.page.evaluate("document.documentElement.lang") == "vi"


def test_no_internal_id_or_english_note_in_any_vietnamese_page(kind: Opened) -> None:
    text = _all_text(kind)
    found = [leak for leak in LEAKS if leak in text]
    assert found == [], f"{kind.name}: {found}"
    assert not re.search(r"\b(?:None|nan|NaN)\b", text), kind.name


def test_the_campaign_verdict_fits_one_laptop_screen_and_names_who_missed(browser: Any, kinds) -> None:
    opened = _open(browser, kinds.pages["campaign"])
    box = opened.page.evaluate("(() => { const r = document.querySelector('.verdict').getBoundingClientRect();"
                               " return {top: r.top, bottom: r.bottom}; })()")  # fmt: skip
    assert box["top"] > 0 and box["bottom"] <= LAPTOP["height"], box
    first_screen = opened.page.evaluate("document.querySelector('.verdict').innerText")
    assert "Sở Tư pháp 68,73% (từ 95,60%)" in first_screen  # missed and fell, with its figures
    assert "Ban Quản lý khu kinh tế 40,00%" in first_screen
    assert "9/9 đơn vị đạt (số liệu công bố)" in first_screen and "100/101 đơn vị đạt" in first_screen
    colours = opened.page.evaluate(
        "[...document.querySelectorAll('.v-card.v-met')].map(c => getComputedStyle(c).borderLeftColor)"
    )
    assert len(colours) == 6 and set(colours) == {"rgb(26, 127, 55)"}  # green for met, beside the word "Đạt"
    opened.page.close()


def test_the_camau_report_prints_on_at_most_eight_a4_pages(browser: Any, kinds) -> None:
    opened = _open(browser, kinds.pages["campaign"])
    pdf = opened.page.pdf(format="A4")
    opened.page.close()
    (SCREENSHOTS / "campaign-camau.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 1 <= pages <= MAX_CAMAU_PAGES, pages


def test_the_unit_report_shows_everything_held_for_the_unit(browser: Any, kinds) -> None:
    opened = _open(browser, kinds.pages["unit"])
    text = opened.text()
    opened.page.close()
    assert "Sở Tư pháp" in text
    assert "54,90%" in text and "12/18" in text  # 2022 digitisation and its rank among all 18 agencies
    assert "95,60%" in text and "68,73%" in text and "2/18" in text
    assert "80,00%" in text and "40,00%" in text  # targets


def test_the_demo_says_it_is_synthetic_on_its_first_screen(browser: Any, kinds) -> None:
    opened = _open(browser, kinds.pages["demo"])
    top = opened.page.evaluate("document.querySelector('.synthetic-banner').getBoundingClientRect().top")
    cards = opened.page.evaluate("document.querySelectorAll('.v-card').length")
    opened.page.close()
    assert 0 < top < LAPTOP["height"]
    assert cards >= 3
