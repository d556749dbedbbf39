"""Table gates: adapters that call a whole-table capability's ``split_*`` or report function."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from careful_polars._results import GATE_COL, REF_COL, Split, add_reject_columns
from careful_polars._utils import check_columns, check_in, check_probability
from careful_polars.exceptions import InvalidParameterError
from careful_polars.gates._base import REJECT_COLS, ROW_INDEX, Gate, settings_of
from careful_polars.gates._row import Predicate

if TYPE_CHECKING:
    from careful_polars._minhash import Normalize
    from careful_polars.neardup import KeepNear, Verify

# --- table gates ----------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Schema(Gate):
    schema: Any
    name: str = "schema"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        import pandera.errors as pa_errors

        schema = self.schema
        if isinstance(schema, type) and hasattr(schema, "to_schema"):
            schema = schema.to_schema()
        try:
            schema.validate(frame, lazy=True)
        except (pa_errors.SchemaErrors, pa_errors.SchemaError) as exc:
            cases = getattr(exc, "failure_cases", None)
            if not isinstance(cases, pl.DataFrame):
                cases = pl.DataFrame({"check": [str(exc)], "column": [None], "index": [None]})
            return _split_by_failures(frame, cases, self.name)
        return Split(frame, add_reject_columns(frame.clear(), self.name, ""))

    def describe(self) -> dict[str, Any]:
        return {"type": "schema", "name": self.name, "schema": repr(self.schema)[:200],
                "max_rejected_share": self.max_rejected_share}  # fmt: skip


def _split_by_failures(frame: pl.DataFrame, cases: pl.DataFrame, name: str) -> Split[pl.DataFrame]:
    cases = cases.with_columns(
        pl.concat_str(
            pl.coalesce(pl.col("column").cast(pl.String), pl.lit("<frame>")),
            pl.lit(": "),
            pl.col("check").cast(pl.String),
            pl.when(pl.col("index").is_null())
            .then(pl.concat_str(pl.lit(" "), pl.col("failure_case").cast(pl.String)))
            .otherwise(pl.lit("")),
        ).alias("_why")
    )
    frame_level = cases.filter(pl.col("index").is_null())["_why"].unique(maintain_order=True)
    indexed = frame.with_row_index(ROW_INDEX)
    if frame_level.len() > 0:
        reason = "schema: " + "; ".join(frame_level.to_list())
        return Split(frame.clear(), add_reject_columns(frame, name, reason))
    per_row = (
        cases.filter(pl.col("index").is_not_null())
        .group_by(pl.col("index").cast(pl.UInt32).alias(ROW_INDEX))
        .agg(pl.col("_why").unique(maintain_order=True).str.join("; ").alias("_why"))
    )
    marked = indexed.join(per_row, on=ROW_INDEX, how="left", maintain_order="left")
    kept = marked.filter(pl.col("_why").is_null()).drop(ROW_INDEX, "_why")
    rejected = marked.filter(pl.col("_why").is_not_null())
    rejected = add_reject_columns(
        rejected, name, pl.concat_str(pl.lit("schema: "), pl.col("_why"))
    ).drop(ROW_INDEX, "_why")
    return Split(kept, rejected)


def schema(
    schema: Any,
    *,
    name: str = "schema",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> Gate:
    """Reject rows that fail a pandera schema (e.g. :class:`careful_polars.LineageSchema`).

    Row-level failures reject those rows, with the failed checks as the reason; frame-level
    failures (a missing column, a wrong dtype) reject every row, so nothing unvalidated passes.

    Parameters
    ----------
    schema
        A ``pandera.polars.DataFrameSchema`` or ``DataFrameModel`` class.
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    Gate

    Examples
    --------
    >>> import polars as pl
    >>> import pandera.polars as pa
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> s = pa.DataFrameSchema({"priority": pa.Column(int, pa.Check.in_range(1, 4))})
    >>> df = pl.DataFrame({"priority": [1, 7]})
    >>> cp.Gates([g.schema(s)]).run(df).rejected["_careful_reason"].item()
    'schema: priority: in_range(1, 4)'
    """
    if not hasattr(schema, "validate"):
        msg = (
            f"schema gate needs a pandera schema or DataFrameModel, got {type(schema).__name__}. "
            "Hint: pass a pandera.polars.DataFrameSchema."
        )
        raise InvalidParameterError(msg)
    return _Schema(schema, name, max_rejected_share, max_rejected)


def _conform(split: Split[Any], frame: pl.DataFrame, name: str) -> Split[pl.DataFrame]:
    """Bring a capability's Split to the cascade's shape: input columns (+ reject columns)."""
    kept, rejected = (s.collect() if isinstance(s, pl.LazyFrame) else s for s in split)
    cols = frame.columns
    if GATE_COL not in rejected.columns:
        rejected = add_reject_columns(rejected, name, "rejected")
    rejected = rejected.with_columns(
        pl.lit(name).alias(GATE_COL), pl.col(REF_COL).cast(pl.UInt64, strict=False)
    )
    return Split(kept.select(cols), rejected.select(*cols, *REJECT_COLS))


@dataclass(frozen=True, repr=False)
class _Capability(Gate):
    """Adapter around another capability's ``split_*`` function (imported lazily)."""

    module: str
    function: str
    kwargs: Mapping[str, Any]
    name: str
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def _callable(self) -> Callable[..., Any]:
        try:
            mod = importlib.import_module(f"careful_polars.{self.module}")
            return getattr(mod, self.function)  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            msg = (
                f"gate {self.name!r} needs careful_polars.{self.module}.{self.function}, which "
                "is not available in this installation. Hint: upgrade careful_polars or drop "
                "the gate."
            )
            raise InvalidParameterError(msg) from None

    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        fn = self._callable()
        return _conform(fn(frame, **self.kwargs), frame, self.name)

    def describe(self) -> dict[str, Any]:
        plain = {k: v for k, v in self.kwargs.items() if isinstance(v, (str, int, float, list))}
        return {"type": self.function, "name": self.name,
                "max_rejected_share": self.max_rejected_share, **plain}  # fmt: skip


