from __future__ import annotations

import math
import warnings

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial.distance import jensenshannon

import careful_polars as cp
from careful_polars.exceptions import (
    ColumnNotFoundError,
    DtypeNotSupportedError,
    InvalidParameterError,
)
from tests.conftest import as_kind

# --- Kolmogorov-Smirnov against scipy -------------------------------------------------------


def _samples(seed: int, n1: int, n2: int, decimals: int | None, shift: float = 0.2):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=n1), rng.normal(shift, size=n2)
    if decimals is not None:  # ties within and across samples
        a, b = a.round(decimals), b.round(decimals)
    return a, b


KS_CASES = [
    (1, 1, None),
    (1, 7, None),
    (5, 5, 0),
    (13, 29, 1),
    (100, 100, 1),
    (250, 173, None),
    (600, 400, 2),
    (2000, 1999, None),
    (3000, 7000, 1),
    (10_000, 10_000, None),
    (10_000, 9_999, 2),
    (10_001, 5_000, None),
    (40_000, 35_000, 3),
]


@pytest.mark.parametrize(("n1", "n2", "decimals"), KS_CASES)
@pytest.mark.parametrize("method", ["auto", "exact", "asymp"])
def test_ks_two_sided_matches_scipy(n1: int, n2: int, decimals: int | None, method: str) -> None:
    if method == "exact" and max(n1, n2) > 10_000:
        pytest.skip("scipy's exact path at this size is slow; auto covers the switch")
    a, b = _samples(n1 * 7 + n2, n1, n2, decimals)
    ours = cp.ks_2samp(a, b, method=method)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy warns for n = m = 1 asymp
        ref = stats.ks_2samp(a, b, method=method)
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9, rel=1e-9, nan_ok=True)
    expected = "exact" if (method != "asymp" and max(n1, n2) <= 10_000) else "asymp"
    if method != "exact":
        assert ours.method == expected


@pytest.mark.parametrize(("n1", "n2", "decimals"), KS_CASES[:9])
@pytest.mark.parametrize("alternative", ["less", "greater"])
def test_ks_one_sided_matches_scipy(
    n1: int, n2: int, decimals: int | None, alternative: str
) -> None:
    a, b = _samples(n1 + 3 * n2, n1, n2, decimals, shift=0.05)
    for method in ("auto", "asymp"):
        ours = cp.ks_2samp(a, b, alternative=alternative, method=method)  # type: ignore[arg-type]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ref = stats.ks_2samp(a, b, alternative=alternative, method=method)
        assert ours.statistic == ref.statistic
        assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9, rel=1e-9)


@pytest.mark.hypothesis
@settings(max_examples=150, deadline=None)
@given(
    a=st.lists(st.integers(-20, 20), min_size=1, max_size=60),
    b=st.lists(st.integers(-20, 20), min_size=1, max_size=60),
)
def test_ks_and_wasserstein_property(a: list[int], b: list[int]) -> None:
    x, y = np.asarray(a, float), np.asarray(b, float)
    ours = cp.ks_2samp(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy's exact->asymp fallback notice
        ref = stats.ks_2samp(x, y)
    assert ours.statistic == ref.statistic
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    w = stats.wasserstein_distance(x, y)
    assert cp.wasserstein(x, y) == pytest.approx(w, rel=1e-9, abs=1e-12)


def test_ks_exact_falls_back_like_scipy_for_huge_lcm() -> None:
    a, b = _samples(3, 60_000, 59_999, None)
    ours = cp.ks_2samp(a, b, method="exact")
    with pytest.warns(RuntimeWarning):
        ref = stats.ks_2samp(a, b, method="exact")
    assert ours.method == "asymp"
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)


