"""An ordered cascade of data-quality gates that keeps every rejected row, with its reason.

``Gates([...])`` runs its gates in order; each gate sees only the rows the gates before it kept.
The result, :class:`GateResult`, holds the ``kept`` rows, the ``rejected`` rows (unchanged,
plus ``_careful_gate``, ``_careful_reason`` and ``_careful_ref``) and a tidy ``report`` (one
row per gate). ``kept`` + ``rejected`` == input, always.

A gate is any object with a ``name`` and a ``split(frame) -> Split`` method (subclass
:class:`Gate`), or a row gate: a :class:`RowGate` whose ``check`` returns a boolean "keep"
expression and a reason, which runs lazily. The built-in gates are made by the functions of this
package: :func:`schema`, :func:`exact_duplicates`, :func:`pii`, :func:`near_duplicates`,
:func:`contamination`, :func:`memorisation`, :func:`length`, :func:`language_or_format`,
:func:`label_consistency` and :func:`expr`; :func:`custom_gate` wraps a plain function.

The package's rooms: ``_base`` (the gate protocol and reject-column names), ``_row`` (row gates,
one expression each), ``_table`` (adapters over whole-table capabilities and custom gates),
``_config`` (cascades described in TOML) and ``_cascade`` (:class:`Gates`, :func:`run_gates`,
:class:`GateResult`). Imports run one way: ``_cascade`` -> ``_config`` -> ``_row``/``_table``
-> ``_base``.
"""

__all__ = [
    "Gate",
    "GateResult",
    "Progress",
    "Gates",
    "RowGate",
    "contamination",
    "exact_duplicates",
    "expr",
    "custom_gate",
    "label_consistency",
    "language_or_format",
    "length",
    "memorisation",
    "near_duplicates",
    "pii",
    "run_gates",
    "schema",
]

from careful_polars.gates._base import Gate, Progress, RowGate
from careful_polars.gates._cascade import GateResult, Gates, run_gates
from careful_polars.gates._row import expr, label_consistency, language_or_format, length, pii
from careful_polars.gates._table import (
    contamination,
    custom_gate,
    exact_duplicates,
    memorisation,
    near_duplicates,
    schema,
)
