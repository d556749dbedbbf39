from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandera.errors
import pandera.polars as pa
import polars as pl
import pytest
import xxhash
from polars.testing import assert_frame_equal

import careful_polars as cp
from careful_polars.exceptions import (
    CarefulError,
    ColumnExistsError,
    ColumnNotFoundError,
    EvalLeakError,
    InvalidParameterError,
)
from tests.conftest import as_kind, collect

WHEN = dt.datetime(2025, 1, 1)
PROMPT = "Write a support ticket about {topic}."


def xxh(texts: list[str]) -> list[int]:
    """Oracle: example_id of one String column is XXH64 (seed 0) of its UTF-8 bytes."""
    return [xxhash.xxh64_intdigest(t.encode("utf-8"), 0) for t in texts]


def lineage_frame() -> pl.DataFrame:
    real = cp.tag_real(
        pl.DataFrame({"text": ["my order is late", "refund please", "login fails"]}),
        subset="text",
        created_at=WHEN,
    )
    syn = cp.tag_synthetic(
        pl.DataFrame({"text": ["parcel lost in transit", "cannot reset password"]}),
        generator="ticket-writer",
        generator_version="1.2",
        prompt=PROMPT,
        sampling_params={"temperature": 0.7, "top_p": 0.9},
        seed_example_id=xxh(["my order is late"])[0],
        subset="text",
        created_at=WHEN,
    )
    return pl.concat([real, syn])


# --- tagging --------------------------------------------------------------------------------


def test_tag_columns_dtypes_and_oracles(frame_kind: str) -> None:
    df = pl.DataFrame({"text": ["a b", "c"]})
    out = collect(
        cp.tag_synthetic(
            as_kind(df, frame_kind),
            generator="g",
            generator_version="1",
            prompt=PROMPT,
            sampling_params={"b": 1, "a": [1, 2]},
            subset=["text"],
            created_at=WHEN,
        )
    )
    assert out.columns == ["text", *cp.lineage.LINEAGE_COLUMNS]
    assert out["example_id"].dtype == pl.UInt64
    assert out["example_id"].to_list() == xxh(["a b", "c"])
    assert out["prompt_hash"].to_list() == [hashlib.sha256(PROMPT.encode()).hexdigest()] * 2
    assert json.loads(out["sampling_params"][0]) == {"a": [1, 2], "b": 1}
    assert out["sampling_params"][0] == '{"a":[1,2],"b":1}'
    assert out["source"].to_list() == ["synthetic"] * 2
    assert out["created_at"].dtype == pl.Datetime("us")
    assert not out["eval_exclusion"].any()
    cp.validate_lineage(out, subset="text")


def test_tag_real_has_no_generator(frame_kind: str) -> None:
    out = collect(
        cp.tag_real(
            as_kind(pl.DataFrame({"text": ["x"]}), frame_kind),
            subset="text",
            intended_use="eval",
            eval_exclusion=True,
            created_at=WHEN,
        )
    )
    row = out.row(0, named=True)
    assert row["source"] == "real"
    assert row["generator"] is None and row["prompt_hash"] is None
    assert row["eval_exclusion"] is True and row["intended_use"] == "eval"
    assert row["example_id"] == xxh(["x"])[0]


def test_tag_prompt_column_and_template_store() -> None:
    store = cp.TemplateStore()
    df = pl.DataFrame({"text": ["a", "b", "c"], "prompt": ["p1", "p2", "p1"]})
    out = cp.tag_synthetic(
        df,
        generator="g",
        generator_version=None,
        prompt=pl.col("prompt"),
        subset="text",
        template_store=store,
        created_at=WHEN,
    )
    expected = [hashlib.sha256(p.encode()).hexdigest() for p in ["p1", "p2", "p1"]]
    assert out["prompt_hash"].to_list() == expected
    assert len(store) == 2
    assert store[expected[1]] == "p2"
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        store["nope"]


def test_template_store_roundtrip_and_tamper(tmp_path: pytest.TempPathFactory) -> None:
    store = cp.TemplateStore()
    key = store.add(PROMPT)
    path = tmp_path / "templates.json"  # type: ignore[operator]
    store.save(path)
    assert cp.TemplateStore.load(path)[key] == PROMPT
    path.write_text(json.dumps({key: "edited"}))
    with pytest.raises(InvalidParameterError, match="does not match"):
        cp.TemplateStore.load(path)


