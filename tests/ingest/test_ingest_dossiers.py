"""dvctt ingest / validate on dossier-level exports: 16 hand-made dossiers counted into a small campaign.

The campaign (tests/conftest.py's tiny one with other periods and KPIs) has five units, four KPIs (no
full_process) and five periods: 2022 (no dossier in it), 2023-W10 (Mon 6 – Sun 12 March), 2023-W11 (13–19
March), 2023-03 (the whole month: the dossiers cover only part of it) and 2023-campaign (6–19 March). The
dossiers are received Mon 6 – Sat 18 March: W10, W11 and the campaign are covered (a Sunday without dossiers
does not count against a week), the month is not. Every expected figure is counted by hand in EXPECTED.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import TINY_FILES, run_dvctt, write_campaign

from dvctt.campaign.loading import load_campaign
from dvctt.dossiers.aggregate import DOSSIER_COLUMNS
from dvctt.errors import IngestError, ParameterError
from dvctt.ingest.result import IngestResult
from dvctt.ingest.save import save_ingest
from dvctt.ingest.statistics import ingest, is_dossier_file

PERIODS = [
    ("2022", "baseline", "2022-01-01", "2022-12-31"),
    ("2023-W10", "week", "2023-03-06", "2023-03-12"),
    ("2023-W11", "week", "2023-03-13", "2023-03-19"),
    ("2023-03", "month", "2023-03-01", "2023-03-31"),
    ("2023-campaign", "campaign", "2023-03-06", "2023-03-19"),
]
KPIS = ("online", "digitized", "online_payment", "on_time")

# MaHoSo, channel, unit, received, due, finished ("" = in progress), digitised, fee-bearing, paid online
DOSSIERS = [
    ("h01", 2, "99.A01", "2023-03-06 09:00", "2023-03-08 17:00", "2023-03-07 10:00", 1, 1, 1),  # on time
    ("h02", 1, "99.A01", "2023-03-07 09:00", "2023-03-09 17:00", "2023-03-10 10:00", 0, 1, 0),  # late
    ("h03", 2, "99.A01", "2023-03-09 09:00", "2023-03-14 17:00", "2023-03-14 16:00", 1, 0, 0),  # done in W11
    ("h04", 2, "99.A01", "2023-03-13 09:00", "2023-03-15 17:00", "", 1, 1, 2),  # paid on a gateway
    ("h05", 3, "99.A01", "2023-03-16 09:00", "2023-03-20 17:00", "2023-03-17 10:00", 0, 0, 0),  # by post
    ("h06", 2, "99.A02", "2023-03-08 09:00", "2023-03-10 17:00", "2023-03-09 10:00", 1, 0, 0),
    ("h07", 2, "99.A02", "2023-03-15 09:00", "2023-03-17 17:00", "2023-03-16 10:00", 0, 0, 0),
    ("h16", 1, "99.A02", "2023-03-11 09:00", "2023-03-14 17:00", "2023-03-20 10:00", 1, 0, 0),  # done after
    ("h08", 1, "901", "2023-03-06 08:00", "2023-03-06 17:00", "2023-03-06 15:00", 0, 1, 0),  # same day
    ("h09", 2, "901", "2023-03-10 09:00", "2023-03-13 17:00", "2023-03-15 10:00", 1, 1, 1),  # late, in W11
    ("h10", 2, "901", "2023-03-14 09:00", "2023-03-16 17:00", "", 1, 1, 1),
    ("h11", 1, "901", "2023-03-18 09:00", "2023-03-22 17:00", "", 0, 0, 0),  # a Saturday
    ("h12", 2, "90101", "2023-03-07 09:00", "2023-03-07 17:00", "2023-03-07 15:00", 1, 1, 0),
    ("h13", 1, "90101", "2023-03-08 09:00", "2023-03-10 17:00", "2023-03-09 10:00", 1, 0, 1),  # paid, no fee
    ("h14", 1, "90101", "2023-03-17 09:00", "2023-03-21 17:00", "", 0, 0, 0),
    ("h15", 2, "90101", "2023-03-13 09:00", "2023-03-13 17:00", "2023-03-13 11:00", 1, 1, 1),
]  # 90102 has none: it is absent from the export, so its figures are missing
UNKNOWN_AND_INVALID = [
    ("h17", 2, "99.A99", "2023-03-08 09:00", "2023-03-10 17:00", "2023-03-09 10:00", 1, 0, 0),  # unknown unit
    ("h18", 1, "99.A99", "2023-03-09 09:00", "2023-03-10 17:00", "", 1, 0, 0),  # unknown unit
    ("h19", 2, "901", "2023-03-15 09:00", "2023-03-17 17:00", "2023-03-14 10:00", 1, 0, 0),  # done before received
]
NA = None  # not applicable: 0/0, no rate
# (unit, period) -> numerator/denominator of online, digitized, online_payment, on_time
EXPECTED: dict[tuple[str, str], tuple[tuple[int, int] | None, ...]] = {
    ("99.A01", "2023-W10"): ((2, 3), (2, 3), (1, 2), (1, 2)),
    ("99.A01", "2023-W11"): ((1, 2), (1, 2), (1, 1), (2, 2)),
    ("99.A01", "2023-campaign"): ((3, 5), (3, 5), (2, 3), (3, 4)),
    ("99.A02", "2023-W10"): ((1, 2), (2, 2), NA, (1, 1)),
    ("99.A02", "2023-W11"): ((1, 1), (0, 1), NA, (1, 1)),
    ("99.A02", "2023-campaign"): ((2, 3), (2, 3), NA, (2, 2)),
    ("901", "2023-W10"): ((1, 2), (1, 2), (1, 2), (1, 1)),
    ("901", "2023-W11"): ((1, 2), (1, 2), (1, 1), (0, 1)),
    ("901", "2023-campaign"): ((2, 4), (2, 4), (2, 3), (1, 2)),
    ("90101", "2023-W10"): ((1, 2), (2, 2), (0, 1), (2, 2)),
    ("90101", "2023-W11"): ((1, 2), (1, 2), (1, 1), (1, 1)),
    ("90101", "2023-campaign"): ((2, 4), (3, 4), (1, 2), (3, 3)),
}  # 90102 is not in the export at all: no row (missing), never 0/0 "not applicable"


# ------------------------------------------------------------------------------------------- fixtures


def _campaign_toml() -> str:
    head = TINY_FILES["campaign.toml"].split("[[periods]]")[0]
    head = head.replace('default_period = "2023"', 'default_period = "2023-campaign"')
    head = head.replace('kpis = ["online", "online_payment"]', f"kpis = {list(KPIS)!r}".replace("'", '"'))
    blocks = [
        f'[[periods]]\nid = "{i}"\nkind = "{k}"\nstart = "{s}"\nend = "{e}"\nlabel_vi = "{i}"\nlabel_en = "{i}"\n'
        for i, k, s, e in PERIODS
    ]
    return "\n".join([head.strip("\n").replace("\n        ", "\n"), *blocks])


@pytest.fixture
def campaign_dir(tmp_path: Path) -> Path:
    """The tiny campaign with PERIODS and KPIS; its observations and totals are for 2022 only."""
    observations = TINY_FILES["observations.csv"].strip("\n").splitlines()[:11]  # header + the 2022 rows
    totals = TINY_FILES["reported_totals.csv"].strip("\n").splitlines()[:3]
    overrides = {
        "campaign.toml": _campaign_toml(),
        "observations.csv": "\n".join(observations) + "\n",
        "reported_totals.csv": "\n".join(totals) + "\n",
    }
    return write_campaign(tmp_path / "camp", overrides)


def write_dossiers(path: Path, rows: list[tuple]) -> Path:
    """The rows as a portal CSV export: every field, text cells, empty NgayKetThucXuLy when in progress."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DOSSIER_COLUMNS)
        for key, channel, unit, received, due, finished, digitised, fee, paid in rows:
            writer.writerow([key, "P1", channel, unit, received, due, finished, digitised, fee, paid, 1])
    return path


