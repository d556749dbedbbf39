from __future__ import annotations

import re
import sys
import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careful_polars as cp

# Unicode White_Space (what Rust's regex \s matches)
WHITE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def oracle(
    text: str,
    *,
    nfkc: bool = True,
    casefold: bool = True,
    collapse_whitespace: bool = True,
    strip_punctuation: bool = False,
    strip_accents: bool = False,
) -> str:
    if strip_accents:
        text = unicodedata.normalize("NFKD" if nfkc else "NFD", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        if nfkc:
            text = unicodedata.normalize("NFKC", text)
    elif nfkc:
        text = unicodedata.normalize("NFKC", text)
    if casefold:
        text = text.casefold()
    if strip_punctuation:
        text = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
    if collapse_whitespace:
        text = re.sub(f"[{re.escape(WHITE)}]+", " ", text).strip(WHITE)
    return text


# characters Python 3.x's Unicode database knows (newer ones may differ by Unicode version)
assigned = st.characters(
    codec="utf-8",
    exclude_categories=("Cn", "Cs", "Co"),
    max_codepoint=0x2FFFF,
)
texts = st.text(
    alphabet=assigned | st.sampled_from(list(WHITE) + list("ßẞΣς,.!?-'éÉﬁ")), max_size=40
)

OPTIONS = [
    {},
    {"strip_punctuation": True},
    {"strip_accents": True},
    {"nfkc": False, "casefold": False},
    {"collapse_whitespace": False, "strip_accents": True, "nfkc": False},
]


@pytest.mark.hypothesis
@pytest.mark.parametrize("options", OPTIONS)
@given(values=st.lists(texts, max_size=20))
@settings(max_examples=60, deadline=None)
def test_normalize_text_matches_python_unicode(values: list[str], options: dict[str, bool]) -> None:
    if sys.version_info < (3, 11):
        pytest.skip("oracle's Unicode database is older")
    got = pl.Series(values, dtype=pl.String).to_frame("t").select(cp.normalize_text("t", **options))
    expected = [oracle(v, **options) for v in values]
    assert got.to_series().to_list() == expected


def test_examples() -> None:
    s = pl.Series(["  Straße\u00a0 ＡＢＣ ", "Héllo,  World!", None, "ΣΑΣ"])
    out = s.to_frame("t").select(cp.normalize_text("t")).to_series().to_list()
    assert out == ["strasse abc", "héllo, world!", None, "σασ"]
    bare = (
        s.to_frame("t")
        .select(cp.normalize_text("t", strip_punctuation=True, strip_accents=True))
        .to_series()
        .to_list()
    )
    assert bare == ["strasse abc", "hello world", None, "σασ"]


def test_lazy_and_eager_agree() -> None:
    df = pl.DataFrame({"t": ["A  b", "ß"]})
    assert (
        df.lazy().select(cp.normalize_text("t")).collect().equals(df.select(cp.normalize_text("t")))
    )
