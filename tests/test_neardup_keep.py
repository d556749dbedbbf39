"""The keep rule of near-dedup: a removed row always names a kept row it verifiably duplicates.

Oracles: exact Jaccard of the shingle sets computed in plain Python (tests/_neardup_ref.py) and a
plain-Python greedy over all pairs, never careful's own earlier output.
"""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars.neardup import keep_order, keep_rows
from tests import _neardup_ref as ref

VOCAB = [f"w{i}" for i in range(400)]


def _chain(rng: random.Random, length: int, size: int, step: int) -> list[str]:
    """Sliding windows over one word stream: neighbours similar, far ends not."""
    stream = rng.sample(VOCAB, size + step * length)
    return [" ".join(stream[i * step : i * step + size]) for i in range(length)]


def _star(rng: random.Random, arms: int, size: int, edits: int) -> list[str]:
    """A centre and edited copies of it (each arm edits different positions)."""
    centre = rng.sample(VOCAB, size)
    out = [" ".join(centre)]
    for _ in range(arms):
        copy = list(centre)
        for p in rng.sample(range(size), edits):
            copy[p] = rng.choice(VOCAB)
        out.append(" ".join(copy))
    return out


def _clique(rng: random.Random, k: int, size: int) -> list[str]:
    base = " ".join(rng.sample(VOCAB, size))
    return [base + ("" if i == 0 else "!" * i) for i in range(k)]


@st.composite
def corpora(draw: st.DrawFn) -> list[str]:
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    docs: list[str] = []
    for kind in draw(st.lists(st.sampled_from(["chain", "star", "clique", "single"]), max_size=6)):
        if kind == "chain":
            docs += _chain(rng, draw(st.integers(2, 8)), 30, draw(st.integers(1, 3)))
        elif kind == "star":
            docs += _star(rng, draw(st.integers(1, 6)), 30, draw(st.integers(1, 6)))
        elif kind == "clique":
            docs += _clique(rng, draw(st.integers(2, 5)), 20)
        else:
            docs.append(" ".join(rng.sample(VOCAB, 25)))
    rng.shuffle(docs)
    return docs


def _check_rule(df: pl.DataFrame, marked: pl.DataFrame, threshold: float, ngram: int) -> None:
    sets = [ref.shingles(t, ngram) for t in df["text"]]
    keep = marked["is_representative"].to_list()
    ids = marked["example_id"].to_list()
    row_of = {}
    for i, (e, k) in enumerate(zip(ids, keep, strict=True)):
        if k:
            row_of.setdefault(e, i)
    for i, row in enumerate(marked.iter_rows(named=True)):
        if row["is_representative"]:
            assert row["dup_of"] is None and row["similarity"] is None
            continue
        j = row_of[row["dup_of"]]  # the row it names exists and is kept
        assert keep[j]
        exact = ref.jaccard(sets[i], sets[j])
        assert exact >= threshold
        assert row["similarity"] == pytest.approx(exact)
        assert row["cluster_id"] == marked["cluster_id"][j]


@pytest.mark.hypothesis
@settings(max_examples=40, deadline=None)
@given(corpora(), st.sampled_from([0.5, 0.7, 0.8]), st.sampled_from(["first", "longest"]))
def test_removed_rows_name_a_kept_row_above_threshold(
    docs: list[str], threshold: float, keep: str
) -> None:
    df = pl.DataFrame({"text": docs}, schema={"text": pl.String})
    marked = cp.mark_near_duplicates(df, threshold=threshold, ngram=1, keep=keep)  # type: ignore[arg-type]
    _check_rule(df, marked, threshold, 1)
    kept, rejected = cp.split_near_duplicates(df, threshold=threshold, ngram=1, keep=keep)  # type: ignore[arg-type]
    assert kept.height == int(marked["is_representative"].sum())
    assert kept.height + rejected.height == df.height


def test_chain_keeps_rows_far_from_every_kept_row() -> None:
    # consecutive windows have Jaccard 38/42 = 0.90, two apart 0.82, three apart 0.74
    docs = _chain(random.Random(1), 7, 40, 2)
    df = pl.DataFrame({"text": docs})
    marked = cp.mark_near_duplicates(df, threshold=0.8, ngram=1)
    assert marked["cluster_id"].n_unique() == 1  # still one component for reporting
    assert marked["is_representative"].to_list() == [True, False, False, True, False, False, True]
    _check_rule(df, marked, 0.8, 1)
    assert cp.near_dedup(df, threshold=0.8, ngram=1).height == 3


def _python_greedy(sets: list[set[bytes]], order: list[int], threshold: float) -> list[int]:
    keeper = [-1] * len(sets)
    for t, r in enumerate(order):
        best, best_s = -1, -1.0
        for v in order[:t]:
            if keeper[v] == v:
                s = ref.jaccard(sets[r], sets[v])
                if s >= threshold and s > best_s:
                    best, best_s = v, s
        keeper[r] = r if best < 0 else best
    return keeper


@pytest.mark.hypothesis
@settings(max_examples=40, deadline=None)
@given(corpora(), st.sampled_from([0.5, 0.8]), st.booleans())
def test_complete_candidates_give_the_brute_force_greedy(
    docs: list[str], threshold: float, longest: bool
) -> None:
    """With every pair a candidate, kept rows are pairwise below threshold (a maximal set)."""
    n = len(docs)
    sets = [ref.shingles(t, 1) for t in docs]
    pairs = list(combinations(range(n), 2))
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    sim = np.array([ref.jaccard(sets[i], sets[j]) for i, j in pairs], dtype=np.float64)
    score = np.array([float(len(t)) for t in docs]) if longest else None
    has = np.ones(n, dtype=np.bool_) if longest else None
    order = keep_order(n, score, has)
    keeper, ksim, _ = keep_rows(
        order, a, b, sim, threshold, "signature", None, np.zeros((n, 1), dtype=np.uint32)
    )
    expect = _python_greedy(sets, [int(x) for x in order], threshold)
    # ties in similarity may pick different kept rows; the kept set must agree exactly
    assert [k == i for i, k in enumerate(keeper)] == [k == i for i, k in enumerate(expect)]
    kept = [i for i in range(n) if keeper[i] == i]
    for i, j in combinations(kept, 2):
        assert ref.jaccard(sets[i], sets[j]) < threshold
    for i in range(n):
        if keeper[i] != i:
            assert keeper[keeper[i]] == keeper[i]
            assert ksim[i] == pytest.approx(ref.jaccard(sets[i], sets[keeper[i]]))
