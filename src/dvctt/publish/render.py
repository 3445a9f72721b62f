"""Render a report notebook into one self-contained HTML report: the orchestration of the publish modules.

Pipeline: read ``campaign.toml`` (``read_definition``, strict) and check the parameters -> execute the notebook
with Papermill in a fresh temporary working folder (``execute``) -> take the tables and data hash the notebook
handed back (``report.handoff``) -> convert with nbconvert and add a table of contents (``convert``) -> refuse
HTML that mentions a local path or a secret (``sharing``) -> keep the executed notebook for audit, scrubbed
(``<stem>.ipynb``) -> write the report tables as CSV and as one Excel workbook (``<stem>.xlsx``) -> move
everything into the output folder with the ``manifest.json`` and ``index.html`` that list it, in one commit of the
folder that a kill cannot split (``manifest.publish``).

Apart from the render time (``<meta name="dvctt:rendered-at">`` and the footer's ``<time>``), the HTML and CSV
files depend only on the inputs: rendering twice gives the same bytes.

Everything is built in a staging folder next to the output folder, so a failed run leaves the last good
report untouched and keeps the failed executed notebook in ``<out>/_failed/`` for debugging.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvctt import paths
from dvctt.campaign import commit, provenance
from dvctt.campaign.definition import CampaignDefinition, read_definition
from dvctt.errors import DvcttError, OutsideFolderError, RenderError
from dvctt.labels import check_lang
from dvctt.publish import cleanup, convert, manifest, overlap, sharing
from dvctt.publish.execute import SAFE_NAME, execute, find_notebook, release, warming_kernel

if TYPE_CHECKING:  # pandas, the tables and openpyxl are imported where used, after the kernel has started
    from dvctt.publish import excel

TABLES_DIRNAME = "tables"
HANDOFF_DIRNAME = "handoff"  # inside the throwaway working folder (the audit notebook shows it as <cwd>/handoff)


@dataclass(frozen=True)
class Target:
    """The campaign a report is rendered for: its folder and its validated definition (no tables: the notebook
    loads those, once)."""

    folder: Path
    definition: CampaignDefinition

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def reference(self) -> str:
        """What the notebook receives as ``campaign``: the id if shipped, else the absolute folder path."""
        shipped = paths.CAMPAIGNS_DIR / self.id
        folder = self.folder.resolve()
        return self.id if shipped.is_dir() and shipped.resolve() == folder else str(folder)


def open_campaign(campaign: str | os.PathLike[str]) -> Target:
    """Resolve the campaign folder and read its campaign.toml (strictly: every error names the key)."""
    folder = paths.campaign_dir(campaign)
    return Target(folder=folder, definition=read_definition(folder / "campaign.toml"))


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


@dataclass(frozen=True)
class StagedReport:
    """A report executed, converted and checked in a scratch folder, waiting to be published."""

    staging: Path
    entry: dict[str, Any]
    files: tuple[Path, ...]  # relative to staging: tables..., workbook, executed notebook, html (last)
    error: str = ""
    shared_error: str = ""  # the error as the manifest shows it: scrubbed like the kept notebook

    @property
    def ok(self) -> bool:
        return not self.error


def report_stem(notebook: str, period: str, lang: str, subject: str = "") -> str:
    """``<notebook>_<period>_<lang>``, or ``<notebook>_<subject>_<period>_<lang>`` for one unit's report."""
    return "_".join(part for part in (notebook, subject, period, lang) if part)


# ------------------------------------------------------------------------------------------------ tables


def _fallback_tables(campaign: str, period: str) -> Mapping[str, Any]:
    """The campaign tables, for a notebook that hands none back."""
    from dvctt.report.data import build_report_tables

    try:
        return build_report_tables(campaign, period)
    except DvcttError:
        raise
    except Exception as exc:
        raise RenderError(f"Building the report tables failed: {type(exc).__name__}: {exc}") from exc


