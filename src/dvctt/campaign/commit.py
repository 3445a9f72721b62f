"""Writing a campaign folder as one transaction: one writer at a time, all files or none.

An office runs several ``dvctt ingest`` at once and machines get switched off mid-write, so a campaign folder
is only ever written through :func:`commit`, under :func:`writer_lock` (an OS file lock on
``<folder>/.dvctt.lock``; a second writer waits, saying so, and gives up with a clear error after a timeout):

1. every new file is written in full to a unique hidden name (``.<name>.<txid>.dvctt-new``) and flushed;
2. a journal ``.dvctt-commit.json`` naming those files is written atomically: this is the commit point;
3. each new file is renamed over its target; 4. the journal is removed.

A crash before step 2 leaves the old state (the stray new files are removed by the next writer); a crash after
it leaves a journal that :func:`recover` rolls forward, since every new file it names is complete. Readers
(:func:`dvctt.campaign.loading.load_campaign`) recover a journal they find before reading.

Every name, given to :func:`commit` or read from a journal, must lie inside the folder (:func:`dvctt.paths.inside`)
before anything is written, renamed or removed: a journal planted in a campaign folder is refused and kept.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from dvctt import paths
from dvctt.errors import CampaignLockedError, ParameterError, UnsafeJournalError

LOCK_NAME = ".dvctt.lock"
JOURNAL_NAME = ".dvctt-commit.json"
NEW_SUFFIX = ".dvctt-new"
DEFAULT_TIMEOUT = 300.0  # seconds a second writer waits; DVCTT_LOCK_TIMEOUT overrides it

#: Called with the name of every write step ("write <file>", "journal", "rename <file>", "done"); tests set it
#: to raise or to end the process there, to prove that a crash at any step loses nothing.
FaultHook = Callable[[str], None]
fault_hook: FaultHook | None = None

_locks: dict[Path, FileLock] = {}
_locks_guard = threading.Lock()


def _step(name: str) -> None:
    if fault_hook is not None:
        fault_hook(name)


def _timeout() -> float:
    """DVCTT_LOCK_TIMEOUT in seconds, 0 or more and finite: ``-1`` would wait forever and ``abc`` is a typing
    slip, so both are refused naming the variable rather than silently meaning something."""
    text = os.environ.get("DVCTT_LOCK_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value < float("inf"):
        raise ParameterError(
            f"DVCTT_LOCK_TIMEOUT={text!r}: give the seconds to wait for another dvctt command, a number 0 or more "
            f"(default {DEFAULT_TIMEOUT:g}) / số giây chờ phải là một số từ 0 trở lên"
        )
    return value


def _lock_for(folder: Path) -> FileLock:
    """One lock object per folder and process, so a writer holding it can take it again (re-entrant). A lock
    file that is a link leading out is refused: taking the lock truncates the file it opens."""
    key = Path(folder).resolve()
    paths.inside(key, LOCK_NAME)
    with _locks_guard:
        if key not in _locks:
            _locks[key] = FileLock(key / LOCK_NAME)
        return _locks[key]


@contextmanager
def writer_lock(folder: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the campaign's writer lock; wait (saying so on stderr) while another dvctt process writes."""
    lock = _lock_for(folder)
    wait = _timeout() if timeout is None else timeout
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(
            f"dvctt: đang chờ một lệnh dvctt khác ghi xong vào {Path(folder).name}/ / waiting for another dvctt "
            f"command to finish writing {Path(folder).name}/ (up to {wait:g} s)",
            file=sys.stderr,
        )
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise CampaignLockedError(
                f"{Path(folder).name}/: another dvctt command has been writing this campaign for more than "
                f"{wait:g} s (lock {LOCK_NAME}); try again when it has finished, or set DVCTT_LOCK_TIMEOUT "
                f"(seconds) to wait longer / một lệnh dvctt khác vẫn đang ghi vào chiến dịch này, hãy chạy lại sau"
            ) from None
    try:
        recover(folder)
        yield
    finally:
        lock.release()


def journal_pending(folder: Path) -> bool:
    return (Path(folder) / JOURNAL_NAME).is_file()


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:  # a new name: never written through a link planted under it
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _stray_new_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(f".*{NEW_SUFFIX}") if p.is_file()]


def _is_staged_beside(target: object, new: object) -> bool:
    """True when ``new`` names a staged file (``.<name>.<txid>.dvctt-new``) in its target's folder, as
    :func:`commit` writes them: a journal can only move staged files over their targets."""
    if not isinstance(target, str) or not isinstance(new, str):
        return False
    staged, final = PurePosixPath(new), PurePosixPath(target)
    return staged.parent == final.parent and staged.name.startswith(f".{final.name}.") and new.endswith(NEW_SUFFIX)


