"""Work this process does beside the kernel, so a single report pays for the kernel's start once.

A report's kernel takes over a second to start and import its libraries; the notebook then runs for under one.
Meanwhile this process has a core of its own: it computes the campaign's report data (all but the check of the
published figures, which the kernel, ready first, does while it waits) and saves it for the kernel to adopt as
its warm-up ends (the notebook finds it instead of computing it), then loads nbconvert,
its template and openpyxl so that converting starts the moment the notebook is done, and writes the report's
tables and workbook as soon as the notebook hands them over (:class:`WhenWritten`), during its last cells.
Everything here only saves time: any failure means the kernel, or the conversion, does the work itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from dvctt.publish import convert
from dvctt.publish.execute import WARM_IMPORTS


def _load_publishing(lang: str, after: threading.Thread | None = None) -> None:
    if after is not None:
        after.join()  # the report data the kernel waits for comes first: both need this process's interpreter
    with suppress(Exception):  # loading ahead only saves time: any real failure surfaces where it is used
        convert.warm(lang)
        from dvctt.publish import excel  # noqa: F401 - openpyxl and the report tables, loaded ahead
        from dvctt.report import data  # noqa: F401


def load_publishing_in_background(lang: str, after: threading.Thread | None = None) -> threading.Thread:
    """Load nbconvert's templates, openpyxl and the report tables in a thread while the kernel runs the notebook
    (this process only waits for the kernel then), so converting and writing start at once."""
    thread = threading.Thread(target=_load_publishing, args=(lang, after), name="dvctt-load-publishing", daemon=True)
    thread.start()
    return thread


PREPARED_NAME = "prepared-report-data.pickle"


def warm_up_code(source: Path, staging: Path, campaign: str) -> tuple[str, Path | None]:
    """The kernel's warm-up code, and where this process will put the report data for it.

    For a notebook that builds the campaign's report data (dvctt's campaign and unit reports), that data is
    computed here (:func:`preparing_data`) while the kernel starts and imports on the other core, and the
    warm-up ends by adopting it (:func:`dvctt.report.data.adopt_prepared`), having checked ``campaign``'s
    published figures while it waited: the notebook finds it instead of computing it. Any failure only means
    the notebook computes it itself."""
    if "build_report_data(" not in source.read_text(encoding="utf-8", errors="replace"):
        return WARM_IMPORTS, None
    path = staging / PREPARED_NAME
    path.with_name(path.name + ".pending").touch()  # the kernel waits while this exists
    adopt = f"from dvctt.report.data import adopt_prepared\nadopt_prepared({str(path)!r}, {campaign!r})"
    return f"{WARM_IMPORTS}\n{adopt}", path


@contextmanager
def preparing_data(campaign: str, period: str, path: Path | None) -> Iterator[threading.Thread | None]:
    """Compute and save the report data at ``path`` in a thread (see :func:`warm_up_code`); yields the thread."""
    if path is None:
        yield None
        return

    def prepare() -> None:
        with suppress(Exception):
            from dvctt.report.data import prepare_report_data

            prepare_report_data(campaign, period, path)
        path.with_name(path.name + ".pending").unlink(missing_ok=True)  # also when the import itself failed

    thread = threading.Thread(target=prepare, name="dvctt-prepare-data", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        thread.join()
        path.unlink(missing_ok=True)


POLL_SECONDS = 0.02


class WhenWritten:
    """Run ``work(content)`` in a thread as soon as ``path`` appears (written whole, by ``os.replace``), while the
    notebook that writes it goes on: a report's tables and workbook are written from the notebook's hand-off
    during its remaining cells instead of after them. :meth:`result` stops watching and returns what ``work``
    made, only if the file still holds what it was given: the caller redoes the work (and meets its errors
    itself) in every other case, the file written late, rewritten, missing, or ``work`` failing."""

    def __init__(self, path: Path, work: Callable[[bytes], Any]) -> None:
        self._path, self._work = path, work
        self._stop = threading.Event()
        self._done: tuple[bytes, Any] | None = None
        self._thread = threading.Thread(target=self._watch, name="dvctt-when-written", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._path.is_file():
            if self._stop.wait(POLL_SECONDS):
                return
        with suppress(Exception):
            content = self._path.read_bytes()
            self._done = (content, self._work(content))

    def result(self) -> Any:
        self._stop.set()
        self._thread.join()
        if self._done is None:
            return None
        content, made = self._done
        try:
            return made if self._path.read_bytes() == content else None
        except OSError:
            return None
