"""Vietnamese number formats read strictly: every value, every column convention, and what stays ambiguous."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt.errors import AmbiguousNumberFormatError
from dvctt.ingest.numbers import (
    NumberFormatError,
    detect_count_convention,
    detect_rate_scale,
    format_vi,
    missing_marker,
    parse_count,
    parse_number,
    parse_rate,
    rate_evidence,
    shape,
)


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [
        ("52,23%", "percent", Decimal("52.23")),
        ("52,23", "percent", Decimal("52.23")),
        ("19,08 %", "percent", Decimal("19.08")),
        ("66.7%", "percent", Decimal("66.7")),
        ("0,5223", "fraction", Decimal("52.23")),
        ("0,5223%", "fraction", Decimal("0.5223")),  # a printed % sign always means percent
        ("100", "percent", Decimal("100")),
        ("0", "fraction", Decimal("0")),
    ],
)
def test_parse_rate_reads_every_printed_form(text: str, scale: str, expected: Decimal) -> None:
    assert parse_rate(text, scale) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "convention", "expected"),
    [
        ("42.839", "vi", 42839),
        ("82.015", "vi", 82015),
        ("1.234.567", "vi", 1234567),
        ("42 839", "vi", 42839),
        ("1,234,567", "en", 1234567),
        ("7113", "vi", 7113),
        ("0", "vi", 0),
    ],
)
def test_parse_count(text: str, convention: str, expected: int) -> None:
    assert parse_count(text, convention) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.234,5", "not_whole"),
        ("12,5", "not_whole"),
        ("-3", "negative"),
        ("50%", "percent_in_count"),
        ("abc", "not_a_number"),
        ("1.23.4", "not_a_number"),
        ("", "not_a_number"),
    ],
)
def test_parse_count_rejects_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_count(text, "vi")
    assert caught.value.reason == reason


def test_parse_number_vietnamese_decimal_and_grouping() -> None:
    assert parse_number("1.234,5") == Decimal("1234.5")
    assert parse_number("1,234.5", "en") == Decimal("1234.5")
    with pytest.raises(NumberFormatError):
        parse_number("1,234.5", "vi")


def test_a_rate_never_has_thousands() -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_rate("1.234,5", "percent")
    assert caught.value.reason == "grouped_rate"


@pytest.mark.parametrize("marker", ["-", "x", "X", "–", "—"])
def test_missing_markers_are_kept_not_read_as_zero(marker: str) -> None:
    assert missing_marker(f" {marker} ") == marker
    with pytest.raises(NumberFormatError):
        parse_rate(marker, "percent")


def test_shapes() -> None:
    assert [shape(t) for t in ("42.839", "1,234", "52,23", "66.7", "1.234,5", "7", "x")] == [
        "dot3",
        "comma3",
        "vi",
        "en",
        "vi",
        "int",
        "bad",
    ]


def test_count_column_with_dot_groups_is_thousands() -> None:
    assert detect_count_convention(["42.839", "82.015", "7113"]) == "vi"
    assert detect_count_convention(["1,234,567", "12"]) == "en"


def test_count_column_with_only_comma_groups_is_ambiguous_and_names_file_column_values() -> None:
    with pytest.raises(AmbiguousNumberFormatError) as caught:
        detect_count_convention(["1,234", "2,500"], file="x.csv", column="C: Tổng số hồ sơ")
    problem = caught.value.problems[0]
    assert (problem.file, problem.column) == ("x.csv", "C: Tổng số hồ sơ")
    assert "'1,234'" in problem.value and "'2,500'" in problem.value


def test_count_column_mixing_conventions_is_an_error() -> None:
    with pytest.raises(AmbiguousNumberFormatError, match="mixes"):
        detect_count_convention(["1.234,5", "1,234.5"])


def test_rate_scale_from_evidence() -> None:
    assert detect_rate_scale([rate_evidence("0,5"), rate_evidence("52,23%")]) == "percent"
    assert detect_rate_scale([rate_evidence("0,5"), rate_evidence("66.7")]) == "percent"
    # a "(%)" header does not settle values all within 0–1: fractions are typed under it (issue 10)
    with pytest.raises(AmbiguousNumberFormatError, match="the header says % but every rate is between 0 and 1"):
        detect_rate_scale([rate_evidence("0,5")], header_percent=True)
    assert detect_rate_scale([rate_evidence("0,5")], header_percent=True, explicit="percent") == "percent"
    assert detect_rate_scale([rate_evidence("0,5"), rate_evidence("52")], header_percent=True) == "percent"
    assert detect_rate_scale([rate_evidence("0"), rate_evidence("0")]) == "percent"  # zeros read the same


def test_rate_column_all_within_0_1_without_sign_needs_an_explicit_option() -> None:
    values = [rate_evidence(t) for t in ("0,5223", "0,91", "1")]
    with pytest.raises(AmbiguousNumberFormatError, match="--fraction or --percent") as caught:
        detect_rate_scale(values, file="f.xlsx, sheet A", column="E: Tỷ lệ")
    assert caught.value.problems[0].column == "E: Tỷ lệ"
    assert detect_rate_scale(values, explicit="fraction") == "fraction"
    assert detect_rate_scale(values, explicit="percent") == "percent"


def test_format_vi() -> None:
    assert format_vi(Decimal("1234.5"), 1) == "1.234,5"
    assert format_vi(42839) == "42.839"
    assert format_vi(Decimal("52.23"), 2, percent=True) == "52,23%"


# ------------------------------------------------------------------------------------------ properties

counts = st.integers(min_value=0, max_value=10**12)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
numbers = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)


@given(counts)
def test_property_count_round_trips(n: int) -> None:
    assert parse_count(format_vi(n), "vi") == n


@given(rates)
def test_property_rate_round_trips_with_and_without_sign(rate: Decimal) -> None:
    assert parse_rate(format_vi(rate, 2, percent=True), "percent") == rate
    assert parse_rate(format_vi(rate, 2), "percent") == rate


@given(numbers)
def test_property_number_round_trips(value: Decimal) -> None:
    assert parse_number(format_vi(value, 3), "vi") == value


@given(st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False))
def test_property_fraction_reads_as_percent(fraction: Decimal) -> None:
    assert parse_rate(format_vi(fraction, 4), "fraction") == fraction * 100


_ALLOWED = set("0123456789.,% +-\u00a0\u202f")


@given(st.text(min_size=1, max_size=20).filter(lambda t: any(ch not in _ALLOWED for ch in t.strip())))
def test_property_garbage_never_parses(text: str) -> None:
    for parse in (lambda t: parse_count(t, "vi"), lambda t: parse_count(t, "en"), lambda t: parse_rate(t, "percent")):
        with pytest.raises(NumberFormatError):
            parse(text)


@given(st.text(alphabet="0123456789.,%- ", min_size=1, max_size=12))
def test_property_a_parsed_count_is_what_the_digits_say(text: str) -> None:
    """Whatever is accepted from digits and separators is exactly the digits read in that convention."""
    try:
        value = parse_count(text, "vi")
    except NumberFormatError:
        return
    body = text.strip()
    assert re.fullmatch(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,0+)?|[+-]?\d{1,3}( \d{3})+", body)
    assert value == int(Decimal(re.sub(r"[. ]", "", body).replace(",", ".")))
