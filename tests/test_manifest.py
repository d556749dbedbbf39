from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

import careful_polars as cp
from careful_polars.exceptions import (
    ColumnNotFoundError,
    FingerprintMismatchError,
    InvalidParameterError,
    RatioCapError,
    UseNotAllowedError,
)
from tests.conftest import as_kind
from tests.test_lineage import WHEN, lineage_frame

_M64 = 2**64


def mix_oracle(x: int) -> int:
    """SplitMix64 finaliser in Python big-int arithmetic (independent of the numba kernel)."""
    z = (x + 0x9E3779B97F4A7C15) % _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % _M64
    return z ^ (z >> 31)


def fingerprint_oracle(ids: list[int]) -> str:
    mixed = [mix_oracle(x) for x in ids]
    acc = 0
    for m in mixed:
        acc ^= m
    return f"cfp1:{len(ids)}:{sum(mixed) % _M64:016x}:{acc:016x}"


def id_frame(ids: list[int]) -> pl.DataFrame:
    return pl.DataFrame({"example_id": ids}, schema={"example_id": pl.UInt64})


# --- fingerprint ----------------------------------------------------------------------------


def test_fingerprint_matches_oracle(frame_kind: str) -> None:
    ids = [0, 1, 2**64 - 1, 2**63, 12345678901234567890, 42, 42]
    assert cp.fingerprint(as_kind(id_frame(ids), frame_kind)) == fingerprint_oracle(ids)
    rng = np.random.default_rng(0)
    many = rng.integers(0, 2**64 - 1, size=300_000, dtype=np.uint64, endpoint=True).tolist()
    assert cp.fingerprint(id_frame(many)) == fingerprint_oracle(many)
    assert id_frame(ids).careful.fingerprint() == fingerprint_oracle(ids)


def test_fingerprint_of_content_equals_fingerprint_of_example_id() -> None:
    df = lineage_frame()
    assert cp.fingerprint(df, subset="text") == cp.fingerprint(df)


def test_fingerprint_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.fingerprint(pl.DataFrame({"example_id": [1, 2]}))  # Int64
    with pytest.raises(InvalidParameterError, match="null"):
        cp.fingerprint(id_frame([1, None]))  # type: ignore[list-item]
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        cp.fingerprint(pl.DataFrame({"id": [1]}))


u64 = st.integers(min_value=0, max_value=2**64 - 1)


@pytest.mark.hypothesis
@settings(max_examples=200, deadline=None)
@given(ids=st.lists(u64, min_size=1, max_size=60), seed=st.integers(0, 2**32 - 1))
def test_fingerprint_ignores_row_order(ids: list[int], seed: int) -> None:
    shuffled = list(np.random.default_rng(seed).permutation(np.array(ids, dtype=np.uint64)))
    assert cp.fingerprint(id_frame(ids)) == cp.fingerprint(id_frame([int(x) for x in shuffled]))


@pytest.mark.hypothesis
@settings(max_examples=200, deadline=None)
@given(ids=st.lists(u64, min_size=1, max_size=60), data=st.data())
def test_fingerprint_changes_when_any_row_changes(ids: list[int], data: st.DataObject) -> None:
    base = cp.fingerprint(id_frame(ids))
    i = data.draw(st.integers(0, len(ids) - 1))
    new = data.draw(u64.filter(lambda v: v != ids[i]))
    changed = [*ids[:i], new, *ids[i + 1 :]]
    assert cp.fingerprint(id_frame(changed)) != base  # replaced row
    assert cp.fingerprint(id_frame(ids[:i] + ids[i + 1 :])) != base  # removed row
    assert cp.fingerprint(id_frame([*ids, ids[i]])) != base  # duplicated row


# --- manifest -------------------------------------------------------------------------------


def make_manifest(df: pl.DataFrame | pl.LazyFrame | None = None, **kwargs: object) -> cp.Manifest:
    frame = lineage_frame() if df is None else df
    args: dict[str, object] = {
        "name": "tickets",
        "version": "1",
        "purpose": "support ticket classifier training",
        "owner": "data-team",
        "subset": ["text"],
    }
    return cp.build_manifest(frame, **{**args, **kwargs})  # type: ignore[arg-type]


