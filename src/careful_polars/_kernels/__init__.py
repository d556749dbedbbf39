"""Numba kernels over raw Arrow buffers. Nothing here knows about Polars.

Kernels take integer buffer addresses (from :mod:`careful_polars._arrow`) and NumPy arrays, and
return NumPy arrays. They are compiled lazily on first call and cached on disk (``cache=True``),
so ``import careful_polars`` compiles nothing.
"""
