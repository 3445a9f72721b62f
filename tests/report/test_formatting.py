import math

import pandas as pd
import pytest

from dvctt.labels import LABELS, LANGS, TEXT, t
from dvctt.report.formatting import fmt_met, fmt_number, fmt_pp, fmt_rate, fmt_status_rate


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(92.79, "vi", "92,79%"), (92.79, "en", "92.79%"), (52.2322, "vi", "52,23%"), (0, "vi", "0,00%")],
)
def test_rates_follow_the_language(value, lang, expected):
    assert fmt_rate(value, lang) == expected


def test_thousands_use_dots_in_vietnamese_and_commas_in_english():
    assert fmt_number(42839, "vi") == "42.839"
    assert fmt_number(82015, "en") == "82,015"
    assert fmt_number(1234.5, "vi", 1) == "1.234,5"


def test_missing_is_a_dash_never_zero():
    for missing in (None, math.nan, pd.NA):
        assert fmt_rate(missing, "vi") == "—"
        assert fmt_pp(missing, "en") == "—"


def test_not_applicable_is_not_zero_and_not_missing():
    assert fmt_status_rate(None, "not_applicable", "vi") == "không áp dụng"
    assert fmt_status_rate(None, "missing", "vi") == "—"
    assert fmt_status_rate(0.0, "ok", "vi") == "0,00%"


def test_signed_points():
    assert fmt_pp(12.79, "vi") == "+12,79"
    assert fmt_pp(-11.27, "en") == "−11.27"
    assert fmt_pp(0.001, "vi") == "±0,00"


def test_met_labels():
    assert fmt_met(True, "vi") == "Đạt"
    assert fmt_met(False, "vi") == "Chưa đạt"
    assert fmt_met(pd.NA, "en") == "—"


def test_every_label_and_text_exists_in_both_languages_with_the_same_placeholders():
    import string

    for table in (LABELS, TEXT):
        for key, by_lang in table.items():
            assert set(by_lang) == set(LANGS), key
            fields = [{f for _, f, _, _ in string.Formatter().parse(by_lang[lang]) if f} for lang in LANGS]
            assert fields[0] == fields[1], key
    assert t("level.commune", "vi") == "Cấp xã"
