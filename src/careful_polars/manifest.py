"""Manifests (data cards with live use limits), diffs and guarded I/O (fingerprints: ``_fingerprint``).

A :class:`Manifest` is written as JSON beside the data. It records what the dataset is, who
owns it, what it may and may not be used for and until when, how many rows come from each
source and generator, a summary of every column, and an order-independent fingerprint of its
``example_id``s. :func:`read_dataset` and :func:`scan_dataset` check the manifest before any
row reaches the caller: a forbidden use, a past expiry or data that no longer match the
fingerprint raise, unless an explicit ``override=`` reason is given (and logged).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from careful_polars._fingerprint import (
    FINGERPRINT_SCHEME,
    fingerprint,
    fingerprint_of_ids,
    ids_of,
    rows_fingerprint,
)
from careful_polars._utils import check_columns, collect, schema_of
from careful_polars.exceptions import (
    ColumnNotFoundError,
    FingerprintMismatchError,
    InvalidParameterError,
    RatioCapError,
    UseNotAllowedError,
)

__all__ = [
    "FINGERPRINT_SCHEME",
    "DatasetDiff",
    "Manifest",
    "ManifestDiff",
    "diff",
    "fingerprint",
    "build_manifest",
    "manifest_path",
    "read_dataset",
    "scan_dataset",
    "write_dataset",
]

#: Version of the manifest JSON layout.
MANIFEST_FORMAT = 1

_logger = logging.getLogger("careful_polars")


# --- manifest -------------------------------------------------------------------------------


def manifest_path(data_path: str | Path) -> Path:
    """Return where a dataset's manifest lives: ``data.parquet`` -> ``data.manifest.json``."""
    path = Path(data_path)
    if path.name.endswith(".manifest.json"):
        return path
    return path.with_suffix(".manifest.json")


def _as_date(value: str | dt.date | dt.datetime | None, name: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        msg = f"{name}={value!r} is not a date. Hint: use an ISO date such as '2026-12-31'."
        raise InvalidParameterError(msg) from None


def _uses(value: str | Sequence[str] | None, name: str) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            msg = f"{name} contains {item!r}. Hint: list uses as non-empty strings."
            raise InvalidParameterError(msg)
        out.append(item.strip())
    return out


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, pl.DataFrame):
        return [_jsonable(row) for row in value.rows(named=True)]
    if isinstance(value, pl.LazyFrame):
        return _jsonable(value.collect())
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return _jsonable(value.to_dict())
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _column_summaries(lf: pl.LazyFrame, schema: pl.Schema) -> pl.LazyFrame:
    exprs: list[pl.Expr] = []
    for name, dtype in schema.items():
        col = pl.col(name)
        exprs.append(col.null_count().alias(f"{name}\x00nulls"))
        if dtype.is_numeric() or dtype.is_temporal():
            exprs += [col.min().alias(f"{name}\x00min"), col.max().alias(f"{name}\x00max")]
        if dtype.is_numeric():
            exprs.append(col.mean().alias(f"{name}\x00mean"))
        if dtype == pl.Boolean:
            exprs.append(col.sum().alias(f"{name}\x00true"))
        if dtype in (pl.String, pl.Categorical, pl.Enum) or dtype.is_integer():
            exprs.append(col.approx_n_unique().alias(f"{name}\x00approx_unique"))
        if dtype == pl.String:
            exprs.append(col.str.len_chars().mean().alias(f"{name}\x00mean_length"))
    return lf.select(exprs)


def _summaries_to_list(row: dict[str, Any], schema: pl.Schema) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, dtype in schema.items():
        entry: dict[str, Any] = {"column": name, "dtype": str(dtype)}
        for key, value in row.items():
            col, _, stat = key.partition("\x00")
            if col == name:
                entry[stat] = _jsonable(value)
        out.append(entry)
    return out


def _environment() -> dict[str, Any]:
    import platform

    import careful_polars
    from careful_polars.hashing import HASH_SCHEME

    schemes = {
        "content_hash": HASH_SCHEME,
        "fingerprint": FINGERPRINT_SCHEME,
        "prompt_hash": "sha256",
    }
    return {
        "careful_polars": careful_polars.__version__,
        "polars": pl.__version__,
        "python": platform.python_version(),
        "schemes": schemes,
    }


