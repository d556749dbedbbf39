"""Gate cascades described in TOML (``careful gate --config``, the audit's cascade).

Format (see docs/gates.md)::

    text = "text"                 # default text column for every gate

    [[gate]]
    type = "length"               # a built-in gate (a function of careful_polars.gates)
    min_length = 20
    max_rejected_share = 0.05     # failure threshold: exit code 1 when exceeded

    [[gate]]
    type = "contamination"
    evaluation = "@eval"          # a frame passed by name, or a file path
    optional = true               # skip (and say so) when the frame or capability is missing

Keys other than ``type`` are the gate function's keyword arguments. Frame-valued keys
(``evaluation``, ``real``) take ``"@name"`` (a frame handed in by the caller) or a path, relative to
the TOML file. ``schema`` takes an import path ``"package.module:Name"``. ``predicate`` and
``against`` strings are SQL expressions (``pl.sql_expr``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from careful_polars.exceptions import InvalidParameterError
from careful_polars.gates import _row, _table

__all__ = ["BUILTIN_GATES", "gates_from_config", "load_toml"]

#: ``type`` values accepted in a config, and the keys that hold frames.
BUILTIN_GATES: dict[str, tuple[str, ...]] = {
    "schema": (),
    "exact_duplicates": (),
    "pii": ("real",),
    "near_duplicates": (),
    "contamination": ("evaluation",),
    "memorisation": ("real",),
    "length": (),
    "language_or_format": (),
    "label_consistency": (),
    "expr": (),
}
#: gates that read one text column, always named ``text``
_TEXT_GATES = ("pii", "near_duplicates", "memorisation", "length", "language_or_format",
               "contamination")  # fmt: skip


def load_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file (``tomllib`` on Python 3.11+, ``tomli`` before)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    p = Path(path)
    if not p.exists():
        msg = f"gate config {str(p)!r} does not exist. Hint: check the path."
        raise InvalidParameterError(msg)
    try:
        with p.open("rb") as fh:
            config: dict[str, Any] = tomllib.load(fh)
            return config
    except tomllib.TOMLDecodeError as exc:
        msg = f"gate config {str(p)!r} is not valid TOML ({exc}). Hint: fix the line named."
        raise InvalidParameterError(msg) from None


def _frame(value: Any, key: str, frames: Mapping[str, Any], base: Path) -> Any:
    if not isinstance(value, str):
        return value
    if value.startswith("@"):
        name = value[1:]
        if name not in frames:
            msg = (
                f"{key} = {value!r} names a frame that was not given. "
                f"Hint: available frames are {sorted('@' + k for k in frames)}."
            )
            raise InvalidParameterError(msg)
        return frames[name]
    path = Path(value) if Path(value).is_absolute() else base / value
    readers: dict[str, Any] = {".parquet": pl.scan_parquet, ".pq": pl.scan_parquet, ".csv": pl.scan_csv,
               ".ndjson": pl.scan_ndjson, ".jsonl": pl.scan_ndjson}  # fmt: skip
    reader = readers.get(path.suffix.lower())
    if reader is None or not path.exists():
        msg = (
            f"{key} = {value!r}: {str(path)!r} is not an existing Parquet/CSV/NDJSON file. "
            "Hint: fix the path (relative paths start at the TOML file) or pass '@name'."
        )
        raise InvalidParameterError(msg)
    return reader(path)


def _import(path: str) -> Any:
    module, sep, attr = path.partition(":")
    if not sep:
        module, _, attr = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        msg = f"cannot import schema {path!r}. Hint: write it as 'package.module:Name'."
        raise InvalidParameterError(msg) from None


def _unavailable(kind: str, spec: Mapping[str, Any], frames: Mapping[str, Any]) -> str | None:
    """Why an ``optional = true`` gate cannot run here (None: it can)."""
    if kind == "schema":
        try:
            _import(str(spec.get("schema")))
        except InvalidParameterError:
            return f"schema {spec.get('schema')!r} is not available"
    for key in BUILTIN_GATES[kind]:
        value = spec.get(key)
        if isinstance(value, str) and value.startswith("@") and value[1:] not in frames:
            return f"no {value[1:]} frame was given"
    return None


def gates_from_config(
    source: str | Path | Mapping[str, Any],
    frames: Mapping[str, Any],
    skipped: list[tuple[str, str]] | None = None,
) -> list[Any]:
    """Build the list of gates a config describes.

    Gates marked ``optional = true`` that cannot run here (their capability or frame is
    missing) are left out and, when ``skipped`` is a list, appended to it as ``(name, why)``.
    """
    if isinstance(source, Mapping):
        config, base = dict(source), Path.cwd()
    else:
        config, base = load_toml(source), Path(source).resolve().parent
    entries = config.get("gate", [])
    if not isinstance(entries, list) or not entries:
        msg = "the gate config has no [[gate]] tables. Hint: add one [[gate]] per gate, in order."
        raise InvalidParameterError(msg)
    text = config.get("text")
    out = []
    for i, entry in enumerate(entries, start=1):
        spec = dict(entry)
        kind = spec.pop("type", None)
        if kind not in BUILTIN_GATES:
            msg = (
                f"gate #{i} has type {kind!r}. "
                f"Hint: use one of {sorted(BUILTIN_GATES)}, or build custom gates in Python."
            )
            raise InvalidParameterError(msg)
        if spec.pop("optional", False):
            why = _unavailable(kind, spec, frames)
            if why is not None:
                if skipped is not None:
                    skipped.append((str(spec.get("name", kind)), why))
                continue
        for key in BUILTIN_GATES[kind]:
            if key in spec:
                spec[key] = _frame(spec[key], key, frames, base)
        if kind == "schema":
            target = spec.pop("schema", None)
            if not isinstance(target, str):
                msg = f"gate #{i} (schema) needs schema = 'module:Name'. Hint: add it."
                raise InvalidParameterError(msg)
            spec["schema"] = _import(target)
        if kind == "contamination" and "evaluation" not in spec:
            msg = f"gate #{i} (contamination) needs evaluation = '@eval' or a path. Hint: add it."
            raise InvalidParameterError(msg)
        if kind == "memorisation" and "real" not in spec:
            msg = f"gate #{i} (memorisation) needs real = '@real' or a path. Hint: add it."
            raise InvalidParameterError(msg)
        if kind == "exact_duplicates" and text is not None and "subset" not in spec:
            spec["subset"] = text
        if kind in _TEXT_GATES and text is not None:
            spec.setdefault("text", text)
        if kind == "expr" and "predicate" not in spec:
            msg = f"gate #{i} (expr) needs predicate = 'SQL condition'. Hint: add it."
            raise InvalidParameterError(msg)
        factory: Any = getattr(_row, kind, None) or getattr(_table, kind)
        try:
            if kind == "schema":
                out.append(factory(spec.pop("schema"), **spec))
            elif kind == "contamination":
                out.append(factory(spec.pop("evaluation"), **spec))
            elif kind == "memorisation":
                out.append(factory(spec.pop("real"), **spec))
            elif kind == "expr":
                out.append(factory(pl.sql_expr(spec.pop("predicate")), **spec))
            else:
                out.append(factory(**spec))
        except TypeError as exc:
            msg = f"gate #{i} ({kind}): {exc}. Hint: see docs/gates.md for its keys."
            raise InvalidParameterError(msg) from None
    return out
