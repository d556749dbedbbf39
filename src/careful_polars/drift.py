"""Distribution drift between a reference (real) dataset and a current (synthetic or new) one.

Two layers:

- **Statistics** on two samples (Series, arrays or lists): :func:`ks_2samp`,
  :func:`wasserstein`, :func:`psi`, :func:`jensen_shannon`, :func:`total_variation` and
  :func:`chi_square`. They live in the internal module ``careful_polars._stats`` (with the
  per-sample summaries a profile stores) and are re-exported here. Numeric samples are sorted
  once each; Kolmogorov-Smirnov and Wasserstein-1 come from one merge of the two sorted arrays
  in a numba kernel and agree with ``scipy.stats.ks_2samp`` /
  ``scipy.stats.wasserstein_distance``.
- **Reports**: :func:`drift_report` compares every column (and stratum, with ``by=``) and returns a
  :class:`DriftReport` holding a tidy frame; :func:`profile` summarises a reference once into a
  :class:`Profile` that can be saved and reused; :func:`text_drift` describes how a text column
  moved (lengths, vocabulary, diversity, over- and under-represented tokens).

Missing and non-finite values: nulls, NaN and +-infinity are removed from every statistic and
reported separately as ``null_rate_*``, ``nan_rate_*`` and ``inf_rate_*``; the statistics
describe the finite values.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

import numpy as np
import polars as pl

from careful_polars._kinds import Kind, infer_kind
from careful_polars._stats import (
    Categorical,
    Counts,
    KSResult,
    Numeric,
    TestResult,
    align,
    binned_shares,
    categorical_summary,
    check_bins,
    chi2_from_summaries,
    chi_square,
    jensen_shannon,
    js_from_shares,
    ks_2samp,
    ks_from_sorted,
    normalised,
    numeric_summaries,
    psi,
    psi_from_shares,
    shares,
    total_variation,
    tvd_from_shares,
    wasserstein,
)
from careful_polars._utils import as_list, check_columns, check_in, schema_of
from careful_polars.exceptions import (
    InvalidParameterError,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "DriftReport",
    "KSResult",
    "Profile",
    "TestResult",
    "TextDrift",
    "chi_square",
    "drift_report",
    "jensen_shannon",
    "ks_2samp",
    "profile",
    "psi",
    "text_drift",
    "total_variation",
    "wasserstein",
]

#: Regular expression for word tokens in text drift (letters, digits, apostrophes; lower-cased).
TOKEN_PATTERN = r"[\p{L}\p{N}']+"
#: Over- and under-represented tokens must change their rate at least 2x (|log2 ratio| >= 1).
TOKEN_MIN_LOG2_RATIO = 1.0
#: Default effect-size thresholds per method (``alpha`` is the p-value level).
DEFAULT_THRESHOLDS: dict[str, float] = {
    "alpha": 0.05,
    "ks": 0.1,
    "wasserstein": 0.1,
    "psi": 0.2,
    "jensenshannon": 0.1,
    "tvd": 0.1,
    "chi2": 0.1,
    "oov_rate": 0.05,
    "distinct_1": 0.25,
    "distinct_2": 0.25,
    "ttr": 0.25,
}
_NUMERIC_METHODS = ("ks", "wasserstein")
_CATEGORICAL_METHODS = ("chi2",)
_ANY_METHODS = ("psi", "jensenshannon", "tvd")
_METHODS = (*_NUMERIC_METHODS, *_CATEGORICAL_METHODS, *_ANY_METHODS, "text", "skip")
_EFFECT_NAMES = {
    "ks": "wasserstein_norm",
    "wasserstein": "wasserstein_norm",
    "psi": "psi",
    "jensenshannon": "js_distance",
    "tvd": "tvd",
    "chi2": "cramers_v",
}
_PROFILE_FORMAT = "careful_polars.profile/1"


@dataclass(frozen=True)
class _Text:
    counts: Counts
    char_len: Numeric
    word_len: Numeric
    tokens: list[str]
    token_freq: NDArray[np.int64]
    n_bigrams_distinct: int
    n_bigrams: int
    ttr_mean: float


_Summary = Union[Numeric, Categorical, _Text, Counts]  # noqa: UP007 (runtime alias, py3.10)


def _tokens_expr(column: str) -> pl.Expr:
    return pl.col(column).str.to_lowercase().str.extract_all(TOKEN_PATTERN)


def _text_summary(series: pl.Series) -> _Text:
    name = series.name
    frame = series.cast(pl.String).to_frame().drop_nulls()
    toks = frame.select(
        pl.col(name).str.len_chars().alias("chars"),
        _tokens_expr(name).alias("tokens"),
    ).with_columns(pl.col("tokens").list.len().alias("words"))
    char_len, word_len = numeric_summaries([toks["chars"], toks["words"]])
    ttr = toks.select(
        (pl.col("tokens").list.n_unique() / pl.col("words")).filter(pl.col("words") > 0).mean()
    ).item()
    flat = toks.select(pl.int_range(pl.len()).alias("row"), "tokens").explode("tokens")
    flat = flat.drop_nulls("tokens")
    freq = (
        flat.group_by("tokens")
        .len("n")
        .sort("n", "tokens", descending=[True, False])
        .with_columns(pl.col("n").cast(pl.Int64))
    )
    bigrams = flat.select(
        pl.concat_str(pl.col("tokens"), pl.col("tokens").shift(-1).over("row"), separator=" ")
    ).drop_nulls()
    return _Text(
        Counts(series.len(), series.null_count()),
        char_len,
        word_len,
        freq.get_column("tokens").to_list(),
        freq.get_column("n").to_numpy(),
        int(bigrams.n_unique()) if bigrams.height else 0,
        bigrams.height,
        float(ttr) if ttr is not None else math.nan,
    )


# --- column kinds and methods ----------------------------------------------------------------


def _kind_for_methods(name: str, inferred: Kind, methods: list[str]) -> Kind:
    wanted: set[Kind] = set()
    for m in methods:
        if m in _NUMERIC_METHODS:
            wanted.add("numeric")
        elif m in _CATEGORICAL_METHODS:
            wanted.add("categorical")
        elif m == "text":
            wanted.add("text")
    if len(wanted) > 1:
        msg = (
            f"methods {methods} for column {name!r} need different column kinds {sorted(wanted)}. "
            "Hint: pick numeric methods (ks, wasserstein, psi) or categorical ones (chi2), "
            "not both."
        )
        raise InvalidParameterError(msg)
    if wanted:
        return wanted.pop()
    return "categorical" if inferred == "identifier" and "skip" not in methods else inferred


_AUTO_METHOD: dict[str, str] = {
    "numeric": "ks",
    "categorical": "chi2",
    "text": "text",
    "identifier": "skip",
}


def _methods_for(name: str, methods: Any) -> list[str] | None:
    """Methods asked for a column (None = automatic)."""
    chosen = methods.get(name, "auto") if isinstance(methods, Mapping) else methods
    chosen_list = [chosen] if isinstance(chosen, str) else list(chosen)
    for m in chosen_list:
        check_in("methods", m, ["auto", *_METHODS])
    if chosen_list == ["auto"]:
        return None
    return [m for m in chosen_list if m != "auto"]


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: Kind
    dtype: str
    methods: tuple[str, ...]


def _summarise(series: pl.Series, kind: Kind, sketch_size: int | None = None) -> _Summary:
    if kind == "numeric":
        return numeric_summaries([series], sketch_size)[0]
    if kind == "categorical":
        return categorical_summary(series)
    if kind == "text":
        return _text_summary(series)
    return Counts(series.len(), series.null_count())


def _summarise_frame(
    frame: pl.DataFrame, specs: Sequence[_Spec], by: list[str] | None, sketch_size: int | None
) -> dict[tuple[Any, ...], dict[str, _Summary]]:
    parts = frame.partition_by(by, as_dict=True, maintain_order=True) if by else {(): frame}
    out: dict[tuple[Any, ...], dict[str, _Summary]] = {}
    for key, part in parts.items():
        numeric = [s for s in specs if s.kind == "numeric"]
        summaries: dict[str, _Summary] = dict(
            zip(
                [s.name for s in numeric],
                numeric_summaries([part.get_column(s.name) for s in numeric], sketch_size),
                strict=False,
            )
        )
        for spec in specs:
            if spec.kind != "numeric":
                summaries[spec.name] = _summarise(part.get_column(spec.name), spec.kind)
        out[tuple(key)] = summaries
    return out


# --- reference profiles ----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """Everything later drift runs need from a reference, computed once.

    Build it with :func:`profile`; pass it as the ``reference`` of :func:`drift_report`; save it with
    :meth:`save` and read it back with :meth:`load`. In exact mode (the default) a numeric
    column keeps all its sorted finite values, so a drift run against the profile gives the same
    numbers as one against the original frame.
    """

    specs: tuple[_Spec, ...]
    by: tuple[str, ...]
    strata: dict[tuple[Any, ...], dict[str, _Summary]]
    sketch_size: int | None = None

    @property
    def columns(self) -> list[str]:
        """Profiled column names."""
        return [s.name for s in self.specs]

    @property
    def exact(self) -> bool:
        """True unless numeric columns were reduced to a sketch."""
        return self.sketch_size is None

    def to_dict(self) -> dict[str, Any]:
        """Columns, kinds, strata and mode (not the stored values)."""
        return {
            "columns": {s.name: {"kind": s.kind, "dtype": s.dtype} for s in self.specs},
            "by": list(self.by),
            "strata": [list(k) for k in self.strata],
            "exact": self.exact,
            "sketch_size": self.sketch_size,
        }

    def __repr__(self) -> str:
        kinds = ", ".join(f"{s.name}: {s.kind}" for s in self.specs)
        strata = f", {len(self.strata)} strata by {list(self.by)}" if self.by else ""
        mode = "exact" if self.exact else f"sketch of {self.sketch_size}"
        return f"Profile({kinds}{strata}; {mode})"

    def save(self, path: str | Path) -> None:
        """Write the profile to one Parquet file (read it back with :meth:`Profile.load`)."""
        rows = [
            _summary_row(json.dumps(list(key), default=str), name, summary)
            for key, columns in self.strata.items()
            for name, summary in columns.items()
        ]
        frame = pl.DataFrame(rows, schema=_PROFILE_SCHEMA)  # type: ignore[arg-type]
        meta = {
            "format": _PROFILE_FORMAT,
            "specs": [[s.name, s.kind, s.dtype, list(s.methods)] for s in self.specs],
            "by": list(self.by),
            "strata": [list(k) for k in self.strata],
            "sketch_size": self.sketch_size,
        }
        frame.write_parquet(
            path, metadata={"careful_polars.profile": json.dumps(meta, default=str)}
        )

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        """Read a profile written by :meth:`save`."""
        raw = pl.read_parquet_metadata(path).get("careful_polars.profile")
        if raw is None:
            msg = (
                f"{str(path)!r} is not a careful_polars profile. Hint: write it with Profile.save."
            )
            raise InvalidParameterError(msg)
        meta = json.loads(raw)
        specs = tuple(_Spec(n, k, d, tuple(m)) for n, k, d, m in meta["specs"])
        kinds = {s.name: s.kind for s in specs}
        frame = pl.read_parquet(path)
        keys = {json.dumps(k, default=str): tuple(k) for k in meta["strata"]}
        strata: dict[tuple[Any, ...], dict[str, _Summary]] = {k: {} for k in keys.values()}
        for row in frame.iter_rows(named=True):
            strata[keys[row["stratum"]]][row["column"]] = _summary_from_row(
                row, kinds[row["column"]]
            )
        return cls(specs, tuple(meta["by"]), strata, meta["sketch_size"])


_PROFILE_SCHEMA = {
    "stratum": pl.String,
    "column": pl.String,
    "n_rows": pl.Int64,
    "n_null": pl.Int64,
    "n_nan": pl.Int64,
    "n_inf": pl.Int64,
    "values": pl.List(pl.Float64),
    "n_finite": pl.Int64,
    "std": pl.Float64,
    "exact": pl.Boolean,
    "categories": pl.List(pl.String),
    "freq": pl.List(pl.Int64),
    "values2": pl.List(pl.Float64),
    "n_finite2": pl.Int64,
    "std2": pl.Float64,
    "extra": pl.List(pl.Float64),
}


def _summary_row(stratum: str, name: str, s: _Summary) -> dict[str, Any]:
    counts = s if isinstance(s, Counts) else s.counts
    row: dict[str, Any] = {
        "stratum": stratum,
        "column": name,
        "n_rows": counts.n_rows,
        "n_null": counts.n_null,
        "n_nan": counts.n_nan,
        "n_inf": counts.n_inf,
    }
    if isinstance(s, Numeric):
        row.update(values=s.values, n_finite=s.n_finite, std=s.std, exact=s.exact)
    elif isinstance(s, Categorical):
        row.update(categories=s.categories, freq=s.freq)
    elif isinstance(s, _Text):
        row.update(
            values=s.char_len.values,
            n_finite=s.char_len.n_finite,
            std=s.char_len.std,
            values2=s.word_len.values,
            n_finite2=s.word_len.n_finite,
            std2=s.word_len.std,
            categories=s.tokens,
            freq=s.token_freq,
            extra=[float(s.n_bigrams_distinct), float(s.n_bigrams), s.ttr_mean],
        )
    return row


def _summary_from_row(row: dict[str, Any], kind: str) -> _Summary:
    counts = Counts(row["n_rows"], row["n_null"], row["n_nan"], row["n_inf"])
    if kind == "numeric":
        values = np.asarray(row["values"], dtype=np.float64)
        return Numeric(counts, values, row["n_finite"], row["std"], bool(row["exact"]))
    if kind == "categorical":
        return Categorical(counts, list(row["categories"]), np.asarray(row["freq"], np.int64))
    if kind == "text":
        n_text = counts.n_rows - counts.n_null
        text_counts = Counts(n_text, 0)
        extra = row["extra"]
        return _Text(
            counts,
            Numeric(
                text_counts, np.asarray(row["values"], np.float64), row["n_finite"], row["std"]
            ),
            Numeric(
                text_counts, np.asarray(row["values2"], np.float64), row["n_finite2"], row["std2"]
            ),
            list(row["categories"]),
            np.asarray(row["freq"], np.int64),
            int(extra[0]),
            int(extra[1]),
            float(extra[2]),
        )
    return counts


def _collect(
    frames: Sequence[pl.DataFrame | pl.LazyFrame], needed: list[str]
) -> list[pl.DataFrame]:
    lazy = [f.lazy().select(needed) for f in frames]
    return pl.collect_all(lazy)


def _resolve_specs(reference: pl.DataFrame, columns: list[str], methods: Any) -> tuple[_Spec, ...]:
    specs = []
    for name in columns:
        series = reference.get_column(name)
        inferred = infer_kind(series)
        chosen = _methods_for(name, methods)
        if chosen is None:
            kind = inferred
            chosen = [_AUTO_METHOD[kind]]
        else:
            kind = _kind_for_methods(name, inferred, chosen)
        specs.append(_Spec(name, kind, str(series.dtype), tuple(chosen)))
    return tuple(specs)


def _check_sketch(sketch_size: int | None) -> None:
    if sketch_size is not None and (not isinstance(sketch_size, int) or sketch_size < 100):
        msg = (
            f"sketch_size={sketch_size!r} must be None (exact) or an integer >= 100. "
            "Hint: 10_000 keeps KS within about 1e-4 of the exact statistic."
        )
        raise InvalidParameterError(msg)


def _default_columns(
    reference: pl.DataFrame | pl.LazyFrame,
    current: pl.DataFrame | pl.LazyFrame | None,
    by: list[str],
) -> list[str]:
    names = [n for n in schema_of(reference).names() if n not in by]
    if current is not None:
        other = set(schema_of(current).names())
        names = [n for n in names if n in other]
    return names


def profile(
    reference: pl.DataFrame | pl.LazyFrame,
    columns: str | Sequence[str] | None = None,
    *,
    by: str | Sequence[str] | None = None,
    methods: str | Sequence[str] | Mapping[str, str | Sequence[str]] = "auto",
    sketch_size: int | None = None,
) -> Profile:
    """Summarise a reference once so later :func:`drift_report` runs need not re-read it.

    Parameters
    ----------
    reference
        The reference (real) data. A LazyFrame is read for the needed columns only.
    columns
        Columns to profile (default: all except ``by``).
    by
        Stratum columns; the profile keeps one summary per stratum for per-segment drift.
    methods
        As in :func:`drift_report`; decides each column's kind (numeric, categorical, text).
    sketch_size
        None (default) keeps every sorted finite value of numeric columns: exact, 8 bytes per
        value. An integer keeps that many evenly spaced order statistics instead: the KS
        statistic is then within about ``1/sketch_size`` of the exact one (the p-value uses the
        true sample size), Wasserstein and PSI bins are approximations. Categorical and text
        columns are always exact (counts per category and token).

    Returns
    -------
    Profile

    Examples
    --------
    >>> import polars as pl
    >>> ref = pl.DataFrame({"x": [float(i) for i in range(100)], "c": ["a", "b"] * 50})
    >>> p = profile(ref)
    >>> p
    Profile(x: numeric, c: categorical; exact)
    >>> drift_report(p, ref).frame.select("column", "method", "statistic", "drifted")
    shape: (2, 4)
    ┌────────┬────────┬───────────┬─────────┐
    │ column ┆ method ┆ statistic ┆ drifted │
    │ ---    ┆ ---    ┆ ---       ┆ ---     │
    │ str    ┆ str    ┆ f64       ┆ bool    │
    ╞════════╪════════╪═══════════╪═════════╡
    │ x      ┆ ks     ┆ 0.0       ┆ false   │
    │ c      ┆ chi2   ┆ 0.0       ┆ false   │
    └────────┴────────┴───────────┴─────────┘
    """
    by_list = as_list(by) or []
    _check_sketch(sketch_size)
    cols = as_list(columns) or _default_columns(reference, None, by_list)
    check_columns(reference, [*cols, *by_list])
    (ref,) = _collect([reference], [*by_list, *cols])
    specs = _resolve_specs(ref, cols, methods)
    strata = _summarise_frame(ref, specs, by_list, sketch_size)
    return Profile(specs, tuple(by_list), strata, sketch_size)


# --- comparing two summaries ----------------------------------------------------------------


def _rates(prefix: str, counts: Counts | None) -> dict[str, Any]:
    if counts is None:
        return {
            f"n_{prefix}": 0,
            f"null_rate_{prefix}": None,
            f"nan_rate_{prefix}": None,
            f"inf_rate_{prefix}": None,
        }
    n = counts.n_rows
    return {
        f"n_{prefix}": n,
        f"null_rate_{prefix}": counts.n_null / n if n else None,
        f"nan_rate_{prefix}": counts.n_nan / n if n else None,
        f"inf_rate_{prefix}": counts.n_inf / n if n else None,
    }


def _counts_of(s: _Summary | None) -> Counts | None:
    if s is None:
        return None
    return s if isinstance(s, Counts) else s.counts


def _row(
    spec: _Spec,
    ref: _Summary | None,
    cur: _Summary | None,
    method: str,
    feature: str = "value",
    statistic: float | None = None,
    p_value: float | None = None,
    effect: float | None = None,
    note: str | None = None,
    unseen_share: float | None = None,
) -> dict[str, Any]:
    def clean(v: float | None) -> float | None:
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    return {
        "column": spec.name,
        "feature": feature,
        "dtype": spec.dtype,
        "kind": spec.kind,
        "method": method,
        "statistic": clean(statistic),
        "p_value": clean(p_value),
        "effect_size": clean(effect),
        "effect_size_name": _EFFECT_NAMES.get(method, "relative_change")
        if method not in ("skip", "oov_rate")
        else ("oov_rate" if method == "oov_rate" else None),
        **_rates("reference", _counts_of(ref)),
        **_rates("current", _counts_of(cur)),
        "unseen_share": unseen_share,
        "note": note,
    }


def _compare_numeric(
    spec: _Spec, ref: Numeric, cur: Numeric, method: str, n_bins: int, feature: str = "value"
) -> dict[str, Any]:
    if ref.n_finite == 0 or cur.n_finite == 0:
        return _row(spec, ref, cur, method, feature, note="no finite values on one side")
    if method in ("ks", "wasserstein"):
        d, p, used, w = ks_from_sorted(ref.values, cur.values, n1=ref.n_finite)
        effect = normalised(w, ref.std)
        if method == "ks":
            note = f"p-value: {used}" + ("" if ref.exact else "; reference is a sketch")
            return _row(spec, ref, cur, "ks", feature, d, p, effect, note)
        return _row(spec, ref, cur, "wasserstein", feature, w, None, effect)
    p_ref, q_cur = binned_shares(ref, cur, n_bins)
    note = f"{p_ref.shape[0]} bins"
    if method == "psi":
        value = psi_from_shares(p_ref, q_cur)
        return _row(spec, ref, cur, "psi", feature, value, None, value, note)
    value = (
        js_from_shares(p_ref, q_cur) if method == "jensenshannon" else tvd_from_shares(p_ref, q_cur)
    )
    return _row(spec, ref, cur, method, feature, value, None, value, note)


def _compare_categorical(
    spec: _Spec, ref: Categorical, cur: Categorical, method: str
) -> dict[str, Any]:
    _names, r, c = align(ref, cur)
    nc = int(c.sum())
    unseen_share = float(c[r == 0].sum() / nc) if nc else None
    if method == "chi2":
        res = chi2_from_summaries(ref, cur)
        parts = []
        if res.unseen:
            parts.append(f"{len(res.unseen)} unseen categories")
        if res.pooled:
            parts.append(f"{len(res.pooled)} rare categories pooled")
        return _row(
            spec,
            ref,
            cur,
            "chi2",
            "value",
            res.statistic,
            res.p_value,
            res.effect_size,
            "; ".join(parts) or None,
            unseen_share,
        )
    p, q = shares(r), shares(c)
    if method == "psi":
        value = psi_from_shares(p, q)
    elif method == "jensenshannon":
        value = js_from_shares(p, q)
    else:
        value = tvd_from_shares(p, q)
    return _row(spec, ref, cur, method, "value", value, None, value, None, unseen_share)


def _relative(cur: float, ref: float) -> float:
    if ref == 0 or math.isnan(ref) or math.isnan(cur):
        return math.nan
    return cur / ref - 1.0


def _text_metrics(ref: _Text, cur: _Text) -> dict[str, tuple[float, float]]:
    """``metric -> (reference value, current value)`` for the scalar text measures."""
    ref_vocab = set(ref.tokens)
    cur_total = int(cur.token_freq.sum())
    oov = sum(
        n for t, n in zip(cur.tokens, cur.token_freq.tolist(), strict=False) if t not in ref_vocab
    )
    ref_total = int(ref.token_freq.sum())
    return {
        "oov_rate": (0.0, oov / cur_total if cur_total else math.nan),
        "distinct_1": (
            len(ref.tokens) / ref_total if ref_total else math.nan,
            len(cur.tokens) / cur_total if cur_total else math.nan,
        ),
        "distinct_2": (
            ref.n_bigrams_distinct / ref.n_bigrams if ref.n_bigrams else math.nan,
            cur.n_bigrams_distinct / cur.n_bigrams if cur.n_bigrams else math.nan,
        ),
        "ttr": (ref.ttr_mean, cur.ttr_mean),
    }


def _compare_text(spec: _Spec, ref: _Text, cur: _Text, n_bins: int) -> list[dict[str, Any]]:
    rows = [
        _compare_numeric(spec, ref.char_len, cur.char_len, "ks", n_bins, "char_length"),
        _compare_numeric(spec, ref.word_len, cur.word_len, "ks", n_bins, "word_count"),
    ]
    for r in rows:  # rates describe the text column, not the derived lengths
        r.update(_rates("reference", ref.counts))
        r.update(_rates("current", cur.counts))
    for metric, (r_val, c_val) in _text_metrics(ref, cur).items():
        if metric == "oov_rate":
            rows.append(_row(spec, ref, cur, "oov_rate", metric, c_val, None, c_val))
        else:
            rows.append(
                _row(
                    spec,
                    ref,
                    cur,
                    metric,
                    metric,
                    c_val,
                    None,
                    _relative(c_val, r_val),
                    f"reference {r_val:.4g}",
                )
            )
    return rows


def _token_table(ref: _Text, cur: _Text, top_k: int) -> pl.DataFrame:
    """Tokens most over- and under-represented in ``cur`` (log-odds with a 0.5 prior).

    Only tokens whose rate changed at least 2x are listed, ranked by the z-score.
    """
    r = pl.DataFrame(
        {"token": ref.tokens, "ref_count": ref.token_freq}, schema_overrides={"ref_count": pl.Int64}
    )
    c = pl.DataFrame(
        {"token": cur.tokens, "cur_count": cur.token_freq}, schema_overrides={"cur_count": pl.Int64}
    )
    nr, nc = int(ref.token_freq.sum()), int(cur.token_freq.sum())
    a = 0.5
    both = (
        r.join(c, on="token", how="full", coalesce=True)
        .fill_null(0)
        .with_columns(
            (pl.col("ref_count") * 1000 / max(nr, 1)).alias("ref_per_1k"),
            (pl.col("cur_count") * 1000 / max(nc, 1)).alias("cur_per_1k"),
            (
                ((pl.col("cur_count") + a) / (nc + a)).log(2)
                - ((pl.col("ref_count") + a) / (nr + a)).log(2)
            ).alias("log2_ratio"),
        )
        .with_columns(
            (
                pl.col("log2_ratio")
                * math.log(2)
                / (1.0 / (pl.col("cur_count") + a) + 1.0 / (pl.col("ref_count") + a)).sqrt()
            ).alias("z")
        )
    )
    # at least twice (or half) as frequent, then the strongest evidence first: ranking by z
    # alone would list the commonest function words, which move a little in any long text
    moved = both.filter(pl.col("log2_ratio").abs() >= TOKEN_MIN_LOG2_RATIO)
    over = moved.sort("z", "token", descending=[True, False]).head(top_k)
    under = moved.sort("z", "token", descending=[False, False]).head(top_k)
    return pl.concat(
        [
            over.filter(pl.col("z") > 0).with_columns(pl.lit("over").alias("direction")),
            under.filter(pl.col("z") < 0).with_columns(pl.lit("under").alias("direction")),
        ]
    ).select(
        "token",
        "direction",
        "ref_count",
        "cur_count",
        "ref_per_1k",
        "cur_per_1k",
        "log2_ratio",
        "z",
    )


def _category_table(ref: Categorical, cur: Categorical) -> pl.DataFrame:
    names, r, c = align(ref, cur)
    nr, nc = max(int(r.sum()), 1), max(int(c.sum()), 1)
    return (
        pl.DataFrame(
            {"value": names, "ref_count": r, "cur_count": c},
            schema={"value": pl.String, "ref_count": pl.Int64, "cur_count": pl.Int64},
        )
        .with_columns(
            (pl.col("ref_count") / nr).alias("ref_share"),
            (pl.col("cur_count") / nc).alias("cur_share"),
        )
        .with_columns(
            pl.when(pl.col("ref_share") > 0)
            .then(pl.col("cur_share") / pl.col("ref_share"))
            .otherwise(float("inf"))
            .alias("ratio")
        )
    )


def _compare(
    spec: _Spec, ref: _Summary | None, cur: _Summary | None, n_bins: int
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for method in spec.methods:
        if ref is None or cur is None:
            side = "reference" if ref is None else "current"
            rows.append(_row(spec, ref, cur, method, note=f"stratum absent from the {side}"))
        elif method == "skip" or spec.kind == "identifier":
            rows.append(
                _row(
                    spec,
                    ref,
                    cur,
                    "skip",
                    note="identifier-like column (mostly distinct "
                    "short strings); pass methods={col: ...} to test it",
                )
            )
        elif isinstance(ref, Numeric) and isinstance(cur, Numeric):
            rows.append(_compare_numeric(spec, ref, cur, method, n_bins))
        elif isinstance(ref, Categorical) and isinstance(cur, Categorical):
            rows.append(_compare_categorical(spec, ref, cur, method))
        elif isinstance(ref, _Text) and isinstance(cur, _Text):
            rows.extend(_compare_text(spec, ref, cur, n_bins))
    return rows


def _adjust(p: NDArray[np.float64], correction: str | None) -> NDArray[np.float64]:
    """Return adjusted p-values (NaN stays NaN): Benjamini-Hochberg or Bonferroni."""
    out = p.copy()
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if correction is None or m == 0:
        return out  # type: ignore[no-any-return]
    vals = p[ok]
    if correction == "bonferroni":
        out[ok] = np.minimum(vals * m, 1.0)
        return out  # type: ignore[no-any-return]
    order = np.argsort(vals, kind="stable")
    ranked = vals[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    out[ok] = adjusted
    return out  # type: ignore[no-any-return]


def _threshold_for(thresholds: Mapping[str, float], column: str, method: str) -> float | None:
    if column in thresholds:
        return float(thresholds[column])
    return thresholds.get(method)


def _check_thresholds(thresholds: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_THRESHOLDS)
    for key, value in (thresholds or {}).items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            msg = (
                f"thresholds[{key!r}]={value!r} is not a non-negative number. "
                "Hint: e.g. thresholds={'ks': 0.1, 'alpha': 0.01}."
            )
            raise InvalidParameterError(msg)
        merged[key] = float(value)
    return merged


_REPORT_SCHEMA = {
    "column": pl.String,
    "feature": pl.String,
    "dtype": pl.String,
    "kind": pl.String,
    "method": pl.String,
    "statistic": pl.Float64,
    "p_value": pl.Float64,
    "p_value_adjusted": pl.Float64,
    "effect_size": pl.Float64,
    "effect_size_name": pl.String,
    "threshold": pl.Float64,
    "drifted": pl.Boolean,
    "n_reference": pl.Int64,
    "n_current": pl.Int64,
    "null_rate_reference": pl.Float64,
    "null_rate_current": pl.Float64,
    "nan_rate_reference": pl.Float64,
    "nan_rate_current": pl.Float64,
    "inf_rate_reference": pl.Float64,
    "inf_rate_current": pl.Float64,
    "unseen_share": pl.Float64,
    "note": pl.String,
}


@dataclass(frozen=True)
class DriftReport:
    """Result of :func:`drift_report`.

    Attributes
    ----------
    frame
        One row per column (per stratum with ``by=``; several per text column, one per
        ``feature``): statistic, p-value, effect size, threshold, ``drifted`` and null / NaN /
        infinity rates of both sides.
    categories
        Per categorical column and category: counts and shares on both sides and
        ``ratio = cur_share / ref_share`` (over-represented categories have ratio > 1).
    tokens
        Per text column: the tokens most over- and under-represented in the current data.
    by, alpha, correction
        How the report was made.
    """

    frame: pl.DataFrame
    categories: pl.DataFrame
    tokens: pl.DataFrame
    by: tuple[str, ...] = ()
    alpha: float = 0.05
    correction: str | None = None

    @property
    def drifted_share(self) -> float:
        """Share of tested rows (column x stratum x feature) flagged as drifted."""
        flags = self.frame.get_column("drifted").drop_nulls()
        return float(flags.mean()) if flags.len() else 0.0  # type: ignore[arg-type]

    @property
    def dataset_drifted(self) -> bool:
        """True when at least half the tested rows drifted (Evidently's dataset-drift rule)."""
        return self.drifted_share >= 0.5

    @property
    def drifted_columns(self) -> list[str]:
        """Columns with at least one drifted row, in report order."""
        flagged = self.frame.filter(pl.col("drifted")).get_column("column")
        return list(dict.fromkeys(flagged.to_list()))

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-serialisable) of the whole report."""
        return {
            "drifted_share": self.drifted_share,
            "dataset_drifted": self.dataset_drifted,
            "drifted_columns": self.drifted_columns,
            "by": list(self.by),
            "alpha": self.alpha,
            "correction": self.correction,
            "columns": self.frame.to_dicts(),
            "categories": self.categories.to_dicts(),
            "tokens": self.tokens.to_dicts(),
        }

    def __repr__(self) -> str:
        tested = self.frame.get_column("drifted").drop_nulls().len()
        return (
            f"DriftReport({self.frame.height} rows, {tested} tested, "
            f"drifted_share={self.drifted_share:.3f}, drifted_columns={self.drifted_columns})"
        )


def _with_keys(
    frame: pl.DataFrame, by: list[str], key: tuple[Any, ...], column: str
) -> pl.DataFrame:
    return frame.select(
        pl.lit(column).alias("column"),
        *[pl.lit(v).alias(b) for b, v in zip(by, key, strict=False)],
        pl.all(),
    )


def _check_by(by: list[str], columns: list[str]) -> None:
    overlap = sorted(set(by) & set(columns))
    if overlap:
        msg = (
            f"columns {overlap} are both compared and used as strata (by=). "
            "Hint: leave them out of columns=."
        )
        raise InvalidParameterError(msg)


def drift_report(
    reference: pl.DataFrame | pl.LazyFrame | Profile,
    current: pl.DataFrame | pl.LazyFrame,
    columns: str | Sequence[str] | None = None,
    *,
    by: str | Sequence[str] | None = None,
    methods: str | Sequence[str] | Mapping[str, str | Sequence[str]] = "auto",
    thresholds: Mapping[str, float] | None = None,
    correction: Literal["bh", "bonferroni"] | None = None,
    n_bins: int = 10,
    top_k: int = 20,
) -> DriftReport:
    """Compare every column of ``current`` with ``reference``, per stratum with ``by=``.

    Parameters
    ----------
    reference
        The reference (real) data, or a :class:`Profile` of it.
    current
        The data to check (synthetic, or a new batch). LazyFrames are read for the needed
        columns only (projection pushdown).
    columns
        Columns to compare (default: every column both sides share, except ``by``).
    by
        Stratum columns: one row per column and stratum (per-segment drift).
    methods
        ``"auto"`` (default), a method or list of methods for every column, or a mapping
        ``{column: method(s)}`` (unlisted columns stay automatic). Methods: ``ks``,
        ``wasserstein``, ``psi`` (numeric), ``chi2`` (categorical), ``jensenshannon``, ``tvd``
        (either; numerics over reference-quantile bins), ``text`` and ``skip``. The automatic
        choice by reference column: numeric with more than 10 distinct values -> ``ks``
        (effect size: Wasserstein / reference std); numeric with at most 10 values, Boolean,
        Categorical, Enum and short repetitive strings -> ``chi2`` (effect size: Cramér's V);
        strings that are mostly distinct with a mean length of at least 16 characters ->
        ``text``; other mostly-distinct strings (identifiers) -> ``skip`` (strings are
        classified on their first 100,000 rows).
    thresholds
        Overrides of :data:`DEFAULT_THRESHOLDS`, keyed by method, text feature, column name or
        ``"alpha"``. A row with a p-value drifts when ``p < alpha`` AND ``|effect| >=
        threshold``: at large n every tiny shift is significant, so the effect size decides;
        at small n a big effect that could be chance is not flagged. Rows without a p-value
        drift when ``|effect| >= threshold``.
    correction
        ``"bh"`` (Benjamini-Hochberg) or ``"bonferroni"`` over all p-values of the report;
        ``p_value_adjusted`` then drives the decision.
    n_bins
        Quantile bins for PSI / Jensen-Shannon / TVD on numeric columns.
    top_k
        Over- and under-represented tokens kept per text column.

    Returns
    -------
    DriftReport

    Examples
    --------
    >>> import numpy as np
    >>> import polars as pl
    >>> rng = np.random.default_rng(0)
    >>> real = pl.DataFrame({"x": rng.normal(size=2000), "g": rng.choice(["a", "b"], 2000)})
    >>> synth = pl.DataFrame({"x": rng.normal(0.5, size=2000), "g": rng.choice(["a", "b"], 2000)})
    >>> report = drift_report(real, synth)
    >>> report.frame.select("column", "method", "p_value", "effect_size", "drifted")
    shape: (2, 5)
    ┌────────┬────────┬────────────┬─────────────┬─────────┐
    │ column ┆ method ┆ p_value    ┆ effect_size ┆ drifted │
    │ ---    ┆ ---    ┆ ---        ┆ ---         ┆ ---     │
    │ str    ┆ str    ┆ f64        ┆ f64         ┆ bool    │
    ╞════════╪════════╪════════════╪═════════════╪═════════╡
    │ x      ┆ ks     ┆ 2.1955e-43 ┆ 0.566058    ┆ true    │
    │ g      ┆ chi2   ┆ 0.311557   ┆ 0.016001    ┆ false   │
    └────────┴────────┴────────────┴─────────────┴─────────┘
    >>> report.drifted_columns
    ['x']
    """
    by_list = as_list(by) or []
    check_bins(n_bins)
    if correction is not None:
        check_in("correction", correction, ["bh", "bonferroni"])
    limits = _check_thresholds(thresholds)
    if isinstance(reference, Profile):
        prof = reference
        if list(prof.by) != by_list:
            msg = (
                f"the profile was built with by={list(prof.by)}, not by={by_list}. "
                "Hint: build the profile with the same by= as the drift run."
            )
            raise InvalidParameterError(msg)
        cols = as_list(columns) or prof.columns
        missing = [c for c in cols if c not in prof.columns]
        if missing:
            msg = f"columns {missing} are not in the profile. Hint: profile them, or drop them."
            raise InvalidParameterError(msg)
        check_columns(current, [*cols, *by_list])
        (cur,) = _collect([current], [*by_list, *cols])
        specs = tuple(s for s in prof.specs if s.name in cols)
        specs = tuple(_override_methods(s, methods) for s in specs)
        ref_strata = prof.strata
    else:
        cols = as_list(columns) or _default_columns(reference, current, by_list)
        _check_by(by_list, cols)
        check_columns(reference, [*cols, *by_list])
        check_columns(current, [*cols, *by_list])
        ref, cur = _collect([reference, current], [*by_list, *cols])
        specs = _resolve_specs(ref, cols, methods)
        ref_strata = _summarise_frame(ref, specs, by_list, None)
    cur_strata = _summarise_frame(cur, specs, by_list, None)
    return _report(
        specs,
        ref_strata,
        cur_strata,
        by_list,
        limits,
        correction,
        n_bins,
        top_k,
        cur.select(by_list).schema if by_list else None,
    )


def _override_methods(spec: _Spec, methods: Any) -> _Spec:
    chosen = _methods_for(spec.name, methods)
    if chosen is None:
        return spec
    kind = _kind_for_methods(spec.name, spec.kind, chosen)
    if kind != spec.kind:
        msg = (
            f"methods {chosen} need column {spec.name!r} as {kind}, but the profile holds it as "
            f"{spec.kind}. Hint: build the profile with the same methods=."
        )
        raise InvalidParameterError(msg)
    return _Spec(spec.name, spec.kind, spec.dtype, tuple(chosen))


def _report(
    specs: Sequence[_Spec],
    ref_strata: dict[tuple[Any, ...], dict[str, _Summary]],
    cur_strata: dict[tuple[Any, ...], dict[str, _Summary]],
    by: list[str],
    limits: dict[str, float],
    correction: str | None,
    n_bins: int,
    top_k: int,
    by_schema: pl.Schema | None,
) -> DriftReport:
    keys = list(dict.fromkeys([*ref_strata, *cur_strata]))
    if by:
        keys.sort(key=lambda k: tuple((v is None, str(v)) for v in k))
    rows: list[dict[str, Any]] = []
    cat_parts: list[pl.DataFrame] = []
    tok_parts: list[pl.DataFrame] = []
    for key in keys:
        ref_cols = ref_strata.get(key, {})
        cur_cols = cur_strata.get(key, {})
        for spec in specs:
            r, c = ref_cols.get(spec.name), cur_cols.get(spec.name)
            for row in _compare(spec, r, c, n_bins):
                rows.append({**dict(zip(by, key, strict=False)), **row})
            if isinstance(r, Categorical) and isinstance(c, Categorical):
                cat_parts.append(_with_keys(_category_table(r, c), by, key, spec.name))
            if isinstance(r, _Text) and isinstance(c, _Text):
                tok_parts.append(_with_keys(_token_table(r, c, top_k), by, key, spec.name))
    frame = (
        pl.DataFrame(
            rows,
            schema={**(dict(by_schema) if by_schema else {}), **_REPORT_SCHEMA},
            strict=False,
        )
        if rows
        else pl.DataFrame(schema={**(dict(by_schema) if by_schema else {}), **_REPORT_SCHEMA})
    )
    p = frame.get_column("p_value").to_numpy(allow_copy=True).astype(np.float64)
    adjusted = _adjust(p, correction)
    thresholds = [
        _threshold_for(limits, col, method)
        for col, method in zip(frame.get_column("column"), frame.get_column("method"), strict=False)
    ]
    frame = frame.with_columns(
        pl.Series("p_value_adjusted", adjusted, dtype=pl.Float64).fill_nan(None),
        pl.Series("threshold", thresholds, dtype=pl.Float64),
    )
    effect_ok = pl.col("effect_size").abs() >= pl.col("threshold")
    frame = frame.with_columns(
        pl.when(pl.col("effect_size").is_null() | pl.col("threshold").is_null())
        .then(None)
        .when(pl.col("p_value_adjusted").is_not_null())
        .then(effect_ok & (pl.col("p_value_adjusted") < limits["alpha"]))
        .otherwise(effect_ok)
        .alias("drifted")
    )
    order = ["column", *by, *[c for c in _REPORT_SCHEMA if c != "column"]]
    return DriftReport(
        frame.select(order),
        pl.concat(cat_parts, how="vertical_relaxed") if cat_parts else _empty_categories(by),
        pl.concat(tok_parts, how="vertical_relaxed") if tok_parts else _empty_tokens(by),
        tuple(by),
        limits["alpha"],
        correction,
    )


def _empty_categories(by: list[str]) -> pl.DataFrame:
    schema = {
        "column": pl.String,
        **{b: pl.String for b in by},
        "value": pl.String,
        "ref_count": pl.Int64,
        "cur_count": pl.Int64,
        "ref_share": pl.Float64,
        "cur_share": pl.Float64,
        "ratio": pl.Float64,
    }
    return pl.DataFrame(schema=schema)


def _empty_tokens(by: list[str]) -> pl.DataFrame:
    schema = {
        "column": pl.String,
        **{b: pl.String for b in by},
        "token": pl.String,
        "direction": pl.String,
        "ref_count": pl.Int64,
        "cur_count": pl.Int64,
        "ref_per_1k": pl.Float64,
        "cur_per_1k": pl.Float64,
        "log2_ratio": pl.Float64,
        "z": pl.Float64,
    }
    return pl.DataFrame(schema=schema)


# --- text drift on its own ------------------------------------------------------------------


@dataclass(frozen=True)
class TextDrift:
    """How a text column moved: scalar measures and the tokens that moved most.

    ``metrics`` has one row per measure (``char_length_mean``, ``word_count_mean``,
    ``char_length_ks``, ``word_count_ks``, ``oov_rate``, ``distinct_1``, ``distinct_2``, ``ttr``)
    with the reference and current values; ``tokens`` the ``top_k`` most over- and
    under-represented tokens of the current text (log-odds z-score with a 0.5 prior).
    """

    metrics: pl.DataFrame
    tokens: pl.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Both frames as lists of row dicts."""
        return {"metrics": self.metrics.to_dicts(), "tokens": self.tokens.to_dicts()}

    def __repr__(self) -> str:
        over = self.tokens.filter(pl.col("direction") == "over").get_column("token").head(5)
        return f"TextDrift({self.metrics.height} metrics, over-represented={over.to_list()})"


def text_drift(
    reference: pl.DataFrame | pl.LazyFrame,
    current: pl.DataFrame | pl.LazyFrame,
    text: str = "text",
    *,
    top_k: int = 20,
) -> TextDrift:
    """Describe the drift of one text column.

    Texts are lower-cased and split into tokens matching :data:`TOKEN_PATTERN`. Measures:
    character and word length distributions (mean, KS statistic), out-of-vocabulary rate
    (share of current token occurrences never seen in the reference), distinct-1 / distinct-2
    (distinct unigrams / bigrams over all of them, corpus-level; these fall as a corpus grows,
    so compare samples of similar size), mean per-text type-token ratio, and the tokens most
    over- and under-represented relative to the reference (a generator's house-style words show
    up at the top of ``direction == "over"``): tokens whose rate changed at least 2x, ranked by
    the log-odds z-score with a 0.5 prior.

    Examples
    --------
    >>> import polars as pl
    >>> ref = pl.DataFrame({"t": ["my order is late", "refund please", "where is my order"]})
    >>> cur = pl.DataFrame({"t": ["I hope this helps! Certainly, your order", "Certainly!"]})
    >>> td = text_drift(ref, cur, "t")
    >>> td.tokens.filter(pl.col("direction") == "over").get_column("token").head(2).to_list()
    ['certainly', 'helps']
    """
    check_columns(reference, [text])
    check_columns(current, [text])
    ref_df, cur_df = _collect([reference, current], [text])
    ref = _text_summary(ref_df.get_column(text))
    cur = _text_summary(cur_df.get_column(text))
    scalars = _text_metrics(ref, cur)
    d_chars = ks_from_sorted(ref.char_len.values, cur.char_len.values)[0]
    d_words = ks_from_sorted(ref.word_len.values, cur.word_len.values)[0]

    def mean(x: Numeric) -> float:
        return float(x.values.mean()) if x.n_finite else math.nan

    metrics = [
        ("char_length_mean", mean(ref.char_len), mean(cur.char_len)),
        ("word_count_mean", mean(ref.word_len), mean(cur.word_len)),
        ("char_length_ks", 0.0, d_chars),
        ("word_count_ks", 0.0, d_words),
        *[(k, v[0], v[1]) for k, v in scalars.items()],
    ]
    frame = pl.DataFrame(
        metrics,
        schema={"metric": pl.String, "reference": pl.Float64, "current": pl.Float64},
        orient="row",
    ).with_columns((pl.col("current") - pl.col("reference")).alias("change"))
    return TextDrift(frame, _token_table(ref, cur, top_k))
