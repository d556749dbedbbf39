from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from polars.testing import assert_frame_equal

import careful_polars
from careful_polars import datasets
from careful_polars.datasets import PLANTED_KINDS, PLANTED_SHARES, SupportTickets, support_tickets
from careful_polars.exceptions import InvalidParameterError

N_REAL, N_SYN, N_EVAL = 3_000, 3_000, 400

TICKET_SCHEMA = pl.Schema(
    {
        "ticket_id": pl.String,
        "created_at": pl.Datetime("us"),
        "channel": pl.String,
        "text": pl.String,
        "intent": pl.String,
        "priority": pl.Int8,
        "source": pl.String,
        "generator": pl.String,
        "generator_version": pl.String,
        "prompt_hash": pl.String,
        "seed_ticket_id": pl.String,
    }
)
LINEAGE = ["generator", "generator_version", "prompt_hash", "seed_ticket_id"]
COMPLIANCE = {"gdpr_data_request", "account_takeover_report", "chargeback_dispute"}


@pytest.fixture(scope="module")
def tickets() -> SupportTickets:
    return support_tickets(n_real=N_REAL, n_synthetic=N_SYN, n_eval=N_EVAL, seed=7)


# Plain-Python reference: lowercase, split on whitespace, word 5-grams; fewer than five tokens
# make one shingle (the whole token tuple).
def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = text.lower().split()
    if len(tokens) < 5:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + 5]) for i in range(len(tokens) - 4)}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


def texts_by_id(frame: pl.DataFrame) -> dict[str, str]:
    return dict(zip(frame["ticket_id"].to_list(), frame["text"].to_list(), strict=True))


def planted(t: SupportTickets, kind: str) -> pl.DataFrame:
    return t.planted.filter(pl.col("kind") == kind)


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_same_corpus(tickets: SupportTickets) -> None:
    again = support_tickets(n_real=N_REAL, n_synthetic=N_SYN, n_eval=N_EVAL, seed=7)
    for name, frame in tickets.to_dict().items():
        assert_frame_equal(frame, again.to_dict()[name])


def test_different_seed_different_corpus(tickets: SupportTickets) -> None:
    other = support_tickets(n_real=N_REAL, n_synthetic=N_SYN, n_eval=N_EVAL, seed=8)
    for name in ("real", "eval", "synthetic"):
        a, b = tickets.to_dict()[name]["text"], other.to_dict()[name]["text"]
        assert (a != b).mean() > 0.9


def test_real_split_does_not_depend_on_synthetic_size() -> None:
    a = support_tickets(n_real=300, n_synthetic=100, n_eval=50, seed=1)
    b = support_tickets(n_real=300, n_synthetic=900, n_eval=50, seed=1)
    assert_frame_equal(a.real, b.real)
    assert_frame_equal(a.eval, b.eval)


# --- schema contract ----------------------------------------------------------------------------


def test_schema(tickets: SupportTickets) -> None:
    for name, prefix in (("real", "R"), ("eval", "E"), ("synthetic", "S")):
        frame = tickets.to_dict()[name]
        assert frame.schema == TICKET_SCHEMA
        assert frame["ticket_id"].is_unique().all()
        assert frame["ticket_id"].str.contains(rf"^{prefix}-\d{{7}}$").all()
        assert set(frame["channel"].unique()) == {"email", "chat", "phone"}
        assert frame["priority"].is_between(1, 4).all()
        assert frame["text"].null_count() == 0
        assert frame["intent"].null_count() == 0
    for frame in (tickets.real, tickets.eval):
        assert (frame["source"] == "real").all()
        assert frame.select(pl.col(LINEAGE).is_null().all()).row(0) == (True,) * 4
    assert (tickets.synthetic["source"] == "synthetic").all()
    assert tickets.planted.schema == pl.Schema(
        {
            "kind": pl.String,
            "ticket_id": pl.String,
            "ref_ticket_id": pl.String,
            "jaccard": pl.Float64,
            "edits": pl.Int32,
            "pii_kind": pl.String,
            "pii_value": pl.String,
            "missing": pl.String,
        }
    )


