"""Polars Series -> raw Arrow buffers for the kernels. The only module that knows Arrow layouts.

Polars keeps strings and binaries in the Arrow *view* layout (16-byte views plus variadic data
buffers). Exporting with ``CompatLevel.newest()`` hands those buffers over without a copy; the
kernels read views directly, so no cast to ``large_string`` (which copies every byte) is needed.
Offset layouts (``string``/``large_string``/``binary``/``large_binary``), sliced arrays
(non-zero offsets), validity bitmaps and multi-chunk Series are all handled here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from careful_polars._kernels._layout import LAYOUT_OFFSETS32, LAYOUT_OFFSETS64, LAYOUT_VIEW

__all__ = ["StringBuffers", "chunk_ranges", "string_buffers", "string_pieces", "to_arrow"]

#: Rows handed to a kernel at once: bounds scratch memory and keeps threads busy.
DEFAULT_PIECE_ROWS = 1 << 20


@dataclass(frozen=True)
class StringBuffers:
    """Addresses describing one Arrow string/binary array, as the kernels want them.

    ``keep`` holds the Arrow array so the buffers stay alive while the addresses are in use.
    """

    layout: int
    main_addr: int
    buf_addrs: np.ndarray
    validity_addr: int
    validity_offset: int
    length: int
    keep: Any

    @property
    def null_count(self) -> int:
        """Number of null elements."""
        return int(self.keep.null_count)


def _validity(arr: pa.Array) -> tuple[int, int]:
    buf = arr.buffers()[0]
    if buf is None or arr.null_count == 0:
        return 0, 0
    return buf.address, arr.offset


def string_buffers(arr: pa.Array) -> StringBuffers:
    """Describe a pyarrow string/binary array (view or offset layout) by buffer addresses."""
    typ = arr.type
    bufs = arr.buffers()
    validity_addr, validity_offset = _validity(arr)
    if pa.types.is_string_view(typ) or pa.types.is_binary_view(typ):
        views = bufs[1]
        main = views.address + 16 * arr.offset if len(arr) else 0
        data = np.array([b.address if b is not None else 0 for b in bufs[2:]], dtype=np.int64)
        layout = LAYOUT_VIEW
    elif pa.types.is_string(typ) or pa.types.is_binary(typ):
        main = bufs[1].address + 4 * arr.offset if len(arr) else 0
        data = np.array([bufs[2].address if bufs[2] is not None else 0], dtype=np.int64)
        layout = LAYOUT_OFFSETS32
    elif pa.types.is_large_string(typ) or pa.types.is_large_binary(typ):
        main = bufs[1].address + 8 * arr.offset if len(arr) else 0
        data = np.array([bufs[2].address if bufs[2] is not None else 0], dtype=np.int64)
        layout = LAYOUT_OFFSETS64
    else:
        msg = f"expected an Arrow string or binary array, got {typ}"
        raise TypeError(msg)
    if data.size == 0:
        data = np.zeros(1, dtype=np.int64)
    return StringBuffers(layout, main, data, validity_addr, validity_offset, len(arr), arr)


def to_arrow(series: pl.Series) -> pa.Array:
    arr = series.to_arrow(compat_level=pl.CompatLevel.newest())
    if isinstance(arr, pa.ChunkedArray):  # pragma: no cover - defensive
        arr = arr.combine_chunks()
    return arr


def chunk_ranges(n: int, piece_rows: int = DEFAULT_PIECE_ROWS) -> Iterator[tuple[int, int]]:
    """Yield ``(offset, length)`` pieces covering ``range(n)``."""
    for start in range(0, n, piece_rows):
        yield start, min(piece_rows, n - start)


def string_pieces(
    series: pl.Series, piece_rows: int = DEFAULT_PIECE_ROWS
) -> Iterator[tuple[int, StringBuffers]]:
    """Yield ``(row offset, buffers)`` for a String/Binary Series, piece by piece.

    Pieces follow the Series' own chunks and are at most ``piece_rows`` long; slicing a chunk is
    zero-copy. Categorical and Enum Series must be cast to String by the caller.
    """
    offset = 0
    for chunk in series.get_chunks():
        arr = to_arrow(chunk)
        for start, length in chunk_ranges(len(arr), piece_rows):
            yield offset + start, string_buffers(arr.slice(start, length))
        offset += len(arr)