def test_manifest_contents(frame_kind: str) -> None:
    df = lineage_frame()
    m = make_manifest(
        as_kind(df, frame_kind),
        stratum="source",
        max_synthetic_ratio=0.5,
        prohibited_use=["eval"],
        expires_at=dt.date(2030, 1, 1),
        gates=pl.DataFrame({"gate": ["dedup"], "rejected": [0]}),
    )
    assert m.rows == 5
    assert m.counts_by_source == {"real": 3, "synthetic": 2}
    assert m.synthetic_ratio == pytest.approx(0.4)
    assert m.fingerprint == fingerprint_oracle(df["example_id"].to_list())
    assert m.schema["example_id"] == "UInt64"
    assert m.generators == [{"generator": "ticket-writer", "generator_version": "1.2", "rows": 2}]
    assert len(m.prompt_hashes) == 1 and m.prompt_hashes[0]["rows"] == 2
    assert m.counts_by_stratum == [
        {"stratum": "real", "source": "real", "rows": 3},
        {"stratum": "synthetic", "source": "synthetic", "rows": 2},
    ]
    assert m.expires_at == "2030-01-01"
    assert m.gates == [{"gate": "dedup", "rejected": 0}]
    assert set(m.environment) == {"careful_polars", "polars", "python", "schemes"}
    text = {c["column"]: c for c in m.columns}["text"]
    assert text["nulls"] == 0 and text["mean_length"] == pytest.approx(
        df["text"].str.len_chars().mean()
    )
    assert "Manifest(name='tickets'" in repr(m)
    json.dumps(m.to_dict())  # JSON-ready


def test_manifest_ratio_cap_refuses_and_passes() -> None:
    assert make_manifest(max_synthetic_ratio=0.4).synthetic_ratio == pytest.approx(0.4)
    with pytest.raises(RatioCapError, match="Hint:"):
        make_manifest(max_synthetic_ratio=0.39)


def test_manifest_refuses_tampered_example_id() -> None:
    bad = lineage_frame().with_columns(text=pl.col("text").str.to_uppercase())
    with pytest.raises(FingerprintMismatchError, match="Hint:"):
        make_manifest(bad)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": ""}, InvalidParameterError),
        ({"max_synthetic_ratio": 1.5}, InvalidParameterError),
        ({"allowed_use": ["train"], "prohibited_use": ["train"]}, InvalidParameterError),
        ({"prohibited_use": [""]}, InvalidParameterError),
        ({"expires_at": "soon"}, InvalidParameterError),
        ({"stratum": "channel"}, ColumnNotFoundError),
    ],
)
def test_manifest_bad_parameters(kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error, match="Hint:"):
        make_manifest(**kwargs)


def test_manifest_save_load_roundtrip_and_markdown(tmp_path: Path) -> None:
    m = make_manifest(prohibited_use=["eval"], allowed_use=["train", "analysis"])
    path = m.save(tmp_path / "tickets.parquet")
    assert path.name == "tickets.manifest.json"
    assert cp.Manifest.load(path) == m
    assert cp.Manifest.load(tmp_path / "tickets.parquet") == m
    md = m.to_markdown()
    for heading in (
        "# tickets v1",
        "## Use limits",
        "## Composition",
        "## Generators",
        "## Columns",
    ):
        assert heading in md
    assert "ticket-writer" in md and m.fingerprint in md
    data = json.loads(path.read_text())
    data["format"] = 99
    path.write_text(json.dumps(data))
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.Manifest.load(path)


# --- use limits -----------------------------------------------------------------------------


@pytest.fixture
def written(tmp_path: Path) -> Path:
    df = lineage_frame()
    m = make_manifest(
        df, allowed_use=["train", "analysis"], prohibited_use=["eval"], expires_at="2030-06-30"
    )
    path = tmp_path / "tickets.parquet"
    cp.write_dataset(df, path, manifest=m)
    return path


@pytest.mark.parametrize("reader", ["read", "scan"])
def test_use_limits_pass_good_use(written: Path, reader: str) -> None:
    if reader == "read":
        out = cp.read_dataset(written, use="train", today="2030-06-30")
    else:
        out = cp.scan_dataset(written, use="analysis", today=dt.date(2030, 1, 1)).collect()
    assert_frame_equal(out, lineage_frame())


