"""A fictional province, "Tỉnh Mô Phỏng" (code 99), with dossier-level records: for demos, tests and benchmarks.

Why this module is long: most of it is the seeded description of one fictional province (its units,
volumes and trajectories); the generator itself is short.

Real dossier exports are personal data and are not public, so the dossier pipeline is shown and measured on
this province instead. Everything is visibly synthetic: every unit name and title says "Mô Phỏng", codes are
not GSO codes (code_source ``synthetic``) and campaign.toml has ``synthetic = true``, which puts a banner on
every report and chart.

Shape: 15 provincial agencies, 6 districts, 60 communes; dossiers over a baseline year (2022) and a 10-week
campaign (ISO weeks 10–19 of 2023) with rates rising towards the targets at different speeds, some units stuck
at 0%, some near 100%, volumes from tens of thousands (land, transport, business registration) down to a few
dozen (small communes), some agencies without fee-bearing procedures. The observations are aggregated from the
dossiers with :mod:`dvctt.dossiers.aggregate`, so the folder is a worked example of the whole path.

Deterministic: the same ``n`` and ``seed`` give byte-identical CSV files. Vectorised: units are generated
as contiguous blocks, each block with a handful of numpy calls, so 10 million dossiers take seconds.

"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dvctt.campaign.definition import read_definition
from dvctt.dossiers.aggregate import DOSSIER_COLUMNS, DOSSIER_KPIS, Window, aggregate_dossiers
from dvctt.errors import CampaignDefinitionError, ParameterError

PROVINCE_CODE = "99"
PROVINCE_VI = "Tỉnh Mô Phỏng"
CAMPAIGN_ID = "mophong-2023"
SOURCE_ID = "synth"
DOSSIERS_FILE = "dossiers.parquet"
BASELINE = Window("2022", date(2022, 1, 1), date(2022, 12, 31))
N_WEEKS = 10
CAMPAIGN_START = date(2023, 3, 6)  # Monday of ISO week 2023-W10
CAMPAIGN = Window("2023-campaign", CAMPAIGN_START, CAMPAIGN_START + timedelta(weeks=N_WEEKS, days=-1))
EXTRACTED_AT = datetime.combine(CAMPAIGN.end, datetime.max.time()).replace(microsecond=0)  # export time
BASELINE_SHARE = 0.7  # share of each unit's dossiers received in the baseline year
MAX_DOSSIERS = 100_000_000

# name, relative volume, has fee-bearing procedures
AGENCIES: tuple[tuple[str, float, bool], ...] = (
    ("Sở Tài nguyên và Môi trường", 220, True),
    ("Sở Giao thông vận tải", 140, True),
    ("Sở Kế hoạch và Đầu tư", 100, True),
    ("Sở Tư pháp", 40, True),
    ("Sở Lao động – Thương binh và Xã hội", 25, False),
    ("Sở Y tế", 30, True),
    ("Sở Giáo dục và Đào tạo", 12, False),
    ("Sở Công Thương", 18, True),
    ("Sở Xây dựng", 15, True),
    ("Sở Nông nghiệp và Phát triển nông thôn", 20, True),
    ("Sở Nội vụ", 6, False),
    ("Sở Văn hóa, Thể thao và Du lịch", 8, True),
    ("Sở Thông tin và Truyền thông", 3, True),
    ("Sở Khoa học và Công nghệ", 2, True),
    ("Ban Quản lý các Khu công nghiệp", 4, False),
)
# code, kind, name, relative volume
DISTRICTS: tuple[tuple[str, str, str, float], ...] = (
    ("901", "Thành phố", "Mô Phỏng", 60),
    ("902", "Huyện", "Mô Phỏng Bắc", 35),
    ("903", "Huyện", "Mô Phỏng Nam", 30),
    ("904", "Huyện", "Mô Phỏng Đông", 28),
    ("905", "Huyện", "Mô Phỏng Tây", 25),
    ("906", "Huyện", "Mô Phỏng Trung", 22),
)
COMMUNES_PER_DISTRICT = 10
COMMUNE_WORDS = ("An", "Bình", "Hòa", "Phú", "Tân", "Long", "Thạnh", "Hưng", "Lợi", "Thuận")
# KPIs whose rate the generator draws; full_process follows from online × the toàn trình procedures' share.
DRAWN = ("online", "digitized", "online_payment", "on_time")
TARGETS: dict[str, dict[str, float]] = {
    "province": {"online": 80, "digitized": 80, "online_payment": 40, "on_time": 98, "full_process": 50},
    "district": {"online": 70, "digitized": 70, "online_payment": 35, "on_time": 97, "full_process": 40},
    "commune": {"online": 60, "digitized": 65, "online_payment": 30, "on_time": 95, "full_process": 30},
}
BASELINE_MEAN: dict[str, dict[str, float]] = {
    "province": {"online": 0.55, "digitized": 0.50, "online_payment": 0.02, "on_time": 0.88},
    "district": {"online": 0.30, "digitized": 0.40, "online_payment": 0.01, "on_time": 0.85},
    "commune": {"online": 0.50, "digitized": 0.25, "online_payment": 0.005, "on_time": 0.90},
}
BASELINE_SD = {"online": 0.18, "digitized": 0.18, "online_payment": 0.02, "on_time": 0.05}
# Units whose rate is pinned for the whole period (index in units.csv order, kpi, rate): a few stuck at 0%,
# a few near 100%, so the report's "units at 0%" and leader tables always have something to show.
PINNED: tuple[tuple[int, str, float], ...] = (
    (0, "digitized", 0.995),
    (2, "online", 0.99),
    (12, "online_payment", 0.0),
    (20, "online_payment", 0.0),  # district 906
    (28, "online_payment", 0.0),
    (44, "online_payment", 0.0),
    (62, "online_payment", 0.0),
    (75, "online", 0.0),
    (30, "online", 0.995),
    (50, "digitized", 0.995),
)
PROCEDURE_SLOTS = 8  # procedures per unit
DUE_DAYS = np.array([0, 1, 3, 5, 7, 10, 15, 20])
OFFICE_OPEN, OFFICE_CLOSE = 7 * 3600 + 1800, 17 * 3600  # 07:30–17:00, seconds after midnight
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class SyntheticProvince:
    """The generated province: units.csv rows and the dossiers as an Arrow table (DOSSIER_COLUMNS)."""

    units: pd.DataFrame
    dossiers: pa.Table
    n: int
    seed: int


# ------------------------------------------------------------------------------------------------ units


def synthetic_units() -> pd.DataFrame:
    """units.csv of the province: agencies 99.A01…, districts 901…, communes 90101… (all synthetic codes)."""
    rows = []
    for i, (name, _, _) in enumerate(AGENCIES, start=1):
        full = f"{name} tỉnh Mô Phỏng"
        rows.append((f"{PROVINCE_CODE}.A{i:02d}", "province", PROVINCE_CODE, full, full, i))
    for i, (code, kind, name, _) in enumerate(DISTRICTS, start=1):
        rows.append((code, "district", PROVINCE_CODE, f"{kind} {name}", f"UBND {kind.lower()} {name}", i))
    row = 0
    for d, (code, kind, name, _) in enumerate(DISTRICTS):
        for j in range(1, COMMUNES_PER_DISTRICT + 1):
            row += 1
            if kind == "Thành phố":
                official, published = f"Phường {j}, TP {name}", f"UBND phường {j} (TP {name})"
            else:
                word = COMMUNE_WORDS[(j - 1 + d) % len(COMMUNE_WORDS)]
                place = f"{word} {name.removeprefix('Mô Phỏng ')}"
                official, published = f"Xã {place} (Mô Phỏng)", f"UBND xã {place} ({kind.lower()} {name})"
            rows.append((f"{code}{j:02d}", "commune", code, official, published, row))
    frame = pd.DataFrame(
        rows, columns=["unit_code", "level", "parent_code", "official_name", "published_name", "appendix_row"]
    )
    return frame.assign(
        code_source="synthetic", source_id=SOURCE_ID, source_section="units", note="synthetic unit (dvctt synth)"
    )[
        ["unit_code", "level", "parent_code", "official_name", "published_name", "code_source", "appendix_row",
         "source_id", "source_section", "note"]
    ]  # fmt: skip


def _volumes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Dossiers per unit: fixed weights for agencies and districts, log-normal weights for communes (a few
    dozen to a few hundred dossiers each at n = 200 000); the split is multinomial so it sums to n."""
    communes = np.clip(rng.lognormal(np.log(0.4), 0.9, len(DISTRICTS) * COMMUNES_PER_DISTRICT), 0.05, 5.0)
    weights = np.concatenate([[a[1] for a in AGENCIES], [d[3] for d in DISTRICTS], communes])
    return rng.multinomial(n, weights / weights.sum())


