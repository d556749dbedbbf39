"""``careful dedup IN --out OUT [--rejects REJ] [--subset ...]``: exact deduplication of a file."""

from __future__ import annotations

import argparse
from typing import Any

import polars as pl

from careful_polars.cli._io import scan, write
from careful_polars.hashing import split_duplicates

__all__ = ["register"]


def _run(args: argparse.Namespace) -> int:
    frame = scan(args.input)
    split = split_duplicates(
        frame, args.subset or None, normalize=args.normalize or None, keep=args.keep
    )
    kept, rejected = pl.collect_all([split.kept, split.rejected])
    write(kept, args.out)
    if args.rejects:
        write(rejected, args.rejects)
    total = kept.height + rejected.height
    print(
        f"careful dedup: {total:,} rows in, {kept.height:,} kept, "
        f"{rejected.height:,} exact duplicates rejected"
        + (f" (written to {args.rejects})" if args.rejects else "")
    )
    return 0


def register(sub: Any) -> None:
    """Add ``dedup`` to the ``careful`` subcommands."""
    p = sub.add_parser("dedup", help="drop exact duplicate rows of a Parquet/CSV/NDJSON file")
    p.add_argument("input", help="input file (Parquet, CSV or NDJSON; read lazily)")
    p.add_argument("--out", required=True, help="where to write the kept rows")
    p.add_argument("--rejects", help="where to write the rejected rows with their reasons")
    p.add_argument("--subset", nargs="+", help="columns that define a duplicate (default: all)")
    p.add_argument("--keep", choices=["first", "last", "none"], default="first")
    p.add_argument(
        "--normalize", action="store_true", help="normalise text columns before comparing"
    )
    p.set_defaults(run=_run)
