from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import careful_polars as cp
from careful_polars.cli import main
from careful_polars.cli.audit import AuditContext, run_audit


@pytest.fixture
def dup_file(tmp_path: Path) -> Path:
    df = pl.DataFrame({"text": ["a", "b", "a", "c", "a"], "label": [1, 2, 1, 3, 9]})
    path = tmp_path / "in.parquet"
    df.write_parquet(path)
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".ndjson"])
def test_dedup_command_writes_kept_and_rejects(tmp_path: Path, suffix: str) -> None:
    df = pl.DataFrame({"text": ["a", "b", "a", "c", "a"], "label": [1, 2, 1, 3, 9]})
    src = tmp_path / f"in{suffix}"
    {".parquet": df.write_parquet, ".csv": df.write_csv, ".ndjson": df.write_ndjson}[suffix](src)
    out, rej = tmp_path / "out.parquet", tmp_path / "rej.parquet"
    code = main(["dedup", str(src), "--out", str(out), "--rejects", str(rej), "--subset", "text"])
    assert code == 0
    kept, rejected = pl.read_parquet(out), pl.read_parquet(rej)
    assert kept["text"].to_list() == ["a", "b", "c"]
    assert rejected["label"].to_list() == [1, 9]
    assert set(rejected["_careful_gate"]) == {"exact_duplicate"}


def test_dedup_command_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dedup", str(tmp_path / "missing.parquet"), "--out", "x.parquet"]) == 2
    assert "does not exist" in capsys.readouterr().err
    bad = tmp_path / "data.xlsx"
    bad.write_text("x")
    assert main(["dedup", str(bad), "--out", str(tmp_path / "o.parquet")]) == 2
    assert "Hint" in capsys.readouterr().err


def test_audit_on_a_file_reports_and_fails_thresholds(
    dup_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(dup_file), "--max", "exact_duplicate_share=0.5"]) == 0
    out = capsys.readouterr().out
    assert "exact duplicates of 'text': 2 rows (40.00%)" in out
    assert main(["audit", str(dup_file), "--max", "exact_duplicate_share=0.1"]) == 1
    assert "FAILED" in capsys.readouterr().out
    assert main(["audit", str(dup_file), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["sections"]["exact_duplicates"]["metrics"]["exact_duplicate_rows"] == 2.0
    assert main(["audit", str(dup_file), "--max", "nonsense=1"]) == 2
    assert main(["audit", str(dup_file), "--text", "nope"]) == 2


def test_audit_exact_section_matches_dedup() -> None:
    df = pl.DataFrame({"text": ["x", "X ", "x", "y", "y", "y"]})
    sections = run_audit(AuditContext(candidate=df, text="text"))
    metrics = sections[0].metrics
    assert metrics["exact_duplicate_rows"] == df.height - cp.dedup(df).height
    assert metrics["normalized_duplicate_rows"] == df.height - cp.dedup(df, normalize=True).height
