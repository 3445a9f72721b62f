"""Issue 22 items 1–3 as a leader sees them in headless Chromium: An Giang's 2026 return (tests/two_tier_campaign.py:
`dvctt new`, the template filled with seeded synthetic counts, `dvctt ingest`), rendered by `dvctt report`'s
renderer, four ways: three of 102 communes missing; one of them rejected for an arithmetic slip; the same below a
min_coverage of 99%; no targets at all. Each first screen (1366 × 768) gives the commune level's figure with its
coverage and names the units without a figure, and is photographed into
outputs/screenshots/first-screen-return-<case>.png; the workbooks list the units without a figure and why (a
rejected one with its rule, reason and file)."""

from __future__ import annotations

import csv
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from test_browser import SCREENSHOTS
from test_browser import browser as browser  # the one Chromium fixture (skips or fails as there, never mocked)
from two_tier_campaign import MISSING_AG, REJECTED_AG, return_campaign

from dvctt.publish import render

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

LAPTOP = {"width": 1366, "height": 768}
CASES = {
    "gaps": {},
    "rejected": {"rejected": True},
    "provisional": {"min_coverage": 99},
    "no-targets": {"targets": False},
}
COMMUNE_CARD = '.v-card[data-level="commune"]'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, types.SimpleNamespace]:
    """Each case rendered once: its folder, the counts ingest accepted for 2026, the HTML and the workbook."""
    cases = {}
    for name, options in CASES.items():
        root = tmp_path_factory.mktemp(f"return-{name}")
        folder, counts = return_campaign(root, **options)
        result = render.render_report(folder, period="2026", out_dir=root / "out")
        cases[name] = types.SimpleNamespace(result=result, counts=counts["2026"], folder=folder)
    return cases


def _communes_rate(case: types.SimpleNamespace) -> str:
    """The commune level's pooled rate over the communes that reported, as the report prints it (77,93%)."""
    units = pd.read_csv(case.folder / "units.csv", dtype=str)
    communes = [c for c in units.loc[units["level"] == "commune", "unit_code"] if c in case.counts]
    assert len(communes) == 99
    online = sum(case.counts[c][0] for c in communes)
    received = sum(case.counts[c][1] for c in communes)
    return f"{online / received * 100:.2f}".replace(".", ",") + "%"


class FirstScreen:
    """One case's report opened at laptop size: the commune card's text and where its parts sit."""

    def __init__(self, browser: Any, case: types.SimpleNamespace, name: str) -> None:
        self.page = browser.new_page(viewport=LAPTOP)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(Path(case.result.html_path).as_uri(), wait_until="load")
        self.card = self.page.evaluate(f"document.querySelector('{COMMUNE_CARD}').innerText")
        self.verdict = self.page.evaluate("document.querySelector('.verdict').innerText")
        self.name = name

    def visible(self, selector: str) -> bool:
        """Whether the element is drawn and wholly inside the first screen."""
        box = self.page.evaluate(
            f"(() => {{ const e = document.querySelector('{selector}'); if (!e) return null;"
            " const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; })()"
        )
        return box is not None and box["top"] > 0 and box["bottom"] <= LAPTOP["height"] and box["height"] > 0

    def photograph(self) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"first-screen-return-{self.name}.png"
        self.page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000


@pytest.fixture
def opened(request: pytest.FixtureRequest, browser: Any, rendered) -> Iterator[FirstScreen]:
    screen = FirstScreen(browser, rendered[request.param], request.param)
    yield screen
    screen.page.close()


@pytest.mark.parametrize("opened", ["gaps"], indirect=True)
def test_99_of_102_the_communes_figure_its_coverage_and_the_three_missing_on_the_first_screen(opened, rendered):
    assert opened.errors == []
    card = opened.card
    assert card.startswith("Cấp xã · Trực tuyến\nChưa đạt\n") or card.startswith("Cấp xã · Trực tuyến\nĐạt\n")
    assert _communes_rate(rendered["gaps"]) in card and "Mục tiêu 80%" in card
    assert "Tính trên 99/102 đơn vị đã báo cáo" in card
    assert f"3 xã chưa có số liệu: {', '.join(MISSING_AG.values())}" in card
    assert "Chưa công bố" not in opened.verdict and "chưa có số liệu\n" not in card
    assert re.search(r"\b\d+/99 đơn vị đã báo cáo đạt\b", card)  # units met among the 99 that reported
    assert opened.visible(f"{COMMUNE_CARD} .v-missing-units"), "the missing communes are below the first screen"
    opened.photograph()


@pytest.mark.parametrize("opened", ["gaps"], indirect=True)
def test_the_commune_ranking_ranks_the_99_and_lists_the_three_apart(opened):
    opened.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    text = re.sub(r"\s+", " ", opened.page.evaluate("document.body.innerText"))
    assert "(1/99)" in text and "(99/99)" in text and "(100/" not in text
    assert "Đơn vị được nguồn nêu tên" not in text  # a return is not a selection's paragraph of names
    assert "không xếp hạng 3 xã chưa có số liệu: Phường Vĩnh Tế, Xã Bình Hòa, Xã An Minh" in text


