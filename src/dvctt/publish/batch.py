"""Render a whole period's report set at once: `dvctt report --campaign ID --period P --all [--jobs N]`.

The set is the campaign report, the progress report and one unit report per unit with units under it (a district)
and per provincial agency, or per unit of one level (``--units LEVEL``),
laid out as ``outputs/<campaign>/<period>/`` with an ``index.html`` that links them with a one-line status.

Why it is fast: each worker process starts one Jupyter kernel, imports the report libraries once, and runs its
share of notebooks through Papermill on that warm kernel (the namespace is reset between notebooks), instead of
paying a kernel start and the report libraries' imports for every report. With one worker (``--jobs 1``, or one
report to make) there is no worker process: this process runs the set on its own warm kernel, which spares a
process start and a second copy of every import.
Why it is safe: every report is staged in a scratch folder and only published when it succeeded; a failing
report is listed in the index with its failing cell, keeps the last good version in place, and makes the exit
status non-zero, while the other reports go on; the index and manifest list every report on disk whatever failed.
Why it is one state: the set reads a copy of the campaign taken under its lock (:mod:`dvctt.campaign.snapshot`),
so an ingest that commits meanwhile is wholly out of it; each report records the data hash it used, and the index
flags a set whose reports come from different states.
"""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt import paths
from dvctt.campaign import commit, snapshot
from dvctt.campaign.definition import Campaign, read_definition
from dvctt.campaign.levels import AGENCIES, DEFAULT_LEVELS, child_level
from dvctt.campaign.loading import load_campaign
from dvctt.errors import DvcttError, ParameterError
from dvctt.labels import check_lang
from dvctt.publish import cleanup, lifetime, manifest, render, worker_kernel
from dvctt.publish.code_version import code_hash
from dvctt.publish.execute import find_notebook
from dvctt.report.data import build_unit_figures
from dvctt.report.unit_inputs import unit_inputs_hash

CAMPAIGN_NOTEBOOK = "campaign_report"
PROGRESS_NOTEBOOK = "progress_report"
UNIT_NOTEBOOK = "unit_report"


@dataclass(frozen=True)
class Job:
    """One report of the set."""

    notebook: str
    subject: str = ""  # unit code for a unit report
    parameters: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""  # an analyst's notebook (reports.toml): its absolute path; else notebooks/<notebook>.ipynb

    def stem(self, period: str, lang: str) -> str:
        return render.report_stem(self.notebook, period, lang, self.subject)

    def notebook_path(self, notebook_dir: Path) -> Path:
        return Path(self.source) if self.source else find_notebook(self.notebook, notebook_dir)

    @property
    def table_prefix(self) -> str:
        """An analyst's notebook's CSV files start with its report's name (dvctt's own tables are named already)."""
        return f"{render.report_stem(self.notebook, '', '', self.subject)}_" if self.source else ""


@dataclass(frozen=True)
class BatchResult:
    out_dir: Path
    index_path: Path
    published: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]  # (file, message)
    up_to_date: tuple[str, ...] = ()  # skipped: their key had not changed
    message_path: Path | None = None  # message.txt, the set's chat message (None when the data cannot give one)

    @property
    def ok(self) -> bool:
        return not self.failed


def plan(units: pd.DataFrame, levels: Sequence[str] = DEFAULT_LEVELS, units_level: str | None = None) -> list[Job]:
    """The campaign report, the progress report, then a unit report per provincial agency and per unit with
    units under it; with ``units_level``, one per unit of that level instead."""
    jobs = [Job(CAMPAIGN_NOTEBOOK), Job(PROGRESS_NOTEBOOK)]
    if units_level is not None:
        if units_level not in levels:
            raise ParameterError(
                f"--units {units_level!r} is not a level of this campaign; one of: {', '.join(levels)}."
            )
        subjects = units[units["level"] == units_level]
    else:
        parents = set(units["parent_code"])
        with_units_under = units["unit_code"].isin(parents) & units["level"].map(
            lambda lv: child_level(levels, lv) is not None
        )
        subjects = units[(units["level"] == AGENCIES) | with_units_under]
    order = {level: i for i, level in enumerate(levels)}
    subjects = subjects.assign(_order=subjects["level"].map(order)).sort_values(["_order", "unit_code"])
    for code in subjects["unit_code"]:
        jobs.append(Job(UNIT_NOTEBOOK, subject=str(code), parameters={"unit": str(code)}))
    return jobs


