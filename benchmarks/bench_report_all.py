"""Benchmark `dvctt report --all` against a plain loop of the papermill and jupyter nbconvert CLIs.

Run by hand (it takes several minutes); prints its figures, asserts nothing:

    .venv/bin/python benchmarks/bench_report_all.py                    # the demo province (generated)
    .venv/bin/python benchmarks/bench_report_all.py --campaign camau-2023 --repeat 3

Measured in the same run, on the same notebooks and parameters:
- loop: for each report, `papermill NB OUT -p ... -k python3` then `jupyter nbconvert --to html --no-input OUT`;
- dvctt: `dvctt report --campaign C --period P --all --jobs N` (which also writes CSV, Excel and the index);
- floor: number of reports × (time to start a kernel and import the report's libraries) / cores.
Goal: dvctt at least 3× faster than the loop and within 1.5× of the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kernel_floor import kernel_start_and_imports  # this folder, on the path when run as a script

from dvctt import paths
from dvctt.campaign.loading import load_campaign
from dvctt.publish import batch

BIN = Path(sys.executable).parent


def _timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def plain_loop(campaign: str, period: str, jobs: list[batch.Job], out: Path) -> float:
    """The straightforward way: one papermill CLI run and one nbconvert CLI run per report."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for job in jobs:
        executed = out / f"{job.stem(period, 'vi')}.ipynb"
        params = ["-r", "campaign", campaign, "-r", "period", period, "-r", "lang", "vi"]  # -r: raw strings
        for name, value in job.parameters.items():
            params += ["-r", name, value]
        source = paths.NOTEBOOKS_DIR / f"{job.notebook}.ipynb"
        subprocess.run(
            [str(BIN / "papermill"), str(source), str(executed), *params, "-k", "python3", "--no-progress-bar"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--campaign", help="campaign id or folder (default: generate the demo province)")
    parser.add_argument("--dossiers", type=int, default=200_000, help="demo province size (default 200000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each method; medians are reported")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dvctt-bench-") as tmp:
        root = Path(tmp)
        campaign = args.campaign
        if campaign is None:
            from dvctt.synth.province import write_campaign

            campaign = str(write_campaign(args.dossiers, 2023, root / "demo-province"))
        loaded = load_campaign(campaign)
        period = loaded.definition.default_period
        jobs = batch.plan(loaded.units)
        cores = os.cpu_count() or 1
        print(f"campaign {loaded.id}, period {period}: {len(jobs)} reports, {cores} cores, --jobs {args.jobs}")

        kernel = statistics.median(kernel_start_and_imports() for _ in range(3))
        floor = len(jobs) * kernel / cores
        loops, ours = [], []
        for run in range(args.repeat):
            loops.append(plain_loop(campaign, period, jobs, root / f"loop{run}"))
            command = [str(BIN / "dvctt"), "report", "--campaign", campaign, "--all", "--jobs", str(args.jobs)]
            ours.append(_timed([*command, "--out", str(root / f"dvctt{run}")]))
        loop, mine = statistics.median(loops), statistics.median(ours)
        print()
        print(f"{'what':<52}{'seconds':>10}")
        print(f"{'kernel start + report imports (median of 3)':<52}{kernel:>10.2f}")
        print(f"{'floor = reports x kernel / cores':<52}{floor:>10.1f}")
        print(f"{'plain loop: papermill CLI + nbconvert CLI (median)':<52}{loop:>10.1f}")
        print(f"{'dvctt report --all (median)':<52}{mine:>10.1f}")
        print()
        print(f"speed-up over the loop: {loop / mine:.2f}x (goal >= 3x)")
        print(f"dvctt / floor: {mine / floor:.2f} (goal <= 1.5)")
        print(f"per report: loop {loop / len(jobs):.2f} s, dvctt {mine / len(jobs):.2f} s")


if __name__ == "__main__":
    main()