def dossier_frame(rows: list[tuple]) -> pd.DataFrame:
    """The same rows typed, as a Parquet export holds them (integers and timestamps)."""
    frame = pd.DataFrame(
        rows,
        columns=["MaHoSo", "KenhThucHien", "DonViXuLy", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy",
                 "HoSoCoThanhPhanSoHoa", "CoPhiLePhi", "DuocThanhToanTrucTuyen"],
    )  # fmt: skip
    dates = {c: pd.to_datetime(frame[c].replace("", None)) for c in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy")}
    return frame.assign(MaTTHC="P1", ToanTrinh=1, **dates)[list(DOSSIER_COLUMNS)]


def figures(result: IngestResult) -> dict[tuple[str, str], tuple[tuple[int, int] | None, ...]]:
    """(unit, period) -> numerator/denominator per KPI in KPIS order, checking every rate and status."""
    out: dict[tuple[str, str], list[tuple[int, int] | None]] = {}
    for row in result.observations.itertuples(index=False):
        if row.status == "not_applicable":
            assert (row.numerator, row.denominator) == (0, 0) and pd.isna(row.rate), row
            value = None
        else:
            assert row.status == "ok" and row.rate == pytest.approx(row.numerator / row.denominator * 100), row
            value = (row.numerator, row.denominator)
        out.setdefault((row.unit_code, row.period), []).append(value)
    kpis = result.observations.groupby(["unit_code", "period"], sort=False)["kpi"].agg(tuple)
    assert set(kpis) == {KPIS}  # the campaign's KPIs, in its order: no full_process
    return {key: tuple(values) for key, values in out.items()}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------- tests


def test_dossier_files_are_recognised_by_their_columns(tmp_path: Path) -> None:
    assert is_dossier_file(write_dossiers(tmp_path / "export.csv", DOSSIERS))
    dossier_frame(DOSSIERS).to_parquet(tmp_path / "export.parquet")
    assert is_dossier_file(tmp_path / "export.parquet")
    unit_level = tmp_path / "weekly.csv"
    unit_level.write_text("Tên đơn vị,Tỷ lệ hồ sơ trực tuyến (%)\nSở Một,50\n", encoding="utf-8")
    assert not is_dossier_file(unit_level)
    assert not is_dossier_file(tmp_path / "missing.csv")


def test_csv_export_is_counted_into_the_campaign_periods_and_kpis(tmp_path: Path, campaign_dir: Path) -> None:
    path = write_dossiers(tmp_path / "ho-so.csv", DOSSIERS)
    result = ingest(path, campaign_dir)
    assert result.issues == ()
    assert figures(result) == EXPECTED
    assert list(result.observations["period"].unique()) == ["2023-W10", "2023-campaign", "2023-W11"]
    assert set(result.observations["source_section"]) == {"ho-so.csv"}
    assert result.reported_totals.empty
    notices = " | ".join(result.notices)
    assert "16 dossier(s) received 2023-03-06 – 2023-03-18, 16 counted" in notices
    assert "period 2023-03 is only partly covered (13 working day(s) without data): not ingested" in notices
    assert "their figures are left missing (not 0%, not 'not applicable'): 90102" in notices
    assert "90102" not in set(result.observations["unit_code"])


def test_save_is_idempotent_loads_and_never_touches_the_raw_file(tmp_path: Path, campaign_dir: Path) -> None:
    path = write_dossiers(tmp_path / "ho-so.csv", DOSSIERS)
    raw = sha(path)
    result = ingest(path, campaign_dir)
    summary = save_ingest(result, campaign_dir, today=pd.Timestamp("2023-03-20").date())
    assert (summary.observations_added, summary.observations_replaced, summary.rejects_path) == (48, 0, None)
    assert result.source_id == "ingest-" + raw[:12]
    campaign = load_campaign(campaign_dir)
    mine = campaign.observations[campaign.observations["source_id"] == result.source_id]
    row = mine[(mine["unit_code"] == "99.A01") & (mine["period"] == "2023-campaign") & (mine["kpi"] == "on_time")]
    assert row[["numerator", "denominator", "rate", "status"]].values.tolist() == [[3, 4, 75.0, "ok"]]
    assert len(mine) == 48 and len(campaign.observations) == 58  # the 10 rows of 2022 are kept
    source = campaign.sources.set_index("source_id").loc[result.source_id]
    assert source["file"] == "ho-so.csv" and raw in source["note"] and "2023-03-20" in source["note"]
    assert not (campaign_dir / "rejects").exists()

    snapshot = folder_bytes(campaign_dir)
    again = save_ingest(ingest(path, campaign_dir), campaign_dir, today=pd.Timestamp("2024-01-01").date())
    assert again.changed_files == () and folder_bytes(campaign_dir) == snapshot
    assert sha(path) == raw


def test_parquet_export_gives_the_same_figures(tmp_path: Path, campaign_dir: Path) -> None:
    path = tmp_path / "ho-so.parquet"
    dossier_frame(DOSSIERS).to_parquet(path)
    raw = sha(path)
    result = ingest(path, campaign_dir)
    assert result.issues == () and figures(result) == EXPECTED
    save_ingest(result, campaign_dir)
    assert len(load_campaign(campaign_dir).observations) == 58
    assert sha(path) == raw


def test_cli_rejects_unknown_units_and_invalid_dossiers_with_their_counts(tmp_path: Path, campaign_dir: Path) -> None:
    path = write_dossiers(tmp_path / "ho-so.csv", DOSSIERS + UNKNOWN_AND_INVALID)
    raw = sha(path)
    before = folder_bytes(campaign_dir)
    done = run_dvctt("validate", str(path), "--campaign", str(campaign_dir), cwd=tmp_path)
    assert done.returncode == 1 and "2 problem(s)" in done.stderr
    assert folder_bytes(campaign_dir) == before  # validate writes nothing

    done = run_dvctt("ingest", str(path), "--campaign", str(campaign_dir), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "REJECTED" in done.stderr
    assert "handling unit '99.A99' is not in units.csv: 2 dossier(s) not counted" in done.stderr
    assert "48 observations" in done.stdout and "19 dossier(s) received" in done.stdout
    rejects_path = campaign_dir / "rejects" / f"ho-so.{raw[:12]}.rejects.csv"
    rejects = pd.read_csv(rejects_path, dtype=str, encoding="utf-8-sig")
    assert rejects[["file", "row", "column", "value", "rule"]].values.tolist() == [
        ["ho-so.csv", "18", "DonViXuLy", "99.A99", "dossier_unknown_unit"],  # h17, the first of its 2 dossiers
        ["ho-so.csv", "20", "NgayKetThucXuLy", "2023-03-14 10:00", "dossier_order"],  # h19
    ]
    assert "2 hồ sơ không được tính" in rejects.loc[0, "reason_vi"]
    assert "1 dossier(s) of unit '901' not counted" in rejects.loc[1, "reason_en"]
    assert "MaHoSo h19" in rejects.loc[1, "reason_en"]
    campaign = load_campaign(campaign_dir)  # the campaign still loads, with the other 16 dossiers counted
    obs = campaign.observations.set_index(["unit_code", "period", "kpi"])
    assert obs.loc[("901", "2023-W11", "on_time"), ["numerator", "denominator"]].tolist() == [0, 1]

    snapshot = folder_bytes(campaign_dir)
    done = run_dvctt("ingest", str(path), "--campaign", str(campaign_dir), cwd=tmp_path)
    assert done.returncode == 1 and "nothing changed" in done.stdout
    assert folder_bytes(campaign_dir) == snapshot
    assert sha(path) == raw


def test_period_option_and_conflicts_with_another_source(tmp_path: Path, campaign_dir: Path) -> None:
    path = write_dossiers(tmp_path / "ho-so.csv", DOSSIERS)
    week = ingest(path, campaign_dir, "2023-W10")
    assert set(week.observations["period"]) == {"2023-W10"} and len(week.observations) == 16
    month = ingest(path, campaign_dir, "2023-03")  # asked for: counted, with a warning
    assert set(month.observations["period"]) == {"2023-03"}
    assert any("2023-03 is only partly covered" in n for n in month.notices)
    with pytest.raises(IngestError) as info:
        ingest(path, campaign_dir, "2022")
    assert info.value.issues[0].rule == "period_outside"  # type: ignore[attr-defined]
    with pytest.raises(IngestError):
        ingest(path, campaign_dir, "2024")

    obs_path = campaign_dir / "observations.csv"
    obs_path.write_text(obs_path.read_text(encoding="utf-8") + "901,2023-W10,online,1,4,25.0,ok,25%,test,,\n")
    result = ingest(path, campaign_dir)
    assert [(i.rule, i.params["unit_code"], i.params["period"]) for i in result.issues] == [
        ("conflict", "901", "2023-W10")
    ]
    replaced = ingest(path, campaign_dir, replace=True)
    assert replaced.issues == () and len(replaced.observations) == 48


def test_refused_files(tmp_path: Path, campaign_dir: Path) -> None:
    broken = tmp_path / "no-toan-trinh.csv"
    frame = pd.read_csv(write_dossiers(tmp_path / "full.csv", DOSSIERS), dtype=str, keep_default_na=False)
    frame.drop(columns="ToanTrinh").to_csv(broken, index=False)
    with pytest.raises(IngestError, match="ToanTrinh"):
        ingest(broken, campaign_dir)
    unknown_only = write_dossiers(tmp_path / "other.csv", UNKNOWN_AND_INVALID[:2])
    with pytest.raises(IngestError, match="99.A99"):  # nothing countable: no 0/0 written for every unit
        ingest(unknown_only, campaign_dir)
    unit_level = tmp_path / "weekly.csv"
    unit_level.write_text("Tên đơn vị,Tỷ lệ hồ sơ trực tuyến (%)\nSở Một,50\n", encoding="utf-8")
    with pytest.raises(IngestError, match="required column is missing"):
        ingest(unit_level, campaign_dir, "2023-W10", dossiers=True)
    with pytest.raises(ParameterError, match="--sheet"):
        ingest(tmp_path / "full.csv", campaign_dir, sheet="Cấp xã")


def test_rejected_dossiers_carry_the_row_of_their_first_example_in_parquet_too(tmp_path: Path) -> None:
    from dvctt.ingest.dossier_files import _first_rows

    frame = pd.DataFrame({"MaHoSo": [f"h{i}" for i in range(1, 6)], "DonViXuLy": ["901", "901", "X", "901", "X"]})
    path = tmp_path / "ho-so.parquet"
    frame.to_parquet(path, row_group_size=2)  # several batches: the row count carries over
    wanted = {("MaHoSo", "h4"), ("DonViXuLy", "X"), ("MaHoSo", "nope")}
    assert _first_rows(path, wanted) == {("MaHoSo", "h4"): 5, ("DonViXuLy", "X"): 4}  # header = row 1
