"""Numba kernels over raw Arrow buffers. Nothing here knows about Polars.

Kernels take integer buffer addresses (from :mod:`careful_polars._arrow`) and NumPy arrays, and
return NumPy arrays. They are compiled lazily on first call and cached on disk (``cache=True``),
so ``import careful_polars`` compiles nothing.

How kernels use several cores: every kernel except sampling's is a serial ``nogil`` function
run on disjoint row ranges by a few Python threads (:mod:`careful_polars._kernels._threads`,
``run_ranges``), so results never depend on the thread count and nothing pays numba's parfor
compile time. The sampling kernels (:mod:`careful_polars._kernels.sampling`) are still compiled
twice, with ``prange`` and serially, and pick one by row count; they run from whole-table code,
never from concurrent Polars callbacks. Moving them to ``run_ranges`` too is open work.

:data:`KERNEL_LOCK` is still taken by the hashing callbacks around their kernel runs: Polars may
evaluate several ``map_batches`` callbacks at once, and numba's default (workqueue) threading
layer aborts the process on concurrent ``prange`` launches. With serial kernels it only keeps
concurrent callbacks from oversubscribing the shared worker threads.
"""

from __future__ import annotations

import threading

__all__ = ["KERNEL_LOCK"]

#: Taken around kernel runs started from Polars callbacks (see the module docstring).
KERNEL_LOCK = threading.RLock()
