"""Saving an ingest into a campaign folder: upserted observations, the source, totals and rejects, all in one
transaction (:mod:`dvctt.campaign.commit`)."""

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
from dvctt.campaign import commit, form_counts
from dvctt.campaign.definition import Campaign
from dvctt.campaign.loading import load_campaign
from dvctt.campaign.vocabulary import RETURN
from dvctt.errors import ConcurrentChangeError, DataValidationError, ParameterError
from dvctt.ingest.result import IngestResult
from dvctt.ingest.vocabulary import REJECTS_DIR, SOURCE_HASH_LENGTH
from dvctt.safe_text import safe_frame, safe_text

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
    skipped: tuple[str, ...] = ()  # links and special files of the folder, left out of the trial copy


def copy_own_files(folder: Path, target: Path) -> list[str]:
    """Copy the campaign's own regular files and folders into ``target`` (made here), following no link:
    a symbolic link (``loop -> .``, a link to /dev/zero or to a file elsewhere), a named pipe, a socket or a
    device is left out and named in the list returned. ``rejects/`` and hidden entries are not copied."""
    skipped: list[str] = []
    target.mkdir()
    pending = [(folder, target)]
    while pending:
        source, into = pending.pop()
        with os.scandir(source) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.startswith(".") or (source == folder and entry.name == REJECTS_DIR):
                    continue
                relative = Path(entry.path).relative_to(folder).as_posix()
                if entry.is_dir(follow_symlinks=False):
                    (into / entry.name).mkdir()
                    pending.append((Path(entry.path), into / entry.name))
                elif entry.is_file(follow_symlinks=False):
                    shutil.copyfile(entry.path, into / entry.name, follow_symlinks=False)
                else:
                    skipped.append(relative + ("@" if entry.is_symlink() else ""))
    return sorted(skipped)


def _cell_text(value: Any) -> str:
    """How a value is written into a campaign CSV: full precision, dot decimal, empty for missing."""
    if hasattr(value, "item"):  # numpy scalar -> Python
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value + 0.0)  # "-0" is stored as 0.0, never -0.0
    return safe_text(str(value))  # a printed value or note copied from a file never becomes a formula


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


def _upsert_form_counts(path: Path, new: pd.DataFrame) -> pd.DataFrame:
    """Form counts keyed on unit × period × field: this file's rows replace the same keys, others are kept."""
    columns = list(form_counts.COLUMNS)
    existing = _read_text(path) if path.is_file() else pd.DataFrame(columns=columns, dtype="str")
    added = _text_rows(new, columns)
    key = ["unit_code", "period", "field"]
    fresh = set(added[key].itertuples(index=False, name=None))
    kept = existing[[tuple(r) not in fresh for r in existing[key].itertuples(index=False, name=None)]]
    return pd.concat([kept, added], ignore_index=True)[columns]


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
        "kind": RETURN,  # an ingested file is a return: every unit is asked, a missing one has not sent it yet
    }
    row = {c: safe_text(record.get(c, "")) for c in columns}
    return _csv_text(pd.DataFrame([row], dtype="str")).split("\n", 1)[1]


def rejects_name(result: IngestResult) -> str:
    """``rejects/<stem>.<hash prefix>.rejects.csv``: the stem for people, the content hash so that two files of
    the same name (from two folders, or two versions) never overwrite each other's rejects."""
    return f"{REJECTS_DIR}/{result.path.stem}.{result.sha256[:SOURCE_HASH_LENGTH]}.rejects.csv"


def _rejects_text(result: IngestResult) -> str:
    return "\ufeff" + safe_frame(result.rejects.astype(str)).to_csv(index=False, lineterminator="\n")


def _late_conflicts(result: IngestResult, existing: pd.DataFrame) -> list[str]:
    """Keys another source stored after ``result`` was read (by a command that did not hold the lock)."""
    if result.replace or result.observations.empty:
        return []
    known = dict(
        zip(
            existing[["unit_code", "period", "kpi"]].itertuples(index=False, name=None),
            existing["source_id"],
            strict=True,
        )
    )
    found = []
    for row in result.observations.itertuples(index=False):
        owner = known.get((row.unit_code, row.period, row.kpi))
        if owner is not None and owner != result.source_id:
            found.append(f"{row.unit_code} × {row.period} × {row.kpi} ({owner})")
    return found


