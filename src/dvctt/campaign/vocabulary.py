"""The words a campaign folder may use (KPIs, statuses, measures, scopes), apart from the pandera schemas that
check them, so that reading ``campaign.toml`` needs neither pandera nor pandas."""

from __future__ import annotations

from dvctt.campaign.levels import KNOWN_LEVELS as LEVELS

SCOPES = (*LEVELS, "all")
KPIS = ("online", "digitized", "online_payment", "on_time", "full_process", "overdue_pending")
#: KPIs where a lower rate is better (overdue_pending: pending dossiers past their due date, from the statistics
#: form). Targets are met "at or above", so targets.csv may not set one for these (checked on loading).
LOWER_IS_BETTER = ("overdue_pending",)
STATUSES = ("ok", "missing", "not_applicable")
MEASURES = ("rate", "units_met", "units_total", "gap_pp", "change")
# The unit of a change statement as the source prints it: "tăng 40 điểm %" is points, "tăng 43%" relative
# percent only when the text says so (e.g. "tăng 43% so với cùng kỳ, tức gấp 1,43 lần"); "%" alone is ambiguous.
CHANGE_UNITS = ("percent", "points", "ambiguous")
CODE_SOURCES = ("gso-vietnamadminunits", "project", "unresolved", "synthetic", "example")
#: A unit row written as an example to edit (``dvctt new``'s provincial agencies, which no source lists): it is left
#: out of every report, template and ingest until the analyst confirms it (sets another code_source).
EXAMPLE = "example"
#: How a source's figures came in (sources.csv ``kind``): a ``return`` (template workbooks, statistics forms, dossier
#: exports, the portal's counts: every unit is asked, some may not have sent theirs yet) or a ``selection`` (an
#: article or press release names the units it chooses). Empty means selection, the stricter rule.
SOURCE_KINDS = ("return", "selection")
RETURN, SELECTION = SOURCE_KINDS
