from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import careful_polars as cp
from careful_polars.exceptions import IndexMismatchError
from careful_polars.neardup import SCHEME_VERSION
from tests import _neardup_ref as ref


def _data():
    docs = ref.corpus(n_base=80, n_var=0, seed=21)
    accepted = pl.DataFrame({"id": list(range(len(docs))), "text": docs})
    new = []
    for i in range(10):
        w = docs[i].split()
        w[i] = "edited"
        new.append(" ".join(w))
    new += ["a brand new document with its own words entirely"] * 2 + [None]
    batch = pl.DataFrame({"id": list(range(1000, 1000 + len(new))), "text": new})
    return accepted, batch


@pytest.mark.parametrize("verify", ["jaccard", "signature", "none"])
def test_query_matches_bruteforce(tmp_path, verify):
    accepted, batch = _data()
    # LSH recall is probabilistic: the assertion below is checked for this permutation seed
    index = cp.MinHashIndex(tmp_path / "ix", verify=verify, seed=42)
    assert index.add(accepted.head(40), "id", source="a") == 40
    assert index.add(accepted.slice(40), "id", source="b") == 40
    assert len(index) == 80
    got = index.query(batch, "id")
    assert got.columns == ["query_id", "matched_id", "source", "similarity"]
    truth = {}
    for q, qt in zip(batch["id"], batch["text"], strict=True):
        for m, mt in zip(accepted["id"], accepted["text"], strict=True):
            if qt is None:
                continue
            j = ref.jaccard(ref.shingles(qt, 5), ref.shingles(mt, 5))
            if j >= 0.8:
                truth[(q, m)] = j
    pairs = set(zip(got["query_id"], got["matched_id"], strict=True))
    if verify == "jaccard":
        assert pairs == set(truth)
        for q, m, s in got.select("query_id", "matched_id", "similarity").iter_rows():
            assert s == pytest.approx(truth[(q, m)])
    else:
        assert {p for p, j in truth.items() if j >= 0.85} <= pairs
    assert set(got["source"]) <= {"a", "b"}


def test_reopen_in_new_process_and_dedup_against(tmp_path):
    accepted, batch = _data()
    path = tmp_path / "ix"
    cp.MinHashIndex(path).add(accepted, "id", source="week1")
    accepted.write_parquet(tmp_path / "acc.parquet")
    batch.write_parquet(tmp_path / "batch.parquet")
    code = (
        "import polars as pl, careful_polars as cp\n"
        f"ix = cp.MinHashIndex({str(path)!r})\n"
        f"b = pl.read_parquet({str(tmp_path / 'batch.parquet')!r})\n"
        "print(ix.query(b, 'id').height, len(ix))\n"
    )
    src = str(Path(cp.__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src, "PATH": ""},
    ).stdout.split()
    index = cp.MinHashIndex(path)
    assert int(out[0]) == index.query(batch, "id").height > 0
    assert int(out[1]) == 80
    kept, rejected = index.dedup_against(batch, "id", add_kept=True, source="week2")
    assert kept.height + rejected.height == batch.height
    assert set(rejected["_careful_gate"]) == {"near_duplicate"}
    assert rejected["_careful_ref"].null_count() == 0
    assert len(index) == 80 + kept.height - kept["text"].null_count()
    # the kept rows are now in the index: the same batch is all near-duplicates next time
    again = index.dedup_against(batch.drop_nulls(), "id")
    assert again.kept.height == 0


def test_refuses_other_parameters_and_schemes(tmp_path):
    accepted, _ = _data()
    path = tmp_path / "ix"
    index = cp.MinHashIndex(path, threshold=0.7, ngram=3)
    index.add(accepted, "id")
    assert cp.MinHashIndex(path).params["ngram"] == 3
    with pytest.raises(IndexMismatchError, match="Hint:"):
        cp.MinHashIndex(path, threshold=0.8)
    with pytest.raises(IndexMismatchError, match="Hint:"):
        cp.MinHashIndex(path, num_perm=64)
    with pytest.raises(IndexMismatchError, match="Hint:"):
        index.add(accepted.with_columns(pl.col("id").cast(pl.String)), "id")
    meta = path / "meta.json"
    meta.write_text(meta.read_text().replace(SCHEME_VERSION, "careful-minhash-0"))
    with pytest.raises(IndexMismatchError, match="scheme"):
        cp.MinHashIndex(path)


def test_memory_is_band_keys_without_verification(tmp_path):
    accepted, _ = _data()
    index = cp.MinHashIndex(tmp_path / "ix", verify="none")
    index.add(accepted, "id")
    schema = pl.read_parquet_schema(next((tmp_path / "ix").glob("part-*.parquet")))
    bands = index.params["bands"]
    assert list(schema) == ["id", "source", *[f"band_{b:03d}" for b in range(bands)]]
    assert "careful-minhash-1" in repr(index)


def test_default_ids_are_example_ids(tmp_path):
    accepted, batch = _data()
    index = cp.MinHashIndex(tmp_path / "ix")
    index.add(accepted.select("text"))
    got = index.query(batch.select("text"))
    assert got.schema["query_id"] == pl.UInt64
    assert got.height > 0
