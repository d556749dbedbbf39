"""The ``ratio`` section of ``careful audit``: synthetic share per stratum against a cap."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from careful_polars.cli.audit import AuditContext, Section

__all__ = ["AUDIT_CAP", "section"]

#: The synthetic share the audit checks against (the usual ceiling for a real-anchored mix).
AUDIT_CAP = 0.3
#: Stratum column used when present in both frames.
STRATUM = "intent"
#: Column marking real and synthetic rows of a mix.
SOURCE = "source"


def _is_mix(frame: pl.DataFrame) -> bool:
    if SOURCE not in frame.columns or frame.schema[SOURCE] != pl.String:
        return False
    values = set(frame.get_column(SOURCE).unique().to_list())
    return values <= {"real", "synthetic"} and "real" in values


def section(ctx: AuditContext) -> Section | None:
    """Synthetic share per intent against ``AUDIT_CAP``.

    The share is that of real + candidate, or, when the candidate is itself a mix (a
    ``source`` column of "real"/"synthetic" values, as ``careful mix`` writes), that of the
    candidate alone. Skipped when there is neither a real frame nor a mix.

    Metrics: ``max_synthetic_share`` (largest per-stratum share), ``synthetic_share`` (overall),
    ``strata_over_ratio_cap`` (strata above the cap) and ``ratio_cap_drop_share`` (share of the
    candidate rows ``careful mix`` would drop at the cap).
    """
    from careful_polars.cli.audit import Section
    from careful_polars.sampling import allowance, as_cap, ratio_report

    real, candidate = ctx.real, ctx.candidate
    whole = "real + candidate"
    if _is_mix(candidate):
        whole = "the mix under audit"
        # the data under audit is already a mix: audit its own real/synthetic share
        real = candidate.filter(pl.col(SOURCE) == "real")
        candidate = candidate.filter(pl.col(SOURCE) == "synthetic")
    elif real is None:
        return None
    by = STRATUM if STRATUM in real.columns and STRATUM in candidate.columns else None
    keep = [by] if by else []
    stacked = pl.concat(
        [
            real.select(*keep, pl.lit("real").alias("__source")),
            candidate.select(*keep, pl.lit("synthetic").alias("__source")),
        ]
    )
    report = ratio_report(stacked, source="__source", by=by, cap=AUDIT_CAP)
    table = report.report
    shares = table.get_column("synthetic_share").drop_nulls()
    max_share = float(shares.max()) if shares.len() else 0.0  # type: ignore[arg-type]
    over = table.filter(~pl.col("holds"))
    # what `mix` (default policy: strata without real rows keep no synthetic rows) would
    # drop, from the per-stratum counts alone: floor(cap * real / (1 - cap)) may stay
    allowed = allowance(as_cap(AUDIT_CAP), table.get_column("real").to_numpy())
    surplus = table.get_column("synthetic").to_numpy() - allowed
    dropped = int(surplus.clip(min=0).sum())
    drop_share = dropped / candidate.height if candidate.height else 0.0
    scope = f"per {by}" if by else "overall"
    lines = [
        f"synthetic share of {whole}: {report.actual_ratio or 0.0:.3f} overall, "
        f"max {max_share:.3f} {scope}; cap {AUDIT_CAP:g}",
        f"{over.height} of {table.height} strata exceed the cap; `careful mix` at "
        f"{AUDIT_CAP:g} would drop {dropped:,} candidate rows ({drop_share:.1%})",
    ]
    if by:
        worst = table.sort("synthetic_share", descending=True, nulls_last=True).head(5)
        for row in worst.iter_rows(named=True):
            lines.append(
                f"  {by}={row[by]}: {row['synthetic']:,} synthetic / {row['real']:,} real "
                f"-> share {row['synthetic_share'] or 0.0:.3f}"
            )
    return Section(
        key="ratio",
        title=f"Synthetic share {scope} (cap {AUDIT_CAP:g})",
        lines=lines,
        metrics={
            "max_synthetic_share": max_share,
            "synthetic_share": float(report.actual_ratio or 0.0),
            "strata_over_ratio_cap": float(over.height),
            "ratio_cap_drop_share": drop_share,
        },
        data={"cap": AUDIT_CAP, "by": by, "report": table.to_dicts()},
    )
