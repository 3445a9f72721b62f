"""Saving an ingest into a campaign folder: upserted observations, the source, totals and rejects."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt import paths
from dvctt.campaign.definition import Campaign
from dvctt.campaign.loading import load_campaign
from dvctt.ingest.result import IngestResult
from dvctt.ingest.vocabulary import REJECTS_DIR

# ------------------------------------------------------------------------------------------ writing


@dataclass(frozen=True)
class SaveSummary:
    folder: Path
    observations_added: int
    observations_replaced: int
    totals_written: int
    source_added: bool
    rejects_path: Path | None
    changed_files: tuple[str, ...]


def _cell_text(value: Any) -> str:
    """How a value is written into a campaign CSV: full precision, dot decimal, empty for missing."""
    if hasattr(value, "item"):  # numpy scalar -> Python
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _text_rows(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    records = [{c: _cell_text(row.get(c)) for c in columns} for row in frame.astype(object).to_dict("records")]
    return pd.DataFrame(records, columns=list(columns), dtype="str")


def _read_text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _upsert_observations(existing: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Replace rows with the same unit × period × KPI in place; append the others in file order."""
    columns = list(existing.columns)
    added_rows = _text_rows(new, columns)
    key = ["unit_code", "period", "kpi"]
    position = {tuple(r): i for i, r in enumerate(existing[key].itertuples(index=False, name=None))}
    rows = existing.to_dict("records")
    appended, replaced = [], 0
    for record in added_rows.to_dict("records"):
        index = position.get(tuple(record[k] for k in key))
        if index is None:
            appended.append(record)
        else:
            rows[index] = record
            replaced += 1
    return pd.DataFrame(rows + appended, columns=columns, dtype="str"), len(appended), replaced


def _replace_totals(existing: pd.DataFrame, new: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """This source's totals replace its earlier ones, at the same place in the file."""
    columns = list(existing.columns)
    added = _text_rows(new, columns).to_dict("records")
    rows = existing.to_dict("records")
    mine = [i for i, r in enumerate(rows) if r["source_id"] == source_id]
    at = mine[0] if mine else len(rows)
    others = [r for r in rows if r["source_id"] != source_id]
    before = sum(1 for i in range(at) if rows[i]["source_id"] != source_id)
    return pd.DataFrame(others[:before] + added + others[before:], columns=columns, dtype="str")


def _source_line(result: IngestResult, columns: Sequence[str], today: date) -> str:
    sheets = ", ".join(result.sheets)
    record = {
        "source_id": result.source_id,
        "file": result.path.name,
        "title": f"Tệp số liệu {result.path.name}",
        "publisher": "",
        "published": "",
        "note": f"Imported by dvctt ingest on {today.isoformat()} (nhập ngày {today:%d/%m/%Y}); "
        f"sha256 {result.sha256}; read: {sheets}",
    }
    return _csv_text(pd.DataFrame([{c: record.get(c, "") for c in columns}], dtype="str")).split("\n", 1)[1]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def save_ingest(
    result: IngestResult, campaign: str | os.PathLike[str] | Campaign, *, today: date | None = None
) -> SaveSummary:
    """Write ``result`` into the campaign folder; the folder must still load, or nothing is written."""
    folder = campaign.folder if isinstance(campaign, Campaign) else paths.campaign_dir(campaign)
    today = today or date.today()
    obs_path, totals_path, sources_path = (
        folder / n for n in ("observations.csv", "reported_totals.csv", "sources.csv")
    )
    observations, added, replaced = _upsert_observations(_read_text(obs_path), result.observations)
    totals = _replace_totals(_read_text(totals_path), result.reported_totals, result.source_id)
    sources_text = sources_path.read_text(encoding="utf-8")
    sources = _read_text(sources_path)
    source_added = result.source_id not in set(sources["source_id"])
    if source_added:
        sources_text = sources_text + ("" if sources_text.endswith("\n") else "\n")
        sources_text += _source_line(result, list(sources.columns), today)
    texts = {
        obs_path: _csv_text(observations),
        totals_path: _csv_text(totals),
        sources_path: sources_text,
    }
    # the rejects first: a failure further on must never leave figures saved without their rejects
    rejects_path = folder / REJECTS_DIR / f"{result.path.stem}.rejects.csv"
    if result.issues:
        rejects_path.parent.mkdir(exist_ok=True)
        result.rejects.to_csv(rejects_path, index=False, lineterminator="\n", encoding="utf-8-sig")
    elif rejects_path.exists():
        rejects_path.unlink()
    changed = {p: t for p, t in texts.items() if p.read_text(encoding="utf-8") != t}
    if changed:
        with tempfile.TemporaryDirectory(prefix="dvctt-ingest-") as tmp:
            trial = Path(tmp) / folder.name
            shutil.copytree(folder, trial, ignore=shutil.ignore_patterns(REJECTS_DIR, ".*"))
            for p, t in changed.items():
                (trial / p.name).write_text(t, encoding="utf-8")
            load_campaign(trial)  # raises DataValidationError: the real folder is untouched
        for p, t in changed.items():
            _write_atomic(p, t)
    load_campaign(folder)  # the final check: the campaign still loads
    return SaveSummary(
        folder,
        added,
        replaced,
        len(result.reported_totals),
        source_added,
        rejects_path if result.issues else None,
        tuple(sorted(p.name for p in changed)),
    )
