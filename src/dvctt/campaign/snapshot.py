"""One state of a campaign folder, for a reader that reads it many times (a report set: every notebook loads it).

Each report of ``dvctt report --all`` loads the campaign on its own; an ingest that commits between two of them
would give one set two states of the data (a unit at 22,22% in its report beside 11,11% in the campaign report).
So the set reads a copy: :func:`copy_state` copies the data files (those the data hash covers, so the copy has
the hash of the state it copies) while it holds the campaign's writer lock, and a commit lands wholly before or
wholly after the copy. A folder where no lock file can be made (read-only here) is copied until two looks at
its files, before and after the copy, agree.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dvctt.campaign import commit, provenance
from dvctt.errors import CampaignLockedError

ATTEMPTS = 20


def _identity(folder: Path) -> tuple[object, ...]:
    """What a commit changes: a pending journal, and each data file's inode (a commit renames a new file over
    it), modification time and size."""
    found: list[object] = [commit.journal_pending(folder)]
    for relative in provenance.hashed_files(folder):
        stat = (folder / relative).stat()
        found.append((relative.as_posix(), stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _copy(folder: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    for relative in provenance.hashed_files(folder):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / relative, target / relative)


def copy_state(folder: Path, into: Path) -> Path:
    """Copy the campaign's data files as they are at one moment into ``into/<folder name>/``; returns the copy
    (same folder name, so messages that name the folder read the same; same data hash)."""
    folder = Path(folder).resolve()
    target = Path(into) / folder.name
    if os.access(folder, os.W_OK):
        with commit.writer_lock(folder):  # no commit lands while the files are copied
            _copy(folder, target)
        return target
    for _attempt in range(ATTEMPTS):  # read-only here: no lock file, but another user may still write
        before = _identity(folder)
        _copy(folder, target)
        if not before[0] and _identity(folder) == before:
            return target
    raise CampaignLockedError(
        f"{folder.name}/: the campaign kept changing while its files were read ({ATTEMPTS} tries); try again "
        "when the other command has finished / dữ liệu chiến dịch liên tục thay đổi trong lúc đọc, hãy chạy lại sau"
    )
