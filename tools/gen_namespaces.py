"""Write ``src/careful_polars/_namespaces.py`` from the public functions' own signatures.

The ``.careful`` methods are written out in full (so IDEs complete them and type checkers see
them), but by hand they drift from the functions they delegate to. This script copies every
parameter's annotation and default, as source text, from the function's definition, so the
method and the function cannot disagree; ``tests/test_namespaces.py`` checks the result.

Run after adding or changing a public function that has a ``.careful`` method::

    python tools/gen_namespaces.py && ruff format src/careful_polars/_namespaces.py
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "careful_polars"
OUT = PKG / "_namespaces.py"

#: (module, function) pairs on DataFrame.careful and LazyFrame.careful, in the order shown.
FRAME_METHODS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "exact duplicates",
        [("hashing", f) for f in ("mark_duplicates", "dedup", "split_duplicates")],
    ),
    (
        "near-duplicates and contamination",
        [
            ("neardup", "mark_near_duplicates"),
            ("neardup", "near_dedup"),
            ("neardup", "split_near_duplicates"),
            ("neardup", "near_duplicate_pairs"),
            ("contamination", "contamination_report"),
            ("contamination", "mark_contaminated"),
            ("contamination", "split_contaminated"),
        ],
    ),
    (
        "semantic duplicates",
        [
            ("semantic", "mark_semantic_duplicates"),
            ("semantic", "semantic_dedup"),
            ("semantic", "split_semantic_duplicates"),
            ("semantic", "semantic_duplicate_pairs"),
        ],
    ),
    (
        "drift and realism",
        [
            ("drift", "drift_report"),
            ("drift", "profile"),
            ("drift", "text_drift"),
            ("realism", "detection_auc"),
            ("realism", "copied_from"),
            ("realism", "split_copied"),
            ("realism", "distance_to_closest_record"),
        ],
    ),
    (
        "sampling and mixing",
        [
            ("sampling", "stratified_sample"),
            ("sampling", "stratified_allocation"),
            ("sampling", "mix"),
            ("sampling", "ratio_report"),
        ],
    ),
    (
        "lineage and manifests",
        [
            ("lineage", "validate_lineage"),
            ("lineage", "tag_synthetic"),
            ("lineage", "tag_real"),
            ("lineage", "guard_training"),
            ("lineage", "leak_report"),
            ("lineage", "mark_leaks"),
            ("lineage", "split_leaks"),
            ("manifest", "build_manifest"),
            ("manifest", "fingerprint"),
            ("manifest", "diff"),
            ("manifest", "write_dataset"),
        ],
    ),
    (
        "gates, PII, memorisation and judges",
        [
            ("gates", "run_gates"),
            ("pii", "echoed_identifiers"),
            ("memorisation", "memorised_spans"),
            ("judges", "judge_agreement"),
            ("judges", "mark_disagreement"),
            ("judges", "calibration_sample"),
        ],
    ),
]

#: (module, function) pairs on Expr.careful and Series.careful.
EXPR_METHODS: list[tuple[str, list[tuple[str, str]]]] = [
    ("hashing and text", [("hashing", "content_hash"), ("text", "normalize_text")]),
    ("near-duplicates", [("neardup", "minhash")]),
    ("PII", [("pii", "find_pii"), ("pii", "has_pii"), ("pii", "redact_pii")]),
]


@dataclass
class Param:
    """One parameter of a function, as source text."""

    name: str
    kind: str  # "pos", "kw", "var"
    annotation: str | None
    default: str | None


@dataclass
class Function:
    """A public function: its parameters, return annotation and first docstring line."""

    module: str
    name: str
    params: list[Param]
    returns: str
    summary: str
    names: set[str]


def _source(path: Path) -> tuple[str, ast.Module]:
    text = path.read_text()
    return text, ast.parse(text)


def _names_in(expr: ast.expr | None) -> set[str]:
    if expr is None:
        return set()
    return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}


def _defining(module: str, name: str) -> str:
    """The module (relative to the package) whose source defines ``module.name``.

    A public module may be a package (``gates``) that re-exports from private submodules.
    """
    if (PKG / f"{module}.py").exists():
        tree = ast.parse((PKG / f"{module}.py").read_text())
        if any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body):
            return module
        for n in tree.body:  # a public module re-exporting from an internal one
            if isinstance(n, ast.ImportFrom) and any(a.name == name for a in n.names):
                return str(n.module).removeprefix("careful_polars.")
        return module
    for path in sorted((PKG / module).glob("*.py")):
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body):
            return f"{module}.{path.stem}"
    raise SystemExit(f"no definition of {module}.{name}")


def _file(module: str) -> Path:
    return PKG / (module.replace(".", "/") + ".py")


def _function(module: str, name: str) -> Function:
    text, tree = _source(_file(_defining(module, name)))
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    seg = lambda e: None if e is None else ast.get_source_segment(text, e)  # noqa: E731
    args = node.args
    params: list[Param] = []
    names: set[str] = set()
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for a, d in zip(positional, defaults, strict=True):
        params.append(Param(a.arg, "pos", seg(a.annotation), seg(d)))
        names |= _names_in(a.annotation)
    if args.vararg is not None:
        params.append(Param(args.vararg.arg, "var", seg(args.vararg.annotation), None))
        names |= _names_in(args.vararg.annotation)
    for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(Param(a.arg, "kw", seg(a.annotation), seg(d)))
        names |= _names_in(a.annotation) | _names_in(d)
    for d in args.defaults:
        names |= _names_in(d)
    names |= _names_in(node.returns)
    doc = ast.get_docstring(node) or name
    summary = doc.strip().splitlines()[0]
    return Function(module, name, params, seg(node.returns) or "None", summary, names)


def _origins(module: str) -> dict[str, str]:
    """Where each top-level name of ``module`` comes from (``module`` for its own).

    Names a public package re-exports from its private submodules are spelled from the package.
    """
    out = _raw_origins(module)
    for key, origin in out.items():
        where, _, attr = origin.partition(":")
        package, _, sub = where.removeprefix("careful_polars.").rpartition(".")
        public = attr and package and sub.startswith("_")
        if public and (PKG / package / "__init__.py").exists():
            exported = _raw_origins(f"{package}.__init__")
            out[key] = f"careful_polars.{package}:{attr}" if attr in exported else origin
    return out


def _raw_origins(module: str) -> dict[str, str]:
    _, tree = _source(_file(module))
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                out.setdefault(alias.asname or alias.name, f"{node.module}:{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                spelled = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
                out.setdefault(alias.asname or alias.name, spelled)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out[node.name] = f"careful_polars.{module}:{node.name}"
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out[t.id] = f"careful_polars.{module}:{t.id}"
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = f"careful_polars.{module}:{node.target.id}"
    return out


_BUILTIN = {"str", "int", "float", "bool", "None", "bytes", "dict", "list", "tuple", "type",
            "object", "set", "pl", "np"}  # fmt: skip


def _signature(params: list[Param], skip_first: bool) -> str:
    # a leading ``*exprs`` stays: the method's own expression is the first of them
    ps = params[1:] if skip_first and params[0].kind != "var" else params
    out = ["self"]
    saw_kw = False
    for p in ps:
        if p.kind == "var":
            out.append(f"*{p.name}: {p.annotation}" if p.annotation else f"*{p.name}")
            saw_kw = True
            continue
        if p.kind == "kw" and not saw_kw:
            out.append("*")
            saw_kw = True
        piece = p.name + (f": {p.annotation}" if p.annotation else "")
        if p.default is not None:
            piece += f" = {p.default}" if p.annotation else f"={p.default}"
        out.append(piece)
    return ", ".join(out)


def _call(fn: Function, first: str) -> str:
    args = [first]
    for p in fn.params if fn.params[0].kind == "var" else fn.params[1:]:
        if p.kind == "var":
            args.append(f"*{p.name}")
        elif p.kind == "pos":
            args.append(p.name)
        else:
            args.append(f"{p.name}={p.name}")
    return f"_m.{fn.name}({', '.join(args)})"


def _method(fn: Function, first: str, *, series: bool = False) -> str:
    ret = "pl.Series" if series else fn.returns
    call = _call(fn, first)
    body = f"self._run({call})" if series else call
    return (
        f"    def {fn.name}({_signature(fn.params, True)}) -> {ret}:\n"
        f'        """{fn.summary.rstrip(".")}; see :func:`careful_polars.{fn.module}.{fn.name}`."""\n'
        f"        from careful_polars import {fn.module} as _m\n\n"
        f"        return {body}\n"
    )


def _imports(functions: list[Function]) -> list[str]:
    wanted: dict[str, set[str]] = {}
    plain: set[str] = set()
    for fn in functions:
        origins = _origins(_defining(fn.module, fn.name))
        for name in sorted(fn.names - _BUILTIN - {"FrameT"}):
            origin = origins.get(name)
            if origin is None:
                continue
            if origin.startswith("import "):
                plain.add(origin)
                continue
            mod, attr = origin.split(":")
            if mod.startswith("."):
                continue
            wanted.setdefault(mod, set()).add(attr if attr == name else f"{attr} as {name}")
    lines = sorted(plain)
    for mod in sorted(wanted):
        lines.append(f"from {mod} import {', '.join(sorted(wanted[mod]))}")
    return lines


def _sections(
    groups: list[tuple[str, list[Function]]], first: str, *, series: bool = False
) -> list[str]:
    """The methods of one namespace class, a comment line before each group."""
    out = []
    for title, fns in groups:
        out.append(f"\n    # --- {title} " + "-" * max(3, 86 - len(title)) + "\n")
        out.extend("\n" + _method(fn, first, series=series) for fn in fns)
    return out


def render() -> str:
    """Return the source of _namespaces.py."""
    frame_fns = [(t, [_function(m, f) for m, f in fs]) for t, fs in FRAME_METHODS]
    expr_fns = [(t, [_function(m, f) for m, f in fs]) for t, fs in EXPR_METHODS]
    every = [fn for _, fs in frame_fns + expr_fns for fn in fs]
    imports = [
        i for i in _imports(every) if i not in ("import polars", "from typing import Generic")
    ]
    header = f'''"""The ``.careful`` namespaces on DataFrame, LazyFrame, Series and Expr.

