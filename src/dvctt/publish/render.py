"""Render a campaign notebook into one self-contained HTML report.

Pipeline: read ``campaign.toml`` and check the parameters -> execute the notebook with Papermill in a fresh
temporary working directory -> convert it with nbconvert and the lean ``dvctt_report`` template (no code, no
prompts, no parameter cells, no stderr, images as data URIs) and add a table of contents built from the h2
headings -> refuse HTML that mentions a local path or a secret environment value -> keep the executed notebook
for audit, scrubbed of local folders (``<stem>.ipynb``) -> write the report tables as CSV and as one Excel
workbook (``<stem>.xlsx``) -> move everything into the output folder with ``os.replace`` -> update
``manifest.json`` and ``index.html``.

Apart from the render time (``<meta name="dvctt:rendered-at">`` and the footer's ``<time>``), the HTML and CSV
files depend only on the inputs: rendering twice gives the same bytes.

Everything is built in a staging folder next to the output folder, so a failed run leaves the last good
report untouched and keeps the failed executed notebook in ``<out>/_failed/`` for debugging.

Cells tagged ``parameters``, ``injected-parameters``, ``remove-cell`` or ``remove-from-report`` are removed;
``remove-output`` drops a cell's outputs. Code inputs and prompts are never shown.

Report title: the first of (1) an output whose display metadata carries ``{"dvctt": {"title": ...}}``
(``display(Markdown("# ..."), metadata={"dvctt": {"title": "..."}})``), (2) the notebook metadata key
``dvctt.title``, (3) the first level-1 heading in a Markdown cell or a Markdown/HTML output, (4) the notebook
name, campaign id and period.

Why this module is long: it is being split by concern (issue 9): spec, execution, conversion, checks,
manifest.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dvctt import paths
from dvctt.campaign import provenance
from dvctt.campaign.definition import check_lang
from dvctt.errors import CampaignDefinitionError, DvcttError, ParameterError, RenderError
from dvctt.labels import t
from dvctt.publish import cleanup, excel, sharing, toc
from dvctt.report import data as report_data
from dvctt.report.formatting import without_float_noise
from dvctt.safe_text import safe_frame

KERNEL_NAME = "python3"
TEMPLATE_NAME = "dvctt_report"
# Cells with these tags never reach the report: the parameter cells, and notes meant for the analyst.
REMOVED_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell", "remove-from-report"})
REMOVED_OUTPUT_TAGS = frozenset({"remove-output"})
TABLES_DIRNAME = "tables"
FAILED_DIRNAME = "_failed"
MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]*")
_MD_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_HTML_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class CampaignSpec:
    """The few campaign.toml keys rendering needs."""

    folder: Path
    id: str
    default_period: str | None
    periods: tuple[str, ...]
    synthetic: bool = False

    @property
    def shipped(self) -> bool:
        """Shipped campaigns are passed to the notebook by id, so the injected value is never a path."""
        shipped = paths.CAMPAIGNS_DIR / self.id
        return shipped.is_dir() and shipped.resolve() == self.folder.resolve()

    @property
    def notebook_argument(self) -> str:
        """What the notebook receives as ``campaign``: the id if shipped, else the absolute folder path."""
        return self.id if self.shipped else str(self.folder.resolve())


@dataclass(frozen=True)
class RenderResult:
    """Where one render put its files, and what it rendered."""

    html_path: Path
    table_paths: tuple[Path, ...]
    index_path: Path
    manifest_path: Path
    campaign_id: str
    period: str
    lang: str
    title: str
    data_hash: str
    rendered_at: str
    workbook_path: Path | None = None
    notebook_path: Path | None = None


# --------------------------------------------------------------------------------------------- parameters


def load_campaign(campaign: str | os.PathLike[str]) -> CampaignSpec:
    """Resolve the campaign folder and read the keys that decide which periods are valid."""
    folder = paths.campaign_dir(campaign)
    toml_path = folder / "campaign.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CampaignDefinitionError(f"campaign.toml of {folder.name!r} is not valid TOML: {exc}") from exc
    campaign_id = data.get("id")
    if not isinstance(campaign_id, str) or not _SAFE_NAME.match(campaign_id):
        raise CampaignDefinitionError(
            f"campaign.toml of {folder.name!r} needs an `id` made of letters, digits, '-', '_' or '.', "
            f"got {campaign_id!r}."
        )
    periods = tuple(p.get("id") for p in data.get("periods", []) if isinstance(p, dict))
    if not periods or not all(isinstance(p, str) and _SAFE_NAME.match(p) for p in periods):
        raise CampaignDefinitionError(
            f"campaign.toml of {campaign_id!r} needs at least one [[periods]] table, each with an `id` "
            f"made of letters, digits, '-', '_' or '.'; got {list(periods)!r}."
        )
    default = data.get("default_period")
    return CampaignSpec(
        folder=folder,
        id=campaign_id,
        default_period=default if isinstance(default, str) else None,
        periods=periods,
        synthetic=bool(data.get("synthetic", False)),
    )


def resolve_period(spec: CampaignSpec, period: str | None) -> str:
    """The requested period, or the campaign's default; reject anything campaign.toml does not define."""
    chosen = period if period is not None else spec.default_period
    if chosen is None:
        raise ParameterError(
            f"Campaign {spec.id!r} has no default_period; choose one of these periods: {', '.join(spec.periods)}."
        )
    if chosen not in spec.periods:
        raise ParameterError(
            f"Period {chosen!r} is not defined for campaign {spec.id!r}. Valid periods: {', '.join(spec.periods)}."
        )
    return chosen


