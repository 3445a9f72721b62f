"""Who a row of the service-index export is: its level, its province, and its official code where one exists.

The portal codes every unit its own way (``MA_COQUAN``): ``H12`` for UBND tỉnh Cà Mau, ``H01.13`` for an agency
of An Giang, ``H01.187`` for a commune of An Giang; some rows carry a ``000.00.00.`` prefix (``000.00.00.H37``).
An agency and a commune have the same code shape, so the level is decided from the code *and* the name
("UBND xã …" is a commune, "Sở …" an agency); a row neither tells is left undecided for the caller to refuse,
never guessed. Official codes come from the post-2025 list of ``vietnamadminunits`` (34 provinces, 3,321
communes); agencies have none. The portal's code is always kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from dvctt.ingest.admin_units import fold_accents, split_unit_type
from dvctt.safe_text import one_line

_CODE = re.compile(r"^(?:000\.00\.00\.)?(H\d{2})((?:\.[0-9A-Za-z]+)*)$")
_COUNCIL = re.compile(r"^(ubnd|uy ban nhan dan)\s+", re.IGNORECASE)
_COMMUNE_TYPES = ("xa ", "phuong ", "dac khu ", "thi tran ")
_PROVINCE_TYPES = ("tinh ", "thanh pho ")
_AGENCY_WORDS = (
    "so ",
    "ban ",
    "van phong ",
    "thanh tra ",
    "cong an ",
    "bo chi huy ",
    "cuc ",
    "chi cuc ",
    "kho bac ",
    "bao hiem ",
    "dai ",
    "trung tam ",
    "ngan hang ",
    "toa an ",
    "vien kiem sat ",
)


def normalize_code(printed: str) -> str | None:
    """``000.00.00.H37`` → ``H37``, ``H01.187`` → ``H01.187``; None when the text is no portal code."""
    match = _CODE.match(printed.strip())
    return None if match is None else match.group(1) + match.group(2)


def province_of(code: str) -> str:
    """The province part of a normalised portal code: ``H01.187`` → ``H01``."""
    return code.split(".", 1)[0]


def _folded(name: str) -> str:
    return " ".join(fold_accents(name).casefold().split()) + " "


def level_of(code: str, name: str) -> str | None:
    """``province``, ``agency`` or ``commune`` when code and name agree on it, else None (undecided)."""
    folded = _folded(name)
    bare = _COUNCIL.sub("", folded)
    council = bare != folded
    if "." not in code:
        return "province" if council and bare.startswith(_PROVINCE_TYPES) else None
    if council and bare.startswith(_COMMUNE_TYPES):
        return "commune"
    if not council and folded.startswith(_AGENCY_WORDS):
        return "agency"
    return None


@lru_cache(maxsize=1)
def _provinces() -> dict[str, tuple[str, str]]:
    """Folded province name (``ca mau``) → (GSO code, official name), post-2025 list."""
    from vietnamadminunits.database.main import query

    rows = query("select distinct provinceCode, province, provinceShort from admin_units")
    return {_folded(str(r["provinceShort"])).strip(): (str(r["provinceCode"]), str(r["province"])) for r in rows}


_PORTAL_COUNCIL = re.compile(r"^ubnd\s+", re.IGNORECASE)
#: The commune-level types since 1 July 2025, as the portal and the code list print them.
_COMMUNE_WORDS = ("đặc khu", "phường", "xã")


def _nfc(text: str) -> str:
    """NFC with single spaces: one An Giang name comes decomposed (NFD), and NFD never equals NFC."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def without_province(name: str, province_name: str) -> str:
    """The portal's name without "UBND " and without its province suffix (" - tỉnh X", " - thành phố X",
    " - X", X the unit's own province), NFC with single spaces: "UBND xã An Minh - tỉnh An Giang" → "xã An Minh"."""
    text = _PORTAL_COUNCIL.sub("", _nfc(name))
    province = _nfc(province_name).casefold()
    if province and len(text.casefold()) == len(text):
        for suffix in (f" - tỉnh {province}", f" - thành phố {province}", f" - {province}"):
            if text.casefold().endswith(suffix):
                return text[: -len(suffix)]
    return text


def commune_name_parts(name: str, province_name: str = "") -> tuple[str, str]:
    """(type, bare name) of a commune as the portal or the code list prints it, e.g. ("xã", "An Minh").

    Only the variants the portal really prints are removed (:func:`without_province`), then the type word "xã",
    "phường" or "đặc khu" in any case. Nothing else is forgiven (no accent folding, no edit distance).
    """
    text = without_province(name, province_name)
    lowered = text.casefold()
    for word in _COMMUNE_WORDS:
        if lowered.startswith(word + " "):
            return word, text[len(word) :].strip()
    return "", text


