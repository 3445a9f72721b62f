"""The kernel of a report worker: one per worker process, warmed with the report libraries, reset between
reports, shut down when the worker (or the dvctt process that ordered the set) ends."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from dvctt.publish import cleanup, lifetime
from dvctt.publish.execute import RESET, WARM_IMPORTS, new_kernel_manager, run_code, wait_until_warm, warming_kernel

_KERNEL: Any = None


def start_kernel(attempts: int = 3) -> Any:
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


def worker_started(dvctt_pid: int) -> None:
    """A pool worker ends when the fork server or the dvctt process that ordered the set ends (kill -9
    included), and stops its kernel first (:mod:`dvctt.publish.lifetime`)."""

    def stop_kernel() -> None:
        try:
            if _KERNEL is not None:
                _KERNEL.shutdown_kernel(now=True)  # removes its connection file too
        finally:
            cleanup.remove_own()  # and one of a kernel still starting

    lifetime.on_term(stop_kernel)
    lifetime.die_with_parent()
    lifetime.watch(dvctt_pid, stop_kernel)


def warm_kernel() -> Any:
    """The worker's kernel, restarted if a previous notebook killed it, with a clean namespace."""
    global _KERNEL
    if _KERNEL is None or not _KERNEL.is_alive():
        _KERNEL = start_kernel()
    wait_until_warm(_KERNEL)  # a kernel of this process may still be importing (see kernel_in_this_process)
    run_code(_KERNEL, RESET, timeout=60)
    return _KERNEL


@contextmanager
def kernel_in_this_process() -> Iterator[None]:
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
