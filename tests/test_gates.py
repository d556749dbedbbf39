from __future__ import annotations

import json
from pathlib import Path

import pandera.polars as pa
import polars as pl
import pytest
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp
from careful_polars import Split
from careful_polars import gates as g
from careful_polars.exceptions import ColumnNotFoundError, InvalidParameterError
from tests._hash_oracle import row_hash
from tests.conftest import as_kind

REJECT = ["_careful_gate", "_careful_reason", "_careful_ref"]

TICKETS = pl.DataFrame(
    {
        "id": [1, 2, 3, 4, 5, 6, 7],
        "text": [
            "my parcel is late, where is it?",
            "hi",
            "refund to ann@example.com please, I was charged twice",
            '{"intent": "refund"}',
            None,
            "the app crashes on login every single time",
            "card 4111 1111 1111 1111 was charged",
        ],
        "intent": ["shipping", "other", "billing", "billing", "other", "tech", "shipping"],
        "judge": ["shipping", "other", "billing", "shipping", None, "tech", "billing"],
        "priority": [1, 2, 3, 9, 1, 4, 2],
    }
)


def assert_lossless(df: pl.DataFrame, result: cp.GateResult) -> None:
    back = pl.concat([result.kept, result.rejected.drop(REJECT)])
    assert back.sort("id").equals(df.sort("id"))
    assert result.report["rows_rejected"].sum() == result.rejected.height
    assert result.report["rows_out"][-1] == result.kept.height


# (gate, ids rejected from TICKETS, a reason of the first rejected row)
ROW_GATE_CASES = [
    (g.length(min_length=5), [2, 5], "2 chars < min 5"),
    (g.length(max_length=31, unit="chars"), [3, 5, 6, 7], "53 chars > max 31"),
    (g.length(min_length=4, max_length=7, unit="words"), [2, 3, 4, 5, 6], "1 words < min 4"),
    (g.pii(), [3, 7], "contains email"),
    (g.pii(kinds=["credit_card"]), [7], "contains credit_card"),
    (g.language_or_format(pattern=r"^\{.*\}$", reason="not JSON"), [1, 2, 3, 5, 6, 7], "not JSON"),
    (g.language_or_format(predicate=pl.col("id") != 2), [2], "format check failed"),
    (g.label_consistency("intent", "judge"), [4, 7], "intent=billing but judge says shipping"),
    (g.label_consistency("intent", pl.when(pl.col("id") == 1).then(pl.lit("tech"))), [1],
     "intent=shipping but rule says tech"),
    (g.label_consistency("intent", "CASE WHEN priority > 3 THEN 'urgent' END"), [4, 6],
     "intent=billing but rule says urgent"),
    (g.expr(pl.col("priority").is_between(1, 4), "priority out of range"), [4],
     "priority out of range"),
    (g.expr("priority BETWEEN 1 AND 4 AND id <> 6"), [4, 6], "predicate failed"),
]  # fmt: skip


@pytest.mark.parametrize(("gate", "ids", "reason"), ROW_GATE_CASES)
def test_row_gates(gate: g.RowGate, ids: list[int], reason: str, frame_kind: str) -> None:
    result = cp.Gates([gate]).run(as_kind(TICKETS, frame_kind))
    assert result.rejected["id"].to_list() == ids
    assert result.rejected["_careful_reason"][0] == reason
    assert result.rejected["_careful_gate"].unique().to_list() == [gate.name]
    assert result.kept["id"].to_list() == [i for i in TICKETS["id"] if i not in ids]
    assert_lossless(TICKETS, result)
    # the split form runs lazily on a LazyFrame
    kept, _ = gate.split(as_kind(TICKETS, frame_kind))
    assert isinstance(kept, type(as_kind(TICKETS, frame_kind)))


