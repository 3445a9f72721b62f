"""The smallest valid campaign.toml, shared by the render, CLI and publishing tests (they fake the tables)."""

from __future__ import annotations

_REST = """\
province_code = "96"
baseline_period = "2022"
default_period = "2023-campaign"
target_set = "campaign"
kpis = ["online"]
levels = ["province", "district", "commune"]

[name]
vi = "Cà Mau thử nghiệm"
en = "Ca Mau test"

[[periods]]
id = "2022"
kind = "baseline"
start = "2022-01-01"
end = "2022-12-31"
label_vi = "Năm 2022"
label_en = "Year 2022"

[[periods]]
id = "2023-campaign"
kind = "campaign"
start = "2023-03-01"
end = "2023-05-09"
label_vi = "Chiến dịch"
label_en = "Campaign"
"""


def campaign_toml(campaign_id: str = "test-camau", *, synthetic: bool = True) -> str:
    """campaign.toml text: one KPI, a baseline (2022) and a campaign period (default ``2023-campaign``)."""
    head = f'id = "{campaign_id}"\n' + ("synthetic = true\n" if synthetic else "")
    return head + _REST
