from __future__ import annotations

import datetime as dt
import decimal
import os
import subprocess
import sys
import textwrap

import numpy as np
import polars as pl
import pytest
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError
from tests._hash_oracle import frame_hashes

# --------------------------------------------------------------------------------------------
# single String/Binary column == xxhash of the bytes
# --------------------------------------------------------------------------------------------


def _hash(series: pl.Series, **kwargs: object) -> list[int]:
    return series.to_frame("x").select(cp.content_hash("x", **kwargs)).to_series().to_list()


@pytest.mark.parametrize("seed", [0, 1, 2**63 + 12345, 2**64 - 1])
def test_binary_every_length_matches_xxhash(seed: int) -> None:
    rng = np.random.default_rng(7)
    values = [rng.integers(0, 256, size=n, dtype=np.uint8).tobytes() for n in range(257)]
    values += [rng.integers(0, 256, size=n, dtype=np.uint8).tobytes() for n in (1 << 20, 3_000_001)]
    got = _hash(pl.Series(values, dtype=pl.Binary), seed=seed)
    assert got == [xxhash.xxh64_intdigest(v, seed=seed) for v in values]


def test_string_every_length_matches_xxhash() -> None:
    rng = np.random.default_rng(8)
    alphabet = list("abcdefghij KLMNOP.,é€😀ß\n")
    values = ["".join(rng.choice(alphabet, size=n)) for n in range(257)]
    values.append("x" * (1 << 21))
    got = _hash(pl.Series(values))
    assert got == [xxhash.xxh64_intdigest(v.encode(), seed=0) for v in values]


def test_multi_chunk_sliced_and_null_strings() -> None:
    a = pl.Series(["short", None, "a much longer string than twelve bytes", ""])
    b = pl.Series([None, "x" * 40, "y", "zz"])
    s = pl.concat([a, b, a], rechunk=False)
    assert s.n_chunks() == 3
    sliced = s.slice(3, 7)
    expected = frame_hashes(sliced.to_frame("x"))
    assert _hash(sliced) == expected
    assert _hash(sliced.rechunk()) == expected
    # arrow-backed offset layouts give the same values as Polars' view layout
    from_large = pl.Series(sliced.to_arrow())  # large_string buffers re-imported
    assert _hash(from_large) == expected


def test_null_is_distinct_from_empty_and_zero() -> None:
    strings = _hash(pl.Series(["", None], dtype=pl.String))
    assert strings[0] != strings[1]
    rows = pl.DataFrame(
        {"a": [None, 0, None], "b": [1, 1, None]}, schema={"a": pl.Int64, "b": pl.Int64}
    )
    hashed = rows.select(cp.content_hash("a", "b")).to_series().to_list()
    assert len(set(hashed)) == 3
    assert hashed == frame_hashes(rows)


def test_multi_column_is_unambiguous_and_order_sensitive() -> None:
    df = pl.DataFrame({"a": ["ab", "a", None, "x"], "b": ["c", "bc", "x", None]})
    h = df.select(cp.content_hash("a", "b")).to_series().to_list()
    assert len(set(h)) == 4
    swapped = df.select(cp.content_hash("b", "a")).to_series().to_list()
    assert h != swapped
    assert h == frame_hashes(df)


# --------------------------------------------------------------------------------------------
# every dtype against the specification oracle
# --------------------------------------------------------------------------------------------

