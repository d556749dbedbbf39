"""Kernels for the two-sample statistics: one merge of two sorted arrays, exact KS p-values.

``merge_ks_wasserstein`` walks two ascending float64 arrays once and returns the extreme ECDF
differences (the Kolmogorov-Smirnov statistics) and the area between the two ECDFs
(Wasserstein-1). The ECDF differences are formed as ``i / n1 - j / n2`` in float64, the same
expression ``scipy.stats.ks_2samp`` evaluates, so D is bit-identical to scipy's.

``ks_prob_outside_square`` and ``ks_outer_prob_inside`` are the exact two-sided null
probabilities of the Smirnov statistic (Hodges 1958, with the ``1 - p`` recursion of Viehmann
2021, arXiv:2102.08037), evaluated in the same order of floating-point operations as scipy's
implementation so the p-values agree to rounding.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Terms summed per block before the block joins the running total (bounds rounding growth).
_BLOCK = 4096


@njit(cache=True, nogil=True)
def merge_ks_wasserstein(a, b, i, j, steps):  # type: ignore[no-untyped-def]
    """Return ``(max_diff, min_diff, wasserstein)`` of sorted finite arrays ``a`` and ``b``.

    The merge starts at ``a[i]`` / ``b[j]`` (counts of values already passed) and takes
    ``steps`` values; ``(0, 0, len(a) + len(b))`` is the whole merge. A range that starts and
    ends between two distinct values can run in its own thread; the per-range results combine
    by max / min / sum.

    ``max_diff``/``min_diff`` are the largest and smallest values of ``F_a(x) - F_b(x)`` over the
    pooled sample points (right-continuous ECDFs); the Wasserstein-1 distance is the integral of
    ``|F_a - F_b|`` between consecutive distinct pooled points. Terms are summed in blocks of
    4096 so the rounding error stays near ``(4096 + n / 4096) * eps`` rather than ``n * eps``.

    The loop takes one value per step and is written with selects instead of branches: which
    side the next value comes from is unpredictable for interleaved samples, and a mispredicted
    branch per value would cost more than the arithmetic. Within a run of equal values only the
    last step (where the next value differs) counts, as the ECDFs are right-continuous.
    """
    n1 = a.shape[0]
    n2 = b.shape[0]
    inf = np.inf
    max_diff = -1.0
    min_diff = 1.0
    total = 0.0
    block = 0.0
    ai = a[i] if i < n1 else inf
    bj = b[j] if j < n2 else inf
    for k in range(steps):
        take_a = ai <= bj
        x = ai if take_a else bj
        i += 1 if take_a else 0
        j += 0 if take_a else 1
        ai = a[i if i < n1 else n1 - 1]
        ai = ai if i < n1 else inf
        bj = b[j if j < n2 else n2 - 1]
        bj = bj if j < n2 else inf
        nxt = ai if ai <= bj else bj
        step = nxt != x
        diff = i / n1 - j / n2
        max_diff = max(max_diff, diff if step else -1.0)
        min_diff = min(min_diff, diff if step else 1.0)
        gap = nxt - x if nxt != inf else 0.0
        block += abs(diff) * gap
        if (k & (_BLOCK - 1)) == _BLOCK - 1:
            total += block
            block = 0.0
    return max_diff, min_diff, total + block


@njit(cache=True, nogil=True)
def nonfinite_counts(values):  # type: ignore[no-untyped-def]
    """Return ``(n_nan, n_inf)`` of a float64 array."""
    n_nan = 0
    n_inf = 0
    for k in range(values.shape[0]):
        v = values[k]
        if v != v:
            n_nan += 1
        elif v == np.inf or v == -np.inf:
            n_inf += 1
    return n_nan, n_inf


@njit(cache=True, nogil=True)
def shifted_std(sorted_values):  # type: ignore[no-untyped-def]
    """Population standard deviation, shifted by the median for stability, blocked sums."""
    n = sorted_values.shape[0]
    if n == 0:
        return np.nan
    c = sorted_values[n // 2]
    s1 = 0.0
    s2 = 0.0
    b1 = 0.0
    b2 = 0.0
    for k in range(n):
        d = sorted_values[k] - c
        b1 += d
        b2 += d * d
        if (k + 1) % _BLOCK == 0:
            s1 += b1
            s2 += b2
            b1 = 0.0
            b2 = 0.0
    s1 += b1
    s2 += b2
    mean = s1 / n
    var = s2 / n - mean * mean
    return np.sqrt(max(var, 0.0))


@njit(cache=True, nogil=True)
def count_at_most(sorted_values, edges):  # type: ignore[no-untyped-def]
    """Count the values ``<= edge`` for each edge (``searchsorted(..., side="right")``)."""
    out = np.empty(edges.shape[0], dtype=np.int64)
    for k in range(edges.shape[0]):
        out[k] = np.searchsorted(sorted_values, edges[k], side="right")
    return out


@njit(cache=True, nogil=True)
def ks_prob_outside_square(n, h):  # type: ignore[no-untyped-def]
    """Exact ``P(D_{n,n} >= h / n)`` for two samples of equal size ``n`` (two-sided)."""
    # 2 * (A0 - A0 A1 + A0 A1 A2 - ...) in Horner form, innermost term first
    p = 0.0
    k = n // h
    while k >= 0:
        p1 = 1.0
        for j in range(h):
            p1 = (n - k * h - j) * p1 / (n + k * h + j + 1)
        p = p1 * (1.0 - p)
        k -= 1
    return 2 * p


@njit(cache=True, nogil=True)
def ks_outer_prob_inside(m, n, g, h):  # type: ignore[no-untyped-def]
    """Exact share of lattice paths from (0, 0) to (m, n) leaving ``|x/m - y/n| < h/lcm``.

    ``g`` is ``gcd(m, n)``. Keeps one sliding column of the path-count table, already divided
    by the binomial normaliser, so the result is the two-sided p-value directly.
    """
    if m < n:
        m, n = n, m
    mg = m // g
    ng = n // g
    minj = 0
    maxj = min(math.ceil(h / mg), n + 1)
    curlen = maxj - minj
    len_a = min(2 * maxj + 2, n + 1)
    col = np.ones(len_a, dtype=np.float64)
    col[minj:maxj] = 0.0
    for i in range(1, m + 1):
        lastminj = minj
        lastlen = curlen
        minj = max(math.floor((ng * i - h) / mg) + 1, 0)
        minj = min(minj, n)
        maxj = min(math.ceil((ng * i + h) / mg), n + 1)
        if maxj <= minj:
            return 1.0
        val = 0.0 if minj == 0 else 1.0
        for jj in range(maxj - minj):
            j = jj + minj
            val = (col[jj + minj - lastminj] * i + val * j) / (i + j)
            col[jj] = val
        curlen = maxj - minj
        if lastlen > curlen:
            col[maxj - minj : maxj - minj + (lastlen - curlen)] = 1.0
    return col[maxj - minj - 1]


@njit(cache=True, nogil=True)
def subtract_in_order(start, weights, values):  # type: ignore[no-untyped-def]
    """``start - w[0] v[0] - w[1] v[1] - ...`` evaluated left to right (no reassociation)."""
    acc = start
    for i in range(weights.shape[0]):
        acc -= weights[i] * values[i]
    return acc


@njit(cache=True, nogil=True)
def smirnov_sf(n, x):  # type: ignore[no-untyped-def]
    """Exact one-sided Smirnov tail ``P(D+_n >= x)`` by the Birnbaum-Tingey sum, in log space.

    ``x * sum_j C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1)`` for ``j <= n (1 - x)``; each term
    is formed from ``lgamma`` so the O(n) sum costs a few nanoseconds per term.
    """
    jmax = math.floor(n * (1.0 - x))
    lg_n = math.lgamma(n + 1.0)
    total = 0.0
    log_x = math.log(x)
    for j in range(jmax + 1):
        a = 1.0 - x - j / n
        if a <= 0.0:
            break
        b = x + j / n
        log_term = (
            lg_n
            - math.lgamma(j + 1.0)
            - math.lgamma(n - j + 1.0)
            + (n - j) * math.log(a)
            + (j - 1) * math.log(b)
            + log_x
        )
        if log_term > -745.0:
            total += math.exp(log_term)
    return min(total, 1.0)
