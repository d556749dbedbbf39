"""Generator house-style fingerprints: word n-grams over-represented in candidate text.

The log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008,
"Fightin' Words") ranks n-grams ``w`` by ``z_w = delta_w / sqrt(var_w)`` where, with counts
``y`` in the candidate (``c``) and reference (``r``) corpora, totals ``n``, prior
``a_w = prior * (y_cw + y_rw)`` and ``a0 = sum_w a_w``::

    delta_w = log((y_cw + a_w) / (n_c + a0 - y_cw - a_w))
            - log((y_rw + a_w) / (n_r + a0 - y_rw - a_w))
    var_w   = 1 / (y_cw + a_w) + 1 / (y_rw + a_w)

Words are runs of Unicode letters/digits after lower-casing; everything runs as Polars
expressions (no Python loop over rows).
"""

from __future__ import annotations

import polars as pl

from careful_polars._typing import IntoExpr
from careful_polars._utils import check_columns, collect, parse_into_expr
from careful_polars.exceptions import InvalidParameterError

__all__ = ["style_fingerprints", "style_score"]

_WORD = r"[\p{L}\p{N}]+"


def _ngram_counts(df: pl.DataFrame | pl.LazyFrame, text: str, sizes: range) -> pl.DataFrame:
    words = (
        df.lazy()
        .select(pl.col(text).str.to_lowercase().str.extract_all(_WORD).alias("w"))
        .with_row_index("_r")
        .explode("w")
        .drop_nulls("w")
    )
    parts = []
    for size in sizes:
        gram = pl.concat_str([pl.col("w").shift(-k).over("_r") for k in range(size)], separator=" ")
        parts.append(words.select(gram.alias("ngram")).drop_nulls().with_columns(n=pl.lit(size)))
    return collect(pl.concat(parts).group_by("ngram", "n").len("count"))


def style_fingerprints(
    reference: pl.DataFrame | pl.LazyFrame,
    current: pl.DataFrame | pl.LazyFrame,
    *,
    text: str = "text",
    n: tuple[int, int] = (1, 3),
    top: int = 50,
    prior: float = 0.01,
) -> pl.DataFrame:
    """Return the ``top`` word n-grams most over-represented in ``current`` (the candidate) vs ``reference``.

    Parameters
    ----------
    reference, current
        Frames with a String column ``text``.
    text
        Text column of both frames.
    n
        Inclusive range of n-gram sizes in words.
    top
        Rows returned (highest z-score first).
    prior
        Informative-prior scale: ``a_w = prior * pooled count of w``.

    Returns
    -------
    pl.DataFrame
        ``ngram``, ``n``, ``count_candidate``, ``count_reference``, ``log_odds``, ``z``.

    Examples
    --------
    >>> import polars as pl
    >>> from careful_polars.style import style_fingerprints
    >>> ref = pl.DataFrame({"text": ["my order is late", "refund please"]})
    >>> cand = pl.DataFrame({"text": ["I hope you are well. my order is late"] * 3})
    >>> style_fingerprints(ref, cand, n=(1, 1), top=2)["ngram"].to_list()
    ['are', 'hope']
    """
    lo, hi = n
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi):
        msg = f"n={n!r} is not a range of n-gram sizes. Hint: e.g. n=(1, 3)."
        raise InvalidParameterError(msg)
    if not (prior > 0):
        msg = f"prior={prior!r} must be positive. Hint: e.g. prior=0.01."
        raise InvalidParameterError(msg)
    if top < 1:
        msg = f"top={top!r} must be at least 1. Hint: e.g. top=50."
        raise InvalidParameterError(msg)
    check_columns(reference, [text])
    check_columns(current, [text])
    sizes = range(lo, hi + 1)
    c = _ngram_counts(current, text, sizes).rename({"count": "count_candidate"})
    r = _ngram_counts(reference, text, sizes).rename({"count": "count_reference"})
    both = c.join(r, on=["ngram", "n"], how="full", coalesce=True).fill_null(0)
    yc, yr = pl.col("count_candidate").cast(pl.Float64), pl.col("count_reference").cast(pl.Float64)
    a = prior * (yc + yr)
    nc, nr, a0 = yc.sum().over("n"), yr.sum().over("n"), a.sum().over("n")
    delta = ((yc + a) / (nc + a0 - yc - a)).log() - ((yr + a) / (nr + a0 - yr - a)).log()
    z = delta / (1 / (yc + a) + 1 / (yr + a)).sqrt()
    out = both.with_columns(log_odds=delta, z=z)
    return out.sort(["z", "ngram"], descending=[True, False]).head(top)


def style_score(expr: IntoExpr, *, fingerprints: pl.DataFrame) -> pl.Expr:
    """Per row: fingerprint n-gram matches per word (a Polars expression, no Python per row)."""
    grams = fingerprints["ngram"].to_list()
    if not grams:
        msg = "fingerprints has no n-grams. Hint: pass the result of style_fingerprints."
        raise InvalidParameterError(msg)
    words = parse_into_expr(expr).str.to_lowercase().str.extract_all(_WORD)
    norm = words.list.join(" ")
    pattern = r"\b(?:" + "|".join(sorted(grams, key=len, reverse=True)) + r")\b"
    hits = norm.str.count_matches(pattern).cast(pl.Float64)
    return hits / words.list.len().cast(pl.Float64).clip(lower_bound=1.0)