def _write_tables(staging: Path, frames: Mapping[str, Any], period: str) -> list[Path]:
    """Write the non-empty report tables as CSV (UTF-8 with BOM so Excel on Windows shows the diacritics, 10
    significant digits so no float noise, no index) into ``tables/<period>/``, so that two periods rendered
    into one folder never overwrite each other's tables; return paths relative to staging. A table with no row
    is not written: a header-only file tells nobody anything."""
    if not SAFE_NAME.match(period):
        raise RenderError(f"Period id {period!r} cannot be used as a folder name.")
    from dvctt.report.data import CSV_ENCODING
    from dvctt.report.formatting import without_float_noise
    from dvctt.safe_text import safe_frame

    (staging / TABLES_DIRNAME / period).mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in frames.items():
        if not SAFE_NAME.match(str(key)):
            raise RenderError(f"Report table name {key!r} cannot be used as a file name.")
        if frame.empty:
            continue
        relative = Path(TABLES_DIRNAME) / period / f"{key}.csv"
        safe_frame(without_float_noise(frame)).to_csv(  # whoever built the table, no cell is a formula
            staging / relative, index=False, encoding=CSV_ENCODING, lineterminator="\n"
        )
        written.append(relative)
    return written


def workbook_words(target: Any, lang: str) -> excel.Words:
    """How the workbook names the target's ids: period labels and the campaign's name from campaign.toml (a
    target that is not a campaign, such as the service index, says it itself through ``words``)."""
    own = getattr(target, "words", None)
    if callable(own):
        return own(lang)
    from dvctt.publish import excel

    definition = target.definition
    labels = {period.id: period.label(lang) for period in definition.periods}
    return excel.Words(period=lambda period: labels.get(period, period), campaign=definition.name(lang))


def _write_workbook(
    staging: Path, frames: Mapping[str, Any], stem: str, footer: Mapping[str, Any], words: excel.Words
) -> Path:
    """The same tables as one Excel workbook in the report's language; returns its path relative to staging."""
    from dvctt.publish import excel

    relative = Path(f"{stem}.xlsx")
    try:
        excel.write_workbook(frames, staging / relative, footer["lang"], about=footer, words=words)
    except Exception as exc:
        raise RenderError(f"Writing the Excel workbook failed: {type(exc).__name__}: {exc}") from exc
    return relative


# ------------------------------------------------------------------------------------------------ staging


@contextmanager
def _staging_dir(out_dir: Path) -> Iterator[Path]:
    """A scratch folder inside ``out_dir``, on its file system, so that os.replace is atomic."""
    staging = cleanup.staging_dir(out_dir, "render")
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _takes_handoff(source: Path) -> bool:
    """True when the notebook's parameters cell declares ``tables_dir`` (dvctt's notebooks do)."""
    import nbformat

    from dvctt.report.handoff import PARAMETER

    cells = nbformat.read(source, as_version=4).cells
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    return bool(tagged) and bool(re.search(rf"^{PARAMETER}\s*[:=]", tagged[0].source, re.MULTILINE))