@dataclass(frozen=True)
class Manifest:
    """A dataset's data card: identity, use limits, counts, schema, fingerprint, environment.

    Build one with :func:`build_manifest`; save it beside the data with :meth:`save` (or write data
    and manifest together with :func:`write_dataset`). All fields are JSON values.
    """

    name: str
    version: str
    purpose: str
    owner: str
    rows: int
    fingerprint: str
    subset: list[str] | None
    created_at: str
    counts_by_source: dict[str, int]
    synthetic_ratio: float | None
    max_synthetic_ratio: float | None = None
    allowed_use: list[str] | None = None
    prohibited_use: list[str] = field(default_factory=list)
    expires_at: str | None = None
    stratum: str | None = None
    counts_by_stratum: list[dict[str, Any]] = field(default_factory=list)
    schema: dict[str, str] = field(default_factory=dict)
    columns: list[dict[str, Any]] = field(default_factory=list)
    generators: list[dict[str, Any]] = field(default_factory=list)
    prompt_hashes: list[dict[str, Any]] = field(default_factory=list)
    gates: Any = None
    environment: dict[str, Any] = field(default_factory=dict)
    rows_fingerprint: str | None = None
    format: int = MANIFEST_FORMAT

    def __repr__(self) -> str:
        ratio = "n/a" if self.synthetic_ratio is None else f"{self.synthetic_ratio:.3f}"
        return (
            f"Manifest(name={self.name!r}, version={self.version!r}, rows={self.rows:,}, "
            f"synthetic_ratio={ratio}, expires_at={self.expires_at}, "
            f"fingerprint={self.fingerprint!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the manifest as a JSON-ready dict."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """Return the manifest as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=False, default=str) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write the manifest as JSON and return the file's path.

        ``path`` is either the manifest file (``*.manifest.json``) or the data file it
        describes, in which case the manifest goes beside it (:func:`manifest_path`).
        """
        target = manifest_path(path) if not str(path).endswith(".json") else Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.to_json())
        return target

    @classmethod
    def load(cls, path: str | Path) -> Manifest:
        """Read a manifest written by :meth:`save` (``path``: the manifest or its data file)."""
        target = manifest_path(path) if not str(path).endswith(".json") else Path(path)
        if not target.exists():
            msg = (
                f"no manifest at {str(target)!r}. "
                "Hint: write the data with write_dataset(df, path, manifest=m)."
            )
            raise UseNotAllowedError(msg)
        data = json.loads(target.read_text())
        if data.get("format") != MANIFEST_FORMAT:
            msg = (
                f"manifest {str(target)!r} has format {data.get('format')!r}, expected "
                f"{MANIFEST_FORMAT}. Hint: regenerate it with this careful_polars version."
            )
            raise InvalidParameterError(msg)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            msg = f"manifest {str(target)!r} has unknown fields {unknown}. Hint: regenerate it."
            raise InvalidParameterError(msg)
        return cls(**data)

    def check_use(self, use: str, today: dt.date | str | None = None) -> None:
        """Raise :class:`UseNotAllowedError` if ``use`` is not allowed, or the data expired.

        Examples
        --------
        >>> import polars as pl
        >>> import careful_polars as cp
        >>> df = pl.DataFrame({"example_id": [1, 2]}, schema={"example_id": pl.UInt64})
        >>> m = cp.build_manifest(
        ...     df, name="demo", version="1", purpose="demo", owner="me",
        ...     prohibited_use=["eval"], expires_at="2030-01-01",
        ... )
        >>> m.check_use("train", today="2029-12-31")
        >>> m.check_use("eval")
        Traceback (most recent call last):
        ...
        careful_polars.exceptions.UseNotAllowedError: use 'eval' is in prohibited_use=['eval'] ...
        """
        problem = self.use_problem(use, today)
        if problem is not None:
            raise UseNotAllowedError(problem)

    def use_problem(self, use: str, today: dt.date | str | None = None) -> str | None:
        """Return why ``use`` is not allowed today (an error message), or None if it is."""
        if not isinstance(use, str) or not use.strip():
            msg = f"use={use!r} is not a use. Hint: say what the data is for, e.g. use='train'."
            raise InvalidParameterError(msg)
        use = use.strip()
        if use in self.prohibited_use:
            return (
                f"use {use!r} is in prohibited_use={self.prohibited_use} of manifest "
                f"{self.name!r} v{self.version}. Hint: this dataset must not be used for "
                f"{use!r}; ask its owner ({self.owner}) or pass override='reason' (logged)."
            )
        if self.allowed_use is not None and use not in self.allowed_use:
            return (
                f"use {use!r} is not in allowed_use={self.allowed_use} of manifest "
                f"{self.name!r} v{self.version}. Hint: use it only for {self.allowed_use}, "
                f"ask its owner ({self.owner}) or pass override='reason' (logged)."
            )
        expires = _as_date(self.expires_at, "expires_at")
        now = _as_date(today, "today") or dt.datetime.now(dt.timezone.utc).date()
        if expires is not None and now > expires:
            return (
                f"manifest {self.name!r} v{self.version} expired: expires_at={self.expires_at} "
                f"is before today ({now.isoformat()}). Hint: get a renewed version from its "
                f"owner ({self.owner}) or pass override='reason' (logged)."
            )
        return None

    def verify(self, df: pl.DataFrame | pl.LazyFrame) -> None:
        """Raise :class:`FingerprintMismatchError` unless ``df`` has this manifest's fingerprints.

        The ids are recomputed from the content columns when the manifest names them, so an
        edited content cell is caught even if ``example_id`` was left as it was; then
        ``rows_fingerprint`` (every column) catches edits outside the ``subset`` columns, such as a
        changed label, and added, dropped or renamed columns.
        """
        found: str | None = fingerprint(df, subset=self.subset) if self.subset else fingerprint(df)
        what = f"fingerprint of the row ids ({self.subset or 'example_id'})"
        recorded = self.fingerprint
        if found == recorded and self.rows_fingerprint is not None:
            found, recorded = rows_fingerprint(df), self.rows_fingerprint
            what = "fingerprint of every column"
        if found != recorded:
            msg = (
                f"data do not match manifest {self.name!r} v{self.version}: {what} "
                f"{found!r} != recorded {recorded!r}. Hint: the data changed after the "
                "manifest was written; regenerate the manifest (and review careful diff) or "
                "restore the data."
            )
            raise FingerprintMismatchError(msg)

    def diff(self, other: Manifest) -> ManifestDiff:
        """Compare this manifest (old) with ``other`` (new); see :class:`ManifestDiff`."""
        return _manifest_diff(self, other)

    def to_markdown(self) -> str:
        """Render the manifest as a human-readable data card (Markdown)."""
        lines = [f"# {self.name} v{self.version}", "", self.purpose, ""]
        lines += [
            f"- Owner: {self.owner}",
            f"- Rows: {self.rows:,}",
            f"- Created: {self.created_at}",
            f"- Fingerprint: `{self.fingerprint}`",
            f"- Fingerprint of every column: `{self.rows_fingerprint}`",
            f"- Content columns (example_id): {self.subset}",
        ]
        lines += ["", "## Use limits", ""]
        lines.append(f"- Allowed use: {self.allowed_use if self.allowed_use else 'any'}")
        lines.append(f"- Prohibited use: {self.prohibited_use or 'none'}")
        lines.append(f"- Expires: {self.expires_at or 'never'}")
        lines += ["", "## Composition", ""]
        if self.synthetic_ratio is not None:
            cap = (
                f" (cap {self.max_synthetic_ratio:.3f})"
                if self.max_synthetic_ratio is not None
                else ""
            )
            lines += [f"- Synthetic ratio: {self.synthetic_ratio:.3f}{cap}", ""]
        lines += _table(
            ["source", "rows"], [[k, f"{v:,}"] for k, v in self.counts_by_source.items()]
        )
        if self.counts_by_stratum:
            lines += ["", f"By {self.stratum}:", ""]
            keys = list(self.counts_by_stratum[0])
            lines += _table(keys, [[row[k] for k in keys] for row in self.counts_by_stratum])
        if self.generators:
            lines += ["", "## Generators", ""]
            keys = list(self.generators[0])
            lines += _table(keys, [[row[k] for k in keys] for row in self.generators])
            lines.append("")
            lines.append(f"{len(self.prompt_hashes)} distinct prompt hash(es).")
        lines += ["", "## Columns", ""]
        stats = ["dtype", "nulls", "min", "max", "mean", "true", "approx_unique", "mean_length"]
        rows = [[c["column"], *[_cell(c.get(s)) for s in stats]] for c in self.columns]
        lines += _table(["column", *stats], rows)
        if self.gates:
            lines += ["", "## Gates", "", "```json", json.dumps(self.gates, indent=2), "```"]
        env = self.environment
        lines += ["", "## Environment", ""]
        lines += [f"- {k}: {v}" for k, v in env.items()]
        return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def build_manifest(
    df: pl.DataFrame | pl.LazyFrame,
    *,
    name: str,
    version: str,
    purpose: str,
    owner: str,
    max_synthetic_ratio: float | None = None,
    allowed_use: str | Sequence[str] | None = None,
    prohibited_use: str | Sequence[str] | None = None,
    expires_at: str | dt.date | dt.datetime | None = None,
    subset: str | Sequence[str] | None = None,
    stratum: str | None = None,
    gates: Any = None,
) -> Manifest:
    """Describe ``df`` in a :class:`Manifest` (counts, ratio, schema, stats, fingerprint, ...).

    Parameters
    ----------
    df
        DataFrame or LazyFrame (a LazyFrame is scanned a few times, streaming where it can:
        for the ids, the every-column fingerprint and the summaries).
    name, version, purpose, owner
        What the dataset is and who answers for it.
    max_synthetic_ratio
        Cap on the share of rows with ``source == "synthetic"``; exceeding it raises.
    allowed_use, prohibited_use
        Uses the data may (only) and must not serve, checked by :func:`read_dataset`.
    expires_at
        Last day the data may be used (ISO date).
    subset
        Columns whose content hash is ``example_id``. The fingerprint is computed over the
        recomputed hashes, and an ``example_id`` column, if present, must match them.
        Without it the stored ``example_id`` column is fingerprinted.
    stratum
        Column to count rows by (per source).
    gates
        Gate results to record (a frame, a dict or an object with ``to_dict()``).

    Returns
    -------
    Manifest

    Raises
    ------
    RatioCapError
        The synthetic share exceeds ``max_synthetic_ratio``.
    FingerprintMismatchError
        The ``example_id`` column does not match the content hash of ``subset``.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> when = dt.datetime(2025, 1, 1)
    >>> real = cp.tag_real(pl.DataFrame({"text": ["a", "b", "c"]}), subset="text", created_at=when)
    >>> syn = cp.tag_synthetic(
    ...     pl.DataFrame({"text": ["d"]}), generator="g", generator_version="1",
    ...     prompt="p", subset="text", created_at=when,
    ... )
    >>> m = cp.build_manifest(
    ...     pl.concat([real, syn]), name="tickets", version="1", purpose="demo", owner="me",
    ...     max_synthetic_ratio=0.5, prohibited_use=["eval"], subset=["text"],
    ... )
    >>> m.counts_by_source, m.synthetic_ratio
    ({'real': 3, 'synthetic': 1}, 0.25)
    """
    for label, value in (("name", name), ("version", version), ("owner", owner)):
        if not isinstance(value, str) or not value.strip():
            msg = f"{label}={value!r} is empty. Hint: every manifest needs a {label}."
            raise InvalidParameterError(msg)
    if max_synthetic_ratio is not None and not 0.0 <= max_synthetic_ratio <= 1.0:
        msg = f"max_synthetic_ratio={max_synthetic_ratio!r} is outside [0, 1]. Hint: e.g. 0.3."
        raise InvalidParameterError(msg)
    allowed = _uses(allowed_use, "allowed_use")
    prohibited = _uses(prohibited_use, "prohibited_use") or []
    clash = sorted(set(allowed or []) & set(prohibited))
    if clash:
        msg = f"uses {clash} are both allowed and prohibited. Hint: list each use in one place."
        raise InvalidParameterError(msg)
    expires = _as_date(expires_at, "expires_at")
    content_list = [subset] if isinstance(subset, str) else (list(subset) if subset else None)
    schema = schema_of(df)
    if stratum is not None:
        check_columns(df, [stratum])
    has_source = "source" in schema
    if max_synthetic_ratio is not None and not has_source:
        msg = "max_synthetic_ratio needs a 'source' column. Hint: tag the rows first."
        raise ColumnNotFoundError(msg)

    lf = df.lazy()
    ids = ids_of(df, content_list, "example_id")
    if content_list and "example_id" in schema:
        stored = lf.select(pl.col("example_id")).collect().to_series()
        mismatched = int((stored.ne_missing(ids)).sum())
        if mismatched:
            msg = (
                f"{mismatched} row(s) have an example_id that is not the content hash of "
                f"{content_list}. Hint: the content was edited after tagging; re-tag the rows "
                "or find them with validate_lineage."
            )
            raise FingerprintMismatchError(msg)
    queries = [_column_summaries(lf, schema)]
    source = pl.col("source") if has_source else pl.lit("unknown")
    queries.append(lf.group_by(source.alias("source")).len("rows").sort("source"))
    if stratum is not None:
        queries.append(
            lf.group_by(pl.col(stratum).cast(pl.String).alias("stratum"), source.alias("source"))
            .len("rows")
            .sort("stratum", "source", nulls_last=True)
        )
    if "generator" in schema:
        gen_cols = [c for c in ("generator", "generator_version") if c in schema]
        queries.append(
            lf.filter(pl.col("generator").is_not_null())
            .group_by(gen_cols)
            .len("rows")
            .sort(gen_cols, nulls_last=True)
        )
    if "prompt_hash" in schema:
        queries.append(
            lf.filter(pl.col("prompt_hash").is_not_null())
            .group_by("prompt_hash")
            .len("rows")
            .sort("prompt_hash")
        )
    results = pl.collect_all(queries)
    summary, counts = results[0], results[1]
    counts_by_source = {str(s): int(n) for s, n in counts.iter_rows()}
    rows = ids.len()
    synthetic_ratio = (
        (counts_by_source.get("synthetic", 0) / rows if rows else 0.0) if has_source else None
    )
    if (
        max_synthetic_ratio is not None
        and synthetic_ratio is not None
        and synthetic_ratio > max_synthetic_ratio
    ):
        msg = (
            f"synthetic ratio {synthetic_ratio:.4f} ({counts_by_source.get('synthetic', 0):,} of "
            f"{rows:,} rows) exceeds max_synthetic_ratio={max_synthetic_ratio}. Hint: cap the "
            "synthetic share (careful_polars sampling) or raise the cap deliberately."
        )
        raise RatioCapError(msg)
    rest = results[2:]
    by_stratum = _jsonable(rest.pop(0)) if stratum is not None else []
    generators = _jsonable(rest.pop(0)) if "generator" in schema else []
    prompts = _jsonable(rest.pop(0)) if "prompt_hash" in schema else []
    return Manifest(
        name=name.strip(),
        version=version.strip(),
        purpose=purpose,
        owner=owner.strip(),
        rows=rows,
        fingerprint=fingerprint_of_ids(ids),
        rows_fingerprint=rows_fingerprint(df),
        subset=content_list,
        created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        counts_by_source=counts_by_source,
        synthetic_ratio=synthetic_ratio,
        max_synthetic_ratio=max_synthetic_ratio,
        allowed_use=allowed,
        prohibited_use=prohibited,
        expires_at=expires.isoformat() if expires else None,
        stratum=stratum,
        counts_by_stratum=by_stratum,
        schema={k: str(v) for k, v in schema.items()},
        columns=_summaries_to_list(summary.row(0, named=True), schema),
        generators=generators,
        prompt_hashes=prompts,
        gates=_jsonable(gates),
        environment=_environment(),
    )


