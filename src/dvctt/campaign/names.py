"""The one rule for text that becomes part of a file name (period ids, unit codes; campaign ids too).

A period id names ``tables/<period>/`` and ``campaign_report_<period>_vi.html``, a unit code names
``unit_<code>_...``: text that cannot be a file name on every system the reports are read on is refused where
it is read (campaign.toml, units.csv), with the reason, instead of making odd files or failing half-way.
"""

from __future__ import annotations

import unicodedata

#: Longest accepted name: with dvctt's prefixes and suffixes a file name stays far below the usual 255 bytes.
MAX_NAME_CHARS = 100
_SEPARATORS = ("/", "\\")
#: Line and paragraph separators are not control characters (category Cc) but break a line all the same.
_LINE_BREAKS = ("\u2028", "\u2029")


def file_name_problem(text: str) -> str | None:
    """Why ``text`` cannot be (part of) a file name, or None when it can: it must not be empty, hold a NUL,
    line break or other control character, start or end with whitespace, exceed :data:`MAX_NAME_CHARS`
    characters, hold a path separator (``/`` or ``\\``) or ``..``, or be ``.``."""
    if not text:
        return "is empty"
    for char in text:
        if char == "\x00":
            return "holds a NUL character"
        if char in "\r\n\x0b\x0c\x85" or char in _LINE_BREAKS:
            return "holds a line break"
        if unicodedata.category(char) == "Cc":
            return f"holds a control character (U+{ord(char):04X})"
    if text != text.strip():
        return "starts or ends with whitespace"
    if len(text) > MAX_NAME_CHARS:
        return f"is {len(text)} characters long (at most {MAX_NAME_CHARS})"
    if any(sep in text for sep in _SEPARATORS):
        return "holds a path separator (/ or \\)"
    if text == "." or ".." in text:
        return "is '.' or holds '..'"
    return None