def test_ks_drops_missing_and_non_finite() -> None:
    a = pl.Series([1.0, None, float("nan"), 2.0, float("inf"), 3.5, -float("inf")])
    b = pl.Series([0.5, 2.5, None, 4.0])
    ours = cp.ks_2samp(a, b)
    ref = stats.ks_2samp([1.0, 2.0, 3.5], [0.5, 2.5, 4.0])
    assert (ours.statistic, ours.n_reference, ours.n_current) == (ref.statistic, 3, 3)
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-12)


def test_ks_on_dates_and_ints() -> None:
    a = pl.Series([1, 5, 9, 12, 30], dtype=pl.Int32).cast(pl.Date)
    b = pl.Series([2, 3, 4, 40], dtype=pl.Int32).cast(pl.Date)
    ref = stats.ks_2samp([1, 5, 9, 12, 30], [2, 3, 4, 40])
    assert cp.ks_2samp(a, b).p_value == pytest.approx(ref.pvalue, abs=1e-12)


# --- Wasserstein, PSI, JS, TVD, chi-square --------------------------------------------------


@pytest.mark.parametrize(
    ("n1", "n2", "decimals"), [(10, 3, None), (5000, 7000, 1), (200_000, 150_000, None)]
)
def test_wasserstein_matches_scipy(n1: int, n2: int, decimals: int | None) -> None:
    a, b = _samples(n1, n1, n2, decimals, shift=0.3)
    ref = stats.wasserstein_distance(a, b)
    assert cp.wasserstein(a, b) == pytest.approx(ref, rel=1e-9)
    assert cp.wasserstein(a, b, standardize=True) == pytest.approx(ref / np.std(a), rel=1e-9)


