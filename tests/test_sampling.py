from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars.exceptions import ColumnNotFoundError, InvalidParameterError
from careful_polars.sampling import SamplingShortfallWarning
from tests.conftest import as_kind, collect

# --------------------------------------------------------------------------------------------
# independent oracles
# --------------------------------------------------------------------------------------------

_M = (1 << 64) - 1


def _mix64(z: int) -> int:
    # SplitMix64 finaliser, straight from the published constants
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M
    return z ^ (z >> 31)


def oracle_key(seed: int, position: int) -> int:
    offset = _mix64((seed + 0x9E3779B97F4A7C15) & _M)
    return _mix64((offset + position) & _M)


def _sort_value(v: object) -> tuple[int, object]:
    return (1, 0) if v is None else (0, v)


def oracle_hamilton(total: int, weights: list[int], sizes: list[int], labels: list) -> list[int]:
    """Largest remainder with ties to the larger stratum, then the smaller label (None last)."""
    w_sum = sum(weights)
    if total <= 0 or w_sum == 0:
        return [0] * len(weights)
    exact = [Fraction(total * w, w_sum) for w in weights]
    base = [int(e) for e in exact]
    extra = total - sum(base)
    order = sorted(
        range(len(weights)),
        key=lambda i: (-(exact[i] - base[i]), -sizes[i], _sort_value(labels[i])),
    )
    for i in order[:extra]:
        base[i] += 1
    return base


def oracle_floyd(seed: int, group: int, size: int, quota: int) -> set[int]:
    """Robert Floyd's subset of `quota` local row numbers out of `size`, SplitMix64-driven."""
    quota = min(quota, size)
    if quota <= 0:
        return set()
    if quota == size:
        return set(range(size))
    offset = _mix64((seed + 0x9E3779B97F4A7C15) & _M)
    gkey = _mix64(offset ^ _mix64((group + 0x9E3779B97F4A7C15) & _M))
    invert = 2 * quota > size
    m = size - quota if invert else quota
    chosen: set[int] = set()
    for j in range(size - m, size):
        h = _mix64((gkey + j) & _M)
        t = min(int((h >> 11) * (1.0 / 9007199254740992.0) * (j + 1)), j)
        chosen.add(j if t in chosen else t)
    return set(range(size)) - chosen if invert else chosen


def oracle_sample(df: pl.DataFrame, by: str, taken: dict, seed: int) -> set[int]:
    """Row positions: per stratum (numbered by first appearance), Floyd's subset of its rows."""
    labels = df.get_column(by).to_list()
    groups: dict = {}
    for pos, label in enumerate(labels):
        groups.setdefault(label, []).append(pos)  # dicts keep first-appearance order
    out: set[int] = set()
    for number, (label, rows) in enumerate(groups.items()):
        picks = oracle_floyd(seed, number, len(rows), taken.get(label, 0))
        out.update(rows[p] for p in picks)
    return out


def frame(labels: list, **extra: list) -> pl.DataFrame:
    return pl.DataFrame({"row": list(range(len(labels))), "label": labels, **extra})


labels_strategy = st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=1, max_size=120)

# --------------------------------------------------------------------------------------------
# stratified allocation and sampling
# --------------------------------------------------------------------------------------------


@pytest.mark.hypothesis
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=labels_strategy, share=st.fractions(0, 1), seed=st.integers(0, 2**64 - 1))
def test_proportional_sample_matches_oracles(labels: list, share: Fraction, seed: int) -> None:
    df = frame(labels)
    n = int(share * len(labels))
    out = cp.stratified_sample(df, "label", n=n, seed=seed)
    assert out.height == n  # exact total
    counts = Counter(labels)
    strata = sorted(counts, key=_sort_value)
    quotas = oracle_hamilton(n, [counts[s] for s in strata], [counts[s] for s in strata], strata)
    expected = oracle_sample(df, "label", dict(zip(strata, quotas, strict=True)), seed)
    assert set(out.get_column("row").to_list()) == expected
    assert out.get_column("row").is_sorted()  # input order kept


