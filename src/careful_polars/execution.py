"""Verifiable execution: run generated Python code against its tests, and check math answers.

:func:`run_code_cases` runs each row's code and tests in its own subprocess with limits. This is
containment for generated code that may be buggy or careless, NOT a security boundary against a
determined attacker. What each case gets:

- its own ``python -I -S`` process (isolated mode: no user site, no ``PYTHON*`` variables),
  started in a new session so a timeout kills the whole process group;
- a wall-time limit, and ``RLIMIT_CPU``, ``RLIMIT_AS`` (memory), ``RLIMIT_NPROC`` (forks; not
  enforced for root), ``RLIMIT_FSIZE`` and ``RLIMIT_NOFILE`` set before the code starts;
- a fresh temporary working directory, removed afterwards (the file system outside it is NOT
  hidden: a case can still write wherever the user running it can);
- a scrubbed environment (only ``PATH``, ``LANG`` and ``HOME`` = the temp directory);
- no network when ``unshare -n`` works here (checked once); otherwise only an audit hook that
  refuses ``socket.connect`` / ``socket.bind``, which is defence in depth, not a boundary.

:func:`answers_match` compares a final math answer with a reference exactly (fractions.Fraction),
parsing simple arithmetic with a small ``ast`` walker; it never calls ``eval``.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from typing import Any

import polars as pl

from careful_polars._utils import check_columns, check_new_columns, collect, parse_into_expr
from careful_polars.exceptions import InvalidParameterError

__all__ = ["answers_match", "final_answer", "parse_answer", "run_code_cases"]

#: Columns added by :func:`run_code_cases`.
RESULT_COLS = ("exec_passed", "exec_failing_test", "exec_stderr", "exec_seconds")
_STDERR_CHARS = 2000
_MAX_EXPONENT = 64

_GUARD = r"""
import sys
def _careful_hook(event, args):
    if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo"):
        raise PermissionError("network is disabled in careful_polars execution")
sys.addaudithook(_careful_hook)
del _careful_hook
"""

_RUNNER = r"""
import sys, traceback
_src = open("case.py", encoding="utf-8").read()
_ns = {"__name__": "__careful_case__"}
try:
    exec(compile(_src, "case.py", "exec"), _ns)
except BaseException:
    traceback.print_exc()
    print("__CAREFUL_FAIL__:<code>", file=sys.stderr)
    sys.exit(1)
_tests = open("tests.py", encoding="utf-8").read()
exec(compile(_tests, "tests.py", "exec"), _ns)
_names = sorted(k for k, v in _ns.items() if k.startswith("test") and callable(v))
for _n in _names:
    try:
        _ns[_n]()
    except BaseException:
        traceback.print_exc()
        print("__CAREFUL_FAIL__:" + _n, file=sys.stderr)
        sys.exit(1)
