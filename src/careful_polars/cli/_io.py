"""Reading and writing the file formats the command line accepts (lazily where possible)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

from careful_polars.exceptions import InvalidParameterError

__all__ = ["scan", "write"]

_SCANNERS: dict[str, Callable[..., pl.LazyFrame]] = {
    ".parquet": pl.scan_parquet,
    ".pq": pl.scan_parquet,
    ".csv": pl.scan_csv,
    ".ndjson": pl.scan_ndjson,
    ".jsonl": pl.scan_ndjson,
}


def _suffix(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _SCANNERS:
        msg = (
            f"cannot tell the format of {str(path)!r} from its suffix {suffix!r}. "
            f"Hint: use one of {sorted(_SCANNERS)}."
        )
        raise InvalidParameterError(msg)
    return suffix


def scan(path: str | Path) -> pl.LazyFrame:
    """Scan a Parquet, CSV or NDJSON file lazily, choosing the reader by suffix."""
    if not Path(path).exists():
        msg = f"input file {str(path)!r} does not exist. Hint: check the path."
        raise InvalidParameterError(msg)
    return _SCANNERS[_suffix(path)](path)


def write(frame: pl.DataFrame | pl.LazyFrame, path: str | Path) -> None:
    """Write a frame to Parquet, CSV or NDJSON, choosing the writer by suffix."""
    suffix = _suffix(path)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    if suffix in (".parquet", ".pq"):
        df.write_parquet(path)
    elif suffix == ".csv":
        df.write_csv(path)
    else:
        df.write_ndjson(path)


def stderr_progress(i: int, n: int, name: str, row: pl.DataFrame | None) -> None:
    """Print one progress line per gate to stderr (a ``progress`` callback)."""
    if row is None:
        print(f"[{i}/{n}] {name} ...", file=sys.stderr, flush=True)
    else:
        r = row.row(0, named=True)
        print(
            f"[{i}/{n}] {name}: {r['rows_in']:,} -> {r['rows_out']:,} "
            f"({r['rows_rejected']:,} rejected, {r['seconds']:.2f} s)",
            file=sys.stderr,
            flush=True,
        )