# ------------------------------------------------------------------------------------------ report keys


def report_key(data_hash: str, notebook: Path, job: Job, period: str, lang: str, code: str) -> str:
    """A report's inputs in one hash: the campaign data, the notebook, dvctt's code, and the parameters.
    The same key gives the same report, so ``--all`` can skip it."""
    parts = [data_hash, hashlib.sha256(notebook.read_bytes()).hexdigest(), code, period, lang,
             json.dumps(dict(job.parameters), sort_keys=True, ensure_ascii=False)]  # fmt: skip
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def data_keys(loaded: Campaign, period: str, planned: Sequence[Job]) -> list[str]:
    """The data part of each report's key. A unit report's is the hash of what it reads and shows
    (:mod:`dvctt.report.unit_inputs`: its rows, its children's, their ranks in their levels, campaign.toml), so a
    change to one commune renders again only the reports that show that commune. The campaign and progress
    reports read everything: theirs is the hash of the whole data folder, as is any report whose figures cannot
    be computed here (it will fail, or render, on its own)."""
    codes = set(loaded.units["unit_code"].astype(str))
    is_unit = [job.notebook == UNIT_NOTEBOOK and job.subject in codes for job in planned]
    whole = [loaded.data_hash] * len(planned)
    if not any(is_unit):
        return whole
    try:
        data = build_unit_figures(loaded, period)
    except Exception:  # noqa: BLE001 - bad data: every report keeps the whole-data key and shows its own error
        return whole
    return [
        unit_inputs_hash(data, job.subject) if unit else whole[0] for job, unit in zip(planned, is_unit, strict=True)
    ]


def _write_message(loaded: Campaign, period: str, lang: str, out_dir: Path) -> Path | None:
    """The set's chat message (:mod:`dvctt.report.campaign_message`); data the reports cannot use either give
    none (the campaign report's own failure says why)."""
    from dvctt.report.campaign_message import write_message
    from dvctt.report.data import build_report_data

    try:
        return write_message(build_report_data(loaded, period), out_dir, lang)
    except DvcttError:
        return None


def _is_up_to_date(entries: list[dict[str, Any]], file: str, key: str, out_dir: Path) -> bool:
    """Published with this very key, last render good, and still on disk."""
    entry = next((e for e in entries if e.get("file") == file), None)
    return bool(entry and entry.get("key") == key and entry.get("status") == "ok" and (out_dir / file).is_file())


# ---------------------------------------------------------------------------------------------- workers


def _stage(
    target: render.Target,
    job: Job,
    period: str,
    lang: str,
    staging: Path,
    out_dir: Path,
    notebook_dir: Path,
    data_hash: str,
    key: str = "",
) -> render.StagedReport:
    """Run in a worker: stage one report on the warm kernel. Failures come back as data, never raised."""
    source = job.notebook_path(notebook_dir)
    entry = {"file": f"{job.stem(period, lang)}.html", "title": job.stem(period, lang), "campaign": target.id,
             "period": period, "lang": lang, "rendered_at": "", "status": "failed", "key": key}  # fmt: skip
    try:
        km = worker_kernel.warm_kernel()
    except Exception as exc:  # no kernel at all: report it for this job, let the others try
        return render.StagedReport(staging, entry, (), error=f"Kernel could not start: {type(exc).__name__}: {exc}")
    try:
        staged = render.stage_report(target, source, period=period, lang=lang, staging=staging, out_dir=out_dir,
                                     stem=job.stem(period, lang), extra_parameters=job.parameters,
                                     data_hash=data_hash, km=km, table_prefix=job.table_prefix)  # fmt: skip
    except Exception as exc:  # an OS error (a name too long, a full disk): this report fails, the others go on
        error = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
            error = (
                f"tên tệp quá dài / the report's file name is too long ({len(entry['title'])} characters: a unit "
                "code over 100 characters?); its unit cannot be published until the code is shortened"
            )
        return render.StagedReport(staging, entry, (), error=error)
    staged.entry["key"] = key
    return staged


