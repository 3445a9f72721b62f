"""Steps an analyst does by hand in a two-tier campaign started with `dvctt new` (issue 11 case (a) and the README
walkthrough): confirm some of the example provincial agencies, fill the template with (seeded, synthetic) counts."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from openpyxl import load_workbook

from dvctt.ingest.template import FIRST_DATA_ROW, ID_HEADERS


def confirm_agencies(folder: Path, keep: list[str]) -> None:
    """What the analyst does with dvctt new's example agencies: keep those that report, confirm them."""
    path = folder / "units.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = [r for r in rows if r["level"] != "province" or r["unit_code"] in keep]
    for row in rows:
        if row["level"] == "province":
            row.update(code_source="project", note="")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def fill_online(template: Path, out: Path, rng: np.random.Generator) -> tuple[int, int]:
    """Fill the online counts of every unit with seeded synthetic numbers; return the province-wide sums."""
    book = load_workbook(template)
    total = [0, 0]
    for sheet in book.worksheets:
        row = FIRST_DATA_ROW
        while sheet.cell(row, 2).value:
            received = int(rng.integers(20, 400))
            online = int(rng.binomial(received, rng.uniform(0.5, 0.95)))
            sheet.cell(row, len(ID_HEADERS) + 1, online)
            sheet.cell(row, len(ID_HEADERS) + 2, received)
            total[0] += online
            total[1] += received
            row += 1
    book.save(out)
    return total[0], total[1]


def two_monthly_returns(root: Path, year: int = 2025) -> tuple[Path, dict[str, tuple[int, int]]]:
    """A new campaign's first two months as an analyst runs them: `dvctt new --periods month`, marked synthetic (the
    figures are), the template filled for January and February (seeds 1 and 2) and both ingested under their
    month, campaign.toml otherwise untouched. Returns the folder and each month's (online, received) sums."""
    from dvctt.cli import main as cli

    folder = root / f"camau-{year}"
    assert cli.main(["new", str(folder), "--province", "96", "--periods", "month", "--year", str(year)]) == 0
    toml = folder / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("synthetic = false", "synthetic = true"))
    assert cli.main(["template", "--campaign", str(folder), "--out", str(root / "bieu.xlsx")]) == 0
    sums = {}
    for seed, period in enumerate((f"{year}-01", f"{year}-02"), 1):
        sums[period] = fill_online(root / "bieu.xlsx", root / f"{period}.xlsx", np.random.default_rng(seed))
        assert cli.main(["ingest", str(root / f"{period}.xlsx"), "--campaign", str(folder), "--period", period]) == 0
    return folder, sums
