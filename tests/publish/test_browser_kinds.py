"""Every report kind as a reader sees it in headless Chromium: the Cà Mau campaign, progress and unit reports, the
service-index report and the synthetic demo province. Each first screen is photographed into
outputs/screenshots/first-screen-<kind>.png.

What is checked can fail: the campaign verdict fits one laptop screen and names the units that missed or fell, the
Cà Mau report prints on at most 8 A4 pages and the demo on at most 12, no printed page of any kind ends with a
heading or a table header (one print each; a page built for it shows the print CSS keeps a table's header with its
first two rows and the paragraph introducing it), no internal id or English note shows in a Vietnamese page
(collapsed sections opened first) nor in any cell of any kind's workbook, the unit report shows what the campaign
holds for the unit, the index report gives its score and rank on the first screen, and the demo says it is synthetic
before anything else.

The Cà Mau campaign and index reports are the shared renders of tests/conftest.py (``camau_site``,
``index_site``); the other kinds are rendered once for this module.
"""

from __future__ import annotations

import io
import re
import tomllib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from test_browser import SCREENSHOTS, Opened
from test_browser import browser as browser  # the one Chromium fixture (skips or fails as there, never mocked)

from dvctt import paths
from dvctt.campaign.levels import KNOWN_LEVELS
from dvctt.campaign.schemas import KPIS
from dvctt.labels import LABELS, TEXT
from dvctt.publish import render
from dvctt.synth import province as synth

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

LAPTOP = {"width": 1366, "height": 768}
MAX_CAMAU_PAGES = 8
MAX_DEMO_PAGES = 12  # the synthetic province: 5 KPIs, 81 units, every unit ranked (11 pages at 20.000 and 200.000)
# internal ids and English notes that must never reach a Vietnamese page
LEAKS = (
    "plan48", "kte-results", "camau-portal", "baophapluat-2023", "003_c71d2b6d6deadd8c", "facts.md", "para.",
    "not computed", "computed:", "no reported total", "pooled_counts", "not_applicable", "forecast_low",
    "latest_period", "quasi-binomial logit GLM", "lead đoạn",
    "camau-2023", "2023-campaign", "index-766", "2025-ytd",  # ids: the footers name the campaign and period
)  # fmt: skip


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory, camau_site, index_site) -> types.SimpleNamespace:
    """One report of each kind as `dvctt report` / `dvctt index` write them (HTML and workbook side by side); the
    campaign and index reports are the session's shared renders, read only."""
    root = tmp_path_factory.mktemp("kinds")
    camau, demo_out = root / "camau", root / "demo"
    demo = synth.write_campaign(20_000, 7, root / "demo-province")
    results = {
        "progress": render.render_report("camau-2023", out_dir=camau, notebook="progress_report"),
        "unit": render.render_report(
            "camau-2023", out_dir=camau, notebook="unit_report", extra_parameters={"unit": "96.A04"}, subject="96.A04"
        ),
        "demo": render.render_report(demo, out_dir=demo_out),
    }
    pages = {
        "campaign": camau_site.out / "campaign_report_2023-campaign_vi.html",
        "index": index_site.out / "index_report_2025-ytd_vi.html",
        **{kind: Path(r.html_path) for kind, r in results.items()},
    }
    return types.SimpleNamespace(root=root, pages=pages, demo=demo)


def _open(browser: Any, path: Path) -> Opened:
    opened = Opened(browser.new_page(viewport=LAPTOP))
    opened.page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))
    opened.page.goto(path.as_uri(), wait_until="load")
    return opened


@pytest.fixture(params=["campaign", "progress", "unit", "index", "demo"])
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


def _squeeze(line: str) -> str:
    """pypdf spaces out Vietnamese letters ("C ấ p xã"): compare text without any whitespace."""
    return "".join(line.split())


@dataclass
class Printed:
    """A page printed to A4: the text lines of every printed page, its section headings (h1–h6) and the header
    rows of its printed tables (those in closed sections print closed), as the reader sees them."""

    pages: list[list[str]]
    headings: list[str]
    table_headers: list[str]

    def stranded(self) -> dict[int, str]:
        """Printed pages (numbered from 1) that end with a heading or a table header, and what they end with."""
        found = {}
        for number, lines in enumerate(self.pages, 1):
            if heading := ends_with_heading(lines, self.headings):
                found[number] = heading
            elif header := ends_with_table_header(lines, self.table_headers):
                found[number] = f"table header: {header}"
        return found


def _print_page(page: Any, name: str) -> Printed:
    import pypdf

    headings = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => h.innerText.trim()).filter(t => t)"
    )
    headers = page.evaluate(
        "[...document.querySelectorAll('thead')].filter(t => t.getClientRects().length > 0)"
        ".map(t => t.innerText.trim()).filter(t => t)"
    )
    pdf = page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    lines = [[_squeeze(x) for x in p.extract_text().splitlines() if x.strip()] for p in reader.pages]
    return Printed(lines, [_squeeze(h) for h in headings], [_squeeze(h) for h in headers])


