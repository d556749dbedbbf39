"""Agreement between judges (human or model raters), disagreement routing and calibration samples.

``judge_agreement`` reports Cohen's kappa for every pair of judges, Fleiss' kappa and
Krippendorff's alpha as one tidy frame. ``mark_disagreement`` flags the rows the judges do not
agree on so they can be routed to people; ``calibration_sample`` draws a stratified, seeded
sample of the rows that were decided automatically, for spot checks.

The statistics are computed from category-count matrices (items x categories) with NumPy; the
per-row work (encoding labels, counting) happens in Polars.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Literal

import numpy as np
import polars as pl

from careful_polars._utils import (
    check_columns,
    check_in,
    check_new_columns,
    collect,
    like_input,
    schema_of,
)
from careful_polars.exceptions import InvalidParameterError

if TYPE_CHECKING:
    from careful_polars._typing import FrameT

__all__ = [
    "DISAGREE_COL",
    "calibration_sample",
    "judge_agreement",
    "mark_disagreement",
]

#: Column added by :func:`mark_disagreement`.
DISAGREE_COL = "_careful_disagree"

AgreementKind = Literal["nominal", "ordinal", "interval"]
DisagreementRule = Literal["unanimous", "majority", "range"]
_WEIGHTS = {"nominal": None, "ordinal": "linear", "interval": "quadratic"}


def _check_judges(frame: pl.DataFrame | pl.LazyFrame, judges: Sequence[str]) -> list[str]:
    judges = [judges] if isinstance(judges, str) else list(judges)
    if len(judges) < 2:
        msg = f"agreement needs at least two judge columns, got {judges!r}. Hint: list them all."
        raise InvalidParameterError(msg)
    if len(set(judges)) != len(judges):
        msg = f"judge columns {judges!r} repeat a name. Hint: list each column once."
        raise InvalidParameterError(msg)
    check_columns(frame, judges)
    return judges


def _encode(df: pl.DataFrame, judges: list[str], kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes items x judges with -1 for missing, category values sorted)."""
    values = df.unpivot(on=judges)["value"].drop_nulls().unique()
    if kind == "interval" and not values.dtype.is_numeric():
        msg = (
            f"kind='interval' needs numeric ratings, got {values.dtype}. "
            "Hint: cast the judge columns to numbers or use kind='nominal'."
        )
        raise InvalidParameterError(msg)
    values = values.sort()
    codes = np.column_stack(
        [
            df.select(
                pl.col(j)
                .cast(values.dtype)
                .replace_strict(values, np.arange(values.len()), default=-1, return_dtype=pl.Int64)
            )
            .to_series()
            .fill_null(-1)
            .to_numpy()
            for j in judges
        ]
    )
    return codes, values.to_numpy()


def _cohen(a: np.ndarray, b: np.ndarray, k: int, weights: str | None) -> tuple[float, int]:
    both = (a >= 0) & (b >= 0)
    a, b = a[both], b[both]
    n = a.shape[0]
    if n == 0:
        return float("nan"), 0
    observed = np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(np.float64)
    expected = np.outer(observed.sum(1), observed.sum(0)) / n
    idx = np.arange(k)
    if weights is None:
        w = 1.0 - np.eye(k)
    elif weights == "linear":
        w = np.abs(idx[:, None] - idx[None, :]).astype(np.float64)
    else:
        w = ((idx[:, None] - idx[None, :]) ** 2).astype(np.float64)
    denom = float((w * expected).sum())
    if denom == 0.0:
        return float("nan"), n
    return 1.0 - float((w * observed).sum()) / denom, n


def _counts(codes: np.ndarray, k: int) -> np.ndarray:
    """Items x categories matrix of how many judges chose each category."""
    items = np.repeat(np.arange(codes.shape[0]), codes.shape[1])
    flat = codes.ravel()
    keep = flat >= 0
    out = np.zeros((codes.shape[0], k), dtype=np.float64)
    np.add.at(out, (items[keep], flat[keep]), 1.0)
    return out