def _psi_oracle(ref: np.ndarray, cur: np.ndarray, n_bins: int) -> tuple[float, int]:
    k = np.arange(1, n_bins)
    qs = np.sort(ref)[-(-k * len(ref) // n_bins) - 1]  # the k/n_bins quantile, exact integers
    edges = np.unique(qs)
    edges = edges[edges < ref.max()]
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    p = np.maximum(r / r.sum(), 1e-4)
    q = np.maximum(c / c.sum(), 1e-4)
    return float(np.sum((q - p) * np.log(q / p))), len(edges) + 1


@pytest.mark.parametrize("n_bins", [2, 10, 20, 50])
def test_psi_matches_oracle_and_honours_bins(n_bins: int) -> None:
    a, b = _samples(n_bins, 20_000, 15_000, None, shift=0.1)
    expected, bins = _psi_oracle(a, b, n_bins)
    assert bins == n_bins
    assert cp.psi(a, b, n_bins=n_bins) == pytest.approx(expected, rel=1e-12)
    report = cp.drift_report(
        pl.DataFrame({"x": a}), pl.DataFrame({"x": b}), methods="psi", n_bins=n_bins
    ).frame
    assert report.item(0, "note") == f"{n_bins} bins"


def test_psi_with_ties_keeps_runs_together() -> None:
    a = np.repeat([1.0, 2.0, 3.0, 4.0], [70, 10, 10, 10])
    b = np.repeat([1.0, 2.0, 3.0, 4.0], [40, 30, 20, 10])
    expected, _ = _psi_oracle(a, b, 10)
    assert cp.psi(a, b) == pytest.approx(expected, rel=1e-12)


def test_jensen_shannon_and_tvd_match_scipy() -> None:
    rng = np.random.default_rng(5)
    a = rng.choice(list("abcde"), 3000, p=[0.4, 0.3, 0.2, 0.05, 0.05])
    b = rng.choice(list("abcdf"), 2000, p=[0.2, 0.3, 0.3, 0.1, 0.1])
    cats = sorted(set(a) | set(b))
    p = np.array([(a == c).mean() for c in cats])
    q = np.array([(b == c).mean() for c in cats])
    assert cp.jensen_shannon(a.tolist(), b.tolist()) == pytest.approx(
        jensenshannon(p, q, base=2), rel=1e-12
    )
    assert cp.total_variation(a.tolist(), b.tolist()) == pytest.approx(
        0.5 * np.abs(p - q).sum(), rel=1e-12
    )


def test_jensen_shannon_on_binned_numeric() -> None:
    a, b = _samples(9, 5000, 4000, None, shift=0.5)
    edges = np.quantile(a, np.arange(1, 10) / 10, method="inverted_cdf")
    p = np.bincount(np.searchsorted(edges, a), minlength=10) / len(a)
    q = np.bincount(np.searchsorted(edges, b), minlength=10) / len(b)
    assert cp.jensen_shannon(a, b) == pytest.approx(jensenshannon(p, q, base=2), rel=1e-12)


def test_chi_square_matches_scipy_with_pooling() -> None:
    ref = ["a"] * 400 + ["b"] * 300 + ["c"] * 3 + ["d"] * 2
    cur = ["a"] * 300 + ["b"] * 350 + ["c"] * 1 + ["e"] * 4
    res = cp.chi_square(ref, cur)
    table = np.array([[400, 300, 3 + 2 + 0], [300, 350, 1 + 0 + 4]])
    expected = stats.chi2_contingency(table, correction=False)
    assert res.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert res.dof == 2
    assert sorted(res.pooled) == ["c", "d", "e"]
    assert res.unseen == ["e"]
    assert res.effect_size == pytest.approx(math.sqrt(expected.statistic / 1360), rel=1e-12)


def test_chi_square_without_rare_categories() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.choice(["x", "y", "z"], 1000), rng.choice(["x", "y", "z"], 800)
    table = np.array([[(a == c).sum() for c in "xyz"], [(b == c).sum() for c in "xyz"]])
    expected = stats.chi2_contingency(table, correction=False)
    res = cp.chi_square(a.tolist(), b.tolist())
    assert res.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert res.pooled == []


# --- the report -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair() -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(11)
    n = 4000
    ref = pl.DataFrame(
        {
            "x": rng.normal(size=n),
            "y": rng.exponential(size=n),
            "level": rng.integers(1, 5, n).astype(np.int8),
            "g": rng.choice(["a", "b", "c"], n),
            "seg": rng.choice(["s1", "s2"], n),
        }
    )
    cur = pl.DataFrame(
        {
            "x": rng.normal(0.4, size=n),
            "y": rng.exponential(size=n),
            "level": rng.integers(1, 5, n).astype(np.int8),
            "g": rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1]),
            "seg": rng.choice(["s1", "s2"], n),
        }
    ).with_columns(pl.when(pl.col("y") > 3).then(None).otherwise(pl.col("y")).alias("y"))
    return ref, cur


def test_report_values_match_scipy(pair, frame_kind: str) -> None:
    ref, cur = pair
    report = cp.drift_report(
        as_kind(ref, frame_kind), as_kind(cur, frame_kind), columns=["x", "y", "g", "level"]
    )
    frame = report.frame
    assert frame.get_column("column").to_list() == ["x", "y", "g", "level"]
    assert frame.get_column("method").to_list() == ["ks", "ks", "chi2", "chi2"]
    x = frame.row(0, named=True)
    expected = stats.ks_2samp(ref["x"].to_numpy(), cur["x"].to_numpy())
    assert x["statistic"] == expected.statistic
    assert x["p_value"] == pytest.approx(expected.pvalue, abs=1e-9)
    w = stats.wasserstein_distance(ref["x"].to_numpy(), cur["x"].to_numpy())
    assert x["effect_size"] == pytest.approx(w / ref["x"].to_numpy().std(), rel=1e-9)
    assert x["drifted"] is True
    y = frame.row(1, named=True)
    assert y["null_rate_current"] == pytest.approx(cur["y"].null_count() / cur.height)
    assert y["n_current"] == cur.height
    ref_y = ref["y"].to_numpy()
    cur_y = cur["y"].drop_nulls().to_numpy()
    assert y["p_value"] == pytest.approx(stats.ks_2samp(ref_y, cur_y).pvalue, abs=1e-9)
    assert report.drifted_columns == ["x", "y", "g"]
    assert 0 < report.drifted_share < 1
    assert set(report.to_dict()) >= {"columns", "drifted_share", "categories"}