@pytest.mark.hypothesis
@settings(max_examples=40, deadline=None)
@given(labels=labels_strategy, n=st.integers(0, 60), minimum=st.integers(0, 4))
def test_equal_allocation_and_minimums(labels: list, n: int, minimum: int) -> None:
    df = frame(labels)
    counts = Counter(labels)
    strata = sorted(counts, key=_sort_value)
    sizes = [counts[s] for s in strata]
    mins = [min(minimum, s) for s in sizes]
    n = min(n, len(labels))
    if sum(mins) > n:
        with pytest.raises(InvalidParameterError, match="Hint:"):
            cp.stratified_allocation(df, "label", n=n, min_per_stratum=minimum)
        return
    table = cp.stratified_allocation(df, "label", n=n, allocation="equal", min_per_stratum=minimum)
    requested = [
        m + q
        for m, q in zip(
            mins, oracle_hamilton(n - sum(mins), [1] * len(sizes), sizes, strata), strict=True
        )
    ]
    assert table.get_column("label").to_list() == strata
    assert table.get_column("requested").to_list() == requested
    assert table.get_column("taken").to_list() == [
        min(r, s) for r, s in zip(requested, sizes, strict=True)
    ]
    # redistribution always reaches n when the frame has n rows
    table = cp.stratified_allocation(
        df, "label", n=n, allocation="equal", min_per_stratum=minimum, redistribute=True
    )
    assert table.get_column("taken").sum() == n
    assert (table.get_column("taken") <= table.get_column("size")).all()


def test_tie_rule_larger_stratum_then_sorted_label() -> None:
    df = frame(["b"] * 3 + ["a"] * 3 + ["c"] * 6)
    # n=3 over sizes 3,3,6: exact shares .75, .75, 1.5 -> floors 0,0,1; remainders .75,.75,.5
    table = cp.stratified_allocation(df, "label", n=3)
    assert table.rows() == [("a", 3, 1, 1, 0), ("b", 3, 1, 1, 0), ("c", 6, 1, 1, 0)]
    # n=1 equal: all remainders equal -> the larger stratum wins
    table = cp.stratified_allocation(df, "label", n=1, allocation="equal")
    assert table.get_column("requested").to_list() == [0, 0, 1]
    # n=2 equal: c, then a (sorts before b)
    table = cp.stratified_allocation(df, "label", n=2, allocation="equal")
    assert table.get_column("requested").to_list() == [1, 0, 1]


def test_fraction_rounds_half_up_on_the_decimal() -> None:
    df = frame(["a"] * 5)
    assert cp.stratified_sample(df, "label", fraction=0.1).height == 1  # 0.5 -> 1
    assert cp.stratified_sample(df, "label", fraction=0.3).height == 2  # 1.5 -> 2
    assert cp.stratified_sample(frame(["a"] * 10), "label", fraction=0.3).height == 3


def test_mapping_allocation_shortfall_and_redistribution() -> None:
    df = frame(["a"] * 5 + ["b"] * 2 + [None] * 3)
    alloc = {"a": 2, "b": 4, None: 1, "zzz": 3}
    table = cp.stratified_allocation(df, "label", allocation=alloc)
    assert table.rows() == [
        ("a", 5, 2, 2, 0),
        ("b", 2, 4, 2, 2),
        ("zzz", 0, 3, 0, 3),
        (None, 3, 1, 1, 0),
    ]
    with pytest.warns(SamplingShortfallWarning, match="5 of the requested rows"):
        out = cp.stratified_sample(df, "label", allocation=alloc, seed=3)
    assert out.height == 5
    assert Counter(out.get_column("label").to_list()) == {"a": 2, "b": 2, None: 1}
    out = cp.stratified_sample(df, "label", allocation=alloc, seed=3, redistribute=True)
    assert out.height == 10  # 10 requested, 10 rows available


def test_multi_column_and_string_strata(frame_kind: str) -> None:
    rng = np.random.default_rng(5)
    df = pl.DataFrame(
        {
            "row": np.arange(500),
            "s": rng.choice(["x", "y", "zz", None], 500).tolist(),
            "t": rng.integers(0, 3, 500),
            "f": rng.choice([0.5, 1.5, float("nan")], 500),
        }
    )
    for by in (["s"], ["s", "t"], ["f"]):
        out = collect(cp.stratified_sample(as_kind(df, frame_kind), by, n=100, seed=9))
        assert out.height == 100
        table = cp.stratified_allocation(df, by, n=100)
        got = out.group_by(by).len()
        joined = table.join(got, on=by, how="left", nulls_equal=True)
        assert (joined.get_column("len").fill_null(0) == joined.get_column("taken")).all()
        assert joined.get_column("size").sum() == 500