# --- diffs ----------------------------------------------------------------------------------


def _ratio_change(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else new - old


@dataclass(frozen=True)
class ManifestDiff:
    """What changed between two manifests (old -> new): a summary fit for code review."""

    summary: dict[str, Any]

    def __repr__(self) -> str:
        changed = [k for k, v in self.summary.items() if not k.startswith("same_") and v]
        return f"ManifestDiff(same_data={self.summary['same_data']}, changed={changed})"

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"summary": ...}``."""
        return {"summary": self.summary}

    def to_markdown(self) -> str:
        """Render the changes as a Markdown list."""
        return _summary_markdown("Manifest diff", self.summary)


def _keyed(rows: list[dict[str, Any]], key_cols: Sequence[str]) -> dict[str, int]:
    return {"/".join(str(r.get(k)) for k in key_cols): int(r["rows"]) for r in rows}


def _manifest_diff(old: Manifest, new: Manifest) -> ManifestDiff:
    old_gen = _keyed(old.generators, ["generator", "generator_version"])
    new_gen = _keyed(new.generators, ["generator", "generator_version"])
    old_prompts = _keyed(old.prompt_hashes, ["prompt_hash"])
    new_prompts = _keyed(new.prompt_hashes, ["prompt_hash"])
    sources = sorted(set(old.counts_by_source) | set(new.counts_by_source))
    summary: dict[str, Any] = {
        "same_data": old.fingerprint == new.fingerprint
        and old.rows_fingerprint == new.rows_fingerprint,
        "same_row_ids": old.fingerprint == new.fingerprint,
        "version": [old.version, new.version] if old.version != new.version else None,
        "rows": [old.rows, new.rows] if old.rows != new.rows else None,
        "counts_by_source": {
            s: [old.counts_by_source.get(s, 0), new.counts_by_source.get(s, 0)]
            for s in sources
            if old.counts_by_source.get(s, 0) != new.counts_by_source.get(s, 0)
        },
        "synthetic_ratio_change": _ratio_change(old.synthetic_ratio, new.synthetic_ratio),
        "generators_added": sorted(set(new_gen) - set(old_gen)),
        "generators_removed": sorted(set(old_gen) - set(new_gen)),
        "prompt_hashes_added": len(set(new_prompts) - set(old_prompts)),
        "prompt_hashes_removed": len(set(old_prompts) - set(new_prompts)),
        **_schema_changes(old.schema, new.schema),
    }
    for limit in ("allowed_use", "prohibited_use", "expires_at", "max_synthetic_ratio", "owner"):
        before, after = getattr(old, limit), getattr(new, limit)
        summary[limit] = [before, after] if before != after else None
    return ManifestDiff(summary=summary)


def _schema_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "columns_added": [c for c in new if c not in old],
        "columns_removed": [c for c in old if c not in new],
        "dtypes_changed": {
            c: [str(old[c]), str(new[c])] for c in old if c in new and str(old[c]) != str(new[c])
        },
    }


def _summary_markdown(title: str, summary: Mapping[str, Any]) -> str:
    lines = [f"## {title}", ""]
    for key, value in summary.items():
        if value in (None, [], {}, 0) and key not in ("added", "removed", "changed"):
            continue
        if (
            isinstance(value, list)
            and len(value) == 2
            and key
            not in (
                "generators_added",
                "generators_removed",
                "columns_added",
                "columns_removed",
            )
        ):
            lines.append(f"- **{key}**: {_cell(value[0])} -> {_cell(value[1])}")
        else:
            lines.append(f"- **{key}**: {_cell(value)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class DatasetDiff:
    """Rows added, removed and changed between two versions of a dataset, with a summary.

    ``added`` holds the new frame's rows whose key the old one lacks; ``removed`` the old
    rows whose key the new one lacks; ``changed`` one row per key present in both whose
    other columns differ: the key, ``changed_columns`` (names), the new values, and the old
    values of every shared column as ``<column>_old``.
    """

    added: pl.DataFrame
    removed: pl.DataFrame
    changed: pl.DataFrame
    summary: dict[str, Any]

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"DatasetDiff(added={s['added']}, removed={s['removed']}, changed={s['changed']}, "
            f"unchanged={s['unchanged']})"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the three frames and the summary."""
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "summary": self.summary,
        }

    def to_markdown(self) -> str:
        """Render the summary as a Markdown list for a code review."""
        return _summary_markdown("Dataset diff", self.summary)


