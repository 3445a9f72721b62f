"""What a report notebook hands back to ``dvctt report``: its tables, the data hash and the index's status line.

The notebook has already loaded the campaign, hashed its folder and computed every table; writing them to the
throwaway working folder lets the renderer publish the CSV files, the workbook and the footer without loading
or hashing the campaign a second time. The file is a pickle because it must keep the frames' dtypes (nullable
integers, booleans, codes as text) for the workbook; it is written and read by dvctt itself in a temporary
folder it created, and never published. The unit report's table builder lives here too (data.py is full).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dvctt.campaign.definition import Campaign
from dvctt.report.data import ReportData, build_report_tables
from dvctt.safe_text import safe_frame

HANDOFF_FILE = "dvctt-handoff.pickle"
PARAMETER = "tables_dir"  # the notebook parameter naming the folder; dvctt report sets it


@dataclass(frozen=True)
class Handoff:
    tables: dict[str, pd.DataFrame]
    data_hash: str
    summary: str = ""


def hand_over(
    folder: str | os.PathLike[str], tables: Mapping[str, pd.DataFrame], campaign: Campaign, summary: str = ""
) -> Path:
    """Write the report's tables (file stem -> frame), the campaign's data hash and a one-line status; whole or
    not at all (the renderer starts writing the tables as soon as the file appears, while the notebook goes on)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    path = target / HANDOFF_FILE
    payload = Handoff(dict(tables), campaign.data_hash, summary)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(partial, path)
    return path


def share_tables(
    tables_dir: str | os.PathLike[str], tables: Mapping[str, pd.DataFrame], campaign: Campaign, summary: str = ""
) -> Path | None:
    """The one line an analyst's own notebook ends with to publish its tables::

        share_tables(tables_dir, {"gaps": gaps, "by_district": by_district}, c)

    ``dvctt report`` then writes each table as ``tables/<period>/<report>_<name>.csv`` and as a sheet of the
    workbook, and the footer carries ``campaign``'s data hash (``c = load_campaign(campaign)``). Run by hand in
    JupyterLab (``tables_dir`` empty) it does nothing. Names are file names: letters, digits, ``_ . -``."""
    from dvctt.campaign.names import SAFE_NAME_RULE, is_safe_name

    if not str(tables_dir):
        return None
    for name, frame in tables.items():
        if not is_safe_name(name):
            raise ValueError(f"share_tables: table name {name!r} must be a file name: {SAFE_NAME_RULE}")
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"share_tables: table {name!r} is a {type(frame).__name__}, not a pandas DataFrame")
    if not isinstance(campaign, Campaign):
        raise TypeError("share_tables: give the campaign loaded with load_campaign(campaign) as the third argument")
    named = {name: any(level is not None for level in frame.index.names) for name, frame in tables.items()}
    flat = {name: frame.reset_index(drop=not named[name]) for name, frame in tables.items()}  # a named index is kept
    return hand_over(tables_dir, flat, campaign, summary)


def take_over(folder: Path) -> Handoff | None:
    """The notebook's hand-off, or None when the notebook wrote none (a notebook that is not one of dvctt's)."""
    path = Path(folder) / HANDOFF_FILE
    return from_bytes(path.read_bytes()) if path.is_file() else None


def from_bytes(raw: bytes) -> Handoff | None:
    """A hand-off file's content, or None when it is not one."""
    payload = pickle.loads(raw)  # noqa: S301 - written by dvctt in its own temporary folder
    return payload if isinstance(payload, Handoff) else None


def unit_tables(data: ReportData, unit: str) -> dict[str, pd.DataFrame]:
    """One unit report's tables: its own rows and the rows of the units under it (file stems carry the code)."""
    from dvctt.report.unit_inputs import old_parts_table

    units = build_report_tables(data)["unit_summary"]
    return {
        f"unit_{unit}_summary": units[units["unit_code"] == unit],
        f"unit_{unit}_units_under": units[units["parent_code"] == unit],
        f"unit_{unit}_old_parts": safe_frame(old_parts_table(data, unit)),
    }
