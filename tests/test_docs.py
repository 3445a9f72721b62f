"""The documentation: every analyst page in both languages, every command in a page accepted by dvctt, the
generated reference pages current, the site built offline, the README short, and the own-province tutorial run
as written (its figure checked in the report it produces)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_dvctt

from dvctt import paths
from dvctt.cli import reference
from dvctt.cli.main import build_parser

ROOT = paths.PROJECT_ROOT
DOCS = ROOT / "docs"
LANGS = ("vi", "en")
_BLOCK = re.compile(r"```bash\n(.*?)```", re.DOTALL)


def _pages(lang: str) -> set[Path]:
    return {p.relative_to(DOCS / lang) for p in (DOCS / lang).rglob("*.md")}


def _commands(page: Path) -> list[str]:
    """The ``dvctt`` lines of a page's bash blocks, without their comments."""
    lines = []
    for block in _BLOCK.findall(page.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith("dvctt "):
                lines.append(line)
    return lines


def test_every_page_exists_in_both_languages() -> None:
    vi, en = _pages("vi"), _pages("en")
    assert len(vi) >= 17
    assert sorted(vi - en) == [], "pages only in Vietnamese"
    assert sorted(en - vi) == [], "pages only in English"


def test_every_page_is_in_the_site_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [f"{lang}/{p.as_posix()}" for lang in LANGS for p in _pages(lang) if f"{lang}/{p.as_posix()}" not in nav]
    assert missing == []


def test_vietnamese_pages_are_vietnamese() -> None:
    """A Vietnamese page is written in Vietnamese: diacritics in its prose, not an English copy."""
    for page in _pages("vi"):
        text = (DOCS / "vi" / page).read_text(encoding="utf-8")
        assert len(re.findall(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỷỹđ]", text)) >= 20, page


def test_every_command_in_the_pages_is_accepted_by_dvctt() -> None:
    """Each ``dvctt`` line of a bash block parses with dvctt's own parser: a renamed option or command fails
    here, not in an analyst's terminal."""
    parser = build_parser()
    checked = 0
    for lang in LANGS:
        for page in sorted(_pages(lang)):
            for line in _commands(DOCS / lang / page):
                line = re.sub(r"\[[^\]]*\]", "", line)  # optional parts shown as [--sheet ...]
                try:
                    parser.parse_args(shlex.split(line)[1:])
                except SystemExit as exc:
                    if exc.code != 0:  # --help exits 0
                        pytest.fail(f"docs/{lang}/{page}: dvctt does not accept: {line}")
                checked += 1
    assert checked >= 40


def test_generated_reference_pages_are_current() -> None:
    stale = [
        path.relative_to(ROOT).as_posix()
        for path, text in reference.pages(build_parser()).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python -m dvctt.cli.reference"


def test_generated_reference_lists_every_command_and_header() -> None:
    page = reference.commands_page(build_parser(), "vi")
    for command in ("report", "ingest", "validate", "template", "new", "check", "index", "fetch", "synth"):
        assert f"## `dvctt {command}`" in page
    headers = reference.headers_page("vi")
    assert "| `unit_code` | ma don vi," in headers
    assert "thanh toan truc tuyen" in headers


def test_readme_fits_two_screens_and_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 110
    assert "make report" in readme and "make test" in readme
    for link in re.findall(r"\]\(([^)#]+\.md)\)", readme):
        assert (ROOT / link).is_file(), link
    for name in ("CONTRIBUTING.md", "CHANGELOG.md", "LICENSE", "benchmarks/README.md"):
        assert (ROOT / name).is_file(), name


def test_site_builds_offline(tmp_path: Path) -> None:
    """``mkdocs build --strict``: a broken link or a page outside the navigation fails the build; the offline
    plugin makes the site readable from the file system."""
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", site],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page = (site / "vi" / "tutorial" / "own-province.html").read_text(encoding="utf-8")
    assert "Hướng dẫn: bắt đầu với tỉnh của bạn" in page
    assert (site / "search" / "search_index.js").is_file()  # search works from file://
    assert "fonts.googleapis" not in page


def _fill_commune_sheet(template: Path, filled: Path) -> tuple[int, int]:
    """Every commune's online counts in the template's "Cấp xã" sheet: 50 + i of 100 + i dossiers."""
    import openpyxl

    book = openpyxl.load_workbook(template)
    sheet = book["Cấp xã"]
    online = received = 0
    for row in range(5, sheet.max_row + 1):
        if not sheet.cell(row, 2).value:
            continue
        index = int(sheet.cell(row, 1).value)
        sheet.cell(row, 4).value, sheet.cell(row, 5).value = 50 + index, 100 + index
        online, received = online + 50 + index, received + 100 + index
    book.save(filled)
    return online, received


@pytest.mark.e2e
def test_own_province_tutorial_runs_as_written(tmp_path: Path) -> None:
    """docs/vi/tutorial/own-province.md, command by command (~ is a fresh folder), with the units' returns filled
    in between: the report it ends with shows the communes' pooled online rate."""
    home = tmp_path / "home"
    (home / "dvctt").mkdir(parents=True)
    commands = _commands(DOCS / "vi" / "tutorial" / "own-province.md")
    assert [c.split()[1] for c in commands] == ["new", "check", "template", "ingest", "check", "report"]
    expected = ""
    for line in commands:
        args = [a.replace("~", str(home)) for a in shlex.split(line)[1:]]
        if args[0] == "ingest":
            online, received = _fill_commune_sheet(home / "dvctt" / "bieu-nhap.xlsx", Path(args[1]))
            expected = f"{100 * online / received:.2f}".replace(".", ",") + "%"
        if args[0] == "report":
            args += ["--out", str(tmp_path / "out")]
        done = run_dvctt(*args, cwd=tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    assert expected == "62,26%"  # 5,280 of 8,480 dossiers online across the 64 communes
    report = next((tmp_path / "out").glob("campaign_report_*_vi.html")).read_text(encoding="utf-8")
    assert expected in report
    assert (tmp_path / "out" / "index.html").is_file()
