"""Audit sections: near-duplicates within the data, and contamination by the evaluation split."""

from __future__ import annotations

import polars as pl

from careful_polars.cli.audit import AuditContext, Section
from careful_polars.contamination import contamination_report
from careful_polars.neardup import lsh_params, mark_near_duplicates

__all__ = ["contamination_section", "near_duplicate_section"]

_THRESHOLD = 0.8


def near_duplicate_section(ctx: AuditContext) -> Section:
    """Clusters of rows whose texts have word 5-gram Jaccard >= 0.8 (verified exactly)."""
    n = ctx.candidate.height
    marked = mark_near_duplicates(ctx.candidate.select(ctx.text), ctx.text, threshold=_THRESHOLD)
    dups = marked.filter(~pl.col("is_representative"))
    near_only = dups.filter(pl.col("similarity") < 1.0).height
    clusters = dups["cluster_id"].n_unique()
    share = dups.height / n if n else 0.0
    bands, rows = lsh_params(_THRESHOLD, num_perm=128, fp_weight=0.02, fn_weight=0.98)
    lines = [
        f"rows in: {n:,}; word 5-grams, 128 permutations, {bands} bands x {rows} rows, "
        f"exact Jaccard verification",
        f"near-duplicates (Jaccard >= {_THRESHOLD}) of an earlier row: {dups.height:,} rows "
        f"({share:.2%}) in {clusters:,} clusters; {near_only:,} of them are not identical "
        f"after normalisation",
        "rejected by near_dedup(keep='first'): every row with Jaccard >= the threshold to a "
        "kept earlier row, with gate 'near_duplicate' and that kept row's example_id",
    ]
    top = (
        marked.filter(pl.col("cluster_id").is_in(dups["cluster_id"].unique().implode()))
        .group_by("cluster_id")
        .agg(pl.len().alias("rows"), pl.col("similarity").min().alias("lowest"))
        .sort(["rows", "cluster_id"], descending=[True, False])
        .head(3)
    )
    for row in top.iter_rows(named=True):
        first = marked.filter(
            (pl.col("cluster_id") == row["cluster_id"]) & pl.col("is_representative")
        )[ctx.text][0]
        preview = (first or "")[:60].replace("\n", " ")
        lines.append(f"  {row['rows']} rows (lowest Jaccard {row['lowest']:.2f}): {preview!r}")
    return Section(
        key="near_duplicates",
        title="Near-duplicates",
        lines=lines,
        metrics={
            "near_duplicate_rows": float(dups.height),
            "near_duplicate_share": share,
            "near_duplicate_clusters": float(clusters),
        },
        data={"threshold": _THRESHOLD, "not_identical": near_only},
    )


def contamination_section(ctx: AuditContext) -> Section | None:
    """Evaluation items found in the audited data (exact, near-duplicate, shared 13-gram)."""
    if ctx.eval is None:
        return None
    report = contamination_report(ctx.candidate, ctx.eval, ctx.text, threshold=_THRESHOLD)
    n_eval = ctx.eval.height
    counts = dict(report.group_by("kind").len().sort("kind").iter_rows()) if report.height else {}
    copies = report.filter(pl.col("kind") != "ngram_overlap")
    copy_rows = copies["train_ids"].explode().n_unique() if copies.height else 0
    share = report.height / n_eval if n_eval else 0.0
    lines = [
        f"evaluation rows: {n_eval:,}; leaking into the audited data: {report.height:,} "
        f"({share:.2%})",
        f"  exact copies: {counts.get('exact', 0):,}; near-duplicates (Jaccard >= "
        f"{_THRESHOLD}): {counts.get('near_duplicate', 0):,}; sharing a 13-word n-gram only: "
        f"{counts.get('ngram_overlap', 0):,} (on templated text, shared boilerplate counts too)",
        f"audited rows that copy an evaluation item (exact or near-duplicate): {copy_rows:,}; "
        f"drop them with split_contaminated or `careful contamination`",
    ]
    return Section(
        key="contamination",
        title="Contamination by the evaluation split",
        lines=lines,
        metrics={
            "contaminated_eval_items": float(report.height),
            "contaminated_eval_share": share,
            "eval_copy_rows": float(copy_rows),
            "eval_ngram_overlap_items": float(counts.get("ngram_overlap", 0)),
        },
        data={"by_kind": counts},
    )
