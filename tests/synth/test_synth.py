"""The synthetic province: deterministic, visibly synthetic, realistic in shape, and a valid campaign folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import run_dvctt

from dvctt.analysis.reconcile import reconcile
from dvctt.campaign.loading import load_campaign
from dvctt.synth import province as synth

N = 30_000
CSV_FILES = ("campaign.toml", "units.csv", "observations.csv", "targets.csv", "reported_totals.csv", "sources.csv")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return synth.write_campaign(N, 7, tmp_path_factory.mktemp("synth") / "province")


@pytest.fixture(scope="module")
def campaign(folder):
    return load_campaign(folder)


def _result(campaign, period: str = "2023-campaign") -> pd.DataFrame:
    obs = campaign.observations
    return obs[obs["period"] == period].merge(campaign.units[["unit_code", "level"]], on="unit_code")


def test_same_n_and_seed_give_byte_identical_files(folder, tmp_path):
    again = synth.write_campaign(N, 7, tmp_path / "again")
    for name in CSV_FILES:
        assert (again / name).read_bytes() == (folder / name).read_bytes(), name
    other = synth.write_campaign(N, 8, tmp_path / "other")
    assert (other / "observations.csv").read_bytes() != (folder / "observations.csv").read_bytes()
    assert (other / "units.csv").read_bytes() == (folder / "units.csv").read_bytes()  # same province, other dossiers


def test_folder_loads_as_a_synthetic_campaign(campaign):
    definition = campaign.definition
    assert definition.synthetic and definition.province_code == "99" and definition.id == "mophong-2023"
    assert [p.id for p in definition.periods] == ["2022"] + [f"2023-W{w}" for w in range(10, 20)] + ["2023-campaign"]
    assert definition.default_period == "2023-campaign" and definition.baseline_period == "2022"
    assert definition.kpis == ("online", "digitized", "online_payment", "on_time", "full_process")
    assert "Tỉnh Mô Phỏng" in definition.name_vi and "fictional" in definition.name_en
    assert campaign.units["level"].value_counts().to_dict() == {"province": 15, "district": 6, "commune": 60}
    assert campaign.units["official_name"].str.contains("Mô Phỏng").all()
    assert set(campaign.units["code_source"]) == {"synthetic"}
    assert list(campaign.units["unit_code"].iloc[[0, 15, 21, 80]]) == ["99.A01", "901", "90101", "90610"]
    title = campaign.sources["title"].iloc[0]  # Vietnamese words and number conventions: it shows in the report
    assert "số khởi tạo 7" in title and f"{N:,} hồ sơ".replace(",", ".") in title and "seed" not in title


def test_counts_are_known_for_every_unit_period_and_kpi(campaign, folder):
    obs = campaign.observations
    assert len(obs) == 81 * 12 * 5
    assert obs["numerator"].notna().all() and obs["denominator"].notna().all()
    dossiers = pd.read_parquet(folder / "dossiers.parquet")
    assert len(dossiers) == N and dossiers["MaHoSo"].is_unique
    online = obs[(obs["kpi"] == "online") & obs["period"].isin(["2022", "2023-campaign"])]
    assert int(online["denominator"].sum()) == N  # every dossier is received in the baseline or the campaign


def test_weeks_add_up_to_the_campaign(campaign):
    obs = campaign.observations
    weeks = obs[obs["period"].str.contains("-W")].groupby(["unit_code", "kpi"])[["numerator", "denominator"]].sum()
    whole = obs[obs["period"] == "2023-campaign"].set_index(["unit_code", "kpi"])[["numerator", "denominator"]]
    pd.testing.assert_frame_equal(weeks.sort_index(), whole.sort_index(), check_dtype=False)


def test_volumes_are_spread_from_tens_of_thousands_to_a_few_dozen():
    volumes = synth.generate(200_000, 2023).dossiers.column("DonViXuLy").to_pandas().astype(str).value_counts()
    assert volumes.iloc[:3].min() > 20_000  # land, transport and business registration
    assert volumes.min() < 60 and volumes.max() > 500 * volumes.min()
    assert len(volumes) == 81


def test_some_units_at_zero_some_near_full_some_without_fees(campaign):
    result = _result(campaign)
    ok = result[result["status"] == "ok"]
    zeros = ok[ok["rate"] == 0]
    assert {"online", "online_payment"} <= set(zeros["kpi"])
    assert "906" in set(zeros.loc[zeros["kpi"] == "online_payment", "unit_code"])  # a whole district stuck at 0%
    assert (ok["rate"] >= 98.5).sum() >= 3
    no_fees = result[(result["kpi"] == "online_payment") & (result["status"] == "not_applicable")]
    assert {"99.A05", "99.A07", "99.A11", "99.A15"} <= set(no_fees["unit_code"])


def test_rates_rise_during_the_campaign_at_different_speeds(campaign):
    obs = campaign.observations.merge(campaign.units[["unit_code", "level"]], on="unit_code")
    online = obs[obs["kpi"] == "online"].groupby(["level", "period"])[["numerator", "denominator"]].sum()
    rate = online["numerator"] / online["denominator"]
    for level in ("province", "district", "commune"):
        assert rate[(level, "2022")] < rate[(level, "2023-W12")] < rate[(level, "2023-W19")]
    result = _result(campaign)
    online_units = result[(result["kpi"] == "online") & (result["status"] == "ok")]
    assert online_units["rate"].max() - online_units["rate"].min() > 50


def test_reported_totals_are_pooled_two_decimals_and_reconcile(campaign):
    totals = campaign.reported_totals
    assert set(totals["level"]) == {"province", "district", "commune", "all"}
    assert set(totals["period"]) == {"2022", "2023-campaign"}
    assert (totals["value"] == (totals["numerator"] / totals["denominator"] * 100).round(2)).all()
    assert totals["printed"].str.fullmatch(r"\d+,\d\d%").all()
    checks = reconcile(campaign.units, campaign.observations, totals, targets=campaign.targets)
    counted = checks[checks["method"].isin(["pooled_counts", "unit_counts", "sum_of_levels"])]
    assert len(counted) == 90 and (counted["verdict"] == "consistent").all()


def test_cli_synth_writes_a_loadable_folder(tmp_path):
    out = tmp_path / "demo"
    done = run_dvctt("synth", "--dossiers", "5000", "--seed", "3", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5,000 dossiers, seed 3" in done.stdout and f"dvctt report --campaign {out}" in done.stdout
    assert load_campaign(out).definition.raw["generated"] == {
        "generator": "dvctt.synth.province",
        "seed": 3,
        "dossiers": 5000,
        "command": "dvctt synth --dossiers 5000 --seed 3 --out DIR",
        "dossiers_file": "dossiers.parquet",
    }
    assert synth.write_campaign(5000, 4, out) == out.resolve()  # a synthetic folder may be regenerated in place
    assert load_campaign(out).definition.raw["generated"]["seed"] == 4


def test_cli_synth_never_overwrites_other_data(tmp_path):
    out = tmp_path / "analyst-data"
    out.mkdir()
    (out / "observations.csv").write_text("precious\n", encoding="utf-8")
    done = run_dvctt("synth", "--dossiers", "100", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 1 and "not a synthetic campaign folder" in done.stderr
    assert (out / "observations.csv").read_text(encoding="utf-8") == "precious\n"
    bad = run_dvctt("synth", "--dossiers", "0", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert bad.returncode == 1 and "--dossiers must be between 1" in bad.stderr


@pytest.mark.e2e
def test_dvctt_report_renders_the_synthetic_province(folder, tmp_path):
    done = run_dvctt("report", "--campaign", str(folder), "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    html = next((tmp_path / "r").glob("campaign_report_2023-campaign_vi.html")).read_text(encoding="utf-8")
    assert "DỮ LIỆU MÔ PHỎNG" in html and "Tỉnh Mô Phỏng" in html
