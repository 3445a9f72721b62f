"""The embedded Cà Mau 2023 data is a transcription: these tests re-read the source documents and prove it.

The appendix table of plan 48/KH-UBND is parsed straight out of the seed text (independently of the build
script) and compared cell by cell with observations.csv; every quoted source phrase in the notes must occur
in its source document; codes must agree with the official list in ``vietnamadminunits``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from dvctt.errors import DvcttError, UnitResolutionError
from dvctt.ingest.admin_units import (
    legacy_units,
    normalize_name,
    resolve_commune,
    resolve_district,
    split_unit_type,
)
from dvctt.paths import CAMPAIGNS_DIR, PROJECT_ROOT, SEEDS_DIR

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CAMPAIGN_DIR = CAMPAIGNS_DIR / "camau-2023"
PLAN_SEED = "003_c71d2b6d6deadd8c.txt"
KPIS = ("online", "digitized", "online_payment")
LEVEL_HEADINGS = {"I. CẤP TỈNH": "province", "II. CẤP HUYỆN": "district", "III. CẤP XÃ": "commune"}
NO_FEE = "Không có TTHC yêu cầu thực hiện nghĩa vụ tài chính"
DISTRICT_COMMUNE_COUNTS = {  # district code -> communes in the appendix (shared/facts.md row ranges)
    "964": 17,  # TP Cà Mau, rows 1-17
    "973": 7,  # Ngọc Hiển, 18-24
    "966": 8,  # U Minh, 25-32
    "970": 16,  # Đầm Dơi, 33-48
    "972": 9,  # Phú Tân, 49-57
    "967": 12,  # Thới Bình, 58-69
    "969": 11,  # Cái Nước, 70-80
    "971": 8,  # Năm Căn, 81-88
    "968": 13,  # Trần Văn Thời, 89-101
}


# ---------------------------------------------------------------------------------------------- helpers


def _read(name: str) -> pd.DataFrame:
    """Every column as text, empty cells as "": the tests compare what is written, not what pandas infers."""
    return pd.read_csv(CAMPAIGN_DIR / name, dtype=str, keep_default_na=False)


def _seed(name: str) -> str:
    """A source document's text (a seed, or shared/facts.md). Missing seeds skip locally but fail in CI."""
    path = SEEDS_DIR / name if (SEEDS_DIR / name).is_file() else SEEDS_DIR.parent / name
    if not path.is_file():
        message = f"source document {path} not found"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI is set, so the seeds must be present")
        pytest.skip(message)
    return unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _number(printed: str) -> float:
    """'19,08%' -> 19.08 (the sources mix decimal commas and dots)."""
    return float(printed.strip().removesuffix("%").replace(",", "."))


def parse_appendix(text: str) -> dict[str, dict[str, object]]:
    """Parse the appendix table of plan 48 from the seed text.

    In the seed, each table cell is followed by a line holding only "|"; a cell may wrap over several lines.
    Returns, per level, the data rows ``(stt, unit, online, digitized, payment, note)`` and the Tổng row.
    """
    start = text.index("PHỤ LỤC")
    lines = text[start:].splitlines()
    lines = lines[lines.index("Ghi chú") :]
    cells: list[str] = []
    current: list[str] = []
    for line in lines[1:]:
        if line.strip() == "|":
            cells.append(" ".join(current).strip())
            current = []
        else:
            current.append(line.strip())
    # Whatever follows the last "|" is the footnotes, not a cell.
    assert " ".join(current).startswith("1 Quyết định số 2942/QĐ-UBND"), "table end not found"

    table: dict[str, dict[str, object]] = {}
    level: str | None = None
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell in LEVEL_HEADINGS:
            level = LEVEL_HEADINGS[cell]
            table[level] = {"rows": [], "total": None}
            i += 2  # heading cell + the empty cell that closes the heading row
        elif cell.isdigit():
            assert level is not None, f"data row before any level heading: {cells[i : i + 6]}"
            stt, unit, online, digitized, payment, note = cells[i : i + 6]
            table[level]["rows"].append((int(stt), unit, online, digitized, payment, note))
            i += 6
        elif cell == "Tổng":
            assert level is not None
            table[level]["total"] = tuple(cells[i + 1 : i + 4])
            i += 4
        elif cell == "":
            i += 1
        else:
            raise AssertionError(f"unexpected cell in the appendix: {cell!r}")
    return table


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return _read("units.csv")


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    return _read("observations.csv")


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return _read("targets.csv")


