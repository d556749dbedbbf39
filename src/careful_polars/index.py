"""A persistent MinHash LSH index in a directory of Parquet files.

``MinHashIndex(path)`` keeps, per indexed document, its id, a source name and its LSH band keys
(``bands x 8`` bytes), plus what verification needs: the sorted 64-bit shingle hashes with
``verify="jaccard"``, the signature with ``verify="signature"``, nothing with ``verify=None``.
``meta.json`` records the signature scheme (:data:`careful_polars.neardup.SCHEME_VERSION`) and
every parameter; reopening with different ones raises :class:`IndexMismatchError`. Each
:meth:`MinHashIndex.add` writes one new Parquet part, so adding never rewrites what is there and
the index survives being reopened in another process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import polars as pl
import pyarrow as pa

from careful_polars._minhash import (
    SCHEME_VERSION,
    Normalize,
    Scheme,
    ShingleSets,
    band_key_matrix,
    example_ids,
    shingle_sets,
)
from careful_polars._results import Split, add_reject_columns
from careful_polars._utils import check_columns, check_in, check_probability, collect, schema_of
from careful_polars.exceptions import IndexMismatchError, InvalidParameterError
from careful_polars.neardup import GATE, banding

__all__ = ["MinHashIndex"]

_META = "meta.json"
_FORMAT = 1
_DEFAULTS: dict[str, Any] = {
    "text": "text",
    "num_perm": 128,
    "threshold": 0.8,
    "ngram": 5,
    "unit": "word",
    "normalize": True,
    "seed": 0,
    "verify": "jaccard",
}
_QUERY_SCHEMA_TAIL = {"source": pl.String, "similarity": pl.Float64}


@dataclass(frozen=True)
class _Meta:
    text: str
    num_perm: int
    threshold: float
    ngram: int
    unit: str
    normalize: Normalize
    seed: int
    verify: str | None
    bands: int
    rows: int
    scheme: str = SCHEME_VERSION
    format: int = _FORMAT

    @property
    def scheme_obj(self) -> Scheme:
        return Scheme(self.num_perm, self.ngram, self.unit, self.normalize, self.seed)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _sets_as_lists(sets: ShingleSets) -> pl.Series:
    """Return the used part of every CSR set as one ``List(UInt64)`` Series (vectorised)."""
    lengths = np.diff(sets.offsets)
    pos = np.arange(len(sets.values)) - np.repeat(sets.offsets[:-1], lengths)
    values = sets.values[pos < np.repeat(sets.sizes, lengths)]
    offsets = np.zeros(len(sets.sizes) + 1, dtype=np.int64)
    np.cumsum(sets.sizes, out=offsets[1:])
    arr = pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(values, type=pa.uint64()))
    out = pl.from_arrow(arr)
    assert isinstance(out, pl.Series)
    return out


class MinHashIndex:
    """A near-duplicate index on disk: add batches, query them, filter new batches against it.

    Parameters
    ----------
    path
        Directory of the index (created if missing).
    text
        Name of the text column of the frames given to :meth:`add` and :meth:`query`.
    num_perm, threshold, ngram, unit, normalize, seed
        Signature scheme and similarity threshold (see :func:`careful_polars.mark_near_duplicates`).
    verify
        What the index stores for verification: ``"jaccard"`` (shingle hashes, exact Jaccard),
        ``"signature"`` (signatures, MinHash estimate) or ``None`` (band keys only; every LSH
        candidate is a match and ``similarity`` is null).
    bands, rows
        LSH banding; default :func:`careful_polars.lsh_params` of ``threshold``.

    Raises
    ------
    IndexMismatchError
        ``path`` holds an index built with another scheme or parameters (any parameter given
        here explicitly must equal the stored one; parameters left as None are read from disk).

    Examples
    --------
    >>> import tempfile
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> accepted = pl.DataFrame({"id": [1, 2], "text": ["reset my password now please", "hi"]})
    >>> batch = pl.DataFrame({"id": [7, 8], "text": ["Reset my password now, please!", "new"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     index = cp.MinHashIndex(tmp, ngram=2)
    ...     index.add(accepted, "id", source="week1")
    ...     cp.MinHashIndex(tmp).query(batch, "id")
    2
    shape: (1, 4)
    ┌──────────┬────────────┬────────┬────────────┐
    │ query_id ┆ matched_id ┆ source ┆ similarity │
    │ ---      ┆ ---        ┆ ---    ┆ ---        │
    │ i64      ┆ i64        ┆ str    ┆ f64        │
    ╞══════════╪════════════╪════════╪════════════╡
    │ 7        ┆ 1          ┆ week1  ┆ 1.0        │
    └──────────┴────────────┴────────┴────────────┘
    """

    def __init__(
        self,
        path: str | Path,
        text: str | None = None,
        num_perm: int | None = None,
        threshold: float | None = None,
        ngram: int | None = None,
        unit: Literal["word", "char"] | None = None,
        normalize: Normalize | None = None,
        seed: int | None = None,
        verify: Literal["jaccard", "signature", "none"] | None = None,
        bands: int | None = None,
        rows: int | None = None,
    ) -> None:
        self.path = Path(path)
        given = {
            "text": text,
            "num_perm": num_perm,
            "threshold": threshold,
            "ngram": ngram,
            "unit": unit,
            "normalize": normalize,
            "seed": seed,
            "verify": verify,
            "bands": bands,
            "rows": rows,
        }
        meta_file = self.path / _META
        if meta_file.exists():
            self._meta = self._open(meta_file, given)
        else:
            self._meta = self._create(given)

    # -------------------------------------------------------------- setup

    @staticmethod
    def _create(given: dict[str, Any]) -> _Meta:
        values: dict[str, Any] = {
            k: (v if v is not None else _DEFAULTS.get(k)) for k, v in given.items()
        }
        if values["verify"] == "none":
            values["verify"] = None
        check_in("verify", values["verify"], ("jaccard", "signature", None))
        check_probability("threshold", values["threshold"], open_low=True)
        scheme = Scheme(
            values["num_perm"], values["ngram"], values["unit"], values["normalize"], values["seed"]
        )
        scheme.check()
        b, r = banding(
            values["threshold"],
            values["num_perm"],
            values["bands"],
            values["rows"],
            values["verify"],
        )
        values.update(bands=b, rows=r)
        return _Meta(**values)

    def _open(self, meta_file: Path, given: dict[str, Any]) -> _Meta:
        stored = json.loads(meta_file.read_text())
        if stored.get("scheme") != SCHEME_VERSION or stored.get("format") != _FORMAT:
            msg = (
                f"index {str(self.path)!r} was built with signature scheme "
                f"{stored.get('scheme')!r} (format {stored.get('format')}), this version writes "
                f"{SCHEME_VERSION!r} (format {_FORMAT}). Hint: rebuild the index from the "
                f"source data; signatures of different schemes cannot be compared."
            )
            raise IndexMismatchError(msg)
        if given.get("verify") == "none":
            given["verify"] = None
        for name, value in given.items():
            if value is not None and value != stored[name]:
                msg = (
                    f"index {str(self.path)!r} was built with {name}={stored[name]!r}, "
                    f"not {value!r}. Hint: open it without {name}= (the stored value is used) "
                    f"or build a new index in another directory."
                )
                raise IndexMismatchError(msg)
        return _Meta(**stored)

    def _write_meta(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        meta_file = self.path / _META
        if not meta_file.exists():
            meta_file.write_text(json.dumps(self._meta.to_dict(), indent=2) + "\n")

    # -------------------------------------------------------------- info

    @property
    def params(self) -> dict[str, Any]:
        """The scheme version and every parameter, as stored in ``meta.json``."""
        return self._meta.to_dict()

    def _parts(self) -> list[Path]:
        return sorted(self.path.glob("part-*.parquet")) if self.path.exists() else []

    def __len__(self) -> int:
        parts = self._parts()
        if not parts:
            return 0
        return int(pl.scan_parquet(parts).select(pl.len()).collect().item())

    def __repr__(self) -> str:
        m = self._meta
        return (
            f"MinHashIndex({str(self.path)!r}, documents={len(self)}, threshold={m.threshold}, "
            f"bands={m.bands}x{m.rows}, verify={m.verify!r}, scheme={m.scheme!r})"
        )

    # -------------------------------------------------------------- helpers

    def _band_cols(self) -> list[str]:
        return [f"band_{b:03d}" for b in range(self._meta.bands)]

    def _prepare(self, df: pl.DataFrame | pl.LazyFrame, id_col: str | None) -> pl.DataFrame:
        m = self._meta
        check_columns(df, [m.text])
        names = list(schema_of(df).names())
        if id_col is not None:
            check_columns(df, [id_col])
        cols = [m.text] + [c for c in (id_col, "example_id") if c is not None and c in names]
        frame = collect(df.select(list(dict.fromkeys(cols))))
        ids = frame[id_col] if id_col is not None else example_ids(frame, m.text)
        text = frame.select(m.scheme_obj.text_expr(pl.col(m.text))).to_series()
        return pl.DataFrame({"__text": text, "__id": ids})

    def _keys(self, text: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        m = self._meta
        return band_key_matrix(
            text, m.scheme_obj, m.bands, m.rows, keep_signatures=m.verify == "signature"
        )

    # -------------------------------------------------------------- API

    def add(
        self, df: pl.DataFrame | pl.LazyFrame, id_col: str | None = None, source: str = ""
    ) -> int:
        """Index the rows of ``df``; return how many were added (rows without text are skipped).

        ``id_col`` names the id column (default: ``example_id``, computed from the text when the
        frame has none); every batch must use ids of the same dtype.
        """
        m = self._meta
        prepared = self._prepare(df, id_col)
        keys, ok, sigs = self._keys(prepared["__text"])
        rows = np.flatnonzero(ok)
        cols: dict[str, Any] = {
            "id": prepared["__id"].gather(rows),
            "source": pl.Series([source] * len(rows), dtype=pl.String),
        }
        for b, name in enumerate(self._band_cols()):
            cols[name] = keys[b, rows]
        out = pl.DataFrame(cols)
        if m.verify == "jaccard":
            sets = shingle_sets(prepared["__text"], m.scheme_obj, rows)
            out = out.with_columns(_sets_as_lists(sets).alias("shingles"))
        elif m.verify == "signature":
            assert sigs is not None
            out = out.with_columns(
                pl.Series("signature", sigs[rows], dtype=pl.Array(pl.UInt32, m.num_perm))
            )
        parts = self._parts()
        if parts:
            stored = pl.read_parquet_schema(parts[0])["id"]
            if stored != out["id"].dtype:
                msg = (
                    f"ids of dtype {out['id'].dtype} cannot join an index whose ids are {stored}. "
                    f"Hint: cast {id_col or 'example_id'} to {stored}."
                )
                raise IndexMismatchError(msg)
        self._write_meta()
        number = int(parts[-1].stem.split("-")[1]) + 1 if parts else 0
        out.write_parquet(self.path / f"part-{number:06d}.parquet")
        return out.height

    def query(self, df: pl.DataFrame | pl.LazyFrame, id_col: str | None = None) -> pl.DataFrame:
        """Indexed documents similar to each row of ``df``.

        Returns one row per match: ``query_id`` (``df[id_col]``, default ``example_id``),
        ``matched_id``, ``source`` and ``similarity`` (exact Jaccard, the MinHash estimate, or
        null with ``verify=None``), sorted by query row then matched row. Rows with no match
        are absent. Only the band keys and the matched rows' verification data are read.
        """
        prepared = self._prepare(df, id_col)
        pairs = self._match(prepared)
        return pairs.select("query_id", "matched_id", "source", "similarity")

    def _match(self, prepared: pl.DataFrame) -> pl.DataFrame:
        from careful_polars._kernels.minhash import bucket_matches, cross_jaccard, pair_estimate

        m = self._meta
        parts = self._parts()
        qids = prepared["__id"]
        empty_schema: dict[str, Any] = {
            "query_row": pl.Int64,
            "query_id": qids.dtype,
            "matched_id": qids.dtype if not parts else pl.read_parquet_schema(parts[0])["id"],
            **_QUERY_SCHEMA_TAIL,
        }
        if not parts:
            return pl.DataFrame(schema=empty_schema)
        keys, ok, sigs = self._keys(prepared["__text"])
        index_keys = pl.scan_parquet(parts).select(self._band_cols()).collect().to_numpy()
        qrows = np.flatnonzero(ok)
        packed = bucket_matches(
            np.ascontiguousarray(index_keys.astype(np.uint64).T),
            np.ascontiguousarray(keys[:, qrows]),
        )
        del index_keys
        q = qrows[(packed >> np.uint64(32)).astype(np.int64)]
        i = (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)
        if len(q) == 0:
            return pl.DataFrame(schema=empty_schema)
        wanted = np.unique(i)
        extra = {"jaccard": ["shingles"], "signature": ["signature"]}.get(str(m.verify), [])
        matched = (
            pl.scan_parquet(parts)
            .with_row_index("__row")
            .join(
                pl.LazyFrame({"__row": pl.Series(wanted, dtype=pl.UInt32)}), on="__row", how="semi"
            )
            .select("__row", "id", "source", *extra)
            .collect()
            .sort("__row")
        )
        pos = np.searchsorted(matched["__row"].to_numpy(), i)
        sim = np.full(len(q), np.nan)
        if m.verify == "jaccard":
            sets = shingle_sets(prepared["__text"], m.scheme_obj, np.unique(q))
            lengths = matched["shingles"].list.len().to_numpy().astype(np.int64)
            offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
            values = matched["shingles"].explode().drop_nulls().to_numpy().astype(np.uint64)
            cross_jaccard(
                sets.slot[q], sets.offsets, sets.sizes, sets.values,
                pos, offsets, lengths, values, sim,
            )  # fmt: skip
        elif m.verify == "signature":
            assert sigs is not None
            stored = matched["signature"].to_numpy().astype(np.uint32)
            both = np.concatenate([sigs[q], stored[pos]])
            n = len(q)
            pair_estimate(np.arange(n), np.arange(n, 2 * n), both, sim)
        keep = sim >= m.threshold if m.verify is not None else np.ones(len(q), dtype=np.bool_)
        q, pos, sim = q[keep], pos[keep], sim[keep]
        return pl.DataFrame(
            {
                "query_row": q,
                "query_id": qids.gather(q),
                "matched_id": matched["id"].gather(pos),
                "source": matched["source"].gather(pos),
                "similarity": pl.Series(sim).fill_nan(None),
            }
        )

    def dedup_against(
        self,
        df: pl.DataFrame,
        id_col: str | None = None,
        *,
        add_kept: bool = False,
        source: str = "",
    ) -> Split[pl.DataFrame]:
        """Split a new batch into rows unlike anything indexed (kept) and near-duplicates of it.

        Rejected rows carry gate "near_duplicate", the best match in ``_careful_reason`` and
        ``_careful_ref`` (the matched id when ids are integers, else null). Duplicates *within*
        the batch are not looked for here; run :func:`careful_polars.near_dedup` on it first.
        With ``add_kept=True`` the kept rows are added to the index under ``source``.
        """
        if not isinstance(df, pl.DataFrame):
            msg = "dedup_against takes a DataFrame. Hint: collect the LazyFrame first."
            raise InvalidParameterError(msg)
        prepared = self._prepare(df, id_col)
        pairs = self._match(prepared)
        best = (
            pairs.sort("similarity", descending=True, nulls_last=True)
            .group_by("query_row", maintain_order=True)
            .first()
        )
        info = (
            pl.DataFrame({"query_row": np.arange(df.height, dtype=np.int64)})
            .join(best, on="query_row", how="left")
            .sort("query_row")
        )
        hit = info["matched_id"].is_not_null()
        if info["query_id"].dtype.is_integer():
            ref = info["matched_id"].cast(pl.UInt64, strict=False)
        else:
            ref = pl.Series([None] * df.height, dtype=pl.UInt64)
        reason = info.select(
            pl.format(
                "near-duplicate (similarity {}) of indexed {} from {}",
                pl.col("similarity").round(3),
                pl.col("matched_id"),
                pl.col("source"),
            )
        ).to_series()
        kept = df.filter(~hit)
        rejected = add_reject_columns(
            df.with_columns(reason.alias("__reason"), ref.alias("__ref")).filter(hit),
            GATE,
            pl.col("__reason"),
            pl.col("__ref"),
        ).drop("__reason", "__ref")
        if add_kept and kept.height:
            self.add(kept, id_col, source=source)
        return Split(kept, rejected)
