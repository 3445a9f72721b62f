"""The portal's counts written into a campaign folder, so the campaign, progress and unit reports run on them.

``dvctt index BUNDLE --store CAMPAIGN`` (or :func:`store_portal_counts`) reads a 2026 components bundle
(:mod:`dvctt.service_index.portal_counts`), and in one transaction under the folder's writer lock
(:mod:`dvctt.campaign.commit`) writes: the snapshot as a period of ``campaign.toml``; each unit's on-time,
online-payment and digitisation rates with their counts, and online filing as missing (the answer gives no counts
per unit), into ``observations.csv``; the province's own figures into ``reported_totals.csv`` (level ``all``,
the portal's printed ratio beside the counts); the bundle into ``sources.csv``; and every metric of every unit
with its reconciliation into ``portal_metrics.csv``. A new (empty or absent) folder first becomes a campaign of
the province: ``campaign.toml`` and ``units.csv`` from the answer, communes under their official codes (matched by
name, :func:`dvctt.service_index.units.match_units`), agencies under their portal codes (there is no national
list of agencies). In an existing campaign, communes are found by official code and agencies by their portal code
(column ``portal_code``) or by name; a unit found in neither way is listed, never dropped silently.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dvctt.campaign import commit
from dvctt.campaign.loading import load_campaign
from dvctt.campaign.schemas import OBSERVATION_COLUMNS, REPORTED_TOTAL_COLUMNS, SCHEMAS
from dvctt.campaign.vocabulary import RETURN
from dvctt.errors import ParameterError
from dvctt.ingest.result import file_sha256
from dvctt.ingest.scaffold import campaign_id
from dvctt.safe_text import one_line, safe_text
from dvctt.service_index import portal_counts as pc
from dvctt.service_index import units as index_units
from dvctt.service_index.portal_snapshot import Snapshot, bundle_snapshot

METRICS_FILE = "portal_metrics.csv"
METRICS_KEY = ["period", "unit_code", "endpoint", "metric"]
UNIT_COLUMNS = (*SCHEMAS["units"].columns, "portal_code")
KPIS = ("on_time", "digitized", "online_payment", "online")


@dataclass(frozen=True)
class CountsSummary:
    """What storing one bundle did: where, which period, how many units and observations, what is left out."""

    folder: Path
    period: str
    created: bool
    units: pd.DataFrame  # portal units: unit_code (portal), unit_name, level, campaign_code ("" when not found)
    observations: int
    reconciliation: pd.DataFrame  # per endpoint × metric: compared, flagged, max_difference
    not_given: dict[str, str]  # KPI → why the answer cannot give it per unit

    def lines(self) -> list[str]:
        left = self.units[self.units["campaign_code"] == ""]
        state = "mới / new" if self.created else "đã có / existing"
        lines = [
            f"Campaign: {self.folder} ({state}), kỳ / period {self.period}: {self.observations} số liệu / "
            f"observations of {len(self.units) - len(left)} đơn vị / units",
            *index_units.unmatched_lines(self.units),
        ]
        if len(left):
            lines.append(f"  {len(left)} đơn vị của Cổng không có trong units.csv, không ghi / portal units not in "
                         "units.csv, not written:")  # fmt: skip
            lines += [f"    - {r.unit_code} {one_line(r.unit_name)}" for r in left.itertuples()]
        for kpi, why in self.not_given.items():
            lines.append(f"  {kpi}: không có / cannot be given: {why}")
        lines.append("  Đối chiếu tỷ lệ của Cổng với số đếm / the portal's ratios against its counts:")
        for r in self.reconciliation.itertuples():
            lines.append(f"    {r.endpoint} {r.metric}: {r.flagged}/{r.compared} lệch quá / differ beyond "
                         f"{pc.RATIO_TOLERANCE} (max {r.max_difference:.4f})")  # fmt: skip
        return lines


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def _text(value: object) -> str:
    """A cell as campaign CSVs write it: full precision, dot decimal, empty for missing; text made safe."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value + 0.0)
    return safe_text(str(value))


