from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

import careful_polars as cp
from careful_polars.exceptions import ColumnNotFoundError, InvalidParameterError
from tests.conftest import as_kind, collect

# --- textbook oracles: direct transcriptions of the formulas, loops and all ----------------


def fleiss_oracle(rows: list[list[object]]) -> float:
    rows = [r for r in rows if all(v is not None for v in r)]
    cats = sorted({v for r in rows for v in r})
    n_raters = len(rows[0])
    big_n = len(rows)
    p_i = []
    for r in rows:
        counts = [r.count(c) for c in cats]
        p_i.append((sum(c * c for c in counts) - n_raters) / (n_raters * (n_raters - 1)))
    p_j = [sum(r.count(c) for r in rows) / (big_n * n_raters) for c in cats]
    p_bar = sum(p_i) / big_n
    p_e = sum(p * p for p in p_j)
    return (p_bar - p_e) / (1 - p_e)


def kripp_oracle(rows: list[list[object]], kind: str) -> float:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C
    values = sorted({v for r in rows for v in r if v is not None})
    o = {(c, k): 0.0 for c in values for k in values}
    for r in rows:
        rated = [v for v in r if v is not None]
        m = len(rated)
        if m < 2:
            continue
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[(rated[i], rated[j])] += 1.0 / (m - 1)
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())

    def delta(c: object, k: object) -> float:
        if kind == "nominal":
            return 0.0 if c == k else 1.0
        if kind == "interval":
            return (float(c) - float(k)) ** 2  # type: ignore[arg-type]
        lo, hi = sorted([values.index(c), values.index(k)])
        s = sum(n_c[values[g]] for g in range(lo, hi + 1)) - (n_c[c] + n_c[k]) / 2
        return s * s

    d_o = sum(o[(c, k)] * delta(c, k) for c in values for k in values) / n
    d_e = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values) / (n * (n - 1))
    return 1 - d_o / d_e


# Krippendorff (2011) worked example: 4 coders, 12 units, values 1-5, missing as None
KRIPP_EXAMPLE = [
    [1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1],
    [None, None, 3, None],
]  # fmt: skip


def frame_of(rows: list[list[object]], names: list[str] | None = None) -> pl.DataFrame:
    names = names or [f"j{i}" for i in range(len(rows[0]))]
    return pl.DataFrame({n: [r[i] for r in rows] for i, n in enumerate(names)})


def stat(report: pl.DataFrame, name: str, a: str | None = None, b: str | None = None) -> float:
    sel = report.filter(pl.col("statistic") == name)
    if a is not None:
        sel = sel.filter((pl.col("judge_a") == a) & (pl.col("judge_b") == b))
    return float(sel["value"].item())


def test_krippendorff_published_values(frame_kind: str) -> None:
    df = as_kind(frame_of(KRIPP_EXAMPLE), frame_kind)
    judges = ["j0", "j1", "j2", "j3"]
    # published: nominal 0.743, interval 0.849 (Krippendorff 2011)
    assert stat(cp.judge_agreement(df, judges), "krippendorff_alpha") == pytest.approx(
        0.743, abs=5e-4
    )
    interval = cp.judge_agreement(df, judges, kind="interval")
    assert stat(interval, "krippendorff_alpha") == pytest.approx(0.849, abs=5e-4)
    for kind in ("nominal", "ordinal", "interval"):
        got = stat(cp.judge_agreement(df, judges, kind=kind), "krippendorff_alpha")
        assert got == pytest.approx(kripp_oracle(KRIPP_EXAMPLE, kind), rel=1e-12)


def random_ratings(seed: int, n: int = 200, judges: int = 4, k: int = 5, missing: float = 0.1):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    rows = []
    for t in truth:
        row = []
        for _ in range(judges):
            v = int(t) if rng.random() < 0.6 else int(rng.integers(0, k))
            row.append(None if rng.random() < missing else v)
        rows.append(row)
    return rows


