"""Dataset fingerprints: an order-independent digest of a table's row identities.

:func:`fingerprint` digests the ``example_id`` (or content hash) of every row; the rows
fingerprint digests every value of every column. Manifests record both, and
:func:`careful_polars.read_dataset` compares them with the data it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from careful_polars._utils import check_columns, schema_of
from careful_polars.exceptions import (
    DtypeNotSupportedError,
    InvalidParameterError,
)

__all__ = [
    "FINGERPRINT_SCHEME",
    "ROWS_FINGERPRINT_SCHEME",
    "fingerprint",
    "fingerprint_of_ids",
    "ids_of",
    "rows_fingerprint",
]

#: Name of the fingerprint scheme; the first field of every fingerprint string.
FINGERPRINT_SCHEME = "cfp1"


def id_expr(subset: Sequence[str] | None, key: str) -> pl.Expr:
    if subset:
        from careful_polars.hashing import content_hash

        return content_hash(*subset)
    return pl.col(key)


def ids_of(frame: pl.DataFrame | pl.LazyFrame, subset: Sequence[str] | None, key: str) -> pl.Series:
    check_columns(frame, list(subset) if subset else [key])
    if not subset:
        dtype = schema_of(frame)[key]
        if dtype != pl.UInt64:
            msg = (
                f"fingerprint key {key!r} has dtype {dtype}, not UInt64. "
                "Hint: use example_id (careful_polars.hashing.content_hash) or pass subset=[...]."
            )
            raise InvalidParameterError(msg)
    query = frame.lazy().select(id_expr(subset, key).alias("id"))
    # a scan streams through the hash: memory holds the ids, not the scanned columns
    engine: Literal["streaming", "auto"] = (
        "streaming" if isinstance(frame, pl.LazyFrame) else "auto"
    )
    ids: pl.Series = query.collect(engine=engine).to_series()
    if ids.null_count():
        msg = (
            f"{ids.null_count()} row(s) have a null {key}. "
            "Hint: every row needs an id; tag the rows (tag_real/tag_synthetic) first."
        )
        raise InvalidParameterError(msg)
    return ids


def fingerprint_of_ids(ids: pl.Series) -> str:
    from careful_polars._kernels.fingerprint import multiset_digest

    total, acc = multiset_digest(ids.to_numpy())
    return f"{FINGERPRINT_SCHEME}:{ids.len()}:{total:016x}:{acc:016x}"


def fingerprint(
    df: pl.DataFrame | pl.LazyFrame,
    *,
    key: str = "example_id",
    subset: str | Sequence[str] | None = None,
) -> str:
    """Return the order-independent fingerprint of a dataset's row ids.

    The fingerprint is ``"cfp1:<rows>:<sum>:<xor>"``: the row count and, over every row id
    ``x`` passed through the SplitMix64 finaliser ``m``, the sum of ``m(x)`` modulo 2**64 and
    the xor of ``m(x)``, each as 16 hex digits.

    Parameters
    ----------
    df
        DataFrame or LazyFrame (only the id column, or the ``subset`` columns, are read).
    key
        UInt64 id column (default ``example_id``), used when ``subset`` is not given.
    subset
        Recompute the ids as :func:`~careful_polars.hashing.content_hash` of these columns
        instead of trusting a stored id column.

    Returns
    -------
    str
        The fingerprint.

    Notes
    -----
    Properties: the fingerprint ignores row order (sum and xor commute). Adding or removing a
    row changes the count. ``m`` is a bijection, so replacing one row's id by any different id
    always changes the sum; a duplicated row changes count and sum. For changes of several
    rows, an accidental collision needs both 64-bit words to match: probability about 2**-128
    for unrelated changes (and row ids are themselves 64-bit hashes, so two different contents
    share an id with probability 2**-64 per pair). The digest is *not* collision-resistant
    against an adversary: sums and xors of hashes can be matched by choosing rows deliberately.
    It detects silent change, not tampering by someone who knows the scheme; keep a
    cryptographic hash of the file for that.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"example_id": [1, 2, 3]}, schema={"example_id": pl.UInt64})
    >>> cp.fingerprint(df)
    'cfp1:3:456d78af809b437c:1b590cd64e9485e2'
    >>> cp.fingerprint(df.reverse()) == cp.fingerprint(df)
    True
    """
    content_list = [subset] if isinstance(subset, str) else subset
    return fingerprint_of_ids(ids_of(df, content_list, key))


#: Scheme of the every-column fingerprint (``Manifest.rows_fingerprint``).
ROWS_FINGERPRINT_SCHEME = "cfp1-rows"


def column_words(name: str, dtype: pl.DataType) -> pl.Expr:
    """Return one 64-bit word per value of column ``name``.

    Numbers, booleans and times give their raw bits (cheap and exact); anything else
    (strings, nested values, decimals) gives its content hash.
    """
    col = pl.col(name)
    if dtype.is_float():
        return col.cast(pl.Float64)
    if dtype.is_temporal():
        # Date is days in Int32, the others Int64 counts of their unit
        col, dtype = col.to_physical(), (pl.Int32() if dtype == pl.Date else pl.Int64())
    if dtype == pl.Boolean or dtype.is_unsigned_integer():
        return col.cast(pl.UInt64)
    if dtype.is_signed_integer() and dtype != pl.Int128:
        return col.cast(pl.Int64).reinterpret(signed=False)
    from careful_polars.hashing import content_hash

    return content_hash(col)


def rows_fingerprint(df: pl.DataFrame | pl.LazyFrame) -> str | None:
    """Return the fingerprint of every column, or None if a dtype has no canonical encoding.

    Each row's columns, taken in name order (so reordering columns keeps the fingerprint), are
    folded into one 64-bit word per row (SplitMix64 chain salted by column name and dtype);
    the words then get the order-independent digest of :func:`fingerprint`.
    """
    import numpy as np
    import xxhash

    from careful_polars._kernels.fingerprint import fold_column

    schema = schema_of(df)
    names = sorted(schema.names())
    if not names:
        return None
    words = [column_words(n, schema[n]).alias(n) for n in names]
    valid = [pl.col(n).is_not_null().alias(f"{n}\x00valid") for n in names]
    try:
        # one query: Polars spreads the columns over the cores (a scan streams through it)
        query = df.lazy().select(*words, *valid)
        engine: Literal["streaming", "auto"] = (
            "streaming" if isinstance(df, pl.LazyFrame) else "auto"
        )
        table = query.collect(engine=engine)
    except DtypeNotSupportedError:
        return None
    columns = {n: (table[n], table[f"{n}\x00valid"]) for n in names}
    acc = np.zeros(len(next(iter(columns.values()))[0]), dtype=np.uint64)
    for name in names:
        values, present = columns[name]
        raw = values.fill_null(0).to_numpy()
        bits = raw.view(np.uint64) if raw.dtype == np.float64 else raw.astype(np.uint64, copy=False)
        salt = np.uint64(xxhash.xxh64_intdigest(f"{name}\x00{schema[name]}".encode()))
        fold_column(acc, np.ascontiguousarray(bits), present.to_numpy(), salt)
    digest = fingerprint_of_ids(pl.Series(acc))
    return digest.replace(FINGERPRINT_SCHEME, ROWS_FINGERPRINT_SCHEME, 1)