@lru_cache(maxsize=40)
def _communes(province_code: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(type, case-folded bare name) → [(GSO code, official name)] for one province, post-2025 list."""
    from vietnamadminunits.database.main import query

    if not province_code.isdigit():
        return {}
    rows = query(f"select wardCode, ward from admin_units where provinceCode = '{province_code}'")
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in rows:
        unit_type, bare = commune_name_parts(str(r["ward"]))
        found.setdefault((unit_type, bare.casefold()), []).append((str(r["wardCode"]), str(r["ward"])))
    return found


@lru_cache(maxsize=40)
def province_name(province_code: str) -> str:
    """The short official name of a province (``91`` → ``An Giang``), "" when the code is not in the list."""
    found = [short for short, (code, _) in _province_shorts().items() if code == province_code]
    return found[0] if found else ""


@lru_cache(maxsize=1)
def _province_shorts() -> dict[str, tuple[str, str]]:
    from vietnamadminunits.database.main import query

    rows = query("select distinct provinceCode, province, provinceShort from admin_units")
    return {str(r["provinceShort"]): (str(r["provinceCode"]), str(r["province"])) for r in rows}


def match_province(name: str) -> tuple[str, str] | None:
    """``UBND tỉnh Cà Mau`` → (``96``, ``Tỉnh Cà Mau``); None when no province of the list has that name."""
    _, bare = split_unit_type(name)
    return _provinces().get(_folded(bare).strip())


def match_commune(name: str, province_code: str) -> tuple[str, str] | str:
    """(GSO code, official name) of a commune of the province, or the reason it has none (a note)."""
    unit_type, bare = commune_name_parts(name, province_name(province_code))
    candidates = _communes(province_code).get((unit_type, bare.casefold()), [])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        shown = f"{unit_type} {bare}".strip()
        return f"no commune of province {province_code} is named {shown!r} (printed {name!r}) in the 2025 code list"
    return f"{len(candidates)} communes of province {province_code} are named {name!r}"


def official(level: str, code: str, name: str) -> tuple[str, str, str, str]:
    """(official code, official name, code source, note) for a row."""
    if level == "province":
        found = match_province(name)
        if found:
            return found[0], found[1], "gso-vietnamadminunits", ""
        return "", "", "unresolved", f"no province of the 2025 code list is named {name!r}"
    if level == "commune":
        province = PORTAL_PROVINCE_CODES.get(province_of(code))
        if province is None:
            return "", "", "unresolved", f"portal province code {province_of(code)} is not known"
        found = match_commune(name, province)
        if isinstance(found, tuple):
            return found[0], found[1], "gso-vietnamadminunits", ""
        return "", "", "unresolved", found
    return "", "", "none", "provincial agencies have no official code list"


#: Portal province code → GSO code of the 34 provinces (since 1 July 2025), taken from the portal's own
#: 2025 export (data/index-766/bao_cao_766_tinh_2025.xlsx) by matching each row's name to the 2025 code list.
PORTAL_PROVINCE_CODES: dict[str, str] = {
    "H01": "91", "H05": "24", "H12": "96", "H13": "92", "H14": "04", "H15": "66", "H17": "48", "H18": "11",
    "H19": "75", "H20": "82", "H21": "52", "H24": "31", "H26": "01", "H27": "42", "H29": "79", "H31": "33",
    "H32": "56", "H35": "12", "H36": "68", "H37": "20", "H38": "15", "H41": "40", "H42": "37", "H44": "25",
    "H48": "51", "H49": "22", "H50": "44", "H52": "14", "H53": "80", "H55": "19", "H56": "38", "H57": "46",
    "H60": "08", "H61": "86",
}  # fmt: skip


AGENCY_NOTE = (
    "cơ quan cấp tỉnh: không có danh mục mã quốc gia, chỉ khớp theo mã của Cổng / provincial agency: there is no "
    "national code list of agencies, matched by its portal code only"
)


def match_units(units: pd.DataFrame) -> pd.DataFrame:
    """``units`` (unit_code, unit_name, level) with ``official_code, official_name, code_source, code_note``:
    provinces and communes matched by name to the 2025 code list, agencies keyed by their portal code."""
    found = [official(r.level, r.unit_code, r.unit_name) for r in units.itertuples(index=False)]
    columns = ["official_code", "official_name", "code_source", "code_note"]
    matched = pd.DataFrame(found, columns=columns, index=units.index, dtype="str")
    matched["code_note"] = matched["code_note"].mask(units["level"] == "agency", AGENCY_NOTE)
    return units.assign(**{c: matched[c] for c in columns})


def unmatched_units(matched: pd.DataFrame) -> pd.DataFrame:
    """The provinces and communes of :func:`match_units` that have no official code, with the reason."""
    left = matched[matched["code_source"] == "unresolved"]
    return left[["unit_code", "unit_name", "level", "code_note"]].sort_values("unit_code").reset_index(drop=True)


def unmatched_lines(matched: pd.DataFrame) -> list[str]:
    """What the CLI prints: how many units were matched, then every unit that stays unmatched and why (each on
    one line whatever its printed name holds)."""
    left = unmatched_units(matched)
    communes = matched[matched["level"] == "commune"]
    agencies = int((matched["level"] == "agency").sum())
    done = int((communes["code_source"] == "gso-vietnamadminunits").sum())
    lines = [
        f"Đơn vị / units: {done}/{len(communes)} xã, phường khớp mã chính thức / communes matched to official codes; "
        f"{agencies} cơ quan cấp tỉnh theo mã Cổng / agencies keyed by portal code; "
        f"{len(left)} chưa khớp / unmatched"
    ]
    lines += ["  - " + one_line(f"{r.unit_code} {r.unit_name}: {r.code_note}") for r in left.itertuples()]
    return lines
