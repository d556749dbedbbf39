"""MinHash signatures, LSH band keys, candidate linking, verification and union-find.

Everything here reads strings straight from Arrow buffers by raw address (see ``_mem.str_at``);
nothing knows about Polars. The scheme implemented here is a published contract (see
``careful_polars.neardup.SCHEME_VERSION``):

1. *Tokens*: the bytes of a document are mapped through ``fold`` (a 256-entry byte table,
   ASCII lowercase when normalising) and split into tokens wherever ``kind[byte] == 1``
   (ASCII whitespace, plus ASCII punctuation and control bytes when normalising). Bytes >= 0x80
   are always token bytes, so non-ASCII words stay whole (they are compared byte for byte).
2. *Normal form*: the tokens joined by single spaces, written to a scratch buffer.
3. *Shingles*: ``unit="word"``: every run of ``ngram`` consecutive tokens (the slice of the
   normal form from the first token's start to the last token's end); ``unit="char"``: every run
   of ``ngram`` consecutive code points of the normal form. Fewer than ``ngram`` units: one
   shingle, the whole normal form. No tokens at all: no signature.
4. *Shingle hash*: ``XXH64(shingle bytes, seed=0)`` (64 bits; exact Jaccard uses all 64).
5. *Permutations*: datasketch's ``affine32`` family: ``h = fmix32(low 32 bits)`` then
   ``a_k * h + b_k mod 2**32`` with odd ``a_k``; the signature keeps the minimum per ``k``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from careful_polars._kernels._mem import is_valid, load_u8, str_at
from careful_polars._kernels._threads import run_ranges
from careful_polars._kernels.xxh64 import xxh64_addr

_U32 = np.uint32
_U64 = np.uint64
_EMPTY = np.uint32(0xFFFFFFFF)
#: Seed of the shingle hashes. Every caller passes ``xxh64_addr`` a ``uint64`` seed, so it
#: compiles for one signature only (an int literal would add a second, a plain int a third).
_SEED0 = np.uint64(0)
#: Fewest documents (rows) worth handing to another thread.
_MIN_ROWS = 2048
#: Fewest verification pairs worth handing to another thread.
_MIN_PAIRS = 16384


@njit(cache=True, nogil=True)
def fmix32(h):  # type: ignore[no-untyped-def]
    h = h ^ (h >> _U32(16))
    h = _U32(h * _U32(0x85EBCA6B))
    h = h ^ (h >> _U32(13))
    h = _U32(h * _U32(0xC2B2AE35))
    return h ^ (h >> _U32(16))


@njit(cache=True, nogil=True)
def tokenize(addr, length, kind, fold, buf, starts, ends):  # type: ignore[no-untyped-def]
    """Write the normal form of one document into ``buf``; return (tokens, bytes written)."""
    ntok = 0
    pos = 0
    in_tok = False
    for i in range(length):
        c = load_u8(addr + i)
        if kind[c] == 1:
            if in_tok:
                ends[ntok] = pos
                ntok += 1
                in_tok = False
        else:
            if not in_tok:
                if ntok > 0:
                    buf[pos] = 32
                    pos += 1
                starts[ntok] = pos
                in_tok = True
            buf[pos] = fold[c]
            pos += 1
    if in_tok:
        ends[ntok] = pos
        ntok += 1
    return ntok, pos


@njit(cache=True, nogil=True)
def shingle_bounds(buf, pos, ntok, starts, ends, ngram, char_unit, cps):  # type: ignore[no-untyped-def]
    """Turn the token positions into shingle (start, end) pairs in ``starts``/``ends``.

    Returns the number of shingles. Word shingles reuse ``starts``/``ends`` in place
    (shingle ``j`` spans token ``j`` to token ``j + ngram - 1``); char shingles use ``cps``.
    """
    if ntok == 0:
        return 0
    if not char_unit:
        if ntok <= ngram:
            starts[0] = 0
            ends[0] = pos
            return 1
        m = ntok - ngram + 1
        for j in range(m):
            ends[j] = ends[j + ngram - 1]
        return m
    ncp = 0
    for k in range(pos):
        if (buf[k] & 0xC0) != 0x80:
            cps[ncp] = k
            ncp += 1
    cps[ncp] = pos
    if ncp <= ngram:
        starts[0] = 0
        ends[0] = pos
        return 1
    m = ncp - ngram + 1
    for j in range(m):
        starts[j] = cps[j]
        ends[j] = cps[j + ngram]
    return m


@njit(cache=True, nogil=True)
def _block_max_len(layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi):  # type: ignore[no-untyped-def]
    longest = 0
    for i in range(lo, hi):
        if is_valid(validity_addr, validity_offset, i):
            _, length = str_at(layout, main_addr, buf_addrs, i)
            if length > longest:
                longest = length
    return longest


@njit(cache=True, nogil=True)
def _shingles(addr, length, ngram, mode, kind, fold, buf, starts, ends, cps):  # type: ignore[no-untyped-def]
    """Tokenise one document and lay out its shingles; return how many (0: none).

    ``mode`` as in :func:`shingle_counts`. The shingle ``j`` is ``buf[starts[j]:ends[j]]``.
    Not inlined: every kernel calling it shares one compiled copy (cold start).
    """
    ntok, pos = tokenize(addr, length, kind, fold, buf, starts, ends)
    if mode == 2 and ntok < ngram:
        return 0
    return shingle_bounds(buf, pos, ntok, starts, ends, ngram, mode == 1, cps)


@njit(cache=True, nogil=True)
def _signature_block(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, ngram, mode, kind,
    fold, perm_a, perm_b, out, ok
):  # fmt: skip
    """The MinHash signatures of documents ``lo`` to ``hi`` (one thread's share)."""
    num_perm = perm_a.shape[0]
    cap = _block_max_len(layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi)
    buf = np.empty(cap + 1, dtype=np.uint8)
    starts = np.empty(cap + 2, dtype=np.int64)
    ends = np.empty(cap + 2, dtype=np.int64)
    cps = np.empty(cap + 2, dtype=np.int64)
    sig = np.empty(num_perm, dtype=np.uint32)
    base = buf.ctypes.data
    for i in range(lo, hi):
        for k in range(num_perm):
            out[i, k] = _EMPTY
        ok[i] = False
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        m = _shingles(addr, length, ngram, mode, kind, fold, buf, starts, ends, cps)
        if m == 0:
            continue
        for k in range(num_perm):
            sig[k] = _EMPTY
        for j in range(m):
            h = fmix32(
                _U32(xxh64_addr(base + starts[j], ends[j] - starts[j], _SEED0) & _U64(0xFFFFFFFF))
            )
            for k in range(num_perm):
                v = _U32(perm_a[k] * h + perm_b[k])
                if v < sig[k]:
                    sig[k] = v
        for k in range(num_perm):
            out[i, k] = sig[k]
        ok[i] = True


def signatures(  # type: ignore[no-untyped-def]
    layout,
    main_addr,
    buf_addrs,
    validity_addr,
    validity_offset,
    n,
    ngram,
    char_unit,
    kind,
    fold,
    perm_a,
    perm_b,
    out,
    ok,
) -> None:
    """Fill ``out[i]`` (uint32, num_perm) with the MinHash of document ``i``; ``ok[i]`` = has one.

    Rows without a signature (null, or no tokens) get all-ones in ``out`` and False in ``ok``.
    Row ranges run on threads (:func:`careful_polars._kernels._threads.run_ranges`).
    """
    mode = np.int64(1 if char_unit else 0)
    ngram = np.int64(ngram)

    def run(lo: int, hi: int) -> None:
        _signature_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, lo, hi, ngram, mode,
            kind, fold, perm_a, perm_b, out, ok,
        )  # fmt: skip

    run_ranges(int(n), run, min_rows=_MIN_ROWS)


