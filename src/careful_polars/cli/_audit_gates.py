"""Audit section: the gate cascade of ``data/audit_gates.toml`` and its funnel."""

from __future__ import annotations

from importlib import resources
from typing import Any

import polars as pl

from careful_polars.cli.audit import AuditContext, Section

__all__ = ["section"]


def _config() -> dict[str, Any]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    text = resources.files("careful_polars").joinpath("data/audit_gates.toml").read_text()
    config: dict[str, Any] = tomllib.loads(text)
    return config


def section(ctx: AuditContext) -> Section:
    """Run the audit cascade on the candidate data; print the funnel and what each gate caught."""
    from careful_polars.gates import Gates
    from careful_polars.gates._config import gates_from_config

    config = _config()
    config["text"] = ctx.text
    frames = {k: v for k, v in (("real", ctx.real), ("eval", ctx.eval)) if v is not None}
    skipped: list[tuple[str, str]] = []
    result = Gates(gates_from_config(config, frames, skipped)).run(ctx.candidate)
    n = ctx.candidate.height
    lines = [f"rows in: {n:,}; kept {result.kept.height:,}; rejected {result.rejected.height:,}"]
    lines += result.funnel().splitlines()
    lines += [f"    skipped {name}: {why}" for name, why in skipped]
    # what each gate caught: reasons with their specifics (quotes, ids, numbers) folded
    kind = (
        pl.col("_careful_reason")
        .str.replace_all(r'"[^"]*"', '"..."')
        .str.replace_all(r"\([^)]*\)", "(...)")
        .str.replace_all(r"[0-9]+", "N")
        .str.replace(r":\s.*$", ": ...")
        .alias("_careful_reason")
    )
    caught = (
        result.rejected.select("_careful_gate", kind)
        .group_by("_careful_gate", "_careful_reason", maintain_order=True)
        .len()
        .sort("len", descending=True, maintain_order=True)
    )
    metrics = {
        "gates_rejected_rows": float(result.rejected.height),
        "gates_rejected_share": result.rejected.height / n if n else 0.0,
        "gates_failed": float(len(result.failures)),
    }
    for row in result.report.iter_rows(named=True):
        top = caught.filter(pl.col("_careful_gate") == row["gate"]).head(3)
        for reason, count in top.select("_careful_reason", "len").iter_rows():
            lines.append(f"  {row['gate']}: {count:,} x {str(reason)[:70]!r}")
        metrics[f"gate_{row['gate']}_rejected"] = float(row["rows_rejected"])
        metrics[f"gate_{row['gate']}_share"] = float(row["rejected_share"])
    return Section(
        key="gates",
        title="Gate cascade",
        lines=lines,
        metrics=metrics,
        data={"report": result.report.to_dicts(), "skipped": skipped},
    )
