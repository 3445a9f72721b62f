"""The ``dvctt new`` and ``dvctt check`` subcommands (registered in :mod:`dvctt.cli.main`): start a campaign folder
from the code list or from another campaign, and validate a folder without rendering it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dvctt.campaign.calendar import PERIOD_CHOICES
from dvctt.errors import DataValidationError


def _run_new(args: argparse.Namespace) -> int:
    from dvctt.ingest.check import check_campaign
    from dvctt.ingest.scaffold import new_campaign

    folder = new_campaign(
        args.dir,
        province=args.province,
        geography=args.geography,
        from_campaign=args.source,
        year=args.year,
        periods=args.periods,
    )
    summary = check_campaign(folder)
    print(f"Campaign folder: {folder}")
    print("\n".join(summary.lines()))
    print(f"Next: read {folder / 'README.md'}, then `dvctt template --campaign {folder} --out bieu-nhap.xlsx`.")
    return 0


def _add_new(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new",
        help="start a campaign folder: official units of a province from the code list, or a copy of a campaign",
        description="Write a campaign folder: campaign.toml with the levels of the geography (2025: provincial "
        "agencies and communes/wards; 2023: agencies, districts, communes), the province's official units and codes "
        "from the code list (offline), the year's periods (--periods), a short editable list of provincial "
        "agencies, empty tables and a README. "
        "With --from, copy an existing campaign instead (the way to get a writable copy of a shipped one).",
    )
    parser.add_argument("dir", type=Path, metavar="DIR", help="the new campaign folder (must not exist, or be empty)")
    parser.add_argument("--province", metavar="CODE", help="GSO province code, e.g. 96 for Cà Mau")
    parser.add_argument(
        "--geography", choices=("2025", "2023"), default="2025", help="administrative units of (default: 2025)"
    )
    parser.add_argument(
        "--periods",
        choices=PERIOD_CHOICES,
        default="year",
        help="the year's reporting periods in campaign.toml: ISO weeks with their dates, months or quarters, after a "
        "baseline (the year before); the progress report has a series from the second one on (default: year, one "
        "period)",
    )
    parser.add_argument("--year", type=int, metavar="YEAR", help="the campaign's year (default: this year)")
    parser.add_argument("--from", dest="source", metavar="CAMPAIGN", help="copy this campaign (id or folder)")
    parser.set_defaults(handler=_run_new)


def _run_check(args: argparse.Namespace) -> int:
    from dvctt.ingest.check import check_campaign

    try:
        summary = check_campaign(args.campaign)
    except DataValidationError as exc:
        print(f"dvctt check: {exc}", file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    return 0


def _add_check(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate a whole campaign folder without rendering (exit 0 when valid, 1 with every problem)",
        description="Check every table, every cross-table rule, the levels, unit codes, periods and targets of a "
        "campaign folder in seconds, without rendering a report. Problems name the file, row, column and value.",
    )
    parser.add_argument("campaign", metavar="CAMPAIGN", help="id of a shipped campaign or path of a campaign folder")
    parser.set_defaults(handler=_run_check)


SUBCOMMANDS = (_add_new, _add_check)