@njit(cache=True, nogil=True)
def _band_keys_block(sigs, ok, bands, rows, out, lo, hi):  # type: ignore[no-untyped-def]
    stride = sigs.shape[1] * 4
    base = sigs.ctypes.data
    for i in range(lo, hi):
        if not ok[i]:
            for b in range(bands):
                out[b, i] = 0
            continue
        for b in range(bands):
            out[b, i] = xxh64_addr(base + i * stride + b * rows * 4, rows * 4, _U64(b))


def band_keys(sigs, ok, bands, rows, out):  # type: ignore[no-untyped-def]
    """``out[b, i]`` = XXH64 (seed ``b``) of the ``rows`` values of band ``b`` of row ``i``."""
    bands, rows = np.int64(bands), np.int64(rows)
    # a column slice of a wider key matrix is not C-contiguous; filling a contiguous copy keeps
    # the kernel at one compiled specialisation instead of a second one for 'A' layout
    dst = out if out.flags.c_contiguous else np.empty(out.shape, dtype=out.dtype)
    run_ranges(
        sigs.shape[0],
        lambda lo, hi: _band_keys_block(sigs, ok, bands, rows, dst, lo, hi),
        min_rows=_MIN_ROWS,
    )
    if dst is not out:
        out[...] = dst


@njit(cache=True, nogil=True)
def _shingle_counts_block(  # type: ignore[no-untyped-def]
    layout,
    main_addr,
    buf_addrs,
    validity_addr,
    validity_offset,
    local_rows,
    ngram,
    mode,
    kind,
    out,
    lo,
    hi,
):
    for t in range(lo, hi):
        i = local_rows[t]
        out[t] = 0
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        ntok = 0
        ncp = 0
        in_tok = False
        for k in range(length):
            c = load_u8(addr + k)
            if kind[c] == 1:
                in_tok = False
            else:
                if not in_tok:
                    ntok += 1
                    in_tok = True
                if (c & 0xC0) != 0x80:
                    ncp += 1
        if ntok == 0:
            continue
        if mode == 0:
            out[t] = max(ntok - ngram + 1, 1)
        elif mode == 1:
            out[t] = max(ncp + ntok - 1 - ngram + 1, 1)
        else:
            out[t] = max(ntok - ngram + 1, 0)