def find_notebook(notebook: str, notebook_dir: Path) -> Path:
    """``notebooks/<notebook>.ipynb``; a missing name lists the notebooks that exist."""
    name = notebook.removesuffix(".ipynb")
    path = notebook_dir / f"{name}.ipynb"
    if not _SAFE_NAME.match(name) or not path.is_file():
        available = sorted(p.stem for p in notebook_dir.glob("*.ipynb"))
        raise ParameterError(
            f"Notebook {name!r} not found in {notebook_dir}. Available: {', '.join(available) or 'none'}."
        )
    return path


# ---------------------------------------------------------------------------------------------- execution


def _first_line(source: str) -> str:
    """The first non-blank source line, shortened: enough to find the cell in Jupyter."""
    line = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
    return line if len(line) <= 100 else line[:97] + "..."


def _source_cell_index(source: Path, executed_index: int) -> int | None:
    """Map an index in the executed notebook back to the source notebook (Papermill inserts one cell)."""
    import nbformat

    cells = nbformat.read(source, as_version=4).cells
    tags = [c.get("metadata", {}).get("tags", []) for c in cells]
    if any("injected-parameters" in t for t in tags):  # Papermill replaced it in place: no shift
        return executed_index
    tagged = [i for i, t in enumerate(tags) if "parameters" in t]
    injected = tagged[0] + 1 if tagged else 0
    if executed_index == injected:
        return None
    return executed_index - 1 if executed_index > injected else executed_index


def _describe_cell_failure(source: Path, exc: Any) -> str:
    """One paragraph naming the notebook, the cell (index and first line) and the exception."""
    index = _source_cell_index(source, exc.cell_index)
    where = "the injected-parameters cell" if index is None else f"cell {index} (counting from 0)"
    return (
        f"Notebook {source.name} failed in {where}, which starts with {_first_line(exc.source)!r}: "
        f"{exc.ename}: {exc.evalue}"
    )


@contextmanager
def _ipc_kernel() -> Iterator[Any]:
    """A kernel manager on Unix-socket (IPC) transport in its own short temporary folder (socket paths are
    limited to ~100 characters), started by Papermill and always shut down here. On Windows, where IPC is not
    available, the ordinary manager (TCP on localhost)."""
    from jupyter_client import KernelManager

    folder = tempfile.mkdtemp(prefix=cleanup.prefix("dvctt-kernel-"))
    transport = {"transport": "ipc", "ip": os.path.join(folder, "kernel")} if os.name == "posix" else {}
    km = KernelManager(kernel_name=KERNEL_NAME, **transport)
    try:
        yield km
    finally:
        with suppress(Exception):
            if km.has_kernel:
                km.shutdown_kernel(now=True)
        shutil.rmtree(folder, ignore_errors=True)