def test_cascade_order_each_gate_sees_only_kept_rows() -> None:
    gates = cp.Gates(
        [g.length(min_length=5), g.pii(), g.expr(pl.col("priority") <= 4, name="priority")]
    )
    result = TICKETS.careful.run_gates(gates)
    assert result.report.select("gate", "order", "rows_in", "rows_rejected", "rows_out").rows() == [
        ("length", 1, 7, 2, 5),
        ("pii", 2, 5, 2, 3),
        ("priority", 3, 3, 1, 2),
    ]
    assert result.rejected["_careful_gate"].to_list() == [
        "length",
        "length",
        "pii",
        "pii",
        "priority",
    ]
    assert result.kept["id"].to_list() == [1, 6]
    assert result.kept.columns == TICKETS.columns
    assert result.rejected.columns == [*TICKETS.columns, *REJECT]
    assert result.rejected.schema["_careful_ref"] == pl.UInt64
    assert_lossless(TICKETS, result)
    assert "GateResult(kept=2 of 7 rows" in repr(result)
    assert "pii" in result.funnel()
    _, _, report = result
    assert report.height == 3
    assert result.to_dict() == result.summary()
    assert result.to_dict()["rows_rejected"] == 5


def test_mark_lossless_form(frame_kind: str) -> None:
    gates = cp.Gates(
        [g.length(min_length=5), g.pii(), g.expr(pl.col("priority") <= 4, name="priority")]
    )
    marked = gates.mark(as_kind(TICKETS, frame_kind))
    assert isinstance(marked, type(as_kind(TICKETS, frame_kind)))
    marked = marked.collect() if isinstance(marked, pl.LazyFrame) else marked
    assert marked.drop(REJECT).equals(TICKETS)
    result = gates.run(TICKETS)
    expected = dict(zip(result.rejected["id"], result.rejected["_careful_gate"], strict=False))
    assert (
        dict(
            marked.filter(pl.col("_careful_gate").is_not_null())
            .select("id", "_careful_gate")
            .rows()
        )
        == expected
    )
    # with a table gate the cascade is run and rows put back in input order
    real = pl.DataFrame({"text": ["the app crashes on login every single time today"]})
    mixed = cp.Gates([g.length(min_length=5), g.memorisation(real, min_words=5)])
    marked2 = mixed.mark(as_kind(TICKETS, frame_kind))
    marked2 = marked2.collect() if isinstance(marked2, pl.LazyFrame) else marked2
    assert marked2.drop(REJECT).equals(TICKETS)
    assert marked2["_careful_gate"].to_list() == [
        None,
        "length",
        None,
        None,
        "length",
        "memorisation",
        None,
    ]


def test_thresholds_and_failures() -> None:
    gates = cp.Gates([g.length(min_length=5, max_rejected_share=0.5), g.pii(max_rejected=1)])
    result = gates.run(TICKETS)
    assert result.report["failed"].to_list() == [False, True]
    assert result.failures == ["pii: rejected 2 of 5 (40.00%), limit 1 rows"]
    ok = cp.Gates([g.length(min_length=5, max_rejected_share=0.1)]).run(TICKETS)
    assert ok.failures == ["length: rejected 2 of 7 (28.57%), limit 10.00%"]


def test_write(tmp_path: Path) -> None:
    result = cp.Gates([g.length(min_length=5), g.pii()]).run(TICKETS)
    out = result.write(tmp_path / "run")
    assert pl.read_parquet(out / "kept.parquet").equals(result.kept)
    assert pl.read_parquet(out / "rejected.parquet").equals(result.rejected)
    assert pl.read_parquet(out / "report.parquet").equals(result.report)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows_in"] == 7 and summary["rows_kept"] == 3 and summary["rows_rejected"] == 4
    assert [s["type"] for s in summary["settings"]] == ["_Length", "_Pii"]
    assert summary["gates"][1]["gate"] == "pii"


def test_schema_gate_row_and_frame_level() -> None:
    schema = pa.DataFrameSchema(
        {
            "priority": pa.Column(int, pa.Check.in_range(1, 4)),
            "text": pa.Column(str, nullable=False),
        }
    )
    result = cp.Gates([g.schema(schema)]).run(TICKETS)
    assert result.rejected["id"].to_list() == [4, 5]
    assert result.rejected["_careful_reason"].to_list() == [
        "schema: priority: in_range(1, 4)",
        "schema: text: not_nullable",
    ]
    assert_lossless(TICKETS, result)

    class Model(pa.DataFrameModel):
        priority: int = pa.Field(ge=1, le=4)

    assert cp.Gates([g.schema(Model)]).run(TICKETS).rejected["id"].to_list() == [4]
    missing = pa.DataFrameSchema({"channel": pa.Column(str)})
    everything = cp.Gates([g.schema(missing)]).run(TICKETS)
    assert everything.kept.height == 0 and everything.rejected.height == 7
    assert "channel" in everything.rejected["_careful_reason"][0]
    assert (
        cp.Gates([g.schema(pa.DataFrameSchema({"id": pa.Column(int)}))]).run(TICKETS).kept.height
        == 7
    )
    with pytest.raises(InvalidParameterError, match="Hint"):
        g.schema({"priority": int})


