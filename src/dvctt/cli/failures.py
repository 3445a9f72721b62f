"""What the command line says when something fails that is not a DvcttError: one line, never a traceback.

- a closed pipe (``dvctt check | head -1``): exit quietly, as Python's documentation recommends (the rest of the
  output goes to the null device, so the interpreter's own flush at exit cannot fail again);
- an operating-system error (a full disk, a read-only folder, a file where a folder should be, a name too
  long): the message names the file or folder and says what to do;
- anything else: "dvctt: lỗi không mong đợi / unexpected error: <type>: <message> (chi tiết: <log file>)", the
  traceback written to a log file in the system temporary folder. ``DVCTT_DEBUG=1`` shows tracebacks instead.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

DEBUG_ENV = "DVCTT_DEBUG"
LOG_PREFIX = "dvctt-error-"


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def broken_pipe() -> int:
    """The reader of our output has gone: send what is left to the null device and exit 1, silently."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (a test's buffer)
        pass
    return 1


_WHAT: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("ổ đĩa đã đầy", "no space left on the device; free some space or choose another folder"),
    errno.EDQUOT: ("vượt hạn mức đĩa", "disk quota exceeded; free some space or choose another folder"),
    errno.EROFS: ("thư mục chỉ đọc", "the folder is on a read-only file system; choose a writable folder"),
    errno.EACCES: ("không có quyền ghi/đọc", "permission denied; choose a folder you may write to"),
    errno.EPERM: ("không được phép", "operation not permitted; choose a folder you may write to"),
    errno.ENOTDIR: ("không phải thư mục", "a file stands where a folder is needed; choose another --out"),
    errno.EISDIR: ("là một thư mục", "a folder stands where a file is needed"),
    errno.EEXIST: ("đã có tệp trùng tên", "a file of that name is in the way"),
    errno.ENAMETOOLONG: ("tên tệp quá dài", "the file name is too long (a code or id over 100 characters?)"),
    errno.EXDEV: ("khác ổ đĩa", "the folders are on different file systems"),
    errno.ENOENT: ("không tìm thấy", "no such file or folder"),
}


def os_error_message(exc: OSError) -> str:
    """The file or folder concerned and what the system said, in Vietnamese and English."""
    vi, en = _WHAT.get(exc.errno or 0, ("lỗi hệ thống", exc.strerror or str(exc)))
    name = exc.filename if exc.filename is not None else ""
    where = str(name)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES) and where:
        folder = Path(where) if Path(where).is_dir() else Path(where).parent
        where = f"{folder}{os.sep} ({Path(where).name})" if folder != Path(where) else f"{folder}{os.sep}"
    if exc.filename2 is not None:
        where += f" -> {exc.filename2}"
    return f"{where}: {vi} / {en} [{os.strerror(exc.errno) if exc.errno else type(exc).__name__}]".lstrip(": ")


def _log_file(args: argparse.Namespace) -> Path | None:
    """A log file for the traceback: in the output folder when one was given and exists, else the temp folder."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = getattr(args, "out", None)
    places = [Path(out)] if out is not None and Path(out).is_dir() else []
    places.append(Path(tempfile.gettempdir()))
    for folder in places:
        path = folder / f"{LOG_PREFIX}{stamp}-{os.getpid()}.log"
        try:
            path.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def unexpected(exc: BaseException, args: argparse.Namespace) -> str:
    """One line for an error dvctt did not foresee; the traceback goes to a log file, not the terminal."""
    log = _log_file(args)
    text = " ".join(str(exc).split())[:300]
    where = f" (chi tiết: {log})" if log else ""
    return f"dvctt: lỗi không mong đợi / unexpected error: {type(exc).__name__}: {text}{where}"
