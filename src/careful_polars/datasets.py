"""Example data: a support-ticket corpus with a synthetic pool and known, planted defects.

:func:`support_tickets` builds, deterministically from its sizes and ``seed``, what a team
training a support assistant would hold: real customer tickets, a held-out real evaluation
split, and a pool of generated tickets written in one generator's house style. Into the
synthetic pool it plants the defects the rest of careful_polars exists to catch, and it
returns the ground truth (``planted``) so every check can be scored against it.

The whole corpus is built with NumPy draws and Polars string expressions (no Python loop over
rows): one million rows take about 6.5 s of CPU time (see ``docs/datasets.md``).
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
import polars as pl
import pyarrow as pa

from careful_polars import _support_text as tx
from careful_polars.exceptions import InvalidParameterError

__all__ = ["PLANTED_KINDS", "PLANTED_SHARES", "SupportTickets", "support_tickets"]

#: Planted defect kinds, in the order ``planted`` lists them.
PLANTED_KINDS: tuple[str, ...] = (
    "exact_duplicate",
    "near_duplicate",
    "eval_copy",
    "pii_echo",
    "missing_provenance",
)

#: Default share of the synthetic pool planted with each defect. The count of a kind is
#: ``n_synthetic * share`` rounded down (eval copies are also capped at ``n_eval``; PII echoes
#: need real tickets that carry personal data).
PLANTED_SHARES: dict[str, float] = {
    "exact_duplicate": 0.03,
    "near_duplicate": 0.05,
    "eval_copy": 0.01,
    "pii_echo": 0.01,
    "missing_provenance": 0.02,
}
_SHARE_BP = {kind: round(share * 10_000) for kind, share in PLANTED_SHARES.items()}

_SCHEMA = pl.Schema(
    {  # type: ignore[arg-type]
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
_PLANTED_SCHEMA = pl.Schema(
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

_CHANNELS = ("email", "chat", "phone")
_REAL_CHANNEL_P = (0.45, 0.35, 0.20)
_SYNTHETIC_CHANNEL_P = (0.72, 0.23, 0.05)
_REAL_START = datetime(2023, 1, 1)
_REAL_DAYS = 731
_SYNTHETIC_START = datetime(2025, 2, 3)
_SYNTHETIC_DAYS = 55
_N_PROMPTS = 24
_SHINGLE = 5
_VARIANTS = {"real": 24, "formal": 24}  # word variants per template
_HASH_SEED = 0x0C0FFEE  # shingle hashes only ever meet each other within one call
_GRAM_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_US_PER_DAY = 86_400_000_000
# Hour-of-day weights of real ticket arrival (support is busiest in office hours).
_HOUR_W = np.array(
    [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], dtype=float
)


@dataclass(frozen=True)
class SupportTickets:
    """The example corpus returned by :func:`support_tickets`.

    Attributes
    ----------
    real
        Real training tickets (``ticket_id`` ``"R-0000001"``, ...).
    eval
        Held-out real evaluation tickets (``"E-0000001"``, ...); nothing here may be trained on.
    synthetic
        The generated pool (``"S-0000001"``, ...), planted defects included.
    planted
        Ground truth: one row per planted defect with ``kind``, ``ticket_id`` (the planted
        synthetic row), ``ref_ticket_id`` (the row it copies or echoes; null where none),
        ``jaccard`` (word 5-gram Jaccard to the reference, for copies), ``edits`` (word edits
        applied), ``pii_kind``/``pii_value`` (for PII echoes) and ``missing`` (for missing
        provenance).
    """

    real: pl.DataFrame
    eval: pl.DataFrame
    synthetic: pl.DataFrame
    planted: pl.DataFrame

    def all(self) -> pl.DataFrame:
        """Return real, eval and synthetic stacked, with a leading ``split`` column.

        Returns
        -------
        DataFrame
            ``split`` is ``"real"``, ``"eval"`` or ``"synthetic"``; the other columns are the
            shared ticket schema.
        """
        return pl.concat(
            [
                frame.select(pl.lit(name).alias("split"), pl.all())
                for name, frame in (
                    ("real", self.real),
                    ("eval", self.eval),
                    ("synthetic", self.synthetic),
                )
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"real": ..., "eval": ..., "synthetic": ..., "planted": ...}``."""
        return {
            "real": self.real,
            "eval": self.eval,
            "synthetic": self.synthetic,
            "planted": self.planted,
        }

    def __repr__(self) -> str:
        counts = dict.fromkeys(PLANTED_KINDS, 0)
        for kind, count in self.planted.group_by("kind").len().iter_rows():
            counts[kind] = count
        planted = ", ".join(f"{kind}={count}" for kind, count in counts.items())
        return (
            f"SupportTickets(real={self.real.height} rows, eval={self.eval.height} rows, "
            f"synthetic={self.synthetic.height} rows, planted: {planted})"
        )


