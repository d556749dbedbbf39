"""Arrow string/binary layout codes shared by :mod:`careful_polars._arrow` and the kernels.

Kept free of numba so that describing buffers (and ``import careful_polars``) does not load the
compiler; :mod:`careful_polars._kernels._mem` reads the same names as compile-time constants.
"""

from __future__ import annotations

__all__ = ["LAYOUT_OFFSETS32", "LAYOUT_OFFSETS64", "LAYOUT_VIEW"]

#: Polars' native string/binary view layout (16-byte views plus variadic data buffers).
LAYOUT_VIEW = 0
#: Arrow ``string``/``binary``: int32 offsets plus one data buffer.
LAYOUT_OFFSETS32 = 1
#: Arrow ``large_string``/``large_binary``: int64 offsets plus one data buffer.
LAYOUT_OFFSETS64 = 2
