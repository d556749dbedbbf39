from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

import careful_polars as cp
from careful_polars.exceptions import (
    ColumnNotFoundError,
    DtypeNotSupportedError,
    InvalidParameterError,
)
from tests.conftest import as_kind, collect

# --- detection ------------------------------------------------------------------------------


def _tickets(n: int, seed: int, house_style: bool) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    words = np.array(["order", "refund", "late", "broken", "account", "password", "help", "card"])
    texts = [" ".join(rng.choice(words, 6)) for _ in range(n)]
    if house_style:
        texts = [f"Certainly! {t}" if i % 2 == 0 else t for i, t in enumerate(texts)]
    return pl.DataFrame(
        {
            "text": texts,
            "amount": rng.normal(50 + (15 if house_style else 0), 10, n),
            "channel": rng.choice(["email", "chat", "phone"], n),
        }
    )


def test_detection_indistinguishable_is_near_half() -> None:
    real, synth = _tickets(800, 1, False), _tickets(800, 2, False)
    res = cp.detection_auc(real, synth, features=["amount", "channel"], text="text")
    assert 0.4 < res.auc < 0.6
    assert res.detection_score > 0.8
    assert res.n_real == res.n_synthetic == 800


def test_detection_finds_fingerprints(frame_kind: str) -> None:
    real, synth = _tickets(800, 1, False), _tickets(800, 2, True)
    res = cp.detection_auc(as_kind(real, frame_kind), as_kind(synth, frame_kind), text="text")
    assert res.text_auc is not None and res.text_auc > 0.7
    assert res.tabular_auc is None
    top = res.fingerprints.row(0, named=True)
    assert (top["name"], top["points_to"], top["kind"]) == ("certainly", "synthetic", "token")
    tab = cp.detection_auc(real, synth, features=["amount", "channel"])
    assert tab.fingerprints.item(0, "name") == "amount"
    assert tab.fingerprints.item(0, "points_to") == "synthetic"
    assert tab.auc > 0.8
    assert tab.detection_score == pytest.approx(1 - (tab.auc * 2 - 1))
    assert set(tab.to_dict()) >= {"auc", "fold_aucs", "fingerprints"}


def test_detection_tabular_matches_sklearn_oracle() -> None:
    real, synth = _tickets(600, 3, False), _tickets(600, 4, True)
    res = cp.detection_auc(real, synth, features=["amount"], cv=3, seed=7)
    x = np.concatenate([real["amount"].to_numpy(), synth["amount"].to_numpy()])[:, None]
    y = np.repeat([0, 1], 600)
    oof = np.zeros(len(y))
    with threadpool_limits(1):
        oof = _oof(x, y)
    assert res.auc == pytest.approx(roc_auc_score(y, oof), abs=1e-12)


