"""Row-level PII precision on real technical text from this machine (docs/pii.md).

Builds the corpus of tests/pii_real_corpus.py (man pages, /usr/share/doc changelogs and
copyright files, stdlib docstrings), runs ``find_pii``, and labels every flagged span with an
independent per-kind oracle (``label_span``: Python's ``ipaddress``, a Python Luhn/mod-97,
shape rules for addresses, keys and phones, and the context the span sits in). A row is a true
positive when at least one of its spans is labelled true. Prints a per-kind table as JSON.

    PYTHONPATH=src:. python tools/pii_real_eval.py [--per-source 20000] [--show KIND]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl
from tests.pii_real_corpus import real_corpus
from tests.pii_real_oracle import label_span

import careful_polars as cp


def evaluate(df: pl.DataFrame) -> tuple[dict[str, dict[str, float]], pl.DataFrame]:
    """Per-kind row-level precision of ``find_pii`` on ``df`` and the labelled spans."""
    found = df.with_row_index("_row").with_columns(p=cp.find_pii("text"))
    spans = (
        found.filter(pl.col("p").list.len() > 0)
        .explode("p")
        .select("_row", "source", pl.col("text").alias("row_text"), pl.col("p").struct.unnest())
    )
    labels = [
        label_span(r["kind"], r["text"], r["row_text"], r["start"], r["end"])
        for r in spans.iter_rows(named=True)
    ]
    spans = spans.with_columns(true=pl.Series(labels, dtype=pl.Boolean))
    table: dict[str, dict[str, float]] = {}
    rows = spans.group_by("_row").agg(pl.col("true").any())
    table["all"] = {
        "rows_scanned": df.height,
        "rows_flagged": rows.height,
        "rows_true": int(rows["true"].sum()),
        "precision": float(rows["true"].mean()) if rows.height else 1.0,  # type: ignore[arg-type]
    }
    for kind in cp.PII_KINDS:
        k = spans.filter(pl.col("kind") == kind).group_by("_row").agg(pl.col("true").any())
        table[kind] = {
            "rows_flagged": k.height,
            "rows_true": int(k["true"].sum()),
            "precision": float(k["true"].mean()) if k.height else 1.0,  # type: ignore[arg-type]
        }
    return table, spans


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-source", type=int, default=20_000)
    ap.add_argument("--show", default=None, help="print the spans of this kind")
    ap.add_argument("--false", action="store_true", help="only spans labelled false")
    args = ap.parse_args()
    df = real_corpus(args.per_source)
    table, spans = evaluate(df)
    print(json.dumps({"sources": dict(df["source"].value_counts().iter_rows()), **table}, indent=1))
    if args.show:
        sel = spans.filter(pl.col("kind") == args.show)
        if args.false:
            sel = sel.filter(~pl.col("true"))
        with pl.Config(tbl_rows=200, fmt_str_lengths=60):
            ctx = pl.col("row_text").str.slice((pl.col("start") - 25).clip(0), 80)
            print(sel.select("source", "text", "true", ctx.alias("context")).head(200))


if __name__ == "__main__":
    main()