def _printed(browser: Any, path: Path, name: str) -> Printed:
    """Print the page to A4 once (kept as outputs/screenshots/<name>.pdf)."""
    opened = _open(browser, path)
    printed = _print_page(opened.page, name)
    opened.page.close()
    return printed


def ends_with_heading(lines: list[str], headings: list[str]) -> str | None:
    """The heading a printed page ends with (its last line is a heading, or the end of a heading that wrapped onto
    two lines), or None."""
    if not lines:
        return None
    last, two = lines[-1], "".join(lines[-2:])
    for heading in headings:
        if last == heading or two == heading or (len(last) >= 8 and heading.endswith(last)):
            return heading
    return None


def ends_with_table_header(lines: list[str], headers: list[str]) -> str | None:
    """The table header a printed page ends with, or None: its last lines hold exactly the header's letters. A
    header whose cells wrap comes out of the PDF cell by cell and line by line, so letters are compared as a
    multiset, over the last one to four lines."""
    wanted = {"".join(sorted(header)): header for header in headers}
    for k in range(1, min(4, len(lines)) + 1):
        if found := wanted.get("".join(sorted("".join(lines[-k:])))):
            return found
    return None


def test_ends_with_table_header_finds_a_header_left_at_the_bottom_of_a_page() -> None:
    header = _squeeze("Cấp Chỉ tiêu Kỳ cơ sở Kết quả")
    assert ends_with_table_header(["Bảng1", "CấpChỉtiêuKỳcơsởKếtquả"], [header]) == header
    assert ends_with_table_header(["Bảng1", "CấpChỉtiêuKỳcơ", "Kếtquảsở"], [header]) == header  # wrapped
    assert ends_with_table_header(["CấpChỉtiêuKỳcơsởKếtquả", "CấpxãTỷlệ92,79%"], [header]) is None


def test_print_keeps_a_table_header_with_its_first_rows_and_an_intro_with_its_table(browser: Any) -> None:
    """One print of a page built for it: a table starting at every height near the bottom of an A4 page."""
    css = (paths.TEMPLATES_DIR / "dvctt_report" / "dvctt.css").read_text(encoding="utf-8")
    rows = "".join(f"<tr><td>Xã số {i}</td><td>{i},00%</td></tr>" for i in range(6))
    table = f"<table><thead><tr><th>Đơn vị thử</th><th>Tỷ lệ hồ sơ</th></tr></thead><tbody>{rows}</tbody></table>"
    sections = "".join(
        f'<section style="break-before: page"><div style="height: {mm}mm">Khối {mm}</div>'
        f"<p>Bảng thử {mm}</p>{table}</section>"
        for mm in range(226, 262, 3)
    )
    page = browser.new_page()
    page.set_content(f'<html lang="vi"><head><meta charset="utf-8"><style>{css}</style></head><body>'
                     f'<main class="report">{sections}</main></body></html>')  # fmt: skip
    printed = _print_page(page, "table-at-page-end")
    page.close()
    assert len(printed.pages) >= 2 * 12 - 4  # most sections' tables moved or split onto a second page
    assert printed.stranded() == {}
    header = printed.table_headers[0]
    for number, lines in enumerate(printed.pages, 1):
        assert not lines[-1].startswith(_squeeze("Bảng thử")), number  # the intro went with its table
        assert lines[-1] != header and (lines[-2:-1] != [header] or len(lines) == 2), number  # two rows under it


def test_ends_with_heading_finds_a_heading_left_at_the_bottom_of_a_page() -> None:
    headings = [_squeeze("6. Đơn vị đạt 0%"), _squeeze("Theo kết quả kỳ báo cáo (Chiến dịch 69 ngày đêm)")]
    assert ends_with_heading(["Bảng", "6.Đơnvịđạt0%"], headings) == headings[0]
    assert ends_with_heading(["Theokếtquảkỳbáocáo", "(Chiếndịch69ngàyđêm)"], headings) == headings[1]
    assert ends_with_heading(["6.Đơnvịđạt0%", "Cấpxã:có1đơnvị."], headings) is None


def test_the_camau_report_prints_on_at_most_eight_a4_pages_and_no_page_ends_with_a_heading(browser: Any, kinds):
    printed = _printed(browser, kinds.pages["campaign"], "campaign-camau")
    assert 1 <= len(printed.pages) <= MAX_CAMAU_PAGES, len(printed.pages)
    assert len(printed.headings) >= 10  # the report's numbered sections and their sub-headings
    assert len(printed.table_headers) >= 3  # the open tables: results by level, units named, completeness
    assert printed.stranded() == {}