def _execute(source: Path, executed: Path, parameters: dict[str, str], cwd: Path, km: Any = None) -> Any:
    """Run the notebook with Papermill from ``cwd`` (a throwaway folder) and return the executed notebook.

    ``km``: a running kernel manager to reuse (batch rendering keeps one warm kernel per worker); without it a
    fresh kernel is started on Unix sockets (so the kernel never warns about unencrypted TCP) and stopped after.
    """
    if km is None:
        with _ipc_kernel() as own:
            return _execute(source, executed, parameters, cwd, km=own)
    import papermill
    from papermill.exceptions import PapermillExecutionError

    reuse = {"km": km}
    try:
        return papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            **reuse,
        )
    except PapermillExecutionError as exc:
        raise RenderError(_describe_cell_failure(source, exc)) from exc
    except Exception as exc:  # kernel missing or dead, timeout, unreadable notebook ...
        reason = f"{type(exc).__name__}: {exc}"
        raise RenderError(f"Notebook {source.name} could not be executed: {reason}") from exc


# --------------------------------------------------------------------------------------------- conversion


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


@lru_cache(maxsize=4)
def _exporter(lang: str) -> Any:
    """HTMLExporter on the dvctt_report template: no inputs, no prompts, parameter cells removed.

    Cached: building it loads the Jinja templates, which a batch would otherwise pay for every report."""
    from nbconvert import HTMLExporter
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
    return HTMLExporter(config=config)


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
    return toc.add_toc(body, t("toc.title", lang))


def check_no_local_paths(text: str, forbidden: Mapping[str, Path], what: str = "rendered HTML") -> None:
    """Raise RenderError if the text mentions a local folder: reports are e-mailed outside the office.

    Base64 data URIs are ignored (they can spell ``/root`` by chance); a match must be a whole path
    component, so ``/work/main`` does not match ``/work/mainframe``.
    """
    scrubbed = _DATA_URI.sub("", text)
    leaks = []
    for label, path in forbidden.items():
        for variant in sharing.path_variants(path):
            if re.search(rf"(?<![\w.-]){re.escape(variant)}(?![\w.-])", scrubbed):
                leaks.append(f"{label} ({variant})")
                break
    if leaks:
        raise RenderError(
            f"The {what} mentions local paths: {'; '.join(leaks)}. Reports are shared outside this "
            "computer; make the notebook show campaign ids and file names instead of folders."
        )


def _machine_folders() -> dict[str, Path]:
    """Folders of this machine that say whose it is: home, temporary files, a virtual environment."""
    found = {"temporary folder": Path(tempfile.gettempdir())}
    with suppress(RuntimeError):  # no HOME
        found["home directory"] = Path.home()
    if sys.prefix != sys.base_prefix:  # a venv lives in the analyst's space; a system prefix (/usr) says nothing
        found["Python environment"] = Path(sys.prefix)
    return found


def _forbidden_paths(spec: CampaignSpec, **extra: Path) -> dict[str, Path]:
    """Folders whose names must never appear in a report."""
    found = {"project root": paths.PROJECT_ROOT, "campaign folder": spec.folder, **_machine_folders()}
    found.update(extra)
    return found


# What each local folder becomes in the audit notebook (the campaign folder becomes the campaign id).
FOLDER_TOKENS = {
    "project root": "<project>",
    "temporary folder": "<tmp>",
    "home directory": "~",
    "Python environment": "<python>",
    "staging folder": "<out>",
    "output folder": "<out>",
    "working folder": "<cwd>",
}


def _path_tokens(spec: CampaignSpec, folders: Mapping[str, Path]) -> dict[Path, str]:
    """Local folder -> neutral token; nested folders get their own (replacements are longest first)."""
    found = {"project root": paths.PROJECT_ROOT, **_machine_folders(), **folders}
    return {**{path: FOLDER_TOKENS.get(label, "<local>") for label, path in found.items()}, spec.folder: spec.id}


