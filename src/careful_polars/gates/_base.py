"""The gate protocol: :class:`Gate`, :class:`RowGate` and the reject-column names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import polars as pl

from careful_polars._results import GATE_COL, REASON_COL, REF_COL, Split, add_reject_columns
from careful_polars._utils import schema_of

if TYPE_CHECKING:
    from careful_polars._typing import FrameT

REJECT_COLS = (GATE_COL, REASON_COL, REF_COL)
ROW_INDEX = "_careful_row"
MARK_ROW = "_careful_mark_row"
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


def settings_of(obj: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
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
