from __future__ import annotations

import math
from collections import Counter

import polars as pl
import pytest

from careful_polars.style import style_fingerprints, style_score


def _oracle(ref: list[str], cand: list[str], prior: float) -> dict[str, float]:
    def counts(texts: list[str]) -> Counter[str]:
        return Counter(w for t in texts for w in t.lower().split())

    yc, yr = counts(cand), counts(ref)
    vocab = set(yc) | set(yr)
    a = {w: prior * (yc[w] + yr[w]) for w in vocab}
    a0, nc, nr = sum(a.values()), sum(yc.values()), sum(yr.values())
    out = {}
    for w in vocab:
        d = math.log((yc[w] + a[w]) / (nc + a0 - yc[w] - a[w])) - math.log(
            (yr[w] + a[w]) / (nr + a0 - yr[w] - a[w])
        )
        out[w] = d / math.sqrt(1 / (yc[w] + a[w]) + 1 / (yr[w] + a[w]))
    return out


def test_monroe_oracle() -> None:
    ref = ["my order is late", "refund my order please", "late again"]
    cand = ["i hope you are well my order is late", "i hope all is well refund please"]
    got = style_fingerprints(pl.DataFrame({"text": ref}), pl.DataFrame({"text": cand}),
                             n=(1, 1), top=100, prior=0.5)  # fmt: skip
    want = _oracle(ref, cand, 0.5)
    assert set(got["ngram"]) == set(want)
    for g, z in zip(got["ngram"], got["z"], strict=True):
        assert z == pytest.approx(want[g], abs=1e-9)


def test_score_and_bad_n() -> None:
    fp = pl.DataFrame({"ngram": ["i hope"]})
    df = pl.DataFrame({"text": ["I hope so", "no"]})
    assert df.select(style_score("text", fingerprints=fp))["text"].to_list() == pytest.approx(
        [1 / 3, 0.0]
    )
    with pytest.raises(ValueError, match="Hint"):
        style_fingerprints(df, df, n=(3, 1))
