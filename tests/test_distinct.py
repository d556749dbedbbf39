from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from careful_polars._kernels.distinct import first_index, keep_mask


@pytest.mark.parametrize("n", [0, 1, 17, 5000])
def test_kernels_match_polars(n: int) -> None:
    rng = np.random.default_rng(n)
    keys = rng.integers(0, 2**64 - 1, size=n, dtype=np.uint64)
    if n > 2:  # many repeats, including keys that differ only in low bits (same slot chain)
        keys[rng.integers(0, n, n // 2)] = keys[rng.integers(0, n, n // 2)]
        keys[: n // 10] = keys[0] ^ np.uint64(1)
    s = pl.Series(keys, dtype=pl.UInt64)
    first = first_index(keys)
    assert (first == np.arange(n)).tolist() == s.is_first_distinct().to_list()
    assert keep_mask(keys, 0).tolist() == s.is_first_distinct().to_list()
    assert keep_mask(keys, 1).tolist() == s.is_last_distinct().to_list()
    assert keep_mask(keys, 2).tolist() == s.is_unique().to_list()
    # brute force on the group structure
    groups: dict[int, list[int]] = {}
    for i, k in enumerate(keys.tolist()):
        groups.setdefault(k, []).append(i)
    for i, k in enumerate(keys.tolist()):
        assert first[i] == groups[k][0]