# ---------------------------------------------------------------------------------------------- driver


def default_out_dir(campaign_id: str, period: str) -> Path:
    return paths.default_output_dir(campaign_id, period)


def render_all(
    campaign: str | os.PathLike[str],
    *,
    period: str | None = None,
    lang: str = "vi",
    out_dir: Path | None = None,
    jobs: int | None = None,
    notebook_dir: Path | None = None,
    only: list[Job] | None = None,
    progress_bar: bool = True,
    units_level: str | None = None,
    force: bool = False,
) -> BatchResult:
    """Render the full report set of one period in parallel and publish what succeeded.

    A report whose key (:func:`report_key`) matches the one it was last published with is up to date and is not
    rendered again, unless ``force``."""
    folder = paths.campaign_dir(campaign)
    definition = read_definition(folder / "campaign.toml")
    lang = check_lang(lang)
    notebook_dir = Path(notebook_dir) if notebook_dir else paths.NOTEBOOKS_DIR
    period = definition.resolve_period(period).id
    out_dir = paths.output_dir(out_dir if out_dir is not None else default_out_dir(definition.id, period))
    made_out_dir = not out_dir.exists()
    # the analyst's own notebooks of reports.toml, checked before anything is written
    from dvctt.publish import report_set

    own = report_set.own_jobs(folder) if only is None else []
    out_dir.mkdir(parents=True, exist_ok=True)
    cleanup.sweep(out_dir)  # scratch folders of killed runs
    commit.tidy(out_dir)  # a publish a kill interrupted is finished first
    batch_dir = cleanup.staging_dir(out_dir, "batch")
    try:
        # one state of the data for the whole set: every report reads this copy, whatever commits meanwhile
        try:
            loaded = load_campaign(snapshot.copy_state(folder, batch_dir / "data"))
        except DvcttError:  # bad data: nothing rendered, so no output folder left behind either
            shutil.rmtree(batch_dir, ignore_errors=True)
            if made_out_dir and not any(out_dir.iterdir()):
                out_dir.rmdir()
            raise
        planned = only if only is not None else plan(loaded.units, loaded.definition.levels, units_level) + own
        return _render_set(loaded, period, lang, out_dir, batch_dir, jobs, notebook_dir, planned, progress_bar,
                           force)  # fmt: skip
    finally:
        shutil.rmtree(batch_dir, ignore_errors=True)


