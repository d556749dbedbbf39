"""Reference (oracle) implementation of the careful-minhash-1 scheme in plain Python.

Tokens by a regex over bytes, shingles as joined bytes, xxhash for the shingle hash and
datasketch's own affine32 MinHash for the permutations: nothing from careful_polars.
"""

from __future__ import annotations

import re
from itertools import combinations

import xxhash
from datasketch import MinHash

_SEP_NORM = re.compile(rb"[^0-9A-Za-z\x80-\xff]+")
_SEP_RAW = re.compile(rb"[ \t\n\v\f\r]+")


def tokens(text: str, normalize: bool = True) -> list[bytes]:
    raw = text.encode()
    if normalize:
        return [t.lower() for t in _SEP_NORM.split(raw) if t]
    return [t for t in _SEP_RAW.split(raw) if t]


def shingles(text: str | None, ngram: int, unit: str = "word", normalize: bool = True):
    if text is None:
        return None
    toks = tokens(text, normalize)
    if not toks:
        return None
    if unit == "word":
        if len(toks) <= ngram:
            return {b" ".join(toks)}
        return {b" ".join(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)}
    s = b" ".join(toks).decode()
    if len(s) <= ngram:
        return {s.encode()}
    return {s[i : i + ngram].encode() for i in range(len(s) - ngram + 1)}


def signature(text, num_perm, ngram, seed, unit="word", normalize=True):
    sh = shingles(text, ngram, unit, normalize)
    if sh is None:
        return None
    m = MinHash(
        num_perm=num_perm,
        seed=seed,
        scheme="affine32",
        hashfunc=lambda b: xxhash.xxh64_intdigest(b) & 0xFFFFFFFF,
    )
    m.update_batch(sorted(sh))
    return [int(v) for v in m.hashvalues]


def jaccard(a, b) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def true_pairs(texts, threshold, ngram, unit="word"):
    sets = [shingles(t, ngram, unit) for t in texts]
    return {
        (i, j): jaccard(sets[i], sets[j])
        for i, j in combinations(range(len(texts)), 2)
        if sets[i] and sets[j] and jaccard(sets[i], sets[j]) >= threshold
    }


def components(n, pairs):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def corpus(n_base=60, n_var=40, seed=0, length=40):
    """Random documents plus edited copies (substitutions) of some of them."""
    import random

    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    base = [[rng.choice(vocab) for _ in range(length)] for _ in range(n_base)]
    docs = [" ".join(b) for b in base]
    for _ in range(n_var):
        w = list(base[rng.randrange(n_base)])
        for _ in range(rng.randrange(0, 5)):
            w[rng.randrange(len(w))] = rng.choice(vocab)
        docs.append(" ".join(w))
    rng.shuffle(docs)
    return docs
