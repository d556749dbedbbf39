"""Lineage columns, their schema, tagging at generation time, and evaluation isolation.

Every row carries where it came from: ``example_id`` (the stable content hash of its declared
content columns), ``source`` ("real" or "synthetic"), the ``generator`` and its version, the
``prompt_hash`` of the prompt it was made from, the ``seed_example_id`` of the real row the
generator was shown, its ``sampling_params``, its ``intended_use``, two isolation flags
(``eval_exclusion``, ``never_train_on``), its ``reviewer`` and ``created_at``.

:class:`LineageSchema` states the rules as a pandera Polars ``DataFrameModel``;
:func:`validate_lineage` applies them (all checks, also on LazyFrames); :func:`tag_synthetic`
and :func:`tag_real` write the columns; :func:`guard_training` refuses training data that
leaks evaluation data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from careful_polars._results import GATE_COL, REASON_COL, REF_COL, Split
from careful_polars._typing import FrameT, IntoExpr
from careful_polars._utils import (
    check_columns,
    check_new_columns,
    like_input,
    parse_into_expr,
    schema_of,
)

if TYPE_CHECKING:
    from careful_polars._lineage_schema import LineageSchema

from careful_polars.exceptions import (
    ColumnNotFoundError,
    DtypeNotSupportedError,
    EvalLeakError,
    InvalidParameterError,
)

__all__ = [
    "LINEAGE_COLUMNS",
    "LineageSchema",
    "TemplateStore",
    "guard_training",
    "hash_prompt",
    "leak_report",
    "mark_leaks",
    "split_leaks",
    "tag_real",
    "tag_synthetic",
    "validate_lineage",
]

#: The lineage columns, in the order :func:`tag_synthetic` and :func:`tag_real` write them.
LINEAGE_COLUMNS: tuple[str, ...] = (
    "example_id",
    "source",
    "generator",
    "generator_version",
    "prompt_hash",
    "seed_example_id",
    "sampling_params",
    "intended_use",
    "eval_exclusion",
    "never_train_on",
    "reviewer",
    "created_at",
)

_LEAK_SCHEMA = {
    "check": pl.String,
    "side": pl.String,
    "row": pl.UInt32,
    "example_id": pl.UInt64,
    "reason": pl.String,
    "ref": pl.UInt64,
}


def _id_expr(subset: Sequence[str]) -> pl.Expr:
    from careful_polars.hashing import content_hash

    return content_hash(*subset)


def __getattr__(name: str) -> Any:
    # LineageSchema is built on pandera, which is imported only when the schema is first used
    if name == "LineageSchema":
        from careful_polars._lineage_schema import LineageSchema

        return LineageSchema
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def _declared_content(model: type[LineageSchema]) -> list[str] | None:
    metadata = getattr(model.Config, "metadata", None) or {}
    subset = metadata.get("subset")
    return list(subset) if subset else None


def _resolve_content(
    subset: str | Sequence[str] | None, model: type[LineageSchema] | None = None
) -> list[str]:
    if isinstance(subset, str):
        subset = [subset]
    if subset is None and model is not None:
        subset = _declared_content(model)
    if not subset:
        msg = (
            "no content columns were given. Hint: pass subset=[...] naming the columns whose "
            "hash is the example_id, e.g. subset=['text']."
        )
        raise InvalidParameterError(msg)
    subset = list(subset)
    if "example_id" in subset:
        msg = "content columns include 'example_id'. Hint: name the data columns it hashes."
        raise InvalidParameterError(msg)
    return subset


def validate_lineage(
    df: FrameT,
    subset: str | Sequence[str] | None = None,
    *,
    schema: type[LineageSchema] | None = None,
    lazy: bool = True,
) -> FrameT:
    """Validate the lineage columns of ``df`` against ``schema``; return ``df`` or raise.

    Every column rule and every frame-level check of :class:`LineageSchema` runs, including
    the tamper check that recomputes ``example_id`` from the ``subset`` columns.

    Parameters
    ----------
    df
        DataFrame or LazyFrame with the lineage columns.
    subset
        Columns whose content hash is ``example_id``. Defaults to the schema's
        ``Config.metadata["subset"]``.
    schema
        :class:`LineageSchema` (the default) or a subclass of it.
    lazy
        Collect every failure before raising (pandera's ``lazy``); ``False`` stops at the first.

    Returns
    -------
    DataFrame or LazyFrame
        ``df`` as validated by pandera (same kind as given).

    Raises
    ------
    pandera.errors.SchemaErrors
        With ``lazy=True``: every failing check; ``failure_cases`` holds each failing row.
    pandera.errors.SchemaError
        With ``lazy=False``: the first failing check.
    InvalidParameterError
        No content columns were given or declared.
    ColumnNotFoundError
        A content column is not in the frame.

    Notes
    -----
    pandera validates LazyFrames at schema level only unless told otherwise; this function
    runs every data-level check on LazyFrames too. A LazyFrame's query is executed once, the
    result is validated, and a LazyFrame over exactly the validated data is returned (so the
    caller never reads rows other than those checked). The checks need the whole table
    (``example_id`` must be unique), so memory holds the full frame while validating.

    Examples
    --------
    >>> import datetime as dt
    >>> import pandera.errors
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["hello", "world"]})
    >>> tagged = cp.tag_real(df, subset=["text"], created_at=dt.datetime(2025, 1, 1))
    >>> cp.validate_lineage(tagged, subset=["text"]).height
    2
    >>> tampered = tagged.with_columns(text=pl.lit("edited"))
    >>> try:
    ...     cp.validate_lineage(tampered, subset=["text"])
    ... except pandera.errors.SchemaErrors as err:
    ...     print(err.failure_cases["check"].unique().to_list())
    ['example_id_matches_content']
    """
    from pandera.config import ValidationDepth, config_context

    from careful_polars._lineage_schema import LineageSchema, model_with_content

    schema = LineageSchema if schema is None else schema
    if not (isinstance(schema, type) and issubclass(schema, LineageSchema)):
        msg = f"schema={schema!r} is not a LineageSchema. Hint: subclass LineageSchema."
        raise InvalidParameterError(msg)
    columns = _resolve_content(subset, schema)
    check_columns(df, columns)
    model = model_with_content(schema, tuple(columns))
    # pandera re-runs a LazyFrame's query for every check; run it once and check the result
    data = df.collect() if isinstance(df, pl.LazyFrame) else df
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        validated: pl.DataFrame = model.validate(data, lazy=lazy)
    if isinstance(df, pl.LazyFrame):
        return validated.lazy()
    return validated


# --- tagging --------------------------------------------------------------------------------


def hash_prompt(prompt: str) -> str:
    """Return the prompt hash stored in ``prompt_hash``: SHA-256 of the UTF-8 text, hex.

    Examples
    --------
    >>> from careful_polars.lineage import hash_prompt
    >>> hash_prompt("Write a support ticket about {topic}.")[:16]
    '0f29667a54204748'
    """
    if not isinstance(prompt, str):
        msg = f"prompt must be a string, got {type(prompt).__name__}. Hint: pass the text."
        raise InvalidParameterError(msg)
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()


class TemplateStore:
    """Maps prompt hashes to prompt template text, so a ``prompt_hash`` can be read back.

    Rows store only the hash of their prompt; pass a store to :func:`tag_synthetic` to keep
    the text. A store saves to and loads from a JSON file (``{hash: text}``).

    Examples
    --------
    >>> from careful_polars import TemplateStore
    >>> store = TemplateStore()
    >>> h = store.add("Write a ticket about {topic}.")
    >>> store[h]
    'Write a ticket about {topic}.'
    >>> store
    TemplateStore(1 templates)
    """

    def __init__(self, templates: Mapping[str, str] | None = None) -> None:
        self._templates: dict[str, str] = {}
        for text in (templates or {}).values():
            self.add(text)

    def add(self, text: str) -> str:
        """Store ``text`` and return its prompt hash."""
        key = hash_prompt(text)
        self._templates[key] = text
        return key

    def __getitem__(self, key: str) -> str:
        try:
            return self._templates[key]
        except KeyError:
            msg = (
                f"prompt hash {key!r} is not in the template store. "
                "Hint: tag rows with template_store=... so their prompts are stored."
            )
            raise ColumnNotFoundError(msg) from None

    def __contains__(self, key: object) -> bool:
        return key in self._templates

    def __len__(self) -> int:
        return len(self._templates)

    def __repr__(self) -> str:
        return f"TemplateStore({len(self)} templates)"

    def to_dict(self) -> dict[str, str]:
        """Return ``{prompt_hash: template_text}``."""
        return dict(self._templates)

    def save(self, path: str | Path) -> None:
        """Write the store as JSON to ``path``."""
        Path(path).write_text(json.dumps(self._templates, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> TemplateStore:
        """Read a store written by :meth:`save` (hashes are verified against the text)."""
        data = json.loads(Path(path).read_text())
        store = cls(data)
        bad = sorted(set(data) - set(store._templates))
        if bad:
            msg = (
                f"template store {str(path)!r} has entries whose hash does not match their "
                f"text: {bad[:3]}. Hint: the file was edited; rebuild it with TemplateStore.add."
            )
            raise InvalidParameterError(msg)
        return store


def _hash_prompt_series(store: TemplateStore | None) -> Any:
    def run(s: pl.Series) -> pl.Series:
        # one SHA-256 per distinct prompt, not per row
        uniques = s.drop_nulls().unique().to_list()
        mapping = {t: (store.add(t) if store is not None else hash_prompt(t)) for t in uniques}
        hashed: pl.Series = s.replace_strict(mapping, default=None, return_dtype=pl.String)
        return hashed

    return run


def _prompt_hash_expr(prompt: str | pl.Expr | None, store: TemplateStore | None) -> pl.Expr:
    if prompt is None:
        return pl.lit(None, dtype=pl.String)
    if isinstance(prompt, pl.Expr):
        return prompt.cast(pl.String).map_batches(
            _hash_prompt_series(store), return_dtype=pl.String, is_elementwise=True
        )
    key = store.add(prompt) if store is not None else hash_prompt(prompt)
    return pl.lit(key, dtype=pl.String)


def _text_lit(name: str, value: str | pl.Expr | None) -> pl.Expr:
    if value is None:
        return pl.lit(None, dtype=pl.String)
    if isinstance(value, pl.Expr):
        return value.cast(pl.String)
    if not isinstance(value, str):
        msg = f"{name} must be a string, got {value!r}. Hint: pass text or an expression."
        raise InvalidParameterError(msg)
    return pl.lit(value, dtype=pl.String)


def _flag(name: str, value: bool | pl.Expr) -> pl.Expr:
    if isinstance(value, pl.Expr):
        return value.cast(pl.Boolean).fill_null(False)
    if not isinstance(value, bool):
        msg = f"{name}={value!r} is not a bool. Hint: pass True, False or a boolean expression."
        raise InvalidParameterError(msg)
    return pl.lit(value, dtype=pl.Boolean)


def _sampling_params_expr(frame: pl.DataFrame | pl.LazyFrame, params: Any) -> pl.Expr:
    if params is None:
        return pl.lit(None, dtype=pl.String)
    if isinstance(params, Mapping):
        try:
            text = json.dumps(dict(params), sort_keys=True, separators=(",", ":"))
        except TypeError as exc:
            msg = f"sampling_params is not JSON-serialisable ({exc}). Hint: use plain values."
            raise InvalidParameterError(msg) from None
        return pl.lit(text, dtype=pl.String)
    if isinstance(params, str | pl.Expr):
        expr = parse_into_expr(params)
        dtype = frame.lazy().select(expr).collect_schema().dtypes()[0]
        if isinstance(dtype, pl.Struct):
            return expr.struct.json_encode()
        if dtype == pl.String:
            return expr
        msg = (
            f"sampling_params column has dtype {dtype}. "
            "Hint: use a Struct column or JSON text (String)."
        )
        raise DtypeNotSupportedError(msg)
    msg = f"sampling_params={params!r} is not supported. Hint: pass a dict or a column."
    raise InvalidParameterError(msg)


def _seed_expr(seed_example_id: int | IntoExpr | None) -> pl.Expr:
    if seed_example_id is None:
        return pl.lit(None, dtype=pl.UInt64)
    if isinstance(seed_example_id, bool) or (
        isinstance(seed_example_id, int) and not 0 <= seed_example_id < 2**64
    ):
        msg = f"seed_example_id={seed_example_id!r} is not a UInt64. Hint: pass an example_id."
        raise InvalidParameterError(msg)
    if isinstance(seed_example_id, int):
        return pl.lit(seed_example_id, dtype=pl.UInt64)
    return parse_into_expr(seed_example_id).cast(pl.UInt64)


def _created_at_expr(
    frame: pl.DataFrame | pl.LazyFrame, created_at: dt.datetime | pl.Expr | None
) -> pl.Expr:
    if created_at is None and "created_at" in schema_of(frame):
        dtype = schema_of(frame)["created_at"]
        if not isinstance(dtype, pl.Datetime):
            msg = (
                f"existing created_at column has dtype {dtype}. "
                "Hint: cast it to Datetime or pass created_at=..."
            )
            raise DtypeNotSupportedError(msg)
        return pl.col("created_at").dt.cast_time_unit("us")
    if created_at is None:
        created_at = dt.datetime.now(dt.timezone.utc)
    if isinstance(created_at, pl.Expr):
        return created_at.dt.cast_time_unit("us")
    if not isinstance(created_at, dt.datetime):
        msg = f"created_at={created_at!r} is not a datetime. Hint: pass datetime.datetime."
        raise InvalidParameterError(msg)
    tz = str(created_at.tzinfo) if created_at.tzinfo is not None else None
    return pl.lit(created_at, dtype=pl.Datetime("us", tz))


def _tag(
    df: FrameT,
    subset: str | Sequence[str],
    columns: dict[str, pl.Expr],
) -> FrameT:
    names = _resolve_content(subset)
    check_columns(df, names)
    exprs = {"example_id": _id_expr(names), **columns}
    return df.with_columns(**{name: exprs[name] for name in LINEAGE_COLUMNS})


def tag_synthetic(
    df: FrameT,
    *,
    generator: str | pl.Expr,
    generator_version: str | pl.Expr | None,
    prompt: str | pl.Expr | None = None,
    subset: str | Sequence[str],
    prompt_hash: str | pl.Expr | None = None,
    sampling_params: Mapping[str, Any] | IntoExpr | None = None,
    intended_use: str | pl.Expr | None = "train",
    seed_example_id: int | IntoExpr | None = None,
    eval_exclusion: bool | pl.Expr = False,
    never_train_on: bool | pl.Expr = False,
    reviewer: str | pl.Expr | None = None,
    created_at: dt.datetime | pl.Expr | None = None,
    template_store: TemplateStore | None = None,
) -> FrameT:
    """Add the lineage columns to freshly generated rows (``source = "synthetic"``).

    Parameters
    ----------
    df
        DataFrame or LazyFrame of generated rows.
    generator, generator_version
        Name and version of the model or program that produced the rows.
    prompt
        The prompt or template text (one for all rows), or an expression giving each row's
        prompt text. Only its hash is stored (:func:`hash_prompt`, SHA-256 hex), computed once
        per distinct prompt.
    subset
        Columns whose :func:`~careful_polars.hashing.content_hash` becomes ``example_id``.
    prompt_hash
        Instead of ``prompt``: prompt hashes already computed by the generation pipeline (a
        string or a String expression), stored as they are. Give exactly one of the two.
    sampling_params
        A dict (stored as canonical JSON text: sorted keys, no spaces), a Struct column
        (encoded to JSON) or a String column of JSON text.
    intended_use
        What the rows are meant for, e.g. "train" or "eval".
    seed_example_id
        ``example_id`` of the real row the generator was shown: an int or a UInt64 column.
    eval_exclusion, never_train_on
        Isolation flags (bools or boolean expressions).
    reviewer
        Who reviewed the rows.
    created_at
        When the rows were made. Defaults to an existing ``created_at`` column, else now (UTC).
    template_store
        If given, each distinct prompt text is added to it (hash -> text). With a per-row
        prompt expression on a LazyFrame the store fills when the frame is computed.

    Returns
    -------
    DataFrame or LazyFrame
        ``df`` with the twelve lineage columns (existing ones are replaced).

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> rows = pl.DataFrame({"text": ["my order is late", "refund please"]})
    >>> tagged = cp.tag_synthetic(
    ...     rows,
    ...     generator="ticket-writer",
    ...     generator_version="1.2",
    ...     prompt="Write a support ticket about {topic}.",
    ...     sampling_params={"temperature": 0.7},
    ...     subset=["text"],
    ...     created_at=dt.datetime(2025, 1, 1),
    ... )
    >>> tagged.select("source", "generator", "sampling_params", "eval_exclusion")
    shape: (2, 4)
    ┌───────────┬───────────────┬─────────────────────┬────────────────┐
    │ source    ┆ generator     ┆ sampling_params     ┆ eval_exclusion │
    │ ---       ┆ ---           ┆ ---                 ┆ ---            │
    │ str       ┆ str           ┆ str                 ┆ bool           │
    ╞═══════════╪═══════════════╪═════════════════════╪════════════════╡
    │ synthetic ┆ ticket-writer ┆ {"temperature":0.7} ┆ false          │
    │ synthetic ┆ ticket-writer ┆ {"temperature":0.7} ┆ false          │
    └───────────┴───────────────┴─────────────────────┴────────────────┘
    """
    if generator is None or (isinstance(generator, str) and not generator):
        msg = "generator is empty. Hint: name the model or program that produced the rows."
        raise InvalidParameterError(msg)
    if (prompt is None) == (prompt_hash is None):
        msg = (
            "give exactly one of prompt= and prompt_hash=. Hint: pass the prompt text the rows "
            "were made from (it is hashed), or the hashes your pipeline already computed."
        )
        raise InvalidParameterError(msg)
    if isinstance(prompt, str) and not prompt:
        msg = "prompt is empty. Hint: pass the prompt or template text the rows were made from."
        raise InvalidParameterError(msg)
    hashes = (
        _text_lit("prompt_hash", prompt_hash)
        if prompt_hash is not None
        else _prompt_hash_expr(prompt, template_store)
    )
    columns = {
        "source": pl.lit("synthetic", dtype=pl.String),
        "generator": _text_lit("generator", generator),
        "generator_version": _text_lit("generator_version", generator_version),
        "prompt_hash": hashes,
        "seed_example_id": _seed_expr(seed_example_id),
        "sampling_params": _sampling_params_expr(df, sampling_params),
        "intended_use": _text_lit("intended_use", intended_use),
        "eval_exclusion": _flag("eval_exclusion", eval_exclusion),
        "never_train_on": _flag("never_train_on", never_train_on),
        "reviewer": _text_lit("reviewer", reviewer),
        "created_at": _created_at_expr(df, created_at),
    }
    return _tag(df, subset, columns)


def tag_real(
    df: FrameT,
    *,
    subset: str | Sequence[str],
    intended_use: str | pl.Expr | None = "train",
    eval_exclusion: bool | pl.Expr = False,
    never_train_on: bool | pl.Expr = False,
    reviewer: str | pl.Expr | None = None,
    created_at: dt.datetime | pl.Expr | None = None,
) -> FrameT:
    """Add the lineage columns to real rows (``source = "real"``, no generator or prompt).

    Mark an evaluation split with ``intended_use="eval", eval_exclusion=True`` so
    :func:`guard_training` refuses it in training data.

    Parameters
    ----------
    df
        DataFrame or LazyFrame of real rows.
    subset
        Columns whose :func:`~careful_polars.hashing.content_hash` becomes ``example_id``.
    intended_use, eval_exclusion, never_train_on, reviewer, created_at
        As in :func:`tag_synthetic`.

    Returns
    -------
    DataFrame or LazyFrame
        ``df`` with the twelve lineage columns (existing ones are replaced).

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> held_out = pl.DataFrame({"text": ["where is my parcel"]})
    >>> cp.tag_real(
    ...     held_out,
    ...     subset="text",
    ...     intended_use="eval",
    ...     eval_exclusion=True,
    ...     created_at=dt.datetime(2025, 1, 1),
    ... ).select("source", "generator", "intended_use", "eval_exclusion")
    shape: (1, 4)
    ┌────────┬───────────┬──────────────┬────────────────┐
    │ source ┆ generator ┆ intended_use ┆ eval_exclusion │
    │ ---    ┆ ---       ┆ ---          ┆ ---            │
    │ str    ┆ str       ┆ str          ┆ bool           │
    ╞════════╪═══════════╪══════════════╪════════════════╡
    │ real   ┆ null      ┆ eval         ┆ true           │
    └────────┴───────────┴──────────────┴────────────────┘
    """
    columns = {
        "source": pl.lit("real", dtype=pl.String),
        "generator": pl.lit(None, dtype=pl.String),
        "generator_version": pl.lit(None, dtype=pl.String),
        "prompt_hash": pl.lit(None, dtype=pl.String),
        "seed_example_id": pl.lit(None, dtype=pl.UInt64),
        "sampling_params": pl.lit(None, dtype=pl.String),
        "intended_use": _text_lit("intended_use", intended_use),
        "eval_exclusion": _flag("eval_exclusion", eval_exclusion),
        "never_train_on": _flag("never_train_on", never_train_on),
        "reviewer": _text_lit("reviewer", reviewer),
        "created_at": _created_at_expr(df, created_at),
    }
    return _tag(df, subset, columns)


# --- evaluation isolation -------------------------------------------------------------------


def _with_ids(
    frame: pl.DataFrame | pl.LazyFrame, subset: list[str] | None, what: str
) -> pl.LazyFrame:
    lf = frame.lazy().with_row_index("_careful_row")
    if subset is not None:
        check_columns(frame, subset)
        return lf.with_columns(_id_expr(subset).alias("_careful_id"))
    if "example_id" not in schema_of(frame):
        msg = (
            f"{what} has no example_id column. "
            "Hint: tag it with tag_real/tag_synthetic, or pass subset=[...] to hash it here."
        )
        raise ColumnNotFoundError(msg)
    return lf.with_columns(pl.col("example_id").cast(pl.UInt64).alias("_careful_id"))


def _leak_rows(
    lf: pl.LazyFrame, check: str, side: str, reason: pl.Expr, ref: pl.Expr
) -> pl.LazyFrame:
    return lf.select(
        pl.lit(check, dtype=pl.String).alias("check"),
        pl.lit(side, dtype=pl.String).alias("side"),
        pl.col("_careful_row").cast(pl.UInt32).alias("row"),
        pl.col("_careful_id").alias("example_id"),
        reason.cast(pl.String).alias("reason"),
        ref.cast(pl.UInt64).alias("ref"),
    )


def _near_duplicate_leaks(
    tr: pl.LazyFrame, ev: pl.LazyFrame, on: str, threshold: float
) -> pl.LazyFrame:
    """Training rows that are near-duplicates of an evaluation row (not exact copies)."""
    from careful_polars.contamination import contamination_report

    # hand over the ids used everywhere else in the report, so refs and rows agree
    train_side, eval_side = pl.collect_all(
        [frame.select(pl.col(on), pl.col("_careful_id").alias("example_id")) for frame in (tr, ev)]
    )
    report = contamination_report(
        train_side, eval_side, on, threshold=threshold, ngram_overlap=None
    )
    pairs = (
        report.lazy()
        .filter(pl.col("kind") == "near_duplicate")
        .select(
            pl.col("example_id").alias("_careful_ref"),
            pl.col("similarity"),
            pl.col("train_ids").alias("_careful_id"),
        )
        .explode("_careful_id")
    )
    near = tr.join(pairs, on="_careful_id", how="inner").sort("_careful_row", "_careful_ref")
    reason = pl.format(
        "near-duplicate of an evaluation row (Jaccard >= {}; best {})",
        pl.lit(threshold),
        pl.col("similarity").round(3),
    )
    return _leak_rows(near, "near_duplicate", "train", reason, pl.col("_careful_ref"))


def leak_report(
    train: pl.DataFrame | pl.LazyFrame,
    evaluation: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    subset: str | Sequence[str] | None = None,
    near_duplicate_threshold: float | None = None,
    text: str | None = None,
) -> pl.DataFrame:
    """Return every isolation violation as a tidy frame (empty when there are none).

    Checks, in order (``check`` column):

    - ``eval_exclusion`` / ``never_train_on``: a training row carries that flag;
    - ``eval_overlap``: a training row's ``example_id`` is in the evaluation set;
    - ``near_duplicate``: a training row is a near-duplicate of an evaluation row
      (only with ``near_duplicate_threshold``);
    - ``generator_overlap``: an evaluation row was produced by a generator that also
      produced training rows.

    Parameters
    ----------
    train
        Training rows.
    evaluation
        Evaluation rows (optional; without it only the flags are checked).
    subset
        Recompute ``example_id`` from these columns on both sides instead of trusting the
        stored column.
    near_duplicate_threshold
        Similarity at or above which a training row counts as a near-duplicate of an
        evaluation row (uses :func:`careful_polars.contamination.contamination_report`).
    text
        Text column for the near-duplicate check (default: the single content column).

    Returns
    -------
    DataFrame
        Columns ``check``, ``side`` ("train"/"eval"), ``row`` (row number in its frame),
        ``example_id``, ``reason`` and ``ref`` (the evaluation ``example_id`` leaked from).

    Notes
    -----
    Checks whose column a frame lacks (``eval_exclusion``, ``never_train_on``,
    ``generator``) are skipped; run :func:`validate_lineage` first to require them.
    LazyFrames are read once, for the columns the checks need.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> when = dt.datetime(2025, 1, 1)
    >>> ev = cp.tag_real(pl.DataFrame({"text": ["a", "b"]}), subset="text", created_at=when)
    >>> tr = cp.tag_real(pl.DataFrame({"text": ["b", "c"]}), subset="text", created_at=when)
    >>> cp.leak_report(tr, ev).select("check", "side", "row", "reason")
    shape: (1, 4)
    ┌──────────────┬───────┬─────┬───────────────────────────────┐
    │ check        ┆ side  ┆ row ┆ reason                        │
    │ ---          ┆ ---   ┆ --- ┆ ---                           │
    │ str          ┆ str   ┆ u32 ┆ str                           │
    ╞══════════════╪═══════╪═════╪═══════════════════════════════╡
    │ eval_overlap ┆ train ┆ 0   ┆ example_id is in the eval set │
    └──────────────┴───────┴─────┴───────────────────────────────┘
    """
    columns = None if subset is None else _resolve_content(subset)
    if near_duplicate_threshold is not None:
        if evaluation is None:
            msg = "near_duplicate_threshold needs evaluation. Hint: pass the evaluation rows."
            raise InvalidParameterError(msg)
        if not 0.0 < near_duplicate_threshold <= 1.0:
            msg = (
                f"near_duplicate_threshold={near_duplicate_threshold!r} is outside (0, 1]. "
                "Hint: e.g. 0.8."
            )
            raise InvalidParameterError(msg)
    train_schema = schema_of(train)
    tr = _with_ids(train, columns, "train")
    parts: list[pl.LazyFrame] = []
    null_ref = pl.lit(None, dtype=pl.UInt64)
    for flag in ("eval_exclusion", "never_train_on"):
        if flag in train_schema:
            flagged = tr.filter(pl.col(flag).fill_null(False))
            parts.append(_leak_rows(flagged, flag, "train", pl.lit(f"{flag} is true"), null_ref))
    if evaluation is not None:
        ev = _with_ids(evaluation, columns, "eval")
        eval_ids = ev.select(pl.col("_careful_id").alias("_careful_eval_id")).unique()
        overlap = tr.join(eval_ids, left_on="_careful_id", right_on="_careful_eval_id", how="semi")
        parts.append(
            _leak_rows(
                overlap,
                "eval_overlap",
                "train",
                pl.lit("example_id is in the eval set"),
                pl.col("_careful_id"),
            )
        )
        if near_duplicate_threshold is not None:
            on = text or (columns[0] if columns and len(columns) == 1 else None)
            if on is None:
                msg = "near-duplicate check needs one text column. Hint: pass text."
                raise InvalidParameterError(msg)
            check_columns(train, [on])
            check_columns(evaluation, [on])
            parts.append(_near_duplicate_leaks(tr, ev, on, near_duplicate_threshold))
        if "generator" in train_schema and "generator" in schema_of(evaluation):
            train_generators = (
                tr.select(pl.col("generator").alias("_careful_gen")).drop_nulls().unique()
            )
            shared = ev.join(
                train_generators, left_on="generator", right_on="_careful_gen", how="semi"
            )
            reason = pl.format("generator '{}' also produced training rows", pl.col("generator"))
            parts.append(_leak_rows(shared, "generator_overlap", "eval", reason, null_ref))
    if not parts:
        return pl.DataFrame(schema=_LEAK_SCHEMA)
    return pl.concat(parts, how="vertical").collect()


def guard_training(
    train: FrameT,
    evaluation: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    subset: str | Sequence[str] | None = None,
    near_duplicate_threshold: float | None = None,
    text: str | None = None,
) -> FrameT:
    """Return ``train`` unchanged, or raise :class:`EvalLeakError` if it must not be trained on.

    Meant to sit in a training loader. Runs every check of :func:`leak_report`; the error's
    ``leaks`` attribute holds that report (every offending row), its message a summary.

    Parameters
    ----------
    train, evaluation, subset, near_duplicate_threshold, text
        As in :func:`leak_report`.

    Returns
    -------
    DataFrame or LazyFrame
        ``train``, the very object given.

    Raises
    ------
    EvalLeakError
        Any training row is flagged ``eval_exclusion`` / ``never_train_on``, is in the
        evaluation set (or, optionally, near it), or an evaluation row comes from a generator
        that also produced training rows.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> when = dt.datetime(2025, 1, 1)
    >>> ev = cp.tag_real(pl.DataFrame({"text": ["a"]}), subset="text", created_at=when)
    >>> tr = cp.tag_real(pl.DataFrame({"text": ["b", "c"]}), subset="text", created_at=when)
    >>> cp.guard_training(tr, ev) is tr
    True
    >>> cp.guard_training(pl.concat([tr, ev]), ev)
    Traceback (most recent call last):
    ...
    careful_polars.exceptions.EvalLeakError: 1 row(s) break evaluation isolation ...
    """
    leaks = leak_report(
        train,
        evaluation,
        subset=subset,
        near_duplicate_threshold=near_duplicate_threshold,
        text=text,
    )
    if leaks.height:
        counts = leaks.group_by("check", maintain_order=True).len()
        summary = ", ".join(f"{c}: {n}" for c, n in counts.iter_rows())
        first = leaks.head(5).select("check", "side", "row", "example_id").rows(named=True)
        msg = (
            f"{leaks.height} row(s) break evaluation isolation ({summary}); first: {first}. "
            "Hint: the error's .leaks frame lists every offending row; drop those training "
            "rows (or fix their lineage) before training."
        )
        err = EvalLeakError(msg)
        err.leaks = leaks  # type: ignore[attr-defined]
        raise err
    return train


def split_leaks(
    train: FrameT,
    evaluation: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    subset: str | Sequence[str] | None = None,
    near_duplicate_threshold: float | None = None,
    text: str | None = None,
) -> Split[FrameT]:
    """Split the training rows that break isolation off ``train``; kept + rejected == train.

    The lossless counterpart of :func:`guard_training`: the training-side findings of
    :func:`leak_report` become rejected rows (a row found by several checks is rejected once,
    by the first check in the report's order). Evaluation-side findings
    (``generator_overlap``) concern the evaluation set and are not rows of ``train``; run
    :func:`guard_training` afterwards to be sure nothing is left.

    Parameters
    ----------
    train, evaluation, subset, near_duplicate_threshold, text
        As in :func:`leak_report`.

    Returns
    -------
    Split
        ``kept``: the training rows that may be trained on, in their order; ``rejected``: the
        others with ``_careful_gate`` (the check), ``_careful_reason`` and ``_careful_ref``
        (the evaluation ``example_id`` leaked from, where there is one). Same kind as
        ``train``.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> when = dt.datetime(2025, 1, 1)
    >>> ev = cp.tag_real(pl.DataFrame({"text": ["a"]}), subset="text", created_at=when)
    >>> tr = cp.tag_real(pl.DataFrame({"text": ["a", "b"]}), subset="text", created_at=when)
    >>> kept, rejected = cp.split_leaks(tr, ev)
    >>> kept["text"].to_list(), rejected.select("text", "_careful_gate").rows()
    (['b'], [('a', 'eval_overlap')])
    """
    first = _first_train_leaks(
        leak_report(
            train,
            evaluation,
            subset=subset,
            near_duplicate_threshold=near_duplicate_threshold,
            text=text,
        )
    ).rename({"leak_check": GATE_COL, "leak_reason": REASON_COL, "leak_ref": REF_COL})
    indexed = train.lazy().with_row_index("_careful_row")
    kept = indexed.join(first, on="_careful_row", how="anti").drop("_careful_row")
    rejected = (
        indexed.join(first, on="_careful_row", how="inner")
        .sort("_careful_row")
        .drop("_careful_row")
    )
    return Split(like_input(kept, train), like_input(rejected, train))


def _first_train_leaks(leaks: pl.DataFrame) -> pl.LazyFrame:
    """Return one finding per training row (the first check in report order)."""
    return (
        leaks.lazy()
        .filter(pl.col("side") == "train")
        .unique("row", keep="first", maintain_order=True)
        .select(
            pl.col("row").alias("_careful_row"),
            pl.col("check").alias("leak_check"),
            pl.col("reason").alias("leak_reason"),
            pl.col("ref").alias("leak_ref"),
        )
    )


_MARK_LEAK_COLUMNS = ("leak_check", "leak_reason", "leak_ref")


def mark_leaks(
    train: FrameT,
    evaluation: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    subset: str | Sequence[str] | None = None,
    near_duplicate_threshold: float | None = None,
    text: str | None = None,
    overwrite: bool = False,
) -> FrameT:
    """Mark the training rows that break isolation, keeping every row (the lossless form).

    Adds ``leak_check`` (the first check a row fails, in :func:`leak_report`'s order; null
    for a clean row), ``leak_reason`` and ``leak_ref`` (the evaluation ``example_id`` leaked
    from, where there is one). Rows and their order are unchanged.

    Parameters
    ----------
    train, evaluation, subset, near_duplicate_threshold, text
        As in :func:`leak_report`.
    overwrite
        Replace ``leak_check``, ``leak_reason`` or ``leak_ref`` when ``train`` already has them;
        by default that raises :class:`~careful_polars.exceptions.ColumnExistsError`.

    Returns
    -------
    DataFrame or LazyFrame
        ``train`` with the three columns (same kind as given).

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> when = dt.datetime(2025, 1, 1)
    >>> ev = cp.tag_real(pl.DataFrame({"text": ["a"]}), subset="text", created_at=when)
    >>> tr = cp.tag_real(pl.DataFrame({"text": ["a", "b"]}), subset="text", created_at=when)
    >>> cp.mark_leaks(tr, ev).select("text", "leak_check")
    shape: (2, 2)
    ┌──────┬──────────────┐
    │ text ┆ leak_check   │
    │ ---  ┆ ---          │
    │ str  ┆ str          │
    ╞══════╪══════════════╡
    │ a    ┆ eval_overlap │
    │ b    ┆ null         │
    └──────┴──────────────┘
    """
    check_new_columns(train, _MARK_LEAK_COLUMNS, overwrite=overwrite)
    if overwrite:
        train_cols = [c for c in schema_of(train).names() if c not in _MARK_LEAK_COLUMNS]
        train = train.select(train_cols)
    first = _first_train_leaks(
        leak_report(
            train,
            evaluation,
            subset=subset,
            near_duplicate_threshold=near_duplicate_threshold,
            text=text,
        )
    )
    marked = (
        train.lazy()
        .with_row_index("_careful_row")
        .join(first, on="_careful_row", how="left", maintain_order="left")
        .drop("_careful_row")
    )
    return like_input(marked, train)
