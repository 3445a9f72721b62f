"""Issue 21 item 7 end to end: Gia Lai's real components bundle of 02/10/2026 → `dvctt index BUNDLE --store
DIR --counts-only` → a new campaign folder that `dvctt check` passes → `dvctt report --campaign DIR` renders the
campaign report on the portal's own counts, with intervals and the reconciliation of its printed ratios."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_dvctt

BUNDLE = Path(__file__).parents[1] / "fixtures" / "portal-2026" / "components_H21_GiaLai_year2026_2026-10-02.json"
PERIOD = "2026-ytd-2026-10-02"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.e2e
def test_the_portal_counts_become_a_campaign_that_checks_and_renders_with_intervals(tmp_path):
    folder = tmp_path / "gialai-2026"
    done = run_dvctt("index", str(BUNDLE), "--store", str(folder), "--counts-only", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"period {PERIOD}: 596 số liệu / observations of 149 đơn vị / units" in done.stdout
    assert "133/135 xã, phường khớp mã chính thức" in done.stdout and "2 chưa khớp / unmatched" in done.stdout
    assert "  - H21.108 UBND xã Albá: no commune of province 52 is named 'xã Albá'" in done.stdout
    assert "online: không có / cannot be given" in done.stdout
    assert "PAYMENT ONLINE_PAYMENT: 145/146 lệch quá" in done.stdout

    units = _read(folder / "units.csv").set_index("portal_code")
    assert units["level"].value_counts().to_dict() == {"commune": 135, "province": 14}
    assert tuple(units.loc["H21.02", ["unit_code", "level", "code_source"]]) == ("H21.02", "province", "project")
    assert units.loc["H21.108", "code_source"] == "unresolved"  # kept under its portal code, with the reason
    communes = units[(units["level"] == "commune") & (units["code_source"] == "gso-vietnamadminunits")]
    assert len(communes) == 133 and communes["unit_code"].str.fullmatch(r"\d{5}").all()

    checked = run_dvctt("check", str(folder), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "levels (units): province 14, commune 135" in checked.stdout and "596 observations" in checked.stdout

    out = tmp_path / "out"
    report = run_dvctt("report", "--campaign", str(folder), "--out", str(out), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    raw = json.loads(BUNDLE.read_text(encoding="utf-8"))
    progress = next(r for r in raw["PROGRESS"]["data"]["children"] if r["departmentCode"] == "H21.02")
    on_time = progress["totalOnTime"] / progress["totalReceived"] * 100  # 257 / 304
    tables = out / "tables" / PERIOD
    summary = _read(tables / "unit_summary.csv").set_index(["unit_code", "kpi"])
    row = summary.loc[("H21.02", "on_time")]
    assert (row["numerator"], row["denominator"]) == ("257", "304")
    assert float(row["result"]) == pytest.approx(on_time)
    assert float(row["ci_low"]) < on_time < float(row["ci_high"])  # the interval from the counts
    assert summary.loc[("H21.01", "online_payment"), "status"] == "not_applicable"  # 0/0, not 0 %
    text = _text((out / f"campaign_report_{PERIOD}_vi.html").read_text(encoding="utf-8"))
    assert f"Ban Quản lý Khu kinh tế: — → {on_time:.2f}%".replace(".", ",") in text  # 84,54%
    assert "khoảng tin cậy 95%" in text and "Lũy kế năm 2026 (đến ngày 02/10/2026)" in text
    reconciliation = _read(tables / "reconciliation.csv").set_index(["kpi", "method"])
    paid = reconciliation.loc[("online_payment", "unit_counts")]
    assert (paid["reported"], paid["verdict"]) == ("70.9", "differs")  # the portal's ratio is not its counts'
    assert float(paid["recomputed"]) == pytest.approx(215210 / 237216 * 100)
    assert reconciliation.loc[("on_time", "unit_counts"), "verdict"] == "consistent"  # 334582 / 390901
    assert "Traceback" not in text

    again = run_dvctt("index", str(BUNDLE), "--store", str(folder), "--counts-only", cwd=tmp_path)
    assert again.returncode == 0 and "(đã có / existing)" in again.stdout
    assert len(_read(folder / "observations.csv")) == 596  # the same snapshot again: upserted, not doubled


@pytest.mark.e2e
def test_into_a_campaign_started_with_dvctt_new_communes_join_by_official_code_and_agencies_are_listed(tmp_path):
    folder = tmp_path / "gialai"
    assert run_dvctt("new", str(folder), "--province", "52", cwd=tmp_path).returncode == 0
    done = run_dvctt("index", str(BUNDLE), "--store", str(folder), "--counts-only", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # dvctt new's agencies are unconfirmed examples (no figures for them); the two communes the code list
    # spells otherwise are not among its units: all 16 listed, none dropped silently.
    assert "16 đơn vị của Cổng không có trong units.csv, không ghi" in done.stdout
    assert "    - H21.131 UBND xã Ia Chía" in done.stdout
    obs = _read(folder / "observations.csv")
    assert len(obs) == 133 * 4 and obs["unit_code"].str.fullmatch(r"\d{5}").all()
    toml = (folder / "campaign.toml").read_text(encoding="utf-8")
    assert f'id = "{PERIOD}"' in toml  # the snapshot added as a period
    assert run_dvctt("check", str(folder), cwd=tmp_path).returncode == 0
