"""``careful validate``, ``careful manifest`` and ``careful diff``: lineage on the command line.

- ``careful validate PATH [--subset COL ...]``: check the lineage columns (exit 1 on failure);
  content columns default to those recorded in the manifest beside PATH.
- ``careful manifest PATH --name N --out FILE [...]``: write a manifest for PATH.
- ``careful diff OLD NEW``: compare two datasets by key, or two manifests (``*.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from careful_polars.exceptions import InvalidParameterError

__all__ = ["register"]


def _content_for(path: str, given: list[str] | None) -> list[str]:
    if given:
        return given
    from careful_polars.manifest import Manifest, manifest_path

    beside = manifest_path(path)
    if beside.exists():
        subset = Manifest.load(beside).subset
        if subset:
            return list(subset)
    msg = (
        f"no content columns for {path!r}. Hint: pass --subset COL (repeatable), or keep the "
        "dataset's manifest beside it."
    )
    raise InvalidParameterError(msg)


def _run_validate(args: argparse.Namespace) -> int:
    import pandera.errors

    from careful_polars.cli._io import scan
    from careful_polars.lineage import validate_lineage

    subset = _content_for(args.path, args.subset)
    frame = scan(args.path).collect()
    try:
        validate_lineage(frame, subset=subset)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        counts = cases.group_by("column", "check", maintain_order=True).len("failures")
        if args.json:
            json.dump({"valid": False, "failures": counts.rows(named=True)}, sys.stdout, indent=2)
            print()
        else:
            print(f"careful validate: {args.path}: lineage is INVALID ({cases.height} failure(s))")
            for column, check, n in counts.iter_rows():
                print(f"  {check} on {column}: {n}")
        return 1
    if args.json:
        json.dump({"valid": True, "rows": frame.height}, sys.stdout)
        print()
    else:
        print(f"careful validate: {args.path}: {frame.height:,} rows, lineage is valid")
    return 0


def _run_manifest(args: argparse.Namespace) -> int:
    from careful_polars.cli._io import scan
    from careful_polars.manifest import build_manifest

    m = build_manifest(
        scan(args.path),
        name=args.name,
        version=args.version,
        purpose=args.purpose or "",
        owner=args.owner,
        max_synthetic_ratio=args.max_synthetic_ratio,
        allowed_use=args.allowed_use or None,
        prohibited_use=args.prohibited_use or None,
        expires_at=args.expires_at,
        subset=args.subset or None,
        stratum=args.stratum,
    )
    out = m.save(args.out)
    if args.markdown:
        Path(args.markdown).write_text(m.to_markdown())
    print(f"careful manifest: wrote {out} ({m.rows:,} rows, fingerprint {m.fingerprint})")
    return 0


def _run_diff(args: argparse.Namespace) -> int:
    result: Any
    if args.old.endswith(".json") and args.new.endswith(".json"):
        from careful_polars.manifest import Manifest

        result = Manifest.load(args.old).diff(Manifest.load(args.new))
    else:
        from careful_polars.cli._io import scan
        from careful_polars.manifest import diff

        result = diff(scan(args.old), scan(args.new), key=args.key)
    if args.json:
        json.dump(result.summary, sys.stdout, indent=2, default=str)
        print()
    else:
        print(result.to_markdown(), end="")
    return 0


def register(sub: Any) -> None:
    """Add ``validate``, ``manifest`` and ``diff`` to the ``careful`` subcommands."""
    p = sub.add_parser("validate", help="check a dataset's lineage columns (LineageSchema)")
    p.add_argument("path", help="Parquet/CSV/NDJSON with lineage columns")
    p.add_argument(
        "--subset",
        action="append",
        help="content column hashed into example_id; repeatable (default: from the manifest)",
    )
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(run=_run_validate)

    p = sub.add_parser("manifest", help="write a manifest (data card with use limits)")
    p.add_argument("path", help="Parquet/CSV/NDJSON to describe")
    p.add_argument("--name", required=True, help="dataset name")
    p.add_argument("--out", required=True, help="manifest JSON file to write")
    p.add_argument("--version", default="1", help="dataset version (default: 1)")
    p.add_argument("--purpose", default="", help="what the dataset is for")
    p.add_argument("--owner", default="unknown", help="who answers for the dataset")
    p.add_argument("--subset", action="append", help="content column(s) of example_id")
    p.add_argument("--max-synthetic-ratio", type=float, help="cap on the synthetic share")
    p.add_argument("--allowed-use", action="append", help="allowed use; repeatable")
    p.add_argument("--prohibited-use", action="append", help="prohibited use; repeatable")
    p.add_argument("--expires-at", help="last day of use (ISO date)")
    p.add_argument("--stratum", help="column to count rows by")
    p.add_argument("--markdown", help="also write the data card as Markdown here")
    p.set_defaults(run=_run_manifest)

    p = sub.add_parser("diff", help="compare two datasets (by key) or two manifests")
    p.add_argument("old", help="old dataset, or old manifest (*.json)")
    p.add_argument("new", help="new dataset, or new manifest (*.json)")
    p.add_argument("--key", default="example_id", help="unique row key (default: example_id)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(run=_run_diff)
