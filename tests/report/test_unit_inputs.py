"""A unit report's inputs as CSV text, cut from the CSV lines of the whole tables: the same text as the rows'
own CSV, also when a value holds a line break."""

from __future__ import annotations

import dataclasses

from dvctt.report import unit_inputs
from dvctt.report.data import build_unit_figures


def _own_csv(frame, codes):
    return unit_inputs._rows(frame, codes).to_csv(index=False, lineterminator="\n")


def test_the_inputs_are_the_rows_own_csv():
    data = build_unit_figures("camau-2023")
    units = data.campaign.units
    district = str(units.loc[units["level"] == "district", "unit_code"].iloc[0])
    children = set(units.loc[units["parent_code"] == district, "unit_code"].astype(str))
    assert children  # a district with communes: its inputs hold their rows too
    texts = unit_inputs.unit_inputs(data, district)
    codes = {district, *children}
    assert texts["observations"] == _own_csv(data.campaign.observations, codes)
    assert texts["units"] == _own_csv(units, codes)
    assert texts["shown_children"] == _own_csv(data.unit_summary, children)
    assert texts["shown_children"].count("\n") == 1 + len(
        data.unit_summary[data.unit_summary["unit_code"].isin(children)]
    )


def test_a_value_with_a_line_break_is_written_from_its_rows():
    data = build_unit_figures("camau-2023")
    units = data.campaign.units
    code = str(units["unit_code"].iloc[0])
    broken = units.assign(official_name=units["official_name"].where(units["unit_code"] != code, "Tên\nhai dòng"))
    data = dataclasses.replace(data, campaign=dataclasses.replace(data.campaign, units=broken))
    text = unit_inputs.unit_inputs(data, code)["units"]
    assert '"Tên\nhai dòng"' in text and text == _own_csv(broken, {code, *unit_inputs._family(data, code)[2]})
