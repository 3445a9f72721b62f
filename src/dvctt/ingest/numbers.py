"""Numbers as Vietnamese statistics files print them, read strictly.

Vietnamese writes a decimal comma and a thousands dot (``52,23%``; ``42.839`` dossiers = 42839), but official
tables also print dot decimals (``66.7%``) and spreadsheets exported on English machines group with commas.
A single value is often readable two ways (``42.839``: forty-two thousand, or 42.839?), so the convention is
decided per *column*, from every value in it, and a column that stays ambiguous raises
:class:`~dvctt.errors.AmbiguousNumberFormatError` naming the file, column and example values instead of
guessing. Rates are percentages 0–100 by the time they leave this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from dvctt.errors import AmbiguousNumberFormatError, Problem

Convention = Literal["vi", "en"]  # vi: "." groups thousands, "," is the decimal mark; en: the reverse
Scale = Literal["percent", "fraction"]
Shape = Literal["int", "vi", "en", "dot3", "comma3", "bad"]

#: Cell texts that mean "no value here" in Vietnamese tables. Kept as printed, never read as 0.
MISSING_MARKERS: frozenset[str] = frozenset({"-", "–", "—", "x", "X"})

_VI = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_EN = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_INT = re.compile(r"^[+-]?\d+$")
_RATE = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_DOT3 = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
# Thousands grouped by (non-breaking or narrow) spaces, "42 839": unambiguous, so the spaces are dropped.
_SPACED = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$")
_EXAMPLES = 5


class NumberFormatError(ValueError):
    """One cell is not a number in the column's convention. ``reason`` is a message code of
    :data:`dvctt.ingest.messages.MESSAGES` (``not_a_number``, ``not_whole`` ...)."""

    def __init__(self, reason: str, text: str):
        self.reason = reason
        self.text = text
        super().__init__(f"{text!r}: {reason}")


def missing_marker(text: str) -> str | None:
    """The marker ("-", "x" ...) when the cell says "no value", else None."""
    stripped = text.strip()
    return stripped if stripped in MISSING_MARKERS else None


def split_percent(text: str) -> tuple[str, bool]:
    """("52,23", True) for "52,23%" or "19,08 %": the sign may only close the value."""
    stripped = text.strip()
    if stripped.endswith("%"):
        return stripped[:-1].rstrip(), True
    return stripped, False


def _unspace(body: str) -> str:
    return re.sub(r"[ \u00a0\u202f]", "", body) if _SPACED.match(body) else body


def shape(body: str) -> Shape:
    """How a bare number (no %) can be read: in one convention only, in both ("dot3" 42.839, "comma3" 1,234)
    or in none."""
    body = _unspace(body)
    if _INT.match(body):
        return "int"
    vi, en = bool(_VI.match(body)), bool(_EN.match(body))
    if vi and en:
        return "dot3" if _DOT3.match(body) else "comma3"
    if vi:
        return "vi"
    if en:
        return "en"
    return "bad"


def parse_number(text: str, convention: Convention = "vi") -> Decimal:
    """Strictly parse a bare number ("1.234,5" -> 1234.5 in ``vi``); anything else raises NumberFormatError."""
    body = _unspace(text.strip())
    pattern, thousands, decimal = (_VI, ".", ",") if convention == "vi" else (_EN, ",", ".")
    if not pattern.match(body):
        raise NumberFormatError("not_a_number", text)
    try:
        return Decimal(body.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guarantees a number
        raise NumberFormatError("not_a_number", text) from exc


MAX_COUNT = 10**12  # no province receives a trillion dossiers; also keeps every count inside a 64-bit integer


def check_count(value: Decimal, text: str) -> int:
    """A count as an int, or the reason it cannot be one (fraction, negative, implausibly large)."""
    if value != value.to_integral_value():
        raise NumberFormatError("not_whole", text)
    if value < 0:
        raise NumberFormatError("negative", text)
    if value > MAX_COUNT:
        raise NumberFormatError("too_large", text)
    return int(value)


def parse_count(text: str, convention: Convention = "vi") -> int:
    """A dossier count: a whole number >= 0 ("42.839" -> 42839 in ``vi``)."""
    body, percent = split_percent(text)
    if percent:
        raise NumberFormatError("percent_in_count", text)
    return check_count(parse_number(body, convention), text)


def parse_rate_body(body: str) -> Decimal:
    """A rate has no thousands: its one separator, "," or ".", is the decimal mark ("66.7", "52,23")."""
    body = body.strip()
    if not _RATE.match(body):
        reason = "grouped_rate" if shape(body) in ("vi", "en") else "not_a_number"
        raise NumberFormatError(reason, body)
    return Decimal(body.replace(",", "."))


def decimals_of(body: str) -> int:
    """Digits after the decimal mark, as printed: how precise the source claims to be."""
    match = re.search(r"[.,](\d+)$", body.strip())
    return len(match.group(1)) if match else 0


def parse_rate(text: str, scale: Scale) -> Decimal:
    """A rate in percent: "52,23%" -> 52.23; "0,5223" -> 52.23 when the column holds fractions."""
    body, percent = split_percent(text)
    value = parse_rate_body(body)
    if not percent and scale == "fraction":
        value = value * 100
    return value


@dataclass(frozen=True)
class RateEvidence:
    """What one rate cell says about its column's scale: a "%" sign, or a value (None when unreadable)."""

    text: str
    value: Decimal | None
    percent_sign: bool


