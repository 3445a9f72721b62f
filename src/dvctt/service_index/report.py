"""Render the service-index report (``notebooks/index_report.ipynb``) through the same pipeline as every report.

An index folder is not a campaign: it has no ``campaign.toml``. :class:`IndexTarget` gives the renderer what it
needs from one (folder, id, whether it is synthetic); the notebook hands its tables back like the others. After
the HTML, tables, workbook and index page are published, the chat message is written beside them, one file per
snapshot (``message_<period>[_<as-of>].txt``) and ``message.txt`` when the snapshot is the latest there, so a month
run never overwrites the year's message (atomically; a failed render leaves the last good report and message).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dvctt import paths
from dvctt.errors import DvcttError, RenderError
from dvctt.labels import check_lang, text
from dvctt.publish import excel, manifest, render
from dvctt.publish.execute import find_notebook, warming_kernel
from dvctt.report.data import CSV_ENCODING
from dvctt.report.formatting import without_float_noise
from dvctt.safe_text import safe_frame
from dvctt.service_index import message as chat
from dvctt.service_index import store as index_store
from dvctt.service_index.analysis import DEFAULT_THRESHOLDS
from dvctt.service_index.sections import build_index_data, series_table
from dvctt.service_index.words import period_label

NOTEBOOK = "index_report"
SERIES_NAME = "index_scores.csv"  # every period of the index, beside the per-period tables/<period>/


def _csv(frame: pd.DataFrame) -> str:
    """The series as the report's CSV tables are written: formula-safe, no float noise."""
    return safe_frame(without_float_noise(frame)).to_csv(index=False, lineterminator="\n")


@dataclass(frozen=True)
class IndexTarget:
    """What the renderer needs of the folder it reports on: the fields of the campaign spec it reads."""

    folder: Path
    id: str
    synthetic: bool
    periods: tuple[str, ...] = ()
    subject_name: str = ""  # the unit reported on, for the workbook's "about" sheet

    def words(self, lang: str) -> excel.Words:
        """The workbook names periods as the report does ("Lũy kế năm 2025 …"), the report by its title."""

        def period(period_id: str) -> str:
            try:
                return period_label(period_id, lang)
            except (DvcttError, ValueError):
                return period_id

        return excel.Words(period=period, campaign=text("index.title", lang, unit=self.subject_name))

    @property
    def definition(self) -> IndexTarget:
        return self  # the renderer reads ``target.definition.synthetic``

    @property
    def default_period(self) -> str | None:
        return self.periods[-1] if self.periods else None

    @property
    def shipped(self) -> bool:
        shipped = paths.DATA_DIR / self.id
        return shipped.is_dir() and shipped.resolve() == self.folder.resolve()

    @property
    def reference(self) -> str:
        """What the notebook receives: the id of a folder shipped in ``data/``, else its absolute path."""
        return self.id if self.shipped else str(self.folder)

    @property
    def notebook_argument(self) -> str:
        return self.reference


@dataclass(frozen=True)
class IndexRenderResult:
    html_path: Path
    workbook_path: Path
    table_paths: tuple[Path, ...]
    message_path: Path  # the snapshot's own message file
    message: str
    latest_message_path: Path | None  # message.txt, when this snapshot is the latest with a message in out_dir
    index_path: Path
    period: str
    lang: str


def _write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    paths.write_text_atomic(path, text, encoding)


def write_messages(out_dir: Path, period: str, as_of: str, lang: str, message: str) -> tuple[Path, Path | None]:
    """The snapshot's message file, and ``message.txt`` (``message_en.txt``) when no later snapshot has one."""
    names = [p.name for p in out_dir.glob("message_*.txt")]
    path = paths.inside(out_dir, chat.message_file_name(period, as_of, lang))  # never through a linked name
    _write_atomic(path, message + "\n")
    if not chat.is_latest(period, as_of, names, lang):
        return path, None
    latest = paths.inside(out_dir, chat.latest_name(lang))
    _write_atomic(latest, message + "\n")
    return path, latest


def render_index_report(
    index: str | os.PathLike[str],
    *,
    scope: str | None = None,
    period: str | None = None,
    lang: str = "vi",
    out_dir: Path | None = None,
    thresholds: tuple[float, float] = DEFAULT_THRESHOLDS,
) -> IndexRenderResult:
    """Render the report of ``scope`` in ``period`` from an index folder and write its chat message.

    Parameters are checked (and the message built) before any work, so a wrong scope or period raises
    ParameterError without touching ``out_dir``; a failing notebook raises RenderError, outputs untouched.
    """
    lang = check_lang(lang)
    folder = index_store.index_folder(index)
    data = build_index_data(folder, scope, period, thresholds)
    message = chat.build_message(data, lang)
    target = IndexTarget(folder, data.id, data.synthetic, (data.period,), str(data.subject["unit_name"]))
    source = find_notebook(NOTEBOOK, paths.NOTEBOOKS_DIR)
    out_dir = (Path(out_dir) if out_dir is not None else paths.default_output_dir(data.id)).expanduser().resolve()
    stem = render.report_stem(NOTEBOOK, data.period, lang)
    low, high = data.thresholds
    extra = {"scope": str(data.subject["unit_code"]), "threshold_low": low, "threshold_high": high}
    # the notebook hands back its tables
    with render._staging_dir(out_dir) as staging, warming_kernel(one_report=True) as km:
        staged = render.stage_report(
            target, source, period=data.period, lang=lang, staging=staging, out_dir=out_dir, stem=stem,  # type: ignore[arg-type]
            extra_parameters=extra, data_hash=data.data_hash, km=km,  # type: ignore[arg-type]
        )  # fmt: skip
        if not staged.ok:
            raise RenderError(render.publish_failure(staged, out_dir))
        entries = render.publish_staged(staged, out_dir, manifest.load_manifest(out_dir))
    entry = entries[-1]
    index_path = manifest.rebuild_index(out_dir, entries)
    html_path, workbook_path = out_dir / entry["file"], out_dir / entry["workbook"]
    table_paths = [out_dir / p for p in entry["tables"]]
    message_path, latest = write_messages(out_dir, data.period, str(data.subject["as_of"]), lang, message)
    series_path = paths.inside(out_dir, f"{render.TABLES_DIRNAME}/{SERIES_NAME}")  # never through a linked tables/
    _write_atomic(series_path, _csv(series_table(data)), CSV_ENCODING)
    return IndexRenderResult(
        html_path=html_path,
        workbook_path=workbook_path,
        table_paths=(series_path, *table_paths),
        message_path=message_path,
        message=message,
        latest_message_path=latest,
        index_path=index_path,
        period=data.period,
        lang=lang,
    )
