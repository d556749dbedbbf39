"""Audit section: exact duplicates of the text column, as is and after normalisation."""

from __future__ import annotations

import polars as pl

from careful_polars.cli.audit import AuditContext, Section
from careful_polars.hashing import content_hash
from careful_polars.text import normalize_text

__all__ = ["section"]


def _count(frame: pl.DataFrame, text: str) -> tuple[int, int, int, pl.DataFrame]:
    """Rows repeating an earlier row (as is, and after normalisation), groups, top groups."""
    hashed = frame.select(
        pl.col(text),
        content_hash(text).alias("id"),
        content_hash(text, normalize=normalize_text).alias("norm_id"),
    )
    dups = hashed.filter(~pl.col("id").is_first_distinct())
    normalised = hashed.height - hashed["norm_id"].n_unique()
    top = (
        dups.group_by("id", maintain_order=True)
        .agg(pl.col(text).first(), (pl.len() + 1).alias("copies"))
        .sort("copies", descending=True, maintain_order=True)
        .head(3)
    )
    return dups.height, dups["id"].n_unique(), normalised, top


def section(ctx: AuditContext) -> Section:
    """Count rows whose text repeats an earlier row exactly (and after normalisation)."""
    n = ctx.candidate.height
    exact, groups, normalised, top = _count(ctx.candidate, ctx.text)
    share = exact / n if n else 0.0
    lines = [
        f"rows in: {n:,}",
        f"exact duplicates of {ctx.text!r}: {exact:,} rows ({share:.2%}) in {groups:,} groups",
        f"after normalize_text (case, Unicode, white space): {normalised:,} rows",
        "rejected by dedup(keep='first'): the later copies, each kept in the reject set with "
        "gate 'exact_duplicate' and the example_id it repeats",
    ]
    for row in top.iter_rows(named=True):
        preview = (row[ctx.text] or "")[:60].replace("\n", " ")
        lines.append(f"  {row['copies']} copies: {preview!r}")
    return Section(
        key="exact_duplicates",
        title="Exact duplicates",
        lines=lines,
        metrics={
            "exact_duplicate_rows": float(exact),
            "exact_duplicate_share": share,
            "normalized_duplicate_rows": float(normalised),
        },
        data={"groups": groups},
    )