def support_tickets(
    *,
    n_real: int = 20_000,
    n_synthetic: int = 20_000,
    n_eval: int = 2_000,
    seed: int = 0,
) -> SupportTickets:
    """Build the example support-ticket corpus with planted defects.

    Real tickets are terse and informal (typos, mostly lowercase), spread over 2023-2024, in
    three channels: e-mail (greeting, sign-off, often a name and phone number), chat (short
    lines) and phone transcripts (``agent: ... customer: ...``). Their ``intent`` has a long
    tail of 25 labels, down to rare compliance intents (``gdpr_data_request``,
    ``account_takeover_report``, ``chargeback_dispute``) under 1% each. Many real tickets
    carry personal data: names, e-mail addresses, phone numbers, street addresses.

    The synthetic pool is one generator's house style: polished, longer, formulaic ("I hope
    this message finds you well", "delve"), mostly e-mail, common intents over-represented and
    rare ones scarce, generated in February-March 2025, with lineage columns. Planted in it
    (shares of ``n_synthetic``, see :data:`PLANTED_SHARES`):

    - ``exact_duplicate`` (3%): a verbatim copy of another synthetic row;
    - ``near_duplicate`` (5%): another synthetic row with a few word edits (word 5-gram
      Jaccard to it about 0.6-0.95, recorded exactly in ``planted.jaccard``);
    - ``eval_copy`` (1%, at most ``n_eval``): an evaluation ticket, half verbatim and half
      with one or two word edits;
    - ``pii_echo`` (1%): a generated row repeating an e-mail, phone number or name from a
      real ticket verbatim (``pii_value``);
    - ``missing_provenance`` (2%): a generated row with null ``generator`` (and
      ``generator_version``), null ``prompt_hash``, or both.

    Parameters
    ----------
    n_real
        Number of real training tickets.
    n_synthetic
        Number of synthetic tickets, planted rows included.
    n_eval
        Number of held-out real evaluation tickets.
    seed
        Seed of every random choice; the same sizes and seed give the same corpus on any
        machine (for a given NumPy and Polars major version).

    Returns
    -------
    SupportTickets
        Frames ``real``, ``eval``, ``synthetic`` (one shared schema: ``ticket_id``,
        ``created_at``, ``channel``, ``text``, ``intent``, ``priority``, ``source``,
        ``generator``, ``generator_version``, ``prompt_hash``, ``seed_ticket_id``), the
        ground truth ``planted``, and ``all()``.

    Raises
    ------
    InvalidParameterError
        If a size is negative or not an integer, or ``seed`` is negative.

    See Also
    --------
    careful_polars.dedup : finds the planted exact duplicates.

    Notes
    -----
    Unrelated tickets are not near-duplicates of each other: their word 5-gram Jaccard stays
    well below 0.5 (tested by brute force), so every near-duplicate pair a check reports is
    either planted or a false positive. The text templates are part of the corpus: editing
    them changes the data for every seed.

    Examples
    --------
    >>> import polars as pl
    >>> from careful_polars.datasets import support_tickets
    >>> tickets = support_tickets(n_real=200, n_synthetic=300, n_eval=50, seed=0)
    >>> tickets
    SupportTickets(real=200 rows, eval=50 rows, synthetic=300 rows, planted: exact_duplicate=9,
    near_duplicate=15, eval_copy=3, pii_echo=3, missing_provenance=6)
    >>> tickets.real.select("ticket_id", "channel", "intent", "priority").head(3)
    shape: (3, 4)
    ┌───────────┬─────────┬─────────────────────┬──────────┐
    │ ticket_id ┆ channel ┆ intent              ┆ priority │
    │ ---       ┆ ---     ┆ ---                 ┆ ---      │
    │ str       ┆ str     ┆ str                 ┆ i8       │
    ╞═══════════╪═════════╪═════════════════════╪══════════╡
    │ R-0000001 ┆ chat    ┆ cancel_subscription ┆ 3        │
    │ R-0000002 ┆ email   ┆ billing_question    ┆ 3        │
    │ R-0000003 ┆ email   ┆ order_status        ┆ 3        │
    └───────────┴─────────┴─────────────────────┴──────────┘
    >>> near = tickets.planted.filter(pl.col("kind") == "near_duplicate")
    >>> near.select("ticket_id", "ref_ticket_id", "jaccard", "edits").head(3)
    shape: (3, 4)
    ┌───────────┬───────────────┬──────────┬───────┐
    │ ticket_id ┆ ref_ticket_id ┆ jaccard  ┆ edits │
    │ ---       ┆ ---           ┆ ---      ┆ ---   │
    │ str       ┆ str           ┆ f64      ┆ i32   │
    ╞═══════════╪═══════════════╪══════════╪═══════╡
    │ S-0000008 ┆ S-0000129     ┆ 0.875    ┆ 2     │
    │ S-0000013 ┆ S-0000031     ┆ 0.77907  ┆ 2     │
    │ S-0000040 ┆ S-0000104     ┆ 0.650943 ┆ 4     │
    └───────────┴───────────────┴──────────┴───────┘
    >>> tickets.all().group_by("split", maintain_order=True).len()
    shape: (3, 2)
    ┌───────────┬─────┐
    │ split     ┆ len │
    │ ---       ┆ --- │
    │ str       ┆ u32 │
    ╞═══════════╪═════╡
    │ real      ┆ 200 │
    │ eval      ┆ 50  │
    │ synthetic ┆ 300 │
    └───────────┴─────┘
    """
    for name, value in (
        ("n_real", n_real),
        ("n_synthetic", n_synthetic),
        ("n_eval", n_eval),
        ("seed", seed),
    ):
        _check_count(name, value)

    streams = np.random.SeedSequence([seed, 0x5EED_7C7]).spawn(3)
    rng_real, rng_eval, rng_syn = (np.random.default_rng(s) for s in streams)
    real = _real_tickets(n_real, rng_real, "R")
    evals = _real_tickets(n_eval, rng_eval, "E")
    synthetic, planted = _synthetic_pool(n_synthetic, rng_syn, real, evals)
    public = list(_SCHEMA.names())
    return SupportTickets(
        real=real.select(public),
        eval=evals.select(public),
        synthetic=synthetic.select(public),
        planted=planted,
    )


# --------------------------------------------------------------------------------------------
# checks and small helpers


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        msg = (
            f"{name}={value!r} is not an integer. Hint: pass a whole number >= 0, e.g. {name}=1000."
        )
        raise InvalidParameterError(msg)
    if value < 0:
        msg = f"{name}={value!r} is negative. Hint: pass a whole number >= 0, e.g. {name}=1000."
        raise InvalidParameterError(msg)


def _ids(prefix: str, n: int) -> pl.Series:
    """``prefix-0000001`` ... (seven digits, more when ``n`` needs them)."""
    return pl.select(
        pl.concat_str(
            pl.lit(f"{prefix}-"),
            pl.int_range(1, n + 1, dtype=pl.Int64).cast(pl.String).str.zfill(7),
        )
    ).to_series()


def _when(mask: np.ndarray, then: pl.Series, otherwise: pl.Series | None = None) -> pl.Series:
    """``then`` where ``mask``, else ``otherwise`` (null when not given)."""
    chosen = pl.when(pl.lit(pl.Series(mask, dtype=pl.Boolean))).then(pl.lit(then))
    expr: pl.Expr = chosen if otherwise is None else chosen.otherwise(pl.lit(otherwise))
    return pl.select(expr).to_series().rename(then.name)


def _gather(values: Sequence[str], idx: np.ndarray) -> pl.Series:
    return _series(tuple(values)).gather(idx)


@functools.lru_cache(maxsize=512)
def _series(values: tuple[str, ...]) -> pl.Series:
    return pl.Series(values=list(values), dtype=pl.String)


def _choice(rng: np.random.Generator, n: int, p: Sequence[float] | np.ndarray) -> np.ndarray:
    weights = np.asarray(p, dtype=float)
    return rng.choice(len(weights), size=n, p=weights / weights.sum())


