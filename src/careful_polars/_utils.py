"""Small private helpers shared by the capability modules: argument checks, frame kinds, warnings."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from careful_polars._typing import FrameT, IntoExpr
from careful_polars.exceptions import ColumnExistsError, ColumnNotFoundError, InvalidParameterError

__all__ = [
    "as_list",
    "check_columns",
    "check_in",
    "check_new_columns",
    "check_probability",
    "collect",
    "like_input",
    "parse_into_expr",
    "schema_of",
    "warn",
]


def parse_into_expr(value: IntoExpr) -> pl.Expr:
    """Turn a column name, Series or expression into an expression."""
    if isinstance(value, pl.Expr):
        return value
    if isinstance(value, str):
        return pl.col(value)
    if isinstance(value, pl.Series):
        return pl.lit(value)
    msg = f"expected a column name, a Series or an expression, got {type(value).__name__}"
    raise TypeError(msg)


def as_list(value: str | Sequence[str] | None) -> list[str] | None:
    """Normalise a column name or a sequence of names to a list (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def schema_of(frame: pl.DataFrame | pl.LazyFrame) -> pl.Schema:
    """Return the schema of a DataFrame or LazyFrame without collecting data."""
    return frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema


def check_columns(frame: pl.DataFrame | pl.LazyFrame, columns: Iterable[str]) -> None:
    """Raise ``ColumnNotFoundError`` naming the first missing column and the close matches."""
    available = list(schema_of(frame).names())
    for name in columns:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=3)
            hint = (
                f"Did you mean one of these columns: {close}?"
                if close
                else f"Available columns: {available}."
            )
            msg = f"column {name!r} is not in the frame. Hint: {hint}"
            raise ColumnNotFoundError(msg)


def check_new_columns(
    frame: pl.DataFrame | pl.LazyFrame, columns: Iterable[str], *, overwrite: bool
) -> None:
    """Raise ``ColumnExistsError`` when a marking function would replace an existing column."""
    if overwrite:
        return
    existing = set(schema_of(frame).names())
    clash = [name for name in columns if name in existing]
    if clash:
        msg = (
            f"the frame already has the column(s) {clash} that this function adds. "
            "Hint: pass overwrite=True to replace them, or rename or drop them first."
        )
        raise ColumnExistsError(msg)


def check_in(name: str, value: Any, allowed: Iterable[Any]) -> None:
    """Raise ``InvalidParameterError`` when ``value`` is not one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        msg = f"{name}={value!r} is not supported. Hint: use one of {allowed}."
        raise InvalidParameterError(msg)


def check_probability(name: str, value: float, *, open_low: bool = False) -> None:
    """Raise ``InvalidParameterError`` unless ``0 <= value <= 1`` (``0 < value`` if open_low)."""
    ok = (0.0 < value <= 1.0) if open_low else (0.0 <= value <= 1.0)
    if not ok:
        bounds = "(0, 1]" if open_low else "[0, 1]"
        msg = f"{name}={value!r} is outside {bounds}. Hint: pass a number in {bounds}."
        raise InvalidParameterError(msg)


def collect(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Collect a LazyFrame (a DataFrame is returned as is)."""
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame


def like_input(result: pl.LazyFrame, original: FrameT) -> FrameT:
    """Return ``result`` as the same kind of frame as ``original`` (collecting if it was eager)."""
    if isinstance(original, pl.LazyFrame):
        return result
    return result.collect()


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """Emit a warning pointing at the user's line rather than at careful_polars internals."""
    warnings.warn(message, category, stacklevel=_user_stacklevel())


def _user_stacklevel() -> int:
    """Stack level of the first frame outside careful_polars and polars (the user's line)."""
    import inspect
    import os

    import polars

    ours = os.path.dirname(os.path.dirname(__file__)) + os.sep + "careful_polars"
    theirs = os.path.dirname(polars.__file__)
    frame = inspect.currentframe()
    level = 0
    while frame is not None:
        name = frame.f_code.co_filename
        if not (name.startswith(ours) or name.startswith(theirs)):
            break
        frame = frame.f_back
        level += 1
    return max(level, 1)
