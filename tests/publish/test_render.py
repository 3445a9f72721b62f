"""Rendering pipeline: Papermill execution, nbconvert HTML, atomic outputs, provenance, manifest and index.

The e2e tests execute the tiny fixture notebooks in tests/fixtures/notebooks with a real kernel against a
fixture campaign folder in tmp_path; dvctt.report_tables is replaced by a fake returning tiny frames.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import types
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from minimal_campaign import campaign_toml

from dvctt import __version__, paths
from dvctt.campaign import provenance
from dvctt.errors import CampaignNotFoundError, ParameterError, RenderError
from dvctt.publish import convert, manifest, render, sharing, toc
from dvctt.report import data as report_data

FIXTURE_NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
HEADING = "Báo cáo thử nghiệm — Cà Mau"
PRECISE_RATE = 52.2345678901234
CAMPAIGN_TOML = campaign_toml()


def make_campaign(folder: Path) -> Path:
    """A campaign folder with campaign.toml and one small data file."""
    folder.mkdir(parents=True)
    (folder / "campaign.toml").write_text(CAMPAIGN_TOML, encoding="utf-8")
    (folder / "observations.csv").write_text(
        "unit_code,period,kpi,rate\n964,2023-campaign,online,52.23\n", encoding="utf-8"
    )
    return folder


def fake_tables_module(rate: float = PRECISE_RATE) -> types.ModuleType:
    """Stand-in for dvctt.report.data.build_report_tables: three tiny frames, so render tests stay fast."""
    module = types.ModuleType("dvctt.report_tables")
    module.calls = []

    def build_report_tables(campaign: str, period: str) -> dict[str, pd.DataFrame]:
        module.calls.append((campaign, period))
        return {
            "level_summary": pd.DataFrame({"level": ["province", "all"], "rate": [rate, 40.5]}),
            "unit_summary": pd.DataFrame({"unit_code": ["964"], "official_name": ["Xã Phú Hưng"]}),
            "reconciliation": pd.DataFrame({"measure": ["rate"], "printed": ["52,23%"], "value": [52.23]}),
        }

    module.build_report_tables = build_report_tables
    return module


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    return make_campaign(tmp_path / "camp")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> types.SimpleNamespace:
    """One real render of mini_report.ipynb, called from an unrelated working directory."""
    root = tmp_path_factory.mktemp("render")
    folder = make_campaign(root / "camp")
    tables = fake_tables_module()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report_data, "build_report_tables", tables.build_report_tables)
        mp.chdir(root)
        result = render.render_report(
            folder, out_dir=root / "out", notebook="mini_report", notebook_dir=FIXTURE_NOTEBOOKS
        )
    html = result.html_path.read_text(encoding="utf-8")
    return types.SimpleNamespace(root=root, folder=folder, result=result, html=html, tables=tables)


def copy_outputs(rendered: types.SimpleNamespace, target: Path) -> Path:
    shutil.copytree(rendered.result.html_path.parent, target)
    return target


# ------------------------------------------------------------------------------------------ provenance


def test_data_hash_is_stable_and_independent_of_location(campaign: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(campaign, tmp_path / "elsewhere" / "camp")
    assert provenance.data_hash(campaign) == provenance.data_hash(campaign)
    assert provenance.data_hash(campaign) == provenance.data_hash(copy)
    assert re.fullmatch(r"[0-9a-f]{64}", provenance.data_hash(campaign))


def test_data_hash_changes_when_a_file_changes(campaign: Path) -> None:
    before = provenance.data_hash(campaign)
    data = campaign / "observations.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("52.23", "52.24"), encoding="utf-8")
    assert provenance.data_hash(campaign) != before


def test_data_hash_changes_when_a_file_is_renamed_or_added(campaign: Path) -> None:
    before = provenance.data_hash(campaign)
    (campaign / "observations.csv").rename(campaign / "obs.csv")
    renamed = provenance.data_hash(campaign)
    (campaign / "sub").mkdir()
    (campaign / "sub" / "extra.csv").write_text("", encoding="utf-8")
    assert len({before, renamed, provenance.data_hash(campaign)}) == 3


def test_data_hash_ignores_hidden_files_and_caches(campaign: Path) -> None:
    before = provenance.data_hash(campaign)
    (campaign / ".DS_Store").write_bytes(b"junk")
    (campaign / "__pycache__").mkdir()
    (campaign / "__pycache__" / "x.pyc").write_bytes(b"junk")
    (campaign / ".git").mkdir()
    (campaign / ".git" / "HEAD").write_bytes(b"junk")
    assert provenance.data_hash(campaign) == before


def test_footer_info_has_id_hash_version_and_vietnam_time() -> None:
    info = provenance.footer_info(campaign_id="test-camau", period="2022", lang="en", data_hash="ab" * 32)
    assert info["campaign"] == "test-camau"
    assert (info["campaign_label"], info["period_label"], info["lang_label"]) == ("test-camau", "2022", "English")
    named = provenance.footer_info(
        campaign_id="c",
        period="2022",
        lang="vi",
        data_hash="ab" * 32,
        campaign_name="Chiến dịch",
        period_label="Năm 2022",
    )
    assert (named["campaign_label"], named["period_label"], named["lang_label"]) == (
        "Chiến dịch",
        "Năm 2022",
        "Tiếng Việt",
    )
    words = {"campaign": "Báo cáo về", "period": "Kỳ báo cáo", "lang": "Ngôn ngữ", "vietnam_time": "(giờ Việt Nam)"}
    assert words.items() <= named["words"].items() and info["words"]["rendered"] == "Rendered"
    assert info["data_hash_short"] == "ab" * 6
    assert info["version"] == __version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", info["rendered_at"])
    moment = datetime(2023, 5, 9, 17, 30, tzinfo=UTC)  # 17:30 UTC is half past midnight the next day in Cà Mau
    assert provenance.vietnam_timestamp(moment) == "2023-05-10T00:30:00+07:00"
    assert provenance.shown_time("2023-05-09T17:30:00Z", "vi") == "10/05/2023 00:30"  # as a reader writes it
    assert provenance.shown_time("2023-05-10T00:30:00+07:00", "en") == "10 May 2023 00:30"
    assert named["rendered_at_shown"] == provenance.shown_time(named["rendered_at"], "vi")


# ------------------------------------------------------------------------------------------ parameters


def test_invalid_period_lists_valid_ones_and_writes_nothing(campaign: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match=r"Valid periods: 2022, 2023-campaign"):
        render.render_report(campaign, period="2030", out_dir=out, notebook_dir=FIXTURE_NOTEBOOKS)
    assert not out.exists()


def test_invalid_language_is_rejected(campaign: Path, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"vi, en"):
        render.render_report(campaign, lang="fr", out_dir=tmp_path / "out", notebook_dir=FIXTURE_NOTEBOOKS)


def test_unknown_campaign_and_notebook(campaign: Path, tmp_path: Path) -> None:
    with pytest.raises(CampaignNotFoundError):
        render.render_report(tmp_path / "nowhere", out_dir=tmp_path / "out")
    with pytest.raises(ParameterError, match=r"mini_report"):
        render.render_report(campaign, notebook="nope", notebook_dir=FIXTURE_NOTEBOOKS, out_dir=tmp_path)


def test_notebook_gets_id_for_shipped_campaigns_and_path_otherwise(
    campaign: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render.open_campaign(campaign).reference == str(campaign.resolve())
    shipped_root = tmp_path / "shipped"
    shutil.copytree(campaign, shipped_root / "test-camau")
    monkeypatch.setattr(paths, "CAMPAIGNS_DIR", shipped_root)
    assert render.open_campaign("test-camau").reference == "test-camau"


# ------------------------------------------------------------------------------------ title, path check


def _nb_with(cells: list, metadata: dict | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.update(metadata or {})
    return nb


def test_title_prefers_output_metadata_then_notebook_metadata_then_first_h1() -> None:
    v4 = nbformat.v4
    params = v4.new_code_cell("x = 1", metadata={"tags": ["injected-parameters"]})
    params.outputs = [v4.new_output("display_data", {"text/markdown": "# From parameters"})]
    heading = v4.new_code_cell("")
    h1 = "<h1 class='t'>Tỷ lệ &amp; <b>hồ sơ</b></h1>"
    heading.outputs = [v4.new_output("display_data", {"text/html": h1})]
    tagged = v4.new_code_cell("")
    tagged.outputs = [v4.new_output("display_data", {"text/plain": ""}, metadata={"dvctt": {"title": "Đặt"}})]
    assert convert.find_title(_nb_with([params, heading])) == "Tỷ lệ & hồ sơ"
    assert convert.find_title(_nb_with([v4.new_markdown_cell("intro\n\n# Tiêu đề #")])) == "Tiêu đề"
    assert convert.find_title(_nb_with([heading], {"dvctt": {"title": "Meta"}})) == "Meta"
    assert convert.find_title(_nb_with([heading, tagged], {"dvctt": {"title": "Meta"}})) == "Đặt"
    assert convert.find_title(_nb_with([params])) is None


def _converted_page_notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    table = v4.new_code_cell("")
    table.outputs = [
        v4.new_output(
            "display_data", {"text/html": "<h2 id='ket-qua'>Kết quả</h2><table><tr><td>92,79%</td></tr></table>"}
        ),
        v4.new_output("display_data", {"image/png": "iVBORw0KGgo="}, metadata={"dvctt": {"alt": "Tỷ lệ theo cấp"}}),
        v4.new_output("stream", name="stdout", text="42.839\n"),
    ]
    cells = [v4.new_markdown_cell("# Báo cáo\n\nĐoạn *mở đầu* với ![sơ đồ](data:image/png;base64,iVBORw0KGgo=)"), table]
    return _nb_with(cells, {"language_info": {"name": "python"}})


def test_the_report_exporter_gives_nbconverts_page_without_parsing_it_again() -> None:
    """The exporter skips nbconvert's closing BeautifulSoup pass (0.2 s a report); on a page where that pass has
    nothing to add, the stock exporter's page is ours, serialised by BeautifulSoup."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    ours = convert._exporter("vi")
    footer = provenance.footer_info(campaign_id="c", period="p", lang="vi", data_hash="ab" * 32)
    resources = {"metadata": {"name": "t", "path": "."}, "dvctt": {"title": "t", "lang": "vi", "footer": footer}}
    nb = _converted_page_notebook()
    page, _ = ours.from_notebook_node(nb, resources=dict(resources))
    stock, _ = HTMLExporter(config=ours.config).from_notebook_node(nb, resources=dict(resources))
    assert type(ours) is not HTMLExporter and "Kết quả" in page and 'alt="Tỷ lệ theo cấp"' in page
    assert str(BeautifulSoup(page, features="html.parser")) == stock