def _write_audit_notebook(
    executed: Any,
    *,
    source: Path,
    spec: CampaignSpec,
    parameters: Mapping[str, str],
    target: Path,
    folders: Mapping[str, Path],
    secrets: Mapping[str, str],
) -> None:
    """Save the executed notebook beside the report, for audit: campaign by id, no local folder, no secret."""
    import nbformat

    clean = sharing.audit_notebook(
        executed,
        parameters={**parameters, "campaign": spec.id},
        source_name=source.name,
        saved_as=target.name,
        rules=sharing.replacements(_path_tokens(spec, folders)),
        secrets=secrets,
    )
    readable = sharing.text_without_binary(clean)
    check_no_local_paths(readable, _forbidden_paths(spec, **folders), what="executed notebook")
    sharing.check_no_secrets(readable, secrets, "executed notebook")
    target.write_text(nbformat.writes(clean), encoding="utf-8")


# ------------------------------------------------------------------------------------------------ outputs


def _build_tables(build: Callable[[str, str], Mapping[str, Any]], campaign: str, period: str) -> Mapping[str, Any]:
    """The report tables, computed once for the CSV files and the workbook."""
    try:
        return build(campaign, period)
    except DvcttError:
        raise
    except Exception as exc:
        raise RenderError(f"Building the report tables failed: {type(exc).__name__}: {exc}") from exc


def _write_tables(staging: Path, frames: Mapping[str, Any], period: str) -> list[Path]:
    """Write the non-empty report tables as CSV (UTF-8 with BOM so Excel on Windows shows the diacritics, 10
    significant digits so no float noise, no index) into ``tables/<period>/``, so that two periods rendered
    into one folder never overwrite each other's tables; return paths relative to staging. A table with no row
    is not written: a header-only file tells nobody anything."""
    if not _SAFE_NAME.match(period):
        raise RenderError(f"Period id {period!r} cannot be used as a folder name.")
    (staging / TABLES_DIRNAME / period).mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in frames.items():
        if not _SAFE_NAME.match(str(key)):
            raise RenderError(f"Report table name {key!r} cannot be used as a file name.")
        if frame.empty:
            continue
        relative = Path(TABLES_DIRNAME) / period / f"{key}.csv"
        safe_frame(without_float_noise(frame)).to_csv(  # whoever built the table, no cell is a formula
            staging / relative, index=False, encoding=report_data.CSV_ENCODING, lineterminator="\n"
        )
        written.append(relative)
    return written


def _write_workbook(staging: Path, frames: Mapping[str, Any], stem: str, footer: Mapping[str, Any]) -> Path:
    """The same tables as one Excel workbook in the report's language; returns its path relative to staging."""
    relative = Path(f"{stem}.xlsx")
    try:
        excel.write_workbook(frames, staging / relative, footer["lang"], about=footer)
    except Exception as exc:
        raise RenderError(f"Writing the Excel workbook failed: {type(exc).__name__}: {exc}") from exc
    return relative


@contextmanager
def _staging_dir(out_dir: Path) -> Iterator[Path]:
    """A scratch folder on the same file system as ``out_dir`` so that os.replace is atomic."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=cleanup.staging_prefix(out_dir, "render"), dir=out_dir.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _promote(staging: Path, out_dir: Path, relative: list[Path]) -> list[Path]:
    """Move finished files into place; each replacement is atomic."""
    placed = []
    for rel in relative:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
        placed.append(target)
    return placed


def _keep_failed(staging: Path, out_dir: Path, stem: str) -> list[Path]:
    """Copy the failed executed notebook (and HTML, if any) to ``_failed/`` so the analyst can open it."""
    kept = []
    for suffix in (".ipynb", ".html"):
        source = staging / f"{stem}{suffix}"
        if source.is_file():
            target = out_dir / FAILED_DIRNAME / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            kept.append(target)
    return kept


def _scrub_failed(
    staging: Path, stem: str, spec: CampaignSpec, out_dir: Path, source: Path, parameters: Mapping[str, str]
) -> None:
    """A failed run is kept for debugging, but like a published one: local folders replaced by tokens (in the
    traceback too), secret values redacted — a report refused for showing a secret is never kept as it was."""
    import nbformat

    secrets = sharing.secret_values()
    rules = sharing.replacements(_path_tokens(spec, {"staging folder": staging, "output folder": out_dir}))
    notebook, page = staging / f"{stem}.ipynb", staging / f"{stem}.html"
    try:
        if notebook.is_file():
            executed = nbformat.read(notebook, as_version=4)
            clean = sharing.audit_notebook(
                executed, parameters=parameters, source_name=source.name, saved_as=notebook.name, rules=rules,
                secrets=secrets,
            )  # fmt: skip
            notebook.write_text(nbformat.writes(clean), encoding="utf-8")
        if page.is_file():
            page.write_text(sharing.scrub_text(page.read_text(encoding="utf-8"), rules, secrets), encoding="utf-8")
    except Exception:  # noqa: BLE001 - an unreadable leftover is not worth keeping unscrubbed
        notebook.unlink(missing_ok=True)
        page.unlink(missing_ok=True)


def _existing_tables(out_dir: Path, entry: dict[str, Any]) -> dict[str, Any]:
    if "tables" not in entry:
        return entry
    return {**entry, "tables": [t for t in entry["tables"] if (out_dir / t).is_file()]}


def _write_text_atomic(path: Path, text: str) -> None:
    """Readers never see a half-written manifest or index."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------------------------------ manifest and index


