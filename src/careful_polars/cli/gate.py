"""``careful gate IN --config gates.toml --out DIR``: run a gate cascade over a file.

Writes ``kept.parquet``, ``rejected.parquet`` (the audit reject set), ``report.parquet`` and
``summary.json`` to DIR and prints the funnel. Exit code 1 when a gate rejected more than its
``max_rejected_share`` / ``max_rejected``; 2 on bad usage or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from careful_polars.exceptions import InvalidParameterError

__all__ = ["register"]


def _frames(args: argparse.Namespace) -> dict[str, Any]:
    from careful_polars.cli._io import scan

    frames: dict[str, Any] = {}
    if args.eval:
        frames["eval"] = scan(args.eval)
    if args.real:
        frames["real"] = scan(args.real)
    for item in args.frame:
        name, sep, path = item.partition("=")
        if not sep or not name:
            msg = f"--frame {item!r} is not NAME=PATH. Hint: e.g. --frame seeds=seeds.parquet"
            raise InvalidParameterError(msg)
        frames[name] = scan(path)
    return frames


def _run(args: argparse.Namespace) -> int:
    from careful_polars.cli._io import scan, stderr_progress
    from careful_polars.gates import Gates
    from careful_polars.gates._config import gates_from_config

    frame = scan(args.input)
    skipped: list[tuple[str, str]] = []
    gates = Gates(gates_from_config(args.config, _frames(args), skipped))
    result = gates.run(frame, progress=None if args.quiet else stderr_progress)
    out = result.write(args.out)
    if args.json:
        payload = {**result.summary(), "skipped": skipped, "out": str(out)}
        json.dump(payload, sys.stdout, indent=2, default=str)
        print()
    else:
        total = result.kept.height + result.rejected.height
        print(f"careful gate: {total:,} rows in, {result.kept.height:,} kept, "
              f"{result.rejected.height:,} rejected (written to {out})")  # fmt: skip
        print(result.funnel())
        for name, why in skipped:
            print(f"    skipped {name}: {why}")
        for line in result.failures:
            print(f"FAILED {line}")
    return 1 if result.failures else 0


def register(sub: Any) -> None:
    """Add ``gate`` to the ``careful`` subcommands."""
    p = sub.add_parser("gate", help="run an ordered gate cascade and keep every rejected row")
    p.add_argument("input", help="input file (Parquet, CSV or NDJSON)")
    p.add_argument("--config", required=True, help="gate cascade in TOML (see docs/gates.md)")
    p.add_argument("--out", required=True, help="directory for kept/rejected/report/summary")
    p.add_argument("--eval", help="evaluation split, available to the config as '@eval'")
    p.add_argument("--real", help="real reference data, available to the config as '@real'")
    p.add_argument(
        "--frame", action="append", default=[], metavar="NAME=PATH",
        help="another frame available to the config as '@NAME'; repeatable",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(run=_run)
