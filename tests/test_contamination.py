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
    report = cp.contamination_report(t, e)
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
    report = cp.contamination_report(
        pl.DataFrame({"text": train}), pl.DataFrame({"text": ev}), ngram_overlap=None
    )
    assert report["kind"].to_list() == ["exact", "near_duplicate"]
    clean = cp.contamination_report(
        pl.DataFrame({"text": train}), pl.DataFrame({"text": ["nothing alike"]})
    )
    assert clean.height == 0
    assert clean.schema["train_ids"] == pl.List(pl.UInt64)


def test_mark_and_split_contaminated_lossless(frame_kind):
    train, ev = _splits()
    t = pl.DataFrame({"text": train})
    e = as_kind(pl.DataFrame({"text": ev, "k": list(range(len(ev)))}), frame_kind)
    marked = collect(cp.mark_contaminated(t, e))
    assert marked["contaminated"].to_list()[:5] == [True, True, True, False, False]
    assert marked["contamination_kind"].to_list()[:3] == [
        "exact",
        "near_duplicate",
        "ngram_overlap",
    ]
    kept, rejected = (collect(f) for f in cp.split_contaminated(t, e))
    assert kept.height + rejected.height == len(ev)
    assert sorted(kept["k"].to_list() + rejected["k"].to_list()) == list(range(len(ev)))
    assert set(rejected["_careful_gate"]) == {"contamination"}
    assert rejected["_careful_ref"].null_count() == 0
    via_ns = collect(t.careful.split_contaminated(e).kept)
    assert via_ns.equals(kept)
    assert t.careful.contamination_report(collect(e)).height == 3


def test_contamination_errors():
    df = pl.DataFrame({"text": ["a"]})
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        cp.contamination_report(df, pl.DataFrame({"body": ["a"]}))
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.contamination_report(df, df, ngram_overlap=0)
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.contamination_report(df, df, threshold=0)


def _lopsided(n_big=1500, n_small=25, seed=1):
    """A large and a small split with exact, near-duplicate and 13-gram links planted both ways."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]

    def doc(k):
        return " ".join(rng.choice(vocab) for _ in range(k))

    big = [doc(rng.randint(5, 60)) for _ in range(n_big)]
    small = [doc(40) for _ in range(n_small)]
    small[0] = big[7]
    big[900] = big[7]  # the same text twice on the large side: two rows, one id
    w = big[11].split()
    w[3] = "zzz"
    small[1] = " ".join(w)
    small[2] = "Intro: " + " ".join(big[12].split()[:20]).upper()  # n-grams after normalising
    big[13] = small[3] + " tail words here"  # the small row inside a large one
    big[14] = " ".join(small[4].split()[5:30])
    big[15] = big[14]  # two large rows sharing n-grams with one small row
    small[5] = None
    small[6] = "!!!"
    big[16] = "?"  # no tokens (a null on both sides would match as an exact copy)
    return big, small


def _full_oracle(train, ev, threshold=0.8, n=13):
    """Brute force per eval row: (kind, similarity, most shared n-grams, sorted train ids)."""
    import xxhash

    def grams(t):
        toks = ref.tokens(t) if t else []
        return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}

    tsets = [ref.shingles(t, 5) for t in train]
    tgrams = [grams(t) for t in train]
    out = {}
    for i, e in enumerate(ev):
        if e is None:
            continue
        es, eg = ref.shingles(e, 5), grams(e)
        kinds, sims, shared, ids = [], [], [], set()
        for j, t in enumerate(train):
            if t is None:
                continue
            s = len(eg & tgrams[j])
            if t == e:
                kinds.append(0)
                sims.append(1.0)
            elif es and tsets[j] and ref.jaccard(es, tsets[j]) >= threshold:
                kinds.append(1)
                sims.append(ref.jaccard(es, tsets[j]))
            elif s:
                kinds.append(2)
            else:
                continue
            if s:
                shared.append(s)
            ids.add(xxhash.xxh64_intdigest(t.encode()))
        if kinds:
            kind = ["exact", "near_duplicate", "ngram_overlap"][min(kinds)]
            out[i] = (kind, max(sims, default=None), max(shared, default=None), sorted(ids))
    return out


def _as_oracle(report):
    return {
        r["eval_row"]: (r["kind"], r["similarity"], r["shared_ngrams"], r["train_ids"])
        for r in report.iter_rows(named=True)
    }


@pytest.mark.parametrize("train_is_big", [True, False])
@pytest.mark.parametrize("tiny_pieces", [False, True])
def test_contamination_lopsided_equals_bruteforce(train_is_big, tiny_pieces, monkeypatch):
    # the smaller side is indexed and the larger streamed, whichever of train/eval that is;
    # tiny pieces and hit buffers exercise the piecewise stream and the rerun of busy rows
    import importlib

    module = importlib.import_module("careful_polars.contamination")
    if tiny_pieces:
        monkeypatch.setattr(module, "_STREAM_PIECE", 100)
        monkeypatch.setattr(module, "_HIT_CAP", 1)
    big, small = _lopsided()
    train, ev = (big, small) if train_is_big else (small, big)
    report = cp.contamination_report(pl.DataFrame({"text": train}), pl.DataFrame({"text": ev}))
    got, want = _as_oracle(report), _full_oracle(train, ev)
    assert got.keys() == want.keys()
    for row, (kind, sim, shared, ids) in want.items():
        assert got[row][0] == kind, row
        assert got[row][1] == (pytest.approx(sim) if sim is not None else None), row
        assert got[row][2:] == (shared, ids), row
    assert len(want) >= 5


def test_null_text_never_matches() -> None:
    train = pl.DataFrame({"text": [None, "the quick brown fox jumps over the lazy dog"]})
    evaluation = pl.DataFrame({"text": [None, "something else entirely different here"]})
    assert cp.contamination_report(train, evaluation, text="text").height == 0
