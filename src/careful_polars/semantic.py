"""Semantic duplicates: rows whose embeddings have a cosine similarity >= a threshold.

The user brings the embeddings (any model: ``pl.Array(pl.Float32, d)`` or a List of floats);
this module downloads no model. Two methods find the pairs:

- ``method="exact"``: every pair is compared, in float32 BLAS blocks of the row-normalised
  matrix (no ``n x n`` matrix is ever held); cost ``O(n**2 d)``, the reference answer.
- ``method="clustered"``: SemDeDup (Abbas et al. 2023): spherical k-means on a seeded sample,
  every row assigned to its nearest centroid(s), and pairs compared only inside a cluster;
  cost about ``O(n sqrt(n) d)``. A pair whose rows land in different clusters is missed unless
  ``probes > 1`` also compares each row with the members of its next-nearest clusters: the
  recall it trades is measured in docs/quality.md.

Both methods verify every candidate pair by its float64 cosine (accumulated from the float32
values) against ``threshold``, so a reported pair is always a true pair. Removal follows the
near-duplicate rule: rows are visited in keep-order and a row is removed only when its cosine
with an already kept row is >= ``threshold``; it then names that kept row (``dup_of``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from careful_polars._results import Split, add_reject_columns
from careful_polars._typing import FrameT
from careful_polars._utils import (
    check_columns,
    check_in,
    check_new_columns,
    check_probability,
    schema_of,
)
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

__all__ = [
    "mark_semantic_duplicates",
    "semantic_dedup",
    "semantic_duplicate_pairs",
    "split_semantic_duplicates",
]

#: Gate name carried by rows rejected as semantic duplicates.
GATE = "semantic_duplicate"

Method = Literal["exact", "clustered"]
KeepSemantic = Literal["first"] | pl.Expr

MARK_COLUMNS = ("cluster_id", "is_representative", "dup_of", "similarity")
_SPLIT_COLUMNS = tuple(f"__careful_{name}" for name in MARK_COLUMNS)
_ID = "example_id"
_METHODS = ("exact", "clustered")

#: float32 products of unit vectors are within ~d * 2**-24 of the float64 cosine; candidates
#: are taken this far below the threshold and then verified in float64, so none is lost.
_F32_MARGIN = 1e-3
#: Rows per block on each side of a BLAS product (a 1024 x 8192 float32 block is 32 MiB).
_BLOCK_ROWS = 1024
_BLOCK_COLS = 8192
#: Spherical k-means: Lloyd iterations, and sample rows per centroid it is fitted on.
_KMEANS_ITERS = 10
_KMEANS_SAMPLE_PER_CLUSTER = 64
_KMEANS_MIN_SAMPLE = 10_000


# --------------------------------------------------------------------------- checks


def check_params(
    *, threshold: float, keep: Any, method: str, n_clusters: int | None, probes: int, seed: int
) -> None:
    """Check semantic-duplicate parameters up front (used by gates when they are built)."""
    check_probability("threshold", threshold, open_low=True)
    if not isinstance(keep, pl.Expr):
        check_in("keep", keep, ("first", "<a pl.Expr to maximise>"))
    check_in("method", method, _METHODS)
    if n_clusters is not None and (not isinstance(n_clusters, int) or n_clusters < 1):
        msg = (
            f"n_clusters={n_clusters!r} is not a positive integer. "
            "Hint: pass e.g. 1000, or None for round(sqrt(rows))."
        )
        raise InvalidParameterError(msg)
    if not isinstance(probes, int) or probes < 1:
        msg = f"probes={probes!r} is not a positive integer. Hint: use 1 (SemDeDup) or 2-3."
        raise InvalidParameterError(msg)
    if not isinstance(seed, int) or seed < 0:
        msg = f"seed={seed!r} is not a non-negative integer. Hint: use e.g. seed=0."
        raise InvalidParameterError(msg)


def check_embedding_dtype(df: pl.DataFrame | pl.LazyFrame, embedding: str) -> None:
    """Raise unless ``embedding`` is a column of ``pl.Array`` or ``pl.List`` of floats."""
    check_columns(df, [embedding])
    dtype = schema_of(df)[embedding]
    inner = dtype.inner if isinstance(dtype, (pl.Array, pl.List)) else None
    if inner is None or not inner.is_float() or isinstance(inner, (pl.Array, pl.List)):
        msg = (
            f"embedding column {embedding!r} has dtype {dtype}, not an Array or List of floats. "
            f"Hint: store one vector per row as pl.Array(pl.Float32, d), e.g. "
            f"pl.Series({embedding!r}, matrix.astype('float32')) from a (rows, d) NumPy array."
        )
        raise DtypeNotSupportedError(msg)


def _matrix(series: pl.Series) -> np.ndarray:
    """The embeddings as a C-contiguous ``(n, d)`` float32 array, after the value checks."""
    name = series.name
    nulls = series.null_count()
    if nulls:
        first = int(series.is_null().arg_true()[0])
        msg = (
            f"embedding column {name!r} has {nulls} null vector(s) (first at row {first}). "
            f"Hint: embed those rows or drop them first: df.filter(pl.col({name!r}).is_not_null())."
        )
        raise InvalidParameterError(msg)
    if isinstance(series.dtype, pl.List):
        lengths = series.list.len().to_numpy()
        lo, hi = (int(lengths.min()), int(lengths.max())) if len(lengths) else (0, 0)
        if lo != hi:
            row = int(np.flatnonzero(lengths != lengths[0])[0])
            msg = (
                f"embedding column {name!r} holds vectors of different lengths ({lo} to {hi}; "
                f"row {row} has {int(lengths[row])}, row 0 has {int(lengths[0])}). "
                "Hint: every row needs a vector from the same model (same dimension)."
            )
            raise InvalidParameterError(msg)
        d = hi
        flat = series.explode()
    else:
        assert isinstance(series.dtype, pl.Array)
        d = int(series.dtype.size)
        flat = series.arr.explode()
    if flat.null_count():
        row = int(flat.is_null().arg_true()[0]) // max(d, 1)
        msg = (
            f"embedding column {name!r} has a vector with null elements (row {row}). "
            "Hint: null elements have no meaning in a cosine; re-embed that row or drop it."
        )
        raise InvalidParameterError(msg)
    if d == 0 and len(series):
        msg = (
            f"embedding column {name!r} holds empty vectors. Hint: pass vectors of dimension >= 1."
        )
        raise InvalidParameterError(msg)
    x = flat.cast(pl.Float32).to_numpy()
    return np.ascontiguousarray(x.reshape(len(series), d))


def _norms(x: np.ndarray, name: str) -> np.ndarray:
    from careful_polars._kernels._threads import run_ranges
    from careful_polars._kernels.semantic import norms_and_checks

    n = len(x)
    norms = np.empty(n, dtype=np.float64)
    bad = np.zeros(n, dtype=np.int8)
    run_ranges(n, lambda lo, hi: norms_and_checks(x, norms, bad, lo, hi), min_rows=50_000)
    for flag, what, hint in (
        (1, "NaN or infinite values", "fix the embedding step; such a vector has no direction"),
        (2, "all-zero vectors", "a zero vector has no cosine; embed those rows again or drop them"),
    ):
        rows = np.flatnonzero(bad == flag)
        if len(rows):
            msg = (
                f"embedding column {name!r} has {len(rows)} vector(s) with {what} "
                f"(first at row {int(rows[0])}). Hint: {hint}."
            )
            raise InvalidParameterError(msg)
    return norms


# --------------------------------------------------------------------------- pair finding


def _block_pairs(
    xa: np.ndarray, inv_a: np.ndarray, xb: np.ndarray, inv_b: np.ndarray, cut: float, upper: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` with cosine(xa[i], xb[j]) >= cut (``i < j`` only when ``upper``)."""
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    for i0 in range(0, len(xa), _BLOCK_ROWS):
        i1 = min(i0 + _BLOCK_ROWS, len(xa))
        left = xa[i0:i1]
        for j0 in range(i0 if upper else 0, len(xb), _BLOCK_COLS):
            j1 = min(j0 + _BLOCK_COLS, len(xb))
            s = left @ xb[j0:j1].T
            s *= inv_a[i0:i1, None]
            s *= inv_b[None, j0:j1]
            ii, jj = np.nonzero(s >= cut)
            ii += i0
            jj += j0
            if upper:
                m = ii < jj
                ii, jj = ii[m], jj[m]
            out_a.append(ii.astype(np.int64))
            out_b.append(jj.astype(np.int64))
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_a), np.concatenate(out_b)


