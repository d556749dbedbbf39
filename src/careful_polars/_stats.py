"""Two-sample statistics: Kolmogorov-Smirnov, Wasserstein-1, PSI, Jensen-Shannon, TVD, chi-square.

Each statistic takes two samples (Series, arrays or lists). Numeric samples are sorted once each;
Kolmogorov-Smirnov and Wasserstein-1 come from one merge of the two sorted arrays in a numba
kernel and agree with ``scipy.stats.ks_2samp`` / ``scipy.stats.wasserstein_distance``. The
per-sample summaries (:class:`Numeric`, :class:`Categorical`) are what a reference profile
stores, so :mod:`careful_polars.drift` builds its profiles and reports on them. Public names are
re-exported from :mod:`careful_polars.drift`; this module is internal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union

import numpy as np
import polars as pl

from careful_polars._utils import check_in
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "KSResult",
    "TestResult",
    "chi_square",
    "jensen_shannon",
    "ks_2samp",
    "psi",
    "total_variation",
    "wasserstein",
]

#: scipy's ``ks_2samp(method="auto")`` computes the exact p-value when both samples have at most
#: this many values and uses the asymptotic distribution above it.
KS_MAX_EXACT_N = 10_000
#: Share floor for empty PSI bins (both sides), so the logarithm stays finite.
PSI_FLOOR = 1e-4
#: Categories whose expected count in either sample is below this are pooled before chi-square.
CHI2_MIN_EXPECTED = 5.0

ArrayLike = Union[pl.Series, "NDArray[Any]", Sequence[Any]]

# --- summaries: what each side contributes to a comparison ------------------------------------


@dataclass(frozen=True)
class Counts:
    n_rows: int
    n_null: int
    n_nan: int = 0
    n_inf: int = 0


@dataclass(frozen=True)
class Numeric:
    """Sorted finite values (exact) or evenly spaced order statistics (sketch) of a column."""

    counts: Counts
    values: NDArray[np.float64]
    n_finite: int
    std: float
    exact: bool = True


@dataclass(frozen=True)
class Categorical:
    counts: Counts
    categories: list[str]
    freq: NDArray[np.int64]


def numeric_dtype(dtype: pl.DataType) -> bool:
    return dtype.is_numeric() or dtype.is_temporal()


def _as_series(values: ArrayLike, name: str) -> pl.Series:
    if isinstance(values, pl.Series):
        return values
    return pl.Series(name, values)


def _float_values(series: pl.Series) -> pl.Series:
    dtype = series.dtype
    if dtype.is_temporal():
        series = series.to_physical()
    elif not dtype.is_numeric():
        msg = (
            f"column {series.name!r} has dtype {dtype}, which is not numeric. "
            "Hint: use a categorical method (chi2, jensenshannon, tvd) or cast the column."
        )
        raise DtypeNotSupportedError(msg)
    return series.cast(pl.Float64)  # type: ignore[no-any-return]


def _sorted_finite(series: pl.Series) -> tuple[Counts, NDArray[np.float64]]:
    """Return counts of nulls / NaN / infinities and the finite values as a float64 array."""
    from careful_polars._kernels.drift import nonfinite_counts

    s = _float_values(series)
    n_null = s.null_count()
    values = s.to_numpy()  # zero-copy without nulls; nulls become NaN
    n_nan, n_inf = nonfinite_counts(values)
    counts = Counts(s.len(), n_null, n_nan - n_null, n_inf)
    if n_nan or n_inf:
        values = values[np.isfinite(values)]
    return counts, values


def _sort_many(arrays: Sequence[NDArray[np.float64]]) -> list[NDArray[np.float64]]:
    """Sort arrays concurrently (``np.sort`` releases the GIL), one sort per array."""
    if len(arrays) == 1 or max((a.shape[0] for a in arrays), default=0) < 200_000:
        return [np.sort(a) for a in arrays]
    with ThreadPoolExecutor(max_workers=min(len(arrays), 2)) as pool:
        return list(pool.map(np.sort, arrays))


def _numeric_summary(
    counts: Counts, sorted_values: NDArray[np.float64], sketch_size: int | None = None
) -> Numeric:
    from careful_polars._kernels.drift import shifted_std

    n = sorted_values.shape[0]
    std = float(shifted_std(sorted_values)) if n else math.nan
    if sketch_size is not None and n > sketch_size:
        ranks = ((np.arange(sketch_size) + 0.5) * n / sketch_size).astype(np.int64)
        return Numeric(counts, sorted_values[ranks].copy(), n, std, exact=False)
    return Numeric(counts, np.ascontiguousarray(sorted_values), n, std)


def numeric_summaries(series: Sequence[pl.Series], sketch_size: int | None = None) -> list[Numeric]:
    parts = [_sorted_finite(s) for s in series]
    sorted_arrays = _sort_many([values for _, values in parts])
    return [
        _numeric_summary(counts, values, sketch_size)
        for (counts, _), values in zip(parts, sorted_arrays, strict=False)
    ]


def categorical_summary(series: pl.Series) -> Categorical:
    s = series if series.dtype == pl.String else series.cast(pl.String)
    n_null = s.null_count()
    # fixed internal names: a user column called "n" must not collide with the count
    freq = (
        s.alias("value")
        .drop_nulls()
        .value_counts(name="n")
        .sort("n", "value", descending=[True, False])
        .with_columns(pl.col("n").cast(pl.Int64))
    )
    return Categorical(
        Counts(s.len(), n_null),
        freq.get_column("value").to_list(),
        freq.get_column("n").to_numpy(),
    )


# --- KS p-value: scipy's method choice, exact and asymptotic --------------------------------


def _ks_exact_two_sided(n1: int, n2: int, g: int, h: int) -> float:
    from careful_polars._kernels.drift import ks_outer_prob_inside, ks_prob_outside_square

    if n1 == n2:
        return float(ks_prob_outside_square(n1, h))
    return float(ks_outer_prob_inside(n1, n2, g, h))


def _ks_count_paths_outside(m: int, n: int, g: int, h: int) -> float:
    """Count the lattice paths that go below the line ``m*y <= n*x - h*g`` (one-sided exact)."""
    from scipy import special

    from careful_polars._kernels.drift import subtract_in_order

    if m < n:
        m, n = n, m
    mg, ng = m // g, n // g
    lxj = n + (mg - h) // mg
    if lxj == 0:
        return float(special.binom(m + n, n))
    xj = (h + mg * np.arange(lxj, dtype=np.int64) + ng - 1) // ng
    paths = np.zeros(lxj)
    paths[0] = 1.0
    for j in range(1, lxj):
        i = np.arange(j)
        weights = special.binom(xj[j] - xj[:j] + j - i, j - i)
        paths[j] = subtract_in_order(float(special.binom(xj[j] + j, j)), weights, paths[:j])
    tails = special.binom((m - xj) + (n - np.arange(lxj)), n - np.arange(lxj))
    total = 0.0
    for term in paths * tails:  # sequential, as the reference evaluation order
        total += float(term)
    return total


def _ks_exact(n1: int, n2: int, d: float, alternative: str) -> tuple[bool, float, float]:
    """Try the exact p-value; return ``(ok, d_rounded_to_lattice, p)``."""
    g = math.gcd(n1, n2)
    lcm = (n1 // g) * n2
    h = int(np.round(d * lcm))
    d = h * 1.0 / lcm
    if h == 0:
        return True, d, 1.0
    with np.errstate(all="ignore"):
        if alternative == "two-sided":
            p = _ks_exact_two_sided(n1, n2, g, h)
        elif n1 == n2:
            j = np.arange(h)
            p = float(np.prod((n1 - j) / (n1 + j + 1.0)))
        else:
            from scipy import special

            paths = _ks_count_paths_outside(n1, n2, g, h)
            total = float(special.binom(n1 + n2, n1))
            if not math.isfinite(paths) or paths > total or math.isinf(total):
                return False, d, math.nan
            p = paths / total
    if not (0.0 <= p <= 1.0):
        return False, d, p
    return True, d, p


#: Up to this n, scipy's ``smirnov(n, x)`` runs the exact O(n) Birnbaum-Tingey sum in extended
#: precision (about 2.6 microseconds a term); careful_polars runs the same sum in a kernel.
_SMIRNOV_EXACT_MAX_N = 1_000_000


def kstwo_sf(d: float, n: float) -> float:
    """``scipy.stats.kstwo.sf(d, n)``, with its slowest branch computed by a kernel.

    scipy (Simard & L'Ecuyer 2011) takes the tail as ``2 * smirnov(n, d)`` when ``n > 140``,
    ``d < 0.5`` and ``2.2 <= n d^2 < 370``; there the kernel evaluates the same exact sum
    (agreeing to about 1e-11 absolute). Every other case calls scipy.
    """
    in_range = 140 < n <= _SMIRNOV_EXACT_MAX_N and 1.0 < n * d < n - 1 and d < 0.5
    if in_range and 2.2 <= n * d * d < 370.0:
        from careful_polars._kernels.drift import smirnov_sf

        return min(max(2.0 * float(smirnov_sf(int(n), d)), 0.0), 1.0)
    closed = _kstwo_sf_closed_form(d, n)
    if closed is not None:
        return closed
    from scipy import stats

    with np.errstate(divide="ignore", invalid="ignore"):  # n rounds to 0 for sizes 1 and 1
        return float(stats.kstwo.sf(d, n))


def _kstwo_sf_closed_form(d: float, n: float) -> float | None:
    """``scipy.stats.kstwo.sf(d, n)`` where scipy's own branch is a closed form, else None.

    The same branches as scipy's ``_kolmogn`` (``d >= 1``; ``d >= 0.5`` inside the
    Ruben-Gambino limits: ``2 * smirnov(n, d)``; ``n > 140`` and ``n d^2 >= 370``: 0), so the
    value is identical, without importing scipy.stats (most of a second of start-up).
    """
    if math.isnan(d) or not (n >= 1 and n == round(n)):
        return None
    if d >= 1.0:
        return 0.0
    t = n * d
    if t <= 1.0 or t >= n - 1:
        return None
    if d >= 0.5:
        from scipy import special

        return min(max(2.0 * float(special.smirnov(n, d)), 0.0), 1.0)
    if n > 140 and t * d >= 370.0:
        return 0.0
    return None


def _ks_asymp(n1: int, n2: int, d: float, alternative: str) -> float:
    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    if alternative == "two-sided":
        return kstwo_sf(d, float(np.round(en)))
    z = math.sqrt(en) * d
    expt = -2 * z**2 - 2 * z * (m + 2 * n) / math.sqrt(m * n * (m + n)) / 3.0
    return float(np.exp(expt))


#: Pooled size from which the merge runs as two threads split at a value boundary.
_PARALLEL_MERGE_N = 2_000_000


def _merge(a: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[float, float, float]:
    """Merge two sorted finite arrays into ``(max F_a - F_b, min F_a - F_b, Wasserstein-1)``."""
    from careful_polars._kernels.drift import merge_ks_wasserstein

    n1, n2 = a.shape[0], b.shape[0]
    if n1 + n2 < _PARALLEL_MERGE_N:
        return merge_ks_wasserstein(a, b, 0, 0, n1 + n2)  # type: ignore[no-any-return]
    # split at a value v: everything <= v on the left, so no run of ties is cut in two
    pivot = a[n1 // 2] if n1 >= n2 else b[n2 // 2]
    i = int(np.searchsorted(a, pivot, side="right"))
    j = int(np.searchsorted(b, pivot, side="right"))
    ranges = [(0, 0, i + j), (i, j, n1 + n2 - i - j)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(lambda r: merge_ks_wasserstein(a, b, *r), ranges))
    return (
        max(p[0] for p in parts),
        min(p[1] for p in parts),
        float(parts[0][2] + parts[1][2]),
    )


def ks_from_sorted(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    alternative: str = "two-sided",
    method: str = "auto",
    n1: int | None = None,
) -> tuple[float, float, str, float]:
    """Return ``(D, p, method_used, wasserstein)`` from two sorted finite arrays.

    ``n1`` overrides the size of ``a`` in the p-value (``a`` is then a sketch of a larger
    sample).
    """
    if a.shape[0] == 0 or b.shape[0] == 0:
        return math.nan, math.nan, method, math.nan
    max_s, min_s, w = _merge(a, b)
    min_s = min(max(-min_s, 0.0), 1.0)
    d = min_s if alternative == "less" or (alternative == "two-sided" and min_s > max_s) else max_s
    n1 = a.shape[0] if n1 is None else n1
    n2 = b.shape[0]
    used = method
    if method == "auto":
        used = "exact" if max(n1, n2) <= KS_MAX_EXACT_N else "asymp"
    elif method == "exact":
        g = math.gcd(n1, n2)
        if n1 // g >= np.iinfo(np.int32).max / (n2 // g):
            used = "asymp"
    p = math.nan
    if used == "exact":
        ok, d, p = _ks_exact(n1, n2, d, alternative)
        if not ok:
            used = "asymp"
    if used == "asymp":
        p = _ks_asymp(n1, n2, d, alternative)
    return float(d), float(min(max(p, 0.0), 1.0)), used, float(w)


# --- the public two-sample statistics -----------------------------------------------------


@dataclass(frozen=True)
class KSResult:
    """Two-sample Kolmogorov-Smirnov result.

    ``method`` is the p-value method actually used (``"exact"`` or ``"asymp"``);
    ``wasserstein`` is the Wasserstein-1 distance (from the same merge of the sorted samples)
    and ``effect_size`` that distance divided by the reference standard deviation.
    """

    statistic: float
    p_value: float
    method: str
    effect_size: float
    n_reference: int
    n_current: int
    alternative: str = "two-sided"
    wasserstein: float = math.nan

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict."""
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return (
            f"KSResult(statistic={self.statistic:.6g}, p_value={self.p_value:.6g}, "
            f"method={self.method!r}, effect_size={self.effect_size:.6g}, "
            f"n_reference={self.n_reference}, n_current={self.n_current})"
        )


