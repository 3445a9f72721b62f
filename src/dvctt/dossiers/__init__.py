"""Dossier-level records aggregated into unit counts in portable SQL (DuckDB)."""
