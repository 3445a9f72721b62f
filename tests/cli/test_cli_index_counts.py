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
from portal2026_files import BUNDLE

PERIOD = "2026-ytd-2026-10-02"
COMMUNE, COMMUNE_CODE = "H21.100", "23614"  # UBND phường An Bình → Phường An Bình


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
    sources = _read(folder / "sources.csv").set_index("source_id")
    portal = sources[sources.index.str.startswith("portal-")]
    assert list(portal["kind"]) == ["return"]  # a unit without counts has not reported: the level figure still shows

    # Every stored observation holds the answer's own counts: H21.02 (an agency) and Phường An Bình (a commune, stored
    # under its official code 23614).
    raw = json.loads(BUNDLE.read_text(encoding="utf-8"))
    obs = _read(folder / "observations.csv").set_index(["unit_code", "kpi"])
    assert len(obs) == 149 * 4 and set(obs["period"]) == {PERIOD}
    for portal_code in ("H21.02", COMMUNE):
        progress = next(r for r in raw["PROGRESS"]["data"]["children"] if r["departmentCode"] == portal_code)
        payment = next(r for r in raw["PAYMENT"]["data"]["children"] if r["departmentCode"] == portal_code)
        code = units.loc[portal_code, "unit_code"]
        on_time, paid = obs.loc[(code, "on_time")], obs.loc[(code, "online_payment")]
        assert (on_time["numerator"], on_time["denominator"]) == (
            str(progress["totalOnTime"]), str(progress["totalReceived"]),
        )  # fmt: skip
        assert (paid["numerator"], paid["denominator"]) == (
            str(payment["totalDossierOnlinePaymentSuccess"]), str(payment["totalDossierFinancialObligation"]),
        )  # fmt: skip
        assert on_time["printed"] == f"{progress['ratio']:g}" and on_time["source_id"].startswith("portal-")
    assert units.loc[COMMUNE, "unit_code"] == COMMUNE_CODE
    assert (obs.loc[(COMMUNE_CODE, "online"), "status"], obs.loc[(COMMUNE_CODE, "online"), "numerator"]) == (
        "missing", "",
    )  # fmt: skip

    checked = run_dvctt("check", str(folder), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "levels (units): province 14, commune 135" in checked.stdout and "596 observations" in checked.stdout

    out = tmp_path / "out"
    report = run_dvctt("report", "--campaign", str(folder), "--out", str(out), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
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

    # The unit report of a commune, on the portal's counts under its official code: its rates with intervals
    # and its rank among the 135 communes.
    unit = run_dvctt("report", "--campaign", str(folder), "--unit", COMMUNE_CODE, "--out", str(out), cwd=tmp_path)
    assert unit.returncode == 0, unit.stderr
    own = _read(tables / f"unit_{COMMUNE_CODE}_summary.csv").set_index("kpi")
    assert tuple(own.loc["on_time", ["unit_name", "numerator", "denominator", "rank", "n_ranked"]]) == (
        "Phường An Bình", "1448", "1598", "110", "135",
    )  # fmt: skip
    assert float(own.loc["on_time", "ci_low"]) < 1448 / 1598 * 100 < float(own.loc["on_time", "ci_high"])
    assert (own.loc["online", "status"], own.loc["online", "result"]) == ("missing", "")  # never 0 %
    page = _text((out / f"unit_report_{COMMUNE_CODE}_{PERIOD}_vi.html").read_text(encoding="utf-8"))
    assert "Báo cáo đơn vị: Phường An Bình" in page and "Tỷ lệ giải quyết đúng hạn — — 90,61% 110/135" in page

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


@pytest.mark.parametrize(
    ("endpoint", "index", "field", "value", "rule"),
    [
        ("PROGRESS", 1, "totalOnTime", 305, "more than totalReceived = 304: a rate counts a part of its denominator"),
        ("PAYMENT", 5, "totalDossierFinancialObligation", -1093, "expected a count: a whole number ≥ 0 or null"),
        ("PROGRESS", 1, "totalReceived", "304", "expected a number or null"),
    ],
)
def test_a_bad_count_is_refused_naming_file_json_path_and_value_and_nothing_is_written(
    tmp_path, endpoint, index, field, value, rule
):
    folder = tmp_path / "gialai-2026"
    assert run_dvctt("index", str(BUNDLE), "--store", str(folder), "--counts-only", cwd=tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    raw = json.loads(BUNDLE.read_text(encoding="utf-8"))
    raw[endpoint]["data"]["children"][index][field] = value  # H21.02's received 304; H21.100's fee-bearing 1093
    bad = tmp_path / "components_H21_GiaLai_year2026_2026-10-09.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    done = run_dvctt("index", str(bad), "--store", str(folder), "--counts-only", cwd=tmp_path)
    assert done.returncode == 1
    where = f"{bad.name}, column '$.{endpoint}.data.children[{index}].{field}': value '{value}': {rule}"
    assert where in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before  # nothing written
    assert run_dvctt("index", str(bad), "--store", str(tmp_path / "new"), "--counts-only", cwd=tmp_path).returncode == 1
    assert not (tmp_path / "new").exists()  # no campaign scaffolded from a refused answer
