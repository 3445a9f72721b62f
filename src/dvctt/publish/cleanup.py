"""Scratch folders of a render: named after the process that made them, removed when it ends, and cleared by the
next run when a killed process could not remove its own.

A render makes a kernel folder (``dvctt-kernel-<pid>-…``) and a working folder (``dvctt-cwd-<pid>-…``) in the
system temporary folder, and a staging folder (``.<out>-render-<pid>-…``, ``.<out>-batch-<pid>-…``) beside the
output folder. ``kill -9`` leaves them behind; :func:`sweep` removes those whose process no longer runs, and
never touches the folders of a render still at work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

TEMP_PREFIXES = ("dvctt-kernel-", "dvctt-cwd-")
STAGING_KINDS = ("render", "batch")
LEGACY_AGE = 24 * 3600  # folders named before the pid was part of the name: removed once a day old


def prefix(kind: str) -> str:
    """``<kind><pid>-``: the prefix of a scratch folder of this process."""
    return f"{kind}{os.getpid()}-"


def staging_prefix(out_dir: Path, kind: str) -> str:
    return f".{out_dir.name}-{kind}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or a number the system cannot check: not ours to remove
    return True


def _stale(name: str, start: str, path: Path) -> bool:
    rest = name[len(start) :]
    head = rest.split("-", 1)[0]
    if head.isdigit() and "-" in rest:
        return not _alive(int(head))
    try:
        return time.time() - path.stat().st_mtime > LEGACY_AGE
    except OSError:
        return False


def sweep(out_dir: Path | None = None, temp_dir: Path | None = None) -> list[Path]:
    """Remove the scratch folders of dvctt processes that no longer run; returns what was removed."""
    places: list[tuple[Path, tuple[str, ...]]] = [(Path(temp_dir or tempfile.gettempdir()), TEMP_PREFIXES)]
    if out_dir is not None:
        out_dir = Path(out_dir)
        places.append((out_dir.parent, tuple(f".{out_dir.name}-{kind}-" for kind in STAGING_KINDS)))
    removed = []
    for folder, starts in places:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            start = next((s for s in starts if path.name.startswith(s)), None)
            if start is None or not path.is_dir() or path.is_symlink():
                continue
            if _stale(path.name, start, path):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed
