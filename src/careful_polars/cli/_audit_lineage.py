"""Audit sections ``provenance`` and ``isolation`` (lineage and evaluation isolation)."""

from __future__ import annotations

import polars as pl

from careful_polars.cli.audit import AuditContext, Section

__all__ = ["isolation_section", "provenance_section"]


def _named(column: str) -> pl.Expr:
    return (pl.col(column).is_not_null() & (pl.col(column) != "")).fill_null(False)


def provenance_section(ctx: AuditContext) -> Section:
    """Synthetic rows that cannot name their generator and prompt (missing provenance)."""
    section = Section(key="provenance", title="Provenance (synthetic rows name generator + prompt)")
    df = ctx.candidate
    is_synthetic = (
        (pl.col("source") == "synthetic").fill_null(False)
        if "source" in df.columns
        else pl.repeat(True, pl.len())
    )
    needed = [c for c in ("generator", "prompt_hash") if c not in df.columns]
    if needed:
        synthetic = missing = int(df.select(is_synthetic.sum()).item())
        section.lines.append(
            f"no provenance columns {needed}: all {synthetic:,} synthetic rows count as missing"
        )
    else:
        lacks = ~(_named("generator") & _named("prompt_hash"))
        counts = df.select(
            is_synthetic.sum().alias("synthetic"),
            (is_synthetic & lacks).sum().alias("missing"),
            (is_synthetic & ~_named("generator")).sum().alias("no_generator"),
            (is_synthetic & ~_named("prompt_hash")).sum().alias("no_prompt"),
        ).row(0, named=True)
        synthetic, missing = int(counts["synthetic"]), int(counts["missing"])
        section.lines.append(
            f"{missing:,} of {synthetic:,} synthetic rows lack provenance "
            f"(no generator: {counts['no_generator']:,}, no prompt_hash: {counts['no_prompt']:,})"
        )
        if missing and "ticket_id" in df.columns:
            sample = df.filter(is_synthetic & lacks).get_column("ticket_id").head(5).to_list()
            section.lines.append(f"e.g. {sample}")
    share = missing / synthetic if synthetic else 0.0
    section.metrics["missing_provenance_rows"] = float(missing)
    section.metrics["missing_provenance_share"] = share
    section.data["synthetic_rows"] = synthetic
    return section


def isolation_section(ctx: AuditContext) -> Section | None:
    """Candidate rows that are in the evaluation split (by example_id) or flagged not to train."""
    from careful_polars.lineage import leak_report

    if ctx.eval is None and not {"eval_exclusion", "never_train_on"} & set(ctx.candidate.columns):
        return None
    section = Section(
        key="isolation", title="Evaluation isolation (exact example_id overlap, flags)"
    )
    both_have_ids = "example_id" in ctx.candidate.columns and (
        ctx.eval is None or "example_id" in ctx.eval.columns
    )
    subset = None if both_have_ids else [ctx.text]
    leaks = leak_report(ctx.candidate, ctx.eval, subset=subset)
    by_check = {c: int(n) for c, n in leaks.group_by("check").len().iter_rows()}
    overlap = by_check.get("eval_overlap", 0)
    flagged = by_check.get("eval_exclusion", 0) + by_check.get("never_train_on", 0)
    generators = by_check.get("generator_overlap", 0)
    how = "stored example_id" if subset is None else f"content hash of {ctx.text!r}"
    if ctx.eval is not None:
        section.lines.append(
            f"{overlap:,} of {ctx.candidate.height:,} rows are in the eval split ({how})"
        )
    section.lines.append(f"{flagged:,} rows flagged eval_exclusion / never_train_on")
    if generators:
        section.lines.append(f"{generators:,} eval rows come from a generator used in training")
    if overlap and "ticket_id" in ctx.candidate.columns:
        rows = leaks.filter(pl.col("check") == "eval_overlap").get_column("row").head(5)
        section.lines.append(f"e.g. {ctx.candidate.get_column('ticket_id').gather(rows).to_list()}")
    section.lines.append(
        "edited copies are not exact matches: guard_training(near_duplicate_threshold=...) "
        "or the contamination check finds them"
    )
    section.metrics["eval_overlap_rows"] = float(overlap)
    section.metrics["eval_overlap_share"] = (
        overlap / ctx.candidate.height if ctx.candidate.height else 0.0
    )
    section.metrics["flagged_rows"] = float(flagged)
    section.metrics["eval_generator_overlap_rows"] = float(generators)
    section.data["leaks_by_check"] = by_check
    return section
