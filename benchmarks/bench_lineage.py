"""Lineage validation and dataset fingerprinting at scale.

Compares, on the same tagged frame (default 10M rows, half real, half synthetic):

- validation: ``careful_polars.validate_lineage`` (every column rule plus careful's frame-level
  checks: synthetic provenance, real without generator, and the tamper check that recomputes
  ``example_id``) against plain pandera with the same column schema and no frame-level checks,
  so the difference is the cost of careful's checks;
- fingerprinting: ``careful_polars.fingerprint`` over the stored ``example_id``s and over ids
  recomputed from the content, against what a user would otherwise write for an
  order-independent digest (sort the ids, SHA-256 the bytes).

Targets (issue 6): validation and fingerprinting of 10M rows <= 3 s each on 2 cores.

Run: ``PYTHONPATH=src python benchmarks/bench_lineage.py [--rows N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, machine_line, median_time, save, update_doc

import careful_polars as cp
from careful_polars._fingerprint import rows_fingerprint as _rows_fingerprint

TARGET_SECONDS = 3.0
WHEN = dt.datetime(2025, 1, 1)


def make_frame(rows: int) -> pl.DataFrame:
    half = rows // 2
    topics = ["billing", "login", "delivery", "refund", "account", "bug"]

    def texts(n: int, offset: int) -> pl.DataFrame:
        i = pl.int_range(offset, offset + n, dtype=pl.Int64)
        topic = pl.lit(pl.Series(topics)).get(i % len(topics))
        text = pl.format("ticket {} about {}: please help with my {}", i, topic, topic)
        return pl.select(text.alias("text"), (i % 4 + 1).cast(pl.Int8).alias("priority"))

    real = cp.tag_real(texts(half, 0), content="text", created_at=WHEN)
    syn = cp.tag_synthetic(
        texts(rows - half, half),
        generator="ticket-writer",
        generator_version="1.2",
        prompt="Write a support ticket about {topic}.",
        sampling_params={"temperature": 0.7},
        content="text",
        created_at=WHEN,
    )
    return pl.concat([real, syn]).rechunk()


_FRAME_CHECKS = {"synthetic_has_provenance", "real_has_no_generator", "example_id_matches_content"}


def schema_without_frame_checks(pandera_unique: bool) -> Any:
    """LineageSchema's columns, dtypes, nullability and value sets without the multi-column
    checks; uniqueness by pandera's ``unique=True`` (plain pandera) or careful's sort check."""
    import pandera.polars as pa

    from careful_polars._lineage_schema import LineageSchema

    def checks(column: Any) -> list[Any]:
        kept = [c for c in column.checks if c.name not in _FRAME_CHECKS]
        return [c for c in kept if c.name != "example_id_unique"] if pandera_unique else kept

    columns = {
        name: pa.Column(
            column.dtype,
            checks=checks(column),
            nullable=column.nullable,
            unique=pandera_unique and name == "example_id",
        )
        for name, column in LineageSchema.to_schema().columns.items()
    }
    return pa.DataFrameSchema(columns, strict=False, name="plain")


def sorted_sha256(df: pl.DataFrame) -> str:
    ids = df.get_column("example_id").sort().to_numpy()
    return hashlib.sha256(ids.tobytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-doc", action="store_true", help="a trial run: write neither the JSON nor the doc"
    )
    args = parser.parse_args()

    df = make_frame(args.rows)
    plain = schema_without_frame_checks(pandera_unique=True)
    rules_only = schema_without_frame_checks(pandera_unique=False)
    cp.validate_lineage(df.head(1000), content="text")  # compile kernels, build the model

    runs = {
        "validate_lineage (careful, all checks)": lambda: cp.validate_lineage(df, content="text"),
        "plain pandera, same columns, no frame-level checks": lambda: plain.validate(df, lazy=True),
        "careful schema without its frame-level checks": lambda: rules_only.validate(df, lazy=True),
        "fingerprint (stored example_id)": lambda: cp.fingerprint(df),
        "fingerprint (ids recomputed from content)": lambda: cp.fingerprint(df, content="text"),
        "fingerprint of every column (manifest rows_fingerprint)": lambda: _rows_fingerprint(df),
        "for reference: content_hash of all 15 columns, then fingerprint": lambda: cp.fingerprint(
            df, content=sorted(df.columns)
        ),
        "sort + SHA-256 of example_ids (peer)": lambda: sorted_sha256(df),
    }
    results: dict[str, dict[str, float]] = {}
    for name, fn in runs.items():
        results[name] = median_time(fn, repeats=args.repeats, warmup=1)
        print(f"{name:50s} {results[name]['median']:.3f} s", flush=True)

    careful_v = results["validate_lineage (careful, all checks)"]["median"]
    plain_v = results["plain pandera, same columns, no frame-level checks"]["median"]
    rules_v = results["careful schema without its frame-level checks"]["median"]
    fp_ids = results["fingerprint (stored example_id)"]["median"]
    fp_content = results["fingerprint (ids recomputed from content)"]["median"]
    peer_fp = results["sort + SHA-256 of example_ids (peer)"]["median"]
    fp_all = results["fingerprint of every column (manifest rows_fingerprint)"]["median"]
    fp_worst = max(fp_ids, fp_content)
    info = machine()

    def verdict(seconds: float) -> str:
        return "met" if seconds <= TARGET_SECONDS else "NOT met"

    payload = {
        "rows": args.rows,
        "repeats": args.repeats,
        "target_seconds": TARGET_SECONDS,
        "results": results,
        "frame_check_cost_seconds": careful_v - rules_v,
        "ratios": {
            "validate_vs_plain_pandera": careful_v / plain_v,
            "fingerprint_vs_sorted_sha256": fp_ids / peer_fp,
        },
        "targets_met": {
            "validation": careful_v <= TARGET_SECONDS,
            "fingerprint": fp_worst <= TARGET_SECONDS,
            "fingerprint_every_column": fp_all <= TARGET_SECONDS,
        },
    }
    if not args.no_doc:
        save("lineage", payload)
    rows_md = "\n".join(
        f"| {name} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} |"
        for name, r in results.items()
    )
    md = f"""
