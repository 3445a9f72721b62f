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
status non-zero, while the other reports go on.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt import paths
from dvctt.campaign.definition import Campaign
from dvctt.campaign.levels import AGENCIES, DEFAULT_LEVELS, child_level
from dvctt.campaign.loading import load_campaign
from dvctt.errors import DvcttError, ParameterError
from dvctt.labels import check_lang
from dvctt.publish import cleanup, manifest, render
from dvctt.publish.execute import (
    RESET,
    WARM_IMPORTS,
    find_notebook,
    new_kernel_manager,
    run_code,
    wait_until_warm,
    warming_kernel,
)
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
    parameters: Mapping[str, str] = field(default_factory=dict)

    def stem(self, period: str, lang: str) -> str:
        return render.report_stem(self.notebook, period, lang, self.subject)


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


def code_files() -> list[Path]:
    """dvctt's own files that shape a report: code, templates, styles (print CSS included), shipped code lists."""
    found = (p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(p for p in found if p.suffix not in {".pyc", ".pyo"})


def code_hash() -> str:
    """The hash of dvctt's own code and templates: a changed section, chart or style makes every report out of
    date, even while the version number stays the same."""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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

_KERNEL: Any = None


def _start_kernel(attempts: int = 3) -> Any:
    """One kernel for this worker, warmed with the report libraries, shut down when the worker exits.

    Workers start their kernels at the same moment; with TCP, two of them can pick the same "free" port and one
    kernel dies. Unix-socket (IPC) transport in the worker's own folder has no ports to race for. A start that
    still fails is retried.
    """
    from multiprocessing import util

    folder = tempfile.mkdtemp(prefix=cleanup.prefix("dvctt-kernel-"))
    for attempt in range(1, attempts + 1):
        km = new_kernel_manager(folder)
        try:
            km.start_kernel(cwd=folder)
            run_code(km, WARM_IMPORTS)
        except Exception:
            with suppress(Exception):
                km.shutdown_kernel(now=True)
            if attempt == attempts:
                raise
            continue
        util.Finalize(km, km.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
        util.Finalize(None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=5)
        return km
    raise AssertionError("unreachable")


def _warm_kernel() -> Any:
    """The worker's kernel, restarted if a previous notebook killed it, with a clean namespace."""
    global _KERNEL
    if _KERNEL is None or not _KERNEL.is_alive():
        _KERNEL = _start_kernel()
    wait_until_warm(_KERNEL)  # a kernel of this process may still be importing (see _kernel_in_this_process)
    run_code(_KERNEL, RESET, timeout=60)
    return _KERNEL


@contextmanager
def _kernel_in_this_process() -> Iterator[None]:
    """For a set made by one worker: this process is the worker, its kernel started now (importing while the set
    is planned) and shut down when the set is done, also one restarted because a notebook killed the first."""
    global _KERNEL
    with warming_kernel() as km:
        _KERNEL = km
        try:
            yield
        finally:
            restarted, _KERNEL = _KERNEL, None
            if restarted is not None and restarted is not km:
                with suppress(Exception):
                    restarted.shutdown_kernel(now=True)


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
    source = find_notebook(job.notebook, notebook_dir)
    try:
        km = _warm_kernel()
    except Exception as exc:  # no kernel at all: report it for this job, let the others try
        entry = {"file": f"{job.stem(period, lang)}.html", "title": job.stem(period, lang), "campaign": target.id,
                 "period": period, "lang": lang, "rendered_at": "", "status": "failed"}  # fmt: skip
        return render.StagedReport(staging, entry, (), error=f"Kernel could not start: {type(exc).__name__}: {exc}")
    staged = render.stage_report(
        target,
        source,
        period=period,
        lang=lang,
        staging=staging,
        out_dir=out_dir,
        stem=job.stem(period, lang),
        extra_parameters=job.parameters,
        data_hash=data_hash,
        km=km,
    )
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
    loaded = load_campaign(campaign)  # validated once; its data hash serves every report of the set
    target = render.Target(loaded.folder, loaded.definition)
    period = loaded.definition.resolve_period(period).id
    lang = check_lang(lang)
    notebook_dir = Path(notebook_dir) if notebook_dir else paths.NOTEBOOKS_DIR
    out_dir = (Path(out_dir) if out_dir is not None else default_out_dir(target.id, period)).expanduser().resolve()
    planned = only if only is not None else plan(loaded.units, loaded.definition.levels, units_level)
    out_dir.mkdir(parents=True, exist_ok=True)
    cleanup.sweep(out_dir)  # scratch folders of killed runs
    code = code_hash()
    keys = {  # by file name: a Job holds a dict, so it cannot be a key itself
        f"{job.stem(period, lang)}.html": report_key(
            data_part, find_notebook(job.notebook, notebook_dir), job, period, lang, code
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
        entries = [{**e, "up_to_date": e.get("file") in up_to_date} for e in previous]
        return BatchResult(out_dir, manifest.rebuild_index(out_dir, entries), (), (), up_to_date, message)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    batch_dir = Path(tempfile.mkdtemp(prefix=cleanup.staging_prefix(out_dir, "batch"), dir=out_dir.parent))
    staged: list[render.StagedReport] = []
    try:
        if workers == 1:
            with _kernel_in_this_process():
                todo_keys = [keys[f"{job.stem(period, lang)}.html"] for job in todo]
                staged = _stage_here(todo, target, period, lang, batch_dir, out_dir, notebook_dir, loaded.data_hash,
                                     todo_keys, progress_bar)  # fmt: skip
            return _publish(staged, out_dir, up_to_date, message)
        # forkserver, not fork: forking a process that runs threads (Jupyter, pytest-xdist's workers) copies
        # locks other threads hold, and the report workers then wait on them forever.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["dvctt.publish.batch"])  # imported once by the server, not per worker
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _stage, target, job, period, lang, batch_dir / f"{i:03d}", out_dir, notebook_dir,
                    loaded.data_hash, keys[f"{job.stem(period, lang)}.html"],
                )
                for i, job in enumerate(todo)
            ]  # fmt: skip
            staged = _collect(futures, progress_bar)
        return _publish(staged, out_dir, up_to_date, message)
    finally:
        shutil.rmtree(batch_dir, ignore_errors=True)


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
    staged: list[render.StagedReport], out_dir: Path, up_to_date: tuple[str, ...] = (), message: Path | None = None
) -> BatchResult:
    """Move every successful report into place, flag every failed one, then write the index once (saying which
    reports were up to date and left as they were)."""
    entries = manifest.load_manifest(out_dir)
    published, failed = [], []
    for report in staged:
        if report.ok:
            entries = render.publish_staged(report, out_dir, entries)
            published.append(report.entry["file"])
        else:
            message = render.publish_failure(report, out_dir)
            entries = manifest.load_manifest(out_dir)
            failed.append((report.entry["file"], message))
    entries = [{**e, "up_to_date": e.get("file") in up_to_date} for e in entries]
    index = manifest.rebuild_index(out_dir, entries)
    return BatchResult(out_dir, index, tuple(published), tuple(failed), up_to_date, message)
