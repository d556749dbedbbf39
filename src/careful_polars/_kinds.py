"""How a column is compared: numeric, categorical, text or an identifier (skipped).

Shared by drift reports, profiles and the realism checks, so every module classifies a column
by the same rule.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from careful_polars._stats import numeric_dtype
from careful_polars.exceptions import DtypeNotSupportedError

__all__ = ["MAX_NUMERIC_LEVELS", "TEXT_MIN_MEAN_CHARS", "Kind", "infer_kind"]

#: A numeric column with at most this many distinct reference values is treated as categorical.
MAX_NUMERIC_LEVELS = 10
#: A String column is text when over half its values are distinct and the mean length is at least
#: this many characters; shorter mostly-distinct strings are identifiers and are skipped.
TEXT_MIN_MEAN_CHARS = 16
#: String columns are classified (text / identifier / categorical) on their first this many rows.
KIND_SAMPLE = 100_000

Kind = Literal["numeric", "categorical", "text", "identifier"]


def infer_kind(series: pl.Series) -> Kind:
    """Decide how a reference column is compared (see the module docs for the rule)."""
    dtype = series.dtype
    if numeric_dtype(dtype) and dtype != pl.Boolean:
        # more than MAX_NUMERIC_LEVELS values in a prefix settles it without a full pass
        if series.head(KIND_SAMPLE).drop_nulls().n_unique() > MAX_NUMERIC_LEVELS:
            return "numeric"
        distinct = series.drop_nulls().n_unique()
        return "categorical" if distinct <= MAX_NUMERIC_LEVELS else "numeric"
    if dtype in (pl.String,):
        values = series.head(KIND_SAMPLE).drop_nulls()
        if values.len() == 0:
            return "categorical"
        if values.n_unique() > 0.5 * values.len():
            mean_chars = values.str.len_chars().mean()
            if mean_chars is not None and float(mean_chars) >= TEXT_MIN_MEAN_CHARS:  # type: ignore[arg-type]
                return "text"
            return "identifier"
        return "categorical"
    if dtype == pl.Boolean or isinstance(dtype, (pl.Categorical, pl.Enum)):
        return "categorical"
    msg = (
        f"column {series.name!r} has dtype {dtype}, which drift cannot compare. "
        "Hint: leave it out with columns=, or cast it to a number or a string."
    )
    raise DtypeNotSupportedError(msg)
