"""Exact stratified sampling and ratio-capped mixing of real and synthetic data.

Three operations, all deterministic for a ``seed`` on any thread count:

- :func:`stratified_sample` draws exactly ``n`` rows (or ``fraction`` of them) with an exact
  integer allocation over strata (largest remainder, see :func:`stratified_allocation`);
- :func:`mix` builds a training mix that keeps every real row and downsamples synthetic rows so
  the synthetic share never exceeds ``max_synthetic_ratio``, overall and per stratum, preferring
  synthetic rows from clusters not yet represented;
- :func:`ratio_report` audits the synthetic share of an existing mix.

How rows are chosen
-------------------
Strata are numbered by first appearance, and a stratum's rows by their order in the input
(its "local row numbers"). A stratum of ``s`` rows with quota ``q`` keeps a uniformly random
``q``-subset of its local row numbers, drawn with Robert Floyd's algorithm from SplitMix64 of
``(seed, stratum number, step)``. The subset is a pure function of the seed and the input, so
the sample does not depend on thread count, chunking or Polars' own sampler, and the work
follows the sample size rather than the row count. Rows keep their input order unless
``shuffle=True`` (then they are ordered by SplitMix64 of seed and row position).

These operations need the whole table (counts per stratum decide the quotas); a LazyFrame is
collected once and the result is returned as a LazyFrame.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Generic, Literal, Union

import numpy as np
import polars as pl

from careful_polars._results import GATE_COL, REASON_COL, REF_COL
from careful_polars._typing import FrameT, IntoExpr
from careful_polars._utils import as_list, check_columns, check_in, parse_into_expr, warn
from careful_polars.exceptions import (
    DtypeNotSupportedError,
    InvalidParameterError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "MixResult",
    "RatioReport",
    "SamplingShortfallWarning",
    "mix",
    "ratio_report",
    "stratified_allocation",
    "stratified_sample",
]

logger = logging.getLogger(__name__)

#: Gate name carried by synthetic rows that :func:`mix` drops.
RATIO_CAP_GATE = "ratio_cap"
#: Seeds of the two independent row hashes used to number strata of non-integer columns.
_GROUP_HASH_SEED = 0x5EED_0001
_CHECK_HASH_SEED = 0x5EED_0002
#: Largest product that the NumPy int64 allocation arithmetic handles without overflow.
_INT64_SAFE = 1 << 62

#: How :func:`stratified_sample` splits ``n`` over strata.
Allocation = Union[Literal["proportional", "equal"], Mapping[Any, int]]  # noqa: UP007
#: What :func:`mix` does with strata that have synthetic rows but no real rows.
EmptyRealPolicy = Union[Literal["drop", "global"], int]  # noqa: UP007


class SamplingShortfallWarning(UserWarning):
    """Some strata had fewer rows than their quota; the sample is smaller than asked."""


# --------------------------------------------------------------------------------------------
# strata: dense ids per row, one table row per stratum
# --------------------------------------------------------------------------------------------


def _is_integer_like(dtype: pl.DataType) -> bool:
    physical = pl.Series(dtype=dtype).to_physical().dtype
    return physical.is_integer() or physical == pl.Boolean


def _exact_codes(series: pl.Series) -> tuple[np.ndarray, np.ndarray, bool]:
    """Integer values (exact), validity and whether there are nulls, for an integer-like Series."""
    physical = series.to_physical()
    if physical.dtype == pl.Boolean:
        physical = physical.cast(pl.UInt8)
    has_nulls = physical.null_count() > 0
    if has_nulls:
        physical = physical.fill_null(0)
    values = physical.rechunk().to_numpy()  # zero-copy for one chunk without nulls
    valid = series.is_not_null().to_numpy() if has_nulls else np.ones(0, np.bool_)
    return values, valid, has_nulls


def _row_hash(frame: pl.DataFrame, by: list[str], seed: int) -> np.ndarray:
    expr = pl.col(by[0]).hash(seed) if len(by) == 1 else pl.struct(by).hash(seed)
    hashes: np.ndarray = frame.select(expr).to_series().rechunk().to_numpy()
    return hashes


def _group_lookup(
    frame: pl.DataFrame, by: list[str]
) -> tuple[tuple[Any, ...], np.ndarray, np.ndarray] | None:
    """For one narrow integer-like column: ``(lookup, first, counts)`` without per-row ids."""
    from careful_polars._kernels import sampling as k

    if len(by) != 1 or not _is_integer_like(frame.schema[by[0]]) or frame.height == 0:
        return None
    values, valid, has_nulls = _exact_codes(frame.get_column(by[0]))
    if values.dtype.kind not in "iub":
        return None
    low, high = (int(x) for x in k.min_max(values))
    span = high - low + 1
    if high >= 2**63 or span > max(4 * values.size, 1 << 16):
        return None
    chunks = k.dense_chunks(values.size, span + 1)
    remap, first, counts, parts = k.dense_counts(values, valid, has_nulls, low, span, chunks)
    return (values, valid, has_nulls, low, remap, parts, chunks), first, counts


def _group(frame: pl.DataFrame, by: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense stratum id per row (numbered by first appearance), first row and size per stratum.

    One integer-like column (integers, booleans, dates, categoricals) is grouped by exact value.
    Anything else is grouped by a 64-bit row hash; a second, independent hash checks every row
    against its group's first row, and on a mismatch (a hash collision) the exact but slower
    dense rank is used instead.
    """
    from careful_polars._kernels import sampling as k

    if not by:
        n = frame.height
        counts = np.array([n], np.int64) if n else np.zeros(0, np.int64)
        first = np.zeros(counts.size, np.int64)
        return np.zeros(n, np.int32), first, counts
    if len(by) == 1 and _is_integer_like(frame.schema[by[0]]):
        values, valid, has_nulls = _exact_codes(frame.get_column(by[0]))
        return k.group_ids(values, valid, has_nulls)
    ids, first, counts = k.group_ids(
        _row_hash(frame, by, _GROUP_HASH_SEED), np.ones(0, np.bool_), False
    )
    if k.first_mismatch(ids, first, _row_hash(frame, by, _CHECK_HASH_SEED)) < 0:
        return ids, first, counts
    ranks = frame.select(pl.struct(by).rank("dense").cast(pl.Int64)).to_series().to_numpy()
    return k.group_ids(ranks, np.ones(0, np.bool_), False)


