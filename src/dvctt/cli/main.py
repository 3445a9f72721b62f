"""The ``dvctt`` command line.

Each subcommand is one ``_add_<name>`` function that registers its parser and sets ``handler``; add it to
``SUBCOMMANDS``. Handlers import their heavy modules lazily so that ``dvctt --version`` stays instant.
Errors dvctt raises on purpose (DvcttError) print one message to stderr and exit 1, without a traceback;
usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import dvctt
from dvctt.cli import failures
from dvctt.cli import fetch as cli_fetch
from dvctt.cli import index as cli_index
from dvctt.cli import ingest as cli_ingest
from dvctt.cli import notebook as cli_notebook
from dvctt.cli import start as cli_start
from dvctt.errors import DvcttError, ParameterError
from dvctt.ingest.bounds import xlsx_limit
from dvctt.labels import LANGS


def _refuse_out_in_campaign(campaign: str, out: Path | None) -> None:
    """``--out`` inside the campaign folder (or any folder holding a campaign.toml) is refused: the reports would
    become campaign data, change its data hash at every render, and ``--all`` would render them again forever."""
    if out is None:
        return
    from dvctt import paths

    target = out.expanduser().resolve()
    given = Path(campaign).expanduser()
    folders = [given.resolve()] if given.is_dir() else []
    if not folders and (paths.CAMPAIGNS_DIR / campaign).is_dir():
        folders.append((paths.CAMPAIGNS_DIR / campaign).resolve())
    folders += [folder for folder in (target, *target.parents) if (folder / "campaign.toml").is_file()]
    for folder in folders:
        if target == folder or folder in target.parents:
            raise ParameterError(
                f"--out {out} lies inside the campaign folder {folder}: the reports would become campaign data (its "
                "data hash would change at every render, and --all would render again forever). Choose an output "
                "folder outside it, e.g. outputs/ / --out nằm trong thư mục chiến dịch: hãy chọn thư mục khác."
            )


def _run_report(args: argparse.Namespace) -> int:
    """Render one report and say where every file went, so the analyst can attach it to an e-mail."""
    cli_notebook.check_notebook(args.notebook, args.parameters)
    _refuse_out_in_campaign(args.campaign, args.out)
    if args.all:
        return _run_report_all(args)
    if cli_notebook.is_own(args.notebook):
        return cli_notebook.run_own_report(args)
    if args.notebook == "index_report" or args.scope or args.message:
        return cli_index.run_index_report(args)
    from dvctt.publish.render import render_report

    notebook = args.notebook or ("unit_report" if args.unit else "campaign_report")
    if args.units:
        raise ParameterError("--units LEVEL goes with --all (one unit report per unit of that level).")
    if notebook == "unit_report" or args.unit:
        args.unit = _checked_unit(args.campaign, args.unit)  # before any kernel starts
    extra = {"unit": args.unit} if args.unit else None
    result = render_report(
        args.campaign,
        period=args.period,
        lang=args.lang,
        out_dir=args.out,
        notebook=notebook,
        extra_parameters=extra,
        subject=args.unit or "",
    )
    print(f"Report ({result.campaign_id}, {result.period}, {result.lang}): {result.html_path}")
    for table in result.table_paths:
        print(f"Table: {table}")
    if result.workbook_path:
        print(f"Workbook: {result.workbook_path}")
    print(f"Index: {result.index_path}")
    return 0


def _checked_unit(campaign: str, unit: str | None) -> str:
    """The unit's code, checked against the campaign's units.csv; the message lists the valid codes."""
    from dvctt.campaign.loading import load_campaign
    from dvctt.report.progress_sections import resolve_unit

    loaded = load_campaign(campaign)
    if not unit:
        codes = ", ".join(loaded.units["unit_code"])
        raise ParameterError(f"The unit report needs --unit CODE; valid codes: {codes or 'none (no units)'}.")
    return str(resolve_unit(loaded, unit)["unit_code"])


def _run_report_all(args: argparse.Namespace) -> int:
    """Render the whole set of a period; list failures and exit 1 if any report failed."""
    from dvctt.publish.batch import render_all

    if args.unit or args.notebook:
        raise ParameterError("--all renders every report of the period; leave out --unit and --notebook.")
    result = render_all(
        args.campaign, period=args.period, lang=args.lang, out_dir=args.out, jobs=args.jobs, units_level=args.units,
        force=args.force,
    )  # fmt: skip
    print(f"{len(result.published)} report(s) published, {len(result.up_to_date)} up to date, in {result.out_dir}")
    for file, message in result.failed:
        print(f"FAILED {file}: {message}", file=sys.stderr)
    print(f"Index: {result.index_path}")
    if result.message_path is not None:
        print(f"Message (chat): {result.message_path}")
    return 0 if result.ok else 1


def _add_report(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="execute the report notebook and publish it as one self-contained HTML file",
        description="Execute the campaign report notebook for one period and language and write a "
        "self-contained HTML report, its tables as CSV, and an index of the reports in the output folder.",
    )
    parser.add_argument(
        "--campaign",
        required=True,
        metavar="ID|PATH",
        help="id of a shipped campaign (data/campaigns/<id>) or path of a folder holding campaign.toml",
    )
    parser.add_argument("--period", metavar="P", help="period id from campaign.toml (default: default_period)")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="report language (default: vi)")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: outputs/<campaign id>/, with --all .../<period>/; "
        "never inside a campaign folder)",
    )
    parser.add_argument(
        "--notebook",
        metavar="NAME|PATH.ipynb",
        help="which report to render: campaign_report (default), progress_report, unit_report (default with "
        "--unit), index_report (the service index of an index folder or of a campaign folder holding one), or "
        "the path of your own notebook",
    )
    cli_notebook.add_parameter_option(parser)
    parser.add_argument("--scope", metavar="CODE|NAME", help="for index_report: the unit reported on (e.g. H12)")
    parser.add_argument("--message", action="store_true", help="for index_report: print the chat message")
    parser.add_argument("--unit", metavar="CODE", help="the unit report of this unit (any unit of any level)")
    parser.add_argument(
        "--all",
        action="store_true",
        help="render the full set of the period: campaign, progress and one report per provincial agency and per "
        "unit with units under it, the notebooks listed in the campaign folder's reports.toml, an index.html and "
        "message.txt (the chat message: parts of at most 2,000 characters)",
    )
    parser.add_argument(
        "--units", metavar="LEVEL", help="with --all: one unit report per unit of this level instead (e.g. commune)"
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="with --all: reports rendered in parallel (default: cores)"
    )
    parser.add_argument(
        "--force", action="store_true", help="with --all: render every report, even those whose inputs have not changed"
    )
    parser.set_defaults(handler=_run_report)


def _run_synth(args: argparse.Namespace) -> int:
    """Write the synthetic province as a campaign folder and say how to render it."""
    from dvctt.synth.province import write_campaign

    folder = write_campaign(args.dossiers, args.seed, args.out)
    print(f"Synthetic campaign (Tỉnh Mô Phỏng, {args.dossiers:,} dossiers, seed {args.seed}): {folder}")
    print(f"Render it with: dvctt report --campaign {folder}")
    return 0


def _add_synth(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "synth",
        help="generate a synthetic province (Tỉnh Mô Phỏng) with dossier-level records as a campaign folder",
        description="Generate the fictional province Tỉnh Mô Phỏng (code 99): dossier-level records for a "
        "baseline year and a 10-week campaign, aggregated into a campaign folder that dvctt report accepts. "
        "The same --dossiers and --seed give byte-identical CSV files.",
    )
    parser.add_argument("--dossiers", type=int, default=200_000, metavar="N", help="dossiers (default 200000)")
    parser.add_argument("--seed", type=int, default=2023, metavar="S", help="random seed (default 2023)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="campaign folder to write")
    parser.set_defaults(handler=_run_synth)


SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_report,
    _add_synth,
    *cli_start.SUBCOMMANDS,
    *cli_ingest.SUBCOMMANDS,
    *cli_index.SUBCOMMANDS,
    *cli_fetch.SUBCOMMANDS,
    *cli_notebook.SUBCOMMANDS,
)


def build_parser() -> argparse.ArgumentParser:
    """The full parser; separate from main() so tests and docs can inspect it."""
    parser = argparse.ArgumentParser(
        prog="dvctt",
        description="Measure online public services campaigns and publish them as HTML reports.",
    )
    parser.add_argument("--version", action="version", version=f"dvctt {dvctt.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def _write_full_list(exc: DvcttError, command: str) -> None:
    """The message shows the first 50 problems; all of them go to a file in the working folder."""
    problems = getattr(exc, "problems", [])
    if len(problems) <= 50:
        return
    path = Path.cwd() / cli_ingest.PROBLEMS_FILE.format(command=command)
    try:
        path.write_text("".join(f"{p}\n" for p in problems), encoding="utf-8")
    except OSError:
        return
    print(f"  danh sách đầy đủ / full list: {path}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dvctt`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        with xlsx_limit(getattr(args, "max_xlsx_mb", None)):
            status = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except DvcttError as exc:
        print(f"dvctt {args.command}: error: {exc}", file=sys.stderr)
        _write_full_list(exc, args.command)
        return 1
    except KeyboardInterrupt:
        print("dvctt: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return failures.broken_pipe()
    except OSError as exc:
        if failures.debugging():
            raise
        print(f"dvctt {args.command}: error: {failures.os_error_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, the traceback in a log file
        if failures.debugging():
            raise
        print(failures.unexpected(exc, args), file=sys.stderr)
        return 1


def run() -> NoReturn:
    """The ``dvctt`` program: :func:`main` in a process that ends with it.

    A report loads about 160,000 long-lived objects (pandas, Jupyter, nbconvert) in a second or two. With
    CPython's default thresholds the collector scans all of them four times while they load and again as the
    interpreter exits: 0.6 s of a report, on the core that the report's own work waits for. Here a collection
    starts every 100,000 allocations instead of 700 (memory held by cycles is still freed), and what is alive
    at the end is frozen, so exiting does not scan it."""
    gc.set_threshold(100_000, 20, 100)
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
