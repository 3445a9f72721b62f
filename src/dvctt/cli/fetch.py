"""The ``dvctt fetch`` subcommand (registered in :mod:`dvctt.cli.main`): the portal's public 2026 answers for a
province (or all 34) and a period, kept unmodified in the index folder's ``raw/``, then read as ``dvctt index``
reads files (the same function, :func:`dvctt.cli.index.run_index`, with the same options and defaults).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dvctt import paths
from dvctt.cli import index as cli_index
from dvctt.labels import LANGS


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _tries(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return int(text)


def index_arguments(files: list[Path], args: argparse.Namespace) -> argparse.Namespace:
    """The ``dvctt index`` arguments for ``files``, parsed by the index command's own parser, so that fetch
    gets exactly its defaults (period and as-of come from each answer's sidecar)."""
    parser = argparse.ArgumentParser(prog="dvctt")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add in cli_index.SUBCOMMANDS:
        add(subparsers)
    argv = ["index", *map(str, files), "--out", str(args.out_dir), "--store", str(args.store_dir), "--lang", args.lang]
    scope = args.scope or (None if args.province.lower() == "all" else args.province.upper())
    argv += ["--scope", scope] if scope else []
    argv += ["--replace"] if args.replace else []
    return parser.parse_args(argv)


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch and keep every answer (printed as it is kept), then ingest them unless ``--no-ingest``."""
    from dvctt.service_index.fetch import FetchOptions, PortalClient, fetch_portal, portal_url

    if args.province.lower() == "all" and not args.scope and not args.no_ingest:
        from dvctt.errors import ParameterError

        raise ParameterError("--province all fetches 34 provinces: say which one the report is about with --scope.")
    args.out_dir = (args.out or paths.OUTPUTS_DIR / cli_index.DEFAULT_OUT).expanduser().resolve()
    args.store_dir = (args.store or args.out_dir / cli_index.STORE_DIRNAME).expanduser().resolve()
    options = FetchOptions(
        base_url=portal_url(args.base_url), timeout=args.timeout, tries=args.tries, backoff=args.backoff,
        pause=args.pause,
    )  # fmt: skip

    def said(kept) -> None:  # noqa: ANN001 - a KeptAnswer
        print(f"Kept: {kept.path} (HTTP {kept.status}, {kept.path.stat().st_size} bytes, {kept.fetched_at})")

    client = PortalClient(args.store_dir, options, on_kept=said)
    kept = fetch_portal(args.store_dir, args.province, args.period, components=args.components, client=client)
    print(f"Fetched: {len(kept)} answer(s) in {client.requests} request(s) from {options.base_url}")
    if args.no_ingest:
        return 0
    return cli_index.run_index(index_arguments([k.path for k in kept], args))


def _add_fetch(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fetch",
        help="fetch the national portal's public 2026 index answers, keep them as they came, and report",
        description="Ask the national public service portal's public index API (no login) for the national list "
        "and one province's units (or all 34), one request at a time with a pause, timeouts and retries; keep "
        "every answer unmodified in FOLDER/raw/ with its request and the fetch time (the as-of date the portal "
        "does not give); then read them as `dvctt index` does and write the report and the message.",
    )
    parser.add_argument("--province", required=True, metavar="CODE|all", help="portal province code (H01) or all")
    parser.add_argument(
        "--period", required=True, metavar="P", help="2026-ytd (year to date), 2026-q3 (a quarter) or 2026-02 "
        "(a month)",
    )  # fmt: skip
    parser.add_argument(
        "--components", action="store_true", help="also fetch each province's six component answers (transparency, "
        "progress, online provision, online payment, digitisation, satisfaction)",
    )  # fmt: skip
    parser.add_argument(
        "--base-url", metavar="URL", help="the portal's address (default: $DVCTT_PORTAL_URL, else the national "
        "portal); e.g. http://127.0.0.1:8766 for a replay server",
    )  # fmt: skip
    parser.add_argument("--timeout", type=_positive, default=60.0, metavar="S", help="seconds per request (60)")
    parser.add_argument("--tries", type=_tries, default=4, metavar="N", help="tries per request (4)")
    parser.add_argument("--backoff", type=_positive, default=2.0, metavar="S", help="first retry wait, doubling (2)")
    parser.add_argument("--pause", type=_positive, default=1.0, metavar="S", help="seconds between requests (1)")
    parser.add_argument("--no-ingest", action="store_true", help="only fetch and keep the answers")
    parser.add_argument("--scope", metavar="CODE|NAME", help="the unit reported on (default: the province)")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="report language (default: vi)")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help=f"output folder (default: outputs/{cli_index.DEFAULT_OUT})"
    )
    parser.add_argument(
        "--store", type=Path, metavar="FOLDER", help="the index folder (default: DIR/data); answers go in FOLDER/raw"
    )
    parser.add_argument("--replace", action="store_true", help="replace scores an earlier answer gave")
    parser.set_defaults(handler=run_fetch)


SUBCOMMANDS = (_add_fetch,)
