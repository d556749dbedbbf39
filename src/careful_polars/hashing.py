"""Stable content hashing (the ``example_id`` row identity) and exact deduplication.

The content hash is XXH64 of a canonical byte encoding of the row, specified in
docs/hashing.md. It is a published contract: the same values hash to the same ``UInt64`` in
any process, on any machine, eager, lazy or streaming, and in any later careful_polars
release that keeps :data:`HASH_SCHEME`. Golden values are pinned in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

from careful_polars import _arrow
from careful_polars._kernels import KERNEL_LOCK
from careful_polars._results import GATE_COL, REASON_COL, REF_COL, Split, add_reject_columns
from careful_polars._typing import FrameT, IntoExpr, KeepRule
from careful_polars._utils import (
    as_list,
    check_columns,
    check_in,
    check_new_columns,
    like_input,
    parse_into_expr,
    schema_of,
)
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

__all__ = [
    "HASH_SCHEME",
    "content_hash",
    "dedup",
    "hash_columns",
    "mark_duplicates",
    "split_duplicates",
]

#: Version of the canonical encoding + hash function; recorded in indexes and manifests.
HASH_SCHEME = "careful-xxh64-v1"

#: Seed perturbation for a null in the single String/Binary case (see docs/hashing.md).
_NULL_SALT = 0x9E3779B97F4A7C15
_MAX_SEED = 2**64 - 1

# Field tags of the canonical encoding (docs/hashing.md). Never renumber: they are a contract.
TAG_NULL = 0x00
TAG_BOOL = 0x01
TAG_INT = 0x02
TAG_UINT = 0x03
TAG_FLOAT = 0x04
TAG_STRING = 0x05
TAG_BINARY = 0x06
TAG_DATE = 0x07
TAG_DATETIME = 0x08
TAG_DURATION = 0x09
TAG_TIME = 0x0A
TAG_DECIMAL = 0x0B
TAG_LIST = 0x0C
TAG_ARRAY = 0x0D
TAG_STRUCT = 0x0E

_UNIT_CODES = {"ns": 0, "us": 1, "ms": 2}
_CANONICAL_NAN = np.uint64(0x7FF8000000000000)
#: Rows per kernel call on the multi-column path (bounds the per-piece arrays).
_PIECE_ROWS = 1 << 20
_MARK_COLUMNS = ("example_id", "dup_group", "dup_of")
_KEEP_FLAG = "__careful_keep"

Normalizer = Callable[[pl.Expr], pl.Expr]


# --------------------------------------------------------------------------------------------
# canonical encoding plans
# --------------------------------------------------------------------------------------------


@dataclass
class _Fields:
    """Field descriptors of a piece of rows (see ``_kernels/rowenc.py``) and their buffers.

    ``keep`` holds every array whose address is in ``desc`` until the kernels have run.
    """

    rows: list[list[int]] = field(default_factory=list)
    keep: list[Any] = field(default_factory=list)

    def hold(self, array: Any) -> int:
        """Keep ``array`` alive and return the address of its data (0 for None)."""
        if array is None:
            return 0
        self.keep.append(array)
        if isinstance(array, np.ndarray):
            return int(array.ctypes.data)
        return int(array.address)

    def desc(self) -> np.ndarray:
        from careful_polars._kernels.rowenc import DESC_WIDTH

        table = np.zeros((len(self.rows), DESC_WIDTH), dtype=np.int64)
        for i, row in enumerate(self.rows):
            table[i, : len(row)] = row
        return table


def _valid_bytes(series: pl.Series) -> np.ndarray | None:
    """Validity as one byte per row, or None when every row is valid."""
    if series.null_count() == 0:
        return None
    return series.is_not_null().to_numpy().view(np.uint8)


def _filled(series: pl.Series, dtype: PolarsDataType) -> np.ndarray:
    """Values as a contiguous NumPy array with nulls replaced by 0 (callers mask them)."""
    cast = series.cast(dtype)
    if cast.null_count():
        cast = cast.fill_null(0)
    return np.ascontiguousarray(cast.to_numpy())


def _add_fixed(
    fields: _Fields,
    valid: np.ndarray | None,
    payload: np.ndarray,
    tag: int,
    *,
    tags: np.ndarray | None = None,
    extra: int = -1,
    width: int = 8,
) -> None:
    from careful_polars._kernels.rowenc import FIXED

    payload = np.ascontiguousarray(payload, dtype=np.uint64)
    fields.rows.append(
        [
            FIXED,
            tag,
            fields.hold(tags),
            extra,
            width,
            fields.hold(payload),
            fields.hold(valid),
        ]
    )


def _add_bytes(fields: _Fields, series: pl.Series, tag: int, *, framed: bool = True) -> None:
    from careful_polars._kernels.rowenc import BYTES

    chunk = series.rechunk() if series.n_chunks() > 1 else series
    b = _arrow.string_buffers(_arrow.to_arrow(chunk))
    fields.keep.append(b)
    fields.rows.append(
        [
            BYTES,
            tag,
            int(framed),
            b.layout,
            b.main_addr,
            fields.hold(b.buf_addrs),
            b.validity_addr,
            b.validity_offset,
        ]
    )


def _add_segments(fields: _Fields, data: np.ndarray, offsets: np.ndarray) -> None:
    from careful_polars._kernels.rowenc import SEGMENTS

    fields.rows.append([SEGMENTS, fields.hold(data), fields.hold(offsets)])


def _add_list(fields: _Fields, series: pl.Series, tag: int) -> None:
    from careful_polars._kernels.rowenc import LIST

    chunk = series.rechunk() if series.n_chunks() > 1 else series
    arr = _arrow.to_arrow(chunk)
    offsets = np.asarray(arr.offsets, dtype=np.int64)
    start, end = int(offsets[0]), int(offsets[-1])
    child = pl.Series(arr.values.slice(start, end - start))
    offsets = np.ascontiguousarray(offsets - start)
    child_data, child_offsets = _encode_elements(child)
    fields.rows.append(
        [
            LIST,
            tag,
            fields.hold(child_data),
            fields.hold(child_offsets),
            fields.hold(offsets),
            fields.hold(_valid_bytes(series)),
        ]
    )


def _add_struct(fields: _Fields, series: pl.Series) -> None:
    from careful_polars._kernels.rowenc import HEADER, null_out_rows

    inner = _Fields(rows=[[HEADER, TAG_STRUCT, len(series.struct.fields)]])
    for name in series.struct.fields:
        _add_column(inner, series.struct.field(name))
    data, offsets = _encode_fields(inner, series.len())
    valid = _valid_bytes(series)
    if valid is not None:
        data, offsets = null_out_rows(data, offsets, valid.view(np.bool_))
    _add_segments(fields, data, offsets)


def _decimal_strings(series: pl.Series) -> pl.Series:
    """Decimal values as canonical text: no trailing fractional zeros, no bare point."""
    text: pl.Series = series.cast(pl.String)
    stripped: pl.Series = text.str.replace(r"(\.\d*?)0+$", "${1}")
    return stripped.str.replace(r"\.$", "")


_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32)


def _add_column(fields: _Fields, series: pl.Series) -> None:
    """Append the field descriptor of one column (one piece of rows), by dtype."""
    dtype = series.dtype
    valid = _valid_bytes(series)
    if dtype == pl.Null:
        none = np.zeros(series.len(), np.uint8)
        _add_fixed(fields, none, np.zeros(series.len(), np.uint64), TAG_NULL)
    elif dtype == pl.Boolean:
        _add_fixed(fields, valid, _filled(series, pl.UInt8), TAG_BOOL, width=1)
    elif dtype in _INTEGERS:
        _add_fixed(fields, valid, _filled(series, pl.Int64).view(np.uint64), TAG_INT)
    elif dtype == pl.UInt64:
        values = _filled(series, pl.UInt64)
        tags = np.where(values >= np.uint64(2**63), TAG_UINT, TAG_INT).astype(np.uint8)
        _add_fixed(fields, valid, values, TAG_INT, tags=tags)
    elif dtype.is_float():
        floats = _filled(series, pl.Float64)
        bits = floats.view(np.uint64).copy()
        bits[floats == 0.0] = 0  # -0.0 encodes as +0.0
        bits[np.isnan(floats)] = _CANONICAL_NAN
        _add_fixed(fields, valid, bits, TAG_FLOAT)
    elif dtype in (pl.Date, pl.Time):
        tag = TAG_DATE if dtype == pl.Date else TAG_TIME
        _add_fixed(fields, valid, _filled(series.to_physical(), pl.Int64).view(np.uint64), tag)
    elif isinstance(dtype, (pl.Datetime, pl.Duration)):
        tag = TAG_DATETIME if isinstance(dtype, pl.Datetime) else TAG_DURATION
        values = _filled(series.to_physical(), pl.Int64).view(np.uint64)
        _add_fixed(fields, valid, values, tag, extra=_UNIT_CODES[dtype.time_unit or "us"])
    elif dtype == pl.String:
        _add_bytes(fields, series, TAG_STRING)
    elif isinstance(dtype, (pl.Categorical, pl.Enum)):
        _add_bytes(fields, series.cast(pl.String), TAG_STRING)
    elif dtype == pl.Binary:
        _add_bytes(fields, series, TAG_BINARY)
    elif isinstance(dtype, pl.Decimal):
        _add_bytes(fields, _decimal_strings(series), TAG_DECIMAL)
    elif isinstance(dtype, pl.List):
        _add_list(fields, series, TAG_LIST)
    elif isinstance(dtype, pl.Array):
        _add_list(fields, series.cast(pl.List(dtype.inner)), TAG_ARRAY)
    elif isinstance(dtype, pl.Struct):
        _add_struct(fields, series)
    else:
        msg = (
            f"cannot hash column {series.name!r} of dtype {dtype}: it has no canonical "
            "encoding. Hint: cast it to a supported dtype first (Int128 -> String or Decimal; "
            "Object -> String), or leave it out of the hashed columns."
        )
        raise DtypeNotSupportedError(msg)


def _encode_fields(fields: _Fields, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Materialise the encoding of ``n`` rows: ``(data, offsets)``."""
    from careful_polars._kernels.rowenc import encode_rows, row_lengths

    desc = fields.desc()
    offsets = np.zeros(n + 1, dtype=np.int64)
    with KERNEL_LOCK:
        if n:
            np.cumsum(row_lengths(desc, n), out=offsets[1:])
        buf = np.empty(int(offsets[-1]), dtype=np.uint8)
        if n:
            encode_rows(desc, offsets, buf)
    return buf, offsets