def _check_unique_key(frame: pl.DataFrame, key: str, what: str) -> None:
    dupes = frame.height - frame.select(pl.col(key).n_unique()).item()
    if dupes:
        msg = (
            f"{what} has {dupes} row(s) with a repeated {key!r}. Hint: diff needs a unique key; "
            "drop exact duplicates first (careful_polars.dedup) or pass another key."
        )
        raise InvalidParameterError(msg)


def _generators(frame: pl.DataFrame) -> set[str]:
    if "generator" not in frame.columns:
        return set()
    return set(frame.get_column("generator").drop_nulls().unique().cast(pl.String).to_list())


def _synthetic_ratio(frame: pl.DataFrame) -> float | None:
    if "source" not in frame.columns or frame.height == 0:
        return None
    return float((frame.get_column("source") == "synthetic").sum()) / frame.height


def diff(
    old: pl.DataFrame | pl.LazyFrame,
    new: pl.DataFrame | pl.LazyFrame,
    *,
    key: str = "example_id",
) -> DatasetDiff:
    """Compare two versions of a dataset by ``key``: rows added, removed and changed.

    Parameters
    ----------
    old, new
        The two versions (LazyFrames are collected: the diff needs both whole tables).
    key
        Unique row key present in both (default ``example_id``; with the content hash as key,
        "changed" means same content with different metadata, e.g. lineage or labels).

    Returns
    -------
    DatasetDiff
        ``added``, ``removed``, ``changed`` frames and a ``summary`` dict: row counts,
        synthetic ratio before/after, generators added/removed, schema changes.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> old = pl.DataFrame({"id": [1, 2, 3], "label": ["a", "b", "c"]})
    >>> new = pl.DataFrame({"id": [2, 3, 4], "label": ["b", "x", "d"]})
    >>> d = cp.diff(old, new, key="id")
    >>> d
    DatasetDiff(added=1, removed=1, changed=1, unchanged=1)
    >>> d.changed
    shape: (1, 4)
    ┌─────┬─────────────────┬───────┬───────────┐
    │ id  ┆ changed_columns ┆ label ┆ label_old │
    │ --- ┆ ---             ┆ ---   ┆ ---       │
    │ i64 ┆ list[str]       ┆ str   ┆ str       │
    ╞═════╪═════════════════╪═══════╪═══════════╡
    │ 3   ┆ ["label"]       ┆ x     ┆ c         │
    └─────┴─────────────────┴───────┴───────────┘
    """
    check_columns(old, [key])
    check_columns(new, [key])
    old_df, new_df = collect(old), collect(new)
    _check_unique_key(old_df, key, "old")
    _check_unique_key(new_df, key, "new")
    added = new_df.join(old_df.select(key), on=key, how="anti", nulls_equal=True)
    removed = old_df.join(new_df.select(key), on=key, how="anti", nulls_equal=True)
    shared = [c for c in new_df.columns if c in old_df.columns and c != key]
    compared = [c for c in shared if str(new_df.schema[c]) == str(old_df.schema[c])]
    both = new_df.join(
        old_df.select(key, *shared).rename({c: f"{c}_old" for c in shared}),
        on=key,
        how="inner",
        nulls_equal=True,
    )
    # a column whose dtype changed counts as changed on every shared row
    flags = [pl.col(c).ne_missing(pl.col(f"{c}_old")) for c in compared]
    flags += [pl.lit(True) for c in shared if c not in compared]
    names = compared + [c for c in shared if c not in compared]
    if names:
        changed_cols = pl.concat_list(
            [
                pl.when(f).then(pl.lit(n)).otherwise(pl.lit(None, dtype=pl.String))
                for f, n in zip(flags, names, strict=True)
            ]
        ).list.drop_nulls()
        both = both.with_columns(changed_cols.alias("changed_columns"))
    else:
        both = both.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("changed_columns"))
    changed = both.filter(pl.col("changed_columns").list.len() > 0).select(
        key,
        "changed_columns",
        *[c for c in new_df.columns if c != key],
        *[f"{c}_old" for c in shared],
    )
    old_gen, new_gen = _generators(old_df), _generators(new_df)
    old_ratio, new_ratio = _synthetic_ratio(old_df), _synthetic_ratio(new_df)
    summary: dict[str, Any] = {
        "key": key,
        "old_rows": old_df.height,
        "new_rows": new_df.height,
        "added": added.height,
        "removed": removed.height,
        "changed": changed.height,
        "unchanged": both.height - changed.height,
        "synthetic_ratio": [old_ratio, new_ratio]
        if old_ratio is not None or new_ratio is not None
        else None,
        "synthetic_ratio_change": _ratio_change(old_ratio, new_ratio),
        "generators_added": sorted(new_gen - old_gen),
        "generators_removed": sorted(old_gen - new_gen),
        **_schema_changes(old_df.schema, new_df.schema),
    }
    return DatasetDiff(added=added, removed=removed, changed=changed, summary=summary)


