"""Semantic dedup against brute-force NumPy cosine: pair sets, the greedy keep rule, errors."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars.exceptions import (
    ColumnExistsError,
    ColumnNotFoundError,
    DtypeNotSupportedError,
    InvalidParameterError,
)
from tests.conftest import as_kind, collect

KINDS = ["eager", "lazy"]


# --------------------------------------------------------------------------- oracle


def brute_cosine(x: np.ndarray) -> np.ndarray:
    """Full float64 cosine matrix of the float32 values (the textbook definition)."""
    v = x.astype(np.float64)
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    return v @ v.T


def brute_pairs(x: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    c = brute_cosine(x)
    a, b = np.nonzero(np.triu(c >= threshold, 1))
    return set(zip(a.tolist(), b.tolist(), strict=True))


def brute_keep(x: np.ndarray, threshold: float, order: list[int]) -> dict[int, int]:
    """The greedy rule written out: row -> kept row it duplicates (itself when kept)."""
    c = brute_cosine(x)
    keeper: dict[int, int] = {}
    for r in order:
        kept = [v for v in keeper if keeper[v] == v and c[r, v] >= threshold]
        if not kept:
            keeper[r] = r
        else:
            rank = {v: i for i, v in enumerate(order)}
            keeper[r] = max(kept, key=lambda v: (c[r, v], -rank[v]))
    return keeper


def frame(x: np.ndarray, **extra: object) -> pl.DataFrame:
    return pl.DataFrame({"id": np.arange(len(x)), **extra, "embedding": x.astype(np.float32)})


def clusters(
    rng: np.random.Generator, n_groups: int, size: int, d: int, noise: float
) -> np.ndarray:
    centres = rng.standard_normal((n_groups, d))
    x = np.repeat(centres, size, axis=0) + noise * rng.standard_normal((n_groups * size, d))
    return x[rng.permutation(len(x))].astype(np.float32)


# --------------------------------------------------------------------------- shapes


@st.composite
def shaped_vectors(draw: st.DrawFn) -> tuple[np.ndarray, float]:
    """Chains (points along an arc), stars and cliques (noisy copies), plus random rows."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    d = draw(st.integers(2, 12))
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        shape = draw(st.sampled_from(["chain", "star", "clique", "random"]))
        m = draw(st.integers(1, 8))
        u, w = np.linalg.qr(rng.standard_normal((d, 2)))[0].T
        if shape == "chain":
            step = draw(st.floats(0.05, 0.5))
            angles = step * np.arange(m)
            parts.append(np.outer(np.cos(angles), u) + np.outer(np.sin(angles), w))
        elif shape in ("star", "clique"):
            spread = 0.3 if shape == "star" else 0.05
            parts.append(u + spread * rng.standard_normal((m, d)))
        else:
            parts.append(rng.standard_normal((m, d)))
    x = np.concatenate(parts)
    x = x[rng.permutation(len(x))] * rng.uniform(0.5, 3.0, size=(len(x), 1))
    return x.astype(np.float32), draw(st.floats(0.5, 0.99))


@settings(max_examples=60, deadline=None)
@given(shaped_vectors(), st.sampled_from(["exact", "clustered"]))
def test_pairs_and_keep_rule_match_brute_force(case: tuple[np.ndarray, float], method: str) -> None:
    x, threshold = case
    df = frame(x)
    pairs = cp.semantic_duplicate_pairs(df, threshold=threshold, method=method, n_clusters=2)
    found = set(zip(pairs["row_a"].to_list(), pairs["row_b"].to_list(), strict=True))
    truth = brute_pairs(x, threshold)
    if method == "exact":
        assert found == truth
    else:
        assert found <= truth
    c = brute_cosine(x)
    np.testing.assert_allclose(
        pairs["similarity"].to_numpy(), c[pairs["row_a"], pairs["row_b"]], atol=1e-12
    )
    marked = cp.mark_semantic_duplicates(df, threshold=threshold, method=method, n_clusters=2)
    ids = marked["example_id"].to_list()
    row_of = {e: i for i, e in enumerate(ids)}
    keeper = {
        i: (i if rep else row_of[dup])
        for i, (rep, dup) in enumerate(
            zip(marked["is_representative"], marked["dup_of"], strict=True)
        )
    }
    # the guarantee: every removed row names a kept row with cosine >= threshold
    for i, k in keeper.items():
        if k != i:
            assert keeper[k] == k
            assert c[i, k] >= threshold
            assert marked["similarity"][i] == pytest.approx(c[i, k], abs=1e-12)
    if method == "exact":
        assert keeper == brute_keep(x, threshold, list(range(len(x))))


def test_exact_equals_brute_force_on_a_larger_sample() -> None:
    rng = np.random.default_rng(1)
    x = clusters(rng, 300, 5, 48, 0.15)
    truth = brute_pairs(x, 0.95)
    pairs = cp.semantic_duplicate_pairs(frame(x), threshold=0.95)
    assert set(zip(pairs["row_a"].to_list(), pairs["row_b"].to_list(), strict=True)) == truth
    assert len(truth) > 500


def test_clustered_with_one_cluster_is_exact_and_recall_is_high() -> None:
    rng = np.random.default_rng(2)
    x = clusters(rng, 200, 4, 32, 0.15)
    df = frame(x)
    exact = cp.mark_semantic_duplicates(df)
    one = cp.mark_semantic_duplicates(df, method="clustered", n_clusters=1)
    assert one.equals(exact)
    truth = brute_pairs(x, 0.95)
    for probes, floor in ((1, 0.8), (3, 0.97)):
        pairs = cp.semantic_duplicate_pairs(df, method="clustered", probes=probes)
        found = set(zip(pairs["row_a"].to_list(), pairs["row_b"].to_list(), strict=True))
        assert found <= truth
        assert len(found) / len(truth) >= floor


