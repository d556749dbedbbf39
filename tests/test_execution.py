"""Hostile and ordinary cases for careful_polars.execution; math answers against Fraction."""

from __future__ import annotations

import socket
import threading
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

from careful_polars.exceptions import ColumnExistsError, InvalidParameterError
from careful_polars.execution import answers_match, network_isolated, parse_answer, run_code_cases

FAST = {"timeout_s": 3.0, "cpu_s": 3, "memory_mb": 256, "workers": 2}


def _run(code: str, tests: str = "") -> dict[str, object]:
    out = run_code_cases(pl.DataFrame({"code": [code], "tests": [tests]}), **FAST)
    return out.row(0, named=True)


def test_pass_and_named_failing_test() -> None:
    df = pl.DataFrame(
        {
            "code": ["def f(x):\n    return x * 2", "def f(x):\n    return x", "raise SystemError"],
            "tests": ["def test_a():\n    assert f(2) == 4",
                      "def test_a():\n    assert f(1) == 1\ndef test_b():\n    assert f(2) == 4",
                      ""],
        }
    )  # fmt: skip
    out = run_code_cases(df, **FAST)
    assert out["exec_passed"].to_list() == [True, False, False]
    assert out["exec_failing_test"].to_list() == [None, "test_b", "<code>"]
    assert "AssertionError" in out["exec_stderr"][1]


def test_infinite_loop_is_killed() -> None:
    row = _run("while True:\n    pass")
    assert row["exec_passed"] is False
    assert row["exec_seconds"] < 10


def test_memory_hog_is_contained() -> None:
    row = _run("x = bytearray(2 * 1024**3)")
    assert row["exec_passed"] is False
    assert "MemoryError" in str(row["exec_stderr"])


def test_secret_env_is_not_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREFUL_TEST_SECRET", "hunter2")
    row = _run("import os\nassert 'CAREFUL_TEST_SECRET' not in os.environ")
    assert row["exec_passed"] is True


def test_working_directory_is_fresh_and_removed(tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("untouched")
    row = _run("import os\nopen('out.txt', 'w').write('x')\nprint(os.getcwd())\n"
               "assert os.listdir('.') == sorted(os.listdir('.'))")  # fmt: skip
    assert row["exec_passed"] is True
    assert sentinel.read_text() == "untouched"  # the case never learns this path


def test_socket_to_local_listener_gets_no_connection() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(4)
    port = server.getsockname()[1]
    arrived: list[bool] = []

    def accept() -> None:
        try:
            server.accept()
            arrived.append(True)
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    row = _run(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)")
    server.close()
    thread.join()
    assert row["exec_passed"] is False
    assert not arrived, f"connection arrived (network_isolated={network_isolated()})"


def test_bad_settings_raise_before_work() -> None:
    df = pl.DataFrame({"code": ["x"], "tests": [""]})
    with pytest.raises(InvalidParameterError, match="timeout_s"):
        run_code_cases(df, timeout_s=0)
    with pytest.raises(ColumnExistsError):
        run_code_cases(df.with_columns(exec_passed=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3/4", Fraction(3, 4)), ("-0.5", Fraction(-1, 2)), ("\\frac{3}{4}", Fraction(3, 4)),
     ("2+3*4", Fraction(14)), ("2^10", Fraction(1024)), ("-7", Fraction(-7)),
     ("2**100000", None), ("__import__('os')", None), ("1/0", None)],
)  # fmt: skip
def test_parse_answer_against_fraction(text: str, expected: Fraction | None) -> None:
    assert parse_answer(text) == expected


def test_answers_match_boxed_and_last_number() -> None:
    df = pl.DataFrame(
        {
            "text": ["thus \\boxed{\\frac{1}{2}}", "first 3 then 14", "answer: -2", "no number"],
            "ref": ["0.5", "2+3*4", "-2", "1"],
        }
    )
    got = df.select(answers_match("text", "ref")).to_series().to_list()
    assert got == [True, True, True, None]
