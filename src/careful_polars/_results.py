"""Result containers shared by filtering operations, and the reject-column convention."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic

import polars as pl

from careful_polars._typing import FrameT

__all__ = ["GATE_COL", "REASON_COL", "REF_COL", "Split", "add_reject_columns"]

#: Name of the check that rejected a row.
GATE_COL = "_careful_gate"
#: Human-readable reason a row was rejected.
REASON_COL = "_careful_reason"
#: ``example_id`` of the row a rejected row duplicates or leaks from (null where there is none).
REF_COL = "_careful_ref"


@dataclass(frozen=True)
class Split(Generic[FrameT]):
    """Kept and rejected rows of a filtering operation; ``kept`` + ``rejected`` == input.

    ``rejected`` carries the input columns unchanged plus ``_careful_gate``,
    ``_careful_reason`` and ``_careful_ref``. A ``Split`` unpacks like a tuple:
    ``kept, rejected = split_duplicates(df)``.
    """

    kept: FrameT
    rejected: FrameT

    def __iter__(self) -> Iterator[FrameT]:
        return iter((self.kept, self.rejected))

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"kept": ..., "rejected": ...}``."""
        return {"kept": self.kept, "rejected": self.rejected}

    def __repr__(self) -> str:
        def size(frame: pl.DataFrame | pl.LazyFrame) -> str:
            return f"{frame.height} rows" if isinstance(frame, pl.DataFrame) else "lazy"

        return f"Split(kept={size(self.kept)}, rejected={size(self.rejected)})"


def add_reject_columns(
    frame: FrameT, gate: str, reason: pl.Expr | str, ref: pl.Expr | None = None
) -> FrameT:
    """Append the three reject columns to ``frame`` (``reason`` may be an expression)."""
    reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
    ref_expr = pl.lit(None, dtype=pl.UInt64) if ref is None else ref.cast(pl.UInt64)
    return frame.with_columns(
        pl.lit(gate).alias(GATE_COL),
        reason_expr.cast(pl.String).alias(REASON_COL),
        ref_expr.alias(REF_COL),
    )
