"""Row gates: decided row by row by one boolean expression each, so they run lazily."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from careful_polars._utils import check_columns, check_in
from careful_polars.exceptions import InvalidParameterError
from careful_polars.gates._base import RowGate, settings_of

if TYPE_CHECKING:
    pass

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
        return settings_of(self)


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
class Predicate(RowGate):
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
        return settings_of(self)


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
    return Predicate(_as_predicate(predicate), reason, (), name, max_rejected_share, max_rejected)


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
        return Predicate(check, why, (text,), name, max_rejected_share, max_rejected)
    assert predicate is not None
    why = reason or "format check failed"
    return Predicate(_as_predicate(predicate), why, (), name, max_rejected_share, max_rejected)


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
        return settings_of(self)


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
        return settings_of(self, skip=("real",)) | {"real": self.real is not None}


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