def test_pii_gate_echoes_real_identifiers() -> None:
    real = pl.DataFrame({"text": ["I am ann@example.com", "call (415) 555-0123"]})
    syn = pl.DataFrame(
        {"id": [1, 2, 3, 4], "text": ["write ann@example.com", "write bob@example.com",
                                      "call (415) 555-0123 now", "Zebedee Quux says hi"]}
    )  # fmt: skip
    echo = g.pii(real=real, identifiers=["Zebedee Quux"], only_echoed=True, name="echo")
    result = cp.Gates([echo]).run(syn)
    assert result.rejected["id"].to_list() == [1, 3, 4]
    assert result.rejected["_careful_reason"][0] == "echoes real identifier: ann@example.com"
    both = cp.Gates([g.pii(real=real)]).run(syn)
    assert both.rejected["_careful_reason"].to_list() == [
        "echoes real identifier: ann@example.com", "contains email",
        "echoes real identifier: (415) 555-0123",
    ]  # fmt: skip
    with pytest.raises(InvalidParameterError, match="Hint"):
        g.pii(only_echoed=True)


def test_memorisation_gate_ref_is_xxh64_of_real_text() -> None:
    real = pl.DataFrame({"text": ["alpha beta gamma delta epsilon zeta eta theta", "other words"]})
    syn = pl.DataFrame(
        {"id": [1, 2], "text": ["so alpha beta gamma delta epsilon zeta", "fresh text"]}
    )
    result = cp.Gates([g.memorisation(real, min_words=5)]).run(syn)
    assert result.rejected["id"].to_list() == [1]
    assert result.rejected["_careful_ref"].item() == xxhash.xxh64_intdigest(
        real["text"][0].encode()
    )
    assert result.rejected["_careful_reason"].item().startswith("copies 6 words of a real row")


def test_custom_gates() -> None:
    class Loud(cp.Gate):
        name = "loud"
        default_reason = "shouting"

        def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
            loud = pl.col("text").str.contains("^[A-Z ]+$").fill_null(False)
            return Split(frame.filter(~loud), frame.filter(loud))

    @cp.custom_gate(reason="too many ids")
    def small_ids(df: pl.DataFrame) -> pl.Expr:
        return pl.col("id") < 6

    series_gate = cp.custom_gate(lambda df: df["id"] != 1, name="not_one")
    df = TICKETS.with_columns(
        pl.when(pl.col("id") == 2).then(pl.lit("HELP")).otherwise("text").alias("text")
    )
    result = cp.Gates([Loud(), small_ids, series_gate]).run(df)
    assert result.rejected.select("id", "_careful_gate", "_careful_reason").rows() == [
        (2, "loud", "shouting"), (6, "small_ids", "too many ids"), (7, "small_ids", "too many ids"),
        (1, "not_one", "rejected"),
    ]  # fmt: skip

    class Lossy(cp.Gate):
        name = "lossy"

        def split(self, frame: pl.DataFrame) -> Split[pl.DataFrame]:
            return Split(frame.head(1), frame.head(0))

    with pytest.raises(InvalidParameterError, match="every input row"):
        cp.Gates([Lossy()]).run(TICKETS)
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.Gates([g.length(), g.length()])
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.Gates(["length"])  # type: ignore[list-item]
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.Gates([cp.custom_gate(lambda df: 3, name="bad")]).run(TICKETS)
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.Gates([g.length()]).run(cp.Gates([g.length(min_length=5)]).run(TICKETS).rejected)


def test_parameter_errors() -> None:
    with pytest.raises(InvalidParameterError, match="Hint"):
        g.length(min_length=5, max_length=2)
    with pytest.raises(InvalidParameterError, match="Hint"):
        g.length(unit="tokens")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="Hint"):
        g.language_or_format(pattern="(")
    with pytest.raises(InvalidParameterError, match="Hint"):
        g.language_or_format()
    with pytest.raises(ColumnNotFoundError, match="Hint"):
        cp.Gates([g.label_consistency("intent", "judge2")]).run(TICKETS)
    with pytest.raises(ColumnNotFoundError, match="Hint"):
        g.memorisation(pl.DataFrame({"body": ["x"]}))