Generated by ``tools/gen_namespaces.py`` from the functions' own signatures: do not edit by
hand. Each method is a one-line delegation to a public function; the logic lives in exactly one
place, the capability module (imported on first call, so ``import careful_polars`` stays
cheap). Series methods run the Expr function. Importing ``careful_polars`` registers all four
namespaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic

import polars as pl

from careful_polars._typing import FrameT

if TYPE_CHECKING:
{chr(10).join("    " + i for i in imports)}

__all__ = ["CarefulExpr", "CarefulFrame", "CarefulLazyFrame", "CarefulSeries"]


class _FrameNamespace(Generic[FrameT]):
    """Methods shared by ``DataFrame.careful`` and ``LazyFrame.careful``."""

    def __init__(self, frame: FrameT) -> None:
        self._frame: FrameT = frame
'''
    parts = [header]
    parts += _sections(frame_fns, "self._frame")
    parts.append('''

@pl.api.register_dataframe_namespace("careful")
class CarefulFrame(_FrameNamespace[pl.DataFrame]):
    """``DataFrame.careful``: careful_polars operations on an eager frame."""


@pl.api.register_lazyframe_namespace("careful")
class CarefulLazyFrame(_FrameNamespace[pl.LazyFrame]):
    """``LazyFrame.careful``: careful_polars operations on a lazy frame."""


@pl.api.register_expr_namespace("careful")
class CarefulExpr:
    """``Expr.careful``: per-row careful_polars expressions."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr
''')
    parts += _sections(expr_fns, "self._expr")
    parts.append('''

@pl.api.register_series_namespace("careful")
class CarefulSeries:
    """``Series.careful``: the Expr methods evaluated on a Series."""

    def __init__(self, series: pl.Series) -> None:
        self._series = series

    @property
    def _col(self) -> pl.Expr:
        return pl.col(self._series.name)

    def _run(self, expr: pl.Expr) -> pl.Series:
        return self._series.to_frame().select(expr).to_series()
''')
    parts += _sections(expr_fns, "self._col", series=True)
    return "".join(parts)


if __name__ == "__main__":
    import subprocess

    OUT.write_text(render())
    subprocess.run(["ruff", "check", "--fix", "--select", "I", "-q", str(OUT)], check=False)
    subprocess.run(["ruff", "format", "-q", str(OUT)], check=True)
    print(f"wrote {OUT.relative_to(ROOT)}")
