"""``careful drift REFERENCE CURRENT [--by COL] [--json]``: distribution drift between two files.

REFERENCE is a Parquet / CSV / NDJSON file, or a profile saved with ``--save-profile`` (or
:meth:`careful_polars.Profile.save`), so a nightly job compares against a fixed real anchor
without re-reading it. Exit code 1 when ``--max-drifted-share`` is exceeded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from careful_polars.cli._io import scan
from careful_polars.drift import DriftReport, Profile, drift_report, profile
from careful_polars.exceptions import InvalidParameterError

__all__ = ["register"]


def _is_profile(path: str) -> bool:
    if Path(path).suffix.lower() not in (".parquet", ".pq") or not Path(path).exists():
        return False
    return "careful_polars.profile" in pl.read_parquet_metadata(path)


def _parse_thresholds(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            msg = f"--threshold {item!r} is not NAME=NUMBER. Hint: e.g. --threshold ks=0.2"
            raise InvalidParameterError(msg) from None
    return out


def _print_report(report: DriftReport, reference: str, current: str) -> None:
    frame = report.frame
    print(f"careful drift: {current} against {reference}")
    shown = frame.select(
        "column",
        *report.by,
        "feature",
        "method",
        pl.col("statistic").round(4),
        pl.col("p_value_adjusted" if report.correction else "p_value"),
        pl.col("effect_size").round(4),
        "threshold",
        "drifted",
    )
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_hide_dataframe_shape=True, tbl_width_chars=140):
        print(shown)
    over = (
        report.categories.filter((pl.col("ratio") >= 1.5) & (pl.col("cur_share") >= 0.01))
        .sort("ratio", descending=True)
        .head(10)
    )
    for row in over.iter_rows(named=True):
        where = "".join(f" [{b}={row[b]}]" for b in report.by)
        print(
            f"  over-represented {row['column']}={row['value']!r}{where}: "
            f"{row['cur_share']:.1%} vs {row['ref_share']:.1%}"
        )
    tokens = report.tokens.filter(pl.col("direction") == "over").head(10)
    if tokens.height:
        print("  over-represented tokens: " + ", ".join(tokens["token"].to_list()))
    print(
        f"drifted: {report.drifted_columns or 'none'}; "
        f"drifted share {report.drifted_share:.1%}"
        + (" (dataset drift)" if report.dataset_drifted else "")
    )


def _run(args: argparse.Namespace) -> int:
    by = args.by or None
    columns = args.columns or None
    reference: pl.LazyFrame | Profile
    if _is_profile(args.reference):
        reference = Profile.load(args.reference)
    else:
        reference = scan(args.reference)
    current = scan(args.current)
    if args.save_profile:
        if isinstance(reference, Profile):
            msg = "REFERENCE is already a profile. Hint: drop --save-profile."
            raise InvalidParameterError(msg)
        reference = profile(reference, columns, by=by)
        reference.save(args.save_profile)
    report = drift_report(
        reference,
        current,
        columns,
        by=by,
        thresholds=_parse_thresholds(args.threshold) or None,
        correction=args.correction,
        n_bins=args.bins,
    )
    failed = args.max_drifted_share is not None and report.drifted_share > args.max_drifted_share
    if args.json:
        payload: dict[str, Any] = {**report.to_dict(), "failed": failed}
        json.dump(payload, sys.stdout, indent=2, default=str)
        print()
    else:
        _print_report(report, args.reference, args.current)
        if failed:
            print(f"FAILED: drifted share exceeds {args.max_drifted_share:.3g}")
    return 1 if failed else 0


def register(sub: Any) -> None:
    """Add ``drift`` to the ``careful`` subcommands."""
    p = sub.add_parser("drift", help="compare the distribution of CURRENT with REFERENCE")
    p.add_argument("reference", help="reference data (Parquet/CSV/NDJSON) or a saved profile")
    p.add_argument("current", help="data to check (Parquet/CSV/NDJSON; read lazily)")
    p.add_argument("--by", nargs="+", help="stratum columns: one row per column and stratum")
    p.add_argument("--columns", nargs="+", help="columns to compare (default: all shared)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--correction", choices=["bh", "bonferroni"], help="multiple-testing")
    p.add_argument(
        "--threshold",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="effect-size threshold per method or column, or alpha; repeatable",
    )
    p.add_argument("--bins", type=int, default=10, help="quantile bins for PSI/JS/TVD")
    p.add_argument("--save-profile", metavar="PATH", help="also save the reference profile")
    p.add_argument(
        "--max-drifted-share",
        type=float,
        metavar="SHARE",
        help="exit 1 when the share of drifted columns exceeds SHARE",
    )
    p.set_defaults(run=_run)
