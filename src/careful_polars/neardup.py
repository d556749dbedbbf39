"""Near-duplicates: MinHash signatures, LSH banding, verified clusters and their filters.

From a raw String column to clusters in one call: normalisation, shingling, shingle hashing and
the permutations run in one numba kernel over Polars' own string buffers (no Python per document,
no exploded frame); candidates come from LSH band keys with every bucket linked in linear time;
candidate links are verified (exact Jaccard of the shingle sets by default) and clusters are the
connected components of the verified links (union-find in a kernel).

The signature scheme is a contract, named by :data:`SCHEME_VERSION`; indexes and manifests
record it, and a change to any step below gets a new version string.

1. **Tokens** (``normalize=True``, the default): bytes ``A-Z`` are lowercased; ASCII whitespace,
   ASCII punctuation and control bytes separate tokens. Bytes ``>= 0x80`` are always part of a
   token and are not case-folded, so non-ASCII words survive whole but ``"Ä"`` and ``"ä"``
   differ; pass ``normalize="unicode"`` to apply :func:`careful_polars.text.normalize_text`
   (NFKC + casefold) before the byte-level step. ``normalize=False``: only ASCII whitespace
   separates tokens and bytes are taken as they are.
2. **Normal form**: the tokens joined by single spaces.
3. **Shingles**: ``unit="word"``: every ``ngram`` consecutive tokens; ``unit="char"``: every
   ``ngram`` consecutive code points of the normal form. A document with fewer than ``ngram``
   units is one shingle (its whole normal form); an empty or null document has no signature.
4. **Shingle hash**: XXH64 (seed 0) of the shingle's UTF-8 bytes, i.e.
   ``xxhash.xxh64_intdigest(" ".join(tokens[j:j + ngram]).encode())``.
5. **Permutations**: datasketch's ``affine32`` family (datasketch >= 2.0): the low 32 bits of the
   shingle hash go through the MurmurHash3 ``fmix32`` finaliser, then
   ``a_k * h + b_k mod 2**32`` for ``k < num_perm``, with ``a_k`` (odd) and ``b_k`` drawn exactly
   as ``datasketch.MinHash(num_perm, seed, scheme="affine32")`` draws them. A signature is the
   minimum over shingles per ``k`` (``pl.Array(pl.UInt32, num_perm)``), so
   :func:`to_datasketch` hands it to datasketch unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from careful_polars._minhash import (
    SCHEME_VERSION,
    Normalize,
    Scheme,
    ShingleSets,
    band_key_matrix,
    example_ids,
    shingle_sets,
    signature_series,
)
from careful_polars._results import Split, add_reject_columns
from careful_polars._typing import FrameT, IntoExpr
from careful_polars._utils import (
    check_columns,
    check_in,
    check_new_columns,
    check_probability,
    parse_into_expr,
    schema_of,
)
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

if TYPE_CHECKING:
    from datasketch import LeanMinHash

__all__ = [
    "SCHEME_VERSION",
    "lsh_curve",
    "lsh_params",
    "mark_near_duplicates",
    "minhash",
    "near_dedup",
    "near_duplicate_pairs",
    "split_near_duplicates",
    "to_datasketch",
]

#: Gate name carried by rows rejected as near-duplicates.
GATE = "near_duplicate"

Verify = Literal["jaccard", "signature"]
KeepNear = Literal["first", "longest"] | pl.Expr

_VERIFY_MODES = ("jaccard", "signature", None)
_UNITS = ("word", "char")
_OUT_COLUMNS = ("cluster_id", "is_representative", "dup_of", "similarity")
_ID = "example_id"


# --------------------------------------------------------------------------- scheme pieces


def minhash(
    expr: IntoExpr,
    *,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
) -> pl.Expr:
    """MinHash signature of every text, as ``pl.Array(pl.UInt32, num_perm)``.

    Normalisation, shingling, shingle hashing and the permutations run in one compiled kernel
    over the string buffers. The scheme is described in the module docstring and versioned by
    :data:`SCHEME_VERSION`.

    Parameters
    ----------
    expr
        String column name or expression.
    num_perm
        Number of permutations (signature length).
    ngram
        Shingle length, in words (``unit="word"``) or code points (``unit="char"``).
    unit
        ``"word"`` or ``"char"``.
    normalize
        ``True``: ASCII lowercase and split on whitespace and ASCII punctuation (in the kernel);
        ``"unicode"``: NFKC + casefold first (:func:`careful_polars.text.normalize_text`);
        ``False``: split on whitespace only, bytes as they are.
    seed
        Seed of the permutations (same meaning as datasketch's ``seed``).

    Returns
    -------
    pl.Expr
        ``pl.Array(pl.UInt32, num_perm)``; null for null text or text without tokens.

    Raises
    ------
    InvalidParameterError
        A parameter is out of range.

    See Also
    --------
    to_datasketch : hand signatures to datasketch.
    mark_near_duplicates : clusters of near-duplicate rows.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["the cat sat on the mat", "The cat sat on the mat!", None]})
    >>> sig = df.select(cp.minhash("text", num_perm=4, ngram=2).alias("sig"))
    >>> sig["sig"][0].to_list() == sig["sig"][1].to_list(), sig["sig"][2]
    (True, None)
    """
    scheme = Scheme(num_perm, ngram, unit, normalize, seed)
    scheme.check()
    return scheme.text_expr(parse_into_expr(expr)).map_batches(
        lambda s: signature_series(s, scheme),
        return_dtype=pl.Array(pl.UInt32, num_perm),
        is_elementwise=True,
    )


# --------------------------------------------------------------------------- LSH parameters


def _candidate_probability(s: float, bands: int, rows: int) -> float:
    return float(1.0 - (1.0 - s ** float(rows)) ** float(bands))


#: Up to this ``num_perm`` the LSH objective is integrated by Gauss-Legendre in NumPy; above it
#: by scipy's ``quad`` (as datasketch does), which needs no large node arrays.
_GAUSS_MAX_PERM = 1024


@lru_cache(maxsize=256)
def _lsh_params_cached(
    threshold: float, num_perm: int, fp_weight: float, fn_weight: float
) -> tuple[int, int]:
    if num_perm > _GAUSS_MAX_PERM:
        return _lsh_params_quad(threshold, num_perm, fp_weight, fn_weight)
    # The integrands are polynomials in s of degree bands * rows <= num_perm, so Gauss-Legendre
    # with num_perm // 2 + 1 nodes integrates them exactly (up to rounding), like scipy's quad,
    # without importing scipy.integrate (half a second of start-up).
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    s_lo = (nodes + 1.0) * (threshold / 2.0)
    w_lo = weights * (threshold / 2.0)
    s_hi = threshold + (nodes + 1.0) * ((1.0 - threshold) / 2.0)
    w_hi = weights * ((1.0 - threshold) / 2.0)
    best = math.inf
    opt = (0, 0)
    for b in range(1, num_perm + 1):
        r = np.arange(1, num_perm // b + 1, dtype=np.float64)[:, None]
        fp = (1.0 - (1.0 - s_lo**r) ** float(b)) @ w_lo
        fn = ((1.0 - s_hi**r) ** float(b)) @ w_hi
        err = fp * fp_weight + fn * fn_weight
        k = int(np.argmin(err))  # the first minimum: ties go to the smaller r, as in datasketch
        if err[k] < best:
            best = float(err[k])
            opt = (b, k + 1)
    return opt


def _lsh_params_quad(
    threshold: float, num_perm: int, fp_weight: float, fn_weight: float
) -> tuple[int, int]:
    from scipy.integrate import quad

    best = math.inf
    opt = (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp, _ = quad(lambda s, b=b, r=r: _candidate_probability(s, b, r), 0.0, threshold)
            fn, _ = quad(lambda s, b=b, r=r: 1 - _candidate_probability(s, b, r), threshold, 1.0)
            err = fp * fp_weight + fn * fn_weight
            if err < best:
                best = err
                opt = (b, r)
    return opt


def lsh_params(
    threshold: float, *, num_perm: int = 128, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]:
    """Bands and rows per band that minimise the weighted false-positive + false-negative area.

    The objective is datasketch's ``_optimal_param``: the integral of the candidate probability
    ``1 - (1 - s**r)**b`` below ``threshold`` (false positives) times ``fp_weight``, plus the
    integral of its complement above ``threshold`` (false negatives) times ``fn_weight``, over
    every ``b * r <= num_perm``; ties go to the first pair found (smaller ``b``).

    Parameters
    ----------
    threshold
        Jaccard similarity that should become a candidate, in (0, 1].
    num_perm
        Signature length.
    fp_weight, fn_weight
        Weights of the false-positive and false-negative areas (they need not sum to 1).

    Returns
    -------
    tuple[int, int]
        ``(bands, rows)``.

    Raises
    ------
    InvalidParameterError
        ``threshold`` outside (0, 1], ``num_perm`` < 1 or a negative weight.

    See Also
    --------
    lsh_curve : the candidate probability of a ``(bands, rows)`` choice.

    Examples
    --------
    >>> import careful_polars as cp
    >>> cp.lsh_params(0.8, num_perm=128)
    (9, 13)
    """
    check_probability("threshold", threshold, open_low=True)
    if not isinstance(num_perm, int) or num_perm < 1:
        msg = f"num_perm={num_perm!r} is not a positive integer. Hint: use e.g. 128."
        raise InvalidParameterError(msg)
    for name, w in (("fp_weight", fp_weight), ("fn_weight", fn_weight)):
        if not w >= 0:
            msg = f"{name}={w!r} is negative. Hint: weights are >= 0, e.g. 0.5."
            raise InvalidParameterError(msg)
    return _lsh_params_cached(float(threshold), num_perm, float(fp_weight), float(fn_weight))


def lsh_curve(bands: int, rows: int, *, similarity: Sequence[float] | None = None) -> pl.DataFrame:
    """Probability that two documents become LSH candidates, as a function of their Jaccard.

    ``P(s) = 1 - (1 - s**rows)**bands``.

    Parameters
    ----------
    bands, rows
        The banding (see :func:`lsh_params`).
    similarity
        Jaccard values to evaluate; default ``0.0, 0.05, ..., 1.0``.

    Returns
    -------
    pl.DataFrame
        Columns ``similarity`` and ``probability`` (Float64).

    Examples
    --------
    >>> import careful_polars as cp
    >>> cp.lsh_curve(9, 13, similarity=[0.5, 0.8, 0.9]).with_columns(pl.col("probability").round(3))
    shape: (3, 2)
    ┌────────────┬─────────────┐
    │ similarity ┆ probability │
    │ ---        ┆ ---         │
    │ f64        ┆ f64         │
    ╞════════════╪═════════════╡
    │ 0.5        ┆ 0.001       │
    │ 0.8        ┆ 0.399       │
    │ 0.9        ┆ 0.929       │
    └────────────┴─────────────┘
    """
    for name, v in (("bands", bands), ("rows", rows)):
        if not isinstance(v, int) or v < 1:
            msg = f"{name}={v!r} is not a positive integer. Hint: take both from lsh_params()."
            raise InvalidParameterError(msg)
    s = np.linspace(0.0, 1.0, 21) if similarity is None else np.asarray(similarity, dtype=float)
    p = 1.0 - (1.0 - s**rows) ** bands
    return pl.DataFrame({"similarity": s, "probability": p})


# --------------------------------------------------------------------------- clustering core


@dataclass(frozen=True)
class _Clusters:
    root: np.ndarray  # smallest row of each row's cluster (connected component)
    rep: np.ndarray  # the kept row each row duplicates (itself when kept)
    similarity: np.ndarray  # to that kept row (NaN for kept rows)
    n_candidates: int
    link_a: np.ndarray  # verified links (row pairs, a < b), sorted
    link_b: np.ndarray
    link_similarity: np.ndarray  # NaN with verify=None


#: LSH weights used when candidates are verified: verification removes false positives, so the
#: banding is tuned for recall (at 0.8 with 128 permutations: 17 bands of 7 rows, a pair at
#: exactly the threshold becomes a candidate with probability 0.98).
VERIFIED_WEIGHTS = (0.02, 0.98)


def banding(
    threshold: float,
    num_perm: int,
    bands: int | None,
    rows: int | None,
    verify: str | None = "jaccard",
) -> tuple[int, int]:
    if bands is None and rows is None:
        if verify is None:
            return lsh_params(threshold, num_perm=num_perm)
        fp_weight, fn_weight = VERIFIED_WEIGHTS
        return lsh_params(threshold, num_perm=num_perm, fp_weight=fp_weight, fn_weight=fn_weight)
    if bands is None or rows is None or bands < 1 or rows < 1 or bands * rows > num_perm:
        msg = (
            f"bands={bands!r}, rows={rows!r} do not fit num_perm={num_perm}. "
            f"Hint: give both with bands * rows <= num_perm, or neither to use lsh_params()."
        )
        raise InvalidParameterError(msg)
    return bands, rows


def _verify_pairs(
    a: np.ndarray,
    b: np.ndarray,
    verify: str | None,
    sets: ShingleSets | None,
    sigs: np.ndarray | None,
) -> np.ndarray:
    from careful_polars._kernels.minhash import pair_estimate, pair_jaccard

    out = np.empty(len(a), dtype=np.float64)
    if verify == "jaccard":
        assert sets is not None
        pair_jaccard(a, b, sets.slot, sets.offsets, sets.sizes, sets.values, out)
    else:
        assert sigs is not None
        pair_estimate(a, b, sigs, out)
    return out


def keep_order(n: int, score: np.ndarray | None, has_score: np.ndarray | None) -> np.ndarray:
    """Rows best first: scored before unscored, higher score first, ties to the earlier row."""
    if score is None:
        return np.arange(n, dtype=np.int64)
    assert has_score is not None
    return np.lexsort((np.arange(n), -score, ~has_score)).astype(np.int64)


def keep_rows(
    order: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    pair_sim: np.ndarray,
    threshold: float,
    verify: str | None,
    sets: ShingleSets | None,
    sigs: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Which rows are kept, and the kept row each removed row duplicates (the greedy rule).

    See :func:`careful_polars._kernels.minhash.keep_greedy`; edges go to the kernel in CSR form.
    ``verify="verified"``: the caller's edges are already verified >= ``threshold`` (semantic
    duplicates), so no second hop is tried.
    """
    from careful_polars._kernels.minhash import keep_greedy

    n = len(order)
    src = np.concatenate([a, b])
    dst = np.concatenate([b, a])
    by_src = np.argsort(src, kind="stable")
    nbr = dst[by_src]
    nsim = np.concatenate([pair_sim, pair_sim])[by_src]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    mode = {"jaccard": 0, "signature": 1, None: 2, "verified": 3}[verify]
    empty_i = np.zeros(1, dtype=np.int64)
    slot = sets.slot if sets is not None else empty_i
    offsets = sets.offsets if sets is not None else empty_i
    sizes = sets.sizes if sets is not None else empty_i
    values = sets.values if sets is not None else np.zeros(1, dtype=np.uint64)
    sig = sigs if sigs is not None else np.zeros((1, 1), dtype=np.uint32)
    keeper = np.full(n, -1, dtype=np.int64)
    keeper_sim = np.full(n, np.nan)
    extra_a = np.empty(n, dtype=np.int64)
    extra_b = np.empty(n, dtype=np.int64)
    extra_sim = np.empty(n, dtype=np.float64)
    m = keep_greedy(
        order, indptr, nbr.astype(np.int64), nsim.astype(np.float64), float(threshold),
        np.int64(mode), slot, offsets, sizes, values, sig, keeper, keeper_sim,
        extra_a, extra_b, extra_sim,
    )  # fmt: skip
    return keeper, keeper_sim, (extra_a[:m], extra_b[:m], extra_sim[:m])