def _tie_rank(table: pl.DataFrame, by: list[str], k: int) -> np.ndarray:
    """Position of each of the ``k`` strata when sorted by their ``by`` values (nulls last)."""
    if not by or k == 0:
        return np.arange(k, dtype=np.int64)
    order = (
        table.select(by)
        .with_row_index("__pos")
        .sort(by, nulls_last=True, maintain_order=True)
        .get_column("__pos")
        .to_numpy()
    )
    rank = np.empty(table.height, np.int64)
    rank[order] = np.arange(table.height, dtype=np.int64)
    return rank


# --------------------------------------------------------------------------------------------
# exact integer allocation
# --------------------------------------------------------------------------------------------


def _largest_remainder(
    total: int, weights: np.ndarray, sizes: np.ndarray, tie_rank: np.ndarray
) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method).

    Each stratum gets ``floor(total * w / W)``; the rows left over go one each to the strata with
    the largest remainders ``total * w mod W``. Ties go to the larger stratum, then to the
    stratum whose ``by`` values sort first (``tie_rank``). All arithmetic is exact.
    """
    weights = np.asarray(weights, dtype=np.int64)
    out = np.zeros(weights.size, np.int64)
    w_sum = int(weights.sum())
    if total <= 0 or w_sum == 0:
        return out
    if total * int(weights.max(initial=0)) < _INT64_SAFE:
        scaled = weights * np.int64(total)
        base = scaled // w_sum
        rem = scaled % w_sum
    else:  # exact Python integers for very large products
        pairs = [divmod(total * int(w), w_sum) for w in weights]
        base = np.array([b for b, _ in pairs], dtype=np.int64)
        rem = np.array([float(r) / w_sum for _, r in pairs])  # only used for ordering
    extra = total - int(base.sum())
    if extra > 0:
        order = np.lexsort((tie_rank, -sizes, -rem))
        base[order[:extra]] += 1
    quotas: np.ndarray = base
    return quotas


def _resolve_total(n: int | None, fraction: float | None, rows: int) -> int:
    if fraction is not None:
        exact = Fraction(str(fraction)) * rows
        return int(exact + Fraction(1, 2)) if exact >= 0 else 0  # round half up
    assert n is not None
    return n


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
        msg = f"seed={seed!r} is not an integer in [0, 2**64). Hint: pass e.g. seed=0."
        raise InvalidParameterError(msg)


def _check_sample_args(
    n: int | None,
    fraction: float | None,
    allocation: Allocation,
    min_per_stratum: int,
    with_replacement: bool,
) -> None:
    if isinstance(allocation, Mapping):
        if n is not None or fraction is not None:
            msg = (
                "n/fraction cannot be combined with an allocation mapping. "
                "Hint: the mapping's counts are the quotas; drop n and fraction."
            )
            raise InvalidParameterError(msg)
        for key, count in allocation.items():
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
                msg = (
                    f"allocation[{key!r}]={count!r} is not a non-negative integer. "
                    "Hint: map each stratum to a row count such as 100."
                )
                raise InvalidParameterError(msg)
    else:
        check_in("allocation", allocation, ["proportional", "equal"])
        if (n is None) == (fraction is None):
            msg = "pass exactly one of n and fraction. Hint: e.g. n=1000 or fraction=0.1."
            raise InvalidParameterError(msg)
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0):
        msg = f"n={n!r} is not a non-negative integer. Hint: pass a row count such as 1000."
        raise InvalidParameterError(msg)
    if fraction is not None:
        limit_ok = fraction >= 0 and (with_replacement or fraction <= 1)
        if not limit_ok:
            msg = (
                f"fraction={fraction!r} is outside [0, 1]. "
                "Hint: pass a fraction in [0, 1], or with_replacement=True to oversample."
            )
            raise InvalidParameterError(msg)
    if isinstance(min_per_stratum, bool) or min_per_stratum < 0:
        msg = f"min_per_stratum={min_per_stratum!r} is negative. Hint: pass 0 or more."
        raise InvalidParameterError(msg)


def _mapping_requests(
    table: pl.DataFrame, by: list[str], allocation: Mapping[Any, int]
) -> tuple[np.ndarray, pl.DataFrame]:
    """Quota of each stratum in ``table`` and the mapping's strata absent from the data."""
    if not by:
        msg = "an allocation mapping needs strata. Hint: pass by=COLUMN."
        raise InvalidParameterError(msg)
    keys = list(allocation)
    columns: dict[str, list[Any]] = {name: [] for name in by}
    for key in keys:
        parts = key if len(by) > 1 else (key,)
        if len(by) > 1 and (not isinstance(key, tuple) or len(key) != len(by)):
            msg = (
                f"allocation key {key!r} does not name a stratum of {by}. "
                f"Hint: use tuples of {len(by)} values as keys."
            )
            raise InvalidParameterError(msg)
        for name, value in zip(by, parts, strict=True):
            columns[name].append(value)
    schema = {name: table.schema[name] for name in by}
    try:
        wanted = pl.DataFrame(columns, schema=schema).with_columns(
            pl.Series("__requested", [int(allocation[key]) for key in keys], dtype=pl.Int64)
        )
    except (TypeError, pl.exceptions.PolarsError) as exc:
        msg = f"allocation keys do not match the dtypes of {by}: {exc}. Hint: use column values."
        raise InvalidParameterError(msg) from None
    if wanted.select(by).is_duplicated().any():
        msg = "allocation names a stratum twice. Hint: give each stratum one count."
        raise InvalidParameterError(msg)
    matched = table.select(by).join(
        wanted, on=by, how="left", nulls_equal=True, maintain_order="left"
    )
    requests = matched.get_column("__requested").fill_null(0).to_numpy().astype(np.int64)
    missing = wanted.join(table.select(by), on=by, how="anti", nulls_equal=True)
    return requests, missing


@dataclass(frozen=True)
class _Plan:
    table: pl.DataFrame  # by columns, one row per stratum present (stratum id order)
    sizes: np.ndarray
    requested: np.ndarray
    taken: np.ndarray
    missing: pl.DataFrame  # mapping strata absent from the data (by columns + __requested)


