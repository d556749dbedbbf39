"""An ordered cascade of data-quality gates that keeps every rejected row, with its reason.

``Gates([...])`` runs its gates in order; each gate sees only the rows the gates before it kept.
The result, :class:`GateResult`, holds the ``kept`` rows, the ``rejected`` rows (unchanged,
plus ``_careful_gate``, ``_careful_reason`` and ``_careful_ref``) and a tidy ``report`` (one
row per gate). ``kept`` + ``rejected`` == input, always.

A gate is any object with a ``name`` and a ``split(frame) -> Split`` method (subclass
:class:`Gate`), or a row gate: a :class:`RowGate` whose ``check`` returns a boolean "keep"
expression and a reason, which runs lazily. The built-in gates are made by the functions of this
module: :func:`schema`, :func:`exact_duplicates`, :func:`pii`, :func:`near_duplicates`,
:func:`contamination_report`, :func:`memorisation`, :func:`length`, :func:`language_or_format`,
:func:`label_consistency` and :func:`expr`; :func:`gate` wraps a plain function.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from careful_polars._results import GATE_COL, REASON_COL, REF_COL, Split, add_reject_columns
from careful_polars._utils import check_columns, check_in, check_probability, schema_of
from careful_polars.exceptions import InvalidParameterError

if TYPE_CHECKING:
    from careful_polars._minhash import Normalize
    from careful_polars._typing import FrameT
    from careful_polars.neardup import KeepNear, Verify

__all__ = [
    "Gate",
    "GateResult",
    "Gates",
    "RowGate",
    "contamination",
    "exact_duplicates",
    "expr",
    "custom_gate",
    "label_consistency",
    "language_or_format",
    "length",
    "memorisation",
    "near_duplicates",
    "pii",
    "run_gates",
    "schema",
]

_REJECT_COLS = (GATE_COL, REASON_COL, REF_COL)
_ROW = "_careful_row"
_MARK_ROW = "_careful_mark_row"
Progress = Callable[[int, int, str, "pl.DataFrame | None"], None]


# --- the gate protocol ----------------------------------------------------------------------


class Gate:
    """Base class of a gate: a named check that splits a frame into kept and rejected rows.

    Subclass it and implement :meth:`split`; ``rejected`` must hold the rejected input rows
    unchanged plus the three reject columns (use :func:`careful_polars._results.add_reject_columns`
    or simply return ``Split(kept, rejected)`` and let the cascade add them: rows without
    ``_careful_gate`` get the gate's name and ``default_reason``).

    Attributes
    ----------
    name
        Name shown in the report and written to ``_careful_gate``.
    max_rejected_share
        Failure threshold: the cascade's :attr:`GateResult.failures` lists this gate when it
        rejects a larger share of the rows it saw (None: never fails).
    max_rejected
        Failure threshold as a row count (None: never fails).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import Split
    >>> class NoShouting(cp.Gate):
    ...     name = "no_shouting"
    ...     default_reason = "all capitals"
    ...
    ...     def split(self, frame):
    ...         loud = pl.col("text") == pl.col("text").str.to_uppercase()
    ...         return Split(frame.filter(~loud), frame.filter(loud))
    >>> df = pl.DataFrame({"text": ["hello", "HELP NOW"]})
    >>> cp.Gates([NoShouting()]).run(df).rejected.select("text", "_careful_reason")
    shape: (1, 2)
    ┌──────────┬─────────────────┐
    │ text     ┆ _careful_reason │
    │ ---      ┆ ---             │
    │ str      ┆ str             │
    ╞══════════╪═════════════════╡
    │ HELP NOW ┆ all capitals    │
    └──────────┴─────────────────┘
    """

    name: str = "gate"
    default_reason: str = "rejected"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
        """Return the kept and rejected rows of ``frame``."""
        msg = f"gate {self.name!r} does not implement split(). Hint: subclass Gate and define it."
        raise NotImplementedError(msg)

    def describe(self) -> dict[str, Any]:
        """Return the gate's settings as plain data (written to the JSON summary)."""
        return {"name": self.name, "type": type(self).__name__}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class RowGate(Gate):
    """A gate decided row by row by a boolean expression: it runs lazily.

    Subclasses set ``name`` and implement :meth:`check`, returning ``(keep, reason, ref)``
    expressions; rows where ``keep`` is not true are rejected.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars.gates import RowGate
    >>> class HasQuestion(RowGate):
    ...     name = "question"
    ...
    ...     def check(self, schema):
    ...         return pl.col("text").str.contains("[?]"), pl.lit("no question asked"), None
    >>> df = pl.DataFrame({"text": ["where is it?", "thanks"]})
    >>> HasQuestion().split(df.lazy()).rejected.collect()["_careful_reason"].to_list()
    ['no question asked']
    >>> cp.Gates([HasQuestion()]).mark(df.lazy()).collect()["_careful_gate"].to_list()
    [None, 'question']
    """

    def check(self, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr, pl.Expr | None]:
        """Return ``(keep, reason, ref)`` expressions for a frame with ``schema``."""
        raise NotImplementedError  # pragma: no cover

    def split(self, frame: FrameT) -> Split[FrameT]:
        """Split ``frame`` (eager or lazy) by the :meth:`check` expressions."""
        keep, reason, ref = self.check(schema_of(frame))
        if isinstance(frame, pl.DataFrame):
            # eager: the check runs once over the whole column, the reason only on rejects
            mask = frame.select(keep.fill_null(False)).to_series()
            rejected = add_reject_columns(frame.filter(~mask), self.name, reason, ref)
            return Split(frame.filter(mask), rejected)
        marked = frame.with_columns(keep.fill_null(False).alias("_careful_keep"))
        kept = marked.filter(pl.col("_careful_keep")).drop("_careful_keep")
        rejected = add_reject_columns(
            marked.filter(~pl.col("_careful_keep")).drop("_careful_keep"), self.name, reason, ref
        )
        return Split(kept, rejected)


def _settings(obj: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type(obj).__name__}
    for key, value in vars(obj).items():
        if key in skip or key.startswith("_"):
            continue
        if isinstance(value, (pl.DataFrame, pl.LazyFrame)):
            value = f"<frame {value.height} rows>" if isinstance(value, pl.DataFrame) else "<lazy>"
        elif isinstance(value, pl.Expr):
            value = str(value)
        elif not isinstance(value, (str, int, float, bool, list, tuple, dict, type(None))):
            value = repr(value)
        out[key] = value
    return out


# --- row gates ------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Length(RowGate):
    text: str
    min_length: int | None
    max_length: int | None
    unit: Literal["chars", "words"]
    name: str = "length"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def check(self, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr, pl.Expr | None]:
        col = pl.col(self.text)
        size = (
            col.str.len_chars() if self.unit == "chars" else col.str.count_matches(r"\S+")
        ).cast(pl.Int64)
        keep = col.is_not_null()
        reason: Any = pl.when(col.is_null()).then(pl.lit(f"{self.text} is null"))
        if self.min_length is not None:
            keep = keep & (size >= self.min_length)
            reason = reason.when(size < self.min_length).then(
                pl.format(f"{{}} {self.unit} < min {self.min_length}", size)
            )
        if self.max_length is not None:
            keep = keep & (size <= self.max_length)
            reason = reason.when(size > self.max_length).then(
                pl.format(f"{{}} {self.unit} > max {self.max_length}", size)
            )
        return keep, reason.otherwise(None), None

    def describe(self) -> dict[str, Any]:
        return _settings(self)


def length(
    text: str = "text",
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    unit: Literal["chars", "words"] = "chars",
    name: str = "length",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> RowGate:
    """Reject rows whose text is shorter than ``min_length`` or longer than ``max_length`` (or null).

    Parameters
    ----------
    text
        String column.
    min_length, max_length
        Inclusive bounds (None: unbounded).
    unit
        ``"chars"`` (Unicode characters) or ``"words"`` (runs of non-whitespace).
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    RowGate

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"text": ["hi", "a good ticket", None]})
    >>> cp.Gates([g.length(min_length=3)]).run(df).rejected.select("text", "_careful_reason")
    shape: (2, 2)
    ┌──────┬─────────────────┐
    │ text ┆ _careful_reason │
    │ ---  ┆ ---             │
    │ str  ┆ str             │
    ╞══════╪═════════════════╡
    │ hi   ┆ 2 chars < min 3 │
    │ null ┆ text is null    │
    └──────┴─────────────────┘
    """
    check_in("unit", unit, ["chars", "words"])
    for label, bound in (("min_length", min_length), ("max_length", max_length)):
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
            msg = f"length gate {label}={bound!r} is not an integer. Hint: e.g. {label}=10."
            raise InvalidParameterError(msg)
    if min_length is not None and max_length is not None and min_length > max_length:
        msg = (
            f"length gate min_length={min_length} > max_length={max_length}. Hint: swap the bounds."
        )
        raise InvalidParameterError(msg)
    return _Length(text, min_length, max_length, unit, name, max_rejected_share, max_rejected)


@dataclass(frozen=True, repr=False)
class _Predicate(RowGate):
    predicate: pl.Expr
    reason: str | pl.Expr
    columns: tuple[str, ...] = ()
    name: str = "expr"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def check(self, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr, pl.Expr | None]:
        check_columns(pl.DataFrame(schema=schema), self.columns)
        reason = pl.lit(self.reason) if isinstance(self.reason, str) else self.reason
        return self.predicate, reason, None

    def describe(self) -> dict[str, Any]:
        return _settings(self)


def _as_predicate(value: str | pl.Expr) -> pl.Expr:
    """Return a boolean expression (a string is parsed as SQL)."""
    return pl.sql_expr(value) if isinstance(value, str) else value


def expr(
    predicate: pl.Expr | str,
    reason: str | pl.Expr = "predicate failed",
    *,
    name: str = "expr",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> RowGate:
    """Keep rows where a boolean expression is true; reject the rest (null counts as false).

    Parameters
    ----------
    predicate
        Boolean Polars expression, or a SQL boolean expression as a string
        (``"priority BETWEEN 1 AND 4"``, parsed by ``pl.sql_expr``).
    reason
        Reason written on rejected rows (a string or a String expression).
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    RowGate

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"priority": [1, 9, None]})
    >>> gate = g.expr("priority BETWEEN 1 AND 4", "priority out of range", name="priority")
    >>> cp.Gates([gate]).run(df).report.select("gate", "rows_in", "rows_rejected", "rows_out")
    shape: (1, 4)
    ┌──────────┬─────────┬───────────────┬──────────┐
    │ gate     ┆ rows_in ┆ rows_rejected ┆ rows_out │
    │ ---      ┆ ---     ┆ ---           ┆ ---      │
    │ str      ┆ i64     ┆ i64           ┆ i64      │
    ╞══════════╪═════════╪═══════════════╪══════════╡
    │ priority ┆ 3       ┆ 2             ┆ 1        │
    └──────────┴─────────┴───────────────┴──────────┘
    """
    return _Predicate(_as_predicate(predicate), reason, (), name, max_rejected_share, max_rejected)


def language_or_format(
    text: str = "text",
    *,
    pattern: str | None = None,
    predicate: pl.Expr | str | None = None,
    reason: str | None = None,
    name: str = "format",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> RowGate:
    r"""Reject rows whose text does not match a regex (or fails a user expression).

    Parameters
    ----------
    text
        String column the ``pattern`` is searched in.
    pattern
        Regular expression (Rust syntax) that must be found in ``text``; anchor it with
        ``^...$`` to require a whole-text format. For a language check, a script class such as
        ``r"^[\p{Latin}\p{Common}\s]+$"`` works.
    predicate
        Alternatively, a boolean expression (or SQL string) that must hold, e.g. the output of
        a language-identification column: ``pl.col("lang") == "en"``.
    reason
        Reason on rejected rows (default: names the pattern).
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    RowGate

    Raises
    ------
    InvalidParameterError
        Unless exactly one of ``pattern`` and ``predicate`` is given.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"text": ['{"intent": "refund"}', "refund please"]})
    >>> gate = g.language_or_format(pattern=r"^\{.*\}$", reason="not a JSON object")
    >>> cp.Gates([gate]).run(df).kept
    shape: (1, 1)
    ┌──────────────────────┐
    │ text                 │
    │ ---                  │
    │ str                  │
    ╞══════════════════════╡
    │ {"intent": "refund"} │
    └──────────────────────┘
    """
    if (pattern is None) == (predicate is None):
        msg = "language_or_format needs exactly one of pattern= and predicate=. Hint: pass one."
        raise InvalidParameterError(msg)
    if pattern is not None:
        try:
            pl.select(pl.lit("").str.contains(pattern))
        except pl.exceptions.ComputeError as exc:
            msg = f"pattern {pattern!r} is not a valid regex ({exc}). Hint: check its escapes."
            raise InvalidParameterError(msg) from None
        check = pl.col(text).str.contains(pattern)
        why = reason or f"{text} does not match {pattern!r}"
        return _Predicate(check, why, (text,), name, max_rejected_share, max_rejected)
    assert predicate is not None
    why = reason or "format check failed"
    return _Predicate(_as_predicate(predicate), why, (), name, max_rejected_share, max_rejected)


@dataclass(frozen=True, repr=False)
class _LabelConsistency(RowGate):
    label: str
    against: str | pl.Expr
    name: str = "label_consistency"
    max_rejected_share: float | None = None
    max_rejected: int | None = None

    def check(self, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr, pl.Expr | None]:
        needed = [self.label] + ([self.against] if isinstance(self.against, str) else [])
        check_columns(pl.DataFrame(schema=schema), needed)
        label = pl.col(self.label)
        if isinstance(self.against, str):
            other, source = pl.col(self.against), f"{self.against}"
        else:
            other, source = self.against, "rule"
        other = other.cast(schema[self.label]) if isinstance(self.against, str) else other
        differs = (label.cast(pl.String) != other.cast(pl.String)).fill_null(False)
        reason = pl.format(
            f"{self.label}={{}} but {source} says {{}}",
            label.cast(pl.String),
            other.cast(pl.String),
        )
        return ~differs, reason, None

    def describe(self) -> dict[str, Any]:
        return _settings(self)


def label_consistency(
    label: str,
    against: str | pl.Expr,
    *,
    name: str = "label_consistency",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> RowGate:
    """Reject rows whose label disagrees with a second labeller or a rule.

    Parameters
    ----------
    label
        Label column.
    against
        A second labeller's column (name), or an expression (or SQL string) giving the label a
        rule expects; where it is null the rule abstains and the row passes.
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    RowGate

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"text": ["refund me", "where is it"], "intent": ["billing", "billing"]})
    >>> rule = pl.when(pl.col("text").str.contains("where")).then(pl.lit("shipping"))
    >>> cp.Gates([g.label_consistency("intent", rule)]).run(df).rejected["_careful_reason"][0]
    'intent=billing but rule says shipping'
    """
    if isinstance(against, str) and not against.isidentifier():
        against = pl.sql_expr(against)
    return _LabelConsistency(label, against, name, max_rejected_share, max_rejected)


@dataclass(frozen=True, repr=False)
class _Pii(RowGate):
    text: str
    kinds: tuple[str, ...] | None
    real: pl.DataFrame | pl.LazyFrame | pl.Series | None
    real_text: str | None
    identifiers: tuple[str, ...]
    only_echoed: bool
    name: str = "pii"
    max_rejected_share: float | None = None
    max_rejected: int | None = None
    _cache: dict[str, list[str]] = field(default_factory=dict, compare=False)

    def _echo_patterns(self) -> tuple[list[str], list[str]]:
        if "pii" not in self._cache:  # harvested once per gate, not per run
            from careful_polars.pii import harvest_identifiers

            pii_found, listed = harvest_identifiers(
                self.real, self.real_text or self.text, self.identifiers, self.kinds
            )
            self._cache["pii"], self._cache["listed"] = pii_found, listed
        return self._cache["pii"], self._cache["listed"]

    def check(self, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr, pl.Expr | None]:
        from careful_polars.pii import PII_KINDS, echo_expr, find_pii, has_pii

        check_columns(pl.DataFrame(schema=schema), [self.text])
        col = pl.col(self.text)
        kinds = self.kinds or PII_KINDS
        pii_found, listed = self._echo_patterns()
        echoed = echo_expr(col, pii_found, listed, kinds)
        echo_reason = pl.concat_str(pl.lit("echoes real identifier: "), echoed.list.join(", "))
        echo_reason = echo_reason.replace("echoes real identifier: ", None)
        if self.only_echoed:
            return (echoed.list.len() == 0).fill_null(True), echo_reason, None
        # any PII rejects the row: the cheap has_pii decides, plus a scan for the listed
        # identifiers; the reason (echo, else the kinds found) is computed on rejects only
        keep = ~has_pii(col, kinds=self.kinds).fill_null(False)
        if listed:
            keep = keep & ~col.str.contains_any(listed).fill_null(False)
        found = find_pii(col, kinds=self.kinds)
        named = found.list.eval(pl.element().struct.field("kind")).list.unique(maintain_order=True)
        kinds_reason = pl.concat_str(pl.lit("contains "), named.list.join(", "))
        reason = pl.coalesce(echo_reason, kinds_reason.replace("contains ", None))
        return keep, reason, None

    def describe(self) -> dict[str, Any]:
        return _settings(self, skip=("real",)) | {"real": self.real is not None}


def pii(
    text: str = "text",
    *,
    kinds: Sequence[str] | None = None,
    real: pl.DataFrame | pl.LazyFrame | pl.Series | None = None,
    real_text: str | None = None,
    identifiers: Sequence[str] = (),
    only_echoed: bool = False,
    name: str = "pii",
    max_rejected_share: float | None = None,
    max_rejected: int | None = None,
) -> RowGate:
    """Reject rows that contain personal data or secrets, or echo identifiers from real data.

    Parameters
    ----------
    text
        Text column.
    kinds
        PII kinds to look for (default: all of :data:`careful_polars.PII_KINDS`).
    real
        Real or seed data whose identifiers must not reappear (see
        :func:`careful_polars.echoed_identifiers`).
    real_text
        Text column of ``real`` (default: ``text``).
    identifiers
        Extra literal identifiers (names, account ids) that must not appear.
    only_echoed
        Reject only echoes of ``real`` / ``identifiers``, not every PII-shaped span.
    name, max_rejected_share, max_rejected
        See :class:`Gate`.

    Returns
    -------
    RowGate

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"text": ["mail me at ann@example.com", "all fine"]})
    >>> cp.Gates([g.pii()]).run(df).rejected["_careful_reason"].to_list()
    ['contains email']
    """
    from careful_polars.pii import check_kinds

    chosen = None if kinds is None else check_kinds(kinds)
    if only_echoed and real is None and not identifiers:
        msg = "pii gate with only_echoed=True needs real= or identifiers=. Hint: pass one."
        raise InvalidParameterError(msg)
    return _Pii(
        text, chosen, real, real_text, tuple(identifiers), only_echoed, name,
        max_rejected_share, max_rejected,
    )  # fmt: skip


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
    indexed = frame.with_row_index(_ROW)
    if frame_level.len() > 0:
        reason = "schema: " + "; ".join(frame_level.to_list())
        return Split(frame.clear(), add_reject_columns(frame, name, reason))
    per_row = (
        cases.filter(pl.col("index").is_not_null())
        .group_by(pl.col("index").cast(pl.UInt32).alias(_ROW))
        .agg(pl.col("_why").unique(maintain_order=True).str.join("; ").alias("_why"))
    )
    marked = indexed.join(per_row, on=_ROW, how="left", maintain_order="left")
    kept = marked.filter(pl.col("_why").is_null()).drop(_ROW, "_why")
    rejected = marked.filter(pl.col("_why").is_not_null())
    rejected = add_reject_columns(
        rejected, name, pl.concat_str(pl.lit("schema: "), pl.col("_why"))
    ).drop(_ROW, "_why")
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
    return Split(kept.select(cols), rejected.select(*cols, *_REJECT_COLS))


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
        return _settings(self)


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
        marked = frame.with_row_index(_ROW).join(
            first, left_on=_ROW, right_on="row", how="left", maintain_order="left"
        )
        hit = pl.col("_why").is_not_null()
        kept = marked.filter(~hit).drop(_ROW, "_why", "_ref")
        rejected = add_reject_columns(
            marked.filter(hit), self.name, pl.col("_why"), pl.col("_ref")
        ).drop(_ROW, "_why", "_ref")
        return Split(kept, rejected)

    def describe(self) -> dict[str, Any]:
        return _settings(self)


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
            return _Predicate(keep, self.reason, (), self.name).split(frame)
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


# --- the cascade ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GateResult:
    """Outcome of a gate cascade: kept rows, rejected rows (the audit set) and a report.

    Attributes
    ----------
    kept
        Rows that passed every gate, in input order, columns unchanged.
    rejected
        Every rejected row, unchanged, plus ``_careful_gate``, ``_careful_reason`` and
        ``_careful_ref``; grouped by gate in cascade order, input order within a gate.
    report
        One row per gate: ``gate``, ``order``, ``rows_in``, ``rows_rejected``, ``rows_out``,
        ``rejected_share``, ``seconds``, ``max_rejected_share``, ``max_rejected``, ``failed``.
    gates
        Settings of each gate (plain data, as written to ``summary.json``).
    """

    kept: pl.DataFrame
    rejected: pl.DataFrame
    report: pl.DataFrame
    gates: tuple[dict[str, Any], ...] = ()

    @property
    def failures(self) -> list[str]:
        """Gates whose rejections exceeded their threshold, as readable lines."""
        rows = self.report.filter(pl.col("failed")).iter_rows(named=True)
        return [
            f"{r['gate']}: rejected {r['rows_rejected']:,} of {r['rows_in']:,} "
            f"({r['rejected_share']:.2%}), limit "
            + (
                f"{r['max_rejected_share']:.2%}"
                if r["max_rejected_share"] is not None
                else f"{r['max_rejected']:,} rows"
            )
            for r in rows
        ]

    def funnel(self) -> str:
        """Return the gate funnel as text: rows in and out per gate."""
        lines = []
        for r in self.report.iter_rows(named=True):
            flag = "  FAILED" if r["failed"] else ""
            lines.append(
                f"{r['order']:>2}. {r['gate']:<20} {r['rows_in']:>11,} -> {r['rows_out']:>11,}"
                f"  (-{r['rows_rejected']:,}, {r['rejected_share']:.2%}, {r['seconds']:.2f} s)"
                f"{flag}"
            )
        return "\n".join(lines)

    def summary(self) -> dict[str, Any]:
        """Plain-data summary (what ``write`` puts in ``summary.json``)."""
        rows_in = self.kept.height + self.rejected.height
        return {
            "rows_in": rows_in,
            "rows_kept": self.kept.height,
            "rows_rejected": self.rejected.height,
            "gates": self.report.to_dicts(),
            "settings": list(self.gates),
            "failures": self.failures,
            "reject_columns": list(_REJECT_COLS),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the plain-data summary (as :meth:`summary`); the frames stay attributes.

        Plain data, so ``careful_polars.build_manifest(df, ..., gates=result)`` records the funnel,
        each gate's settings and the failures, not a copy of every row.
        """
        return self.summary()

    def write(self, directory: str | Path) -> Path:
        """Write ``kept.parquet``, ``rejected.parquet``, ``report.parquet`` and ``summary.json``.

        Returns the directory. The lineage manifest can take this result as ``gates=``.
        """
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        self.kept.write_parquet(out / "kept.parquet")
        self.rejected.write_parquet(out / "rejected.parquet")
        self.report.write_parquet(out / "report.parquet")
        text = json.dumps(self.summary(), indent=2, default=str)
        (out / "summary.json").write_text(text + "\n")
        return out

    def __iter__(self) -> Iterator[pl.DataFrame]:
        return iter((self.kept, self.rejected, self.report))

    def __repr__(self) -> str:
        total = self.kept.height + self.rejected.height
        failed = f", {len(self.failures)} failed" if self.failures else ""
        return (
            f"GateResult(kept={self.kept.height:,} of {total:,} rows, "
            f"rejected={self.rejected.height:,} by {self.report.height} gates{failed})"
        )


_REPORT_SCHEMA = {
    "gate": pl.String, "order": pl.Int64, "rows_in": pl.Int64, "rows_rejected": pl.Int64,
    "rows_out": pl.Int64, "rejected_share": pl.Float64, "seconds": pl.Float64,
    "max_rejected_share": pl.Float64, "max_rejected": pl.Int64, "failed": pl.Boolean,
}  # fmt: skip


def _check_input(frame: pl.DataFrame | pl.LazyFrame) -> None:
    clash = [c for c in (*_REJECT_COLS, _ROW, _MARK_ROW) if c in schema_of(frame).names()]
    if clash:
        msg = (
            f"the frame already has the reject columns {clash}. "
            "Hint: drop them (e.g. run the cascade on result.kept, not on result.rejected)."
        )
        raise InvalidParameterError(msg)


class Gates:
    """An ordered cascade of gates.

    Parameters
    ----------
    gates
        The gates, in the order they run. Names must be unique.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"text": ["ok fine", "x", "mail a@b.com now", "ok fine!"]})
    >>> result = cp.Gates([g.length(min_length=3), g.pii()]).run(df)
    >>> result
    GateResult(kept=2 of 4 rows, rejected=2 by 2 gates)
    >>> print(result.funnel())  # doctest: +ELLIPSIS
     1. length                         4 ->           3  (-1, 25.00%, ... s)
     2. pii                            3 ->           2  (-1, 33.33%, ... s)
    """

    def __init__(self, gates: Iterable[Gate]) -> None:
        self.gates: tuple[Gate, ...] = tuple(gates)
        for g in self.gates:
            if not hasattr(g, "split") or not hasattr(g, "name"):
                msg = (
                    f"{g!r} is not a gate. Hint: use a careful_polars.gates function, subclass "
                    "careful_polars.Gate, or wrap a function with careful_polars.gate."
                )
                raise InvalidParameterError(msg)
        names = [g.name for g in self.gates]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            msg = f"gate names {repeated} repeat. Hint: give each gate its own name=."
            raise InvalidParameterError(msg)

    def __iter__(self) -> Iterator[Gate]:
        return iter(self.gates)

    def __len__(self) -> int:
        return len(self.gates)

    def __repr__(self) -> str:
        return f"Gates([{', '.join(g.name for g in self.gates)}])"

    @classmethod
    def from_toml(
        cls,
        source: str | Path | Mapping[str, Any],
        *,
        frames: Mapping[str, pl.DataFrame | pl.LazyFrame] | None = None,
    ) -> Gates:
        """Build a cascade from a TOML file (or its parsed mapping); see docs/gates.md.

        ``frames`` resolves ``"@name"`` references (``eval = "@eval"``); other frame values
        are file paths, relative to the TOML file.
        """
        from careful_polars._gate_config import gates_from_config

        return cls(gates_from_config(source, frames or {}))

    def run(
        self, frame: pl.DataFrame | pl.LazyFrame, *, progress: Progress | None = None
    ) -> GateResult:
        """Run the cascade on ``frame`` and return a :class:`GateResult` (always eager).

        Row gates are applied as lazy expressions on the rows that reach them; gates that need
        the whole table (duplicates, contamination, memorisation, schema) see a DataFrame.
        ``progress(i, n, gate_name, report_row_or_None)`` is called before and after each gate.
        """
        return run_gates(frame, self.gates, progress=progress)

    def mark(self, frame: FrameT) -> FrameT:
        """Lossless form: every input row, in input order, with the reject columns (null = kept).

        A cascade of row gates only is one lazy query (lazy in, lazy out); with table gates the
        cascade is run and the rows put back in order.
        """
        _check_input(frame)
        row_gates = [rg for rg in self.gates if isinstance(rg, RowGate)]
        if len(row_gates) == len(self.gates):
            frame_schema = schema_of(frame)
            checks = []
            for rg in row_gates:
                keep_e, why_e, ref_x = rg.check(frame_schema)
                checks.append((rg.name, keep_e, why_e, ref_x))
            gate_e = pl.lit(None, dtype=pl.String)
            reason_e = pl.lit(None, dtype=pl.String)
            ref_e = pl.lit(None, dtype=pl.UInt64)
            for name, keep, reason, ref in reversed(checks):
                fails = ~keep.fill_null(False)
                gate_e = pl.when(fails).then(pl.lit(name)).otherwise(gate_e)
                reason_e = pl.when(fails).then(reason.cast(pl.String)).otherwise(reason_e)
                ref_v = pl.lit(None, dtype=pl.UInt64) if ref is None else ref.cast(pl.UInt64)
                ref_e = pl.when(fails).then(ref_v).otherwise(ref_e)
            return frame.with_columns(
                gate_e.alias(GATE_COL), reason_e.alias(REASON_COL), ref_e.alias(REF_COL)
            )
        df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
        indexed = df.with_row_index(_MARK_ROW)
        result = _run(indexed, self.gates, None, check_input=False)
        kept = result.kept.with_columns(
            pl.lit(None, dtype=pl.String).alias(GATE_COL),
            pl.lit(None, dtype=pl.String).alias(REASON_COL),
            pl.lit(None, dtype=pl.UInt64).alias(REF_COL),
        )
        out = pl.concat([kept, result.rejected]).sort(_MARK_ROW).drop(_MARK_ROW)
        return out.lazy() if isinstance(frame, pl.LazyFrame) else out

    def describe(self) -> list[dict[str, Any]]:
        """Return the settings of every gate, as plain data."""
        return [g.describe() for g in self.gates]


def run_gates(
    df: pl.DataFrame | pl.LazyFrame,
    gates: Gates | Sequence[Gate],
    *,
    progress: Progress | None = None,
) -> GateResult:
    """Run ``gates`` in order on ``df``; see :class:`Gates` (``df.careful.run_gates(gates)``).

    Parameters
    ----------
    df
        The data; a LazyFrame is collected once, at the first gate.
    gates
        A :class:`Gates` or a sequence of gates.
    progress
        Called as ``progress(i, n, name, None)`` before gate ``i`` and
        ``progress(i, n, name, report_row)`` after it.

    Returns
    -------
    GateResult

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> from careful_polars import gates as g
    >>> df = pl.DataFrame({"text": ["fine", "no"]})
    >>> df.careful.run_gates([g.length(min_length=3)]).kept.height
    1
    """
    return _run(df, gates, progress, check_input=True)


def _run(
    frame: pl.DataFrame | pl.LazyFrame,
    gates: Gates | Sequence[Gate],
    progress: Progress | None,
    *,
    check_input: bool,
) -> GateResult:
    cascade = gates if isinstance(gates, Gates) else Gates(gates)
    if check_input:
        _check_input(frame)
    current = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    columns = current.columns
    rejected_parts: list[pl.DataFrame] = []
    report_rows: list[dict[str, Any]] = []
    n = len(cascade)
    for i, g in enumerate(cascade, start=1):
        if progress is not None:
            progress(i, n, g.name, None)
        start = time.perf_counter()
        rows_in = current.height
        kept, rejected = g.split(current)
        kept, rejected = _validated(g, current, kept, rejected, columns)
        seconds = time.perf_counter() - start
        share = rejected.height / rows_in if rows_in else 0.0
        max_share = getattr(g, "max_rejected_share", None)
        max_rows = getattr(g, "max_rejected", None)
        failed = (max_share is not None and share > max_share) or (
            max_rows is not None and rejected.height > max_rows
        )
        row = {
            "gate": g.name, "order": i, "rows_in": rows_in, "rows_rejected": rejected.height,
            "rows_out": kept.height, "rejected_share": share, "seconds": seconds,
            "max_rejected_share": max_share, "max_rejected": max_rows, "failed": failed,
        }  # fmt: skip
        report_rows.append(row)
        if progress is not None:
            progress(i, n, g.name, pl.DataFrame([row], schema=_REPORT_SCHEMA))
        rejected_parts.append(rejected)
        current = kept
    empty = add_reject_columns(current.clear(), "", "")
    rejected_all = pl.concat([empty, *rejected_parts]) if rejected_parts else empty
    report = pl.DataFrame(report_rows, schema=_REPORT_SCHEMA)
    return GateResult(current, rejected_all, report, tuple(cascade.describe()))


def _validated(
    g: Gate, seen: pl.DataFrame, kept: pl.DataFrame, rejected: pl.DataFrame, columns: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Check a gate kept its promise (nothing lost, columns unchanged) and add missing labels."""
    if GATE_COL not in rejected.columns:
        rejected = add_reject_columns(rejected, g.name, getattr(g, "default_reason", "rejected"))
    if kept.height + rejected.height != seen.height or kept.columns != columns:
        msg = (
            f"gate {g.name!r} returned {kept.height} kept + {rejected.height} rejected rows for "
            f"{seen.height} input rows (kept columns {kept.columns}). Hint: a gate must return "
            "every input row exactly once, with the input columns unchanged."
        )
        raise InvalidParameterError(msg)
    rejected = rejected.select(*columns, *_REJECT_COLS).with_columns(
        pl.col(GATE_COL).cast(pl.String),
        pl.col(REASON_COL).cast(pl.String),
        pl.col(REF_COL).cast(pl.UInt64),
    )
    return kept, rejected
