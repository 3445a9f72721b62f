"""The ``dvctt ingest``, ``dvctt validate`` and ``dvctt template`` subcommands (registered in :mod:`dvctt.cli.main`).

``ingest`` and ``validate`` take unit-level statistics files and dossier-level exports alike: a file with the
national portal's MaHoSo, DonViXuLy and NgayTiepNhan columns (or any file with ``--dossiers``) is counted over
the campaign's periods by :func:`dvctt.ingest.statistics.ingest_dossiers`.

Problems are printed one per line with file, row, column, value and the rule in Vietnamese and English. Any
rejected value makes the command exit 1 — loudly — even though ``ingest`` still keeps the valid rows.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from dvctt.errors import DataValidationError, IngestError

SHOWN_PROBLEMS = 50
PROBLEMS_FILE = "dvctt-{command}-problems.txt"  # the full list, when there are more than SHOWN_PROBLEMS


def _issue_line(issue) -> str:  # noqa: ANN001 - dvctt.ingest.messages.Issue, imported lazily
    where = issue.file if issue.sheet is None else f"{issue.file}, sheet {issue.sheet!r}"
    if issue.row is not None:
        where += f", row {issue.row}"
    if issue.column:
        where += f", column {issue.column!r}"
    value = "" if issue.value is None else f": {issue.value!r}"
    return f"{where}{value}: {issue.reason('vi')} / {issue.reason('en')}"


def _error_lines(error: DataValidationError) -> list[str]:
    issues = getattr(error, "issues", None)
    if issues:
        return [_issue_line(i) for i in issues]
    return [str(p) for p in error.problems]


def _print_problems(lines: list[str], command: str) -> None:
    """The first SHOWN_PROBLEMS lines; beyond that, a summary and the full list in a file of the working folder."""
    for line in lines[:SHOWN_PROBLEMS]:
        print(f"  - {line}", file=sys.stderr)
    if len(lines) > SHOWN_PROBLEMS:
        more = len(lines) - SHOWN_PROBLEMS
        full = Path.cwd() / PROBLEMS_FILE.format(command=command)
        try:
            full.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
            where = f" — danh sách đầy đủ / full list: {full}"
        except OSError:
            where = ""
        print(f"  ... và {more} lỗi khác / and {more} more{where}", file=sys.stderr)


def add_max_xlsx_mb(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-xlsx-mb",
        type=float,
        metavar="MB",
        help="largest uncompressed size of one part of an .xlsx (a worksheet's XML), in MB; the whole workbook may "
        "unzip to twice this (default 256, or the environment variable DVCTT_MAX_XLSX_MB): larger files are "
        "refused before they are read",
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--campaign",
        required=True,
        metavar="ID|DIR",
        help="id of a shipped campaign (data/campaigns/<id>) or path of a folder holding campaign.toml",
    )
    parser.add_argument(
        "--period",
        metavar="P",
        help="period id from campaign.toml (unless the file has a period column; for a dossier-level file, "
        "default: every period the dossiers cover whole)",
    )
    parser.add_argument(
        "--dossiers",
        action="store_const",
        const=True,
        default=None,
        help="read PATH as a dossier-level export (one row per dossier, .csv or .parquet); detected without this "
        "flag when the file has MaHoSo, DonViXuLy and NgayTiepNhan columns",
    )
    parser.add_argument(
        "--unit",
        metavar="CODE",
        help="unit code of units.csv that a statistics form by field (lĩnh vực) belongs to: its fields are read "
        "as a breakdown of that unit",
    )
    parser.add_argument("--sheet", metavar="NAME", help="read only this worksheet of an .xlsx file")
    parser.add_argument(
        "--accept-fuzzy",
        action="store_true",
        help="accept unit names that match a unit only with a small spelling difference (validate lists them)",
    )
    parser.add_argument("--encoding", metavar="CODEC", help="CSV text encoding, when detection is not enough")
    add_max_xlsx_mb(parser)
    scale = parser.add_mutually_exclusive_group()
    scale.add_argument(
        "--percent",
        dest="scale",
        action="store_const",
        const="percent",
        help="read rate columns whose values are all within 0–1 and carry no %% sign as percentages",
    )
    scale.add_argument(
        "--fraction",
        dest="scale",
        action="store_const",
        const="fraction",
        help="read those columns as fractions (0,5223 = 52,23%%)",
    )


def _run_ingest(args: argparse.Namespace) -> int:
    """Read one file, keep what is valid, and say loudly what was rejected."""
    from dvctt import paths
    from dvctt.campaign.commit import writer_lock
    from dvctt.campaign.loading import load_campaign
    from dvctt.ingest.save import ensure_writable, save_ingest
    from dvctt.ingest.statistics import ingest

    folder = paths.campaign_dir(args.campaign)
    ensure_writable(folder)  # shipped campaigns are read-only: stop before reading the file
    with writer_lock(folder):  # read, check and write with no other writer in between
        campaign = load_campaign(folder)
        result = ingest(
            args.path,
            campaign,
            args.period,
            sheet=args.sheet,
            scale=args.scale,
            encoding=args.encoding,
            replace=args.replace,
            dossiers=args.dossiers,
            unit=args.unit,
            accept_fuzzy=args.accept_fuzzy,
        )
        summary = save_ingest(result, campaign)
    for variant in result.variants:
        print(f"read: {variant}")
    for notice in result.notices:
        print(f"note: {notice}")
    if summary.skipped:
        shown = ", ".join(summary.skipped[:10]) + (
            f" … (+{len(summary.skipped) - 10})" if len(summary.skipped) > 10 else ""
        )
        print(
            f"note: {len(summary.skipped)} liên kết / tệp đặc biệt trong thư mục chiến dịch không được sao chép / "
            f"link(s) or special file(s) in the campaign folder not copied (not campaign data): {shown}",
            file=sys.stderr,
        )
    print(
        f"{result.path.name} -> {summary.folder}: {len(result.observations)} observations "
        f"({summary.observations_added} new, {summary.observations_replaced} updated), "
        f"{summary.totals_written} reported totals, source {result.source_id}"
        + ("" if summary.changed_files else " (nothing changed)")
    )
    if result.issues:
        n = len(result.issues)
        print(
            f"dvctt ingest: {n} giá trị bị loại, KHÔNG được nhập / {n} value(s) REJECTED, not ingested — "
            f"xem / see {summary.rejects_path}",
            file=sys.stderr,
        )
        _print_problems([_issue_line(i) for i in result.issues], "ingest")
        return 1
    return 0


def _add_ingest(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="bring a unit-level statistics file (CSV or XLSX) or a dossier-level export into a campaign folder",
        description="Read a unit-level statistics file (one row per unit), validate every value, upsert the "
        "valid observations into the campaign's observations.csv (key: unit × period × KPI), record the file in "
        "sources.csv and its printed totals in reported_totals.csv, and write rejected values to "
        "<campaign>/rejects/<file>.<hash>.rejects.csv. A dossier-level export (one row per dossier, CSV or Parquet) is "
        "counted into the campaign's units, KPIs and periods instead; dossiers of units missing from units.csv "
        "and invalid dossiers are left out and rejected with their counts. Exits 1 when anything was rejected. "
        "The input file is only read.",
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="the .csv, .xlsx or (dossier-level) .parquet file")
    _add_common(parser)
    parser.add_argument(
        "--replace", action="store_true", help="overwrite values that another source already gives (else rejected)"
    )
    parser.set_defaults(handler=_run_ingest)


def _cross_file_duplicates(results: Iterable) -> list[str]:  # noqa: ANN001 - IngestResult, imported lazily
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for result in results:
        for row in result.observations.itertuples(index=False):
            seen[(row.unit_code, row.period, row.kpi)].append(row.source_section)
    lines = []
    for (unit, period, kpi), places in seen.items():
        files = {p.split(",")[0] for p in places}
        if len(files) > 1:
            where = "; ".join(places)
            lines.append(
                f"{where}: trùng đơn vị × kỳ × chỉ tiêu ({unit}, {period}, {kpi}) giữa các tệp / duplicate unit × "
                f"period × indicator across files"
            )
    return lines


def _run_validate(args: argparse.Namespace) -> int:
    """Report every problem of every file; write nothing."""
    from dvctt.campaign.loading import load_campaign
    from dvctt.ingest.statistics import ingest

    campaign = load_campaign(args.campaign)
    lines: list[str] = []
    results = []
    for path in args.paths:
        try:
            result = ingest(
                path,
                campaign,
                args.period,
                sheet=args.sheet,
                scale=args.scale,
                encoding=args.encoding,
                dossiers=args.dossiers,
                unit=args.unit,
                accept_fuzzy=args.accept_fuzzy,
            )
        except IngestError as exc:
            lines += _error_lines(exc)
            continue
        results.append(result)
        for variant in result.variants:
            print(f"read: {variant}")
        lines += [_issue_line(i) for i in result.issues]
    lines += _cross_file_duplicates(results)
    if lines:
        print(f"dvctt validate: {len(lines)} lỗi / {len(lines)} problem(s):", file=sys.stderr)
        _print_problems(lines, "validate")
        return 1
    n_obs = sum(len(r.observations) for r in results)
    n_tot = sum(len(r.reported_totals) for r in results)
    print(f"OK: {len(results)} file(s), {n_obs} observations, {n_tot} reported totals, no problem / không có lỗi")
    return 0


def _add_validate(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check statistics files or dossier-level exports against a campaign without writing anything",
        description="Check unit-level statistics files and dossier-level exports exactly as `dvctt ingest` would "
        "read them and report every "
        "problem (file, row, column, value, rule in Vietnamese and English). Exits 1 on any problem, 0 when "
        "clean. Writes nothing.",
    )
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH", help=".csv, .xlsx or .parquet files")
    _add_common(parser)
    parser.set_defaults(handler=_run_validate)


def _run_template(args: argparse.Namespace) -> int:
    from dvctt.ingest.template import build_template
    from dvctt.ingest.template_form import build_form_template

    build = build_form_template if args.layout == "form" else build_template
    out = build(args.campaign, args.out, force=args.force)
    print(f"Template: {out}")
    return 0


def _add_template(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "template",
        help="write a blank input workbook (.xlsx) for a campaign's units",
        description="Write an .xlsx workbook with one sheet per level of the campaign (e.g. Cấp tỉnh / Cấp xã), the "
        "campaign's units pre-filled, and numerator, denominator and rate columns per KPI, ready for "
        "`dvctt ingest`; with --layout form, the statistics form 'tình hình, kết quả giải quyết TTHC' instead "
        "(counts only, three-row header, one section per level).",
    )
    parser.add_argument(
        "--layout",
        choices=("units", "form"),
        default="units",
        help="units: one sheet per level with numerator, denominator and rate per KPI (default); form: the "
        "standard statistics form of one-stop-shop systems",
    )
    parser.add_argument(
        "--campaign",
        required=True,
        metavar="ID|DIR",
        help="id of a shipped campaign (data/campaigns/<id>) or path of a folder holding campaign.toml",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="workbook to write")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(handler=_run_template)


SUBCOMMANDS = (_add_ingest, _add_validate, _add_template)
