"""Reading a campaign folder: the one place where the embedded data is read from disk.

Every cell arrives as text and is parsed strictly; a bad file stops with every problem listed by file, row,
column and value. Nothing is dropped or coerced silently, and the files are only ever read.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from dvctt import paths
from dvctt.campaign import commit, provenance
from dvctt.campaign.definition import Campaign, CampaignDefinition, read_definition
from dvctt.campaign.form_counts import read_form_counts
from dvctt.campaign.levels import parent_level
from dvctt.campaign.names import file_name_problem
from dvctt.campaign.schemas import BOOLEAN_COLUMNS, NUMERIC_COLUMNS, SCHEMAS, checks_ready
from dvctt.campaign.vocabulary import EXAMPLE, LOWER_IS_BETTER
from dvctt.errors import DataValidationError, Problem

TABLE_FILES = {
    "sources": "sources.csv",
    "units": "units.csv",
    "observations": "observations.csv",
    "targets": "targets.csv",
    "reported_totals": "reported_totals.csv",
}
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
_MAX_DIGITS = 15
#: Tables that cannot be empty (units.csv can: a campaign may know only level figures).
ROWS_REQUIRED = {"sources": "every figure cites a source, so at least one is needed"}
FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1


def _row(index: object) -> int | None:
    return int(index) + FIRST_DATA_ROW if isinstance(index, int) else None


def read_text_table(path: Path, content: bytes | None = None) -> pd.DataFrame:
    """Read a CSV (``content``: its bytes, already read) with every cell as text; an empty cell becomes <NA>,
    nothing else is interpreted."""
    try:
        source = io.BytesIO(content) if content is not None else path
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataValidationError([Problem(path.name, None, None, None, f"not UTF-8 text ({exc.reason})")]) from exc
    except pd.errors.EmptyDataError as exc:
        rule = "the file is empty: it needs at least its header row (see docs/en/reference/data-model.md)"
        raise DataValidationError([Problem(path.name, None, None, None, rule)]) from exc
    except pd.errors.ParserError as exc:
        raise DataValidationError([Problem(path.name, None, None, None, f"not a readable CSV ({exc})")]) from exc
    return frame.replace("", pd.NA)


def _parse_numbers(frame: pd.DataFrame, table: str, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    converted: dict[str, pd.Series] = {}
    for column, dtype in NUMERIC_COLUMNS[table].items():
        if column not in frame:
            continue
        pattern = _INT if dtype == "Int64" else _FLOAT
        values = frame[column]
        bad = values.notna() & ~values.fillna("").str.fullmatch(pattern)
        for index, value in values[bad].items():
            kind = "a whole number" if dtype == "Int64" else "a number with a dot decimal (no % sign)"
            problems.append(Problem(file, _row(index), column, value, f"must be {kind}"))
        if dtype == "Int64":  # a 64-bit integer holds 18 digits safely; no count comes near
            huge = ~bad & values.fillna("").str.lstrip("+-").str.len().gt(_MAX_DIGITS)
            for index, value in values[huge].items():
                problems.append(
                    Problem(file, _row(index), column, value, f"too large (more than {_MAX_DIGITS} digits)")
                )
            bad = bad | huge
        cleaned = values.where(~bad)
        converted[column] = pd.to_numeric(cleaned).astype(dtype)
    for column in BOOLEAN_COLUMNS.get(table, ()):
        if column not in frame:
            continue
        lowered = frame[column].str.lower()
        bad = lowered.notna() & ~lowered.isin(_TRUE | _FALSE)
        for index, value in frame[column][bad].items():
            problems.append(Problem(file, _row(index), column, value, "must be true or false"))
        converted[column] = lowered.map(lambda v: pd.NA if pd.isna(v) else v in _TRUE).astype("boolean")
    return frame.assign(**converted), problems


def _schema_problems(frame: pd.DataFrame, table: str, file: str) -> list[Problem]:
    schema = SCHEMAS[table]
    missing = [name for name, col in schema.columns.items() if col.required and name not in frame.columns]
    if missing:
        return [Problem(file, 1, name, None, "required column is missing") for name in missing]
    checks_ready()
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples(index=False):
            index = case.index
            row = _row(int(index)) if index is not None and not pd.isna(index) else None
            check = str(case.check)
            rule = "must not be empty" if check == "not_nullable" else f"breaks rule {check}"
            value = None if pd.isna(case.failure_case) else case.failure_case
            problems.append(Problem(file, row, case.column, value, rule))
        return problems
    return []


OLD_OBSERVATIONS = "old_observations.csv"  # optional: a baseline recorded under the units before 1 July 2025


#: Tables that passed every check, by table and content: the same bytes are not parsed and checked again (a
#: campaign is read by the command, by each report's notebook and by every ingest; copies of one folder too).
_VALID: OrderedDict[tuple[str, str], pd.DataFrame] = OrderedDict()
_VALID_KEPT = 32


def read_table(folder: Path, table: str) -> pd.DataFrame:
    """Read, parse and validate one table of a campaign folder."""
    path = folder / {**TABLE_FILES, "old_observations": OLD_OBSERVATIONS}[table]
    if not path.is_file():
        raise DataValidationError([Problem(path.name, None, None, None, f"file is missing in {folder.name}/")])
    content = path.read_bytes()
    key = (table, hashlib.sha256(content).hexdigest())
    if key in _VALID:
        _VALID.move_to_end(key)
        return _VALID[key].copy()
    frame = _checked_table(path, content, table)
    _VALID[key] = frame.copy()
    while len(_VALID) > _VALID_KEPT:
        _VALID.popitem(last=False)
    return frame


def _checked_table(path: Path, content: bytes, table: str) -> pd.DataFrame:
    frame, problems = _parse_numbers(read_text_table(path, content), table, path.name)
    if table in ROWS_REQUIRED and frame.empty and not problems:
        problems = [Problem(path.name, None, None, None, f"has a header but no rows; {ROWS_REQUIRED[table]}")]
    if not problems:
        problems = _schema_problems(frame, table, path.name)
    if problems:
        raise DataValidationError(problems)
    return frame


def _unknown(frame: pd.DataFrame, column: str, allowed: set[str], file: str, what: str) -> list[Problem]:
    values = frame[column]
    bad = values.notna() & ~values.isin(allowed)
    return [Problem(file, _row(i), column, v, f"unknown {what}") for i, v in values[bad].items()]


def cross_check(definition: CampaignDefinition, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Rules that span tables: every code refers to something that exists, statuses agree with values."""
    units, obs, targets, totals = (tables[k] for k in ("units", "observations", "targets", "reported_totals"))
    periods = {p.id for p in definition.periods}
    is_example = units["code_source"] == EXAMPLE
    examples = set(units.loc[is_example, "unit_code"])
    unit_codes = set(units.loc[~is_example, "unit_code"])
    source_ids = set(tables["sources"]["source_id"])
    problems: list[Problem] = []
    for name in ("units", "observations", "targets", "reported_totals"):
        problems += _unknown(tables[name], "source_id", source_ids, TABLE_FILES[name], "source_id (not in sources.csv)")
    for file, frame in (("observations.csv", obs), ("reported_totals.csv", totals)):
        problems += _unknown(frame, "unit_code", unit_codes | examples, file, "unit_code (not in units.csv)")
        rule = "an example unit of units.csv (code_source = example): confirm it there first (code_source = project)"
        pending = frame["unit_code"].isin(examples)
        problems += [Problem(file, _row(i), "unit_code", v, rule) for i, v in frame.loc[pending, "unit_code"].items()]
    problems += _unknown(obs, "period", periods, "observations.csv", "period (not in campaign.toml)")
    problems += _unknown(totals, "period", periods, "reported_totals.csv", "period (not in campaign.toml)")
    problems += _parent_problems(definition, units[~is_example])
    problems += _code_name_problems(units)
    has_rate = obs["rate"].notna()
    for index in obs.index[(obs["status"] == "ok") & ~has_rate]:
        problems.append(Problem("observations.csv", _row(index), "rate", None, "status ok needs a rate"))
    for index, value in obs.loc[(obs["status"] != "ok") & has_rate, "rate"].items():
        problems.append(Problem("observations.csv", _row(index), "rate", value, "a missing/n.a. row has no rate"))
    for name, frame in (("observations.csv", obs), ("reported_totals.csv", totals)):
        over = frame["numerator"].notna() & frame["denominator"].notna() & (frame["numerator"] > frame["denominator"])
        for index, value in frame.loc[over, "numerator"].items():
            problems.append(Problem(name, _row(index), "numerator", int(value), "numerator above denominator"))
    levels = set(definition.levels)
    problems += _unknown(targets, "level", levels, "targets.csv", "level (not in campaign.toml levels)")
    scopes = {*levels, "all"}
    problems += _unknown(totals, "level", scopes, "reported_totals.csv", "level (not in campaign.toml levels)")
    problems += _change_problems(totals, periods)
    for index, kpi in targets.loc[targets["kpi"].isin(LOWER_IS_BETTER), "kpi"].items():
        rule = "lower is better: no target can be set (a target is met at or above)"
        problems.append(Problem("targets.csv", _row(index), "kpi", kpi, rule))
    return problems


