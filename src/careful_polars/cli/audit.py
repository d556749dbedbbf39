"""``careful audit``: run every available check on a dataset and print what it found.

The audit is a list of *sections*, one per capability, each a function from an
:class:`AuditContext` to a :class:`Section`. A section publishes named ``metrics``; a threshold
given with ``--max METRIC=VALUE`` fails the audit (exit code 1) when the metric exceeds it.
With no PATH the audit runs on the bundled example dataset
(:func:`careful_polars.datasets.support_tickets`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from careful_polars.exceptions import InvalidParameterError

__all__ = ["AuditContext", "Section", "register", "run_audit"]


@dataclass
class AuditContext:
    """What every audit section sees.

    ``candidate`` is the data under audit (the synthetic pool on the example dataset),
    ``real`` the real anchor and ``eval`` the evaluation split when given. ``detection``: train
    the real-vs-synthetic classifier (``careful audit`` does only with ``--detection`` or a
    ``detection_*`` threshold: importing scikit-learn alone takes about a second).
    """

    candidate: pl.DataFrame
    text: str
    real: pl.DataFrame | None = None
    eval: pl.DataFrame | None = None
    example: bool = False
    detection: bool = True


@dataclass
class Section:
    """One audit section's findings: readable lines, machine data and named metrics."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def _sections() -> list[Callable[[AuditContext], Section | None]]:
    from careful_polars.cli import (
        _audit_drift,
        _audit_exact,
        _audit_lineage,
        _audit_neardup,
        _audit_ratio,
    )

    return [
        _audit_exact.section,
        # --- near-duplicates ---
        _audit_neardup.near_duplicate_section,
        _audit_neardup.contamination_section,
        # --- drift and realism ---
        _audit_drift.section,
        # --- sampling and mixing ---
        _audit_ratio.section,
        # --- lineage and manifests ---
        _audit_lineage.provenance_section,
        _audit_lineage.isolation_section,
        # --- gates, PII and judges ---
        __import__("careful_polars.cli._audit_gates", fromlist=["section"]).section,
    ]


def _parse_thresholds(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            msg = (
                f"--max {item!r} is not METRIC=NUMBER. Hint: e.g. --max exact_duplicate_share=0.01"
            )
            raise InvalidParameterError(msg) from None
    return out


def run_audit(ctx: AuditContext) -> list[Section]:
    """Run every section on ``ctx`` and return their findings (sections may skip themselves)."""
    results = []
    for make in _sections():
        start = time.perf_counter()
        section = make(ctx)
        if section is not None:
            section.seconds = time.perf_counter() - start
            results.append(section)
    return results


def _load_context(args: argparse.Namespace) -> AuditContext:
    from careful_polars.cli._io import scan

    if args.path is None:
        from careful_polars.datasets import support_tickets

        data = support_tickets(
            n_real=args.n_real, n_synthetic=args.n_synthetic, n_eval=args.n_eval, seed=args.seed
        )
        return AuditContext(
            candidate=data.synthetic,
            real=data.real,
            eval=data.eval,
            text="text",
            example=True,
            detection=args.detection,
        )
    candidate = scan(args.path).collect()
    real = scan(args.real).collect() if args.real else None
    evaluation = scan(args.eval).collect() if args.eval else None
    if args.text not in candidate.columns:
        msg = (
            f"text column {args.text!r} is not in {args.path!r}. "
            f"Hint: pass --text with one of {candidate.columns}."
        )
        raise InvalidParameterError(msg)
    return AuditContext(
        candidate=candidate, real=real, eval=evaluation, text=args.text, detection=args.detection
    )


def _run(args: argparse.Namespace) -> int:
    thresholds = _parse_thresholds(args.max)
    args.detection = args.detection or any(name.startswith("detection") for name in thresholds)
    ctx = _load_context(args)
    sections = run_audit(ctx)
    metrics = {name: value for s in sections for name, value in s.metrics.items()}
    unknown = sorted(set(thresholds) - set(metrics))
    if unknown:
        msg = f"--max names unknown metrics {unknown}. Hint: use one of {sorted(metrics)}."
        raise InvalidParameterError(msg)
    failures = [
        f"{name} = {metrics[name]:.6g} exceeds {limit:.6g}"
        for name, limit in thresholds.items()
        if metrics[name] > limit
    ]
    if args.json:
        payload = {
            "rows": ctx.candidate.height,
            "example_dataset": ctx.example,
            "sections": {
                s.key: {"title": s.title, "metrics": s.metrics, "seconds": s.seconds, **s.data}
                for s in sections
            },
            "thresholds": thresholds,
            "failures": failures,
        }
        json.dump(payload, sys.stdout, indent=2, default=str)
        print()
    else:
        origin = "the bundled example dataset (synthetic pool)" if ctx.example else args.path
        print(f"careful audit: {ctx.candidate.height:,} rows from {origin}")
        for s in sections:
            print(f"\n== {s.title} ({s.seconds:.2f} s)")
            for line in s.lines:
                print(f"  {line}")
        if failures:
            print("\nFAILED thresholds:")
            for failure in failures:
                print(f"  {failure}")
        else:
            print("\nAll thresholds hold." if thresholds else "\nNo thresholds set (--max).")
    return 1 if failures else 0


def register(sub: Any) -> None:
    """Add ``audit`` to the ``careful`` subcommands."""
    p = sub.add_parser("audit", help="run every check on a dataset and print what it found")
    p.add_argument("path", nargs="?", help="Parquet/CSV/NDJSON to audit (default: example data)")
    p.add_argument("--real", help="real reference data to compare against")
    p.add_argument("--eval", help="evaluation split that must not leak into PATH")
    p.add_argument("--text", default="text", help="text column (default: text)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument(
        "--detection",
        action="store_true",
        help="also train a classifier to tell the data from --real (detection AUC; loads "
        "scikit-learn, about a second more); implied by --max detection_auc=...",
    )
    p.add_argument(
        "--max",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="fail (exit 1) when METRIC exceeds VALUE; repeatable",
    )
    # the example is a demonstration, sized so that a first run (kernels compiling) stays short;
    # every planted defect kind still shows up at these sizes
    p.add_argument("--n-real", type=int, default=3_000, help="example dataset: real rows")
    p.add_argument("--n-synthetic", type=int, default=3_000, help="example: synthetic rows")
    p.add_argument("--n-eval", type=int, default=300, help="example: evaluation rows")
    p.add_argument("--seed", type=int, default=0, help="example dataset seed")
    p.set_defaults(run=_run)