def test_all_stacks_the_three_frames(tickets: SupportTickets) -> None:
    stacked = tickets.all()
    assert stacked.columns == ["split", *TICKET_SCHEMA.names()]
    assert stacked.height == N_REAL + N_EVAL + N_SYN
    assert stacked["ticket_id"].is_unique().all()
    counts = dict(stacked.group_by("split").len().iter_rows())
    assert counts == {"real": N_REAL, "eval": N_EVAL, "synthetic": N_SYN}


def test_repr_and_to_dict(tickets: SupportTickets) -> None:
    text = repr(tickets)
    assert text.startswith(f"SupportTickets(real={N_REAL} rows, eval={N_EVAL} rows")
    assert "near_duplicate=150" in text
    assert set(tickets.to_dict()) == {"real", "eval", "synthetic", "planted"}
    with pytest.raises(AttributeError):
        tickets.real = tickets.eval  # type: ignore[misc]


def test_public_module() -> None:
    assert careful_polars.datasets is datasets
    assert "datasets" in careful_polars.__all__


def test_timestamps_and_channels_differ_by_source(tickets: SupportTickets) -> None:
    real_time = tickets.real["created_at"]
    assert real_time.min() >= datetime(2023, 1, 1)  # type: ignore[operator]
    assert real_time.max() < datetime(2025, 1, 1)  # type: ignore[operator]
    syn_time = tickets.synthetic["created_at"]
    assert syn_time.min() >= datetime(2025, 2, 1)  # type: ignore[operator]
    real_email = (tickets.real["channel"] == "email").mean()
    syn_email = (tickets.synthetic["channel"] == "email").mean()
    assert syn_email > real_email + 0.15  # type: ignore[operator]


def test_intents_have_a_long_tail_and_drift(tickets: SupportTickets) -> None:
    real = tickets.real["intent"].value_counts(normalize=True)
    shares = dict(real.iter_rows())
    assert len(shares) >= 20
    big = support_tickets(n_real=40_000, n_synthetic=0, n_eval=0, seed=3).real
    big_shares = dict(big["intent"].value_counts(normalize=True).iter_rows())
    assert len(big_shares) == 25
    for intent in COMPLIANCE:
        assert 0 < big_shares[intent] < 0.01
    syn = dict(tickets.synthetic["intent"].value_counts(normalize=True).iter_rows())
    assert syn["password_reset"] > shares["password_reset"] * 1.2
    rare_real = sum(shares.get(i, 0.0) for i in COMPLIANCE)
    rare_syn = sum(syn.get(i, 0.0) for i in COMPLIANCE)
    assert rare_syn < rare_real


def test_real_is_terse_synthetic_is_polished(tickets: SupportTickets) -> None:
    real_len = tickets.real["text"].str.len_chars().mean()
    syn_len = tickets.synthetic["text"].str.len_chars().mean()
    assert syn_len > 2 * real_len  # type: ignore[operator]
    real_lower = (tickets.real["text"] == tickets.real["text"].str.to_lowercase()).mean()
    assert real_lower > 0.6  # type: ignore[operator]
    polished = tickets.synthetic["text"].str.contains("finds you|delve|Certainly|wonderful")
    assert polished.mean() > 0.3  # type: ignore[operator]
    assert not tickets.real["text"].str.contains(r"\bdelve\b").any()


def test_real_text_carries_personal_data(tickets: SupportTickets) -> None:
    text = tickets.real["text"]
    emails = text.str.contains(r"[a-z0-9._]+@[a-z0-9.]+\.[a-z]+").mean()
    phones = text.str.contains(r"\d{3}[-. )]+\d{3}[-. ]\d{4}|\b\d{10}\b").mean()
    assert emails > 0.1  # type: ignore[operator]
    assert phones > 0.05  # type: ignore[operator]