DTYPE_CASES = {
    "int8": pl.Series([1, -1, None, 127, -128], dtype=pl.Int8),
    "int64": pl.Series([0, -(2**63), 2**63 - 1, None], dtype=pl.Int64),
    "uint64": pl.Series([0, 2**63, 2**64 - 1, 5, None], dtype=pl.UInt64),
    "uint32": pl.Series([0, 2**32 - 1, None], dtype=pl.UInt32),
    "float64": pl.Series([0.0, -0.0, float("nan"), float("inf"), -1.5, None]),
    "float32": pl.Series([0.1, -0.0, float("nan"), None], dtype=pl.Float32),
    "bool": pl.Series([True, False, None]),
    "date": pl.Series([dt.date(1969, 12, 31), dt.date(2024, 2, 29), None]),
    "datetime_us": pl.Series([dt.datetime(2024, 1, 1, 12, 30, 1, 5), None]),
    "datetime_ms": pl.Series([dt.datetime(1960, 1, 1, 0, 0, 1)], dtype=pl.Datetime("ms")),
    "datetime_ns_tz": pl.Series(
        [dt.datetime(2024, 6, 1, 8, 0)], dtype=pl.Datetime("ns", "Europe/Paris")
    ),
    "duration": pl.Series([dt.timedelta(days=-1, seconds=5), None], dtype=pl.Duration("ms")),
    "time": pl.Series([dt.time(23, 59, 59, 999999), dt.time(0), None]),
    "categorical": pl.Series(["b", "a", None, "b"], dtype=pl.Categorical),
    "enum": pl.Series(["lo", "hi", None], dtype=pl.Enum(["hi", "lo"])),
    "decimal": pl.Series(
        [decimal.Decimal("1.50"), decimal.Decimal("-2.25"), decimal.Decimal("0.00"), None],
        dtype=pl.Decimal(10, 2),
    ),
    "binary": pl.Series([b"\x00\xff", b"", None]),
    "list": pl.Series([[1, 2], [], None, [None, 3]], dtype=pl.List(pl.Int64)),
    "list_str": pl.Series([["a", None], [], None, ["bc" * 10]]),
    "array": pl.Series([[1.0, 2.0], [None, -0.0], None], dtype=pl.Array(pl.Float64, 2)),
    "struct": pl.Series([{"x": 1, "y": "a"}, {"x": None, "y": None}, None]),
    "nested": pl.Series(
        [[{"k": [1, 2], "v": "a"}], [], None, [None, {"k": None, "v": "b"}]],
    ),
    "null": pl.Series([None, None], dtype=pl.Null),
}


@pytest.mark.parametrize("name", list(DTYPE_CASES))
def test_every_dtype_matches_spec(name: str) -> None:
    s = DTYPE_CASES[name]
    df = pl.DataFrame({"v": s, "k": pl.Series(range(s.len()), dtype=pl.Int64)})
    # one column alone, and as part of a multi-column row
    assert df.select(cp.content_hash("v")).to_series().to_list() == frame_hashes(df.select("v"))
    assert df.select(cp.content_hash("v", "k")).to_series().to_list() == frame_hashes(df)


def test_value_equalities() -> None:
    nan_payloads = np.array([0x7FF8000000000001, 0xFFF8000000000000, 0x7FF0000000000001], np.uint64)
    nans = pl.Series(nan_payloads.view(np.float64))
    assert len(set(_hash(pl.concat([nans, pl.Series([float("nan")])])))) == 1
    assert len(set(_hash(pl.Series([0.0, -0.0])))) == 1
    assert _hash(pl.Series(["a", "b"], dtype=pl.Categorical)) == _hash(pl.Series(["a", "b"]))
    assert _hash(pl.Series([5], dtype=pl.Int32)) == _hash(pl.Series([5], dtype=pl.UInt8))
    d2 = pl.Series([decimal.Decimal("1.50")], dtype=pl.Decimal(10, 2))
    d3 = pl.Series([decimal.Decimal("1.500")], dtype=pl.Decimal(12, 3))
    assert _hash(d2) == _hash(d3)
    # categorical value, not physical code: same strings under different category orders
    c1 = pl.Series(["x", "y"], dtype=pl.Enum(["x", "y"]))
    c2 = pl.Series(["x", "y"], dtype=pl.Enum(["y", "x"]))
    assert _hash(c1) == _hash(c2)