def stage_report(
    target: Target,
    source: Path,
    *,
    period: str,
    lang: str,
    staging: Path,
    out_dir: Path,
    stem: str,
    extra_parameters: Mapping[str, str] | None = None,
    data_hash: str | None = None,
    km: Any,
    after: threading.Thread | None = None,
    table_prefix: str = "",
) -> StagedReport:
    """Execute, convert, check and write one report into ``staging`` on the running kernel ``km``; never touches
    ``out_dir``. The caller starts the kernel (:func:`warming_kernel`) before this loads the publishing libraries
    in a thread: two threads importing jupyter_client at once can leave one with a half-initialised module.

    The notebook hands back its tables and the data hash it computed; only a notebook that does not (a user's
    own) makes this process hash the folder (unless ``data_hash`` is given) and build the campaign tables.
    ``table_prefix`` starts every CSV file's name (an analyst's notebook: its name, so two never collide).
    A failure is returned (``error`` set, the executed notebook kept in staging) rather than raised, so a
    batch can go on with the other reports.
    """
    from dvctt.report import handoff

    rendered_at = provenance.vietnam_timestamp()
    words = workbook_words(target, lang)
    entry: dict[str, Any] = {
        "file": f"{stem}.html", "title": stem, "campaign": target.id, "period": period, "lang": lang,
        "rendered_at": rendered_at, "data_hash": data_hash or "", "notebook": source.name,
        "executed_notebook": f"{stem}.ipynb", "workbook": f"{stem}.xlsx", "status": "ok",
        "campaign_label": words.campaign, "period_label": words.period(period),  # what the index shows
    }  # fmt: skip
    staging.mkdir(parents=True, exist_ok=True)
    parameters = {"campaign": target.reference, "period": period, "lang": lang, **(extra_parameters or {})}
    secrets = sharing.secret_values()
    notebook = staging / f"{stem}.ipynb"

    def footer_for(data_hash: str) -> dict[str, Any]:
        footer = provenance.footer_info(
            campaign_id=target.id, period=period, lang=lang, data_hash=data_hash, synthetic=target.definition.synthetic,
            campaign_name=entry["campaign_label"], period_label=entry["period_label"],
        )  # fmt: skip
        footer["rendered_at"] = rendered_at  # the same instant as a failure entry would carry
        return footer

    def write_tables(frames: Mapping[str, Any], footer: dict[str, Any]) -> tuple[list[Path], Path]:
        named = {f"{table_prefix}{key}": frame for key, frame in frames.items()}
        return _write_tables(staging, named, period), _write_workbook(staging, frames, stem, footer, words)

    def write_handed(content: bytes) -> tuple[Any, dict[str, Any], list[Path], Path] | None:
        if (handed := handoff.from_bytes(content)) is None:
            return None
        footer = footer_for(handed.data_hash)
        return handed, footer, *write_tables(handed.tables, footer)

    try:
        with tempfile.TemporaryDirectory(prefix=cleanup.prefix("dvctt-cwd-")) as cwd_text:
            cwd = Path(cwd_text)
            handoff_dir, early = cwd / HANDOFF_DIRNAME, None
            if _takes_handoff(source):
                # absolute (a warm batch kernel keeps its first working folder); tables written as soon as handed
                parameters[handoff.PARAMETER] = str(handoff_dir)
                early = overlap.WhenWritten(handoff_dir / handoff.HANDOFF_FILE, write_handed)
            loading = overlap.load_publishing_in_background(lang, after)
            try:
                executed = execute(source, notebook, parameters, cwd, km=km)
            finally:
                release(km)
                written_early = early.result() if early is not None else None
            loading.join()
            if written_early is not None:
                handed, footer, written, workbook = written_early
            else:
                handed = handoff.take_over(handoff_dir)
                footer = footer_for(handed.data_hash if handed else data_hash or provenance.data_hash(target.folder))
            entry["data_hash"], entry["dvctt_version"] = footer["data_hash"], footer["version"]
            entry["title"] = convert.find_title(executed) or f"{source.stem} — {target.id} — {period}"
            text = convert.to_html(executed, footer=footer, lang=lang, title=entry["title"], base_dir=source.parent)
            (staging / entry["file"]).write_text(text, encoding="utf-8")
            folders = {"staging folder": staging, "working folder": cwd, "output folder": out_dir}
            sharing.check_no_local_paths(text, sharing.forbidden_paths(target.folder, **folders))
            sharing.check_no_secrets(text, secrets, "rendered HTML")
            sharing.write_audit_notebook(
                executed, target=notebook, source_name=source.name, parameters=parameters,
                campaign_folder=target.folder, campaign_id=target.id, folders=folders, secrets=secrets,
            )  # fmt: skip
        if handed is not None:
            entry["summary"] = handed.summary
        if written_early is None:
            frames = handed.tables if handed is not None else _fallback_tables(target.reference, period)
            written, workbook = write_tables(frames, footer)
    except RenderError as exc:
        shown = {"campaign": target.id, "period": period, "lang": lang, **(extra_parameters or {})}
        shared = sharing.scrub_failed_run(
            staging, stem, campaign_folder=target.folder, campaign_id=target.id, out_dir=out_dir,
            source_name=source.name, parameters=shown, error=str(exc),
        )  # fmt: skip
        return StagedReport(staging, entry, (), error=str(exc), shared_error=shared)
    entry["tables"] = [p.as_posix() for p in written]
    return StagedReport(staging, entry, (*written, workbook, Path(entry["executed_notebook"]), Path(entry["file"])))


