from __future__ import annotations

import numba
import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars.exceptions import (
    ColumnNotFoundError,
    DtypeNotSupportedError,
    InvalidParameterError,
)
from careful_polars.neardup import SCHEME_VERSION
from tests import _neardup_ref as ref
from tests.conftest import as_kind, collect

TEXTS = [
    "The quick brown fox jumps over the lazy dog",
    "the QUICK brown fox, jumps over the lazy dog!!",
    "Near-duplicate detection with MinHash",
    "héllo wörld   Ünïcode   text",
    "a",
    "",
    "   ,,, !!! ",
    None,
    "x" * 50,
    "tab\tseparated\nnew line\r\nwords here",
]

# Pinned signatures of the scheme (also equal to the oracle); a change here is a scheme change
# and needs a new SCHEME_VERSION.
GOLDEN_WORD = {
    "The quick brown fox jumps over the lazy dog": [
        1069876074,
        543005307,
        152678726,
        479789231,
        517736174,
        547360733,
        554679314,
        454508607,
    ],
    "Near-duplicate detection with MinHash": [
        817560796,
        1729051099,
        262385096,
        778052012,
        1294375744,
        3094804828,
        239632773,
        307374090,
    ],
    "héllo wörld": [
        1784786080,
        3076021543,
        3159827812,
        2200045488,
        803831956,
        2197893576,
        908222825,
        3299848678,
    ],
}
GOLDEN_CHAR = {
    "The quick brown fox jumps over the lazy dog": [
        186707773,
        48565466,
        67723685,
        166624226,
        152628925,
        353200464,
        65001555,
        57028543,
    ],
    "héllo wörld": [
        60449396,
        545853460,
        937661459,
        952693349,
        1039076284,
        162167569,
        771928092,
        176146862,
    ],
}


def test_scheme_version_is_pinned():
    assert SCHEME_VERSION == "careful-minhash-1"


@pytest.mark.parametrize(
    ("unit", "ngram", "golden"), [("word", 3, GOLDEN_WORD), ("char", 4, GOLDEN_CHAR)]
)
def test_golden_signatures(unit, ngram, golden):
    df = pl.DataFrame({"text": list(golden)})
    got = (
        df.select(cp.minhash("text", num_perm=8, ngram=ngram, unit=unit, seed=42))
        .to_series()
        .to_list()
    )
    assert got == list(golden.values())
    for text, sig in golden.items():
        assert ref.signature(text, 8, ngram, 42, unit) == sig


@pytest.mark.parametrize("unit", ["word", "char"])
@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("ngram", [1, 3, 5])
def test_signatures_equal_oracle(unit, normalize, ngram, frame_kind):
    df = as_kind(pl.DataFrame({"text": TEXTS}), frame_kind)
    out = collect(
        df.select(
            cp.minhash(
                "text", num_perm=16, ngram=ngram, unit=unit, normalize=normalize, seed=7
            ).alias("s")
        )
    )
    assert out.schema["s"] == pl.Array(pl.UInt32, 16)
    for text, sig in zip(TEXTS, out["s"].to_list(), strict=True):
        assert sig == ref.signature(text, 16, ngram, 7, unit, normalize), text


def test_null_and_empty_give_null_signature():
    s = pl.Series("t", [None, "", " ... ", "ok"])
    out = s.careful.minhash(num_perm=4)
    assert out.is_null().to_list() == [True, True, True, False]


def test_series_namespace_and_multichunk_and_slice():
    a = pl.Series("t", TEXTS[:5])
    b = pl.Series("t", TEXTS[5:])
    s = a.append(b)
    assert s.n_chunks() == 2
    expected = [ref.signature(t, 8, 2, 0) for t in TEXTS]
    assert s.careful.minhash(num_perm=8, ngram=2).to_list() == expected
    assert s.slice(3, 4).careful.minhash(num_perm=8, ngram=2).to_list() == expected[3:7]
    assert pl.col("t").careful.minhash is not None


def test_large_strings_layout():
    # long strings (> 12 bytes) live in the variadic buffers of the view layout
    texts = [" ".join(f"w{i}" for i in range(k, k + 200)) for k in range(20)]
    got = pl.Series(texts).careful.minhash(num_perm=32).to_list()
    assert got == [ref.signature(t, 32, 5, 0) for t in texts]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=60)), min_size=1, max_size=8))
