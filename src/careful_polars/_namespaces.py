"""The ``.careful`` namespaces on DataFrame, LazyFrame, Series and Expr.

Each method is a one-line delegation to a public function; the logic lives in exactly one place,
the capability module. Series methods run the Expr function. Importing ``careful_polars``
registers all four namespaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic

import polars as pl

from careful_polars import hashing, sampling, text
from careful_polars._typing import FrameT, IntoExpr, KeepRule

if TYPE_CHECKING:
    from fractions import Fraction

    from careful_polars._results import Split
    from careful_polars.sampling import Allocation, EmptyRealPolicy, MixResult, RatioReport

__all__ = ["CarefulExpr", "CarefulFrame", "CarefulLazyFrame", "CarefulSeries"]


class _FrameNamespace(Generic[FrameT]):
    """Methods shared by ``DataFrame.careful`` and ``LazyFrame.careful``."""

    def __init__(self, frame: FrameT) -> None:
        self._frame = frame

    # --- hashing (exact duplicates) ---------------------------------------------------------

    def mark_duplicates(
        self,
        subset: str | Sequence[str] | None = None,
        *,
        normalize: Callable[[pl.Expr], pl.Expr] | bool | None = None,
        keep: KeepRule = "first",
        verify: bool = False,
    ) -> FrameT:
        """Add ``example_id``, ``dup_group`` and ``dup_of``; see :func:`careful_polars.mark_duplicates`."""
        return hashing.mark_duplicates(
            self._frame, subset, normalize=normalize, keep=keep, verify=verify
        )

    def dedup(
        self,
        subset: str | Sequence[str] | None = None,
        *,
        normalize: Callable[[pl.Expr], pl.Expr] | bool | None = None,
        keep: KeepRule = "first",
        verify: bool = False,
    ) -> FrameT:
        """Drop exact duplicates; see :func:`careful_polars.dedup`."""
        return hashing.dedup(self._frame, subset, normalize=normalize, keep=keep, verify=verify)

    def split_duplicates(
        self,
        subset: str | Sequence[str] | None = None,
        *,
        normalize: Callable[[pl.Expr], pl.Expr] | bool | None = None,
        keep: KeepRule = "first",
        verify: bool = False,
    ) -> Split[FrameT]:
        """Split exact duplicates off; see :func:`careful_polars.split_duplicates`."""
        return hashing.split_duplicates(
            self._frame, subset, normalize=normalize, keep=keep, verify=verify
        )

    # --- near-duplicates --------------------------------------------------------------------

    # --- drift and realism ------------------------------------------------------------------

    # --- sampling and mixing ----------------------------------------------------------------

    def stratified_sample(
        self,
        by: str | Sequence[str] | None,
        n: int | None = None,
        fraction: float | None = None,
        *,
        allocation: Allocation = "proportional",
        min_per_stratum: int = 0,
        seed: int = 0,
        with_replacement: bool = False,
        shuffle: bool = False,
        redistribute: bool = False,
    ) -> FrameT:
        """Sample exactly ``n`` rows with exact per-stratum quotas; see ``stratified_sample``."""
        return sampling.stratified_sample(
            self._frame,
            by,
            n,
            fraction,
            allocation=allocation,
            min_per_stratum=min_per_stratum,
            seed=seed,
            with_replacement=with_replacement,
            shuffle=shuffle,
            redistribute=redistribute,
        )

    def stratified_allocation(
        self,
        by: str | Sequence[str] | None,
        n: int | None = None,
        fraction: float | None = None,
        *,
        allocation: Allocation = "proportional",
        min_per_stratum: int = 0,
        with_replacement: bool = False,
        redistribute: bool = False,
    ) -> pl.DataFrame:
        """Rows requested, taken and short per stratum; see ``stratified_allocation``."""
        return sampling.stratified_allocation(
            self._frame,
            by,
            n,
            fraction,
            allocation=allocation,
            min_per_stratum=min_per_stratum,
            with_replacement=with_replacement,
            redistribute=redistribute,
        )

    def mix(
        self,
        synthetic: FrameT,
        max_synthetic_ratio: float | Fraction,
        *,
        by: str | Sequence[str] | None = None,
        per_stratum: bool = True,
        diversity: IntoExpr | None = None,
        seed: int = 0,
        empty_real: EmptyRealPolicy = "drop",
        source: str = "source",
    ) -> MixResult[FrameT]:
        """Mix this (real) frame with ``synthetic`` under a synthetic-share cap; see ``mix``."""
        return sampling.mix(
            self._frame,
            synthetic,
            max_synthetic_ratio,
            by=by,
            per_stratum=per_stratum,
            diversity=diversity,
            seed=seed,
            empty_real=empty_real,
            source=source,
        )

    def ratio_report(
        self,
        source: str = "source",
        by: str | Sequence[str] | None = None,
        cap: float | Fraction | None = None,
        *,
        per_stratum: bool = True,
    ) -> RatioReport:
        """Synthetic share per stratum and whether ``cap`` holds; see ``ratio_report``."""
        return sampling.ratio_report(self._frame, source, by, cap, per_stratum=per_stratum)

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

    def content_hash(
        self,
        *others: IntoExpr,
        normalize: Callable[[pl.Expr], pl.Expr] | bool | None = None,
        seed: int = 0,
    ) -> pl.Expr:
        """Stable content hash of this column (and ``others``); see :func:`careful_polars.content_hash`."""
        return hashing.content_hash(self._expr, *others, normalize=normalize, seed=seed)

    def normalize_text(
        self,
        *,
        nfkc: bool = True,
        casefold: bool = True,
        collapse_whitespace: bool = True,
        strip_punctuation: bool = False,
        strip_accents: bool = False,
    ) -> pl.Expr:
        """Normalise text; see :func:`careful_polars.normalize_text`."""
        return text.normalize_text(
            self._expr,
            nfkc=nfkc,
            casefold=casefold,
            collapse_whitespace=collapse_whitespace,
            strip_punctuation=strip_punctuation,
            strip_accents=strip_accents,
        )

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

    def content_hash(
        self,
        *others: IntoExpr,
        normalize: Callable[[pl.Expr], pl.Expr] | bool | None = None,
        seed: int = 0,
    ) -> pl.Series:
        """Stable content hash of this column (and ``others``); see :func:`careful_polars.content_hash`."""
        return self._run(hashing.content_hash(self._col, *others, normalize=normalize, seed=seed))

    def normalize_text(
        self,
        *,
        nfkc: bool = True,
        casefold: bool = True,
        collapse_whitespace: bool = True,
        strip_punctuation: bool = False,
        strip_accents: bool = False,
    ) -> pl.Series:
        """Normalise text; see :func:`careful_polars.normalize_text`."""
        return self._run(
            text.normalize_text(
                self._col,
                nfkc=nfkc,
                casefold=casefold,
                collapse_whitespace=collapse_whitespace,
                strip_punctuation=strip_punctuation,
                strip_accents=strip_accents,
            )
        )

    # --- near-duplicates --------------------------------------------------------------------

    # --- gates, PII and judges --------------------------------------------------------------