@pytest.fixture(scope="module")
def totals() -> pd.DataFrame:
    return _read("reported_totals.csv")


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return _read("sources.csv")


@pytest.fixture(scope="module")
def campaign() -> dict:
    with (CAMPAIGN_DIR / "campaign.toml").open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def appendix() -> dict[str, dict[str, object]]:
    return parse_appendix(_seed(PLAN_SEED))


@pytest.fixture(scope="module")
def source_texts(sources: pd.DataFrame) -> dict[str, str]:
    texts = {}
    for source_id, file in zip(sources["source_id"], sources["file"], strict=True):
        text = _seed(file)
        if "Đọc nhiều" in text:  # the results page: everything after it is unrelated news
            text = text[: text.index("Đọc nhiều")]
        texts[source_id] = _squash(text)
    return texts


# ------------------------------------------------------------------------------ appendix vs the seed text


def test_appendix_has_18_9_101_units_numbered_from_1(appendix):
    sizes = {level: len(part["rows"]) for level, part in appendix.items()}
    assert sizes == {"province": 18, "district": 9, "commune": 101}
    for part in appendix.values():
        assert [row[0] for row in part["rows"]] == list(range(1, len(part["rows"]) + 1))


def test_every_appendix_cell_equals_observations(appendix, units, observations):
    base = observations[observations["period"] == "2022"]
    assert len(base) == 128 * 3
    by_key = base.set_index(["unit_code", "kpi"])
    checked = 0
    for level, part in appendix.items():
        level_units = units[units["level"] == level].assign(row=lambda d: d["appendix_row"].astype(int))
        level_units = level_units.sort_values("row")
        assert level_units["row"].tolist() == [row[0] for row in part["rows"]]
        for (stt, unit, online, digitized, payment, note), code, published in zip(
            part["rows"], level_units["unit_code"], level_units["published_name"], strict=True
        ):
            assert published == unit, f"{level} STT {stt}"
            for kpi, cell in zip(KPIS, (online, digitized, payment), strict=True):
                obs = by_key.loc[(code, kpi)]
                assert obs["printed"] == cell, f"{unit} {kpi}"
                if cell:
                    assert obs["status"] == "ok"
                    assert float(obs["rate"]) == _number(cell), f"{unit} {kpi}"
                else:
                    assert obs["status"] == "not_applicable", f"{unit} {kpi}"
                    assert obs["rate"] == ""
                    assert obs["note"] == note == NO_FEE
                assert obs["source_section"].endswith(f", STT {stt}")
                checked += 1
    assert checked == 384


def test_appendix_totals_equal_reported_totals(appendix, totals):
    tong = totals[totals["source_section"].str.endswith("dòng Tổng")]
    assert len(tong) == 9
    for level, part in appendix.items():
        for kpi, cell in zip(KPIS, part["total"], strict=True):
            row = tong[(tong["level"] == level) & (tong["kpi"] == kpi)]
            assert len(row) == 1
            assert row["printed"].iloc[0] == cell
            assert float(row["value"].iloc[0]) == _number(cell)
            assert row["headline"].iloc[0] == "false"
            assert row["period"].iloc[0] == "2022"