def test_report_by_stratum_equals_filtered_runs(pair, frame_kind: str) -> None:
    ref, cur = pair
    report = cp.drift_report(
        as_kind(ref, frame_kind), as_kind(cur, frame_kind), columns=["x", "g"], by="seg"
    ).frame
    assert report.columns[:2] == ["column", "seg"]
    for seg in ("s1", "s2"):
        alone = cp.drift_report(
            ref.filter(pl.col("seg") == seg), cur.filter(pl.col("seg") == seg), columns=["x", "g"]
        ).frame
        part = report.filter(pl.col("seg") == seg).drop("seg")
        assert part.equals(alone)


def test_correction_benjamini_hochberg(pair) -> None:
    ref, cur = pair
    report = cp.drift_report(ref, cur, by="seg", correction="bh").frame
    p = report.get_column("p_value").to_numpy()
    expected = stats.false_discovery_control(p, method="bh")
    np.testing.assert_allclose(
        report.get_column("p_value_adjusted").to_numpy(), expected, rtol=1e-12
    )
    bonf = cp.drift_report(ref, cur, by="seg", correction="bonferroni").frame
    np.testing.assert_allclose(
        bonf.get_column("p_value_adjusted").to_numpy(), np.minimum(p * len(p), 1), rtol=1e-12
    )


def test_large_n_trivial_shift_is_not_drift() -> None:
    rng = np.random.default_rng(4)
    ref = pl.DataFrame({"x": rng.normal(size=300_000)})
    cur = pl.DataFrame({"x": rng.normal(0.03, size=300_000)})
    row = cp.drift_report(ref, cur).frame.row(0, named=True)
    assert row["p_value"] < 1e-6  # significant ...
    assert row["effect_size"] < 0.05  # ... but tiny
    assert row["drifted"] is False
    strict = cp.drift_report(ref, cur, thresholds={"ks": 0.01}).frame.row(0, named=True)
    assert strict["drifted"] is True and strict["threshold"] == 0.01
    per_column = cp.drift_report(ref, cur, thresholds={"x": 0.0, "alpha": 1e-300}).frame
    assert per_column.item(0, "drifted") is False


def test_lazy_reads_only_needed_columns(pair) -> None:
    ref, cur = pair

    def boom(s: pl.Series) -> pl.Series:
        raise AssertionError("column should not be read")

    lazy_ref = ref.lazy().with_columns(
        pl.col("x").map_batches(boom, return_dtype=pl.Float64).alias("poison")
    )
    lazy_cur = cur.lazy().with_columns(
        pl.col("x").map_batches(boom, return_dtype=pl.Float64).alias("poison")
    )
    report = cp.drift_report(lazy_ref, lazy_cur, columns=["x", "g"])
    assert report.frame.height == 2


def test_profile_round_trip_gives_same_report(pair, tmp_path) -> None:
    ref, cur = pair
    prof = cp.profile(ref.lazy(), columns=["x", "y", "g"], by="seg")
    path = tmp_path / "ref.profile.parquet"
    prof.save(path)
    loaded = cp.Profile.load(path)
    assert loaded.to_dict() == prof.to_dict()
    direct = cp.drift_report(ref, cur, columns=["x", "y", "g"], by="seg").frame
    assert cp.drift_report(loaded, cur, by="seg").frame.equals(direct)
    assert cp.drift_report(prof, cur.lazy(), by="seg").frame.equals(direct)