def ensure_writable(folder: Path) -> None:
    """Shipped campaigns are read-only: an analyst's figures never become changes to the repository's files."""
    if paths.is_shipped(folder):
        raise ParameterError(
            f"Campaign {folder.name!r} is shipped with dvctt and read-only. Copy it first: "
            f"`dvctt new DIR --from {folder.name}`, then ingest into DIR (--campaign DIR)."
        )


def save_ingest(
    result: IngestResult, campaign: str | os.PathLike[str] | Campaign, *, today: date | None = None
) -> SaveSummary:
    """Write ``result`` into the campaign folder as one transaction; the folder must still load, or no figure
    is written.

    Holds the campaign's writer lock and reads the tables afresh under it, so rows that other commands stored
    since ``result`` was read are kept. All files change together (:func:`dvctt.campaign.commit.commit`).
    """
    folder = campaign.folder if isinstance(campaign, Campaign) else paths.campaign_dir(campaign)
    ensure_writable(folder)
    today = today or date.today()
    with commit.writer_lock(folder):
        return _save_locked(result, folder, today)


def _save_locked(result: IngestResult, folder: Path, today: date) -> SaveSummary:
    names = ("observations.csv", "reported_totals.csv", "sources.csv")
    existing_obs = _read_text(folder / names[0])
    late = _late_conflicts(result, existing_obs)
    if late:
        raise ConcurrentChangeError(
            f"{result.path.name}: while it was read, another command stored values for {', '.join(late[:5])}"
            f"{' …' if len(late) > 5 else ''}; run the ingest again to check them / trong lúc đọc tệp, một lệnh "
            "khác đã ghi số liệu cho các đơn vị này: hãy chạy lại lệnh nhập"
        )
    observations, added, replaced = _upsert_observations(existing_obs, result.observations)
    totals = _replace_totals(_read_text(folder / names[1]), result.reported_totals, result.source_id)
    sources_text = (folder / names[2]).read_text(encoding="utf-8")
    sources = _read_text(folder / names[2])
    source_added = result.source_id not in set(sources["source_id"])
    if source_added and "kind" not in sources.columns:  # the column ingest records each source's kind in
        sources = sources.assign(kind="")
        sources_text = _csv_text(sources)
    if source_added:
        sources_text = sources_text + ("" if sources_text.endswith("\n") else "\n")
        sources_text += _source_line(result, list(sources.columns), today)
    texts = dict(zip(names, (_csv_text(observations), _csv_text(totals), sources_text), strict=True))
    if result.form_counts is not None and len(result.form_counts):  # a statistics form: its counts too
        texts[form_counts.FILE] = _csv_text(_upsert_form_counts(folder / form_counts.FILE, result.form_counts))
        names = (*names, form_counts.FILE)
    changed: dict[str, str | None] = {
        n: t for n, t in texts.items() if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != t
    }
    rejects = rejects_name(result)
    if result.issues:
        text = _rejects_text(result)
        if not (folder / rejects).is_file() or (folder / rejects).read_bytes() != text.encode("utf-8"):
            changed[rejects] = text
    elif (folder / rejects).exists():
        changed[rejects] = None  # this very file (same bytes) now has nothing rejected
    figures = {n: t for n, t in changed.items() if n in names}
    skipped: list[str] = []
    if figures:
        with tempfile.TemporaryDirectory(prefix=f"dvctt-ingest-{os.getpid()}-") as tmp:
            trial = Path(tmp) / folder.name
            skipped = copy_own_files(folder, trial)
            for n, t in figures.items():
                (trial / n).write_text(t, encoding="utf-8")
            try:
                load_campaign(trial)
            except DataValidationError:
                # the rejects are still kept; the figures are not, and the real folder's tables are untouched
                commit.commit(folder, {n: t for n, t in changed.items() if n not in names})
                raise
    if changed:
        commit.commit(folder, changed)
    load_campaign(folder)  # the final check: the campaign still loads
    return SaveSummary(
        folder,
        added,
        replaced,
        len(result.reported_totals),
        source_added,
        folder / rejects if result.issues else None,
        tuple(sorted(Path(n).name for n in changed if n in names)),
        tuple(skipped),
    )
