"""Contamination between splits: evaluation items that also appear in the training data.

Three kinds of match, strongest first:

- ``"exact"``: the evaluation item's ``example_id`` equals a training row's;
- ``"near_duplicate"``: the exact Jaccard of their shingle sets (the :mod:`careful_polars.neardup`
  scheme) is at least ``threshold`` (candidates from MinHash LSH over the training side);
- ``"ngram_overlap"``: they share a word n-gram of ``ngram_overlap`` words (13 by default, the
  rule used to decontaminate LLM benchmarks), after the same normalisation.

The side with fewer rows is indexed once (its LSH band keys and n-gram hashes in hash tables)
and the other side streams through one probe kernel piece by piece, never storing its n-grams
or band keys; so a training set much larger than the evaluation set, or the reverse, costs
memory only for the smaller side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from careful_polars._arrow import string_pieces
from careful_polars._minhash import (
    Normalize,
    Scheme,
    as_text,
    band_key_matrix,
    example_ids,
    permutations,
    shingle_sets,
)
from careful_polars._results import Split, add_reject_columns
from careful_polars._typing import FrameT
from careful_polars._utils import (
    check_columns,
    check_new_columns,
    check_probability,
    collect,
    schema_of,
)
from careful_polars.exceptions import InvalidParameterError
from careful_polars.neardup import banding

__all__ = ["GATE", "contamination_report", "mark_contaminated", "split_contaminated"]

#: Gate name carried by rejected (contaminated) evaluation rows.
GATE = "contamination"

_KINDS = ("exact", "near_duplicate", "ngram_overlap")
_REPORT_SCHEMA: dict[str, Any] = {
    "eval_row": pl.UInt32,
    "example_id": pl.UInt64,
    "kind": pl.String,
    "similarity": pl.Float64,
    "shared_ngrams": pl.UInt32,
    "train_ids": pl.List(pl.UInt64),
}


#: Rows of the streamed (larger) side handed to the probe kernel at once (bounds memory).
_STREAM_PIECE = 1 << 16
#: Index entries a streamed row records in the first pass; rows with more are rerun with room.
_HIT_CAP = 8


def _table_size(n: int) -> int:
    """Power of two at least twice ``n`` (open addressing stays at most half full)."""
    return max(16, 1 << (2 * max(n, 1) - 1).bit_length())


@dataclass(frozen=True)
class _Index:
    """The smaller side in hash tables: n-gram entries ``[0, n_grams)``, then band entries.

    Entry ``e`` lists the indexed rows ``rows[offsets[e]:offsets[e + 1]]``.
    """

    gram_keys: np.ndarray
    gram_entries: np.ndarray
    gram_bits: np.ndarray
    gram_shift: int
    band_keys: np.ndarray
    band_entries: np.ndarray
    offsets: np.ndarray
    rows: np.ndarray
    n_grams: int
    bands: int
    rows_per_band: int


def _group(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct keys, the number of rows with each, and those rows (grouped, ascending)."""
    order = np.lexsort((rows, keys))
    k, r = keys[order], rows[order]
    first = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if len(k) else np.empty(0, np.int64)
    return k[first], np.diff(np.r_[first, len(k)]), r


def _gram_sets(series: pl.Series, scheme: Scheme, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct n-gram hash of every row of ``series``, with its row."""
    from careful_polars._kernels.contamination import gram_counts, gram_sets

    kind, fold = scheme.tables
    hashes, owners = [], []
    for off, buf in string_pieces(series):
        args = (buf.layout, buf.main_addr, buf.buf_addrs, buf.validity_addr, buf.validity_offset)
        counts = np.empty(buf.length, dtype=np.int64)
        gram_counts(*args, buf.length, n, kind, fold, counts)
        offsets = np.zeros(buf.length + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        values = np.empty(int(offsets[-1]), dtype=np.uint64)
        sizes = np.zeros(buf.length, dtype=np.int64)
        gram_sets(*args, buf.length, n, kind, fold, offsets, values, sizes)
        used = np.arange(len(values)) - np.repeat(offsets[:-1], counts) < np.repeat(sizes, counts)
        hashes.append(values[used])
        owners.append(np.repeat(np.arange(off, off + buf.length, dtype=np.int64), sizes))
    if not hashes:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(hashes), np.concatenate(owners)


def _build_index(
    series: pl.Series, scheme: Scheme, bands: int, rows_per_band: int, overlap: int
) -> _Index:
    from careful_polars._kernels.contamination import build_bits, build_table

    lengths, members = [], []
    if overlap:
        keys, lens, rows = _group(*_gram_sets(series, scheme, overlap))
    else:
        keys, lens, rows = np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.int64)
    n_grams = len(keys)
    gram_keys = np.zeros(_table_size(n_grams), dtype=np.uint64)
    gram_entries = np.full(len(gram_keys), -1, dtype=np.int64)
    build_table(keys, np.arange(n_grams, dtype=np.int64), gram_keys, gram_entries)
    # ~16 bits per distinct n-gram (about 1 false hit in 16), at most 32 Mbit
    nbits = min(25, max(6, (16 * max(n_grams, 1) - 1).bit_length()))
    gram_bits = np.zeros(1 << (nbits - 6), dtype=np.uint64)
    gram_shift = 64 - nbits
    build_bits(keys, gram_bits, gram_shift)
    lengths.append(lens)
    members.append(rows)
    bk, ok, _ = band_key_matrix(series, scheme, bands, rows_per_band, keep_signatures=False)
    ok_rows = np.flatnonzero(ok)
    band_keys = np.zeros((bands, _table_size(len(ok_rows))), dtype=np.uint64)
    band_entries = np.full(band_keys.shape, -1, dtype=np.int64)
    next_id = n_grams
    for b in range(bands):
        keys, lens, rows = _group(bk[b, ok_rows], ok_rows)
        ids = np.arange(next_id, next_id + len(keys), dtype=np.int64)
        build_table(keys, ids, band_keys[b], band_entries[b])
        lengths.append(lens)
        members.append(rows)
        next_id += len(keys)
    offsets = np.zeros(next_id + 1, dtype=np.int64)
    np.cumsum(np.concatenate(lengths), out=offsets[1:])
    return _Index(
        gram_keys, gram_entries, gram_bits, gram_shift, band_keys, band_entries, offsets,
        np.concatenate(members).astype(np.int64), n_grams, bands, rows_per_band,
    )  # fmt: skip


def _probe(
    series: pl.Series, scheme: Scheme, index: _Index, overlap: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(streamed row, index entry)`` for every distinct entry each streamed row hits."""
    from careful_polars._kernels.contamination import probe_rows

    a, b = permutations(scheme.num_perm, scheme.seed)
    kind, fold = scheme.tables
    found_rows, found_entries = [], []
    for off, buf in string_pieces(series, _STREAM_PIECE):

        def run(local: np.ndarray, cap: int, buf: Any = buf) -> tuple[np.ndarray, np.ndarray]:
            out = np.empty((len(local), cap), dtype=np.int64)
            counts = np.empty(len(local), dtype=np.int64)
            probe_rows(
                buf.layout, buf.main_addr, buf.buf_addrs, buf.validity_addr,
                buf.validity_offset, local, kind, fold, scheme.ngram, scheme.unit == "char",
                a, b, index.bands, index.rows_per_band, index.band_keys, index.band_entries,
                overlap, index.gram_keys, index.gram_entries, index.gram_bits,
                index.gram_shift, cap, out, counts,
            )  # fmt: skip
            return out, counts

        local = np.arange(buf.length, dtype=np.int64)
        out, counts = run(local, _HIT_CAP)
        over = np.flatnonzero(counts > _HIT_CAP)
        need = int(counts[over].max(initial=0))
        counts[over] = 0
        mask = np.arange(_HIT_CAP) < counts[:, None]
        found_rows.append(np.nonzero(mask)[0] + off)
        found_entries.append(out[mask])
        if len(over):
            out, counts = run(over, need)
            mask = np.arange(out.shape[1]) < counts[:, None]
            found_rows.append(over[np.nonzero(mask)[0]] + off)
            found_entries.append(out[mask])
    if not found_rows:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(found_rows), np.concatenate(found_entries)


def _expand(index: _Index, streamed: np.ndarray, entries: np.ndarray) -> np.ndarray:
    """Pairs ``index row << 32 | streamed row``, one per (entry, indexed row with it)."""
    starts = index.offsets[entries]
    lengths = index.offsets[entries + 1] - starts
    first = np.cumsum(lengths) - lengths
    pos = np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()))
    packed: np.ndarray = (index.rows[pos] << 32) | np.repeat(streamed, lengths)
    return packed


def _verify(
    train: pl.Series,
    ev: pl.Series,
    scheme: Scheme,
    threshold: float,
    e_pos: np.ndarray,
    t_pos: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from careful_polars._kernels.minhash import cross_jaccard

    if len(e_pos) == 0:
        return e_pos, t_pos, np.empty(0)
    t_sets = shingle_sets(train, scheme, np.unique(t_pos))
    e_sets = shingle_sets(ev, scheme, np.unique(e_pos))
    sim = np.empty(len(e_pos))
    cross_jaccard(
        e_sets.slot[e_pos], e_sets.offsets, e_sets.sizes, e_sets.values,
        t_sets.slot[t_pos], t_sets.offsets, t_sets.sizes, t_sets.values, sim,
    )  # fmt: skip
    keep = sim >= threshold
    return e_pos[keep], t_pos[keep], sim[keep]


def _match_pairs(
    train: pl.Series, ev: pl.Series, scheme: Scheme, threshold: float, overlap: int
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Near-duplicate ``(eval, train, Jaccard)`` and n-gram ``(eval, train, shared)`` pairs.

    The side with fewer rows is indexed (:class:`_Index`), the other streamed through
    :func:`_probe`; both relations are symmetric, so the pairs do not depend on which is which.
    """
    train, ev = as_text(train), as_text(ev)
    bands, rows = banding(threshold, scheme.num_perm, None, None, "jaccard")
    train_indexed = len(train) < len(ev)
    small, big = (train, ev) if train_indexed else (ev, train)
    index = _build_index(small, scheme, bands, rows, overlap)
    streamed, entries = _probe(big, scheme, index, overlap)
    is_gram = entries < index.n_grams

    def orient(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        first, second = packed >> 32, packed & 0xFFFFFFFF
        return (second, first) if train_indexed else (first, second)

    near = np.unique(_expand(index, streamed[~is_gram], entries[~is_gram]))
    e_pos, t_pos = orient(near)
    near_pairs = _verify(train, ev, scheme, threshold, e_pos, t_pos)
    grams, shared = np.unique(
        _expand(index, streamed[is_gram], entries[is_gram]), return_counts=True
    )
    e_pos, t_pos = orient(grams)
    return near_pairs, (e_pos, t_pos, shared)


def _pairs_frame(
    train_df: pl.DataFrame,
    eval_df: pl.DataFrame,
    on: str,
    scheme: Scheme,
    threshold: float,
    ngram_overlap: int | None,
) -> pl.DataFrame:
    """One row per (eval row, train row) match: kind rank, similarity, shared n-grams."""
    t_ids = example_ids(train_df, on)
    e_ids = example_ids(eval_df, on)
    t_text = train_df.select(scheme.text_expr(pl.col(on))).to_series()
    e_text = eval_df.select(scheme.text_expr(pl.col(on))).to_series()
    frames = []
    # null text has a content hash but, like a null signature, never matches anything
    e_known = eval_df[on].is_not_null()
    t_known = train_df[on].is_not_null()
    exact = (
        pl.DataFrame({"e": e_ids, "eval_row": np.arange(len(e_ids)), "known": e_known})
        .filter(pl.col("e").is_not_null() & pl.col("known"))
        .drop("known")
        .join(
            pl.DataFrame({"e": t_ids, "train_row": np.arange(len(t_ids)), "known": t_known})
            .filter(pl.col("known"))
            .drop("known"),
            on="e",
            how="inner",
        )
        .select(
            pl.col("eval_row").cast(pl.Int64),
            pl.col("train_row").cast(pl.Int64),
            pl.lit(0, pl.Int8).alias("rank"),
            pl.lit(1.0).alias("similarity"),
            pl.lit(None, pl.Int64).alias("shared"),
        )
    )
    frames.append(exact)
    (e_pos, t_pos, sim), (q, r, c) = _match_pairs(
        t_text, e_text, scheme, threshold, ngram_overlap or 0
    )
    frames.append(
        pl.DataFrame(
            {
                "eval_row": e_pos.astype(np.int64),
                "train_row": t_pos.astype(np.int64),
                "rank": np.ones(len(e_pos), dtype=np.int8),
                "similarity": sim.astype(np.float64),
                "shared": pl.Series([None] * len(e_pos), dtype=pl.Int64),
            }
        )
    )
    if ngram_overlap:
        frames.append(
            pl.DataFrame(
                {
                    "eval_row": q.astype(np.int64),
                    "train_row": r.astype(np.int64),
                    "rank": np.full(len(q), 2, dtype=np.int8),
                    "similarity": pl.Series([None] * len(q), dtype=pl.Float64),
                    "shared": c.astype(np.int64),
                }
            )
        )
    pairs = pl.concat(frames, how="vertical")
    return pairs.with_columns(
        t_ids.gather(pairs["train_row"]).alias("train_id"),
        e_ids.gather(pairs["eval_row"]).alias("example_id"),
    )


def _report(pairs: pl.DataFrame) -> pl.DataFrame:
    return (
        pairs.group_by("eval_row")
        .agg(
            pl.col("example_id").first(),
            pl.col("rank").min(),
            pl.col("similarity").max(),
            pl.col("shared").max().alias("shared_ngrams"),
            pl.col("train_id").unique().sort().alias("train_ids"),
        )
        .sort("eval_row")
        .select(
            pl.col("eval_row").cast(pl.UInt32),
            "example_id",
            pl.col("rank").replace_strict(list(range(3)), list(_KINDS)).alias("kind"),
            "similarity",
            pl.col("shared_ngrams").cast(pl.UInt32),
            "train_ids",
        )
    )


def _check(
    train: pl.DataFrame | pl.LazyFrame,
    ev: pl.DataFrame | pl.LazyFrame,
    on: str,
    threshold: float,
    ngram_overlap: int | None,
    scheme: Scheme,
) -> None:
    check_columns(train, [on])
    check_columns(ev, [on])
    check_probability("threshold", threshold, open_low=True)
    if ngram_overlap is not None and (not isinstance(ngram_overlap, int) or ngram_overlap < 1):
        msg = (
            f"ngram_overlap={ngram_overlap!r} is not a positive integer or None. "
            f"Hint: 13 is the usual decontamination length; None turns the check off."
        )
        raise InvalidParameterError(msg)
    scheme.check()


def _needed(frame: pl.DataFrame | pl.LazyFrame, on: str) -> pl.DataFrame:
    cols = [on] + (["example_id"] if "example_id" in schema_of(frame).names() else [])
    return collect(frame.select(cols))


def contamination_report(
    train: pl.DataFrame | pl.LazyFrame,
    evaluation: pl.DataFrame | pl.LazyFrame,
    text: str = "text",
    *,
    threshold: float = 0.8,
    ngram_overlap: int | None = 13,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
) -> pl.DataFrame:
    """Report every evaluation item that leaks into the training data, one row per item.

    Parameters
    ----------
    train
        Training rows (may be much larger than ``evaluation``, or smaller: the smaller side is indexed
        and the larger streamed).
    evaluation
        Evaluation rows.
    text
        Text column present in both.
    threshold
        Exact Jaccard (shingle sets) at which an evaluation item is a near-duplicate.
    ngram_overlap
        Length in words of a shared n-gram that counts as contamination; ``None`` skips the
        check.
    num_perm, ngram, unit, normalize, seed
        Signature scheme of the near-duplicate check (see :func:`careful_polars.minhash`).

    Returns
    -------
    pl.DataFrame
        ``eval_row`` (position in ``evaluation``), ``example_id`` (the item's id: its ``example_id``
        column, else the content hash of ``text``), ``kind`` (the strongest match: "exact",
        "near_duplicate" or "ngram_overlap"), ``similarity`` (best Jaccard among exact and
        near-duplicate matches, null when only n-grams are shared), ``shared_ngrams`` (most
        distinct n-grams shared with one training row, null when none) and ``train_ids`` (sorted
        ``example_id`` of every matching training row, all kinds). Always eager.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> train = pl.DataFrame({"text": ["how do i reset my password please", "billing question"]})
    >>> ev = pl.DataFrame({"text": ["how do i reset my password please", "an unrelated one"]})
    >>> cp.contamination_report(train, ev, ngram_overlap=None).select("eval_row", "kind", "similarity")
    shape: (1, 3)
    ┌──────────┬───────┬────────────┐
    │ eval_row ┆ kind  ┆ similarity │
    │ ---      ┆ ---   ┆ ---        │
    │ u32      ┆ str   ┆ f64        │
    ╞══════════╪═══════╪════════════╡
    │ 0        ┆ exact ┆ 1.0        │
    └──────────┴───────┴────────────┘
    """
    scheme = Scheme(num_perm, ngram, unit, normalize, seed)
    _check(train, evaluation, text, threshold, ngram_overlap, scheme)
    return _checked_report(train, evaluation, text, scheme, threshold, ngram_overlap)


def _checked_report(
    train: pl.DataFrame | pl.LazyFrame,
    evaluation: pl.DataFrame | pl.LazyFrame,
    text: str,
    scheme: Scheme,
    threshold: float,
    ngram_overlap: int | None,
) -> pl.DataFrame:
    """The report of :func:`contamination_report` for parameters already checked."""
    pairs = _pairs_frame(
        _needed(train, text), _needed(evaluation, text), text, scheme, threshold, ngram_overlap
    )
    if pairs.height == 0:
        return pl.DataFrame(schema=_REPORT_SCHEMA)
    return _report(pairs)


_MARK_SCHEMA: dict[str, Any] = {
    "contaminated": pl.Boolean,
    "contamination_kind": pl.String,
    "contamination_similarity": pl.Float64,
    "contamination_ref": pl.UInt64,
}


MARK_COLUMNS = tuple(_MARK_SCHEMA)
# the split form marks under private names so user columns of the same names pass through
_SPLIT_COLUMNS = tuple(f"__careful_{name}" for name in MARK_COLUMNS)


def _mark(
    ev: pl.DataFrame, report: pl.DataFrame, names: tuple[str, ...] = MARK_COLUMNS
) -> pl.DataFrame:
    idx = pl.DataFrame({"eval_row": np.arange(ev.height, dtype=np.uint32)})
    info = idx.join(report, on="eval_row", how="left").sort("eval_row")
    flag, kind, similarity, ref = names
    return ev.with_columns(
        info["kind"].is_not_null().alias(flag),
        info["kind"].alias(kind),
        info["similarity"].alias(similarity),
        info["train_ids"].list.first().alias(ref),
    )


def mark_contaminated(
    train: pl.DataFrame | pl.LazyFrame,
    evaluation: FrameT,
    text: str = "text",
    *,
    threshold: float = 0.8,
    ngram_overlap: int | None = 13,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
    overwrite: bool = False,
) -> FrameT:
    """Mark evaluation rows that leak into ``train`` (lossless).

    Same matching as :func:`contamination_report`. Adds ``contaminated`` (Boolean),
    ``contamination_kind``, ``contamination_similarity`` and ``contamination_ref`` (the smallest
    matching training ``example_id``). Needs the whole of both frames.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> train = pl.DataFrame({"text": ["how do i reset my password please", "billing question"]})
    >>> ev = pl.DataFrame({"text": ["How do I reset my password, please?", "an unrelated one"]})
    >>> cp.mark_contaminated(train, ev).select("contaminated", "contamination_kind")
    shape: (2, 2)
    ┌──────────────┬────────────────────┐
    │ contaminated ┆ contamination_kind │
    │ ---          ┆ ---                │
    │ bool         ┆ str                │
    ╞══════════════╪════════════════════╡
    │ true         ┆ near_duplicate     │
    │ false        ┆ null               │
    └──────────────┴────────────────────┘
    """
    check_new_columns(evaluation, MARK_COLUMNS, overwrite=overwrite)
    scheme = Scheme(num_perm, ngram, unit, normalize, seed)
    return _mark_lazy(train, evaluation, text, scheme, threshold, ngram_overlap, MARK_COLUMNS)


def _mark_lazy(
    train: pl.DataFrame | pl.LazyFrame,
    evaluation: FrameT,
    text: str,
    scheme: Scheme,
    threshold: float,
    ngram_overlap: int | None,
    names: tuple[str, ...],
) -> FrameT:
    """Mark ``evaluation`` under the column ``names`` (public ones, or the split form's own)."""
    _check(train, evaluation, text, threshold, ngram_overlap, scheme)

    def run(ev: pl.DataFrame) -> pl.DataFrame:
        report = _checked_report(train, ev, text, scheme, threshold, ngram_overlap)
        return _mark(ev, report, names)

    if isinstance(evaluation, pl.LazyFrame):
        schema = {
            **dict(schema_of(evaluation)),
            **dict(zip(names, _MARK_SCHEMA.values(), strict=True)),
        }
        return evaluation.map_batches(run, schema=schema)
    return run(evaluation)


def split_contaminated(
    train: pl.DataFrame | pl.LazyFrame,
    evaluation: FrameT,
    text: str = "text",
    *,
    threshold: float = 0.8,
    ngram_overlap: int | None = 13,
    num_perm: int = 128,
    ngram: int = 5,
    unit: Literal["word", "char"] = "word",
    normalize: Normalize = True,
    seed: int = 0,
) -> Split[FrameT]:
    """Split evaluation rows into clean (kept) and contaminated (rejected, gate "contamination").

    ``kept`` + ``rejected`` == ``evaluation``; rejected rows carry the reject columns, with the
    matching training ``example_id`` in ``_careful_ref``.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> train = pl.DataFrame({"text": ["how do i reset my password please", "billing question"]})
    >>> ev = pl.DataFrame({"text": ["how do i reset my password please", "an unrelated one"]})
    >>> cp.split_contaminated(train, ev)
    Split(kept=1 rows, rejected=1 rows)
    """
    columns: list[str] = list(schema_of(evaluation).names())
    scheme = Scheme(num_perm, ngram, unit, normalize, seed)
    marked = _mark_lazy(train, evaluation, text, scheme, threshold, ngram_overlap, _SPLIT_COLUMNS)
    if isinstance(marked, pl.LazyFrame):
        marked = marked.cache()
    flag, kind, _, ref = _SPLIT_COLUMNS
    kept = marked.filter(~pl.col(flag)).select(columns)
    reason = pl.format("{} of training example {}", pl.col(kind), pl.col(ref))
    rejected = add_reject_columns(marked.filter(pl.col(flag)), GATE, reason, pl.col(ref)).select(
        [*columns, "_careful_gate", "_careful_reason", "_careful_ref"]
    )
    return Split(kept, rejected)