@pytest.mark.hypothesis
def test_signatures_property_oracle(texts):
    got = pl.Series(texts, dtype=pl.String).careful.minhash(num_perm=8, ngram=2).to_list()
    assert got == [ref.signature(t, 8, 2, 0) for t in texts]


def test_unicode_normalize_option():
    s = pl.Series(["ÄRGER über Ärger", "ärger über ärger"])
    plain = s.careful.minhash(num_perm=16, ngram=1).to_list()
    assert plain[0] != plain[1]  # bytes >= 0x80 are not case-folded by the byte-level step
    try:
        import careful_polars.text  # noqa: F401
    except ImportError:
        pytest.skip("normalize_text not available yet")
    uni = s.careful.minhash(num_perm=16, ngram=1, normalize="unicode").to_list()
    assert uni[0] == uni[1]


# --------------------------------------------------------------------------- LSH parameters


@pytest.mark.parametrize("num_perm", [16, 64, 128])
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.9, 0.95])
def test_lsh_params_equal_datasketch(num_perm, threshold):
    from datasketch.lsh import _optimal_param

    for w in (0.5, 0.2):
        assert cp.lsh_params(
            threshold, num_perm=num_perm, fp_weight=w, fn_weight=1 - w
        ) == _optimal_param(threshold, num_perm, w, 1 - w)


def test_lsh_curve():
    curve = cp.lsh_curve(9, 13)
    assert curve.height == 21
    s = np.array([0.2, 0.8])
    got = cp.lsh_curve(9, 13, similarity=s)["probability"].to_numpy()
    np.testing.assert_allclose(got, 1 - (1 - s**13) ** 9)
    assert curve["probability"].is_sorted()


@pytest.mark.parametrize(
    "call",
    [
        lambda: cp.lsh_params(0.0),
        lambda: cp.lsh_params(0.8, num_perm=0),
        lambda: cp.lsh_params(0.8, fp_weight=-1),
        lambda: cp.lsh_curve(0, 3),
        lambda: cp.minhash("t", num_perm=0),
        lambda: cp.minhash("t", ngram=0),
        lambda: cp.minhash("t", unit="sentence"),
        lambda: cp.minhash("t", seed=-1),
        lambda: cp.mark_near_duplicates(pl.DataFrame({"t": ["a"]}), "t", threshold=1.5),
        lambda: cp.mark_near_duplicates(pl.DataFrame({"t": ["a"]}), "t", verify="exact"),
        lambda: cp.mark_near_duplicates(pl.DataFrame({"t": ["a"]}), "t", keep="best"),
        lambda: cp.mark_near_duplicates(pl.DataFrame({"t": ["a"]}), "t", bands=200, rows=2),
    ],
)
def test_bad_parameters(call):
    with pytest.raises(InvalidParameterError, match="Hint:"):
        call()


def test_bad_column_and_dtype():
    df = pl.DataFrame({"text": ["a"], "n": [1]})
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        cp.mark_near_duplicates(df, "txt")
    with pytest.raises(DtypeNotSupportedError, match="Hint:"):
        cp.mark_near_duplicates(df, "n")


# --------------------------------------------------------------------------- clustering


def _marked(docs, kind="eager", **kw):
    df = as_kind(pl.DataFrame({"text": docs}), kind)
    return collect(cp.mark_near_duplicates(df, "text", **kw))


@pytest.mark.parametrize("threshold", [0.7, 0.8])
def test_clusters_equal_bruteforce_components(threshold, frame_kind):
    docs = ref.corpus(seed=3)
    truth = ref.true_pairs(docs, threshold, 5)
    expected = ref.components(len(docs), truth)
    # a very sensitive banding makes LSH recall complete on this small corpus
    out = _marked(docs, frame_kind, threshold=threshold, bands=32, rows=4)
    got = out["cluster_id"].to_list()
    # same partition: rows share a cluster id exactly when they share a brute-force root
    pairs_got = {(i, j) for i in range(len(docs)) for j in range(i) if got[i] == got[j]}
    pairs_exp = {(i, j) for i in range(len(docs)) for j in range(i) if expected[i] == expected[j]}
    assert pairs_got == pairs_exp
    assert len(truth) > 10