def _merge_links(
    a: np.ndarray, b: np.ndarray, s: np.ndarray, ea: np.ndarray, eb: np.ndarray, es: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The verified links plus the second-hop ones, sorted by ``(a, b)``."""
    a2, b2, s2 = np.concatenate([a, ea]), np.concatenate([b, eb]), np.concatenate([s, es])
    order = np.lexsort((b2, a2))
    return a2[order], b2[order], s2[order]


def _cluster(
    series: pl.Series,
    scheme: Scheme,
    threshold: float,
    verify: str | None,
    bands: int,
    rows: int,
    score: np.ndarray | None = None,
    has_score: np.ndarray | None = None,
) -> _Clusters:
    from careful_polars._kernels.minhash import candidate_pairs, union_find

    n = len(series)
    keys, ok, sigs = band_key_matrix(
        series, scheme, bands, rows, keep_signatures=verify != "jaccard"
    )
    rows_ok = np.flatnonzero(ok).astype(np.int64)
    packed = candidate_pairs(keys if len(rows_ok) == n else keys[:, rows_ok], rows_ok)
    del keys
    a = (packed >> np.uint64(32)).astype(np.int64)
    b = (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)
    del packed
    sets = None
    if verify == "jaccard":
        sets = shingle_sets(series, scheme, np.unique(np.concatenate([a, b])))
    if verify is None:
        pair_sim = np.full(len(a), np.nan)
        keep = np.ones(len(a), dtype=np.bool_)
    else:
        pair_sim = _verify_pairs(a, b, verify, sets, sigs)
        keep = pair_sim >= threshold
    n_candidates = len(a)
    cand_a, cand_b, cand_sim = a, b, pair_sim
    a, b, pair_sim = a[keep], b[keep], pair_sim[keep]
    order = keep_order(n, score, has_score)
    keeper, sim, (ea, eb, es) = keep_rows(
        order, cand_a, cand_b, cand_sim, threshold, verify, sets, sigs
    )
    if len(ea):
        a, b, pair_sim = _merge_links(a, b, pair_sim, ea, eb, es)
    root = union_find(n, a, b)
    rep = keeper
    if verify is None:
        dup = np.flatnonzero(rep != np.arange(n))
        if len(dup):
            sim[dup] = _verify_pairs(dup, rep[dup], "signature", sets, sigs)
    return _Clusters(root, rep, sim, n_candidates, a, b, pair_sim)


# --------------------------------------------------------------------------- frame API


def _check_common(threshold: float, verify: str | None, keep: Any) -> None:
    check_probability("threshold", threshold, open_low=True)
    check_in("verify", verify, _VERIFY_MODES)
    if not isinstance(keep, pl.Expr):
        check_in("keep", keep, ("first", "longest", "<a pl.Expr to maximise>"))


def check_scheme(
    *,
    threshold: float,
    num_perm: int,
    ngram: int,
    unit: str,
    normalize: Normalize,
    seed: int,
    verify: str | None,
    keep: Any,
) -> None:
    """Check near-duplicate parameters up front (used by gates when they are built)."""
    Scheme(num_perm, ngram, unit, normalize, seed).check()
    _check_common(threshold, verify, keep)


def _keep_score(df: pl.DataFrame, text: str, keep: KeepNear) -> tuple[Any, Any]:
    if isinstance(keep, str) and keep == "first":
        return None, None
    expr = pl.col(text).str.len_chars() if isinstance(keep, str) else keep
    s = df.select(expr.cast(pl.Float64).alias("score")).to_series()
    has = s.is_not_null() & s.is_not_nan()
    return s.fill_nan(None).fill_null(0.0).to_numpy(), has.to_numpy()


MARK_COLUMNS = ("cluster_id", "is_representative", "dup_of", "similarity")
# the split form marks under private names so a user's own ``dup_of`` etc. pass through untouched
_SPLIT_COLUMNS = tuple(f"__careful_{name}" for name in MARK_COLUMNS)


def _mark_frame(
    df: pl.DataFrame,
    text: str,
    threshold: float,
    scheme: Scheme,
    verify: str | None,
    keep: KeepNear,
    bands: int,
    rows: int,
    names: tuple[str, ...] = MARK_COLUMNS,
) -> pl.DataFrame:
    series = df.select(scheme.text_expr(pl.col(text))).to_series()
    score, has_score = _keep_score(df, text, keep)
    cl = _cluster(series, scheme, threshold, verify, bands, rows, score, has_score)
    ids = example_ids(df, text)
    n = df.height
    is_rep = cl.rep == np.arange(n)
    # dense cluster ids in order of each cluster's first row
    first = cl.root
    _, dense = np.unique(first, return_inverse=True)
    rep_ids = ids.gather(pl.Series(cl.rep))
    cluster, rep, dup_of, similarity = names
    out = df.with_columns(
        pl.Series(cluster, dense.astype(np.int64)),
        pl.Series(rep, is_rep),
        pl.when(pl.Series(is_rep)).then(None).otherwise(rep_ids).alias(dup_of),
        pl.Series(similarity, cl.similarity).fill_nan(None),
    )
    if _ID not in df.columns:
        out = out.with_columns(ids.alias(_ID))
    return out


def _out_schema(schema: pl.Schema, names: tuple[str, ...] = MARK_COLUMNS) -> dict[str, Any]:
    out: dict[str, Any] = dict(schema)
    out.update(zip(names, (pl.Int64, pl.Boolean, pl.UInt64, pl.Float64), strict=True))
    if _ID not in out:
        out[_ID] = pl.UInt64
    return out


def mark_near_duplicates(
    df: FrameT,
    text: str = "text",
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
    verify: Verify | None = "jaccard",
    keep: KeepNear = "first",
    bands: int | None = None,
    rows: int | None = None,
    overwrite: bool = False,
) -> FrameT:
    """Mark near-duplicate rows (lossless): cluster ids, representatives and similarities.

    Candidates are rows sharing an LSH band key (``bands x rows`` from :func:`lsh_params`
    unless given); every bucket is linked in linear time (each member to the bucket's first
    member and to its predecessor), never all pairs. A candidate link survives verification when
    its similarity is at least ``threshold``; clusters are the connected components of the
    surviving links (union-find), so a cluster can chain through members that are each similar
    to a neighbour. Removal never follows a chain: rows are visited in keep-order and a row is
    removed only when it has a verified similarity >= ``threshold`` with a row already kept
    (directly linked, or the kept row of a removed neighbour, verified); otherwise it is kept,
    so a cluster can keep several rows (see docs/neardup.md, "Removal"). Needs the whole table
    (a LazyFrame runs it at collection).

    Parameters
    ----------
    df
        DataFrame or LazyFrame.
    text
        Name of the String column.
    threshold
        Jaccard similarity at which two rows are near-duplicates.
    num_perm, ngram, unit, seed, normalize
        Signature scheme (see :func:`minhash`).
    verify
        ``"jaccard"`` (default): exact Jaccard of the shingle sets; ``"signature"``: the MinHash
        estimate; ``None``: every LSH candidate is linked.
    keep
        The keep-order: ``"first"`` (row position), ``"longest"`` (most characters) or an
        expression to maximise (e.g. a quality score; nulls lose). Ties go to the first row. The
        best row of every cluster is always kept.
    bands, rows
        Override the LSH banding (both or neither).
    overwrite
        Replace ``cluster_id``, ``is_representative``, ``dup_of`` or ``similarity`` when the
        frame already has them (e.g. ``dup_of`` from :func:`careful_polars.mark_duplicates`);
        by default that raises :class:`~careful_polars.exceptions.ColumnExistsError`.

    Returns
    -------
    DataFrame or LazyFrame
        The input plus ``cluster_id`` (Int64, the component, numbered by first row),
        ``is_representative`` (the row is kept), ``dup_of`` (``example_id`` of the kept row it
        duplicates; null on kept rows), ``similarity`` (to that kept row: exact with
        ``verify="jaccard"``, else the MinHash estimate, >= ``threshold`` unless
        ``verify=None``; null on kept rows) and ``example_id`` when it was not already there
        (:func:`careful_polars.hashing.content_hash` of the text). Null or empty text is never a
        near-duplicate of anything.

    Raises
    ------
    ColumnNotFoundError
        ``text`` is not a column.
    ColumnExistsError
        The frame already has one of the added columns and ``overwrite`` is False.
    InvalidParameterError
        A parameter is out of range.

    See Also
    --------
    near_dedup, split_near_duplicates, careful_polars.contamination.contamination_report

    Notes
    -----
    The result depends only on the input rows, their order and the parameters: candidate pairs
    are sorted before verification and union-find roots are each cluster's smallest row, so the
    thread count does not matter.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame(
    ...     {
    ...         "text": [
    ...             "the quick brown fox jumps over the lazy dog today",
    ...             "an entirely different sentence about something else",
    ...             "the quick brown fox jumps over the lazy dog today!",
    ...         ]
    ...     }
    ... )
    >>> cp.mark_near_duplicates(df, "text", ngram=3).select(
    ...     "cluster_id", "is_representative", "similarity"
    ... )
    shape: (3, 3)
    ┌────────────┬───────────────────┬────────────┐
    │ cluster_id ┆ is_representative ┆ similarity │
    │ ---        ┆ ---               ┆ ---        │
    │ i64        ┆ bool              ┆ f64        │
    ╞════════════╪═══════════════════╪════════════╡
    │ 0          ┆ true              ┆ null       │
    │ 1          ┆ true              ┆ null       │
    │ 0          ┆ false             ┆ 1.0        │
    └────────────┴───────────────────┴────────────┘
    """
    check_new_columns(df, MARK_COLUMNS, overwrite=overwrite)
    return _mark(
        df, text, threshold, Scheme(num_perm, ngram, unit, normalize, seed),
        verify, keep, bands, rows, MARK_COLUMNS,
    )  # fmt: skip


def _mark(
    df: FrameT,
    text: str,
    threshold: float,
    scheme: Scheme,
    verify: Verify | None,
    keep: KeepNear,
    bands: int | None,
    rows: int | None,
    names: tuple[str, ...],
) -> FrameT:
    scheme.check()
    _check_common(threshold, verify, keep)
    check_columns(df, [text])
    b, r = banding(threshold, scheme.num_perm, bands, rows, verify)

    def run(frame: pl.DataFrame) -> pl.DataFrame:
        return _mark_frame(frame, text, threshold, scheme, verify, keep, b, r, names)

    if isinstance(df, pl.LazyFrame):
        return df.map_batches(run, schema=_out_schema(schema_of(df), names))
    return run(df)


def near_duplicate_pairs(
    df: pl.DataFrame | pl.LazyFrame,
    text: str = "text",
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
    verify: Verify | None = "jaccard",
    bands: int | None = None,
    rows: int | None = None,
) -> pl.DataFrame:
    """Return the verified near-duplicate links behind :func:`mark_near_duplicates`, one per row.

    These are the candidate pairs (rows sharing a band key, each bucket linked star + chain)
    whose similarity passed ``verify``; clusters are their connected components. Always eager.

    Returns
    -------
    pl.DataFrame
        ``row_a`` < ``row_b`` (UInt32 positions), ``example_id_a``, ``example_id_b`` and
        ``similarity`` (exact Jaccard, the MinHash estimate, or null with ``verify=None``),
        sorted by ``row_a``, ``row_b``.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["a b c d e f g h", "z y x w v", "a b c d e f g h."]})
    >>> cp.near_duplicate_pairs(df, "text", ngram=2).select("row_a", "row_b", "similarity")
    shape: (1, 3)
    ┌───────┬───────┬────────────┐
    │ row_a ┆ row_b ┆ similarity │
    │ ---   ┆ ---   ┆ ---        │
    │ u32   ┆ u32   ┆ f64        │
    ╞═══════╪═══════╪════════════╡
    │ 0     ┆ 2     ┆ 1.0        │
    └───────┴───────┴────────────┘
    """
    scheme = Scheme(num_perm, ngram, unit, normalize, seed)
    scheme.check()
    _check_common(threshold, verify, "first")
    check_columns(df, [text])
    b, r = banding(threshold, num_perm, bands, rows, verify)
    names = schema_of(df).names()
    frame = df.select([text] + ([_ID] if _ID in names else []))
    frame = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    series = frame.select(scheme.text_expr(pl.col(text))).to_series()
    cl = _cluster(series, scheme, threshold, verify, b, r)
    ids = example_ids(frame, text)
    return pl.DataFrame(
        {
            "row_a": pl.Series(cl.link_a, dtype=pl.UInt32),
            "row_b": pl.Series(cl.link_b, dtype=pl.UInt32),
            "example_id_a": ids.gather(cl.link_a),
            "example_id_b": ids.gather(cl.link_b),
            "similarity": pl.Series(cl.link_similarity).fill_nan(None),
        }
    )


def near_dedup(
    df: FrameT,
    text: str = "text",
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
    verify: Verify | None = "jaccard",
    keep: KeepNear = "first",
    bands: int | None = None,
    rows: int | None = None,
) -> FrameT:
    """Drop rows that are near-duplicates of a kept row; the rest stay, in input order.

    Same parameters as :func:`mark_near_duplicates`; use :func:`split_near_duplicates` to keep
    the dropped rows too.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["a b c d e f g h", "a b c d e f g h.", "z y x w v"]})
    >>> cp.near_dedup(df, "text", ngram=2)
    shape: (2, 1)
    ┌─────────────────┐
    │ text            │
    │ ---             │
    │ str             │
    ╞═════════════════╡
    │ a b c d e f g h │
    │ z y x w v       │
    └─────────────────┘
    """
    return split_near_duplicates(
        df, text, threshold=threshold, num_perm=num_perm, ngram=ngram, unit=unit,
        normalize=normalize, seed=seed, verify=verify, keep=keep, bands=bands, rows=rows,
    ).kept  # fmt: skip


def split_near_duplicates(
    df: FrameT,
    text: str = "text",
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
    verify: Verify | None = "jaccard",
    keep: KeepNear = "first",
    bands: int | None = None,
    rows: int | None = None,
) -> Split[FrameT]:
    """Split rows into kept rows and near-duplicates of kept rows (rejected, gate "near_duplicate").

    Same parameters as :func:`mark_near_duplicates`. ``kept`` + ``rejected`` == input: kept rows
    keep the input columns; rejected rows add ``_careful_gate`` ("near_duplicate"),
    ``_careful_reason`` (the similarity) and ``_careful_ref`` (the kept row's
    ``example_id``).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["a b c d e f g h", "a b c d e f g h.", "z y x w v"]})
    >>> kept, rejected = cp.split_near_duplicates(df, "text", ngram=2)
    >>> rejected.select("text", "_careful_gate", "_careful_reason")
    shape: (1, 3)
    ┌──────────────────┬────────────────┬─────────────────────────────────┐
    │ text             ┆ _careful_gate  ┆ _careful_reason                 │
    │ ---              ┆ ---            ┆ ---                             │
    │ str              ┆ str            ┆ str                             │
    ╞══════════════════╪════════════════╪═════════════════════════════════╡
    │ a b c d e f g h. ┆ near_duplicate ┆ near-duplicate (similarity 1.0… │
    └──────────────────┴────────────────┴─────────────────────────────────┘
    """
    columns: list[str] = list(schema_of(df).names())
    _, is_rep, dup_of, similarity = _SPLIT_COLUMNS
    marked = _mark(
        df, text, threshold, Scheme(num_perm, ngram, unit, normalize, seed),
        verify, keep, bands, rows, _SPLIT_COLUMNS,
    )  # fmt: skip
    if isinstance(marked, pl.LazyFrame):
        marked = marked.cache()
    kept = marked.filter(pl.col(is_rep)).select(columns)
    reason = pl.format(
        "near-duplicate (similarity {}) of example {}",
        pl.col(similarity).round(3),
        pl.col(dup_of),
    )
    rejected = add_reject_columns(
        marked.filter(~pl.col(is_rep)), GATE, reason, pl.col(dup_of)
    ).select([*columns, "_careful_gate", "_careful_reason", "_careful_ref"])
    return Split(kept, rejected)


# --------------------------------------------------------------------------- interop


def to_datasketch(signatures: pl.Series | np.ndarray, *, seed: int = 0) -> list[LeanMinHash | None]:
    """Turn careful signatures into datasketch ``LeanMinHash`` objects (scheme ``affine32``).

    The permutations are datasketch's own ``affine32`` family drawn with the same ``seed``, so
    the objects behave exactly like datasketch sketches: ``jaccard`` between two of them equals
    the share of equal values, the estimate careful uses, and they can go into
    ``datasketch.MinHashLSH``.

    Parameters
    ----------
    signatures
        A ``pl.Array(pl.UInt32, k)`` Series from :func:`minhash`, or a ``(n, k)`` uint32 array.
    seed
        The ``seed`` the signatures were made with.

    Returns
    -------
    list
        One ``LeanMinHash`` per row (``None`` for a null signature).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["one two three four five six", "one two three four five"]})
    >>> sig = df.select(cp.minhash("text", num_perm=64, ngram=1)).to_series()
    >>> a, b = cp.to_datasketch(sig)
    >>> round(a.jaccard(b), 2)  # an estimate of the true Jaccard 5/6 = 0.83
    0.84
    """
    from datasketch import LeanMinHash

    if isinstance(signatures, pl.Series):
        if not isinstance(signatures.dtype, pl.Array):
            msg = (
                f"signatures have dtype {signatures.dtype}, not pl.Array(pl.UInt32, k). "
                f"Hint: pass the output of careful_polars.minhash()."
            )
            raise DtypeNotSupportedError(msg)
        valid = signatures.is_not_null().to_numpy()
        width = signatures.dtype.size
        matrix = (
            signatures.fill_null(pl.lit([0] * width, dtype=signatures.dtype))
            .to_numpy()
            .astype(np.uint32)
            .reshape(len(signatures), width)
        )
    else:
        matrix = np.asarray(signatures, dtype=np.uint32)
        valid = np.ones(len(matrix), dtype=np.bool_)
    return [
        LeanMinHash(seed=seed, hashvalues=row, scheme="affine32") if ok else None
        for row, ok in zip(matrix, valid, strict=True)
    ]
