"""Numba kernels over raw Arrow buffers. Nothing here knows about Polars.

Kernels take integer buffer addresses (from :mod:`careful_polars._arrow`) and NumPy arrays, and
return NumPy arrays. They are compiled lazily on first call and cached on disk (``cache=True``),
so ``import careful_polars`` compiles nothing.

Parallel kernels must be launched under :data:`KERNEL_LOCK`: Polars may evaluate several
``map_batches`` callbacks at once from its own threads, and numba's default (workqueue)
threading layer aborts the process on concurrent parallel launches. A parallel kernel already
uses every core, so serialising launches costs nothing.
"""

from __future__ import annotations

import threading

__all__ = ["KERNEL_LOCK"]

#: Held while a ``parallel=True`` kernel runs (see the module docstring).
KERNEL_LOCK = threading.RLock()
