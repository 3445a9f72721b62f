"""Run a report notebook with Papermill, and say which cell failed in words the analyst can act on."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from dvctt.errors import ParameterError, RenderError
from dvctt.publish import cleanup

KERNEL_NAME = "python3"
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # notebook, table and file stems


def find_notebook(notebook: str, notebook_dir: Path) -> Path:
    """``notebooks/<notebook>.ipynb``; a missing name lists the notebooks that exist."""
    name = notebook.removesuffix(".ipynb")
    path = notebook_dir / f"{name}.ipynb"
    if not SAFE_NAME.match(name) or not path.is_file():
        available = sorted(p.stem for p in notebook_dir.glob("*.ipynb"))
        raise ParameterError(
            f"Notebook {name!r} not found in {notebook_dir}. Available: {', '.join(available) or 'none'}."
        )
    return path


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


# What every report notebook imports; a kernel runs it first, while the parent process does its own work.
# matplotlib, statsmodels and scipy are not among them: a report imports them only if it draws a picture or fits
# a trend (most campaign reports do neither), and importing them anyway cost every kernel 1.3 s of a core.
WARM_IMPORTS = (
    "import dvctt.report.campaign_sections, dvctt.report.progress_sections\n"
    "import dvctt.report.certainty_sections, dvctt.report.data"
)


def new_kernel_manager(folder: str) -> Any:
    """A kernel manager on Unix-socket (IPC) transport in ``folder`` (socket paths are limited to ~100
    characters, so the folder is a short temporary one): no ports to race for, and the kernel never warns about
    unencrypted TCP. On Windows, where IPC is not available, the ordinary manager (TCP on localhost). Its clients
    are ready without jupyter_client's 0.2 s wait (:mod:`dvctt.publish.kernel_client`)."""
    from jupyter_client import KernelManager

    from dvctt.publish.kernel_client import ReadyKernelClient

    transport = {"transport": "ipc", "ip": os.path.join(folder, "kernel")} if os.name == "posix" else {}
    connection = os.path.join(folder, "kernel-connection.json")  # not in Jupyter's runtime folder: swept with ours
    return KernelManager(
        kernel_name=KERNEL_NAME, client_factory=ReadyKernelClient, connection_file=connection, **transport
    )


def run_code(km: Any, code: str, timeout: float = 300) -> None:
    """Run ``code`` in the kernel and wait until it is done (outputs discarded), on a client of its own."""
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        client.execute_interactive(code, timeout=timeout, output_hook=lambda _msg: None)
    finally:
        client.stop_channels()


_WARMING: dict[int, threading.Thread] = {}  # id(kernel manager) -> the thread running its warm-up
RESET = "get_ipython().run_line_magic('reset', '-f')"  # a clean namespace for the next notebook on a warm kernel


def _start() -> tuple[Any, str]:
    """A kernel started in a scratch folder of its own (its sockets live there); returns it and the folder."""
    folder = tempfile.mkdtemp(prefix=cleanup.prefix("dvctt-kernel-"))
    km = new_kernel_manager(folder)
    try:
        km.start_kernel(cwd=folder)
    except Exception as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RenderError(f"The notebook kernel could not start: {type(exc).__name__}: {exc}") from exc
    return km, folder


def _warm_up_in_background(km: Any, code: str) -> None:
    def warm_up() -> None:
        with suppress(Exception):
            run_code(km, code)

    _WARMING[id(km)] = thread = threading.Thread(target=warm_up, name="dvctt-warm-kernel", daemon=True)
    thread.start()


def _stop(km: Any, folder: str) -> None:
    wait_until_warm(km)
    with suppress(Exception):
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def warming_kernel(code: str = WARM_IMPORTS, *, one_report: bool = False) -> Iterator[Any]:
    """A kernel started now, importing the report libraries (``code``) in a thread while this process reads the
    notebook and loads Papermill, so a single report pays for the kernel's start and imports side by side with
    its own. :func:`execute` waits for the warm-up before running the notebook, so Papermill meets an idle
    kernel (as a batch worker's warm kernel is). Shut down here, unless :func:`keep_kernel_warm` keeps it for
    the next report; a kernel for ``one_report`` as soon as :func:`release` says its notebook has run.

    A kernel that cannot start raises RenderError; a failing warm-up is left for the notebook to report.
    """
    if _KEPT.depth:
        km = _KEPT.kernel()
        _warm_up_in_background(km, f"{RESET}\n{code}")  # one round trip, not two
        try:
            yield km
        finally:
            wait_until_warm(km)
        return
    km, folder = _start()
    _warm_up_in_background(km, code)
    if one_report:
        _ONE_OFF[id(km)] = (km, folder)
    try:
        yield km
    finally:
        stopping = _STOPPING.pop(id(km), None)
        _ONE_OFF.pop(id(km), None)
        if stopping is None:
            _stop(km, folder)
        else:
            stopping.join()


