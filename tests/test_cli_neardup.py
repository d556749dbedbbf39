from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from careful_polars.cli import main
from careful_polars.cli.audit import AuditContext, run_audit
from tests import _neardup_ref as ref


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    docs = ref.corpus(seed=1)
    train = tmp_path / "train.parquet"
    ev = tmp_path / "eval.csv"
    pl.DataFrame({"text": docs, "k": list(range(len(docs)))}).write_parquet(train)
    pl.DataFrame({"text": [docs[0], "a unique evaluation item"]}).write_csv(ev)
    return train, ev, docs


def test_near_dedup_command(files, tmp_path: Path) -> None:
    train, _, docs = files
    out, rej = tmp_path / "out.parquet", tmp_path / "rej.parquet"
    code = main(
        ["near-dedup", str(train), "--text", "text", "--out", str(out), "--rejects", str(rej)]
    )
    assert code == 0
    kept, rejected = pl.read_parquet(out), pl.read_parquet(rej)
    assert kept.height + rejected.height == len(docs)
    assert rejected.height > 0
    assert set(rejected["_careful_gate"]) == {"near_duplicate"}
    truth = ref.true_pairs(docs, 0.8, 5)
    removed = set(rejected["k"].to_list())
    assert removed <= {j for _, j in truth} | {i for i, _ in truth}


def test_contamination_command(files, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    train, ev, _ = files
    report = tmp_path / "report.parquet"
    assert main(["contamination", str(train), str(ev), "--out", str(report)]) == 0
    assert "1 of 2 evaluation rows leak" in capsys.readouterr().out
    assert pl.read_parquet(report)["kind"].to_list() == ["exact"]
    assert main(["contamination", str(train), str(ev), "--fail"]) == 1
    assert main(["contamination", str(train), str(ev), "--text", "body"]) == 2
    assert "Hint:" in capsys.readouterr().err


def test_audit_sections(files) -> None:
    train, ev, _ = files
    ctx = AuditContext(candidate=pl.read_parquet(train), eval=pl.read_csv(ev), text="text")
    sections = {s.key: s for s in run_audit(ctx)}
    near = sections["near_duplicates"]
    assert near.metrics["near_duplicate_rows"] > 0
    assert sections["contamination"].metrics["contaminated_eval_items"] == 1
    no_eval = AuditContext(candidate=pl.read_parquet(train), text="text")
    assert "contamination" not in {s.key for s in run_audit(no_eval)}


def test_example_dataset_planted_defects_are_found() -> None:
    import careful_polars as cp

    data = cp.datasets.support_tickets(n_real=2_000, n_synthetic=4_000, n_eval=400, seed=1)
    marked = data.synthetic.careful.mark_near_duplicates("text")
    cl = marked.select("ticket_id", "cluster_id")
    planted = (
        data.planted.filter(pl.col("kind").is_in(["near_duplicate", "exact_duplicate"]))
        .filter(pl.col("jaccard") >= 0.8)
        .join(cl, on="ticket_id")
        .join(cl.rename({"ticket_id": "ref_ticket_id", "cluster_id": "ref"}), on="ref_ticket_id")
    )
    assert planted.height > 50
    assert (planted["cluster_id"] == planted["ref"]).mean() >= 0.95
    ctx = AuditContext(candidate=data.synthetic, eval=data.eval, text="text", example=True)
    sections = {s.key: s for s in run_audit(ctx)}
    copies = data.planted.filter(pl.col("kind") == "eval_copy").height
    assert sections["contamination"].metrics["contaminated_eval_items"] >= 0.9 * copies