@pytest.mark.parametrize(
    ("use", "today", "field"),
    [
        ("eval", "2026-01-01", "prohibited_use"),
        ("marketing", "2026-01-01", "allowed_use"),
        ("train", "2030-07-01", "expires_at"),
    ],
)
@pytest.mark.parametrize("reader", [cp.read_dataset, cp.scan_dataset])
def test_use_limits_refuse(written: Path, use: str, today: str, field: str, reader: object) -> None:
    with pytest.raises(UseNotAllowedError, match=field) as info:
        reader(written, use=use, today=today)  # type: ignore[operator]
    assert "Hint:" in str(info.value)


def test_missing_manifest_refused(tmp_path: Path) -> None:
    path = tmp_path / "bare.parquet"
    lineage_frame().write_parquet(path)
    with pytest.raises(UseNotAllowedError, match="no manifest"):
        cp.read_dataset(path, use="train")


@pytest.mark.parametrize("reader", [cp.read_dataset, cp.scan_dataset])
def test_tampered_parquet_is_caught(written: Path, reader: object) -> None:
    original = pl.read_parquet(written)
    # edit one text cell but keep its example_id: only recomputing the content hash sees it
    original.with_columns(
        text=pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("edited")).otherwise("text")
    ).write_parquet(written)
    with pytest.raises(FingerprintMismatchError, match="Hint:"):
        reader(written, use="train", today="2026-01-01")  # type: ignore[operator]
    # an edit outside the content (a label, a lineage field) is caught by the every-column print
    original.with_columns(reviewer=pl.lit("mallory")).write_parquet(written)
    with pytest.raises(FingerprintMismatchError, match="every column"):
        reader(written, use="train", today="2026-01-01")  # type: ignore[operator]
    # column order alone is not a change
    original.select(reversed(original.columns)).write_parquet(written)
    reader(written, use="train", today="2026-01-01")  # type: ignore[operator]
    # a dropped row is caught too
    original.slice(1).write_parquet(written)
    with pytest.raises(FingerprintMismatchError):
        reader(written, use="train", today="2026-01-01")  # type: ignore[operator]


def test_override_loads_and_is_logged(written: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="careful_polars"):
        out = cp.read_dataset(written, use="eval", today="2031-01-01", override="incident 42 audit")
    assert out.height == 5
    assert "incident 42 audit" in caplog.text and "prohibited_use" in caplog.text
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.read_dataset(written, use="eval", override="  ")


def test_write_dataset_refuses_foreign_manifest(tmp_path: Path) -> None:
    m = make_manifest()
    other = lineage_frame().slice(1)
    with pytest.raises(FingerprintMismatchError):
        cp.write_dataset(other, tmp_path / "x.parquet", manifest=m)
    assert not (tmp_path / "x.parquet").exists()
    with pytest.raises(InvalidParameterError, match="Parquet"):
        cp.write_dataset(lineage_frame(), tmp_path / "x.csv", manifest=m)


# --- diffs ----------------------------------------------------------------------------------


def test_diff_matches_brute_force(frame_kind: str) -> None:
    old = lineage_frame()
    new_rows = cp.tag_synthetic(
        pl.DataFrame({"text": ["brand new ticket"]}),
        generator="other-writer",
        generator_version="0.1",
        prompt="q",
        subset="text",
        created_at=WHEN,
    )
    new = pl.concat([old.slice(1), new_rows]).with_columns(
        reviewer=pl.when(pl.col("text") == "login fails").then(pl.lit("ana")).otherwise("reviewer")
    )
    d = cp.diff(as_kind(old, frame_kind), as_kind(new, frame_kind))
    old_ids, new_ids = set(old["example_id"]), set(new["example_id"])
    assert set(d.added["example_id"]) == new_ids - old_ids
    assert set(d.removed["example_id"]) == old_ids - new_ids
    old_rows = {r["example_id"]: r for r in old.rows(named=True)}
    changed = {
        r["example_id"]
        for r in new.rows(named=True)
        if r["example_id"] in old_rows and r != old_rows[r["example_id"]]
    }
    assert set(d.changed["example_id"]) == changed
    assert d.changed["changed_columns"].to_list() == [["reviewer"]]
    assert d.changed["reviewer_old"].to_list() == [None]
    s = d.summary
    assert (s["added"], s["removed"], s["changed"], s["unchanged"]) == (1, 1, 1, 3)
    assert s["generators_added"] == ["other-writer"] and s["generators_removed"] == []
    assert s["synthetic_ratio_change"] == pytest.approx(3 / 5 - 2 / 5)
    assert "generators_added" in d.to_markdown()
    assert repr(d) == "DatasetDiff(added=1, removed=1, changed=1, unchanged=3)"


