"""An independent, pure-Python implementation of the canonical row encoding (docs/hashing.md).

Written from the specification, not from the library code, so tests can check every dtype's
encoding byte for byte through ``xxhash``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import struct
from typing import Any

import polars as pl
import xxhash

NULL_SALT = 0x9E3779B97F4A7C15
UNITS = {"ns": 0, "us": 1, "ms": 2}
EPOCH = dt.datetime(1970, 1, 1)


def _u64(n: int) -> bytes:
    return struct.pack("<Q", n)


def _i64(n: int) -> bytes:
    return struct.pack("<q", n)


def _ticks(delta: dt.timedelta, unit: str) -> int:
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return {"us": micros, "ms": micros // 1000, "ns": micros * 1000}[unit]


def encode(value: Any, dtype: pl.DataType) -> bytes:
    """Canonical encoding of one value of ``dtype`` (tag first)."""
    if value is None:
        return b"\x00"
    if dtype == pl.Boolean:
        return b"\x01" + bytes([int(value)])
    if dtype.is_integer():
        if value >= 2**63:
            return b"\x03" + _u64(value)
        return b"\x02" + _i64(value)
    if dtype.is_float():
        value = float(value)
        if math.isnan(value):
            return b"\x04" + _u64(0x7FF8000000000000)
        if value == 0.0:
            value = 0.0
        return b"\x04" + struct.pack("<d", value)
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, (pl.Enum, pl.Categorical)):
        raw = value.encode()
        return b"\x05" + _u64(len(raw)) + raw
    if dtype == pl.Binary:
        return b"\x06" + _u64(len(value)) + bytes(value)
    if dtype == pl.Date:
        return b"\x07" + _i64((value - dt.date(1970, 1, 1)).days)
    if isinstance(dtype, pl.Datetime):
        unit = dtype.time_unit or "us"
        naive = (
            value.replace(tzinfo=None)
            if value.tzinfo is None
            else value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        )
        return b"\x08" + bytes([UNITS[unit]]) + _i64(_ticks(naive - EPOCH, unit))
    if isinstance(dtype, pl.Duration):
        unit = dtype.time_unit or "us"
        return b"\x09" + bytes([UNITS[unit]]) + _i64(_ticks(value, unit))
    if dtype == pl.Time:
        ns = (
            (value.hour * 60 + value.minute) * 60 + value.second
        ) * 10**9 + value.microsecond * 1000
        return b"\x0a" + _i64(ns)
    if isinstance(dtype, pl.Decimal):
        text = format(decimal.Decimal(value), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", ""):
            text = "0"
        raw = text.encode()
        return b"\x0b" + _u64(len(raw)) + raw
    if isinstance(dtype, pl.List):
        return b"\x0c" + _u64(len(value)) + b"".join(encode(v, dtype.inner) for v in value)
    if isinstance(dtype, pl.Array):
        return b"\x0d" + _u64(len(value)) + b"".join(encode(v, dtype.inner) for v in value)
    if isinstance(dtype, pl.Struct):
        body = b"".join(encode(value[f.name], f.dtype) for f in dtype.fields)
        return b"\x0e" + _u64(len(dtype.fields)) + body
    if dtype == pl.Null:
        return b"\x00"
    raise TypeError(dtype)


def row_hash(values: list[Any], dtypes: list[pl.DataType], seed: int = 0) -> int:
    """The content hash of one row by the specification."""
    if len(values) == 1 and (
        dtypes[0] in (pl.String, pl.Binary) or isinstance(dtypes[0], (pl.Categorical, pl.Enum))
    ):
        value = values[0]
        if value is None:
            return xxhash.xxh64_intdigest(b"\x00", seed=seed ^ NULL_SALT)
        raw = value.encode() if isinstance(value, str) else bytes(value)
        return xxhash.xxh64_intdigest(raw, seed=seed)
    data = b"".join(encode(v, t) for v, t in zip(values, dtypes, strict=True))
    return xxhash.xxh64_intdigest(data, seed=seed)


def frame_hashes(df: pl.DataFrame, seed: int = 0) -> list[int]:
    dtypes = list(df.schema.values())
    return [row_hash(list(row), dtypes, seed) for row in df.iter_rows()]
