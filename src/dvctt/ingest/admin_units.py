"""Match unit names as printed in provincial documents to official GSO codes (63-province legacy list).

Documents print names the way officials type them: "UBND xã Phú Hung" (a missing horn), "phường 4" (a ward
that no longer exists), "Thới Bình" (both a xã and a thị trấn). The official list comes from the PyPI package
``vietnamadminunits`` (legacy mode, the units as they were before the July 2025 reorganisation).

Rules, so that a wrong code never slips into a report:

* a match needs the same unit type (when the name gives one) and the same name, compared after Unicode
  normalisation and case folding;
* a name that differs only in diacritics ("Phú Hung" / "Phú Hưng") is accepted only when exactly one unit of
  the district folds to it;
* the package's aliases of merged units are never used (it maps "Phường 4" of TP Cà Mau to Phường 2, a
  different 2023 unit); anything unknown or ambiguous raises :class:`UnitResolutionError` with the candidates.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from dvctt.errors import UnitResolutionError

# Unit-type words, longest first so "thị trấn" wins over a hypothetical "thị". Values are the canonical
# (lowercase, accented) type used for comparison.
_TYPE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("thành phố", "thành phố"),
    ("thị trấn", "thị trấn"),
    ("thị xã", "thị xã"),
    ("huyện", "huyện"),
    ("quận", "quận"),
    ("phường", "phường"),
    ("xã", "xã"),
    ("tỉnh", "tỉnh"),
    ("tp.", "thành phố"),
    ("tp", "thành phố"),
    ("tx.", "thị xã"),
    ("tx", "thị xã"),
    ("tt.", "thị trấn"),
    ("tt", "thị trấn"),
)
# Unaccented spellings are only trusted in a name written entirely without diacritics: in an accented name
# "Quán ..." or "Xà ..." is a place name, not a unit type.
_ASCII_TYPE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("thanh pho", "thành phố"),
    ("thi tran", "thị trấn"),
    ("thi xa", "thị xã"),
    ("huyen", "huyện"),
    ("quan", "quận"),
    ("phuong", "phường"),
    ("xa", "xã"),
    ("tinh", "tỉnh"),
)
_COUNCIL_PREFIX = re.compile(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân|uy ban nhan dan)\s+", re.IGNORECASE)

_LEGACY_COLUMNS = ["district_code", "district", "ward_code", "ward", "ward_type"]


def fold_accents(text: str) -> str:
    """Drop every Vietnamese diacritic ("Phú Hưng" -> "Phu Hung"), so typos in marks compare equal."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def _clean(text: str) -> str:
    """NFC, single spaces, no surrounding blanks: the same name typed two ways compares equal."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _canonical_bare(bare: str) -> str:
    """Case-folded bare name with numbered wards unpadded ("Phường 04" and "Phường 4" are the same ward)."""
    return re.sub(r"\b0+(\d)", r"\1", bare.casefold())


def split_unit_type(text: str) -> tuple[str | None, str]:
    """Split "UBND thị trấn Thới Bình" into ("thị trấn", "Thới Bình").

    The type is returned canonical (lowercase, accented) or ``None`` when the name gives none; the bare name
    keeps its printed spelling, because the type is what tells "xã Thới Bình" from "thị trấn Thới Bình".
    """
    name = _COUNCIL_PREFIX.sub("", _clean(text))
    lowered = name.casefold()
    prefixes = _TYPE_PREFIXES + (_ASCII_TYPE_PREFIXES if fold_accents(name) == name else ())
    for prefix, unit_type in prefixes:
        if lowered.startswith(prefix):
            rest = name[len(prefix) :]
            # A type word must be followed by a blank (or be an abbreviation ending in a dot).
            if rest.startswith(" ") or (prefix.endswith(".") and rest):
                return unit_type, rest.strip()
    return None, name


def normalize_name(text: str) -> str:
    """Comparison key of a unit name: no "UBND", no unit type, no diacritics, lowercase, single spaces.

    ``normalize_name("UBND xã Phú Hung") == normalize_name("Xã Phú Hưng") == "phu hung"``. It deliberately
    forgets the unit type: use it to find candidates, never as proof that two names are the same unit.
    """
    _, bare = split_unit_type(text)
    return _canonical_bare(fold_accents(bare)).strip()


@lru_cache(maxsize=16)
def _legacy_records(province_code: str) -> tuple[tuple[str, str, str, str, str], ...]:
    from vietnamadminunits.database.main import query

    # query() takes no bound parameters; the code is checked to be digits before it is interpolated.
    rows = query(
        "select districtCode, district, wardCode, ward, wardType from admin_units_legacy "
        f"where provinceCode = '{province_code}' order by districtCode, wardCode"
    )
    return tuple(
        (str(r["districtCode"]), str(r["district"]), str(r["wardCode"]), str(r["ward"]), str(r["wardType"]))
        for r in rows
    )


def legacy_units(province_code: str) -> pd.DataFrame:
    """All commune-level units of a province in the legacy (pre-July-2025) list, one row per ward.

    Columns: district_code, district, ward_code, ward, ward_type (all strings). A new frame on every call,
    so callers may change it freely.
    """
    if not province_code.isdigit():
        raise UnitResolutionError(f"Province code must be digits (e.g. '96'), got {province_code!r}.")
    records = _legacy_records(province_code)
    if not records:
        raise UnitResolutionError(f"Province code {province_code!r} is not in the legacy unit list.")
    return pd.DataFrame(list(records), columns=_LEGACY_COLUMNS, dtype="str")


def _pick(
    name: str,
    candidates: list[tuple[str, str, str]],
    scope: str,
) -> dict[str, str]:
    """Choose the one candidate ``(code, official_name, unit_type)`` that ``name`` denotes, or raise."""
    wanted_type, bare = split_unit_type(name)
    parsed = [
        (code, official, unit_type.casefold(), split_unit_type(official)[1]) for code, official, unit_type in candidates
    ]
    same_type = [c for c in parsed if wanted_type is None or c[2] == wanted_type]

    exact = [c for c in same_type if _canonical_bare(c[3]) == _canonical_bare(bare)]
    folded = [c for c in same_type if normalize_name(c[3]) == normalize_name(bare)]
    for matches, kind in ((exact, "exact"), (folded, "accent-folded")):
        if len(matches) == 1:
            code, official, unit_type, _ = matches[0]
            return {"code": code, "official_name": official, "unit_type": unit_type, "match": kind}
        if len(matches) > 1:
            listed = [(c[0], c[1]) for c in matches]
            shown = ", ".join(f"{n} ({c})" for c, n in listed)
            raise UnitResolutionError(
                f"{name!r} is ambiguous in {scope}: it matches {shown}. Give the unit type "
                "(xã / phường / thị trấn) or the code.",
                listed,
            )

    # Unknown: offer what a human would look at (same name under another type, then look-alikes).
    key = normalize_name(bare)
    near = [c for c in parsed if normalize_name(c[3]) == key]
    if not near:
        keys = {normalize_name(c[3]): c for c in parsed}
        near = [keys[k] for k in difflib.get_close_matches(key, list(keys), n=5, cutoff=0.6)]
    if not near:  # e.g. a numbered ward that no longer exists: show the wards of that type instead
        near = [c for c in parsed if wanted_type is not None and c[2] == wanted_type][:12]
    listed = [(c[0], c[1]) for c in near]
    shown = ", ".join(f"{n} ({c})" for c, n in listed) or "none"
    raise UnitResolutionError(
        f"{name!r} matches no unit in {scope} (closest: {shown}). Aliases of merged units are not used on "
        "purpose: a unit that was merged later keeps its own row, with a project code and a note.",
        listed,
    )


def resolve_district(name: str, province_code: str) -> dict[str, str]:
    """Official code and name of a district-level unit ("UBND huyện Cái Nước" -> 969, "Huyện Cái Nước").

    Returns ``code``, ``official_name``, ``unit_type`` and ``match`` ("exact" or "accent-folded").
    Raises :class:`UnitResolutionError` when the name is unknown or ambiguous.
    """
    units = legacy_units(province_code)
    districts = units.drop_duplicates("district_code")
    candidates = [
        (code, official, split_unit_type(official)[0] or "")
        for code, official in zip(districts["district_code"], districts["district"], strict=True)
    ]
    return _pick(name, candidates, scope=f"province {province_code}")


def resolve_commune(name: str, district_code: str, province_code: str) -> dict[str, str]:
    """Official code and name of a commune-level unit within one district.

    ``resolve_commune("UBND xã Phú Hung", "969", "96")["code"] == "32134"``. Looking only inside the parent
    district is what makes repeated names (Tân Thành, Thới Bình ...) safe. Returns ``code``,
    ``official_name``, ``unit_type``, ``district_code`` and ``match``; raises :class:`UnitResolutionError`
    when the name is unknown or ambiguous.
    """
    units = legacy_units(province_code)
    in_district = units[units["district_code"] == district_code]
    if in_district.empty:
        raise UnitResolutionError(
            f"District code {district_code!r} has no commune-level units in province {province_code!r}."
        )
    district_name = in_district["district"].iloc[0]
    candidates = list(zip(in_district["ward_code"], in_district["ward"], in_district["ward_type"], strict=True))
    found = _pick(name, candidates, scope=f"{district_name} ({district_code})")
    return {**found, "district_code": district_code}


GEOGRAPHIES = ("2025", "2023")  # two-tier (from 1 July 2025, 34 provinces) and the earlier 63-province list


def _digits(province_code: str) -> str:
    if not province_code.isdigit():
        raise UnitResolutionError(f"Province code must be digits (e.g. '96'), got {province_code!r}.")
    return province_code


def code_list_version() -> str:
    """The version of the code list (the PyPI package vietnamadminunits) the codes come from."""
    from importlib.metadata import version

    return version("vietnamadminunits")


def province_units(province_code: str, geography: str = "2025") -> tuple[str, pd.DataFrame]:
    """The province's name and its official units in ``geography``, from the code list (offline).

    Columns: code, name, level (``district`` or ``commune``), parent_code (the district for 2023 communes, else
    the province). 2025 has communes only (xã, phường, đặc khu); 2023 has districts and their communes."""
    from vietnamadminunits.database.main import query

    code = _digits(province_code)
    if geography not in GEOGRAPHIES:
        raise UnitResolutionError(f"Geography must be one of {', '.join(GEOGRAPHIES)}, got {geography!r}.")
    table = "admin_units" if geography == "2025" else "admin_units_legacy"
    names = query(f"select distinct province from {table} where provinceCode = '{code}'")
    if not names:
        provinces = query(f"select distinct provinceCode, province from {table} order by provinceCode")
        listed = ", ".join(f"{p['provinceCode']} ({p['province']})" for p in provinces)
        raise UnitResolutionError(f"Province code {code!r} is not in the {geography} code list; valid codes: {listed}.")
    if geography == "2025":
        rows = query(f"select wardCode, ward from admin_units where provinceCode = '{code}' order by wardCode")
        frame = pd.DataFrame(
            {
                "code": [r["wardCode"] for r in rows],
                "name": [r["ward"] for r in rows],
                "level": "commune",
                "parent_code": code,
            }  # fmt: skip
        )
    else:
        legacy = legacy_units(code)
        districts = legacy.drop_duplicates("district_code")
        frame = pd.concat(
            [
                pd.DataFrame(
                    {
                        "code": districts["district_code"],
                        "name": districts["district"],
                        "level": "district",
                        "parent_code": code,
                    }
                ),  # fmt: skip
                pd.DataFrame(
                    {
                        "code": legacy["ward_code"],
                        "name": legacy["ward"],
                        "level": "commune",
                        "parent_code": legacy["district_code"],
                    }
                ),  # fmt: skip
            ]
        )
    return str(names[0]["province"]), frame.astype(str).reset_index(drop=True)
