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


def test_audit_section_flags_length_vocabulary_and_intents() -> None:
    from careful_polars.cli._audit_drift import section
    from careful_polars.cli.audit import AuditContext

    rng = np.random.default_rng(1)
    n = 1500
    words = np.array(["order", "late", "refund", "card", "broken", "account", "login", "help"])
    real_text = [" ".join(rng.choice(words, rng.integers(4, 12))) for _ in range(n)]
    synth_text = [
        "Certainly! I completely understand your frustration regarding "
        + " ".join(rng.choice(words, rng.integers(10, 20)))
        for _ in range(n)
    ]
    intents = ["billing", "shipping", "login", "refund"]
    real = pl.DataFrame(
        {
            "text": real_text,
            "intent": rng.choice(intents, n),
            "source": ["real"] * n,
            "generator": pl.Series([None] * n, dtype=pl.String),
        }
    )
    synth = pl.DataFrame(
        {
            "text": synth_text,
            "intent": rng.choice(intents, n, p=[0.55, 0.15, 0.15, 0.15]),
            "source": ["synthetic"] * n,
            "generator": ["gen-a"] * n,
        }
    )
    out = section(AuditContext(candidate=synth, real=real, text="text"))
    assert out is not None
    text = "\n".join(out.lines)
    assert "drift in text.char_length" in text
    assert "drift in text.oov_rate" in text
    assert "over-represented intent = 'billing'" in text
    assert "certainly" in text
    assert out.metrics["detection_auc"] > 0.9
    assert out.metrics["copied_real_share"] == 0.0
    assert "source" not in text.split("\n")[0]  # constant per side: labels the side, not drift
    skipped = section(AuditContext(candidate=synth, real=None, text="text"))
    assert skipped is not None and "skipped" in skipped.lines[0]
