"""Unit names in statistics files -> unit codes of the campaign's units.csv, never by a guess.

A name matches a unit when, after :func:`dvctt.ingest.admin_units.normalize_name` (no "UBND", no unit type, no
diacritics, no case), it equals the unit's ``published_name`` or ``official_name``, and the unit type printed
with it (xã / phường / thị trấn / huyện / thành phố), if any, is the unit's. A name that differs by a typo
matches only when exactly one unit is within a small edit distance. Anything else raises
:class:`~dvctt.errors.UnitResolutionError` with the candidates, so "Thới Bình" (a thị trấn *and* a xã) is an
error that lists both, not whichever came first.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from dvctt.errors import UnitResolutionError
from dvctt.ingest.admin_units import normalize_name, split_unit_type


@dataclass(frozen=True)
class Unit:
    code: str
    level: str
    parent: str
    official_name: str
    keys: frozenset[str]
    types: frozenset[str]


@dataclass(frozen=True)
class UnitMatch:
    unit: Unit
    how: str  # "code", "name" or "spelling"


class UnitLookupError(UnitResolutionError):
    """Unknown or ambiguous unit; ``kind`` is "unknown", "ambiguous" or "unknown_code", ``elsewhere`` the
    units the name matches at another level than the one asked for."""

    def __init__(
        self,
        message: str,
        kind: str,
        candidates: list[tuple[str, str]],
        elsewhere: tuple[Unit, ...] = (),
    ):
        super().__init__(message, candidates)
        self.kind = kind
        self.elsewhere = elsewhere


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions): how far a typo is from a name."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def max_typo_distance(key: str) -> int:
    """Short names tolerate one wrong letter, longer ones two; names with numbers none ("Phường 3" is not a
    typo of "Phường 2")."""
    if any(ch.isdigit() for ch in key):
        return 0
    return 1 if len(key) < 8 else 2


def _unit_type(name: str) -> str | None:
    return split_unit_type(name)[0]


class UnitMatcher:
    """Look up units of one campaign by code or printed name."""

    def __init__(self, units: pd.DataFrame):
        built = []
        for row in units.itertuples(index=False):
            names = [str(n) for n in (row.official_name, row.published_name) if isinstance(n, str) and n]
            built.append(
                Unit(
                    code=str(row.unit_code),
                    level=str(row.level),
                    parent=str(row.parent_code),
                    official_name=str(row.official_name),
                    keys=frozenset(normalize_name(n) for n in names),
                    types=frozenset(t for t in (_unit_type(n) for n in names) if t),
                )
            )
        self.units: tuple[Unit, ...] = tuple(built)
        self._by_code = {u.code: u for u in self.units}

    def by_code(self, code: str) -> UnitMatch:
        unit = self._by_code.get(code.strip())
        if unit is None:
            close = difflib.get_close_matches(code.strip(), list(self._by_code), n=3, cutoff=0.5)
            listed = [(c, self._by_code[c].official_name) for c in close]
            raise UnitLookupError(f"unit code {code!r} is not in units.csv", "unknown_code", listed)
        return UnitMatch(unit, "code")

    @staticmethod
    def name_agrees(unit: Unit, name: str) -> bool:
        """Whether a printed name denotes ``unit`` (after normalisation; a printed unit type must be its own)."""
        wanted_type = _unit_type(name)
        return normalize_name(name) in unit.keys and (wanted_type is None or wanted_type in unit.types)

    def _pool(self, level: str | None, parent: str | None, wanted_type: str | None) -> list[Unit]:
        pool = [u for u in self.units if level is None or u.level == level]
        if parent is not None:
            pool = [u for u in pool if u.parent == parent]
        if wanted_type is not None:
            pool = [u for u in pool if wanted_type in u.types]
        return pool

    def by_name(self, name: str, *, level: str | None = None, parent: str | None = None) -> UnitMatch:
        """The one unit ``name`` denotes among units of ``level`` (and under ``parent``), or raise."""
        wanted_type = _unit_type(name)
        key = normalize_name(name)
        pool = self._pool(level, parent, wanted_type)
        exact = [u for u in pool if key in u.keys]
        if len(exact) == 1:
            return UnitMatch(exact[0], "name")
        if len(exact) > 1:
            raise self._ambiguous(name, exact)
        limit = max_typo_distance(key)
        near = [u for u in pool if limit and min(levenshtein(key, k) for k in u.keys) <= limit]
        if len(near) == 1:
            return UnitMatch(near[0], "spelling")
        if len(near) > 1:
            raise self._ambiguous(name, near)
        elsewhere = tuple(u for u in self._pool(None, None, wanted_type) if key in u.keys and u not in pool)
        closest = self._closest(key, pool or list(self.units))
        listed = [(u.code, u.official_name) for u in (closest or list(elsewhere))]
        raise UnitLookupError(f"unit {name!r} is not in units.csv", "unknown", listed, elsewhere)

    @staticmethod
    def _ambiguous(name: str, units: list[Unit]) -> UnitLookupError:
        listed = [(u.code, u.official_name) for u in units]
        return UnitLookupError(f"unit {name!r} is ambiguous", "ambiguous", listed)

    @staticmethod
    def _closest(key: str, units: list[Unit]) -> list[Unit]:
        by_key: dict[str, Unit] = {}
        for unit in units:
            for k in unit.keys:
                by_key.setdefault(k, unit)
        found = difflib.get_close_matches(key, list(by_key), n=5, cutoff=0.6)
        return list(dict.fromkeys(by_key[k] for k in found))


def example_unit(examples: pd.DataFrame | None, code: str, name: str) -> tuple[str, str] | None:
    """(code, official name) of the unconfirmed example unit (units.csv, code_source = example) that a row's code or
    exact name denotes, so the row is refused with that reason rather than as an unknown unit; else None."""
    if examples is None or examples.empty:
        return None
    matcher = UnitMatcher(examples)
    for find in (lambda: matcher.by_code(code) if code else None, lambda: matcher.by_name(name) if name else None):
        try:
            match = find()
        except UnitLookupError:
            continue
        if match is not None and match.how != "spelling":
            return match.unit.code, match.unit.official_name
    return None


def describe(candidates: list[tuple[str, str]]) -> str:
    """ "Thị trấn Thới Bình (32065), Xã Thới Bình (32077)" for messages; "—" when there are none."""
    return ", ".join(f"{name} ({code})" for code, name in candidates) or "—"
