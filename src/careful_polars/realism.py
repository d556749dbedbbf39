"""Realism checks: can a classifier tell synthetic from real rows, were real rows copied.

- :func:`detection_auc` trains a classifier to separate synthetic from real rows and reports its
  cross-validated ROC AUC with the features or tokens that give the synthetic rows away.
- :func:`copied_from` / :func:`split_copied` find synthetic rows identical to a real row with
  one hash join.
- :func:`distance_to_closest_record` measures how close each synthetic row of a numeric table
  comes to its nearest real row (KD-tree search, never a cross join).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from careful_polars._results import Split, add_reject_columns
from careful_polars._typing import FrameT
from careful_polars._utils import (
    as_list,
    check_columns,
    check_in,
    check_new_columns,
    collect,
    schema_of,
)
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "COPIED_COL",
    "DCR_COL",
    "DCR_ROW_COL",
    "ClosestRecords",
    "DetectionResult",
    "copied_from",
    "detection_auc",
    "distance_to_closest_record",
    "split_copied",
]

#: Column added by :func:`copied_from`: the ``example_id`` of the identical real row, or null.
COPIED_COL = "copied_from"
#: Column added by :func:`distance_to_closest_record`: distance to the nearest real row.
DCR_COL = "_careful_dcr"
#: Column added by :func:`distance_to_closest_record`: row number of that real row.
DCR_ROW_COL = "_careful_dcr_row"
#: Categories kept as their own code by the tabular detector; rarer ones share one code.
_MAX_CATEGORIES = 254
#: Hashed text features of the text detector.
_TEXT_FEATURES = 2**18
#: Rows of the last fold used for permutation importance (the fingerprints).
_IMPORTANCE_ROWS = 10_000


# --- detection classifier -------------------------------------------------------------------


@dataclass(frozen=True)
class DetectionResult:
    """Cross-validated separability of synthetic from real rows.

    Reading: AUC 0.5 means the classifier cannot tell them apart (the goal for training data);
    AUC near 1 means the synthetic rows carry fingerprints a model will learn. ``detection_score``
    is SDMetrics' ``1 - (max(AUC, 0.5) * 2 - 1)`` (1 = indistinguishable).

    Attributes
    ----------
    auc
        Out-of-fold ROC AUC of the combined detector (mean of the tabular and text models'
        probabilities when both run).
    fold_aucs
        ROC AUC of each fold.
    detection_score
        SDMetrics-style score.
    tabular_auc, text_auc
        Out-of-fold AUC of each model alone (None when it did not run).
    fingerprints
        ``kind`` ("feature" or "token"), ``name``, ``importance`` and ``points_to``
        ("synthetic" or "real"), most telling first.
    n_real, n_synthetic
        Rows used after class balancing and subsampling.
    """

    auc: float
    fold_aucs: tuple[float, ...]
    detection_score: float
    tabular_auc: float | None
    text_auc: float | None
    fingerprints: pl.DataFrame
    n_real: int
    n_synthetic: int

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form of the result."""
        return {
            "auc": self.auc,
            "fold_aucs": list(self.fold_aucs),
            "detection_score": self.detection_score,
            "tabular_auc": self.tabular_auc,
            "text_auc": self.text_auc,
            "fingerprints": self.fingerprints.to_dicts(),
            "n_real": self.n_real,
            "n_synthetic": self.n_synthetic,
        }

    def __repr__(self) -> str:
        top = self.fingerprints.get_column("name").head(5).to_list()
        return (
            f"DetectionResult(auc={self.auc:.4f}, detection_score={self.detection_score:.4f}, "
            f"n_real={self.n_real}, n_synthetic={self.n_synthetic}, fingerprints={top})"
        )


def _tabular_matrix(
    frame: pl.DataFrame, features: Sequence[str]
) -> tuple[NDArray[Any], list[bool]]:
    """Numeric matrix for HistGradientBoosting; categoricals become frequency-ranked codes."""
    columns = []
    is_cat = []
    for name in features:
        s = frame.get_column(name)
        if (s.dtype.is_numeric() and s.dtype != pl.Boolean) or s.dtype.is_temporal():
            values = (s.to_physical() if s.dtype.is_temporal() else s).cast(pl.Float64)
            columns.append(values.fill_null(float("nan")).to_numpy())
            is_cat.append(False)
        else:
            text = s.cast(pl.String)
            ranks = (
                text.drop_nulls()
                .value_counts(name="n")
                .sort("n", text.name, descending=[True, False])
                .head(_MAX_CATEGORIES)
                .with_row_index("code")
            )
            codes_s = (
                text.to_frame()
                .join(
                    ranks.select(text.name, "code"), on=text.name, how="left", maintain_order="left"
                )
                .select(
                    pl.when(pl.col(text.name).is_null())
                    .then(None)
                    .otherwise(pl.col("code").fill_null(_MAX_CATEGORIES))
                    .cast(pl.Float64)
                )
                .to_series()
            )
            columns.append(codes_s.fill_null(float("nan")).to_numpy())
            is_cat.append(True)
    return np.column_stack(columns), is_cat


