"""The output folder's bookkeeping: moving finished files into place, ``manifest.json`` and ``index.html``.

The manifest is the list of reports in a folder with their status (``ok``, ``stale`` when a newer render failed
and the last good file stays, ``failed``). If it is lost, it is rebuilt from the ``dvctt:*`` meta tags every
report carries. Both files are written atomically, so a reader never sees half of one.

Every file the manifest names must lie inside the output folder (:func:`dvctt.paths.inside`): an entry naming
``../victim/page.html`` or an absolute path is dropped from the listing, never read, rewritten or linked, and a
``tables/`` or ``_failed/`` linked elsewhere is refused rather than written through.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dvctt import paths
from dvctt.campaign import provenance
from dvctt.labels import LABELS, LANGS, t
from dvctt.publish import toc
from dvctt.publish.convert import TEMPLATE_NAME

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
FAILED_DIRNAME = "_failed"

_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def promote(staging: Path, out_dir: Path, relative: list[Path]) -> list[Path]:
    """Move finished files from ``staging`` into ``out_dir`` (same file system); each replacement is atomic.
    Every target is checked inside ``out_dir`` before the first one moves."""
    targets = [paths.inside(out_dir, Path(rel).as_posix()) for rel in relative]
    placed = []
    for rel, target in zip(relative, targets, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
        placed.append(target)
    return placed


def keep_failed(staging: Path, out_dir: Path, stem: str) -> list[Path]:
    """Copy the failed executed notebook (and HTML, if any) to ``_failed/`` so the analyst can open it."""
    kept = []
    for suffix in (".ipynb", ".html"):
        source = staging / f"{stem}{suffix}"
        if source.is_file():
            target = paths.inside(out_dir, f"{FAILED_DIRNAME}/{source.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            kept.append(target)
    return kept


def _dvctt_meta(head: str) -> dict[str, str]:
    """The ``dvctt:*`` meta tags, whatever the attribute order (older reports have it alphabetical)."""
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
        "campaign_label": meta.get("campaign-label", ""),
        "period_label": meta.get("period-label", ""),
        "rendered_at": meta.get("rendered-at", ""),
        "data_hash": meta.get("data-hash", ""),
        "status": "ok",
    }


def _inside_entry(out_dir: Path, entry: Any) -> dict[str, Any] | None:
    """The entry when the files it names lie inside ``out_dir`` (tables elsewhere are left out), else None: a
    planted ``"file": "../victim/page.html"`` must never be read, rewritten or linked from the index."""
    if not isinstance(entry, dict) or not paths.is_inside(out_dir, entry.get("file")):
        return None
    if any(key in entry and not paths.is_inside(out_dir, entry[key]) for key in ("workbook", "executed_notebook")):
        return None
    if "tables" in entry:
        tables = entry["tables"] if isinstance(entry["tables"], list) else []
        entry = {**entry, "tables": [t for t in tables if paths.is_inside(out_dir, t)]}
    return entry


def listed(out_dir: Path, entries: list[Any]) -> list[dict[str, Any]]:
    """The entries whose files lie inside ``out_dir``; the others are dropped."""
    return [e for e in (_inside_entry(out_dir, entry) for entry in entries) if e is not None]


def load_manifest(out_dir: Path) -> list[dict[str, Any]]:
    """The manifest's report entries; rebuilt from the reports' meta tags if the file is missing or broken."""
    path = out_dir / MANIFEST_NAME
    if path.is_file():
        try:
            reports = json.loads(path.read_text(encoding="utf-8"))["reports"]
            if isinstance(reports, list) and all(isinstance(r, dict) and "file" in r for r in reports):
                return listed(out_dir, reports)
        except (ValueError, KeyError, TypeError):
            pass
    pages = (p for p in sorted(out_dir.glob("*.html")) if p.name != INDEX_NAME and paths.is_inside(out_dir, p.name))
    return [e for e in (_entry_from_html(p) for p in pages) if e is not None]


def upsert(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """A new list with the entry for the same file replaced, or the entry added."""
    return [e for e in entries if e.get("file") != entry["file"]] + [entry]


def _existing_tables(out_dir: Path, entry: dict[str, Any]) -> dict[str, Any]:
    if "tables" not in entry:
        return entry
    return {**entry, "tables": [t for t in entry["tables"] if paths.inside(out_dir, t).is_file()]}


def _sort_key(entry: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(entry.get(k, "")) for k in ("campaign", "period", "lang", "file"))


_LISTING_WORDS = sorted(key.removeprefix("listing.") for key in LABELS if key.startswith("listing."))


def listing_langs(entries: list[dict[str, Any]]) -> tuple[str, ...]:
    """The languages the index speaks: those of the reports it lists (Vietnamese first), Vietnamese when none.
    A folder of Vietnamese reports gets a Vietnamese index; only a folder holding both gets both."""
    found = {e.get("lang") for e in entries}
    return tuple(lang for lang in LANGS if lang in found) or ("vi",)


def listing_words(langs: tuple[str, ...]) -> dict[str, str]:
    """The index's words from the translation table, side by side ("Báo cáo / Report") only when bilingual."""
    return {key: " / ".join(t(f"listing.{key}", lang) for lang in langs) for key in _LISTING_WORDS}


