"""The ``.careful`` namespaces on DataFrame, LazyFrame, Series and Expr.

Each method is a one-line delegation to a public function; the logic lives in exactly one place,
the capability module. Series methods run the Expr function. Importing ``careful_polars``
registers all four namespaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic

import polars as pl

from careful_polars._typing import FrameT

if TYPE_CHECKING:
    from careful_polars._results import Split

__all__ = ["CarefulExpr", "CarefulFrame", "CarefulLazyFrame", "CarefulSeries"]


class _FrameNamespace(Generic[FrameT]):
    """Methods shared by ``DataFrame.careful`` and ``LazyFrame.careful``."""

    def __init__(self, frame: FrameT) -> None:
        self._frame = frame

    # --- hashing (exact duplicates) ---------------------------------------------------------

    # --- near-duplicates --------------------------------------------------------------------

    # --- drift and realism ------------------------------------------------------------------

    # --- sampling and mixing ----------------------------------------------------------------

    # --- lineage and manifests --------------------------------------------------------------

    # --- gates, PII and judges --------------------------------------------------------------


@pl.api.register_dataframe_namespace("careful")
class CarefulFrame(_FrameNamespace[pl.DataFrame]):
    """``DataFrame.careful``: careful_polars operations on an eager frame."""


@pl.api.register_lazyframe_namespace("careful")
class CarefulLazyFrame(_FrameNamespace[pl.LazyFrame]):
    """``LazyFrame.careful``: careful_polars operations on a lazy frame."""


@pl.api.register_expr_namespace("careful")
class CarefulExpr:
    """``Expr.careful``: per-row careful_polars expressions."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    # --- hashing and text -------------------------------------------------------------------

    # --- near-duplicates --------------------------------------------------------------------

    # --- gates, PII and judges --------------------------------------------------------------


@pl.api.register_series_namespace("careful")
class CarefulSeries:
    """``Series.careful``: the Expr methods evaluated on a Series."""

    def __init__(self, series: pl.Series) -> None:
        self._series = series

    @property
    def _col(self) -> pl.Expr:
        return pl.col(self._series.name)

    def _run(self, expr: pl.Expr) -> pl.Series:
        return self._series.to_frame().select(expr).to_series()

    # --- hashing and text -------------------------------------------------------------------

    # --- near-duplicates --------------------------------------------------------------------

    # --- gates, PII and judges --------------------------------------------------------------