def _rates(rng: np.random.Generator, levels: np.ndarray) -> np.ndarray:
    """rate[unit, t, kpi] (0–1) for t = 0 (baseline) and t = 1..10 (campaign weeks): from a baseline towards an
    end value near the level's target, each unit at its own speed; pinned units stay flat."""
    n_units = len(levels)
    rates = np.empty((n_units, N_WEEKS + 1, len(DRAWN)))
    weeks = np.arange(1, N_WEEKS + 1)
    for k, kpi in enumerate(DRAWN):
        mean = np.array([BASELINE_MEAN[lv][kpi] for lv in levels])
        target = np.array([TARGETS[lv][kpi] for lv in levels]) / 100
        base = np.clip(mean + rng.normal(0, BASELINE_SD[kpi], n_units), 0, 0.995)
        spread = (0.97, 1.02) if kpi == "on_time" else (0.6, 1.35)
        end = np.clip(np.maximum(target * rng.uniform(*spread, n_units), base), 0, 0.995)
        speed = rng.uniform(0.08, 0.7, n_units)[:, None]
        progress = (1 - (1 - speed) ** weeks) / (1 - (1 - speed) ** N_WEEKS)
        rates[:, 0, k] = base
        rates[:, 1:, k] = base[:, None] + (end - base)[:, None] * progress
    for unit, kpi, value in PINNED:
        rates[unit, :, DRAWN.index(kpi)] = value
    return rates