def test_hash_collisions_fall_back_to_exact_grouping(monkeypatch: pytest.MonkeyPatch) -> None:
    from careful_polars import sampling

    real_hash = sampling._row_hash

    def colliding(frame: pl.DataFrame, by: list[str], seed: int) -> np.ndarray:
        hashes = real_hash(frame, by, seed)
        # every row gets the same grouping hash: a total collision the check hash must catch
        return np.zeros_like(hashes) if seed == sampling._GROUP_HASH_SEED else hashes

    monkeypatch.setattr(sampling, "_row_hash", colliding)
    df = frame(["x"] * 6 + ["y"] * 3 + ["zz"])
    table = cp.stratified_allocation(df, "label", n=5)
    assert table.rows() == [("x", 6, 3, 3, 0), ("y", 3, 2, 2, 0), ("zz", 1, 0, 0, 0)]
    out = cp.stratified_sample(df, "label", n=5)
    assert Counter(out.get_column("label").to_list()) == {"x": 3, "y": 2}


def test_eager_and_lazy_give_the_same_rows() -> None:
    df = frame([i % 7 for i in range(1000)])
    eager = cp.stratified_sample(df, "label", fraction=0.2, seed=11)
    lazy = cp.stratified_sample(df.lazy(), "label", fraction=0.2, seed=11)
    assert isinstance(lazy, pl.LazyFrame)
    assert eager.equals(lazy.collect())
    assert eager.equals(df.careful.stratified_sample("label", fraction=0.2, seed=11))
    assert not eager.equals(cp.stratified_sample(df, "label", fraction=0.2, seed=12))


def test_shuffle_keeps_the_set_and_orders_by_key() -> None:
    df = frame([i % 5 for i in range(300)])
    plain = cp.stratified_sample(df, "label", n=50, seed=2)
    shuffled = cp.stratified_sample(df, "label", n=50, seed=2, shuffle=True)
    assert sorted(shuffled.get_column("row").to_list()) == plain.get_column("row").to_list()
    keys = [oracle_key(2, r) for r in shuffled.get_column("row").to_list()]
    assert keys == sorted(keys)


def test_with_replacement() -> None:
    df = frame(["a"] * 3 + ["b"])
    out = cp.stratified_sample(df, "label", n=40, with_replacement=True, seed=1)
    assert out.height == 40
    counts = Counter(out.get_column("label").to_list())
    assert counts == {"a": 30, "b": 10}
    assert set(out.filter(pl.col("label") == "a").get_column("row")) <= {0, 1, 2}
    again = cp.stratified_sample(df, "label", n=40, with_replacement=True, seed=1)
    assert out.equals(again)
    equal = cp.stratified_sample(df, "label", n=6, allocation="equal", with_replacement=True)
    assert Counter(equal.get_column("label").to_list()) == {"a": 3, "b": 3}
    big = cp.stratified_sample(df, "label", fraction=2.5, with_replacement=True)
    assert big.height == 10


def test_large_sample_is_exact_and_uniform() -> None:
    # enough rows for the threaded kernels; a large fraction exercises the complement draw
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 20, 300_000)
    df = pl.DataFrame({"row": np.arange(labels.size), "label": labels})
    out = cp.stratified_sample(df, "label", fraction=0.1, seed=4)
    table = cp.stratified_allocation(df, "label", fraction=0.1)
    got = out.group_by("label").len().sort("label")
    assert got.get_column("len").to_list() == table.get_column("taken").to_list()
    # the whole sample against the Floyd oracle
    taken = dict(zip(table["label"].to_list(), table["taken"].to_list(), strict=True))
    assert set(out.get_column("row").to_list()) == oracle_sample(df, "label", taken, 4)
    big = cp.stratified_sample(df, "label", fraction=0.7, seed=4)
    table = cp.stratified_allocation(df, "label", fraction=0.7)
    taken = dict(zip(table["label"].to_list(), table["taken"].to_list(), strict=True))
    assert set(big.get_column("row").to_list()) == oracle_sample(df, "label", taken, 4)
    # roughly uniform over positions: the sample's mean row is near the stratum's
    assert abs(out.get_column("row").mean() - df.get_column("row").mean()) < 2_000


