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


# ------------------------------------------------------------------ a return with gaps (issue 22)
# An Giang since July 2025: 102 communes, wards and special zones from the code list, and the 12 provincial agencies
# `dvctt new` writes, confirmed. Three communes have not sent 2026's figures.
AN_GIANG = "91"
AGENCIES_AG = [f"91.A{i:02d}" for i in range(1, 13)]
MISSING_AG = {"30325": "Phường Vĩnh Tế", "30607": "Xã Bình Hòa", "31018": "Xã An Minh"}
REJECTED_AG = "30607"  # Xã Bình Hòa: its 2026 row prints more online dossiers than dossiers received


def fill_counts(template: Path, out: Path, rng: np.random.Generator, *, skip=(), slip: str | None = None) -> dict:
    """Fill online / received counts for every unit but ``skip`` (left blank: not sent); ``slip``'s row prints
    online = received + 5 (an arithmetic slip ingest rejects). Returns {unit_code: (online, received)} as filled."""
    book = load_workbook(template)
    filled = {}
    for sheet in book.worksheets:
        row = FIRST_DATA_ROW
        while code := sheet.cell(row, 2).value:
            received = int(rng.integers(20, 400))
            online = int(rng.binomial(received, rng.uniform(0.6, 0.95)))
            if code == slip:
                online = received + 5
            if code not in skip:
                sheet.cell(row, len(ID_HEADERS) + 1, online)
                sheet.cell(row, len(ID_HEADERS) + 2, received)
                filled[str(code)] = (online, received)
            row += 1
    book.save(out)
    return filled


def return_campaign(root: Path, *, targets: bool = True, rejected: bool = False, min_coverage: float | None = None):
    """An Giang's 2026 return (``dvctt new``, template, ``dvctt ingest`` of 2025 and 2026), online only, synthetic
    counts: every unit in 2025; in 2026 the three of MISSING_AG blank, or with ``rejected`` Xã Bình Hòa's row
    printed with a slip and the other two blank. Targets 80% for both levels unless ``targets`` is False.
    Returns (folder, {period: {unit_code: (online, received)}} of the rows ingest accepts)."""
    from dvctt.cli import main as cli

    folder = root / "angiang-2026"
    assert cli.main(["new", str(folder), "--province", AN_GIANG]) == 0
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8").replace("synthetic = false", "synthetic = true")
    text = text.replace('kpis = ["online", "digitized", "online_payment"]', 'kpis = ["online"]')
    if min_coverage is not None:
        text = text.replace('kpis = ["online"]', f'kpis = ["online"]\nmin_coverage = {min_coverage}')
    if targets:
        text = text.replace('# target_set = "campaign"', 'target_set = "campaign"')
        (folder / "targets.csv").write_text(
            "target_set,level,kpi,target,source_id,source_section,note\n"
            "campaign,province,online,80,analyst,,\ncampaign,commune,online,80,analyst,,\n",
            encoding="utf-8",
        )
    toml.write_text(text, encoding="utf-8")
    confirm_agencies(folder, AGENCIES_AG)
    template = root / "bieu-nhap.xlsx"
    assert cli.main(["template", "--campaign", str(folder), "--out", str(template)]) == 0
    rng = np.random.default_rng(22)
    counts = {}
    for period in ("2025", "2026"):
        skip = () if period == "2025" else tuple(c for c in MISSING_AG if not (rejected and c == REJECTED_AG))
        slip = REJECTED_AG if rejected and period == "2026" else None
        filled = root / f"so-lieu-{period}.xlsx"
        counts[period] = fill_counts(template, filled, rng, skip=skip, slip=slip)
        if slip:
            counts[period].pop(slip)
        code = cli.main(["ingest", str(filled), "--campaign", str(folder), "--period", period])
        assert code == (1 if slip else 0)
    return folder, counts
