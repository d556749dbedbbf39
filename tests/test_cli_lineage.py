from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import careful_polars as cp
import careful_polars.cli
from careful_polars.cli import lineage as lineage_cli
from careful_polars.cli import main
from careful_polars.cli._audit_lineage import isolation_section, provenance_section
from careful_polars.cli.audit import AuditContext
from tests.test_lineage import lineage_frame, split_frames


@pytest.fixture(autouse=True)
def only_lineage_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # test these commands through main()'s parser and error handling, independent of the others
    monkeypatch.setattr(careful_polars.cli, "_command_modules", lambda: [lineage_cli])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.parquet"
    lineage_frame().write_parquet(path)
    return path


def test_validate_good_and_bad(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(data), "--subset", "text"]) == 0
    assert "lineage is valid" in capsys.readouterr().out
    bad = data.with_name("bad.parquet")
    lineage_frame().with_columns(generator=pl.lit(None, pl.String)).write_parquet(bad)
    assert main(["validate", str(bad), "--subset", "text", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False
    assert {"column": "example_id", "check": "synthetic_has_provenance", "failures": 2} in out[
        "failures"
    ]


def test_validate_needs_content(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(data)]) == 2
    assert "Hint:" in capsys.readouterr().err


def test_manifest_then_validate_and_diff(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = data.with_suffix(".manifest.json")
    md = data.with_name("card.md")
    argv = ["manifest", str(data), "--name", "tickets", "--out", str(out), "--subset", "text"]
    argv += ["--prohibited-use", "eval", "--max-synthetic-ratio", "0.5", "--markdown", str(md)]
    assert main(argv) == 0
    m = cp.Manifest.load(out)
    assert m.prohibited_use == ["eval"] and m.rows == 5
    assert m.fingerprint == cp.fingerprint(lineage_frame())
    assert "## Use limits" in md.read_text()
    # content columns now come from the manifest beside the data
    assert main(["validate", str(data)]) == 0
    capsys.readouterr()

    new = data.with_name("new.parquet")
    lineage_frame().slice(1).write_parquet(new)
    assert main(["diff", str(data), str(new), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["added"], summary["removed"], summary["changed"]) == (0, 1, 0)

    new_manifest = data.with_name("new.manifest.json")
    assert (
        main(
            [
                "manifest",
                str(new),
                "--name",
                "tickets",
                "--version",
                "2",
                "--out",
                str(new_manifest),
                "--subset",
                "text",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["diff", str(out), str(new_manifest)]) == 0
    assert "Manifest diff" in capsys.readouterr().out


def test_manifest_ratio_cap_fails(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["manifest", str(data), "--name", "t", "--out", str(data.with_name("m.json"))]
    assert main([*argv, "--subset", "text", "--max-synthetic-ratio", "0.1"]) == 2
    assert "exceeds" in capsys.readouterr().err


# --- audit sections -------------------------------------------------------------------------


def test_provenance_section_counts_missing() -> None:
    df = lineage_frame().with_columns(
        prompt_hash=pl.when(pl.int_range(pl.len()) == 4).then(None).otherwise("prompt_hash")
    )
    section = provenance_section(AuditContext(candidate=df, text="text"))
    assert section.metrics["missing_provenance_rows"] == 1
    assert section.metrics["missing_provenance_share"] == pytest.approx(1 / 2)
    clean = provenance_section(AuditContext(candidate=lineage_frame(), text="text"))
    assert clean.metrics["missing_provenance_rows"] == 0


def test_isolation_section() -> None:
    train, evaluation = split_frames()
    plain_eval = evaluation.select("text")
    leaked = pl.concat([train.select("text"), plain_eval.slice(0, 1)])
    section = isolation_section(AuditContext(candidate=leaked, eval=plain_eval, text="text"))
    assert section is not None
    assert section.metrics["eval_overlap_rows"] == 1
    assert section.metrics["flagged_rows"] == 0
    flagged = train.with_columns(never_train_on=pl.lit(True))
    section = isolation_section(AuditContext(candidate=flagged, text="text"))
    assert section is not None and section.metrics["flagged_rows"] == flagged.height
    assert isolation_section(AuditContext(candidate=leaked, text="text")) is None


def test_audit_sections_on_example_dataset() -> None:
    datasets = pytest.importorskip("careful_polars.datasets")
    data = datasets.support_tickets(n_real=2_000, n_synthetic=2_000, n_eval=300, seed=3)
    ctx = AuditContext(candidate=data.synthetic, real=data.real, eval=data.eval, text="text")
    planted = data.planted
    missing = planted.filter(pl.col("kind") == "missing_provenance").height
    assert provenance_section(ctx).metrics["missing_provenance_rows"] == missing
    # oracle: synthetic rows whose text is, byte for byte, an eval text
    eval_texts = set(data.eval["text"].to_list())
    exact = sum(t in eval_texts for t in data.synthetic["text"].to_list())
    section = isolation_section(ctx)
    assert section is not None
    assert section.metrics["eval_overlap_rows"] == exact
    copies = planted.filter(pl.col("kind") == "eval_copy").height
    assert 0 < exact <= copies


def test_provenance_section_without_source_or_columns() -> None:
    df = lineage_frame().drop("source")
    section = provenance_section(AuditContext(candidate=df, text="text"))
    # without a source column every row is taken as synthetic: the 3 real rows lack a generator
    assert section.data["synthetic_rows"] == 5
    assert section.metrics["missing_provenance_rows"] == 3
    bare = provenance_section(
        AuditContext(candidate=pl.DataFrame({"text": ["a", "b"]}), text="text")
    )
    assert bare.metrics["missing_provenance_rows"] == 2
    real_only = lineage_frame().filter(pl.col("source") == "real").drop("generator")
    section = provenance_section(AuditContext(candidate=real_only, text="text"))
    assert section.metrics["missing_provenance_rows"] == 0
