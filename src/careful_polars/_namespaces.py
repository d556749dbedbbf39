"""The ``.careful`` namespaces on DataFrame, LazyFrame, Series and Expr.

Each method is a one-line delegation to a public function; the logic lives in exactly one place,
the capability module. Series methods run the Expr function. Importing ``careful_polars``
registers all four namespaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic

import polars as pl

from careful_polars import hashing, text
from careful_polars import lineage as _lineage
from careful_polars import manifest as _manifest
from careful_polars._typing import FrameT, IntoExpr, KeepRule

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from careful_polars._results import Split

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

    # --- lineage and manifests --------------------------------------------------------------

    def validate_lineage(
        self,
        content: str | Sequence[str] | None = None,
        *,
        schema: Any = None,
        lazy: bool = True,
    ) -> FrameT:
        """Validate the lineage columns; see :func:`careful_polars.validate_lineage`."""
        return _lineage.validate_lineage(self._frame, content, schema=schema, lazy=lazy)

    def tag_synthetic(
        self,
        *,
        generator: str | pl.Expr,
        generator_version: str | pl.Expr | None,
        prompt: str | pl.Expr | None = None,
        content: str | Sequence[str],
        prompt_hash: str | pl.Expr | None = None,
        sampling_params: Any = None,
        intended_use: str | pl.Expr | None = "train",
        seed_example_id: Any = None,
        eval_exclusion: bool | pl.Expr = False,
        never_train_on: bool | pl.Expr = False,
        reviewer: str | pl.Expr | None = None,
        created_at: Any = None,
        template_store: _lineage.TemplateStore | None = None,
    ) -> FrameT:
        """Add lineage columns to generated rows; see :func:`careful_polars.tag_synthetic`."""
        return _lineage.tag_synthetic(
            self._frame,
            generator=generator,
            generator_version=generator_version,
            prompt=prompt,
            content=content,
            prompt_hash=prompt_hash,
            sampling_params=sampling_params,
            intended_use=intended_use,
            seed_example_id=seed_example_id,
            eval_exclusion=eval_exclusion,
            never_train_on=never_train_on,
            reviewer=reviewer,
            created_at=created_at,
            template_store=template_store,
        )

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
        return _lineage.tag_real(
            self._frame,
            content=content,
            intended_use=intended_use,
            eval_exclusion=eval_exclusion,
            never_train_on=never_train_on,
            reviewer=reviewer,
            created_at=created_at,
        )

    def guard_training(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        content: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> FrameT:
        """Return the frame or raise EvalLeakError; see :func:`careful_polars.guard_training`."""
        return _lineage.guard_training(
            self._frame,
            eval,
            content=content,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def leak_report(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        content: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> pl.DataFrame:
        """Every isolation violation as a frame; see :func:`careful_polars.leak_report`."""
        return _lineage.leak_report(
            self._frame,
            eval,
            content=content,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def mark_leaks(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        content: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> FrameT:
        """Mark rows that break isolation; see :func:`careful_polars.mark_leaks`."""
        return _lineage.mark_leaks(
            self._frame,
            eval,
            content=content,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def split_leaks(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        content: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> Split[FrameT]:
        """Split off rows that break isolation; see :func:`careful_polars.split_leaks`."""
        return _lineage.split_leaks(
            self._frame,
            eval,
            content=content,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def manifest(
        self,
        name: str,
        version: str,
        purpose: str,
        owner: str,
        **options: Any,
    ) -> _manifest.Manifest:
        """Describe the frame in a Manifest; see :func:`careful_polars.manifest`."""
        return _manifest.manifest(self._frame, name, version, purpose, owner, **options)

    def fingerprint(
        self, *, key: str = "example_id", content: str | Sequence[str] | None = None
    ) -> str:
        """Order-independent fingerprint; see :func:`careful_polars.fingerprint`."""
        return _manifest.fingerprint(self._frame, key=key, content=content)

    def diff(
        self, new: pl.DataFrame | pl.LazyFrame, key: str = "example_id"
    ) -> _manifest.DatasetDiff:
        """Compare this frame (old) with ``new``; see :func:`careful_polars.diff`."""
        return _manifest.diff(self._frame, new, key=key)

    def write_dataset(self, path: str | Path, manifest: _manifest.Manifest) -> Path:
        """Write Parquet + manifest; see :func:`careful_polars.write_dataset`."""
        return _manifest.write_dataset(self._frame, path, manifest)

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