def _dvctt_meta(head: str) -> dict[str, str]:
    """The ``dvctt:*`` meta tags, whatever the attribute order (nbconvert re-serialises them alphabetically)."""
    found = {}
    for tag in _META_TAG.findall(head):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("name", "").startswith("dvctt:") and "content" in attrs:
            found[attrs["name"].removeprefix("dvctt:")] = attrs["content"]
    return found


def _entry_from_html(path: Path) -> dict[str, Any] | None:
    """Recover a manifest entry from the ``dvctt:*`` meta tags every report carries."""
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    meta = _dvctt_meta(head)
    if "campaign" not in meta:
        return None
    title = _TITLE.search(head)
    workbook = path.with_suffix(".xlsx")
    return {
        "file": path.name,
        **({"workbook": workbook.name} if workbook.is_file() else {}),
        "title": html.unescape(title.group(1)).strip() if title else path.stem,
        "campaign": meta["campaign"],
        "period": meta.get("period", ""),
        "lang": meta.get("lang", ""),
        "rendered_at": meta.get("rendered-at", ""),
        "data_hash": meta.get("data-hash", ""),
        "status": "ok",
    }


def load_manifest(out_dir: Path) -> list[dict[str, Any]]:
    """The manifest's report entries; rebuilt from the reports' meta tags if the file is missing or broken."""
    path = out_dir / MANIFEST_NAME
    if path.is_file():
        try:
            reports = json.loads(path.read_text(encoding="utf-8"))["reports"]
            if isinstance(reports, list) and all(isinstance(r, dict) and "file" in r for r in reports):
                return reports
        except (ValueError, KeyError, TypeError):
            pass
    found = (_entry_from_html(p) for p in sorted(out_dir.glob("*.html")) if p.name != INDEX_NAME)
    return [e for e in found if e is not None]


