"""The units behind a partial figure, for the report: rejected rows read from the campaign's rejects files, and per
level × KPI the units without a figure (not sent yet, or rejected) named as the first screen and the workbook show
them ("3 xã chưa có số liệu: …")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dvctt.analysis.gaps import MISSING_GAP, REJECTED_GAP
from dvctt.labels import text
from dvctt.report.present import esc

REJECTS_DIR = "rejects"  # as dvctt.ingest.vocabulary.REJECTS_DIR (ingest is not below report)
REJECT_KEYS = ["unit_code", "period", "kpi", "rule", "reason_vi", "reason_en", "rejects_file"]
MAX_GAP_NAMES = 10  # units named on a card; the rest are counted, the workbook lists every one
GAP_LIST_COLUMNS = ["level", "kpi", "period", "unit_code", "unit_name", "gap", "reject_rule", "reject_reason_vi",
                    "reject_reason_en", "rejects_file"]  # fmt: skip


def read_rejects(folder: Path) -> pd.DataFrame:
    """Every rejected row that names its unit, from ``rejects/*.rejects.csv`` (files written before the unit was
    recorded name none and are left out); ``rejects_file`` is the file's path in the campaign folder."""
    frames = []
    for path in sorted((Path(folder) / REJECTS_DIR).glob("*.rejects.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if "unit_code" not in frame:
            continue
        frame = frame[frame["unit_code"].str.strip() != ""].reindex(columns=REJECT_KEYS, fill_value="")
        frames.append(frame.assign(rejects_file=f"{REJECTS_DIR}/{path.name}"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=REJECT_KEYS, dtype="str")


def gap_list(unit_summary: pd.DataFrame, period: str, returns: frozenset[tuple[str, ...]]) -> pd.DataFrame:
    """One row per unit × KPI of a return without a result where it applies: missing or rejected, in the units'
    order. A selection has none: a unit the source did not name is not a unit that failed to report."""
    in_return = [(lv, k, period) in returns for lv, k in zip(unit_summary["level"], unit_summary["kpi"], strict=True)]
    rows = unit_summary[
        unit_summary["gap"].isin([MISSING_GAP, REJECTED_GAP]) & pd.Series(in_return, index=unit_summary.index)
    ]
    return rows.assign(period=period).reindex(columns=GAP_LIST_COLUMNS).reset_index(drop=True)


def _names(rows: pd.DataFrame, lang: str) -> str:
    names = [esc(n) for n in rows["unit_name"].head(MAX_GAP_NAMES)]
    if len(rows) > MAX_GAP_NAMES:
        names.append(esc(text("verdict.more", lang, n=len(rows) - MAX_GAP_NAMES)))
    return ", ".join(names)


def gap_lines(units: pd.DataFrame, level: str, lang: str) -> list[str]:
    """HTML lines naming one level × KPI's units without a figure: those that sent nothing, and those whose row
    was rejected (with the rule and the rejects file)."""
    noun = text(f"gap.noun.{level}", lang)
    lines = []
    missing = units[units["gap"] == MISSING_GAP]
    if len(missing):
        lead = esc(text("gap.missing_units", lang, n=len(missing), noun=noun))
        lines.append(f'<div class="v-gap v-missing-units"><b>{lead}:</b> {_names(missing, lang)}</div>')
    rejected = units[units["gap"] == REJECTED_GAP]
    for (reason, file), group in rejected.groupby([f"reject_reason_{lang}", "rejects_file"], sort=False):
        lead = esc(text("gap.rejected_units", lang, n=len(group), noun=noun))
        why = esc(text("gap.rejected_why", lang, reason=reason, file=file))
        lines.append(f'<div class="v-gap v-rejected-units"><b>{lead}:</b> {_names(group, lang)} ({why})</div>')
    return lines
