"""XXH64 over raw memory, and the per-row hashing kernels built on it.

XXH64 is implemented from the published specification (xxHash, Yann Collet; the algorithm is
frozen since 2014) and is checked bit-for-bit against the ``xxhash`` package in the tests.
All arithmetic is on ``uint64`` and wraps modulo 2**64.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from careful_polars._kernels._mem import is_valid, load_u8, load_u32, load_u64, str_at
from careful_polars._kernels._threads import run_ranges

_P1 = np.uint64(11400714785074694791)
_P2 = np.uint64(14029467366897019727)
_P3 = np.uint64(1609587929392839161)
_P4 = np.uint64(9650029242287828579)
_P5 = np.uint64(2870177450012600261)
_U64 = np.uint64


@njit(cache=True, nogil=True)
def _rotl(x, r):  # type: ignore[no-untyped-def]
    return (x << _U64(r)) | (x >> _U64(64 - r))


@njit(cache=True, nogil=True)
def _round(acc, lane):  # type: ignore[no-untyped-def]
    acc = acc + lane * _P2
    acc = _rotl(acc, 31)
    return acc * _P1


@njit(cache=True, nogil=True)
def _merge(acc, val):  # type: ignore[no-untyped-def]
    acc = acc ^ _round(_U64(0), val)
    return acc * _P1 + _P4


@njit(cache=True, nogil=True)
def xxh64_addr(addr: int, length: int, seed) -> np.uint64:  # type: ignore[no-untyped-def]
    """XXH64 of ``length`` bytes starting at raw address ``addr``."""
    seed = _U64(seed)
    p = addr
    end = addr + length
    if length >= 32:
        limit = end - 32
        v1 = seed + _P1 + _P2
        v2 = seed + _P2
        v3 = seed
        v4 = seed - _P1
        while p <= limit:
            v1 = _round(v1, load_u64(p))
            v2 = _round(v2, load_u64(p + 8))
            v3 = _round(v3, load_u64(p + 16))
            v4 = _round(v4, load_u64(p + 24))
            p += 32
        h = _rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)
        h = _merge(h, v1)
        h = _merge(h, v2)
        h = _merge(h, v3)
        h = _merge(h, v4)
    else:
        h = seed + _P5
    h = h + _U64(length)
    while p + 8 <= end:
        h = h ^ _round(_U64(0), load_u64(p))
        h = _rotl(h, 27) * _P1 + _P4
        p += 8
    if p + 4 <= end:
        h = h ^ (_U64(load_u32(p)) * _P1)
        h = _rotl(h, 23) * _P2 + _P3
        p += 4
    while p < end:
        h = h ^ (_U64(load_u8(p)) * _P5)
        h = _rotl(h, 11) * _P1
        p += 1
    h = h ^ (h >> _U64(33))
    h = h * _P2
    h = h ^ (h >> _U64(29))
    h = h * _P3
    h = h ^ (h >> _U64(32))
    return h


@njit(cache=True, nogil=True)
def _hash_strings_block(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, seed, null_hash, out, lo, hi
):
    for i in range(lo, hi):
        if is_valid(validity_addr, validity_offset, i):
            addr, length = str_at(layout, main_addr, buf_addrs, i)
            out[i] = xxh64_addr(addr, length, seed)
        else:
            out[i] = null_hash


#: Fewest strings worth handing to another thread (hashing a short string takes ~20 ns).
_MIN_ROWS = 1 << 16


def hash_strings(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, n, seed, null_hash, out
) -> None:
    """Write XXH64 of every string/binary element into ``out``; nulls get ``null_hash``.

    Row ranges run on threads (:func:`careful_polars._kernels._threads.run_ranges`).
    """
    seed, null_hash = np.uint64(seed), np.uint64(null_hash)

    def run(lo: int, hi: int) -> None:
        _hash_strings_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, seed, null_hash, out,
            lo, hi,
        )  # fmt: skip

    run_ranges(int(n), run, min_rows=_MIN_ROWS)
