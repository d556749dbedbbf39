"""Kernels for stratified sampling and ratio-capped mixing: group ids, random keys, selection.

Every random choice is a pure function of the seed and the input through the SplitMix64
finaliser: ``(seed, group, step)`` for Floyd's subset draw and for draws with replacement,
``(seed, row position)`` for row keys (a bijection on ``uint64``, so keys of distinct rows never
tie). Nothing depends on how work is split across threads; kernels that run threaded are also
compiled serially and the serial build runs on small inputs.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np
from numba import njit, prange

_U64 = np.uint64
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_EMPTY = np.int64(-1)
#: Chunks of rows counted separately in the parallel passes (a constant, so results and even the
#: intermediate counts do not depend on the number of threads).
_CHUNKS = 16
_TWO64 = 18446744073709551616.0


#: Below this many rows the serial build of a kernel runs: waking threads costs more than the
#: work they would share (and much more on a busy machine).
PARALLEL_MIN_ROWS = 1 << 18
#: Fewer numba threads than this and the serial builds always run. Measured on a shared 2-core
#: machine: the threaded builds were at best ~10% faster than the serial ones (quiet machine)
#: and up to 50% slower under load (thread start-up and spin-waiting in the OpenMP layer).
PARALLEL_MIN_THREADS = 4


def use_threads(rows: int) -> bool:
    """Whether the threaded kernel builds should run for ``rows`` rows."""
    import numba

    return rows >= PARALLEL_MIN_ROWS and numba.get_num_threads() >= PARALLEL_MIN_THREADS


class _Threaded:
    """A kernel compiled twice, with ``prange`` threads and serially; picked by row count.

    Both builds compute the same result (the kernels never depend on thread scheduling).
    """

    def __init__(self, fn: Any) -> None:
        serial = types.FunctionType(
            fn.__code__, fn.__globals__, fn.__name__ + "_serial", fn.__defaults__, fn.__closure__
        )
        serial.__qualname__ = fn.__qualname__ + "_serial"
        self.parallel = njit(cache=True, nogil=True, parallel=True)(fn)
        self.serial = njit(cache=True, nogil=True)(serial)
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    def __call__(self, *args: Any) -> Any:
        kernel = self.parallel if use_threads(args[0].size) else self.serial
        return kernel(*args)


def _threaded(fn: Any) -> _Threaded:
    return _Threaded(fn)


@njit(cache=True, nogil=True)
def _mix64(z):  # type: ignore[no-untyped-def]
    # SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijection on uint64.
    z = (z ^ (z >> _U64(30))) * _M1
    z = (z ^ (z >> _U64(27))) * _M2
    return z ^ (z >> _U64(31))


@njit(cache=True, nogil=True)
def seed_offset(seed):  # type: ignore[no-untyped-def]
    """Return the per-seed offset added to row positions before mixing."""
    return _mix64(_U64(seed) + _GOLDEN)


@njit(cache=True, nogil=True)
def _key(offset, position):  # type: ignore[no-untyped-def]
    return _mix64(offset + _U64(position))


@_threaded
def row_keys(positions, seed):  # type: ignore[no-untyped-def]
    """Random ``uint64`` key of each row position (for ordering a sample randomly)."""
    offset = seed_offset(seed)
    out = np.empty(positions.size, np.uint64)
    for i in prange(positions.size):
        out[i] = _key(offset, positions[i])
    return out


@njit(cache=True, nogil=True)
def group_ids_table(values, valid, has_nulls, cap):  # type: ignore[no-untyped-def]
    """Dense group id of each row by exact equality of ``values`` (nulls form one group).

    Returns ``(ids, first_row, counts, k)``: ids are numbered by first appearance, so the
    numbering depends only on the input. Open addressing with linear probing in a table of
    ``cap`` slots (a power of two); ``k == -1`` means more than ``cap // 2`` groups were found
    and the caller must retry with a larger table.
    """
    n = values.size
    slots = np.full(cap, _EMPTY, np.int64)
    limit = cap // 2
    gvals = np.empty(limit, np.uint64)
    first = np.empty(limit, np.int64)
    counts = np.zeros(limit, np.int64)
    ids = np.empty(n, np.int32)
    k = 0
    null_id = -1
    mask = _U64(cap - 1)
    for i in range(n):
        if has_nulls and not valid[i]:
            if null_id < 0:
                if k == limit:
                    return ids, first, counts, -1
                null_id = k
                gvals[k] = 0
                first[k] = i
                k += 1
            ids[i] = null_id
            counts[null_id] += 1
            continue
        v = _U64(values[i])
        h = np.int64(_mix64(v) & mask)
        while True:
            g = slots[h]
            if g == _EMPTY:
                if k == limit:
                    return ids, first, counts, -1
                g = k
                gvals[k] = v
                first[k] = i
                slots[h] = k
                k += 1
                break
            if gvals[g] == v:
                break
            h = (h + 1) & (cap - 1)
        ids[i] = g
        counts[g] += 1
    return ids, first[:k].copy(), counts[:k].copy(), k


@njit(cache=True, nogil=True)
def min_max(values):  # type: ignore[no-untyped-def]
    """Smallest and largest value in one pass (``values`` non-empty)."""
    low = values[0]
    high = values[0]
    for i in range(1, values.size):
        x = values[i]
        low = min(low, x)
        high = max(high, x)
    return low, high


def dense_chunks(rows: int, width: int) -> int:
    """Row chunks for :func:`dense_counts`: one unless threads run; bounded scratch memory."""
    if not use_threads(rows):
        return 1
    return min(_CHUNKS, max(1, (1 << 22) // width), max(1, rows // 4096))


@_threaded
def dense_counts(values, valid, has_nulls, low, span, chunks):  # type: ignore[no-untyped-def]
    """Group integers in ``[low, low + span)`` by direct addressing (nulls: one more group).

    Returns ``(remap, first_row, counts, part_counts)``: ``remap[v - low]`` (``remap[span]``
    for null) is the group id of value ``v``; ids are numbered by first appearance;
    ``part_counts[c, v]`` counts value slot ``v`` in chunk ``c`` of ``chunks`` row chunks
    (see :func:`dense_chunks`), which lets :func:`mask_from_ranks` skip its counting pass.
    """
    n = values.size
    width = span + 1  # slot `span` is the null group
    step = (n + chunks - 1) // chunks if n else 0
    part_counts = np.zeros((chunks, width), np.int64)
    part_first = np.full((chunks, width), np.int64(n), np.int64)
    for c in prange(chunks):
        cnt = part_counts[c]
        fst = part_first[c]
        if has_nulls:
            for i in range(c * step, min(n, (c + 1) * step)):
                v = np.int64(values[i]) - low if valid[i] else span
                if cnt[v] == 0:
                    fst[v] = i
                cnt[v] += 1
        else:  # the hot loop, without the null test
            for i in range(c * step, min(n, (c + 1) * step)):
                v = np.int64(values[i]) - low
                if cnt[v] == 0:
                    fst[v] = i
                cnt[v] += 1
    counts = np.zeros(width, np.int64)
    first = np.full(width, np.int64(n), np.int64)
    for c in range(chunks):  # chunks are in row order: the first chunk that saw v wins
        for v in range(width):
            if part_counts[c, v] > 0 and first[v] == n:
                first[v] = part_first[c, v]
            counts[v] += part_counts[c, v]
    present = np.flatnonzero(counts)
    order = present[np.argsort(first[present])]
    remap = np.full(width, -1, np.int32)
    for g in range(order.size):
        remap[order[g]] = g
    return remap, first[order].copy(), counts[order].copy(), part_counts


@_threaded
def dense_ids(values, valid, has_nulls, low, remap):  # type: ignore[no-untyped-def]
    """Group id of every row from :func:`dense_counts`' ``remap``."""
    n = values.size
    null_slot = remap.size - 1
    ids = np.empty(n, np.int32)
    for i in prange(n):
        v = null_slot if has_nulls and not valid[i] else np.int64(values[i]) - low
        ids[i] = remap[v]
    return ids


