from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from careful_polars.cli import main
from careful_polars.cli.audit import AuditContext

DATA = pl.DataFrame(
    {
        "id": range(6),
        "text": ["a fine ticket text", "hi", "mail ann@example.com now please",
                 "a fine ticket text", "the app crashes on login every single time today", "ok?"],
        "priority": [1, 2, 3, 4, 9, 1],
    }
)  # fmt: skip
CONFIG = """
text = "text"

[[gate]]
type = "length"
min_length = 5

[[gate]]
type = "exact_duplicates"

[[gate]]
type = "pii"
real = "@real"
max_rejected = 5

[[gate]]
type = "expr"
predicate = "priority <= 4"
reason = "priority out of range"
name = "priority"

[[gate]]
type = "contamination"
evaluation = "@eval"
optional = true
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    data, config, real = tmp_path / "in.parquet", tmp_path / "gates.toml", tmp_path / "real.csv"
    DATA.write_parquet(data)
    config.write_text(CONFIG)
    pl.DataFrame({"text": ["I am ann@example.com"]}).write_csv(real)
    return data, config, real


def test_gate_command(
    files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, config, real = files
    out = tmp_path / "out"
    code = main(
        ["gate", str(data), "--config", str(config), "--out", str(out), "--real", str(real)]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "6 rows in, 1 kept, 5 rejected" in captured.out
    assert "skipped contamination" in captured.out
    assert "[4/4] priority" in captured.err  # progress
    kept, rejected = (
        pl.read_parquet(out / "kept.parquet"),
        pl.read_parquet(out / "rejected.parquet"),
    )
    assert kept["id"].to_list() == [0]
    assert sorted(
        pl.concat([kept, rejected.drop("_careful_gate", "_careful_reason", "_careful_ref")])[
            "id"
        ].to_list()
    ) == list(range(6))
    assert rejected["_careful_gate"].to_list() == [
        "length",
        "length",
        "exact_duplicate",
        "pii",
        "priority",
    ]


def test_gate_command_json_and_threshold(
    files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, config, real = files
    config.write_text(CONFIG.replace("max_rejected = 5", "max_rejected = 0"))
    code = main(["gate", str(data), "--config", str(config), "--out", str(tmp_path / "o"),
                 "--real", str(real), "--json", "--quiet"])  # fmt: skip
    assert code == 1
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["failures"] == ["pii: rejected 1 of 3 (33.33%), limit 0 rows"]
    assert payload["rows_in"] == 6
    assert [g["gate"] for g in payload["gates"]] == ["length", "exact_duplicate", "pii", "priority"]
    assert captured.err == ""


def test_gate_command_errors(
    files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, config, _ = files
    assert main(["gate", str(data), "--config", str(config), "--out", str(tmp_path / "o")]) == 2
    assert "@real" in capsys.readouterr().err
    assert main(["gate", str(data), "--config", str(tmp_path / "no.toml"), "--out", "o"]) == 2
    assert "Hint" in capsys.readouterr().err
    assert main(["gate", str(data), "--config", str(config), "--out", "o", "--frame", "x"]) == 2


def test_audit_section_on_frames() -> None:
    real = pl.DataFrame(
        {"text": ["I am ann@example.com and the app crashes on login every single time today ok"]}
    )
    ctx = AuditContext(candidate=DATA, text="text", real=real)
    from careful_polars.cli import _audit_gates

    gates = _audit_gates.section(ctx)
    assert gates.key == "gates"
    assert gates.metrics["gate_length_rejected"] == 2.0
    assert gates.metrics["gates_rejected_rows"] >= 3.0
    assert any("skipped contamination" in line for line in gates.lines)
    assert any("length" in line and "->" in line for line in gates.lines)
