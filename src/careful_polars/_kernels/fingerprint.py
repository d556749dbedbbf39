"""Order-independent multiset digest of uint64 row ids (the dataset fingerprint).

Each id ``x`` is passed through the SplitMix64 finaliser ``m`` (a bijection of 64-bit words),
and the digest is ``(sum of m(x) mod 2**64, xor of m(x))``. Sum and xor are commutative, so the
digest does not depend on row order; because ``m`` is a bijection, replacing one id by a
different id always changes the sum. All arithmetic is on ``uint64`` and wraps modulo 2**64.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_U64 = np.uint64
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True, nogil=True)
def mix64(x):  # type: ignore[no-untyped-def]
    """SplitMix64 finaliser of ``x + golden``: a bijection on 64-bit words."""
    z = x + _GOLDEN
    z = (z ^ (z >> _U64(30))) * _M1
    z = (z ^ (z >> _U64(27))) * _M2
    return z ^ (z >> _U64(31))


@njit(cache=True, nogil=True)
def _digest(ids):  # type: ignore[no-untyped-def]
    total = _U64(0)
    acc = _U64(0)
    for i in range(ids.shape[0]):
        h = mix64(ids[i])
        total += h
        acc ^= h
    return total, acc


def multiset_digest(ids: np.ndarray) -> tuple[int, int]:
    """Return ``(sum, xor)`` of the mixed ids, each as a Python int in ``[0, 2**64)``."""
    # one serial pass: ~1 ns per id, so 10M ids take ~10 ms and threads would not pay
    total, acc = _digest(np.ascontiguousarray(ids, dtype=np.uint64))
    return int(total), int(acc)


@njit(cache=True, nogil=True, parallel=True)
def fold_column(acc, values, valid, salt):  # type: ignore[no-untyped-def]
    """Fold one column into the running per-row hashes ``acc`` (in place).

    A valid value ``v`` gives ``m(acc ^ salt ^ v)``, a null ``m(m(acc ^ salt) + golden)``, so a
    null never looks like any particular value.
    """
    for i in prange(acc.shape[0]):
        if valid[i]:
            acc[i] = mix64(acc[i] ^ salt ^ values[i])
        else:
            acc[i] = mix64(mix64(acc[i] ^ salt) + _GOLDEN)