def _code_name_problems(units: pd.DataFrame) -> list[Problem]:
    """A unit code names its report files (unit_<code>_...): it must be able to be a file name."""
    rule = "{problem}; a unit code names report files, so it must be a plain name such as 96.A01 or 32134"
    found = ((i, code, file_name_problem(code)) for i, code in units["unit_code"].dropna().items())
    return [Problem("units.csv", _row(i), "unit_code", code, rule.format(problem=p)) for i, code, p in found if p]


def _change_problems(totals: pd.DataFrame, periods: set[str]) -> list[Problem]:
    """A change statement says in what unit it was printed; only change statements carry that unit."""
    file = "reported_totals.csv"
    is_change = totals["measure"] == "change"
    unit = totals["change_unit"] if "change_unit" in totals else pd.Series(pd.NA, index=totals.index, dtype="object")
    problems = [
        Problem(file, _row(i), "change_unit", None, "a change statement needs percent, points or ambiguous")
        for i in totals.index[is_change & unit.isna()]
    ]
    problems += [
        Problem(file, _row(i), "change_unit", v, "only change statements have a change_unit")
        for i, v in unit[~is_change & unit.notna()].items()
    ]
    if "compared_period" in totals:
        problems += _unknown(totals, "compared_period", periods, file, "compared_period (not in campaign.toml)")
    return problems


