"""Benchmark: the full built-in gate cascade, and the PII scan vs a per-row Python regex loop.

1. The full cascade on the synthetic pool of the example dataset (1M rows by default): time per
   gate (from the cascade's report) and peak resident memory of the process, in a fresh
   subprocess so the numbers are the cascade's alone.
2. PII scan throughput (``has_pii`` and ``find_pii``) on the same 1M texts vs a per-row Python
   loop with the same patterns and checksums (``re`` + Python Luhn / mod-97 / SSN ranges),
   and the detectors' precision/recall on the labelled set of tests/pii_labelled.py.
3. presidio-analyzer, when it is installed in the venv given by ``--presidio-python``: its
   throughput on a 10k sample and its precision/recall on the same labelled set.

Usage::

    PYTHONPATH=src python benchmarks/bench_gates.py                # full size
    PYTHONPATH=src python benchmarks/bench_gates.py --rows 100000  # quick
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import machine, machine_line, median_time, save, update_doc

ROOT = Path(__file__).resolve().parent.parent


def load_data(rows: int, n_real: int, seed: int = 0) -> Any:
    from careful_polars.datasets import support_tickets

    return support_tickets(n_real=n_real, n_synthetic=rows, n_eval=2_000, seed=seed)


def build_cascade(real: pl.DataFrame, evaluation: pl.DataFrame) -> tuple[Any, list[Any]]:
    """The audit's cascade (data/audit_gates.toml) on the example dataset's frames."""
    from careful_polars.cli._audit_gates import _config
    from careful_polars.gates import Gates
    from careful_polars.gates._config import gates_from_config

    skipped: list[tuple[str, str]] = []
    gates = gates_from_config(_config(), {"real": real, "eval": evaluation}, skipped)
    return Gates(gates), skipped


def write_data(rows: int, n_real: int, directory: Path) -> None:
    data = load_data(rows, n_real)
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("synthetic", "real", "eval", "planted"):
        getattr(data, name).write_parquet(directory / f"{name}.parquet")


def child_cascade(directory: Path) -> None:
    """Run once in a fresh process on the Parquet files; print report and peak RSS as JSON."""

    def vm_hwm() -> int:  # VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's peak
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    synthetic = pl.read_parquet(directory / "synthetic.parquet")
    real = pl.read_parquet(directory / "real.parquet")
    evaluation = pl.read_parquet(directory / "eval.parquet")
    planted_frame = pl.read_parquet(directory / "planted.parquet")
    gates, skipped = build_cascade(real, evaluation)
    base = vm_hwm()
    start = time.perf_counter()
    result = gates.run(synthetic)
    total = time.perf_counter() - start
    peak = vm_hwm()
    planted = planted_frame.group_by("kind").len().to_dicts()
    caught = (
        result.rejected.select("ticket_id", "_careful_gate")
        .join(planted_frame.select("ticket_id", "kind"), on="ticket_id", how="left")
        .group_by("_careful_gate", "kind")
        .len()
        .sort("_careful_gate", "kind")
        .to_dicts()
    )
    out = {
        "rows": synthetic.height,
        "n_real": real.height,
        "report": result.report.to_dicts(),
        "skipped": skipped,
        "total_seconds": total,
        "peak_rss_bytes": peak * 1024,
        "rss_before_cascade_bytes": base * 1024,
        "planted": planted,
        "caught": caught,
    }
    print("RESULT " + json.dumps(out, default=str))


def run_cascade_subprocess(directory: Path) -> dict[str, Any]:
    code = [sys.executable, __file__, "--child-cascade", str(directory)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(code, capture_output=True, text=True, check=True, env=env).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])  # type: ignore[no-any-return]


# --- the per-row Python peer ----------------------------------------------------------------


def python_detector() -> Any:
    """A per-row Python loop with the same patterns and validations."""
    from careful_polars.pii import _DIGIT_KINDS, _GLUE_AFTER, _GLUE_BEFORE, _IBAN_LENGTH, _PATTERNS

    before_rx = re.compile(_GLUE_BEFORE)
    after_rx = re.compile(f"^(?:{_GLUE_AFTER})")
    run_rx = re.compile(r"^\d[ -]$")
    prefix_rx = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|35|6)")

    def glued(kind: str, text: str, start: int, end: int) -> bool:
        if kind not in _DIGIT_KINDS:
            return False
        if start > 0 and before_rx.match(text[start - 1]):
            return True
        if after_rx.match(text[end : end + 2]):
            return True
        return (
            kind in ("credit_card", "ssn")
            and start > 1
            and bool(run_rx.match(text[start - 2 : start]))
        )

    # Python's re spells the ASCII word boundary as \b under re.ASCII
    compiled = {
        k: re.compile(p.replace("(?-u:\\b)", "\\b"), re.ASCII) for k, p in _PATTERNS.items()
    }

    def luhn(s: str) -> bool:
        digits = re.sub(r"\D", "", s)
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch)
            if i % 2 == 1:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            total += d
        return 13 <= len(digits) <= 19 and total % 10 == 0 and bool(prefix_rx.match(digits))

    def iban(s: str) -> bool:
        s = s.replace(" ", "")
        if _IBAN_LENGTH.get(s[:2]) != len(s):
            return False
        return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1

    def ssn(s: str) -> bool:
        d = re.sub(r"\D", "", s)
        a, g, n = int(d[:3]), int(d[3:5]), int(d[5:])
        reserved = d in ("078051120", "219099999", "123456789")
        return 0 < a < 900 and a != 666 and g > 0 and n > 0 and not reserved

    def ipv6(s: str) -> bool:
        return len(re.findall(r"[0-9A-Fa-f]+", s)) >= 3 or re.search(r"[A-Fa-f]", s) is not None

    checks = {"credit_card": luhn, "iban": iban, "ssn": ssn, "ipv6": ipv6}

    def has_pii(text: str | None) -> bool:
        if text is None:
            return False
        for kind, rx in compiled.items():
            for m in rx.finditer(text):
                check = checks.get(kind)
                if (check is None or check(m.group())) and not glued(
                    kind, text, m.start(), m.end()
                ):
                    return True
        return False

    return has_pii


# --- presidio (optional, in its own venv) ---------------------------------------------------

PRESIDIO_SCRIPT = r"""
import json, sys, time
import spacy
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
# no spaCy model can be downloaded here: a blank English pipeline (tokenizer only) serves the
# pattern/checksum recognizers; name-based (NER) entities are not compared.
blank = spacy.blank("en")
blank.to_disk("/tmp/careful_blank_en")
provider = NlpEngineProvider(nlp_configuration={
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": "/tmp/careful_blank_en"}],
})
engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
entities = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS"]
payload = json.load(sys.stdin)
texts = payload["texts"]
start = time.perf_counter()
found = [[(r.entity_type, r.start, r.end, r.score) for r in engine.analyze(t, entities=entities, language="en")] for t in texts]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "found": found}))
"""
PRESIDIO_KIND = {
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "CREDIT_CARD": "credit_card",
    "US_SSN": "ssn", "IBAN_CODE": "iban", "IP_ADDRESS": "ip",
}  # fmt: skip


def run_presidio(python: str, texts: list[str]) -> dict[str, Any] | None:
    try:
        out = subprocess.run(
            [python, "-c", PRESIDIO_SCRIPT], input=json.dumps({"texts": texts}),
            capture_output=True, text=True, check=True, timeout=3600,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        err = getattr(exc, "stderr", "") or str(exc)
        return {"error": err.strip().splitlines()[-1] if err.strip() else repr(exc)}
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def labelled_scores(found: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    from tests.pii_labelled import score

    return score(found, truth)


def presidio_scores(result: dict[str, Any], labelled: pl.DataFrame) -> pl.DataFrame:
    """Precision/recall of presidio's spans on the labelled set (ipv4/ipv6 merged into ip)."""
    from tests.pii_labelled import spans_of

    texts = labelled["text"].to_list()
    rows = [
        (i, PRESIDIO_KIND[kind], texts[i][s:e])
        for i, spans in enumerate(result["found"])
        for kind, s, e, _ in spans
        if kind in PRESIDIO_KIND
    ]
    found = pl.DataFrame(rows, schema={"row": pl.UInt32, "kind": pl.String, "text": pl.String},
                         orient="row").unique()  # fmt: skip
    truth = spans_of(labelled, "labels").with_columns(
        pl.col("kind").replace({"ipv4": "ip", "ipv6": "ip"})
    )
    truth = truth.filter(pl.col("kind").is_in(list(PRESIDIO_KIND.values())))
    return labelled_scores(found, truth)