def _plan(
    table: pl.DataFrame,
    sizes: np.ndarray,
    by: list[str],
    *,
    n: int | None,
    fraction: float | None,
    allocation: Allocation,
    min_per_stratum: int,
    with_replacement: bool,
    redistribute: bool,
) -> _Plan:
    tie = _tie_rank(table, by, sizes.size)
    rows = int(sizes.sum())
    missing = pl.DataFrame(schema={**{b: table.schema[b] for b in by}, "__requested": pl.Int64})
    if isinstance(allocation, Mapping):
        requested, missing = _mapping_requests(table, by, allocation)
        base_weights = requested.copy()
    else:
        total = _resolve_total(n, fraction, rows)
        if not with_replacement and total > rows:
            msg = (
                f"n={total} exceeds the {rows} rows available. "
                "Hint: pass a smaller n, or with_replacement=True to draw rows more than once."
            )
            raise InvalidParameterError(msg)
        if with_replacement:
            mins = np.full(sizes.size, min_per_stratum, np.int64)
        else:
            mins = np.minimum(sizes, min_per_stratum).astype(np.int64)
        if int(mins.sum()) > total:
            msg = (
                f"min_per_stratum={min_per_stratum} over {sizes.size} strata needs "
                f"{int(mins.sum())} rows but n={total}. "
                "Hint: lower min_per_stratum or raise n."
            )
            raise InvalidParameterError(msg)
        if allocation == "equal":
            base_weights = np.ones(sizes.size, np.int64)
            weights = base_weights
        else:
            base_weights = sizes.astype(np.int64)
            weights = base_weights if with_replacement else sizes - mins
        requested = mins + _largest_remainder(total - int(mins.sum()), weights, sizes, tie)
    if with_replacement:
        return _Plan(table, sizes, requested, requested.copy(), missing)
    taken = np.minimum(requested, sizes)
    if redistribute:
        goal = int(requested.sum()) + int(missing.get_column("__requested").sum())
        while True:
            deficit = goal - int(taken.sum())
            spare = sizes - taken
            if deficit <= 0 or not spare.any():
                break
            weights = np.where(spare > 0, base_weights, 0)
            if not weights.any():
                weights = spare
            add = np.minimum(_largest_remainder(deficit, weights, sizes, tie), spare)
            if not add.any():  # pragma: no cover - largest remainder always places a row
                break
            taken = taken + add
    return _Plan(table, sizes, requested, taken, missing)


def _plan_report(plan: _Plan, by: list[str]) -> pl.DataFrame:
    stats = pl.DataFrame(
        [
            pl.Series("size", plan.sizes, dtype=pl.Int64),
            pl.Series("requested", plan.requested, dtype=pl.Int64),
            pl.Series("taken", plan.taken, dtype=pl.Int64),
        ]
    )
    present = pl.concat([plan.table.select(by), stats], how="horizontal") if by else stats
    absent = plan.missing.select(
        *by,
        pl.lit(0, pl.Int64).alias("size"),
        pl.col("__requested").alias("requested"),
        pl.lit(0, pl.Int64).alias("taken"),
    )
    report = pl.concat([present, absent], how="vertical_relaxed")
    report = report.with_columns(
        (pl.col("requested") - pl.col("taken")).clip(lower_bound=0).alias("shortfall")
    )
    return report.sort(by, nulls_last=True, maintain_order=True) if by else report


def _prepare_sample(
    df: pl.DataFrame,
    by: str | Sequence[str] | None,
    n: int | None,
    fraction: float | None,
    allocation: Allocation,
    min_per_stratum: int,
    with_replacement: bool,
    redistribute: bool,
) -> tuple[list[str], np.ndarray | tuple[Any, ...], np.ndarray, _Plan]:
    """Check the arguments, group the rows and plan the allocation.

    The second item is the per-row stratum ids, or (one narrow integer column) the lookup that
    gives them without materialising them.
    """
    by_cols = as_list(by) or []
    check_columns(df, by_cols)
    _check_sample_args(n, fraction, allocation, min_per_stratum, with_replacement)
    grouped = _group_lookup(df, by_cols)
    if grouped is None:
        ids, first, counts = _group(df, by_cols)
        groups: np.ndarray | tuple[Any, ...] = ids
    else:
        groups, first, counts = grouped
    table = df.select(by_cols)[first] if by_cols else pl.DataFrame()
    plan = _plan(
        table,
        counts,
        by_cols,
        n=n,
        fraction=fraction,
        allocation=allocation,
        min_per_stratum=min_per_stratum,
        with_replacement=with_replacement,
        redistribute=redistribute,
    )
    return by_cols, groups, counts, plan


