"""Audit section: drift and realism of the candidate against the real anchor (``--real``)."""

from __future__ import annotations

import polars as pl

from careful_polars.cli.audit import AuditContext, Section
from careful_polars.drift import drift_report
from careful_polars.realism import copied_from, detection_auc

__all__ = ["section"]

#: Rows used by the detection classifier inside the audit (it is a quick look, not a study:
#: a classifier that separates the sides at all does so on a few thousand rows).
_DETECTION_ROWS = 2_000
#: Cross-validation folds of the detection classifier inside the audit.
_DETECTION_CV = 2


def _columns(real: pl.DataFrame, candidate: pl.DataFrame) -> list[str]:
    """Shared columns, minus those empty on one side and those constant on each side.

    A column constant within each side (e.g. ``source = "real"`` / ``"synthetic"``) labels the
    side rather than describing the data, so it is not drift.
    """
    shared = [c for c in candidate.columns if c in set(real.columns)]
    stats = pl.concat(
        [
            f.select(
                pl.struct(
                    [
                        pl.struct(
                            pl.col(c).null_count().alias("nulls"),
                            pl.col(c).n_unique().alias("distinct"),
                        ).alias(c)
                        for c in shared
                    ]
                ).alias("s")
            ).unnest("s")
            for f in (real, candidate)
        ]
    )
    keep = []
    for c in shared:
        real_s, cand_s = stats[c][0], stats[c][1]
        empty = real_s["nulls"] == real.height or cand_s["nulls"] == candidate.height
        constant = real_s["distinct"] <= 1 and cand_s["distinct"] <= 1
        if not (empty or constant):
            keep.append(c)
    return keep


def section(ctx: AuditContext) -> Section | None:
    """Compare the candidate with the real data column by column, and try to tell them apart."""
    if ctx.real is None:
        return Section(
            key="drift",
            title="Drift and realism",
            lines=["skipped: no real reference (pass --real PATH)"],
        )
    real, cand = ctx.real, ctx.candidate
    columns = _columns(real, cand)
    report = drift_report(real, cand, columns)
    frame = report.frame
    tested = frame.filter(pl.col("method") != "skip")["column"].unique(maintain_order=True)
    lines = [
        f"columns compared: {tested.len()} ({', '.join(tested)}); "
        f"drifted: {report.drifted_columns or 'none'} "
        f"(drifted share {report.drifted_share:.1%})"
    ]
    metrics: dict[str, float] = {"drift_drifted_share": report.drifted_share}
    for row in frame.filter(pl.col("drifted")).iter_rows(named=True):
        what = row["column"] if row["feature"] == "value" else f"{row['column']}.{row['feature']}"
        lines.append(
            f"  drift in {what}: {row['method']} statistic {row['statistic']:.4g}, "
            f"effect {row['effect_size']:.3g} ({row['effect_size_name']}) "
            f">= threshold {row['threshold']:.3g}"
        )
    text_rows = frame.filter(pl.col("column") == ctx.text)
    for feature in ("char_length", "word_count", "oov_rate", "distinct_1", "distinct_2"):
        hit = text_rows.filter(pl.col("feature") == feature)
        if hit.height:
            metrics[f"drift_text_{feature}_effect"] = float(hit["effect_size"][0] or 0.0)
    shift = pl.col("cur_share") - pl.col("ref_share")
    over = (
        report.categories.filter((pl.col("ratio") >= 1.2) & (shift >= 0.015))
        .sort(shift, descending=True)
        .group_by("column", maintain_order=True)
        .head(3)
    )
    for row in over.iter_rows(named=True):
        lines.append(
            f"  over-represented {row['column']} = {row['value']!r}: {row['cur_share']:.1%} "
            f"of the candidate vs {row['ref_share']:.1%} of real ({row['ratio']:.2f}x)"
        )
    under = (
        report.categories.filter((pl.col("ratio") <= 0.5) & (pl.col("ref_share") >= 0.005))
        .sort("ratio")
        .group_by("column", maintain_order=True)
        .head(3)
    )
    for row in under.iter_rows(named=True):
        lines.append(
            f"  under-represented {row['column']} = {row['value']!r}: {row['cur_share']:.2%} "
            f"of the candidate vs {row['ref_share']:.2%} of real ({row['ratio']:.2f}x)"
        )
    metrics["drift_overrepresented_categories"] = float(over.height)
    tokens = report.tokens.filter(pl.col("direction") == "over").head(12)
    if tokens.height:
        lines.append("  over-represented tokens: " + ", ".join(tokens["token"].to_list()))
    if ctx.text in cand.columns and ctx.text in real.columns:
        copies = copied_from(real.select(ctx.text), cand.select(ctx.text), ctx.text)
        n_copies = int(copies["copied_from"].is_not_null().sum())
        share = n_copies / cand.height if cand.height else 0.0
        metrics["copied_real_share"] = share
        lines.append(f"rows whose {ctx.text!r} is a verbatim copy of a real row: {n_copies:,}")
    if not ctx.detection:
        lines.append(
            "detection AUC (can a classifier tell candidate from real?): not run; pass "
            "--detection (it loads scikit-learn, about a second)"
        )
        return Section(
            key="drift",
            title="Drift and realism",
            lines=lines,
            metrics=metrics,
            data={"report": report.to_dict()},
        )
    det_features = [c for c in columns if c != ctx.text and c in cand.columns]
    det = detection_auc(
        real,
        cand,
        features=[c for c in det_features if _usable_feature(frame, c)] or None,
        text=ctx.text if ctx.text in columns else None,
        cv=_DETECTION_CV,
        max_rows=_DETECTION_ROWS,
    )
    metrics["detection_auc"] = det.auc
    lines.append(
        f"detection AUC (can a classifier tell candidate from real? 0.5 = no): {det.auc:.3f}; "
        f"SDMetrics detection score {det.detection_score:.3f}"
    )
    prints = det.fingerprints.head(8)
    if prints.height:
        lines.append(
            "  fingerprints: "
            + ", ".join(
                f"{n} ({p})" for n, p in zip(prints["name"], prints["points_to"], strict=False)
            )
        )
    return Section(
        key="drift",
        title="Drift and realism",
        lines=lines,
        metrics=metrics,
        data={"report": report.to_dict(), "detection": det.to_dict()},
    )


def _usable_feature(frame: pl.DataFrame, column: str) -> bool:
    kinds = frame.filter(pl.col("column") == column)["kind"]
    return kinds.len() > 0 and kinds[0] in ("numeric", "categorical")