def test_expected_appendix_totals_and_narrative(totals):
    """Pin the figures themselves, so an edit of both seed and data cannot pass unnoticed."""
    base = totals[(totals["period"] == "2022") & (totals["measure"] == "rate") & (totals["level"] != "all")]
    tong = base[base["source_section"].str.endswith("dòng Tổng")]
    narrative = base[base["headline"] == "true"]
    expected_tong = {
        ("province", "online"): 63.65, ("province", "digitized"): 59.90, ("province", "online_payment"): 1.08,
        ("district", "online"): 30.28, ("district", "digitized"): 41.12, ("district", "online_payment"): 0.97,
        ("commune", "online"): 55.73, ("commune", "digitized"): 26.29, ("commune", "online_payment"): 0.0,
    }  # fmt: skip
    expected_narrative = {
        ("province", "online"): 63.65, ("province", "digitized"): 51.72, ("province", "online_payment"): 1.08,
        ("district", "online"): 30.28, ("district", "digitized"): 40.01, ("district", "online_payment"): 0.97,
        ("commune", "online"): 55.73, ("commune", "digitized"): 25.89, ("commune", "online_payment"): 0.0,
    }  # fmt: skip
    got_tong = {(lv, k): float(v) for lv, k, v in zip(tong["level"], tong["kpi"], tong["value"], strict=True)}
    got_narr = {
        (lv, k): float(v) for lv, k, v in zip(narrative["level"], narrative["kpi"], narrative["value"], strict=True)
    }
    assert got_tong == expected_tong
    assert got_narr == expected_narrative
    assert (narrative["source_section"].str.match(r"^II\.[123]$")).all()


# ------------------------------------------------------------------------------------------------- units


def test_unit_counts_and_codes(units):
    assert units["level"].value_counts().to_dict() == {"commune": 101, "province": 18, "district": 9}
    assert units["unit_code"].is_unique
    agencies = units[units["level"] == "province"]
    assert agencies["unit_code"].tolist() == [f"96.A{i:02d}" for i in range(1, 19)]
    assert (agencies["parent_code"] == "96").all()
    assert (agencies["code_source"] == "project").all()
    assert (agencies["official_name"] == agencies["published_name"]).all()
    districts = units[units["level"] == "district"]
    assert set(districts["unit_code"]) == set(DISTRICT_COMMUNE_COUNTS)
    assert (districts["parent_code"] == "96").all()
    assert (units["source_id"] == "plan48").all()


def test_communes_per_district_follow_the_appendix_blocks(units):
    communes = units[units["level"] == "commune"].assign(row=lambda d: d["appendix_row"].astype(int))
    assert communes["parent_code"].value_counts().to_dict() == DISTRICT_COMMUNE_COUNTS
    # Each district's communes are one contiguous block, in the district order of the appendix.
    district_order = (
        units[units["level"] == "district"]
        .assign(row=lambda d: d["appendix_row"].astype(int))
        .sort_values("row")["unit_code"]
        .tolist()
    )
    blocks = communes.sort_values("row")["parent_code"].tolist()
    collapsed = [code for i, code in enumerate(blocks) if i == 0 or code != blocks[i - 1]]
    assert collapsed == district_order


def test_commune_and_district_codes_are_official(units):
    from vietnamadminunits import ParseMode, parse_address

    official = legacy_units("96")
    wards = official.set_index("ward_code")
    district_names = dict(zip(official["district_code"], official["district"], strict=False))
    for row in units[units["level"] == "district"].itertuples():
        assert district_names[row.unit_code] == row.official_name
        assert resolve_district(row.published_name, "96")["code"] == row.unit_code
    communes = units[units["level"] == "commune"]
    resolved = communes[communes["code_source"] == "gso-vietnamadminunits"]
    assert len(resolved) == 100
    for row in resolved.itertuples():
        ward = wards.loc[row.unit_code]
        assert ward["district_code"] == row.parent_code, row.published_name
        assert ward["ward"] == row.official_name
        assert resolve_commune(row.published_name, row.parent_code, "96")["code"] == row.unit_code
        parsed = parse_address(
            f"{row.official_name}, {district_names[row.parent_code]}, Tỉnh Cà Mau",
            mode=ParseMode.LEGACY,
            level=3,
        )
        assert (str(parsed.ward_code), str(parsed.district_code)) == (row.unit_code, row.parent_code)