def stratified_allocation(
    df: pl.DataFrame | pl.LazyFrame,
    by: str | Sequence[str] | None,
    *,
    n: int | None = None,
    fraction: float | None = None,
    allocation: Allocation = "proportional",
    min_per_stratum: int = 0,
    with_replacement: bool = False,
    redistribute: bool = False,
) -> pl.DataFrame:
    """Return how many rows :func:`stratified_sample` takes from each stratum, and why.

    Parameters
    ----------
    df
        The frame to sample (a LazyFrame is collected; only the ``by`` columns are read).
    by
        Column name(s) whose distinct values are the strata; ``None`` is one stratum.
    n, fraction, allocation, min_per_stratum, with_replacement, redistribute
        As in :func:`stratified_sample`.

    Returns
    -------
    pl.DataFrame
        One row per stratum, sorted by the ``by`` values (nulls last): the ``by`` columns,
        ``size`` (rows in the stratum), ``requested`` (its quota), ``taken`` (rows the sample
        takes) and ``shortfall`` (``requested - taken`` when the stratum is too small; 0 when the
        shortfall was moved elsewhere by ``redistribute``). Strata named in an allocation
        mapping but absent from the data appear with ``size`` 0.

    Notes
    -----
    The allocation is exact in integers (largest remainder, Hamilton's method):

    1. each stratum first gets ``min(min_per_stratum, size)`` rows;
    2. the rest, ``n - sum(minimums)``, is split in proportion to a weight: the rows the stratum
       has left (``"proportional"``), or 1 (``"equal"``); each stratum gets the floor of its
       exact share, and the leftover rows go one each to the largest remainders;
    3. ties between equal remainders go to the larger stratum, then to the stratum whose ``by``
       values sort first (nulls last), so the rule never depends on row order;
    4. without replacement a stratum smaller than its quota is taken whole; with
       ``redistribute=True`` the shortfall is split again (same rule) over strata with rows to
       spare, until the total is reached or every stratum is exhausted.

    ``fraction`` means ``n = round(fraction * rows)`` with halves rounded up, computed on the
    decimal the fraction prints as (0.1 is exactly one tenth).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"label": ["a"] * 6 + ["b"] * 3 + ["c"]})
    >>> cp.stratified_allocation(df, "label", n=5)
    shape: (3, 5)
    ┌───────┬──────┬───────────┬───────┬───────────┐
    │ label ┆ size ┆ requested ┆ taken ┆ shortfall │
    │ ---   ┆ ---  ┆ ---       ┆ ---   ┆ ---       │
    │ str   ┆ i64  ┆ i64       ┆ i64   ┆ i64       │
    ╞═══════╪══════╪═══════════╪═══════╪═══════════╡
    │ a     ┆ 6    ┆ 3         ┆ 3     ┆ 0         │
    │ b     ┆ 3    ┆ 2         ┆ 2     ┆ 0         │
    │ c     ┆ 1    ┆ 0         ┆ 0     ┆ 0         │
    └───────┴──────┴───────────┴───────┴───────────┘
    """
    # a LazyFrame is read for the stratum columns only
    frame = df if isinstance(df, pl.DataFrame) else df.select(as_list(by) or pl.first()).collect()
    by_cols, _, _, plan = _prepare_sample(
        frame, by, n, fraction, allocation, min_per_stratum, with_replacement, redistribute
    )
    return _plan_report(plan, by_cols)


def stratified_sample(
    df: FrameT,
    by: str | Sequence[str] | None,
    *,
    n: int | None = None,
    fraction: float | None = None,
    allocation: Allocation = "proportional",
    min_per_stratum: int = 0,
    seed: int = 0,
    with_replacement: bool = False,
    shuffle: bool = False,
    redistribute: bool = False,
) -> FrameT:
    """Sample exactly ``n`` rows (or ``fraction`` of them) with exact per-stratum quotas.

    Parameters
    ----------
    df
        DataFrame or LazyFrame (collected: the quotas need every stratum's size).
    by
        Column name(s) whose distinct values are the strata (null is a stratum of its own);
        ``None`` samples the whole frame as one stratum.
    n
        Total rows to draw. Exactly one of ``n`` and ``fraction`` unless ``allocation`` is a
        mapping.
    fraction
        Share of the rows to draw: ``n = round(fraction * rows)``, halves rounded up.
    allocation
        ``"proportional"`` (quota proportional to stratum size), ``"equal"`` (the same quota
        for every stratum) or a mapping ``stratum value -> count`` (tuples of values for several
        ``by`` columns; strata not named get 0).
    min_per_stratum
        Every stratum first gets this many rows (or all its rows if it has fewer).
    seed
        Seed of the random keys; the same seed and input give the same rows on any thread count.
    with_replacement
        Draw with replacement (a quota may exceed its stratum; rows can repeat).
    shuffle
        Return rows in random order instead of input order.
    redistribute
        Move the shortfall of strata smaller than their quota to strata with rows to spare.

    Returns
    -------
    DataFrame or LazyFrame
        The sampled rows, in input order unless ``shuffle``; the same kind as ``df``.

    Raises
    ------
    InvalidParameterError
        Both or neither of ``n`` and ``fraction``; ``n`` above the row count without
        replacement; minimums that do not fit in ``n``; a bad allocation mapping.
    ColumnNotFoundError
        A ``by`` column is missing.

    Warns
    -----
    SamplingShortfallWarning
        Some strata had fewer rows than their quota (and ``redistribute`` was off): the sample
        is smaller than ``n``. :func:`stratified_allocation` shows the shortfall per stratum.

    See Also
    --------
    stratified_allocation : the quota, rows taken and shortfall per stratum.

    Notes
    -----
    Within a stratum the rows kept are a uniformly random subset of its rows, drawn with
    Robert Floyd's algorithm over the stratum's local row numbers from SplitMix64 of the seed,
    the stratum's number (order of first appearance) and the step; see the module notes. The
    allocation rule (largest remainder, ties to the larger stratum, then to the stratum that
    sorts first) is described in :func:`stratified_allocation`.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"id": range(10), "label": ["a"] * 6 + ["b"] * 3 + ["c"]})
    >>> out = cp.stratified_sample(df, "label", n=5, seed=1)
    >>> out.group_by("label").len().sort("label")
    shape: (2, 2)
    ┌───────┬─────┐
    │ label ┆ len │
    │ ---   ┆ --- │
    │ str   ┆ u32 │
    ╞═══════╪═════╡
    │ a     ┆ 3   │
    │ b     ┆ 2   │
    └───────┴─────┘
    >>> df.careful.stratified_sample("label", n=3, allocation="equal", seed=1).height
    3
    """
    from careful_polars._kernels import sampling as k

    _check_seed(seed)
    frame = df.collect() if isinstance(df, pl.LazyFrame) else df
    _by_cols, groups, counts, plan = _prepare_sample(
        frame, by, n, fraction, allocation, min_per_stratum, with_replacement, redistribute
    )
    if not with_replacement:
        short = int(plan.requested.sum()) + int(plan.missing.get_column("__requested").sum())
        short -= int(plan.taken.sum())
        if short > 0:
            message = (
                f"stratified_sample: {short} of the requested rows could not be drawn because "
                "some strata are smaller than their quota. Hint: see "
                "stratified_allocation(...) for the shortfall per stratum, or pass "
                "redistribute=True to take them from strata with rows to spare."
            )
            logger.info(message)
            warn(message, SamplingShortfallWarning)
        if isinstance(groups, tuple):
            mask = k.select_uniform(None, counts, plan.taken, np.uint64(seed), groups)
        else:
            mask = k.select_uniform(groups, counts, plan.taken, np.uint64(seed))
        out = frame.filter(pl.Series(mask))
        if shuffle:
            keys = k.row_keys(np.flatnonzero(mask), np.uint64(seed))
            out = out[np.argsort(keys, kind="stable")]
    else:
        ids = k.dense_ids(*groups[:5]) if isinstance(groups, tuple) else groups
        rows, keys = k.draw_with_replacement(ids, counts, plan.taken, np.uint64(seed))
        order = rows[np.argsort(keys, kind="stable")] if shuffle else np.sort(rows, kind="stable")
        out = frame[order]
    return out.lazy() if isinstance(df, pl.LazyFrame) else out


