"""Personal data and secrets in text: find, redact, flag, and echoes of real identifiers.

Every detector is a regular expression run by Polars' Rust regex engine, followed (for the
kinds with a checksum or a reserved range) by a validation written as Polars expressions over the
candidate matches: the Luhn checksum for payment cards, ISO 13616 mod-97 for IBANs, and the
reserved area/group/serial ranges for US social security numbers. No Python runs per row.

Kinds, in priority order (when two candidates overlap, the earlier kind wins):

``private_key``, ``bearer_token``, ``api_key``, ``email``, ``iban``, ``credit_card``, ``ssn``,
``ipv6``, ``ipv4``, ``phone``.

Positions are character offsets (as Python's ``str`` indexes them), end exclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from careful_polars._utils import check_columns, check_new_columns, like_input, parse_into_expr
from careful_polars.exceptions import InvalidParameterError

if TYPE_CHECKING:
    from careful_polars._typing import FrameT, IntoExpr

__all__ = [
    "PII_KINDS",
    "echoed_identifiers",
    "find_pii",
    "has_pii",
    "redact_pii",
]

# --- detectors ------------------------------------------------------------------------------

_HEX = "[0-9A-Fa-f]{1,4}"
_IPV6 = "|".join(  # ordered so that leftmost-first alternation takes the longest form
    [
        rf"(?:{_HEX}:){{7}}{_HEX}",
        rf"{_HEX}:(?::{_HEX}){{1,6}}",
        rf"(?:{_HEX}:){{1,2}}(?::{_HEX}){{1,5}}",
        rf"(?:{_HEX}:){{1,3}}(?::{_HEX}){{1,4}}",
        rf"(?:{_HEX}:){{1,4}}(?::{_HEX}){{1,3}}",
        rf"(?:{_HEX}:){{1,5}}(?::{_HEX}){{1,2}}",
        rf"(?:{_HEX}:){{1,6}}:{_HEX}",
        rf"::(?:{_HEX}:){{0,5}}{_HEX}",
        rf"(?:{_HEX}:){{1,7}}:",
    ]
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

#: kind -> regular expression (Rust ``regex`` syntax), in priority order.
_PATTERNS: dict[str, str] = {
    "private_key": r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----",
    "bearer_token": (
        r"\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{15,}[A-Za-z0-9\-_~+/]=*"
        r"|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    ),
    "api_key": (
        r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b"
        r"|\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b"
        r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"
        r"|\bgh[pousr]_[A-Za-z0-9]{36,}\b"
        r"|\bxox[abprs]-[A-Za-z0-9-]{10,}\b"
        r"|\bAIza[0-9A-Za-z_-]{35}\b"
    ),
    "email": (
        r"\b[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b"
    ),
    "iban": r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
    "credit_card": r"\b[2-6]\d{3}(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b",
    "ssn": r"\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b",
    "ipv6": rf"(?:{_IPV6})",
    "ipv4": rf"\b{_OCTET}(?:\.{_OCTET}){{3}}\b",
    "phone": (
        r"\+[1-9](?:[ .\-]?\(?\d\)?){7,14}\b"
        r"|(?:\b1[ .-]?)?(?:\([2-9]\d{2}\) ?|\b[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}\b"
    ),
}


def _ascii(pattern: str) -> str:
    # ASCII word boundaries and digits keep Rust's lazy DFA usable on non-ASCII text (a
    # Unicode \b makes it fall back to a much slower engine whenever a row is not pure ASCII)
    ascii_only = pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]")
    return ascii_only.replace(r"\s", r"[ \t\r\n]")


_PATTERNS = {kind: _ascii(pattern) for kind, pattern in _PATTERNS.items()}

#: The kinds of personal data and secrets detected, in priority order.
PII_KINDS: tuple[str, ...] = tuple(_PATTERNS)

_PRIORITY = {kind: i for i, kind in enumerate(PII_KINDS)}
#: Kinds made of digits: a match glued to a letter, digit, ``-``, ``/``, ``#``, ``_`` or a
#: dotted continuation is part of a longer token (an order number, a version), not PII.
_DIGIT_KINDS = ("credit_card", "ssn", "ipv4", "phone", "iban")
_GLUE_BEFORE = r"[A-Za-z0-9_/#\-.:]"
_GLUE_AFTER = r"[A-Za-z0-9_/#\-]|[.:]\d"
_SPAN = pl.Struct({"kind": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String})
_IBAN_LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
_IBAN_VALUES = [str(10 + i) for i in range(26)]
#: ISO 13616 IBAN lengths by country (the registry, release 2024).
_IBAN_LENGTH = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
    "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def check_kinds(kinds: Sequence[str] | None) -> tuple[str, ...]:
    if kinds is None:
        return PII_KINDS
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = [k for k in kinds if k not in _PRIORITY]
    if unknown or not kinds:
        msg = f"unknown PII kinds {unknown or kinds!r}. Hint: choose from {list(PII_KINDS)}."
        raise InvalidParameterError(msg)
    return tuple(k for k in PII_KINDS if k in kinds)


# --- validators (Polars expressions over one candidate match per row) -----------------------


def _digit(s: pl.Expr, i: int) -> pl.Expr:
    return s.str.slice(i, 1).cast(pl.Int64, strict=False).fill_null(0)


def _luhn_ok(match: pl.Expr) -> pl.Expr:
    digits = match.str.replace_all(r"\D", "")
    rev = digits.str.reverse()
    total = pl.lit(0, dtype=pl.Int64)
    for i in range(19):
        d = _digit(rev, i)
        if i % 2 == 1:
            d = pl.when(d * 2 > 9).then(d * 2 - 9).otherwise(d * 2)
        total = total + d
    length = digits.str.len_chars()
    # issuer prefixes: Visa 4, Mastercard 51-55/2221-2720, Amex 34/37, Discover 6, JCB 35
    prefix = digits.str.contains(r"^(?:4|5[1-5]|2[2-7]|3[47]|35|6)")
    return (total % 10 == 0) & length.is_between(13, 19) & prefix


def _iban_ok(match: pl.Expr) -> pl.Expr:
    s = match.str.replace_all(" ", "")
    country = s.str.slice(0, 2)
    expected = country.replace_strict(_IBAN_LENGTH, default=None, return_dtype=pl.Int64)
    rearranged = pl.concat_str(s.str.slice(4), s.str.slice(0, 4))
    numeric = rearranged.str.replace_many(_IBAN_LETTERS, _IBAN_VALUES)
    remainder = pl.lit(0, dtype=pl.Int64)
    for i in range(0, 72, 9):  # piecewise mod 97 over 9-digit chunks (fits in Int64)
        chunk = numeric.str.slice(i, 9)
        # an empty chunk multiplies by 10**0 and adds 0; remainder is referenced once per
        # step so the expression stays linear in the number of chunks
        scale = pl.lit(10, dtype=pl.Int64).pow(chunk.str.len_chars().cast(pl.Int64))
        value = chunk.cast(pl.Int64, strict=False).fill_null(0)
        remainder = (remainder * scale + value) % 97
    return (s.str.len_chars() == expected) & (remainder == 1)


def _ssn_ok(match: pl.Expr) -> pl.Expr:
    digits = match.str.replace_all(r"\D", "")
    area = digits.str.slice(0, 3).cast(pl.Int32, strict=False)
    group = digits.str.slice(3, 2).cast(pl.Int32, strict=False)
    serial = digits.str.slice(5, 4).cast(pl.Int32, strict=False)
    return (
        (area > 0)
        & (area != 666)
        & (area < 900)
        & (group > 0)
        & (serial > 0)
        & ~digits.is_in(["078051120", "219099999", "123456789"])
    )


def _ipv6_ok(match: pl.Expr) -> pl.Expr:
    # a bare "12:30::" or a clock time is not an address: want >= 3 groups or a hex letter
    groups = match.str.count_matches(r"[0-9A-Fa-f]+")
    return (groups >= 3) | match.str.contains(r"[A-Fa-f]")


_VALIDATORS = {
    "credit_card": _luhn_ok,
    "iban": _iban_ok,
    "ssn": _ssn_ok,
    "ipv6": _ipv6_ok,
}


# --- span extraction ------------------------------------------------------------------------


def _candidate_spans(texts: pl.DataFrame, kinds: tuple[str, ...]) -> pl.DataFrame:
    """One row per validated, non-overlapping span: ``_row, kind, start, end, text``.

    ``texts`` has ``_row`` (UInt32) and ``_t`` (String). Positions come from a second pass
    of the same pattern behind a lazy ``(?s).*?`` prefix: its k-th match ends where the k-th
    match of the pattern ends, so the running sum of its lengths is the end offset.
    """
    frames = []
    for kind in kinds:
        pattern = _PATTERNS[kind]
        rows = texts.filter(pl.col("_t").str.contains(pattern))
        if rows.height == 0:
            continue
        spans = (
            rows.select(
                "_row",
                "_t",
                pl.col("_t").str.extract_all(pattern).alias("text"),
                pl.col("_t").str.extract_all(f"(?s).*?(?:{pattern})").alias("_piece"),
            )
            .explode(["text", "_piece"])
            .with_columns(
                pl.col("_piece").str.len_chars().cum_sum().over("_row").cast(pl.Int64).alias("end")
            )
            .with_columns((pl.col("end") - pl.col("text").str.len_chars()).alias("start"))
        )
        ok = pl.lit(True)
        if kind in _VALIDATORS:
            ok = _VALIDATORS[kind](pl.col("text"))
        if kind in _DIGIT_KINDS:
            before = pl.col("_t").str.slice(pl.col("start") - 1, 1)
            after = pl.col("_t").str.slice(pl.col("end"), 2)
            glued = (pl.col("start") > 0) & before.str.contains(_GLUE_BEFORE)
            glued = glued | after.str.contains(f"^(?:{_GLUE_AFTER})")
            if kind in ("credit_card", "ssn"):  # the tail of a longer run of digit groups
                run = pl.col("_t").str.slice(pl.col("start") - 2, 2)
                glued = glued | ((pl.col("start") > 1) & run.str.contains(r"^\d[ -]$"))
            ok = ok & ~glued
        frames.append(
            spans.filter(ok).select(
                "_row",
                pl.lit(kind).alias("kind"),
                "start",
                "end",
                "text",
                pl.lit(_PRIORITY[kind], dtype=pl.Int32).alias("_prio"),
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={"_row": pl.UInt32, "kind": pl.String, "start": pl.Int64, "end": pl.Int64,
                    "text": pl.String}
        )  # fmt: skip
    spans = pl.concat(frames).with_row_index("_sid")
    # drop a span that overlaps a span of a higher-priority kind (or a longer one of the same)
    other = spans.select(
        "_row",
        pl.col("_sid").alias("_osid"),
        pl.col("start").alias("_ostart"),
        pl.col("end").alias("_oend"),
        pl.col("_prio").alias("_oprio"),
    )
    beaten = (
        spans.join(other, on="_row")
        .filter(
            (pl.col("_sid") != pl.col("_osid"))
            & (pl.col("_ostart") < pl.col("end"))
            & (pl.col("start") < pl.col("_oend"))
            & (
                (pl.col("_oprio") < pl.col("_prio"))
                | (
                    (pl.col("_oprio") == pl.col("_prio"))
                    & (
                        (pl.col("_oend") - pl.col("_ostart") > pl.col("end") - pl.col("start"))
                        | (
                            (pl.col("_oend") - pl.col("_ostart") == pl.col("end") - pl.col("start"))
                            & (pl.col("_osid") < pl.col("_sid"))
                        )
                    )
                )
            )
        )
        .select("_sid")
        .unique()
    )
    return (
        spans.join(beaten, on="_sid", how="anti")
        .sort("_row", "start")
        .select("_row", "kind", "start", "end", "text")
    )


def _prefilter(kinds: tuple[str, ...]) -> str:
    return "|".join(f"(?:{_PATTERNS[k]})" for k in kinds)


def _texts(series: pl.Series, kinds: tuple[str, ...]) -> pl.DataFrame:
    """Rows of ``series`` that match any pattern at all (cheap one-pass prefilter)."""
    frame = pl.DataFrame({"_t": series.cast(pl.String)}).with_row_index("_row")
    return frame.filter(pl.col("_t").str.contains(_prefilter(kinds)))


def _find_series(series: pl.Series, kinds: tuple[str, ...]) -> pl.Series:
    spans = _candidate_spans(_texts(series, kinds), kinds)
    grouped = spans.group_by("_row").agg(pl.struct("kind", "start", "end", "text").alias("pii"))
    out = (
        pl.DataFrame({"_row": pl.arange(0, len(series), dtype=pl.UInt32, eager=True)})
        .join(grouped, on="_row", how="left", maintain_order="left")
        .select(
            pl.when(pl.lit(series).is_null())
            .then(None)
            .otherwise(pl.col("pii").fill_null(pl.lit([], dtype=pl.List(_SPAN))))
        )
        .to_series()
    )
    typed: pl.Series = out.cast(pl.List(_SPAN)).alias(series.name)
    return typed


def _has_series(series: pl.Series, kinds: tuple[str, ...]) -> pl.Series:
    texts = _texts(series, kinds)
    validated = [k for k in kinds if k in _VALIDATORS or k in _DIGIT_KINDS]
    plain = [k for k in kinds if k not in validated]
    flagged = []
    if plain:
        flagged.append(texts.filter(pl.col("_t").str.contains(_prefilter(tuple(plain))))["_row"])
    if validated:
        flagged.append(_candidate_spans(texts, tuple(validated))["_row"])
    hit = pl.Series("_row", [], dtype=pl.UInt32)
    if flagged:
        hit = pl.concat(flagged)
    rows = pl.arange(0, len(series), dtype=pl.UInt32, eager=True)
    result = rows.is_in(hit.implode())
    flags: pl.Series = (
        pl.select(pl.when(pl.lit(series).is_null()).then(None).otherwise(pl.lit(result)))
        .to_series()
        .alias(series.name)
    )
    return flags


def _redact_series(series: pl.Series, kinds: tuple[str, ...], replacement: str) -> pl.Series:
    spans = _candidate_spans(_texts(series, kinds), kinds)
    if spans.height == 0:
        unchanged: pl.Series = series.cast(pl.String)
        return unchanged
    text = pl.DataFrame({"_t": series.cast(pl.String)}).with_row_index("_row")
    labels = {k: replacement.replace("{kind}", k).replace("{KIND}", k.upper()) for k in kinds}
    label = pl.col("kind").replace_strict(labels, return_dtype=pl.String)
    pieces = (
        spans.join(text, on="_row")
        .sort("_row", "start")
        .with_columns(
            pl.col("end").shift(1, fill_value=0).over("_row").alias("_prev"),
        )
        .select(
            "_row",
            pl.concat_str(
                pl.col("_t").str.slice(pl.col("_prev"), pl.col("start") - pl.col("_prev")),
                label,
            ).alias("_piece"),
            pl.col("end"),
        )
    )
    redacted = (
        pieces.group_by("_row")
        .agg(pl.col("_piece").str.join(""), pl.col("end").max())
        .join(text, on="_row")
        .select("_row", pl.concat_str("_piece", pl.col("_t").str.slice(pl.col("end"))).alias("_r"))
    )
    return (
        text.join(redacted, on="_row", how="left", maintain_order="left")
        .select(pl.coalesce("_r", "_t"))
        .to_series()
        .alias(series.name)
    )


# --- public API -----------------------------------------------------------------------------


def find_pii(expr: IntoExpr, *, kinds: Sequence[str] | None = None) -> pl.Expr:
    """Return, per row, the list of personal data and secrets found in a text column.

    Parameters
    ----------
    expr
        String column (name, expression or Series).
    kinds
        Kinds to look for (default: all of :data:`PII_KINDS`).

    Returns
    -------
    pl.Expr
        ``List(Struct{kind: String, start: Int64, end: Int64, text: String})``; ``start`` and
        ``end`` are character offsets (end exclusive); an empty list when nothing is found,
        null for a null text. Overlapping candidates keep the higher-priority kind.

    Raises
    ------
    InvalidParameterError
        If ``kinds`` names an unknown kind.

    See Also
    --------
    has_pii, redact_pii, echoed_identifiers

    Notes
    -----
    The expression sees the whole column in one batch (``map_batches``), which is faster than
    streaming morsels for these multi-pass scans. Payment cards must pass the Luhn checksum and carry a known issuer prefix; IBANs must pass
    the ISO 13616 mod-97 check and have their country's length; SSNs with area 000, 666 or
    900-999, group 00 or serial 0000 are ignored. Digit patterns glued to letters, ``-``,
    ``/``, ``#`` or a dotted continuation (order numbers, versions) are not reported.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["mail ann@example.com", "order ORD-2023-0042", None]})
    >>> df.select(cp.find_pii("text")).to_series().to_list()
    [[{'kind': 'email', 'start': 5, 'end': 20, 'text': 'ann@example.com'}], [], None]
    """
    chosen = check_kinds(kinds)
    return parse_into_expr(expr).map_batches(
        lambda s: _find_series(s, chosen), return_dtype=pl.List(_SPAN), is_elementwise=False
    )


def has_pii(expr: IntoExpr, *, kinds: Sequence[str] | None = None) -> pl.Expr:
    """Return whether each row contains personal data or a secret (null for a null text).

    Cheaper than ``find_pii(...).list.len() > 0``: kinds without a checksum or context rule
    are answered by one regex pass, and only candidate rows are examined further.

    Parameters
    ----------
    expr
        String column (name, expression or Series).
    kinds
        Kinds to look for (default: all of :data:`PII_KINDS`).

    Returns
    -------
    pl.Expr
        Boolean.

    See Also
    --------
    find_pii

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> df = pl.DataFrame({"text": ["card 4111 1111 1111 1111", "card 4111 1111 1111 1112"]})
    >>> df.with_columns(pii=cp.has_pii("text"))
    shape: (2, 2)
    ┌──────────────────────────┬───────┐
    │ text                     ┆ pii   │
    │ ---                      ┆ ---   │
    │ str                      ┆ bool  │
    ╞══════════════════════════╪═══════╡
    │ card 4111 1111 1111 1111 ┆ true  │
    │ card 4111 1111 1111 1112 ┆ false │
    └──────────────────────────┴───────┘
    """
    chosen = check_kinds(kinds)
    return parse_into_expr(expr).map_batches(
        lambda s: _has_series(s, chosen), return_dtype=pl.Boolean, is_elementwise=False
    )


def redact_pii(
    expr: IntoExpr, replacement: str = "[{kind}]", *, kinds: Sequence[str] | None = None
) -> pl.Expr:
    """Return the text with every detected span replaced by ``replacement``.

    Parameters
    ----------
    expr
        String column (name, expression or Series).
    replacement
        Replacement text; ``{kind}`` is replaced by the kind and ``{KIND}`` by it in capitals.
    kinds
        Kinds to redact (default: all of :data:`PII_KINDS`).

    Returns
    -------
    pl.Expr
        String.

    See Also
    --------
    find_pii

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> s = pl.Series("text", ["call +44 20 7946 0958 or mail bo@corp.io"])
    >>> s.to_frame().select(cp.redact_pii("text", "<{KIND}>")).item()
    'call <PHONE> or mail <EMAIL>'
    """
    chosen = check_kinds(kinds)
    return parse_into_expr(expr).map_batches(
        lambda s: _redact_series(s, chosen, replacement),
        return_dtype=pl.String,
        is_elementwise=False,
    )


def harvest_identifiers(
    real: pl.DataFrame | pl.LazyFrame | pl.Series | None,
    column: str,
    identifiers: Sequence[str] | None,
    kinds: Sequence[str] | None,
    min_length: int = 6,
) -> tuple[list[str], list[str]]:
    """``(PII spans found in real, listed identifiers)``: distinct, >= min_length, sorted."""
    found = pl.Series("text", [], dtype=pl.String)
    if real is not None:
        if isinstance(real, pl.Series):
            real_series = real
        else:
            check_columns(real, [column])
            frame = real.select(column)
            real_series = (
                frame.collect() if isinstance(frame, pl.LazyFrame) else frame
            ).to_series()
        found = (
            real_series.to_frame("t")
            .select(find_pii("t", kinds=kinds).alias("p"))
            .explode("p")
            .drop_nulls()
            .select(pl.col("p").struct.field("text"))
            .to_series()
        )

    def tidy(values: pl.Series) -> list[str]:
        return (
            values.to_frame("text")
            .filter(pl.col("text").str.len_chars() >= min_length)
            .unique()
            .sort("text")
            .to_series()
            .to_list()
        )

    return tidy(found), tidy(pl.Series("text", list(identifiers or []), dtype=pl.String))


def _echo_series(
    series: pl.Series, pii_patterns: list[str], listed: list[str], kinds: tuple[str, ...]
) -> pl.Series:
    """Distinct identifiers of ``pii_patterns`` + ``listed`` found verbatim in each row.

    A real PII span can only reappear in a row the PII regexes match somewhere, so its
    Aho-Corasick scan runs on the rows passing the one-pass prefilter; the listed identifiers
    (names, ids of any shape) are scanned for in every row.
    """
    frame = pl.DataFrame({"_t": series.cast(pl.String)}).with_row_index("_row")
    parts = []
    for patterns, rows in (
        (pii_patterns, frame.filter(pl.col("_t").str.contains(_prefilter(kinds)))),
        (listed, frame),
    ):
        if not patterns or rows.height == 0:
            continue
        hits = rows.filter(pl.col("_t").str.contains_any(patterns))
        parts.append(
            hits.select("_row", pl.col("_t").str.extract_many(patterns, leftmost=True).alias("m"))
        )
    empty = pl.lit([], dtype=pl.List(pl.String))
    if not parts:
        matched = frame.select("_row", empty.alias("m")).head(0)
    else:
        matched = (
            pl.concat(parts)
            .explode("m")
            .drop_nulls("m")
            .group_by("_row", maintain_order=True)
            .agg(pl.col("m").unique(maintain_order=True))
        )
    out: pl.Series = (
        frame.join(matched, on="_row", how="left", maintain_order="left")
        .select(pl.when(pl.col("_t").is_null()).then(None).otherwise(pl.col("m").fill_null(empty)))
        .to_series()
        .cast(pl.List(pl.String))
        .alias(series.name)
    )
    return out


def echo_expr(
    expr: pl.Expr, pii_patterns: list[str], listed: list[str], kinds: tuple[str, ...]
) -> pl.Expr:
    return expr.map_batches(
        lambda s: _echo_series(s, pii_patterns, listed, kinds),
        return_dtype=pl.List(pl.String),
        is_elementwise=False,
    )


def echoed_identifiers(
    real: pl.DataFrame | pl.LazyFrame | pl.Series,
    synthetic: FrameT,
    *,
    text: str = "text",
    real_text: str | None = None,
    identifiers: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    min_length: int = 6,
    column: str = "echoed_identifiers",
    overwrite: bool = False,
) -> FrameT:
    """Mark synthetic rows that repeat, verbatim, an identifier from the real or seed data.

    The identifiers are every PII span :func:`find_pii` finds in the real text, plus the
    ``identifiers`` you list (customer names, account ids). The synthetic text is then scanned
    once for all of them with an Aho-Corasick automaton (``str.extract_many``).

    Parameters
    ----------
    real
        Real or seed data: a frame (column ``real_text``, default ``text``) or a String Series.
    synthetic
        Frame whose ``text`` column is checked.
    text
        Text column of ``synthetic``.
    real_text
        Text column of ``real`` (default: ``text``).
    identifiers
        Extra literal identifiers to look for (names, ids).
    kinds
        PII kinds harvested from ``real`` (default: all).
    min_length
        Identifiers shorter than this many characters are ignored (too generic to mean a leak).
    column
        Name of the added ``List(String)`` column (distinct identifiers echoed, in order found).
    overwrite
        Replace ``column`` when ``synthetic`` already has it; by default that raises
        :class:`~careful_polars.exceptions.ColumnExistsError`.

    Returns
    -------
    DataFrame or LazyFrame
        ``synthetic`` plus ``column``; same kind as given. ``real`` is collected.

    Raises
    ------
    ColumnNotFoundError
        If a text column is missing.

    Examples
    --------
    >>> import polars as pl
    >>> import careful_polars as cp
    >>> real = pl.DataFrame({"text": ["I am ann@example.com, card 4111 1111 1111 1111"]})
    >>> syn = pl.DataFrame({"text": ["write to ann@example.com", "write to bob@example.com"]})
    >>> cp.echoed_identifiers(real, syn)
    shape: (2, 2)
    ┌──────────────────────────┬─────────────────────┐
    │ text                     ┆ echoed_identifiers  │
    │ ---                      ┆ ---                 │
    │ str                      ┆ list[str]           │
    ╞══════════════════════════╪═════════════════════╡
    │ write to ann@example.com ┆ ["ann@example.com"] │
    │ write to bob@example.com ┆ []                  │
    └──────────────────────────┴─────────────────────┘
    """
    check_columns(synthetic, [text])
    check_new_columns(synthetic, [column], overwrite=overwrite)
    chosen = check_kinds(kinds)
    if min_length < 1:
        msg = f"min_length={min_length!r} must be >= 1. Hint: pass a positive length."
        raise InvalidParameterError(msg)
    pii_found, listed = harvest_identifiers(
        real, real_text or text, identifiers, chosen, min_length
    )
    expr = echo_expr(pl.col(text), pii_found, listed, chosen)
    return like_input(synthetic.lazy().with_columns(expr.alias(column)), synthetic)
