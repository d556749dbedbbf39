"""The shared MinHash engine: scheme, permutations, shingle sets and band keys.

Near-duplicates (:mod:`careful_polars.neardup`), contamination and the persistent index all
compute signatures through this one module, so the three agree on every step of the scheme
described in :mod:`careful_polars.neardup` and versioned by :data:`SCHEME_VERSION`. Internal:
nothing here is public API.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, cast

import numpy as np
import polars as pl
import pyarrow as pa

from careful_polars._arrow import string_pieces
from careful_polars._utils import check_in
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

__all__ = [
    "SCHEME_VERSION",
    "Normalize",
    "Scheme",
    "ShingleSets",
    "as_text",
    "band_key_matrix",
    "byte_tables",
    "example_ids",
    "permutations",
    "shingle_sets",
    "signature_arrays",
    "signature_series",
]

#: Version of the signature scheme (tokens, shingles, shingle hash, permutations).
SCHEME_VERSION = "careful-minhash-1"

Normalize = bool | Literal["unicode"]

_UNITS = ("word", "char")
_ID = "example_id"


def byte_tables(normalize: bool) -> tuple[np.ndarray, np.ndarray]:
    """``kind`` (1 = separator) and ``fold`` (byte map) tables of the tokeniser."""
    kind = np.zeros(256, dtype=np.uint8)
    fold = np.arange(256, dtype=np.uint8)
    for c in b" \t\n\v\f\r":
        kind[c] = 1
    if normalize:
        for c in range(128):
            if not chr(c).isalnum():
                kind[c] = 1
        fold[ord("A") : ord("Z") + 1] += 32
    return kind, fold


@lru_cache(maxsize=32)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(a, b)`` of datasketch's affine32 scheme for ``(num_perm, seed)``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


@dataclass(frozen=True)
class Scheme:
    num_perm: int
    ngram: int
    unit: str
    normalize: Normalize
    seed: int

    def check(self) -> None:
        if not isinstance(self.num_perm, int) or not 1 <= self.num_perm <= 1 << 16:
            msg = f"num_perm={self.num_perm!r} is not a positive integer. Hint: use e.g. 128."
            raise InvalidParameterError(msg)
        if not isinstance(self.ngram, int) or self.ngram < 1:
            msg = f"ngram={self.ngram!r} is not a positive integer. Hint: use e.g. 5 (words)."
            raise InvalidParameterError(msg)
        check_in("unit", self.unit, _UNITS)
        check_in("normalize", self.normalize, (True, False, "unicode"))
        if not isinstance(self.seed, int) or not 0 <= self.seed < 1 << 32:
            msg = f"seed={self.seed!r} is not an integer in [0, 2**32). Hint: use e.g. 42."
            raise InvalidParameterError(msg)

    @property
    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        return byte_tables(self.normalize is not False)

    def text_expr(self, expr: pl.Expr) -> pl.Expr:
        if self.normalize == "unicode":
            from careful_polars.text import normalize_text

            return normalize_text(expr)
        return expr

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": SCHEME_VERSION,
            "num_perm": self.num_perm,
            "ngram": self.ngram,
            "unit": self.unit,
            "normalize": self.normalize,
            "seed": self.seed,
        }


def as_text(series: pl.Series) -> pl.Series:
    if series.dtype in (pl.Categorical, pl.Enum):
        return cast(pl.Series, series.cast(pl.String))
    if series.dtype not in (pl.String, pl.Binary, pl.Null):
        msg = (
            f"column {series.name!r} has dtype {series.dtype}, not text. "
            f"Hint: near-duplicates work on String columns; cast with pl.col(...).cast(pl.String)."
        )
        raise DtypeNotSupportedError(msg)
    if series.dtype == pl.Null:
        return cast(pl.Series, series.cast(pl.String))
    return series


def signature_arrays(series: pl.Series, scheme: Scheme) -> tuple[np.ndarray, np.ndarray]:
    """``(signatures (n, num_perm) uint32, ok (n,) bool)`` of a text Series."""
    from careful_polars._kernels.minhash import signatures

    series = as_text(series)
    n = len(series)
    out = np.empty((n, scheme.num_perm), dtype=np.uint32)
    ok = np.zeros(n, dtype=np.bool_)
    a, b = permutations(scheme.num_perm, scheme.seed)
    kind, fold = scheme.tables
    for off, buf in string_pieces(series):
        m = buf.length
        signatures(
            buf.layout, buf.main_addr, buf.buf_addrs, buf.validity_addr, buf.validity_offset, m,
            scheme.ngram, scheme.unit == "char", kind, fold, a, b,
            out[off : off + m], ok[off : off + m],
        )  # fmt: skip
    return out, ok


def signature_series(series: pl.Series, scheme: Scheme) -> pl.Series:
    sigs, ok = signature_arrays(series, scheme)
    values = pa.array(sigs.reshape(-1), type=pa.uint32())
    arr = pa.FixedSizeListArray.from_arrays(values, scheme.num_perm, mask=pa.array(~ok))
    out = pl.from_arrow(arr)
    assert isinstance(out, pl.Series)
    return out.alias(series.name)


def band_key_matrix(
    series: pl.Series, scheme: Scheme, bands: int, rows: int, keep_signatures: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(keys (bands, n) uint64, ok, signatures or None)``; signatures are dropped piecewise."""
    from careful_polars._kernels.minhash import band_keys, signatures

    series = as_text(series)
    n = len(series)
    keys = np.empty((bands, n), dtype=np.uint64)
    ok = np.zeros(n, dtype=np.bool_)
    sigs_all = np.empty((n, scheme.num_perm), dtype=np.uint32) if keep_signatures else None
    a, b = permutations(scheme.num_perm, scheme.seed)
    kind, fold = scheme.tables
    for off, buf in string_pieces(series):
        m = buf.length
        sig = (
            sigs_all[off : off + m]
            if sigs_all is not None
            else np.empty((m, scheme.num_perm), dtype=np.uint32)
        )
        signatures(
            buf.layout, buf.main_addr, buf.buf_addrs, buf.validity_addr, buf.validity_offset, m,
            scheme.ngram, scheme.unit == "char", kind, fold, a, b, sig, ok[off : off + m],
        )  # fmt: skip
        band_keys(sig, ok[off : off + m], bands, rows, keys[:, off : off + m])
    return keys, ok, sigs_all