def _oof(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    oof = np.zeros(len(y))
    for train, val in StratifiedKFold(3, shuffle=True, random_state=7).split(x, y):
        model = HistGradientBoostingClassifier(
            categorical_features=np.array([False]),
            random_state=7,
            early_stopping="auto",
            max_iter=100,
        ).fit(x[train], y[train])
        oof[val] = model.predict_proba(x[val])[:, 1]
    return oof


def test_detection_balances_and_subsamples() -> None:
    real, synth = _tickets(1500, 1, False), _tickets(500, 2, True)
    res = cp.detection_auc(real, synth, features=["amount"], max_rows=600)
    assert res.n_real == res.n_synthetic == 300
    again = cp.detection_auc(real, synth, features=["amount"], max_rows=600)
    assert again.auc == res.auc  # seeded


def test_detection_errors() -> None:
    real = _tickets(100, 1, False)
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.detection_auc(real, real, features=["amount"], cv=1)
    with pytest.raises(ColumnNotFoundError, match="Hint"):
        cp.detection_auc(real, real, features=["nope"])


# --- copied rows ----------------------------------------------------------------------------


@pytest.fixture
def copies() -> tuple[pl.DataFrame, pl.DataFrame]:
    real = pl.DataFrame(
        {
            "text": ["a", "b", "c", None, "e"],
            "n": [1, 2, 3, 4, 5],
            "id": ["r1", "r2", "r3", "r4", "r5"],
        }
    )
    synth = pl.DataFrame(
        {
            "text": ["b", "x", "c", None, "b", "e"],
            "n": [2, 9, 4, 4, 2, 5],
            "id": ["s1", "s2", "s3", "s4", "s5", "s6"],
        }
    )
    return real, synth


def test_copied_from_matches_brute_force(copies, frame_kind: str) -> None:
    from careful_polars.hashing import content_hash

    real, synth = copies
    out = collect(cp.copied_from(real, as_kind(synth, frame_kind), ["text", "n"]))
    assert out.columns == [*synth.columns, "copied_from"]
    assert out.select(synth.columns).equals(synth)  # order and values kept
    real_rows = set(real.select("text", "n").rows())
    expected = [row in real_rows for row in synth.select("text", "n").rows()]
    assert out["copied_from"].is_not_null().to_list() == expected
    ids = synth.select(content_hash("text", "n").alias("h"))["h"]
    assert out["copied_from"].drop_nulls().to_list() == ids.filter(pl.Series(expected)).to_list()


def test_split_copied_is_lossless(copies, frame_kind: str) -> None:
    real, synth = copies
    kept, rejected = cp.split_copied(real, as_kind(synth, frame_kind), subset="text")
    kept, rejected = collect(kept), collect(rejected)
    assert kept.height + rejected.height == synth.height
    both = pl.concat([kept, rejected.select(synth.columns)]).sort("id")
    assert both.equals(synth.sort("id"))
    assert set(rejected["_careful_gate"]) == {"copied_from"}
    assert rejected["_careful_ref"].null_count() == 0
    assert sorted(rejected["id"]) == ["s1", "s3", "s4", "s5", "s6"]


def test_copied_from_namespace_and_errors(copies) -> None:
    real, synth = copies
    assert real.careful.copied_from(synth, "text").equals(cp.copied_from(real, synth, "text"))
    with pytest.raises(ColumnNotFoundError, match="Hint"):
        cp.copied_from(real, synth, "nope")


# --- distance to closest record -------------------------------------------------------------


def test_dcr_matches_brute_force(frame_kind: str) -> None:
    rng = np.random.default_rng(0)
    real = pl.DataFrame({"a": rng.normal(size=500), "b": rng.normal(5, 3, size=500)})
    synth = pl.DataFrame({"a": rng.normal(size=200), "b": rng.normal(5, 3, size=200)})
    synth = pl.concat([synth, real.head(20)])  # copies sit at distance 0
    res = cp.distance_to_closest_record(
        as_kind(real, frame_kind), as_kind(synth, frame_kind), ["a", "b"]
    )
    r = real.to_numpy()
    mu, sd = r.mean(axis=0), r.std(axis=0)
    d = cdist((synth.to_numpy() - mu) / sd, (r - mu) / sd)
    np.testing.assert_allclose(res.frame["_careful_dcr"].to_numpy(), d.min(axis=1), rtol=1e-12)
    assert res.frame["_careful_dcr_row"].to_list() == d.argmin(axis=1).tolist()
    rr = cdist((r - mu) / sd, (r - mu) / sd)
    np.fill_diagonal(rr, np.inf)
    baseline = np.median(rr.min(axis=1))
    assert res.median_real_distance == pytest.approx(baseline, rel=1e-12)
    assert res.share_closer == pytest.approx((d.min(axis=1) < baseline).mean())


def test_dcr_missing_values_and_errors() -> None:
    real = pl.DataFrame({"a": [0.0, 1.0, None, 3.0], "s": ["x"] * 4})
    synth = pl.DataFrame({"a": [0.5, None, float("nan")], "s": ["y"] * 3})
    res = cp.distance_to_closest_record(real, synth, "a", scale=None)
    assert res.frame["_careful_dcr"].to_list() == [0.5, None, None]
    assert res.n_real == 3
    with pytest.raises(DtypeNotSupportedError, match="Hint"):
        cp.distance_to_closest_record(real, synth, "s")
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.distance_to_closest_record(real, synth, [])


@pytest.mark.hypothesis
@settings(max_examples=40, deadline=None)
@given(
    real=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=0, max_size=8),
    synth=st.lists(st.sampled_from(["a", "b", "d", None]), min_size=0, max_size=12),
)
def test_split_copied_never_loses_rows(real: list, synth: list) -> None:
    r = pl.DataFrame({"t": real}, schema={"t": pl.String})
    s = pl.DataFrame(
        {"t": synth, "i": list(range(len(synth)))}, schema={"t": pl.String, "i": pl.Int64}
    )
    kept, rejected = cp.split_copied(r, s, "t")
    assert kept.height + rejected.height == s.height
    assert sorted(kept["i"].to_list() + rejected["i"].to_list()) == list(range(len(synth)))
    assert set(rejected["t"].to_list()) <= set(real)
    assert not (set(kept["t"].to_list()) & set(real))
