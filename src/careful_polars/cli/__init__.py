"""The ``careful`` command line: batch jobs over Parquet, CSV and NDJSON files.

Each subcommand lives in its own module with a ``register(subparsers)`` function; ``main`` wires
them together. Exit codes: 0 success, 1 a check failed its threshold, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from careful_polars.exceptions import CarefulError

__all__ = ["main"]


def _command_modules() -> list:  # type: ignore[type-arg]
    # imported here so `careful --help` stays fast and import errors name the command
    from careful_polars.cli import audit, dedup, neardup
    from careful_polars.cli import drift as drift_cmd
    from careful_polars.cli import lineage as _lineage_cli
    from careful_polars.cli import mix as mix_command

    return [
        audit,
        dedup,
        # --- near-duplicates ---
        neardup,
        # --- drift and realism ---
        drift_cmd,
        # --- sampling and mixing ---
        mix_command,
        # --- lineage and manifests ---
        _lineage_cli,
        # --- gates, PII and judges ---
        __import__("careful_polars.cli.gate", fromlist=["register"]),
    ]


def build_parser() -> argparse.ArgumentParser:
    """Return the ``careful`` argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="careful",
        description="Data-quality gates for synthetic and real training data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``careful`` command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except CarefulError as exc:
        print(f"careful {args.command}: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