def test_links_are_exact_and_above_threshold():
    docs = ref.corpus(seed=5)
    sets = [ref.shingles(d, 5) for d in docs]
    links = cp.near_duplicate_pairs(pl.DataFrame({"text": docs}), "text", threshold=0.8)
    assert links.height > 0
    for a, b, s in links.select("row_a", "row_b", "similarity").iter_rows():
        assert a < b
        assert s == pytest.approx(ref.jaccard(sets[a], sets[b]))
        assert s >= 0.8
    truth = ref.true_pairs(docs, 0.8, 5)
    got = set(zip(links["row_a"].to_list(), links["row_b"].to_list(), strict=True))
    assert len(got & set(truth)) / len(truth) >= 0.95


def test_mark_columns_similarity_and_dup_of():
    docs = ref.corpus(seed=1)
    out = _marked(docs)
    assert out.columns[-5:] == [
        "cluster_id",
        "is_representative",
        "dup_of",
        "similarity",
        "example_id",
    ]
    sets = [ref.shingles(d, 5) for d in docs]
    ids = out["example_id"].to_list()
    reps = out.with_row_index("i").filter(pl.col("is_representative"))
    rep_of_cluster = dict(zip(reps["cluster_id"], reps["i"], strict=True))
    for i, row in enumerate(out.iter_rows(named=True)):
        if row["is_representative"]:
            assert row["dup_of"] is None and row["similarity"] is None
        else:
            rep = rep_of_cluster[row["cluster_id"]]
            assert row["dup_of"] == ids[rep]
            assert row["similarity"] == pytest.approx(ref.jaccard(sets[i], sets[rep]))
            assert rep < i  # keep="first"
    assert out.filter(~pl.col("is_representative")).height > 5


def test_example_id_is_content_hash_or_existing_column():
    import xxhash

    docs = ["same words in a row here", "same words in a row here", "other"]
    out = _marked(docs)
    assert out["example_id"].to_list()[0] == xxhash.xxh64_intdigest(docs[0].encode())
    assert out["dup_of"].to_list() == [None, out["example_id"][0], None]
    with_ids = pl.DataFrame({"text": docs, "example_id": [10, 11, 12]})
    out2 = cp.mark_near_duplicates(with_ids, "text")
    assert out2["dup_of"].to_list() == [None, 10, None]
    assert out2.columns == [
        "text",
        "example_id",
        "cluster_id",
        "is_representative",
        "dup_of",
        "similarity",
    ]


def test_keep_rules():
    base = "one two three four five six seven eight nine ten eleven twelve"
    docs = [base, base + " thirteen", base + ".", "unrelated words entirely here now"]
    df = pl.DataFrame({"text": docs, "q": [0.1, 0.5, 0.9, 0.0]})
    first = cp.mark_near_duplicates(df, "text", threshold=0.7, ngram=2)
    assert first["is_representative"].to_list() == [True, False, False, True]
    longest = cp.mark_near_duplicates(df, "text", threshold=0.7, ngram=2, keep="longest")
    assert longest["is_representative"].to_list() == [False, True, False, True]
    best = cp.mark_near_duplicates(df, "text", threshold=0.7, ngram=2, keep=pl.col("q"))
    assert best["is_representative"].to_list() == [False, False, True, True]
    nulls = df.with_columns(pl.lit(None, pl.Float64).alias("q"))
    tie = cp.mark_near_duplicates(nulls, "text", threshold=0.7, ngram=2, keep=pl.col("q"))
    assert tie["is_representative"].to_list() == [True, False, False, True]


def test_null_and_empty_never_match():
    docs = [None, None, "", "", "real text with words", "real text with words"]
    out = _marked(docs)
    assert out["is_representative"].to_list() == [True, True, True, True, True, False]
    assert out["cluster_id"].n_unique() == 5


@pytest.mark.parametrize("verify", ["jaccard", "signature", None])
def test_verify_modes(verify):
    docs = ref.corpus(seed=9)
    out = _marked(docs, verify=verify)
    dups = out.filter(~pl.col("is_representative"))
    assert dups.height > 0
    if verify is not None:
        # every link passed; the similarity to the representative can chain lower, but not below 0
        assert dups["similarity"].min() > 0.5


def test_deterministic_across_thread_counts():
    docs = ref.corpus(n_base=300, n_var=200, seed=11)
    df = pl.DataFrame({"text": docs})
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = cp.mark_near_duplicates(df, "text", verify="signature")
        numba.set_num_threads(max(2, before))
        many = cp.mark_near_duplicates(df, "text", verify="signature")
    finally:
        numba.set_num_threads(before)
    assert one.equals(many)