@dataclass(frozen=True)
class _Procedures:
    """PROCEDURE_SLOTS procedures per unit (arrays indexed [unit, slot]) and each unit's mix of them."""

    codes: np.ndarray  # MaTTHC
    fee: np.ndarray  # carries a fee or charge
    full: np.ndarray  # toàn trình
    due_days: np.ndarray  # days from receipt to the appointment
    shares: np.ndarray  # share of the unit's dossiers per procedure


def _catalogue_flags(rng: np.random.Generator, share: float) -> np.ndarray:
    """Random flags for a shared catalogue, with at least one procedure of each kind whatever the seed."""
    flags = rng.random(PROCEDURE_SLOTS) < share
    flags[:2] = (True, False)
    return flags


def _procedures(rng: np.random.Generator, levels: np.ndarray, has_fees: np.ndarray) -> _Procedures:
    """Agencies have their own procedures; districts share one catalogue and communes another, as in reality,
    so districts differ only in their mix. Agencies without fees have no fee-bearing procedure."""
    n_units = len(levels)
    shared = {lv: (_catalogue_flags(rng, 0.5), _catalogue_flags(rng, 0.6)) for lv in ("district", "commune")}
    shared_due = {lv: rng.choice(DUE_DAYS, PROCEDURE_SLOTS) for lv in ("district", "commune")}
    codes = np.empty((n_units, PROCEDURE_SLOTS), dtype=object)
    fee = np.zeros((n_units, PROCEDURE_SLOTS), dtype=bool)
    full = np.zeros((n_units, PROCEDURE_SLOTS), dtype=bool)
    due = np.zeros((n_units, PROCEDURE_SLOTS), dtype=np.int64)
    agency = 0
    for u, level in enumerate(levels):
        if level == "province":
            agency += 1
            codes[u] = [f"MP.T{agency:02d}.{k + 1:02d}" for k in range(PROCEDURE_SLOTS)]
            fee[u] = (rng.random(PROCEDURE_SLOTS) < rng.uniform(0.3, 0.8)) & has_fees[u]
            fee[u, 0] |= has_fees[u]  # an agency with fees has at least one fee-bearing procedure
            full[u] = rng.random(PROCEDURE_SLOTS) < rng.uniform(0.3, 0.9)
            due[u] = rng.choice(DUE_DAYS, PROCEDURE_SLOTS)
        else:
            letter = "H" if level == "district" else "X"
            codes[u] = [f"MP.{letter}.{k + 1:02d}" for k in range(PROCEDURE_SLOTS)]
            fee[u], full[u] = shared[level]
            due[u] = shared_due[level]
    shares = rng.dirichlet(np.ones(PROCEDURE_SLOTS), n_units)
    return _Procedures(codes, fee, full, due, shares)


