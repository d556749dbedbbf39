"""Keep flags and first occurrences of 64-bit keys (content hashes), without Polars.

The keys are already uniform hashes, so they are partitioned by their top bits into small
groups that each fit an open-addressing table in cache; ranges of partitions run on threads.
Results do not depend on the thread count: each partition is scanned in row order.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from careful_polars._kernels._threads import run_ranges

_PARTITION_BITS = 10
#: Partitions per thread at the least (a partition holds about n / 1024 keys).
_MIN_PARTITIONS = 64


@njit(cache=True, nogil=True)
def _partition(keys):  # type: ignore[no-untyped-def]
    """Row indices grouped by the top bits of their key, row order kept within a group."""
    n = keys.shape[0]
    parts = 1 << _PARTITION_BITS
    shift = np.uint64(64 - _PARTITION_BITS)
    counts = np.zeros(parts + 1, dtype=np.int64)
    for i in range(n):
        counts[np.int64(keys[i] >> shift) + 1] += 1
    for p in range(parts):
        counts[p + 1] += counts[p]
    fill = counts[:-1].copy()
    order = np.empty(n, dtype=np.int64)
    grouped = np.empty(n, dtype=np.uint64)
    for i in range(n):
        key = keys[i]
        p = np.int64(key >> shift)
        order[fill[p]] = i
        grouped[fill[p]] = key
        fill[p] += 1
    return order, grouped, counts


@njit(cache=True, nogil=True)
def _new_table(rows):  # type: ignore[no-untyped-def]
    """An empty open-addressing table for ``rows`` keys: (keys, used flags, index mask)."""
    size = 16
    while size < 2 * rows:
        size *= 2
    return np.empty(size, dtype=np.uint64), np.zeros(size, dtype=np.bool_), np.uint64(size - 1)


@njit(cache=True, nogil=True)
def _slot(slot_key, used, mask, key):  # type: ignore[no-untyped-def]
    """The slot holding ``key``, claiming a free one; returns (slot, whether it is new)."""
    s = np.int64(key & mask)
    while used[s] and slot_key[s] != key:
        s = np.int64((np.uint64(s) + np.uint64(1)) & mask)
    if used[s]:
        return s, False
    used[s] = True
    slot_key[s] = key
    return s, True


@njit(cache=True, nogil=True)
def _keep_partitions(order, grouped, bounds, p_lo, p_hi, mode, out):  # type: ignore[no-untyped-def]
    for p in range(p_lo, p_hi):
        lo = bounds[p]
        hi = bounds[p + 1]
        slot_key, used, mask = _new_table(hi - lo)
        slot_count = np.zeros(slot_key.shape[0], dtype=np.int64)
        row_slot = np.empty(hi - lo, dtype=np.int64)
        for k in range(hi - lo):
            j = hi - 1 - k if mode == 1 else lo + k
            s, new = _slot(slot_key, used, mask, grouped[j])
            if new and mode != 2:
                out[order[j]] = True
            slot_count[s] += 1
            row_slot[j - lo] = s
        if mode == 2:
            for j in range(lo, hi):
                if slot_count[row_slot[j - lo]] == 1:
                    out[order[j]] = True


@njit(cache=True, nogil=True)
def _first_partitions(order, grouped, bounds, p_lo, p_hi, first):  # type: ignore[no-untyped-def]
    for p in range(p_lo, p_hi):
        lo = bounds[p]
        hi = bounds[p + 1]
        slot_key, used, mask = _new_table(hi - lo)
        slot_first = np.empty(slot_key.shape[0], dtype=np.int64)
        for j in range(lo, hi):
            s, new = _slot(slot_key, used, mask, grouped[j])
            if new:
                slot_first[s] = order[j]
            first[order[j]] = slot_first[s]


def keep_mask(keys: np.ndarray, mode: int) -> np.ndarray:
    """Rows kept by dedup: ``mode`` 0 first occurrence, 1 last occurrence, 2 unique keys only."""
    out = np.zeros(keys.shape[0], dtype=np.bool_)
    order, grouped, bounds = _partition(keys)

    def run(lo: int, hi: int) -> None:
        _keep_partitions(order, grouped, bounds, lo, hi, mode, out)

    run_ranges(bounds.shape[0] - 1, run, min_rows=_MIN_PARTITIONS)
    return out


def first_index(keys: np.ndarray) -> np.ndarray:
    """For every row, the index of the first row with the same key."""
    first = np.empty(keys.shape[0], dtype=np.int64)
    order, grouped, bounds = _partition(keys)

    def run(lo: int, hi: int) -> None:
        _first_partitions(order, grouped, bounds, lo, hi, first)

    run_ranges(bounds.shape[0] - 1, run, min_rows=_MIN_PARTITIONS)
    return first
