"""The public contract: namespaces match their functions, modules are modules, one vocabulary.

These tests read the public surface itself, so a new function or method that breaks a rule of
docs/conventions.md fails here.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import careful_polars as cp
from careful_polars import _namespaces

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_MODULES = sorted(
    m.name
    for m in pkgutil.iter_modules(cp.__path__)
    if not m.name.startswith("_") and m.name != "cli"
)
NAMESPACES = {
    "DataFrame": _namespaces.CarefulFrame,
    "LazyFrame": _namespaces.CarefulLazyFrame,
    "Expr": _namespaces.CarefulExpr,
    "Series": _namespaces.CarefulSeries,
}


def _public_functions() -> list[tuple[str, str, Any]]:
    out = []
    for mod_name in PUBLIC_MODULES:
        mod = importlib.import_module(f"careful_polars.{mod_name}")
        exported = getattr(mod, "__all__", None)
        for name, obj in vars(mod).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if exported is not None and name not in exported:
                continue
            if obj.__module__ != mod.__name__:
                continue
            out.append((mod_name, name, obj))
    return out


def _function_for(method: str) -> Any:
    target = getattr(cp, method, None)
    if target is None:
        for mod_name in PUBLIC_MODULES:
            mod = importlib.import_module(f"careful_polars.{mod_name}")
            if inspect.isfunction(getattr(mod, method, None)):
                return getattr(mod, method)
    return target


def _methods(cls: type) -> list[str]:
    return [n for n, v in vars(cls).items() if inspect.isfunction(v) and not n.startswith("_")]


@pytest.mark.parametrize(
    ("kind", "method"),
    [
        (k, m)
        for k, cls in NAMESPACES.items()
        for m in _methods(cls.__mro__[1] if k.endswith("Frame") else cls)
    ],
)
def test_namespace_method_matches_its_function(kind: str, method: str) -> None:
    cls = NAMESPACES[kind]
    bound = inspect.signature(getattr(cls, method))
    fn = _function_for(method)
    assert fn is not None, f"{kind}.careful.{method} has no public function of that name"
    expected = list(inspect.signature(fn).parameters.values())
    if expected and expected[0].kind != inspect.Parameter.VAR_POSITIONAL:
        expected = expected[1:]  # the leading data argument is the namespace's own object
    got = list(bound.parameters.values())[1:]  # drop self
    assert [(p.name, p.kind, p.default, p.annotation) for p in got] == [
        (p.name, p.kind, p.default, p.annotation) for p in expected
    ], f"{kind}.careful.{method} differs from {fn.__module__}.{fn.__name__}"
    if kind in ("DataFrame", "LazyFrame", "Expr"):
        assert bound.return_annotation == inspect.signature(fn).return_annotation


def test_every_frame_function_has_a_method() -> None:
    methods = set(_methods(_namespaces._FrameNamespace))
    frame_first = set()
    for _, name, fn in _public_functions():
        params = list(inspect.signature(fn).parameters.values())
        if params and name in cp.__all__:
            annotation = str(params[0].annotation)
            if annotation.startswith(("pl.DataFrame", "FrameT")):
                frame_first.add(name)
    missing = sorted(frame_first - methods)
    assert not missing, f"functions without a .careful method: {missing}"


def test_namespaces_registered_by_import_alone() -> None:
    assert isinstance(pl.DataFrame({"a": [1]}).careful, _namespaces.CarefulFrame)
    assert isinstance(pl.LazyFrame({"a": [1]}).careful, _namespaces.CarefulLazyFrame)
    assert isinstance(pl.col("a").careful, _namespaces.CarefulExpr)
    assert isinstance(pl.Series([1]).careful, _namespaces.CarefulSeries)


def test_generated_namespaces_are_up_to_date() -> None:
    import importlib.util
    import subprocess
    import sys

    spec = importlib.util.spec_from_file_location(
        "gen_namespaces", ROOT / "tools" / "gen_namespaces.py"
    )
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules["gen_namespaces"] = gen
    try:
        spec.loader.exec_module(gen)
    finally:
        del sys.modules["gen_namespaces"]
    rendered = gen.render()
    # the generator formats with ruff; compare after formatting the same way
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", "_namespaces.py", "-"],
        input=rendered,
        capture_output=True,
        text=True,
        check=False,
    )
    if fmt.returncode != 0:
        pytest.skip("ruff is not available to format the generated module")
    fixed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "I", "--fix", "-q",
         "--stdin-filename", "_namespaces.py", "-"],
        input=fmt.stdout,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    refmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", "_namespaces.py", "-"],
        input=fixed.stdout or fmt.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    current = (ROOT / "src" / "careful_polars" / "_namespaces.py").read_text()
    assert refmt.stdout == current, "run: python tools/gen_namespaces.py"


# --- modules are modules ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_module_attribute_is_the_module(name: str) -> None:
    module = importlib.import_module(f"careful_polars.{name}")
    assert getattr(cp, name) is module, f"careful_polars.{name} is not the module"


def test_no_top_level_function_named_like_a_submodule() -> None:
    clash = [n for n in cp.__all__ if n in PUBLIC_MODULES and not inspect.ismodule(getattr(cp, n))]
    assert not clash


_DOTTED = re.compile(r"careful_polars(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def _dotted_references() -> list[tuple[str, str]]:
    refs: set[tuple[str, str]] = set()
    for path in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        for ref in _DOTTED.findall(path.read_text()):
            refs.add((path.name, ref))
    for mod_name, name, fn in _public_functions():
        for ref in _DOTTED.findall(inspect.getdoc(fn) or ""):
            refs.add((f"{mod_name}.{name}", ref))
    return sorted(refs)


def _resolve(ref: str) -> object:
    parts = ref.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(ref)


@pytest.mark.parametrize(("where", "ref"), _dotted_references())
def test_dotted_reference_resolves(where: str, ref: str) -> None:
    ref = ref.rstrip(".")
    if (
        ref.endswith(("_py", ".py", ".md", ".json", ".toml"))
        or ".data." in ref
        or ref.endswith(".data")
    ):
        pytest.skip("a file name, not an object")
    try:
        _resolve(ref)
    except (ImportError, AttributeError) as exc:  # pragma: no cover - the failure message
        pytest.fail(f"{where} names {ref}, which does not resolve ({exc})")


# --- one vocabulary --------------------------------------------------------------------------

_BUILTINS = set(dir(builtins))
#: old or ambiguous names the conventions replaced, with the word to use instead
_RETIRED = {
    "eval": "evaluation",
    "on": "text",
    "content": "subset",
    "near_duplicate_on": "text",
    "frame": "df",
    "real_column": "real_text",
    "real_id": "real_key",
}


def _parameters() -> list[tuple[str, str]]:
    out = []
    for mod_name, name, fn in _public_functions():
        for p in inspect.signature(fn).parameters.values():
            out.append((f"{mod_name}.{name}", p.name))
    return out


@pytest.mark.parametrize(("where", "param"), _parameters())
def test_no_public_parameter_shadows_a_builtin_or_uses_a_retired_name(
    where: str, param: str
) -> None:
    assert param not in _BUILTINS, f"{where}({param}=...) shadows a builtin"
    assert param not in _RETIRED, f"{where}({param}=...): use {_RETIRED[param]!r}"
    assert not param.startswith("_"), f"{where} shows a private parameter {param!r}"


def _data_names() -> set[str]:
    return {"df", "expr", "exprs", "real", "synthetic", "reference", "current", "train",
            "evaluation", "old", "new", "path", "source", "columns", "series", "texts",
            "signatures", "threshold", "bands", "rows", "prompt", "predicate", "label",
            "against", "schema", "function", "gates", "judges", "n", "data_path", "value",
            "max_synthetic_ratio", "templates", "reason", "replacement", "kinds"}  # fmt: skip


_SELECTORS = {"subset", "text", "columns", "by", "features", "embedding"}


@pytest.mark.parametrize(
    ("where", "fn"), [(f"{m}.{n}", f) for m, n, f in _public_functions()], ids=lambda v: str(v)
)
def test_only_data_and_one_selector_are_positional(where: str, fn: Any) -> None:
    positional = [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    extra = [p for p in positional if p not in _data_names() and p not in _SELECTORS]
    selectors = [p for p in positional if p in _SELECTORS]
    assert not extra, f"{where}: make {extra} keyword-only"
    assert len(selectors) <= 1, f"{where}: only one column selector may be positional"


def test_two_frame_functions_put_the_anchor_first() -> None:
    order = [("real", "synthetic"), ("reference", "current"), ("train", "evaluation")]
    for mod_name, name, fn in _public_functions():
        names = list(inspect.signature(fn).parameters)
        for first, second in order:
            if first in names and second in names:
                assert names.index(first) < names.index(second), f"{mod_name}.{name}"


def test_default_seeds_are_zero() -> None:
    for mod_name, name, fn in _public_functions():
        p = inspect.signature(fn).parameters.get("seed")
        if p is not None and p.default is not inspect.Parameter.empty:
            assert p.default == 0, f"{mod_name}.{name}(seed={p.default})"


# --- marking functions never overwrite silently; gates check when built ----------------------

_TEXTS = ["the quick brown fox jumps over the lazy dog", "the quick brown fox jumps over the lazy dog",
          "a completely different sentence about billing", None]  # fmt: skip


@pytest.mark.parametrize("lazy", [False, True])
def test_mark_duplicates_then_near_duplicates_refuses_to_overwrite_dup_of(lazy: bool) -> None:
    df = pl.DataFrame({"text": _TEXTS})
    marked = cp.mark_duplicates(df.lazy() if lazy else df, "text")
    with pytest.raises(cp.ColumnExistsError, match=r"dup_of.*Hint"):
        cp.mark_near_duplicates(marked, "text", ngram=2)
    out = cp.mark_near_duplicates(marked, "text", ngram=2, overwrite=True)
    out = out.collect() if isinstance(out, pl.LazyFrame) else out
    # brute force: rows 0 and 1 are identical, so the near-duplicate dup_of of row 1 is row 0's id
    assert out["dup_of"].to_list()[1] == out["example_id"].to_list()[0]
    assert out["dup_group"].dtype == out["cluster_id"].dtype == pl.Int64


def test_split_forms_leave_user_columns_alone() -> None:
    df = pl.DataFrame({"text": _TEXTS, "dup_of": ["mine"] * 4, "contaminated": [7, 8, 9, 10]})
    kept, rejected = cp.split_near_duplicates(df, "text", ngram=2)
    assert pl.concat([kept, rejected.select(df.columns)]).sort("contaminated").equals(df)
    train = pl.DataFrame({"text": [_TEXTS[0]]})
    kept, rejected = cp.split_contaminated(train, df, "text")
    assert rejected["contaminated"].to_list() == [7, 8]
    assert pl.concat([kept, rejected.select(df.columns)]).sort("contaminated").equals(df)


@pytest.mark.parametrize(
    ("call", "column"),
    [
        (lambda df: cp.copied_from(df, df, "text"), "copied_from"),
        (lambda df: cp.echoed_identifiers(df, df), "echoed_identifiers"),
        (lambda df: cp.mark_contaminated(df, df), "contaminated"),
    ],
)
def test_marking_functions_refuse_existing_output_column(call: Any, column: str) -> None:
    df = pl.DataFrame({"text": _TEXTS[:3], column: [1, 2, 3]})
    with pytest.raises(cp.ColumnExistsError, match=column):
        call(df)


def test_gates_reject_bad_settings_when_built() -> None:
    from careful_polars import gates as g

    with pytest.raises(cp.InvalidParameterError, match="keep"):
        g.near_duplicates(keep="last")  # type: ignore[arg-type]
    with pytest.raises(cp.InvalidParameterError, match="min_length"):
        g.length(min_length=5, max_length=2)
    df = pl.DataFrame({"text": ["short", "a much longer text here", "a much longer text here!"]})
    result = cp.run_gates(df, [g.near_duplicates(keep="longest", ngram=2)])
    # brute force: rows 1 and 2 share every 2-word shingle; the longer one is kept
    assert result.kept["text"].to_list() == ["short", "a much longer text here!"]
