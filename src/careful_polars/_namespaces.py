"""The ``.careful`` namespaces on DataFrame, LazyFrame, Series and Expr.

Each method is a one-line delegation to a public function; the logic lives in exactly one place,
the capability module. Series methods run the Expr function. Importing ``careful_polars``
registers all four namespaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, Literal

import polars as pl

from careful_polars import hashing, sampling, text
from careful_polars import lineage as _lineage
from careful_polars import manifest as _manifest
from careful_polars import realism as _realism
from careful_polars._typing import FrameT, IntoExpr, KeepRule
from careful_polars.drift import drift as _drift
from careful_polars.drift import profile as _profile
from careful_polars.drift import text_drift as _text_drift

if TYPE_CHECKING:
    from collections.abc import Mapping
    from fractions import Fraction
    from pathlib import Path
    from typing import Any, Literal

    from careful_polars._results import Split
    from careful_polars.drift import DriftReport, Profile, TextDrift
    from careful_polars.gates import Gate, GateResult, Gates  # gates, PII and judges
    from careful_polars.realism import ClosestRecords, DetectionResult
    from careful_polars.sampling import Allocation, EmptyRealPolicy, MixResult, RatioReport

__all__ = ["CarefulExpr", "CarefulFrame", "CarefulLazyFrame", "CarefulSeries"]


class _FrameNamespace(Generic[FrameT]):
    """Methods shared by ``DataFrame.careful`` and ``LazyFrame.careful``."""

    def __init__(self, frame: FrameT) -> None:
        self._frame: FrameT = frame

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

    def mark_near_duplicates(
        self,
        text: str,
        threshold: float = 0.8,
        num_perm: int = 128,
        ngram: int = 5,
        unit: Literal["word", "char"] = "word",
        verify: Literal["jaccard", "signature"] | None = "jaccard",
        keep: Literal["first", "longest"] | pl.Expr = "first",
        seed: int = 42,
    ) -> FrameT:
        """Add ``cluster_id``, ``is_representative``, ``dup_of`` and ``similarity``."""
        from careful_polars.neardup import mark_near_duplicates

        return mark_near_duplicates(
            self._frame, text, threshold, num_perm, ngram, unit, verify, keep, seed
        )

    def near_dedup(
        self,
        text: str,
        threshold: float = 0.8,
        num_perm: int = 128,
        ngram: int = 5,
        unit: Literal["word", "char"] = "word",
        verify: Literal["jaccard", "signature"] | None = "jaccard",
        keep: Literal["first", "longest"] | pl.Expr = "first",
        seed: int = 42,
    ) -> FrameT:
        """Keep one row per near-duplicate cluster."""
        from careful_polars.neardup import near_dedup

        return near_dedup(self._frame, text, threshold, num_perm, ngram, unit, verify, keep, seed)

    def split_near_duplicates(
        self,
        text: str,
        threshold: float = 0.8,
        num_perm: int = 128,
        ngram: int = 5,
        unit: Literal["word", "char"] = "word",
        verify: Literal["jaccard", "signature"] | None = "jaccard",
        keep: Literal["first", "longest"] | pl.Expr = "first",
        seed: int = 42,
    ) -> Split[FrameT]:
        """Split into representatives and near-duplicates (gate "near_duplicate")."""
        from careful_polars.neardup import split_near_duplicates

        return split_near_duplicates(
            self._frame, text, threshold, num_perm, ngram, unit, verify, keep, seed
        )

    def contamination(
        self,
        eval: pl.DataFrame | pl.LazyFrame,
        on: str = "text",
        threshold: float = 0.8,
        ngram_overlap: int | None = 13,
    ) -> pl.DataFrame:
        """Report evaluation rows of ``eval`` that leak into this (training) frame."""
        from careful_polars.contamination import contamination

        return contamination(self._frame, eval, on, threshold, ngram_overlap)

    def mark_contaminated(
        self,
        train: pl.DataFrame | pl.LazyFrame,
        on: str = "text",
        threshold: float = 0.8,
        ngram_overlap: int | None = 13,
    ) -> FrameT:
        """Mark rows of this (evaluation) frame that leak into ``train``."""
        from careful_polars.contamination import mark_contaminated

        return mark_contaminated(self._frame, train, on, threshold, ngram_overlap)

    def split_contaminated(
        self,
        train: pl.DataFrame | pl.LazyFrame,
        on: str = "text",
        threshold: float = 0.8,
        ngram_overlap: int | None = 13,
    ) -> Split[FrameT]:
        """Split this (evaluation) frame into clean and contaminated rows (gate "contamination")."""
        from careful_polars.contamination import split_contaminated

        return split_contaminated(self._frame, train, on, threshold, ngram_overlap)

    # --- drift and realism ------------------------------------------------------------------

    def drift(
        self,
        other: pl.DataFrame | pl.LazyFrame,
        columns: str | Sequence[str] | None = None,
        by: str | Sequence[str] | None = None,
        methods: str | Sequence[str] | Mapping[str, str | Sequence[str]] = "auto",
        thresholds: Mapping[str, float] | None = None,
        correction: Literal["bh", "bonferroni"] | None = None,
        *,
        n_bins: int = 10,
        top_k: int = 20,
    ) -> DriftReport:
        """Drift of ``other`` against this frame as reference; see :func:`careful_polars.drift_report`."""
        return _drift(
            self._frame,
            other,
            columns,
            by,
            methods,
            thresholds,
            correction,
            n_bins=n_bins,
            top_k=top_k,
        )

    def profile(
        self,
        columns: str | Sequence[str] | None = None,
        *,
        by: str | Sequence[str] | None = None,
        methods: str | Sequence[str] | Mapping[str, str | Sequence[str]] = "auto",
        sketch_size: int | None = None,
    ) -> Profile:
        """Reusable reference profile of this frame; see :func:`careful_polars.profile`."""
        return _profile(self._frame, columns, by=by, methods=methods, sketch_size=sketch_size)

    def text_drift(
        self, other: pl.DataFrame | pl.LazyFrame, column: str, *, top_k: int = 20
    ) -> TextDrift:
        """Drift of a text column of ``other``; see :func:`careful_polars.text_drift`."""
        return _text_drift(self._frame, other, column, top_k=top_k)

    def detection_auc(
        self,
        synthetic: pl.DataFrame | pl.LazyFrame,
        features: str | Sequence[str] | None = None,
        text: str | None = None,
        cv: int = 3,
        max_rows: int = 200_000,
        seed: int = 0,
        *,
        top_k: int = 20,
        n_threads: int | None = 1,
    ) -> DetectionResult:
        """Can a classifier tell ``synthetic`` from this (real) frame? See :func:`careful_polars.detection_auc`."""
        return _realism.detection_auc(
            self._frame,
            synthetic,
            features,
            text,
            cv,
            max_rows,
            seed,
            top_k=top_k,
            n_threads=n_threads,
        )

    def copied_from(
        self,
        real: pl.DataFrame | pl.LazyFrame,
        subset: str | Sequence[str] | None = None,
        *,
        name: str = "copied_from",
    ) -> FrameT:
        """Mark rows identical to a real row; see :func:`careful_polars.copied_from`."""
        return _realism.copied_from(self._frame, real, subset, name=name)

    def split_copied(
        self, real: pl.DataFrame | pl.LazyFrame, subset: str | Sequence[str] | None = None
    ) -> Split[FrameT]:
        """Split off rows identical to a real row; see :func:`careful_polars.split_copied`."""
        return _realism.split_copied(self._frame, real, subset)

    def distance_to_closest_record(
        self,
        real: pl.DataFrame | pl.LazyFrame,
        columns: str | Sequence[str],
        *,
        scale: Literal["std", "minmax"] | None = "std",
        baseline_rows: int = 100_000,
        seed: int = 0,
    ) -> ClosestRecords:
        """Distance of each row to its closest real row; see :func:`careful_polars.distance_to_closest_record`."""
        return _realism.distance_to_closest_record(
            self._frame, real, columns, scale=scale, baseline_rows=baseline_rows, seed=seed
        )

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

    def validate_lineage(
        self,
        subset: str | Sequence[str] | None = None,
        *,
        schema: Any = None,
        lazy: bool = True,
    ) -> FrameT:
        """Validate the lineage columns; see :func:`careful_polars.validate_lineage`."""
        return _lineage.validate_lineage(self._frame, subset, schema=schema, lazy=lazy)

    def tag_synthetic(
        self,
        *,
        generator: str | pl.Expr,
        generator_version: str | pl.Expr | None,
        prompt: str | pl.Expr | None = None,
        subset: str | Sequence[str],
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
            subset=subset,
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
        subset: str | Sequence[str],
        intended_use: str | pl.Expr | None = "train",
        eval_exclusion: bool | pl.Expr = False,
        never_train_on: bool | pl.Expr = False,
        reviewer: str | pl.Expr | None = None,
        created_at: Any = None,
    ) -> FrameT:
        """Add lineage columns to real rows; see :func:`careful_polars.tag_real`."""
        return _lineage.tag_real(
            self._frame,
            subset=subset,
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
        subset: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> FrameT:
        """Return the frame or raise EvalLeakError; see :func:`careful_polars.guard_training`."""
        return _lineage.guard_training(
            self._frame,
            eval,
            subset=subset,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def leak_report(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        subset: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> pl.DataFrame:
        """Every isolation violation as a frame; see :func:`careful_polars.leak_report`."""
        return _lineage.leak_report(
            self._frame,
            eval,
            subset=subset,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def mark_leaks(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        subset: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> FrameT:
        """Mark rows that break isolation; see :func:`careful_polars.mark_leaks`."""
        return _lineage.mark_leaks(
            self._frame,
            eval,
            subset=subset,
            near_duplicate_threshold=near_duplicate_threshold,
            near_duplicate_on=near_duplicate_on,
        )

    def split_leaks(
        self,
        eval: pl.DataFrame | pl.LazyFrame | None = None,
        *,
        subset: str | Sequence[str] | None = None,
        near_duplicate_threshold: float | None = None,
        near_duplicate_on: str | None = None,
    ) -> Split[FrameT]:
        """Split off rows that break isolation; see :func:`careful_polars.split_leaks`."""
        return _lineage.split_leaks(
            self._frame,
            eval,
            subset=subset,
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
        self, *, key: str = "example_id", subset: str | Sequence[str] | None = None
    ) -> str:
        """Order-independent fingerprint; see :func:`careful_polars.fingerprint`."""
        return _manifest.fingerprint(self._frame, key=key, subset=subset)

    def diff(
        self, new: pl.DataFrame | pl.LazyFrame, key: str = "example_id"
    ) -> _manifest.DatasetDiff:
        """Compare this frame (old) with ``new``; see :func:`careful_polars.diff`."""
        return _manifest.diff(self._frame, new, key=key)

    def write_dataset(self, path: str | Path, manifest: _manifest.Manifest) -> Path:
        """Write Parquet + manifest; see :func:`careful_polars.write_dataset`."""
        return _manifest.write_dataset(self._frame, path, manifest)

    # --- gates, PII and judges --------------------------------------------------------------

    def gate(
        self,
        gates: Gates | Sequence[Gate],
        *,
        progress: Callable[[int, int, str, pl.DataFrame | None], None] | None = None,
    ) -> GateResult:
        """Run a gate cascade; see :func:`careful_polars.gates.run_gates`."""
        from careful_polars.gates import run_gates

        return run_gates(self._frame, gates, progress=progress)

    def echoed_identifiers(
        self,
        real: pl.DataFrame | pl.LazyFrame | pl.Series,
        *,
        text: str = "text",
        real_text: str | None = None,
        identifiers: Sequence[str] | None = None,
        kinds: Sequence[str] | None = None,
        min_length: int = 6,
        column: str = "echoed_identifiers",
    ) -> FrameT:
        """Mark rows echoing real identifiers; see :func:`careful_polars.echoed_identifiers`."""
        from careful_polars.pii import echoed_identifiers

        return echoed_identifiers(
            self._frame,
            real,
            text=text,
            real_text=real_text,
            identifiers=identifiers,
            kinds=kinds,
            min_length=min_length,
            column=column,
        )

    def memorised_spans(
        self,
        real: pl.DataFrame | pl.LazyFrame | pl.Series,
        *,
        text: str = "text",
        real_text: str | None = None,
        id: str | None = None,
        real_id: str | None = None,
        min_words: int | None = None,
        min_chars: int | None = None,
    ) -> pl.DataFrame:
        """Spans copied from ``real``; see :func:`careful_polars.memorised_spans`."""
        from careful_polars.memorisation import memorised_spans

        return memorised_spans(
            self._frame,
            real,
            text=text,
            real_text=real_text,
            id=id,
            real_id=real_id,
            min_words=min_words,
            min_chars=min_chars,
        )

    def judge_agreement(self, judges: Sequence[str], *, kind: str = "nominal") -> pl.DataFrame:
        """Agreement statistics; see :func:`careful_polars.judge_agreement`."""
        from careful_polars.judges import judge_agreement

        return judge_agreement(self._frame, judges, kind=kind)  # type: ignore[arg-type]

    def mark_disagreement(
        self,
        judges: Sequence[str],
        *,
        rule: str | pl.Expr = "unanimous",
        tolerance: float = 0.0,
        column: str = "_careful_disagree",
    ) -> FrameT:
        """Flag rows the judges disagree on; see :func:`careful_polars.mark_disagreement`."""
        from careful_polars.judges import mark_disagreement

        return mark_disagreement(self._frame, judges, rule=rule, tolerance=tolerance, column=column)  # type: ignore[arg-type]

    def calibration_sample(
        self,
        n: int,
        *,
        seed: int = 0,
        by: str | Sequence[str] | None = None,
        decided: str | pl.Expr | None = None,
    ) -> FrameT:
        """Stratified spot-check sample; see :func:`careful_polars.calibration_sample`."""
        from careful_polars.judges import calibration_sample

        return calibration_sample(self._frame, n, seed=seed, by=by, decided=decided)


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

    def minhash(
        self,
        num_perm: int = 128,
        ngram: int = 5,
        unit: Literal["word", "char"] = "word",
        normalize: bool | Literal["unicode"] = True,
        seed: int = 42,
    ) -> pl.Expr:
        """MinHash signature of every text (``pl.Array(pl.UInt32, num_perm)``)."""
        from careful_polars.neardup import minhash

        return minhash(self._expr, num_perm, ngram, unit, normalize, seed)

    # --- gates, PII and judges --------------------------------------------------------------

    def find_pii(self, *, kinds: Sequence[str] | None = None) -> pl.Expr:
        """PII spans per row; see :func:`careful_polars.find_pii`."""
        from careful_polars.pii import find_pii

        return find_pii(self._expr, kinds=kinds)

    def has_pii(self, *, kinds: Sequence[str] | None = None) -> pl.Expr:
        """Whether a row contains PII; see :func:`careful_polars.has_pii`."""
        from careful_polars.pii import has_pii

        return has_pii(self._expr, kinds=kinds)

    def redact_pii(
        self, replacement: str = "[{kind}]", *, kinds: Sequence[str] | None = None
    ) -> pl.Expr:
        """Redacted text; see :func:`careful_polars.redact_pii`."""
        from careful_polars.pii import redact_pii

        return redact_pii(self._expr, replacement, kinds=kinds)


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

    def minhash(
        self,
        num_perm: int = 128,
        ngram: int = 5,
        unit: Literal["word", "char"] = "word",
        normalize: bool | Literal["unicode"] = True,
        seed: int = 42,
    ) -> pl.Series:
        """MinHash signature of every text (``pl.Array(pl.UInt32, num_perm)``)."""
        from careful_polars.neardup import minhash

        return self._run(minhash(self._col, num_perm, ngram, unit, normalize, seed))

    # --- gates, PII and judges --------------------------------------------------------------

    def find_pii(self, *, kinds: Sequence[str] | None = None) -> pl.Series:
        """PII spans per row; see :func:`careful_polars.find_pii`."""
        from careful_polars.pii import find_pii

        return self._run(find_pii(self._col, kinds=kinds))

    def has_pii(self, *, kinds: Sequence[str] | None = None) -> pl.Series:
        """Whether a row contains PII; see :func:`careful_polars.has_pii`."""
        from careful_polars.pii import has_pii

        return self._run(has_pii(self._col, kinds=kinds))

    def redact_pii(
        self, replacement: str = "[{kind}]", *, kinds: Sequence[str] | None = None
    ) -> pl.Series:
        """Redacted text; see :func:`careful_polars.redact_pii`."""
        from careful_polars.pii import redact_pii

        return self._run(redact_pii(self._col, replacement, kinds=kinds))
