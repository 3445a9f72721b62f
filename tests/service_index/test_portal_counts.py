"""The portal's counts in the 2026 component answers (issue 21 item 7), on Gia Lai's real bundle of 02/10/2026:
every metric with its numerator and denominator, the printed ratios reconciled against the counts, the KPIs an
answer gives and those it cannot, 0/0 as "does not apply", and bad bundles refused naming file and JSON path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dvctt.errors import IngestError, ParameterError
from dvctt.service_index import portal_counts as pc
from dvctt.service_index.portal_snapshot import bundle_snapshot, snapshot_period

BUNDLE = Path(__file__).parents[1] / "fixtures" / "portal-2026" / "components_H21_GiaLai_year2026_2026-10-02.json"


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(BUNDLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metrics():
    return pc.portal_metrics(pc.read_bundle(BUNDLE), BUNDLE.name)


def _progress(raw: dict, code: str) -> dict:
    return next(r for r in raw["PROGRESS"]["data"]["children"] if r["departmentCode"] == code)


def test_on_time_is_on_time_over_received_for_every_unit_as_the_answer_counts_it(raw, metrics):
    on_time = metrics[(metrics["metric"] == "ON_TIME") & (metrics["level"] != "province")].set_index("unit_code")
    assert len(on_time) == 149
    for record in raw["PROGRESS"]["data"]["children"]:
        row = on_time.loc[record["departmentCode"]]
        assert (row["numerator"], row["denominator"]) == (record["totalOnTime"], record["totalReceived"])
        assert record["totalOnTime"] + record["totalOverdue"] == record["totalReceived"]
    assert on_time.loc["H21.02", "computed_ratio"] == pytest.approx(257 / 304 * 100)
    assert on_time.loc["H21.02", "portal_ratio"] == 84.54 and not on_time.loc["H21.02", "flagged"]


def test_transparency_and_satisfaction_rows_get_their_code_through_the_department_id(raw, metrics):
    first = raw["TRANSPARENCY"]["data"]["evaluation"][0]
    assert "departmentCode" not in first  # the trap: joined on departmentId
    rows = metrics[(metrics["endpoint"] == "TRANSPARENCY") & (metrics["department_id"] == first["departmentId"])]
    assert set(rows["unit_code"]) == {"H21.01"} and len(rows) == 4
    for endpoint in ("TRANSPARENCY", "HANDLING_SATISFACTION"):
        part = metrics[(metrics["endpoint"] == endpoint) & (metrics["level"] != "province")]
        assert part["unit_code"].nunique() == 149 and (part["unit_code"] != "").all()


def test_the_printed_ratios_agree_with_their_counts_except_payment_which_is_shown_beside_them(metrics):
    summary = pc.reconciliation_summary(metrics).set_index(["endpoint", "metric"])
    payment = summary.loc[("PAYMENT", "ONLINE_PAYMENT")]
    assert (payment["compared"], payment["flagged"]) == (146, 145)
    others = summary.drop(index=("PAYMENT", "ONLINE_PAYMENT"))
    assert others["flagged"].sum() == 0 and others["max_difference"].max() <= 0.005
    assert summary.loc[("DIGITIZED", "SO_HOA_GIAY_TO_GIAI_QUYET"), "compared"] == 149
    province = metrics[metrics["level"] == "province"].set_index(["endpoint", "metric"])
    paid = province.loc[("PAYMENT", "ONLINE_PAYMENT")]
    assert (paid["numerator"], paid["denominator"], paid["portal_ratio"]) == (215210, 237216, 70.9)
    assert paid["computed_ratio"] == pytest.approx(90.7232, abs=1e-4) and paid["flagged"]
    online = province.loc[("ONLINE", "ONLINE_CHANNEL")]  # channel sums exist only for the province
    assert (online["numerator"], online["denominator"], online["portal_ratio"]) == (384333, 390862, 98.33)


def test_zero_over_zero_does_not_apply_and_a_metric_without_counts_is_missing(metrics):
    h2101 = metrics[metrics["unit_code"] == "H21.01"].set_index(["endpoint", "metric"])
    payment = h2101.loc[("PAYMENT", "ONLINE_PAYMENT")]
    assert (payment["numerator"], payment["denominator"], payment["status"]) == (0, 0, "not_applicable")
    assert payment["computed_ratio"] != payment["computed_ratio"]  # NaN: no rate, never 0 %
    assert h2101.loc[("DIGITIZED", "ELECTRONIC_CERTIFIED_COPY"), "status"] == "missing"  # null counts
    assert h2101.loc[("ONLINE", "ONLINE_PROVISION"), "status"] == "missing"


def test_the_kpis_the_answer_gives_per_unit_and_online_filing_it_cannot(metrics):
    codes = {c: c for c in metrics.loc[metrics["level"] != "province", "unit_code"].unique()}
    obs = pc.kpi_observations(metrics, codes, "2026-ytd-2026-10-02", "portal-x").set_index(["unit_code", "kpi"])
    assert len(obs) == 149 * 4
    assert tuple(obs.loc[("H21.02", "on_time"), ["numerator", "denominator", "status", "printed"]]) == (
        257, 304, "ok", "84.54",
    )  # fmt: skip
    assert obs.loc[("H21.02", "on_time"), "rate"] == pytest.approx(84.539473684)
    assert obs.loc[("H21.01", "online_payment"), "status"] == "not_applicable"
    assert pd.isna(obs.loc[("H21.01", "online_payment"), "rate"])  # empty, never 0
    online = obs.xs("online", level="kpi")
    assert (online["status"] == "missing").all() and online["numerator"].isna().all()
    assert (online["note"] == pc.NOT_GIVEN["online"]).all()
    assert set(pc.NOT_GIVEN) == {"online", "full_process", "overdue_pending"}


def test_the_province_figures_are_reported_totals_with_the_printed_ratio_and_the_counts(metrics):
    totals = pc.province_totals(metrics, "2026-ytd-2026-10-02", "portal-x").set_index("kpi")
    assert list(totals.index) == ["on_time", "online_payment", "digitized", "online"]
    assert tuple(totals.loc["on_time", ["numerator", "denominator", "value"]]) == (334582, 390901, 85.59)
    assert tuple(totals.loc["digitized", ["numerator", "denominator", "value"]]) == (86368, 390901, 22.09)
    assert totals.loc["online_payment", "note"] == "portal ratio 70.9; counts give 90.7232"


def test_the_snapshot_comes_from_the_request_beside_the_file_or_else_from_its_name(tmp_path):
    assert bundle_snapshot(BUNDLE).id == "2026-ytd-2026-10-02"
    assert bundle_snapshot(BUNDLE).label_vi == "Lũy kế năm 2026 (đến ngày 02/10/2026)"
    copy = tmp_path / "20261010T093000_components_H21_year2026.json"
    copy.write_bytes(BUNDLE.read_bytes())
    body = {"timeType": "month", "year": 2026, "month": 9}
    meta = {"url": "x", "method": "POST", "body": body, "fetched_at": "2026-10-10T09:30:00+07:00", "status": 201}
    copy.with_name(copy.stem + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    month = bundle_snapshot(copy)
    assert (month.id, month.kind, month.start, month.end) == ("2026-09-2026-10-10", "month", date(2026, 9, 1),
                                                            date(2026, 9, 30))  # fmt: skip
    assert snapshot_period("2026-q3", None).id == "2026-q3"
    with pytest.raises(ParameterError, match="--period"):
        bundle_snapshot(tmp_path / "answer.json")


def test_a_bundle_of_another_shape_is_refused_naming_the_file_and_the_json_path(tmp_path, raw):
    missing = tmp_path / "partial.json"
    missing.write_text(json.dumps({k: v for k, v in raw.items() if k != "PAYMENT"}), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        pc.read_bundle(missing)
    assert (caught.value.problems[0].file, caught.value.problems[0].column) == ("partial.json", "$")
    assert caught.value.problems[0].value == "PAYMENT"
    bad = json.loads(json.dumps(raw))
    bad["PROGRESS"]["data"]["children"][3]["totalReceived"] = "304"
    with pytest.raises(IngestError) as caught:
        pc.portal_metrics(bad, "bad.json")
    problem = caught.value.problems[0]
    assert (problem.column, problem.value) == ("$.PROGRESS.data.children[3].totalReceived", "304")
    assert not pc.is_bundle(missing) and pc.is_bundle(BUNDLE)


def test_a_digitisation_count_above_its_denominator_is_refused_only_where_it_would_become_a_campaign_rate(raw):
    bad = json.loads(json.dumps(raw))
    metrics = bad["DIGITIZED"]["data"]["evaluation"][1]["metrics"]  # H21.02: 61 of 304 dossiers digitised
    metrics[1]["numerator"] = 305
    with pytest.raises(IngestError) as caught:
        pc.portal_metrics(bad, "bad.json")
    problem = caught.value.problems[0]
    assert (problem.file, problem.column, problem.value) == ("bad.json", "$.DIGITIZED.data.evaluation[1]"
                                                             ".metrics[1].numerator", "305")  # fmt: skip
    assert problem.rule == "more than denominator = 304: a rate counts a part of its denominator"
    metrics[1]["numerator"] = 61
    metrics[0]["numerator"] = 305  # ORIGINAL_RESULT_AVAILABLE: no campaign KPI; kept, and its ratio flagged
    kept = pc.portal_metrics(bad, "bad.json").set_index(["unit_code", "metric"])
    row = kept.loc[("H21.02", "ORIGINAL_RESULT_AVAILABLE")]
    assert row["computed_ratio"] == pytest.approx(305 / 304 * 100) and row["flagged"]
    metrics[0]["denominator"] = 304.5
    with pytest.raises(IngestError, match=r"metrics\[0\]\.denominator.*value '304.5': expected a count"):
        pc.portal_metrics(bad, "bad.json")
