"""The analyst's own notebooks on the command line: `dvctt report --notebook PATH.ipynb` and `dvctt new-notebook`."""

from __future__ import annotations

import argparse
from pathlib import Path

from dvctt.errors import ParameterError

SHIPPED = ("campaign_report", "progress_report", "unit_report", "index_report")


def is_own(notebook: str | None) -> bool:
    """True when ``--notebook`` names a notebook file rather than one of the shipped reports."""
    return bool(notebook) and (notebook.endswith(".ipynb") or "/" in notebook or "\\" in notebook)


def check_notebook(notebook: str | None, parameters: list[list[str]] | None) -> None:
    """A shipped report's name or a .ipynb path; ``-p`` only goes with a notebook of one's own."""
    if notebook and not is_own(notebook) and notebook not in SHIPPED:
        raise ParameterError(
            f"--notebook {notebook!r}: one of {', '.join(SHIPPED)}, or the path of your own notebook (.ipynb)."
        )
    if parameters and not is_own(notebook):
        raise ParameterError("-p NAME VALUE sets a parameter of your own notebook: give --notebook PATH.ipynb.")


def run_own_report(args: argparse.Namespace) -> int:
    """Render the analyst's notebook and say where every file went."""
    from dvctt.publish.own_notebook import render_own_notebook

    if args.unit or args.scope or args.message or args.units:
        raise ParameterError("--unit, --scope, --message and --units go with the shipped reports; use -p NAME VALUE.")
    given: dict[str, str] = {}
    for name, value in args.parameters or []:
        if name in given:
            raise ParameterError(f"-p {name} is given twice.")
        given[name] = value
    result = render_own_notebook(
        args.notebook, args.campaign, period=args.period, lang=args.lang, parameters=given, out_dir=args.out
    )
    print(f"Report ({result.campaign_id}, {result.period}, {result.lang}): {result.html_path}")
    for table in result.table_paths:
        print(f"Table: {table}")
    if result.workbook_path:
        print(f"Workbook: {result.workbook_path}")
    print(f"Index: {result.index_path}")
    return 0


def add_parameter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="with --notebook PATH.ipynb: a parameter of its parameters cell, converted to the type declared there "
        "(repeatable)",
    )


def _run_new_notebook(args: argparse.Namespace) -> int:
    from dvctt.publish.render import open_campaign
    from dvctt.publish.starter import write_starter

    target = open_campaign(args.campaign)  # a campaign that exists, named as the notebook will receive it
    path = write_starter(args.name, target.reference, args.out)
    print(f"Notebook: {path}")
    print(f"Open it in JupyterLab, or publish it as it is: dvctt report --notebook {path} --campaign {args.campaign}")
    return 0


def _add_new_notebook(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new-notebook",
        help="write a starting notebook for your own report (parameters cell, load call, a sample chart)",
        description="Write NAME.ipynb: a notebook with a self-documenting parameters cell, the load call, a sample "
        "seaborn chart and the one-line hand-over of its table, which `dvctt report --notebook NAME.ipynb` "
        "publishes as it is. An existing file is never overwritten.",
    )
    parser.add_argument("name", metavar="NAME", help="the notebook's name (and its report's title)")
    parser.add_argument(
        "--campaign", required=True, metavar="ID|PATH", help="the campaign the notebook loads by default"
    )
    parser.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="folder to write into (default: .)")
    parser.set_defaults(handler=_run_new_notebook)


SUBCOMMANDS = (_add_new_notebook,)
