"""The data part of each report's key in `dvctt report --all`: every input a unit report shows is in it, and
nothing it does not show (no kernel: the keys are computed as `--all` computes them before rendering)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvctt import paths
from dvctt.campaign.loading import load_campaign
from dvctt.publish import batch, code_version


def _keys(folder: Path) -> dict[str, str]:
    loaded = load_campaign(folder)
    jobs = batch.plan(loaded.units, loaded.definition.levels)
    return dict(zip([j.subject or j.notebook for j in jobs], batch.data_keys(loaded, "2023", jobs), strict=True))


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


WHOLE = {"campaign_report", "progress_report"}


@pytest.mark.parametrize(
    ("name", "old", "new", "changed"),
    [
        # a commune's result: its district lists it; no rank among communes exists (one commune has no result)
        ("observations.csv", "90101,2023,online,,,80,ok,80%", "90101,2023,online,,,81,ok,81%", {"901"}),
        # Sở Hai overtakes Sở Một: Sở Một's rank moves though its own rows do not
        ("observations.csv", "99.A02,2023,online,30,50,60.0", "99.A02,2023,online,46,50,92.0", {"99.A01", "99.A02"}),
        # Sở Hai's baseline moves but stays below Sở Một's: nothing Sở Một shows changes
        ("observations.csv", "99.A02,2022,online,10,50,20.0", "99.A02,2022,online,11,50,22.0", {"99.A02"}),
        # a commune's name is shown in its district's table
        ("units.csv", "90102,commune,901,Xã Hai", "90102,commune,901,Xã Hai Mới", {"901"}),
        # the agencies' target: both agencies show it and whether they met it
        ("targets.csv", "campaign,province,online,80", "campaign,province,online,95", {"99.A01", "99.A02"}),
        # the campaign's name is in every title
        ("campaign.toml", 'vi = "Chiến dịch thử nghiệm"', 'vi = "Chiến dịch thử"', {"99.A01", "99.A02", "901"}),
        # a province-wide printed total no unit report shows
        ("reported_totals.csv", "all,,2022,online,rate,,,35,35%", "all,,2022,online,rate,,,36,36%", set()),
    ],
)
def test_a_unit_key_changes_exactly_when_something_its_report_shows_changes(tiny_campaign, name, old, new, changed):
    before = _keys(tiny_campaign)
    _edit(tiny_campaign, name, old, new)
    after = _keys(tiny_campaign)
    assert {k for k in before if before[k] != after[k]} == WHOLE | changed


def test_the_whole_data_key_serves_when_the_figures_cannot_be_computed(tiny_campaign):
    loaded = load_campaign(tiny_campaign)
    jobs = [batch.Job(batch.UNIT_NOTEBOOK, subject="no-such-unit", parameters={"unit": "no-such-unit"})]
    assert batch.data_keys(loaded, "2023", jobs) == [loaded.data_hash]


def test_every_file_that_shapes_a_report_is_in_the_code_hash():
    hashed = {p.relative_to(paths.PACKAGE_DIR).as_posix() for p in code_version.code_files()}
    for shipped in ("templates/dvctt_report/dvctt.css", "templates/dvctt_report/conf.json", "publish/batch.py"):
        assert shipped in hashed
    assert not any("__pycache__" in name for name in hashed)