# --- main -----------------------------------------------------------------------------------


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--n-real", type=int, default=100_000)
    parser.add_argument("--python-rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--presidio-python", default="/work/venv-gates/bin/python")
    parser.add_argument("--presidio-rows", type=int, default=10_000)
    parser.add_argument("--child-cascade", type=Path, default=None)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    if args.child_cascade is not None:
        child_cascade(args.child_cascade)
        return

    from tests.pii_labelled import labelled_set, spans_of

    import careful_polars as cp

    info = machine()
    payload: dict[str, Any] = {"rows": args.rows, "n_real": args.n_real, "repeats": args.repeats}

    # 1. the cascade, in a fresh process (time per gate, peak memory); a small run first fills
    # numba's on-disk cache, so the measured run does not include compilation
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_data(2_000, 1_000, Path(tmp) / "small")
        run_cascade_subprocess(Path(tmp) / "small")
        write_data(args.rows, args.n_real, Path(tmp) / "full")
        load_before = os.getloadavg()
        cascade = run_cascade_subprocess(Path(tmp) / "full")
    payload["load_average"] = {"before": load_before, "after": os.getloadavg()}
    payload["cascade"] = cascade

    # 2. PII scan throughput on the same texts
    texts = load_data(args.rows, 1_000).synthetic.select("text")  # the same texts (seed 0)
    mean_len = float(texts["text"].str.len_bytes().mean() or 0)
    t_has = median_time(lambda: texts.select(cp.has_pii("text")), repeats=args.repeats)
    t_find = median_time(lambda: texts.select(cp.find_pii("text")), repeats=args.repeats)
    t_redact = median_time(lambda: texts.select(cp.redact_pii("text")), repeats=args.repeats)
    sample = texts["text"].head(args.python_rows).to_list()
    detector = python_detector()
    t_py = median_time(lambda: [detector(t) for t in sample], repeats=max(1, args.repeats - 1))
    ours_on_sample = texts.head(args.python_rows).select(cp.has_pii("text"))["text"].to_list()
    agree = sum(a == bool(b) for a, b in zip(ours_on_sample, map(detector, sample), strict=True))
    py_rate = args.python_rows / t_py["median"]
    payload["pii"] = {
        "rows": texts.height, "mean_bytes": mean_len, "has_pii": t_has, "find_pii": t_find,
        "redact_pii": t_redact, "python_rows": args.python_rows, "python_loop": t_py,
        "python_rows_per_s": py_rate, "agreement_with_python": agree / len(sample),
    }  # fmt: skip

    # precision / recall on the labelled set
    labelled = labelled_set(0).with_columns(found=cp.find_pii("text"))
    ours = labelled_scores(spans_of(labelled, "found"), spans_of(labelled, "labels"))
    payload["labelled"] = ours.to_dicts()

    # 3. presidio on a 10k sample, if it is installed in its own venv
    presidio: dict[str, Any] = {"installed": Path(args.presidio_python).exists()}
    if presidio["installed"]:
        sample10k = texts["text"].head(args.presidio_rows).to_list()
        res = run_presidio(args.presidio_python, sample10k)
        if res is not None and "error" not in res:
            presidio["rows"] = len(sample10k)
            presidio["seconds"] = res["seconds"]
            lab = run_presidio(args.presidio_python, labelled["text"].to_list())
            if lab is not None and "error" not in lab:
                presidio["labelled"] = presidio_scores(lab, labelled).to_dicts()
        else:
            presidio["error"] = (res or {}).get("error")
    payload["presidio"] = presidio
    path = save("gates", payload)
    print(f"wrote {path}")
    if not args.no_doc:
        update_doc("gates", render(payload, info))
    print(render(payload, info))