def rate_evidence(text: str) -> RateEvidence:
    body, percent = split_percent(text)
    try:
        value: Decimal | None = parse_rate_body(body)
    except NumberFormatError:
        value = None
    return RateEvidence(text, value, percent)


def _examples(values: Iterable[str]) -> str:
    unique = list(dict.fromkeys(values))[:_EXAMPLES]
    return ", ".join(repr(v) for v in unique)


def _ambiguous(file: str, column: str, examples: Iterable[str], rule: str) -> AmbiguousNumberFormatError:
    return AmbiguousNumberFormatError([Problem(file, None, column, _examples(examples), rule)])


def detect_count_convention(bodies: Sequence[str], *, file: str = "", column: str = "") -> Convention:
    """The convention of a count column, from all its values; raises when they allow two readings.

    "42.839" alone is read as 42839 (a count has no decimals, and "." groups thousands in Vietnamese);
    "1,234" alone could be 1234 (English grouping) or 1,234 (Vietnamese decimal, not a count): raise.
    """
    shapes = {body: shape(body) for body in bodies}
    found = set(shapes.values())
    vi = [b for b, s in shapes.items() if s == "vi"]
    en = [b for b, s in shapes.items() if s == "en"]
    if vi and en:
        raise _ambiguous(
            file,
            column,
            [*vi, *en],
            "mixes Vietnamese (1.234,5) and English (1,234.5) number formats / cột trộn hai kiểu số "
            "(1.234,5 và 1,234.5): sửa tệp cho thống nhất",
        )
    if vi:
        return "vi"
    if en:
        return "en"
    if "comma3" in found:
        both = [b for b, s in shapes.items() if s in ("comma3", "dot3")]
        raise _ambiguous(
            file,
            column,
            both,
            "counts like '1,234' are either 1234 (English grouping) or 1,234 (Vietnamese decimal) / không rõ "
            "'1,234' là 1234 hay 1,234: ghi số nguyên không có dấu phân cách, hoặc dùng dấu chấm (1.234)",
        )
    return "vi"


def detect_rate_scale(
    evidence: Sequence[RateEvidence],
    *,
    explicit: Scale | None = None,
    header_percent: bool = False,
    file: str = "",
    column: str = "",
) -> Scale:
    """Percent or fraction for a rate column, from all its values.

    A "%" sign in a value or any value above 1 means percent. Values all within 0–1 with no sign are fractions
    (0,5223) or tiny percentages (0,52%) — even under a header that says "(%)", because people type fractions
    under the template's own "Tỷ lệ (%)" — so only ``explicit`` (``--fraction`` / ``--percent``) decides those;
    without it, raise. Cells with Excel's percent format never get here (they say what they are). All zeros
    read the same either way.
    """
    if any(e.percent_sign for e in evidence):
        return "percent"
    values = [e.value for e in evidence if e.value is not None]
    if any(v > 1 for v in values):
        return "percent"
    if not any(v != 0 for v in values):
        return explicit or "percent"
    if explicit is not None:
        return explicit
    header = "the header says % but " if header_percent else ""
    header_vi = "tiêu đề cột ghi % nhưng " if header_percent else ""
    raise _ambiguous(
        file,
        column,
        [e.text for e in evidence if e.value],
        f"{header}every rate is between 0 and 1 with no % sign: fractions (0,5223 = 52,23%) or percentages below "
        f"1%? Re-run with --fraction or --percent / {header_vi}mọi tỷ lệ đều trong khoảng 0–1 và không có dấu %: "
        "là phân số (0,5223 = 52,23%) hay phần trăm dưới 1%? Chạy lại với --fraction hoặc --percent",
    )


def format_vi(value: Decimal | int | float, decimals: int = 0, *, percent: bool = False) -> str:
    """Write a number the Vietnamese way: 1234.5 -> "1.234,5"; with ``percent`` 52.23 -> "52,23%"."""
    text = f"{Decimal(str(value)):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text + "%" if percent else text
