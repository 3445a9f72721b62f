"""Starting a campaign from nothing: ``dvctt new DIR --province CODE [--geography 2025|2023] [--periods
week|month|quarter|year] [--year YEAR] [--from CAMPAIGN]``.

A new folder gets a campaign.toml with the levels of its geography (two tiers since 1 July 2025), the year's
periods (:mod:`dvctt.campaign.calendar`: ISO weeks, months or quarters, so the progress report has a series from
the second return on) after a baseline (the year before), the province's
official communes/wards (and, for 2023, districts) with their codes from the code list, a short list of provincial
agencies to edit, empty tables and a README that says what to fill. ``--from`` copies an existing campaign, which is
also how an analyst gets a writable copy of a shipped one (shipped campaigns are read-only).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from datetime import date
from pathlib import Path

from dvctt import paths
from dvctt.campaign import calendar
from dvctt.campaign.definition import Period
from dvctt.campaign.loading import TABLE_FILES, load_campaign
from dvctt.campaign.schemas import OBSERVATION_COLUMNS, REPORTED_TOTAL_COLUMNS, SCHEMAS
from dvctt.campaign.vocabulary import EXAMPLE
from dvctt.errors import ParameterError
from dvctt.ingest.admin_units import code_list_version, province_units

GEOGRAPHY_LEVELS = {"2025": ("province", "commune"), "2023": ("province", "district", "commune")}
# An EXAMPLE list of provincial agencies for the analyst to edit: no source in the project lists a province's agencies
# after the 2025 reorganisation, so the rows are written with code_source = example (left out of every report,
# template and ingest until the analyst confirms them) and say so in Vietnamese in their note.
AGENCIES = {
    "2025": (
        "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương",
        "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo",
        "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh",
    ),
    "2023": (
        "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
        "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
        "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    ),
}  # fmt: skip
EXAMPLE_NOTE = (
    "VÍ DỤ, CHƯA XÁC NHẬN: cơ quan cấp tỉnh mẫu do dvctt new ghi, không lấy từ văn bản nào. Sửa tên theo văn bản "
    "của tỉnh, xoá dòng không dùng, rồi đổi code_source từ example thành project. Dòng còn example không có trong "
    "báo cáo, biểu mẫu và nhập liệu."
)
PERIODS_NOTE = {  # README step 2: what `dvctt new --periods` wrote
    "year": "one period, the year {year}; `dvctt new --periods week|month|quarter` writes one per return instead",
    "week": "the ISO weeks of {year}, ids {year}-W01 …, with their dates",
    "month": "the months of {year}, ids {year}-01 … {year}-12",
    "quarter": "the quarters of {year}, ids {year}-Q1 … {year}-Q4",
}
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def _empty_folder(folder: Path) -> Path:
    folder = folder.expanduser()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ParameterError(f"{folder} already exists and is not an empty folder; choose a new folder.")
    return folder


def campaign_id(folder: Path) -> str:
    """The campaign id a folder name gives ("Cà Mau 2026" -> "ca-mau-2026"-like ASCII; never empty)."""
    from dvctt.ingest.admin_units import fold_accents

    text = _SAFE_ID.sub("-", fold_accents(folder.name)).lower()[:100].strip("-._")  # dvctt.campaign.names.SAFE_NAME
    return text or "campaign"


def _csv(header: list[str] | tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _period_toml(period: Period, note: str = "") -> str:
    return (
        f"[[periods]]\nid = {_toml_string(period.id)}\nkind = {_toml_string(period.kind)}{note}\n"
        f'start = "{period.start:%Y-%m-%d}"\nend = "{period.end:%Y-%m-%d}"\n'
        f"label_vi = {_toml_string(period.label_vi)}\nlabel_en = {_toml_string(period.label_en)}\n"
    )


def _campaign_toml(
    cid: str, province: str, name: str, geography: str, year: int, kind: str = "year", today: date | None = None
) -> str:
    """campaign.toml: the baseline (the year before) and the year's periods of ``kind``; the default period is the
    one holding ``today`` (see :func:`dvctt.campaign.calendar.current`)."""
    levels = ", ".join(f'"{level}"' for level in GEOGRAPHY_LEVELS[geography])
    periods = calendar.year_periods(year, kind)
    default = calendar.current(periods, today or date.today())
    hint = "  # or campaign / week / month / quarter: `dvctt new --periods`" if kind == "year" else ""
    blocks = "\n".join(_period_toml(p, hint if kind == "year" else "") for p in periods)
    return f"""# Campaign folder written by `dvctt new` ({geography} geography). Edit the name, the periods and, when
# the campaign has them, the targets; then run `dvctt check <this folder>`. Every key is described in
# docs/en/reference/data-model.md.
id = "{cid}"
synthetic = false
province_code = "{province}"
baseline_period = "{year - 1}"     # what results are compared with
default_period = "{default.id}"{" " * max(1, 10 - len(default.id))}# the period reported when --period is not given
kpis = ["online", "digitized", "online_payment"]
levels = [{levels}]
# target_set = "campaign"          # uncomment when targets.csv holds rows with target_set = campaign
# deadline = "{year}-12-31"        # when the targets are due (progress report)

[name]
vi = {_toml_string(f"Dịch vụ công trực tuyến — {name} — năm {year}")}
en = {_toml_string(f"Online public services — {name} — {year}")}

# [plan]                           # the document that launched the campaign, if any
# number = "…/KH-UBND"
# date = "{year}-01-01"
# source_id = "plan"