def _spherical_kmeans(x: np.ndarray, inv: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Unit centroids ``(k, d)`` from Lloyd iterations of spherical k-means on a seeded sample."""
    rng = np.random.default_rng(seed)
    n = len(x)
    m = min(n, max(_KMEANS_MIN_SAMPLE, _KMEANS_SAMPLE_PER_CLUSTER * k))
    sample_rows = np.sort(rng.choice(n, size=m, replace=False))
    sample = x[sample_rows] * inv[sample_rows, None]
    centroids = sample[rng.choice(m, size=k, replace=False)].copy()
    for _ in range(_KMEANS_ITERS):
        label = np.empty(m, dtype=np.int64)
        for i0 in range(0, m, _BLOCK_COLS):
            label[i0 : i0 + _BLOCK_COLS] = np.argmax(sample[i0 : i0 + _BLOCK_COLS] @ centroids.T, 1)
        sums = np.zeros_like(centroids, dtype=np.float64)
        np.add.at(sums, label, sample)
        counts = np.bincount(label, minlength=k)
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            sums[empty] = sample[rng.choice(m, size=len(empty), replace=False)]
        lengths = np.linalg.norm(sums, axis=1)
        lengths[lengths == 0] = 1.0
        centroids = (sums / lengths[:, None]).astype(np.float32)
    return np.asarray(centroids)


def _assign(x: np.ndarray, centroids: np.ndarray, probes: int) -> np.ndarray:
    """The ``probes`` nearest centroids of every row, nearest first, as ``(n, probes)``."""
    n, k = len(x), len(centroids)
    p = min(probes, k)
    out = np.empty((n, p), dtype=np.int64)
    for i0 in range(0, n, _BLOCK_COLS):
        s = x[i0 : i0 + _BLOCK_COLS] @ centroids.T
        if p == 1:
            out[i0 : i0 + _BLOCK_COLS, 0] = np.argmax(s, 1)
        else:
            top = np.argpartition(-s, p - 1, axis=1)[:, :p]
            order = np.argsort(-np.take_along_axis(s, top, 1), axis=1, kind="stable")
            out[i0 : i0 + _BLOCK_COLS] = np.take_along_axis(top, order, 1)
    return out


def _clustered_pairs(
    x: np.ndarray, inv: np.ndarray, cut: float, n_clusters: int | None, probes: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(x)
    k = min(n, n_clusters if n_clusters is not None else max(1, round(math.sqrt(n))))
    centroids = _spherical_kmeans(x, inv, k, seed)
    near = _assign(x, centroids, probes)
    label = near[:, 0]
    by_cluster = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[by_cluster], np.arange(k + 1))
    visitors = None
    if near.shape[1] > 1:
        vis_row = np.repeat(np.arange(n, dtype=np.int64), near.shape[1] - 1)
        vis_cluster = near[:, 1:].reshape(-1)
        order = np.argsort(vis_cluster, kind="stable")
        visitors = (vis_row[order], np.searchsorted(vis_cluster[order], np.arange(k + 1)))
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    for c in range(k):
        members = by_cluster[bounds[c] : bounds[c + 1]]
        if len(members) == 0:
            continue
        xc, ic = x[members], inv[members]
        ia, ib = _block_pairs(xc, ic, xc, ic, cut, upper=True)
        out_a.append(members[ia])
        out_b.append(members[ib])
        if visitors is not None:
            vis = visitors[0][visitors[1][c] : visitors[1][c + 1]]
            if len(vis):
                va, vb = _block_pairs(x[vis], inv[vis], xc, ic, cut, upper=False)
                out_a.append(vis[va])
                out_b.append(members[vb])
    a = np.concatenate(out_a) if out_a else np.zeros(0, dtype=np.int64)
    b = np.concatenate(out_b) if out_b else np.zeros(0, dtype=np.int64)
    return np.minimum(a, b), np.maximum(a, b), label


def _verified_pairs(
    x: np.ndarray,
    norms: np.ndarray,
    threshold: float,
    method: str,
    n_clusters: int | None,
    probes: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Sorted unique pairs ``a < b`` with float64 cosine >= threshold, their cosines, candidates."""
    from careful_polars._kernels._threads import run_ranges
    from careful_polars._kernels.semantic import pair_cosine

    inv = (1.0 / norms).astype(np.float32)
    cut = threshold - _F32_MARGIN
    if method == "exact":
        a, b = _block_pairs(x, inv, x, inv, cut, upper=True)
    else:
        a, b, _ = _clustered_pairs(x, inv, cut, n_clusters, probes, seed)
    n = max(len(x), 1)
    packed = np.unique(a * n + b)
    a, b = packed // n, packed % n
    sim = np.empty(len(a), dtype=np.float64)
    run_ranges(len(a), lambda lo, hi: pair_cosine(x, norms, a, b, sim, lo, hi), min_rows=20_000)
    ok = sim >= threshold
    return a[ok], b[ok], sim[ok], len(packed)


# --------------------------------------------------------------------------- marking


@dataclass(frozen=True)
class _Result:
    component: np.ndarray  # dense component id of every row, numbered by first row
    keeper: np.ndarray  # the kept row each row duplicates (itself when kept)
    similarity: np.ndarray  # cosine to that kept row (NaN on kept rows)


def _keep_order(df: pl.DataFrame, keep: KeepSemantic) -> np.ndarray:
    from careful_polars.neardup import keep_order

    if isinstance(keep, str):
        return keep_order(df.height, None, None)
    s = df.select(keep.cast(pl.Float64).alias("score")).to_series()
    has = (s.is_not_null() & s.is_not_nan()).to_numpy()
    return keep_order(df.height, s.fill_nan(None).fill_null(0.0).to_numpy(), has)


def _resolve(
    n: int, a: np.ndarray, b: np.ndarray, sim: np.ndarray, order: np.ndarray, threshold: float
) -> _Result:
    """The near-dedup greedy rule over cosine links already verified >= ``threshold``."""
    from careful_polars._kernels.minhash import union_find
    from careful_polars.neardup import keep_rows

    keeper, keeper_sim, _ = keep_rows(order, a, b, sim, threshold, "verified", None, None)
    root = union_find(n, a, b)
    _, dense = np.unique(root, return_inverse=True)
    return _Result(dense.astype(np.int64), keeper, keeper_sim)


def _ids(df: pl.DataFrame) -> pl.Series:
    if _ID in df.columns:
        return pl.Series(_ID, df[_ID], dtype=pl.UInt64, strict=False)
    from careful_polars.hashing import content_hash

    return df.select(content_hash(df.columns).alias(_ID)).to_series()


def _mark_frame(
    df: pl.DataFrame,
    embedding: str,
    threshold: float,
    keep: KeepSemantic,
    method: str,
    n_clusters: int | None,
    probes: int,
    seed: int,
    names: tuple[str, ...],
) -> pl.DataFrame:
    x = _matrix(df[embedding])
    norms = _norms(x, embedding)
    a, b, sim, _ = _verified_pairs(x, norms, threshold, method, n_clusters, probes, seed)
    res = _resolve(df.height, a, b, sim, _keep_order(df, keep), threshold)
    ids = _ids(df)
    is_rep = res.keeper == np.arange(df.height)
    cluster, rep, dup_of, similarity = names
    out = df.with_columns(
        pl.Series(cluster, res.component),
        pl.Series(rep, is_rep),
        pl.when(pl.Series(is_rep)).then(None).otherwise(ids.gather(res.keeper)).alias(dup_of),
        pl.Series(similarity, res.similarity).fill_nan(None),
    )
    if _ID not in df.columns:
        out = out.with_columns(ids.alias(_ID))
    return out


def _mark(
    df: FrameT,
    embedding: str,
    threshold: float,
    keep: KeepSemantic,
    method: str,
    n_clusters: int | None,
    probes: int,
    seed: int,
    names: tuple[str, ...],
) -> FrameT:
    check_params(
        threshold=threshold, keep=keep, method=method, n_clusters=n_clusters, probes=probes,
        seed=seed,
    )  # fmt: skip
    check_embedding_dtype(df, embedding)

    def run(frame: pl.DataFrame) -> pl.DataFrame:
        return _mark_frame(
            frame, embedding, threshold, keep, method, n_clusters, probes, seed, names
        )

    if isinstance(df, pl.LazyFrame):
        schema: dict[str, Any] = dict(schema_of(df))
        schema.update(zip(names, (pl.Int64, pl.Boolean, pl.UInt64, pl.Float64), strict=True))
        schema.setdefault(_ID, pl.UInt64)
        return df.map_batches(run, schema=schema)
    return run(df)


def mark_semantic_duplicates(
    df: FrameT,
    embedding: str = "embedding",
    *,
    threshold: float = 0.95,
    keep: KeepSemantic = "first",
    method: Method = "exact",
    n_clusters: int | None = None,
    probes: int = 1,
    seed: int = 0,
    overwrite: bool = False,
) -> FrameT:
    """Mark rows whose embedding is a semantic duplicate of a kept row (lossless).

    Two rows are linked when the cosine of their embeddings is >= ``threshold``. Rows are
    visited in keep-order; a row is removed (``is_representative`` False) only when it is linked
    to a row already kept, and ``dup_of`` names that kept row, so every removed row has cosine
    >= ``threshold`` with the kept row it names, never only through a chain. ``cluster_id`` is
    the connected component of the links (a chain of links is one component even when its ends
    are far apart; such a component keeps several rows). Needs the whole table (a LazyFrame runs
    it at collection).

    Parameters
    ----------
    df
        DataFrame or LazyFrame.
    embedding
        Column of vectors: ``pl.Array(pl.Float32, d)`` (best: read without a copy), or an Array
        or List of any float dtype (cast to float32). No nulls, NaN, infinities or zero vectors.
    threshold
        Cosine similarity at which two rows are duplicates, in (0, 1].
    keep
        The keep-order: ``"first"`` (row position) or an expression to maximise (e.g. a quality
        score; nulls lose, ties go to the earlier row). The best row of every component is kept.
    method
        ``"exact"``: compare every pair (BLAS blocks, ``O(n**2 d)``: up to ~100k rows in seconds);
        ``"clustered"``: SemDeDup, compare only within k-means clusters (``O(n sqrt(n) d)``),
        which misses pairs split across clusters (see docs/quality.md for the measured recall).
    n_clusters
        k-means clusters for ``method="clustered"``; ``None`` is ``round(sqrt(rows))``.
    probes
        With ``method="clustered"``, each row is also compared with the members of its
        ``probes - 1`` next-nearest clusters (1: SemDeDup as published).
    seed
        Seed of the k-means sample and initial centroids (``method="clustered"``).
    overwrite
        Replace ``cluster_id``, ``is_representative``, ``dup_of`` or ``similarity`` if present;
        by default that raises :class:`~careful_polars.exceptions.ColumnExistsError`.

    Returns
    -------
    DataFrame or LazyFrame
        The input plus ``cluster_id`` (Int64, component, numbered by first row),
        ``is_representative`` (the row is kept), ``dup_of`` (``example_id`` of the kept row it
        duplicates; null on kept rows), ``similarity`` (cosine to that kept row; null on kept
        rows) and ``example_id`` when it was not already there
        (:func:`careful_polars.hashing.content_hash` of all the row's columns).

    Raises
    ------
    ColumnNotFoundError
        ``embedding`` is not a column.
    ColumnExistsError
        An added column exists and ``overwrite`` is False.
    DtypeNotSupportedError
        ``embedding`` is not an Array or List of floats.
    InvalidParameterError
        A parameter is out of range, or (at collection) a vector is null, ragged, non-finite or
        zero.

    See Also
    --------
    semantic_dedup, split_semantic_duplicates, semantic_duplicate_pairs,
    careful_polars.mark_near_duplicates : the same on MinHash of the text.

    Notes
    -----
    Cosines are verified in float64 from the float32 values, so the pair set does not depend on
    BLAS or the thread count; ``method="clustered"`` also depends on ``seed`` through k-means.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame(
    ...     {"embedding": [[1.0, 0.0], [0.0, 1.0], [0.99, 0.05]]},
    ...     schema={"embedding": pl.Array(pl.Float32, 2)},
    ... )
    >>> cp.mark_semantic_duplicates(df).select(
    ...     "cluster_id", "is_representative", pl.col("similarity").round(4)
    ... )
    shape: (3, 3)
    ┌────────────┬───────────────────┬────────────┐
    │ cluster_id ┆ is_representative ┆ similarity │
    │ ---        ┆ ---               ┆ ---        │
    │ i64        ┆ bool              ┆ f64        │
    ╞════════════╪═══════════════════╪════════════╡
    │ 0          ┆ true              ┆ null       │
    │ 1          ┆ true              ┆ null       │
    │ 0          ┆ false             ┆ 0.9987     │
    └────────────┴───────────────────┴────────────┘
    """
    check_new_columns(df, MARK_COLUMNS, overwrite=overwrite)
    return _mark(df, embedding, threshold, keep, method, n_clusters, probes, seed, MARK_COLUMNS)


def semantic_dedup(
    df: FrameT,
    embedding: str = "embedding",
    *,
    threshold: float = 0.95,
    keep: KeepSemantic = "first",
    method: Method = "exact",
    n_clusters: int | None = None,
    probes: int = 1,
    seed: int = 0,
) -> FrameT:
    """Drop rows that are semantic duplicates of a kept row; the rest stay, in input order.

    Same parameters as :func:`mark_semantic_duplicates`; :func:`split_semantic_duplicates`
    keeps the dropped rows too.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"id": [1, 2, 3], "embedding": [[1.0, 0.0], [0.98, 0.1], [0.0, 1.0]]})
    >>> cp.semantic_dedup(df)["id"].to_list()
    [1, 3]
    """
    return split_semantic_duplicates(
        df, embedding, threshold=threshold, keep=keep, method=method, n_clusters=n_clusters,
        probes=probes, seed=seed,
    ).kept  # fmt: skip


def split_semantic_duplicates(
    df: FrameT,
    embedding: str = "embedding",
    *,
    threshold: float = 0.95,
    keep: KeepSemantic = "first",
    method: Method = "exact",
    n_clusters: int | None = None,
    probes: int = 1,
    seed: int = 0,
) -> Split[FrameT]:
    """Split rows into kept rows and semantic duplicates of kept rows (gate "semantic_duplicate").

    Same parameters as :func:`mark_semantic_duplicates`. ``kept`` + ``rejected`` == input: kept
    rows keep the input columns; rejected rows add ``_careful_gate`` ("semantic_duplicate"),
    ``_careful_reason`` (the cosine) and ``_careful_ref`` (the kept row's ``example_id``).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"id": [1, 2, 3], "embedding": [[1.0, 0.0], [0.98, 0.1], [0.0, 1.0]]})
    >>> kept, rejected = cp.split_semantic_duplicates(df)
    >>> rejected.select("id", "_careful_gate", "_careful_reason")
    shape: (1, 3)
    ┌─────┬────────────────────┬─────────────────────────────────┐
    │ id  ┆ _careful_gate      ┆ _careful_reason                 │
    │ --- ┆ ---                ┆ ---                             │
    │ i64 ┆ str                ┆ str                             │
    ╞═════╪════════════════════╪═════════════════════════════════╡
    │ 2   ┆ semantic_duplicate ┆ semantic duplicate (cosine 0.9… │
    └─────┴────────────────────┴─────────────────────────────────┘
    """
    columns: list[str] = list(schema_of(df).names())
    _, is_rep, dup_of, similarity = _SPLIT_COLUMNS
    marked = _mark(df, embedding, threshold, keep, method, n_clusters, probes, seed, _SPLIT_COLUMNS)
    if isinstance(marked, pl.LazyFrame):
        marked = marked.cache()
    kept = marked.filter(pl.col(is_rep)).select(columns)
    reason = pl.format(
        "semantic duplicate (cosine {}) of example {}",
        pl.col(similarity).round(4),
        pl.col(dup_of),
    )
    rejected = add_reject_columns(
        marked.filter(~pl.col(is_rep)), GATE, reason, pl.col(dup_of)
    ).select([*columns, "_careful_gate", "_careful_reason", "_careful_ref"])
    return Split(kept, rejected)


def semantic_duplicate_pairs(
    df: pl.DataFrame | pl.LazyFrame,
    embedding: str = "embedding",
    *,
    threshold: float = 0.95,
    method: Method = "exact",
    n_clusters: int | None = None,
    probes: int = 1,
    seed: int = 0,
) -> pl.DataFrame:
    """Return the linked pairs behind :func:`mark_semantic_duplicates`: cosine >= ``threshold``.

    With ``method="exact"`` these are all such pairs; with ``"clustered"`` those found inside
    clusters (every one verified). Always eager.

    Returns
    -------
    pl.DataFrame
        ``row_a`` < ``row_b`` (UInt32 positions), ``example_id_a``, ``example_id_b`` and
        ``similarity`` (float64 cosine), sorted by ``row_a``, ``row_b``.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"embedding": [[1.0, 0.0], [0.0, 1.0], [1.0, 0.01]]})
    >>> cp.semantic_duplicate_pairs(df).select("row_a", "row_b", pl.col("similarity").round(4))
    shape: (1, 3)
    ┌───────┬───────┬────────────┐
    │ row_a ┆ row_b ┆ similarity │
    │ ---   ┆ ---   ┆ ---        │
    │ u32   ┆ u32   ┆ f64        │
    ╞═══════╪═══════╪════════════╡
    │ 0     ┆ 2     ┆ 1.0        │
    └───────┴───────┴────────────┘
    """
    check_params(
        threshold=threshold, keep="first", method=method, n_clusters=n_clusters, probes=probes,
        seed=seed,
    )  # fmt: skip
    check_embedding_dtype(df, embedding)
    frame = df.collect() if isinstance(df, pl.LazyFrame) else df
    x = _matrix(frame[embedding])
    norms = _norms(x, embedding)
    a, b, sim, _ = _verified_pairs(x, norms, threshold, method, n_clusters, probes, seed)
    ids = _ids(frame)
    return pl.DataFrame(
        {
            "row_a": pl.Series(a, dtype=pl.UInt32),
            "row_b": pl.Series(b, dtype=pl.UInt32),
            "example_id_a": ids.gather(a),
            "example_id_b": ids.gather(b),
            "similarity": pl.Series(sim, dtype=pl.Float64),
        }
    )