def _texts(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    rows = [{c: _text(r.get(c)) for c in columns} for r in frame.astype(object).to_dict("records")]
    return pd.DataFrame(rows, columns=list(columns), dtype="str")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def portal_units(bundle: dict, province: str) -> pd.DataFrame:
    """The province's units in the answer (code, printed name, level), matched to official units."""
    records = bundle["SERVICE_RESULTS"]["data"]["evaluation"]
    levels = {"AGENCY": "agency", "COMMUNE": "commune"}
    frame = pd.DataFrame(
        [
            {
                "unit_code": str(r["departmentCode"]),
                "unit_name": str(r["departmentName"]),
                "level": levels.get(str(r.get("childGroup")), ""),
            }
            for r in records
        ]  # fmt: skip
    )
    frame = frame.assign(_n=frame["unit_code"].str.rsplit(".", n=1).str[-1].astype(int)).sort_values("_n")
    matched = index_units.match_units(frame.drop(columns="_n").reset_index(drop=True))
    bare = [index_units.without_province(n, index_units.province_name(province)) for n in matched["unit_name"]]
    return matched.assign(bare_name=bare)


def units_table(units: pd.DataFrame, province: str, source_id: str) -> pd.DataFrame:
    """units.csv of a new campaign: agencies (level ``province``) under their portal codes, then communes under
    their official codes; a commune without one keeps its portal code, ``unresolved``, with the reason."""
    rows = []
    for level, campaign_level in (("agency", "province"), ("commune", "commune")):
        for i, r in enumerate(units[units["level"] == level].itertuples(), 1):
            official = r.code_source == "gso-vietnamadminunits"
            rows.append({
                "unit_code": r.official_code if official else r.unit_code, "level": campaign_level,
                "parent_code": province, "official_name": r.official_name if official else r.bare_name,
                "published_name": r.unit_name, "code_source": r.code_source if level == "commune" else "project",
                "appendix_row": i, "source_id": source_id, "source_section": "SERVICE_RESULTS data.evaluation",
                "note": r.code_note, "portal_code": r.unit_code,
            })  # fmt: skip
    return _texts(pd.DataFrame(rows), UNIT_COLUMNS)


def campaign_codes(units: pd.DataFrame, campaign_units: pd.DataFrame) -> pd.Series:
    """Each portal unit's code in the campaign ("" when the campaign has no such unit): communes by official
    code, agencies by ``portal_code`` or, failing that, by their name without the province suffix."""
    portal = (
        campaign_units["portal_code"] if "portal_code" in campaign_units else pd.Series("", index=campaign_units.index)
    )
    by_portal = {p: c for p, c in zip(portal.fillna(""), campaign_units["unit_code"], strict=True) if p}
    agencies = campaign_units[campaign_units["level"] == "province"]
    by_name = {str(n).casefold(): c for n, c in zip(agencies["official_name"], agencies["unit_code"], strict=True)}
    communes = set(campaign_units.loc[campaign_units["level"] == "commune", "unit_code"])
    found = []
    for r in units.itertuples():
        if r.unit_code in by_portal:
            found.append(by_portal[r.unit_code])
        elif r.level == "commune":
            found.append(r.official_code if r.official_code in communes else "")
        else:
            found.append(by_name.get(str(r.bare_name).casefold(), ""))
    return pd.Series(found, index=units.index, dtype="str")


def _period_block(snapshot: Snapshot) -> str:
    return (
        f'\n[[periods]]\nid = "{snapshot.id}"\nkind = "{snapshot.kind}"\nstart = "{snapshot.start}"\n'
        f'end = "{snapshot.end}"\nlabel_vi = "{snapshot.label_vi}"\nlabel_en = "{snapshot.label_en}"\n'
        "overlaps = true\n"  # a snapshot to date lies inside the year it belongs to
    )


def _new_toml(folder: Path, province: str, name: str, snapshot: Snapshot) -> str:
    year = snapshot.start.year
    kpis = ", ".join(f'"{k}"' for k in KPIS)
    return (
        f"# Campaign folder written by `dvctt index … --store` from the national portal's own counts (Decision\n"
        f"# 766 component answers). Every key: docs/en/reference/data-model.md.\n"
        f'id = "{campaign_id(folder)}"\nsynthetic = false\nprovince_code = "{province}"\n'
        f'baseline_period = "{year - 1}"\ndefault_period = "{snapshot.id}"\nkpis = [{kpis}]\n'
        f'levels = ["province", "commune"]\n\n[name]\n'
        f'vi = "Dịch vụ công trực tuyến — {name} — số liệu Cổng Dịch vụ công quốc gia"\n'
        f'en = "Online public services — {name} — the national portal\'s counts"\n\n[[periods]]\nid = "{year - 1}"\n'
        f'kind = "baseline"\nstart = "{year - 1}-01-01"\nend = "{year - 1}-12-31"\nlabel_vi = "Năm {year - 1}"\n'
        f'label_en = "Year {year - 1}"\n' + _period_block(snapshot)
    )


def _source_rows(source_id: str, file: Path, sha: str, snapshot: Snapshot, today: date) -> list[dict[str, str]]:
    note = (f"Imported by dvctt index --store on {today.isoformat()}; sha256 {sha}; snapshot {snapshot.id} "
            f"(as of {snapshot.as_of or 'unknown'})")  # fmt: skip
    title = f"Cổng Dịch vụ công quốc gia, Bộ chỉ số 766: {file.name}"
    # the portal counts every unit of the province: a return (a unit without figures has not reported), not a selection
    return [{"source_id": source_id, "file": file.name, "title": title, "publisher": "Cổng Dịch vụ công quốc gia",
             "published": snapshot.as_of, "note": note, "kind": RETURN}]  # fmt: skip


def store_portal_counts(
    file: Path, folder: Path, *, period: str | None = None, as_of: date | None = None, today: date | None = None
) -> CountsSummary:
    """Write the bundle's counts into the campaign folder ``folder`` (created when absent or empty)."""
    file, folder = Path(file), Path(folder).expanduser()
    bundle = pc.read_bundle(file)
    metrics = pc.portal_metrics(bundle, file.name)
    portal_province = str(bundle["SERVICE_RESULTS"]["data"].get("overview", {}).get("departmentCode") or "")
    province = index_units.PORTAL_PROVINCE_CODES.get(portal_province)
    if province is None:
        raise ParameterError(f"{file.name}: $.SERVICE_RESULTS.data.overview.departmentCode {portal_province!r} is no "
                             "portal province code (H01 … H61)")  # fmt: skip
    snapshot = bundle_snapshot(file, period, as_of)
    sha = file_sha256(file)
    source_id = f"portal-{sha[:12]}"
    today = today or date.today()
    units = portal_units(bundle, province)
    folder.mkdir(parents=True, exist_ok=True)
    with commit.writer_lock(folder):
        created = not (folder / "campaign.toml").is_file()
        files: dict[str, str | bytes | None] = {}
        if created:
            if any(p for p in folder.iterdir() if not p.name.startswith(".")):
                raise ParameterError(f"{folder} is neither a campaign folder nor empty; choose a new folder.")
            name = index_units.province_name(province)
            toml = _new_toml(folder, province, f"{'Tỉnh' if province else ''} {name}".strip(), snapshot)
            campaign_units = units_table(units, province, source_id)
            files |= {"campaign.toml": toml, "units.csv": _csv(campaign_units),
                      "targets.csv": _csv(pd.DataFrame(columns=list(SCHEMAS["targets"].columns))),
                      "observations.csv": _csv(pd.DataFrame(columns=list(OBSERVATION_COLUMNS))),
                      "reported_totals.csv": _csv(pd.DataFrame(columns=[*REPORTED_TOTAL_COLUMNS, "note"]))}  # fmt: skip
            sources = pd.DataFrame(columns=list(SCHEMAS["sources"].columns), dtype="str")
        else:
            campaign = load_campaign(folder)
            if campaign.definition.province_code != province:
                raise ParameterError(f"{file.name} is about province {province} ({portal_province}); campaign "
                                     f"{folder.name} is about {campaign.definition.province_code}.")  # fmt: skip
            campaign_units = _read(folder / "units.csv")
            toml = (folder / "campaign.toml").read_text(encoding="utf-8")
            if snapshot.id not in {p.id for p in campaign.definition.periods}:
                files["campaign.toml"] = toml + _period_block(snapshot)
            sources = _read(folder / "sources.csv")
        confirmed = campaign_units[campaign_units["code_source"] != "example"]  # examples take no figures
        units = units.assign(campaign_code=campaign_codes(units, confirmed))
        found = units[units["campaign_code"] != ""]
        codes = dict(zip(found["unit_code"], found["campaign_code"], strict=True))
        new_obs = pc.kpi_observations(metrics, codes, snapshot.id, source_id)
        files |= _tables(folder, created, new_obs, pc.province_totals(metrics, snapshot.id, source_id), source_id)
        if source_id not in set(sources["source_id"]):
            extra = pd.DataFrame(_source_rows(source_id, file, sha, snapshot, today))
            if created:
                extra = pd.concat([extra, pd.DataFrame([_CODELIST])], ignore_index=True)
            sources = pd.concat([sources, _texts(extra, list(sources.columns))], ignore_index=True)
            files["sources.csv"] = _csv(sources)
        files[METRICS_FILE] = _csv(_metrics_table(folder, metrics.assign(period=snapshot.id)))
        _trial(folder, files)
        commit.commit(folder, files)
    load_campaign(folder)
    return CountsSummary(folder, snapshot.id, created, units, len(new_obs), pc.reconciliation_summary(metrics),
                         {k: v for k, v in pc.NOT_GIVEN.items()})  # fmt: skip


_CODELIST = {"source_id": "codelist", "file": "", "title": "Danh mục đơn vị hành chính 2025, gói vietnamadminunits",
             "publisher": "vietnamadminunits (PyPI, MIT)", "published": "",
             "note": "official codes and names of the communes (matched by name to the portal's units)"}  # fmt: skip


def _tables(folder: Path, created: bool, obs: pd.DataFrame, totals: pd.DataFrame, source_id: str) -> dict[str, str]:
    """observations.csv with this snapshot's rows upserted (unit × period × KPI), reported_totals.csv with this
    source's rows replaced."""
    old_obs = pd.DataFrame(columns=list(OBSERVATION_COLUMNS)) if created else _read(folder / "observations.csv")
    new = _texts(obs, list(old_obs.columns))
    key = ["unit_code", "period", "kpi"]
    fresh = set(new[key].itertuples(index=False, name=None))
    kept = old_obs[[tuple(r) not in fresh for r in old_obs[key].itertuples(index=False, name=None)]]
    fresh_totals = pd.DataFrame(columns=[*REPORTED_TOTAL_COLUMNS, "note"])
    old_totals = fresh_totals if created else _read(folder / "reported_totals.csv")
    others = old_totals[old_totals["source_id"] != source_id]
    return {
        "observations.csv": _csv(pd.concat([kept, new], ignore_index=True)),
        "reported_totals.csv": _csv(pd.concat([others, _texts(totals, list(old_totals.columns))], ignore_index=True)),
    }


def _metrics_table(folder: Path, metrics: pd.DataFrame) -> pd.DataFrame:
    """portal_metrics.csv: earlier snapshots kept, this snapshot's rows replaced (key period × unit × metric)."""
    columns = ["period", *pc.METRIC_COLUMNS]
    counts = metrics[["numerator", "denominator"]]
    if ((counts.fillna(0) % 1) == 0).all().all():  # counts, as they always are: written as whole numbers
        metrics = metrics.astype({"numerator": "Int64", "denominator": "Int64"})
    new = _texts(metrics, columns)
    path = folder / METRICS_FILE
    if not path.is_file():
        return new
    old = _read(path)
    return pd.concat([old[old["period"] != new["period"].iloc[0]], new], ignore_index=True)[columns]


def _trial(folder: Path, files: dict[str, str | bytes | None]) -> None:
    """The folder as it would be must load, or nothing is written (the error names file, row, column, value)."""
    with tempfile.TemporaryDirectory(prefix="dvctt-portal-") as tmp:
        trial = Path(tmp) / (folder.name or "campaign")
        shutil.copytree(folder, trial, ignore=shutil.ignore_patterns("rejects", ".*"))
        for name, text in files.items():
            if isinstance(text, str):
                (trial / name).write_text(text, encoding="utf-8")
        load_campaign(trial)