def _within(rng: np.random.Generator, groups: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Uniform index in ``[0, counts[g])`` for every group label ``g``."""
    picked: np.ndarray = np.minimum(
        (rng.random(groups.size) * counts[groups]).astype(np.int64), counts[groups] - 1
    )
    return picked


_SLOT = re.compile(r"\{([a-z0-9_]+)\}")


class _Frags(NamedTuple):
    """One template per row: the pool and each row's index into it."""

    templates: tuple[str, ...]
    idx: np.ndarray


class _Compiled(NamedTuple):
    """A template pool split at its slots: ``segments[k][t]`` and ``slots[k][t]``.

    Template ``t`` reads ``segments[0][t] + value(slots[0][t]) + segments[1][t] + ...``;
    ``slots[k][t]`` indexes ``names`` (-1 where template ``t`` has fewer slots).
    """

    segments: tuple[tuple[str, ...], ...]
    slots: np.ndarray
    names: tuple[str, ...]


@functools.lru_cache(maxsize=512)
def _compile(templates: tuple[str, ...]) -> _Compiled:
    pieces = [_SLOT.split(t) for t in templates]  # literal, slot, literal, slot, ..., literal
    width = max((len(p) // 2 for p in pieces), default=0)
    names = tuple(sorted({name for p in pieces for name in p[1::2]}))
    segments = tuple(
        tuple(p[2 * k] if 2 * k < len(p) else "" for p in pieces) for k in range(width + 1)
    )
    slots = np.full((width, len(templates)), -1, dtype=np.int64)
    for t, p in enumerate(pieces):
        for k, name in enumerate(p[1::2]):
            slots[k, t] = names.index(name)
    return _Compiled(segments, slots, names)


def _frags(values: Sequence[str], idx: np.ndarray) -> _Frags:
    return _Frags(tuple(values), np.asarray(idx, dtype=np.int64))


def _frag(rng: np.random.Generator, values: Sequence[str], n: int, style: str = "") -> _Frags:
    """Pick a fragment per row; with a ``style``, also one of its word variants."""
    pool = _expand(tuple(values), style) if style else values
    return _frags(pool, rng.integers(0, len(pool), n))


def _variant_frags(
    rng: np.random.Generator, values: Sequence[str], idx: np.ndarray, style: str
) -> _Frags:
    """Fragments ``values[idx]``, each in a random one of its word variants."""
    pool = _expand(tuple(values), style)
    k = _VARIANTS[style]
    return _frags(pool, idx * k + rng.integers(0, k, idx.size))


@functools.lru_cache(maxsize=256)
def _expand(templates: tuple[str, ...], style: str) -> tuple[str, ...]:
    """``_VARIANTS[style]`` word variants per template, in blocks (the first is as written).

    Variants are what keeps unrelated tickets apart: the same template written with other
    words shares few word 5-grams with it. The choice is seeded by the template text, so it
    is the same on every machine and in every process.
    """
    vocab = tx.load()
    groups = vocab.casual_variants if style == "real" else vocab.formal_variants
    out: list[str] = []
    for template in templates:
        present = [g for g in groups if g[0] in template and _word_pattern(g[0]).search(template)]
        pick = random.Random(f"{style}|{template}")
        out.append(template)
        for _ in range(1, _VARIANTS[style]):
            text = template
            for group in present:
                form = group[pick.randrange(len(group))]
                if form != group[0]:
                    text = _word_pattern(group[0]).sub(form.replace("\\", r"\\"), text)
            out.append(text)
    return tuple(out)


@functools.lru_cache(maxsize=512)
def _word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w{'])" + re.escape(word) + r"(?![\w}'])")


class _PerIntent:
    """One flat pool of per-intent templates (and their word variants), by intent code."""

    def __init__(self, lists: Sequence[Sequence[str]], style: str) -> None:
        expanded = [_expand(tuple(templates), style) for templates in lists]
        self.values = tuple(t for templates in expanded for t in templates)
        self.counts = np.array([len(t) for t in expanded], dtype=np.int64)
        self.offsets = np.cumsum(self.counts) - self.counts

    def pick(self, rng: np.random.Generator, intents: np.ndarray) -> _Frags:
        return _frags(self.values, self.offsets[intents] + _within(rng, intents, self.counts))


@functools.cache
def _intent_pools() -> dict[str, _PerIntent]:
    # E-mail writers end the first sentence; chat and phone lines run on.
    intents = tx.load().intents
    email_issue = [tuple(t if t[-1] in ".?!" else t + "." for t in i.real_issue) for i in intents]
    return {
        "real_issue": _PerIntent([i.real_issue for i in intents], "real"),
        "real_issue_email": _PerIntent(email_issue, "real"),
        "real_detail": _PerIntent([i.real_detail for i in intents], "real"),
        "synthetic_purpose": _PerIntent([i.synthetic_purpose for i in intents], "formal"),
        "synthetic_detail": _PerIntent([i.synthetic_detail for i in intents], "formal"),
    }


_COMPLIANCE_INTENTS = frozenset(
    {"gdpr_data_request", "account_takeover_report", "chargeback_dispute"}
)


class _IntentTable(NamedTuple):
    """Per intent code: its label, its shares among real and generated tickets, its priority."""

    names: tuple[str, ...]
    real_p: np.ndarray
    synthetic_p: np.ndarray
    priority: np.ndarray


@functools.cache
def _intent_table() -> _IntentTable:
    intents = tx.load().intents
    real_p = np.array([i.weight for i in intents])
    real_p /= real_p.sum()
    compliance = np.array([i.name in _COMPLIANCE_INTENTS for i in intents])
    # The generator favours what it saw most: shares sharpened (power 1.6), compliance cut 4x.
    synthetic_p = real_p**1.6 * np.where(compliance, 0.25, 1.0)
    synthetic_p /= synthetic_p.sum()
    priority = np.array([i.priority for i in intents], dtype=np.int64)
    return _IntentTable(tuple(i.name for i in intents), real_p, synthetic_p, priority)


class _Part:
    """A template position: one fragment per row, shown after ``sep``.

    ``p`` is the chance the part is present, or a boolean mask saying where it is.
    """

    def __init__(
        self, sep: str, frags: _Frags, p: float | np.ndarray = 1.0, typo: bool = False
    ) -> None:
        self.sep, self.frags, self.p, self.typo = sep, frags, p, typo


def _typo(col: str, pos: str, op: str) -> pl.Expr:
    """Swap, drop or double one character of a template's first literal segment."""
    s = pl.col(col)
    head = s.str.len_bytes().cast(pl.Int64)
    k = (pl.col(pos) * (head - 1).clip(lower_bound=0)).floor().cast(pl.Int64)
    swap = pl.concat_str(
        s.str.slice(0, k), s.str.slice(k + 1, 1), s.str.slice(k, 1), s.str.slice(k + 2)
    )
    drop = pl.concat_str(s.str.slice(0, k), s.str.slice(k + 1))
    double = pl.concat_str(s.str.slice(0, k + 1), s.str.slice(k))
    edited = pl.when(pl.col(op) == 0).then(swap).when(pl.col(op) == 1).then(drop).otherwise(double)
    return pl.when(head >= 2).then(edited).otherwise(s)


def _with_typos(segments: pl.Series, rng: np.random.Generator, rate: float) -> pl.Series:
    """Give a share ``rate`` of the rows one typo (work only on those rows)."""
    n = segments.len()
    pos, op = rng.random(n), np.where(rng.random(n) < rate, rng.integers(0, 3, n), -1)
    hit = np.flatnonzero(op >= 0)
    if hit.size == 0:
        return segments
    typoed = (
        pl.DataFrame({"s": segments.gather(hit), "u": pos[hit], "o": op[hit]})
        .select(_typo("s", "u", "o"))
        .to_series()
    )
    clean = np.flatnonzero(op < 0)
    return _restore([typoed, segments.gather(clean)], [hit, clean], n)


def _assemble(
    rng: np.random.Generator, parts: Sequence[_Part], slots: _SlotTable, typo_rate: float
) -> pl.Series:
    """Concatenate one fragment per part and row, slots filled (absent parts leave no gap).

    Every template is split at its slots once (:func:`_compile`); a row's text is then its
    literal segments and slot values gathered and concatenated, with no string search. Slot
    values are formatted only where a template shows them. Typos go into the first segment
    only, so personal data and numbers stay verbatim.
    """
    n = slots.height
    cols: dict[str, Any] = {}
    pieces = []
    for j, part in enumerate(parts):
        compiled = _compile(part.frags.templates)
        idx = part.frags.idx
        seg0 = f"__s{j}_0"
        cols[seg0] = _gather(compiled.segments[0], idx)
        if part.typo:
            cols[seg0] = _with_typos(cols[seg0], rng, typo_rate)
        exprs = [pl.col(seg0)]
        for k in range(compiled.slots.shape[0]):
            cols[f"__v{j}_{k}"] = slots.fill(compiled.names, compiled.slots[k][idx])
            cols[f"__s{j}_{k + 1}"] = _gather(compiled.segments[k + 1], idx)
            exprs += [pl.col(f"__v{j}_{k}"), pl.col(f"__s{j}_{k + 1}")]
        piece = pl.concat_str([pl.lit(part.sep), *exprs]) if part.sep else pl.concat_str(exprs)
        if isinstance(part.p, np.ndarray) or part.p < 1.0:
            cols[f"__p{j}"] = part.p if isinstance(part.p, np.ndarray) else rng.random(n) < part.p
            piece = pl.when(pl.col(f"__p{j}")).then(piece).otherwise(pl.lit(""))
        pieces.append(piece)
    return pl.DataFrame(cols, height=n).select(pl.concat_str(pieces).alias("text")).to_series()


def _by_channel(
    rng: np.random.Generator, channels: np.ndarray, build: Any, *args: np.ndarray | _SlotTable
) -> pl.Series:
    """Build each channel's rows with ``build(rng, channel, *args_subset)``; restore order."""
    pieces, order = [], []
    for c in range(len(_CHANNELS)):
        idx = np.flatnonzero(channels == c)
        if idx.size:
            pieces.append(build(rng, c, *(a[idx] for a in args)))
            order.append(idx)
    if not pieces:
        return pl.Series("text", [], dtype=pl.String)
    return _restore(pieces, order, channels.size)


# --------------------------------------------------------------------------------------------
# slot values


def _vocab(values: Sequence[str], idx: str) -> pl.Expr:
    """``values[idx]`` per row, as an expression over the integer column ``idx``."""
    return pl.lit(pl.Series(values=list(values), dtype=pl.String)).gather(pl.col(idx))


def _text(idx: str) -> pl.Expr:
    return pl.col(idx).cast(pl.String)


def _padded(idx: str, width: int) -> pl.Expr:
    return pl.col(idx).cast(pl.String).str.zfill(width)


def _restore(pieces: Sequence[pl.Series], order: Sequence[np.ndarray], n: int) -> pl.Series:
    """Stack ``pieces`` (rows ``order[i]`` each) back into row order 0..n-1."""
    stacked = pl.concat(pieces).rechunk()  # one chunk: gathers from many chunks are ~10x slower
    inverse = np.empty(n, dtype=np.int64)
    inverse[np.concatenate(order)] = np.arange(n)
    restored: pl.Series = stacked.gather(inverse)
    return restored


class _SlotTable:
    """Per-row random draws behind every ``{slot}``, formatted to text on demand.

    A ticket's slots are fixed by its draws (one order number, product, ... per ticket), but
    text is made only for the rows whose templates show the slot. ``fixed`` holds slots whose
    text is given outright (personal data).
    """

    def __init__(
        self, draws: pl.DataFrame, exprs: dict[str, pl.Expr], fixed: dict[str, pl.Series]
    ) -> None:
        self.draws, self.exprs, self.fixed = draws, exprs, fixed
        self.height = draws.height

    def __getitem__(self, rows: np.ndarray) -> _SlotTable:
        fixed = {name: values.gather(rows) for name, values in self.fixed.items()}
        return _SlotTable(self.draws[rows], self.exprs, fixed)

    def values(self, name: str, rows: np.ndarray | None = None) -> pl.Series:
        """Text of slot ``name`` for ``rows`` (all rows when None)."""
        if name in self.fixed:
            values = self.fixed[name]
            return values if rows is None else values.gather(rows)
        expr = self.exprs[name]
        draws = self.draws.select(list(dict.fromkeys(expr.meta.root_names())))
        if rows is not None:
            draws = draws[rows]
        return draws.select(expr.alias(name)).to_series()

    def fill(self, names: Sequence[str], codes: np.ndarray) -> pl.Series:
        """Per row, the text of slot ``names[codes[i]]`` ("" where ``codes[i]`` is -1)."""
        pieces, order = [], []
        for code, name in enumerate(names):
            rows = np.flatnonzero(codes == code)
            if rows.size:
                pieces.append(self.values(name, rows))
                order.append(rows)
        rest = np.flatnonzero(codes < 0)
        pieces.append(pl.Series([""] * rest.size, dtype=pl.String))
        order.append(rest)
        return _restore(pieces, order, codes.size)


def _slots(
    rng: np.random.Generator, n: int, *, polished: bool, intents: np.ndarray | None = None
) -> _SlotTable:
    """Draw every ``{slot}`` of ``n`` tickets; text is formatted later, where shown.

    Generated (polished) rows carry no personal data: their ``name``, ``email`` and ``phone``
    are set by the caller (the PII echoes).
    """
    vocab = tx.load()
    draws = {
        "month": rng.integers(0, 12, n),
        "day": rng.integers(1, 29, n),
        "numeric_date": rng.random(n) < 0.5,
        "dollars": rng.integers(5, 500, n),
        "cents": rng.integers(0, 100, n),
        "major": rng.integers(3, 6, n),
        "minor": rng.integers(0, 20, n),
        "patch": rng.integers(0, 10, n),
        "order": rng.integers(10_000_000, 100_000_000, n),
        "product": rng.integers(0, len(vocab.products), n),
        "device": rng.integers(0, len(vocab.devices), n),
        "days": rng.integers(2, 31, n),
        "years": rng.integers(2, 13, n),
        "last4": rng.integers(0, 10_000, n),
        "plan": rng.integers(0, len(vocab.plans), n),
        "agent": rng.integers(0, len(vocab.agents), n),
        "code": rng.integers(0, len(vocab.promo_codes), n),
    }
    months = vocab.months if polished else tuple(m.lower() for m in vocab.months)
    month, day = _vocab(months, "month"), _text("day")
    agent = _vocab(vocab.agents, "agent")
    exprs = {
        "order": _text("order"),
        "product": _vocab(vocab.products, "product"),
        "device": _vocab(vocab.devices, "device"),
        "days": _text("days"),
        "years": _text("years"),
        "amount": pl.concat_str(pl.lit("$"), _text("dollars"), pl.lit("."), _padded("cents", 2)),
        "last4": _padded("last4", 4),
        "plan": _vocab(vocab.plans, "plan"),
        "code": _vocab(vocab.promo_codes, "code"),
        "version": pl.concat_str(_text("major"), _text("minor"), _text("patch"), separator="."),
    }
    if polished:
        draws["intent"] = np.zeros(n, np.int64) if intents is None else intents
        exprs |= {
            "date": pl.concat_str(month, pl.lit(" "), day, pl.lit(", 2024")),
            "agent": agent.str.to_titlecase(),
            "topic": _vocab([i.title for i in vocab.intents], "intent"),
        }
        return _SlotTable(pl.DataFrame(draws), exprs, {})
    draws |= {
        "first": rng.integers(0, len(vocab.first_names), n),
        "last": rng.integers(0, len(vocab.last_names), n),
        "email_form": rng.integers(0, 5, n),
        "email_digits": rng.integers(0, 100, n),
        "birth_year": rng.integers(58, 106, n) % 100,
        "domain": rng.integers(0, len(vocab.domains), n),
        "area": rng.integers(201, 990, n),
        "exchange": rng.integers(200, 1000, n),
        "line": rng.integers(0, 10_000, n),
        "phone_form": rng.integers(0, 5, n),
        "house": rng.integers(1, 10_000, n),
        "street": rng.integers(0, len(vocab.streets), n),
        "track_hi": rng.integers(0, 10**8, n),
        "track_lo": rng.integers(0, 10**8, n),
        "city": rng.integers(0, len(vocab.cities), n),
    }
    first, last = _vocab(vocab.first_names, "first"), _vocab(vocab.last_names, "last")
    exprs |= {
        "date": pl.when(pl.col("numeric_date"))
        .then(pl.concat_str((pl.col("month") + 1).cast(pl.String), pl.lit("/"), day))
        .otherwise(pl.concat_str(month, pl.lit(" "), day)),
        "agent": agent,
        "address": pl.concat_str(_text("house"), pl.lit(" "), _vocab(vocab.streets, "street")),
        "tracking": pl.concat_str(pl.lit("1Z"), _padded("track_hi", 8), _padded("track_lo", 8)),
        "city": _vocab(vocab.cities, "city"),
    }
    frame = pl.DataFrame(draws)
    personal = frame.select(
        pl.concat_str(first, pl.lit(" "), last).alias("name"),
        _email(first.str.to_lowercase(), last.str.to_lowercase()).alias("email"),
        _phone().alias("phone"),
    )
    return _SlotTable(frame, exprs, {c.name: c for c in personal.get_columns()})


def _email(first: pl.Expr, last: pl.Expr) -> pl.Expr:
    form, digits, year = pl.col("email_form"), _padded("email_digits", 2), _padded("birth_year", 2)
    local = (
        pl.when(form == 0)
        .then(pl.concat_str(first, pl.lit("."), last))
        .when(form == 1)
        .then(pl.concat_str(first, pl.lit("."), last, digits))
        .when(form == 2)
        .then(pl.concat_str(first.str.slice(0, 1), last, digits))
        .when(form == 3)
        .then(pl.concat_str(first, last, year))
        .otherwise(pl.concat_str(first, pl.lit("_"), last, year))
    )
    return pl.concat_str(local, pl.lit("@"), _vocab(tx.load().domains, "domain"))


def _phone() -> pl.Expr:
    a, e, x, form = _text("area"), _text("exchange"), _padded("line", 4), pl.col("phone_form")
    return (
        pl.when(form == 0)
        .then(pl.concat_str(pl.lit("("), a, pl.lit(") "), e, pl.lit("-"), x))
        .when(form == 1)
        .then(pl.concat_str(a, e, x, separator="-"))
        .when(form == 2)
        .then(pl.concat_str(pl.lit("+1"), a, e, x, separator=" "))
        .when(form == 3)
        .then(pl.concat_str(a, e, x, separator="."))
        .otherwise(pl.concat_str(a, e, x))
    )


def _timestamps(
    rng: np.random.Generator, n: int, start: datetime, days: int, real: bool
) -> pl.Series:
    if real:
        # Volume grows over the two years and dips at weekends; office hours dominate.
        day_w = np.linspace(0.8, 1.25, days)
        weekday = (np.arange(days) + start.weekday()) % 7
        day_w *= np.where(weekday >= 5, 0.55, 1.0)
        day = _choice(rng, n, day_w)
        hour = _choice(rng, n, _HOUR_W)
    else:
        day = rng.integers(0, days, n)
        hour = rng.integers(0, 24, n)
    us = day * _US_PER_DAY + hour * 3_600_000_000 + rng.integers(0, 3_600_000_000, n)
    base = (start - datetime(1970, 1, 1)) // timedelta(microseconds=1)
    stamps: pl.Series = pl.Series("created_at", us + base).cast(pl.Datetime("us"))
    return stamps


# --------------------------------------------------------------------------------------------
# real tickets


def _real_text(
    rng: np.random.Generator, channel: int, intents: np.ndarray, slots: _SlotTable
) -> pl.Series:
    n = intents.size
    R = tx.load().real
    email = _CHANNELS[channel] == "email"
    pools = _intent_pools()
    issue = pools["real_issue_email" if email else "real_issue"].pick(rng, intents)
    detail = pools["real_detail"].pick(rng, intents)
    if email:
        parts = [
            _Part("", _frag(rng, R.email_greeting, n)),
            _Part("\n\n", issue, typo=True),
            _Part(" ", detail, p=0.85, typo=True),
            _Part(" ", _frag(rng, R.email_extra, n, "real"), p=0.6, typo=True),
            _Part("\n\n", _frag(rng, R.email_ask, n, "real"), p=0.8),
            _Part("\n\n", _frag(rng, R.email_signoff, n)),
            _Part("\n", _frags(("{name}",), np.zeros(n, np.int64)), p=0.85),
            _Part("\n", _frag(rng, R.contact, n, "real"), p=0.4),
        ]
    elif _CHANNELS[channel] == "chat":
        parts = [
            _Part("", _frag(rng, R.chat_opener, n, "real")),
            _Part("\n", issue, typo=True),
            _Part("", _frag(rng, R.chat_context, n, "real")),
            _Part("\n", detail, p=0.9, typo=True),
            _Part("\n", _frag(rng, R.chat_tail, n, "real"), p=0.6),
        ]
    else:
        parts = [
            _Part("agent: ", _frag(rng, R.agent_greet, n)),
            _Part("\ncustomer: ", _frag(rng, R.customer_open, n, "real")),
            _Part(" ", issue, typo=True),
            _Part("\nagent: ", _frag(rng, R.agent_verify, n)),
            _Part("\ncustomer: ", _frag(rng, R.verify_answer, n, "real")),
            _Part("\nagent: ", _frag(rng, R.agent_check, n)),
            _Part("\ncustomer: ", detail, typo=True),
            _Part("\nagent: ", _frag(rng, R.agent_close, n), p=0.7),
        ]
    return _assemble(rng, parts, slots, typo_rate=0.5)


def _real_tickets(n: int, rng: np.random.Generator, prefix: str) -> pl.DataFrame:
    """Real-style tickets plus private columns ``_name``, ``_email``, ``_phone``.

    The private columns hold the personal data that appears verbatim in ``text`` (null when
    the ticket does not show it); the PII echoes are planted from them.
    """
    table = _intent_table()
    intents = _choice(rng, n, table.real_p)
    channels = _choice(rng, n, _REAL_CHANNEL_P)
    slots = _slots(rng, n, polished=False)
    text = _by_channel(rng, channels, _real_text, intents, slots)
    lower = rng.random(n) < 0.7
    frame = pl.DataFrame(
        {
            "t": text,
            "lower": lower,
            "apostrophe": rng.random(n) < 0.5,
            "name": slots.values("name"),
            "email": slots.values("email"),
            "phone": slots.values("phone"),
        }
    )
    t = pl.col("t")
    t = pl.when(pl.col("apostrophe")).then(t.str.replace_all("'", "", literal=True)).otherwise(t)
    t = pl.when(pl.col("lower")).then(t.str.to_lowercase()).otherwise(t)
    frame = frame.with_columns(t.alias("text")).with_columns(
        pl.when(pl.col("lower"))
        .then(pl.col("name").str.to_lowercase())
        .otherwise(pl.col("name"))
        .alias("name")
    )
    shown = [
        pl.when(pl.col("text").str.contains(pl.col(c), literal=True)).then(pl.col(c)).alias(f"_{c}")
        for c in ("name", "email", "phone")
    ]
    noise = rng.choice(np.array([-1, 0, 0, 0, 1]), n)
    return frame.select(
        _ids(prefix, n).alias("ticket_id"),
        _timestamps(rng, n, _REAL_START, _REAL_DAYS, real=True),
        _gather(_CHANNELS, channels).alias("channel"),
        "text",
        _gather(table.names, intents).alias("intent"),
        pl.Series(np.clip(table.priority[intents] + noise, 1, 4)).cast(pl.Int8).alias("priority"),
        pl.lit("real").alias("source"),
        *(pl.lit(None, dtype=pl.String).alias(c) for c in _SCHEMA.names()[7:]),
        *shown,
        pl.Series(intents).alias("_intent"),
    )


# --------------------------------------------------------------------------------------------
# synthetic pool


def _synthetic_text(
    rng: np.random.Generator,
    channel: int,
    intents: np.ndarray,
    contact: np.ndarray,
    slots: _SlotTable,
) -> pl.Series:
    n = intents.size
    S = tx.load().synthetic
    pools = _intent_pools()
    purpose = pools["synthetic_purpose"].pick(rng, intents)
    detail = pools["synthetic_detail"].pick(rng, intents)
    # contact: 0 none, 1 e-mail, 2 phone, 3 name; the sentence shows only on PII echoes
    contacts = (*S.contact_email, *S.contact_phone, *S.contact_name)
    sizes = np.array([1, len(S.contact_email), len(S.contact_phone), len(S.contact_name)])
    starts = np.concatenate([[0], np.cumsum(sizes[1:])])
    kind = np.maximum(contact, 1)
    contact_text = _frags(contacts, starts[kind - 1] + _within(rng, kind, sizes))
    has_contact = contact > 0
    k = len(S.extra)
    first = rng.integers(0, k, n)
    second = (first + 1 + rng.integers(0, k - 1, n)) % k  # two different extra sentences
    if _CHANNELS[channel] == "email":
        parts = [
            _Part("", _frag(rng, S.subject, n)),
            _Part("\n\n", _frag(rng, S.greeting, n, "formal")),
            _Part("\n\n", _frag(rng, S.opener, n, "formal")),
            _Part(" ", purpose),
            _Part(" ", _frag(rng, S.context, n, "formal"), p=0.85),
            _Part(" ", detail),
            _Part(" ", contact_text, p=has_contact),
            _Part(" ", _variant_frags(rng, S.extra, first, "formal")),
            _Part(" ", _variant_frags(rng, S.extra, second, "formal"), p=0.6),
            _Part("\n\n", _frag(rng, S.ask, n, "formal")),
            _Part(" ", _frag(rng, S.closing, n, "formal")),
            _Part("\n\n", _frag(rng, S.signoff, n)),
        ]
    elif _CHANNELS[channel] == "chat":
        parts = [
            _Part("", _frag(rng, S.chat_hello, n)),
            _Part(" ", _frag(rng, S.chat_opener, n, "formal")),
            _Part(" ", purpose),
            _Part(" ", _frag(rng, S.context, n, "formal"), p=0.85),
            _Part(" ", detail),
            _Part(" ", contact_text, p=has_contact),
            _Part(" ", _variant_frags(rng, S.extra, first, "formal")),
            _Part(" ", _variant_frags(rng, S.extra, second, "formal"), p=0.6),
            _Part(" ", _frag(rng, S.chat_ask, n, "formal")),
            _Part(" ", _frag(rng, S.chat_thanks, n, "formal")),
        ]
    else:
        parts = [
            _Part("Agent: ", _frag(rng, S.agent_greet, n)),
            _Part("\nCustomer: ", _frag(rng, S.customer_open, n, "formal")),
            _Part(" ", purpose),
            _Part(" ", contact_text, p=has_contact),
            _Part("\nAgent: ", _frag(rng, S.agent_ack, n, "formal")),
            _Part("\nCustomer: ", detail),
            _Part(" ", _frag(rng, S.context, n, "formal"), p=0.85),
            _Part(" ", _frag(rng, S.extra, n, "formal"), p=0.5),
            _Part("\nAgent: ", _frag(rng, S.agent_resolve, n, "formal")),
            _Part("\nCustomer: ", _frag(rng, S.customer_thanks, n, "formal")),
            _Part("\nAgent: ", _frag(rng, S.agent_bye, n, "formal")),
        ]
    return _assemble(rng, parts, slots, typo_rate=0.0)


def _seed_tickets(rng: np.random.Generator, intents: np.ndarray, real: pl.DataFrame) -> pl.Series:
    """Pick per row a real ticket of the same intent (the one the generator saw); 10% null."""
    n = intents.size
    if real.height == 0:
        return pl.Series("seed_ticket_id", [None] * n, dtype=pl.String)
    real_intents = real["_intent"].to_numpy()
    order = np.argsort(real_intents, kind="stable")
    counts = np.bincount(real_intents, minlength=len(_intent_table().names))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pick = order[
        np.minimum(starts[intents] + _within(rng, intents, np.maximum(counts, 1)), real.height - 1)
    ]
    ids = real["ticket_id"].gather(pick)
    keep = (counts[intents] > 0) & (rng.random(n) >= 0.1)
    return _when(keep, ids).rename("seed_ticket_id")


def _provenance(rng: np.random.Generator, n: int) -> pl.DataFrame:
    gens = tx.load().generators
    g = _choice(rng, n, [w for _, _, w in gens])
    prompt = rng.integers(0, _N_PROMPTS, n)
    hashes = [
        hashlib.sha256(f"support-ticket prompt {k} for {name} {version}".encode()).hexdigest()[:16]
        for name, version, _ in gens
        for k in range(_N_PROMPTS)
    ]
    return pl.DataFrame(
        {
            "generator": _gather([name for name, _, _ in gens], g),
            "generator_version": _gather([version for _, version, _ in gens], g),
            "prompt_hash": _gather(hashes, g * _N_PROMPTS + prompt),
        }
    )


def _synthetic_rows(
    rng: np.random.Generator,
    intents: np.ndarray,
    seeds: pl.Series,
    contact: np.ndarray,
    contact_value: pl.Series,
) -> pl.DataFrame:
    n = intents.size
    channels = _choice(rng, n, _SYNTHETIC_CHANNEL_P)
    slots = _slots(rng, n, polished=True, intents=intents)
    # A PII echo repeats the real ticket's value verbatim in the matching slot.
    echo = contact_value.fill_null("")
    slots.fixed |= {"email": echo, "phone": echo, "name": echo}
    text = _by_channel(rng, channels, _synthetic_text, intents, contact, slots)
    priority = _choice(rng, n, [0.12, 0.55, 0.27, 0.06]) + 1
    return (
        pl.DataFrame(
            {
                "created_at": _timestamps(rng, n, _SYNTHETIC_START, _SYNTHETIC_DAYS, real=False),
                "channel": _gather(_CHANNELS, channels),
                "text": text,
                "intent": _gather(_intent_table().names, intents),
                "priority": pl.Series(priority).cast(pl.Int8),
                "source": pl.Series(["synthetic"] * n, dtype=pl.String),
            }
        )
        .hstack(_provenance(rng, n))
        .with_columns(seeds.alias("seed_ticket_id"))
    )


def _planted_counts(n_synthetic: int, n_eval: int, n_pii_sources: int) -> dict[str, int]:
    counts = {kind: n_synthetic * bp // 10_000 for kind, bp in _SHARE_BP.items()}
    counts["eval_copy"] = min(counts["eval_copy"], n_eval)
    if n_pii_sources == 0:
        counts["pii_echo"] = 0
    return counts


def _synthetic_pool(
    n: int, rng: np.random.Generator, real: pl.DataFrame, evals: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    pii_cols = ["_email", "_phone", "_name"]
    has_pii = real.select(pl.any_horizontal(pl.col(c).is_not_null() for c in pii_cols)).to_series()
    pii_sources = np.flatnonzero(has_pii.to_numpy()) if real.height else np.empty(0, np.int64)
    counts = _planted_counts(n, evals.height, pii_sources.size)
    n_copies = counts["exact_duplicate"] + counts["near_duplicate"] + counts["eval_copy"]
    n_fresh = n - n_copies

    # Fresh generated rows; the PII echoes are fresh rows whose generator repeated personal
    # data from the real ticket it was shown.
    intents = _choice(rng, n_fresh, _intent_table().synthetic_p)
    pii_rows = rng.choice(n_fresh, counts["pii_echo"], replace=False)
    src = pii_sources[
        rng.choice(pii_sources.size, pii_rows.size, replace=pii_rows.size > pii_sources.size)
    ]
    src_frame = real[src]
    # Echo one kind of personal data the source ticket shows (e-mail, phone or name).
    available = src_frame.select(pl.col(c).is_not_null() for c in pii_cols).to_numpy()
    kind = np.argmax(available * rng.random(available.shape), axis=1).astype(np.int64)
    contact = np.zeros(n_fresh, dtype=np.int64)
    contact[pii_rows] = kind + 1
    pii_value = _when(
        kind == 0, src_frame["_email"], _when(kind == 1, src_frame["_phone"], src_frame["_name"])
    ).rename("pii_value")
    contact_value = pl.Series([None] * n_fresh, dtype=pl.String)
    seeds = _seed_tickets(rng, intents, real)
    if pii_rows.size:
        contact_value = contact_value.scatter(pii_rows, pii_value)
        intents[pii_rows] = src_frame["_intent"].to_numpy()
        seeds = seeds.scatter(pii_rows, src_frame["ticket_id"])
    fresh = _synthetic_rows(rng, intents, seeds, contact, contact_value)

    # Originals of the copies and the rows losing provenance: distinct fresh non-PII rows.
    candidates = np.setdiff1d(np.arange(n_fresh), pii_rows)
    candidates = candidates[rng.permutation(candidates.size)]
    n_exact, n_near, n_missing = (
        counts["exact_duplicate"],
        counts["near_duplicate"],
        counts["missing_provenance"],
    )
    exact_src = candidates[:n_exact]
    near_src = candidates[n_exact : n_exact + n_near]
    missing_rows = candidates[n_exact + n_near : n_exact + n_near + n_missing]

    exact = fresh[exact_src].with_columns(
        _timestamps(rng, n_exact, _SYNTHETIC_START, _SYNTHETIC_DAYS, real=False)
    )
    near_edits = _edit_counts(rng, fresh["text"].gather(near_src))
    near_text, near_edits = _edit_words(
        rng, fresh["text"].gather(near_src), near_edits, tx.load().edit_words_synthetic
    )
    near = fresh[near_src].with_columns(
        near_text.alias("text"),
        _timestamps(rng, n_near, _SYNTHETIC_START, _SYNTHETIC_DAYS, real=False),
    )
    n_eval_copy = counts["eval_copy"]
    eval_src = (
        rng.choice(evals.height, n_eval_copy, replace=False)
        if n_eval_copy
        else np.empty(0, np.int64)
    )
    eval_edits = np.where(np.arange(n_eval_copy) % 2 == 0, 0, rng.integers(1, 3, n_eval_copy))
    eval_rows = evals[eval_src]
    eval_text, eval_edits = _edit_words(
        rng, eval_rows["text"], eval_edits, tx.load().edit_words_real
    )
    eval_intents = eval_rows["_intent"].to_numpy()
    eval_copy = (
        eval_rows.select(
            _timestamps(rng, n_eval_copy, _SYNTHETIC_START, _SYNTHETIC_DAYS, real=False),
            "channel",
            eval_text.alias("text"),
            "intent",
            "priority",
            pl.lit("synthetic").alias("source"),
        )
        .hstack(_provenance(rng, n_eval_copy))
        .with_columns(_seed_tickets(rng, eval_intents, real))
    )

    # Missing provenance: generator (and version), prompt hash, or both become null.
    what = np.full(n_fresh, -1)
    what[missing_rows] = rng.integers(0, 3, n_missing)
    what_s = pl.Series(what)
    fresh = fresh.with_columns(
        pl.when(what_s.is_in([0, 2])).then(None).otherwise(pl.col("generator")).alias("generator"),
        pl.when(what_s.is_in([0, 2]))
        .then(None)
        .otherwise(pl.col("generator_version"))
        .alias("generator_version"),
        pl.when(what_s.is_in([1, 2]))
        .then(None)
        .otherwise(pl.col("prompt_hash"))
        .alias("prompt_hash"),
    )

    pool = pl.concat([fresh, exact, near, eval_copy], how="vertical").rechunk()
    # Shuffle so planted rows sit among the others, then number the rows.
    perm = rng.permutation(n)
    position = np.empty(n, dtype=np.int64)
    position[perm] = np.arange(n)
    ids = _ids("S", n)
    pool = pool[perm].with_columns(ids.alias("ticket_id"))
    id_of = ids.gather(position)  # id of the row built at position i before the shuffle

    off_exact, off_near, off_eval = n_fresh, n_fresh + n_exact, n_fresh + n_exact + n_near
    missing_names = np.array(["generator", "prompt_hash", "generator,prompt_hash"])
    exact_j = np.ones(n_exact)
    near_j = _jaccard(near_text, fresh["text"].gather(near_src)).to_numpy()
    eval_j = _jaccard(eval_text, eval_rows["text"]).to_numpy()
    pii_kinds = pl.Series(np.array(["email", "phone", "name"])[kind], dtype=pl.String)
    planted = pl.concat(
        [
            _planted(
                "exact_duplicate",
                id_of.gather(off_exact + np.arange(n_exact)),
                id_of.gather(exact_src),
                exact_j,
                np.zeros(n_exact),
            ),
            _planted(
                "near_duplicate",
                id_of.gather(off_near + np.arange(n_near)),
                id_of.gather(near_src),
                near_j,
                near_edits,
            ),
            _planted(
                "eval_copy",
                id_of.gather(off_eval + np.arange(n_eval_copy)),
                eval_rows["ticket_id"],
                eval_j,
                eval_edits,
            ),
            _planted(
                "pii_echo",
                id_of.gather(pii_rows),
                src_frame["ticket_id"],
                None,
                None,
                pii_kind=pii_kinds,
                pii_value=pii_value,
            ),
            _planted(
                "missing_provenance",
                id_of.gather(missing_rows),
                None,
                None,
                None,
                missing=pl.Series(missing_names[what[missing_rows]], dtype=pl.String),
            ),
        ]
    ).sort(pl.col("kind").cast(pl.Enum(PLANTED_KINDS)), "ticket_id")
    return pool, planted


def _planted(
    kind: str,
    ticket_id: pl.Series,
    ref: pl.Series | None,
    jaccard: np.ndarray | None,
    edits: np.ndarray | None,
    *,
    pii_kind: pl.Series | None = None,
    pii_value: pl.Series | None = None,
    missing: pl.Series | None = None,
) -> pl.DataFrame:
    n = ticket_id.len()

    def col(values: Any, dtype: pl.DataType) -> pl.Series:
        return (
            pl.Series([None] * n, dtype=dtype) if values is None else pl.Series(values).cast(dtype)
        )

    return pl.DataFrame(
        {
            "kind": pl.Series([kind] * n, dtype=pl.String),
            "ticket_id": ticket_id,
            "ref_ticket_id": col(ref, pl.String()),
            "jaccard": col(jaccard, pl.Float64()),
            "edits": col(edits, pl.Int32()),
            "pii_kind": col(pii_kind, pl.String()),
            "pii_value": col(pii_value, pl.String()),
            "missing": col(missing, pl.String()),
        },
        schema=_PLANTED_SCHEMA,
    )


# --------------------------------------------------------------------------------------------
# word edits and exact shingle Jaccard


_ASCII_SPACE = ["\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f"]


def _words(texts: pl.Series) -> pl.Series:
    """Split on whitespace like Python's ``str.split()`` (for ASCII whitespace).

    A literal split is several times faster than a regular expression; the generated text
    has no other whitespace.
    """
    spaced = texts.str.replace_many(dict.fromkeys(_ASCII_SPACE, " ")).str.split(" ")
    words: pl.Series = spaced.list.eval(pl.element().filter(pl.element() != ""))
    return words


def _edit_counts(rng: np.random.Generator, texts: pl.Series) -> np.ndarray:
    """Word edits per near-duplicate: 0.6%-4.5% of the words, at least one."""
    words = texts.str.count_matches(r"\S+").to_numpy().astype(np.float64)
    return np.maximum(1, np.rint(words * rng.uniform(0.006, 0.045, words.size))).astype(np.int64)


def _edit_words(
    rng: np.random.Generator, texts: pl.Series, edits: np.ndarray, vocabulary: Sequence[str]
) -> tuple[pl.Series, np.ndarray]:
    """Apply up to ``edits[i]`` word edits to ``texts[i]`` (the first one an insertion).

    Edits substitute, insert after or delete the word at a random position; two edits drawn
    at one position count once. Rows with zero edits come back unchanged (whitespace
    included); edited rows are re-joined with single spaces. Returns the texts and the number
    of edits applied per row.
    """
    n = texts.len()
    if n == 0 or not edits.any():
        return texts.rename("text"), np.zeros(n, dtype=np.int64)
    words = _words(texts)
    lengths = words.list.len().to_numpy().astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    row = np.repeat(np.arange(n), edits)
    first = np.concatenate([[True], row[1:] != row[:-1]]) if row.size else np.empty(0, bool)
    op = np.where(first, 1, rng.integers(0, 3, row.size))  # 0 substitute, 1 insert, 2 delete
    pos = (rng.random(row.size) * lengths[row]).astype(np.int64)
    flat = starts[row] + pos
    _, keep = np.unique(flat, return_index=True)  # one edit per word position
    total = int(lengths.sum())
    op_at = np.full(total, -1, dtype=np.int8)
    op_at[flat[keep]] = op[keep]
    word_at = np.zeros(total, dtype=np.int64)
    word_at[flat[keep]] = rng.integers(0, len(vocabulary), keep.size)
    vocab = _gather(vocabulary, word_at)
    w, v, op_col = pl.col("w"), pl.col("v"), pl.col("op")
    new = (
        pl.DataFrame({"w": words.explode(empty_as_null=False), "op": op_at, "v": vocab})
        .filter(op_col != 2)  # deletions
        .select(
            pl.when(op_col == 0)
            .then(v)
            .when(op_col == 1)
            .then(pl.concat_str(w, pl.lit(" "), v))
            .otherwise(w)
        )
        .to_series()
    )
    # Rebuild the per-row lists from offsets (no group-by), then join each with spaces.
    kept = lengths - np.bincount(np.repeat(np.arange(n), lengths)[op_at == 2], minlength=n)
    offsets = np.concatenate([[0], np.cumsum(kept)])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), new.to_arrow())
    edited = pl.Series("text", lists).list.join(" ")
    applied = np.bincount(row[keep], minlength=n)
    return _when(edits > 0, edited, texts).rename("text"), applied


def _shingle_sets(texts: pl.Series) -> pl.Series:
    """Word 5-gram shingles of each row as 64-bit hashes (lowercased, split on whitespace).

    A text of fewer than five words is one shingle: its words joined by single spaces. Each
    5-gram hash is a polynomial (mod 2**64) over the five words' 64-bit hashes. The lists may
    repeat a hash; the set operations in :func:`_jaccard` ignore repeats.
    """
    tokens = _words(texts.str.to_lowercase())
    lengths = tokens.list.len().fill_null(0).to_numpy().astype(np.int64)
    n, total = lengths.size, int(lengths.sum())
    word = tokens.explode(empty_as_null=False).hash(seed=_HASH_SEED).to_numpy()
    row = np.repeat(np.arange(n), lengths)
    pos = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    starts = np.flatnonzero(pos <= np.repeat(lengths, lengths) - _SHINGLE)  # a 5-gram starts here
    gram = np.zeros(starts.size, dtype=np.uint64)
    for k in range(_SHINGLE):
        gram = gram * _GRAM_MULTIPLIER + word[starts + k]  # wraps mod 2**64
    short = np.flatnonzero(lengths < _SHINGLE)
    whole = tokens.gather(short).list.join(" ").hash(seed=_HASH_SEED).to_numpy()
    rows = np.concatenate([row[starts], short])
    hashes = np.concatenate([gram, whole])
    order = np.argsort(rows, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(hashes[order]))
    return pl.Series("shingles", lists)


def _jaccard(a: pl.Series, b: pl.Series) -> pl.Series:
    """Jaccard similarity of the word 5-gram sets of ``a[i]`` and ``b[i]``.

    Shingles are compared by 64-bit hash: the value is exact unless two different shingles of
    one pair share a hash (about 1e-15 per pair, so never in practice; the tests compare with a
    string-set reference).
    """
    frame = pl.DataFrame({"a": _shingle_sets(a), "b": _shingle_sets(b)})
    inter = pl.col("a").list.set_intersection("b").list.len()
    union = pl.col("a").list.set_union("b").list.len()
    return frame.select((inter / union).alias("jaccard")).to_series()
