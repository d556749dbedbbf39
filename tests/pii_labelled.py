"""A labelled PII test set, generated deterministically: realistic positives and hard negatives.

``labelled_set(seed)`` returns one row per text with ``text`` and ``labels`` (a list of
``{kind, text}``: what a careful human would mark). Positives are built with valid checksums
(Luhn cards, mod-97 IBANs, SSNs outside the reserved ranges) and written in the shapes support
tickets use; hard negatives are order numbers, invoice numbers, dates, timestamps, version
strings, tracking codes, ISBNs, MAC addresses, hashes and digit runs that fail the checksums.
Used by the tests (fixed minimum precision/recall), the benchmark and docs/pii.md.
"""

from __future__ import annotations

import random
import string

import polars as pl

_FIRST = ["ann", "bob", "carla", "dmitri", "eve", "farah", "gus", "hana", "ivan", "jo", "kemal"]
_LAST = ["smith", "okafor", "nguyen", "garcia", "muller", "rossi", "kowalski", "tanaka", "ali"]
_DOMAINS = ["example.com", "mail.co.uk", "corp.io", "gmail.com", "uni-bonn.de", "acme.org"]
_IBAN_SPEC = {"DE": 18, "GB": 18, "FR": 23, "NL": 14, "ES": 20, "IT": 23, "BE": 12, "CH": 17}


def _luhn_complete(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits + "0")):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def _luhn_ok(number: str) -> bool:
    return _luhn_complete(number[:-1]) == number


def _card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15),
                                  ("6011", 16), ("4", 19), ("35", 16)])  # fmt: skip
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    number = _luhn_complete(body)
    style = rng.random()
    if length == 16 and style < 0.5:
        sep = rng.choice([" ", "-"])
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))
    return number


def _iban_numeric(s: str) -> int:
    return int("".join(str(int(c, 36)) for c in s))


def _iban(rng: random.Random) -> str:
    country = rng.choice(sorted(_IBAN_SPEC))
    bban = "".join(rng.choice(string.digits) for _ in range(_IBAN_SPEC[country]))
    if country in ("GB", "NL"):
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + bban[4:]
    check = 98 - _iban_numeric(bban + country + "00") % 97
    iban = f"{country}{check:02d}{bban}"
    if rng.random() < 0.5:
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _email(rng: random.Random) -> str:
    user = rng.choice(_FIRST) + rng.choice([".", "_", "", "+"]) + rng.choice(_LAST)
    if rng.random() < 0.3:
        user += str(rng.randint(1, 99))
    return f"{user}@{rng.choice(_DOMAINS)}"


def _phone(rng: random.Random) -> str:
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
    shapes = [
        f"({a}) {b}-{c:04d}",
        f"{a}-{b}-{c:04d}",
        f"{a}.{b}.{c:04d}",
        f"+1 {a} {b} {c:04d}",
        f"+1-{a}-{b}-{c:04d}",
        f"+44 20 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
        f"+49 30 {rng.randint(100000, 999999)}{rng.randint(10, 99)}",
        f"+33 {rng.randint(1, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"+91{rng.randint(7000000000, 9999999999)}",
    ]
    return rng.choice(shapes)


