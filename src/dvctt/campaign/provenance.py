"""Provenance of a rendered report: which data, which code, which parameters, when.

A leader who receives a report by e-mail cannot see the analyst's folder, so the footer carries a fingerprint
of the campaign folder instead of its location: two reports with the same short hash were built from the
same bytes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import dvctt
from dvctt.labels import LABELS, t

SHORT_HASH_LENGTH = 12
_SKIPPED_DIRS = frozenset({"__pycache__", "rejects"})  # rejects/ is what ingest refused: output, not data


def _is_hashed(relative: Path) -> bool:
    """Hidden files (``.DS_Store``, editor swap files) and caches must not change the fingerprint."""
    return not any(part.startswith(".") or part in _SKIPPED_DIRS for part in relative.parts)


def hashed_files(folder: Path) -> list[Path]:
    """Relative paths of the files that make up the campaign data, in a stable (POSIX-sorted) order."""
    folder = Path(folder)
    found = (p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    return sorted((p for p in found if _is_hashed(p)), key=lambda p: p.as_posix())


def data_hash(folder: Path) -> str:
    """SHA-256 (hex) over every data file's relative path and bytes.

    Paths are relative so the hash does not depend on where the folder lives; each path and body is framed
    with its length so that moving bytes between files or renaming a file always changes the hash.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    for relative in hashed_files(folder):
        name = relative.as_posix().encode("utf-8")
        body = (folder / relative).read_bytes()
        digest.update(b"%d:%s\0%d:" % (len(name), name, len(body)))
        digest.update(body)
    return digest.hexdigest()


def short_hash(full_hash: str) -> str:
    """The first 12 hex digits: enough to tell renders apart, short enough to read aloud on the phone."""
    return full_hash[:SHORT_HASH_LENGTH]


def utc_timestamp(moment: datetime | None = None) -> str:
    """UTC ISO 8601 time to the second (``2024-03-01T08:15:00Z``), the same in every time zone."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _vietnam() -> tzinfo:
    """Asia/Ho_Chi_Minh; UTC+7 without the tz database (Vietnam has kept +07:00 without daylight saving since 1975)."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # noqa: BLE001 - no tz database (Windows without tzdata): the fixed offset is the same
        return timezone(timedelta(hours=7), "ICT")


def vietnam_timestamp(moment: datetime | None = None) -> str:
    """Vietnam time, ISO 8601 to the second with its offset (``2024-03-01T15:15:00+07:00``): the time the
    analyst's readers live in, and still one unambiguous instant."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(_vietnam()).isoformat(timespec="seconds")


def shown_time(stamp: str, lang: str) -> str:
    """A timestamp as a reader writes it: ``30/11/2026 21:07`` in Vietnamese, ``30 Nov 2026 21:07`` in English,
    in Vietnam time. The ISO form stays in the page's ``datetime`` attribute and in manifest.json."""
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)  # a manifest from an older dvctt or edited by hand: shown as it is
    if moment.tzinfo is not None:
        moment = moment.astimezone(_vietnam())
    return f"{moment:%d/%m/%Y %H:%M}" if lang == "vi" else f"{moment.day} {moment:%b %Y %H:%M}"


def footer_info(
    *,
    campaign_id: str,
    period: str,
    lang: str,
    data_hash: str,
    rendered_at: datetime | None = None,
    synthetic: bool = False,
    campaign_name: str = "",
    period_label: str = "",
) -> dict[str, Any]:
    """Everything the report footer shows. Takes the campaign *id*, never a path, so no local folder leaks.

    The ids (``campaign``, ``period``, ``lang``) are for machines (the page's ``<meta name="dvctt:...">`` tags);
    a reader sees the campaign's name, the period's label and the language's name (``*_label``)."""
    return {
        "campaign": campaign_id,
        "period": period,
        "lang": lang,
        "campaign_label": campaign_name or campaign_id,
        "period_label": period_label or period,
        "lang_label": t(f"lang.{lang}", lang) if f"lang.{lang}" in LABELS else lang,
        "words": {
            **{key: t(f"about.{key}", lang) for key in ("campaign", "period", "lang", "data_hash")},
            **{key: t(f"footer.{key}", lang) for key in ("related", "synthetic", "rendered", "vietnam_time")},
            "index": t("related.index", lang),
        },
        "synthetic": synthetic,
        "data_hash": data_hash,
        "data_hash_short": short_hash(data_hash),
        "version": dvctt.__version__,
        "rendered_at": (stamp := vietnam_timestamp(rendered_at)),
        "rendered_at_shown": shown_time(stamp, lang),
    }
