"""What an ingest returns (IngestResult) and the checks every kind of input file shares."""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dvctt.campaign.definition import Campaign, Period
from dvctt.campaign.loading import load_campaign
from dvctt.ingest.messages import REJECT_COLUMNS, Issue, fail
from dvctt.ingest.vocabulary import SOURCE_HASH_LENGTH, SOURCE_ID_PREFIX, _rows_label

# ------------------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class IngestResult:
    """What one file gives: valid observations and totals, every rejected value, and notices to print."""

    path: Path
    sha256: str
    source_id: str
    observations: pd.DataFrame
    reported_totals: pd.DataFrame
    issues: tuple[Issue, ...]
    notices: tuple[str, ...]
    encoding: str | None
    sheets: tuple[str, ...]
    replace: bool = False
    form_counts: pd.DataFrame | None = None  # the counts of a statistics form (form_counts.csv), else None
    variants: tuple[str, ...] = ()  # what was recognised, per sheet ("statistics form, 13 columns, by unit")

    @property
    def rejects(self) -> pd.DataFrame:
        """One row per rejected value, as written to ``rejects/<stem>.<hash>.rejects.csv``."""
        return pd.DataFrame([i.to_record() for i in self.issues], columns=list(REJECT_COLUMNS))

    @property
    def ok(self) -> bool:
        return not self.issues


def _as_campaign(campaign: str | os.PathLike[str] | Campaign) -> Campaign:
    return campaign if isinstance(campaign, Campaign) else load_campaign(campaign)


SHOWN_DUPLICATE_ROWS = 10  # a duplicate group's message lists its first rows, then how many more


def _duplicates(observations: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Issue]]:
    """Every row of a unit × period × KPI printed twice is rejected: which one is right is not ours to say. One
    issue per group, at its first row, with the rows counted and the first few listed: the work and the
    messages grow with the rows, not with the square of a group (200,000 rows of one unit are one message)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for obs in observations:
        groups[(obs["unit_code"], obs["period"], obs["kpi"])].append(obs)
    kept, issues = [], []
    for key, rows in groups.items():
        if len(rows) == 1:
            kept.append(rows[0])
            continue
        shown = rows[:SHOWN_DUPLICATE_ROWS]
        sheets = {r["_sheet"] for r in rows}
        if len(sheets) > 1:  # a copied sheet: "rows 5, 5" would not say where the second one is
            label = ", ".join(f"{r['_row']} ({r['_sheet'] or r['_file']})" for r in shown)
        else:
            label = _rows_label(r["_row"] for r in shown)
        if len(rows) > len(shown):
            label += f", … (+{len(rows) - len(shown)})"
        first = rows[0]
        issues.append(
            Issue(
                first["_file"],
                first["_sheet"],
                first["_row"],
                first["_column"],
                first["printed"],
                "duplicate_key",
                {
                    "unit_code": key[0],
                    "period": key[1],
                    "kpi": key[2],
                    "rows": label,
                    "count": len(rows),
                    "count_vi": f"{len(rows):,}".replace(",", "."),
                },
            )
        )
    order = {id(o): i for i, o in enumerate(observations)}
    return sorted(kept, key=lambda o: order[id(o)]), issues


def _conflicts(
    observations: list[dict[str, Any]], existing: pd.DataFrame, source_id: str, replace: bool
) -> tuple[list[dict[str, Any]], list[Issue]]:
    """A key another source already gives is a conflict, unless the analyst said --replace."""
    if replace or existing.empty:
        return observations, []
    known = {
        (r.unit_code, r.period, r.kpi): (r.source_id, r.printed if isinstance(r.printed, str) else r.rate)
        for r in existing.itertuples(index=False)
    }
    kept, issues = [], []
    for obs in observations:
        hit = known.get((obs["unit_code"], obs["period"], obs["kpi"]))
        if hit is None or hit[0] == source_id:
            kept.append(obs)
            continue
        issues.append(
            Issue(
                obs["_file"],
                obs["_sheet"],
                obs["_row"],
                obs["_column"],
                obs["printed"] or None,  # a dossier-level file prints no value
                "conflict",
                {
                    "unit_code": obs["unit_code"],
                    "period": obs["period"],
                    "kpi": obs["kpi"],
                    "existing_source": hit[0],
                    "existing": hit[1],
                },
            )
        )
    return kept, issues


def _frame(records: list[dict[str, Any]], columns: Sequence[str], types: dict[str, str]) -> pd.DataFrame:
    """A new typed frame in the column order of the campaign table."""
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in records], columns=list(columns), dtype=object)
    text = [c for c in columns if c not in types]
    return frame.astype({**dict.fromkeys(text, "str"), **types})


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_id_for(sha256: str) -> str:
    """``ingest-<first 12 hex digits>``: the same bytes always give the same source, whatever the file name."""
    return f"{SOURCE_ID_PREFIX}{sha256[:SOURCE_HASH_LENGTH]}"


def _campaign_period(camp: Campaign, period: str | None, file: str) -> Period | None:
    """The campaign period ``period`` names (None when not given); an id campaign.toml lacks is refused."""
    if period is None:
        return None
    chosen = next((p for p in camp.definition.periods if p.id == period), None)
    if chosen is None:
        periods = ", ".join(p.id for p in camp.definition.periods)
        raise fail(Issue(file, None, None, None, period, "period_unknown", {"period": period, "periods": periods}))
    return chosen


def open_source(
    path: Path, campaign: str | os.PathLike[str] | Campaign, period: str | None
) -> tuple[Campaign, str, str, Period | None]:
    """What every kind of input file starts with: the campaign, the file's hash and source id, and the period
    asked for (None when not given). A missing file or an unknown period is refused here, named."""
    camp = _as_campaign(campaign)
    if not path.is_file():
        raise fail(Issue(path.name, None, None, None, None, "unreadable", {"detail": "file not found"}))
    sha = file_sha256(path)
    return camp, sha, source_id_for(sha), _campaign_period(camp, period, path.name)