def _working_days(window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (days since 1970-01-01) of Monday–Saturday in a window, with Saturdays 6× less likely."""
    start = (window.start - _EPOCH).days
    days = np.arange(start, start + (window.end - window.start).days + 1)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    days = days[weekday < 6]
    weights = np.where((days + 3) % 7 == 5, 1.0, 6.0)
    return days, weights / weights.sum()


# -------------------------------------------------------------------------------------------- dossiers


_COLUMNS = {
    "slot": np.int16, "channel": np.int8, "digitized": np.int8, "fee": np.int8, "paid": np.int8, "full": np.int8,
    "received": np.int64, "due": np.int64, "finished": np.int64,
}  # fmt: skip
_BASE_DAYS, _BASE_P = _working_days(BASELINE)
_WEEK_P = 1 + 0.04 * np.arange(N_WEEKS)  # volume grows a little as the campaign goes on
_WHEN_P = np.concatenate([[BASELINE_SHARE], (1 - BASELINE_SHARE) * _WEEK_P / _WEEK_P.sum()])
_DAY_P = np.array([6, 6, 6, 6, 6, 1]) / 31  # Monday–Saturday of a campaign week
_MONDAY0 = (CAMPAIGN_START - _EPOCH).days


def _unit_dossiers(rng: np.random.Generator, m: int, rates: np.ndarray, procs: _Procedures, u: int) -> dict:
    """The ``m`` dossiers of unit ``u``: when each was received (baseline year or campaign week), through which
    channel, for which procedure, and what happened to it, each drawn with the unit's rate for that week.
    Times are seconds since 1970-01-01 (office hours)."""
    k = {kpi: i for i, kpi in enumerate(DRAWN)}
    when = rng.choice(N_WEEKS + 1, m, p=_WHEN_P)  # 0 = baseline year, w = campaign week w
    p = rates[u, when]  # (m, kpi): each dossier's probabilities
    day = np.where(
        when == 0, rng.choice(_BASE_DAYS, m, p=_BASE_P), _MONDAY0 + 7 * (when - 1) + rng.choice(6, m, p=_DAY_P)
    )
    received = day * 86400 + rng.integers(OFFICE_OPEN, OFFICE_CLOSE, m)
    slot = rng.choice(PROCEDURE_SLOTS, m, p=procs.shares[u])
    online = rng.random(m) < p[:, k["online"]]
    offline_channel = np.where(rng.random(m) < 0.93, 1, 3)  # in person, else by post
    fee = procs.fee[u, slot]
    paid = fee & (rng.random(m) < p[:, k["online_payment"]])
    due_day = day + procs.due_days[u, slot]
    on_time = rng.random(m) < p[:, k["on_time"]]
    finish_day = np.where(
        on_time,
        day + (rng.random(m) * (procs.due_days[u, slot] + 1)).astype(np.int64),
        due_day + rng.integers(1, 16, m),
    )
    finished = np.maximum(finish_day * 86400 + rng.integers(OFFICE_OPEN, OFFICE_CLOSE, m), received + 600)
    return {
        "slot": slot,
        "channel": np.where(online, 2, offline_channel),
        "digitized": rng.random(m) < p[:, k["digitized"]],
        "fee": fee,
        "paid": np.where(paid, np.where(rng.random(m) < 0.85, 1, 2), 0),  # national portal, else a gateway
        "full": procs.full[u, slot],
        "received": received,
        "due": due_day * 86400 + OFFICE_CLOSE,
        "finished": finished,
    }


def generate(n: int, seed: int) -> SyntheticProvince:
    """Generate the province and ``n`` dossiers with ``seed`` (same inputs -> same dossiers). Units are
    contiguous blocks of rows, filled one unit at a time with vectorised draws."""
    if not 0 < n <= MAX_DOSSIERS:
        raise ParameterError(f"--dossiers must be between 1 and {MAX_DOSSIERS:,}, not {n:,}.")
    rng = np.random.default_rng(seed)
    units = synthetic_units()
    levels = units["level"].to_numpy()
    has_fees = np.array([a[2] for a in AGENCIES] + [True] * (len(units) - len(AGENCIES)))
    volumes = _volumes(rng, n)
    rates = _rates(rng, levels)
    procs = _procedures(rng, levels, has_fees)
    out = {name: np.empty(n, dtype) for name, dtype in _COLUMNS.items()}
    out["unit"] = np.repeat(np.arange(len(units), dtype=np.int16), volumes)
    bounds = np.concatenate([[0], np.cumsum(volumes)])
    for u in range(len(units)):
        lo, hi = bounds[u], bounds[u + 1]
        if hi > lo:
            for name, values in _unit_dossiers(rng, hi - lo, rates, procs, u).items():
                out[name][lo:hi] = values
    extracted = int((EXTRACTED_AT - datetime(1970, 1, 1)).total_seconds())
    return SyntheticProvince(units=units, dossiers=_arrow(out, units, procs.codes, extracted), n=n, seed=seed)


def _arrow(out: dict[str, np.ndarray], units: pd.DataFrame, codes: np.ndarray, extracted: int) -> pa.Table:
    """The dossier arrays as an Arrow table with the portal's field names; repeated text is dictionary-encoded
    so ten million rows stay small in memory and on disk."""
    n = len(out["unit"])
    seq = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
    ids = pc.binary_join_element_wise("MP-", pc.utf8_lpad(seq, width=9, padding="0"), "")
    procedure_codes = pa.array(codes.ravel().tolist(), pa.string())
    procedure_index = out["unit"].astype(np.int32) * PROCEDURE_SLOTS + out["slot"]
    unit_codes = pa.array(units["unit_code"].tolist(), pa.string())
    unfinished = out["finished"] > extracted
    seconds = pa.timestamp("s")
    columns = {
        "MaHoSo": ids,
        "MaTTHC": pa.DictionaryArray.from_arrays(pa.array(procedure_index, pa.int32()), procedure_codes),
        "KenhThucHien": pa.array(out["channel"]),
        "DonViXuLy": pa.DictionaryArray.from_arrays(pa.array(out["unit"].astype(np.int32)), unit_codes),
        "NgayTiepNhan": pa.array(out["received"], seconds),
        "NgayHenTra": pa.array(out["due"], seconds),
        "NgayKetThucXuLy": pa.array(out["finished"], seconds, mask=unfinished),
        "HoSoCoThanhPhanSoHoa": pa.array(out["digitized"]),
        "CoPhiLePhi": pa.array(out["fee"]),
        "DuocThanhToanTrucTuyen": pa.array(out["paid"]),
        "ToanTrinh": pa.array(out["full"]),
    }
    assert tuple(columns) == DOSSIER_COLUMNS
    return pa.table(columns)


def write_dossiers(table: pa.Table, path: Path) -> None:
    """Parquet, zstd, row groups of 1M rows (so DuckDB reads them in parallel)."""
    pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)


# --------------------------------------------------------------------------------------- campaign folder


def periods() -> list[tuple[Window, str, str, str]]:
    """(window, kind, label_vi, label_en) of every period in campaign.toml: baseline, weeks, whole campaign."""
    out = [(BASELINE, "baseline", "Năm 2022", "Year 2022")]
    for w in range(N_WEEKS):
        start = CAMPAIGN_START + timedelta(weeks=w)
        end = start + timedelta(days=6)
        iso = start.isocalendar()
        window = Window(f"{iso.year}-W{iso.week:02d}", start, end)
        span_vi, span_en = f"{start:%d/%m}–{end:%d/%m/%Y}", f"{start:%d %b}–{end:%d %b %Y}"
        out.append((window, "week", f"Tuần {iso.week} ({span_vi})", f"Week {iso.week} ({span_en})"))
    span_vi = f"{CAMPAIGN.start:%d/%m}–{CAMPAIGN.end:%d/%m/%Y}"
    span_en = f"{CAMPAIGN.start:%d %b}–{CAMPAIGN.end:%d %b %Y}"
    out.append((CAMPAIGN, "campaign", f"Chiến dịch 10 tuần ({span_vi})", f"10-week campaign ({span_en})"))
    return out


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def campaign_toml(n: int, seed: int) -> str:
    """campaign.toml of the synthetic campaign (the generator's parameters are recorded in [generated])."""
    name_vi = f"Chiến dịch 10 tuần nâng cao hiệu quả dịch vụ công trực tuyến – {PROVINCE_VI} (giả định)"
    name_en = f"10-week campaign for online public services – {PROVINCE_VI} (fictional province)"
    lines = [
        "# SYNTHETIC DATA generated by `dvctt synth`: a fictional province, not a real one. Do not edit by hand;",
        "# regenerate with the command in [generated].",
        f"id = {_toml_string(CAMPAIGN_ID)}",
        "synthetic = true",
        f"province_code = {_toml_string(PROVINCE_CODE)}",
        f"province_name_vi = {_toml_string(PROVINCE_VI)}",
        f"province_name_en = {_toml_string(PROVINCE_VI + ' (synthetic)')}",
        f"baseline_period = {_toml_string(BASELINE.id)}",
        f"default_period = {_toml_string(CAMPAIGN.id)}",
        'target_set = "campaign"',
        f"kpis = [{', '.join(_toml_string(k) for k in DOSSIER_KPIS)}]",
        'levels = ["province", "district", "commune"]',
        "",
        "[name]",
        f"vi = {_toml_string(name_vi)}",
        f"en = {_toml_string(name_en)}",
        "",
        "[plan]",
        f"number = {_toml_string('01/KH-MP (mô phỏng)')}",
        f'date = "{CAMPAIGN.start - timedelta(days=6):%Y-%m-%d}"',
        f"source_id = {_toml_string(SOURCE_ID)}",
        "",
        "[generated]",
        'generator = "dvctt.synth.province"',
        f"seed = {seed}",
        f"dossiers = {n}",
        f"command = {_toml_string(f'dvctt synth --dossiers {n} --seed {seed} --out DIR')}",
        f"dossiers_file = {_toml_string(DOSSIERS_FILE)}",
    ]
    for window, kind, label_vi, label_en in periods():
        lines += [
            "",
            "[[periods]]",
            f"id = {_toml_string(window.id)}",
            f"kind = {_toml_string(kind)}",
            f'start = "{window.start:%Y-%m-%d}"',
            f'end = "{window.end:%Y-%m-%d}"',
            f"label_vi = {_toml_string(label_vi)}",
            f"label_en = {_toml_string(label_en)}",
        ]
    return "\n".join(lines) + "\n"


def targets_table() -> pd.DataFrame:
    rows = [
        ("campaign", level, kpi, float(value), SOURCE_ID, "targets", "synthetic target")
        for level, by_kpi in TARGETS.items()
        for kpi, value in by_kpi.items()
    ]
    return pd.DataFrame(rows, columns=["target_set", "level", "kpi", "target", "source_id", "source_section", "note"])


def sources_table(n: int, seed: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "source_id": SOURCE_ID,
                "file": DOSSIERS_FILE,
                "title": f"Dữ liệu mô phỏng {PROVINCE_VI} ({n:,} hồ sơ, số khởi tạo {seed})".replace(",", "."),
                "publisher": "Bộ công cụ dvctt (dữ liệu mô phỏng, không phải số liệu thật)",
                "published": pd.NA,
                "note": f"SYNTHETIC: generated by `dvctt synth --dossiers {n} --seed {seed}`; "
                f"observations aggregated from {DOSSIERS_FILE} with dvctt.dossiers.aggregate.",
            }
        ]
    )


