"""The pandera model behind :class:`careful_polars.LineageSchema` (imports pandera).

Kept apart from :mod:`careful_polars.lineage` so that ``import careful_polars`` does not import
pandera; the schema is loaded on first use.
"""

from __future__ import annotations

import functools
from typing import Any, cast

import numpy as np
import pandera.polars as pa
import polars as pl
from pandera.engines.polars_engine import DateTime

from careful_polars.exceptions import InvalidParameterError
from careful_polars.hashing import content_hash

__all__ = ["LineageSchema", "model_with_content"]

_SOURCES = ("real", "synthetic")


def _named(column: str) -> pl.Expr:
    """Return True where ``column`` holds a non-empty string (never null)."""
    return (pl.col(column).is_not_null() & (pl.col(column) != "")).fill_null(False)


def _has_duplicates(ids: pl.Series) -> bool:
    # a sort of the raw uint64 ids plus one neighbour comparison is several times faster
    # than a hash-based is_duplicated() over millions of rows
    if ids.null_count():
        return bool(ids.is_duplicated().any())
    values = np.sort(ids.to_numpy())
    return bool((values[1:] == values[:-1]).any())


class LineageSchema(pa.DataFrameModel):
    """Schema of the lineage columns (a pandera Polars ``DataFrameModel``).

    Column rules: ``example_id`` UInt64, not null; ``source`` "real" or "synthetic";
    ``generator``, ``generator_version``, ``prompt_hash``, ``sampling_params`` (JSON text),
    ``intended_use`` and ``reviewer`` nullable strings; ``seed_example_id`` nullable UInt64;
    ``eval_exclusion`` and ``never_train_on`` non-null booleans; ``created_at`` a microsecond
    Datetime in any time zone. Other columns are allowed (``strict = False``).

    Frame-level checks (each reports every failing row by its ``example_id`` and row index;
    they are attached to the ``example_id`` column, see Notes):

    - ``example_id_unique``: no two rows share an ``example_id`` (every repeated row is
      reported);
    - ``synthetic_has_provenance``: a synthetic row names its generator and prompt hash;
    - ``real_has_no_generator``: a real row names no generator and no prompt hash;
    - ``example_id_matches_content``: ``example_id`` equals
      :func:`careful_polars.hashing.content_hash` recomputed over the declared content columns
      (the tamper check). Content columns are declared with ``validate_lineage(subset=...)``
      or in a subclass's ``Config.metadata = {"subset": [...]}``; validating through pandera
      directly without declaring them fails this check with a message saying so.

    Extend it by subclassing: add fields and checks as in any pandera model (checks over
    several columns as ``@pa.check("example_id", ...)``, see Notes), then pass
    ``schema=YourSchema`` to :func:`validate_lineage`.

    Notes
    -----
    The multi-column checks are attached to ``example_id`` (``@pa.check("example_id")``)
    rather than declared as ``@pa.dataframe_check``: pandera 0.35 builds the failure-case
    report of a frame-level check from Python row dicts, which fails on UInt64 values above
    2**63 (half of all ``example_id``s). ``SchemaErrors.data`` holds the frame for full rows.
    Uniqueness is checked by sorting the ids (much faster than pandera's hash-based
    ``unique=True`` at millions of rows); the repeated rows are only marked when there are any.

    Examples
    --------
    >>> import pandera.polars as pa
    >>> import polars as pl
    >>> from careful_polars import LineageSchema
    >>> class TicketLineage(LineageSchema):
    ...     text: pl.String = pa.Field(str_length={"min_value": 1})
    ...
    ...     class Config:
    ...         metadata = {"subset": ["text"]}
    >>> sorted(TicketLineage.to_schema().columns)[:3]
    ['created_at', 'eval_exclusion', 'example_id']
    """

    example_id: pl.UInt64 = pa.Field()
    source: pl.String = pa.Field(isin=list(_SOURCES))
    generator: pl.String = pa.Field(nullable=True)
    generator_version: pl.String = pa.Field(nullable=True)
    prompt_hash: pl.String = pa.Field(nullable=True)
    seed_example_id: pl.UInt64 = pa.Field(nullable=True)
    sampling_params: pl.String = pa.Field(nullable=True)
    intended_use: pl.String = pa.Field(nullable=True)
    eval_exclusion: pl.Boolean = pa.Field()
    never_train_on: pl.Boolean = pa.Field()
    reviewer: pl.String = pa.Field(nullable=True)
    created_at: DateTime = pa.Field(dtype_kwargs={"time_zone_agnostic": True, "time_unit": "us"})

    class Config:
        """Other columns are allowed; content columns are declared per validation."""

        strict = False
        metadata: dict[str, Any] = {"subset": None}  # noqa: RUF012  (pandera reads it)

    @pa.check("example_id", name="example_id_unique")
    def example_id_unique(cls, data: pa.PolarsData) -> pl.LazyFrame | bool:
        """Check that no two rows share an ``example_id``."""
        ids = data.lazyframe.select(pl.col("example_id")).collect().to_series()
        if not _has_duplicates(ids):
            return True
        # only on failure: mark every row of a repeated id, so each is reported
        return data.lazyframe.select(~pl.col("example_id").is_duplicated())

    @pa.check("example_id", name="synthetic_has_provenance")
    def synthetic_has_provenance(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Check that a synthetic row names its generator and its prompt hash."""
        ok = (pl.col("source") != "synthetic").fill_null(True) | (
            _named("generator") & _named("prompt_hash")
        )
        return data.lazyframe.select(ok.alias("synthetic_has_provenance"))

    @pa.check("example_id", name="real_has_no_generator")
    def real_has_no_generator(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Check that a real row names no generator and no prompt hash."""
        ok = (pl.col("source") != "real").fill_null(True) | (
            pl.col("generator").is_null() & pl.col("prompt_hash").is_null()
        )
        return data.lazyframe.select(ok.alias("real_has_no_generator"))

    @pa.check("example_id", name="example_id_matches_content")
    def example_id_matches_content(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """Check that ``example_id`` is the content hash recomputed over the content columns."""
        subset = (cls.__config__.metadata or {}).get("subset") if cls.__config__ else None
        if not subset:
            msg = (
                f"{getattr(cls, '__name__', 'LineageSchema')} declares no content columns, so example_id cannot be checked "
                "against the content. Hint: use validate_lineage(df, subset=[...]) or set "
                'Config.metadata = {"subset": [...]} in a subclass.'
            )
            raise InvalidParameterError(msg)
        ok = (pl.col("example_id") == content_hash(*subset)).fill_null(False)
        return data.lazyframe.select(ok.alias("example_id_matches_content"))


@functools.lru_cache(maxsize=64)
def model_with_content(model: type[LineageSchema], subset: tuple[str, ...]) -> type[LineageSchema]:
    """Return a subclass of ``model`` whose ``Config.metadata`` declares ``subset``."""
    base_config = model.Config
    metadata = {**(getattr(base_config, "metadata", None) or {}), "subset": list(subset)}
    config = type("Config", (base_config,), {"metadata": metadata})
    namespace = {"Config": config, "__module__": model.__module__, "__doc__": model.__doc__}
    return cast("type[LineageSchema]", type(model.__name__, (model,), namespace))