def test_golden_values() -> None:
    pinned = {
        ("t", "hello", 0): 2794345569481354659,
        ("t", "", 0): 17241709254077376921,
        ("t", None, 0): 1327354051086928549,
        ("t,n", ("hello", 1), 0): 5136268735607793679,
        ("n", 1, 0): 8919196489950941330,
        ("f", 1.5, 42): 13577994071912743175,
        ("l", (1, None), 0): 11084701664759378357,
    }
    frames = {
        ("t", "hello", 0): pl.DataFrame({"t": ["hello"]}).select(cp.content_hash("t")),
        ("t", "", 0): pl.DataFrame({"t": [""]}).select(cp.content_hash("t")),
        ("t", None, 0): pl.DataFrame({"t": [None]}, schema={"t": pl.String}).select(
            cp.content_hash("t")
        ),
        ("t,n", ("hello", 1), 0): pl.DataFrame({"t": ["hello"], "n": [1]}).select(
            cp.content_hash("t", "n")
        ),
        ("n", 1, 0): pl.DataFrame({"n": [1]}).select(cp.content_hash("n")),
        ("f", 1.5, 42): pl.DataFrame({"f": [1.5]}).select(cp.content_hash("f", seed=42)),
        ("l", (1, None), 0): pl.DataFrame({"l": [[1, None]]}).select(cp.content_hash("l")),
    }
    got = {key: frame.item() for key, frame in frames.items()}
    assert got == pinned


def test_golden_values_follow_the_spec() -> None:
    # the pinned numbers are not the code's own output alone: the spec oracle agrees
    df = pl.DataFrame({"t": ["hello"], "n": [1]})
    assert frame_hashes(df) == [5136268735607793679]
    assert frame_hashes(pl.DataFrame({"f": [1.5]}), seed=42) == [13577994071912743175]
    assert frame_hashes(pl.DataFrame({"l": [[1, None]]})) == [11084701664759378357]
    # and written out byte by byte, as in docs/hashing.md
    one = b"\x02" + (1).to_bytes(8, "little")
    assert xxhash.xxh64_intdigest(one) == 8919196489950941330
    row = b"\x05" + (5).to_bytes(8, "little") + b"hello" + one
    assert xxhash.xxh64_intdigest(row) == 5136268735607793679
    lst = b"\x0c" + (2).to_bytes(8, "little") + one + b"\x00"
    assert xxhash.xxh64_intdigest(lst) == 11084701664759378357
    assert xxhash.xxh64_intdigest(b"\x00", seed=0x9E3779B97F4A7C15) == 1327354051086928549


# --------------------------------------------------------------------------------------------
# eager, lazy, streaming, another process
# --------------------------------------------------------------------------------------------


def _sample_frame(n: int = 5000) -> pl.DataFrame:
    rng = np.random.default_rng(3)
    return pl.DataFrame(
        {
            "text": [f"row {i % 997} " + "x" * int(rng.integers(0, 30)) for i in range(n)],
            "n": rng.integers(-5, 5, size=n),
            "f": rng.normal(size=n),
        }
    ).with_columns(pl.when(pl.col("n") == 0).then(None).otherwise(pl.col("text")).alias("text"))


def test_same_values_eager_lazy_streaming() -> None:
    df = _sample_frame()
    expr = cp.content_hash("text", "n", "f")
    eager = df.select(expr).to_series()
    lazy = df.lazy().select(expr).collect().to_series()
    streaming = df.lazy().select(expr).collect(engine="streaming").to_series()
    assert eager.to_list() == lazy.to_list() == streaming.to_list() == frame_hashes(df)


