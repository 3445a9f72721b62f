"""The real 2026 portal answers (tests/fixtures/portal-2026/, copies of shared/data/portal-2026/) as the wide
frame every reader returns (SCORE_FRAME_COLUMNS), for the tests of snapshots, ranks and bands.

Only what those tests need: the ``service-results`` answers (national: provinces with ``groupScores``; one
province: its agencies and communes, totals only, components NaN). The package's own reader of these answers is
``dvctt.service_index.formats.read_index_files`` (item 1); this helper keeps the snapshot tests independent of it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from dvctt.service_index.definition import COMPONENTS, parse_period
from dvctt.service_index.formats.export2025 import SCORE_FRAME_COLUMNS

PORTAL_2026 = Path(__file__).parent / "fixtures" / "portal-2026"
NATIONAL = PORTAL_2026 / "service-results_national_year2026_asof-2026-09-17.json"
AN_GIANG = PORTAL_2026 / "service-results_H01_AnGiang_year2026.json"
GIA_LAI = PORTAL_2026 / "service-results_H21_GiaLai_year2026.json"
GIA_LAI_FEB = PORTAL_2026 / "service-results_H21_GiaLai_month2026-02.json"
GIA_LAI_BUNDLE = PORTAL_2026 / "components_H21_GiaLai_year2026_2026-10-02.json"
LEVELS = {"AGENCY": "agency", "COMMUNE": "commune"}


def service_results(
    path: Path, period: str, as_of: date | None, *, key: str = "", overview: bool = False
) -> pd.DataFrame:
    """One row per unit of ``data.evaluation`` (of ``doc[key]`` in a bundle), as of ``as_of``; ``overview`` adds
    the province's own total from ``data.overview`` (a province row of totals only, as a copied web table has)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    data = (doc[key] if key else doc)["data"]
    rows = list(data["evaluation"])
    if overview:
        rows.append({**data["overview"], "departmentId": ""})
    chosen = parse_period(period, as_of)
    records = []
    for index, row in enumerate(rows):
        code = row["departmentCode"]
        groups = row.get("groupScores") or {}
        record = {c: "" for c in SCORE_FRAME_COLUMNS}
        record.update({c: float(groups[c]) if c in groups else float("nan") for c in COMPONENTS})
        record.update(
            unit_code=code, ma_coquan=code, unit_name=row["departmentName"], ten_coquan=row["departmentName"],
            level=LEVELS.get(row.get("childGroup"), "province"), province_code=code.split(".")[0] if "." in code
            else "", portal_id=row["departmentId"], total=float(row["totalScore"]), period=chosen.id,
            period_kind=chosen.kind, year=chosen.year, as_of=chosen.as_of_text, file=path.name, row=index + 1,
            source_id=f"{path.stem}@{chosen.as_of_text}",
        )  # fmt: skip
        records.append(record)
    return pd.DataFrame(records, columns=list(SCORE_FRAME_COLUMNS)).astype({"row": "int64", "year": "int64"})