def test_phuong_4_is_kept_unresolved_not_mapped_to_phuong_2(units):
    unresolved = units[units["code_source"] == "unresolved"]
    assert unresolved["unit_code"].tolist() == ["964.P4"]
    p4 = unresolved.iloc[0]
    assert (p4["published_name"], p4["official_name"], p4["parent_code"]) == (
        "UBND phường 4",
        "Phường 4",
        "964",
    )
    assert "32002" in p4["note"] and "Phường 2" in p4["note"]
    assert "Phường 4" not in set(legacy_units("96")["ward"])
    # Phường 2 is its own appendix row.
    p2 = units[units["unit_code"] == "32002"].iloc[0]
    assert (p2["published_name"], p2["appendix_row"]) == ("UBND phường 2", "10")


def test_thoi_binh_xa_and_thi_tran_are_distinct(units):
    rows = units[units["published_name"].isin(["UBND xã Thới Bình", "UBND thị trấn Thới Bình"])]
    by_name = dict(zip(rows["published_name"], rows["official_name"], strict=True))
    assert by_name == {"UBND thị trấn Thới Bình": "Thị trấn Thới Bình", "UBND xã Thới Bình": "Xã Thới Bình"}
    assert rows["unit_code"].nunique() == 2


def test_phu_hung_keeps_printed_spelling_and_official_name(units):
    row = units[units["unit_code"] == "32134"].iloc[0]
    assert (row["published_name"], row["official_name"], row["parent_code"]) == (
        "UBND xã Phú Hung",
        "Xã Phú Hưng",
        "969",
    )


# ------------------------------------------------------------------------------------------ observations


def test_observations_schema(observations, units, campaign, sources):
    assert not observations.duplicated(["unit_code", "period", "kpi"]).any()
    assert set(observations["unit_code"]) <= set(units["unit_code"])
    assert set(observations["period"]) <= {p["id"] for p in campaign["periods"]}
    assert set(observations["kpi"]) <= set(KPIS)
    assert set(observations["status"]) <= {"ok", "missing", "not_applicable"}
    assert set(observations["source_id"]) <= set(sources["source_id"])
    assert (observations["numerator"] == "").all() and (observations["denominator"] == "").all()
    ok = observations[observations["status"] == "ok"]
    assert (ok["rate"] != "").all()
    for rate, printed in zip(ok["rate"], ok["printed"], strict=True):
        assert float(rate) == _number(printed)
        assert 0 <= float(rate) <= 100
    assert (observations.loc[observations["status"] != "ok", "rate"] == "").all()


def test_five_agencies_have_no_fee_bearing_procedures(observations):
    na = observations[observations["status"] == "not_applicable"]
    assert len(na) == 5
    assert set(na["unit_code"]) == {"96.A02", "96.A08", "96.A10", "96.A17", "96.A18"}
    assert set(na["kpi"]) == {"online_payment"} and set(na["period"]) == {"2022"}
    assert (na["note"] == NO_FEE).all() and (na["printed"] == "").all()