def test_tag_with_precomputed_prompt_hash(frame_kind: str) -> None:
    df = pl.DataFrame({"text": ["a", "b"], "ph": ["h1", None]})
    out = collect(
        as_kind(df, frame_kind).careful.tag_synthetic(
            generator=pl.lit("g"),
            generator_version=None,
            prompt_hash=pl.col("ph"),
            subset="text",
            created_at=WHEN,
        )
    )
    assert out["prompt_hash"].to_list() == ["h1", None]
    with pytest.raises(pandera.errors.SchemaErrors, match="synthetic_has_provenance"):
        cp.validate_lineage(out, subset="text")


def test_tag_sampling_params_struct_and_created_at_default() -> None:
    df = pl.DataFrame({"text": ["a"], "params": [{"t": 0.5}]})
    out = cp.tag_synthetic(
        df,
        generator="g",
        generator_version="1",
        prompt="p",
        subset="text",
        sampling_params="params",
    )
    assert json.loads(out["sampling_params"][0]) == {"t": 0.5}
    assert out["created_at"].dtype == pl.Datetime("us", "UTC")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"generator": ""}, InvalidParameterError),
        ({"prompt": ""}, InvalidParameterError),
        ({"prompt_hash": "abc"}, InvalidParameterError),
        ({"subset": []}, InvalidParameterError),
        ({"subset": ["txt"]}, ColumnNotFoundError),
        ({"subset": ["example_id"]}, InvalidParameterError),
        ({"seed_example_id": -1}, InvalidParameterError),
        ({"eval_exclusion": "yes"}, InvalidParameterError),
        ({"sampling_params": {"f": object()}}, InvalidParameterError),
    ],
)
def test_tag_bad_parameters(kwargs: dict, error: type[Exception]) -> None:
    args = {"generator": "g", "generator_version": "1", "prompt": "p", "subset": "text"}
    with pytest.raises(error, match="Hint:"):
        cp.tag_synthetic(pl.DataFrame({"text": ["a"]}), **{**args, **kwargs})


# --- schema: each constraint refuses bad data and passes good data ----------------------------


def test_good_lineage_passes(frame_kind: str) -> None:
    df = lineage_frame()
    out = cp.validate_lineage(as_kind(df, frame_kind), subset=["text"])
    assert type(out) is type(as_kind(df, frame_kind))
    assert_frame_equal(collect(out), df)
    assert_frame_equal(collect(as_kind(df, frame_kind).careful.validate_lineage("text")), df)


def _null_in_first_synthetic(column: str) -> pl.Expr:
    first = pl.col("source") == "synthetic"
    return (
        pl.when(first & (pl.col("text") == "parcel lost in transit"))
        .then(None)
        .otherwise(pl.col(column))
    )


CASES = [
    # (name, mutation, expected check, failing row index)
    (
        "synthetic without generator",
        lambda df: df.with_columns(generator=_null_in_first_synthetic("generator")),
        "synthetic_has_provenance",
        3,
    ),
    (
        "synthetic without prompt hash",
        lambda df: df.with_columns(prompt_hash=_null_in_first_synthetic("prompt_hash")),
        "synthetic_has_provenance",
        3,
    ),
    (
        "synthetic with empty generator",
        lambda df: df.with_columns(
            generator=pl.when(pl.int_range(pl.len()) == 4).then(pl.lit("")).otherwise("generator")
        ),
        "synthetic_has_provenance",
        4,
    ),
    (
        "real with generator",
        lambda df: df.with_columns(
            generator=pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("g")).otherwise("generator")
        ),
        "real_has_no_generator",
        1,
    ),
    (
        "tampered content",
        lambda df: df.with_columns(
            text=pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("edited")).otherwise("text")
        ),
        "example_id_matches_content",
        2,
    ),
    (
        "duplicate example_id",
        lambda df: pl.concat([df, df.slice(0, 1)]),
        "example_id_unique",
        0,
    ),
    (
        "unknown source",
        lambda df: df.with_columns(
            source=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("scraped")).otherwise("source")
        ),
        "isin(['real', 'synthetic'])",
        0,
    ),
    (
        "null eval_exclusion",
        lambda df: df.with_columns(
            eval_exclusion=pl.when(pl.int_range(pl.len()) == 0)
            .then(None)
            .otherwise("eval_exclusion")
        ),
        "not_nullable",
        0,
    ),
]


