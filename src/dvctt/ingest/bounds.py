"""Bounded work on hostile input files: a size guard on the parts of an .xlsx before any is parsed, and a
progress line for reads that take more than a few seconds.

An .xlsx is a zip archive; a 1 MB file can unzip to gigabytes of sheet XML that openpyxl would hold in memory.
:func:`check_xlsx_size` reads the archive's central directory (each part's declared uncompressed size) and then
streams every part with a cap, so a header that lies about its size is caught too, all before openpyxl opens
the file. The limits are :data:`DEFAULT_PART_MB` per part and twice that in all; ``--max-xlsx-mb N`` on
``dvctt ingest``, ``validate`` and ``index`` (or the environment variable ``DVCTT_MAX_XLSX_MB``) raises them.
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dvctt.errors import ParameterError
from dvctt.ingest.messages import MESSAGES, Issue, fail

DEFAULT_PART_MB = 256  # per part of the archive (a worksheet's XML, the shared strings ...); the total is twice
ENV_LIMIT = "DVCTT_MAX_XLSX_MB"
MB = 1024 * 1024
CHUNK = 1024 * 1024
PROGRESS_AFTER = 3.0  # seconds: a read that takes longer says how far it has got

MESSAGES.update(
    {
        "xlsx_part_too_large": {
            "vi": "Phần «{part}» của tệp giải nén ra {size_vi} MB, quá giới hạn {limit_vi} MB cho mỗi phần (có thể "
            "là tệp độc hại «zip bomb»); nếu tệp đúng là lớn như vậy, chạy lại với --max-xlsx-mb {advice}",
            "en": "part {part!r} unzips to {size} MB, above the limit of {limit} MB per part (possibly a zip "
            "bomb); if the file really is this large, run again with --max-xlsx-mb {advice}",
        },
        "xlsx_total_too_large": {
            "vi": "Tệp giải nén ra hơn {size_vi} MB, quá giới hạn {limit_vi} MB cho cả tệp (có thể là tệp độc hại «zip "
            "bomb»); nếu tệp đúng là lớn như vậy, chạy lại với --max-xlsx-mb {advice}",
            "en": "the workbook unzips to more than {size} MB, above the limit of {limit} MB in all (possibly a zip "
            "bomb); if the file really is this large, run again with --max-xlsx-mb {advice}",
        },
    }
)

_override: list[float] = []  # set by xlsx_limit() for the length of one command


def part_limit_mb() -> float:
    """The per-part limit in MB: the command's --max-xlsx-mb, else DVCTT_MAX_XLSX_MB, else the default."""
    if _override:
        return _override[-1]
    text = os.environ.get(ENV_LIMIT, "").strip()
    return parse_limit(text, ENV_LIMIT) if text else float(DEFAULT_PART_MB)


def parse_limit(text: str, name: str = "--max-xlsx-mb") -> float:
    """A positive, finite number of MB; anything else is refused naming where it came from."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < float("inf")):
        raise ParameterError(f"{name}={text!r}: give a positive number of MB (default {DEFAULT_PART_MB}).")
    return value


@contextmanager
def xlsx_limit(mb: float | None) -> Iterator[None]:
    """Use ``mb`` as the per-part limit while the block runs (None: keep the environment's or the default)."""
    if mb is None:
        yield
        return
    _override.append(parse_limit(str(mb)))
    try:
        yield
    finally:
        _override.pop()


def _mb(size: int) -> str:
    return f"{size / MB:,.1f}"


def _vi(number: str) -> str:
    """1,024.5 → 1.024,5 (Vietnamese reports use Vietnamese numbers)."""
    return number.translate(str.maketrans(",.", ".,"))


def _too_large(path: Path, rule: str, part: str, size: int, limit: float) -> Exception:
    advice = int(size / MB / (1 if rule == "xlsx_part_too_large" else 2)) + 1
    figures = {"size": _mb(size), "limit": f"{limit:g}"}
    params = {"part": part, "advice": advice, **figures, **{f"{k}_vi": _vi(v) for k, v in figures.items()}}
    issue = Issue(path.name, None, None, None, None, rule, params)
    return fail(issue)


def check_xlsx_size(path: Path) -> None:
    """Refuse an archive whose parts unzip beyond the limits, from the central directory first, then by
    streaming each part with a cap (a part whose real size exceeds its declared one is cut there by zipfile and
    fails its checksum: refused as unreadable by the caller)."""
    limit = part_limit_mb()
    part_cap, total_cap = int(limit * MB), int(2 * limit * MB)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        total = 0
        for info in infos:
            if info.file_size > part_cap:
                raise _too_large(path, "xlsx_part_too_large", info.filename, info.file_size, limit)
            total += info.file_size
            if total > total_cap:
                raise _too_large(path, "xlsx_total_too_large", info.filename, total, 2 * limit)
        streamed = 0
        progress = Progress(f"{path.name}: checking the workbook", total=total)
        try:
            for info in infos:
                part = 0
                with archive.open(info) as handle:
                    while chunk := handle.read(CHUNK):
                        part += len(chunk)
                        streamed += len(chunk)
                        if part > part_cap:
                            raise _too_large(path, "xlsx_part_too_large", info.filename, part, limit)
                        if streamed > total_cap:
                            raise _too_large(path, "xlsx_total_too_large", info.filename, streamed, 2 * limit)
                        progress.update(streamed)
        finally:
            progress.done()


class Progress:
    """A progress line on stderr for a read that takes more than :data:`PROGRESS_AFTER` seconds; silent on quick
    reads. ``update(n)`` says how far it has got (bytes or rows, of ``total`` when known); at most one line a
    second, ended by ``done()``."""

    def __init__(self, what: str, total: int | None = None, unit: str = "bytes", after: float = PROGRESS_AFTER):
        self.what, self.total, self.unit = what, total, unit
        self.start = time.monotonic()
        self.next = self.start + after
        self.shown = False

    def update(self, count: int) -> None:
        now = time.monotonic()
        if now < self.next:
            return
        self.next = now + 1.0
        self.shown = True
        done = _mb(count) + " MB" if self.unit == "bytes" else f"{count:,} {self.unit}"
        share = f" ({100 * count / self.total:.0f}%)" if self.total else ""
        print(f"\r{self.what}: {done}{share}, {now - self.start:.0f} s …", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.shown:
            print(f" — {time.monotonic() - self.start:.0f} s", file=sys.stderr, flush=True)
            self.shown = False