def test_the_demo_prints_on_at_most_twelve_a4_pages_and_no_page_ends_with_a_heading(browser: Any, kinds):
    """Long lists (top and bottom 10 of 15 level × KPI pairs, findings, funnels, the full emulation ranking) print
    as one-line summaries; the tables stay in the page (collapsed) and in the workbook."""
    printed = _printed(browser, kinds.pages["demo"], "campaign-demo")
    assert 1 <= len(printed.pages) <= MAX_DEMO_PAGES, len(printed.pages)
    assert printed.stranded() == {}
    text = "".join("".join(lines) for lines in printed.pages)
    assert _squeeze("Cao nhất (hạng)") in text and _squeeze("Bảng 10 đơn vị đầu và 10 đơn vị cuối") in text


@pytest.mark.parametrize("name", ["progress", "unit", "index"])
def test_the_other_kinds_print_with_no_heading_or_table_header_at_a_page_end(browser: Any, kinds, name: str):
    printed = _printed(browser, kinds.pages[name], name)
    assert len(printed.pages) >= 1 and len(printed.headings) >= 2 and len(printed.table_headers) >= 1
    assert printed.stranded() == {}


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


def test_the_index_report_gives_its_score_rank_and_weakest_component_on_the_first_screen(browser: Any, kinds):
    opened = _open(browser, kinds.pages["index"])
    figures = opened.page.evaluate(
        "[...document.querySelectorAll('table.index-figures td.figure')].map(td => {"
        " const r = td.getBoundingClientRect(); return {text: td.innerText.trim(), bottom: r.bottom}; })"
    )
    lead = opened.page.evaluate(
        "(() => { const p = document.querySelector('p.lead'); const r = p.getBoundingClientRect();"
        " return {text: p.innerText, bottom: r.bottom}; })()"
    )
    opened.page.close()
    assert [f["text"] for f in figures] == ["89,91/100", "4/34"]
    assert all(0 < f["bottom"] <= LAPTOP["height"] for f in figures), figures
    assert lead["text"] == "Thành phần mất nhiều điểm nhất: Cung cấp dịch vụ trực tuyến (mất 3,85/12 điểm)."
    assert lead["bottom"] <= LAPTOP["height"], lead


# --------------------------------------------------------------------------------------------- workbooks

#: Words of the English labels that are not words of the Vietnamese ones (a cell holding one is untranslated).
_WORD = re.compile(r"[A-Za-z][A-Za-z_]{3,}")


def _english_words() -> set[str]:
    english, vietnamese = set(), set()
    for table in (LABELS, TEXT):
        for words in table.values():
            english |= {w.lower() for w in _WORD.findall(words["en"])}
            vietnamese |= {w.lower() for w in _WORD.findall(words["vi"])}
    return english - vietnamese


def _internal_ids(folders: list[Path]) -> tuple[set[str], set[str]]:
    """(ids a cell must not contain, ids a cell must not equal): period, source, KPI, level, status and method
    codes of the campaigns reported on. Plain years ("2022") are ids too but may stand inside a label."""
    ids = {*KPIS, *KNOWN_LEVELS, "all", "ok", "missing", "not_applicable", "not recomputable", "no_counts"}
    ids |= {"pooled", "pooled_counts", "unit_mean", "sum_of_levels", "unit_counts", "units_met", "units_total"}
    for folder in folders:
        definition = tomllib.loads((folder / "campaign.toml").read_text(encoding="utf-8"))
        ids |= {str(period["id"]) for period in definition["periods"]}
        ids |= set(pd.read_csv(folder / "sources.csv", dtype=str)["source_id"])
    ids |= {"2025-ytd"}  # the index report's period
    return {i for i in ids if not i.isdigit()}, {i for i in ids if i.isdigit()}


def test_nothing_in_any_vietnamese_workbook_is_english_or_an_internal_id(kinds) -> None:
    contained, equal = _internal_ids([paths.CAMPAIGNS_DIR / "camau-2023", kinds.demo])
    english = _english_words()
    found: dict[str, set[str]] = {}
    for kind, page in kinds.pages.items():
        workbook = openpyxl.load_workbook(page.with_suffix(".xlsx"), read_only=True)
        for sheet in workbook.worksheets:
            cells = [sheet.title, *(v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str))]
            for value in cells:
                leaks = {i for i in contained if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", value)}
                leaks |= {value} & equal
                leaks |= {w for w in _WORD.findall(value) if w.lower() in english}
                if leaks:
                    found.setdefault(f"{kind}/{sheet.title}", set()).update(leaks)
        workbook.close()
    assert found == {}, found
    assert len(kinds.pages) == 5  # campaign, progress, unit, index and demo workbooks were all read