def test_inclusion_is_uniform_over_seeds() -> None:
    df = frame(["a"] * 10 + ["b"] * 5)
    hits = Counter()
    for seed in range(400):
        hits.update(cp.stratified_sample(df, "label", n=6, seed=seed).get_column("row").to_list())
    # each row of a is kept with probability 4/10, each row of b with 2/5: 160 of 400 runs
    for row in range(15):
        assert abs(hits[row] - 160) < 50


def test_threaded_and_serial_kernels_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    from careful_polars._kernels import sampling as kernels

    rng = np.random.default_rng(8)
    df = pl.DataFrame(
        {
            "row": np.arange(50_000),
            "label": rng.integers(0, 30, 50_000),
            "name": rng.choice(["x", "y", None], 50_000).tolist(),
            "cluster": rng.integers(0, 500, 50_000),
        }
    )

    def run() -> list[pl.DataFrame]:
        return [
            cp.stratified_sample(df, "label", fraction=0.3, seed=1),
            cp.stratified_sample(df, "name", n=999, seed=2, shuffle=True),
            cp.stratified_sample(df, "label", n=5_000, with_replacement=True, seed=3),
            cp.mix(df.head(5_000), df, 0.4, by="label", diversity="cluster").frame,
            cp.mix(df.head(5_000), df, 0.4, by="name").frame,
        ]

    monkeypatch.setattr(kernels, "PARALLEL_MIN_THREADS", 1 << 20)
    serial = run()
    monkeypatch.setattr(kernels, "PARALLEL_MIN_THREADS", 1)
    monkeypatch.setattr(kernels, "PARALLEL_MIN_ROWS", 1)
    threaded = run()
    for a, b in zip(serial, threaded, strict=True):
        assert a.equals(b)


def test_same_rows_on_any_thread_count(tmp_path: Path) -> None:
    code = (
        "import numpy as np, polars as pl, careful_polars as cp\n"
        "df = pl.DataFrame({'row': np.arange(100_000), 'label': np.arange(100_000) % 37})\n"
        "out = cp.stratified_sample(df, 'label', fraction=0.05, seed=7)\n"
        "m = cp.mix(df.head(20_000), df, 0.4, by='label', diversity=pl.col('row') % 101)\n"
        "print(out.get_column('row').sum(), m.frame.get_column('row').sum())\n"
    )
    results = set()
    for threads in ("1", "2"):
        env = {
            **os.environ,
            "NUMBA_NUM_THREADS": threads,
            "POLARS_MAX_THREADS": threads,
            "PYTHONPATH": str(Path(cp.__file__).parents[1]),
        }
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        results.add(run.stdout.strip())
    assert len(results) == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 5, "fraction": 0.1}, "exactly one of n and fraction"),
        ({}, "exactly one of n and fraction"),
        ({"n": 11}, "exceeds the 10 rows"),
        ({"n": -1}, "non-negative"),
        ({"fraction": 1.5}, "outside"),
        ({"n": 2, "min_per_stratum": 2}, "min_per_stratum=2"),
        ({"n": 2, "allocation": "random"}, "allocation='random'"),
        ({"n": 2, "allocation": {"a": 1}}, "cannot be combined"),
        ({"allocation": {"a": -1}}, "non-negative integer"),
        ({"allocation": {1: 1}}, "dtypes"),
        ({"n": 2, "seed": -1}, "seed=-1"),
    ],
)
def test_bad_sample_arguments(kwargs: dict, match: str) -> None:
    df = frame(["a"] * 5 + ["b"] * 5)
    with pytest.raises(InvalidParameterError, match=match) as info:
        cp.stratified_sample(df, "label", **kwargs)
    assert "Hint:" in str(info.value)


def test_missing_column_names_close_matches() -> None:
    with pytest.raises(ColumnNotFoundError, match="Did you mean"):
        cp.stratified_sample(frame(["a"]), "lable", n=1)


def test_empty_frame_and_no_strata() -> None:
    empty = frame([]).cast({"label": pl.String})
    assert cp.stratified_sample(empty, "label", n=0).height == 0
    df = frame(list("abcabc"))
    assert cp.stratified_sample(df, None, n=4, seed=1).height == 4


# --------------------------------------------------------------------------------------------
# mix
# --------------------------------------------------------------------------------------------


def _allowed(cap: Fraction, real: int) -> int:
    if cap == 1:
        return 10**18
    return int(cap * real / (1 - cap))  # exact: Fraction arithmetic floors correctly


mix_strata = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d"]))