def _render_set(
    loaded: Campaign,
    period: str,
    lang: str,
    out_dir: Path,
    batch_dir: Path,
    jobs: int | None,
    notebook_dir: Path,
    planned: list[Job],
    progress_bar: bool,
    force: bool,
) -> BatchResult:
    """:func:`render_all` on the campaign's copy ``loaded``, staged in ``batch_dir``."""
    target = render.Target(loaded.folder, loaded.definition)
    period = loaded.definition.resolve_period(period).id
    code = code_hash()
    keys = {  # by file name: a Job holds a dict, so it cannot be a key itself
        f"{job.stem(period, lang)}.html": report_key(
            data_part, job.notebook_path(notebook_dir), job, period, lang, code
        )
        for job, data_part in zip(planned, data_keys(loaded, period, planned), strict=True)
    }
    previous = manifest.load_manifest(out_dir)
    up_to_date = () if force else tuple(f for f, key in keys.items() if _is_up_to_date(previous, f, key, out_dir))
    todo = [j for j in planned if f"{j.stem(period, lang)}.html" not in up_to_date]
    if progress_bar:
        for file in up_to_date:
            print(f"{file}: up to date (không đổi)")
    message = _write_message(loaded, period, lang, out_dir)
    if not todo:
        return BatchResult(out_dir, manifest.relist(out_dir, up_to_date, loaded.data_hash), (), (), up_to_date, message)
    workers = max(1, min(lifetime.worker_count(jobs), len(todo)))
    staged: list[render.StagedReport] = []
    if workers == 1:
        with worker_kernel.kernel_in_this_process():
            todo_keys = [keys[f"{job.stem(period, lang)}.html"] for job in todo]
            staged = _stage_here(todo, target, period, lang, batch_dir, out_dir, notebook_dir, loaded.data_hash,
                                 todo_keys, progress_bar)  # fmt: skip
        return _publish(staged, out_dir, up_to_date, loaded.data_hash, message)
    # forkserver, not fork: forking a process that runs threads (Jupyter, pytest-xdist's workers) copies
    # locks other threads hold, and the report workers then wait on them forever.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["dvctt.publish.batch"])  # imported once by the server, not per worker
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=worker_kernel.worker_started, initargs=(os.getpid(),)
    ) as pool:
        futures = [
            pool.submit(
                _stage, target, job, period, lang, batch_dir / f"{i:03d}", out_dir, notebook_dir,
                loaded.data_hash, keys[f"{job.stem(period, lang)}.html"],
            )
            for i, job in enumerate(todo)
        ]  # fmt: skip
        staged = _collect(futures, progress_bar)
    return _publish(staged, out_dir, up_to_date, loaded.data_hash, message)


def _stage_here(
    todo: list[Job],
    target: render.Target,
    period: str,
    lang: str,
    batch_dir: Path,
    out_dir: Path,
    notebook_dir: Path,
    data_hash: str,
    keys: list[str],
    progress_bar: bool,
) -> list[render.StagedReport]:
    """Stage every report in this process, one after the other, on its kernel (see _kernel_in_this_process)."""
    from tqdm.auto import tqdm

    done = []
    with tqdm(total=len(todo), desc="dvctt report --all", unit="report", disable=not progress_bar) as bar:
        for i, (job, key) in enumerate(zip(todo, keys, strict=True)):
            done.append(
                _stage(target, job, period, lang, batch_dir / f"{i:03d}", out_dir, notebook_dir, data_hash, key)
            )
            bar.update(1)
    return done


def _collect(futures: list[Any], progress_bar: bool) -> list[render.StagedReport]:
    """Wait for every report, showing a progress bar; a crashed worker becomes a failed report."""
    from tqdm.auto import tqdm

    done = []
    with tqdm(total=len(futures), desc="dvctt report --all", unit="report", disable=not progress_bar) as bar:
        for future in as_completed(futures):
            done.append(future.result())
            bar.update(1)
    return sorted(done, key=lambda s: s.staging.name)


def _publish(
    staged: list[render.StagedReport],
    out_dir: Path,
    up_to_date: tuple[str, ...] = (),
    state: str = "",
    message: Path | None = None,
) -> BatchResult:
    """Publish every successful report, each in one step with the manifest that lists it, flag every failed one,
    then write the index once (saying which reports were up to date against the data state ``state``). A report
    that cannot be published (a full disk) fails alone: the manifest on disk still lists every other one."""
    published, failed = [], []
    for report in staged:
        file = report.entry["file"]
        if report.ok:
            try:
                render.publish_staged(report, out_dir)
            except (OSError, DvcttError) as exc:  # nothing of it was published: flagged like a failed render
                error = f"Publishing failed: {type(exc).__name__}: {exc}"
                failed.append((file, render.publish_failure(replace(report, error=error), out_dir)))
                continue
            published.append(file)
        else:
            failed.append((file, render.publish_failure(report, out_dir)))
    index = out_dir / manifest.INDEX_NAME
    with suppress(OSError):  # the manifest committed with each report already lists them all
        index = manifest.relist(out_dir, up_to_date, state)
    return BatchResult(out_dir, index, tuple(published), tuple(failed), up_to_date, message)