# --- guarded I/O ----------------------------------------------------------------------------


def write_dataset(df: pl.DataFrame | pl.LazyFrame, path: str | Path, *, manifest: Manifest) -> Path:
    """Write ``df`` to Parquet at ``path`` and ``manifest`` beside it; return the manifest path.

    The manifest must describe this very data: its fingerprint is checked first.

    Raises
    ------
    FingerprintMismatchError
        ``df`` does not have ``manifest``'s fingerprint (nothing is written).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"example_id": [1, 2]}, schema={"example_id": pl.UInt64})
    >>> m = cp.build_manifest(df, name="d", version="1", purpose="demo", owner="me")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> cp.write_dataset(df, folder / "d.parquet", manifest=m).name
    'd.manifest.json'
    >>> cp.read_dataset(folder / "d.parquet", use="train").height
    2
    """
    if not isinstance(manifest, Manifest):
        msg = f"manifest is a {type(manifest).__name__}. Hint: build one with build_manifest(df, ...)."
        raise InvalidParameterError(msg)
    frame = collect(df)
    manifest.verify(frame)
    target = Path(path)
    if target.suffix.lower() not in (".parquet", ".pq"):
        msg = f"write_dataset writes Parquet; got {str(path)!r}. Hint: name it *.parquet."
        raise InvalidParameterError(msg)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(target)
    return manifest.save(target)


