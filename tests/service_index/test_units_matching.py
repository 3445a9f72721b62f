"""Portal units matched to official units (issue 21 item 6), on the portal's real answers: every commune by name
to the 2025 code list, tolerant only of the variants the portal prints; agencies keyed by their portal code; the
portal code the key across years and periods."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from vietnamadminunits.database.main import query

from dvctt.service_index import units as index_units
from dvctt.service_index.formats.export2025 import read_index_exports

FIXTURES = Path(__file__).parents[1] / "fixtures"
PORTAL = FIXTURES / "portal-2026"
EXPORT_2025 = FIXTURES / "index766" / "bao_cao_766_tinh_2025.xlsx"
LEVELS = {"AGENCY": "agency", "COMMUNE": "commune"}


def _answer(name: str) -> pd.DataFrame:
    """data.evaluation of a province's service-results answer: code, printed name, level."""
    data = json.loads((PORTAL / name).read_text(encoding="utf-8"))["data"]["evaluation"]
    return pd.DataFrame(
        {
            "unit_code": [r["departmentCode"] for r in data],
            "unit_name": [r["departmentName"] for r in data],
            "level": [LEVELS[r["childGroup"]] for r in data],
        }
    )


def _official_codes(province: str) -> set[str]:
    return {str(r["wardCode"]) for r in query(f"select wardCode from admin_units where provinceCode = '{province}'")}


def test_all_102_communes_of_an_giang_2026_are_matched_to_the_official_codes_of_province_91():
    matched = index_units.match_units(_answer("service-results_H01_AnGiang_year2026.json"))
    communes = matched[matched["level"] == "commune"]
    assert len(matched) == 117 and len(communes) == 102
    assert (communes["code_source"] == "gso-vietnamadminunits").all()
    assert set(communes["official_code"]) == _official_codes("91")  # one to one: each official commune once
    by_code = communes.set_index("unit_code")
    assert tuple(by_code.loc["H01.188", ["unit_name", "official_code", "official_name"]]) == (
        "UBND xã An Minh - tỉnh An Giang", "31018", "Xã An Minh",
    )  # fmt: skip
    nfd = by_code.loc["H01.113", "unit_name"]
    assert unicodedata.normalize("NFC", nfd) != nfd  # the one decomposed name, matched all the same
    assert tuple(by_code.loc["H01.113", ["official_code", "official_name"]]) == ("30377", "Phường Long Phú")
    assert by_code.loc["H01.109", "official_name"] == "Xã Nhơn Hội"  # "UBND Xã …"
    assert by_code.loc["H01.201", "official_name"] == "Đặc khu Phú Quốc"  # "UBND Đặc khu …"
    assert by_code.loc["H01.175", "official_name"] == "Xã Giồng Riềng"  # printed without the province
    assert index_units.unmatched_units(matched).empty
    lines = index_units.unmatched_lines(matched)
    assert lines == [
        "Đơn vị / units: 102/102 xã, phường khớp mã chính thức / communes matched to official codes; 15 cơ quan cấp "
        "tỉnh theo mã Cổng / agencies keyed by portal code; 0 chưa khớp / unmatched"
    ]


def test_agencies_have_no_national_code_list_and_keep_their_portal_code():
    matched = index_units.match_units(_answer("service-results_H01_AnGiang_year2026.json"))
    agencies = matched[matched["level"] == "agency"]
    assert len(agencies) == 15 and (agencies["code_source"] == "none").all() and (agencies["official_code"] == "").all()
    assert agencies["code_note"].str.contains("matched by its portal code only").all()