def test_diff_schema_changes_and_bad_key() -> None:
    old = pl.DataFrame({"id": [1, 2], "a": [1, 2]})
    new = pl.DataFrame({"id": [1, 2], "a": [1.0, 2.0], "b": ["x", "y"]})
    d = cp.diff(old, new, key="id")
    assert d.summary["columns_added"] == ["b"]
    assert d.summary["dtypes_changed"] == {"a": ["Int64", "Float64"]}
    assert d.changed.height == 2
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.diff(pl.DataFrame({"id": [1, 1]}), new, key="id")
    with pytest.raises(ColumnNotFoundError):
        cp.diff(old, new)


def test_manifest_diff() -> None:
    old = make_manifest(prohibited_use=["eval"])
    assert old.diff(old).summary["same_data"] is True
    new = make_manifest(lineage_frame().slice(1), version="2", prohibited_use=["eval", "ads"])
    s = old.diff(new).summary
    assert s["same_data"] is False and s["same_row_ids"] is False
    relabelled = make_manifest(lineage_frame().with_columns(reviewer=pl.lit("x")))
    assert old.diff(relabelled).summary["same_row_ids"] is True
    assert old.diff(relabelled).summary["same_data"] is False
    assert s["rows"] == [5, 4] and s["version"] == ["1", "2"]
    assert s["counts_by_source"] == {"real": [3, 2]}
    assert s["prohibited_use"] == [["eval"], ["eval", "ads"]]
    assert "Manifest diff" in old.diff(new).to_markdown()


@pytest.mark.hypothesis
@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(max_size=12), min_size=1, max_size=30, unique=True),
    data=st.data(),
)
def test_content_fingerprint_ignores_order_and_sees_edits(
    texts: list[str], data: st.DataObject
) -> None:
    df = pl.DataFrame({"text": texts})
    base = cp.fingerprint(df, subset="text")
    assert cp.fingerprint(df.reverse(), subset="text") == base
    assert cp.fingerprint(df.lazy().sort("text"), subset="text") == base
    i = data.draw(st.integers(0, len(texts) - 1))
    edit = data.draw(st.text(max_size=12).filter(lambda s: s != texts[i]))
    edited = df.with_columns(
        text=pl.when(pl.int_range(pl.len()) == i).then(pl.lit(edit)).otherwise("text")
    )
    assert cp.fingerprint(edited, subset="text") != base


def test_rows_fingerprint_matches_python_oracle(frame_kind: str) -> None:
    import struct

    import xxhash

    from careful_polars._fingerprint import rows_fingerprint as _rows_fingerprint

    df = pl.DataFrame(
        {
            "n": [1, None, -3],
            "x": [1.5, -0.0, None],
            "s": ["a", None, "ü"],
            "b": [True, None, False],
        }
    )

    def word(name: str, v: object) -> int:
        if name == "x":
            return struct.unpack("<Q", struct.pack("<d", v))[0]
        if name == "s":
            return xxhash.xxh64_intdigest(str(v).encode("utf-8"), 0)
        return int(v) % _M64  # type: ignore[call-overload]

    rows = []
    for row in df.rows(named=True):
        acc = 0
        for name in sorted(df.columns):
            salt = xxhash.xxh64_intdigest(f"{name}\x00{df.schema[name]}".encode())
            if row[name] is None:
                acc = mix_oracle((mix_oracle(acc ^ salt) + 0x9E3779B97F4A7C15) % _M64)
            else:
                acc = mix_oracle(acc ^ salt ^ word(name, row[name]))
        rows.append(acc)
    expected = fingerprint_oracle(rows).replace("cfp1", "cfp1-rows", 1)
    assert _rows_fingerprint(as_kind(df, frame_kind)) == expected
    # a null and a zero, or a swapped pair of cells, are different data
    assert _rows_fingerprint(df.with_columns(pl.col("n").fill_null(0))) != expected
    swapped = df.with_columns(b=pl.Series([None, True, False], dtype=pl.Boolean))
    assert _rows_fingerprint(swapped) != expected
