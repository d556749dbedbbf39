"""The canonical row encoding (docs/hashing.md) driven by a field-descriptor table.

Every field of a row is one row of ``desc`` (``int64[n_fields, 8]``); all buffers are passed
by raw address, so one compiled kernel serves every schema. Field kinds and their columns:

=========  ==================================================================================
kind       columns 1..7
=========  ==================================================================================
FIXED 0    tag, tags_addr (uint8 per row, 0: use tag), extra (< 0: none), width (8 or 1),
           payload_addr (uint64 per row), valid_addr (bool per row, 0: all valid)
BYTES 1    tag, framed (0/1), layout, main_addr, bufs_addr (int64 buffer addresses),
           validity_addr, validity_offset
SEGMENTS 2 data_addr, offsets_addr (int64, n + 1): bytes copied as they are
LIST 3     tag, child_data_addr, child_offsets_addr, list_offsets_addr (int64, n + 1),
           valid_addr (0: all valid)
HEADER 4   tag, count: a constant ``tag count:u64`` (struct headers)
=========  ==================================================================================

A null FIXED, BYTES or LIST element is the single null tag ``0x00``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from careful_polars._kernels._mem import (
    copy_bytes,
    is_valid,
    load_u8,
    load_u64,
    store_u8,
    store_u64,
    str_at_raw,
)
from careful_polars._kernels._threads import run_ranges
from careful_polars._kernels.xxh64 import xxh64_addr

FIXED = 0
BYTES = 1
SEGMENTS = 2
LIST = 3
HEADER = 4
DESC_WIDTH = 8


@njit(cache=True, nogil=True)
def _valid_byte(addr, i):  # type: ignore[no-untyped-def]
    return addr == 0 or load_u8(addr + i) != 0


@njit(cache=True, nogil=True)
def _field_len(desc, f, i):  # type: ignore[no-untyped-def]
    kind = desc[f, 0]
    if kind == FIXED:
        if not _valid_byte(desc[f, 6], i):
            return np.int64(1)
        return 1 + (1 if desc[f, 3] >= 0 else 0) + desc[f, 4]
    if kind == BYTES:
        if not is_valid(desc[f, 6], desc[f, 7], i):
            return np.int64(1)
        _, n = str_at_raw(desc[f, 3], desc[f, 4], desc[f, 5], i)
        return n + (9 if desc[f, 2] else 0)
    if kind == SEGMENTS:
        off = desc[f, 2] + 8 * i
        return np.int64(load_u64(off + 8)) - np.int64(load_u64(off))
    if kind == LIST:
        if not _valid_byte(desc[f, 5], i):
            return np.int64(1)
        lo = np.int64(load_u64(desc[f, 4] + 8 * i))
        hi = np.int64(load_u64(desc[f, 4] + 8 * i + 8))
        start = np.int64(load_u64(desc[f, 3] + 8 * lo))
        end = np.int64(load_u64(desc[f, 3] + 8 * hi))
        return 9 + end - start
    return np.int64(9)


@njit(cache=True, nogil=True)
def _write_field(desc, f, i, dst):  # type: ignore[no-untyped-def]
    """Write field ``f`` of row ``i`` at address ``dst``; return the bytes written."""
    kind = desc[f, 0]
    if kind == FIXED:
        if not _valid_byte(desc[f, 6], i):
            store_u8(dst, np.uint8(0))
            return np.int64(1)
        tag = desc[f, 1] if desc[f, 2] == 0 else np.int64(load_u8(desc[f, 2] + i))
        store_u8(dst, np.uint8(tag))
        p = dst + 1
        if desc[f, 3] >= 0:
            store_u8(p, np.uint8(desc[f, 3]))
            p += 1
        if desc[f, 4] == 8:
            store_u64(p, load_u64(desc[f, 5] + 8 * i))
        else:
            store_u8(p, load_u8(desc[f, 5] + 8 * i))
        return p + desc[f, 4] - dst
    if kind == BYTES:
        if not is_valid(desc[f, 6], desc[f, 7], i):
            store_u8(dst, np.uint8(0))
            return np.int64(1)
        addr, n = str_at_raw(desc[f, 3], desc[f, 4], desc[f, 5], i)
        p = dst
        if desc[f, 2]:
            store_u8(p, np.uint8(desc[f, 1]))
            store_u64(p + 1, np.uint64(n))
            p += 9
        copy_bytes(p, addr, n)
        return p + n - dst
    if kind == SEGMENTS:
        off = desc[f, 2] + 8 * i
        start = np.int64(load_u64(off))
        n = np.int64(load_u64(off + 8)) - start
        copy_bytes(dst, desc[f, 1] + start, n)
        return n
    if kind == LIST:
        if not _valid_byte(desc[f, 5], i):
            store_u8(dst, np.uint8(0))
            return np.int64(1)
        lo = np.int64(load_u64(desc[f, 4] + 8 * i))
        hi = np.int64(load_u64(desc[f, 4] + 8 * i + 8))
        start = np.int64(load_u64(desc[f, 3] + 8 * lo))
        end = np.int64(load_u64(desc[f, 3] + 8 * hi))
        store_u8(dst, np.uint8(desc[f, 1]))
        store_u64(dst + 1, np.uint64(hi - lo))
        copy_bytes(dst + 9, desc[f, 2] + start, end - start)
        return 9 + end - start
    store_u8(dst, np.uint8(desc[f, 1]))
    store_u64(dst + 1, np.uint64(desc[f, 2]))
    return np.int64(9)


@njit(cache=True, nogil=True)
def row_lengths(desc, n):  # type: ignore[no-untyped-def]
    """Encoded length of every row (nested values only; serial)."""
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        total = np.int64(0)
        for f in range(desc.shape[0]):
            total += _field_len(desc, f, i)
        out[i] = total
    return out


@njit(cache=True, nogil=True)
def encode_rows(desc, offsets, buf):  # type: ignore[no-untyped-def]
    """Write every row's encoding at ``buf[offsets[i]:offsets[i+1]]`` (nested values; serial)."""
    base = np.int64(buf.ctypes.data)
    for i in range(offsets.shape[0] - 1):
        p = base + offsets[i]
        for f in range(desc.shape[0]):
            p += _write_field(desc, f, i, p)


