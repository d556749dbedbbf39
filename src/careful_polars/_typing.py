"""Type aliases shared across careful_polars (``Literal`` choices and frame unions)."""

from __future__ import annotations

from typing import Literal, TypeVar

import polars as pl

__all__ = [
    "FrameT",
    "IntoExpr",
    "KeepRule",
    "TextUnit",
]

#: A DataFrame or LazyFrame; functions return the same kind they are given.
FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

#: Anything Polars accepts where an expression is expected: an ``Expr``, a column name, a Series.
IntoExpr = pl.Expr | str | pl.Series

#: Which member of a duplicate group is kept.
KeepRule = Literal["first", "last", "none"]

#: How text is split into shingles.
TextUnit = Literal["word", "char"]
