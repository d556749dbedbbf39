from __future__ import annotations

from collections import Counter

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars.exceptions import ColumnNotFoundError, InvalidParameterError
from tests.conftest import as_kind, collect


def _oracle_keep(rows: list[tuple], keep: str) -> list[bool]:
    """Brute force: which rows survive dedup by Python tuple equality (nulls equal)."""
    counts = Counter(rows)
    seen: set[tuple] = set()
    kept = []
    if keep == "first":
        for r in rows:
            kept.append(r not in seen)
            seen.add(r)
    elif keep == "last":
        for r in reversed(rows):
            kept.append(r not in seen)
            seen.add(r)
        kept.reverse()
    else:
        kept = [counts[r] == 1 for r in rows]
    return kept


DF = pl.DataFrame(
    {
        "text": ["a", "b", "a", None, None, "c", "b", "a"],
        "label": [1, 1, 1, 2, 2, 3, 2, 1],
        "score": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
    }
)


@pytest.mark.parametrize("keep", ["first", "last", "none"])
@pytest.mark.parametrize("subset", [["text"], ["text", "label"]])
def test_dedup_matches_brute_force(frame_kind: str, keep: str, subset: list[str]) -> None:
    rows = list(DF.select(subset).iter_rows())
    mask = _oracle_keep(rows, keep)
    out = collect(cp.dedup(as_kind(DF, frame_kind), subset, keep=keep))  # type: ignore[arg-type]
    assert out.equals(DF.filter(pl.Series(mask)))


@pytest.mark.parametrize("keep", ["first", "last", "none"])
def test_split_is_lossless_and_matches_dedup(frame_kind: str, keep: str) -> None:
    frame = as_kind(DF, frame_kind)
    split = cp.split_duplicates(frame, "text", keep=keep)  # type: ignore[arg-type]
    kept, rejected = collect(split.kept), collect(split.rejected)
    assert kept.equals(collect(cp.dedup(frame, "text", keep=keep)))  # type: ignore[arg-type]
    assert rejected.columns == [*DF.columns, "_careful_gate", "_careful_reason", "_careful_ref"]
    both = pl.concat([kept, rejected.select(DF.columns)])
    assert Counter(both.iter_rows()) == Counter(DF.iter_rows())
    assert set(rejected["_careful_gate"]) <= {"exact_duplicate"}
    # the reference is the group's example_id, which the kept member (if any) shares
    ids = dict(zip(DF["text"], DF.select(cp.content_hash("text")).to_series(), strict=True))
    assert rejected["_careful_ref"].to_list() == [ids[t] for t in rejected["text"]]


def test_mark_duplicates_columns(frame_kind: str) -> None:
    out = collect(cp.mark_duplicates(as_kind(DF, frame_kind), ["text"]))  # type: ignore[arg-type]
    assert out["example_id"].to_list() == DF.select(cp.content_hash("text")).to_series().to_list()
    # groups numbered by first appearance: a=0, b=1, null=2, c=3
    assert out["dup_group"].to_list() == [0, 1, 0, 2, 2, 3, 1, 0]
    mask = _oracle_keep(list(DF.select("text").iter_rows()), "first")
    assert out["dup_of"].is_null().to_list() == mask
    assert out.schema["dup_of"] == pl.UInt64 and out.schema["dup_group"] == pl.Int64


def test_normalize_groups_spelling_variants() -> None:
    df = pl.DataFrame({"text": ["Hello  World", "hello world", "HELLO WORLD!", "ﬁne", "fine"]})
    out = cp.mark_duplicates(df, normalize=cp.normalize_text)
    assert out["dup_group"].to_list() == [0, 0, 1, 2, 2]