def test_campaign_observations(observations, units):
    camp = observations[observations["period"] == "2023-campaign"]
    names = dict(zip(units["unit_code"], units["published_name"], strict=True))
    got = {(names[c], k): float(r) for c, k, r in zip(camp["unit_code"], camp["kpi"], camp["rate"], strict=True)}
    expected = {
        ("Sở Thông tin và Truyền thông", "online"): 100, ("Sở Khoa học và Công nghệ", "online"): 100,
        ("Sở Văn hóa, Thể thao và Du lịch", "online"): 100, ("Sở Giáo dục và Đào tạo", "online"): 100,
        ("Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)", "online"): 100, ("Sở Công Thương", "online"): 99.88,
        ("Sở Y tế", "online"): 98.83, ("Sở Nông nghiệp và Phát triển nông thôn", "online"): 97.20,
        ("Sở Tư pháp", "online"): 68.73, ("Ban Quản lý khu kinh tế", "online"): 40,
        ("UBND huyện Đầm Dơi", "online"): 96.83, ("UBND huyện Năm Căn", "online"): 94.69,
        ("UBND huyện Phú Tân", "online"): 91.77, ("UBND huyện Cái Nước", "online"): 91.48,
        ("UBND xã Hòa Mỹ", "online"): 100, ("UBND xã Tân Ân Tây", "online"): 100,
        ("UBND phường 2", "online"): 100,
        ("UBND phường Tân Xuyên", "online"): 100, ("UBND phường 9", "online"): 100,
        ("UBND xã Hưng Mỹ", "online"): 99.49, ("UBND xã Tân Hưng", "online"): 99.32,
        ("UBND xã Thới Bình", "online"): 99.56, ("UBND phường 8", "online"): 99.52,
        ("Sở Thông tin và Truyền thông", "digitized"): 100,
        ("Văn phòng UBND tỉnh (Lĩnh vực Ngoại vụ)", "digitized"): 100, ("Sở Y tế", "digitized"): 98.67,
        ("Sở Giao thông vận tải", "digitized"): 96.97, ("UBND huyện Cái Nước", "digitized"): 81.11,
        ("UBND thành phố Cà Mau", "digitized"): 81.73,
        ("UBND xã Khánh Thuận", "online"): 80, ("UBND xã Khánh Thuận", "digitized"): 70,
        ("UBND xã Khánh Thuận", "online_payment"): 89,
    }  # fmt: skip
    assert got == expected
    assert (camp["source_id"] == "kte-results").all()
    assert camp.loc[camp["unit_code"] == "96.A08", "note"].str.contains("Lĩnh vực Ngoại vụ").all()
    assert "32077" in set(camp["unit_code"]) and "32065" not in set(camp["unit_code"])


# ----------------------------------------------------------------------------------------------- quotes


QUOTE = re.compile(r'quote: "([^"]+)"')


@pytest.mark.parametrize("file", ["observations.csv", "targets.csv", "reported_totals.csv"])
def test_quoted_source_words_occur_in_the_source(file, source_texts):
    table = _read(file)
    quoted = 0
    for row in table.itertuples():
        for quote in QUOTE.findall(row.note):
            assert _squash(quote) in source_texts[row.source_id], f"{file}: {quote!r} not in {row.source_id}"
            printed = getattr(row, "printed", "")
            if printed:
                assert printed in quote, f"{file}: printed {printed!r} not in its quote {quote!r}"
            if file == "targets.csv":
                assert f"{float(row.target):g}%" in quote
            quoted += 1
    assert quoted > 0
    if file == "targets.csv":
        assert quoted == len(table)


def test_every_campaign_figure_and_article_total_is_quoted(observations, totals):
    camp = observations[observations["period"] == "2023-campaign"]
    assert camp["note"].str.contains('quote: "').all()
    narrative = totals[~totals["source_section"].str.endswith("dòng Tổng")]
    assert narrative["note"].str.contains('quote: "').all()


# ------------------------------------------------------------------------------------- reported totals


