"""The bands a report groups units into ("cần cải thiện gấp" under ``low``, "cần chú ý" under ``high``), fitted
to the year's scale.

The 80/90 bands belong to the 2025 scale. For a year whose scale was re-based
(:data:`~dvctt.service_index.definition.SCALES`: 2026 on), 80/90 would put every unit in the lowest band, so the
bands come, in this order, from: the command line (``--threshold-low/--threshold-high``); the index folder's
``index.toml`` (``[bands.2026]`` with ``low`` and ``high``, docs/en/how-to/service-index.md); else the snapshot:
under the median of the provinces it holds (the national median when it holds the 34), "attention" under their
upper quartile; without provinces, under the lowest quarter of the peer group's totals (a province's communes,
else its agencies), "attention" under their median. The report and the message say which bands apply and why.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dvctt.errors import ParameterError
from dvctt.labels import t, text
from dvctt.report.formatting import fmt_number
from dvctt.service_index.analysis import DEFAULT_THRESHOLDS, in_snapshot
from dvctt.service_index.definition import scale_of, snapshot_sort_key
from dvctt.service_index.words import period_label

BANDS_FILE = "index.toml"
HOWS: tuple[str, ...] = ("command_line", "index_toml", "scale_2025", "national_median", "peer_quartile", "unfit")
BAND_DECIMALS = 2  # scores have two decimals: a band drawn from the data is rounded as they are

#: Default bands per year on a scale that was not re-based, with their source. 2025: 80/90, the bands provinces
#: used on the 2025 scale (facts.md, "The service index in practice": one province's own tooling lists communes
#: under 80 "cần cải thiện gấp" and from 80 to 90 "cần chú ý"; the 2025 export's provinces lie between 81 and 92).
#: A re-based year (2026) has none: its bands come from index.toml or from the snapshot.
YEAR_BANDS: dict[int, tuple[float, float]] = {2025: DEFAULT_THRESHOLDS}


@dataclass(frozen=True)
class Bands:
    """The bands that apply to a report, and why: ``how`` is one of :data:`HOWS`; ``level`` and ``n`` say what
    a band drawn from the data was drawn from (``province``, 34)."""

    low: float
    high: float
    how: str
    year: int
    level: str = ""
    n: int = 0

    @property
    def thresholds(self) -> tuple[float, float]:
        return self.low, self.high


def read_band_config(folder: Path) -> dict[int, tuple[float, float]]:
    """``[bands.YEAR]`` tables of the folder's ``index.toml``: year → (low, high); nothing when absent.

    A table without both numbers, or with low above high, is refused naming the file and the key.
    """
    path = Path(folder) / BANDS_FILE
    if not path.is_file():
        return {}
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8")).get("bands", {})
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{path}: not valid TOML ({exc}).") from exc
    bands: dict[int, tuple[float, float]] = {}
    for year, table in tables.items():
        where = f"{path}, [bands.{year}]"
        if not str(year).isdigit() or not isinstance(table, Mapping):
            raise ParameterError(f"{where}: expected a year (bands.2026) holding low = … and high = ….")
        values = [table.get(key) for key in ("low", "high")]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise ParameterError(f"{where}: low and high must both be numbers (got low = {values[0]!r}, high = "
                                 f"{values[1]!r}).")  # fmt: skip
        low, high = (float(v) for v in values)  # type: ignore[arg-type]
        if not 0 <= low <= high <= 100:
            raise ParameterError(f"{where}: expected 0 ≤ low ≤ high ≤ 100 (got low = {low:g}, high = {high:g}).")
        bands[int(year)] = (low, high)
    return bands


def _round(value: float) -> float:
    return round(float(value), BAND_DECIMALS)


def _drawn(units: pd.DataFrame, subject: pd.Series, year: int) -> Bands:
    """Bands from the subject's snapshot: the provinces' median and upper quartile, else the peer group's lowest
    quarter and median."""
    same = in_snapshot(units, str(subject["snapshot"]))
    provinces = same.loc[same["level"] == "province", "total"].dropna()
    if len(provinces) >= 2:
        low, high = provinces.median(), provinces.quantile(0.75)
        return Bands(_round(low), _round(high), "national_median", year, "province", len(provinces))
    if subject["level"] == "province":
        inside = same[(same["level"] != "province") & (same["province_code"] == subject["unit_code"])]
        level = "commune" if (inside["level"] == "commune").any() else "agency"
        group = inside.loc[inside["level"] == level, "total"].dropna()
    else:
        level = str(subject["level"])
        group = same.loc[same["peer_group"] == subject["peer_group"], "total"].dropna()
    if len(group) >= 2:
        return Bands(_round(group.quantile(0.25)), _round(group.median()), "peer_quartile", year, level, len(group))
    return Bands(*DEFAULT_THRESHOLDS, "unfit", year)


def choose_bands(
    units: pd.DataFrame,
    subject: pd.Series,
    config: Mapping[int, tuple[float, float]],
    override: tuple[float | None, float | None] = (None, None),
) -> Bands:
    """The bands of the subject's snapshot: command line, else ``index.toml``, else the year's default
    (:data:`YEAR_BANDS`, 80/90 on the 2025 scale), else drawn from the snapshot (``units``: ranked unit ×
    snapshot rows with ``peer_group``)."""
    year = int(subject["year"])
    if year in config:
        chosen = Bands(*config[year], "index_toml", year)
    elif not scale_of(year).rebased:
        chosen = Bands(*YEAR_BANDS.get(year, DEFAULT_THRESHOLDS), "scale_2025", year)
    else:
        chosen = _drawn(units, subject, year)
    low, high = override
    if low is None and high is None:
        return chosen
    given = sorted([chosen.low if low is None else float(low), chosen.high if high is None else float(high)])
    return Bands(given[0], given[1], "command_line", year)


def band_number(value: float, lang: str) -> str:
    """80 → "80"; a band drawn from the data keeps its two decimals (61,50)."""
    return fmt_number(value, lang, 0 if float(value).is_integer() else BAND_DECIMALS)


def bands_text(bands: Bands, lang: str) -> str:
    """One sentence: which bands apply and why ("Ngưỡng 2026: dưới 61,50 (trung vị của 34 tỉnh, thành phố
    cùng kỳ) …; đặt trong index.toml để thay đổi.")."""
    values = {
        "year": bands.year,
        "low": band_number(bands.low, lang),
        "high": band_number(bands.high, lang),
        "urgent": t("index.group.urgent", lang),
        "attention": t("index.group.attention", lang),
        "n": bands.n,
        "level": text(f"index.bands.level.{bands.level}", lang) if bands.level else "",
    }
    return text(f"index.bands.{bands.how}", lang, **values)


