from __future__ import annotations

import argparse
import json

import numpy as np
import polars as pl
import pytest

from careful_polars.cli import drift as drift_cmd


def _main(argv: list[str]) -> int:
    # the command on its own parser, so the test does not depend on the other subcommands
    parser = argparse.ArgumentParser(prog="careful")
    drift_cmd.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.run(args))


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(0)
    n = 3000
    ref = pl.DataFrame(
        {"x": rng.normal(size=n), "g": rng.choice(["a", "b"], n), "seg": rng.choice(["u", "v"], n)}
    )
    cur = pl.DataFrame(
        {
            "x": rng.normal(1.0, size=n),
            "g": rng.choice(["a", "b"], n, p=[0.8, 0.2]),
            "seg": rng.choice(["u", "v"], n),
        }
    )
    ref.write_parquet(tmp_path / "ref.parquet")
    cur.write_csv(tmp_path / "cur.csv")
    return tmp_path


def test_cli_text_and_json(files, capsys) -> None:
    ref, cur = str(files / "ref.parquet"), str(files / "cur.csv")
    assert _main(["drift", ref, cur]) == 0
    out = capsys.readouterr().out
    assert "drifted: ['x', 'g']" in out
    assert "over-represented g='a': 79.9% vs 49.9%" in out
    assert _main(["drift", ref, cur, "--by", "seg", "--json", "--correction", "bh"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["by"] == ["seg"]
    assert {row["seg"] for row in payload["columns"]} == {"u", "v"}
    assert all(row["p_value_adjusted"] is not None for row in payload["columns"])


def test_cli_profile_and_exit_code(files, capsys) -> None:
    ref, cur = str(files / "ref.parquet"), str(files / "cur.csv")
    prof = str(files / "ref.profile.parquet")
    assert _main(["drift", ref, cur, "--save-profile", prof, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert _main(["drift", prof, cur, "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert first["columns"] == second["columns"]
    assert _main(["drift", prof, cur, "--max-drifted-share", "0.5"]) == 1
    assert "FAILED" in capsys.readouterr().out