@pytest.mark.hypothesis
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    real_labels=st.lists(mix_strata, max_size=40),
    syn_labels=st.lists(mix_strata, max_size=80),
    cap=st.sampled_from([0.0, 0.1, 0.25, 0.3, 1 / 3, 0.5, 0.7, 0.99, 1.0]),
    clusters=st.integers(1, 6),
    use_diversity=st.booleans(),
    seed=st.integers(0, 1000),
    policy=st.sampled_from(["drop", "global", 0, 1, 3]),
)
def test_mix_properties(
    real_labels: list,
    syn_labels: list,
    cap: float,
    clusters: int,
    use_diversity: bool,
    seed: int,
    policy: str | int,
) -> None:
    real = pl.DataFrame({"id": list(range(len(real_labels))), "label": real_labels})
    real = real.cast({"label": pl.String})
    syn = pl.DataFrame(
        {
            "id": [10_000 + i for i in range(len(syn_labels))],
            "label": syn_labels,
            "cluster": [(i * 7) % clusters for i in range(len(syn_labels))],
        }
    ).cast({"label": pl.String})
    diversity = "cluster" if use_diversity else None
    result = cp.mix(real, syn, cap, by="label", diversity=diversity, seed=seed, empty_real=policy)
    exact_cap = Fraction(str(cap))
    frame_ids = result.frame.get_column("id").to_list()
    dropped_ids = result.dropped.get_column("id").to_list()
    # nothing lost, nothing duplicated; real never dropped
    assert sorted(frame_ids + dropped_ids) == sorted(
        real.get_column("id").to_list() + syn.get_column("id").to_list()
    )
    assert set(real.get_column("id").to_list()) <= set(frame_ids)
    assert set(result.dropped.get_column("_careful_gate").to_list()) <= {"ratio_cap"}
    assert result.dropped.get_column("_careful_reason").null_count() == 0
    # the cap holds in every stratum with real rows and overall, in exact arithmetic
    kept = result.frame.filter(pl.col("source") == "synthetic")
    real_n = Counter(real_labels)
    kept_n = Counter(kept.get_column("label").to_list())
    syn_n = Counter(syn_labels)
    for label in set(syn_labels):
        if real_n[label]:
            expected = min(syn_n[label], _allowed(exact_cap, real_n[label]))
            assert kept_n[label] == expected  # counts exact
        elif policy == "drop" and exact_cap != 1:
            assert kept_n[label] == 0
        elif isinstance(policy, int) and exact_cap != 1:
            assert kept_n[label] <= policy
    total_kept = sum(kept_n.values())
    assert total_kept <= min(len(syn_labels), _allowed(exact_cap, len(real_labels)))
    report = result.report
    assert report.get_column("synthetic_after").sum() == total_kept
    assert report.filter(pl.col("real_after") > 0).get_column("holds").all()
    # cluster coverage is maximal in every stratum
    if use_diversity:
        for label in set(syn_labels):
            pool = syn.filter(pl.col("label").eq_missing(label))
            got = kept.filter(pl.col("label").eq_missing(label))
            assert (got.get_column("cluster").n_unique() if got.height else 0) == min(
                got.height, pool.get_column("cluster").n_unique()
            )
    # determinism
    again = cp.mix(real, syn, cap, by="label", diversity=diversity, seed=seed, empty_real=policy)
    assert again.frame.equals(result.frame)


def test_mix_example_and_reasons(frame_kind: str) -> None:
    real = pl.DataFrame({"id": range(7), "intent": ["a"] * 7})
    syn = pl.DataFrame({"id": range(100, 110), "intent": ["a"] * 10})
    result = cp.mix(as_kind(real, frame_kind), as_kind(syn, frame_kind), 0.3, by="intent")
    assert isinstance(result.frame, type(as_kind(real, frame_kind)))
    out, dropped = collect(result.frame), collect(result.dropped)
    # floor(0.3 * 7 / 0.7) = 3 exactly (a float cap would give 2.9999 -> 2)
    assert out.filter(pl.col("source") == "synthetic").height == 3
    assert dropped.height == 7
    reason = dropped.get_column("_careful_reason")[0]
    assert "intent=a" in reason and "kept 3 of 10" in reason
    assert dropped.get_column("_careful_ref").null_count() == 7
    assert result.report.get_column("actual_ratio").to_list() == [0.3]
    assert result.actual_ratio == 0.3
    assert "MixResult(" in repr(result) and "cap=0.3" in repr(result)
    assert len(tuple(result)) == 3
    assert set(result.to_dict()) == {"frame", "dropped", "report"}