def _guard(
    path: str | Path, use: str, today: dt.date | str | None, override: str | None
) -> Manifest | None:
    if override is not None and (not isinstance(override, str) or not override.strip()):
        msg = "override must be a non-empty reason. Hint: say why, e.g. override='audit #12'."
        raise InvalidParameterError(msg)
    if not Path(path).exists():
        msg = f"dataset {str(path)!r} does not exist. Hint: check the path."
        raise InvalidParameterError(msg)
    try:
        loaded = Manifest.load(path)
    except UseNotAllowedError as exc:
        if override is None:
            raise
        _log_override(path, use, str(exc), override)
        return None
    problem = loaded.use_problem(use, today)
    if problem is not None:
        if override is None:
            raise UseNotAllowedError(problem)
        _log_override(path, use, problem, override)
    return loaded


def _log_override(path: str | Path, use: str, problem: str, reason: str) -> None:
    _logger.warning(
        "careful_polars override: loading %s for use=%r despite: %s Override reason: %s",
        path,
        use,
        problem.split(" Hint:")[0],
        reason,
    )


def _verify_or_override(
    loaded: Manifest | None,
    frame: pl.DataFrame | pl.LazyFrame,
    path: str | Path,
    use: str,
    override: str | None,
) -> None:
    if loaded is None:
        return
    try:
        loaded.verify(frame)
    except FingerprintMismatchError as exc:
        if override is None:
            raise
        _log_override(path, use, str(exc), override)


