"""The real 2026 portal answers (tests/fixtures/portal-2026/) as the wide score frame, for the message and report
tests until the formats reader (``read_index_files``) lands; then these helpers become one call of it.

The national answer gives the 34 provinces with their components; a province's answer its agencies and communes
with totals only (components missing, never 0). The year answers are taken as year to date to the end of
September 2026 (the national one is as of 17/09/2026; the provinces' were fetched in the autumn, date not given).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from dvctt.service_index.definition import COMPONENTS, parse_period
from dvctt.service_index.formats.export2025 import SCORE_FRAME_COLUMNS

PORTAL_2026 = Path(__file__).parent / "fixtures" / "portal-2026"
NATIONAL = PORTAL_2026 / "service-results_national_year2026_asof-2026-09-17.json"
AN_GIANG = PORTAL_2026 / "service-results_H01_AnGiang_year2026.json"
LEVELS = {"AGENCY": "agency", "COMMUNE": "commune"}


GIA_LAI = PORTAL_2026 / "service-results_H21_GiaLai_year2026.json"
GIA_LAI_FEBRUARY = PORTAL_2026 / "service-results_H21_GiaLai_month2026-02.json"


def answer_frame(path: Path, period: str, as_of: str = "", *, overview: bool = False) -> pd.DataFrame:
    """One answer's units (``overview``: also the province's own total from ``data.overview``, as a row without
    components: a month answer has no other)."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    rows = list(data["evaluation"])
    if overview:
        head = data["overview"]
        rows.append({"departmentId": "", "departmentName": head["departmentName"],
                     "departmentCode": head["departmentCode"], "totalScore": head["totalScore"]})  # fmt: skip
    chosen = parse_period(period)
    records = []
    for i, row in enumerate(rows, start=1):
        code = str(row["departmentCode"])
        groups = row.get("groupScores") or {}
        records.append({
            "unit_code": code, "ma_coquan": code, "unit_name": row["departmentName"],
            "ten_coquan": row["departmentName"], "level": LEVELS.get(row.get("childGroup"), "province"),
            "province_code": code.split(".")[0], "official_code": "", "official_name": "", "code_source": "",
            "code_note": "", "portal_id": row["departmentId"], "id_coquan": "", "loai_coquan": "",
            "capdonviid": "", **{c: float(groups.get(c, math.nan)) for c in COMPONENTS},
            "total": float(row["totalScore"]), "printed_rank": "", "period": chosen.id, "period_kind": chosen.kind,
            "year": chosen.year, "as_of": as_of, "file": path.name, "sheet": "", "row": i,
            "source_id": f"portal-{path.stem[:40]}",
        })  # fmt: skip
    return pd.DataFrame(records, columns=list(SCORE_FRAME_COLUMNS)).astype({"row": "int64", "year": "int64"})


def an_giang() -> tuple[pd.DataFrame, list[Path]]:
    """The 34 provinces (as of 17/09/2026) and An Giang's 117 units (about 23/09/2026), year to date."""
    frames = [answer_frame(NATIONAL, "2026-ytd-09", "2026-09-17"), answer_frame(AN_GIANG, "2026-ytd-09")]
    return pd.concat(frames, ignore_index=True), [NATIONAL, AN_GIANG]


def gia_lai() -> tuple[pd.DataFrame, list[Path]]:
    """The 34 provinces and Gia Lai's 149 units year to date, and Gia Lai's February 2026 with its own total."""
    frames = [answer_frame(NATIONAL, "2026-ytd-09", "2026-09-17"), answer_frame(GIA_LAI, "2026-ytd-09"),
              answer_frame(GIA_LAI_FEBRUARY, "2026-02", overview=True)]  # fmt: skip
    return pd.concat(frames, ignore_index=True), [NATIONAL, GIA_LAI, GIA_LAI_FEBRUARY]