_ONE_OFF: dict[int, tuple[Any, str]] = {}  # id(kernel manager) -> (it, its folder): started for one report
_STOPPING: dict[int, threading.Thread] = {}


def release(km: Any) -> None:
    """The notebook has run: a kernel :func:`warming_kernel` started for one report is stopped in a thread
    (jupyter_client polls for the killed process every 0.1 s) while the report is converted and written; the
    block waits for it at its end. Any other kernel (kept, a batch's) stays."""
    started = _ONE_OFF.pop(id(km), None)
    if started is not None:
        _STOPPING[id(km)] = thread = threading.Thread(target=_stop, args=started, name="dvctt-stop-kernel")
        thread.start()


class _KeptKernel:
    """The kernel :func:`keep_kernel_warm` keeps: started by the first report, reset for each next one (by
    :func:`warming_kernel`, with its warm-up), started again when a notebook killed it or the environment the
    kernel inherited has changed."""

    def __init__(self) -> None:
        self.depth = 0
        self.ignored: frozenset[str] = frozenset()
        self.km: Any = None
        self.folder = ""
        self.environment: frozenset[tuple[str, str]] = frozenset()

    def _environment(self) -> frozenset[tuple[str, str]]:
        return frozenset((k, v) for k, v in os.environ.items() if k not in self.ignored)

    def kernel(self) -> Any:
        if self.km is not None and (self.environment != self._environment() or not self.km.is_alive()):
            self.drop()
        if self.km is None:
            self.km, self.folder = _start()
            self.environment = self._environment()
        wait_until_warm(self.km)
        return self.km

    def drop(self) -> None:
        if self.km is not None:
            _stop(self.km, self.folder)
        self.km, self.folder = None, ""


_KEPT = _KeptKernel()


@contextmanager
def keep_kernel_warm(ignore_env: Iterable[str] = ()) -> Iterator[None]:
    """Within this block the reports this process renders one by one (:func:`dvctt.publish.render.render_report`,
    a one-worker ``render_all``) share one kernel, its namespace reset before each notebook, instead of starting
    and warming one each: an analyst re-rendering report after report from JupyterLab pays the kernel's start and
    the report libraries' imports once. A kernel inherits its environment, so a change to it (a variable set or
    removed, other than those named in ``ignore_env``) starts a new one. The kernel is shut down when the
    outermost block ends."""
    outermost = _KEPT.depth == 0
    if outermost:
        _KEPT.ignored = frozenset(ignore_env)
    _KEPT.depth += 1
    try:
        yield
    finally:
        _KEPT.depth -= 1
        if outermost:
            _KEPT.drop()


def wait_until_warm(km: Any) -> None:
    """Block until ``km``'s warm-up is done: two clients talking to one kernel from two threads at once can leave
    the second waiting for a reply that never comes."""
    thread = _WARMING.pop(id(km), None)
    if thread is not None:
        thread.join()


def execute(source: Path, executed: Path, parameters: dict[str, str], cwd: Path, km: Any) -> Any:
    """Run the notebook with Papermill from ``cwd`` (a throwaway folder) on the running kernel ``km`` and return
    the executed notebook. A single report starts its kernel early (:func:`warming_kernel`); batch rendering
    keeps one warm kernel per worker. Any failure becomes a RenderError naming the cell.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    wait_until_warm(km)
    try:
        return papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            # saved once, when the run ends (failed or not): a save after every cell re-validated the whole
            # notebook fifteen times, beside a kernel that needs the same two cores
            request_save_on_cell_execute=False,
            km=km,
        )
    except PapermillExecutionError as exc:
        raise RenderError(_describe_cell_failure(source, exc)) from exc
    except Exception as exc:  # kernel missing or dead, timeout, unreadable notebook ...
        reason = f"{type(exc).__name__}: {exc}"
        raise RenderError(f"Notebook {source.name} could not be executed: {reason}") from exc