def _checked_journal(folder: Path, entries: dict[str, str], removed: list[str]) -> None:
    """Refuse a journal naming anything outside the folder (or a rename that is not staged file → target), before
    anything is renamed or removed; the journal stays for inspection."""
    bad = [str(n) for n in [*entries, *entries.values(), *removed] if not paths.is_inside(folder, n)]
    bad += [str(new) for target, new in entries.items() if not _is_staged_beside(target, new) and str(new) not in bad]
    if bad:
        shown = ", ".join(repr(name) for name in bad[:5]) + (" …" if len(bad) > 5 else "")
        raise UnsafeJournalError(
            f"{folder / JOURNAL_NAME}: this journal of an interrupted write names {shown}, outside the campaign "
            "folder or not a file dvctt staged; nothing was renamed or removed and the journal is kept for "
            "inspection. Find out who wrote it, then delete it to use the folder again / nhật ký ghi dở này chỉ "
            "tới tệp nằm ngoài thư mục chiến dịch: không tệp nào bị đổi tên hay xóa, nhật ký được giữ lại để kiểm "
            "tra; hãy xóa nó sau khi kiểm tra"
        )


def recover(folder: Path) -> str | None:
    """Finish a commit a crash interrupted (roll forward) and remove new files no journal names.

    Must be called under :func:`writer_lock`. Returns what was done, or None when the folder was clean. A journal
    that names anything outside the folder raises UnsafeJournalError, with nothing touched.
    """
    folder = Path(folder)
    journal = folder / JOURNAL_NAME
    done = None
    if journal.is_file():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            entries, removed = dict(record["files"]), list(record["remove"])
        except (ValueError, KeyError, TypeError):
            entries, removed = {}, []  # a journal is written atomically: only a disk fault gets here
        _checked_journal(folder, entries, removed)
        for target, new in entries.items():
            staged = folder / new
            if staged.is_file():
                os.replace(staged, folder / target)
        for target in removed:
            (folder / target).unlink(missing_ok=True)
        journal.unlink()
        done = f"completed an interrupted write of {', '.join(sorted([*entries, *removed])) or 'nothing'}"
    strays = _stray_new_files(folder)
    for stray in strays:
        stray.unlink()
    if strays and done is None:
        done = f"removed {len(strays)} file(s) of an interrupted write"
    return done


def tidy(folder: Path) -> None:
    """For readers: finish an interrupted commit (waiting for the writer lock), and remove the stray new files
    of a writer that died before its commit point when no writer is at work (the lock is free)."""
    folder = Path(folder)
    if journal_pending(folder):
        with writer_lock(folder):
            return
    if not _stray_new_files(folder):
        return
    lock = _lock_for(folder)
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return  # a writer is at work (its files are not stray), or the folder is read-only
    try:
        recover(folder)
    finally:
        lock.release()


def _place(source: Path, new: Path) -> None:
    """Move a finished file to its staged name (a copy when it lies on another file system), flushed to disk."""
    try:
        os.replace(source, new)
    except OSError:  # another file system: copied, under a new name all the same
        _fsync_write(new, source.read_bytes())
        return
    with open(new, "rb") as handle:
        os.fsync(handle.fileno())


def commit(folder: Path, files: Mapping[str, str | bytes | Path | None]) -> None:
    """Replace ``files`` (paths relative to ``folder`` → new text or bytes, a finished file to move in, or None
    to delete) all together.

    Must be called under :func:`writer_lock`. A name that does not lie inside ``folder`` (``..``, an absolute path,
    a linked folder such as a ``rejects/`` pointing elsewhere) raises OutsideFolderError before anything is written.
    """
    folder = Path(folder)
    for name in files:
        paths.inside(folder, name)
    txid = uuid.uuid4().hex[:12]
    staged: dict[str, str] = {}
    removed: list[str] = []
    journal = folder / JOURNAL_NAME
    journal_new = folder / f"{JOURNAL_NAME}.{txid}{NEW_SUFFIX}"
    try:
        for name, content in files.items():
            if content is None:
                removed.append(name)
                continue
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            new = target.with_name(f".{target.name}.{txid}{NEW_SUFFIX}")
            _step(f"write {name}")
            if isinstance(content, Path):
                _place(content, new)
            else:
                _fsync_write(new, content.encode("utf-8") if isinstance(content, str) else content)
            staged[name] = new.relative_to(folder).as_posix()
        _step("journal")
        record = {"txid": txid, "files": staged, "remove": removed}
        _fsync_write(journal_new, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    except BaseException:
        for new in [*staged.values(), journal_new.name]:  # before the commit point: the old state stays
            (folder / new).unlink(missing_ok=True)
        raise
    os.replace(journal_new, journal)  # the commit point
    for name, new in staged.items():
        _step(f"rename {name}")
        os.replace(folder / new, folder / name)
    for name in removed:
        _step(f"remove {name}")
        (folder / name).unlink(missing_ok=True)
    _step("done")
    journal.unlink()
