from __future__ import annotations

import random
import re

import polars as pl
import pytest

import careful_polars as cp
from careful_polars.exceptions import InvalidParameterError
from careful_polars.memorisation import ngram_table
from tests.conftest import as_kind

_WORD = re.compile(r"[A-Za-z0-9\x80-\U0010FFFF]+")
VOCAB = ["order", "refund", "late", "card", "charged", "twice", "please", "help", "app", "crash",
         "login", "reset", "password", "delivery", "address", "Grüße", "naïve", "café"]  # fmt: skip


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def words(text: str) -> list[tuple[str, int, int]]:
    """Words as the kernel defines them; only ASCII letters are case-folded."""
    return [(m.group().translate(_ASCII_LOWER), m.start(), m.end()) for m in _WORD.finditer(text)]


def brute_force(syn: list[str], real: list[str], n: int) -> set[tuple[int, int, int, int]]:
    """(row, start, end, n_words) of maximal runs of synthetic n-grams found in a real row."""
    real_grams = set()
    for text in real:
        w = [x[0] for x in words(text)]
        real_grams |= {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}
    out = set()
    for row, text in enumerate(syn):
        w = words(text)
        hits = [i for i in range(len(w) - n + 1) if tuple(x[0] for x in w[i : i + n]) in real_grams]
        runs: list[list[int]] = []
        for i in hits:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            first, last = run[0], run[-1]
            out.add((row, w[first][1], w[last + n - 1][2], last - first + n))
    return out


def sentence(rng: random.Random, k: int) -> str:
    seps = [" ", " ", "  ", ", ", "! ", "\n"]
    return "".join(rng.choice(VOCAB) + rng.choice(seps) for _ in range(k)).strip()


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [3, 6])
def test_against_brute_force(seed: int, n: int, frame_kind: str) -> None:
    rng = random.Random(seed)
    real = [sentence(rng, rng.randint(0, 25)) for _ in range(40)]
    syn = []
    for _ in range(60):
        text = sentence(rng, rng.randint(0, 20))
        if rng.random() < 0.4:  # plant a copied span (with changed case and punctuation)
            src = words(rng.choice(real))
            if len(src) > n:
                i = rng.randint(0, len(src) - n)
                copied = " ".join(w[0].upper() for w in src[i : i + n + rng.randint(0, 4)])
                text = f"{text} {copied} {sentence(rng, 3)}"
        syn.append(text)
    got = cp.memorised_spans(
        as_kind(pl.DataFrame({"text": real}), frame_kind),
        as_kind(pl.DataFrame({"text": syn}), frame_kind),
        min_words=n,
    )
    assert set(got.select("row", "start", "end", "n_words").iter_rows()) == brute_force(
        syn, real, n
    )
    for row, start, end, span in got.select("row", "start", "end", "span").iter_rows():
        assert syn[row][start:end] == span


def test_reports_ids_and_real_source() -> None:
    real = pl.DataFrame({"rid": ["r1", "r2"], "body": ["a b c d e f g", "x y z w v u t"]})
    syn = pl.DataFrame({"sid": ["s1", "s2", "s3"], "text": ["q x y z w v", "nothing", "a b c d e"]})
    got = cp.memorised_spans(real, syn, real_text="body", key="sid", real_key="rid", min_words=4)
    assert got.columns == ["sid", "rid", "start", "end", "n_words", "span"]
    assert got.select("sid", "rid", "n_words", "span").rows() == [
        ("s1", "r2", 5, "x y z w v"),
        ("s3", "r1", 5, "a b c d e"),
    ]
    by_chars = cp.memorised_spans(real["body"], syn["text"], min_chars=9, min_words=2)
    assert by_chars["span"].to_list() == ["x y z w v", "a b c d e"]
    assert cp.memorised_spans(real["body"], syn["text"], min_chars=100).height == 0
    assert real.careful.memorised_spans(syn, real_text="body", min_words=5).height == 2


def test_ngram_table_offsets() -> None:
    s = pl.Series(["Grüße, café!  naïve x", None, "", "one"])
    table = ngram_table(s, n_words=1)
    for row, start, end in table.select("row", "start", "end").iter_rows():
        text = s[row]
        assert (start, end) in {(w[1], w[2]) for w in words(text)}
    assert table.height == 5


def test_errors() -> None:
    df = pl.DataFrame({"text": ["a"]})
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.memorised_spans(df, df, min_words=0)
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.memorised_spans(df, df["text"], key="x")


def test_one_pass_hashes_equal_two_pass_hashes() -> None:
    rng = random.Random(5)
    texts = [
        None
        if rng.random() < 0.05
        else " ,".join(rng.choice(VOCAB) for _ in range(rng.randint(0, 30)))
        for _ in range(2000)
    ]
    s = pl.Series(texts, dtype=pl.String)
    for n in (1, 2, 5, 13):
        two_pass = ngram_table(s, n_words=n, positions=True).select("hash", "row")
        assert two_pass.equals(ngram_table(s, n_words=n, positions=False))


def test_max_sources_ignores_boilerplate() -> None:
    template = "thank you for contacting northwind support how can i help"
    real = pl.DataFrame(
        {"text": [f"{template} my order 1 is late", f"{template} reset my password", "a b c d e f"]}
    )
    syn = pl.DataFrame({"text": [f"hi {template} today", "so a b c d e f g"]})
    everything = cp.memorised_spans(real, syn, min_words=5)
    assert everything["row"].to_list() == [0, 1]
    specific = cp.memorised_spans(real, syn, min_words=5, max_sources=1)
    assert specific.select("row", "real_row", "span").rows() == [(1, 2, "a b c d e f")]
    with pytest.raises(InvalidParameterError, match="Hint"):
        cp.memorised_spans(real, syn, max_sources=0)
