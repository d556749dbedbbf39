"""Audit section: exact duplicates of the text column, as is and after normalisation."""

from __future__ import annotations

import polars as pl

from careful_polars.cli.audit import AuditContext, Section
from careful_polars.hashing import mark_duplicates
from careful_polars.text import normalize_text

__all__ = ["section"]


def _count(frame: pl.DataFrame, text: str, normalize: bool) -> tuple[int, int, pl.DataFrame]:
    marked = mark_duplicates(
        frame.select(text), normalize=normalize_text if normalize else None, keep="first"
    )
    dups = marked.filter(pl.col("dup_of").is_not_null())
    groups = dups["dup_group"].n_unique()
    top = (
        dups.group_by("dup_group")
        .agg(pl.col(text).first(), (pl.len() + 1).alias("copies"))
        .sort(["copies", "dup_group"], descending=[True, False])
        .head(3)
    )
    return dups.height, groups, top


def section(ctx: AuditContext) -> Section:
    """Count rows whose text repeats an earlier row exactly (and after normalisation)."""
    n = ctx.candidate.height
    exact, groups, top = _count(ctx.candidate, ctx.text, normalize=False)
    normalised, _, _ = _count(ctx.candidate, ctx.text, normalize=True)
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