def test_mix_caps_zero_and_one_and_no_synthetic() -> None:
    real = pl.DataFrame({"id": range(4), "g": ["x", "x", "y", "y"]})
    syn = pl.DataFrame({"id": range(10, 20), "g": ["x"] * 5 + ["y"] * 4 + ["z"]})
    none = cp.mix(real, syn, 0, by="g")
    assert none.frame.height == 4 and none.dropped.height == 10
    everything = cp.mix(real, syn, 1, by="g")
    assert everything.frame.height == 14 and everything.dropped.height == 0
    empty = cp.mix(real, syn.clear(), 0.5, by="g")
    assert empty.frame.height == 4 and empty.dropped.height == 0
    assert empty.report.get_column("synthetic_before").sum() == 0
    no_real = cp.mix(real.clear(), syn, 0.5)
    assert no_real.frame.height == 0 and no_real.dropped.height == 10


def test_mix_empty_real_policies() -> None:
    real = pl.DataFrame({"id": range(6), "g": ["x"] * 6})
    syn = pl.DataFrame({"id": range(10, 30), "g": ["x"] * 2 + ["z"] * 10 + [None] * 8})
    drop = cp.mix(real, syn, 0.5, by="g", empty_real="drop")
    assert drop.frame.filter(pl.col("source") == "synthetic").height == 2
    glob = cp.mix(real, syn, 0.5, by="g", empty_real="global")
    # overall allowance 6; stratum x uses 2 -> 4 left for z (10) and null (8): 2.22+1.78 -> 2, 2
    kept = glob.frame.filter(pl.col("source") == "synthetic")
    assert kept.height == 6
    assert Counter(kept.get_column("g").to_list()) == {"x": 2, "z": 2, None: 2}
    rules = dict(zip(glob.report.get_column("g"), glob.report.get_column("rule"), strict=True))
    assert rules["z"].startswith("empty_real=global")
    one = cp.mix(real, syn, 0.5, by="g", empty_real=1)
    assert Counter(one.frame.filter(pl.col("source") == "synthetic").get_column("g")) == {
        "x": 2,
        "z": 1,
        None: 1,
    }
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.mix(real, syn, 0.5, by="g", empty_real="keep")


def test_mix_overall_only_and_no_strata() -> None:
    real = pl.DataFrame({"id": range(10), "g": ["x"] * 10})
    syn = pl.DataFrame({"id": range(100, 130), "g": ["x"] * 10 + ["y"] * 20})
    overall = cp.mix(real, syn, 0.5, by="g", per_stratum=False)
    assert overall.frame.filter(pl.col("source") == "synthetic").height == 10
    assert set(overall.report.get_column("rule")) == {"overall cap"}
    single = cp.mix(real, syn, 0.5)
    assert single.report.height == 1 and single.report.get_column("synthetic_after")[0] == 10


def test_mix_keeps_an_existing_source_column_and_stacks_diagonally() -> None:
    real = pl.DataFrame({"id": [1, 2], "source": ["real", "real"], "only_real": [1, 1]})
    syn = pl.DataFrame({"id": [3, 4], "source": ["generated", "generated"]})
    result = cp.mix(real, syn, 0.5)
    assert result.frame.get_column("source").to_list() == ["real", "real", "generated", "generated"]
    assert result.frame.get_column("only_real").to_list() == [1, 1, None, None]


def test_mix_diversity_round_robin_strata_of_one_and_null_buckets() -> None:
    real = pl.DataFrame({"id": range(3), "g": ["a", "b", "c"]})
    syn = pl.DataFrame(
        {
            "id": range(100, 112),
            "g": ["a"] * 10 + ["b", "c"],
            "cluster": [1, 1, 1, 1, 1, 2, 2, 3, None, None, 4, 5],
        }
    )
    result = cp.mix(real, syn, 0.8, by="g", diversity="cluster", seed=5)
    kept = result.frame.filter(pl.col("source") == "synthetic")
    a = kept.filter(pl.col("g") == "a")
    assert a.height == 4  # floor(0.8 * 1 / 0.2)
    # clusters 1, 2, 3 and each null row are buckets: 5 buckets -> 4 distinct buckets kept
    buckets = [
        c if c is not None else f"null{i}" for c, i in zip(a["cluster"], a["id"], strict=True)
    ]
    assert len(set(buckets)) == 4
    assert kept.filter(pl.col("g") != "a").height == 2
    by_expr = cp.mix(real, syn, 0.8, by="g", diversity=pl.col("cluster").cast(pl.String), seed=5)
    assert by_expr.frame.height == result.frame.height
    with pytest.raises(ColumnNotFoundError):
        cp.mix(real, syn, 0.8, by="g", diversity="clusters")