def test_2022_counts_add_up(totals):
    counts = totals[(totals["period"] == "2022") & (totals["numerator"] != "")]
    counts = counts.assign(n=counts["numerator"].astype(int), d=counts["denominator"].astype(int))
    per_level = counts[counts["level"].isin(["province", "district", "commune"])].set_index("level")
    assert per_level.loc[["province", "district", "commune"], "n"].tolist() == [24965, 7113, 10761]
    assert per_level.loc[["province", "district", "commune"], "d"].tolist() == [39219, 23487, 19309]
    province_wide = counts[(counts["level"] == "all") & (counts["headline"] == "true")].iloc[0]
    assert (province_wide["n"], province_wide["d"]) == (42839, 82015)
    assert 24965 + 7113 + 10761 == per_level["n"].sum() == province_wide["n"]
    assert 39219 + 23487 + 19309 == per_level["d"].sum() == province_wide["d"]
    for row in counts.itertuples():
        # The plan prints 63,65 for 24.965/39.219 = 63.655...: two decimals, not always rounded half-up.
        assert abs(row.n / row.d * 100 - float(row.value)) < 0.01
        assert f"{row.n:,}/{row.d:,}".replace(",", ".") in row.note


def test_headline_is_unique_and_where_expected(totals):
    level_rows = totals[totals["unit_code"] == ""]
    heads = level_rows[level_rows["headline"] == "true"]
    assert not heads.duplicated(["level", "kpi", "period", "measure"]).any()
    assert set(totals["headline"]) == {"true", "false"}
    assert (totals.loc[totals["unit_code"] != "", "headline"] == "false").all()
    keyed = {
        (r.level, r.period, r.kpi, r.measure): float(r.value) for r in heads.itertuples() if r.period == "2023-campaign"
    }
    assert keyed == {
        ("province", "2023-campaign", "online", "rate"): 92.79,
        ("district", "2023-campaign", "online", "rate"): 90.61,
        ("commune", "2023-campaign", "online", "rate"): 86.66,
        ("province", "2023-campaign", "digitized", "rate"): 92.28,
        ("district", "2023-campaign", "digitized", "rate"): 74.0,
        ("commune", "2023-campaign", "online_payment", "rate"): 90.14,
        ("commune", "2023-campaign", "online", "units_met"): 100.0,
        ("commune", "2023-campaign", "online", "units_total"): 101.0,
        ("district", "2023-campaign", "online", "units_met"): 9.0,
        ("district", "2023-campaign", "online", "units_total"): 9.0,
    }


def test_article_statements(totals):
    gaps = totals[totals["measure"] == "gap_pp"]
    assert dict(zip(gaps["kpi"], gaps["value"].astype(float), strict=True)) == {
        "online": 20.0,
        "digitized": 5.0,
        "online_payment": 59.0,
    }
    assert set(gaps["unit_code"]) == {"32048"}
    assert gaps["printed"].tolist() == ["vượt 20%", "vượt 5%", "vượt 59%"]
    headline_93 = totals[totals["printed"] == "93%"]
    assert len(headline_93) == 1
    row = headline_93.iloc[0]
    assert (row["level"], row["kpi"], row["measure"], row["headline"]) == ("all", "online", "rate", "false")
    # 83.4 is an index score out of 100 points, not a rate: it must not be stored as one.
    assert not totals["value"].astype(float).eq(83.4).any()
    assert not totals["printed"].str.contains("83,4").any()


def test_campaign_targets_and_gaps_agree(targets, totals, observations):
    camp = targets[targets["target_set"] == "campaign"]
    target = {(r.level, r.kpi): float(r.target) for r in camp.itertuples()}
    kt = observations[(observations["unit_code"] == "32048") & (observations["period"] == "2023-campaign")]
    for kpi, rate in zip(kt["kpi"], kt["rate"].astype(float), strict=True):
        gap = totals[(totals["measure"] == "gap_pp") & (totals["kpi"] == kpi)]["value"].astype(float).iloc[0]
        assert rate - target[("commune", kpi)] == gap


# ------------------------------------------------------------------------------------------------ targets