@pytest.mark.parametrize("kind", ["nominal", "ordinal", "interval"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_against_oracles(kind: str, seed: int, frame_kind: str) -> None:
    rows = random_ratings(seed)
    df = frame_of(rows)
    judges = df.columns
    report = cp.judge_agreement(as_kind(df, frame_kind), judges, kind=kind)
    weights = {"nominal": None, "ordinal": "linear", "interval": "quadratic"}[kind]
    for a, b in combinations(judges, 2):
        both = df.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null())
        expected = cohen_kappa_score(both[a].to_list(), both[b].to_list(), weights=weights)
        assert stat(report, "cohen_kappa", a, b) == pytest.approx(expected, rel=1e-12)
    assert stat(report, "fleiss_kappa") == pytest.approx(fleiss_oracle(rows), rel=1e-12)
    assert stat(report, "krippendorff_alpha") == pytest.approx(kripp_oracle(rows, kind), rel=1e-12)


def test_string_labels_and_fleiss_textbook() -> None:
    # Fleiss (1971)-style toy: perfect agreement gives 1, string labels work
    df = pl.DataFrame(
        {"a": ["x", "y", "z", "x"], "b": ["x", "y", "z", "x"], "c": ["x", "y", "z", "x"]}
    )
    report = cp.judge_agreement(df, ["a", "b", "c"])
    assert report["value"].to_list() == pytest.approx([1.0] * 5)
    assert math.isnan(
        stat(
            cp.judge_agreement(
                df.with_columns(a=pl.lit("x"), b=pl.lit("x"), c=pl.lit("x")), ["a", "b", "c"]
            ),
            "fleiss_kappa",
        )
    )


@pytest.mark.hypothesis
@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=3, max_size=3),
        min_size=3,
        max_size=40,
    )
)
def test_krippendorff_property(rows: list[list[int | None]]) -> None:
    df = frame_of(rows)
    pairable = sum(1 for r in rows if sum(v is not None for v in r) >= 2)
    values = {v for r in rows for v in r if v is not None}
    report = cp.judge_agreement(df, df.columns)
    got = stat(report, "krippendorff_alpha")
    if pairable == 0 or len(values) < 2:
        return
    try:
        expected = kripp_oracle(rows, "nominal")
    except ZeroDivisionError:
        assert math.isnan(got)
        return
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_agreement_errors() -> None:
    df = pl.DataFrame({"a": [1], "b": [1], "t": ["x"]})
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.judge_agreement(df, ["a"])
    with pytest.raises(ColumnNotFoundError, match="Hint"):
        cp.judge_agreement(df, ["a", "zz"])
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.judge_agreement(df, ["a", "b"], kind="ratio")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="interval"):
        cp.judge_agreement(df.with_columns(b=pl.lit("y")), ["t", "b"], kind="interval")


RULE_CASES = [
    ("unanimous", [False, True, True, False]),
    ("majority", [False, False, True, False]),
    ("range", [False, False, True, False]),
]


@pytest.mark.parametrize(("rule", "expected"), RULE_CASES)
def test_mark_disagreement(rule: str, expected: list[bool], frame_kind: str) -> None:
    df = pl.DataFrame({"a": [1, 1, 1, 2], "b": [1, 1, 3, None], "c": [1, 2, 2, None]})
    out = collect(
        cp.mark_disagreement(as_kind(df, frame_kind), ["a", "b", "c"], rule=rule, tolerance=1)
    )  # type: ignore[arg-type]
    assert out["_careful_disagree"].to_list() == expected
    assert out.drop("_careful_disagree").equals(df)


def test_mark_disagreement_custom_expr() -> None:
    df = pl.DataFrame({"a": [0.1, 0.9], "b": [0.2, 0.1]})
    out = cp.mark_disagreement(df, ["a", "b"], rule=(pl.col("a") - pl.col("b")).abs() > 0.5)
    assert out["_careful_disagree"].to_list() == [False, True]


def test_calibration_sample(frame_kind: str) -> None:
    df = pl.DataFrame(
        {"id": range(1000), "label": ["a"] * 700 + ["b"] * 250 + ["c"] * 50}
    ).with_columns(_careful_disagree=pl.col("id") % 10 == 0)
    sample = collect(cp.calibration_sample(as_kind(df, frame_kind), 100, seed=7, by="label"))
    assert sample.height == 100
    assert not sample["_careful_disagree"].any()
    counts = dict(sample.group_by("label").len().iter_rows())
    # brute-force allocation: proportional to eligible rows (630, 225, 45) of 900
    assert counts == {"a": 70, "b": 25, "c": 5}
    again = collect(cp.calibration_sample(as_kind(df, frame_kind), 100, seed=7, by="label"))
    assert sample.equals(again)
    other = collect(cp.calibration_sample(as_kind(df, frame_kind), 100, seed=8, by="label"))
    assert not sample.equals(other)
    assert sample["id"].is_sorted()
    tiny = cp.calibration_sample(df, 2, seed=0, by="label", decided=pl.lit(True))
    assert tiny.height == 2
    everything = cp.calibration_sample(df, 10_000, seed=0, decided=pl.lit(True))
    assert everything.equals(df)
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.calibration_sample(df, -1)


def test_namespace_methods(frame_kind: str) -> None:
    df = frame_of(random_ratings(5, n=50, judges=3))
    frame = as_kind(df, frame_kind)
    assert frame.careful.judge_agreement(df.columns).equals(cp.judge_agreement(df, df.columns))
    marked = collect(frame.careful.mark_disagreement(df.columns, rule="majority"))
    assert marked.equals(collect(cp.mark_disagreement(df, df.columns, rule="majority")))
    sample = collect(frame.careful.calibration_sample(5, seed=3))
    assert sample.equals(collect(cp.calibration_sample(df, 5, seed=3)))