def rebasing(units: pd.DataFrame) -> pd.DataFrame:
    """Per year present, the median total of the provinces in the latest snapshot that holds two or more of
    them: year, snapshot, median, n (empty when the data hold provinces of fewer than two years)."""
    provinces = units[units["level"] == "province"]
    rows = []
    for year, part in provinces.groupby("year"):
        counts = part.groupby("snapshot")["total"].count()
        counts = counts[counts >= 2]
        if counts.empty:
            continue
        latest = max(counts.index, key=snapshot_sort_key)
        totals = part.loc[part["snapshot"] == latest, "total"]
        rows.append({"year": int(year), "snapshot": latest, "median": float(totals.median()), "n": len(totals)})
    frame = pd.DataFrame(rows, columns=["year", "snapshot", "median", "n"])
    return frame if len(frame) >= 2 else frame.iloc[0:0]


def rebasing_text(frame: pd.DataFrame, lang: str) -> str:
    """The sentence that goes wherever two years appear: the 2026 re-basing, with each year's provinces' median
    as the data give it; ``""`` when :func:`rebasing` found fewer than two years."""
    if frame.empty:
        return ""
    medians = "; ".join(
        text("index.rebasing.year", lang, year=r.year, median=fmt_number(r.median, lang, 1), n=r.n,
             snapshot=period_label(r.snapshot, lang))
        for r in frame.sort_values("year", ascending=False).itertuples()
    )  # fmt: skip
    return text("index.rebasing", lang, medians=medians)
