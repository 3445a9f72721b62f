"""Starting from nothing: `dvctt new` (code list, two tiers or the 2023 geography, --from), `dvctt check`, shipped
campaigns read-only, `--unit` for any unit checked before a kernel starts, and `--all --units LEVEL`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import TWO_TIER_FILES, write_campaign
from openpyxl import load_workbook

from dvctt import paths
from dvctt.campaign.loading import load_campaign
from dvctt.cli import main as cli
from dvctt.errors import ParameterError
from dvctt.ingest.template import build_template
from dvctt.publish.batch import plan
from dvctt.report.progress_sections import resolve_unit


def _units(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)


def test_new_two_tier_ca_mau_has_the_64_official_communes_and_no_district(tmp_path, capsys):
    folder = tmp_path / "camau-2026"
    assert cli.main(["new", str(folder), "--province", "96"]) == 0
    units = _units(folder)
    communes = units[units["level"] == "commune"]
    assert len(communes) == 64
    assert communes["official_name"].str.startswith("Phường").sum() == 9
    assert communes["official_name"].str.startswith("Xã").sum() == 55
    assert set(units["level"]) == {"province", "commune"} and set(units["parent_code"]) == {"96"}
    assert (communes["code_source"] == "gso-vietnamadminunits").all()
    vinh_my = communes[communes["official_name"] == "Xã Vĩnh Mỹ"]
    assert list(vinh_my["unit_code"]) == ["31918"]  # the code list's code (facts.md), not a guess
    campaign = load_campaign(folder)
    assert campaign.definition.levels == ("province", "commune") and campaign.definition.id == "camau-2026"
    for file in folder.iterdir():
        assert "district" not in file.read_text(encoding="utf-8").lower() or file.name == "README.md"
    out = capsys.readouterr().out
    assert "camau-2026: hợp lệ / OK" in out and "levels (units): province 0, commune 64" in out
    assert "cấp (số đơn vị): Cấp tỉnh 0, Cấp xã 64" in out
    book = load_workbook(build_template(folder, tmp_path / "bieu.xlsx"))
    assert book.sheetnames == ["Cấp tỉnh", "Cấp xã"]
    assert book["Cấp xã"].cell(5, 3).value == communes.iloc[0]["official_name"]


def test_new_writes_the_provincial_agencies_as_an_unconfirmed_example_kept_out_of_reports(tmp_path, capsys):
    """No source lists a province's agencies after 2025: the rows say so in Vietnamese, and no report, template,
    ingest or --all plan uses them until the analyst confirms them (code_source = project)."""
    folder = tmp_path / "camau-2026"
    assert cli.main(["new", str(folder), "--province", "96"]) == 0
    agencies = _units(folder).query("level == 'province'")
    assert len(agencies) == 12 and set(agencies["code_source"]) == {"example"}
    assert agencies["note"].str.startswith("VÍ DỤ, CHƯA XÁC NHẬN: cơ quan cấp tỉnh mẫu").all()
    assert "đổi code_source từ example thành project" in agencies["note"].iloc[0]
    assert "units.csv rows 2–13: 12 example units" in capsys.readouterr().out
    campaign = load_campaign(folder)
    assert len(campaign.example_units) == 12 and "province" not in set(campaign.units["level"])
    assert [j.subject for j in plan(campaign.units, campaign.definition.levels) if j.subject] == []
    book = load_workbook(build_template(folder, tmp_path / "bieu.xlsx"))
    assert book["Cấp tỉnh"].cell(5, 2).value is None  # no example agency to fill
    from dvctt.report.data import build_report_data

    assert "96.A03" not in set(build_report_data(folder).unit_summary["unit_code"])

    # a figure for an example agency is refused with the reason, naming file, row, column and value
    observations = folder / "observations.csv"
    header = observations.read_text(encoding="utf-8")
    observations.write_text(header + "96.A03,2026,online,,,80,ok,,codelist,,\n", encoding="utf-8")
    assert cli.main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "observations.csv, row 2, column 'unit_code': value '96.A03': an example unit of units.csv" in err
    observations.write_text(header, encoding="utf-8")

    # confirming two agencies brings exactly those into the campaign; the others stay examples
    units = _units(folder)
    units.loc[units["unit_code"].isin(["96.A03", "96.A04"]), "code_source"] = "project"
    units.to_csv(folder / "units.csv", index=False)
    assert cli.main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "levels (units): province 2, commune 64" in out and "units.csv rows 2, 3, 6, 7, 8" in out
    confirmed = load_campaign(folder)
    assert len(confirmed.example_units) == 10
    assert [j.subject for j in plan(confirmed.units, confirmed.definition.levels) if j.subject] == ["96.A03", "96.A04"]
    book = load_workbook(build_template(folder, tmp_path / "bieu-2.xlsx"))
    sheet = book["Cấp tỉnh"]
    assert [sheet.cell(r, 3).value for r in (5, 6, 7)] == ["Sở Tư pháp", "Sở Tài chính", None]
    for row, name in ((5, None), (6, None), (7, "Sở Y tế")):  # a row for an agency still marked as an example
        if name:
            sheet.cell(row, 3, name)
        sheet.cell(row, 4, 10)
        sheet.cell(row, 5, 20)
    book.save(tmp_path / "tuan.xlsx")
    assert cli.main(["ingest", str(tmp_path / "tuan.xlsx"), "--campaign", str(folder), "--period", "2026"]) == 1
    captured = capsys.readouterr()
    assert "2 observations (2 new" in captured.out + captured.err
    assert (
        "sheet 'Cấp tỉnh', row 7, column 'C: Tên đơn vị': 'Sở Y tế': «Sở Y tế» (96.A10) là đơn vị VÍ DỤ chưa xác "
        "nhận trong units.csv (code_source = example)" in captured.err
    )


def test_new_in_the_2023_geography_has_districts_and_their_communes(tmp_path):
    folder = tmp_path / "camau-old"
    assert cli.main(["new", str(folder), "--province", "96", "--geography", "2023"]) == 0
    units = _units(folder)
    districts = units[units["level"] == "district"]
    assert sorted(districts["unit_code"]) == ["964", "966", "967", "968", "969", "970", "971", "972", "973"]
    communes = units[units["level"] == "commune"]
    assert set(communes["parent_code"]) == set(districts["unit_code"])
    assert communes.loc[communes["unit_code"] == "32134", "official_name"].item() == "Xã Phú Hưng"
    assert load_campaign(folder).definition.levels == ("province", "district", "commune")


def test_new_refuses_a_folder_in_use_and_an_unknown_province(tmp_path, capsys):
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine", encoding="utf-8")
    assert cli.main(["new", str(used), "--province", "96"]) == 1
    assert "already exists and is not an empty folder" in capsys.readouterr().err
    assert (used / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert cli.main(["new", str(tmp_path / "x"), "--province", "95"]) == 1  # Bạc Liêu merged into Cà Mau
    err = capsys.readouterr().err
    assert "Province code '95' is not in the 2025 code list" in err and "96 (Tỉnh Cà Mau)" in err


def test_shipped_campaigns_are_read_only_and_new_from_makes_a_writable_copy(tmp_path, capsys):
    before = {p: p.read_bytes() for p in (paths.CAMPAIGNS_DIR / "camau-2023").rglob("*") if p.is_file()}
    stats = tmp_path / "tuan.csv"
    stats.write_text("Tên đơn vị,Tỷ lệ hồ sơ trực tuyến (%)\nXã Tân Ân,50\n", encoding="utf-8")
    args = ["ingest", str(stats), "--campaign", "camau-2023", "--period", "2023-campaign"]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "shipped with dvctt and read-only" in err and "dvctt new DIR --from camau-2023" in err
    copy = tmp_path / "my-camau"
    assert cli.main(["new", str(copy), "--from", "camau-2023"]) == 0
    assert load_campaign(copy).definition.id == "my-camau"
    assert cli.main(["ingest", str(stats), "--campaign", str(copy), "--period", "2023-campaign"]) == 0
    obs = load_campaign(copy).observations
    assert obs.query("period == '2023-campaign' and kpi == 'online' and rate == 50").shape[0] == 1
    after = {p: p.read_bytes() for p in (paths.CAMPAIGNS_DIR / "camau-2023").rglob("*") if p.is_file()}
    assert after == before


def test_check_passes_shipped_campaigns_and_names_every_problem(tmp_path, capsys):
    assert cli.main(["check", "directive10-2023"]) == 0
    assert "directive10-2023: hợp lệ / OK" in capsys.readouterr().out
    toml = TWO_TIER_FILES["campaign.toml"].replace('target_set = "campaign"', 'target_set = "annual"')
    assert cli.main(["check", str(write_campaign(tmp_path / "a", {**TWO_TIER_FILES, "campaign.toml": toml}))]) == 1
    err = capsys.readouterr().err
    assert "targets.csv, column 'target_set': value 'annual': campaign.toml target_set 'annual' has no rows" in err
    # a unit said to carry an official code must carry one of the province's codes in the campaign's geography
    files = {name: text.replace("99", "96") for name, text in TWO_TIER_FILES.items()}
    files["units.csv"] = files["units.csv"].replace("phường Hai,synthetic", "phường Hai,gso-vietnamadminunits")
    assert cli.main(["check", str(write_campaign(tmp_path / "b", files))]) == 1
    err = capsys.readouterr().err
    assert "units.csv, row 5, column 'unit_code': value '90102': not a commune code of province 96 in the 2025" in err
    assert cli.main(["check", str(tmp_path / "nowhere")]) == 1
    assert "not found" in capsys.readouterr().err


def test_unit_is_checked_before_any_kernel_starts(two_tier_campaign, capsys):
    assert cli.main(["report", "--campaign", str(two_tier_campaign), "--unit", "nope"]) == 1
    err = capsys.readouterr().err
    assert "Unit 'nope' is not a unit of campaign tiny-two-tier; valid codes: 99.A01 (Sở Một)" in err
    assert "90102 (Phường Hai)" in err
    campaign = load_campaign(two_tier_campaign)
    assert resolve_unit(campaign, "90102")["level"] == "commune"  # a commune has its own report


def test_all_plans_agencies_and_units_with_units_under_them_or_one_level(two_tier_campaign, tiny_campaign):
    two = load_campaign(two_tier_campaign)
    subjects = [job.subject for job in plan(two.units, two.definition.levels) if job.subject]
    assert subjects == ["99.A01", "99.A02"]  # communes have no units under them
    communes = [job.subject for job in plan(two.units, two.definition.levels, "commune") if job.subject]
    assert communes == ["90101", "90102"]
    with pytest.raises(ParameterError, match="not a level of this campaign; one of: province, commune"):
        plan(two.units, two.definition.levels, "district")
    three = load_campaign(tiny_campaign)
    assert [j.subject for j in plan(three.units, three.definition.levels) if j.subject] == ["99.A01", "99.A02", "901"]