{_period_toml(calendar.whole_year(year - 1, "baseline"))}
# The {len(periods)} reporting period(s) of {year} ({kind}); ingest each return with --period ID.
{blocks}"""


README = """# {name}: campaign folder written by `dvctt new`

Geography {geography}: levels {levels}. Units from the code list (PyPI package `vietnamadminunits` {version}):
{counts}. Provincial agencies: an EXAMPLE list of {n_agencies} ({province}.A01 …, `code_source = example`; no
source lists them) — left out of every report, template and ingest until you confirm them: edit the rows to the
agencies that report (codes are yours to choose, names as your documents print them), delete the others, and set
`code_source` to `project`.

Thư mục chiến dịch do `dvctt new` tạo. Các dòng cơ quan cấp tỉnh trong `units.csv` chỉ là VÍ DỤ (code_source =
example): sửa tên theo văn bản của tỉnh, xoá dòng không dùng, rồi đổi code_source thành project; chưa xác nhận thì
không có trong báo cáo.

What to fill, in this order (docs/en/reference/data-model.md describes every column):

1. `units.csv`: confirm the provincial agencies (see above).
2. `campaign.toml`: the name, the periods ({periods_note}), `target_set` and `deadline` if the campaign sets
   targets.
3. `sources.csv`: one row per document or file your figures come from.
4. `targets.csv` (optional): one row per level × KPI with the target in percent.
5. Figures: `dvctt template --campaign THIS_FOLDER --out bieu-nhap.xlsx`, let the units fill it, then
   `dvctt ingest FILE --campaign THIS_FOLDER --period PERIOD` (or write `observations.csv` /
   `reported_totals.csv` by hand; level-only figures from an article go in `reported_totals.csv`).
6. `dvctt check THIS_FOLDER` after every edit; `dvctt report --campaign THIS_FOLDER --all` to publish.
"""


def new_campaign(
    folder: str | os.PathLike[str],
    *,
    province: str | None = None,
    geography: str = "2025",
    from_campaign: str | None = None,
    year: int | None = None,
    periods: str = "year",
    today: date | None = None,
) -> Path:
    """Write a new campaign folder (see module docstring) and return it; it loads and passes ``dvctt check``."""
    target = _empty_folder(Path(folder))
    if from_campaign is not None:
        return _copy(from_campaign, target)
    if not province:
        raise ParameterError("dvctt new needs --province CODE (e.g. 96 for Cà Mau), or --from CAMPAIGN to copy one.")
    today = today or date.today()
    year = year or today.year
    calendar.year_periods(year, periods)  # an unknown kind stops here, before anything is written
    name, units = province_units(province, geography)
    cid = campaign_id(target)
    rows = [
        [f"{province}.A{i:02d}", "province", province, agency, agency, EXAMPLE, str(i), "analyst", "", EXAMPLE_NOTE]
        for i, agency in enumerate(AGENCIES[geography], 1)
    ]
    for level in GEOGRAPHY_LEVELS[geography][1:]:
        at_level = units[units["level"] == level]
        rows += [
            [u.code, level, u.parent_code, u.name, u.name, "gso-vietnamadminunits", str(i), "codelist", "", ""]
            for i, u in enumerate(at_level.itertuples(), 1)
        ]
    version = code_list_version()
    files = {
        "campaign.toml": _campaign_toml(cid, province, name, geography, year, periods, today),
        "sources.csv": _csv(
            list(SCHEMAS["sources"].columns),
            [
                [
                    "codelist",
                    "",
                    f"Danh mục đơn vị hành chính ({geography}), gói vietnamadminunits {version}",
                    "vietnamadminunits (PyPI, MIT)",
                    "",
                    "official codes and names of the province's units",
                ],
                [
                    "analyst",
                    "",
                    "Danh sách cơ quan cấp tỉnh do người phân tích lập",
                    "",
                    "",
                    "dvctt new ghi một danh sách ví dụ (code_source = example): sửa và xác nhận trong units.csv",
                ],
            ],  # fmt: skip
        ),
        "units.csv": _csv(list(SCHEMAS["units"].columns), rows),
        "observations.csv": _csv(OBSERVATION_COLUMNS, []),
        "targets.csv": _csv(list(SCHEMAS["targets"].columns), []),
        "reported_totals.csv": _csv(REPORTED_TOTAL_COLUMNS, []),
    }
    counts = ", ".join(f"{int((units['level'] == lv).sum())} {lv}" for lv in GEOGRAPHY_LEVELS[geography][1:])
    files["README.md"] = README.format(
        name=name, geography=geography, levels=", ".join(GEOGRAPHY_LEVELS[geography]), version=version,
        counts=counts, n_agencies=len(AGENCIES[geography]), province=province,
        periods_note=PERIODS_NOTE[periods].format(year=year),
    )  # fmt: skip
    assert set(TABLE_FILES.values()) <= set(files)
    target.mkdir(parents=True, exist_ok=True)
    for file, content in files.items():
        (target / file).write_text(content, encoding="utf-8")
    load_campaign(target)  # what was written must load
    return target


def _copy(source: str, target: Path) -> Path:
    """Copy a campaign (shipped or not) under a new id; its rejects and caches stay behind."""
    origin = paths.campaign_dir(source)
    shutil.copytree(origin, target, ignore=shutil.ignore_patterns("rejects", ".*"), dirs_exist_ok=True)
    toml = target / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    new_id = campaign_id(target)
    text, n = re.subn(r'(?m)^id\s*=\s*"[^"]*"', f'id = "{new_id}"', text, count=1)
    if n != 1:
        raise ParameterError(f"{toml}: no id line to rename.")
    toml.write_text(text, encoding="utf-8")
    load_campaign(target)
    return target