def test_same_values_in_another_process(tmp_path: pytest.TempPathFactory) -> None:
    df = _sample_frame(300)
    path = os.path.join(str(tmp_path), "f.parquet")
    df.write_parquet(path)
    code = textwrap.dedent(
        f"""
        import polars as pl, careful_polars as cp
        df = pl.read_parquet({path!r})
        print(",".join(map(str, df.select(cp.content_hash("text", "n", "f")).to_series())))
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "123", "POLARS_MAX_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert [int(x) for x in out.stdout.strip().split(",")] == frame_hashes(df)


def test_normalize_applies_to_text_columns_only() -> None:
    df = pl.DataFrame({"t": ["Hello  World", "hello world"], "n": [1, 1]})
    h = df.select(cp.content_hash("t", "n", normalize=True)).to_series()
    assert h[0] == h[1]
    expected = frame_hashes(
        df.with_columns(pl.col("t").str.to_lowercase().str.replace_all(" +", " "))
    )
    assert h.to_list() == expected


# --------------------------------------------------------------------------------------------
# errors and edge cases
# --------------------------------------------------------------------------------------------


def test_unsupported_dtype_names_dtype_and_way_out() -> None:
    df = pl.DataFrame({"o": pl.Series([object()], dtype=pl.Object)})
    with pytest.raises(Exception, match="Object") as info:
        df.select(cp.content_hash("o"))
    assert "Hint" in str(info.value)
    with pytest.raises(DtypeNotSupportedError, match="Int128"):
        from careful_polars.hashing import hash_columns

        hash_columns([pl.Series("big", [1], dtype=pl.Int128)])


def test_bad_arguments() -> None:
    with pytest.raises(InvalidParameterError, match="at least one column"):
        cp.content_hash()
    with pytest.raises(InvalidParameterError, match="seed"):
        cp.content_hash("a", seed=-1)
    with pytest.raises(InvalidParameterError, match="normalize"):
        cp.content_hash("a", normalize="yes")  # type: ignore[arg-type]


def test_empty_and_all_null() -> None:
    empty = pl.DataFrame({"t": pl.Series([], dtype=pl.String), "n": pl.Series([], dtype=pl.Int64)})
    assert empty.select(cp.content_hash("t", "n")).height == 0
    assert empty.select(cp.content_hash("t")).height == 0
    nulls = pl.DataFrame({"t": [None, None]}, schema={"t": pl.String})
    h = nulls.select(cp.content_hash("t")).to_series().to_list()
    assert h[0] == h[1] == frame_hashes(nulls)[0]


@given(
    st.lists(
        st.tuples(st.text(max_size=20) | st.none(), st.integers(-3, 3) | st.none()), max_size=40
    )
)
@settings(max_examples=60, deadline=None)
@pytest.mark.hypothesis
def test_hash_matches_spec_property(rows: list[tuple[str | None, int | None]]) -> None:
    df = pl.DataFrame(rows, schema={"s": pl.String, "i": pl.Int64}, orient="row")
    assert df.select(cp.content_hash("s", "i")).to_series().to_list() == frame_hashes(df)


@pytest.mark.slow
def test_column_with_more_than_2gib_of_string_data() -> None:
    chunk = "x" * 1023 + "\n"
    n = (2**31 // 1024) + 4096
    s = pl.Series("t", [chunk]).extend_constant(chunk, n - 1)
    s = s + pl.Series("i", np.arange(n) % 1000).cast(pl.String)
    assert s.str.len_bytes().sum() > 2**31
    got = s.to_frame().select(cp.content_hash("t")).to_series()
    probes = [0, 1, n // 2, n - 1]
    for i in probes:
        assert got[i] == xxhash.xxh64_intdigest(s[i].encode())
    multi = s.to_frame().with_columns(k=pl.lit(1)).select(cp.content_hash("t", "k")).to_series()
    assert (
        multi[n - 1]
        == frame_hashes(
            pl.DataFrame({"t": [s[n - 1]], "k": [1]}, schema={"t": pl.String, "k": pl.Int32})
        )[0]
    )


def test_multi_column_rows_longer_than_the_scratch_buffer() -> None:
    big = "é" * 70_000  # 140 kB: encoded rows larger than the kernel's 64 kB scratch buffer
    df = pl.DataFrame({"t": ["short", big, None, big + "x"], "k": [1, 2, 3, 4]})
    assert df.select(cp.content_hash("t", "k")).to_series().to_list() == frame_hashes(df)
    nested = pl.DataFrame({"l": [[big, "a"], [], None]})
    assert nested.select(cp.content_hash("l")).to_series().to_list() == frame_hashes(nested)
