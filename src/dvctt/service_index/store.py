"""The tidy service-index table: one row per unit × period × component, kept in an index folder.

An *index folder* holds ``index_scores.csv`` (the tidy table), ``index_sources.csv`` (one line per export read)
and ``index_components.csv`` (the six components with their maxima and where the maxima come from). It may be
a folder of its own or a campaign folder. Exports of successive periods accumulate: saving the same export again
changes nothing; a unit × period that another export already gives is a conflict, refused unless ``replace``.
All reading and writing of the folder happens here; files are replaced atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dvctt.campaign import commit
from dvctt.errors import DataValidationError, Problem
from dvctt.ingest.result import file_sha256
from dvctt.safe_text import safe_frame
from dvctt.service_index.definition import COMPONENT_MAX, COMPONENTS, MAX_POINTS_SOURCE

SCORES_FILE = "index_scores.csv"
SOURCES_FILE = "index_sources.csv"
COMPONENTS_FILE = "index_components.csv"

#: Unit attributes repeated on every component row, then the component's figures.
TIDY_COLUMNS: tuple[str, ...] = (
    "unit_code", "ma_coquan", "unit_name", "level", "province_code", "official_code", "official_name",
    "code_source", "period", "period_kind", "year", "as_of", "component", "score", "max_points", "total",
    "printed_rank", "source_id", "file", "sheet", "row", "code_note",
)  # fmt: skip
SOURCE_COLUMNS: tuple[str, ...] = ("source_id", "file", "sha256", "periods", "rows", "imported")
_NUMBERS = ("score", "max_points", "total")
_TEXT = {c: "str" for c in TIDY_COLUMNS if c not in (*_NUMBERS, "year", "row")}
_NAMES = {
    "CKMB": ("Công khai, minh bạch", "Transparency"),
    "TDGQ": ("Tiến độ, kết quả giải quyết", "Progress and results"),
    "MDSH": ("Mức độ số hóa hồ sơ", "Digitisation"),
    "CLGQ": ("Cung cấp dịch vụ trực tuyến", "Online services"),
    "TTTT": ("Thanh toán trực tuyến", "Online payment"),
    "MDHL": ("Mức độ hài lòng", "Satisfaction"),
}


def to_tidy(exports: pd.DataFrame) -> pd.DataFrame:
    """Wide rows of :func:`~dvctt.service_index.formats.export2025.read_index_exports` → one row per unit ×
    period × component."""
    keep = [c for c in TIDY_COLUMNS if c in exports.columns]
    long = exports.melt(
        id_vars=keep, value_vars=list(COMPONENTS), var_name="component", value_name="score", ignore_index=True
    )
    long["max_points"] = long["component"].map(COMPONENT_MAX)
    order = {c: i for i, c in enumerate(COMPONENTS)}
    long = long.assign(_order=long["component"].map(order)).sort_values(["period", "unit_code", "_order"])
    return long[list(TIDY_COLUMNS)].reset_index(drop=True)


def components_table() -> pd.DataFrame:
    """The six components, their maxima and the source of the maxima."""
    rows = [
        {"component": c, "name_vi": _NAMES[c][0], "name_en": _NAMES[c][1], "max_points": m, "source": MAX_POINTS_SOURCE}
        for c, m in COMPONENT_MAX.items()
    ]
    return pd.DataFrame(rows)


def load_index(folder: str | os.PathLike[str]) -> pd.DataFrame:
    """The tidy table of an index folder (empty with its columns when nothing was saved yet)."""
    path = Path(folder) / SCORES_FILE
    if Path(folder).is_dir():
        commit.tidy(Path(folder))  # finish a write a crash interrupted before reading
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in TIDY_COLUMNS})
    # an empty score is a component the file did not give (2026 totals-only answers): NaN, never 0 or ""
    frame = pd.read_csv(path, dtype=_TEXT, keep_default_na=False, na_values={c: [""] for c in _NUMBERS})
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError([Problem(str(path.name), 1, c, None, "column missing") for c in missing])
    return frame[list(TIDY_COLUMNS)]


def _conflicts(existing: pd.DataFrame, new: pd.DataFrame) -> list[Problem]:
    """A unit × period already given by another export (with other figures)."""
    keys = ["unit_code", "period", "component"]
    merged = new.merge(existing, on=keys, suffixes=("", "_old"))
    differ = merged[(merged["source_id"] != merged["source_id_old"]) & (merged["score"] != merged["score_old"])]
    first = differ.drop_duplicates(["unit_code", "period"])
    return [
        Problem(
            f"{r.file}, sheet {r.sheet!r}" if r.sheet else str(r.file), int(r.row), "MA_COQUAN", r.ma_coquan,
            f"period {r.period} of this unit is already in the index from {r.file_old} with other scores; "
            "pass --replace to replace it",
        )
        for r in first.itertuples()
    ]  # fmt: skip


def _csv_text(frame: pd.DataFrame) -> str:
    return safe_frame(frame).to_csv(index=False, lineterminator="\n")


@dataclass(frozen=True)
class SaveSummary:
    """What saving changed: unit × period pairs added, replaced and already there unchanged."""

    added: int
    replaced: int
    unchanged: int
    periods: tuple[str, ...]


def save_index(
    folder: str | os.PathLike[str],
    exports: pd.DataFrame,
    files_read: list[Path],
    *,
    replace: bool = False,
    today: date | None = None,
    meta_id: str = "",
    synthetic: bool = False,
) -> SaveSummary:
    """Upsert the exports' rows into the folder's tidy table (key unit × period × component); record each file.

    Raises DataValidationError, writing nothing, when a unit × period conflicts with another export's figures
    and ``replace`` is false. ``meta_id`` writes ``index.toml`` in a new index folder (never in a campaign
    folder). The write is one transaction under the folder's writer lock (:mod:`dvctt.campaign.commit`).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with commit.writer_lock(folder):  # one writer at a time; the three files change together or not at all
        new = to_tidy(exports)
        existing = load_index(folder)
        if len(existing):
            existing = existing.astype({"score": "float64", "max_points": "float64", "total": "float64"})
        if not replace:
            problems = _conflicts(existing, new)
            if problems:
                raise DataValidationError(problems)
        pairs = ["unit_code", "period"]
        old_pairs = set(map(tuple, existing[pairs].astype(str).to_numpy().tolist())) if len(existing) else set()
        new_units = new.drop_duplicates(pairs)
        same = new_units.merge(existing, on=[*pairs, "component", "score", "source_id"], how="inner")
        unchanged = len(same.drop_duplicates(pairs))
        present = sum(1 for key in map(tuple, new_units[pairs].to_numpy().tolist()) if key in old_pairs)
        keyed = pd.MultiIndex.from_frame(new[pairs])
        kept = existing[~pd.MultiIndex.from_frame(existing[pairs]).isin(keyed)] if len(existing) else existing
        combined = pd.concat([kept, new], ignore_index=True) if len(kept) else new
        combined = combined.assign(_o=combined["component"].map({c: i for i, c in enumerate(COMPONENTS)}))
        combined = combined.sort_values(["period", "level", "unit_code", "_o"], kind="stable").drop(columns="_o")
        files: dict[str, str | bytes | None] = {
            SCORES_FILE: _csv_text(combined[list(TIDY_COLUMNS)]),
            SOURCES_FILE: _csv_text(_sources(folder, exports, files_read, today or date.today())),
            COMPONENTS_FILE: _csv_text(components_table()),
        }
        if meta_id and not (folder / META_FILE).exists() and not (folder / "campaign.toml").exists():
            files[META_FILE] = f'id = "{meta_id}"\nsynthetic = {"true" if synthetic else "false"}\n'
        commit.commit(folder, files)
    return SaveSummary(
        added=len(new_units) - present,
        replaced=present - unchanged,
        unchanged=unchanged,
        periods=tuple(sorted(new["period"].unique())),
    )


