"""Long tables a reader can sort and search, in a page that stays self-contained and works offline.

A report's long tables (units ranked, gaps, the index's communes: ``table.dvctt-table`` with at least
:data:`LONG_TABLE_ROWS` body rows) get DataTables, the library itables ships for its offline mode (its
``dt_bundle.js`` and ``dt_bundle.css``, read from the installed package: nothing is downloaded, at run time or
when the page is opened). The bundle is embedded once per page as inert text and imported from a Blob URL, as
itables' own offline mode does, so it runs from ``file://`` and from an e-mail attachment.

What a reader without JavaScript, or a printer, gets is the plain table: the markup is unchanged, the controls
are added by the script and hidden in print, and a search is cleared before printing so every row prints.
Numbers written the Vietnamese way ("92,79%", "42.839", "—" for no figure) sort as numbers (a sort type of ours).
A page with no long table gets nothing: no script, no weight.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from dvctt.labels import t

LONG_TABLE_ROWS = 10
SCRIPT_IDS = ("dvctt-datatables", "dvctt-tables-init")  # the only scripts a report carries
_TABLE = re.compile(r'<table class="dvctt-table"(?P<attrs>[^>]*)>(?P<body>.*?)</table>', re.DOTALL)
_BODY_ROW = re.compile(r"<tbody>(.*?)</tbody>", re.DOTALL)

_PRINT_CSS = """
@media print {
  .dt-container .dt-layout-row:not(.dt-layout-table), .dt-column-order { display: none !important; }
}
.dt-container .dt-search input { margin-left: .4em; }
table.dvctt-table.dataTable thead th { cursor: pointer; }
"""

# The page's own start-up: import the embedded bundle, a sort type for Vietnamese numbers, one DataTable per
# long table (every row shown: search and sort, no pages), and a search cleared before printing.
_INIT = """
const source = document.getElementById("dvctt-datatables").textContent;
const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
const {default: DataTable} = await import(url);
URL.revokeObjectURL(url);
const plain = d => String(d).replace(/<[^>]*>/g, "").replace(/&nbsp;|\\u00a0/g, " ").trim();
const NUMBER = /^[-+\\u2212]?\\d{1,3}(\\.\\d{3})*(,\\d+)?\\s*%?$|^[-+\\u2212]?\\d+(,\\d+)?\\s*%?$/;
const EMPTY = /^(|[\\u2014\\u2013-])$/;
DataTable.type("num-vi", {
  detect: d => { const s = plain(d); return EMPTY.test(s) || NUMBER.test(s) ? "num-vi" : false; },
  order: {pre: d => { const s = plain(d);
    return EMPTY.test(s) ? -Infinity : parseFloat(s.replace(/\\./g, "").replace(",", ".").replace("\\u2212", "-")); }},
});
const language = __LANGUAGE__;
const tables = [];
document.querySelectorAll("table[data-dvctt-sortable]").forEach(table => {
  tables.push(new DataTable(table, {paging: false, order: [], autoWidth: false, language,
    layout: {topStart: "search", topEnd: "info", bottomStart: null, bottomEnd: null}}));
});
window.addEventListener("beforeprint", () => tables.forEach(dt => dt.search("").draw()));
"""


@cache
def _bundle() -> tuple[str, str]:
    html = resources.files("itables") / "html"
    js = (html / "dt_bundle.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", js, re.IGNORECASE):  # inert text must not end its element early
        js = js.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return js, (html / "dt_bundle.css").read_text(encoding="utf-8")


def _language(lang: str) -> str:
    import json

    words = {
        "search": t("tables.search", lang),
        "info": t("tables.info", lang),
        "infoFiltered": t("tables.info_filtered", lang),
        "infoEmpty": t("tables.info_empty", lang),
        "zeroRecords": t("tables.zero_records", lang),
        "emptyTable": t("tables.zero_records", lang),
    }
    return json.dumps(words, ensure_ascii=False)


def _is_long(body: str) -> bool:
    rows = _BODY_ROW.search(body)
    return rows is not None and rows.group(1).count("<tr") >= LONG_TABLE_ROWS


def mark_long_tables(page: str) -> tuple[str, int]:
    """The page with its long tables marked ``data-dvctt-sortable``, and how many there are."""
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        if not _is_long(match.group("body")):
            return match.group(0)
        count += 1
        return f'<table class="dvctt-table" data-dvctt-sortable{match.group("attrs")}>{match.group("body")}</table>'

    return _TABLE.sub(mark, page), count


def add_interactive_tables(page: str, lang: str) -> str:
    """``page`` with its long tables sortable and searchable (unchanged when it has none)."""
    marked, count = mark_long_tables(page)
    if not count:
        return page
    js, css = _bundle()
    payload = (
        f"<style>{css}{_PRINT_CSS}</style>\n"
        f'<script type="text/plain" id="{SCRIPT_IDS[0]}">{js}</script>\n'
        f'<script type="module" id="{SCRIPT_IDS[1]}">{_INIT.replace("__LANGUAGE__", _language(lang))}</script>\n'
    )
    head, sep, tail = marked.rpartition("</body>")
    return f"{head}{payload}{sep}{tail}" if sep else marked + payload