def _parent_problems(definition: CampaignDefinition, units: pd.DataFrame) -> list[Problem]:
    """Every unit is of a declared level and hangs under a unit of the next level up, or the province itself."""
    problems = _unknown(units, "level", set(definition.levels), "units.csv", "level (not in campaign.toml levels)")
    codes_by_level = {level: set(units.loc[units["level"] == level, "unit_code"]) for level in definition.levels}
    for index, unit in units.iterrows():
        if unit["level"] not in codes_by_level:
            continue
        above = parent_level(definition.levels, unit["level"])
        if above is None and unit["parent_code"] != definition.province_code:
            rule = f"must be the province code {definition.province_code}"
            problems.append(Problem("units.csv", _row(index), "parent_code", unit["parent_code"], rule))
        elif above is not None and unit["parent_code"] not in codes_by_level[above]:
            rule = f"a {unit['level']} unit's parent must be a {above} unit in units.csv"
            problems.append(Problem("units.csv", _row(index), "parent_code", unit["parent_code"], rule))
    return problems


def _snapshot(folder: Path) -> tuple[object, ...]:
    """Identity of every table file: a commit renames new files over them, which changes the inode."""
    found: list[object] = [commit.journal_pending(folder)]
    for name in TABLE_FILES.values():
        try:
            stat = (folder / name).stat()
            found.append((stat.st_ino, stat.st_mtime_ns, stat.st_size))
        except OSError:
            found.append(None)
    return tuple(found)


def load_campaign(campaign: str | os.PathLike[str] = paths.DEFAULT_CAMPAIGN, *, data_hash: str = "") -> Campaign:
    """Load a shipped campaign by id, or any campaign folder by path, fully validated.

    ``data_hash``: the folder's hash when the caller has just computed it (the folder is then not hashed again).

    A write a crash interrupted is finished first (:mod:`dvctt.campaign.commit`), and a read that overlapped
    another process's commit is done again, so the tables always come from one consistent state.
    """
    folder = paths.campaign_dir(campaign)
    for _attempt in range(20):
        commit.tidy(folder)  # an interrupted commit is finished (or its stray files removed) first
        before = _snapshot(folder)
        try:
            loaded = _load(folder, data_hash if _attempt == 0 else "")  # a retry means the data changed
        except DataValidationError:
            if _snapshot(folder) == before:
                raise
            continue  # another process committed while this one read: read again
        if _snapshot(folder) == before and not before[0]:
            return loaded
    return _load(folder)


def _load(folder: Path, data_hash: str = "") -> Campaign:
    definition = read_definition(folder / "campaign.toml")
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for table in TABLE_FILES:
        try:
            tables[table] = read_table(folder, table)
        except DataValidationError as exc:
            problems += exc.problems
    if not problems:
        problems = cross_check(definition, tables)
    if problems:
        raise DataValidationError(problems)
    is_example = tables["units"]["code_source"] == EXAMPLE  # kept out of every report until confirmed
    examples, tables["units"] = tables["units"][is_example], tables["units"][~is_example]
    periods = {p.id for p in definition.periods}
    form_counts = read_form_counts(folder, set(tables["units"]["unit_code"]), periods)
    old = _old_observations(folder, definition, set(tables["sources"]["source_id"]))
    data_hash = data_hash or provenance.data_hash(folder)
    return Campaign(
        definition=definition, folder=folder, data_hash=data_hash, form_counts=form_counts,
        old_observations=old, example_units=examples, **tables,
    )  # fmt: skip


def _old_observations(folder: Path, definition: CampaignDefinition, source_ids: set[str]) -> pd.DataFrame | None:
    """old_observations.csv when present: only periods marked ``geography = "2023"``, known sources. Its unit codes
    are codes of the old code list, checked by ``dvctt check`` (the code list is not read here)."""
    if not (folder / OLD_OBSERVATIONS).is_file():
        return None
    frame = read_table(folder, "old_observations")
    old_periods = {p.id for p in definition.periods if p.geography == "2023"}
    problems = _unknown(frame, "period", old_periods, OLD_OBSERVATIONS, 'period (not a period with geography "2023")')
    problems += _unknown(frame, "source_id", source_ids, OLD_OBSERVATIONS, "source_id (not in sources.csv)")
    if problems:
        raise DataValidationError(problems)
    return frame