@pytest.mark.parametrize(("name", "mutate", "check", "row"), CASES, ids=[c[0] for c in CASES])
def test_each_constraint_refuses_bad_data(
    name: str, mutate: object, check: str, row: int, frame_kind: str
) -> None:
    bad = mutate(lineage_frame())  # type: ignore[operator]
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        cp.validate_lineage(as_kind(bad, frame_kind), subset=["text"])
    cases = info.value.failure_cases
    assert check in cases["check"].to_list(), cases
    assert row in cases.filter(pl.col("check") == check)["index"].to_list()


def test_every_failing_row_is_reported() -> None:
    df = lineage_frame().with_columns(text=pl.col("text") + "!")
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        cp.validate_lineage(df, subset=["text"])
    cases = info.value.failure_cases.filter(pl.col("check") == "example_id_matches_content")
    assert sorted(cases["index"].to_list()) == list(range(df.height))


def test_wrong_dtype_and_missing_column_refused() -> None:
    df = lineage_frame()
    with pytest.raises(pandera.errors.SchemaErrors, match="example_id"):
        cp.validate_lineage(
            df.with_columns(pl.col("example_id").reinterpret(signed=True)), subset="text"
        )
    with pytest.raises(pandera.errors.SchemaErrors, match="reviewer"):
        cp.validate_lineage(df.drop("reviewer"), subset="text")


def test_lazy_false_raises_first_error() -> None:
    bad = lineage_frame().with_columns(text=pl.lit("x"))
    with pytest.raises(pandera.errors.SchemaError):
        cp.validate_lineage(bad, subset="text", lazy=False)


def test_content_must_be_declared() -> None:
    df = lineage_frame()
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.validate_lineage(df)
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        cp.validate_lineage(df, subset=["txt"])
    # validating through pandera directly without declared content fails, it is not skipped
    with pytest.raises(pandera.errors.SchemaError, match="declares no content columns"):
        cp.LineageSchema.validate(df)


def test_subclass_extends_schema() -> None:
    class TicketLineage(cp.LineageSchema):
        text: pl.String = pa.Field(str_length={"min_value": 3})

        class Config:
            metadata = {"subset": ["text"]}  # noqa: RUF012

        @pa.check("example_id", name="reviewed_synthetic")
        def reviewed_synthetic(cls, data: pa.PolarsData) -> pl.LazyFrame:
            ok = (pl.col("source") != "synthetic") | pl.col("reviewer").is_not_null()
            return data.lazyframe.select(ok)

    df = lineage_frame().with_columns(reviewer=pl.lit("ana"))
    assert cp.validate_lineage(df, schema=TicketLineage).height == df.height
    TicketLineage.validate(df)  # content declared in Config: pandera alone runs every check
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        cp.validate_lineage(df.with_columns(reviewer=pl.lit(None, pl.String)), schema=TicketLineage)
    assert "reviewed_synthetic" in info.value.failure_cases["check"].to_list()
    with pytest.raises(InvalidParameterError, match="not a LineageSchema"):
        cp.validate_lineage(df, subset="text", schema=pa.DataFrameModel)  # type: ignore[arg-type]


def test_import_does_not_load_pandera() -> None:
    import subprocess
    import sys

    code = "import sys, careful_polars; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- evaluation isolation -------------------------------------------------------------------


def split_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    train = lineage_frame()
    evaluation = cp.tag_real(
        pl.DataFrame({"text": ["where is my invoice", "app crashes"]}),
        subset="text",
        intended_use="eval",
        eval_exclusion=True,
        created_at=WHEN,
    )
    return train, evaluation


def test_guard_passes_clean_training(frame_kind: str) -> None:
    train, evaluation = split_frames()
    given = as_kind(train, frame_kind)
    assert cp.guard_training(given, as_kind(evaluation, frame_kind)) is given
    assert cp.guard_training(given) is given
    assert given.careful.guard_training(evaluation) is given
    assert cp.leak_report(given, evaluation).height == 0


def _flagged(flag: str) -> pl.DataFrame:
    train, _ = split_frames()
    return train.with_columns(
        pl.when(pl.int_range(pl.len()) == 1).then(True).otherwise(flag).alias(flag)
    )


