"""Vocabulary and sentence templates behind :func:`careful_polars.datasets.support_tickets`.

The vocabulary is data, not code: it lives in ``data/support_vocabulary.json`` and this module
only reads it, once, on first use (:func:`load`), so ``import careful_polars`` does not pay
for it. The template engine that fills it in stays in :mod:`careful_polars.datasets`.

Templates name their slots in braces (``{order}``); the generator fills every slot per row. All
text is ASCII, so byte and character offsets agree (the typo step relies on it). The generator
draws by index, so order matters in every list. Changing anything in the file changes the
generated corpus for every seed: treat it as part of the dataset's contract and note it in
``docs/datasets.md``.
"""

from __future__ import annotations

__all__ = ["Intent", "Vocabulary", "load"]

import functools
import json
from importlib import resources
from typing import Any, NamedTuple

_FILE = "data/support_vocabulary.json"


class Intent(NamedTuple):
    """One ticket intent: its share among real tickets and its sentence templates."""

    name: str
    weight: float  # relative share among real tickets (normalised by the generator)
    priority: int  # typical priority, 1 = urgent ... 4 = low
    title: str  # how a generator titles it in a subject line
    real_issue: tuple[str, ...]
    real_detail: tuple[str, ...]
    synthetic_purpose: tuple[str, ...]
    synthetic_detail: tuple[str, ...]


class _Pools(NamedTuple):
    """Channel pieces of real tickets (terse, informal)."""

    email_greeting: tuple[str, ...]
    email_extra: tuple[str, ...]
    email_ask: tuple[str, ...]
    email_signoff: tuple[str, ...]
    contact: tuple[str, ...]
    chat_opener: tuple[str, ...]
    chat_context: tuple[str, ...]
    chat_tail: tuple[str, ...]
    agent_greet: tuple[str, ...]
    customer_open: tuple[str, ...]
    agent_verify: tuple[str, ...]
    verify_answer: tuple[str, ...]
    agent_check: tuple[str, ...]
    agent_close: tuple[str, ...]


class _SyntheticPools(NamedTuple):
    """Pieces of the generator's house style (polished, formulaic, longer)."""

    context: tuple[str, ...]
    subject: tuple[str, ...]
    greeting: tuple[str, ...]
    opener: tuple[str, ...]
    extra: tuple[str, ...]
    ask: tuple[str, ...]
    closing: tuple[str, ...]
    signoff: tuple[str, ...]
    chat_hello: tuple[str, ...]
    chat_opener: tuple[str, ...]
    chat_ask: tuple[str, ...]
    chat_thanks: tuple[str, ...]
    agent_greet: tuple[str, ...]
    customer_open: tuple[str, ...]
    agent_ack: tuple[str, ...]
    agent_resolve: tuple[str, ...]
    customer_thanks: tuple[str, ...]
    agent_bye: tuple[str, ...]
    contact_email: tuple[str, ...]
    contact_phone: tuple[str, ...]
    contact_name: tuple[str, ...]


class Vocabulary(NamedTuple):
    """The contents of ``data/support_vocabulary.json``, lists read as tuples.

    Tuples, because the engine caches its compiled templates on them.
    """

    intents: tuple[Intent, ...]
    real: _Pools
    synthetic: _SyntheticPools
    # (generator, generator_version, share of the synthetic pool)
    generators: tuple[tuple[str, str, float], ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    domains: tuple[str, ...]
    agents: tuple[str, ...]
    products: tuple[str, ...]
    devices: tuple[str, ...]
    plans: tuple[str, ...]
    promo_codes: tuple[str, ...]
    months: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[str, ...]
    edit_words_synthetic: tuple[str, ...]
    edit_words_real: tuple[str, ...]
    # Word variants for real templates: each template is expanded into a few variants, each
    # picking one form per group (first form = as written). Customers misspell and abbreviate.
    casual_variants: tuple[tuple[str, ...], ...]
    # Word variants for the generator's house style (sampling variation between generations).
    formal_variants: tuple[tuple[str, ...], ...]


@functools.cache
def load() -> Vocabulary:
    """Read the bundled vocabulary (once per process).

    Returns
    -------
    Vocabulary
        Every list of the file as a tuple, intents and pools as named tuples.

    Raises
    ------
    TypeError
        If the file lacks a field or has one the generator does not know.
    """
    path = resources.files("careful_polars").joinpath(_FILE)
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    raw.pop("about", None)  # the file's own notes for whoever edits it
    intents = tuple(Intent(**_tuples(i)) for i in raw.pop("intents"))
    return Vocabulary(
        # the generator divides the weights in place: keep them floats even if written "11"
        intents=tuple(i._replace(weight=float(i.weight)) for i in intents),
        real=_Pools(**_tuples(raw.pop("real"))),
        synthetic=_SyntheticPools(**_tuples(raw.pop("synthetic"))),
        generators=tuple((g, v, float(share)) for g, v, share in raw.pop("generators")),
        **{name: _tuples(values) for name, values in raw.items()},
    )


def _tuples(value: Any) -> Any:
    """JSON lists as tuples, nested ones and those inside objects too."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value
