"""Old units (before 1 July 2025) to new units, with the code list's own converter — never on code alone, never on a
spelling guess.

A new unit often keeps the code of one old unit it absorbed (new Xã Vĩnh Mỹ has code 31918, formerly old Xã Vĩnh
Bình's), and close spellings are different places, so joining old and new figures on code or name is wrong. The
package ``vietnamadminunits`` ships the converter it uses itself: per new province, which old units (keyed
province_district_ward in its legacy table) became each new unit, and which old units were split between several new
units. This module reads that table as it is and joins both sides through the package's own keys.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dvctt.ingest.admin_units import _digits

MAPPING_COLUMNS = ["old_code", "old_name", "old_district", "old_province", "new_code", "new_name", "split"]


@lru_cache(maxsize=1)
def _converter() -> dict:
    import vietnamadminunits

    path = Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json"
    return json.loads(path.read_text(encoding="utf-8"))


def old_to_new(province_code: str) -> pd.DataFrame:
    """Every old unit that is now (wholly or partly) in the new province ``province_code``, one row per old × new
    unit: a split old unit has one row per new unit it went to, with ``split`` true."""
    from vietnamadminunits.database.main import query

    code = _digits(province_code)
    new = pd.DataFrame(
        query(f"select provinceKey, wardKey, wardCode, ward from admin_units where provinceCode = '{code}'")
    )
    if new.empty:
        return pd.DataFrame(columns=MAPPING_COLUMNS)
    province_key = str(new["provinceKey"].iloc[0])
    converter = _converter()
    pairs = [
        (old_key, new_key, False)
        for new_key, olds in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items()
        for old_key in olds
    ]
    pairs += [
        (old_key, part["newWardKey"], True)
        for old_key, parts in converter["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items()
        for part in parts
    ]
    links = pd.DataFrame(pairs, columns=["old_key", "new_key", "split"])
    old_provinces = converter["DICT_PROVINCE"].get(province_key, [])
    listed = ", ".join(f"'{key}'" for key in old_provinces) or "''"
    old = pd.DataFrame(
        query(
            "select provinceKey || '_' || districtKey || '_' || wardKey as old_key, wardCode as old_code, "
            f"ward as old_name, district as old_district, province as old_province from admin_units_legacy "
            f"where provinceKey in ({listed})"
        )
    )
    new = new.rename(columns={"wardKey": "new_key", "wardCode": "new_code", "ward": "new_name"})
    frame = links.merge(old, on="old_key", how="inner", validate="many_to_one").merge(
        new[["new_key", "new_code", "new_name"]], on="new_key", how="inner", validate="many_to_one"
    )
    return frame.sort_values(["new_code", "old_code"], kind="stable")[MAPPING_COLUMNS].reset_index(drop=True)
