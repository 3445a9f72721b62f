"""Case (c) of issue 11, shared by the analysis and unit-report tests: the new Cà Mau's communes (`dvctt new`) with
the 2022 appendix of plan 48 (old communes, real figures) as baseline, recorded under the old units."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dvctt.campaign.loading import load_campaign
from dvctt.cli import main as cli
from dvctt.ingest.old_units import old_to_new


def write_case_c(folder: Path) -> pd.DataFrame:
    """Write the campaign folder; return the old observations it holds (the 100 old communes' 2022 figures)."""
    assert cli.main(["new", str(folder), "--province", "96"]) == 0
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8").replace('baseline_period = "2025"', 'baseline_period = "2022"')
    text += ('\n[[periods]]\nid = "2022"\nkind = "baseline"\nstart = "2022-01-01"\nend = "2022-12-31"\n'
             'label_vi = "Năm 2022"\nlabel_en = "Year 2022"\ngeography = "2023"\n')  # fmt: skip
    toml.write_text(text, encoding="utf-8")
    camau = load_campaign("camau-2023")
    sources = camau.sources[camau.sources["source_id"] == "plan48"]
    sources.to_csv(folder / "sources.csv", mode="a", header=False, index=False)
    old = camau.observations[camau.observations["period"] == "2022"]
    communes = set(camau.units.loc[camau.units["level"] == "commune", "unit_code"]) & set(old_to_new("96")["old_code"])
    old = old[old["unit_code"].isin(communes)]
    old.to_csv(folder / "old_observations.csv", index=False)
    return old