@pytest.mark.parametrize("opened", ["rejected"], indirect=True)
def test_a_rejected_commune_is_shown_bi_tu_choi_with_its_rule_and_file_on_the_first_screen(opened, rendered):
    assert opened.errors == []
    rejects = list((rendered["rejected"].folder / "rejects").glob("*.rejects.csv"))
    with rejects[0].open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["unit_code"] == REJECTED_AG and row["rule"] == "numerator_above_denominator"
    online, received = map(int, re.findall(r"\d+", row["reason_vi"]))
    assert online == received + 5  # the slip written into the workbook
    card = opened.card
    assert _communes_rate(rendered["rejected"]) in card and "Tính trên 99/102 đơn vị đã báo cáo" in card
    assert "2 xã chưa có số liệu: Phường Vĩnh Tế, Xã An Minh" in card
    assert (
        f"1 xã bị từ chối: Xã Bình Hòa (Tử số {online} lớn hơn mẫu số {received}; xem tệp rejects/{rejects[0].name})"
        in card
    )
    assert opened.visible(f"{COMMUNE_CARD} .v-rejected-units"), "the rejected commune is below the first screen"
    opened.photograph()


@pytest.mark.parametrize("opened", ["provisional"], indirect=True)
def test_below_min_coverage_the_communes_figure_is_provisional_with_its_coverage(opened, rendered):
    assert opened.errors == []
    card = opened.card
    assert _communes_rate(rendered["provisional"]) in card
    assert "Tạm tính: mới có 99/102 đơn vị báo cáo, dưới mức 99% cần để đánh giá đạt hay chưa đạt" in card
    badge = opened.page.evaluate(f"document.querySelector('{COMMUNE_CARD} .v-badge').innerText")
    assert badge == "Tạm tính"  # the level is never met or not met; its units that reported still are
    assert opened.page.evaluate(f"document.querySelector('{COMMUNE_CARD}').classList.contains('v-provisional')")
    province = opened.page.evaluate("document.querySelector('.v-card[data-level=\"province\"]').innerText")
    assert "Chưa đạt" in province or "Đạt" in province  # 12 of 12 agencies reported: judged as usual
    assert "Năm 2026: đạt 0/1 mục tiêu" in opened.verdict or "Năm 2026: đạt 1/1 mục tiêu" in opened.verdict
    assert opened.visible(f"{COMMUNE_CARD} .v-coverage")
    opened.photograph()


@pytest.mark.parametrize("opened", ["no-targets"], indirect=True)
def test_without_targets_every_figure_is_shown_and_nothing_says_no_data_for_units_with_data(opened, rendered):
    assert opened.errors == []
    verdict = opened.verdict
    assert "chưa đặt mục tiêu nào để đánh giá đạt hay chưa đạt" in verdict
    assert _communes_rate(rendered["no-targets"]) in opened.card and "Chưa đặt mục tiêu" in opened.card
    assert "Mục tiêu" not in verdict and "Chưa công bố" not in verdict and "Không giao mục tiêu" not in verdict
    assert "3 xã chưa có số liệu: Phường Vĩnh Tế, Xã Bình Hòa, Xã An Minh" in opened.card
    cells = opened.page.evaluate("[...document.querySelectorAll('.gap-grid td.gap')].map(c => c.className)")
    assert len(cells) == 114 and not [c for c in cells if "none" in c.split()]  # 12 agencies + 102 communes
    assert opened.page.evaluate("document.querySelectorAll('svg g.level .target').length") == 0
    opened.photograph()


def test_the_workbook_lists_the_units_without_data(rendered) -> None:
    book = openpyxl.load_workbook(rendered["gaps"].result.workbook_path, read_only=True)
    assert "Đơn vị chưa có số liệu" in book.sheetnames
    rows = list(book["Đơn vị chưa có số liệu"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    names = [r[header.index("Tên đơn vị")] for r in body]
    assert names == list(MISSING_AG.values())
    assert {r[header.index("Lý do thiếu số liệu")] for r in body} == {"chưa có số liệu"}
    book.close()


def test_the_workbook_gives_the_rejected_commune_its_rule_reason_and_file(rendered) -> None:
    rejects = next((rendered["rejected"].folder / "rejects").glob("*.rejects.csv"))
    book = openpyxl.load_workbook(rendered["rejected"].result.workbook_path, read_only=True)
    rows = list(book["Đơn vị chưa có số liệu"].iter_rows(values_only=True))
    book.close()
    header, body = rows[0], rows[1:]
    by_name = {r[header.index("Tên đơn vị")]: dict(zip(header, r, strict=True)) for r in body}
    assert list(by_name) == list(MISSING_AG.values())
    rejected = by_name[MISSING_AG[REJECTED_AG]]
    assert rejected["Lý do thiếu số liệu"] == "bị từ chối"
    assert rejected["Quy tắc bị vi phạm"] == "numerator_above_denominator"
    assert re.fullmatch(r"Tử số (\d+) lớn hơn mẫu số (\d+)", rejected["Lý do từ chối"])
    assert rejected["Tệp ghi dòng bị từ chối"] == f"rejects/{rejects.name}"
    assert by_name["Phường Vĩnh Tế"]["Lý do thiếu số liệu"] == "chưa có số liệu"