def test_profile_sketch_is_close() -> None:
    a, b = _samples(1, 200_000, 100_000, None, shift=0.05)
    ref, cur = pl.DataFrame({"x": a}), pl.DataFrame({"x": b})
    exact = cp.drift_report(ref, cur).frame.item(0, "statistic")
    sketch = cp.profile(ref, sketch_size=10_000)
    assert not sketch.exact
    approx = cp.drift_report(sketch, cur).frame.item(0, "statistic")
    assert abs(approx - exact) <= 1.5e-4


def test_auto_kinds_and_skip() -> None:
    n = 200
    ref = pl.DataFrame(
        {
            "id": [f"R{i}" for i in range(n)],
            "text": [f"this is a longer ticket text number {i}" for i in range(n)],
            "flag": [i % 2 == 0 for i in range(n)],
            "level": [i % 4 for i in range(n)],
            "amount": [float(i) for i in range(n)],
        }
    )
    report = cp.drift_report(ref, ref).frame
    kinds = dict(zip(report["column"], report["kind"], strict=False))
    assert kinds == {
        "id": "identifier",
        "text": "text",
        "flag": "categorical",
        "level": "categorical",
        "amount": "numeric",
    }
    assert report.filter(pl.col("column") == "id").item(0, "drifted") is None


def test_categories_table_shows_over_represented(pair) -> None:
    ref, cur = pair
    cats = cp.drift_report(ref, cur, columns="g").categories
    top = cats.sort("ratio", descending=True).row(0, named=True)
    assert top["value"] == "a"
    assert top["ref_count"] == (ref["g"] == "a").sum()
    assert top["cur_share"] == pytest.approx((cur["g"] == "a").mean())


def test_namespace_and_errors(pair) -> None:
    ref, cur = pair
    assert ref.careful.drift_report(cur, columns="x").frame.equals(
        cp.drift_report(ref, cur, columns="x").frame
    )
    assert ref.lazy().careful.profile(columns="x").columns == ["x"]
    with pytest.raises(ColumnNotFoundError, match="Hint"):
        cp.drift_report(ref, cur, columns=["xx"])
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(ref, cur, methods="nope")
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(ref, cur, n_bins=1)
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(ref, cur, correction="holm")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(ref, cur, columns="seg", by="seg")
    with pytest.raises(DtypeNotSupportedError, match="Hint"):
        cp.drift_report(ref, cur, columns="g", methods="ks")
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(ref, cur, thresholds={"ks": -1})


# --- text -----------------------------------------------------------------------------------


def test_text_drift_measures_against_brute_force() -> None:
    ref_texts = ["My order is late", "refund please", "where is my order", "order 66 please"]
    cur_texts = ["Certainly! Your order is here", "I hope this helps", "Certainly, refund"]
    td = cp.text_drift(pl.DataFrame({"t": ref_texts}), pl.DataFrame({"t": cur_texts}), "t")
    m = dict(zip(td.metrics["metric"], td.metrics["current"], strict=False))
    import re

    def toks(s: str) -> list[str]:
        return re.findall(r"[\w']+", s.lower())

    ref_vocab = {t for s in ref_texts for t in toks(s)}
    cur_tokens = [t for s in cur_texts for t in toks(s)]
    assert m["oov_rate"] == pytest.approx(
        sum(t not in ref_vocab for t in cur_tokens) / len(cur_tokens)
    )
    assert m["distinct_1"] == pytest.approx(len(set(cur_tokens)) / len(cur_tokens))
    bigrams = [b for s in cur_texts for b in zip(toks(s), toks(s)[1:], strict=False)]
    assert m["distinct_2"] == pytest.approx(len(set(bigrams)) / len(bigrams))
    assert m["ttr"] == pytest.approx(np.mean([len(set(toks(s))) / len(toks(s)) for s in cur_texts]))
    assert m["char_length_mean"] == pytest.approx(np.mean([len(s) for s in cur_texts]))
    over = td.tokens.filter(pl.col("direction") == "over")["token"].to_list()
    assert over[0] == "certainly"
    assert "please" in td.tokens.filter(pl.col("direction") == "under")["token"].to_list()