def test_targets(targets):
    assert not targets.duplicated(["target_set", "level", "kpi"]).any()
    got = {(r.target_set, r.level, r.kpi): float(r.target) for r in targets.itertuples()}
    expected = {}
    for target_set, kpi, values in [
        ("campaign", "online", (80, 70, 60)),
        ("campaign", "digitized", (80, 70, 65)),
        ("campaign", "online_payment", (40, 35, 30)),
        ("annual-2023", "online", (30, 30, 30)),
        ("annual-2023", "digitized", (70, 60, 55)),
        ("annual-2023", "online_payment", (30, 30, 30)),
        ("annual-2022", "online", (20, 20, 20)),
        ("annual-2022", "digitized", (50, 40, 35)),
        ("annual-2022", "online_payment", (10, 10, 10)),
    ]:
        for level, value in zip(("province", "district", "commune"), values, strict=True):
            expected[(target_set, level, kpi)] = float(value)
    assert got == expected
    annual_23 = targets[targets["target_set"] == "annual-2023"]
    assert annual_23.loc[annual_23["kpi"] == "digitized", "note"].str.contains("results only").all()
    assert annual_23.loc[annual_23["kpi"] == "online", "note"].str.contains("vertical agencies").all()
    assert targets.loc[targets["target_set"] == "annual-2022", "note"].str.contains("2942/QĐ-UBND").any()


# ------------------------------------------------------------------------------------ campaign & sources


def test_campaign_toml(campaign):
    assert campaign["id"] == "camau-2023" and campaign["synthetic"] is False
    assert (campaign["province_code"], campaign["province_name_vi"], campaign["province_name_en"]) == (
        "96",
        "Cà Mau",
        "Ca Mau",
    )
    assert (campaign["baseline_period"], campaign["default_period"], campaign["target_set"]) == (
        "2022",
        "2023-campaign",
        "campaign",
    )
    assert campaign["kpis"] == list(KPIS)
    assert campaign["levels"] == ["province", "district", "commune"]
    assert campaign["name"]["vi"] == (
        "Chiến dịch cao điểm 69 ngày đêm “Nâng cao hiệu quả sử dụng dịch vụ công trực tuyến trên địa bàn tỉnh Cà Mau”"
    )
    assert campaign["plan"] == {"number": "48/KH-UBND", "date": "2023-02-28", "source_id": "plan48"}
    periods = {p["id"]: p for p in campaign["periods"]}
    assert (periods["2022"]["kind"], periods["2022"]["start"], periods["2022"]["end"]) == (
        "baseline",
        "2022-01-01",
        "2022-12-31",
    )
    camp = periods["2023-campaign"]
    assert (camp["kind"], camp["start"], camp["end"]) == ("campaign", "2023-03-01", "2023-05-09")
    assert camp["label_vi"] == "Chiến dịch 69 ngày đêm (01/3–09/5/2023)"
    # The plan's dates are kept as printed: 01/3-09/5 is 70 calendar days counting both ends, 69 between
    # them; the campaign's name says "69 ngày đêm" (see README).
    assert (pd.Timestamp(camp["end"]) - pd.Timestamp(camp["start"])).days == 69
    reporting = campaign["reporting"]
    assert (reporting["due_weekday"], reporting["due_time"], reporting["source_section"]) == (
        "Friday",
        "16:00",
        "IV.4",
    )


def test_campaign_name_and_duty_are_in_the_plan(campaign, source_texts):
    plan = source_texts["plan48"]
    assert "Chiến dịch cao điểm 69 ngày đêm “Nâng cao hiệu quả sử dụng dịch vụ công trực tuyến trên địa bàn" in plan
    assert "trước 16 giờ ngày thứ sáu hàng tuần" in plan
    assert "Từ ngày 01/3/2023 đến ngày 09/5/2023" in plan
    assert "Số: 48/KH-UBND" in plan


def test_sources_cover_every_reference(sources, units, observations, targets, totals):
    assert sources["source_id"].is_unique
    used = set().union(units["source_id"], observations["source_id"], targets["source_id"], totals["source_id"])
    assert used == set(sources["source_id"])
    for published in sources["published"]:
        assert published == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", published)


