"""The ``dvctt index`` subcommand (registered in :mod:`dvctt.cli.main`): from the portal's service-index export to
the report, for analysts who have no campaign folder.

``dvctt index FILE [FILE...] --scope H12`` reads every file (all problems printed with file, sheet, row, column
and value; any problem writes nothing), adds the scores to the index folder ``DIR/data`` (months accumulate
there, idempotently), renders ``DIR/index_report_<period>_<lang>.html`` with its workbook and CSV tables, and
writes the chat message ``DIR/message.txt``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from dvctt import paths
from dvctt.cli import index_counts
from dvctt.errors import DataValidationError, ParameterError
from dvctt.labels import LANGS

STORE_DIRNAME = "data"
DEFAULT_OUT = "index-766"  # under outputs/


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from exc


SHOWN_PROBLEMS = 40


def _line(problem: object) -> str:
    """File, sheet, row, column, value and the rule in Vietnamese and English."""
    if not hasattr(problem, "reason"):
        return str(problem)
    where = problem.file if problem.sheet is None else f"{problem.file}, sheet {problem.sheet!r}"  # type: ignore[attr-defined]
    if problem.row is not None:  # type: ignore[attr-defined]
        where += f", row {problem.row}"  # type: ignore[attr-defined]
    column = problem.column  # type: ignore[attr-defined]
    if column and problem.row is None and ("[" in column or "." in column):  # type: ignore[attr-defined]
        where += f", at {column}"  # a JSON path
    elif column:
        where += f", column {column!r}"
    value = "" if problem.value is None else f": {problem.value!r}"  # type: ignore[attr-defined]
    return f"{where}{value}: {problem.reason('vi')} / {problem.reason('en')}"  # type: ignore[attr-defined]


def _print_errors(error: DataValidationError) -> None:
    """Every problem (the first SHOWN_PROBLEMS, then how many more); nothing is written anywhere."""
    problems = list(getattr(error, "issues", None) or error.problems)
    print(f"dvctt index: {len(problems)} lỗi, không ghi gì / problem(s), nothing written:", file=sys.stderr)
    for problem in problems[:SHOWN_PROBLEMS]:
        print(f"  - {_line(problem)}", file=sys.stderr)
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        print(f"  ... và {more} lỗi khác / and {more} more", file=sys.stderr)


def run_index(args: argparse.Namespace) -> int:
    """Read, check, store, render; a malformed export or an unknown scope stops before anything is written."""
    import pandas as pd

    from dvctt.service_index import analysis as ix
    from dvctt.service_index.formats import expand, read_index_files_with_notes
    from dvctt.service_index.formats.provenance import split_period_options
    from dvctt.service_index.report import render_index_report
    from dvctt.service_index.store import load_index, save_index, to_tidy

    period_all, periods = split_period_options(args.period)
    files = expand([Path(f) for f in args.files])  # a folder: every answer in it
    counts_args = argparse.Namespace(**{**vars(args), "period": period_all})  # one plain --period for the counts
    if args.counts_only:  # the portal's counts only: into the campaign folder --store
        return 0 if index_counts.store_counts(counts_args, files) else 1
    try:
        exports, notes = read_index_files_with_notes(
            files, period=period_all, periods=periods, as_of=args.as_of, sheets=args.sheet or (), level=args.level
        )
    except DataValidationError as exc:
        _print_errors(exc)
        return 1
    _print_notes(notes)
    out_dir = (args.out or paths.OUTPUTS_DIR / DEFAULT_OUT).expanduser().resolve()
    store = (args.store or out_dir / STORE_DIRNAME).expanduser().resolve()
    known = ix.unit_totals(pd.concat([load_index(store), to_tidy(exports)], ignore_index=True))
    _refuse_bare_province(known, args.scope)
    scope = ix.resolve_scope(known, args.scope)  # before writing: an unknown scope writes nothing
    period = _report_period(exports, scope)
    if period is None:
        raise ParameterError(f"Unit {scope} has no scores in these files: choose the unit with --scope.")
    if args.store is not None:
        index_counts.store_counts(counts_args, files)  # a components bundle's counts: campaign figures in --store
    try:
        summary = save_index(store, exports, files, replace=args.replace, meta_id="index-766")
    except DataValidationError as exc:
        _print_errors(exc)
        return 1
    print("\n".join(index_counts.unit_lines(exports)))
    print(
        f"Index: {summary.added} unit-period(s) added, {summary.replaced} replaced, {summary.unchanged} unchanged "
        f"({', '.join(summary.periods)}) in {store}"
    )
    result = render_index_report(
        store, scope=scope, period=period, lang=args.lang, out_dir=out_dir,
        thresholds=(args.threshold_low, args.threshold_high),
    )  # fmt: skip
    print(f"Report: {result.html_path}")
    return _print_written(result)


def _print_notes(notes: list) -> None:
    """Warnings that keep the data (parts joined from several answers that do not add up, computed totals)."""
    if notes:
        print(f"dvctt index: {len(notes)} lưu ý / note(s), số liệu vẫn được giữ / the data are kept:", file=sys.stderr)
    for note in notes[:SHOWN_PROBLEMS]:
        print(f"  - {_line(note)}", file=sys.stderr)
    if len(notes) > SHOWN_PROBLEMS:
        print(f"  ... và {len(notes) - SHOWN_PROBLEMS} lưu ý khác / and more", file=sys.stderr)


def _refuse_bare_province(known, scope: str | None) -> None:  # noqa: ANN001 - a DataFrame, pandas imported lazily
    """A scope that is only the province prefix of the units read (their province's own row is not there)."""
    if not scope or (known["unit_code"].str.casefold() == scope.strip().casefold()).any():
        return
    inside = known[known["province_code"].str.casefold() == scope.strip().casefold()].drop_duplicates("unit_code")
    if inside.empty:
        return
    code = str(inside["province_code"].iloc[0])
    example = str(inside.sort_values("unit_code")["unit_code"].iloc[0])
    raise ParameterError(
        f"Scope {scope!r}: {code} is the province of the {len(inside)} agencies and communes read, but its own row "
        "is not in these files (a province's answer or sheet lists only its agencies and communes). Report on one "
        f"of them with its code (--scope {example}), or add a file that has the province's own row (the national "
        "answer service-results_national_…json or the provinces' export) and run again with --scope "
        f"{code}. / {code} là tỉnh của {len(inside)} sở, ngành và xã đã đọc, nhưng tệp không có dòng của chính "
        f"tỉnh: chọn một đơn vị (--scope {example}) hoặc đọc kèm tệp có dòng của tỉnh (câu trả lời cả nước)."
    )


def _report_period(exports, scope: str) -> str | None:  # noqa: ANN001 - a DataFrame
    """The latest period of the files in which the scope has a row: year, then the month reached (a year to date
    as of a date reaches that date's month), then year to date before quarter before month."""
    from dvctt.service_index.definition import PERIOD_KINDS, parse_period

    rows = exports[exports["unit_code"] == scope]
    if rows.empty:
        return None

    def key(row) -> tuple[int, int, int, str]:  # noqa: ANN001
        period = parse_period(row.period)
        reached = period.order if period.kind != "quarter" else 3 * period.order
        if period.kind == "ytd" and not period.order and row.as_of:
            reached = int(str(row.as_of)[5:7])
        return period.year, reached, PERIOD_KINDS.index(period.kind), str(row.as_of)

    return str(max(rows.itertuples(), key=key).period)


def run_index_report(args: argparse.Namespace) -> int:
    """``dvctt report --notebook index_report [--scope …] [--message]``: render from an index folder (a shipped
    id such as ``index-766``, a folder built by ``dvctt index``, or a campaign folder holding the index)."""
    from dvctt.service_index.report import render_index_report

    if args.unit or args.units:
        raise ParameterError("The index report takes --scope CODE|NAME, not --unit/--units.")
    result = render_index_report(args.campaign, scope=args.scope, period=args.period, lang=args.lang, out_dir=args.out)
    if args.message:
        print(result.message)
    print(f"Report ({result.period}, {result.lang}): {result.html_path}")
    return _print_written(result)


def _print_written(result) -> int:  # noqa: ANN001 - IndexReportResult, imported lazily
    """The files one index report wrote, one per line (the report's own line is printed by the caller)."""
    print(f"Workbook: {result.workbook_path}")
    for table in result.table_paths:
        print(f"Table: {table}")
    print(f"Message: {result.message_path}")
    if result.latest_message_path is not None:
        print(f"Message (latest): {result.latest_message_path}")
    print(f"Index: {result.index_path}")
    return 0


def _add_index(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index",
        help="turn the national portal's service-index export (Decision 766) into a report and a chat message",
        description="Read the service-index export(s) downloaded from the national public service portal (.xlsx "
        "or .csv, columns ID … ROW_STT), keep the scores in DIR/data (months accumulate), and write the report "
        "DIR/index_report_<period>_<lang>.html, its workbook, DIR/tables/index_scores.csv and DIR/message.txt. "
        "Any problem in a file is printed with file, sheet, row, column and value, and nothing is written.",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="the portal's files, recognised from their content: the 2025 export "
        "(.xlsx/.csv), 2025 records as JSON, the 2026 answers (service-results, the component endpoints or a bundle "
        "of them), a table copied from the portal's page; a folder means every file in it",
    )  # fmt: skip
    parser.add_argument(
        "--scope", metavar="CODE|NAME", help="the unit reported on: portal code (H12) or name (default: the only "
        "province in the files)",
    )  # fmt: skip
    parser.add_argument(
        "--sheet", metavar="NAME", action="append", help="read only this worksheet of the .xlsx files (repeat it "
        "to read several; a CSV is read whole)",
    )  # fmt: skip
    parser.add_argument(
        "--period", metavar="[NAME=]P", action="append", help="the period when a file or sheet does not state it: "
        "2025-10 (month), 2025-q3 (quarter), 2025-ytd-10 (year to the end of October) or 2025-ytd (year to date); "
        "NAME=P gives it to one file or sheet only (--period 'Tháng 10=2025-10'); repeat it for several",
    )  # fmt: skip
    parser.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD", help="the date the portal computed the scores")
    parser.add_argument(
        "--level", choices=("province", "agency", "commune"),
        help="the level of the units of sheets whose codes and names do not show it",
    )  # fmt: skip
    parser.add_argument("--lang", choices=LANGS, default="vi", help="report language (default: vi)")
    parser.add_argument("--out", type=Path, metavar="DIR", help=f"output folder (default: outputs/{DEFAULT_OUT})")
    parser.add_argument(
        "--store", type=Path, metavar="FOLDER", help="keep the scores in this index folder or campaign folder (a "
        "campaign folder's report then shows its KPIs beside the components; default: DIR/data)",
    )  # fmt: skip
    parser.add_argument(
        "--replace", action="store_true", help="replace scores of a unit and period that an earlier export gave"
    )
    index_counts.add_arguments(parser)
    parser.add_argument("--threshold-low", type=float, default=80.0, metavar="X", help="'cần cải thiện gấp' below X")
    parser.add_argument("--threshold-high", type=float, default=90.0, metavar="Y", help="'cần chú ý' below Y")
    parser.set_defaults(handler=run_index)


SUBCOMMANDS = (_add_index,)