@pytest.mark.parametrize("clusters", [3, 40, 400])
def test_mix_round_robin_matches_oracle(clusters: int) -> None:
    # oracle: order rows by (rank of key inside bucket, key), keep the first `allowed`
    rng = np.random.default_rng(clusters)
    syn = pl.DataFrame(
        {"id": np.arange(600), "cluster": rng.integers(0, clusters, 600).tolist()}
    ).with_columns(pl.when(pl.col("id") % 17 == 0).then(None).otherwise("cluster").alias("cluster"))
    real = pl.DataFrame({"id": np.arange(1000, 1200)})
    result = cp.mix(real, syn, 0.5, diversity="cluster", seed=21)
    allowed = 200  # floor(0.5 * 200 / 0.5)
    keyed = []
    per_bucket: dict = {}
    rows = sorted(range(600), key=lambda p: oracle_key(21, p))
    for pos in rows:
        bucket = syn["cluster"][pos]
        bucket = ("null", pos) if bucket is None else bucket
        rank = per_bucket.get(bucket, 0)
        per_bucket[bucket] = rank + 1
        keyed.append((rank, oracle_key(21, pos), pos))
    expected = {pos for _, _, pos in sorted(keyed)[:allowed]}
    got = set(result.frame.filter(pl.col("source") == "synthetic")["id"].to_list())
    assert got == expected


def test_mix_logs_the_actual_ratio(caplog: pytest.LogCaptureFixture) -> None:
    real = pl.DataFrame({"id": range(7)})
    syn = pl.DataFrame({"id": range(100, 110)})
    with caplog.at_level(logging.INFO, logger="careful_polars.sampling"):
        cp.mix(real, syn, 0.3)
    assert "actual synthetic ratio 0.300000" in caplog.text


@pytest.mark.parametrize("cap", [-0.1, 1.5, "0.3", True])
def test_mix_bad_caps(cap: object) -> None:
    df = pl.DataFrame({"id": [1]})
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.mix(df, df, cap)  # type: ignore[arg-type]


def test_mix_namespace_and_fraction_cap() -> None:
    real = pl.DataFrame({"id": range(2)})
    syn = pl.DataFrame({"id": range(10, 20)})
    result = real.careful.mix(syn, Fraction(1, 3))
    assert result.frame.height == 3  # floor(2 * (1/3) / (2/3)) = 1


# --------------------------------------------------------------------------------------------
# ratio_report
# --------------------------------------------------------------------------------------------


def test_ratio_report_against_brute_force(frame_kind: str) -> None:
    rng = np.random.default_rng(3)
    df = pl.DataFrame(
        {
            "source": rng.choice(["real", "synthetic"], 300).tolist(),
            "g": rng.choice(["a", "b", None], 300).tolist(),
        }
    )
    rr = cp.ratio_report(as_kind(df, frame_kind), by="g", cap=0.5)
    for row in rr.report.iter_rows(named=True):
        part = df.filter(pl.col("g").eq_missing(row["g"]))
        syn = int((part["source"] == "synthetic").sum())
        real = part.height - syn
        assert (row["real"], row["synthetic"]) == (real, syn)
        assert row["holds"] == (syn * 2 <= part.height)
    syn_total = int((df["source"] == "synthetic").sum())
    assert rr.actual_ratio == syn_total / 300
    assert rr.holds == bool(rr.report["holds"].all() and syn_total * 2 <= 300)
    assert cp.ratio_report(df).holds is None
    assert df.careful.ratio_report(by="g", cap=1).holds is True
    assert "RatioReport(" in repr(rr) and set(rr.to_dict()) >= {"report", "holds"}


def test_ratio_report_on_a_mix_holds() -> None:
    real = pl.DataFrame({"g": ["a"] * 9 + ["b"] * 3})
    syn = pl.DataFrame({"g": ["a"] * 20 + ["b"] * 20})
    result = cp.mix(real, syn, 0.25, by="g")
    rr = cp.ratio_report(result.frame, by="g", cap=0.25)
    assert rr.holds
    assert rr.report.get_column("synthetic").to_list() == [3, 1]