@pytest.mark.parametrize(
    ("make", "check", "side", "rows"),
    [
        (lambda tr, ev: _flagged("eval_exclusion"), "eval_exclusion", "train", [1]),
        (lambda tr, ev: _flagged("never_train_on"), "never_train_on", "train", [1]),
        (lambda tr, ev: pl.concat([tr, ev.slice(1, 1)]), "eval_overlap", "train", [5]),
    ],
    ids=["eval_exclusion", "never_train_on", "eval_overlap"],
)
def test_guard_refuses_leaks(
    make: object, check: str, side: str, rows: list[int], frame_kind: str
) -> None:
    train, evaluation = split_frames()
    bad = make(train, evaluation)  # type: ignore[operator]
    with pytest.raises(EvalLeakError, match="Hint:") as info:
        cp.guard_training(as_kind(bad, frame_kind), as_kind(evaluation, frame_kind))
    leaks = info.value.leaks  # type: ignore[attr-defined]
    got = leaks.filter(pl.col("check") == check)
    assert got["row"].to_list() == rows and got["side"].to_list() == [side] * len(rows)


def test_eval_overlap_matches_brute_force() -> None:
    train, evaluation = split_frames()
    leaked = pl.concat([train, evaluation.with_columns(eval_exclusion=pl.lit(False))])
    eval_ids = set(evaluation["example_id"].to_list())
    expected = [i for i, x in enumerate(leaked["example_id"].to_list()) if x in eval_ids]
    report = cp.leak_report(leaked, evaluation).filter(pl.col("check") == "eval_overlap")
    assert report["row"].to_list() == expected
    assert report["ref"].to_list() == report["example_id"].to_list()


def test_guard_recomputes_ids_from_content() -> None:
    train, evaluation = split_frames()
    # a training row copied from eval but with a forged example_id slips past the stored ids ...
    forged = pl.concat(
        [
            train,
            evaluation.slice(0, 1).with_columns(
                example_id=pl.lit(7, pl.UInt64), eval_exclusion=pl.lit(False)
            ),
        ]
    )
    assert cp.leak_report(forged, evaluation).height == 0
    # ... and is caught when the ids are recomputed from the subset
    with pytest.raises(EvalLeakError):
        cp.guard_training(forged, evaluation, subset="text")


def test_guard_generator_provenance() -> None:
    train, _ = split_frames()
    evaluation = cp.tag_synthetic(
        pl.DataFrame({"text": ["synthetic eval row"]}),
        generator="ticket-writer",
        generator_version="2.0",
        prompt="other",
        subset="text",
        eval_exclusion=True,
        created_at=WHEN,
    )
    with pytest.raises(EvalLeakError, match="generator_overlap") as info:
        cp.guard_training(train, evaluation)
    leaks = info.value.leaks  # type: ignore[attr-defined]
    assert leaks.select("check", "side", "row").rows() == [("generator_overlap", "eval", 0)]
    other = evaluation.with_columns(generator=pl.lit("other-model"))
    assert cp.guard_training(train, other) is train


def test_guard_bad_input() -> None:
    train, evaluation = split_frames()
    with pytest.raises(ColumnNotFoundError, match="Hint:"):
        cp.guard_training(pl.DataFrame({"text": ["a"]}), evaluation)
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.guard_training(train, near_duplicate_threshold=0.8)
    with pytest.raises(InvalidParameterError, match="Hint:"):
        cp.guard_training(train, evaluation, near_duplicate_threshold=1.5)


def test_guard_near_duplicates_or_clear_error(frame_kind: str) -> None:
    train, evaluation = split_frames()
    edited = cp.tag_real(
        pl.DataFrame({"text": ["where is my invoice?"]}), subset="text", created_at=WHEN
    )
    exact = evaluation.slice(1, 1).with_columns(eval_exclusion=pl.lit(False))
    near = as_kind(pl.concat([train, edited, exact]), frame_kind)
    ev = as_kind(evaluation, frame_kind)
    options = {"near_duplicate_threshold": 0.5, "text": "text"}
    try:
        import careful_polars.contamination  # noqa: F401
    except ImportError:
        with pytest.raises(CarefulError, match="Hint:"):
            cp.guard_training(near, ev, **options)  # type: ignore[arg-type]
        return
    with pytest.raises(EvalLeakError, match="near_duplicate") as info:
        cp.guard_training(near, ev, **options)  # type: ignore[arg-type]
    leaks = info.value.leaks  # type: ignore[attr-defined]
    # the edited copy is a near-duplicate of eval row 0; the exact copy is reported as overlap
    assert leaks.select("check", "row", "ref").rows() == [
        ("eval_overlap", 6, evaluation["example_id"][1]),
        ("near_duplicate", 5, evaluation["example_id"][0]),
    ]
    assert cp.guard_training(train, evaluation, **options) is train  # type: ignore[arg-type]


