"""The index page of a report set (index.html) as people read it, in headless Chromium: on a 1366×768 laptop and a
390×844 phone no link wraps word by word (its column is never narrower than its longest word, and a link of three
words or more takes fewer lines than it has words) and nothing runs past the screen.

The set is the one `dvctt report --campaign camau-2023 --all` lists (the same plan, the titles, summaries, campaign
and period labels the reports carry, 29 reports with their workbooks); its pages are stand-ins, since only the
index is looked at here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_browser import SCREENSHOTS
from test_browser import browser as browser  # the one Chromium fixture (skips or fails as there, never mocked)

from dvctt.campaign.loading import load_campaign
from dvctt.labels import text
from dvctt.publish import manifest
from dvctt.publish.batch import CAMPAIGN_NOTEBOOK, PROGRESS_NOTEBOOK, plan
from dvctt.report.data import build_report_data, status_line

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

MEASURE = """() => {
  const probe = document.createElement('span');
  probe.style.whiteSpace = 'nowrap';
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  return [...document.querySelectorAll('td.report a')].map(a => {
    a.appendChild(probe);
    const words = a.firstChild.textContent.split(/\\s+/).filter(Boolean);
    const widest = Math.max(...words.map(w => { probe.textContent = w; return probe.getBoundingClientRect().width; }));
    a.removeChild(probe);
    const cell = a.closest('td');
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const range = document.createRange();
    range.selectNodeContents(a);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    return {title: a.textContent, words: words.length, widest, inner, lines};
  });
}"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """index.html of the Cà Mau set as `--all` lists it (Vietnamese)."""
    out = tmp_path_factory.mktemp("set")
    campaign = load_campaign("camau-2023")
    data = build_report_data(campaign)
    definition, period, lang = campaign.definition, data.period, "vi"
    names = dict(zip(campaign.units["unit_code"], campaign.units["official_name"], strict=True))
    entries = []
    for job in plan(campaign.units, definition.levels):
        stem = job.stem(period.id, lang)
        if job.notebook == CAMPAIGN_NOTEBOOK:
            title, summary = text("title", lang, name=definition.name(lang)), status_line(data, lang)
        elif job.notebook == PROGRESS_NOTEBOOK:
            title, summary = text("progress.title", lang, name=definition.name(lang)), ""
        else:
            title = text("unit.title", lang, unit=names[job.subject])
            summary = status_line(data, lang, job.subject)
        (out / f"{stem}.html").write_text(f"<html><head><title>{title}</title></head></html>", encoding="utf-8")
        (out / f"{stem}.xlsx").write_bytes(b"")
        entries.append({
            "file": f"{stem}.html", "workbook": f"{stem}.xlsx", "title": title, "summary": summary,
            "campaign": definition.id, "campaign_label": definition.name(lang), "period": period.id,
            "period_label": period.label(lang), "lang": lang, "rendered_at": "2026-12-07T21:00:00+07:00",
            "status": "ok",
        })  # fmt: skip
    assert len(entries) == 29
    return manifest.rebuild_index(out, entries)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_index_reads_on_a_laptop_and_a_phone(browser: Any, index: Path, screen: str) -> None:
    page = browser.new_page(viewport=SCREENS[screen])
    page.goto(index.as_uri(), wait_until="load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"index-set-{screen}.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    links = page.evaluate(MEASURE)
    page.close()
    assert overflow <= 0, f"{screen}: the page runs {overflow}px past the screen"
    assert len(links) == 29
    narrow = [link for link in links if link["inner"] + 0.5 < link["widest"]]
    assert narrow == [], f"{screen}: a link column narrower than its longest word"
    word_by_word = [link for link in links if link["words"] >= 3 and link["lines"] >= link["words"]]
    assert word_by_word == [], f"{screen}: links wrapped word by word"
    longest = max(links, key=lambda link: len(link["title"]))
    assert longest["lines"] <= (3 if screen == "laptop" else 5), longest  # 130 characters
