from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl

import careful_polars as cp

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    ).stdout


def test_import_alone_registers_all_namespaces() -> None:
    out = _run(
        """
        import polars as pl
        import careful_polars
        df = pl.DataFrame({"a": [1]})
        print(all(hasattr(x, "careful") for x in (df, df.lazy(), df["a"], pl.col("a"))))
        """
    )
    assert out.strip() == "True"


def test_import_compiles_nothing() -> None:
    out = _run(
        """
        import sys
        import careful_polars
        loaded = [m for m in sys.modules if m.startswith("careful_polars._kernels.")]
        compiled = []
        for name in loaded:
            for obj in vars(sys.modules[name]).values():
                if hasattr(obj, "signatures") and obj.signatures:
                    compiled.append(name + "." + obj.__name__)
        print(compiled)
        """
    )
    assert out.strip() == "[]"


def test_import_loads_no_heavy_dependency() -> None:
    # The compiler and the statistics/validation libraries load on first use, not on import.
    out = _run(
        """
        import sys
        import polars as pl
        import careful_polars
        heavy = {"numba", "llvmlite", "scipy", "sklearn", "pandera"}
        print(sorted({m.split(".")[0] for m in sys.modules} & heavy))
        print(hasattr(pl.DataFrame({"a": [1]}), "careful"))
        """
    )
    assert out.split() == ["[]", "True"]


def test_public_api_and_errors() -> None:
    assert cp.dedup is cp.hashing.dedup
    assert issubclass(cp.ColumnNotFoundError, KeyError)
    assert issubclass(cp.ColumnNotFoundError, cp.CarefulError)
    assert issubclass(cp.DtypeNotSupportedError, TypeError)
    assert issubclass(cp.InvalidParameterError, ValueError)
    assert (Path(cp.__file__).parent / "py.typed").exists()


def test_readme_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in readme and "<!-- main-command -->" in readme
    assert "test-command" in ci
    commands = [line for line in readme.splitlines() if line.startswith("python -m pip install")]
    assert commands == [
        "python -m pip install . && careful audit",
        'python -m pip install -e ".[dev]" && python -m pytest',
    ]


def test_series_namespace_keeps_name() -> None:
    s = pl.Series("t", ["a"])
    assert s.careful.content_hash().name == "t"