# --- sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_real", "n_synthetic", "n_eval"),
    [(0, 0, 0), (1, 1, 1), (5, 0, 3), (0, 50, 0), (10, 100, 0), (0, 0, 7), (2, 200, 1)],
)
def test_sizes_are_exact(n_real: int, n_synthetic: int, n_eval: int) -> None:
    t = support_tickets(n_real=n_real, n_synthetic=n_synthetic, n_eval=n_eval, seed=0)
    assert (t.real.height, t.synthetic.height, t.eval.height) == (n_real, n_synthetic, n_eval)
    for frame in (t.real, t.eval, t.synthetic):
        assert frame.schema == TICKET_SCHEMA
    assert t.planted["ticket_id"].is_in(t.synthetic["ticket_id"].implode()).all()
    assert t.all().height == n_real + n_synthetic + n_eval
    if n_real == 0:
        assert t.synthetic["seed_ticket_id"].null_count() == n_synthetic
        assert planted(t, "pii_echo").height == 0
    if n_eval == 0:
        assert planted(t, "eval_copy").height == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_real": -1}, "n_real=-1 is negative"),
        ({"n_synthetic": -5}, "n_synthetic=-5 is negative"),
        ({"n_eval": -1}, "n_eval=-1 is negative"),
        ({"seed": -3}, "seed=-3 is negative"),
        ({"n_real": 1.5}, "not an integer"),
        ({"n_synthetic": "100"}, "not an integer"),
        ({"n_eval": True}, "not an integer"),
    ],
)
def test_bad_sizes_raise(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match) as info:
        support_tickets(**kwargs)  # type: ignore[arg-type]
    assert "Hint:" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_numpy_integers_are_accepted() -> None:
    t = support_tickets(n_real=np.int64(3), n_synthetic=np.int32(4), n_eval=np.int64(2))  # type: ignore[arg-type]
    assert t.synthetic.height == 4


# --- planted defects --------------------------------------------------------------------------


def test_planted_counts_match_shares(tickets: SupportTickets) -> None:
    counts = dict(tickets.planted.group_by("kind").len().iter_rows())
    for kind in PLANTED_KINDS:
        assert counts[kind] == int(N_SYN * PLANTED_SHARES[kind] + 1e-9), kind
    assert tickets.planted["ticket_id"].is_unique().all()
    assert tickets.planted["kind"].to_list() == sorted(
        tickets.planted["kind"].to_list(), key=PLANTED_KINDS.index
    )


def test_eval_copies_capped_by_eval_size() -> None:
    t = support_tickets(n_real=100, n_synthetic=1_000, n_eval=4, seed=2)
    assert planted(t, "eval_copy").height == 4
    assert planted(t, "eval_copy")["ref_ticket_id"].is_unique().all()


def test_exact_duplicates_are_identical(tickets: SupportTickets) -> None:
    text = texts_by_id(tickets.synthetic)
    rows = planted(tickets, "exact_duplicate")
    planted_ids = set(tickets.planted["ticket_id"])
    for ticket_id, ref in zip(rows["ticket_id"], rows["ref_ticket_id"], strict=True):
        assert text[ticket_id] == text[ref]
        assert ref not in planted_ids  # copies are made of generated rows, not of copies
    # Oracle: the only repeated texts in the pool are the planted copies.
    groups: dict[str, list[str]] = {}
    for ticket_id, body in text.items():
        groups.setdefault(body, []).append(ticket_id)
    assert len(text) - len(groups) == rows.height
    refs = set(rows["ref_ticket_id"])
    for members in groups.values():
        if len(members) > 1:
            assert len(members) == 2
            assert refs & set(members)


def test_near_duplicate_jaccard_is_exact(tickets: SupportTickets) -> None:
    text = texts_by_id(tickets.synthetic)
    rows = planted(tickets, "near_duplicate")
    assert rows.height == 150
    for ticket_id, ref, recorded, edits in rows.select(
        "ticket_id", "ref_ticket_id", "jaccard", "edits"
    ).iter_rows():
        assert text[ticket_id] != text[ref]
        assert recorded == pytest.approx(jaccard(text[ticket_id], text[ref]), abs=1e-12)
        assert 0.5 <= recorded < 1.0
        assert edits >= 1
    assert 0.7 < rows["jaccard"].mean() < 0.9  # type: ignore[operator]


