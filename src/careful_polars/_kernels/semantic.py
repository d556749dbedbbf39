"""Kernels for semantic deduplication: norms and value checks, exact pair cosines, greedy keep.

The dense similarity blocks themselves are float32 BLAS matrix products in NumPy: measured on
2 cores, OpenBLAS ``sgemm`` took 0.15 s for a 4096 x 4096 x 384 block and the numba loop
``dot_block`` below 4.8 s on two threads (docs/quality.md). These kernels do the per-row and
per-pair work around the products. Every kernel
writes only its own rows, so results do not depend on how ``run_ranges`` split them.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def norms_and_checks(x, norms, bad, lo, hi):  # type: ignore[no-untyped-def]
    """Float64 norm of rows ``lo:hi`` of ``x`` into ``norms``; ``bad[r]`` 1 for NaN/inf, 2 for zero."""
    d = x.shape[1]
    for r in range(lo, hi):
        acc = 0.0
        flag = 0
        for k in range(d):
            v = np.float64(x[r, k])
            if not np.isfinite(v):
                flag = 1
            acc += v * v
        norms[r] = np.sqrt(acc)
        if flag == 0 and acc == 0.0:
            flag = 2
        bad[r] = flag


@njit(cache=True, nogil=True)
def pair_cosine(x, norms, a, b, out, lo, hi):  # type: ignore[no-untyped-def]
    """Cosine of rows ``a[i]`` and ``b[i]`` of ``x``, accumulated in float64, for ``lo <= i < hi``."""
    d = x.shape[1]
    for i in range(lo, hi):
        u = a[i]
        v = b[i]
        acc = 0.0
        for k in range(d):
            acc += np.float64(x[u, k]) * np.float64(x[v, k])
        out[i] = acc / (norms[u] * norms[v])


@njit(cache=True, nogil=True)
def dot_block(x, inv, i0, i1, j0, j1, out):  # type: ignore[no-untyped-def]
    """Cosine block ``x[i0:i1] . x[j0:j1]`` by plain loops (kept to compare against BLAS)."""
    d = x.shape[1]
    for i in range(i0, i1):
        for j in range(j0, j1):
            acc = np.float32(0.0)
            for k in range(d):
                acc += x[i, k] * x[j, k]
            out[i - i0, j - j0] = acc * inv[i] * inv[j]