def _upsert(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Replace the entry for the same file, or add it."""
    return [e for e in entries if e.get("file") != entry["file"]] + [entry]


def _sort_key(entry: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(entry.get(k, "")) for k in ("campaign", "period", "lang", "file"))


def rebuild_index(out_dir: Path, entries: list[dict[str, Any]] | None = None) -> Path:
    """Write ``manifest.json`` and ``index.html`` listing every report in ``out_dir``."""
    import jinja2

    import dvctt

    entries = load_manifest(out_dir) if entries is None else entries
    kept = sorted((e for e in entries if e.get("status") == "failed" or (out_dir / e["file"]).is_file()), key=_sort_key)
    kept = [_existing_tables(out_dir, e) for e in kept]  # the manifest lists only files that are there
    manifest = {"generator": f"dvctt {dvctt.__version__}", "reports": kept}
    _write_text_atomic(out_dir / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR / TEMPLATE_NAME),
        autoescape=True,
        keep_trailing_newline=True,
    )
    page = env.get_template("listing.html.j2").render(reports=kept, version=dvctt.__version__)
    index = out_dir / INDEX_NAME
    _write_text_atomic(index, page)
    _link_related(out_dir, kept)
    return index


def _link_related(out_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Refresh every listed report's links to the index and to its related reports (campaign ↔ progress ↔
    unit), so a report rendered before its siblings links them once they exist."""
    for entry in entries:
        path = out_dir / entry["file"]
        if entry.get("status", "ok") != "ok" or not path.is_file():
            continue
        page = path.read_text(encoding="utf-8")
        if toc.RELATED_START not in page:
            continue  # a report from an older dvctt: left as it is
        lang = entry.get("lang") if entry.get("lang") in ("vi", "en") else "vi"
        linked = toc.with_related(page, toc.related_links(entry, entries, lang))
        if linked != page:
            _write_text_atomic(path, linked)


def _record_failure(out_dir: Path, entry: dict[str, Any], message: str) -> None:
    """Flag the report in the manifest: ``stale`` if an older good file remains, else ``failed``."""
    entries = load_manifest(out_dir)
    previous = next((e for e in entries if e.get("file") == entry["file"]), None)
    if previous is not None and (out_dir / entry["file"]).is_file():
        updated = {**previous, "status": "stale", "failed_at": entry["rendered_at"], "error": message}
    else:
        updated = {**entry, "status": "failed", "error": message}
    rebuild_index(out_dir, _upsert(entries, updated))


# ------------------------------------------------------------------------------------------------- render


def _build_html(
    source: Path,
    spec: CampaignSpec,
    footer: Mapping[str, Any],
    staging: Path,
    out_dir: Path,
    stem: str,
    *,
    extra_parameters: Mapping[str, str] | None = None,
    km: Any = None,
) -> str:
    """Execute and convert into ``staging/<stem>.html``; return the title. Raises RenderError on failure."""
    parameters = {"campaign": spec.notebook_argument, "period": footer["period"], "lang": footer["lang"]}
    parameters.update(extra_parameters or {})
    secrets = sharing.secret_values()
    notebook = staging / f"{stem}.ipynb"
    with tempfile.TemporaryDirectory(prefix=cleanup.prefix("dvctt-cwd-")) as cwd:
        executed = _execute(source, notebook, parameters, Path(cwd), km=km)
        title = find_title(executed) or f"{source.stem} — {spec.id} — {footer['period']}"
        text = to_html(executed, footer=footer, lang=footer["lang"], title=title, base_dir=source.parent)
        (staging / f"{stem}.html").write_text(text, encoding="utf-8")
        folders = {"staging folder": staging, "working folder": Path(cwd), "output folder": out_dir}
        check_no_local_paths(text, _forbidden_paths(spec, **folders))
        sharing.check_no_secrets(text, secrets, "rendered HTML")
        _write_audit_notebook(
            executed, source=source, spec=spec, parameters=parameters, target=notebook, folders=folders, secrets=secrets
        )
    return title


@dataclass(frozen=True)
class StagedReport:
    """A report executed, converted and checked in a scratch folder, waiting to be published."""

    staging: Path
    entry: dict[str, Any]
    files: tuple[Path, ...]  # relative to staging: tables..., workbook, executed notebook, html (last)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def report_stem(notebook: str, period: str, lang: str, subject: str = "") -> str:
    """``<notebook>_<period>_<lang>``, or ``<notebook>_<subject>_<period>_<lang>`` for one unit's report."""
    return "_".join(part for part in (notebook, subject, period, lang) if part)


def stage_report(
    spec: CampaignSpec,
    source: Path,
    *,
    period: str,
    lang: str,
    staging: Path,
    out_dir: Path,
    stem: str,
    extra_parameters: Mapping[str, str] | None = None,
    tables: Callable[[str, str], Mapping[str, Any]] | None = None,
    tables_prefix: str = "",
    km: Any = None,
) -> StagedReport:
    """Execute, convert, check and write one report into ``staging``; never touches ``out_dir``.

    A failure is returned (``error`` set, the executed notebook kept in staging) rather than raised, so a
    batch can go on with the other reports.
    """
    footer = provenance.footer_info(
        campaign_id=spec.id,
        period=period,
        lang=lang,
        data_hash=provenance.data_hash(spec.folder),
        synthetic=spec.synthetic,
    )
    entry = {
        "file": f"{stem}.html",
        "title": stem,
        "campaign": spec.id,
        "period": period,
        "lang": lang,
        "rendered_at": footer["rendered_at"],
        "data_hash": footer["data_hash"],
        "dvctt_version": footer["version"],
        "notebook": source.name,
        "executed_notebook": f"{stem}.ipynb",
        "workbook": f"{stem}.xlsx",
        "status": "ok",
    }
    staging.mkdir(parents=True, exist_ok=True)
    try:
        entry["title"] = _build_html(
            source, spec, footer, staging, out_dir, stem, extra_parameters=extra_parameters, km=km
        )
        frames = _build_tables(tables or report_data.build_report_tables, spec.notebook_argument, period)
        if tables_prefix:
            frames = {f"{tables_prefix}_{name}": frame for name, frame in frames.items()}
        written = _write_tables(staging, frames, period)
        workbook = _write_workbook(staging, frames, stem, footer)
    except RenderError as exc:
        parameters = {"campaign": spec.id, "period": period, "lang": lang, **(extra_parameters or {})}
        _scrub_failed(staging, stem, spec, out_dir, source, parameters)
        return StagedReport(staging, entry, (), error=str(exc))
    entry["tables"] = [p.as_posix() for p in written]
    return StagedReport(staging, entry, (*written, workbook, Path(entry["executed_notebook"]), Path(entry["file"])))


def publish_failure(staged: StagedReport, out_dir: Path) -> str:
    """Keep the failed run for debugging and flag the report in the manifest; returns the full message."""
    kept: list[Path] = []
    stem = Path(staged.entry["file"]).stem
    with suppress(OSError):  # bookkeeping must never hide the real error
        kept = _keep_failed(staged.staging, out_dir, stem)
        _record_failure(out_dir, dict(staged.entry), staged.error)
    text = staged.error.rstrip()
    text += "" if text.endswith((".", "!", "?")) else "."
    where = f" The failed run is saved in {kept[0].parent} for debugging." if kept else ""
    return f"{text}{where} The previous report, if any, was left unchanged."


def render_report(
    campaign: str | os.PathLike[str],
    *,
    period: str | None = None,
    lang: str = "vi",
    out_dir: Path | None = None,
    notebook: str = "campaign_report",
    notebook_dir: Path | None = None,
    extra_parameters: Mapping[str, str] | None = None,
    subject: str = "",
) -> RenderResult:
    """Execute ``<notebook_dir>/<notebook>.ipynb`` for one campaign, period and language and publish it.

    Writes ``<out_dir>/<stem>.html`` (``<stem>`` = ``<notebook>_<period>_<lang>``), the executed notebook
    ``<stem>.ipynb`` (scrubbed, for audit), the workbook ``<stem>.xlsx``, ``<out_dir>/tables/<period>/<table>.csv``,
    ``manifest.json`` and ``index.html``. Raises ParameterError before any work if a parameter is invalid,
    RenderError (previous outputs untouched) if the notebook, the conversion or a path or secret check fails.
    """
    spec = load_campaign(campaign)
    period = resolve_period(spec, period)
    lang = check_lang(lang)
    source = find_notebook(notebook, Path(notebook_dir) if notebook_dir else paths.NOTEBOOKS_DIR)
    out_dir = Path(out_dir) if out_dir is not None else paths.default_output_dir(spec.id)
    out_dir = out_dir.expanduser().resolve()
    stem = report_stem(source.stem, period, lang, subject)
    cleanup.sweep(out_dir)  # scratch folders of killed runs
    with _staging_dir(out_dir) as staging:
        staged = stage_report(
            spec, source, period=period, lang=lang, staging=staging, out_dir=out_dir, stem=stem,
            extra_parameters=extra_parameters,
        )  # fmt: skip
        if not staged.ok:
            raise RenderError(publish_failure(staged, out_dir))
        *table_paths, workbook_path, notebook_path, html_path = _promote(staging, out_dir, list(staged.files))
    entry = {**staged.entry, "tables": [p.relative_to(out_dir).as_posix() for p in table_paths]}
    index = rebuild_index(out_dir, _upsert(load_manifest(out_dir), entry))
    return RenderResult(
        html_path=html_path,
        table_paths=tuple(table_paths),
        workbook_path=workbook_path,
        notebook_path=notebook_path,
        index_path=index,
        manifest_path=out_dir / MANIFEST_NAME,
        campaign_id=spec.id,
        period=period,
        lang=lang,
        title=entry["title"],
        data_hash=entry["data_hash"],
        rendered_at=entry["rendered_at"],
    )