#: Smallest row range worth a thread of its own.
_MIN_ROWS = 16_384


#: Rows up to this many encoded bytes are built in the range's scratch buffer.
_SCRATCH = 1 << 16


@njit(cache=True, nogil=True)
def _hash_one_row(desc, i, size, seed):  # type: ignore[no-untyped-def]
    """XXH64 of a row too long for the shared scratch buffer (its own buffer)."""
    buf = np.empty(size, dtype=np.uint8)
    base = np.int64(buf.ctypes.data)
    used = np.int64(0)
    for f in range(desc.shape[0]):
        used += _write_field(desc, f, i, base + used)
    return xxh64_addr(base, used, seed)


@njit(cache=True, nogil=True)
def _hash_rows_range(desc, lo, hi, seed, out):  # type: ignore[no-untyped-def]
    """XXH64 of rows ``lo..hi``, each encoded in a scratch buffer (never reallocated here)."""
    scratch = np.empty(_SCRATCH, dtype=np.uint8)
    base = np.int64(scratch.ctypes.data)
    variable = False
    for f in range(desc.shape[0]):
        if desc[f, 0] != FIXED and desc[f, 0] != HEADER:
            variable = True
    for i in range(lo, hi):
        if variable:
            size = np.int64(0)
            for f in range(desc.shape[0]):
                size += _field_len(desc, f, i)
            if size > _SCRATCH:
                out[i] = _hash_one_row(desc, i, size, seed)
                continue
        used = np.int64(0)
        for f in range(desc.shape[0]):
            used += _write_field(desc, f, i, base + used)
        out[i] = xxh64_addr(base, used, seed)


def hash_rows(desc: np.ndarray, n: int, seed: np.uint64, out: np.ndarray) -> None:
    """XXH64 of every row's encoding (nothing stored); row ranges run on threads."""
    seed = np.uint64(seed)

    def run(lo: int, hi: int) -> None:
        _hash_rows_range(desc, lo, hi, seed, out)

    run_ranges(int(n), run, min_rows=_MIN_ROWS)


@njit(cache=True, nogil=True)
def null_out_rows(data, offsets, valid):  # type: ignore[no-untyped-def]
    """Return a copy of an encoding where invalid rows become the single null tag."""
    n = offsets.shape[0] - 1
    new_off = np.empty(n + 1, dtype=np.int64)
    new_off[0] = 0
    for i in range(n):
        size = offsets[i + 1] - offsets[i] if valid[i] else 1
        new_off[i + 1] = new_off[i] + size
    out = np.empty(new_off[n], dtype=np.uint8)
    for i in range(n):
        if valid[i]:
            start = offsets[i]
            for k in range(offsets[i + 1] - start):
                out[new_off[i] + k] = data[start + k]
        else:
            out[new_off[i]] = np.uint8(0)
    return out, new_off