def test_from_toml(tmp_path: Path) -> None:
    real = pl.DataFrame({"text": ["the app crashes on login every single time today"]})
    real.write_parquet(tmp_path / "real.parquet")
    config = tmp_path / "gates.toml"
    config.write_text(
        """
text = "text"

[[gate]]
type = "length"
min_length = 5
max_rejected_share = 0.5

[[gate]]
type = "pii"
name = "pii_scan"

[[gate]]
type = "expr"
predicate = "priority BETWEEN 1 AND 4"
reason = "priority out of range"
name = "priority"

[[gate]]
type = "memorisation"
real = "real.parquet"
min_words = 5

[[gate]]
type = "label_consistency"
label = "intent"
against = "@judge_col"
"""
    )
    config.write_text(config.read_text().replace('against = "@judge_col"', 'against = "judge"'))
    gates = cp.Gates.from_toml(config)
    result = gates.run(TICKETS)
    assert result.report["gate"].to_list() == [
        "length",
        "pii_scan",
        "priority",
        "memorisation",
        "label_consistency",
    ]
    assert result.rejected["id"].to_list() == [2, 5, 3, 7, 4, 6]
    assert_lossless(TICKETS, result)
    with_frames = cp.Gates.from_toml(
        {"gate": [{"type": "memorisation", "real": "@real", "min_words": 5}]}, frames={"real": real}
    )
    assert with_frames.run(TICKETS).rejected["id"].to_list() == [6]
    bad = [
        {"gate": []},
        {"gate": [{"type": "nope"}]},
        {"gate": [{"type": "length", "colour": "red"}]},
        {"gate": [{"type": "contamination"}]},
        {"gate": [{"type": "memorisation", "real": "@real"}]},
        {"gate": [{"type": "memorisation", "real": "missing.parquet"}]},
        {"gate": [{"type": "schema", "schema": "nowhere:Nothing"}]},
        {"gate": [{"type": "expr"}]},
    ]
    for spec in bad:
        with pytest.raises(InvalidParameterError, match="Hint"):
            cp.Gates.from_toml(spec)
    (tmp_path / "broken.toml").write_text("[[gate]\n")
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.Gates.from_toml(tmp_path / "broken.toml")


texts = st.one_of(
    st.none(),
    st.sampled_from(["hi", "ok then", "mail ann@example.com", "ip 10.0.0.1 down", "HELLO THERE",
                     "card 4111 1111 1111 1111", "a longer ticket text about an order"]),
    st.text(max_size=30),
)  # fmt: skip


@pytest.mark.hypothesis
@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(texts, st.integers(0, 5)), max_size=30),
    order=st.permutations(range(5)),
    n_gates=st.integers(1, 5),
)
def test_nothing_lost_through_any_cascade(
    rows: list[tuple[str | None, int]], order: list[int], n_gates: int
) -> None:
    df = pl.DataFrame(
        {
            "id": list(range(len(rows))),
            "text": [r[0] for r in rows],
            "priority": [r[1] for r in rows],
        },
        schema={"id": pl.Int64, "text": pl.String, "priority": pl.Int64},
    )
    real = pl.DataFrame({"text": ["a longer ticket text about an order that was late"]})
    pool = [
        g.length(min_length=3), g.pii(), g.expr(pl.col("priority") > 0, name="prio"),
        g.language_or_format(pattern="[a-z]"), g.memorisation(real, min_words=4),
    ]  # fmt: skip
    gates = cp.Gates([pool[i] for i in order[:n_gates]])
    result = gates.run(df)
    assert_lossless(df, result)
    assert result.report["rows_in"][0] == df.height
    assert (result.report["rows_in"] - result.report["rows_rejected"]).to_list() == result.report[
        "rows_out"
    ].to_list()
    marked = gates.mark(df.lazy()).collect()
    assert marked.drop(REJECT).equals(df)
    assert marked["_careful_gate"].null_count() == result.kept.height


def test_exact_duplicates_gate_against_brute_force(frame_kind: str) -> None:
    df = pl.DataFrame(
        {"id": range(8), "text": ["a", "b", "a", "c", "B", "b", "a", None], "n": [1] * 8}
    )
    result = cp.Gates([g.exact_duplicates("text")]).run(as_kind(df, frame_kind))
    seen: set[str | None] = set()
    expected = []
    for i, t in df.select("id", "text").iter_rows():
        if t in seen:
            expected.append(i)
        seen.add(t)
    assert result.rejected["id"].to_list() == expected
    assert result.rejected["_careful_gate"].unique().to_list() == ["exact_duplicate"]
    refs = result.rejected.filter(pl.col("text").is_not_null())
    assert refs["_careful_ref"].to_list() == [
        xxhash.xxh64_intdigest(t.encode()) for t in refs["text"]
    ]
    assert_lossless(df, result)
    normalised = cp.Gates([g.exact_duplicates("text", normalize=True)]).run(df)
    assert normalised.rejected["id"].to_list() == [2, 4, 5, 6]
    last = cp.Gates([g.exact_duplicates("text", keep="last")]).run(df)
    assert sorted(last.rejected["id"].to_list()) == [0, 1, 2]
    from_toml = cp.Gates.from_toml({"text": "text", "gate": [{"type": "exact_duplicates"}]})
    assert from_toml.run(df).rejected["id"].to_list() == expected


def test_memorisation_ref_is_the_content_hash() -> None:
    from careful_polars.hashing import content_hash

    real = pl.DataFrame({"text": ["alpha beta gamma delta epsilon zeta eta theta"]})
    syn = pl.DataFrame({"text": ["so alpha beta gamma delta epsilon zeta"]})
    ref = cp.Gates([g.memorisation(real, min_words=5)]).run(syn).rejected["_careful_ref"]
    assert ref.to_list() == real.select(content_hash("text"))["text"].to_list()


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))}


BASE = (
    "my order number arrived late and the box was damaged when it finally came to my door "
    "so i would like a refund or a replacement as soon as you can manage it please"
)


def test_near_duplicates_gate_against_exact_jaccard(frame_kind: str) -> None:
    pytest.importorskip("careful_polars.neardup")
    texts = [
        BASE,
        BASE.replace("please", "thanks"),  # near-duplicate of row 0
        "the app crashes whenever i open settings on my phone after the latest update today",
        BASE + " again",  # near-duplicate of row 0
        "could you change the delivery address for my parcel to my office on main street",
    ]
    df = pl.DataFrame({"id": range(5), "text": texts})
    result = cp.Gates([g.near_duplicates(threshold=0.8)]).run(as_kind(df, frame_kind))
    # oracle: exact Jaccard of word 5-gram sets against every earlier kept row
    expected = []
    for i, t in enumerate(texts):
        if any(
            len(_shingles(t) & _shingles(texts[j])) / len(_shingles(t) | _shingles(texts[j])) >= 0.8
            for j in range(i)
            if j not in expected
        ):
            expected.append(i)
    assert result.rejected["id"].to_list() == expected == [1, 3]
    assert set(result.rejected["_careful_gate"]) == {"near_duplicate"}
    assert result.rejected["_careful_ref"].null_count() == 0
    assert_lossless(df, result)


def test_contamination_gate(frame_kind: str) -> None:
    pytest.importorskip("careful_polars.contamination")
    from careful_polars.hashing import content_hash

    evaluation = pl.DataFrame(
        {"text": [BASE, "what are your opening hours on public holidays in the winter season"]}
    )
    df = pl.DataFrame(
        {
            "id": range(4),
            "text": [
                "the app crashes whenever i open settings on my phone after the latest update",
                BASE,  # an exact copy of an eval item
                "could you change the delivery address for my parcel to my office on main street",
                BASE.replace("refund", "credit note"),  # lightly edited copy
            ],
        }
    )
    result = cp.Gates([g.contamination(evaluation)]).run(as_kind(df, frame_kind))
    assert result.rejected["id"].to_list() == [1, 3]
    eval_id = evaluation.select(content_hash("text"))["text"][0]
    assert result.rejected["_careful_ref"].to_list() == [eval_id, eval_id]
    assert result.rejected["_careful_reason"][0].startswith("leaks an evaluation item (exact")
    assert_lossless(df, result)


def test_schema_gate_with_the_lineage_schema() -> None:
    class TicketLineage(cp.LineageSchema):  # type: ignore[misc,name-defined]
        class Config:
            metadata = {"subset": ["text"]}  # noqa: RUF012

    data = cp.datasets.support_tickets(n_real=200, n_synthetic=400, n_eval=50, seed=0)
    pool = data.synthetic.select(
        "ticket_id", "text", "generator", "generator_version", "prompt_hash"
    )
    tagged = cp.tag_synthetic(
        pool,
        generator=pl.col("generator"),
        generator_version=pl.col("generator_version"),
        prompt_hash=pl.col("prompt_hash"),
        subset="text",
    )
    result = cp.Gates([g.schema(TicketLineage)]).run(tagged)
    missing = data.planted.filter(pl.col("kind") == "missing_provenance")["ticket_id"]
    rejected = result.rejected
    # every row planted without provenance is refused, with the check that caught it
    assert set(missing) <= set(rejected["ticket_id"])
    no_provenance = rejected.filter(pl.col("ticket_id").is_in(missing.implode()))
    assert no_provenance["_careful_reason"].str.contains("provenance").all()
    assert result.kept.height + rejected.height == tagged.height
    assert result.kept.height > 0


def test_manifest_records_the_gate_summary() -> None:
    result = cp.Gates([g.length(min_length=5), g.pii()]).run(TICKETS)
    kept = result.kept.with_columns(source=pl.lit("synthetic"))
    m = cp.build_manifest(
        kept, name="tickets", version="1", purpose="tests", owner="qa", subset="text", gates=result
    )
    assert m.gates["rows_rejected"] == 4
    assert [r["gate"] for r in m.gates["gates"]] == ["length", "pii"]


# --- gates check their settings when built ---------------------------------------------------


def test_near_duplicates_keep_is_checked_when_built() -> None:
    with pytest.raises(InvalidParameterError, match=r"keep.*Hint"):
        g.near_duplicates(keep="last")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"keep.*Hint"):
        cp.Gates.from_toml({"gate": [{"type": "near_duplicates", "keep": "last"}]})


def test_near_duplicates_keep_longest_builds_and_runs(frame_kind: str) -> None:
    pytest.importorskip("careful_polars.neardup")
    longer = BASE + " again"
    other = "the app crashes whenever i open settings on my phone after the latest update today"
    # oracle: exact Jaccard of word 5-gram sets; rows 0 and 2 are one cluster, row 1 is alone
    assert (
        len(_shingles(BASE) & _shingles(longer)) / len(_shingles(BASE) | _shingles(longer)) >= 0.8
    )
    assert not _shingles(other) & (_shingles(BASE) | _shingles(longer))
    df = pl.DataFrame({"id": [0, 1, 2], "text": [BASE, other, longer]})
    gate = g.near_duplicates(threshold=0.8, keep="longest")
    result = cp.Gates([gate]).run(as_kind(df, frame_kind))
    assert result.kept["id"].to_list() == [1, 2]  # the longer copy survives, order is kept
    assert result.rejected["id"].to_list() == [0]
    assert result.rejected["_careful_gate"].to_list() == ["near_duplicate"]
    assert_lossless(df, result)
    first = cp.Gates([g.near_duplicates(threshold=0.8)]).run(df)
    assert first.rejected["id"].to_list() == [2]


def test_length_bounds_are_checked_when_built() -> None:
    with pytest.raises(InvalidParameterError, match=r"min_length.*max_length.*Hint"):
        g.length(min_length=5, max_length=2)
    with pytest.raises(InvalidParameterError, match=r"min_length.*Hint"):
        cp.Gates.from_toml({"gate": [{"type": "length", "min_length": 5, "max_length": 2}]})
    assert cp.Gates([g.length(min_length=2, max_length=2)]).run(TICKETS).kept["id"].to_list() == [2]


def test_memorisation_ref_matches_the_hash_oracle() -> None:
    real = pl.DataFrame(
        {
            "body": [
                "nothing in common with the synthetic rows at all",
                "alpha beta gamma delta epsilon zeta eta theta",
                None,
            ]
        }
    )
    syn = pl.DataFrame(
        {"id": [1, 2], "text": ["fresh text", "so alpha beta gamma delta epsilon zeta"]}
    )
    result = cp.Gates([g.memorisation(real, real_text="body", min_words=5)]).run(syn)
    assert result.rejected["id"].to_list() == [2]
    # the ref is content_hash of the real text, by the independent specification of the hash
    assert result.rejected["_careful_ref"].to_list() == [row_hash([real["body"][1]], [pl.String])]
    assert result.rejected["_careful_ref"].dtype == pl.UInt64
