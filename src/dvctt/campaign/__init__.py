"""The campaign: its definition (campaign.toml), table schemas, the validated loader and the data hash."""