def test_csv_files_are_what_the_build_script_writes():
    """The CSVs are generated: a hand edit that the script would undo is caught here."""
    spec = importlib.util.spec_from_file_location(
        "build_camau_units", PROJECT_ROOT / "scripts" / "build_camau_units.py"
    )
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    built_units = build.build_units()
    tables = {
        "units.csv": built_units,
        "observations.csv": build.build_observations(built_units),
        "targets.csv": build.build_targets(),
        "reported_totals.csv": build.build_reported_totals(built_units),
    }
    for file, frame in tables.items():
        expected = frame.to_csv(index=False, lineterminator="\n")
        assert Path(CAMPAIGN_DIR / file).read_text(encoding="utf-8") == expected, file


# ----------------------------------------------------------------------------------------- admin_units


def test_normalize_name_drops_council_type_and_accents():
    assert normalize_name("UBND xã Phú Hung") == normalize_name("Xã Phú Hưng") == "phu hung"
    assert normalize_name("  UBND  thị trấn   Đầm Dơi ") == "dam doi"
    assert normalize_name("Phường 04") == normalize_name("phường 4") == "4"
    assert split_unit_type("UBND thị trấn Thới Bình") == ("thị trấn", "Thới Bình")
    assert split_unit_type("Thới Bình") == (None, "Thới Bình")


def test_resolve_phu_hung_despite_missing_horn():
    found = resolve_commune("UBND xã Phú Hung", "969", "96")
    assert (found["code"], found["official_name"], found["match"]) == (
        "32134",
        "Xã Phú Hưng",
        "accent-folded",
    )


def test_phuong_4_is_refused_not_aliased_to_phuong_2():
    with pytest.raises(UnitResolutionError) as info:
        resolve_commune("Phường 4", "964", "96")
    assert "matches no unit" in str(info.value)
    assert isinstance(info.value, DvcttError)
    # The package's own parser does map it to Phường 2: the trap this module exists to avoid.
    from vietnamadminunits import ParseMode, parse_address

    trap = parse_address("Phường 4, Thành phố Cà Mau, Tỉnh Cà Mau", mode=ParseMode.LEGACY, level=3)
    assert str(trap.ward_code) == "32002"


def test_thoi_binh_without_type_is_ambiguous():
    with pytest.raises(UnitResolutionError) as info:
        resolve_commune("Thới Bình", "967", "96")
    assert sorted(info.value.candidates) == [("32065", "Thị trấn Thới Bình"), ("32077", "Xã Thới Bình")]
    assert "Thị trấn Thới Bình" in str(info.value) and "Xã Thới Bình" in str(info.value)


def test_thoi_binh_with_type_resolves():
    assert resolve_commune("thị trấn Thới Bình", "967", "96")["code"] == "32065"
    assert resolve_commune("UBND xã Thới Bình", "967", "96")["code"] == "32077"


def test_unknown_and_wrong_district_raise():
    with pytest.raises(UnitResolutionError):
        resolve_commune("UBND xã Phú Hưng", "964", "96")  # right name, wrong district
    with pytest.raises(UnitResolutionError):
        resolve_commune("Xã Không Có", "969", "96")
    with pytest.raises(UnitResolutionError):
        resolve_commune("Xã Phú Hưng", "000", "96")
    with pytest.raises(UnitResolutionError):
        legacy_units("96' or '1'='1")


def test_resolve_district():
    assert resolve_district("UBND huyện Cái Nước", "96")["code"] == "969"
    assert resolve_district("TP Cà Mau", "96") == {
        "code": "964",
        "official_name": "Thành phố Cà Mau",
        "unit_type": "thành phố",
        "match": "exact",
    }


def test_legacy_units_returns_a_fresh_frame():
    first = legacy_units("96")
    assert first.columns.tolist() == ["district_code", "district", "ward_code", "ward", "ward_type"]
    assert len(first) == 100  # Phường 4 of TP Cà Mau is missing from the package's legacy table
    first.loc[:, "ward"] = "changed"
    assert "changed" not in set(legacy_units("96")["ward"])
