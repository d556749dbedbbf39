"""Word n-gram hashing over raw Arrow string buffers, for memorisation checks.

A *word* is a maximal run of ASCII letters/digits or non-ASCII bytes (so punctuation and
whitespace separate words); ASCII letters are lower-cased before hashing. Word hashes are
64-bit FNV-1a; an n-gram hash is the polynomial ``sum(word_hash[i+k] * P**(n-1-k))`` modulo
2**64, updated in O(1) per word. Offsets are reported in characters (UTF-8 lead bytes).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from careful_polars._kernels._mem import is_valid, load_u8, str_at
from careful_polars._kernels._threads import run_ranges

#: Smallest row range worth a thread of its own.
_MIN_ROWS = 4096

_FNV_OFFSET = np.uint64(14695981039346656037)
_FNV_PRIME = np.uint64(1099511628211)
#: Base of the polynomial n-gram hash (an odd 64-bit constant).
_POLY = np.uint64(0x9E3779B97F4A7C15)


@njit(inline="always", cache=True, nogil=True)
def _is_word_byte(b):  # type: ignore[no-untyped-def]
    return (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122) or b >= 128


@njit(inline="always", cache=True, nogil=True)
def _top(n_words):  # type: ignore[no-untyped-def]
    """``_POLY ** (n_words - 1)``: the weight of the word leaving a rolling n-gram hash."""
    top = np.uint64(1)
    for _ in range(n_words - 1):
        top = top * _POLY
    return top


@njit(inline="always", cache=True, nogil=True)
def _roll(b, inside, wh, h, seen, ring, n_words, top):  # type: ignore[no-untyped-def]
    """Feed one byte to the word / rolling n-gram hash state.

    Returns ``(inside, wh, h, seen, complete)``; ``complete`` is true when a word just ended
    and ``h`` now holds the hash of a full ``n_words``-gram. Feed a trailing space to flush.
    """
    word = _is_word_byte(b)
    complete = False
    if word:
        if not inside:
            wh = _FNV_OFFSET
        if b >= 65 and b <= 90:
            b = b + 32
        wh = (wh ^ np.uint64(b)) * _FNV_PRIME
    elif inside:  # a word just ended: roll it into the n-gram hash
        slot = seen % n_words
        if seen >= n_words:
            h = h - ring[slot] * top
        h = h * _POLY + wh
        ring[slot] = wh
        seen += 1
        complete = seen >= n_words
    return word, wh, h, seen, complete


def count_words(layout, main_addr, buf_addrs, validity_addr, validity_offset, n, out):  # type: ignore[no-untyped-def]
    """Write the number of words of every row into ``out`` (0 for nulls)."""
    run_ranges(
        int(n),
        lambda lo, hi: _count_words(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, out
        ),
        min_rows=_MIN_ROWS,
    )


@njit(cache=True, nogil=True)
def _count_words(layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, out):  # type: ignore[no-untyped-def]
    for i in range(lo, hi):
        count = 0
        if is_valid(validity_addr, validity_offset, i):
            addr, length = str_at(layout, main_addr, buf_addrs, i)
            inside = False
            for j in range(length):
                w = _is_word_byte(load_u8(addr + j))
                if w and not inside:
                    count += 1
                inside = w
        out[i] = count


def word_hashes(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, n, word_offsets, hashes,
    starts, ends, positions,
):  # fmt: skip
    """Fill per-word hashes (and, with ``positions``, character start/end) by ``word_offsets``."""
    run_ranges(
        int(n),
        lambda lo, hi: _word_hashes(
            layout,
            main_addr,
            buf_addrs,
            validity_addr,
            validity_offset,
            lo,
            hi,
            word_offsets,
            hashes,
            starts,
            ends,
            positions,
        ),
        min_rows=_MIN_ROWS,
    )


@njit(cache=True, nogil=True)
def _word_hashes(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, word_offsets, hashes,
    starts, ends, positions,
):  # fmt: skip
    for i in range(lo, hi):
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        w = word_offsets[i] - 1
        inside = False
        h = _FNV_OFFSET
        chars = 0
        for j in range(length):
            b = load_u8(addr + j)
            word = _is_word_byte(b)
            if word and not inside:
                w += 1
                h = _FNV_OFFSET
                if positions:
                    starts[w] = chars
            if word:
                if b >= 65 and b <= 90:
                    b = b + 32
                h = (h ^ np.uint64(b)) * _FNV_PRIME
                hashes[w] = h
            elif inside and positions:
                ends[w] = chars
            if (b & 0xC0) != 0x80:
                chars += 1
            inside = word
        if inside and positions:
            ends[w] = chars


def ngram_hashes(word_hashes_, word_offsets, ngram_offsets, n_words, out):  # type: ignore[no-untyped-def]
    """Write the hash of every ``n_words``-gram of every row, rows laid out by ``ngram_offsets``."""
    run_ranges(
        int(word_offsets.shape[0] - 1),
        lambda lo, hi: _ngram_hashes(
            word_hashes_, word_offsets, ngram_offsets, n_words, lo, hi, out
        ),
        min_rows=_MIN_ROWS,
    )


@njit(cache=True, nogil=True)
def _ngram_hashes(word_hashes_, word_offsets, ngram_offsets, n_words, lo, hi, out):  # type: ignore[no-untyped-def]
    top = _top(n_words)
    for i in range(lo, hi):
        first = word_offsets[i]
        count = word_offsets[i + 1] - first
        if count < n_words:
            continue
        h = np.uint64(0)
        for k in range(n_words):
            h = h * _POLY + word_hashes_[first + k]
        g = ngram_offsets[i]
        out[g] = h
        for k in range(1, count - n_words + 1):
            h = (h - word_hashes_[first + k - 1] * top) * _POLY + word_hashes_[
                first + k + n_words - 1
            ]
            out[g + k] = h


def ngram_hashes_direct(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, n, ngram_offsets, n_words, out
):
    """Hash every ``n_words``-gram in one pass over the bytes (no per-word arrays).

    Gives the same hashes as ``word_hashes`` followed by ``ngram_hashes``; rows are laid out
    by ``ngram_offsets`` (from :func:`count_words`).
    """
    run_ranges(
        int(n),
        lambda lo, hi: _ngram_hashes_direct(
            layout,
            main_addr,
            buf_addrs,
            validity_addr,
            validity_offset,
            lo,
            hi,
            ngram_offsets,
            n_words,
            out,
        ),
        min_rows=_MIN_ROWS,
    )


@njit(cache=True, nogil=True)
def _ngram_hashes_direct(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, ngram_offsets,
    n_words, out,
):  # fmt: skip
    top = _top(n_words)
    ring = np.empty(n_words, dtype=np.uint64)
    for i in range(lo, hi):
        if ngram_offsets[i + 1] == ngram_offsets[i]:
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        seen, g, h, wh, inside = 0, ngram_offsets[i], np.uint64(0), _FNV_OFFSET, False
        for j in range(length + 1):
            b = load_u8(addr + j) if j < length else np.uint8(32)
            inside, wh, h, seen, complete = _roll(b, inside, wh, h, seen, ring, n_words, top)
            if complete:
                out[g] = h
                g += 1


#: Bits in the cache-sized bitmap that screens probes of the hash set (2 MiB).
BITMAP_BITS = 1 << 24


@njit(inline="always", cache=True, nogil=True)
def _bit(h):  # type: ignore[no-untyped-def]
    return (h >> np.uint64(40)) & np.uint64(BITMAP_BITS - 1)


@njit(cache=True, nogil=True)
def build_hash_set(keys, table, bitmap):  # type: ignore[no-untyped-def]
    """Insert ``keys`` into an open-addressing set ``table`` (length a power of two).

    Slot value 0 means empty, so a key of 0 is stored as 1 (both sides map 0 to 1 the same
    way, see :func:`_slot_key`). ``bitmap`` (``BITMAP_BITS`` bits) gets one bit per key, so
    most absent keys are rejected from cache without touching the table.
    """
    mask = np.uint64(table.shape[0] - 1)
    for i in range(keys.shape[0]):
        b = _bit(keys[i])
        bitmap[b >> np.uint64(6)] |= np.uint64(1) << (b & np.uint64(63))
        key = _slot_key(keys[i])
        j = (key * _POLY) >> np.uint64(32) & mask
        while table[j] != 0 and table[j] != key:
            j = (j + np.uint64(1)) & mask
        table[j] = key


@njit(inline="always", cache=True, nogil=True)
def _slot_key(h):  # type: ignore[no-untyped-def]
    return h if h != np.uint64(0) else np.uint64(1)


@njit(inline="always", cache=True, nogil=True)
def _in_set(table, bitmap, key):  # type: ignore[no-untyped-def]
    b = _bit(key)
    if (bitmap[b >> np.uint64(6)] >> (b & np.uint64(63))) & np.uint64(1) == 0:
        return False
    mask = np.uint64(table.shape[0] - 1)
    key = _slot_key(key)
    j = (key * _POLY) >> np.uint64(32) & mask
    while True:
        v = table[j]
        if v == key:
            return True
        if v == 0:
            return False
        j = (j + np.uint64(1)) & mask


def rows_sharing(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, n, n_words, table, bitmap, out
):
    """Set ``out[i]`` when any ``n_words``-gram hash of row ``i`` is in the set ``table``.

    One pass over the bytes per row, stopping at the first hit; nothing is materialised.
    """
    run_ranges(
        int(n),
        lambda lo, hi: _rows_sharing(
            layout,
            main_addr,
            buf_addrs,
            validity_addr,
            validity_offset,
            lo,
            hi,
            n_words,
            table,
            bitmap,
            out,
        ),
        min_rows=_MIN_ROWS,
    )


@njit(cache=True, nogil=True)
def _rows_sharing(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, n_words, table,
    bitmap, out,
):  # fmt: skip
    top = _top(n_words)
    ring = np.empty(n_words, dtype=np.uint64)
    for i in range(lo, hi):
        out[i] = False
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        seen, h, wh, inside = 0, np.uint64(0), _FNV_OFFSET, False
        for j in range(length + 1):
            b = load_u8(addr + j) if j < length else np.uint8(32)
            inside, wh, h, seen, complete = _roll(b, inside, wh, h, seen, ring, n_words, top)
            if complete and _in_set(table, bitmap, h):
                out[i] = True
                break
