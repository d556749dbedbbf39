from __future__ import annotations

import polars as pl
import pytest

import careful_polars  # noqa: F401  (registers the namespaces)


@pytest.fixture(params=["eager", "lazy"])
def frame_kind(request: pytest.FixtureRequest) -> str:
    """Run a test once on a DataFrame and once on a LazyFrame."""
    return str(request.param)


def as_kind(df: pl.DataFrame, kind: str) -> pl.DataFrame | pl.LazyFrame:
    return df.lazy() if kind == "lazy" else df


def collect(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame
