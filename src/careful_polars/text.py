"""Text normalisation as a Polars expression, usable alone and as ``normalize=`` in hashing."""

from __future__ import annotations

import polars as pl

from careful_polars._casefold import CASEFOLD_AFTER_LOWER
from careful_polars._typing import IntoExpr
from careful_polars._utils import parse_into_expr

__all__ = ["normalize_text"]

_FOLD_FROM = list(CASEFOLD_AFTER_LOWER)
_FOLD_TO = list(CASEFOLD_AFTER_LOWER.values())


def normalize_text(
    expr: IntoExpr,
    *,
    nfkc: bool = True,
    casefold: bool = True,
    collapse_whitespace: bool = True,
    strip_punctuation: bool = False,
    strip_accents: bool = False,
) -> pl.Expr:
    r"""Normalise text so that trivially different spellings compare equal.

    The steps run in this order, each only when enabled:

    1. ``strip_accents``: decompose (NFKD, or NFD when ``nfkc=False``) and drop combining
       marks (Unicode category Mn), so "café" becomes "cafe".
    2. ``nfkc``: Unicode NFKC normalisation (compatibility forms fold: "ﬁ" -> "fi",
       full-width "Ａ" -> "A").
    3. ``casefold``: full Unicode case folding, as Python's ``str.casefold`` ("Straße" ->
       "strasse"), i.e. lowercasing followed by the folding exceptions.
    4. ``strip_punctuation``: remove every character of Unicode category P (punctuation).
    5. ``collapse_whitespace``: replace every run of Unicode white space by one space and
       trim both ends.

    Parameters
    ----------
    expr
        A String column name or expression.
    nfkc
        Apply NFKC normalisation.
    casefold
        Apply full case folding.
    collapse_whitespace
        Collapse white space runs to one space and trim the ends.
    strip_punctuation
        Remove punctuation characters.
    strip_accents
        Remove accents (combining marks) after decomposition.

    Returns
    -------
    pl.Expr
        A String expression; nulls stay null.

    Notes
    -----
    The Unicode tables are those of the Polars build (Rust's ``unicode-normalization`` and
    ``char::to_lowercase``). Characters assigned in a newer Unicode version than another
    tool's may normalise differently there; characters of Unicode 14 and earlier agree with
    Python's ``unicodedata`` and ``str.casefold`` (tested).

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["  Straße  Ａｂｃ", "Héllo,  World!", None]})
    >>> df.select(
    ...     norm=cp.normalize_text("text"),
    ...     bare=cp.normalize_text("text", strip_punctuation=True, strip_accents=True),
    ... )
    shape: (3, 2)
    ┌───────────────┬─────────────┐
    │ norm          ┆ bare        │
    │ ---           ┆ ---         │
    │ str           ┆ str         │
    ╞═══════════════╪═════════════╡
    │ strasse abc   ┆ strasse abc │
    │ héllo, world! ┆ hello world │
    │ null          ┆ null        │
    └───────────────┴─────────────┘
    """
    out = parse_into_expr(expr)
    if strip_accents:
        out = out.str.normalize("NFKD" if nfkc else "NFD").str.replace_all(r"\p{Mn}+", "")
        if nfkc:
            out = out.str.normalize("NFKC")
    elif nfkc:
        out = out.str.normalize("NFKC")
    if casefold:
        out = out.str.to_lowercase().str.replace_many(_FOLD_FROM, _FOLD_TO)
    if strip_punctuation:
        out = out.str.replace_all(r"\p{P}+", "")
    if collapse_whitespace:
        out = out.str.replace_all(r"\s+", " ").str.strip_chars()
    return out
