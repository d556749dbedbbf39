"""Python threads over serial ``nogil`` kernels: parallel work without ``parallel=True``.

numba compiles a ``prange`` loop into a separate threaded function (a "gufunc") with its own
passes; measured on 2 cores, that added 1-2 s of first-call compilation to every parallel
kernel, which dominated the cold start of ``careful audit``. A serial kernel compiled with
``nogil=True`` releases the GIL while it runs, so a few Python threads calling it on disjoint
row ranges share the cores just as well. Every kernel run this way writes only its own rows,
so results never depend on the number of threads or on how the rows were split.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["run_ranges", "workers"]

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
#: Ranges per worker thread: a few, so that one slow range (long documents, a busy core) does
#: not leave the other threads idle at the end.
_RANGES_PER_WORKER = 4


def workers() -> int:
    """Worker threads used: numba's configured thread count (``NUMBA_NUM_THREADS``)."""
    from numba import config

    return max(1, int(config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]


def _pool(size: int) -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=size, thread_name_prefix="careful-kernel")
        return _POOL


def run_ranges(n: int, run: Callable[[int, int], object], *, min_rows: int) -> None:
    """Call ``run(lo, hi)`` over contiguous ranges covering ``[0, n)``.

    One call on the calling thread when ``n < 2 * min_rows`` or one worker is configured;
    otherwise ranges of at least ``min_rows`` rows run on the worker threads (``run`` must
    release the GIL, i.e. be a ``nogil`` kernel, for this to pay).
    """
    k = workers()
    if k <= 1 or n < 2 * min_rows:
        run(0, n)
        return
    parts = max(2, min(_RANGES_PER_WORKER * k, n // min_rows))
    bounds = [n * j // parts for j in range(parts + 1)]
    pool = _pool(k)
    futures = [pool.submit(run, bounds[j], bounds[j + 1]) for j in range(parts)]
    for future in futures:
        future.result()