def exact_duplicates(
    subset: str | Sequence[str] | None = None,
    *,
    normalize: Any = None,
    keep: Literal["first", "last", "none"] = "first",
    name: str = "exact_duplicate",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> Gate:
    """Reject exact duplicates (via :func:`careful_polars.hashing.split_duplicates`).

    Parameters
    ----------
    subset
        Columns that define a duplicate (default: all).
    normalize
        Text normalisation before hashing (see ``careful_polars.hashing``).
    keep
        Which member of a duplicate group is kept.
    name, max_rejected_share, max_rejected
        See :class:`Gate`. ``_careful_ref`` is the ``example_id`` of the kept copy.

    Returns
    -------
    Gate
    """
    check_in("keep", keep, ["first", "last", "none"])
    kwargs = {"subset": subset, "normalize": normalize, "keep": keep}
    return _Capability(
        "hashing", "split_duplicates", kwargs, name, max_rejected_share, max_rejected
    )


def near_duplicates(
    text: str = "text",
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
    verify: Verify | None = "jaccard",
    keep: KeepNear = "first",
    name: str = "near_duplicate",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> Gate:
    """Reject near-duplicates (via :func:`careful_polars.neardup.split_near_duplicates`).

    Parameters
    ----------
    text
        Text column.
    threshold, num_perm, ngram, unit, normalize, seed, verify, keep
        Passed to ``split_near_duplicates`` (MinHash LSH with exact verification); checked
        here, when the gate is built.
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    Gate
    """
    from careful_polars.neardup import check_scheme

    check_scheme(threshold=threshold, num_perm=num_perm, ngram=ngram, unit=unit,
                 normalize=normalize, seed=seed, verify=verify, keep=keep)  # fmt: skip
    kwargs = {
        "text": text, "threshold": threshold, "num_perm": num_perm, "ngram": ngram,
        "unit": unit, "normalize": normalize, "seed": seed, "verify": verify, "keep": keep,
    }  # fmt: skip
    return _NearDup("neardup", "split_near_duplicates", kwargs, name, max_rejected_share,
                    max_rejected)  # fmt: skip


@dataclass(frozen=True, repr=False)
class _NearDup(_Capability):
    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        fn = self._callable()
        kwargs = dict(self.kwargs)
        text = kwargs.pop("text")
        return _conform(fn(frame, text, **kwargs), frame, self.name)


@dataclass(frozen=True, repr=False)
class _Contamination(Gate):
    evaluation: pl.DataFrame | pl.LazyFrame
    text: str
    threshold: float
    ngram_overlap: int
    name: str = "contamination"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        from careful_polars.contamination import contamination_report
        from careful_polars.hashing import content_hash

        leaks = contamination_report(
            frame, self.evaluation, self.text, threshold=self.threshold,
            ngram_overlap=self.ngram_overlap,
        )  # fmt: skip
        leaks = leaks.collect() if isinstance(leaks, pl.LazyFrame) else leaks
        pairs = _leak_pairs(leaks)
        # the report names training rows by example_id: the column if present, else the hash
        id_expr = pl.col("example_id") if "example_id" in frame.columns else content_hash(self.text)
        ids = frame.select(id_expr.cast(pl.UInt64).alias("_careful_id"))["_careful_id"]
        marked = frame.with_columns(ids).join(
            pairs, left_on="_careful_id", right_on="train_id", how="left", maintain_order="left"
        )
        hit = pl.col("eval_id").is_not_null()
        kept = marked.filter(~hit).drop("_careful_id", "eval_id", "_why")
        rejected = add_reject_columns(
            marked.filter(hit), self.name, pl.col("_why"), pl.col("eval_id")
        ).drop("_careful_id", "eval_id", "_why")
        return Split(kept, rejected)

    def describe(self) -> dict[str, Any]:
        return settings_of(self)


def _leak_pairs(leaks: pl.DataFrame) -> pl.DataFrame:
    """``train_id -> eval_id, _why`` from the contamination report (first eval item wins)."""
    cols = leaks.columns
    detail = []
    if "kind" in cols:
        detail.append(pl.col("kind").cast(pl.String))
    if "similarity" in cols:
        detail.append(pl.format("similarity {}", pl.col("similarity").round(3)))
    if "shared_ngrams" in cols:
        detail.append(pl.format("{} shared n-grams", pl.col("shared_ngrams")))
    why = pl.concat_str(
        pl.lit("leaks an evaluation item ("),
        pl.concat_str(detail, separator=", ", ignore_nulls=True) if detail else pl.lit("match"),
        pl.lit(")"),
    )
    frame = leaks.select(
        pl.col("train_ids").alias("train_id"),
        pl.col("example_id").cast(pl.UInt64).alias("eval_id"),
        why.alias("_why"),
    )
    if isinstance(frame.schema["train_id"], pl.List):
        frame = frame.explode("train_id")
    return (
        frame.with_columns(pl.col("train_id").cast(pl.UInt64))
        .drop_nulls("train_id")
        .unique(subset="train_id", keep="first", maintain_order=True)
    )


def contamination(
    evaluation: pl.DataFrame | pl.LazyFrame,
    *,
    text: str = "text",
    threshold: float = 0.8,
    ngram_overlap: int = 13,
    name: str = "contamination",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> Gate:
    """Reject rows that leak an evaluation item (via :mod:`careful_polars.contamination`).

    Parameters
    ----------
    evaluation
        The evaluation frame that must not leak into the data.
    text
        Text column (in both frames).
    threshold, ngram_overlap
        Passed to ``careful_polars.contamination.contamination_report``.
    name, max_rejected_share, max_rejected
        See :class:`Gate`. ``_careful_ref`` is the ``example_id`` of the evaluation item.

    Returns
    -------
    Gate
    """
    check_columns(evaluation, [text])
    check_probability("threshold", threshold, open_low=True)
    return _Contamination(evaluation, text, threshold, ngram_overlap, name, max_rejected_share,
                          max_rejected)  # fmt: skip


@dataclass(frozen=True, repr=False)
class _Memorisation(Gate):
    real: pl.DataFrame | pl.LazyFrame | pl.Series
    text: str
    real_text: str | None
    min_words: int | None
    min_chars: int | None
    max_sources: int | None = None
    name: str = "memorisation"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        from careful_polars.memorisation import memorised_spans

        spans = memorised_spans(
            self.real, frame, text=self.text, real_text=self.real_text,
            min_words=self.min_words, min_chars=self.min_chars, max_sources=self.max_sources,
        )  # fmt: skip
        real_text = _series_of(self.real, self.real_text or self.text)
        first = (
            spans.sort("row", pl.col("n_words"), descending=[False, True])
            .unique(subset="row", keep="first", maintain_order=True)
            .select(
                "row",
                pl.format(
                    'copies {} words of a real row: "{}"',
                    "n_words",
                    pl.col("span").str.slice(0, 60),
                ).alias("_why"),
                pl.col("real_row"),
            )
        )
        refs = _text_ids(real_text.gather(first["real_row"]))
        first = first.with_columns(refs.alias("_ref")).drop("real_row")
        marked = frame.with_row_index(ROW_INDEX).join(
            first, left_on=ROW_INDEX, right_on="row", how="left", maintain_order="left"
        )
        hit = pl.col("_why").is_not_null()
        kept = marked.filter(~hit).drop(ROW_INDEX, "_why", "_ref")
        rejected = add_reject_columns(
            marked.filter(hit), self.name, pl.col("_why"), pl.col("_ref")
        ).drop(ROW_INDEX, "_why", "_ref")
        return Split(kept, rejected)

    def describe(self) -> dict[str, Any]:
        return settings_of(self)


def _series_of(data: pl.DataFrame | pl.LazyFrame | pl.Series, column: str) -> pl.Series:
    if isinstance(data, pl.Series):
        return data
    frame = data.select(column)
    return (frame.collect() if isinstance(frame, pl.LazyFrame) else frame).to_series()


def _text_ids(texts: pl.Series) -> pl.Series:
    """The ``example_id`` of each text: :func:`careful_polars.content_hash` of the one column."""
    from careful_polars.hashing import content_hash

    ids: pl.Series = texts.cast(pl.String).to_frame().select(content_hash(pl.first())).to_series()
    return ids


def memorisation(
    real: pl.DataFrame | pl.LazyFrame | pl.Series,
    text: str = "text",
    *,
    real_text: str | None = None,
    min_words: int | None = 13,
    min_chars: int | None = None,
    max_sources: int | None = None,
    name: str = "memorisation",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> Gate:
    """Reject synthetic rows that copy a long span of a real row (see :func:`memorised_spans`).

    Parameters
    ----------
    real
        The real corpus (frame or String Series).
    text, real_text
        Text columns of the data and of ``real`` (default: the same name).
    min_words, min_chars
        Span length that counts as a copy.
    max_sources
        Ignore n-grams shared by more than this many real rows (boilerplate, templates).
    name, max_rejected_share, max_rejected
        See :class:`Gate`. ``_careful_ref`` is the XXH64 ``example_id`` of the real text.

    Returns
    -------
    Gate

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> real = pl.DataFrame({"text": ["one two three four five six seven"]})
    >>> df = pl.DataFrame({"text": ["so: one two three four five six", "new words here"]})
    >>> cp.Gates([g.memorisation(real, min_words=5)]).run(df).rejected["_careful_reason"].item()
    'copies 6 words of a real row: "one two three four five six"'
    """
    if not isinstance(real, pl.Series):
        check_columns(real, [real_text or text])
    return _Memorisation(real, text, real_text, min_words, min_chars, max_sources, name,
                         max_rejected_share, max_rejected)  # fmt: skip


# --- custom gates from functions ------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _FunctionGate(Gate):
    function: Callable[[pl.DataFrame], Any]
    name: str
    reason: str = "rejected"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        out = self.function(frame)
        if isinstance(out, Split):
            return out
        if isinstance(out, (pl.Expr, pl.Series)):
            keep = out if isinstance(out, pl.Expr) else pl.lit(out)
            return Predicate(keep, self.reason, (), self.name).split(frame)
        msg = (
            f"gate function {self.name!r} returned {type(out).__name__}. "
            "Hint: return a Split(kept, rejected), a boolean Series or a boolean expression."
        )
        raise InvalidParameterError(msg)

    def describe(self) -> dict[str, Any]:
        return {"type": "function", "name": self.name, "function": repr(self.function)}


def custom_gate(
    function: Callable[[pl.DataFrame], Any] | None = None,
    *,
    name: str | None = None,
    reason: str = "rejected",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> Any:
    """Turn a function into a gate (usable as a decorator, with or without arguments).

    The function gets the rows that reached the gate and returns a boolean "keep" Series or
    expression (rejected rows get ``reason``), or a full :class:`~careful_polars.Split`.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> @cp.custom_gate(reason="mentions a competitor")
    ... def no_competitors(df):
    ...     return ~pl.col("text").str.contains("(?i)acme")
    >>> df = pl.DataFrame({"text": ["try ACME instead", "thanks!"]})
    >>> cp.Gates([no_competitors]).run(df).report["rows_rejected"].to_list()
    [1]
    """

    def wrap(fn: Callable[[pl.DataFrame], Any]) -> Gate:
        return _FunctionGate(
            fn,
            str(name or getattr(fn, "__name__", "gate")),
            reason,
            max_rejected_share,
            max_rejected,
        )

    return wrap(function) if function is not None else wrap
