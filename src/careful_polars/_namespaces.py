"""The ``.careful`` namespaces on DataFrame, LazyFrame, Series and Expr.

Each method is a one-line delegation to a public function; the logic lives in exactly one place,
the capability module. Series methods run the Expr function. Importing ``careful_polars``
registers all four namespaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic

import polars as pl

from careful_polars._typing import FrameT

if TYPE_CHECKING:
    pass

# --- lineage and manifests ---
from careful_polars.lineage import (
    TemplateStore,
    guard_training,
    leak_report,
    tag_real,
    tag_synthetic,
    validate_lineage,
)
from careful_polars.manifest import (
    DatasetDiff,
    Manifest,
    diff,
    fingerprint,
    manifest,
    write_dataset,
)

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

    def validate_lineage(
        self,
        content: str | Sequence[str] | None = None,
        *,
        schema: Any = None,
        lazy: bool = True,
    ) -> FrameT:
        """Validate the lineage columns; see :func:`careful_polars.validate_lineage`."""
        return validate_lineage(self._frame, content, schema=schema, lazy=lazy)

    def tag_synthetic(
        self,
        *,
        generator: str | pl.Expr,
        generator_version: str | pl.Expr | None,
        prompt: str | pl.Expr,
        content: str | Sequence[str],
        sampling_params: Any = None,
        intended_use: str | pl.Expr | None = "train",
        seed_example_id: Any = None,
        eval_exclusion: bool | pl.Expr = False,
        never_train_on: bool | pl.Expr = False,
        reviewer: str | pl.Expr | None = None,
        created_at: Any = None,
        template_store: TemplateStore | None = None,
    ) -> FrameT:
        """Add lineage columns to generated rows; see :func:`careful_polars.tag_synthetic`."""
        return tag_synthetic(self._frame, generator=generator, generator_version=generator_version, prompt=prompt, content=content, sampling_params=sampling_params, intended_use=intended_use, seed_example_id=seed_example_id, eval_exclusion=eval_exclusion, never_train_on=never_train_on, reviewer=reviewer, created_at=created_at, template_store=template_store)  # noqa: E501

    def tag_real(
        self,
        *,
        content: str | Sequence[str],
        intended_use: str | pl.Expr | None = "train",
        eval_exclusion: bool | pl.Expr = False,
        never_train_on: bool | pl.Expr = False,
        reviewer: str | pl.Expr | None = None,
        created_at: Any = None,
    ) -> FrameT:
        """Add lineage columns to real rows; see :func:`careful_polars.tag_real`."""
        return tag_real(self._frame, content=content, intended_use=intended_use, eval_exclusion=eval_exclusion, never_train_on=never_train_on, reviewer=reviewer, created_at=created_at)  # noqa: E501

    def guard_training(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        content: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> FrameT:
        """Return the frame or raise EvalLeakError; see :func:`careful_polars.guard_training`."""
        return guard_training(self._frame, eval, content=content, near_duplicate_threshold=near_duplicate_threshold, near_duplicate_on=near_duplicate_on)  # noqa: E501

    def leak_report(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        content: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> pl.DataFrame:
        """Every isolation violation as a frame; see :func:`careful_polars.leak_report`."""
        return leak_report(self._frame, eval, content=content, near_duplicate_threshold=near_duplicate_threshold, near_duplicate_on=near_duplicate_on)  # noqa: E501

    def manifest(
        self,
        name: str,
        version: str,
        purpose: str,
        owner: str,
        **options: Any,
    ) -> Manifest:
        """Describe the frame in a Manifest; see :func:`careful_polars.manifest`."""
        return manifest(self._frame, name, version, purpose, owner, **options)

    def fingerprint(
        self, *, key: str = "example_id", content: str | Sequence[str] | None = None
    ) -> str:
        """Order-independent fingerprint; see :func:`careful_polars.fingerprint`."""
        return fingerprint(self._frame, key=key, content=content)

    def diff(self, new: pl.DataFrame | pl.LazyFrame, key: str = "example_id") -> DatasetDiff:
        """Compare this frame (old) with ``new``; see :func:`careful_polars.diff`."""
        return diff(self._frame, new, key=key)

    def write_dataset(self, path: str | Path, manifest: Manifest) -> Path:
        """Write Parquet + manifest; see :func:`careful_polars.write_dataset`."""
        return write_dataset(self._frame, path, manifest)

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