def _auc(y: NDArray[Any], score: NDArray[Any]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, score))


def _balanced_sample(
    real: pl.DataFrame, synthetic: pl.DataFrame, max_rows: int, seed: int
) -> tuple[pl.DataFrame, NDArray[np.int8]]:
    n_each = min(real.height, synthetic.height, max_rows // 2)
    r = real.sample(n_each, seed=seed) if real.height > n_each else real
    s = synthetic.sample(n_each, seed=seed + 1) if synthetic.height > n_each else synthetic
    y = np.concatenate([np.zeros(r.height, np.int8), np.ones(s.height, np.int8)])
    return pl.concat([r, s], how="vertical_relaxed"), y


def detection_auc(
    real: pl.DataFrame | pl.LazyFrame,
    synthetic: pl.DataFrame | pl.LazyFrame,
    features: str | Sequence[str] | None = None,
    *,
    text: str | None = None,
    cv: int = 3,
    max_rows: int = 200_000,
    seed: int = 0,
    top_k: int = 20,
    n_threads: int | None = 1,
) -> DetectionResult:
    """Cross-validated ROC AUC of a classifier telling synthetic rows from real ones.

    Parameters
    ----------
    real, synthetic
        The two datasets (LazyFrames are read for the needed columns only).
    features
        Tabular columns for a ``HistGradientBoostingClassifier`` (numeric, temporal and
        categorical; categories beyond the 254 most frequent share one code; up to 100
        boosting rounds, early stopping on a seeded 10% split from 10,000 rows up). Default: when
        neither ``features`` nor ``text`` is given, every shared column except identifier-like
        ones, with long mostly-distinct strings used as text.
    text
        A text column for a hashing vectorizer (2**18 features, word unigrams) + logistic
        regression. With both ``features`` and ``text``, their out-of-fold probabilities are
        averaged.
    cv
        Stratified folds (shuffled with ``seed``).
    max_rows
        Total rows used; each class is subsampled (with ``seed``) to at most ``max_rows // 2``
        and both classes to the same size (class-balanced).
    seed
        Seed for subsampling, folds and the models.
    top_k
        Fingerprints (features or tokens) reported.
    n_threads
        OpenMP threads for the classifiers (``None``: the library default, every core). One by
        default: the fits are short, and OpenMP's barriers cost more than a second thread
        gains when the cores are shared (measured 2.0 s with one thread vs 16 s with two for
        one 133k-row fit on a busy 2-core machine).

    Returns
    -------
    DetectionResult

    Examples
    --------
    >>> import polars as pl
    >>> real = pl.DataFrame({"t": [f"my order {i} is late" for i in range(200)]})
    >>> synth = pl.DataFrame({"t": [f"certainly! order {i} is late" for i in range(200)]})
    >>> res = detection_auc(real, synth, text="t")
    >>> res.auc, res.detection_score
    (1.0, 0.0)
    >>> res.fingerprints.head(1).select("name", "points_to").row(0)
    ('certainly', 'synthetic')
    """
    if not isinstance(cv, int) or cv < 2:
        msg = f"cv={cv!r} must be an integer >= 2. Hint: 3 or 5 folds are usual."
        raise InvalidParameterError(msg)
    if max_rows < 2 * cv:
        msg = f"max_rows={max_rows!r} is too small for {cv} folds. Hint: use at least 1000."
        raise InvalidParameterError(msg)
    feats, text_col = _detection_columns(real, synthetic, as_list(features), text)
    needed = [*feats, *([text_col] if text_col else [])]
    check_columns(real, needed)
    check_columns(synthetic, needed)
    r_df, s_df = pl.collect_all([f.lazy().select(needed) for f in (real, synthetic)])
    if r_df.height < cv or s_df.height < cv:
        msg = (
            f"detection needs at least {cv} rows on each side (real {r_df.height}, synthetic "
            f"{s_df.height}). Hint: lower cv or pass more data."
        )
        raise InvalidParameterError(msg)
    data, y = _balanced_sample(r_df, s_df, max_rows, seed)
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(cv, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    limits = threadpool_limits(n_threads) if n_threads is not None else None
    try:
        tab_auc, txt_auc, scores, prints = _run_detectors(
            data, y, folds, feats, text_col, seed, top_k
        )
    finally:
        if limits is not None:
            limits.restore_original_limits()
    combined = np.mean(scores, axis=0)
    auc = _auc(y, combined)
    fold_aucs = tuple(_auc(y[val], combined[val]) for _, val in folds)
    fingerprints = pl.concat(prints).sort("importance", descending=True).head(top_k)
    score = 1.0 - (max(auc, 0.5) * 2.0 - 1.0)
    n_real = int((y == 0).sum())
    return DetectionResult(
        auc, fold_aucs, score, tab_auc, txt_auc, fingerprints, n_real, len(y) - n_real
    )


def _run_detectors(
    data: pl.DataFrame,
    y: NDArray[Any],
    folds: list[tuple[NDArray[Any], NDArray[Any]]],
    feats: list[str],
    text_col: str | None,
    seed: int,
    top_k: int,
) -> tuple[float | None, float | None, list[NDArray[np.float64]], list[pl.DataFrame]]:
    scores: list[NDArray[np.float64]] = []
    prints: list[pl.DataFrame] = []
    tab_auc = txt_auc = None
    if feats:
        oof, fp = _tabular_detector(data, feats, y, folds, seed, top_k)
        tab_auc = _auc(y, oof)
        scores.append(oof)
        prints.append(fp)
    if text_col:
        oof, fp = _text_detector(data.get_column(text_col), y, folds, seed, top_k)
        txt_auc = _auc(y, oof)
        scores.append(oof)
        prints.append(fp)
    return tab_auc, txt_auc, scores, prints


def _detection_columns(
    real: pl.DataFrame | pl.LazyFrame,
    synthetic: pl.DataFrame | pl.LazyFrame,
    features: list[str] | None,
    text: str | None,
) -> tuple[list[str], str | None]:
    if features is not None or text is not None:
        return features or [], text
    from careful_polars._kinds import infer_kind

    shared = [n for n in schema_of(real).names() if n in set(schema_of(synthetic).names())]
    sample = real.lazy().select(shared).head(20_000).collect()
    feats, text_col = [], None
    for name in shared:
        try:
            kind = infer_kind(sample.get_column(name))
        except DtypeNotSupportedError:
            continue
        if kind == "text" and text_col is None:
            text_col = name
        elif kind in ("numeric", "categorical"):
            feats.append(name)
    if not feats and text_col is None:
        msg = "no usable columns for detection. Hint: pass features= or text=."
        raise InvalidParameterError(msg)
    return feats, text_col


def _tabular_detector(
    data: pl.DataFrame,
    features: list[str],
    y: NDArray[Any],
    folds: list[tuple[NDArray[Any], NDArray[Any]]],
    seed: int,
    top_k: int,
) -> tuple[NDArray[np.float64], pl.DataFrame]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.inspection import permutation_importance

    x, is_cat = _tabular_matrix(data, features)
    oof = np.zeros(len(y))
    model = None
    for train, val in folds:
        # early stopping on a seeded 10% validation split from 10,000 rows up (sklearn's
        # "auto"): a weak or an obvious signal needs far fewer than 100 boosting rounds
        model = HistGradientBoostingClassifier(
            categorical_features=np.asarray(is_cat),
            random_state=seed,
            early_stopping="auto",
            max_iter=100,
        )
        model.fit(x[train], y[train])
        oof[val] = model.predict_proba(x[val])[:, 1]
    val = folds[-1][1]
    if val.shape[0] > _IMPORTANCE_ROWS:  # importance needs a ranking, not every row
        val = np.random.default_rng(seed).choice(val, _IMPORTANCE_ROWS, replace=False)
    imp = permutation_importance(
        model, x[val], y[val], scoring="roc_auc", n_repeats=2, random_state=seed
    )
    # direction: does the synthetic class sit higher (numeric) / where is the feature different
    direction = []
    for j in range(len(features)):
        col = x[:, j]
        ok = ~np.isnan(col)
        syn_mean = col[ok & (y == 1)].mean() if (ok & (y == 1)).any() else math.nan
        real_mean = col[ok & (y == 0)].mean() if (ok & (y == 0)).any() else math.nan
        direction.append("synthetic" if syn_mean >= real_mean else "real")
    fp = pl.DataFrame(
        {
            "kind": ["feature"] * len(features),
            "name": features,
            "importance": imp.importances_mean.astype(np.float64),
            "points_to": direction,
        }
    )
    return oof, fp.sort("importance", descending=True).head(top_k)


def _text_detector(
    text: pl.Series,
    y: NDArray[Any],
    folds: list[tuple[NDArray[Any], NDArray[Any]]],
    seed: int,
    top_k: int,
) -> tuple[NDArray[np.float64], pl.DataFrame]:
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = HashingVectorizer(
        n_features=_TEXT_FEATURES, alternate_sign=False, norm="l2", lowercase=True
    )
    docs = text.fill_null("").to_list()
    x = vectorizer.transform(docs)
    oof = np.zeros(len(y))
    for train, val in folds:
        model = LogisticRegression(C=1.0, solver="liblinear", max_iter=500, random_state=seed)
        model.fit(x[train], y[train])
        oof[val] = model.predict_proba(x[val])[:, 1]
    model = LogisticRegression(C=1.0, solver="liblinear", max_iter=500, random_state=seed).fit(x, y)
    coef = model.coef_[0]
    # map the hashed columns back to the tokens that produced them
    vocab = (
        text.drop_nulls()
        .str.to_lowercase()
        .str.extract_all(r"\b\w\w+\b")
        .explode()
        .drop_nulls()
        .unique()
        .sort()
    )
    tokens = vocab.to_list()
    if not tokens:
        return oof, pl.DataFrame(schema=_FINGERPRINT_SCHEMA)
    cols = vectorizer.transform(tokens).tocsr()
    idx = np.asarray(cols.indices if cols.nnz == len(tokens) else cols.argmax(axis=1)).ravel()
    weight = coef[idx]
    fp = pl.DataFrame(
        {
            "kind": "token",
            "name": tokens,
            "importance": np.abs(weight),
            "points_to": np.where(weight > 0, "synthetic", "real"),
        }
    )
    return oof, fp.sort("importance", "name", descending=[True, False]).head(top_k)


_FINGERPRINT_SCHEMA = {
    "kind": pl.String,
    "name": pl.String,
    "importance": pl.Float64,
    "points_to": pl.String,
}


# --- copied rows ----------------------------------------------------------------------------


def _copy_subset(
    synthetic: pl.DataFrame | pl.LazyFrame,
    real: pl.DataFrame | pl.LazyFrame,
    subset: str | Sequence[str] | None,
) -> list[str]:
    cols = as_list(subset)
    if cols is None:
        other = set(schema_of(real).names())
        cols = [n for n in schema_of(synthetic).names() if n in other]
    if not cols:
        msg = "the two frames share no columns. Hint: pass subset= naming the columns to compare."
        raise InvalidParameterError(msg)
    check_columns(synthetic, cols)
    check_columns(real, cols)
    return cols


def _mark_copies(
    synthetic: pl.LazyFrame, real: pl.LazyFrame, cols: list[str], name: str
) -> pl.LazyFrame:
    from careful_polars.hashing import content_hash

    hit = "__careful_hit"
    keys = real.select(cols).unique().with_columns(pl.lit(True).alias(hit))
    joined = synthetic.join(
        keys, on=cols, how="left", nulls_equal=True, maintain_order="left", coalesce=True
    )
    return joined.with_columns(
        pl.when(pl.col(hit)).then(content_hash(*cols)).otherwise(None).alias(name)
    ).drop(hit)


def copied_from(
    real: pl.DataFrame | pl.LazyFrame,
    synthetic: FrameT,
    subset: str | Sequence[str] | None = None,
    *,
    column: str = "copied_from",
    overwrite: bool = False,
) -> FrameT:
    """Mark synthetic rows identical to some real row (lossless form).

    One hash join of the synthetic rows against the distinct real rows on ``subset`` (nulls
    compare equal). Adds ``column`` (UInt64): the ``example_id``
    (:func:`careful_polars.hashing.content_hash` of ``subset``) shared with the real row, null
    when the row is not a copy. Row order and every input column are kept.

    Parameters
    ----------
    real
        Real rows the synthetic rows must not copy.
    synthetic
        Rows to check (DataFrame or LazyFrame; the result is the same kind).
    subset
        Columns that define "identical" (default: every column the frames share; usually the
        text or feature columns, not ids).
    column
        Name of the added column.
    overwrite
        Replace ``column`` when ``synthetic`` already has it; by default that raises
        :class:`~careful_polars.exceptions.ColumnExistsError`.

    Examples
    --------
    >>> import polars as pl
    >>> real = pl.DataFrame({"text": ["hello", "bye"], "id": ["r1", "r2"]})
    >>> synth = pl.DataFrame({"text": ["hi", "bye"], "id": ["s1", "s2"]})
    >>> copied_from(real, synth, "text").select("text", pl.col("copied_from").is_not_null())
    shape: (2, 2)
    ┌──────┬─────────────┐
    │ text ┆ copied_from │
    │ ---  ┆ ---         │
    │ str  ┆ bool        │
    ╞══════╪═════════════╡
    │ hi   ┆ false       │
    │ bye  ┆ true        │
    └──────┴─────────────┘
    """
    check_new_columns(synthetic, [column], overwrite=overwrite)
    cols = _copy_subset(synthetic, real, subset)
    out = _mark_copies(synthetic.lazy(), real.lazy(), cols, column)
    return out if isinstance(synthetic, pl.LazyFrame) else out.collect()


def split_copied(
    real: pl.DataFrame | pl.LazyFrame,
    synthetic: FrameT,
    subset: str | Sequence[str] | None = None,
) -> Split[FrameT]:
    """Split synthetic rows into those that copy no real row and those that do.

    ``kept`` has the input columns; ``rejected`` adds ``_careful_gate = "copied_from"``,
    ``_careful_reason`` and ``_careful_ref`` (the shared ``example_id``). ``kept + rejected``
    is the input.

    Examples
    --------
    >>> import polars as pl
    >>> real = pl.DataFrame({"text": ["hello", "bye"]})
    >>> kept, rejected = split_copied(real, pl.DataFrame({"text": ["hi", "bye"]}))
    >>> kept.height, rejected.get_column("_careful_gate").to_list()
    (1, ['copied_from'])
    """
    cols = _copy_subset(synthetic, real, subset)
    tmp = "__careful_copied"
    marked = _mark_copies(synthetic.lazy(), real.lazy(), cols, tmp)
    if isinstance(synthetic, pl.DataFrame):
        marked_df: pl.DataFrame | pl.LazyFrame = marked.collect()
    else:
        marked_df = marked
    kept = marked_df.filter(pl.col(tmp).is_null()).drop(tmp)
    rejected = add_reject_columns(  # type: ignore[type-var]
        marked_df.filter(pl.col(tmp).is_not_null()),
        "copied_from",
        f"identical to a real row on {cols}",
        pl.col(tmp),
    ).drop(tmp)
    return Split(kept, rejected)  # type: ignore[arg-type]


# --- distance to closest record -------------------------------------------------------------


@dataclass(frozen=True)
class ClosestRecords:
    """Distance from each synthetic row to its nearest real row.

    Attributes
    ----------
    frame
        The synthetic rows with ``_careful_dcr`` (distance in scaled units; null when a
        feature is missing or not finite) and ``_careful_dcr_row`` (row number of the nearest
        real row).
    median_real_distance
        Median distance from a real row to its nearest *other* real row (over a sample of
        ``baseline_rows``): the closeness real data shows by chance.
    share_closer
        Share of synthetic rows (with a distance) closer to a real row than that median: well
        above 0.5 means the generator sits on top of real records.
    """

    frame: pl.DataFrame
    median_real_distance: float
    share_closer: float
    n_real: int
    n_synthetic: int

    def to_dict(self) -> dict[str, Any]:
        """Summary numbers and the distances."""
        return {
            "median_real_distance": self.median_real_distance,
            "share_closer": self.share_closer,
            "n_real": self.n_real,
            "n_synthetic": self.n_synthetic,
            "distances": self.frame.get_column(DCR_COL).to_list(),
        }

    def __repr__(self) -> str:
        return (
            f"ClosestRecords(n_synthetic={self.n_synthetic}, n_real={self.n_real}, "
            f"median_real_distance={self.median_real_distance:.4g}, "
            f"share_closer={self.share_closer:.4f})"
        )


def _feature_matrix(frame: pl.DataFrame, columns: list[str]) -> NDArray[np.float64]:
    for name in columns:
        dtype = frame.schema[name]
        if not (dtype.is_numeric() or dtype.is_temporal()) or dtype == pl.Boolean:
            msg = (
                f"column {name!r} has dtype {dtype}; distance_to_closest_record needs numbers. "
                "Hint: encode it first or leave it out of columns=."
            )
            raise DtypeNotSupportedError(msg)
    return np.column_stack(
        [
            (
                frame.get_column(c).to_physical()
                if frame.schema[c].is_temporal()
                else frame.get_column(c)
            )
            .cast(pl.Float64)
            .fill_null(float("nan"))
            .to_numpy()
            for c in columns
        ]
    )


def distance_to_closest_record(
    real: pl.DataFrame | pl.LazyFrame,
    synthetic: pl.DataFrame | pl.LazyFrame,
    columns: str | Sequence[str],
    *,
    scale: Literal["std", "minmax"] | None = "std",
    baseline_rows: int = 100_000,
    seed: int = 0,
) -> ClosestRecords:
    """Distance (Euclidean) from every synthetic row to its closest real row.

    The real rows go into a KD-tree (``scipy.spatial.cKDTree``) and each synthetic row is one
    nearest-neighbour query: ``O((n + m) log m)``, never an ``n x m`` cross join. Features are
    scaled by the real data (``"std"``: divided by the real standard deviation; ``"minmax"``:
    mapped by the real range to [0, 1]; ``None``: as is). Rows with a missing or non-finite
    feature get a null distance (real ones are left out of the tree). The baseline is the
    median distance from a real row to its nearest other real row, over a sample of
    ``baseline_rows`` real rows (``seed``).

    Examples
    --------
    >>> import polars as pl
    >>> real = pl.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "y": [0.0, 1.0, 0.0, 1.0]})
    >>> synth = pl.DataFrame({"x": [0.0, 1.5], "y": [0.0, 0.5]})
    >>> res = distance_to_closest_record(real, synth, ["x", "y"], scale=None)
    >>> res.frame.get_column("_careful_dcr").round(4).to_list(), res.share_closer
    ([0.0, 0.7071], 1.0)
    """
    from scipy.spatial import cKDTree

    cols = as_list(columns) or []
    if not cols:
        msg = "columns= is empty. Hint: name the numeric columns to measure distance on."
        raise InvalidParameterError(msg)
    check_in("scale", scale, ["std", "minmax", None])
    check_columns(synthetic, cols)
    check_columns(real, cols)
    syn_df = collect(synthetic)
    r_df, s_sel = pl.collect_all([real.lazy().select(cols), syn_df.lazy().select(cols)])
    x_real = _feature_matrix(r_df, cols)
    x_syn = _feature_matrix(s_sel, cols)
    real_ok = np.isfinite(x_real).all(axis=1)
    real_rows = np.flatnonzero(real_ok)
    x_real = x_real[real_ok]
    if x_real.shape[0] < 2:
        msg = "fewer than 2 complete real rows. Hint: check the columns for nulls."
        raise InvalidParameterError(msg)
    if scale == "std":
        offset, width = x_real.mean(axis=0), x_real.std(axis=0)
    elif scale == "minmax":
        offset, width = x_real.min(axis=0), x_real.max(axis=0) - x_real.min(axis=0)
    else:
        offset, width = np.zeros(len(cols)), np.ones(len(cols))
    width = np.where(width > 0, width, 1.0)
    x_real = (x_real - offset) / width
    x_syn = (x_syn - offset) / width
    tree = cKDTree(x_real)
    syn_ok = np.isfinite(x_syn).all(axis=1)
    dist = np.full(x_syn.shape[0], np.nan)
    nearest = np.full(x_syn.shape[0], -1, dtype=np.int64)
    if syn_ok.any():
        d, i = tree.query(x_syn[syn_ok], k=1, workers=2)
        dist[syn_ok] = d
        nearest[syn_ok] = real_rows[i]
    rng = np.random.default_rng(seed)
    n_base = min(baseline_rows, x_real.shape[0])
    base_idx = rng.choice(x_real.shape[0], n_base, replace=False)
    base_d, _ = tree.query(x_real[base_idx], k=2, workers=2)
    median_real = float(np.median(base_d[:, 1]))
    measured = dist[syn_ok]
    share = float((measured < median_real).mean()) if measured.size else math.nan
    frame = syn_df.with_columns(
        pl.Series(DCR_COL, dist, dtype=pl.Float64).fill_nan(None),
        pl.Series(DCR_ROW_COL, nearest, dtype=pl.Int64).replace(-1, None),
    )
    return ClosestRecords(frame, median_real, share, int(x_real.shape[0]), syn_df.height)
