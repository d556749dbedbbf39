from __future__ import annotations

import random

import polars as pl
import pytest

import careful_polars as cp
from careful_polars.exceptions import ColumnNotFoundError, InvalidParameterError
from tests import _neardup_ref as ref
from tests.conftest import as_kind, collect


def _splits(seed=0):
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(4000)]
    train = [" ".join(rng.choice(vocab) for _ in range(40)) for _ in range(400)]
    ev = [" ".join(rng.choice(vocab) for _ in range(40)) for _ in range(60)]
    ev[0] = train[10]  # exact copy
    w = train[20].split()
    w[0] = "zzz"
    ev[1] = " ".join(w)  # near-duplicate
    ev[2] = " ".join(train[30].split()[3:16]) + " " + ev[2]  # shares one 13-gram
    ev[3] = None
    ev[4] = "short"
    return train, ev


def _oracle(train, ev, threshold=0.8, n=13):
    """Brute force: kind per eval row (exact > near > ngram)."""
    out = {}
    tsets = [ref.shingles(t, 5) for t in train]
    tgrams = []
    for t in train:
        toks = ref.tokens(t) if t else []
        tgrams.append({tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)})
    for i, e in enumerate(ev):
        if e is None:
            continue
        es = ref.shingles(e, 5)
        toks = ref.tokens(e)
        eg = {tuple(toks[k : k + n]) for k in range(len(toks) - n + 1)}
        kinds = []
        for j, t in enumerate(train):
            if t == e:
                kinds.append(0)
            elif es and tsets[j] and ref.jaccard(es, tsets[j]) >= threshold:
                kinds.append(1)
            elif eg & tgrams[j]:
                kinds.append(2)
        if kinds:
            out[i] = ["exact", "near_duplicate", "ngram_overlap"][min(kinds)]
    return out


def test_contamination_equals_bruteforce(frame_kind):
    train, ev = _splits()
    t = as_kind(pl.DataFrame({"text": train}), frame_kind)
    e = as_kind(pl.DataFrame({"text": ev}), frame_kind)
    report = cp.contamination(t, e)
    assert isinstance(report, pl.DataFrame)
    got = dict(zip(report["eval_row"].to_list(), report["kind"].to_list(), strict=True))
    assert got == _oracle(train, ev)
    assert got == {0: "exact", 1: "near_duplicate", 2: "ngram_overlap"}
    row = report.filter(pl.col("eval_row") == 1).row(0, named=True)
    assert row["similarity"] == pytest.approx(
        ref.jaccard(ref.shingles(ev[1], 5), ref.shingles(train[20], 5))
    )
    import xxhash

    assert row["train_ids"] == [xxhash.xxh64_intdigest(train[20].encode())]


def test_contamination_without_ngrams_and_empty_report():
    train, ev = _splits()
    report = cp.contamination(
        pl.DataFrame({"text": train}), pl.DataFrame({"text": ev}), ngram_overlap=None
    )
    assert report["kind"].to_list() == ["exact", "near_duplicate"]
    clean = cp.contamination(
        pl.DataFrame({"text": train}), pl.DataFrame({"text": ["nothing alike"]})
    )
    assert clean.height == 0
    assert clean.schema["train_ids"] == pl.List(pl.UInt64)


def test_mark_and_split_contaminated_lossless(frame_kind):
    train, ev = _splits()
    t = pl.DataFrame({"text": train})
    e = as_kind(pl.DataFrame({"text": ev, "k": list(range(len(ev)))}), frame_kind)
    marked = collect(cp.mark_contaminated(e, t))
    assert marked["contaminated"].to_list()[:5] == [True, True, True, False, False]
    assert marked["contamination_kind"].to_list()[:3] == [
        "exact",
        "near_duplicate",
        "ngram_overlap",
    ]
    kept, rejected = (collect(f) for f in cp.split_contaminated(e, t))
    assert kept.height + rejected.height == len(ev)
    assert sorted(kept["k"].to_list() + rejected["k"].to_list()) == list(range(len(ev)))
    assert set(rejected["_careful_gate"]) == {"contamination"}
    assert rejected["_careful_ref"].null_count() == 0
    via_ns = collect(e.careful.split_contaminated(t).kept)
    assert via_ns.equals(kept)
    assert t.careful.contamination(collect(e)).height == 3


def test_contamination_errors():
    df = pl.DataFrame({"text": ["a"]})
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        cp.contamination(df, pl.DataFrame({"body": ["a"]}))
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.contamination(df, df, ngram_overlap=0)
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.contamination(df, df, threshold=0)