def test_an_image_without_alt_text_gets_one_in_the_report_language() -> None:
    nb = _converted_page_notebook()
    nb.cells[1].outputs.append(nbformat.v4.new_output("display_data", {"text/html": '<p><img src="data:x"></p>'}))
    footer = provenance.footer_info(campaign_id="c", period="p", lang="vi", data_hash="ab" * 32)
    page = convert.to_html(nb, footer=footer, lang="vi", title="t", base_dir=Path("."))
    assert '<img alt="Hình ảnh không có mô tả" src="data:x">' in page
    assert "No description" not in page and page.count("<img") == page.count(" alt=")


def test_local_paths_in_html_are_refused() -> None:
    forbidden = {"project root": Path("/work/main"), "home directory": Path("/root")}
    with pytest.raises(RenderError, match=r"project root"):
        sharing.check_no_local_paths('<img src="file:///work/main/x.png">', forbidden)
    with pytest.raises(RenderError, match=r"home directory"):
        sharing.check_no_local_paths("<p>/root</p>", forbidden)
    # Base64 can spell /root by chance, and a longer folder name is another folder.
    sharing.check_no_local_paths('<img src="data:image/png;base64,AB/root/work/main+=">', forbidden)
    sharing.check_no_local_paths("<p>/work/mainframe /rooted</p>", forbidden)