@dataclass(frozen=True)
class ShingleSets:
    offsets: np.ndarray
    sizes: np.ndarray
    values: np.ndarray
    slot: np.ndarray  # row -> set index (-1: not computed)


def shingle_sets(
    series: pl.Series, scheme: Scheme, rows: np.ndarray, *, overlap: int = 0
) -> ShingleSets:
    """Sorted distinct 64-bit shingle hashes of the selected rows (``rows`` sorted ascending).

    ``overlap > 0`` computes word ``overlap``-grams (none for shorter documents) instead.
    """
    from careful_polars._kernels.minhash import shingle_counts, shingle_sets

    series = as_text(series)
    kind, fold = scheme.tables
    mode = 2 if overlap else (1 if scheme.unit == "char" else 0)
    ngram = overlap or scheme.ngram
    counts = np.zeros(len(rows), dtype=np.int64)
    pieces = []
    for off, buf in string_pieces(series):
        lo, hi = np.searchsorted(rows, [off, off + buf.length])
        local = (rows[lo:hi] - off).astype(np.int64)
        pieces.append((lo, hi, local, buf))
        shingle_counts(
            buf.layout, buf.main_addr, buf.buf_addrs, buf.validity_addr, buf.validity_offset,
            local, ngram, mode, kind, counts[lo:hi],
        )  # fmt: skip
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    values = np.empty(int(offsets[-1]), dtype=np.uint64)
    sizes = np.zeros(len(rows), dtype=np.int64)
    for lo, hi, local, buf in pieces:
        sub = offsets[lo : hi + 1] - offsets[lo]
        vals = values[offsets[lo] : offsets[hi]]
        args = (buf.layout, buf.main_addr, buf.buf_addrs, buf.validity_addr, buf.validity_offset)
        shingle_sets(*args, local, ngram, mode, kind, fold, sub, vals, sizes[lo:hi])
    slot = np.full(len(series), -1, dtype=np.int64)
    slot[rows] = np.arange(len(rows))
    return ShingleSets(offsets, sizes, values, slot)


def example_ids(df: pl.DataFrame, text: str) -> pl.Series:
    if _ID in df.columns:
        return cast(pl.Series, df[_ID].cast(pl.UInt64))
    from careful_polars.hashing import content_hash

    return df.select(content_hash(text).alias(_ID)).to_series()