def _fleiss(codes: np.ndarray, k: int) -> tuple[float, int]:
    complete = codes[(codes >= 0).all(axis=1)]
    n_items, raters = complete.shape
    if n_items == 0:
        return float("nan"), 0
    counts = _counts(complete, k)
    p_item = ((counts**2).sum(1) - raters) / (raters * (raters - 1))
    p_cat = counts.sum(0) / (n_items * raters)
    p_bar, p_e = float(p_item.mean()), float((p_cat**2).sum())
    if p_e == 1.0:
        return float("nan"), n_items
    return (p_bar - p_e) / (1.0 - p_e), n_items


def _delta2(kind: str, values: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    k = values.shape[0]
    if kind == "nominal":
        return 1.0 - np.eye(k)
    if kind == "interval":
        v = values.astype(np.float64)
        return (v[:, None] - v[None, :]) ** 2
    cum = np.concatenate([[0.0], np.cumsum(marginals)])
    lo = np.minimum.outer(np.arange(k), np.arange(k))
    hi = np.maximum.outer(np.arange(k), np.arange(k))
    between = cum[hi + 1] - cum[lo]
    d = between - (marginals[:, None] + marginals[None, :]) / 2.0
    squared: np.ndarray = d * d
    return squared


def _krippendorff(codes: np.ndarray, values: np.ndarray, kind: str) -> tuple[float, int]:
    k = values.shape[0]
    counts = _counts(codes, k)
    m = counts.sum(1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    if counts.shape[0] == 0:
        return float("nan"), 0
    scaled = counts / (m - 1.0)[:, None]
    coincidence = scaled.T @ counts - np.diag(scaled.sum(0))
    n_c = coincidence.sum(1)
    n = n_c.sum()
    delta = _delta2(kind, values, n_c)
    d_o = float((coincidence * delta).sum()) / n
    d_e = float((np.outer(n_c, n_c) * delta).sum()) / (n * (n - 1.0))
    if d_e == 0.0:
        return float("nan"), int(counts.shape[0])
    return 1.0 - d_o / d_e, int(counts.shape[0])


def judge_agreement(
    df: pl.DataFrame | pl.LazyFrame,
    judges: Sequence[str],
    *,
    kind: AgreementKind = "nominal",
) -> pl.DataFrame:
    """Return agreement statistics between judge columns as a tidy frame.

    Parameters
    ----------
    df
        One row per item, one column per judge; nulls are missing ratings.
    judges
        Judge (rater) columns, at least two.
    kind
        Level of measurement. ``"nominal"``: unweighted Cohen's kappa and nominal alpha;
        ``"ordinal"``: linearly weighted kappa and ordinal alpha; ``"interval"``: quadratically
        weighted kappa and interval alpha (ratings must be numeric). Fleiss' kappa is always
        nominal.

    Returns
    -------
    pl.DataFrame
        Columns ``statistic`` (``cohen_kappa``, ``fleiss_kappa``, ``krippendorff_alpha``),
        ``judge_a``, ``judge_b`` (the pair for Cohen, null otherwise), ``value`` and ``items``
        (items used: both rated for Cohen, all rated for Fleiss, at least two for alpha).

    Raises
    ------
    InvalidParameterError
        If fewer than two judges are given, or ``kind`` is unknown.

    Notes
    -----
    Cohen's kappa weights follow scikit-learn's ``cohen_kappa_score`` (category ranks);
    Krippendorff's alpha is computed from the coincidence matrix (Krippendorff 2011), with
    the interval metric on the rating values and the ordinal metric on category marginals.
    A statistic is NaN when it is undefined (e.g. every rating is the same category).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"a": [1, 2, 3, 3, 2], "b": [1, 2, 3, 2, 2], "c": [1, 2, 3, 3, None]})
    >>> cp.judge_agreement(df, ["a", "b", "c"]).with_columns(pl.col("value").round(3))
    shape: (5, 5)
    ┌────────────────────┬─────────┬─────────┬───────┬───────┐
    │ statistic          ┆ judge_a ┆ judge_b ┆ value ┆ items │
    │ ---                ┆ ---     ┆ ---     ┆ ---   ┆ ---   │
    │ str                ┆ str     ┆ str     ┆ f64   ┆ i64   │
    ╞════════════════════╪═════════╪═════════╪═══════╪═══════╡
    │ cohen_kappa        ┆ a       ┆ b       ┆ 0.688 ┆ 5     │
    │ cohen_kappa        ┆ a       ┆ c       ┆ 1.0   ┆ 4     │
    │ cohen_kappa        ┆ b       ┆ c       ┆ 0.636 ┆ 4     │
    │ fleiss_kappa       ┆ null    ┆ null    ┆ 0.745 ┆ 4     │
    │ krippendorff_alpha ┆ null    ┆ null    ┆ 0.794 ┆ 5     │
    └────────────────────┴─────────┴─────────┴───────┴───────┘
    """
    judges = _check_judges(df, judges)
    check_in("kind", kind, _WEIGHTS)
    table = collect(df.select(judges))
    codes, values = _encode(table, judges, kind)
    k = max(values.shape[0], 1)
    rows: list[tuple[str, str | None, str | None, float, int]] = []
    for (ia, a), (ib, b) in combinations(enumerate(judges), 2):
        value, n = _cohen(codes[:, ia], codes[:, ib], k, _WEIGHTS[kind])
        rows.append(("cohen_kappa", a, b, value, n))
    rows.append(("fleiss_kappa", None, None, *_fleiss(codes, k)))
    rows.append(("krippendorff_alpha", None, None, *_krippendorff(codes, values, kind)))
    return pl.DataFrame(
        rows,
        schema={"statistic": pl.String, "judge_a": pl.String, "judge_b": pl.String,
                "value": pl.Float64, "items": pl.Int64},
        orient="row",
    )  # fmt: skip


def _disagreement_expr(
    judges: list[str], rule: DisagreementRule | pl.Expr, tolerance: float
) -> pl.Expr:
    if isinstance(rule, pl.Expr):
        return rule
    check_in("rule", rule, ["unanimous", "majority", "range"])
    labels = pl.concat_list([pl.col(j) for j in judges]).list.drop_nulls()
    if rule == "unanimous":
        return labels.list.n_unique() > 1
    if rule == "range":
        return (labels.list.max() - labels.list.min()) > tolerance
    votes = pl.sum_horizontal(pl.col(j).is_not_null() for j in judges)
    support = pl.max_horizontal(
        pl.sum_horizontal((pl.col(j) == pl.col(k)).fill_null(False) for k in judges) for j in judges
    )
    return support * 2 <= votes


def mark_disagreement(
    df: FrameT,
    judges: Sequence[str],
    *,
    rule: DisagreementRule | pl.Expr = "unanimous",
    tolerance: float = 0.0,
    column: str = "_careful_disagree",
    overwrite: bool = False,
) -> FrameT:
    """Add a boolean column that is true on rows the judges disagree on (route them to people).

    Parameters
    ----------
    df
        One row per item, one column per judge.
    judges
        Judge columns, at least two.
    rule
        ``"unanimous"``: any two non-null ratings differ; ``"majority"``: no label has a strict
        majority of the non-null ratings; ``"range"``: max - min of numeric ratings exceeds
        ``tolerance``; or any boolean expression.
    tolerance
        Allowed spread for ``rule="range"``.
    column
        Name of the flag column.
    overwrite
        Replace ``column`` when ``df`` already has it; by default that raises
        :class:`~careful_polars.exceptions.ColumnExistsError`.

    Returns
    -------
    DataFrame or LazyFrame
        ``df`` with ``column`` added; lazy in, lazy out.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame(
    ...     {"a": ["ok", "ok", "bad"], "b": ["ok", "bad", "bad"], "c": ["ok", "ok", None]}
    ... )
    >>> cp.mark_disagreement(df, ["a", "b", "c"], rule="majority")
    shape: (3, 4)
    ┌─────┬─────┬──────┬───────────────────┐
    │ a   ┆ b   ┆ c    ┆ _careful_disagree │
    │ --- ┆ --- ┆ ---  ┆ ---               │
    │ str ┆ str ┆ str  ┆ bool              │
    ╞═════╪═════╪══════╪═══════════════════╡
    │ ok  ┆ ok  ┆ ok   ┆ false             │
    │ ok  ┆ bad ┆ ok   ┆ false             │
    │ bad ┆ bad ┆ null ┆ false             │
    └─────┴─────┴──────┴───────────────────┘
    """
    judges = _check_judges(df, judges)
    check_new_columns(df, [column], overwrite=overwrite)
    if tolerance < 0:
        msg = f"tolerance={tolerance!r} is negative. Hint: pass 0 or a positive spread."
        raise InvalidParameterError(msg)
    return df.with_columns(_disagreement_expr(judges, rule, tolerance).alias(column))


def calibration_sample(
    df: FrameT,
    n: int,
    *,
    seed: int = 0,
    by: str | Sequence[str] | None = None,
    decided: str | pl.Expr | None = None,
) -> FrameT:
    """Draw a stratified random sample of automatically decided rows for human spot checks.

    Parameters
    ----------
    df
        Rows with their automatic decisions.
    n
        Sample size (all eligible rows if fewer).
    seed
        Seed of the random draw: the same frame and seed give the same sample.
    by
        Strata columns (e.g. the decided label). Each stratum gets a share of ``n``
        proportional to its size (largest remainders), and at least one row when ``n`` allows.
    decided
        Boolean column or expression selecting the automatically decided rows. Default: rows
        where ``_careful_disagree`` is false when that column exists, else every row.

    Returns
    -------
    DataFrame or LazyFrame
        The sampled rows in input order, same kind as given. Needs the whole table.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"id": range(10), "label": ["a"] * 8 + ["b"] * 2})
    >>> cp.calibration_sample(df, 4, seed=1, by="label")["label"].value_counts(sort=True)
    shape: (2, 2)
    ┌───────┬───────┐
    │ label ┆ count │
    │ ---   ┆ ---   │
    │ str   ┆ u32   │
    ╞═══════╪═══════╡
    │ a     ┆ 3     │
    │ b     ┆ 1     │
    └───────┴───────┘
    """
    if n < 0:
        msg = f"n={n!r} is negative. Hint: pass the number of rows to sample."
        raise InvalidParameterError(msg)
    strata = [by] if isinstance(by, str) else list(by or [])
    check_columns(df, strata)
    if decided is None:
        names = schema_of(df).names()
        decided_expr = ~pl.col(DISAGREE_COL).fill_null(True) if DISAGREE_COL in names else None
    else:
        decided_expr = pl.col(decided) if isinstance(decided, str) else decided
    table = collect(df).with_row_index("_careful_row")
    pool = table.filter(decided_expr) if decided_expr is not None else table
    rng = np.random.default_rng(seed)
    pool = pool.with_columns(pl.Series("_key", rng.permutation(pool.height), dtype=pl.Int64))
    if not strata:
        picked = pool.sort("_key").head(n)
    else:
        sizes = pool.group_by(strata).len().sort(strata)
        alloc = _allocate(sizes["len"].to_numpy(), n)
        sizes = sizes.with_columns(pl.Series("_take", alloc, dtype=pl.Int64))
        picked = (
            pool.join(sizes.select(*strata, "_take"), on=strata, how="left", nulls_equal=True)
            .filter(pl.col("_key").rank("ordinal").over(strata) <= pl.col("_take"))
            .drop("_take")
        )
    out = picked.sort("_careful_row").drop("_careful_row", "_key")
    return like_input(out.lazy(), df)


def _allocate(sizes: np.ndarray, n: int) -> np.ndarray:
    """Proportional allocation with largest remainders, >= 1 per stratum when n allows."""
    total = int(sizes.sum())
    n = min(n, total)
    if n == 0 or total == 0:
        return np.zeros_like(sizes)
    quota = sizes * n / total
    alloc = np.floor(quota).astype(np.int64)
    order = np.argsort(-(quota - alloc), kind="stable")
    alloc[order[: n - int(alloc.sum())]] += 1
    if n >= sizes.shape[0]:  # every stratum gets a look: take from the largest allocations
        for i in np.flatnonzero(alloc == 0):  # one pass over the strata, not over rows
            alloc[int(np.argmax(alloc))] -= 1
            alloc[i] = 1
    out: np.ndarray = np.minimum(alloc, sizes)
    return out