def _sources(folder: Path, exports: pd.DataFrame, files: list[Path], today: date) -> pd.DataFrame:
    path = folder / SOURCES_FILE
    old = (
        pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else pd.DataFrame(columns=SOURCE_COLUMNS)
    )
    rows = []
    for file in files:
        part = exports[exports["file"] == file.name]
        if part.empty:
            continue
        sha = file_sha256(file)
        source_id = str(part["source_id"].iloc[0])
        previous = old[old["source_id"] == source_id]
        imported = previous["imported"].iloc[0] if len(previous) else today.isoformat()
        periods = " ".join(sorted(part["period"].unique()))
        rows.append({"source_id": source_id, "file": file.name, "sha256": sha, "periods": periods,
                     "rows": str(len(part)), "imported": imported})  # fmt: skip
    new = pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))
    kept = old[~old["source_id"].isin(new["source_id"])]
    return pd.concat([kept, new], ignore_index=True)[list(SOURCE_COLUMNS)]


META_FILE = "index.toml"


def index_folder(index: str | os.PathLike[str]) -> Path:
    """An index folder given by path, or the id of one shipped in ``data/`` (``index-766``)."""
    from dvctt import paths
    from dvctt.errors import ParameterError

    candidate = Path(index).expanduser()
    for folder in (candidate, paths.DATA_DIR / str(index)):
        if folder.is_dir() and (folder / SCORES_FILE).is_file():
            return folder.resolve()
    raise ParameterError(
        f"Index {str(index)!r} not found: no {SCORES_FILE} in that folder nor in data/{index}. Build one with "
        "`dvctt index FILE --out DIR` (it keeps the table in DIR/data)."
    )


def index_meta(folder: Path) -> dict[str, object]:
    """``index.toml`` of the folder (id, synthetic, name_vi, name_en); defaults when it is absent."""
    import tomllib

    from dvctt.campaign.definition import checked_id, read_definition

    path = folder / META_FILE
    meta = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if (folder / "campaign.toml").is_file() and "id" not in meta:
        meta["id"] = read_definition(folder / "campaign.toml").id  # the one campaign.toml parser
    found = checked_id(meta["id"], META_FILE) if "id" in meta else folder.name  # an id names the output folder
    return {"id": found, "synthetic": bool(meta.get("synthetic", False))}


def load_sources(folder: Path) -> pd.DataFrame:
    """``index_sources.csv`` (empty with its columns when absent)."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        return pd.DataFrame(columns=list(SOURCE_COLUMNS))
    return pd.read_csv(path, dtype=str, keep_default_na=False)