def _ipv4(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def _ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return "2001:db8::" + ":".join(groups[:2])
    return ":".join(groups)


def _api_key(rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    shapes = [
        "sk_live_" + "".join(rng.choice(alnum) for _ in range(24)),
        "AKIA" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
        "ghp_" + "".join(rng.choice(alnum) for _ in range(36)),
        "sk-" + "".join(rng.choice(alnum) for _ in range(40)),
        "xoxb-" + "-".join("".join(rng.choice(string.digits) for _ in range(11)) for _ in range(2)),
    ]
    return rng.choice(shapes)


def _bearer(rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    token = "".join(rng.choice(alnum) for _ in range(32))
    if rng.random() < 0.5:
        jwt = "eyJ" + "".join(rng.choice(alnum) for _ in range(20))
        return f"Bearer {jwt}.eyJ{token}.{token[::-1]}"
    return f"Bearer {token}"


_POSITIVE_TEMPLATES = {
    "email": ["Please reply to {v} asap", "my email is {v}", "contact: {v}.", "From {v} -- urgent"],
    "phone": ["call me at {v} tomorrow", "my number: {v}", "reach me on {v}, thanks"],
    "credit_card": ["I was charged twice on card {v}", "card number {v} exp 04/27",
                    "the card ending... full number is {v}"],
    "ssn": ["my SSN is {v} for the tax form", "social security {v}"],
    "iban": ["refund to IBAN {v} please", "bank account: {v}"],
    "ipv4": ["login failed from {v} again", "server {v} is down"],
    "ipv6": ["connections from {v} time out", "client ip {v}"],
    "api_key": ["our key {v} stopped working", "config: API_KEY={v}"],
    "bearer_token": ["header Authorization: {v}", "sent {v} in the request"],
    "private_key": ["pasted {v} MIIEvQIBADANBg... by mistake"],
}  # fmt: skip
_MAKERS = {
    "email": _email, "phone": _phone, "credit_card": _card, "ssn": _ssn, "iban": _iban,
    "ipv4": _ipv4, "ipv6": _ipv6, "api_key": _api_key, "bearer_token": _bearer,
    "private_key": lambda rng: rng.choice(["-----BEGIN PRIVATE KEY-----",
                                           "-----BEGIN RSA PRIVATE KEY-----",
                                           "-----BEGIN OPENSSH PRIVATE KEY-----"]),
}  # fmt: skip


def _negative(rng: random.Random) -> str:
    d = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    year, month, day = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    invoice = d(16)
    while _luhn_ok(invoice):
        invoice = d(16)
    shapes = [
        f"order ORD-{year}-{d(6)} has not arrived",
        f"order #{d(8)} was shipped on {year}-{month:02d}-{day:02d}",
        f"invoice INV-{d(4)}-{d(4)}-{d(4)} is wrong",
        f"invoice number {invoice} was charged twice",
        f"reference {invoice[:4]} {invoice[4:8]} {invoice[8:12]} {invoice[12:]} on my statement",
        f"ticket {year}-{month:02d}-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z logged",
        f"happened at {hh:02d}:{mm:02d}:{ss:02d} on {day:02d}/{month:02d}/{year}",
        f"app version {rng.randint(1, 20)}.{rng.randint(0, 40)}.{rng.randint(0, 200)} crashes",
        f"build 10.0.{rng.randint(10000, 30000)}.{rng.randint(1, 999)} fails",
        f"firmware v{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{d(2)}",
        f"tracking 1Z{d(3)}AA{d(10)} stuck",
        f"ISBN 978-{d(1)}-{d(2)}-{d(6)}-{d(1)} out of stock",
        f"MAC 00:1A:{d(2)}:3C:4D:{d(2)} not recognised",
        f"commit {''.join(rng.choice('0123456789abcdef') for _ in range(12))} broke it",
        f"zip {d(5)}-{d(4)} delivery",
        f"product SKU-{d(3)}-{d(2)}-{d(4)} is missing",
        f"bad SSN 000-{d(2)}-{d(4)} on file",
        f"test SSN 666-{d(2)}-{d(4)} rejected",
        f"case 9{d(2)}-{d(2)}-{d(4)} closed",
        f"total ${rng.randint(1, 9)},{d(3)}.{d(2)} charged",
        f"account no. {d(6)} locked",
        f"call between 9:00 and 17:30, room {d(3)}",
        f"DE{d(2)} {d(4)} {d(4)} {d(4)} {d(4)} {d(2)} from a bad copy paste",
        f"serial AB{d(2)}-CD{d(2)}-EF{d(2)}",
        f"price went from 1.299,00 to 1.499,00 in {year}",
        f"ratio 3:{d(2)}:{d(2)} of the mix, coords 12.{d(4)}, 45.{d(4)}",
        f"user id {d(9)} cannot login",
        "sk_ is not a key; api key missing; bearer token expired",
        "email me at support at example dot com",
        f"the {d(3)}-{d(3)} range was fine",
        f"Windows 10 build {d(5)}.{d(4)} update failed",
        f"error code 0x{d(8)} when saving",
        f"uuid {d(8)}-e89b-12d3-a456-{d(12)} not found",
        "call 1-800-FLOWERS for the florist",
        f"logged at {year}-{month:02d}-{day:02d} {hh:02d}:{mm:02d}:{ss:02d}.{d(6)}",
        f"Python 3.{rng.randint(8, 13)}.{rng.randint(0, 12)} on my laptop",
        f"ports {rng.randint(1000, 9999)}:{rng.randint(100, 999)} mapped",
        f"gift card code {d(4)}-{d(4)}-{d(4)} invalid",
        f"quantity {d(3)} {d(2)} {d(4)} seems off",
    ]
    return rng.choice(shapes)


def labelled_set(seed: int = 0, n_positive: int = 1500, n_negative: int = 1500) -> pl.DataFrame:
    """Return ``text`` and ``labels`` (list of ``{kind, text}``) rows, shuffled."""
    rng = random.Random(seed)
    rows: list[tuple[str, list[dict[str, str]]]] = []
    kinds = sorted(_POSITIVE_TEMPLATES)
    for i in range(n_positive):
        kind = kinds[i % len(kinds)]
        value = _MAKERS[kind](rng)
        text = rng.choice(_POSITIVE_TEMPLATES[kind]).format(v=value)
        labels = [{"kind": kind, "text": value}]
        if rng.random() < 0.2:  # a second identifier and some non-ASCII text in front
            extra = _email(rng)
            text = f"Grüße — {text}; cc {extra}"
            labels.append({"kind": "email", "text": extra})
        if rng.random() < 0.15:  # a hard negative in the same row
            text = f"{text}. Also {_negative(rng)}"
        rows.append((text, labels))
    rows.extend((_negative(rng), []) for _ in range(n_negative))
    rng.shuffle(rows)
    label_type = pl.List(pl.Struct({"kind": pl.String, "text": pl.String}))
    return pl.DataFrame(
        {"text": [r[0] for r in rows], "labels": [r[1] for r in rows]},
        schema={"text": pl.String, "labels": label_type},
    )


def score(found: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Per-kind precision/recall of ``found`` vs ``truth`` (both: ``row, kind, text``)."""
    tp = found.join(truth, on=["row", "kind", "text"], how="semi").group_by("kind").len("tp")
    n_found = found.group_by("kind").len("found")
    n_true = truth.group_by("kind").len("true")
    per_kind = (
        n_true.join(n_found, on="kind", how="full", coalesce=True)
        .join(tp, on="kind", how="left")
        .fill_null(0)
    )
    total = per_kind.select(
        pl.lit("all").alias("kind"), pl.col("true").sum(), pl.col("found").sum(),
        pl.col("tp").sum(),
    )  # fmt: skip
    return pl.concat([per_kind.sort("kind"), total]).with_columns(
        (pl.col("tp") / pl.col("found")).fill_nan(None).alias("precision"),
        (pl.col("tp") / pl.col("true")).fill_nan(None).alias("recall"),
    )


def spans_of(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """``row, kind, text`` long form of a ``List(Struct{kind, text, ...})`` column."""
    return (
        frame.with_row_index("row")
        .select("row", pl.col(column))
        .explode(column)
        .drop_nulls(column)
        .select("row", pl.col(column).struct.field("kind"), pl.col(column).struct.field("text"))
    )
