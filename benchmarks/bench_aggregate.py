"""Benchmark: dossier-level records -> unit × ISO week counts, DuckDB (dvctt.dossiers.aggregate) against plain pandas.

Run by hand (it prints figures and asserts nothing about speed):

    .venv/bin/python benchmarks/bench_aggregate.py                     # 1M, 2M, 5M, 10M dossiers
    .venv/bin/python benchmarks/bench_aggregate.py --sizes 1e6 2e6     # quicker

For every size it writes synthetic dossiers (``dvctt.synth.province``) to Parquet in a temporary folder, then runs each
method ``--runs`` times (default 3), each run in a fresh subprocess so that its peak memory (ru_maxrss from
``os.wait4``) is its own. Wall time is measured inside the subprocess around the work (read + aggregate), so
interpreter start-up and imports are left out; the median is reported. Methods:

- ``duckdb``: ``dvctt.dossiers.aggregate.aggregate_dossiers`` as used in production: validate every value (including
  MaHoSo uniqueness), check unknown units, aggregate with AGGREGATE_SQL, reshape to tidy observations;
- ``duckdb-sql``: AGGREGATE_SQL alone over the Parquet file (no validation): the engine's share;
- ``pandas``: ``pd.read_parquet`` (only the needed columns) then ``groupby``: the straightforward way.

The three outputs are compared count by count; any difference is printed (and makes the exit status 1).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

METHODS = ("duckdb", "duckdb-sql", "pandas")
COUNTS = [
    "received", "online", "digitized", "fee_bearing", "paid_online", "full_process", "finished", "finished_on_time",
]  # fmt: skip


# ----------------------------------------------------------------------------------------------- workers


def _units(units_csv: str):
    import pandas as pd

    return pd.read_csv(units_csv, dtype=str)


def work_duckdb(parquet: str, units_csv: str):
    """Production path: validation, unknown units, aggregation, tidy observations."""
    from dvctt.dossiers.aggregate import aggregate_dossiers

    result = aggregate_dossiers(parquet, "week", units=_units(units_csv))
    return result.counts


def work_duckdb_sql(parquet: str, units_csv: str):
    """AGGREGATE_SQL alone, straight over the Parquet file."""
    import duckdb
    import pyarrow as pa

    from dvctt.dossiers.aggregate import AGGREGATE_SQL, calendar_table, grain_windows

    codes = _units(units_csv)["unit_code"].tolist()
    con = duckdb.connect()
    con.execute(f"CREATE VIEW dossiers AS SELECT * FROM read_parquet('{parquet}')")
    con.register("units", pa.table({"unit_code": codes, "unit_order": list(range(len(codes)))}))
    last_day = "MAX(CAST(COALESCE(NgayKetThucXuLy, NgayTiepNhan) AS DATE))"
    query = f"SELECT MIN(CAST(NgayTiepNhan AS DATE)), {last_day} FROM dossiers"
    first, last = con.execute(query).fetchall()[0]
    con.register("calendar", calendar_table(grain_windows("week", first, last)))
    return con.execute(AGGREGATE_SQL).df()


def work_pandas(parquet: str, units_csv: str):
    """What an analyst would write: read the columns, derive the ISO week, group by unit and week."""
    import pandas as pd

    columns = [
        "DonViXuLy", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy",
        "HoSoCoThanhPhanSoHoa", "CoPhiLePhi", "DuocThanhToanTrucTuyen", "ToanTrinh",
    ]  # fmt: skip
    df = pd.read_parquet(parquet, columns=columns)
    df["DonViXuLy"] = df["DonViXuLy"].astype(str)

    def week(stamps: pd.Series) -> pd.Series:
        iso = stamps.dt.isocalendar()
        return iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)

    online = df["KenhThucHien"] == 2
    fee = df["CoPhiLePhi"] == 1
    received = (
        pd.DataFrame(
            {
                "unit_code": df["DonViXuLy"],
                "period": week(df["NgayTiepNhan"]),
                "received": 1,
                "online": online.astype("int64"),
                "digitized": (df["HoSoCoThanhPhanSoHoa"] == 1).astype("int64"),
                "fee_bearing": fee.astype("int64"),
                "paid_online": (fee & df["DuocThanhToanTrucTuyen"].isin([1, 2])).astype("int64"),
                "full_process": (online & (df["ToanTrinh"] == 1)).astype("int64"),
            }
        )
        .groupby(["unit_code", "period"])
        .sum()
    )
    done = df[df["NgayKetThucXuLy"].notna()]
    finished = (
        pd.DataFrame(
            {
                "unit_code": done["DonViXuLy"],
                "period": week(done["NgayKetThucXuLy"]),
                "finished": 1,
                "finished_on_time": (
                    done["NgayKetThucXuLy"].dt.normalize() <= done["NgayHenTra"].dt.normalize()
                ).astype("int64"),
            }
        )
        .groupby(["unit_code", "period"])
        .sum()
    )
    return received.join(finished, how="outer").fillna(0).astype("int64").reset_index()


WORKERS = {"duckdb": work_duckdb, "duckdb-sql": work_duckdb_sql, "pandas": work_pandas}


def run_worker(method: str, parquet: str, units_csv: str, out: str) -> None:
    """Inside the subprocess: do the work, time it, save the counts for the comparison, print the seconds."""
    import pandas as pd  # noqa: F401  (imports before the clock starts)

    import dvctt.dossiers.aggregate  # noqa: F401

    if method == "idle":  # imports only: the floor every method's peak memory includes
        print(f"0 {peak_rss_kib()}")
        return
    start = time.perf_counter()
    counts = WORKERS[method](parquet, units_csv)
    seconds = time.perf_counter() - start
    peak = peak_rss_kib()
    counts[["unit_code", "period", *COUNTS]].to_parquet(out, index=False)
    print(f"{seconds:.6f} {peak}")


def peak_rss_kib() -> int:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: after fork + exec Linux carries the
    parent's peak into the child's ru_maxrss, which would charge each worker with the driver's memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def generate_data(size: str, seed: str, parquet: str, units_csv: str) -> None:
    """In its own subprocess, so the driver stays small."""
    from dvctt.synth.province import generate, write_dossiers

    province = generate(int(size), int(seed))
    write_dossiers(province.dossiers, Path(parquet))
    province.units.to_csv(units_csv, index=False)


# ------------------------------------------------------------------------------------------------ driver


def measure(method: str, parquet: Path, units_csv: Path, out: Path) -> tuple[float, float]:
    """One run in a fresh subprocess: (seconds of work, peak resident memory in MiB of that process)."""
    command = [sys.executable, __file__, "--worker", method, str(parquet), str(units_csv), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{method} failed:\n{done.stderr}")
    seconds, peak_kib = done.stdout.split()[-2:]
    return float(seconds), int(peak_kib) / 1024


def compare(outputs: dict[str, Path]) -> list[str]:
    """Count-by-count comparison against the first method; unit × week rows missing on one side count as 0."""
    import pandas as pd

    frames = {m: pd.read_parquet(p).set_index(["unit_code", "period"]) for m, p in outputs.items()}
    reference_name, reference = next(iter(frames.items()))
    differences = []
    for name, frame in frames.items():
        left, right = reference.align(frame, join="outer", fill_value=0)
        nonzero = left.index[(left != 0).any(axis=1) | (right != 0).any(axis=1)]
        bad = (left.loc[nonzero] != right.loc[nonzero]).any(axis=1)
        if bad.any():
            differences.append(f"{name} differs from {reference_name} in {int(bad.sum())} unit × week rows")
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 2e6, 5e6, 10e6])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()

    rows, failures = [], []
    with tempfile.TemporaryDirectory(prefix="dvctt-bench-") as tmp:
        folder = Path(tmp)
        idle = measure("idle", folder, folder, folder)[1]
        for size in (int(s) for s in args.sizes):
            parquet, units_csv = folder / f"dossiers-{size}.parquet", folder / "units.csv"
            command = [sys.executable, __file__, "--generate", str(size), str(args.seed), str(parquet), str(units_csv)]
            subprocess.run(command, check=True)
            result = {"size": size, "file_mib": parquet.stat().st_size / 2**20}
            outputs = {}
            for method in METHODS:
                outputs[method] = folder / f"out-{method}-{size}.parquet"
                runs = [measure(method, parquet, units_csv, outputs[method]) for _ in range(args.runs)]
                result[method] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
                shown = "  ".join(f"{sec:.2f}s/{mib:.0f}MiB" for sec, mib in runs)
                print(f"  {size:>11,} {method:<10} {shown}", flush=True)
            differences = compare(outputs)
            failures += [f"{size:,} dossiers: {d}" for d in differences]
            result["agree"] = not differences
            rows.append(result)
            parquet.unlink()
    print_table(rows, args.runs, idle)
    for failure in failures:
        print("DIFFERENCE:", failure)
    return 1 if failures else 0


def print_table(rows: list[dict], runs: int, idle: float) -> None:
    print(f"\nWall time: median of {runs} runs, work only. Memory: peak RSS of the worker process (max of runs),")
    print(f"including {idle:.0f} MiB for Python + pandas + DuckDB + pyarrow imported and idle.\n")
    print(
        "| dossiers | Parquet | dvctt (DuckDB: validate + aggregate) | DuckDB SQL only | pandas | pandas ÷ dvctt |",
        end="",
    )
    print(" pandas ÷ SQL only | same counts |")
    print("|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for r in rows:
        cells = [f"{r['size']:,}", f"{r['file_mib']:.0f} MiB"]
        cells += [f"{r[m][0]:.2f} s, {r[m][1]:,.0f} MiB" for m in METHODS]
        pandas = r["pandas"][0]
        cells += [f"{pandas / r['duckdb'][0]:.1f}×", f"{pandas / r['duckdb-sql'][0]:.1f}×"]
        cells.append("yes" if r["agree"] else "NO")
        print("| " + " | ".join(cells) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        factor = last["size"] / first["size"]
        print(f"\nGrowth from {first['size']:,} to {last['size']:,} dossiers ({factor:.0f}× the data):")
        for method in METHODS:
            (t0, m0), (t1, m1) = first[method], last[method]
            print(f"  {method:<10} time {t1 / t0:.1f}×, peak memory {m1 / m0:.1f}× ({m0:,.0f} → {m1:,.0f} MiB)")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--worker":
        run_worker(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "--generate":
        generate_data(*sys.argv[2:])
    else:
        raise SystemExit(main())
