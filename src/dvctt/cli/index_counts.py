"""The portal's counts part of ``dvctt index`` (:mod:`dvctt.cli.index`): ``dvctt index BUNDLE --store CAMPAIGN``
writes a 2026 components bundle's counts into a campaign folder (created when new) and prints what it did: the
units matched and those that stay unmatched, the KPIs the answer cannot give, and the reconciliation of the
portal's printed ratios against its counts. ``--counts-only`` stores the counts without the index report."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from dvctt.errors import ParameterError


def store_counts(args: argparse.Namespace, files: list[Path]) -> int:
    """Store every components bundle among ``files`` in ``--store``; the number of bundles stored."""
    from dvctt.service_index import portal_counts
    from dvctt.service_index.portal_campaign import store_portal_counts

    bundles = [f for f in files if portal_counts.is_bundle(f)]
    if getattr(args, "counts_only", False) and not bundles:
        raise ParameterError("--counts-only needs a components bundle (the six component endpoints' answers in one "
                             "JSON file, keys SERVICE_RESULTS, TRANSPARENCY, …) among the files.")  # fmt: skip
    if bundles and args.store is None:
        raise ParameterError("The portal's counts go into a campaign folder: give it with --store CAMPAIGN.")
    for bundle in bundles:
        summary = store_portal_counts(bundle, args.store, period=args.period, as_of=args.as_of)
        print("\n".join(summary.lines()))
    return len(bundles)


def unit_lines(exports: pd.DataFrame) -> list[str]:
    """How the files' agencies and communes were matched to official units; every unmatched one listed."""
    from dvctt.service_index.units import unmatched_lines

    units = exports.drop_duplicates("unit_code")
    if not units["level"].isin(["agency", "commune"]).any():
        return []
    return unmatched_lines(units)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--counts-only", action="store_true", help="with --store CAMPAIGN: store the components bundle's counts "
        "(on time, online payment, digitisation per unit) as campaign figures, without the index report",
    )  # fmt: skip
