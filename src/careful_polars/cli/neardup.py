"""``careful near-dedup`` and ``careful contamination``: near-duplicates within and across files."""

from __future__ import annotations

import argparse
from typing import Any

import polars as pl

from careful_polars.cli._io import scan, write
from careful_polars.contamination import contamination_report
from careful_polars.exceptions import InvalidParameterError
from careful_polars.neardup import split_near_duplicates

__all__ = ["register"]


def _verify(value: str) -> str | None:
    return None if value == "none" else value


def _check_text(frame: pl.LazyFrame, text: str, path: str) -> None:
    names = frame.collect_schema().names()
    if text not in names:
        msg = f"text column {text!r} is not in {path!r}. Hint: pass --text with one of {names}."
        raise InvalidParameterError(msg)


def _run_near_dedup(args: argparse.Namespace) -> int:
    frame = scan(args.input)
    _check_text(frame, args.text, args.input)
    split = split_near_duplicates(
        frame.collect(),
        args.text,
        threshold=args.threshold,
        num_perm=args.num_perm,
        ngram=args.ngram,
        unit=args.unit,
        verify=_verify(args.verify),  # type: ignore[arg-type]
        keep=args.keep,
        seed=args.seed,
    )
    kept, rejected = split.kept, split.rejected
    write(kept, args.out)
    if args.rejects:
        write(rejected, args.rejects)
    total = kept.height + rejected.height
    print(
        f"careful near-dedup: {total:,} rows in, {kept.height:,} kept, {rejected.height:,} "
        f"near-duplicates (Jaccard >= {args.threshold}) rejected"
        + (f" (written to {args.rejects})" if args.rejects else "")
    )
    return 0


def _run_contamination(args: argparse.Namespace) -> int:
    train, ev = scan(args.train), scan(args.eval)
    _check_text(train, args.text, args.train)
    _check_text(ev, args.text, args.eval)
    report = contamination_report(
        train,
        ev,
        args.text,
        threshold=args.threshold,
        ngram_overlap=args.ngram_overlap or None,
        num_perm=args.num_perm,
        ngram=args.ngram,
        seed=args.seed,
    )
    n_eval = ev.select(pl.len()).collect().item()
    counts = dict(report.group_by("kind").len().iter_rows()) if report.height else {}
    print(
        f"careful contamination: {report.height:,} of {n_eval:,} evaluation rows leak into "
        f"{args.train} (exact {counts.get('exact', 0):,}, near-duplicate "
        f"{counts.get('near_duplicate', 0):,}, shared {args.ngram_overlap}-gram "
        f"{counts.get('ngram_overlap', 0):,})"
    )
    if args.out:
        write(report, args.out)
    if args.fail and report.height:
        return 1
    return 0


def _shared(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text", default="text", help="text column (default: text)")
    p.add_argument("--threshold", type=float, default=0.8, help="Jaccard threshold (0.8)")
    p.add_argument("--num-perm", type=int, default=128, help="MinHash permutations (128)")
    p.add_argument("--ngram", type=int, default=5, help="shingle length in words (5)")
    p.add_argument("--seed", type=int, default=0, help="permutation seed (0)")


def register(sub: Any) -> None:
    """Add ``near-dedup`` and ``contamination`` to the ``careful`` subcommands."""
    p = sub.add_parser("near-dedup", help="drop near-duplicate rows (MinHash LSH + Jaccard)")
    p.add_argument("input", help="input file (Parquet, CSV or NDJSON)")
    p.add_argument("--out", required=True, help="where to write the kept rows")
    p.add_argument("--rejects", help="where to write the rejected rows with their reasons")
    _shared(p)
    p.add_argument("--unit", choices=["word", "char"], default="word")
    p.add_argument("--verify", choices=["jaccard", "signature", "none"], default="jaccard")
    p.add_argument("--keep", choices=["first", "longest"], default="first")
    p.set_defaults(run=_run_near_dedup)

    c = sub.add_parser("contamination", help="find evaluation rows that leak into training data")
    c.add_argument("train", help="training data file")
    c.add_argument("eval", help="evaluation data file")
    _shared(c)
    c.add_argument(
        "--ngram-overlap", type=int, default=13, help="shared word n-gram length (13; 0: off)"
    )
    c.add_argument("--out", help="write the per-item report here")
    c.add_argument("--fail", action="store_true", help="exit 1 when anything leaks")
    c.set_defaults(run=_run_contamination)
