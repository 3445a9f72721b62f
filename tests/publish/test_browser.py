"""The rendered reports as people see them: opened in headless Chromium (the system's, driven by Playwright).

The Cà Mau report is rendered once per test run in each language by `dvctt report` (conftest.camau_site, shared
with test_report_camau), then every page (both reports and the index) is opened and checked: no script errors,
every image decoded, every in-page link lands on a heading, no code or prompts, no local paths, the Vietnamese
text shown, A4 printing. Screenshots of the first screen and the printed PDFs go to outputs/screenshots/ for people
to look at.

Outside CI the browser tests skip, saying why, when Chromium or Playwright is missing; in CI (``CI`` set) they
fail instead. ``DVCTT_CHROMIUM`` may name another Chromium/Chrome binary. Playwright never downloads a browser.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dvctt import paths
from dvctt.publish import render, sharing

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOTS = paths.OUTPUTS_DIR / "screenshots"
MAX_HTML_BYTES = 1_500_000
A4_POINTS = (595, 842)
REPORTS = ("campaign_report_2023-campaign_vi", "campaign_report_2023-campaign_en")
PAGES = (*REPORTS, "index")
EVIL_NAME = "<script>alert(1)</script>"


def chromium_path() -> str | None:
    """The browser to drive: $DVCTT_CHROMIUM, else Debian's chromium on PATH or in /usr/bin."""
    for candidate in (os.environ.get("DVCTT_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def unavailable(reason: str) -> None:
    """Skip on an analyst's machine; fail in CI, where .ci/run installs Chromium."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests: .ci/run installs chromium with apt)")
    pytest.skip(reason)


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
def site(camau_site: types.SimpleNamespace) -> types.SimpleNamespace:
    """The Cà Mau report in Vietnamese and English, plus the index, in one output folder (conftest.camau_site)."""
    out = camau_site.out
    for lang, run in camau_site.runs.items():
        assert run.returncode == 0, f"{lang}: {run.stderr[-2000:]}"
    pages = {name: out / f"{name}.html" for name in REPORTS} | {"index": out / "index.html"}
    return types.SimpleNamespace(root=camau_site.root, out=out, pages=pages)


@dataclass
class Opened:
    """A page loaded in the browser, with everything it complained about or asked for while loading."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def text(self) -> str:
        return self.page.evaluate("document.body.innerText")


def open_page(browser: Any, path: Path) -> Opened:
    """Load ``path`` with listeners attached first, so nothing that happens during loading is missed."""
    opened = Opened(browser.new_page(viewport=VIEWPORT))
    page = opened.page
    page.on("console", lambda m: opened.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    return opened


@pytest.fixture(params=PAGES)
def opened(request: pytest.FixtureRequest, browser: Any, site: types.SimpleNamespace) -> Iterator[Opened]:
    loaded = open_page(browser, site.pages[request.param])
    loaded.name = request.param
    yield loaded
    loaded.page.close()


@pytest.fixture(params=REPORTS)
def report(request: pytest.FixtureRequest, browser: Any, site: types.SimpleNamespace) -> Iterator[Opened]:
    loaded = open_page(browser, site.pages[request.param])
    loaded.name = request.param
    yield loaded
    loaded.page.close()


# ------------------------------------------------------------------------------------ without a browser


def test_each_report_is_under_the_size_limit_with_every_image_embedded(site: types.SimpleNamespace) -> None:
    for name in REPORTS:
        html = site.pages[name].read_text(encoding="utf-8")
        assert site.pages[name].stat().st_size < MAX_HTML_BYTES, name
        sources = re.findall(r'<img\b[^>]*\bsrc="([^"]{0,40})', html)
        assert all(s.startswith("data:image/png;base64,") for s in sources), name
        assert sources or re.search(r'<svg\b[^>]*\bclass="chart"', html), name  # every picture is in the file


# --------------------------------------------------------------------------------------- in the browser


def test_page_loads_cleanly_offline_and_is_photographed(opened: Opened) -> None:
    assert opened.errors == []
    assert opened.dialogs == []
    outside = [u for u in opened.requests if not u.startswith(("file:", "data:", "blob:"))]  # blob: the tables bundle
    assert outside == [], "a shared report must not fetch anything"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.page.screenshot(path=str(SCREENSHOTS / f"{opened.name}.png"))


def test_every_image_is_decoded(opened: Opened) -> None:
    widths = opened.page.evaluate("[...document.images].map(img => img.complete ? img.naturalWidth : 0)")
    assert all(w > 0 for w in widths), widths
    drawn = opened.page.evaluate(
        """[...document.querySelectorAll('svg.chart')].filter(svg => !svg.closest('details:not([open])')).map(svg => {
             const box = svg.getBoundingClientRect();
             return {width: box.width, height: box.height, marks: svg.querySelectorAll('circle, rect').length};
           })"""
    )
    assert all(c["width"] > 500 and c["height"] > 100 and c["marks"] > 0 for c in drawn), drawn
    if opened.name != "index":
        assert len(widths) + len(drawn) >= 4


def test_gap_grids_are_coloured_in_the_browser(opened: Opened) -> None:
    """The gap heatmaps are HTML tables: their cells must carry their colour on screen."""
    if not opened.name.startswith("campaign_report"):
        return
    colours = opened.page.evaluate(
        """[...document.querySelectorAll('table.gap-grid td.result, table.gap-grid td.baseline')]
             .map(td => getComputedStyle(td).backgroundColor)"""
    )
    assert len(colours) >= 20
    assert len(set(colours)) >= 3, "a heatmap in one colour shows nothing"
    assert not any(c in ("rgba(0, 0, 0, 0)", "transparent") for c in colours)


def test_every_in_page_link_lands_on_a_heading(report: Opened) -> None:
    page = report.page
    links = page.evaluate(
        """[...document.querySelectorAll('a[href^="#"]')].map(a => {
             const id = decodeURIComponent(a.getAttribute('href').slice(1));
             const target = document.getElementById(id);
             return {id, tag: target ? target.tagName : null, inToc: !!a.closest('nav.toc')};
           })"""
    )
    headings = page.evaluate("[...document.querySelectorAll('main h2')].map(h => h.id)")
    assert [link["id"] for link in links if link["inToc"]] == headings and len(headings) >= 8
    assert all(link["tag"] == "H2" for link in links), [link for link in links if link["tag"] != "H2"]
    last = links[-1]["id"]
    page.click(f'nav.toc a[href="#{last}"]')
    page.wait_for_function("id => location.hash === '#' + id", arg=last)
    top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", last)
    assert 0 <= top < VIEWPORT["height"]


def test_no_code_cells_or_prompts(report: Opened) -> None:
    code = report.page.evaluate(
        "document.querySelectorAll('.jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .jp-Editor, "
        ".highlight, script:not(#dvctt-datatables):not(#dvctt-tables-init), iframe').length"
    )
    assert code == 0
    text = report.text()
    assert not re.search(r"\b(In|Out)\s*\[\s*\d*\s*\]\s*:", text)
    assert not re.search(r"\b(import \w|display\(|section\.\w+\(|build_report_data|NBVAL)", text)


def test_no_local_paths_in_the_visible_text(opened: Opened, site: types.SimpleNamespace) -> None:
    folders = {
        "project root": paths.PROJECT_ROOT,
        "home directory": Path.home(),
        "temporary folder": Path(tempfile.gettempdir()),
        "output folder": site.out,
        "campaign folder": paths.campaign_dir("camau-2023"),
    }
    sharing.check_no_local_paths(opened.text(), folders, what=f"visible text of {opened.name}")


def test_the_vietnamese_report_shows_vietnamese_text_and_numbers(browser: Any, site: types.SimpleNamespace) -> None:
    opened = open_page(browser, site.pages[REPORTS[0]])
    text = opened.text()
    assert "Tỷ lệ hồ sơ trực tuyến" in text and "92,79%" in text and "Mục lục" in text
    assert opened.page.evaluate("document.documentElement.lang") == "vi"
    opened.page.close()


def test_reports_print_on_a4_portrait(report: Opened) -> None:
    pdf = report.page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{report.name}.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert boxes and pages, "no page found in the PDF"
    for x0, y0, x1, y1 in {tuple(float(v) for v in box) for box in boxes}:
        width, height = x1 - x0, y1 - y0
        assert abs(width - A4_POINTS[0]) < 3 and abs(height - A4_POINTS[1]) < 3, (width, height)
    assert 6 <= pages <= 40, pages


def test_the_index_links_every_report_and_workbook(browser: Any, site: types.SimpleNamespace) -> None:
    opened = open_page(browser, site.pages["index"])
    hrefs = opened.page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    opened.page.close()
    expected = {f"{name}.html" for name in REPORTS} | {f"{name}.xlsx" for name in REPORTS}
    assert expected <= set(hrefs)
    assert all((site.out / href).is_file() for href in hrefs)


# ------------------------------------------------------------------------------- hostile text from data


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report notebook on the tiny campaign whose unit and source carry markup."""
    from test_render import hostile_campaign

    root = tmp_path_factory.mktemp("hostile")
    return render.render_report(hostile_campaign(root / "tiny"), out_dir=root / "out").html_path


def test_markup_in_data_shows_as_text_and_never_runs(browser: Any, hostile: Path) -> None:
    opened = open_page(browser, hostile)
    page = opened.page
    page.wait_for_timeout(200)  # an injected onerror would fire right after load
    assert opened.dialogs == [] and opened.errors == []
    own = "script:not(#dvctt-datatables):not(#dvctt-tables-init)"  # the sortable tables' two scripts are dvctt's
    assert page.evaluate(f"document.querySelectorAll('{own}, [onerror], [onmouseover]').length") == 0
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # collapsed lists too
    text = opened.text()
    assert EVIL_NAME in text and "<b onmouseover=alert(3)>Tài liệu</b>" in text
    page.close()


def test_long_tables_sort_and_search_offline_and_print_whole(browser: Any, site: types.SimpleNamespace) -> None:
    """The long tables are DataTables from the embedded itables bundle: no request leaves the page, a search
    narrows the rows, and the search is cleared before printing so every row prints."""
    opened = open_page(browser, site.pages[REPORTS[0]])
    page = opened.page
    page.wait_for_selector("table[data-dvctt-sortable].dataTable", timeout=10_000)
    assert opened.errors == [] and all(r.startswith(("file:", "data:", "blob:")) for r in opened.requests)
    table = "table[data-dvctt-sortable]"
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    total = page.evaluate(f"document.querySelector('{table}').tBodies[0].rows.length")
    assert total >= 10
    first_name = page.evaluate(f"document.querySelector('{table}').tBodies[0].rows[0].cells[0].innerText")
    search = page.locator(".dt-search input").first
    search.fill(first_name)
    shown = page.evaluate(f"document.querySelector('{table}').tBodies[0].rows.length")
    assert 1 <= shown < total
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(f"document.querySelector('{table}').tBodies[0].rows.length") == total
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.dt-search').closest('.dt-layout-row')).display")
        == "none"
    )
    page.close()