def reported_totals(observations: pd.DataFrame, units: pd.DataFrame, period_ids: list[str]) -> pd.DataFrame:
    """Level and whole-province totals as a provincial system export prints them: pooled counts, the rate
    rounded to two decimals, Vietnamese number format. Levels without an applicable unit print nothing."""
    obs = observations.loc[observations["period"].isin(period_ids)].merge(units[["unit_code", "level"]], on="unit_code")
    both = pd.concat([obs, obs.assign(level="all")])
    sums = both.groupby(["level", "period", "kpi"], sort=False)[["numerator", "denominator"]].sum().reset_index()
    sums = sums.loc[sums["denominator"] > 0]
    value = (sums["numerator"].astype("float64") / sums["denominator"].astype("float64") * 100).round(2)
    frame = sums.assign(
        unit_code=pd.NA,
        measure="rate",
        value=value,
        printed=value.map(lambda v: f"{v:.2f}".replace(".", ",") + "%"),
        headline="true",
        source_id=SOURCE_ID,
        source_section=f"Báo cáo xuất từ hệ thống một cửa điện tử {PROVINCE_VI} (mô phỏng)",
        note="synthetic export: pooled counts, rate rounded to two decimals",
    )
    order = {"province": 0, "district": 1, "commune": 2, "all": 3}
    frame = frame.assign(
        _p=frame["period"].map({p: i for i, p in enumerate(period_ids)}),
        _l=frame["level"].map(order),
        _k=frame["kpi"].map({k: i for i, k in enumerate(DOSSIER_KPIS)}),
    ).sort_values(["_p", "_l", "_k"])
    columns = ["level", "unit_code", "period", "kpi", "measure", "numerator", "denominator", "value", "printed",
               "headline", "source_id", "source_section", "note"]  # fmt: skip
    return frame[columns].reset_index(drop=True)