def test_eval_copies_trace_to_eval(tickets: SupportTickets) -> None:
    syn, ev = texts_by_id(tickets.synthetic), texts_by_id(tickets.eval)
    rows = planted(tickets, "eval_copy")
    assert rows.height == 30
    intents = dict(zip(tickets.synthetic["ticket_id"], tickets.synthetic["intent"], strict=True))
    eval_intents = dict(zip(tickets.eval["ticket_id"], tickets.eval["intent"], strict=True))
    exact = 0
    for ticket_id, ref, recorded, edits in rows.select(
        "ticket_id", "ref_ticket_id", "jaccard", "edits"
    ).iter_rows():
        assert ref in ev
        assert intents[ticket_id] == eval_intents[ref]
        assert recorded == pytest.approx(jaccard(syn[ticket_id], ev[ref]), abs=1e-12)
        if edits == 0:
            exact += 1
            assert syn[ticket_id] == ev[ref]
        else:
            assert syn[ticket_id] != ev[ref]
    assert exact == 15
    # Eval copies look like real tickets, but carry the generator's lineage.
    copies = tickets.synthetic.filter(pl.col("ticket_id").is_in(rows["ticket_id"].implode()))
    assert copies["generator"].null_count() == 0


def test_pii_echoes_appear_in_both(tickets: SupportTickets) -> None:
    syn, real = texts_by_id(tickets.synthetic), texts_by_id(tickets.real)
    rows = planted(tickets, "pii_echo")
    assert rows.height == 30
    seeds = dict(
        zip(tickets.synthetic["ticket_id"], tickets.synthetic["seed_ticket_id"], strict=True)
    )
    for ticket_id, ref, kind, value in rows.select(
        "ticket_id", "ref_ticket_id", "pii_kind", "pii_value"
    ).iter_rows():
        assert kind in {"email", "phone", "name"}
        assert value and value in real[ref]
        assert value in syn[ticket_id]
        assert seeds[ticket_id] == ref
        if kind == "email":
            assert re.fullmatch(r"[a-z0-9._]+@[a-z0-9.]+", value)


def test_no_unplanted_personal_data_in_generated_rows(tickets: SupportTickets) -> None:
    # Generated rows never carry e-mail addresses unless planted (PII echo) or leaked (eval).
    allowed = planted(tickets, "pii_echo")["ticket_id"].to_list()
    allowed += planted(tickets, "eval_copy")["ticket_id"].to_list()
    with_at = tickets.synthetic.filter(pl.col("text").str.contains("@", literal=True))
    assert set(with_at["ticket_id"]) <= set(allowed)


def test_missing_provenance(tickets: SupportTickets) -> None:
    rows = planted(tickets, "missing_provenance")
    nulls = tickets.synthetic.filter(
        pl.col("generator").is_null() | pl.col("prompt_hash").is_null()
    )
    assert set(nulls["ticket_id"]) == set(rows["ticket_id"])
    assert rows["ref_ticket_id"].null_count() == rows.height
    by_id = {r["ticket_id"]: r for r in nulls.iter_rows(named=True)}
    for ticket_id, missing in rows.select("ticket_id", "missing").iter_rows():
        row = by_id[ticket_id]
        fields = set(missing.split(","))
        assert (row["generator"] is None) == ("generator" in fields)
        assert (row["generator_version"] is None) == ("generator" in fields)
        assert (row["prompt_hash"] is None) == ("prompt_hash" in fields)


def test_seed_tickets_are_real_and_same_intent(tickets: SupportTickets) -> None:
    real_intent = dict(zip(tickets.real["ticket_id"], tickets.real["intent"], strict=True))
    syn = tickets.synthetic.filter(pl.col("seed_ticket_id").is_not_null())
    assert 0.8 < syn.height / N_SYN < 0.95
    for intent, seed in syn.select("intent", "seed_ticket_id").iter_rows():
        assert real_intent[seed] == intent


# --- no spurious near-duplicates ---------------------------------------------------------------