def _shown(entry: dict[str, Any], listing_lang: str) -> dict[str, Any]:
    """An entry as the index shows it: the campaign's name, the period's label and the language's name, never
    their ids (a report from an older dvctt carries no labels: its ids are all there is)."""
    lang = entry.get("lang", "")
    return {
        **entry,
        "campaign_shown": entry.get("campaign_label") or entry.get("campaign", ""),
        "period_shown": entry.get("period_label") or entry.get("period", ""),
        "lang_shown": t(f"lang.{lang}", lang) if lang in LANGS else lang,
        "rendered_shown": provenance.shown_time(entry.get("rendered_at", ""), listing_lang),
    }


def rebuild_index(out_dir: Path, entries: list[dict[str, Any]] | None = None) -> Path:
    """Write ``manifest.json`` and ``index.html`` listing every report in ``out_dir``."""
    import jinja2

    import dvctt

    entries = load_manifest(out_dir) if entries is None else listed(out_dir, entries)
    kept = sorted((e for e in entries if e.get("status") == "failed" or (out_dir / e["file"]).is_file()), key=_sort_key)
    kept = [_existing_tables(out_dir, e) for e in kept]  # the manifest lists only files that are there
    manifest = {"generator": f"dvctt {dvctt.__version__}", "reports": kept}
    paths.write_text_atomic(out_dir / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR / TEMPLATE_NAME),
        autoescape=True,
        keep_trailing_newline=True,
    )
    langs = listing_langs(kept)
    page = env.get_template("listing.html.j2").render(
        reports=[_shown(e, langs[0]) for e in kept],
        version=dvctt.__version__,
        words=listing_words(langs),
        lang=langs[0],
    )
    index = out_dir / INDEX_NAME
    paths.write_text_atomic(index, page)
    _link_related(out_dir, kept)
    return index


def _link_related(out_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Refresh every listed report's links to the index and to its related reports (campaign ↔ progress ↔
    unit), so a report rendered before its siblings links them once they exist."""
    for entry in entries:
        path = paths.inside(out_dir, entry["file"])  # rebuild_index listed only entries inside
        if entry.get("status", "ok") != "ok" or not path.is_file():
            continue
        page = path.read_text(encoding="utf-8")
        if toc.RELATED_START not in page:
            continue  # a report from an older dvctt: left as it is
        lang = entry.get("lang") if entry.get("lang") in ("vi", "en") else "vi"
        linked = toc.with_related(page, toc.related_links(entry, entries, lang))
        if linked != page:
            paths.write_text_atomic(path, linked)


def record_failure(out_dir: Path, entry: dict[str, Any], message: str) -> list[dict[str, Any]]:
    """Flag the report in the manifest: ``stale`` if an older good file remains, else ``failed``.

    Returns the updated entries (already written with the index)."""
    entries = load_manifest(out_dir)
    previous = next((e for e in entries if e.get("file") == entry["file"]), None)
    if previous is not None and (out_dir / entry["file"]).is_file():
        updated = {**previous, "status": "stale", "failed_at": entry["rendered_at"], "error": message}
    else:
        updated = {**entry, "status": "failed", "error": message}
    entries = upsert(entries, updated)
    rebuild_index(out_dir, entries)
    return entries