def _encode_elements(series: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Canonical encoding of every element of ``series``: ``(data, offsets)``."""
    fields = _Fields()
    _add_column(fields, series)
    return _encode_fields(fields, series.len())


def _check_seed(seed: int) -> int:
    if not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) <= _MAX_SEED:
        msg = f"seed={seed!r} is not an integer in [0, 2**64). Hint: pass e.g. seed=0."
        raise InvalidParameterError(msg)
    return int(seed)


def _null_hash(seed: int) -> int:
    import xxhash

    digest: int = xxhash.xxh64_intdigest(b"\x00", seed=seed ^ _NULL_SALT)
    return digest


def _hash_single_bytes(series: pl.Series, seed: int) -> np.ndarray:
    from careful_polars._kernels.xxh64 import hash_strings

    out = np.empty(series.len(), dtype=np.uint64)
    null_hash = _null_hash(seed)
    with KERNEL_LOCK:
        for offset, b in _arrow.string_pieces(series):
            hash_strings(
                b.layout,
                b.main_addr,
                b.buf_addrs,
                b.validity_addr,
                b.validity_offset,
                b.length,
                np.uint64(seed),
                np.uint64(null_hash),
                out[offset : offset + b.length],
            )
    return out


def _apply_normalize(series: pl.Series, normalize: Normalizer | None) -> pl.Series:
    if normalize is None:
        return series
    if isinstance(series.dtype, (pl.Categorical, pl.Enum)):
        series = series.cast(pl.String)
    if series.dtype != pl.String:
        return series
    name = series.name
    return series.to_frame().select(normalize(pl.col(name))).to_series().alias(name)


def hash_columns(
    columns: Sequence[pl.Series], *, seed: int = 0, normalize: Normalizer | None = None
) -> np.ndarray:
    """Content hash of aligned Series as a NumPy ``uint64`` array (the engine of content_hash).

    Parameters
    ----------
    columns
        Series of equal length; the row is their values in this order.
    seed
        XXH64 seed in ``[0, 2**64)``.
    normalize
        Expression function applied to String (and Categorical/Enum) columns first.

    Returns
    -------
    numpy.ndarray
        One ``uint64`` per row.
    """
    from careful_polars._kernels.rowenc import hash_rows

    seed = _check_seed(seed)
    columns = [_apply_normalize(s, normalize) for s in columns]
    n = columns[0].len() if columns else 0
    if any(s.len() != n for s in columns):
        msg = "columns to hash have different lengths. Hint: pass columns of one frame."
        raise InvalidParameterError(msg)
    if len(columns) == 1:
        only = columns[0]
        if isinstance(only.dtype, (pl.Categorical, pl.Enum)):
            only = only.cast(pl.String)
        if only.dtype in (pl.String, pl.Binary):
            return _hash_single_bytes(only, seed)
    out = np.empty(n, dtype=np.uint64)
    for start, length in _arrow.chunk_ranges(n, _PIECE_ROWS):
        fields = _Fields()
        for s in columns:
            _add_column(fields, s.slice(start, length))
        with KERNEL_LOCK:
            hash_rows(fields.desc(), length, np.uint64(seed), out[start : start + length])
    return out


def _hash_batch(
    batch: pl.Series, *, n_inputs: int, seed: int, normalize: Normalizer | None
) -> pl.Series:
    if n_inputs == 1:
        columns = [batch]
    else:
        columns = [batch.struct.field(name) for name in batch.struct.fields]
    return pl.Series(batch.name, hash_columns(columns, seed=seed, normalize=normalize))


def _flatten_exprs(exprs: tuple[Any, ...]) -> list[pl.Expr]:
    flat: list[Any] = []
    for item in exprs:
        if isinstance(item, (str, pl.Expr, pl.Series)):
            flat.append(item)
        elif isinstance(item, Iterable):
            flat.extend(item)
        else:
            flat.append(item)
    return [parse_into_expr(e) for e in flat]


def content_hash(
    *exprs: IntoExpr | Iterable[IntoExpr],
    normalize: Normalizer | bool | None = None,
    seed: int = 0,
) -> pl.Expr:
    """Stable 64-bit content hash of one or more columns: the row identity ``example_id``.

    The hash is XXH64 of the canonical encoding of the row's values (docs/hashing.md). Unlike
    Polars' ``hash``/``hash_rows`` it is stable across processes, machines and Polars versions,
    so it can be written into manifests and indexes. Multi-column hashing is order-sensitive
    and unambiguous: ``("ab", "c")`` and ``("a", "bc")`` differ, as do ``(null, "x")`` and
    ``("x", null)``.

    Parameters
    ----------
    *exprs
        Columns (names, expressions, or lists of them) forming the hashed content, in order.
    normalize
        ``None`` (default) hashes values as they are; a function ``Expr -> Expr`` (such as
        :func:`careful_polars.normalize_text`) or ``True`` (its defaults) is applied to String,
        Categorical and Enum columns first.
    seed
        XXH64 seed in ``[0, 2**64)``.

    Returns
    -------
    pl.Expr
        A ``UInt64`` expression named after the first input.

    Raises
    ------
    InvalidParameterError
        If no column is given or the seed is out of range.
    DtypeNotSupportedError
        When evaluated on a column with no canonical encoding (e.g. Object, Int128).

    See Also
    --------
    mark_duplicates : exact duplicates marked by this hash.

    Notes
    -----
    For a single String or Binary input without normalisation the value equals
    ``xxhash.xxh64_intdigest(value_bytes, seed)``; Categorical and Enum hash as their string
    values. Scheme :data:`HASH_SCHEME` = ``"careful-xxh64-v1"``.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["hello", "Hello ", None], "label": [1, 1, 2]})
    >>> df.with_columns(
    ...     h=cp.content_hash("text"),
    ...     norm=cp.content_hash("text", normalize=cp.normalize_text),
    ...     row=cp.content_hash("text", "label"),
    ... )
    shape: (3, 5)
    ┌────────┬───────┬─────────────────────┬─────────────────────┬──────────────────────┐
    │ text   ┆ label ┆ h                   ┆ norm                ┆ row                  │
    │ ---    ┆ ---   ┆ ---                 ┆ ---                 ┆ ---                  │
    │ str    ┆ i64   ┆ u64                 ┆ u64                 ┆ u64                  │
    ╞════════╪═══════╪═════════════════════╪═════════════════════╪══════════════════════╡
    │ hello  ┆ 1     ┆ 2794345569481354659 ┆ 2794345569481354659 ┆ 5136268735607793679  │
    │ Hello  ┆ 1     ┆ 1435253081793830859 ┆ 2794345569481354659 ┆ 17518845116806268743 │
    │ null   ┆ 2     ┆ 1327354051086928549 ┆ 1327354051086928549 ┆ 6462296055533238854  │
    └────────┴───────┴─────────────────────┴─────────────────────┴──────────────────────┘
    """
    columns = _flatten_exprs(exprs)
    if not columns:
        msg = "content_hash needs at least one column. Hint: e.g. content_hash('text')."
        raise InvalidParameterError(msg)
    seed = _check_seed(seed)
    normalizer = _resolve_normalize(normalize)
    fn = partial(_hash_batch, n_inputs=len(columns), seed=seed, normalize=normalizer)
    if len(columns) == 1:
        target = columns[0]
    else:
        rest = [c.alias(f"__careful_field_{i}") for i, c in enumerate(columns[1:], 1)]
        target = pl.struct(columns[0], *rest)
    return target.map_batches(fn, return_dtype=pl.UInt64, is_elementwise=True)


def _resolve_normalize(normalize: Normalizer | bool | None) -> Normalizer | None:
    if normalize is None or normalize is False:
        return None
    if normalize is True:
        from careful_polars.text import normalize_text

        return normalize_text
    if callable(normalize):
        return normalize
    msg = f"normalize={normalize!r} is not a function. Hint: pass careful_polars.normalize_text."
    raise InvalidParameterError(msg)


# --------------------------------------------------------------------------------------------
# exact duplicates
# --------------------------------------------------------------------------------------------


def _dedup_subset(
    frame: pl.DataFrame | pl.LazyFrame, subset: str | Sequence[str] | None
) -> list[str]:
    names = as_list(subset)
    if names is None:
        reserved = {*_MARK_COLUMNS, GATE_COL, REASON_COL, REF_COL}
        names = [c for c in schema_of(frame).names() if c not in reserved]
    if not names:
        msg = "there are no columns to deduplicate on. Hint: pass subset=[...] with columns."
        raise InvalidParameterError(msg)
    check_columns(frame, names)
    return names


_KEEP_MODES = {"first": 0, "last": 1, "none": 2}


def _keep_batch(ids: pl.Series, *, mode: int) -> pl.Series:
    from careful_polars._kernels.distinct import keep_mask

    keys = ids.to_numpy()
    with KERNEL_LOCK:
        return pl.Series(ids.name, keep_mask(keys, mode))


def _group_ordinal_batch(ids: pl.Series) -> pl.Series:
    """Duplicate group of every row: groups numbered 0, 1, ... by their first row."""
    from careful_polars._kernels.distinct import first_index

    with KERNEL_LOCK:
        first = first_index(ids.to_numpy())
    is_first = first == np.arange(first.shape[0])
    ordinal = np.cumsum(is_first, dtype=np.int64) - 1
    return pl.Series(ids.name, ordinal[first])


def _keep_expr(key: pl.Expr, keep: KeepRule, *, hashed: bool) -> pl.Expr:
    """Boolean expression: which rows ``keep`` retains among rows with equal ``key``.

    ``hashed`` keys (a content hash, never null) go through the partitioned hash-set kernel;
    other keys (``verify=True`` structs of hash and values) through Polars.
    """
    if hashed:
        fn = partial(_keep_batch, mode=_KEEP_MODES[keep])
        return key.map_batches(fn, return_dtype=pl.Boolean)
    if keep == "first":
        return key.is_first_distinct()
    if keep == "last":
        return key.is_last_distinct()
    return key.is_unique()


def _value_exprs(
    schema: pl.Schema, subset: list[str], normalize: Normalizer | None
) -> list[pl.Expr]:
    """The compared values of ``verify=True``: text columns normalised like the hash."""
    out = []
    for name in subset:
        dtype = schema[name]
        is_text = dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum))
        if normalize is not None and is_text:
            out.append(normalize(pl.col(name).cast(pl.String)))
        else:
            out.append(pl.col(name))
    return out


def _group_key(
    schema: pl.Schema, subset: list[str], normalize: Normalizer | None, verify: bool
) -> pl.Expr:
    ident = pl.col("example_id")
    if not verify:
        return ident
    return pl.struct(ident, *_value_exprs(schema, subset, normalize))


def _marked(
    frame: pl.LazyFrame,
    subset: list[str],
    normalize: Normalizer | None,
    keep: KeepRule,
    verify: bool,
    *,
    groups: bool = True,
) -> pl.LazyFrame:
    """The frame plus ``example_id``, ``dup_group`` (if ``groups``), ``dup_of`` and a keep flag."""
    schema = frame.collect_schema()
    frame = frame.with_columns(content_hash(*subset, normalize=normalize).alias("example_id"))
    key = _group_key(schema, subset, normalize, verify)
    if groups and verify:
        ordinal = (key.is_first_distinct().cum_sum() - 1).cast(pl.Int64)
        # the ordinal is only right on a group's first row; spread it over the group
        frame = frame.with_columns(ordinal.alias("dup_group")).with_columns(
            pl.col("dup_group").first().over(key)
        )
    elif groups:
        group = pl.col("example_id").map_batches(_group_ordinal_batch, return_dtype=pl.Int64)
        frame = frame.with_columns(group.alias("dup_group"))
    # every member of a group shares the kept row's example_id (with keep="none", the id
    # the group would have kept)
    return frame.with_columns(_keep_expr(key, keep, hashed=not verify).alias(_KEEP_FLAG)).select(
        pl.exclude(_KEEP_FLAG, "dup_of"),
        pl.when(pl.col(_KEEP_FLAG)).then(None).otherwise(pl.col("example_id")).alias("dup_of"),
        pl.col(_KEEP_FLAG),
    )


def _check_keep(keep: str) -> None:
    check_in("keep", keep, ["first", "last", "none"])


def _prepare(
    frame: FrameT,
    subset: str | Sequence[str] | None,
    normalize: Normalizer | bool | None,
    keep: str,
) -> tuple[list[str], Normalizer | None]:
    if not isinstance(frame, (pl.DataFrame, pl.LazyFrame)):
        msg = f"expected a polars DataFrame or LazyFrame, got {type(frame).__name__}"
        raise TypeError(msg)
    _check_keep(keep)
    return _dedup_subset(frame, subset), _resolve_normalize(normalize)


def mark_duplicates(
    df: FrameT,
    subset: str | Sequence[str] | None = None,
    *,
    normalize: Normalizer | bool | None = None,
    keep: KeepRule = "first",
    verify: bool = False,
    overwrite: bool = False,
) -> FrameT:
    """Mark exact duplicates without removing anything (the lossless form).

    Adds three columns:

    - ``example_id`` (UInt64): :func:`content_hash` of ``subset`` (normalised if asked);
    - ``dup_group`` (Int64): the duplicate group, numbered 0, 1, 2... in order of the group's
      first row; every row of a group shares it;
    - ``dup_of`` (UInt64): for a row that ``keep`` would drop, the ``example_id`` of its group
      (which the kept row shares); null for kept rows.

    Parameters
    ----------
    df
        DataFrame or LazyFrame.
    subset
        Columns that define a duplicate (default: all columns, except the columns this function
        and the reject convention add).
    normalize
        ``None``, ``True`` or a function ``Expr -> Expr`` applied to text columns first (see
        :func:`content_hash`).
    keep
        Which row of a group is kept: ``"first"`` or ``"last"`` in frame order, or ``"none"``
        (every member of a duplicated group is dropped).
    verify
        Group rows by their actual (normalised) values as well as the hash, so a 64-bit hash
        collision cannot merge different rows. Costs a hash of the values by Polars.
    overwrite
        Replace ``example_id``, ``dup_group`` or ``dup_of`` when the frame already has them; by
        default that raises :class:`~careful_polars.exceptions.ColumnExistsError`.

    Returns
    -------
    DataFrame or LazyFrame
        The input with the three columns added.

    Notes
    -----
    Two different rows collide with probability 2**-64 per pair: for ``n`` distinct rows the
    chance of any collision is about ``n**2 / 2**65`` (1e-6 for 6 million rows, 0.3% for 300
    million). ``verify=True`` removes that risk.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["a", "b", "a", "A "], "label": [0, 1, 0, 0]})
    >>> cp.mark_duplicates(df, normalize=True).select("text", "dup_group", "dup_of")
    shape: (4, 3)
    ┌──────┬───────────┬──────────────────────┐
    │ text ┆ dup_group ┆ dup_of               │
    │ ---  ┆ ---       ┆ ---                  │
    │ str  ┆ i64       ┆ u64                  │
    ╞══════╪═══════════╪══════════════════════╡
    │ a    ┆ 0         ┆ null                 │
    │ b    ┆ 1         ┆ null                 │
    │ a    ┆ 0         ┆ 13875469787820086249 │
    │ A    ┆ 0         ┆ 13875469787820086249 │
    └──────┴───────────┴──────────────────────┘
    """
    names, normalizer = _prepare(df, subset, normalize, keep)
    check_new_columns(df, _MARK_COLUMNS, overwrite=overwrite)
    marked = _marked(df.lazy(), names, normalizer, keep, verify).drop(_KEEP_FLAG)
    return like_input(marked, df)


def dedup(
    df: FrameT,
    subset: str | Sequence[str] | None = None,
    *,
    normalize: Normalizer | bool | None = None,
    keep: KeepRule = "first",
    verify: bool = False,
) -> FrameT:
    """Drop exact duplicates, keeping the input's columns and row order (for chaining).

    Parameters are those of :func:`mark_duplicates`. The rows removed are exactly those
    :func:`split_duplicates` rejects.

    Returns
    -------
    DataFrame or LazyFrame
        The kept rows.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["a", "b", "a", "A "], "label": [0, 1, 0, 0]})
    >>> df.careful.dedup(normalize=True, keep="last")
    shape: (2, 2)
    ┌──────┬───────┐
    │ text ┆ label │
    │ ---  ┆ ---   │
    │ str  ┆ i64   │
    ╞══════╪═══════╡
    │ b    ┆ 1     │
    │ A    ┆ 0     │
    └──────┴───────┘
    """
    names, normalizer = _prepare(df, subset, normalize, keep)
    ident = content_hash(*names, normalize=normalizer)
    if verify:
        values = _value_exprs(schema_of(df), names, normalizer)
        ident = pl.struct(ident.alias("__careful_id"), *values)
    return like_input(df.lazy().filter(_keep_expr(ident, keep, hashed=not verify)), df)


def split_duplicates(
    df: FrameT,
    subset: str | Sequence[str] | None = None,
    *,
    normalize: Normalizer | bool | None = None,
    keep: KeepRule = "first",
    verify: bool = False,
) -> Split[FrameT]:
    """Split exact duplicates off: ``Split(kept, rejected)``, kept + rejected == input.

    ``kept`` has the input's columns; ``rejected`` has them plus ``_careful_gate``
    (``"exact_duplicate"``), ``_careful_reason`` and ``_careful_ref`` (the ``example_id`` of
    the group the row duplicates). Both keep the input's row order. Parameters are those of
    :func:`mark_duplicates`.

    Returns
    -------
    Split
        Kept and rejected rows, of the same kind as ``df``.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["a", "b", "a"]})
    >>> kept, rejected = cp.split_duplicates(df)
    >>> rejected.select("text", "_careful_gate", "_careful_reason")
    shape: (1, 3)
    ┌──────┬─────────────────┬─────────────────────────────────┐
    │ text ┆ _careful_gate   ┆ _careful_reason                 │
    │ ---  ┆ ---             ┆ ---                             │
    │ str  ┆ str             ┆ str                             │
    ╞══════╪═════════════════╪═════════════════════════════════╡
    │ a    ┆ exact_duplicate ┆ exact duplicate of a kept row … │
    └──────┴─────────────────┴─────────────────────────────────┘
    """
    names, normalizer = _prepare(df, subset, normalize, keep)
    columns: list[str] = list(schema_of(df).names())
    marked = _marked(df.lazy(), names, normalizer, keep, verify, groups=False)
    marked = marked.collect().lazy() if isinstance(df, pl.DataFrame) else marked.cache()
    kept = marked.filter(pl.col(_KEEP_FLAG)).select(columns)
    if keep == "none":
        reason = pl.format("member of a duplicated group (example_id {}); keep='none'", "dup_of")
    else:
        reason = pl.format("exact duplicate of a kept row (example_id {})", "dup_of")
    rejected = add_reject_columns(
        marked.filter(~pl.col(_KEEP_FLAG)), "exact_duplicate", reason, pl.col("dup_of")
    ).select([*columns, GATE_COL, REASON_COL, REF_COL])
    return Split(like_input(kept, df), like_input(rejected, df))
