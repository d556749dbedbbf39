"""``careful mix``: build a training mix whose synthetic share never exceeds a cap."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, Any

import polars as pl

from careful_polars.exceptions import InvalidParameterError

if TYPE_CHECKING:
    from careful_polars.sampling import EmptyRealPolicy

__all__ = ["register"]


def _policy(value: str) -> EmptyRealPolicy:
    if value == "drop":
        return "drop"
    if value == "global":
        return "global"
    try:
        allowance = int(value)
    except ValueError:
        allowance = -1
    if allowance < 0:
        msg = (
            f"--empty-real {value!r} is not a policy. "
            "Hint: use drop, global or a non-negative integer allowance."
        )
        raise InvalidParameterError(msg)
    return allowance


def _run(args: argparse.Namespace) -> int:
    from careful_polars.cli._io import scan, write
    from careful_polars.sampling import mix

    real = scan(args.real)
    synthetic = scan(args.synthetic)
    result = mix(
        real.collect(),
        synthetic.collect(),
        args.max_synthetic_ratio,
        by=args.by or None,
        per_stratum=not args.overall_only,
        diversity=args.diversity,
        seed=args.seed,
        empty_real=_policy(args.empty_real),
        source=args.source,
    )
    write(result.frame, args.out)
    if args.dropped:
        write(result.dropped, args.dropped)
    if args.report:
        write(result.report, args.report)
    real_rows = int(result.report.get_column("real_after").sum())
    syn_before = int(result.report.get_column("synthetic_before").sum())
    syn_after = int(result.report.get_column("synthetic_after").sum())
    ratio = result.actual_ratio
    shown = "n/a" if ratio is None else f"{ratio:.4f}"
    print(
        f"careful mix: {real_rows:,} real + {syn_after:,} of {syn_before:,} synthetic rows "
        f"-> {args.out} (synthetic share {shown}, cap {args.max_synthetic_ratio:g}); "
        f"dropped {syn_before - syn_after:,}" + (f" -> {args.dropped}" if args.dropped else "")
    )
    if args.by:
        with pl.Config(tbl_rows=50, tbl_hide_dataframe_shape=True):
            print(
                result.report.select(
                    *args.by,
                    "real_after",
                    "synthetic_before",
                    "synthetic_after",
                    "actual_ratio",
                    "rule",
                )
            )
    return 0


def register(sub: Any) -> None:
    """Add ``mix`` to the ``careful`` subcommands."""
    p = sub.add_parser(
        "mix",
        help="mix real and synthetic rows under a maximum synthetic share",
        description=(
            "Keep every real row and downsample synthetic rows so that synthetic / "
            "(real + synthetic) <= --max-synthetic-ratio, overall and per --by stratum."
        ),
    )
    p.add_argument("real", help="real rows (Parquet/CSV/NDJSON)")
    p.add_argument("synthetic", help="synthetic rows (Parquet/CSV/NDJSON)")
    p.add_argument(
        "--max-synthetic-ratio", type=float, required=True, help="cap on the synthetic share"
    )
    p.add_argument(
        "--by", action="append", default=[], metavar="COL", help="stratum column; repeatable"
    )
    p.add_argument("--out", required=True, help="where to write the mix")
    p.add_argument("--dropped", help="where to write the dropped synthetic rows")
    p.add_argument("--report", help="where to write the per-stratum report")
    p.add_argument("--diversity", metavar="COL", help="cluster/bucket column to keep diverse")
    p.add_argument(
        "--empty-real",
        default="drop",
        metavar="POLICY",
        help="strata with no real rows: drop (default), global or an integer allowance",
    )
    p.add_argument(
        "--overall-only", action="store_true", help="enforce the cap overall, not per stratum"
    )
    p.add_argument("--source", default="source", help="real/synthetic column (default: source)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("-v", "--verbose", action="store_true", help="log the actual ratio")
    p.set_defaults(run=_run_logged)


def _run_logged(args: argparse.Namespace) -> int:
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    return _run(args)