def test_index_is_rebuilt_from_report_meta_tags_when_manifest_is_lost(tmp_path: Path) -> None:
    page = (
        '<html lang="en"><head><title>Report &amp; more</title>'
        '<meta name="dvctt:campaign" content="test-camau"><meta name="dvctt:period" content="2022">'
        '<meta name="dvctt:lang" content="en"><meta name="dvctt:rendered-at" content="2024-01-01T00:00:00Z">'
        '<meta content="Ca Mau test" name="dvctt:campaign-label"><meta content="Year 2022" name="dvctt:period-label">'
        "</head></html>"
    )
    (tmp_path / "campaign_report_2022_en.html").write_text(page, encoding="utf-8")
    index = manifest.rebuild_index(tmp_path)
    (entry,) = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert entry["title"] == "Report & more" and entry["period"] == "2022" and entry["lang"] == "en"
    listing = index.read_text(encoding="utf-8")
    assert 'href="campaign_report_2022_en.html"' in listing
    assert (
        entry["campaign_label"] == "Ca Mau test"
        and '<td class="campaign" data-label="Report on">Ca Mau test</td>' in listing
        and '<td class="period" data-label="Period">Year 2022</td>' in listing
        and '<td class="lang" data-label="Language">English</td>' in listing
    )
    assert '<html lang="en">' in listing and "Danh sách" not in listing  # English reports, an English index