def test_order_of_rows_only_changes_representatives():
    docs = ref.corpus(seed=13)
    a = _marked(docs)
    b = _marked(docs[::-1])
    part = lambda ids: {frozenset(np.flatnonzero(ids == c)) for c in np.unique(ids)}  # noqa: E731
    n = len(docs)
    rev = {frozenset(n - 1 - i for i in g) for g in part(b["cluster_id"].to_numpy())}
    assert part(a["cluster_id"].to_numpy()) == rev


def test_split_and_near_dedup_are_lossless(frame_kind):
    docs = ref.corpus(seed=2)
    df = pl.DataFrame({"text": docs, "k": list(range(len(docs)))})
    split = cp.split_near_duplicates(as_kind(df, frame_kind), "text")
    kept, rejected = (collect(f) for f in split)
    assert kept.height + rejected.height == df.height
    assert sorted(kept["k"].to_list() + rejected["k"].to_list()) == list(range(len(docs)))
    assert kept.columns == df.columns
    assert rejected.columns == [*df.columns, "_careful_gate", "_careful_reason", "_careful_ref"]
    assert set(rejected["_careful_gate"]) == {"near_duplicate"}
    assert rejected["_careful_ref"].null_count() == 0
    dedup = collect(cp.near_dedup(as_kind(df, frame_kind), "text"))
    assert dedup.equals(kept)
    via_ns = collect(as_kind(df, frame_kind).careful.near_dedup("text"))
    assert via_ns.equals(kept)
    assert "Split(" in repr(split)


# --------------------------------------------------------------------------- interop


def test_to_datasketch_jaccard_equals_careful():
    docs = ref.corpus(seed=4)[:20]
    sig = pl.Series(docs).careful.minhash(num_perm=64)
    sketches = cp.to_datasketch(sig)
    mat = np.array(sig.to_list(), dtype=np.uint32)
    for i in range(5):
        for j in range(5):
            assert sketches[i].jaccard(sketches[j]) == pytest.approx(
                float((mat[i] == mat[j]).mean())
            )
    # datasketch's own affine32 MinHash over the same shingle hashes gives the same values
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    m = MinHash(
        num_perm=64,
        seed=0,
        scheme="affine32",
        hashfunc=lambda b: ref.xxhash.xxh64_intdigest(b) & 0xFFFFFFFF,
    )
    m.update_batch(sorted(ref.shingles(docs[0], 5)))
    assert LeanMinHash(m) == sketches[0]
    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    lsh.insert("a", sketches[0])
    assert lsh.query(sketches[0]) == ["a"]
    assert cp.to_datasketch(pl.Series([None, "x y"]).careful.minhash(num_perm=4))[0] is None
    with pytest.raises(DtypeNotSupportedError, match="Hint:"):
        cp.to_datasketch(pl.Series([1, 2]))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(["a b c d e f", "a b c d e f g", "x y z", "", "a b c d e"]),
            st.text(alphabet="ab ", max_size=20),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["jaccard", "signature", None]),
)
@pytest.mark.hypothesis
def test_split_never_loses_rows(texts, verify):
    df = pl.DataFrame(
        {"text": texts, "k": list(range(len(texts)))}, schema_overrides={"text": pl.String}
    )
    kept, rejected = cp.split_near_duplicates(df, "text", ngram=2, verify=verify)
    assert sorted(kept["k"].to_list() + rejected["k"].to_list()) == list(range(len(texts)))
    marked = cp.mark_near_duplicates(df, "text", ngram=2, verify=verify)
    # every cluster's first row is kept (keep="first"); more may be (no chain removal)
    firsts = marked.with_row_index("i").group_by("cluster_id").agg(pl.col("i").min())
    reps = marked.with_row_index("i").filter(pl.col("is_representative"))
    assert set(firsts["i"].to_list()) <= set(reps["i"].to_list())
    assert kept.height == reps.height


def test_pairs_from_lazy_frame():
    docs = ref.corpus(seed=6)
    eager = cp.near_duplicate_pairs(pl.DataFrame({"text": docs}), "text")
    lazy = cp.near_duplicate_pairs(pl.LazyFrame({"text": docs}), "text")
    assert eager.equals(lazy)
