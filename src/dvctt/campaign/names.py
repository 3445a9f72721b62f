"""THE rule for text that becomes (part of) a file or folder name: campaign ids, index ids, period ids, unit codes.

A campaign id names ``outputs/<id>/``, a period id ``tables/<period>/`` and ``campaign_report_<period>_vi.html``,
a unit code ``unit_<code>_...``. Text that cannot be one plain file name on every system the reports are read on
(``../../x``, an absolute path, a trailing newline, a NUL, a 300-character code, a hidden ``.name``) is refused
where it is read (campaign.toml, index.toml, units.csv), with the reason, instead of writing outside the folder,
making odd files or failing half-way. docs/en/reference/data-model.md states the same rule.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest accepted name: with dvctt's prefixes and suffixes a file name stays far below the usual 255 bytes.
MAX_NAME_CHARS = 100
SAFE_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_NAME_CHARS - 1}}}")
SAFE_NAME_RULE = (
    f"ASCII letters, digits, '-', '_' and '.', starting with a letter or digit, at most {MAX_NAME_CHARS} characters "
    "(no space, path separator, line break or control character) / chỉ gồm chữ cái không dấu, chữ số, '-', '_', "
    f"'.', bắt đầu bằng chữ cái hoặc chữ số, tối đa {MAX_NAME_CHARS} ký tự"
)
#: Line and paragraph separators are not control characters (category Cc) but break a line all the same.
_LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"


def is_safe_name(value: object) -> bool:
    """True for text that can name a file or folder anywhere: one plain name, never ``..`` nor a path."""
    return isinstance(value, str) and SAFE_NAME.fullmatch(value) is not None


def file_name_problem(value: object) -> str | None:
    """Why ``value`` cannot be (part of) a file name, or None when it can (exactly when :func:`is_safe_name`).
    The most telling reason comes first: a NUL, line break or control character, surrounding whitespace, the
    length, a path separator, then any other character outside :data:`SAFE_NAME_RULE`."""
    if is_safe_name(value):
        return None
    if not isinstance(value, str):
        return f"is not text ({type(value).__name__})"
    if not value:
        return "is empty"
    for char in value:
        if char == "\x00":
            return "holds a NUL character"
        if char in _LINE_BREAKS:
            return "holds a line break"
        if unicodedata.category(char) == "Cc":
            return f"holds a control character (U+{ord(char):04X})"
    if value != value.strip():
        return "starts or ends with whitespace"
    if len(value) > MAX_NAME_CHARS:
        return f"is {len(value)} characters long (at most {MAX_NAME_CHARS})"
    if "/" in value or "\\" in value:
        return "holds a path separator (/ or \\)"
    if not value[0].isascii() or not value[0].isalnum():
        return f"starts with {value[0]!r}, not an ASCII letter or digit"
    other = next(c for c in value if not (c.isascii() and (c.isalnum() or c in "_.-")))
    return f"holds {other!r}, not an ASCII letter, digit, '-', '_' or '.'"