def group_ids(
    values: np.ndarray, valid: np.ndarray, has_nulls: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense group ids (by first appearance), first row and size of each group of ``values``.

    Integers in a narrow range use direct addressing, anything else a hash table that grows
    until it fits. ``valid`` is only read when ``has_nulls``.
    """
    if values.size and values.dtype.kind in "iub":
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        if high < (1 << 63) and span <= max(4 * values.size, 1 << 16):
            chunks = dense_chunks(values.size, span + 1)
            remap, first, counts, _ = dense_counts(values, valid, has_nulls, low, span, chunks)
            return dense_ids(values, valid, has_nulls, low, remap), first, counts
    cap = 4096
    while True:
        ids, first, counts, k = group_ids_table(values, valid, has_nulls, cap)
        if k >= 0:
            return ids, first, counts
        cap *= 4  # more than cap // 2 groups: retry with a larger table


@_threaded
def first_mismatch(ids, first, check):  # type: ignore[no-untyped-def]
    """Index of a row whose ``check`` differs from its group's first row, or -1 (collision test)."""
    n = ids.size
    bad = np.full(n, False)
    for i in prange(n):
        bad[i] = check[i] != check[first[ids[i]]]
    for i in range(n):
        if bad[i]:
            return i
    return -1


@njit(cache=True, nogil=True)
def _group_rows(ids, counts):  # type: ignore[no-untyped-def]
    # Counting sort of row positions by group; stable, so rows stay in input order in a group.
    k = counts.size
    starts = np.zeros(k + 1, np.int64)
    for g in range(k):
        starts[g + 1] = starts[g] + counts[g]
    fill = starts[:k].copy()
    rows = np.empty(ids.size, np.int64)
    for i in range(ids.size):
        g = ids[i]
        rows[fill[g]] = i
        fill[g] += 1
    return starts, rows


@njit(cache=True, nogil=True)
def _group_key(offset, g):  # type: ignore[no-untyped-def]
    return _mix64(offset ^ _mix64(_U64(g) + _GOLDEN))


@njit(cache=True, nogil=True)
def _below(h, bound):  # type: ignore[no-untyped-def]
    # uniform integer in [0, bound) from the top 53 bits of h
    # (the top 53 bits fit an int64, whose conversion to double is a single instruction)
    u = np.float64(np.int64(h >> _U64(11))) * (1.0 / 9007199254740992.0)
    pick = np.int64(u * bound)
    return bound - 1 if pick >= bound else pick


@njit(cache=True, nogil=True)
def _bit(bits, p):  # type: ignore[no-untyped-def]
    return (bits[p >> 3] >> (p & 7)) & 1


@njit(cache=True, nogil=True)
def _set_bit(bits, p):  # type: ignore[no-untyped-def]
    bits[p >> 3] |= np.uint8(1 << (p & 7))


@_threaded
def choose_ranks(counts, quotas, seed):  # type: ignore[no-untyped-def]
    """Flag which ``quotas[g]`` of each group's ``counts[g]`` local row numbers to keep.

    Returns ``(starts, bits)``: group ``g`` owns bits ``[starts[g], starts[g] + counts[g])`` of
    the packed ``bits``. Each group's subset is uniformly
    random, drawn with Robert Floyd's algorithm (step ``j`` picks uniformly in ``[0, j]`` from
    SplitMix64 of seed, group and ``j``); for quotas above half the group the complement is
    drawn instead. Work is proportional to the sample, not to the rows.
    """
    k = counts.size
    starts = np.zeros(k + 1, np.int64)
    for g in range(k):  # bit offsets, each group byte-aligned so threads never share a byte
        starts[g + 1] = starts[g] + (counts[g] + 7) // 8 * 8
    chosen = np.zeros(starts[k] // 8, np.uint8)
    offset = seed_offset(seed)
    for g in prange(k):
        s = counts[g]
        q = min(quotas[g], s)
        if q <= 0:
            continue
        base = starts[g]
        if q == s:
            for t in range(s):
                _set_bit(chosen, base + t)
            continue
        invert = 2 * q > s
        m = s - q if invert else q
        gkey = _group_key(offset, g)
        for j in range(s - m, s):
            p = base + _below(_mix64(gkey + _U64(j)), j + 1)
            # add t, or j when t is already in (a select, not a branch: collisions are random)
            p = base + j if _bit(chosen, p) else p
            _set_bit(chosen, p)
        if invert:
            for t in range(s):
                p = base + t
                chosen[p >> 3] ^= np.uint8(1 << (p & 7))
    return starts, chosen


@_threaded
def mask_from_ranks(  # type: ignore[no-untyped-def]
    values, valid, has_nulls, low, slot_start, chosen, chunks, part_counts, have_counts
):
    """Mask of the rows whose local row number in their group is set in the bits ``chosen``.

    A row's value slot is ``values[i] - low`` (the last slot for a null); ``slot_start[v]`` is
    where the slot's group starts in ``chosen``. Rows are cut into ``chunks`` contiguous chunks;
    per-chunk slot counts (``part_counts`` from :func:`dense_counts` when ``have_counts``, else
    a counting pass) give each chunk its own starting positions, so chunks run independently
    and give the same result as one pass.
    """
    n = values.size
    width = slot_start.size
    null_slot = width - 1
    if chunks == 1:  # one pass over a flat position array (measurably faster than a 2-D row)
        flat = slot_start.copy()
        out = np.empty(n, np.bool_)
        if has_nulls:
            for i in range(n):
                v = np.int64(values[i]) - low if valid[i] else null_slot
                p = flat[v]
                out[i] = _bit(chosen, p)
                flat[v] = p + 1
        else:
            for i in range(n):
                v = np.int64(values[i]) - low
                p = flat[v]
                out[i] = _bit(chosen, p)
                flat[v] = p + 1
        return out
    step = (n + chunks - 1) // chunks if n else 0
    pos = np.zeros((chunks, width), np.int64)
    if chunks > 1:
        if have_counts:
            # element loops, not `pos[:, :] = part_counts`: a slice assignment compiles numba's
            # shape-mismatch error message (string formatting), seconds of cold start
            for c in range(chunks):
                for v in range(width):
                    pos[c, v] = part_counts[c, v]
        else:
            for c in prange(chunks):
                row = pos[c]
                for i in range(c * step, min(n, (c + 1) * step)):
                    v = null_slot if has_nulls and not valid[i] else np.int64(values[i]) - low
                    row[v] += 1
        for v in range(width):  # exclusive prefix over chunks, from the slot's start
            acc = slot_start[v]
            for c in range(chunks):
                here = pos[c, v]
                pos[c, v] = acc
                acc += here
    else:
        for v in range(width):
            pos[0, v] = slot_start[v]
    mask = np.empty(n, np.bool_)
    for c in prange(chunks):
        row = pos[c]
        if has_nulls:
            for i in range(c * step, min(n, (c + 1) * step)):
                v = np.int64(values[i]) - low if valid[i] else null_slot
                p = row[v]
                mask[i] = _bit(chosen, p)
                row[v] = p + 1
        else:  # the hot loop, without the null test
            for i in range(c * step, min(n, (c + 1) * step)):
                v = np.int64(values[i]) - low
                p = row[v]
                mask[i] = _bit(chosen, p)
                row[v] = p + 1
    return mask


def select_uniform(
    ids: np.ndarray | None,
    counts: np.ndarray,
    quotas: np.ndarray,
    seed: np.uint64,
    lookup: tuple[Any, ...] | None = None,
) -> np.ndarray:
    """Mask keeping a uniformly random ``min(quotas[g], counts[g])`` rows of every group ``g``.

    The same rows for any number of threads: the subset is a function of the seed, the group
    number and the rows' order within their group. ``lookup`` (``values, valid, has_nulls,
    low, remap, part_counts, chunks`` from :func:`dense_counts`) replaces ``ids`` when they
    were not materialised.
    """
    starts, chosen = choose_ranks(counts, quotas, seed)
    if lookup is None:
        assert ids is not None
        values, valid, has_nulls, low = ids, np.ones(0, np.bool_), False, 0
        slot_start = np.append(starts[:-1], 0)  # group id == slot; last slot unused
        chunks = _CHUNKS if use_threads(values.size) else 1
        part_counts, have_counts = np.zeros((1, 1), np.int64), False
    else:
        values, valid, has_nulls, low, remap, part_counts, chunks = lookup
        slot_start = np.where(remap >= 0, starts[np.maximum(remap, 0)], 0)
        have_counts = True
    mask: np.ndarray = mask_from_ranks(
        values, valid, has_nulls, low, slot_start, chosen, chunks, part_counts, have_counts
    )
    return mask


@_threaded
def draw_with_replacement(ids, counts, quotas, seed):  # type: ignore[no-untyped-def]
    """Row positions drawn uniformly with replacement, ``quotas[g]`` from each group ``g``.

    Draw ``j`` of group ``g`` is a pure function of ``(seed, g, j)``; returns ``(rows, keys)``
    with one random key per draw (for shuffling).
    """
    k = counts.size
    starts, rows = _group_rows(ids, counts)
    out_start = np.zeros(k + 1, np.int64)
    for g in range(k):
        q = quotas[g] if counts[g] > 0 else 0
        out_start[g + 1] = out_start[g] + q
    total = out_start[k]
    out = np.empty(total, np.int64)
    keys = np.empty(total, np.uint64)
    offset = seed_offset(seed)
    for g in prange(k):
        s = counts[g]
        base = out_start[g]
        gkey = _group_key(offset, g)
        for j in range(out_start[g + 1] - base):
            h = _mix64(gkey + _U64(j))
            out[base + j] = rows[starts[g] + _below(h, s)]
            keys[base + j] = _mix64(h ^ _M2)
    return out, keys


@njit(cache=True, nogil=True)
def _argsort_uniform(keys):  # type: ignore[no-untyped-def]
    # Argsort of uniformly distributed uint64 keys in expected linear time: distribute into
    # `size` buckets by the top bits, then insertion-sort each (tiny) bucket.
    s = keys.size
    starts = np.zeros(s + 1, np.int64)
    slot = np.empty(s, np.int64)
    for t in range(s):
        b = np.int64(((keys[t] >> _U64(32)) * _U64(s)) >> _U64(32))
        slot[t] = b
        starts[b + 1] += 1
    for b in range(s):
        starts[b + 1] += starts[b]
    fill = starts[:s].copy()
    order = np.empty(s, np.int64)
    for t in range(s):
        order[fill[slot[t]]] = t
        fill[slot[t]] += 1
    for b in range(s):
        for u in range(starts[b] + 1, starts[b + 1]):
            cur = order[u]
            ck = keys[cur]
            v = u - 1
            while v >= starts[b] and keys[order[v]] > ck:
                order[v + 1] = order[v]
                v -= 1
            order[v + 1] = cur
    return order


@_threaded
def round_robin_mask(  # type: ignore[no-untyped-def]
    ids, counts, quotas, buckets, bucket_low, n_buckets, bucket_valid, seed, blocks
):
    """Mask keeping ``quotas[g]`` rows per group, covering as many buckets as possible.

    ``buckets - bucket_low`` are dense ids in ``[0, n_buckets)``. Within a group, each
    bucket's rows are ranked by random key (rank 0 = smallest key); rows are kept in order of
    (rank in bucket, key): first one row of every bucket, then a second row of every bucket
    with two or more, and so on. A row whose bucket is not valid (null) is a bucket of its own.
    """
    n = ids.size
    k = counts.size
    offset = seed_offset(seed)
    # counting sort of (row, bucket) by group, so each group's data is contiguous
    starts = np.zeros(k + 1, np.int64)
    for g in range(k):
        starts[g + 1] = starts[g] + counts[g]
    fill = starts[:k].copy()
    rows = np.empty(n, np.int64)
    group_bucket = np.empty(n, np.int64)
    for i in range(n):
        g = ids[i]
        rows[fill[g]] = i
        group_bucket[fill[g]] = np.int64(buckets[i]) - bucket_low if bucket_valid[i] else -1
        fill[g] += 1
    mask = np.zeros(n, np.bool_)
    for blk in prange(blocks):
        seen = np.zeros(max(1, n_buckets), np.int32)  # rows met so far per bucket
        best = np.empty(max(1, n_buckets), np.int64)  # smallest-key row per bucket
        for g in range(blk, k, blocks):
            s = counts[g]
            q = quotas[g]
            lo = starts[g]
            if q <= 0:
                continue
            if q >= s:
                for t in range(s):
                    mask[rows[lo + t]] = True
                continue
            grows = rows[lo : lo + s]
            gb = group_bucket[lo : lo + s]
            gkeys = np.empty(s, np.uint64)
            for t in range(s):
                gkeys[t] = _key(offset, grows[t])
            # round 0 holds the smallest-key row of every bucket; when it alone covers the
            # quota (the usual case), its `q` smallest keys are the answer: no sort needed
            reps = np.empty(s, np.int64)
            touched = np.empty(s, np.int64)
            m = 0
            m_touched = 0
            for t in range(s):
                b = gb[t]
                if b < 0:
                    reps[m] = t
                    m += 1
                elif seen[b] == 0:
                    seen[b] = 1
                    best[b] = t
                    touched[m_touched] = b
                    m_touched += 1
                elif gkeys[t] < gkeys[best[b]]:
                    best[b] = t
            for u in range(m_touched):
                b = touched[u]
                seen[b] = 0
                reps[m] = best[b]
                m += 1
            if q <= m:
                rep_keys = np.empty(m, np.uint64)
                for u in range(m):
                    rep_keys[u] = gkeys[reps[u]]
                thr = np.partition(rep_keys, q - 1)[q - 1]
                for u in range(m):
                    if gkeys[reps[u]] <= thr:
                        mask[grows[reps[u]]] = True
                continue
            order = _argsort_uniform(gkeys)
            rank = np.empty(s, np.int64)
            level_count = np.zeros(s + 1, np.int64)
            for t in range(s):
                b = gb[order[t]]
                if b >= 0:
                    rank[t] = seen[b]
                    seen[b] += 1
                else:
                    rank[t] = 0
                level_count[rank[t]] += 1
            for t in range(s):
                if gb[t] >= 0:
                    seen[gb[t]] = 0
            # rounds below `level` are kept whole; round `level` is filled in key order
            level = 0
            taken = 0
            while taken + level_count[level] <= q:
                taken += level_count[level]
                level += 1
            rest = q - taken
            for t in range(s):
                if rank[t] < level:
                    mask[grows[order[t]]] = True
                elif rank[t] == level and rest > 0:
                    mask[grows[order[t]]] = True
                    rest -= 1
    return mask


def select_round_robin(
    ids: np.ndarray,
    counts: np.ndarray,
    quotas: np.ndarray,
    buckets: np.ndarray,
    bucket_low: int,
    n_buckets: int,
    bucket_valid: np.ndarray,
    seed: np.uint64,
) -> np.ndarray:
    """Round-robin selection over buckets (see :func:`round_robin_mask`); threads when they pay."""
    threaded = use_threads(ids.size)
    # groups are dealt to blocks; each block owns a per-bucket scratch array
    blocks = max(1, min(_CHUNKS, counts.size, (1 << 26) // max(1, n_buckets))) if threaded else 1
    mask: np.ndarray = round_robin_mask(
        ids, counts, quotas, buckets, bucket_low, n_buckets, bucket_valid, seed, blocks
    )
    return mask
