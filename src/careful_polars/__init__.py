"""careful_polars: data-quality gates for synthetic and real training data, on Polars.

``import careful_polars`` registers the ``.careful`` namespace on ``pl.DataFrame``,
``pl.LazyFrame``, ``pl.Series`` and ``pl.Expr``; every method there is also a plain function
here (``careful_polars.dedup(df)`` is ``df.careful.dedup()``).
"""

from __future__ import annotations

from careful_polars import _namespaces, datasets, exceptions
from careful_polars._results import Split
from careful_polars.exceptions import (
    CarefulError,
    ColumnExistsError,
    ColumnNotFoundError,
    DtypeNotSupportedError,
    EvalLeakError,
    FingerprintMismatchError,
    IndexMismatchError,
    InvalidParameterError,
    RatioCapError,
    UseNotAllowedError,
)

# --- hashing (exact duplicates) -------------------------------------------------------------
from careful_polars.hashing import (
    HASH_SCHEME,
    content_hash,
    dedup,
    mark_duplicates,
    split_duplicates,
)
from careful_polars.text import normalize_text

# --- near-duplicates ------------------------------------------------------------------------
# isort: split
from careful_polars.contamination import (
    contamination_report,
    mark_contaminated,
    split_contaminated,
)
from careful_polars.index import MinHashIndex
from careful_polars.neardup import (
    lsh_curve,
    lsh_params,
    mark_near_duplicates,
    minhash,
    near_dedup,
    near_duplicate_pairs,
    split_near_duplicates,
    to_datasketch,
)
from careful_polars.semantic import (
    mark_semantic_duplicates,
    semantic_dedup,
    semantic_duplicate_pairs,
    split_semantic_duplicates,
)

# --- drift and realism ----------------------------------------------------------------------
# isort: split
from careful_polars.drift import (
    DriftReport,
    KSResult,
    Profile,
    TextDrift,
    chi_square,
    drift_report,
    jensen_shannon,
    ks_2samp,
    profile,
    psi,
    text_drift,
    total_variation,
    wasserstein,
)
from careful_polars.realism import (
    ClosestRecords,
    DetectionResult,
    copied_from,
    detection_auc,
    distance_to_closest_record,
    split_copied,
)

# --- sampling and mixing --------------------------------------------------------------------
# isort: split
from careful_polars.sampling import (
    MixResult,
    RatioReport,
    SamplingShortfallWarning,
    mix,
    ratio_report,
    stratified_allocation,
    stratified_sample,
)

# --- lineage and manifests ------------------------------------------------------------------
# isort: split
from careful_polars.lineage import (
    TemplateStore,
    guard_training,
    leak_report,
    mark_leaks,
    split_leaks,
    tag_real,
    tag_synthetic,
    validate_lineage,
)
from careful_polars.manifest import (
    DatasetDiff,
    Manifest,
    ManifestDiff,
    build_manifest,
    diff,
    fingerprint,
    read_dataset,
    scan_dataset,
    write_dataset,
)


def __getattr__(name: str) -> object:
    # LineageSchema subclasses a pandera model; pandera is imported only on first use
    if name == "LineageSchema":
        from careful_polars._lineage_schema import LineageSchema

        return LineageSchema
    msg = f"module 'careful_polars' has no attribute {name!r}"
    raise AttributeError(msg)


# --- gates, PII and judges ------------------------------------------------------------------
# isort: split
from careful_polars.gates import Gate, GateResult, Gates, custom_gate, run_gates  # noqa: E402
from careful_polars.judges import (  # noqa: E402
    calibration_sample,
    judge_agreement,
    mark_disagreement,
)
from careful_polars.memorisation import memorised_spans  # noqa: E402
from careful_polars.pii import (  # noqa: E402
    PII_KINDS,
    echoed_identifiers,
    find_pii,
    has_pii,
    redact_pii,
)

__version__ = "0.1.0"

__all__ = [
    "CarefulError",
    "ColumnExistsError",
    "ColumnNotFoundError",
    "DtypeNotSupportedError",
    "EvalLeakError",
    "FingerprintMismatchError",
    "IndexMismatchError",
    "InvalidParameterError",
    "RatioCapError",
    "Split",
    "UseNotAllowedError",
    "__version__",
    "datasets",
    "exceptions",
    # --- hashing (exact duplicates) ---
    "HASH_SCHEME",
    "content_hash",
    "dedup",
    "mark_duplicates",
    "normalize_text",
    "split_duplicates",
    # --- near-duplicates ---
    "MinHashIndex",
    "contamination_report",
    "lsh_curve",
    "lsh_params",
    "mark_contaminated",
    "mark_near_duplicates",
    "minhash",
    "near_dedup",
    "near_duplicate_pairs",
    "split_contaminated",
    "split_near_duplicates",
    "to_datasketch",
    # --- semantic duplicates ---
    "mark_semantic_duplicates",
    "semantic_dedup",
    "semantic_duplicate_pairs",
    "split_semantic_duplicates",
    # --- drift and realism ---
    "ClosestRecords",
    "DetectionResult",
    "DriftReport",
    "KSResult",
    "Profile",
    "TextDrift",
    "chi_square",
    "copied_from",
    "detection_auc",
    "distance_to_closest_record",
    "drift_report",
    "jensen_shannon",
    "ks_2samp",
    "profile",
    "psi",
    "split_copied",
    "text_drift",
    "total_variation",
    "wasserstein",
    # --- sampling and mixing ---
    "MixResult",
    "RatioReport",
    "SamplingShortfallWarning",
    "mix",
    "ratio_report",
    "stratified_allocation",
    "stratified_sample",
    # --- lineage and manifests ---
    "DatasetDiff",
    "LineageSchema",
    "Manifest",
    "ManifestDiff",
    "TemplateStore",
    "diff",
    "fingerprint",
    "guard_training",
    "leak_report",
    "build_manifest",
    "mark_leaks",
    "read_dataset",
    "scan_dataset",
    "split_leaks",
    "tag_real",
    "tag_synthetic",
    "validate_lineage",
    "write_dataset",
    # --- gates, PII and judges ---
    "Gate",
    "GateResult",
    "Gates",
    "PII_KINDS",
    "calibration_sample",
    "echoed_identifiers",
    "find_pii",
    "custom_gate",
    "run_gates",
    "has_pii",
    "judge_agreement",
    "mark_disagreement",
    "memorised_spans",
    "redact_pii",
]

del _namespaces
