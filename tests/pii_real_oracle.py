"""Independent labelling oracle for PII spans found in real technical text.

``label_span(kind, span, row_text, start, end)`` says whether a careful human would call the
span personal data or a secret, by rules written separately from the detectors (plain Python:
``ipaddress``, Luhn, mod-97, and the characters around the span). It is deliberately stricter
about *context* than about shape: ``Foo::Bar`` is a C++/Perl name, ``1.2.3.4`` after "version"
is a version. Maintainer e-mail addresses in copyright files and changelogs are real
addresses of people: true positives for ``email``.
"""

from __future__ import annotations

import ipaddress
import re

_IDENT = re.compile(r"[A-Za-z0-9_]")
_VERSION_WORDS = re.compile(
    r"(?i)(?:version|release|v|ver|rev|revision|upgrade|update|updated|bump|bumped|to|from|"
    r"libc|glibc|gcc|python|perl|kernel|linux|debian|ubuntu|build|>=|<=|==|>|<)[\s:=(]*$"
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def _email(span: str) -> bool:
    local, _, domain = span.rpartition("@")
    labels = domain.lower().split(".")
    tld = labels[-1]
    if not local or len(labels) < 2 or not tld.isalpha() or len(tld) < 2:
        return False
    # file names and placeholders, not addresses
    if tld in {"txt", "html", "htm", "py", "c", "h", "gz", "so", "png", "conf"}:
        return False
    return not local.startswith(("%", "."))


def _ip(span: str, row: str, start: int, end: int, version: int) -> bool:
    try:
        address = ipaddress.ip_address(span)
    except ValueError:
        return False
    if address.version != version:
        return False
    before, after = row[max(0, start - 1) : start], row[end : end + 1]
    if _IDENT.match(before) or _IDENT.match(after) or after == ":" or before == ":":
        return False  # inside an identifier (Foo::Bar, e::, a.b.c.d.e)
    if version == 6:
        groups = [g for g in re.split(r":+", span) if g]
        return len(groups) >= 2 or "." in span
    # a dotted quad after a version word is a version number, not an address
    return not _VERSION_WORDS.search(row[max(0, start - 20) : start])


def _phone(span: str, row: str, start: int) -> bool:
    digits = re.sub(r"\D", "", span)
    if not 10 <= len(digits) <= 15:
        return False
    ctx = row[max(0, start - 40) : start].lower()
    return not re.search(r"(?:version|release|bug|closes|#|serial|id)\W*$", ctx)


def label_span(kind: str, span: str, row: str, start: int, end: int) -> bool:
    if kind == "email":
        return _email(span)
    if kind == "ipv6":
        return _ip(span, row, start, end, 6)
    if kind == "ipv4":
        return _ip(span, row, start, end, 4)
    if kind == "credit_card":
        digits = re.sub(r"\D", "", span)
        return 13 <= len(digits) <= 19 and _luhn(digits)
    if kind == "iban":
        s = span.replace(" ", "")
        numeric = int("".join(str(int(c, 36)) for c in s[4:] + s[:4]))
        return numeric % 97 == 1
    if kind == "ssn":
        return re.fullmatch(r"\d{3}-\d{2}-\d{4}", span) is not None
    if kind == "phone":
        return _phone(span, row, start)
    if kind in ("api_key", "bearer_token"):
        body = re.sub(r"^(?:[Bb]earer\s+)", "", span)
        # a secret has mixed classes of characters; an English word run does not
        return bool(re.search(r"\d", body) and re.search(r"[A-Za-z]", body))
    return kind == "private_key"  # a key header is always worth a human look