def publish_failure(staged: StagedReport, out_dir: Path) -> str:
    """Keep the failed run for debugging and flag the report in the manifest, with its error scrubbed (the
    manifest is shared with the reports); returns the full message, for the person at this machine."""
    kept: list[Path] = []
    stem, refused = Path(staged.entry["file"]).stem, ""
    # an error from outside stage_report (a kernel that did not start) knows no campaign: this machine's folders
    rules = sharing.replacements(sharing.path_tokens(out_dir, "<out>", {"staging folder": staged.staging}))
    shared = sharing.scrub_text(staged.shared_error or staged.error, rules, sharing.secret_values())
    with suppress(OSError):  # bookkeeping must never hide the real error
        try:
            kept = manifest.keep_failed(staged.staging, out_dir, stem)
        except OutsideFolderError as exc:  # a _failed/ linked elsewhere is not written through
            refused = f" The failed run was not kept: {exc}."
    with suppress(OSError):  # recorded even when the run cannot be kept (a name too long for the disk)
        manifest.record_failure(out_dir, dict(staged.entry), shared)
    text = staged.error.rstrip()
    text += "" if text.endswith((".", "!", "?")) else "."
    where = f" The failed run is saved in {kept[0].parent} for debugging." if kept else refused
    return f"{text}{where} The previous report, if any, was left unchanged."


def publish_staged(staged: StagedReport, out_dir: Path) -> list[dict[str, Any]]:
    """Move a staged report's files into ``out_dir`` with the manifest and index that list it, in one step a kill
    cannot split (:func:`manifest.publish`); returns the manifest's entries, this report's last."""
    return manifest.publish(staged.staging, out_dir, list(staged.files), staged.entry)


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
    target = open_campaign(campaign)
    period = target.definition.resolve_period(period).id
    lang = check_lang(lang)
    source = find_notebook(notebook, Path(notebook_dir) if notebook_dir else paths.NOTEBOOKS_DIR)
    out_dir = paths.output_dir(out_dir if out_dir is not None else paths.default_output_dir(target.id))
    stem = report_stem(source.stem, period, lang, subject)
    cleanup.sweep(out_dir)  # scratch folders of killed runs
    commit.tidy(out_dir)  # a publish a kill interrupted is finished first
    # the parameters are valid: start the kernel now, so its start and imports run beside the work below
    with _staging_dir(out_dir) as staging:
        warm_up, prepared = overlap.warm_up_code(source, staging, ref := target.reference)
        with warming_kernel(warm_up, one_report=True) as km, overlap.preparing_data(ref, period, prepared) as preparing:
            staged = stage_report(
                target, source, period=period, lang=lang, staging=staging, out_dir=out_dir, stem=stem,
                extra_parameters=extra_parameters, km=km, after=preparing,
            )  # fmt: skip
        if not staged.ok:
            raise RenderError(publish_failure(staged, out_dir))
        entry = publish_staged(staged, out_dir)[-1]
    index = manifest.relist(out_dir)  # links the related reports, with any another render published meanwhile
    return RenderResult(
        html_path=out_dir / entry["file"],
        table_paths=tuple(out_dir / p for p in entry["tables"]),
        workbook_path=out_dir / entry["workbook"],
        notebook_path=out_dir / entry["executed_notebook"],
        index_path=index,
        manifest_path=out_dir / manifest.MANIFEST_NAME,
        campaign_id=target.id,
        period=period,
        lang=lang,
        title=entry["title"],
        data_hash=entry["data_hash"],
        rendered_at=entry["rendered_at"],
    )
