"""The version of dvctt's own code that a report's key includes (:func:`dvctt.publish.batch.report_key`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dvctt import paths

__all__ = ["code_files", "code_hash"]


def code_files() -> list[Path]:
    """dvctt's own files that shape a report: code, templates, styles (print CSS included), shipped code lists."""
    found = (p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(p for p in found if p.suffix not in {".pyc", ".pyo"})


def code_hash() -> str:
    """The hash of dvctt's own code and templates: a changed section, chart or style makes every report out of
    date, even while the version number stays the same."""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
