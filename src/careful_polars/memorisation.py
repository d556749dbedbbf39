"""Long spans copied from a real corpus into synthetic rows (memorisation / regurgitation).

Both corpora are cut into word n-grams that a numba kernel hashes over the raw Arrow buffers;
the synthetic n-grams are joined to the real ones on the 64-bit hash, and runs of consecutive
matching n-grams in a synthetic row are merged into one reported span. Memory grows with the
number of n-grams, not with pairs of rows, so a real corpus of millions of rows is one hash join.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from careful_polars._arrow import string_pieces
from careful_polars._utils import check_columns
from careful_polars.exceptions import DtypeNotSupportedError, InvalidParameterError

__all__ = ["memorised_spans", "ngram_table"]

#: Word n-gram size used when only ``min_chars`` is given.
_DEFAULT_CHAR_NGRAM = 8


def _kernels() -> Any:
    from careful_polars._kernels import ngrams

    return ngrams


def _piece_ngrams(b: Any, n_words: int, positions: bool) -> dict[str, np.ndarray]:
    """N-gram hashes of one Arrow piece, with the offsets needed to locate them."""
    k = _kernels()
    args = (b.layout, b.main_addr, b.buf_addrs, b.validity_addr, b.validity_offset, b.length)
    counts = np.empty(b.length, dtype=np.int64)
    k.count_words(*args, counts)
    if not positions:  # hashes only: one more pass over the bytes, no per-word arrays
        ng_counts = np.maximum(counts - (n_words - 1), 0)
        ng_offsets = np.zeros(b.length + 1, dtype=np.int64)
        np.cumsum(ng_counts, out=ng_offsets[1:])
        hashes = np.empty(int(ng_offsets[-1]), dtype=np.uint64)
        k.ngram_hashes_direct(*args, ng_offsets, n_words, hashes)
        return {"hashes": hashes, "ng_counts": ng_counts, "ng_offsets": ng_offsets}
    word_offsets = np.zeros(b.length + 1, dtype=np.int64)
    np.cumsum(counts, out=word_offsets[1:])
    total = int(word_offsets[-1])
    size = total if positions else 1
    w_hash = np.zeros(total, dtype=np.uint64)
    w_start = np.zeros(size, dtype=np.int64)
    w_end = np.zeros(size, dtype=np.int64)
    k.word_hashes(*args, word_offsets, w_hash, w_start, w_end, positions)
    ng_counts = np.maximum(counts - (n_words - 1), 0)
    ng_offsets = np.zeros(b.length + 1, dtype=np.int64)
    np.cumsum(ng_counts, out=ng_offsets[1:])
    hashes = np.empty(int(ng_offsets[-1]), dtype=np.uint64)
    k.ngram_hashes(w_hash, word_offsets, ng_offsets, n_words, hashes)
    return {"hashes": hashes, "ng_counts": ng_counts, "ng_offsets": ng_offsets,
            "word_offsets": word_offsets, "w_start": w_start, "w_end": w_end}  # fmt: skip


def _check_text(series: pl.Series) -> pl.Series:
    if series.dtype not in (pl.String, pl.Categorical) and not isinstance(series.dtype, pl.Enum):
        msg = f"memorisation needs a String column, got {series.dtype}. Hint: cast it to pl.String."
        raise DtypeNotSupportedError(msg)
    text: pl.Series = series.cast(pl.String)
    return text


def ngram_table(series: pl.Series, *, n_words: int, positions: bool = True) -> pl.DataFrame:
    """Hash every word ``n_words``-gram of a String Series.

    Parameters
    ----------
    series
        String Series (nulls have no n-grams).
    n_words
        Words per n-gram.
    positions
        Also return the word index and character span of each n-gram.

    Returns
    -------
    pl.DataFrame
        ``hash`` (UInt64), ``row`` (UInt32) and, with ``positions``, ``word`` (Int32),
        ``start`` and ``end`` (Int64 character offsets, end exclusive).

    Examples
    --------
    >>> import polars as pl
    >>> from careful_polars.memorisation import ngram_table
    >>> ngram_table(pl.Series(["the cat sat", "The cat!"]), n_words=2).select("row", "word", "start", "end")
    shape: (3, 4)
    ┌─────┬──────┬───────┬─────┐
    │ row ┆ word ┆ start ┆ end │
    │ --- ┆ ---  ┆ ---   ┆ --- │
    │ u32 ┆ i32  ┆ i64   ┆ i64 │
    ╞═════╪══════╪═══════╪═════╡
    │ 0   ┆ 0    ┆ 0     ┆ 7   │
    │ 0   ┆ 1    ┆ 4     ┆ 11  │
    │ 1   ┆ 0    ┆ 0     ┆ 7   │
    └─────┴──────┴───────┴─────┘
    """
    series = _check_text(series)
    parts = []
    for offset, b in string_pieces(series):
        p = _piece_ngrams(b, n_words, positions)
        hashes = p["hashes"]
        rows = np.repeat(np.arange(b.length, dtype=np.int64), p["ng_counts"])
        cols: dict[str, np.ndarray] = {"hash": hashes, "row": (rows + offset).astype(np.uint32)}
        if positions:
            word = np.arange(hashes.shape[0], dtype=np.int64) - p["ng_offsets"][rows]
            first = p["word_offsets"][rows] + word
            cols["word"] = word.astype(np.int32)
            cols["start"] = p["w_start"][first]
            cols["end"] = p["w_end"][first + n_words - 1]
        parts.append(pl.DataFrame(cols))
    if not parts:
        schema: dict[str, pl.DataType] = {"hash": pl.UInt64(), "row": pl.UInt32()}
        if positions:
            schema |= {"word": pl.Int32(), "start": pl.Int64(), "end": pl.Int64()}
        return pl.DataFrame(schema=schema)
    return pl.concat(parts)


def _rows_sharing_ngrams(series: pl.Series, n_words: int, known: np.ndarray) -> np.ndarray:
    """Rows of ``series`` with at least one n-gram hash in ``known`` (a uint64 array).

    ``known`` goes into an open-addressing hash set; one kernel pass per piece hashes each
    row's n-grams and probes the set, stopping at the first hit. Nothing per n-gram is kept.
    """
    k = _kernels()
    size = 1 << max(4, int(2 * max(known.shape[0], 1) - 1).bit_length())
    table = np.zeros(size, dtype=np.uint64)
    bitmap = np.zeros(k.BITMAP_BITS // 64, dtype=np.uint64)
    k.build_hash_set(known, table, bitmap)
    found = []
    for offset, b in string_pieces(series):
        flags = np.empty(b.length, dtype=np.bool_)
        k.rows_sharing(b.layout, b.main_addr, b.buf_addrs, b.validity_addr, b.validity_offset,
                       b.length, n_words, table, bitmap, flags)  # fmt: skip
        found.append(np.flatnonzero(flags) + offset)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _text_series(
    data: pl.DataFrame | pl.LazyFrame | pl.Series, column: str, id_column: str | None
) -> tuple[pl.Series, pl.Series | None]:
    if isinstance(data, pl.Series):
        if id_column is not None:
            msg = "an id column was given but the data is a Series. Hint: pass a frame instead."
            raise InvalidParameterError(msg)
        return data, None
    needed = [column] + ([id_column] if id_column else [])
    check_columns(data, needed)
    frame = data.select(needed)
    frame = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    return frame[column], (frame[id_column] if id_column else None)


def memorised_spans(
    real: pl.DataFrame | pl.LazyFrame | pl.Series,
    synthetic: pl.DataFrame | pl.LazyFrame | pl.Series,
    *,
    text: str = "text",
    real_text: str | None = None,
    key: str | None = None,
    real_key: str | None = None,
    min_words: int | None = None,
    min_chars: int | None = None,
    max_sources: int | None = None,
) -> pl.DataFrame:
    """Find long word spans of synthetic rows that also occur in the real corpus.

    A span is reported when at least ``min_words`` consecutive words (default 13) of a
    synthetic row occur, in the same order, in one real row. Words are runs of letters and
    digits, compared case-insensitively (ASCII), so punctuation and spacing changes do not hide
    a copy. Needs both tables whole (the result is eager).

    Parameters
    ----------
    real, synthetic
        Frames (text in ``text`` / ``real_text``) or String Series.
    text
        Text column of ``synthetic``.
    real_text
        Text column of ``real`` (default: ``text``).
    key, real_key
        Id columns to report (default: the row index, ``row`` / ``real_row``).
    min_words
        Minimum span length in words (default 13, the n-gram size).
    min_chars
        Minimum span length in characters. Alone it uses 8-word n-grams and keeps spans of at
        least ``min_chars`` characters; with ``min_words`` both must hold.
    max_sources
        Ignore n-grams that occur in more than this many real rows: boilerplate shared by many
        records (greetings, signatures, templates) rather than one record copied. None (the
        default) counts every shared n-gram.

    Returns
    -------
    pl.DataFrame
        One row per span: the synthetic id (``key`` or ``row``), the real id of the row the
        span's first n-gram came from (``real_key`` or ``real_row``), ``start`` and ``end``
        (character offsets in the synthetic text), ``n_words`` and ``span`` (the copied text),
        sorted by synthetic row and start.

    Raises
    ------
    InvalidParameterError
        If ``min_words`` < 1 or ``min_chars`` < 1.

    Notes
    -----
    Matching is on 64-bit hashes; a false match needs a 64-bit collision between two n-grams
    (about one in 10**19 per pair). When a span's n-grams occur in several real rows, the real
    row listed is the first row (in corpus order) holding the span's first n-gram.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> real = pl.DataFrame({"text": ["my card was charged twice for the same order last week"]})
    >>> syn = pl.DataFrame({"text": ["Hi, my card was charged twice for the same order!", "hi"]})
    >>> cp.memorised_spans(real, syn, min_words=6)
    shape: (1, 6)
    ┌─────┬──────────┬───────┬─────┬─────────┬─────────────────────────────────┐
    │ row ┆ real_row ┆ start ┆ end ┆ n_words ┆ span                            │
    │ --- ┆ ---      ┆ ---   ┆ --- ┆ ---     ┆ ---                             │
    │ u32 ┆ u32      ┆ i64   ┆ i64 ┆ i64     ┆ str                             │
    ╞═════╪══════════╪═══════╪═════╪═════════╪═════════════════════════════════╡
    │ 0   ┆ 0        ┆ 4     ┆ 48  ┆ 9       ┆ my card was charged twice for … │
    └─────┴──────────┴───────┴─────┴─────────┴─────────────────────────────────┘
    """
    for name, value in (("min_words", min_words), ("min_chars", min_chars)):
        if value is not None and value < 1:
            msg = f"{name}={value!r} must be >= 1. Hint: pass a positive length."
            raise InvalidParameterError(msg)
    n_words = min_words if min_words is not None else (13 if min_chars is None else 0)
    n_gram = n_words if n_words else _DEFAULT_CHAR_NGRAM
    syn_text, syn_ids = _text_series(synthetic, text, key)
    real_series, real_ids = _text_series(real, real_text or text, real_key)

    if max_sources is not None and max_sources < 1:
        msg = f"max_sources={max_sources!r} must be >= 1. Hint: pass a row count or None."
        raise InvalidParameterError(msg)
    real_grams = ngram_table(_check_text(real_series), n_words=n_gram, positions=False)
    if max_sources is None:
        real_table = real_grams.unique(subset="hash", keep="first", maintain_order=True)
    else:
        real_table = (
            real_grams.group_by("hash")
            .agg(pl.col("row").min(), pl.col("row").n_unique().alias("_sources"))
            .filter(pl.col("_sources") <= max_sources)
            .drop("_sources")
        )
    real_table = real_table.rename({"row": "real_row"})
    syn_text = _check_text(syn_text)
    # pass 1: which synthetic rows share any n-gram (hashes only, piece by piece);
    # pass 2: positions for those rows alone
    hit_rows = _rows_sharing_ngrams(syn_text, n_gram, real_table["hash"].to_numpy())
    subset = ngram_table(syn_text.gather(hit_rows), n_words=n_gram)
    original = hit_rows.astype(np.uint32)[subset["row"].to_numpy()]
    subset = subset.with_columns(pl.Series("row", original, dtype=pl.UInt32))
    hits = subset.join(real_table, on="hash", how="inner")
    spans = (
        hits.sort("row", "word")
        .with_columns(
            (pl.col("word") != pl.col("word").shift(1).over("row") + 1)
            .fill_null(True)
            .cum_sum()
            .alias("_run")
        )
        .group_by("row", "_run", maintain_order=True)
        .agg(
            pl.col("real_row").first(),
            pl.col("start").min(),
            pl.col("end").max(),
            (pl.col("word").max() - pl.col("word").min() + n_gram).cast(pl.Int64).alias("n_words"),
        )
        .drop("_run")
    )
    if min_chars is not None:
        spans = spans.filter(pl.col("end") - pl.col("start") >= min_chars)
    if n_words > n_gram:  # pragma: no cover - n_gram == n_words whenever min_words is set
        spans = spans.filter(pl.col("n_words") >= n_words)
    texts = syn_text.cast(pl.String).rename("_t").to_frame().with_row_index("row")
    out = spans.join(texts, on="row", how="left").with_columns(
        pl.col("_t").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("span")
    )
    out = out.select("row", "real_row", "start", "end", "n_words", "span")
    if syn_ids is not None:
        out = out.with_columns(syn_ids.gather(out["row"]).alias(syn_ids.name)).drop("row")
        out = out.select(syn_ids.name, pl.exclude(syn_ids.name))
    if real_ids is not None:
        out = out.with_columns(real_ids.gather(out["real_row"]).alias(real_ids.name)).drop(
            "real_row"
        )
        first = out.columns[0]
        out = out.select(first, real_ids.name, pl.exclude(first, real_ids.name))
    return out
