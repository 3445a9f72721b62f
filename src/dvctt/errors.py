"""One base exception with narrow subclasses, so callers catch exactly what they can handle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class DvcttError(Exception):
    """Base class of every error dvctt raises on purpose."""


class CampaignNotFoundError(DvcttError):
    """The campaign id or folder does not exist."""


class CampaignDefinitionError(DvcttError):
    """campaign.toml is missing a key or holds a value of the wrong kind."""


class OutsideFolderError(DvcttError):
    """A path dvctt was to read, write or remove lies outside the folder it belongs to (``..``, an absolute path,
    a symbolic link leading out): nothing was done with it."""


class UnsafeJournalError(OutsideFolderError):
    """A campaign's commit journal names a file outside the folder: nothing was renamed or removed, and the
    journal is kept for inspection."""


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is and which rule it breaks. Rows are 1-based data rows as a spreadsheet shows
    them (the header is row 1, so the first data row is row 2)."""

    file: str
    row: int | None
    column: str | None
    value: Any
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        value = self.value.item() if hasattr(self.value, "item") else self.value  # numpy scalar -> Python
        shown = "" if value is None else f": value {value!r}"
        return f"{where}{shown}: {self.rule}"


class DataValidationError(DvcttError):
    """An input table breaks its schema. Lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the input data:"
        lines = [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join([head, *lines]))


class ParameterError(DvcttError):
    """A report parameter (period, language, unit ...) is not valid for this campaign."""


class RenderError(DvcttError):
    """Executing a notebook or converting it to HTML failed; the last good report is left in place."""


class UnitResolutionError(DvcttError):
    """A published unit name matches no official unit, or more than one. The code never guesses: the caller
    decides, from ``candidates`` (a list of ``(code, official_name)`` pairs)."""

    def __init__(self, message: str, candidates: list[tuple[str, str]] | None = None):
        self.candidates: list[tuple[str, str]] = list(candidates or [])
        super().__init__(message)


class IngestError(DataValidationError):
    """A statistics file cannot be ingested at all (unreadable, empty, wrong sheet, no usable header, period
    outside the campaign): nothing from it is kept. Row-level problems are rejects, not this error."""


class AmbiguousNumberFormatError(IngestError):
    """A column's numbers can be read two ways (42.839: thousands or decimal? 0,52: fraction or percent?); the
    problem names the file, the column and example values, and how to decide."""


class CampaignLockedError(DvcttError):
    """Another dvctt command has held the campaign folder's writer lock for longer than the wait allowed."""


class ConcurrentChangeError(DvcttError):
    """Another command stored values for the same unit × period × KPI after this file was read."""