# -------------------------------------------------------------------------------------------- e2e render


@pytest.mark.e2e
def test_html_is_written_with_vietnamese_text_title_and_language(rendered: types.SimpleNamespace) -> None:
    result, html = rendered.result, rendered.html
    assert result.html_path == rendered.root / "out" / "mini_report_2023-campaign_vi.html"
    assert HEADING in html and "Tỷ lệ hồ sơ trực tuyến theo cấp" in html
    assert '<html lang="vi">' in html
    assert f"<title>{HEADING}</title>" in html
    assert result.title == HEADING


@pytest.mark.e2e
def test_html_is_self_contained_with_one_png_per_figure(rendered: types.SimpleNamespace) -> None:
    html = rendered.html
    assert html.count('<img src="data:image/png;base64,') == html.count('" alt="Biểu đồ">') == 1
    assert len(re.findall(r"<img\b", html)) == 1
    assert "<script" not in html and "<link" not in html
    assert "@media print" in html and "break-inside: avoid" in html


@pytest.mark.e2e
def test_html_has_no_code_prompts_parameters_or_stderr(rendered: types.SimpleNamespace) -> None:
    html = rendered.html
    for absent in ("In&nbsp;[", "Out[", "import matplotlib", "plt.show()", "cảnh báo thử nghiệm trên stderr"):
        assert absent not in html
    assert "Ghi chú cho chuyên viên" not in html  # tagged remove-from-report
    assert "đầu ra bị ẩn" not in html  # tagged remove-output
    for assignment in ('campaign = "', 'period = "', 'lang = "', "period = None"):
        assert assignment not in html  # neither the parameters cell nor Papermill's injected one


@pytest.mark.e2e
def test_html_has_no_local_paths(rendered: types.SimpleNamespace) -> None:
    html = rendered.html
    for path in (rendered.root, rendered.folder, Path.home(), paths.PROJECT_ROOT, FIXTURE_NOTEBOOKS):
        assert str(path) not in re.sub(r"base64,[^\"]*", "", html)
    assert "dvctt-cwd-" not in html and "-render-" not in html