@pytest.mark.parametrize("kind", KINDS)
def test_split_loses_nothing_and_names_kept_rows(kind: str) -> None:
    rng = np.random.default_rng(3)
    x = clusters(rng, 50, 3, 16, 0.1)
    df = frame(x)
    kept, rejected = cp.split_semantic_duplicates(as_kind(df, kind))
    kept, rejected = collect(kept), collect(rejected)
    assert kept.height + rejected.height == df.height
    assert sorted(kept["id"].to_list() + rejected["id"].to_list()) == list(range(df.height))
    assert kept.columns == df.columns
    assert set(rejected["_careful_gate"]) == {"semantic_duplicate"}
    ids = collect(cp.mark_semantic_duplicates(df))["example_id"]
    kept_ids = set(ids.gather(kept["id"]).to_list())
    assert set(rejected["_careful_ref"].to_list()) <= kept_ids
    assert cp.semantic_dedup(df)["id"].to_list() == kept["id"].to_list()
    assert rejected["_careful_reason"][0].startswith("semantic duplicate (cosine 0.")


@pytest.mark.parametrize("kind", KINDS)
def test_lazy_equals_eager_and_list_equals_array(kind: str) -> None:
    rng = np.random.default_rng(4)
    x = clusters(rng, 40, 3, 8, 0.1)
    df = frame(x, example_id=pl.Series(np.arange(len(x)) + 100, dtype=pl.UInt64))
    want = cp.mark_semantic_duplicates(df, method="clustered", probes=2)
    as_list = df.with_columns(pl.col("embedding").cast(pl.List(pl.Float64)))
    got = collect(cp.mark_semantic_duplicates(as_kind(as_list, kind), method="clustered", probes=2))
    assert got.drop("embedding").equals(want.drop("embedding"))
    assert want["dup_of"].null_count() < want.height


def test_keep_expression_and_existing_example_id() -> None:
    x = np.array([[1.0, 0.0], [0.99, 0.02], [0.0, 1.0]], dtype=np.float32)
    df = frame(x, quality=[0.1, 0.9, 0.5], example_id=pl.Series([7, 8, 9], dtype=pl.UInt64))
    out = cp.mark_semantic_duplicates(df, keep=pl.col("quality"))
    assert out["is_representative"].to_list() == [False, True, True]
    assert out["dup_of"].to_list() == [8, None, None]


def test_refuses_to_overwrite() -> None:
    df = frame(np.eye(3, dtype=np.float32), dup_of=[1, 2, 3])
    with pytest.raises(ColumnExistsError, match="overwrite=True"):
        cp.mark_semantic_duplicates(df)
    assert cp.mark_semantic_duplicates(df, overwrite=True)["dup_of"].null_count() == 3
    # the split form never touches the user's own dup_of
    assert cp.split_semantic_duplicates(df).kept["dup_of"].to_list() == [1, 2, 3]


@pytest.mark.parametrize(
    ("values", "dtype", "error", "match"),
    [
        ([[1.0, 0.0], None], pl.List(pl.Float32), InvalidParameterError, "null vector"),
        ([[1.0, 0.0], [1.0]], pl.List(pl.Float32), InvalidParameterError, "different lengths"),
        ([[1.0, 0.0], [1.0, None]], pl.List(pl.Float32), InvalidParameterError, "null elements"),
        ([[1.0, 0.0], [float("nan"), 1.0]], pl.Array(pl.Float32, 2), InvalidParameterError, "NaN"),
        ([[1.0, 0.0], [float("inf"), 1.0]], pl.List(pl.Float64), InvalidParameterError, "NaN"),
        ([[1.0, 0.0], [0.0, 0.0]], pl.Array(pl.Float32, 2), InvalidParameterError, "all-zero"),
        ([[1, 0], [0, 1]], pl.List(pl.Int64), DtypeNotSupportedError, "not an Array or List"),
        (["a", "b"], pl.String, DtypeNotSupportedError, "not an Array or List"),
    ],
)
def test_bad_vectors(values: list[object], dtype: pl.DataType, error: type, match: str) -> None:
    df = pl.DataFrame({"embedding": values}, schema={"embedding": dtype})
    with pytest.raises(error, match=match) as info:
        cp.mark_semantic_duplicates(df)
    assert "Hint:" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"threshold": 0.0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"method": "ann"}, "method"),
        ({"keep": "longest"}, "keep"),
        ({"n_clusters": 0}, "n_clusters"),
        ({"probes": 0}, "probes"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_parameters_raise_before_work(kwargs: dict[str, object], match: str) -> None:
    lf = pl.LazyFrame({"embedding": [[1.0, 0.0]]}).map_batches(lambda _: 1 / 0)  # never runs
    with pytest.raises(InvalidParameterError, match=match):
        cp.mark_semantic_duplicates(lf, **kwargs)  # type: ignore[arg-type]


def test_missing_column() -> None:
    with pytest.raises(ColumnNotFoundError, match="embeding"):
        cp.semantic_dedup(pl.DataFrame({"embedding": [[1.0]]}), "embeding")


def test_empty_and_single_row() -> None:
    empty = pl.DataFrame({"embedding": []}, schema={"embedding": pl.Array(pl.Float32, 3)})
    assert cp.mark_semantic_duplicates(empty).height == 0
    one = pl.DataFrame({"embedding": [[1.0, 2.0]]})
    assert cp.mark_semantic_duplicates(one, method="clustered")["is_representative"].to_list() == [
        True
    ]
