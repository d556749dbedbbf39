"""Unaligned little-endian loads from raw addresses, and the Arrow string-locator helpers.

Arrow buffers are addressed by plain integers (``buffer.address``) so one compiled kernel serves
every layout: ``View`` (Polars' native string/binary view), ``Offsets32`` and ``Offsets64``.
The caller keeps the owning Arrow arrays alive for the duration of the call.
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic
from numpy import int32 as np_int32
from numpy import int64 as np_int64

from careful_polars._kernels._layout import LAYOUT_OFFSETS32, LAYOUT_VIEW


def _make_load(bits: int, nbtype: types.Integer):  # type: ignore[no-untyped-def]
    @intrinsic
    def _load(typingctx, addr):  # type: ignore[no-untyped-def]
        if not isinstance(addr, types.Integer):
            return None

        def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
            ptr = builder.inttoptr(args[0], ir.IntType(bits).as_pointer())
            return builder.load(ptr, align=1)

        return nbtype(addr), codegen

    return _load


load_u8 = _make_load(8, types.uint8)
load_u32 = _make_load(32, types.uint32)
load_u64 = _make_load(64, types.uint64)


def _make_store(bits: int, nbtype: types.Integer):  # type: ignore[no-untyped-def]
    @intrinsic
    def _store(typingctx, addr, value):  # type: ignore[no-untyped-def]
        if not isinstance(addr, types.Integer):
            return None

        def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
            ptr = builder.inttoptr(args[0], ir.IntType(bits).as_pointer())
            val = context.cast(builder, args[1], sig.args[1], nbtype)
            builder.store(val, ptr, align=1)
            return context.get_dummy_value()

        return types.none(addr, value), codegen

    return _store


store_u8 = _make_store(8, types.uint8)
store_u64 = _make_store(64, types.uint64)


@njit(cache=True, nogil=True)
def copy_bytes(dst: int, src: int, n: int) -> None:
    """Copy ``n`` bytes between raw addresses, eight at a time (regions must not overlap)."""
    k = 0
    while k + 8 <= n:
        store_u64(dst + k, load_u64(src + k))
        k += 8
    while k < n:
        store_u8(dst + k, load_u8(src + k))
        k += 1


@njit(cache=True, nogil=True)
def is_valid(validity_addr: int, bit_offset: int, i: int) -> bool:
    """Whether element ``i`` is valid in an Arrow validity bitmap (address 0: all valid)."""
    if validity_addr == 0:
        return True
    pos = bit_offset + i
    return ((load_u8(validity_addr + (pos >> 3)) >> (pos & 7)) & 1) == 1


@njit(cache=True, nogil=True)
def str_at(layout: int, main_addr: int, buf_addrs, i: int):  # type: ignore[no-untyped-def]
    """Return ``(address, length)`` of string/binary element ``i``.

    ``main_addr`` points at element 0 of the views (View) or offsets (Offsets32/64) buffer,
    already advanced by the array's offset; ``buf_addrs`` holds the data buffer addresses
    (View: the variadic buffers; Offsets: a single data buffer).
    """
    return str_at_raw(layout, main_addr, np_int64(buf_addrs.ctypes.data), i)


@njit(cache=True, nogil=True)
def str_at_raw(layout: int, main_addr: int, bufs_addr: int, i: int):  # type: ignore[no-untyped-def]
    """:func:`str_at` with the data buffer addresses given by the address of their array."""
    if layout == LAYOUT_VIEW:
        view = main_addr + 16 * i
        n = np_int64(load_u32(view))
        if n <= 12:
            return view + 4, n
        buf = np_int64(load_u32(view + 8))
        off = np_int64(load_u32(view + 12))
        return np_int64(load_u64(bufs_addr + 8 * buf)) + off, n
    if layout == LAYOUT_OFFSETS32:
        start = np_int64(np_int32(load_u32(main_addr + 4 * i)))
        end = np_int64(np_int32(load_u32(main_addr + 4 * i + 4)))
        return np_int64(load_u64(bufs_addr)) + start, end - start
    start = np_int64(load_u64(main_addr + 8 * i))
    end = np_int64(load_u64(main_addr + 8 * i + 8))
    return np_int64(load_u64(bufs_addr)) + start, end - start
