"""The cascade: :class:`Gates`, :func:`run_gates` and their :class:`GateResult`."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from careful_polars._results import GATE_COL, REASON_COL, REF_COL, add_reject_columns
from careful_polars._utils import schema_of
from careful_polars.exceptions import InvalidParameterError
from careful_polars.gates._base import MARK_ROW, REJECT_COLS, ROW_INDEX, Gate, Progress, RowGate
from careful_polars.gates._config import gates_from_config

if TYPE_CHECKING:
    from careful_polars._typing import FrameT

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
            "reject_columns": list(REJECT_COLS),
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
    clash = [c for c in (*REJECT_COLS, ROW_INDEX, MARK_ROW) if c in schema_of(frame).names()]
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
        indexed = df.with_row_index(MARK_ROW)
        result = _run(indexed, self.gates, None, check_input=False)
        kept = result.kept.with_columns(
            pl.lit(None, dtype=pl.String).alias(GATE_COL),
            pl.lit(None, dtype=pl.String).alias(REASON_COL),
            pl.lit(None, dtype=pl.UInt64).alias(REF_COL),
        )
        out = pl.concat([kept, result.rejected]).sort(MARK_ROW).drop(MARK_ROW)
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
    rejected = rejected.select(*columns, *REJECT_COLS).with_columns(
        pl.col(GATE_COL).cast(pl.String),
        pl.col(REASON_COL).cast(pl.String),
        pl.col(REF_COL).cast(pl.UInt64),
    )
    return kept, rejected
