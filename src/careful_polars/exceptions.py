"""Exceptions raised by careful_polars.

Every error inherits :class:`CarefulError` and, where one fits, the builtin it resembles, so
``except KeyError`` still catches an unknown column. Messages name the bad value and end with a
``Hint:`` saying how to fix it.
"""

from __future__ import annotations

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
    "UseNotAllowedError",
]


class CarefulError(Exception):
    """Base class of every error raised by careful_polars."""


class InvalidParameterError(CarefulError, ValueError):
    """A parameter has a value the function cannot use."""


class ColumnNotFoundError(CarefulError, KeyError):
    """A named column is not in the frame."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class DtypeNotSupportedError(CarefulError, TypeError):
    """A column has a dtype the operation cannot handle."""


class EvalLeakError(CarefulError, ValueError):
    """Training data contains rows that must not be trained on (evaluation leakage)."""


class UseNotAllowedError(CarefulError, PermissionError):
    """A dataset's manifest forbids the requested use, or the dataset has expired."""


class FingerprintMismatchError(CarefulError, ValueError):
    """The data no longer matches the fingerprint recorded in its manifest."""


class IndexMismatchError(CarefulError, ValueError):
    """A persistent index was built with a different scheme or parameters."""


class RatioCapError(CarefulError, ValueError):
    """A synthetic share exceeds its declared maximum."""


class ColumnExistsError(CarefulError, ValueError):
    """A marking function would overwrite a column the frame already has."""