def shingle_counts(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, ngram, mode, kind,
    out
) -> None:  # fmt: skip
    """Count the shingles of each selected row (for CSR sizing) without writing any bytes.

    ``mode`` 0: word shingles, 1: char shingles, 2: word n-grams for overlap (none if shorter).
    """
    ngram, mode = np.int64(ngram), np.int64(mode)

    def run(lo: int, hi: int) -> None:
        _shingle_counts_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, ngram,
            mode, kind, out, lo, hi,
        )  # fmt: skip

    run_ranges(local_rows.shape[0], run, min_rows=_MIN_ROWS)


@njit(cache=True, nogil=True)
def _shingle_block(  # type: ignore[no-untyped-def]
    layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, lo, hi, ngram,
    mode, kind, fold, offsets, values, sizes
):  # fmt: skip
    """The shingle sets of selected rows ``lo`` to ``hi`` (one thread's share)."""
    cap = 0
    for t in range(lo, hi):
        if is_valid(validity_addr, validity_offset, local_rows[t]):
            _, c = str_at(layout, main_addr, buf_addrs, local_rows[t])
            if c > cap:
                cap = c
    buf = np.empty(cap + 1, dtype=np.uint8)
    starts = np.empty(cap + 2, dtype=np.int64)
    ends = np.empty(cap + 2, dtype=np.int64)
    cps = np.empty(cap + 2, dtype=np.int64)
    base = buf.ctypes.data
    for t in range(lo, hi):
        sizes[t] = 0
        i = local_rows[t]
        if not is_valid(validity_addr, validity_offset, i):
            continue
        addr, length = str_at(layout, main_addr, buf_addrs, i)
        m = _shingles(addr, length, ngram, mode, kind, fold, buf, starts, ends, cps)
        if m == 0:
            continue
        o = offsets[t]
        for j in range(m):
            values[o + j] = xxh64_addr(base + starts[j], ends[j] - starts[j], _SEED0)
        sizes[t] = sort_unique(values, o, m)