@pytest.mark.e2e
def test_footer_shows_parameters_short_data_hash_version_and_time(rendered: types.SimpleNamespace) -> None:
    footer = rendered.html.split('<footer class="provenance">', 1)[1]
    short = provenance.data_hash(rendered.folder)[:12]
    assert f">{short}</code>" in footer and rendered.result.data_hash[:12] == short
    # the reader sees names, a machine reads the ids in the head's meta tags
    assert '<span class="campaign">Cà Mau thử nghiệm</span>' in footer
    assert '<span class="period">Chiến dịch</span>' in footer and '<span class="lang">Tiếng Việt</span>' in footer
    assert "test-camau" not in footer and "2023-campaign" not in footer and "vi<" not in footer
    head = rendered.html.split("</head>", 1)[0]
    assert '<meta name="dvctt:campaign" content="test-camau">' in head
    assert (
        '<meta name="dvctt:period" content="2023-campaign">' in head and '<meta name="dvctt:lang" content="vi">' in head
    )
    assert f'<span class="version">{__version__}</span>' in footer
    assert rendered.result.rendered_at in footer  # the instant, for machines, in the datetime attribute
    assert re.search(r'class="rendered-at"[^>]*>\d\d/\d\d/\d{4} \d\d:\d\d</time>', footer)  # the reader's form
    assert "synthetic" in footer


@pytest.mark.e2e
def test_tables_are_written_as_csv_with_full_precision(rendered: types.SimpleNamespace) -> None:
    out = rendered.root / "out"
    assert rendered.tables.calls == [(str(rendered.folder.resolve()), "2023-campaign")]
    names = sorted(p.name for p in rendered.result.table_paths)
    assert names == [f"{k}.csv" for k in ("level_summary", "reconciliation", "unit_summary")]
    level = (out / "tables" / "2023-campaign" / "level_summary.csv").read_text(encoding="utf-8")
    # UTF-8 with a BOM (Excel on Windows), 10 significant digits: precise, without float noise (issue 13)
    assert level == f"\ufefflevel,rate\nprovince,{float(f'{PRECISE_RATE:.10g}')!r}\nall,40.5\n"
    units = pd.read_csv(out / "tables" / "2023-campaign" / "unit_summary.csv", dtype=str)
    assert units.to_dict("records") == [{"unit_code": "964", "official_name": "Xã Phú Hưng"}]


@pytest.mark.e2e
def test_index_and_manifest_list_the_report(rendered: types.SimpleNamespace) -> None:
    out = rendered.root / "out"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="mini_report_2023-campaign_vi.html"' in index and HEADING in index
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert entry["file"] == "mini_report_2023-campaign_vi.html"
    assert (entry["title"], entry["campaign"], entry["period"], entry["lang"], entry["status"]) == (
        HEADING,
        "test-camau",
        "2023-campaign",
        "vi",
        "ok",
    )
    assert entry["rendered_at"] == rendered.result.rendered_at
    assert not list(rendered.root.glob(".out-render-*")), "staging folder left behind"


