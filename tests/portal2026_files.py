"""The real 2026 portal answers copied unmodified into tests/fixtures/portal-2026/ (see its README): one name
for each, shared by every test that reads them."""

from __future__ import annotations

from pathlib import Path

PORTAL = Path(__file__).resolve().parent / "fixtures" / "portal-2026"
NATIONAL = PORTAL / "service-results_national_year2026_asof-2026-09-17.json"
NATIONAL_REQUEST = PORTAL / "service-results_national_year2026_request.json"
AN_GIANG = PORTAL / "service-results_H01_AnGiang_year2026.json"
GIA_LAI = PORTAL / "service-results_H21_GiaLai_year2026.json"
GIA_LAI_FEB = PORTAL / "service-results_H21_GiaLai_month2026-02.json"
BUNDLE = PORTAL / "components_H21_GiaLai_year2026_2026-10-02.json"  # the six component answers of 02/10
EXCERPT = PORTAL / "components_H21_GiaLai_year2026_EXCERPT.json"
