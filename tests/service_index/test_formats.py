"""read_index_files on every format the portal and provinces publish: the real 2026 answers (tests/fixtures/
portal-2026/, copied unmodified from ../shared/data/portal-2026/), the real 2025 export and JSON copies of it."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from portal2026_workbook import gia_lai_workbook, unit_rows

from dvctt.errors import IngestError
from dvctt.service_index.definition import COMPONENTS
from dvctt.service_index.formats import expand, read_index_files
from dvctt.service_index.store import load_index, save_index

FIXTURES = Path(__file__).parents[1] / "fixtures"
PORTAL = FIXTURES / "portal-2026"
NATIONAL = PORTAL / "service-results_national_year2026_asof-2026-09-17.json"
AN_GIANG = PORTAL / "service-results_H01_AnGiang_year2026.json"
GIA_LAI = PORTAL / "service-results_H21_GiaLai_year2026.json"
GIA_LAI_FEB = PORTAL / "service-results_H21_GiaLai_month2026-02.json"
BUNDLE = PORTAL / "components_H21_GiaLai_year2026_2026-10-02.json"
EXCERPT = PORTAL / "components_H21_GiaLai_year2026_EXCERPT.json"
EXPORT_2025 = FIXTURES / "index766" / "bao_cao_766_tinh_2025.xlsx"


def _issues(excinfo: pytest.ExceptionInfo) -> list[tuple]:
    return [(i.file, i.column, i.rule) for i in excinfo.value.issues]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_national_answer_gives_an_giang_60_35_and_24th_of_34_as_of_17_september():
    frame = read_index_files([NATIONAL])
    assert len(frame) == 34 and set(frame["level"]) == {"province"}
    assert set(frame["period"]) == {"2026-ytd"} and set(frame["as_of"]) == {"2026-09-17"}  # request.json, name
    an_giang = frame.set_index("unit_code").loc["H01"]
    assert an_giang["total"] == 60.35 and an_giang["unit_name"] == "UBND tỉnh An Giang"
    parts = {"CKMB": 8.0, "TDGQ": 17.98, "CLGQ": 8.88, "TTTT": 6.33, "MDHL": 10.19, "MDSH": 8.97}
    assert an_giang[list(parts)].to_dict() == parts
    assert math.isclose(sum(parts.values()), 60.35, abs_tol=0.01)
    rank = int((frame["total"] > an_giang["total"]).sum()) + 1
    assert rank == 24


def test_a_provinces_answer_gives_its_117_units_with_totals_only_and_nan_components():
    frame = read_index_files([AN_GIANG])
    assert len(frame) == 117 and frame["level"].value_counts().to_dict() == {"commune": 102, "agency": 15}
    assert set(frame["province_code"]) == {"H01"} and "H01" not in set(frame["unit_code"])
    assert frame[list(COMPONENTS)].isna().all().all()  # the answer gives no components: NaN, never 0
    assert set(frame["period"]) == {"2026-ytd"} and set(frame["as_of"]) == {""}  # no date anywhere: none
    gia_lai = read_index_files([GIA_LAI])
    assert gia_lai["level"].value_counts().to_dict() == {"commune": 135, "agency": 14}


def test_a_month_answer_takes_its_month_from_the_file_name():
    frame = read_index_files([GIA_LAI_FEB])
    assert set(frame["period"]) == {"2026-02"} and len(frame) == 149


def test_the_component_bundle_gives_the_six_components_that_add_up_to_each_total():
    frame = read_index_files([BUNDLE])
    assert len(frame) == 149 and set(frame["as_of"]) == {"2026-10-02"} and set(frame["period"]) == {"2026-ytd"}
    assert frame[list(COMPONENTS)].notna().all().all()
    assert ((frame[list(COMPONENTS)].sum(axis=1) - frame["total"]).abs() <= 0.015).all()
    raw = json.loads(BUNDLE.read_text(encoding="utf-8"))
    totals = {r["departmentCode"]: r["totalScore"] for r in raw["SERVICE_RESULTS"]["data"]["evaluation"]}
    assert frame.set_index("unit_code")["total"].to_dict() == totals
    online = {r["departmentCode"]: r["totalScore"] for r in raw["ONLINE"]["data"]["children"]}
    assert frame.set_index("unit_code")["CLGQ"].to_dict() == online  # the crawler's ONLINE is CLGQ


def test_a_sidecar_gives_the_period_and_the_vietnam_date_of_the_fetch(tmp_path):
    answer = shutil.copy(GIA_LAI, tmp_path / "20260916T183000_service-results_H21_year.json")
    meta = {"url": "https://example.invalid/api/v1/reporting/evaluation/service-results", "method": "POST",
            "body": {"timeType": "month", "year": 2026, "month": 9}, "fetched_at": "2026-09-16T18:30:00+00:00",
            "status": 201}  # fmt: skip
    Path(answer).with_name(Path(answer).stem + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    frame = read_index_files([tmp_path])  # the folder: the answer, its sidecar read with it
    assert len(frame) == 149 and set(frame["period"]) == {"2026-09"} and set(frame["as_of"]) == {"2026-09-17"}


def test_the_2025_records_as_json_read_like_the_export(tmp_path):
    sheet = openpyxl.load_workbook(EXPORT_2025)["Báo cáo 766"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    path = tmp_path / "bao_cao_766_2025-ytd.json"
    path.write_text(
        json.dumps({"data": [dict(zip(header, r, strict=True)) for r in rows]}, ensure_ascii=False), "utf-8"
    )
    frame = read_index_files([path])
    export = read_index_files([EXPORT_2025], period="2025-ytd")
    assert len(frame) == 34 and set(frame["period"]) == {"2025-ytd"}
    assert frame.set_index("unit_code").loc["H01", "total"] == 87.8  # printed rank 10 in the export
    pd.testing.assert_frame_equal(
        frame.set_index("unit_code")[[*COMPONENTS, "total"]].sort_index(),
        export.set_index("unit_code")[[*COMPONENTS, "total"]].sort_index(),
    )


def test_a_folder_of_every_answer_is_read_in_one_call_and_left_as_it_was(tmp_path):
    folder = tmp_path / "answers"
    shutil.copytree(PORTAL, folder, ignore=shutil.ignore_patterns("*EXCERPT*"))
    before = _digest(folder)
    assert [p.name for p in expand([folder])] == sorted(
        p.name for p in folder.iterdir() if p.suffix == ".json" and not p.name.endswith("_request.json")
    )
    frame = read_index_files([folder])
    counts = frame.groupby(["file"]).size().to_dict()
    assert counts == {BUNDLE.name: 149, AN_GIANG.name: 117, GIA_LAI_FEB.name: 149, GIA_LAI.name: 149, NATIONAL.name: 34}
    assert _digest(folder) == before


def test_a_cut_excerpt_is_refused_naming_the_json_path_and_what_was_expected():
    with pytest.raises(IngestError) as excinfo:
        read_index_files([PORTAL])
    issues = excinfo.value.issues
    assert {i.file for i in issues} == {EXCERPT.name}
    first = issues[0]
    assert (first.column, first.rule) == ("TRANSPARENCY.data.evaluation[1]", "index_json_shape")
    text = first.reason("en")
    assert "expected a unit's record {departmentId, departmentCode, departmentName, totalScore" in text
    assert "a cut made by whoever copied the answer" in text and "the file is kept as it is" in text


def _national(change) -> object:  # noqa: ANN001
    doc = json.loads(NATIONAL.read_text(encoding="utf-8"))
    change(doc["data"]["evaluation"])
    return doc


@pytest.mark.parametrize(
    ("doc", "column", "rule", "words"),
    [
        ({"code": "OK", "data": {"rows": []}, "message": "OK"}, "data", "index_unknown_answer", "data.evaluation"),
        ([{"name": "x"}], "[0]", "index_unknown_format", "a 2026 service-results answer"),
        (_national(lambda rows: rows.__setitem__(5, {"foo": 1})), "data.evaluation[5]", "index_json_shape",
         "expected a unit's record {departmentId, departmentCode, departmentName, totalScore, …}, found {foo}"),
        (_national(lambda rows: rows[23].__setitem__("totalScore", "60,35")), "data.evaluation[23].totalScore",
         "index_json_shape", "expected a number, found '60,35'"),
        (_national(lambda rows: rows[23]["groupScores"].pop("CLGQ")), "data.evaluation[23].groupScores",
         "index_json_shape", "CLGQ"),
    ],
)  # fmt: skip
def test_a_json_of_unknown_shape_is_refused_naming_file_path_and_what_was_expected(tmp_path, doc, column, rule, words):
    path = tmp_path / "answer_year2026.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(IngestError) as excinfo:
        read_index_files([path])
    assert _issues(excinfo)[0] == (path.name, column, rule), excinfo.value.issues[0].reason("en")
    assert words in excinfo.value.issues[0].reason("en")
    assert path.read_bytes() == before


def test_missing_components_are_stored_and_loaded_as_nan_never_0(tmp_path):
    frame = read_index_files([AN_GIANG])
    save_index(tmp_path / "index", frame, [AN_GIANG], replace=False, meta_id="index-766")
    tidy = load_index(tmp_path / "index")
    commune = tidy[tidy["unit_code"] == "H01.189"]
    assert len(commune) == len(COMPONENTS) and commune["score"].isna().all()
    assert commune["total"].tolist() == [frame.set_index("unit_code").loc["H01.189", "total"]] * len(COMPONENTS)


def test_a_provinces_four_sheet_workbook_gives_year_month_agency_and_commune_rows_in_one_call(tmp_path):
    path = gia_lai_workbook(tmp_path / "chi_so_gia_lai.xlsx")
    frame = read_index_files([path], period="2026-ytd")  # one plain period fills in nothing: each sheet states its own
    rows = frame.groupby(["sheet", "period", "as_of", "level"]).size().to_dict()
    assert rows == {
        ("Năm 2026", "2026-ytd-10", "2026-10-02", "province"): 1,
        ("Tháng 02", "2026-02", "2026-02-28", "province"): 1,
        ("Sở, ban, ngành", "2026-ytd-10", "2026-10-02", "agency"): 14,
        ("Cấp xã", "2026-ytd-10", "2026-10-02", "commune"): 135,
    }
    gia_lai = frame[frame["unit_code"] == "H21"].set_index("period")
    assert gia_lai.loc["2026-ytd-10", ["CKMB", "TDGQ", "MDHL", "MDSH", "total"]].tolist() == [
        11.79, 17.12, 10.91, 9.43, 65.47,
    ]  # fmt: skip
    assert gia_lai.loc["2026-02", "total"] == 34.19
    assert gia_lai[["CLGQ", "TTTT"]].isna().all().all()  # the page's "Dịch vụ trực tuyến" does not split them
    assert set(frame.loc[frame["level"] != "province", "province_code"]) == {"H21"}  # no province row needed
    raw = unit_rows(json.loads(BUNDLE.read_text(encoding="utf-8")))
    assert frame.set_index("unit_code").loc["H21.01", "total"] == raw["H21.01"][7]


def test_repeated_sheets_read_each_named_sheet_and_a_csv_is_read_whole(tmp_path):
    path = gia_lai_workbook(tmp_path / "chi_so_gia_lai.xlsx")
    sheet = openpyxl.load_workbook(EXPORT_2025)["Báo cáo 766"]
    csv = tmp_path / "bao_cao_766.csv"
    csv.write_text(
        "\n".join(",".join("" if v is None else str(v) for v in r) for r in sheet.iter_rows(values_only=True))
    )
    frame = read_index_files([path, csv], sheets=["Tháng 02", "Cấp xã"], period="2025-ytd")
    assert frame.groupby(["file", "sheet"]).size().to_dict() == {
        (csv.name, ""): 34, (path.name, "Cấp xã"): 135, (path.name, "Tháng 02"): 1,
    }  # fmt: skip
    assert read_index_files([csv], sheets=["Tháng 02"], period="2025-ytd")["total"].max() == 91.64
    with pytest.raises(IngestError) as excinfo:
        read_index_files([path], sheets=["Tháng 02", "Tháng 13"])
    assert excinfo.value.issues[0].rule == "wrong_sheet"
    assert "'Cấp xã', 'Năm 2026', 'Sở, ban, ngành', 'Tháng 02'" in excinfo.value.issues[0].reason("en")