def test_gia_lai_keeps_exactly_the_two_communes_the_code_list_spells_otherwise_unmatched_and_says_why():
    year = index_units.match_units(_answer("service-results_H21_GiaLai_year2026.json"))
    month = index_units.match_units(_answer("service-results_H21_GiaLai_month2026-02.json"))
    left = index_units.unmatched_units(year)
    # The code list spells them "Xã Al Bá" (23954) and "Xã Ia Chia" (23788): no fuzzy matching, so listed.
    assert list(left["unit_code"]) == ["H21.108", "H21.131"]
    assert list(left["unit_name"]) == ["UBND xã Albá", "UBND xã Ia Chía"]
    assert left["code_note"].str.startswith("no commune of province 52 is named").all()
    assert int((year["code_source"] == "gso-vietnamadminunits").sum()) == 133
    assert "2 chưa khớp / unmatched" in index_units.unmatched_lines(year)[0]
    assert index_units.unmatched_lines(year)[1:] == [
        f"  - {r.unit_code} {r.unit_name}: {r.code_note}" for r in left.itertuples()
    ]
    # The portal code is the key: the same units and the same official codes in the year and in February.
    keyed = ["unit_code", "official_code", "code_source"]
    pd.testing.assert_frame_equal(
        year[keyed].sort_values("unit_code").reset_index(drop=True),
        month[keyed].sort_values("unit_code").reset_index(drop=True),
    )
    printed = set(year["unit_name"]) | set(month["unit_name"])
    assert any(n.startswith("UBND Xã ") for n in printed) and any(n.endswith(" - Gia Lai") for n in printed)


@pytest.mark.parametrize(
    "printed",
    [
        "UBND xã An Minh - tỉnh Kiên Giang",  # another province's suffix: not this province's commune name
        "UBND xa An Minh - tỉnh An Giang",  # no diacritics on the type word
        "UBND xã An Mình - tỉnh An Giang",  # another tone mark: another name
        "UBND phường An Minh - tỉnh An Giang",  # another type
    ],
)
def test_only_the_variants_the_portal_prints_are_tolerated(printed):
    reason = index_units.match_commune(printed, "91")
    assert isinstance(reason, str) and reason.startswith("no commune of province 91 is named")


def test_the_variants_the_portal_prints_all_reach_the_same_commune():
    for printed in ("UBND xã An Minh - tỉnh An Giang", "ubnd Xã An Minh - An Giang", "UBND XÃ  An Minh",
                    "xã An Minh - thành phố An Giang", unicodedata.normalize("NFD", "UBND xã An Minh")):  # fmt: skip
        assert index_units.match_commune(printed, "91") == ("31018", "Xã An Minh")


def test_the_portal_codes_and_their_official_provinces_are_the_same_in_2025_and_2026():
    """The 2025 export holds the 34 provinces only (no agency or commune of An Giang): across the years the
    portal codes are compared there, and An Giang's 117 child codes across 2026's periods above."""
    old = read_index_exports([EXPORT_2025], period="2025-ytd")
    national = json.loads((PORTAL / "service-results_national_year2026_asof-2026-09-17.json").read_text("utf-8"))
    new = pd.DataFrame(national["data"]["evaluation"])[["departmentCode", "departmentName"]]
    codes_2026 = {r.departmentCode: index_units.match_province(r.departmentName)[0] for r in new.itertuples()}
    codes_2025 = dict(zip(old["unit_code"], old["official_code"], strict=True))
    assert len(codes_2025) == 34 and codes_2025 == codes_2026
    assert codes_2025["H01"] == codes_2026["H01"] == index_units.PORTAL_PROVINCE_CODES["H01"] == "91"
    assert (old["level"] == "province").all()


def test_an_unmatched_name_with_a_line_break_is_listed_on_one_line_and_cannot_forge_a_line():
    forged = pd.DataFrame(
        {"unit_code": ["H01.999"], "unit_name": ["UBND xã Không Có\nĐơn vị / units: 102/102"], "level": ["commune"]}
    )
    lines = index_units.unmatched_lines(index_units.match_units(forged))
    assert len(lines) == 2 and lines[0].endswith("1 chưa khớp / unmatched")
    assert lines[1].startswith("  - H01.999 UBND xã Không Có Đơn vị / units: 102/102: no commune of province 91")
    assert "\n" not in "".join(lines)