def test_ratio_report_rejects_unknown_sources() -> None:
    df = pl.DataFrame({"source": ["real", "human", None]})
    with pytest.raises(InvalidParameterError, match="human"):
        cp.ratio_report(df)


# --------------------------------------------------------------------------------------------
# command line and audit
# --------------------------------------------------------------------------------------------


def _mix_parser() -> argparse.ArgumentParser:
    from careful_polars.cli import mix as mix_command

    parser = argparse.ArgumentParser(prog="careful")
    mix_command.register(parser.add_subparsers(dest="command"))
    return parser


def test_cli_mix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = pl.DataFrame({"id": range(7), "intent": ["a"] * 5 + ["b"] * 2})
    syn = pl.DataFrame({"id": range(100, 120), "intent": ["a"] * 10 + ["b"] * 10})
    real.write_parquet(tmp_path / "real.parquet")
    syn.write_csv(tmp_path / "syn.csv")
    args = _mix_parser().parse_args(
        [
            "mix",
            str(tmp_path / "real.parquet"),
            str(tmp_path / "syn.csv"),
            "--max-synthetic-ratio",
            "0.3",
            "--by",
            "intent",
            "--out",
            str(tmp_path / "out.parquet"),
            "--dropped",
            str(tmp_path / "dropped.parquet"),
        ]
    )
    assert args.run(args) == 0
    out = pl.read_parquet(tmp_path / "out.parquet")
    dropped = pl.read_parquet(tmp_path / "dropped.parquet")
    assert out.height + dropped.height == 27
    assert cp.ratio_report(out, by="intent", cap=0.3).holds
    assert "synthetic share" in capsys.readouterr().out
    bad = _mix_parser().parse_args(
        ["mix", "r.parquet", "s.parquet", "--max-synthetic-ratio", "0.3", "--out", "o.parquet"]
    )
    with pytest.raises(InvalidParameterError, match="does not exist"):
        bad.run(bad)


def test_audit_ratio_section() -> None:
    from careful_polars.cli._audit_ratio import section
    from careful_polars.cli.audit import AuditContext

    real = pl.DataFrame({"text": ["r"] * 10, "intent": ["a"] * 7 + ["b"] * 3})
    candidate = pl.DataFrame({"text": ["s"] * 12, "intent": ["a"] * 2 + ["b"] * 10})
    result = section(AuditContext(candidate=candidate, real=real, text="text"))
    assert result is not None and result.key == "ratio"
    assert result.metrics["max_synthetic_share"] == pytest.approx(10 / 13)
    assert result.metrics["synthetic_share"] == pytest.approx(12 / 22)
    assert result.metrics["strata_over_ratio_cap"] == 1
    # mix at 0.3: a keeps floor(0.3*7/0.7)=3 -> 2 (all), b keeps 1 -> 9 of 12 dropped
    assert result.metrics["ratio_cap_drop_share"] == pytest.approx(9 / 12)
    json.dumps(result.data, default=str)
    assert section(AuditContext(candidate=candidate, text="text")) is None
    # a candidate that is already a mix is audited on its own source column
    mixed = cp.mix(real, candidate, 0.3, by="intent").frame
    audited = section(AuditContext(candidate=mixed, text="text"))
    assert audited is not None
    assert audited.metrics["strata_over_ratio_cap"] == 0
    assert audited.metrics["ratio_cap_drop_share"] == 0
    assert "the mix under audit" in audited.lines[0]


def test_audit_ratio_drop_count_equals_mix() -> None:
    from careful_polars.cli._audit_ratio import AUDIT_CAP, section
    from careful_polars.cli.audit import AuditContext

    data = cp.datasets.support_tickets(n_real=1_500, n_synthetic=2_500, n_eval=100, seed=3)
    result = section(AuditContext(candidate=data.synthetic, real=data.real, text="text"))
    assert result is not None
    keep = ["text", "intent"]
    mixed = cp.mix(data.real.select(keep), data.synthetic.select(keep), AUDIT_CAP, by="intent")
    share = mixed.dropped.height / data.synthetic.height
    assert result.metrics["ratio_cap_drop_share"] == pytest.approx(share)
