"""The levels of a campaign, as data: `campaign.toml` lists them top to bottom and every rule follows from the list.

Since 1 July 2025 provinces have two tiers (provincial agencies and communes); earlier campaigns have three
(agencies, districts, communes); a campaign whose sources give level figures only may list levels without a
single unit under them. No rule here names a particular level except ``province`` (the provincial agencies,
whose parent is the province itself and who have no units under them).
"""

from __future__ import annotations

from collections.abc import Sequence

KNOWN_LEVELS = ("province", "district", "commune")
AGENCIES = "province"  # provincial agencies (sở, ban, ngành): their parent is the province, nothing hangs under them
DEFAULT_LEVELS = KNOWN_LEVELS  # campaigns written before levels were declared (camau-2023 keeps working)


def territorial(levels: Sequence[str]) -> list[str]:
    """The levels that form the territorial tree (districts, communes …), top to bottom."""
    return [level for level in levels if level != AGENCIES]


def parent_level(levels: Sequence[str], level: str) -> str | None:
    """The level a unit of ``level`` hangs under: the next territorial level up that the campaign has, or None
    when its parent is the province itself."""
    if level == AGENCIES:
        return None
    tree = territorial(levels)
    position = tree.index(level) if level in tree else 0
    return tree[position - 1] if position > 0 else None


def child_level(levels: Sequence[str], level: str) -> str | None:
    """The level whose units hang under a unit of ``level`` (None for the lowest level and for agencies)."""
    if level == AGENCIES:
        return None
    tree = territorial(levels)
    position = tree.index(level) if level in tree else len(tree)
    return tree[position + 1] if position + 1 < len(tree) else None


def ordered(levels: Sequence[str], present: Sequence[str]) -> list[str]:
    """The declared levels that occur in ``present``, in the campaign's order."""
    wanted = set(present)
    return [level for level in levels if level in wanted]
