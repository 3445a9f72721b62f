"""Convert an executed notebook into the report's HTML: the lean ``dvctt_report`` nbconvert template (no code,
no prompts, no parameter cells, no stderr, images as data URIs) plus a table of contents from the h2 headings.

Cells tagged ``parameters``, ``injected-parameters``, ``remove-cell`` or ``remove-from-report`` are removed;
``remove-output`` drops a cell's outputs. Code inputs and prompts are never shown.

Report title: the first of (1) an output whose display metadata carries ``{"dvctt": {"title": ...}}``
(``display(Markdown("# ..."), metadata={"dvctt": {"title": "..."}})``), (2) the notebook metadata key
``dvctt.title``, (3) the first level-1 heading in a Markdown cell or a Markdown/HTML output; the caller falls
back to the notebook name, campaign id and period.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from dvctt import paths
from dvctt.errors import RenderError
from dvctt.labels import t
from dvctt.publish import interactive_tables, toc

TEMPLATE_NAME = "dvctt_report"
# Cells with these tags never reach the report: the parameter cells, and notes meant for the analyst.
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell", "remove-from-report"})
REMOVED_OUTPUT_TAGS = frozenset({"remove-output"})

_MD_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_HTML_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    """Text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def _kept_cells(nb: Any) -> Iterator[Any]:
    """Cells that end up in the report (the parameter cells are removed)."""
    for cell in nb.cells:
        if not REMOVED_CELL_TAGS.intersection(cell.get("metadata", {}).get("tags", [])):
            yield cell


def _shown_outputs(cell: Any) -> list[Any]:
    """A kept cell's outputs, unless the cell is tagged to hide them."""
    if REMOVED_OUTPUT_TAGS.intersection(cell.get("metadata", {}).get("tags", [])):
        return []
    return list(cell.get("outputs", []))


def _heading(cell: Any) -> str | None:
    """The first level-1 heading a cell shows, in Markdown source or in a Markdown/HTML output."""
    if cell.cell_type == "markdown":
        match = _MD_H1.search(cell.source)
        return _plain(match.group(1)) if match else None
    for output in _shown_outputs(cell):
        data = output.get("data", {})
        match = _MD_H1.search(data.get("text/markdown", "")) or _HTML_H1.search(data.get("text/html", ""))
        if match:
            return _plain(match.group(1))
    return None


def find_title(nb: Any) -> str | None:
    """The report title chosen by the notebook (see the module docstring for the order)."""
    cells = list(_kept_cells(nb))
    for cell in cells:
        for output in _shown_outputs(cell):
            meta = output.get("metadata", {}).get("dvctt", {})
            if isinstance(meta, dict) and meta.get("title"):
                return str(meta["title"]).strip()
    meta = nb.metadata.get("dvctt", {})
    if isinstance(meta, dict) and meta.get("title"):
        return str(meta["title"]).strip()
    return next((h for h in map(_heading, cells) if h), None)


def _is_stderr(output: Any) -> bool:
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


def _drop_stderr(nb: Any) -> None:
    """Warnings and logs on stderr are for the analyst, not for the leader reading the report."""
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if not _is_stderr(o)]


_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt\s*=)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _report_exporter_class() -> type:
    """nbconvert's HTMLExporter without the BeautifulSoup pass that ends its ``from_notebook_node``: that pass
    parses and re-serialises the whole page (0.2 s a report) to give images without alt text an English
    placeholder and to make ``.jp-Notebook`` outputs focusable, and the dvctt template has no ``.jp-Notebook``
    and gives its images alt text in the report's language (:func:`to_html` covers images from HTML outputs).
    The filters registered first are HTMLExporter's own (nbconvert 7); a test holds the page to the stock one."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, dict[str, Any]]:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


@lru_cache(maxsize=4)
def _exporter(lang: str) -> Any:
    """The report exporter on the dvctt_report template: no inputs, no prompts, parameter cells removed.

    Cached: building it loads the Jinja templates, which a batch would otherwise pay for every report."""
    from traitlets.config import Config

    config = Config(
        {
            "HTMLExporter": {
                "extra_template_basedirs": [str(paths.TEMPLATES_DIR)],
                "template_name": TEMPLATE_NAME,
                "exclude_input": True,
                "exclude_input_prompt": True,
                "exclude_output_prompt": True,
                "exclude_anchor_links": True,
                "embed_images": True,
                "language_code": lang,
            },
            "TagRemovePreprocessor": {
                "enabled": True,
                "remove_cell_tags": set(REMOVED_CELL_TAGS),
                "remove_all_outputs_tags": set(REMOVED_OUTPUT_TAGS),
            },
            # The pygments CSS is for code cells, which the report never shows.
            "CSSHTMLHeaderPreprocessor": {"enabled": False},
        }
    )
    return _report_exporter_class()(config=config)


def warm(lang: str) -> None:
    """Build the exporter and compile its templates ahead of :func:`to_html` (a render calls this in a thread
    while the notebook runs, so the conversion does not start by loading nbconvert and Jinja)."""
    import nbformat

    exporter = _exporter(lang)
    with suppress(Exception):  # an empty notebook lacks the footer: only the loading matters here
        exporter.from_notebook_node(nbformat.v4.new_notebook(), resources={"dvctt": {"lang": lang}})


def to_html(nb: Any, *, footer: Mapping[str, Any], lang: str, title: str, base_dir: Path) -> str:
    """Convert an executed notebook into the report's HTML text."""
    import nbformat

    nb = nbformat.from_dict(nb)
    _drop_stderr(nb)
    resources = {
        "metadata": {"name": title, "path": str(base_dir)},
        "dvctt": {"title": title, "lang": lang, "footer": dict(footer)},
    }
    try:
        body, _ = _exporter(lang).from_notebook_node(nb, resources=resources)
    except Exception as exc:
        raise RenderError(f"Converting the notebook to HTML failed: {type(exc).__name__}: {exc}") from exc
    body = _IMG_WITHOUT_ALT.sub(f'<img alt="{html.escape(t("image.alt", lang))}"', body)
    return interactive_tables.add_interactive_tables(toc.add_toc(body, t("toc.title", lang)), lang)
