"""Scratch folders of a render: named after the process that made them, removed when it ends, and cleared by the
next run when a killed process could not remove its own.

A render makes a kernel folder (``dvctt-kernel-<pid>-…``, holding the kernel's sockets and connection file) and
a working folder (``dvctt-cwd-<pid>-…``) in the system temporary folder, and a staging folder
(``.dvctt-render-<pid>-…``, ``.dvctt-batch-<pid>-…``) inside the output folder, on the file system of every file
it publishes there (a USB stick or a share mounted as the output folder included: os.replace never crosses
devices). An ingest makes ``dvctt-ingest-<pid>-…`` and a dossier count DuckDB spill folders
``dvctt-duckdb-<pid>-…`` in the temporary folder. ``kill -9`` leaves them behind; :func:`sweep` removes those
whose process no longer runs (and the staging folders ``.<out>-render-…`` that earlier versions made beside
the output folder), and never touches the folders of a process still at work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

TEMP_PREFIXES = ("dvctt-kernel-", "dvctt-cwd-", "dvctt-ingest-", "dvctt-duckdb-")
STAGING_KINDS = ("render", "batch")
LEGACY_AGE = 24 * 3600  # folders named before the pid was part of the name: removed once a day old


def prefix(kind: str) -> str:
    """``<kind><pid>-``: the prefix of a scratch folder of this process."""
    return f"{kind}{os.getpid()}-"


def staging_prefix(kind: str) -> str:
    return f".dvctt-{kind}-{os.getpid()}-"


def staging_dir(out_dir: Path, kind: str) -> Path:
    """A new scratch folder inside ``out_dir`` (made if needed): the same file system as the files published
    there, so moving them in is one atomic os.replace, whatever is mounted where."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=staging_prefix(kind), dir=out_dir))


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


def remove_own(temp_dir: Path | None = None) -> None:
    """Remove this process's scratch folders in the temporary folder (a worker ending because dvctt was killed:
    a kernel starting at that moment has a connection file there that no kernel manager will remove)."""
    folder = Path(temp_dir or tempfile.gettempdir())
    for start in TEMP_PREFIXES:
        for path in folder.glob(f"{start}{os.getpid()}-*"):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def sweep(out_dir: Path | None = None, temp_dir: Path | None = None) -> list[Path]:
    """Remove the scratch folders of dvctt processes that no longer run; returns what was removed."""
    places: list[tuple[Path, tuple[str, ...]]] = [(Path(temp_dir or tempfile.gettempdir()), TEMP_PREFIXES)]
    if out_dir is not None:
        out_dir = Path(out_dir)
        places.append((out_dir, tuple(f".dvctt-{kind}-" for kind in STAGING_KINDS)))
        places.append((out_dir.parent, tuple(f".{out_dir.name}-{kind}-" for kind in STAGING_KINDS)))  # older runs
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