README = """# {province} — SYNTHETIC DATA

This folder was generated by `dvctt synth --dossiers {n} --seed {seed}`. Tỉnh Mô Phỏng is a fictional province
(code 99): every unit, figure and dossier here is invented. Do not quote it as real data.

- `dossiers.parquet`: one row per dossier with the national portal's field names (see docs/en/reference/data-model.md);
- `observations.csv`: aggregated from the dossiers with `dvctt.dossiers.aggregate` (unit × period × KPI, with counts);
- `reported_totals.csv`: level totals as a provincial system export would print them (pooled, two decimals).

Render the report with `dvctt report --campaign <this folder>`.
"""


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _is_synthetic_folder(folder: Path) -> bool:
    """True for a folder an earlier ``dvctt synth`` wrote (campaign.toml says synthetic = true)."""
    try:
        return read_definition(folder / "campaign.toml").synthetic
    except (OSError, CampaignDefinitionError):
        return False


def _check_target(out: Path) -> None:
    """Refuse to overwrite a folder that is not a previous synthetic campaign: analysts' data is never touched."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ParameterError(f"--out {out} exists and is not a folder.")
    if any(out.iterdir()) and not _is_synthetic_folder(out):
        raise ParameterError(
            f"--out {out} is not empty and is not a synthetic campaign folder; choose an empty or new folder."
        )


def write_campaign(n: int, seed: int, out: str | os.PathLike[str]) -> Path:
    """Generate the province and write it as a campaign folder that ``load_campaign`` and ``dvctt report``
    accept. Written in a staging folder then moved into place, so a failure never leaves half a folder."""
    out = Path(out).expanduser().resolve()
    _check_target(out)
    province = generate(n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (staging / "campaign.toml").write_text(campaign_toml(n, seed), encoding="utf-8")
        (staging / "README.md").write_text(README.format(province=PROVINCE_VI, n=n, seed=seed), encoding="utf-8")
        write_dossiers(province.dossiers, staging / DOSSIERS_FILE)
        windows = [window for window, *_ in periods()]
        aggregate = aggregate_dossiers(
            staging / DOSSIERS_FILE,
            windows,
            units=province.units,
            source_id=SOURCE_ID,
            source_section=DOSSIERS_FILE,
        )
        _write_csv(province.units, staging / "units.csv")
        _write_csv(aggregate.observations, staging / "observations.csv")
        _write_csv(targets_table(), staging / "targets.csv")
        totals = reported_totals(aggregate.observations, province.units, [BASELINE.id, CAMPAIGN.id])
        _write_csv(totals, staging / "reported_totals.csv")
        _write_csv(sources_table(n, seed), staging / "sources.csv")
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
