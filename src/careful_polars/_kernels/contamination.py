"""Contamination probes: the smaller side in hash tables, the larger side streamed through them.

The indexed side's LSH band keys and word n-gram hashes go into open-addressing tables (one per
band for band keys, one for n-grams) whose slots point at *entries*: a distinct key and the CSR
list of indexed rows that have it. :func:`probe_rows` tokenises each streamed row once,
computes its MinHash signature and band keys (the :mod:`careful_polars._kernels.minhash`
scheme, bit for bit) and its n-gram hashes, and records the distinct entries it hits. Nothing
per n-gram or per band key of the streamed side is kept.

N-gram hashes here are internal (never published): each token is hashed with XXH64 and an
n-gram is the polynomial ``sum(token_hash[j + k] * P**(n - 1 - k))`` modulo 2**64, updated in
O(1) per token. Two n-grams match when their token sequences (the bytes of their normal forms)
do, up to 64-bit hash collisions, exactly like the byte-string hashes used before.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from careful_polars._kernels._mem import is_valid, str_at
from careful_polars._kernels._threads import run_ranges
from careful_polars._kernels.minhash import fmix32, shingle_bounds, sort_unique, tokenize
from careful_polars._kernels.xxh64 import xxh64_addr

_U32 = np.uint32
_U64 = np.uint64
_EMPTY32 = np.uint32(0xFFFFFFFF)
#: Base of the polynomial n-gram hash (an odd 64-bit constant).
_POLY = np.uint64(0x9E3779B97F4A7C15)
_SEED0 = np.uint64(0)
#: Fewest rows worth handing to a worker thread (see ``_threads.run_ranges``).
_MIN_ROWS = 2048


@njit(cache=True, nogil=True)
def _slot(key, mask):  # type: ignore[no-untyped-def]
    return np.int64(((key * _POLY) >> _U64(32)) & mask)


@njit(cache=True, nogil=True)
def build_table(keys, entries, tkeys, tentries):  # type: ignore[no-untyped-def]
    """Insert distinct ``keys`` (entry ``entries[k]``) into one open-addressing table.

    ``tkeys``/``tentries`` have a power-of-two length; ``tentries == -1`` marks an empty slot.
    """
    mask = _U64(tkeys.shape[0] - 1)
    for k in range(keys.shape[0]):
        j = _slot(keys[k], mask)
        while tentries[j] != -1:
            j = (j + 1) & (tkeys.shape[0] - 1)
        tkeys[j] = keys[k]
        tentries[j] = entries[k]


@njit(cache=True, nogil=True)
def build_bits(keys, bits, shift):  # type: ignore[no-untyped-def]
    """Set bit ``key >> shift`` of the screening bitmap ``bits`` (uint64 words) for each key."""
    for k in range(keys.shape[0]):
        b = keys[k] >> _U64(shift)
        bits[b >> _U64(6)] |= _U64(1) << (b & _U64(63))


@njit(cache=True, nogil=True)
def _maybe(bits, shift, key):  # type: ignore[no-untyped-def]
    b = key >> _U64(shift)
    return (bits[b >> _U64(6)] >> (b & _U64(63))) & _U64(1) != _U64(0)


@njit(cache=True, nogil=True)
def _lookup(tkeys, tentries, key):  # type: ignore[no-untyped-def]
    size = tkeys.shape[0]
    j = _slot(key, _U64(size - 1))
    while True:
        e = tentries[j]
        if e == -1:
            return -1
        if tkeys[j] == key:
            return e
        j = (j + 1) & (size - 1)


@njit(cache=True, nogil=True)
def _token_grams(base, starts, ends, ntok, n, tokh, out):  # type: ignore[no-untyped-def]
    """Write the ``ntok - n + 1`` n-gram hashes of the tokenised row into ``out``."""
    for j in range(ntok):
        tokh[j] = xxh64_addr(base + starts[j], ends[j] - starts[j], _SEED0)
    top = _U64(1)
    for _ in range(n - 1):
        top = top * _POLY
    h = _U64(0)
    for k in range(n):
        h = h * _POLY + tokh[k]
    out[0] = h
    for j in range(1, ntok - n + 1):
        h = (h - tokh[j - 1] * top) * _POLY + tokh[j + n - 1]
        out[j] = h
    return ntok - n + 1


@njit(cache=True, nogil=True)
def _gram_counts_block(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, n, kind, fold, out
):  # fmt: skip
    cap = 0
    for i in range(lo, hi):
        if is_valid(validity_addr, validity_offset, i):
            _, c = str_at(layout, main_addr, buf_addrs, i)
            cap = max(cap, c)
    buf = np.empty(cap + 1, dtype=np.uint8)
    starts = np.empty(cap + 2, dtype=np.int64)
    ends = np.empty(cap + 2, dtype=np.int64)
    for i in range(lo, hi):
        out[i] = 0
        if is_valid(validity_addr, validity_offset, i):
            addr, length = str_at(layout, main_addr, buf_addrs, i)
            ntok, _ = tokenize(addr, length, kind, fold, buf, starts, ends)
            out[i] = max(ntok - n + 1, 0)


def gram_counts(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, n_rows, n, kind, fold, out
) -> None:
    """Number of word ``n``-grams of each row (0 when shorter than ``n`` words or null)."""
    n = np.int64(n)

    def run(lo: int, hi: int) -> None:
        _gram_counts_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, n, kind, fold,
            out,
        )  # fmt: skip

    run_ranges(int(n_rows), run, min_rows=_MIN_ROWS)


@njit(cache=True, nogil=True)
def _gram_sets_block(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, n, kind, fold, offsets,
    values, sizes,
):  # fmt: skip
    cap = 0
    for i in range(lo, hi):
        if is_valid(validity_addr, validity_offset, i):
            _, c = str_at(layout, main_addr, buf_addrs, i)
            cap = max(cap, c)
    buf = np.empty(cap + 1, dtype=np.uint8)
    starts = np.empty(cap + 2, dtype=np.int64)
    ends = np.empty(cap + 2, dtype=np.int64)
    tokh = np.empty(cap + 2, dtype=np.uint64)
    grams = np.empty(cap + 2, dtype=np.uint64)
    base = buf.ctypes.data
    for i in range(lo, hi):
        sizes[i] = 0
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        ntok, _ = tokenize(addr, length, kind, fold, buf, starts, ends)
        if ntok < n:
            continue
        m = _token_grams(base, starts, ends, ntok, n, tokh, grams)
        u = sort_unique(grams, 0, m)
        o = offsets[i]
        for j in range(u):
            values[o + j] = grams[j]
        sizes[i] = u


def gram_sets(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, n_rows, n, kind, fold, offsets,
    values, sizes,
) -> None:  # fmt: skip
    """Sorted distinct n-gram hashes of each row into ``values[offsets[i]:]`` (``sizes[i]`` used)."""
    n = np.int64(n)

    def run(lo: int, hi: int) -> None:
        _gram_sets_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, n, kind, fold,
            offsets, values, sizes,
        )  # fmt: skip

    run_ranges(int(n_rows), run, min_rows=_MIN_ROWS)


@njit(cache=True, nogil=True)
def _probe_block(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, lo, hi, kind, fold,
    ngram, char_unit, perm_a, perm_b, bands, rows, band_tkeys, band_tentries, overlap, gram_tkeys,
    gram_tentries, gram_bits, gram_shift, cap, out, counts,
):  # fmt: skip
    num_perm = perm_a.shape[0]
    longest = 0
    for t in range(lo, hi):
        i = local_rows[t]
        if is_valid(validity_addr, validity_offset, i):
            _, c = str_at(layout, main_addr, buf_addrs, i)
            longest = max(longest, c)
    buf = np.empty(longest + 1, dtype=np.uint8)
    starts = np.empty(longest + 2, dtype=np.int64)
    ends = np.empty(longest + 2, dtype=np.int64)
    cps = np.empty(longest + 2, dtype=np.int64)
    grams = np.empty(longest + 2, dtype=np.uint64)
    tokh = np.empty(longest + 2, dtype=np.uint64)
    hits = np.empty(longest + 2 + bands, dtype=np.uint64)
    shh = np.empty(longest + 2, dtype=np.uint32)
    sig = np.empty(num_perm, dtype=np.uint32)
    base = buf.ctypes.data
    sig_base = sig.ctypes.data
    for t in range(lo, hi):
        i = local_rows[t]
        counts[t] = 0
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        ntok, pos = tokenize(addr, length, kind, fold, buf, starts, ends)
        c = 0
        if overlap > 0 and ntok >= overlap:
            m = _token_grams(base, starts, ends, ntok, overlap, tokh, grams)
            for j in range(m):
                if not _maybe(gram_bits, gram_shift, grams[j]):
                    continue
                e = _lookup(gram_tkeys, gram_tentries, grams[j])
                if e >= 0:
                    hits[c] = e
                    c += 1
            if c > 1:
                c = sort_unique(hits, 0, c)
        if bands > 0:
            m = shingle_bounds(buf, pos, ntok, starts, ends, ngram, char_unit, cps)
            if m > 0:
                for j in range(m):
                    shh[j] = fmix32(
                        _U32(
                            xxh64_addr(base + starts[j], ends[j] - starts[j], _SEED0)
                            & _U64(0xFFFFFFFF)
                        )
                    )
                for k in range(num_perm):
                    a = perm_a[k]
                    b = perm_b[k]
                    best = _EMPTY32
                    for j in range(m):
                        v = _U32(a * shh[j] + b)
                        if v < best:
                            best = v
                    sig[k] = best
                for b in range(bands):
                    key = xxh64_addr(sig_base + b * rows * 4, rows * 4, _U64(b))
                    e = _lookup(band_tkeys[b], band_tentries[b], key)
                    if e >= 0:
                        hits[c] = e
                        c += 1
        counts[t] = c
        for j in range(min(c, cap)):
            out[t, j] = hits[j]


def probe_rows(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, kind, fold, ngram,
    char_unit, perm_a, perm_b, bands, rows, band_tkeys, band_tentries, overlap, gram_tkeys,
    gram_tentries, gram_bits, gram_shift, cap, out, counts,
) -> None:  # fmt: skip
    """Distinct index entries hit by each streamed row: n-gram entries, then band entries.

    Selected row ``t`` (row ``local_rows[t]`` of the piece) writes its first ``cap`` hits to
    ``out[t, :]`` and its number of hits to ``counts[t]`` (rows with more than ``cap`` are rerun
    by the caller with room for all). ``overlap == 0`` skips n-grams; ``bands == 0`` skips
    signatures. Band tables are ``(bands, size)``; their entries already carry the caller's
    offset past the n-gram entries. ``gram_bits`` screens n-gram lookups (bit
    ``hash >> gram_shift``, see :func:`build_bits`) so most misses are answered from a
    cache-sized bitmap without touching the table. Row ranges run on threads
    (:func:`careful_polars._kernels._threads.run_ranges`).
    """
    ints = (np.int64(ngram), bool(char_unit), np.int64(bands), np.int64(rows), np.int64(overlap))
    ngram, char_unit, bands, rows, overlap = ints
    gram_shift, cap = np.int64(gram_shift), np.int64(cap)

    def run(lo: int, hi: int) -> None:
        _probe_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, lo, hi,
            kind, fold, ngram, char_unit, perm_a, perm_b, bands, rows, band_tkeys, band_tentries,
            overlap, gram_tkeys, gram_tentries, gram_bits, gram_shift, cap, out, counts,
        )  # fmt: skip

    run_ranges(len(local_rows), run, min_rows=_MIN_ROWS)
