"""Work this process does beside the kernel, so a single report pays for the kernel's start once.

A report's kernel takes about two seconds to start and import its libraries; the notebook then runs for about
one. Meanwhile this process has a core of its own: it computes the campaign's report data and saves it for the
kernel to adopt as its warm-up ends (the notebook finds it instead of computing it), then loads nbconvert,
its template and openpyxl so that converting and writing start the moment the notebook is done. Everything
here only saves time: any failure means the kernel, or the conversion, does the work itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

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


def warm_up_code(source: Path, staging: Path) -> tuple[str, Path | None]:
    """The kernel's warm-up code, and where this process will put the report data for it.

    For a notebook that builds the campaign's report data (dvctt's campaign and unit reports), that data is
    computed here (:func:`preparing_data`) while the kernel starts and imports on the other core, and the
    warm-up ends by adopting it (:func:`dvctt.report.data.adopt_prepared`): the notebook finds it instead of
    computing it. Any failure only means the notebook computes it itself."""
    if "build_report_data(" not in source.read_text(encoding="utf-8", errors="replace"):
        return WARM_IMPORTS, None
    path = staging / PREPARED_NAME
    path.with_name(path.name + ".pending").touch()  # the kernel waits while this exists
    return f"{WARM_IMPORTS}\nfrom dvctt.report.data import adopt_prepared\nadopt_prepared({str(path)!r})", path


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