def test_split_leaks_is_lossless(frame_kind: str) -> None:
    train, evaluation = split_frames()
    leaked = pl.concat(
        [
            train.with_columns(
                never_train_on=pl.int_range(pl.len()) == 0,
                eval_exclusion=pl.int_range(pl.len()) <= 1,  # row 0 has both flags
            ),
            evaluation.slice(0, 1).with_columns(eval_exclusion=pl.lit(False)),
        ]
    )
    kept, rejected = cp.split_leaks(as_kind(leaked, frame_kind), as_kind(evaluation, frame_kind))
    kept, rejected = collect(kept), collect(rejected)
    assert kept.height + rejected.height == leaked.height
    assert_frame_equal(
        pl.concat([kept, rejected.drop("_careful_gate", "_careful_reason", "_careful_ref")]).sort(
            "example_id"
        ),
        leaked.sort("example_id"),
    )
    assert rejected["_careful_gate"].to_list() == [
        "eval_exclusion",
        "eval_exclusion",
        "eval_overlap",
    ]
    assert rejected["_careful_ref"].to_list() == [None, None, evaluation["example_id"][0]]
    assert_frame_equal(kept, leaked.slice(2, 3))
    assert cp.guard_training(kept, evaluation) is kept
    again = collect(as_kind(leaked, frame_kind).careful.split_leaks(evaluation).kept)
    assert_frame_equal(again, kept)


def test_mark_leaks_keeps_every_row(frame_kind: str) -> None:
    train, evaluation = split_frames()
    leaked = pl.concat([train, evaluation.slice(1, 1).with_columns(eval_exclusion=pl.lit(False))])
    marked = collect(
        as_kind(leaked, frame_kind).careful.mark_leaks(as_kind(evaluation, frame_kind))
    )
    assert_frame_equal(marked.drop("leak_check", "leak_reason", "leak_ref"), leaked)
    assert marked["leak_check"].to_list() == [None] * 5 + ["eval_overlap"]
    assert marked["leak_ref"].to_list() == [None] * 5 + [evaluation["example_id"][1]]
    kept, rejected = cp.split_leaks(leaked, evaluation)
    assert kept.height == marked["leak_check"].null_count()
    assert rejected["_careful_gate"].to_list() == marked["leak_check"].drop_nulls().to_list()


def test_mark_leaks_refuses_existing_leak_columns(frame_kind: str) -> None:
    train, evaluation = split_frames()
    leaked = pl.concat([train, evaluation.slice(1, 1).with_columns(eval_exclusion=pl.lit(False))])
    mine = as_kind(leaked.with_columns(leak_check=pl.lit("mine")), frame_kind)
    with pytest.raises(ColumnExistsError, match=r"leak_check.*Hint:"):
        cp.mark_leaks(mine, evaluation)
    with pytest.raises(ColumnExistsError, match=r"leak_check.*Hint:"):
        mine.careful.mark_leaks(evaluation)
    # marking twice is the same clash: the first call's columns are not replaced silently
    once = cp.mark_leaks(as_kind(leaked, frame_kind), evaluation)
    with pytest.raises(ColumnExistsError, match="Hint:"):
        cp.mark_leaks(once, evaluation)
    replaced = cp.mark_leaks(mine, evaluation, overwrite=True)
    assert isinstance(replaced, type(mine))
    replaced = collect(replaced)
    assert replaced.columns == [*leaked.columns, "leak_check", "leak_reason", "leak_ref"]
    assert_frame_equal(replaced.drop("leak_check", "leak_reason", "leak_ref"), leaked)
    # the user's "mine" is gone: row 5 is a copy of evaluation row 1, the others are clean
    assert replaced["leak_check"].to_list() == [None] * 5 + ["eval_overlap"]
    assert replaced["leak_ref"].to_list() == [None] * 5 + [evaluation["example_id"][1]]
    assert_frame_equal(collect(cp.mark_leaks(once, evaluation, overwrite=True)), collect(once))