def test_text_column_in_report() -> None:
    ref = pl.DataFrame({"t": [f"please help with my order number {i}" for i in range(300)]})
    cur = pl.DataFrame(
        {"t": [f"Certainly! I am delighted to help with order {i}." for i in range(300)]}
    )
    report = cp.drift_report(ref, cur)
    features = report.frame["feature"].to_list()
    assert features == ["char_length", "word_count", "oov_rate", "distinct_1", "distinct_2", "ttr"]
    char = report.frame.row(0, named=True)
    lengths = stats.ks_2samp(
        ref["t"].str.len_chars().to_numpy(), cur["t"].str.len_chars().to_numpy()
    )
    assert char["p_value"] == pytest.approx(lengths.pvalue, abs=1e-9)
    assert report.frame.filter(pl.col("feature") == "oov_rate")["drifted"].item() is True
    assert "certainly" in report.tokens["token"].to_list()


@pytest.mark.parametrize(
    "n", [141, 5_000, 200_000, pytest.param(1_000_000, marks=pytest.mark.slow)]
)
def test_kstwo_tail_kernel_matches_scipy(n: int) -> None:
    from careful_polars._stats import kstwo_sf

    for q in (0.5, 2.2, 7.0, 120.0, 369.0, 400.0):
        d = math.sqrt(q / n)
        assert kstwo_sf(d, float(n)) == pytest.approx(stats.kstwo.sf(d, n), abs=1e-9)


def test_profile_needs_same_strata_and_kinds(pair) -> None:
    ref, cur = pair
    prof = cp.profile(ref, columns=["x", "g"])
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(prof, cur, by="seg")
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(prof, cur, columns=["y"])
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.drift_report(prof, cur, methods={"g": "ks"})
    psi_rows = cp.drift_report(prof, cur, methods={"x": "psi"}).frame
    assert psi_rows.get_column("method").to_list() == ["psi", "chi2"]


def test_missing_stratum_is_reported(pair) -> None:
    ref, cur = pair
    cur2 = cur.with_columns(
        pl.when(pl.col("seg") == "s2").then(pl.lit("s3")).otherwise("seg").alias("seg")
    )
    report = cp.drift_report(ref, cur2, columns="x", by="seg").frame
    assert report.get_column("seg").to_list() == ["s1", "s2", "s3"]
    notes = report.get_column("note").to_list()
    assert "absent from the current" in notes[1] and "absent from the reference" in notes[2]
    assert report.get_column("drifted").to_list()[1:] == [None, None]


def test_text_drift_lazy_equals_eager(frame_kind: str) -> None:
    ref = pl.DataFrame({"t": ["my order is late", None, "refund please"]})
    cur = pl.DataFrame({"t": ["Certainly! your order", "I hope this helps"]})
    td = cp.text_drift(as_kind(ref, frame_kind), as_kind(cur, frame_kind), "t")
    eager = cp.text_drift(ref, cur, "t")
    assert td.metrics.equals(eager.metrics) and td.tokens.equals(eager.tokens)
    assert ref.careful.text_drift(cur, "t").metrics.equals(eager.metrics)


@pytest.mark.parametrize("name", ["n", "value", "len"])
def test_categorical_column_named_like_an_internal_count(name: str) -> None:
    """A column called ``n`` (the name of the internal count) is compared like any other."""
    from scipy import stats

    ref = pl.DataFrame({name: ["a"] * 50 + ["b"] * 50})
    cur = pl.DataFrame({name: ["a"] * 70 + ["b"] * 30})
    expected = stats.chi2_contingency([[50, 50], [70, 30]], correction=False)
    for against in (ref, cp.profile(ref)):
        row = cp.drift_report(against, cur).frame.row(0, named=True)
        assert row["column"] == name
        assert row["statistic"] == pytest.approx(expected.statistic, rel=1e-12)
        assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