def max_pair_jaccard(texts: list[str]) -> tuple[float, tuple[int, int]]:
    """Largest exact word-5-gram Jaccard over all pairs (sparse brute force)."""
    vocab: dict[tuple[str, ...], int] = {}
    rows, cols = [], []
    for i, body in enumerate(texts):
        for gram in shingles(body):
            rows.append(i)
            cols.append(vocab.setdefault(gram, len(vocab)))
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocab)))
    inter = (x @ x.T).toarray()
    sizes = np.diag(inter)
    sim = inter / (sizes[:, None] + sizes[None, :] - inter)
    np.fill_diagonal(sim, 0.0)
    i, j = np.unravel_index(int(np.argmax(sim)), sim.shape)
    return float(sim[i, j]), (int(i), int(j))


def test_max_pair_jaccard_matches_python_loop() -> None:
    texts = ["a b c d e f", "a b c d e g", "x y", "x y", "p q r s t u v"]
    best, pair = max_pair_jaccard(texts)
    brute = max(
        (jaccard(texts[i], texts[j]), (i, j))
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
    )
    assert best == pytest.approx(brute[0]) and pair == brute[1]


def test_unrelated_real_tickets_are_not_near_duplicates(tickets: SupportTickets) -> None:
    texts = tickets.real["text"].head(1_600).to_list() + tickets.eval["text"].to_list()
    best, pair = max_pair_jaccard(texts)
    assert best < 0.5, (best, texts[pair[0]], texts[pair[1]])


def test_unplanted_synthetic_rows_are_not_near_duplicates(tickets: SupportTickets) -> None:
    unplanted = tickets.synthetic.filter(
        ~pl.col("ticket_id").is_in(tickets.planted["ticket_id"].implode())
    )
    texts = unplanted["text"].head(2_000).to_list()
    best, pair = max_pair_jaccard(texts)
    assert best < 0.5, (best, texts[pair[0]], texts[pair[1]])


# --- private helpers against the reference ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("", ""),
        ("", "a"),
        ("a b", "A  b"),
        ("a b c d", "a b c d e"),
        ("a b c d e", "a b c d e"),
        ("one two three four five six", "one two three four five six seven"),
        ("x y x y x y x y", "x y x y x y"),
        ("Line one\nline two\tthree four five", "line one line two three four five"),
    ],
)
def test_jaccard_helper_matches_reference(a: str, b: str) -> None:
    got = datasets._jaccard(pl.Series([a]), pl.Series([b]))[0]
    assert got == pytest.approx(jaccard(a, b), abs=1e-12)


def test_edit_words_keeps_unedited_rows() -> None:
    rng = np.random.default_rng(0)
    texts = pl.Series(["keep\nthis  as is", "edit me please now", "x"])
    out, applied = datasets._edit_words(rng, texts, np.array([0, 2, 1]), ["zz"])
    assert applied[0] == 0 and 1 <= applied[1] <= 2 and applied[2] == 1
    assert out[0] == texts[0]
    assert out[1] != texts[1] and "zz" in out[1]
    assert out[2] in {"x zz", "zz"}


def test_only_verbatim_eval_copies_repeat_real_text(tickets: SupportTickets) -> None:
    real_texts = set(tickets.real["text"]) | set(tickets.eval["text"])
    repeated = {
        ticket_id
        for ticket_id, body in texts_by_id(tickets.synthetic).items()
        if body in real_texts
    }
    verbatim = planted(tickets, "eval_copy").filter(pl.col("edits") == 0)
    assert repeated == set(verbatim["ticket_id"])


def test_templates_are_ascii() -> None:
    # The typo step slices by byte offsets; the templates must stay ASCII.
    from careful_polars import _support_text as tx

    vocab = tx.load()
    texts: list[str] = []
    for intent in vocab.intents:
        texts += [*intent.real_issue, *intent.real_detail]
        texts += [*intent.synthetic_purpose, *intent.synthetic_detail]
    for pools in (vocab.real, vocab.synthetic):
        for pool in pools:
            texts += list(pool)
    assert all(t.isascii() for t in texts)


def test_vocabulary_is_read_on_first_use_not_at_import() -> None:
    import subprocess
    import sys

    code = (
        "import careful_polars; from careful_polars import _support_text as tx; "
        "print(tx.load.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