"""


@functools.lru_cache(maxsize=1)
def network_isolated() -> bool:
    """Return whether ``unshare -n`` works here (cases then run without a network)."""
    exe = shutil.which("unshare")
    if exe is None:
        return False
    try:
        done = subprocess.run([exe, "-n", "true"], capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _limits(cpu_s: int, memory_mb: int) -> Any:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))
        mem = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_NPROC, (32, 32))
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024 * 1024, 16 * 1024 * 1024))
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    return apply


def _run_one(
    code: str | None, tests: str | None, timeout_s: float, cpu_s: int, memory_mb: int
) -> tuple[bool, str | None, str, float]:
    if code is None:
        return False, "<code>", "code is null", 0.0
    work = tempfile.mkdtemp(prefix="careful-exec-")
    start = time.perf_counter()
    try:
        with open(os.path.join(work, "case.py"), "w", encoding="utf-8") as fh:
            fh.write(code)
        with open(os.path.join(work, "tests.py"), "w", encoding="utf-8") as fh:
            fh.write(tests or "")
        argv = [sys.executable, "-I", "-S", "-c", _GUARD + _RUNNER]
        if network_isolated():
            argv = [shutil.which("unshare") or "unshare", "-n", *argv]
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": work}
        proc = subprocess.Popen(
            argv, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True,
            preexec_fn=_limits(cpu_s, memory_mb),
        )  # fmt: skip
        try:
            _, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.communicate()
            return False, None, f"timed out after {timeout_s} s", time.perf_counter() - start
        _kill_group(proc.pid)  # leftovers a case may have forked
        text = err.decode("utf-8", "replace")
        failing = None
        for line in text.splitlines():
            if line.startswith("__CAREFUL_FAIL__:"):
                failing = line.split(":", 1)[1]
        passed = proc.returncode == 0
        if not passed and failing is None:
            failing = "<process>"
            text += f"\nexit status {proc.returncode}"
        excerpt = text.replace(f"__CAREFUL_FAIL__:{failing}", "").strip()[-_STDERR_CHARS:]
        return passed, failing, excerpt, time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _kill_group(pid: int) -> None:
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_code_cases(
    df: pl.DataFrame | pl.LazyFrame,
    *,
    code: str = "code",
    tests: str = "tests",
    timeout_s: float = 10.0,
    cpu_s: int = 10,
    memory_mb: int = 512,
    workers: int = 2,
    overwrite: bool = False,
) -> pl.DataFrame:
    r"""Run each row's Python ``code`` then its ``tests`` (functions named ``test*``) in a sandbox.

    Parameters
    ----------
    df
        One row per case (a LazyFrame is collected: the cases run now).
    code, tests
        String columns with the code and the test functions.
    timeout_s
        Wall-time limit per case; the case's process group is killed when it is exceeded.
    cpu_s, memory_mb
        CPU-seconds and address-space limits per case.
    workers
        Cases run at once (threads waiting on subprocesses).
    overwrite
        Replace existing result columns.

    Returns
    -------
    pl.DataFrame
        ``df`` plus ``exec_passed`` (bool), ``exec_failing_test`` (the first failing test,
        ``<code>`` when the code itself failed, ``<process>`` when the process died, null on a
        timeout or a pass), ``exec_stderr`` (last 2000 characters) and ``exec_seconds``.
        See the module notes for what is and is not isolated.

    Examples
    --------
    >>> import polars as pl
    >>> from careful_polars.execution import run_code_cases
    >>> df = pl.DataFrame({"code": ["f = lambda x: x + 1"], "tests": ["def test_f(): assert f(1) == 2"]})
    >>> run_code_cases(df)["exec_passed"].to_list()
    [True]
    """
    for label, value in (("timeout_s", timeout_s), ("cpu_s", cpu_s), ("memory_mb", memory_mb),
                         ("workers", workers)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            msg = f"{label}={value!r} is not a positive number. Hint: e.g. {label}=10."
            raise InvalidParameterError(msg)
    check_columns(df, [code, tests])
    check_new_columns(df, RESULT_COLS, overwrite=overwrite)
    frame = collect(df)
    pairs = zip(frame[code].to_list(), frame[tests].to_list(), strict=False)
    with ThreadPoolExecutor(max_workers=int(workers)) as pool:
        results = list(
            pool.map(lambda p: _run_one(p[0], p[1], timeout_s, int(cpu_s), int(memory_mb)), pairs)
        )
    return frame.with_columns(
        pl.Series(RESULT_COLS[0], [r[0] for r in results], dtype=pl.Boolean),
        pl.Series(RESULT_COLS[1], [r[1] for r in results], dtype=pl.String),
        pl.Series(RESULT_COLS[2], [r[2] for r in results], dtype=pl.String),
        pl.Series(RESULT_COLS[3], [r[3] for r in results], dtype=pl.Float64),
    )


# --- math answers ---------------------------------------------------------------------------


def final_answer(expr: pl.Expr | str) -> pl.Expr:
    r"""Return the final answer of a solution: the last ``\boxed{...}``, else the last number."""
    col = parse_into_expr(expr)
    boxed = col.str.extract_all(r"\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}").list.last()
    boxed = boxed.str.replace(r"^\\boxed\{", "").str.replace(r"\}$", "")
    number = col.str.extract_all(r"-?\d+(?:\.\d+)?(?:/\d+)?").list.last()
    return pl.coalesce(boxed, number).str.strip_chars()


def _value(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Expression):
        return _value(node.body)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Fraction(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _value(node.operand)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        a, b = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            return a / b
        if isinstance(node.op, ast.Pow) and b.denominator == 1 and abs(b) <= _MAX_EXPONENT:
            return a ** int(b)
    raise ValueError("unsupported")


def parse_answer(value: str | None) -> Fraction | None:
    r"""Parse ``3/4``, ``-0.5``, ``\frac{a}{b}``, ``2+3*4`` exactly (None when it cannot)."""
    if value is None:
        return None
    s = value.strip().strip("$").replace(",", "").replace("\\left", "").replace("\\right", "")
    s = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", s)
    s = s.replace("\\cdot", "*").replace("\\times", "*").replace("^", "**").replace("{", "(")
    s = s.replace("}", ")")
    if len(s) > 200:
        return None
    try:
        return _value(ast.parse(s, mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, RecursionError):
        return None


def answers_match(expr: pl.Expr | str, reference: pl.Expr | str) -> pl.Expr:
    r"""Return whether the final answer of ``expr`` equals ``reference`` exactly (null: unparsable).

    Examples
    --------
    >>> import polars as pl
    >>> from careful_polars.execution import answers_match
    >>> df = pl.DataFrame({"text": ["so \\boxed{\\frac{3}{4}}", "it is 7"], "ref": ["0.75", "8"]})
    >>> df.select(answers_match("text", "ref")).to_series().to_list()
    [True, False]
    """
    ref = parse_into_expr(reference)

    def compare(s: pl.Series) -> pl.Series:
        # parse each distinct answer once (answers and references repeat), compare canonical forms
        got, want = s.struct.field("a"), s.struct.field("b")
        distinct = pl.concat([got, want]).drop_nulls().unique()
        canon = [None if (v := parse_answer(x)) is None else f"{v.numerator}/{v.denominator}"
                 for x in distinct.to_list()]  # fmt: skip
        lookup = pl.Series(canon, dtype=pl.String)
        a = got.replace_strict(distinct, lookup, default=None, return_dtype=pl.String)
        b = want.replace_strict(distinct, lookup, default=None, return_dtype=pl.String)
        match: pl.Series = a.eq(b)
        return match

    pair = pl.struct(final_answer(expr).alias("a"), ref.cast(pl.String).alias("b"))
    return pair.map_batches(compare, return_dtype=pl.Boolean, is_elementwise=True)