@pytest.mark.e2e
def test_english_render_is_added_to_the_index(
    rendered: types.SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = copy_outputs(rendered, tmp_path / "out")
    monkeypatch.setattr(report_data, "build_report_tables", fake_tables_module().build_report_tables)
    result = render.render_report(
        rendered.folder,
        period="2022",
        lang="en",
        out_dir=out,
        notebook="mini_report",
        notebook_dir=FIXTURE_NOTEBOOKS,
    )
    html = result.html_path.read_text(encoding="utf-8")
    assert result.html_path.name == "mini_report_2022_en.html"
    assert '<html lang="en">' in html and "Data hash (SHA-256)" in html
    index = result.index_path.read_text(encoding="utf-8")
    assert 'href="mini_report_2022_en.html"' in index and 'href="mini_report_2023-campaign_vi.html"' in index
    reports = json.loads(result.manifest_path.read_text(encoding="utf-8"))["reports"]
    assert [(r["period"], r["lang"]) for r in reports] == [("2022", "en"), ("2023-campaign", "vi")]


@pytest.mark.e2e
def test_failing_notebook_keeps_previous_report_and_names_the_cell(
    rendered: types.SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = copy_outputs(rendered, tmp_path / "out")
    reports = [out / "mini_report_2023-campaign_vi.html", *sorted((out / "tables").rglob("*.csv"))]
    before = {p: p.read_bytes() for p in reports}
    broken_dir = tmp_path / "notebooks"
    broken_dir.mkdir()
    shutil.copyfile(FIXTURE_NOTEBOOKS / "broken_report.ipynb", broken_dir / "mini_report.ipynb")
    monkeypatch.setattr(report_data, "build_report_tables", fake_tables_module(rate=1.0).build_report_tables)

    with pytest.raises(RenderError) as caught:
        render.render_report(rendered.folder, out_dir=out, notebook="mini_report", notebook_dir=broken_dir)

    message = str(caught.value)
    assert "mini_report.ipynb" in message and "cell 3" in message
    assert "Bước 2: đọc tỷ lệ số hóa" in message
    assert "ValueError: dữ liệu thử nghiệm bị hỏng" in message
    assert len(before) == 4 and {p: p.read_bytes() for p in before} == before
    assert (out / "_failed" / "mini_report_2023-campaign_vi.ipynb").is_file()
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert entry["status"] == "stale"
    assert not list(tmp_path.glob(".out-render-*")), "staging folder left behind"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ValueError" not in index and "cell 3" not in index  # the error is for the analyst, in manifest.json
    assert "Lần tạo gần nhất bị lỗi" in index and "ValueError" in entry["error"]
    assert re.search(r'<time datetime="[^"]+\+07:00">\d\d/\d\d/\d{4} \d\d:\d\d</time>', index)


# ------------------------------------------------------------------------------------ table of contents

TWO_SECTIONS = (
    '<main class="report"><div class="jp-Cell jp-CodeCell" id="cell-id=title"><h1>Tiêu đề</h1><p>Kỳ</p></div>'
    '<div class="jp-Cell jp-CodeCell" id="cell-id=a"><h2 id="ket-qua">1. Kết quả &amp; <b>mục tiêu</b></h2></div>'
    '<div class="jp-Cell jp-MarkdownCell"><h2>Nguồn số liệu</h2></div></main>'
)


def test_toc_lists_the_h2_headings_below_the_title_cell() -> None:
    page = toc.add_toc(TWO_SECTIONS, "Mục lục")
    nav = re.search(r'<nav class="toc" aria-label="Mục lục">.*?</nav>', page).group(0)
    links = re.findall(r'href="#([^"]+)">([^<]+)<', nav)
    assert links == [("ket-qua", "1. Kết quả &amp; mục tiêu"), ("nguon-so-lieu", "Nguồn số liệu")]
    assert page.index("</h1>") < page.index("<nav") < page.index('id="cell-id=a"')
    assert '<h2 id="nguon-so-lieu">Nguồn số liệu</h2>' in page  # a heading without id gets an ASCII one


def test_toc_finds_the_cell_whatever_the_order_of_its_attributes() -> None:
    """nbconvert writes a cell's id before its class; the contents still go above the whole cell."""
    nbconvert_order = TWO_SECTIONS.replace(
        'class="jp-Cell jp-CodeCell" id="cell-id=a"', 'id="cell-id=a" class="jp-Cell jp-CodeCell"'
    )
    page = toc.add_toc(nbconvert_order, "Mục lục")
    assert page.index("</h1>") < page.index("<nav") < page.index('id="cell-id=a"')


def test_toc_ids_are_unique_and_a_single_section_gets_no_toc() -> None:
    page, entries = toc.with_heading_ids('<p id="a"></p><h2>A</h2><h2>A</h2><h2 id="x">A</h2>')
    assert [e.id for e in entries] == ["a-2", "a-3", "x"]
    single = '<main><div class="jp-Cell x"><h2>Một</h2></div></main>'
    assert "<nav" not in toc.add_toc(single, "Mục lục")


def test_toc_goes_right_before_the_first_h2_when_it_shares_the_title_cell() -> None:
    page = toc.add_toc('<div class="jp-Cell x"><h1>T</h1><h2>A</h2><h2>B</h2></div>', "Contents")
    assert page.index("</h1>") < page.index("<nav") < page.index("<h2")


# ------------------------------------------------------------------------------------------- sharing


def test_scrub_replaces_local_folders_longest_first_and_leaves_images_alone(tmp_path: Path) -> None:
    project, campaign = tmp_path / "proj", tmp_path / "proj" / "data" / "camp"
    rules = sharing.replacements({tmp_path: "<tmp>", project: "<project>", campaign: "camp-id"})
    nb = {
        "text/plain": f"{campaign}/units.csv in {project}/src; {project}frame stays",
        "image/png": f"AAA{tmp_path}BBB",
        "list": [f"'{tmp_path}/x'"],
    }
    clean = sharing.scrub(nb, rules, {"API_TOKEN": "hunter22"})
    # /proj/frame is another folder: only its /tmp/... part is a known folder
    assert clean["text/plain"] == "camp-id/units.csv in <project>/src; <tmp>/projframe stays"
    assert clean["image/png"] == nb["image/png"] and clean["list"] == ["'<tmp>/x'"]
    assert sharing.scrub_text("token=hunter22", [], {"API_TOKEN": "hunter22"}) == "token=<redacted:API_TOKEN>"


def test_secret_values_are_found_by_variable_name_and_named_not_shown() -> None:
    env = {"DVCTT_SECRET_TOKEN": "s3cr3t-value", "DB_PASSWORD": "abc", "HOME": "/root", "GITHUB_TOKEN": "ghp_12345"}
    assert sharing.secret_values(env) == {"DVCTT_SECRET_TOKEN": "s3cr3t-value", "GITHUB_TOKEN": "ghp_12345"}
    with pytest.raises(RenderError, match="DVCTT_SECRET_TOKEN") as caught:
        sharing.check_no_secrets("<p>s3cr3t-value</p>", sharing.secret_values(env), "rendered HTML")
    assert "s3cr3t-value" not in str(caught.value)


# ------------------------------------------------------------------------- audit notebook and workbook


@pytest.mark.e2e
def test_executed_notebook_is_kept_for_audit_with_the_campaign_id_and_no_local_path(
    rendered: types.SimpleNamespace,
) -> None:
    path = rendered.result.notebook_path
    assert path == rendered.result.html_path.with_suffix(".ipynb") and path.is_file()
    nb = nbformat.read(path, as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'campaign = "test-camau"' in injected.source
    assert nb.metadata.papermill["parameters"]["campaign"] == "test-camau"
    assert nb.metadata.papermill["input_path"] == "mini_report.ipynb"
    text = path.read_text(encoding="utf-8")
    for folder in (rendered.root, rendered.folder, Path.home(), paths.PROJECT_ROOT, Path(tempfile.gettempdir())):
        sharing.check_no_local_paths(text, {"folder": folder}, what="executed notebook")


@pytest.mark.e2e
def test_index_is_rebuilt_from_a_real_report_when_the_manifest_is_lost(
    rendered: types.SimpleNamespace, tmp_path: Path
) -> None:
    out = copy_outputs(rendered, tmp_path / "out")
    (out / "manifest.json").unlink()
    manifest.rebuild_index(out)
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert (entry["campaign"], entry["lang"], entry["title"]) == ("test-camau", "vi", HEADING)
    assert entry["data_hash"] == rendered.result.data_hash and entry["workbook"] == rendered.result.workbook_path.name


@pytest.mark.e2e
def test_workbook_is_written_beside_the_report_and_linked_from_the_index(rendered: types.SimpleNamespace) -> None:
    import openpyxl

    path = rendered.result.workbook_path
    assert path == rendered.result.html_path.with_suffix(".xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Tổng hợp theo cấp", "Kết quả từng đơn vị", "Đối chiếu số liệu"]
    assert book["Kết quả từng đơn vị"]["A2"].value == "964"  # a code stays text
    index = rendered.result.index_path.read_text(encoding="utf-8")
    assert f'href="{path.name}"' in index
    (entry,) = json.loads(rendered.result.manifest_path.read_text(encoding="utf-8"))["reports"]
    assert entry["workbook"] == path.name and entry["executed_notebook"] == path.with_suffix(".ipynb").name


# ------------------------------------------- the real report notebook: reproducible, escaped, nothing leaks

EVIL_NAME = "<script>alert(1)</script>"
SECRET = "s3cr3t-value"
_RENDER_TIME = re.compile(r'<meta\b[^>]*"dvctt:rendered-at"[^>]*>|<time class="rendered-at"[^>]*>[^<]*</time>')


def hostile_campaign(folder: Path) -> Path:
    """The tiny campaign with markup in a unit name, a published name, a source title and a file name."""
    from conftest import TINY_FILES, write_campaign

    units = TINY_FILES["units.csv"].replace(
        "90102,commune,901,Xã Hai,UBND xã Hai", f'90102,commune,901,{EVIL_NAME},"<img src=x onerror=alert(2)>"'
    )
    sources = TINY_FILES["sources.csv"].replace(
        "test,,Tài liệu thử nghiệm", 'test,"<script>alert(4)</script>.pdf",<b onmouseover=alert(3)>Tài liệu</b>'
    )
    return write_campaign(folder, {"units.csv": units, "sources.csv": sources})


@pytest.fixture(scope="module")
def tiny_renders(tmp_path_factory: pytest.TempPathFactory) -> types.SimpleNamespace:
    """The report notebook on the hostile tiny campaign: twice from the same folder, once from a copy with one
    changed byte; a fake secret is in the environment of every run (and so of the kernel)."""
    root = tmp_path_factory.mktemp("tiny")
    folder = hostile_campaign(root / "tiny")
    changed = shutil.copytree(folder, root / "changed" / "tiny")
    data = changed / "observations.csv"
    data.write_bytes(data.read_bytes().replace(b"99.A01,2023,online,90,100,90.0", b"99.A01,2023,online,90,100,90.1"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DVCTT_SECRET_TOKEN", SECRET)
        mp.chdir(root)
        runs = [
            render.render_report(f, out_dir=root / name) for f, name in ((folder, "a"), (folder, "b"), (changed, "c"))
        ]
    return types.SimpleNamespace(root=root, folder=folder, changed=changed, runs=runs)


def _shared_files(result: render.RenderResult) -> list[Path]:
    return [p for p in result.html_path.parent.rglob("*") if p.is_file()]


@pytest.mark.e2e
def test_rendering_twice_gives_the_same_html_and_csv_except_the_render_time(tiny_renders) -> None:
    first, second = tiny_renders.runs[:2]
    html = [_RENDER_TIME.sub("", r.html_path.read_text(encoding="utf-8")) for r in (first, second)]
    assert len(_RENDER_TIME.findall(first.html_path.read_text(encoding="utf-8"))) == 2
    assert html[0] == html[1]
    assert [p.read_bytes() for p in first.table_paths] == [p.read_bytes() for p in second.table_paths]


@pytest.mark.e2e
def test_the_footer_data_hash_changes_when_one_input_byte_changes(tiny_renders) -> None:
    same, _, changed = tiny_renders.runs
    assert changed.data_hash != same.data_hash == provenance.data_hash(tiny_renders.folder)
    assert changed.data_hash == provenance.data_hash(tiny_renders.changed)
    for run in (same, changed):
        footer = run.html_path.read_text(encoding="utf-8").split('<footer class="provenance">', 1)[1]
        assert f'<code class="data-hash" title="{run.data_hash}">{run.data_hash[:12]}</code>' in footer


@pytest.mark.e2e
def test_text_from_data_is_escaped(tiny_renders) -> None:
    html = tiny_renders.runs[0].html_path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=alert(3)&gt;Tài liệu&lt;/b&gt;" in html  # a source title, escaped
    assert "alert(4)" not in html  # a source's file name is never cited (issue 13), escaped or not
    for raw in ("<script", "<img src=x", "<b onmouseover"):
        assert raw not in html


@pytest.mark.e2e
def test_no_secret_or_local_path_in_any_file_written(tiny_renders) -> None:
    import zipfile

    run = tiny_renders.runs[0]
    folders = {"tmp": tiny_renders.root, "home": Path.home(), "project": paths.PROJECT_ROOT}
    for path in _shared_files(run):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                text = "\n".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8")
        assert SECRET not in text, path.name
        sharing.check_no_local_paths(text, folders, what=path.name)
    nb = nbformat.read(run.notebook_path, as_version=4)
    (injected,) = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'campaign = "tiny"' in injected.source  # the id, not the folder it was read from