def test_verify_separates_a_forced_collision() -> None:
    # simulate a hash collision: two different rows given the same example_id
    df = pl.DataFrame({"text": ["x", "y", "x"]})
    from careful_polars import hashing

    marked = hashing._marked(df.lazy(), ["text"], None, "first", verify=True)
    forced = marked.with_columns(pl.lit(7, dtype=pl.UInt64).alias("example_id"))
    key = hashing._group_key(df.schema, ["text"], None, verify=True)
    kept = forced.select(key.is_first_distinct()).collect().to_series().to_list()
    assert kept == [True, True, False]
    unverified = forced.select(pl.col("example_id").is_first_distinct()).collect().to_series()
    assert unverified.to_list() == [True, False, False]
    assert cp.dedup(df, verify=True).equals(df.head(2))


def test_default_subset_skips_marking_columns() -> None:
    marked = cp.mark_duplicates(DF, ["text"])
    again = cp.mark_duplicates(
        marked, overwrite=True
    )  # example_id/dup_* are not part of the subset
    assert again["example_id"].to_list() != marked["example_id"].to_list()
    assert again.columns == marked.columns
    expected = DF.select(cp.content_hash("text", "label", "score")).to_series().to_list()
    assert again["example_id"].to_list() == expected


def test_errors_name_column_and_fix() -> None:
    with pytest.raises(ColumnNotFoundError, match=r"'txt'.*Did you mean.*'text'"):
        cp.dedup(DF, "txt")
    with pytest.raises(KeyError):  # also the builtin
        cp.dedup(DF, "txt")
    with pytest.raises(InvalidParameterError, match=r"keep='middle'.*Hint"):
        cp.dedup(DF, keep="middle")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="DataFrame or LazyFrame"):
        cp.dedup({"a": [1]})  # type: ignore[type-var]


def test_empty_and_all_null_frames(frame_kind: str) -> None:
    empty = pl.DataFrame({"text": pl.Series([], dtype=pl.String)})
    split = cp.split_duplicates(as_kind(empty, frame_kind), "text")  # type: ignore[arg-type]
    assert collect(split.kept).height == 0 and collect(split.rejected).height == 0
    nulls = pl.DataFrame({"text": [None, None, None]}, schema={"text": pl.String})
    out = collect(cp.dedup(as_kind(nulls, frame_kind)))  # type: ignore[arg-type]
    assert out.height == 1


def test_namespace_delegates() -> None:
    assert DF.careful.dedup("text").equals(cp.dedup(DF, "text"))
    assert DF.lazy().careful.dedup("text").collect().equals(cp.dedup(DF, "text"))
    kept, rejected = DF.careful.split_duplicates("text")
    assert kept.height + rejected.height == DF.height
    assert DF.careful.mark_duplicates("text").equals(cp.mark_duplicates(DF, "text"))
    expr = DF.select(pl.col("text").careful.content_hash("label"))
    assert (
        expr.to_series().to_list()
        == DF.select(cp.content_hash("text", "label")).to_series().to_list()
    )
    series = DF["text"].careful.content_hash()
    assert series.to_list() == DF.select(cp.content_hash("text")).to_series().to_list()
    assert DF["text"].careful.normalize_text().to_list() == DF["text"].to_list()


rows_strategy = st.lists(
    st.tuples(st.sampled_from(["a", "b", "A", None, ""]), st.integers(0, 2) | st.none()),
    max_size=50,
)


@pytest.mark.hypothesis
@given(rows=rows_strategy, keep=st.sampled_from(["first", "last", "none"]))
@settings(max_examples=80, deadline=None)
def test_nothing_lost_property(rows: list[tuple[str | None, int | None]], keep: str) -> None:
    df = pl.DataFrame(rows, schema={"t": pl.String, "n": pl.Int64}, orient="row")
    kept, rejected = cp.split_duplicates(df, keep=keep)  # type: ignore[arg-type]
    assert kept.height + rejected.height == df.height
    assert Counter(kept.iter_rows()) + Counter(rejected.select("t", "n").iter_rows()) == Counter(
        df.iter_rows()
    )
    assert kept.equals(
        df.filter(pl.Series(_oracle_keep(list(df.iter_rows()), keep), dtype=pl.Boolean))
    )