def render(p: dict[str, Any], info: dict[str, Any]) -> str:
    c, pii = p["cascade"], p["pii"]
    lines = [
        "## Gate cascade and PII (`benchmarks/bench_gates.py`)",
        "",
        machine_line(info)
        + " The machine was shared with other jobs while this ran (1-minute load average "
        + f"{p['load_average']['before'][0]:.1f} before and {p['load_average']['after'][0]:.1f} "
        + "after the cascade, on 2 cores): absolute times are pessimistic.",
        "",
        f"**Full built-in cascade** (the audit's `data/audit_gates.toml`) on the synthetic pool "
        f"of the example dataset: {c['rows']:,} rows, real corpus {c['n_real']:,} rows, one run "
        f"in a fresh process that reads the frames from Parquet: **{c['total_seconds']:.1f} s** "
        f"in total (target <= 60 s), peak resident memory "
        f"**{c['peak_rss_bytes'] / 2**30:.2f} GiB** (the frames loaded: "
        f"{c['rss_before_cascade_bytes'] / 2**30:.2f} GiB).",
        "",
        "| # | gate | rows in | rejected | rows out | seconds |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in c["report"]:
        lines.append(
            f"| {r['order']} | {r['gate']} | {r['rows_in']:,} | {r['rows_rejected']:,} | "
            f"{r['rows_out']:,} | {r['seconds']:.2f} |"
        )
    for name, why in c["skipped"]:
        lines.append(f"| - | {name} | skipped: {why} | | | |")
    planted = {r["kind"]: r["len"] for r in c["planted"]}
    caught: dict[str, dict[str, int]] = {}
    for r in c["caught"]:
        caught.setdefault(r["_careful_gate"], {})[r["kind"] or "not planted"] = r["len"]
    kinds = [*sorted(planted), "not planted"]
    lines += [
        "",
        "What each gate caught, by planted defect (`SupportTickets.planted`; a planted row is "
        "counted at the first gate that rejects it):",
        "",
        "| gate | " + " | ".join(f"{k} ({planted.get(k, '-')})" for k in kinds) + " |",
        "|---|" + "---:|" * len(kinds),
    ]
    for gate in [r["gate"] for r in c["report"]]:
        row = caught.get(gate, {})
        lines.append(f"| {gate} | " + " | ".join(f"{row.get(k, 0):,}" for k in kinds) + " |")
    has_rate = pii["rows"] / pii["has_pii"]["median"]
    lines += [
        "",
        f"**PII scan** on the same {pii['rows']:,} texts (mean {pii['mean_bytes']:.0f} bytes), "
        f"median of {p['repeats']} runs (the Python loop: {max(1, p['repeats'] - 1)}):",
        "",
        "| operation | median | rows/s | vs Python loop |",
        "|---|---:|---:|---:|",
    ]
    for key in ("has_pii", "find_pii", "redact_pii"):
        t = pii[key]["median"]
        rate = pii["rows"] / t
        lines.append(
            f"| `{key}` | {fmt_s(t)} | {rate:,.0f} | {rate / pii['python_rows_per_s']:.1f}x faster |"
        )
    lines += [
        f"| per-row Python `re` loop (same patterns and checksums, {pii['python_rows']:,} rows) "
        f"| {fmt_s(pii['python_loop']['median'])} | {pii['python_rows_per_s']:,.0f} | 1.0x |",
        "",
        f"`has_pii` scans 1M rows in {1_000_000 / has_rate:.2f} s (target <= 5 s). "
        f"It agrees with the Python loop on {pii['agreement_with_python']:.2%} of the sampled rows.",
        "",
        "Precision and recall on the labelled set (tests/pii_labelled.py, seed 0):",
        "",
        "| kind | true | found | precision | recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in p["labelled"]:
        lines.append(
            f"| {r['kind']} | {r['true']} | {r['found']} | {r['precision']:.3f} | {r['recall']:.3f} |"
        )
    pr = p["presidio"]
    lines.append("")
    if "seconds" in pr:
        rate = pr["rows"] / pr["seconds"]
        lines.append(
            f"**presidio-analyzer** (pattern recognizers with a blank spaCy pipeline; no spaCy model "
            f"can be downloaded here): {pr['rows']:,} rows in {pr['seconds']:.1f} s "
            f"({rate:,.0f} rows/s; `has_pii` is {has_rate / rate:,.0f}x faster)."
        )
        if "labelled" in pr:
            lines += [
                "",
                "| presidio kind | true | found | precision | recall |",
                "|---|---:|---:|---:|---:|",
            ]
            for r in pr["labelled"]:
                prec = "n/a" if r["precision"] is None else f"{r['precision']:.3f}"
                rec = "n/a" if r["recall"] is None else f"{r['recall']:.3f}"
                lines.append(f"| {r['kind']} | {r['true']} | {r['found']} | {prec} | {rec} |")
    else:
        lines.append(
            "**presidio-analyzer** was not measured: "
            + (pr.get("error") or "it is not installed in a separate venv on this machine.")
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