def read_dataset(
    path: str | Path,
    *,
    use: str,
    today: dt.date | str | None = None,
    override: str | None = None,
) -> pl.DataFrame:
    """Read a Parquet dataset written by :func:`write_dataset`, after checking its manifest.

    Parameters
    ----------
    path
        The Parquet file; its manifest is read from beside it (:func:`manifest_path`).
    use
        What the data will be used for (e.g. "train"); checked against ``prohibited_use``,
        ``allowed_use`` and ``expires_at``.
    today
        The date to check expiry against (default: today, UTC).
    override
        A reason to load despite a failed check. Every overridden failure is logged at
        WARNING level on the ``careful_polars`` logger with this reason. There is no other way
        around the checks.

    Returns
    -------
    DataFrame

    Raises
    ------
    UseNotAllowedError
        ``use`` is prohibited or not allowed, the dataset expired, or it has no manifest.
    FingerprintMismatchError
        The data no longer match the manifest's fingerprint (they changed silently).
    """
    loaded = _guard(path, use, today, override)
    frame = pl.read_parquet(path)
    _verify_or_override(loaded, frame, path, use, override)
    return frame


def scan_dataset(
    path: str | Path,
    *,
    use: str,
    today: dt.date | str | None = None,
    override: str | None = None,
) -> pl.LazyFrame:
    """Lazy :func:`read_dataset`: check the manifest and fingerprint, return a LazyFrame.

    The fingerprint checks stream the file through the hashes (Polars' streaming engine), so
    memory holds one 8-byte word per cell (per row for the id check) rather than the data
    itself; the returned LazyFrame scans the file again for the caller's query.
    Parameters and errors are those of :func:`read_dataset`.
    """
    loaded = _guard(path, use, today, override)
    lf = pl.scan_parquet(path)
    _verify_or_override(loaded, lf, path, use, override)
    return lf