def shingle_sets(  # type: ignore[no-untyped-def]
    layout,
    main_addr,
    buf_addrs,
    validity_addr,
    validity_offset,
    local_rows,
    ngram,
    mode,
    kind,
    fold,
    offsets,
    values,
    sizes,
) -> None:
    """Write the sorted distinct 64-bit shingle hashes of each selected row into ``values``.

    Row ``t`` owns ``values[offsets[t]:offsets[t+1]]`` and uses its first ``sizes[t]`` slots.
    ``mode`` as in :func:`shingle_counts`: 0 word shingles, 1 char shingles, 2 word n-grams
    for overlap (decontamination), where a document shorter than ``ngram`` words yields
    nothing (it must not count as one long n-gram). One kernel serves all three modes, so it
    compiles once.
    """
    ngram, mode = np.int64(ngram), np.int64(mode)

    def run(lo: int, hi: int) -> None:
        _shingle_block(
            layout, main_addr, buf_addrs, validity_addr, validity_offset, local_rows, lo, hi,
            ngram, mode, kind, fold, offsets, values, sizes,
        )  # fmt: skip

    run_ranges(local_rows.shape[0], run, min_rows=_MIN_ROWS)


@njit(cache=True, nogil=True)
def sort_unique(values, o, m):  # type: ignore[no-untyped-def]
    """Sort ``values[o:o+m]`` in place, move its distinct values to the front, return how many.

    A plain heapsort: it compiles in a fraction of the time of numba's generic ``ndarray.sort``
    (which every kernel calling it compiles anew), and shingle sets are short.
    """
    # build a max-heap
    for start in range(m // 2 - 1, -1, -1):
        _sift_down(values, o, start, m)
    for end in range(m - 1, 0, -1):
        tmp = values[o]
        values[o] = values[o + end]
        values[o + end] = tmp
        _sift_down(values, o, 0, end)
    u = 1 if m > 0 else 0
    for j in range(1, m):
        if values[o + j] != values[o + u - 1]:
            values[o + u] = values[o + j]
            u += 1
    return u


@njit(cache=True, nogil=True)
def _sift_down(values, o, root, end):  # type: ignore[no-untyped-def]
    while True:
        child = 2 * root + 1
        if child >= end:
            return
        if child + 1 < end and values[o + child] < values[o + child + 1]:
            child += 1
        if values[o + root] >= values[o + child]:
            return
        tmp = values[o + root]
        values[o + root] = values[o + child]
        values[o + child] = tmp
        root = child


@njit(cache=True, nogil=True)
def _pack(x, y):  # type: ignore[no-untyped-def]
    if x > y:
        x, y = y, x
    return (_U64(x) << _U64(32)) | _U64(y)


@njit(cache=True, nogil=True)
def _band_buckets(keys, head_of, prev_of):  # type: ignore[no-untyped-def]
    """For one band, each row's bucket head (first row with its key) and predecessor, or -1.

    One pass in row order over an open-addressing table (key -> first row, last row), so each
    bucket costs linear time and never all pairs. Returns the number of links (star + chain).
    """
    n = keys.shape[0]
    cap = 16
    while cap < 2 * n:
        cap *= 2
    mask = _U64(cap - 1)
    tkeys = np.empty(cap, dtype=np.uint64)
    thead = np.full(cap, -1, dtype=np.int32)
    tlast = np.empty(cap, dtype=np.int32)
    c = 0
    for i in range(n):
        k = keys[i]
        slot = np.int64(k & mask)
        head_of[i] = -1
        prev_of[i] = -1
        while True:
            head = thead[slot]
            if head == -1:
                thead[slot] = i
                tkeys[slot] = k
                tlast[slot] = i
                break
            if tkeys[slot] == k:
                head_of[i] = head
                c += 1
                last = tlast[slot]
                if last != head:
                    prev_of[i] = last
                    c += 1
                tlast[slot] = i
                break
            slot = (slot + 1) & (cap - 1)
    return c


@njit(cache=True, nogil=True)
def _emit_links(head_of, prev_of, rows_ok, out):  # type: ignore[no-untyped-def]
    c = 0
    for i in range(head_of.shape[0]):
        if head_of[i] >= 0:
            out[c] = _pack(rows_ok[head_of[i]], rows_ok[i])
            c += 1
            if prev_of[i] >= 0:
                out[c] = _pack(rows_ok[prev_of[i]], rows_ok[i])
                c += 1


def candidate_pairs(keys: np.ndarray, rows_ok: np.ndarray) -> np.ndarray:
    """Distinct candidate pairs ``lo << 32 | hi`` (``lo < hi``) from the band keys of ``rows_ok``.

    ``keys`` is (bands, rows), one contiguous row per band. Each bucket's members are linked to
    the bucket's first row and to their predecessor (star + chain). Sorted, so the result does
    not depend on the thread count. Bands run on threads; the sort runs in NumPy (numba's sort
    would add seconds of compilation to every kernel that calls it).
    """
    bands, n = keys.shape
    head_of = np.empty((bands, n), dtype=np.int32)
    prev_of = np.empty((bands, n), dtype=np.int32)
    counts = np.zeros(bands, dtype=np.int64)

    def buckets(lo: int, hi: int) -> None:
        for b in range(lo, hi):
            counts[b] = _band_buckets(keys[b], head_of[b], prev_of[b])

    run_ranges(bands, buckets, min_rows=1 if n >= _MIN_ROWS else bands)
    starts = np.zeros(bands + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    packed = np.empty(int(starts[bands]), dtype=np.uint64)

    def links(lo: int, hi: int) -> None:
        for b in range(lo, hi):
            _emit_links(head_of[b], prev_of[b], rows_ok, packed[starts[b] : starts[b + 1]])

    run_ranges(bands, links, min_rows=1 if n >= _MIN_ROWS else bands)
    return np.unique(packed)


def pair_jaccard(a, b, slot, offsets, sizes, values, out):  # type: ignore[no-untyped-def]
    """Exact Jaccard of the shingle sets of rows ``a[k]`` and ``b[k]`` (``slot`` maps row->set)."""
    cross_jaccard(slot[a], offsets, sizes, values, slot[b], offsets, sizes, values, out)


@njit(cache=True, nogil=True)
def _pair_estimate_block(a, b, sigs, out, lo, hi):  # type: ignore[no-untyped-def]
    num_perm = sigs.shape[1]
    for k in range(lo, hi):
        same = 0
        for p in range(num_perm):
            if sigs[a[k], p] == sigs[b[k], p]:
                same += 1
        out[k] = same / num_perm


def pair_estimate(a, b, sigs, out):  # type: ignore[no-untyped-def]
    """Estimate Jaccard of rows ``a[k]``, ``b[k]`` as their share of equal signature values."""
    run_ranges(
        a.shape[0],
        lambda lo, hi: _pair_estimate_block(a, b, sigs, out, lo, hi),
        min_rows=_MIN_PAIRS,
    )


@njit(cache=True, nogil=True)
def _find(parent, x):  # type: ignore[no-untyped-def]
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        nxt = parent[x]
        parent[x] = root
        x = nxt
    return root


@njit(cache=True, nogil=True)
def union_find(n, a, b):  # type: ignore[no-untyped-def]
    """Return each row's root in the components of links ``a[k] - b[k]`` (its smallest member).

    Linking the larger root under the smaller makes the result independent of link order.
    """
    parent = np.arange(n, dtype=np.int64)
    for k in range(a.shape[0]):
        ra = _find(parent, a[k])
        rb = _find(parent, b[k])
        if ra != rb:
            if ra < rb:
                parent[rb] = ra
            else:
                parent[ra] = rb
    for x in range(n):
        parent[x] = _find(parent, x)
    return parent


@njit(cache=True, nogil=True)
def representatives(root, score, has_score):  # type: ignore[no-untyped-def]
    """Return per row the row kept for its cluster: best valid ``score``, ties to the first."""
    n = root.shape[0]
    best = np.arange(n, dtype=np.int64)
    for i in range(n):
        r = root[i]
        if r == i:
            continue
        cur = best[r]
        if has_score[i] and (not has_score[cur] or score[i] > score[cur]):
            best[r] = i
    rep = np.empty(n, dtype=np.int64)
    for i in range(n):
        rep[i] = best[root[i]]
    return rep


@njit(cache=True, nogil=True)
def sorted_member(haystack, needles):  # type: ignore[no-untyped-def]
    """For each needle, whether it occurs in the sorted ``haystack``."""
    pos = np.searchsorted(haystack, needles)
    out = np.zeros(needles.shape[0], dtype=np.bool_)
    for k in range(needles.shape[0]):
        if pos[k] < haystack.shape[0] and haystack[pos[k]] == needles[k]:
            out[k] = True
    return out


def bucket_matches(index_keys: np.ndarray, query_keys: np.ndarray) -> np.ndarray:
    """Distinct ``(query, index)`` position pairs sharing a band key, packed ``q << 32 | i``.

    ``index_keys`` is (bands, n_index), ``query_keys`` (bands, n_query); both hold only rows that
    have a signature. Every index row in a matching bucket is returned (no sampling). Sorted.
    Vectorised NumPy per band (nothing to compile; the work is a sort and a search per band).
    """
    parts = [np.empty(0, dtype=np.uint64)]
    for b in range(index_keys.shape[0]):
        col = index_keys[b]
        order = np.argsort(col, kind="stable").astype(np.uint64)
        sk = col[order.astype(np.intp)]
        qk = query_keys[b]
        lo = np.searchsorted(sk, qk, side="left")
        counts = np.searchsorted(sk, qk, side="right") - lo
        total = int(counts.sum())
        if total == 0:
            continue
        q = np.repeat(np.arange(qk.shape[0], dtype=np.uint64), counts)
        # position of each match in `sk`: its bucket's start plus its rank within the bucket
        first = np.cumsum(counts) - counts
        pos = np.repeat(lo - first, counts) + np.arange(total)
        parts.append((q << np.uint64(32)) | order[pos])
    return np.unique(np.concatenate(parts))


@njit(cache=True, nogil=True)
def _cross_jaccard_block(  # type: ignore[no-untyped-def]
    a, off_a, size_a, val_a, b, off_b, size_b, val_b, out, lo, hi
):
    for k in range(lo, hi):
        s = a[k]
        t = b[k]
        n1 = size_a[s]
        n2 = size_b[t]
        if n1 == 0 or n2 == 0:
            out[k] = 0.0
            continue
        i = 0
        j = 0
        inter = 0
        o1 = off_a[s]
        o2 = off_b[t]
        while i < n1 and j < n2:
            x = val_a[o1 + i]
            y = val_b[o2 + j]
            if x == y:
                inter += 1
                i += 1
                j += 1
            elif x < y:
                i += 1
            else:
                j += 1
        out[k] = inter / (n1 + n2 - inter)


def cross_jaccard(a, off_a, size_a, val_a, b, off_b, size_b, val_b, out):  # type: ignore[no-untyped-def]
    """Exact Jaccard between set ``a[k]`` of collection A and set ``b[k]`` of collection B."""

    def run(lo: int, hi: int) -> None:
        _cross_jaccard_block(a, off_a, size_a, val_a, b, off_b, size_b, val_b, out, lo, hi)

    run_ranges(a.shape[0], run, min_rows=_MIN_PAIRS)


@njit(cache=True, nogil=True)
def _set_jaccard(s, t, offsets, sizes, values):  # type: ignore[no-untyped-def]
    n1 = sizes[s]
    n2 = sizes[t]
    if n1 == 0 or n2 == 0:
        return 0.0
    i = 0
    j = 0
    inter = 0
    o1 = offsets[s]
    o2 = offsets[t]
    while i < n1 and j < n2:
        x = values[o1 + i]
        y = values[o2 + j]
        if x == y:
            inter += 1
            i += 1
            j += 1
        elif x < y:
            i += 1
        else:
            j += 1
    return inter / (n1 + n2 - inter)


@njit(cache=True, nogil=True)
def _sig_share(x, y, sigs):  # type: ignore[no-untyped-def]
    num_perm = sigs.shape[1]
    same = 0
    for p in range(num_perm):
        if sigs[x, p] == sigs[y, p]:
            same += 1
    return same / num_perm


@njit(cache=True, nogil=True)
def keep_greedy(  # type: ignore[no-untyped-def]
    order, indptr, nbr, nsim, threshold, mode, slot, offsets, sizes, values, sigs,
    keeper, keeper_sim, extra_a, extra_b, extra_sim
):  # fmt: skip
    """Decide kept rows greedily in keep-order over candidate edges in CSR form.

    ``order`` lists rows best first; ``indptr``/``nbr``/``nsim`` are the symmetric candidate
    edges with their verified similarity. A row is removed when it has an edge with similarity
    >= ``threshold`` to an already-kept row, or (second hop) when a removed neighbour's keeper
    verifies >= ``threshold`` against it; ``mode`` 0 verifies by exact Jaccard of the shingle sets
    (``slot`` maps row -> set), 1 by the signature estimate, 2 (no verification) removes a row on
    any candidate edge to a kept row and never looks two hops away, 3 takes edges already
    verified by the caller (e.g. exact cosines of semantic duplicates) and never looks two hops
    away. ``keeper[r]`` becomes ``r``
    for kept rows, else the kept row it duplicates (best similarity, ties to the earlier one in
    keep-order) with that similarity in ``keeper_sim``. Second-hop matches are written to
    ``extra_*``; returns how many.
    """
    n = order.shape[0]
    rank = np.empty(n, dtype=np.int64)
    for t in range(n):
        rank[order[t]] = t
    tried = np.full(n, -1, dtype=np.int64)
    n_extra = 0
    for t in range(n):
        r = order[t]
        best = -1
        best_s = -1.0
        for e in range(indptr[r], indptr[r + 1]):
            v = nbr[e]
            if rank[v] >= t or keeper[v] != v:
                continue
            tried[v] = t
            s = nsim[e]
            if mode == 2:
                s = 0.0
            elif not s >= threshold:
                continue
            if s > best_s or (s == best_s and rank[v] < rank[best]):
                best = v
                best_s = s
        hop = False
        if best < 0 and mode < 2:
            for e in range(indptr[r], indptr[r + 1]):
                v = nbr[e]
                if rank[v] >= t or keeper[v] == v:
                    continue
                k = keeper[v]
                if tried[k] == t:
                    continue
                tried[k] = t
                if mode == 0:
                    s = _set_jaccard(slot[r], slot[k], offsets, sizes, values)
                else:
                    s = _sig_share(r, k, sigs)
                if s >= threshold and (s > best_s or (s == best_s and rank[k] < rank[best])):
                    best = k
                    best_s = s
                    hop = True
        if best < 0:
            keeper[r] = r
            keeper_sim[r] = np.nan
        else:
            keeper[r] = best
            keeper_sim[r] = best_s if mode != 2 else np.nan
            if hop:
                extra_a[n_extra] = min(r, best)
                extra_b[n_extra] = max(r, best)
                extra_sim[n_extra] = best_s
                n_extra += 1
    return n_extra