### Lineage validation and fingerprints (`benchmarks/bench_lineage.py`)

{args.rows:,} tagged rows (half real, half synthetic; a short `text` content column plus the
twelve lineage columns), medians of {args.repeats} runs after one warm-up. The machine was
shared with other jobs while this ran; compare ratios rather than absolute seconds.
{machine_line(info)}

| run | median s | min s | max s |
|---|---|---|---|
{rows_md}

- careful's multi-column checks (provenance, real-without-generator, the tamper check that
  recomputes `example_id`) cost {careful_v - rules_v:.2f} s over the same schema without them.
- Against plain pandera on the same columns (uniqueness by pandera's `unique=True`), full
  careful validation takes {careful_v / plain_v:.2f}x its time: careful checks uniqueness by
  sorting the ids, which pays for the extra checks.
- Fingerprint over stored ids: {fp_ids / peer_fp:.3f}x the time of sorting and hashing them.
- Targets (<= {TARGET_SECONDS:.0f} s at 10M rows): validation {careful_v:.2f} s
  ({verdict(careful_v)}), fingerprint {fp_worst:.2f} s ({verdict(fp_worst)}); the
  every-column fingerprint a manifest also records takes {fp_all:.2f} s ({verdict(fp_all)});
  it folds numbers by their raw bits because hashing all columns with `content_hash` takes
  {results["for reference: content_hash of all 15 columns, then fingerprint"]["median"]:.2f} s.
"""
    if not args.no_doc:
        update_doc("lineage", md)
    print(md)


if __name__ == "__main__":
    main()