@dataclass(frozen=True)
class TestResult:
    """Result of a test with a p-value and an effect size (chi-square)."""

    statistic: float
    p_value: float
    dof: int
    effect_size: float
    effect_size_name: str
    unseen: list[str] = field(default_factory=list)
    pooled: list[str] = field(default_factory=list)

    __test__ = False  # not a pytest class

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict."""
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return (
            f"TestResult(statistic={self.statistic:.6g}, p_value={self.p_value:.6g}, "
            f"dof={self.dof}, {self.effect_size_name}={self.effect_size:.6g}, "
            f"unseen={len(self.unseen)}, pooled={len(self.pooled)})"
        )


def _check_alternative(alternative: str, method: str) -> None:
    check_in("alternative", alternative, ["two-sided", "less", "greater"])
    check_in("method", method, ["auto", "exact", "asymp"])


def ks_2samp(
    reference: ArrayLike,
    current: ArrayLike,
    *,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    method: Literal["auto", "exact", "asymp"] = "auto",
) -> KSResult:
    """Two-sample Kolmogorov-Smirnov test, equal to ``scipy.stats.ks_2samp``.

    Parameters
    ----------
    reference, current
        The two samples (Series, NumPy arrays or lists of numbers, dates or durations).
        Nulls, NaN and infinities are dropped first.
    alternative
        ``"two-sided"`` (default), ``"less"`` or ``"greater"``, as in scipy.
    method
        How the p-value is computed. ``"auto"`` follows scipy exactly: the exact null
        distribution when both samples have at most 10,000 values (:data:`KS_MAX_EXACT_N`),
        the asymptotic one (``scipy.stats.kstwo`` at the effective size ``n*m/(n+m)``)
        otherwise. ``"exact"`` falls back to ``"asymp"`` when ``lcm(n, m)`` exceeds the int32
        range or the exact recursion loses precision, as scipy does (without a warning; the
        ``method`` field says which was used).

    Returns
    -------
    KSResult
        ``statistic`` (D), ``p_value``, ``method`` used and the Wasserstein-1 distance divided
        by the reference standard deviation as ``effect_size``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> r = ks_2samp(rng.normal(size=500), rng.normal(0.3, size=400))
    >>> round(r.statistic, 4), r.method, r.p_value < 1e-3
    (0.1575, 'exact', True)
    """
    _check_alternative(alternative, method)
    ref, cur = numeric_summaries([_as_series(reference, "a"), _as_series(current, "b")])
    d, p, used, w = ks_from_sorted(ref.values, cur.values, alternative, method)
    return KSResult(d, p, used, normalised(w, ref.std), ref.n_finite, cur.n_finite, alternative, w)


def normalised(w: float, std: float) -> float:
    if std > 0:
        return w / std
    return 0.0 if w == 0 else math.inf


def wasserstein(reference: ArrayLike, current: ArrayLike, *, standardize: bool = False) -> float:
    """Wasserstein-1 (earth mover's) distance, equal to ``scipy.stats.wasserstein_distance``.

    Parameters
    ----------
    reference, current
        The two samples; nulls, NaN and infinities are dropped.
    standardize
        Divide by the reference standard deviation (population, ``ddof=0``), giving a
        unit-free effect size: 0.1 means the distributions are a tenth of a standard deviation
        apart on average.

    Examples
    --------
    >>> wasserstein([0.0, 1.0, 3.0], [5.0, 6.0, 8.0])
    5.0
    """
    ref, cur = numeric_summaries([_as_series(reference, "a"), _as_series(current, "b")])
    w = ks_from_sorted(ref.values, cur.values)[3]
    return normalised(w, ref.std) if standardize else w


def _bin_edges(ref_sorted: NDArray[np.float64], n_bins: int) -> NDArray[np.float64]:
    """Interior edges of up to ``n_bins`` right-closed quantile bins of the reference.

    Edge ``k`` is the ``k/n_bins`` empirical quantile (the smallest value with at least
    ``k*n/n_bins`` values at or below it). Edges repeated by ties are kept once, and an edge at
    the reference maximum is dropped, so every bin holds reference values; ties never split
    across bins.
    """
    n = ref_sorted.shape[0]
    if n == 0:
        return np.empty(0)
    distinct = np.unique(ref_sorted) if n <= 1_000_000 else None
    if distinct is not None and distinct.shape[0] <= n_bins:
        return distinct[:-1]
    k = np.arange(1, n_bins)
    edges = ref_sorted[np.ceil(k * n / n_bins).astype(np.int64) - 1]
    edges = np.unique(edges)
    return edges[edges < ref_sorted[-1]]  # type: ignore[no-any-return]


def _bin_counts(sorted_values: NDArray[np.float64], edges: NDArray[np.float64]) -> NDArray[Any]:
    from careful_polars._kernels.drift import count_at_most

    at_most = count_at_most(sorted_values, edges)
    return np.diff(np.concatenate(([0], at_most, [sorted_values.shape[0]])))


def shares(counts: NDArray[Any]) -> NDArray[np.float64]:
    total = counts.sum()
    return counts / total if total else np.zeros(counts.shape[0])


def psi_from_shares(p: NDArray[np.float64], q: NDArray[np.float64]) -> float:
    p = np.maximum(p, PSI_FLOOR)
    q = np.maximum(q, PSI_FLOOR)
    return float(np.sum((q - p) * np.log(q / p)))


def js_from_shares(p: NDArray[np.float64], q: NDArray[np.float64]) -> float:
    from scipy.special import rel_entr

    m = (p + q) / 2.0
    js = (np.sum(rel_entr(p, m)) + np.sum(rel_entr(q, m))) / 2.0
    return float(np.sqrt(max(js, 0.0) / np.log(2.0)))


def tvd_from_shares(p: NDArray[np.float64], q: NDArray[np.float64]) -> float:
    return float(0.5 * np.abs(p - q).sum())


def _is_categorical(series: pl.Series) -> bool:
    return not numeric_dtype(series.dtype)


def _paired_shares(
    reference: ArrayLike, current: ArrayLike, n_bins: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    ref_s, cur_s = _as_series(reference, "a"), _as_series(current, "b")
    if _is_categorical(ref_s) or _is_categorical(cur_s):
        rc, cc = categorical_summary(ref_s.alias("v")), categorical_summary(cur_s.alias("v"))
        _, r, c = align(rc, cc)
        return shares(r), shares(c)
    ref, cur = numeric_summaries([ref_s, cur_s])
    return binned_shares(ref, cur, n_bins)


def binned_shares(
    ref: Numeric, cur: Numeric, n_bins: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    edges = _bin_edges(ref.values, n_bins)
    return shares(_bin_counts(ref.values, edges)), shares(_bin_counts(cur.values, edges))


def check_bins(n_bins: int) -> None:
    if not isinstance(n_bins, int) or n_bins < 2:
        msg = f"n_bins={n_bins!r} must be an integer >= 2. Hint: 10 is a common choice for PSI."
        raise InvalidParameterError(msg)


def psi(reference: ArrayLike, current: ArrayLike, *, n_bins: int = 10) -> float:
    """Compute the population stability index over quantile bins of the reference.

    Numeric samples are cut into ``n_bins`` right-closed bins at the reference's
    ``k/n_bins`` quantiles (ties stay in one bin, so heavily tied data can give fewer bins;
    with at most ``n_bins`` distinct reference values each value is its own bin). Categorical
    samples use one bin per category. Bin shares below :data:`PSI_FLOOR` (``1e-4``) are raised
    to it on both sides; then ``PSI = sum((q - p) * ln(q / p))``. Rule of thumb: below 0.1
    stable, 0.1-0.2 moderate, above 0.2 a real shift.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> round(psi(rng.normal(size=10_000), rng.normal(0.5, size=10_000)), 3)
    0.239
    """
    check_bins(n_bins)
    return psi_from_shares(*_paired_shares(reference, current, n_bins))


def jensen_shannon(reference: ArrayLike, current: ArrayLike, *, n_bins: int = 10) -> float:
    """Jensen-Shannon distance (base 2, in [0, 1]) of categories or reference-quantile bins.

    Equal to ``scipy.spatial.distance.jensenshannon(p, q, base=2)`` of the category (or bin)
    shares; bins as in :func:`psi` without the floor.

    Examples
    --------
    >>> round(jensen_shannon(["a", "a", "b"], ["a", "b", "b"]), 4)
    0.2858
    """
    check_bins(n_bins)
    return js_from_shares(*_paired_shares(reference, current, n_bins))


def total_variation(reference: ArrayLike, current: ArrayLike, *, n_bins: int = 10) -> float:
    """Total variation distance ``0.5 * sum(|p - q|)`` of categories or reference bins.

    Examples
    --------
    >>> total_variation(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.25
    """
    check_bins(n_bins)
    return tvd_from_shares(*_paired_shares(reference, current, n_bins))


def align(
    ref: Categorical, cur: Categorical
) -> tuple[list[str], NDArray[np.int64], NDArray[np.int64]]:
    """Union of categories (reference order, then unseen ones) with both count vectors."""
    index = {c: i for i, c in enumerate(ref.categories)}
    names = list(ref.categories)
    cur_counts = np.zeros(len(names), dtype=np.int64)
    extra = []
    for c, n in zip(cur.categories, cur.freq.tolist(), strict=False):
        i = index.get(c)
        if i is None:
            names.append(c)
            extra.append(n)
        else:
            cur_counts[i] = n
    ref_counts = np.concatenate([ref.freq, np.zeros(len(extra), dtype=np.int64)])
    cur_counts = np.concatenate([cur_counts, np.asarray(extra, dtype=np.int64)])
    return names, ref_counts, cur_counts


def chi2_from_summaries(ref: Categorical, cur: Categorical) -> TestResult:
    # scipy.special, not scipy.stats: the same function, without most of a second of import
    from scipy import special

    names, r, c = align(ref, cur)
    unseen = [n for n, rc in zip(names, r, strict=False) if rc == 0]
    nr, nc = int(r.sum()), int(c.sum())
    total = nr + nc
    if nr == 0 or nc == 0:
        return TestResult(math.nan, math.nan, 0, math.nan, "cramers_v", unseen, [])
    col = (r + c).astype(np.float64)
    rare = np.minimum(col * nr / total, col * nc / total) < CHI2_MIN_EXPECTED
    pooled = [n for n, is_rare in zip(names, rare, strict=False) if is_rare]
    if rare.any():
        r = np.append(r[~rare], r[rare].sum())
        c = np.append(c[~rare], c[rare].sum())
    if r.shape[0] < 2:
        return TestResult(0.0, 1.0, 0, 0.0, "cramers_v", unseen, pooled)
    table = np.vstack([r, c]).astype(np.float64)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
    stat = float(((table - expected) ** 2 / expected).sum())
    dof = table.shape[1] - 1
    p = float(special.chdtrc(dof, stat))  # what stats.chi2.sf(stat, dof) computes
    return TestResult(stat, p, dof, math.sqrt(stat / total), "cramers_v", unseen, pooled)


def chi_square(reference: ArrayLike, current: ArrayLike) -> TestResult:
    """Chi-square test of homogeneity of two categorical samples, with rare categories pooled.

    The 2 x K table has one column per category seen in either sample. Categories whose
    expected count (under the pooled distribution) is below :data:`CHI2_MIN_EXPECTED` (5) in
    either sample are merged into one column before the test (Cochran's rule); no continuity
    correction. Equal to ``scipy.stats.chi2_contingency(table, correction=False)`` of the
    pooled table. ``unseen`` lists the categories absent from the reference; ``effect_size`` is
    Cramér's V (``sqrt(chi2 / N)`` for two samples).

    Examples
    --------
    >>> r = chi_square(["a"] * 50 + ["b"] * 50, ["a"] * 70 + ["b"] * 30 + ["c"])
    >>> round(r.p_value, 4), r.unseen, r.pooled
    (0.0094, ['c'], ['c'])
    """
    ref = categorical_summary(_as_series(reference, "v").alias("v"))
    cur = categorical_summary(_as_series(current, "v").alias("v"))
    return chi2_from_summaries(ref, cur)