# --------------------------------------------------------------------------------------------
# ratio-capped mixing
# --------------------------------------------------------------------------------------------


def as_cap(value: float | Fraction, name: str = "max_synthetic_ratio") -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, np.floating)):
        msg = f"{name}={value!r} is not a number. Hint: pass a share such as 0.3."
        raise InvalidParameterError(msg)
    cap = value if isinstance(value, Fraction) else Fraction(str(float(value)))
    if not 0 <= cap <= 1:
        msg = f"{name}={value!r} is outside [0, 1]. Hint: pass a share such as 0.3."
        raise InvalidParameterError(msg)
    return cap


def allowance(cap: Fraction, real: np.ndarray) -> np.ndarray:
    """Most synthetic rows next to ``real`` real rows: ``floor(cap * real / (1 - cap))``.

    ``cap == 1`` has no limit (the largest int64 stands in for infinity).
    """
    p, q = cap.numerator, cap.denominator
    if p == q:
        return np.full(real.size, np.iinfo(np.int64).max, np.int64)
    if p == 0:
        return np.zeros(real.size, np.int64)
    if int(real.max(initial=0)) * p < _INT64_SAFE:
        return (real.astype(np.int64) * p) // (q - p)
    return np.array([int(r) * p // (q - p) for r in real], dtype=np.int64)


def _holds(cap: Fraction, real: pl.Expr, synthetic: pl.Expr) -> pl.Expr:
    """Exact ``synthetic / (real + synthetic) <= cap`` in integer arithmetic."""
    p, q = cap.numerator, cap.denominator
    if p == q:
        return pl.lit(True)
    return synthetic.cast(pl.Int128) * (q - p) <= real.cast(pl.Int128) * p


def _share(real: pl.Expr, synthetic: pl.Expr) -> pl.Expr:
    total = real + synthetic
    return pl.when(total > 0).then(synthetic / total).otherwise(None)


@dataclass(frozen=True)
class MixResult(Generic[FrameT]):
    """The outcome of :func:`mix`: the training mix, the dropped rows and a per-stratum report.

    ``frame`` + ``dropped`` == real + synthetic (dropped rows carry ``_careful_gate =
    "ratio_cap"``, ``_careful_reason`` and ``_careful_ref``). ``report`` is always eager.
    """

    frame: FrameT
    dropped: FrameT
    report: pl.DataFrame

    @property
    def actual_ratio(self) -> float | None:
        """Overall synthetic share of the mix (None for an empty mix)."""
        real = int(self.report.get_column("real_after").sum())
        synthetic = int(self.report.get_column("synthetic_after").sum())
        return synthetic / (real + synthetic) if real + synthetic else None

    def __iter__(self) -> Iterator[Any]:
        return iter((self.frame, self.dropped, self.report))

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"frame": ..., "dropped": ..., "report": ...}``."""
        return {"frame": self.frame, "dropped": self.dropped, "report": self.report}

    def __repr__(self) -> str:
        def size(frame: pl.DataFrame | pl.LazyFrame) -> str:
            return f"{frame.height} rows" if isinstance(frame, pl.DataFrame) else "lazy"

        ratio = self.actual_ratio
        shown = "n/a" if ratio is None else f"{ratio:.4f}"
        cap = self.report.get_column("cap")[0] if self.report.height else None
        return (
            f"MixResult(frame={size(self.frame)}, dropped={size(self.dropped)}, "
            f"report={self.report.height} strata, actual_ratio={shown}, cap={cap})"
        )


def _check_policy(empty_real: EmptyRealPolicy) -> None:
    if isinstance(empty_real, bool) or not (
        empty_real in ("drop", "global") or (isinstance(empty_real, int) and empty_real >= 0)
    ):
        msg = (
            f"empty_real={empty_real!r} is not a policy. "
            "Hint: use 'drop', 'global' or a non-negative integer allowance per stratum."
        )
        raise InvalidParameterError(msg)


def _with_source(frame: pl.DataFrame, source: str, value: str) -> pl.DataFrame:
    if source in frame.columns:
        return frame
    return frame.with_columns(pl.lit(value).alias(source))


def _buckets(
    synthetic: pl.DataFrame, diversity: IntoExpr
) -> tuple[np.ndarray, int, int, np.ndarray]:
    """Bucket codes, their offset to dense ids, the number of buckets and row validity."""
    if isinstance(diversity, str):
        check_columns(synthetic, [diversity])
    values = synthetic.select(parse_into_expr(diversity).alias("__bucket")).to_series()
    if values.len() != synthetic.height:
        msg = (
            f"diversity gave {values.len()} values for {synthetic.height} synthetic rows. "
            "Hint: pass a column name or a per-row expression."
        )
        raise InvalidParameterError(msg)
    if values.dtype.is_nested() and values.dtype != pl.Struct:
        msg = f"diversity values of dtype {values.dtype} cannot be buckets. Hint: use a scalar."
        raise DtypeNotSupportedError(msg)
    valid = values.is_not_null().to_numpy()
    if _is_integer_like(values.dtype) and values.len() > values.null_count():
        codes, _, _ = _exact_codes(values)
        low, high = int(codes.min()), int(codes.max())
        if high - low < max(4 * codes.size, 1 << 16) and high < 2**63:
            # narrow integers (e.g. cluster ids) are their own dense bucket ids
            return codes, low, high - low + 1, valid
    ids, _, counts = _group(values.to_frame(), ["__bucket"])
    return ids, 0, int(counts.size), valid


def mix(
    real: FrameT,
    synthetic: FrameT,
    max_synthetic_ratio: float | Fraction,
    *,
    by: str | Sequence[str] | None = None,
    per_stratum: bool = True,
    diversity: IntoExpr | None = None,
    seed: int = 0,
    empty_real: EmptyRealPolicy = "drop",
    source: str = "source",
) -> MixResult[FrameT]:
    """Mix real and synthetic rows so the synthetic share never exceeds a cap.

    Every real row is kept. Synthetic rows are downsampled so that
    ``synthetic / (real + synthetic) <= max_synthetic_ratio`` overall and, with
    ``per_stratum=True``, within every stratum of ``by``.

    Parameters
    ----------
    real, synthetic
        The real anchor and the synthetic pool (DataFrames, or LazyFrames which are collected;
        the result has the kind of ``real``). Their columns are stacked diagonally.
    max_synthetic_ratio
        The cap on the synthetic share, in [0, 1]; read as the decimal it prints as (0.3 is
        exactly 3/10) or given as a :class:`fractions.Fraction`. 0 keeps no synthetic row,
        1 keeps them all.
    by
        Column name(s) of the strata (null is a stratum of its own); ``None``: one stratum.
    per_stratum
        Enforce the cap in every stratum (default), or only overall (synthetic rows are then
        chosen from the whole pool).
    diversity
        Which synthetic rows survive: ``None`` (uniformly at random), a cluster column such as
        ``cluster_id`` from near-duplicate marking, or any expression whose values are buckets.
        The kept rows cover as many clusters/buckets as possible (round-robin, see Notes).
    seed
        Seed of the random keys; the same seed and inputs give the same rows on any thread count.
    empty_real
        Policy for strata with synthetic rows but no real rows (only with ``by`` and
        ``per_stratum``): ``"drop"`` (keep none of them), ``"global"`` (they share whatever the
        overall cap leaves over once the other strata are served) or an integer ``k`` (each
        keeps up to ``k`` rows, still within the overall cap).
    source
        Name of the column telling real from synthetic rows: added as ``"real"``/``"synthetic"``
        unless the inputs already carry it (a lineage column), which is then kept as is.

    Returns
    -------
    MixResult
        ``frame`` (real rows, then kept synthetic rows, each in input order), ``dropped``
        (dropped synthetic rows with ``_careful_gate = "ratio_cap"`` and a reason) and
        ``report`` (one row per stratum: ``real_before``, ``real_after``,
        ``synthetic_before``, ``synthetic_after``, ``synthetic_allowed``, ``actual_ratio``,
        ``cap``, ``holds``, ``rule``). The overall actual ratio is logged at INFO level on
        the ``careful_polars.sampling`` logger.

    Raises
    ------
    InvalidParameterError
        A cap outside [0, 1] or an unknown ``empty_real`` policy.
    ColumnNotFoundError
        A ``by`` or ``diversity`` column is missing.

    Notes
    -----
    *The cap.* A stratum with ``r`` real rows keeps at most ``floor(cap * r / (1 - cap))``
    synthetic rows, computed in exact integers; the sum of these floors never exceeds the
    overall allowance, so the overall cap holds too.

    *Which synthetic rows survive.* Without ``diversity`` a stratum keeps a uniformly random
    subset of its synthetic rows (the same draw as :func:`stratified_sample`). With
    ``diversity``, each synthetic row gets a random key (SplitMix64 of seed and position), rows
    are ranked inside their bucket by key, and kept in order of
    (rank in bucket, key): first the smallest-key row of every bucket, in random order, then a
    second row from every bucket that has one, and so on. So ``q`` kept rows always cover
    ``min(q, buckets)`` buckets. A row whose bucket value is null is a bucket of its own.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> real = pl.DataFrame({"text": ["r1", "r2", "r3", "r4"], "intent": ["a", "a", "a", "b"]})
    >>> synthetic = pl.DataFrame(
    ...     {"text": [f"s{i}" for i in range(8)], "intent": ["a"] * 5 + ["b"] * 2 + ["c"]}
    ... )
    >>> result = cp.mix(real, synthetic, 0.5, by="intent", seed=0)
    >>> result.report.select("intent", "real_after", "synthetic_before", "synthetic_after", "rule")
    shape: (3, 5)
    ┌────────┬────────────┬──────────────────┬─────────────────┬─────────────────┐
    │ intent ┆ real_after ┆ synthetic_before ┆ synthetic_after ┆ rule            │
    │ ---    ┆ ---        ┆ ---              ┆ ---             ┆ ---             │
    │ str    ┆ i64        ┆ i64              ┆ i64             ┆ str             │
    ╞════════╪════════════╪══════════════════╪═════════════════╪═════════════════╡
    │ a      ┆ 3          ┆ 5                ┆ 3               ┆ cap             │
    │ b      ┆ 1          ┆ 2                ┆ 1               ┆ cap             │
    │ c      ┆ 0          ┆ 1                ┆ 0               ┆ empty_real=drop │
    └────────┴────────────┴──────────────────┴─────────────────┴─────────────────┘
    >>> result.dropped.get_column("_careful_gate").unique().to_list()
    ['ratio_cap']
    """
    cap = as_cap(max_synthetic_ratio)
    _check_policy(empty_real)
    _check_seed(seed)
    by_cols = as_list(by) or []
    real_df = real.collect() if isinstance(real, pl.LazyFrame) else real
    syn_df = synthetic.collect() if isinstance(synthetic, pl.LazyFrame) else synthetic
    check_columns(real_df, by_cols)
    check_columns(syn_df, by_cols)
    if diversity is not None:
        buckets, bucket_low, n_buckets, bucket_valid = _buckets(syn_df, diversity)
    stratified = bool(by_cols) and per_stratum

    # strata of each side, joined on their values (null matches null)
    syn_ids, syn_first, syn_counts = _group(syn_df, by_cols)
    _, real_first, real_counts = _group(real_df, by_cols)
    if by_cols:
        syn_table = syn_df.select(by_cols)[syn_first].with_columns(
            pl.Series("synthetic_before", syn_counts, dtype=pl.Int64),
            pl.Series("__sid", np.arange(syn_counts.size), dtype=pl.Int64),
        )
        real_table = real_df.select(by_cols)[real_first].with_columns(
            pl.Series("real_before", real_counts, dtype=pl.Int64)
        )
        strata = real_table.join(
            syn_table, on=by_cols, how="full", nulls_equal=True, coalesce=True
        ).sort(by_cols, nulls_last=True, maintain_order=True)
    else:
        strata = pl.DataFrame(
            {
                "real_before": [real_df.height],
                "synthetic_before": [syn_df.height],
                "__sid": [0 if syn_df.height else None],
            },
            schema={"real_before": pl.Int64, "synthetic_before": pl.Int64, "__sid": pl.Int64},
        )
    strata = strata.with_columns(pl.col("real_before", "synthetic_before").fill_null(0))
    r = strata.get_column("real_before").to_numpy().astype(np.int64)
    s = strata.get_column("synthetic_before").to_numpy().astype(np.int64)
    total_real = int(r.sum())
    global_allowance = int(allowance(cap, np.array([total_real]))[0])
    rule = np.full(r.size, "cap", dtype=object)

    if stratified:
        allowed = np.minimum(allowance(cap, r), s)
        empty = (r == 0) & (s > 0)
        if cap == 1:
            allowed = s.copy()
        elif empty.any():
            rule[r == 0] = f"empty_real={empty_real}"
            if empty_real == "drop":
                allowed[empty] = 0
            else:
                budget = max(global_allowance - int(allowed[~empty].sum()), 0)
                wish = s if empty_real == "global" else np.minimum(s, int(empty_real))
                wish = np.where(empty, wish, 0)
                if int(wish.sum()) <= budget:
                    allowed = np.where(empty, wish, allowed)
                else:
                    tie = _tie_rank(strata, by_cols, strata.height)
                    share = _largest_remainder(budget, wish, s, tie)
                    allowed = np.where(empty, share, allowed)
                    rule[empty] = f"empty_real={empty_real} (within the overall cap)"
        quotas = np.zeros(syn_counts.size, np.int64)
        sid = strata.get_column("__sid")
        present = sid.is_not_null().to_numpy()
        quotas[sid.drop_nulls().to_numpy()] = allowed[present]
        select_ids, select_counts = syn_ids, syn_counts
    else:
        overall = min(global_allowance, syn_df.height)
        quotas = np.array([overall], np.int64)
        select_ids = np.zeros(syn_df.height, np.int32)
        select_counts = np.array([syn_df.height], np.int64)
        rule[:] = "overall cap" if by_cols else "cap"

    from careful_polars._kernels import sampling as k

    if diversity is None:
        mask = k.select_uniform(select_ids, select_counts, quotas, np.uint64(seed))
    else:
        mask = k.select_round_robin(
            select_ids,
            select_counts,
            quotas,
            buckets,
            bucket_low,
            n_buckets,
            bucket_valid,
            np.uint64(seed),
        )

    if stratified:  # the selection keeps exactly min(quota, size) rows of every stratum
        kept_per = np.minimum(quotas, syn_counts).astype(np.int64)
    else:
        kept_per = np.bincount(syn_ids, weights=mask, minlength=syn_counts.size).astype(np.int64)
    sid_all = strata.get_column("__sid").to_numpy()
    after = np.zeros(strata.height, np.int64)
    present = ~np.isnan(sid_all.astype(np.float64))
    after[present] = kept_per[sid_all[present].astype(np.int64)]
    if stratified:
        allowed_col = allowed
    else:  # one overall allowance; reported as such in every stratum
        allowed_col = np.full(strata.height, min(global_allowance, syn_df.height), np.int64)
    cap_float = float(cap)
    counts_table = pl.DataFrame(
        [
            pl.Series("real_before", r, dtype=pl.Int64),
            pl.Series("real_after", r, dtype=pl.Int64),
            pl.Series("synthetic_before", s, dtype=pl.Int64),
            pl.Series("synthetic_after", after, dtype=pl.Int64),
            pl.Series("synthetic_allowed", allowed_col, dtype=pl.Int64),
        ]
    )
    report = (
        pl.concat([strata.select(by_cols), counts_table], how="horizontal")
        if by_cols
        else counts_table
    )
    report = report.with_columns(
        _share(pl.col("real_after"), pl.col("synthetic_after")).alias("actual_ratio"),
        pl.lit(cap_float).alias("cap"),
        _holds(cap, pl.col("real_after"), pl.col("synthetic_after")).alias("holds"),
        pl.Series("rule", rule.tolist(), dtype=pl.String),
    )

    kept_total = int(after.sum())
    mixed = total_real + kept_total
    overall_ratio = kept_total / mixed if mixed else 0.0
    logger.info(
        "mix: kept %d of %d synthetic rows next to %d real rows; actual synthetic ratio %.6f "
        "(cap %s)",
        kept_total,
        syn_df.height,
        total_real,
        overall_ratio,
        cap,
    )

    # reasons: one string per stratum, gathered onto the dropped rows
    reasons = _reasons(strata, by_cols, r, s, after, allowed_col, cap, stratified)
    sid_to_reason = np.empty(syn_counts.size, dtype=object)
    sid_to_reason[:] = "synthetic share capped"
    sid_to_reason[sid_all[present].astype(np.int64)] = np.asarray(reasons, dtype=object)[present]
    mask_series = pl.Series(mask)
    drop_series = ~mask_series
    kept_syn = _with_source(syn_df.filter(mask_series), source, "synthetic")
    drop_ids = pl.Series(syn_ids).filter(drop_series).cast(pl.UInt32)
    reason_series = pl.Series(REASON_COL, sid_to_reason.tolist(), dtype=pl.String)
    dropped = _with_source(syn_df.filter(drop_series), source, "synthetic").with_columns(
        pl.lit(RATIO_CAP_GATE).alias(GATE_COL),
        reason_series.gather(drop_ids)
        if drop_ids.len()
        else pl.lit(None, pl.String).alias(REASON_COL),
        pl.lit(None, pl.UInt64).alias(REF_COL),
    )
    frame = pl.concat([_with_source(real_df, source, "real"), kept_syn], how="diagonal_relaxed")
    if isinstance(real, pl.LazyFrame):
        return MixResult(frame.lazy(), dropped.lazy(), report)
    return MixResult(frame, dropped, report)


def _reasons(
    strata: pl.DataFrame,
    by: list[str],
    real: np.ndarray,
    synthetic: np.ndarray,
    after: np.ndarray,
    allowed: np.ndarray,
    cap: Fraction,
    stratified: bool,
) -> list[str]:
    labels = (
        strata.select(
            pl.concat_str(
                [
                    pl.lit(f"{name}=") + pl.col(name).cast(pl.String).fill_null("null")
                    for name in by
                ],
                separator=", ",
            )
        )
        .to_series()
        .to_list()
        if by
        else ["all rows"] * strata.height
    )
    scope = "stratum" if stratified else "overall cap; stratum"
    return [
        f"{scope} {label}: synthetic share capped at {float(cap):g}; kept {a} of {s} synthetic "
        f"rows next to {r} real rows (allowed {min(int(w), int(s))})"
        for label, r, s, a, w in zip(labels, real, synthetic, after, allowed, strict=True)
    ]


# --------------------------------------------------------------------------------------------
# auditing an existing mix
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioReport:
    """Synthetic share of a mix per stratum, and whether it respects a cap.

    ``report`` has one row per stratum (``real``, ``synthetic``, ``synthetic_share``, ``cap``,
    ``holds``); ``actual_ratio`` is the overall share; ``holds`` is None without a cap.
    """

    report: pl.DataFrame
    actual_ratio: float | None
    cap: float | None
    holds: bool | None

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a dictionary."""
        return {
            "report": self.report,
            "actual_ratio": self.actual_ratio,
            "cap": self.cap,
            "holds": self.holds,
        }

    def __repr__(self) -> str:
        shown = "n/a" if self.actual_ratio is None else f"{self.actual_ratio:.4f}"
        return (
            f"RatioReport({self.report.height} strata, actual_ratio={shown}, "
            f"cap={self.cap}, holds={self.holds})"
        )


def ratio_report(
    df: pl.DataFrame | pl.LazyFrame,
    *,
    source: str = "source",
    by: str | Sequence[str] | None = None,
    cap: float | Fraction | None = None,
    per_stratum: bool = True,
) -> RatioReport:
    """Audit the synthetic share of an existing mix, per stratum and overall.

    Parameters
    ----------
    df
        The mix (DataFrame or LazyFrame; only ``source`` and ``by`` are read).
    source
        Column whose values are ``"real"`` or ``"synthetic"``.
    by
        Column name(s) of the strata; ``None`` reports the whole frame as one stratum.
    cap
        The maximum synthetic share to check against, or ``None`` to only measure.
    per_stratum
        Whether every stratum must respect the cap (default) or only the overall share.

    Returns
    -------
    RatioReport
        ``report`` (the ``by`` columns, ``real``, ``synthetic``, ``synthetic_share``, ``cap``,
        ``holds``; sorted by ``by``, nulls last), the overall ``actual_ratio`` and ``holds``.
        The check ``synthetic / (real + synthetic) <= cap`` is exact in integer arithmetic.

    Raises
    ------
    InvalidParameterError
        ``source`` holds values other than ``"real"`` and ``"synthetic"``, or a bad cap.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame(
    ...     {"source": ["real", "real", "synthetic", "synthetic"], "intent": ["a", "b", "a", "b"]}
    ... )
    >>> rr = cp.ratio_report(df, by="intent", cap=0.5)
    >>> rr.holds, rr.actual_ratio
    (True, 0.5)
    >>> rr.report
    shape: (2, 6)
    ┌────────┬──────┬───────────┬─────────────────┬─────┬───────┐
    │ intent ┆ real ┆ synthetic ┆ synthetic_share ┆ cap ┆ holds │
    │ ---    ┆ ---  ┆ ---       ┆ ---             ┆ --- ┆ ---   │
    │ str    ┆ i64  ┆ i64       ┆ f64             ┆ f64 ┆ bool  │
    ╞════════╪══════╪═══════════╪═════════════════╪═════╪═══════╡
    │ a      ┆ 1    ┆ 1         ┆ 0.5             ┆ 0.5 ┆ true  │
    │ b      ┆ 1    ┆ 1         ┆ 0.5             ┆ 0.5 ┆ true  │
    └────────┴──────┴───────────┴─────────────────┴─────┴───────┘
    """
    by_cols = as_list(by) or []
    check_columns(df, [source, *by_cols])
    exact_cap = None if cap is None else as_cap(cap, "cap")
    lf = df.lazy()
    src = pl.col(source)
    agg = [
        (src == "real").sum().cast(pl.Int64).alias("real"),
        (src == "synthetic").sum().cast(pl.Int64).alias("synthetic"),
        (src.is_null() | ~src.is_in(["real", "synthetic"])).sum().alias("__other"),
    ]
    grouped = lf.group_by(by_cols).agg(agg) if by_cols else lf.select(agg)
    table = grouped.collect()
    if int(table.get_column("__other").sum()) > 0:
        bad = (
            lf.select(src.cast(pl.String))
            .filter(src.is_null() | ~src.cast(pl.String).is_in(["real", "synthetic"]))
            .unique()
            .head(5)
            .collect()
            .to_series()
            .to_list()
        )
        msg = (
            f"column {source!r} holds values other than 'real' and 'synthetic', e.g. {bad}. "
            "Hint: map them to 'real'/'synthetic' first, or pass source=the lineage column."
        )
        raise InvalidParameterError(msg)
    table = table.drop("__other")
    if by_cols:
        table = table.sort(by_cols, nulls_last=True, maintain_order=True)
    cap_float = None if exact_cap is None else float(exact_cap)
    holds_expr = (
        pl.lit(None, pl.Boolean)
        if exact_cap is None
        else _holds(exact_cap, pl.col("real"), pl.col("synthetic"))
    )
    table = table.with_columns(
        _share(pl.col("real"), pl.col("synthetic")).alias("synthetic_share"),
        pl.lit(cap_float, pl.Float64).alias("cap"),
        holds_expr.alias("holds"),
    )
    real_total = int(table.get_column("real").sum())
    syn_total = int(table.get_column("synthetic").sum())
    actual = syn_total / (real_total + syn_total) if real_total + syn_total else None
    holds: bool | None = None
    if exact_cap is not None:
        p, q = exact_cap.numerator, exact_cap.denominator
        holds = p == q or syn_total * (q - p) <= real_total * p
        if per_stratum:
            holds = holds and bool(table.get_column("holds").all())
    return RatioReport(table, actual, cap_float, holds)
