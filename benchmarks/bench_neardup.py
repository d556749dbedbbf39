"""Near-duplicates: accuracy and speed of careful_polars vs datasketch and rensa, one run.

Accuracy: a generated corpus (>= 50k documents of ~100 words from a Zipf vocabulary) with
planted near-duplicates made by word insertions, deletions, substitutions, block moves and added
boilerplate at controlled strengths, plus unrelated documents. Ground truth is every pair with
exact Jaccard >= 0.5 of the word 5-gram sets, found by an exact prefix-filtering similarity join
(plain Python sets; no MinHash). Pair-level precision / recall / F1 at 0.8 and 0.7 for careful
(each ``verify`` mode; predicted pairs = all pairs inside a cluster), datasketch ``MinHashLSH``
(candidates, and candidates whose MinHash estimate reaches the threshold) and rensa
``RMinHashLSH`` (same), all with 128 permutations and the same shingles.

Speed: documents per second from a raw String column to signatures (normalisation and shingling
included) for careful, datasketch ``MinHash.bulk`` (tokenised in Python, as its users do) and
rensa's ``digest_matrix_from_flat_token_hashes`` fed by Polars-side shingling; then wall time and
peak RSS of ``near_dedup(verify="jaccard")`` on 1M documents in a fresh process.

Run: ``PYTHONPATH=src python benchmarks/bench_neardup.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, machine_line, median_time, save, update_doc

import careful_polars as cp

NUM_PERM = 128
NGRAM = 5
SEED = 42
RESULTS_JSON = Path(__file__).resolve().parent / "results" / "neardup.json"
BIG_PATH = Path(os.environ.get("CAREFUL_BENCH_TMP", "/tmp")) / "careful_neardup_1m.parquet"


# ----------------------------------------------------------------------------- corpus


def make_vocab(rng: np.random.Generator, size: int = 40_000) -> np.ndarray:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words = set()
    while len(words) < size:
        length = int(rng.integers(2, 10))
        words.add("".join(rng.choice(letters, length)))
    return np.array(sorted(words))


def zipf_probs(size: int) -> np.ndarray:
    p = 1.0 / (np.arange(size) + 20.0)
    return p / p.sum()


def draw(rng: np.random.Generator, vocab: np.ndarray, cdf: np.ndarray, k: int | None = None):
    idx = np.minimum(np.searchsorted(cdf, rng.random(k if k is not None else 1)), len(vocab) - 1)
    return list(vocab[idx]) if k is not None else str(vocab[idx[0]])


BOILERPLATE = [
    "thank you for contacting our support team we will get back to you shortly",
    "please do not reply to this automated message",
    "this message and any attachments are confidential and intended only for the recipient",
    "sent from my phone please excuse any typos",
    "if you have any further questions please let us know",
]


def edit(
    words: list[str], rng: np.random.Generator, vocab: np.ndarray, cdf: np.ndarray
) -> list[str]:
    """One planted near-duplicate: a random edit operation at a random strength."""
    w = list(words)
    op = rng.choice(["substitute", "insert", "delete", "move", "boilerplate", "mixed"])
    k = int(rng.integers(1, 12))
    if op in ("substitute", "mixed"):
        for pos in rng.integers(0, len(w), k):
            w[pos] = draw(rng, vocab, cdf)
    if op in ("insert", "mixed"):
        for _ in range(k):
            w.insert(int(rng.integers(0, len(w) + 1)), draw(rng, vocab, cdf))
    if op == "delete":
        for _ in range(k):
            del w[int(rng.integers(0, len(w)))]
    if op == "move":
        start = int(rng.integers(0, len(w) - k))
        block = w[start : start + 3 * k]
        del w[start : start + 3 * k]
        at = int(rng.integers(0, len(w) + 1))
        w[at:at] = block
    if op == "boilerplate":
        extra = BOILERPLATE[int(rng.integers(0, len(BOILERPLATE)))].split()
        w = w + extra if rng.random() < 0.5 else extra + w
    return w


def quality_corpus(n_docs: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = make_vocab(rng)
    cdf = np.cumsum(zipf_probs(len(vocab)))
    docs: list[list[str]] = []
    n_base = int(n_docs * 0.72)
    for _ in range(n_base):
        length = int(rng.integers(80, 121))
        words = draw(rng, vocab, cdf, length)
        if rng.random() < 0.1:  # unrelated documents sharing boilerplate
            words += BOILERPLATE[int(rng.integers(0, len(BOILERPLATE)))].split()
        docs.append(words)
    while len(docs) < n_docs:
        src = docs[int(rng.integers(0, n_base))]
        docs.append(edit(src, rng, vocab, cdf))
    order = rng.permutation(len(docs))
    return [" ".join(docs[i]) for i in order]


def shingle_set(doc: str, n: int = NGRAM) -> frozenset[str]:
    w = doc.split()
    if len(w) <= n:
        return frozenset([" ".join(w)])
    return frozenset(" ".join(w[i : i + n]) for i in range(len(w) - n + 1))


def exact_pairs(sets: list[frozenset[str]], t: float = 0.5) -> dict[tuple[int, int], float]:
    """All pairs with Jaccard >= t, by prefix filtering (exact: no pair above t is missed)."""
    freq: dict[str, int] = defaultdict(int)
    for s in sets:
        for x in s:
            freq[x] += 1
    index: dict[str, list[int]] = defaultdict(list)
    out: dict[tuple[int, int], float] = {}
    for i, s in enumerate(sets):
        ordered = sorted(s, key=lambda x: (freq[x], x))
        prefix = len(s) - math.ceil(t * len(s)) + 1
        seen: set[int] = set()
        for x in ordered[:prefix]:
            for j in index[x]:
                if j in seen:
                    continue
                seen.add(j)
                other = sets[j]
                if min(len(s), len(other)) < t * max(len(s), len(other)):
                    continue
                inter = len(s & other)
                jac = inter / (len(s) + len(other) - inter)
                if jac >= t:
                    out[(j, i)] = jac
            index[x].append(i)
    return out


def prf(pred: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    tp = len(pred & truth)
    precision = tp / len(pred) if pred else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(pred)}


def cluster_pairs(cluster_id: np.ndarray) -> set[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cluster_id):
        groups[int(c)].append(i)
    return {pair for g in groups.values() if len(g) > 1 for pair in combinations(g, 2)}


def components(pairs: set[tuple[int, int]], n: int) -> set[tuple[int, int]]:
    """All pairs inside the connected components of ``pairs`` (union-find)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return cluster_pairs(np.array([find(i) for i in range(n)]))


def datasketch_bands(threshold: float) -> tuple[int, int]:
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, NUM_PERM, 0.5, 0.5)


def rensa_bands(threshold: float) -> int:
    """rensa needs num_perm divisible by bands: the best divisor under datasketch's objective."""
    from datasketch.lsh import _false_negative_probability, _false_positive_probability

    best = min(
        (b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0),
        key=lambda b: (
            _false_positive_probability(threshold, b, NUM_PERM // b)
            + _false_negative_probability(threshold, b, NUM_PERM // b)
        ),
    )
    return best


# ----------------------------------------------------------------------------- accuracy


def accuracy(docs: list[str]) -> dict:
    from datasketch import MinHash, MinHashLSH
    from rensa import RMinHash, RMinHashLSH

    sets = [shingle_set(d) for d in docs]
    t0 = time.perf_counter()
    truth_all = exact_pairs(sets, 0.5)
    truth_seconds = time.perf_counter() - t0
    df = pl.DataFrame({"text": docs})
    results: dict = {"truth_pairs_ge_0.5": len(truth_all), "truth_seconds": truth_seconds}
    byte_sets = [[x.encode() for x in s] for s in sets]
    ds = MinHash.bulk(byte_sets, num_perm=NUM_PERM, seed=SEED)
    rs = RMinHash.from_token_sets([list(s) for s in sets], NUM_PERM, SEED)
    for threshold in (0.8, 0.7):
        truth = {p for p, j in truth_all.items() if j >= threshold}
        rows: dict[str, dict] = {}
        cl_rows: dict[str, dict] = {}
        for verify in ("jaccard", "signature", None):
            start = time.perf_counter()
            marked = cp.mark_near_duplicates(df, "text", threshold, NUM_PERM, NGRAM, verify=verify)
            secs = time.perf_counter() - start
            links = cp.near_duplicate_pairs(df, "text", threshold, NUM_PERM, NGRAM, verify=verify)
            pred = set(zip(links["row_a"].to_list(), links["row_b"].to_list(), strict=True))
            rows[f"careful verify={verify}"] = {**prf(pred, truth), "seconds": secs}
            cl_rows[f"careful verify={verify}"] = prf(
                cluster_pairs(marked["cluster_id"].to_numpy()), truth
            )
        b, r = datasketch_bands(threshold)
        start = time.perf_counter()
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        for i, m in enumerate(ds):
            lsh.insert(i, m)
        cand = {(min(i, j), max(i, j)) for i, m in enumerate(ds) for j in lsh.query(m) if j != i}
        secs = time.perf_counter() - start
        rows["datasketch MinHashLSH"] = {**prf(cand, truth), "seconds": secs}
        est = {(i, j) for i, j in cand if ds[i].jaccard(ds[j]) >= threshold}
        rows["datasketch + estimate >= t"] = prf(est, truth)
        cl_rows["datasketch + estimate >= t"] = prf(components(est, len(docs)), truth)
        nb = rensa_bands(threshold)
        start = time.perf_counter()
        rl = RMinHashLSH(threshold, NUM_PERM, nb)
        for i, m in enumerate(rs):
            rl.insert(i, m)
        rc = {(min(i, j), max(i, j)) for i, m in enumerate(rs) for j in rl.query(m) if j != i}
        secs = time.perf_counter() - start
        rows[f"rensa RMinHashLSH ({nb} bands)"] = {**prf(rc, truth), "seconds": secs}
        rest = {(i, j) for i, j in rc if rs[i].jaccard(rs[j]) >= threshold}
        rows["rensa + estimate >= t"] = prf(rest, truth)
        cl_rows["rensa + estimate >= t"] = prf(components(rest, len(docs)), truth)
        results[str(threshold)] = {
            "truth_pairs": len(truth),
            "datasketch_bands_rows": [b, r],
            "careful_bands_rows": list(cp.lsh_params(threshold, NUM_PERM, 0.02, 0.98)),
            "rows": rows,
            "cluster_rows": cl_rows,
        }
        print(f"threshold {threshold}: {len(truth)} true pairs", flush=True)
        for name, row in [*rows.items(), *(("cluster " + k, v) for k, v in cl_rows.items())]:
            print(
                f"  {name:32s} P={row['precision']:.4f} R={row['recall']:.4f} F1={row['f1']:.4f}",
                flush=True,
            )
    return results


# ----------------------------------------------------------------------------- speed


def python_shingles(text: str) -> list[bytes]:
    w = text.lower().split()
    if len(w) <= NGRAM:
        return [" ".join(w).encode()]
    return [" ".join(w[i : i + NGRAM]).encode() for i in range(len(w) - NGRAM + 1)]


def rensa_pipeline(df: pl.DataFrame):  # type: ignore[no-untyped-def]
    """Polars-side shingling (lowercase, split, shifted concat, hash) then rensa's flat API."""
    from rensa import RMinHash

    words = (
        df.select(pl.col("text").str.to_lowercase().str.split(" ").alias("w"))
        .with_row_index("doc")
        .explode("w")
    )
    parts = [pl.col("w").shift(-k) for k in range(NGRAM)]
    same = pl.col("doc").shift(-(NGRAM - 1)) == pl.col("doc")
    sh = words.select(
        "doc", pl.concat_str(parts, separator=" ").hash(SEED).alias("h"), same.alias("ok")
    )
    sh = sh.filter(pl.col("ok"))
    counts = sh.group_by("doc").len().sort("doc")["len"].to_numpy()
    offsets = np.zeros(len(counts) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    flat = sh["h"].to_numpy()
    return RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, NUM_PERM, SEED)


def speed(docs: list[str], repeats: int) -> dict:
    from datasketch import MinHash

    df = pl.DataFrame({"text": docs})
    n = df.height
    t_careful = median_time(lambda: df.select(cp.minhash("text", NUM_PERM, NGRAM)), repeats)
    t_unicode = median_time(
        lambda: df.select(cp.minhash("text", NUM_PERM, NGRAM, normalize="unicode")), repeats
    )
    t_rensa = median_time(lambda: rensa_pipeline(df), repeats)
    small = docs[: min(5000, n)]
    t_ds = median_time(
        lambda: MinHash.bulk([python_shingles(d) for d in small], num_perm=NUM_PERM, seed=SEED),
        max(1, repeats // 2),
    )
    rates = {
        "careful minhash (expr, raw text)": n / t_careful["median"],
        "careful minhash normalize='unicode' (NFKC+casefold first)": n / t_unicode["median"],
        "rensa flat API + Polars shingling": n / t_rensa["median"],
        "datasketch MinHash.bulk + Python shingling": len(small) / t_ds["median"],
    }
    for name, rate in rates.items():
        print(f"  {name:45s} {rate:12,.0f} docs/s", flush=True)
    return {
        "docs": n,
        "load_average_1min": os.getloadavg()[0],
        "datasketch_docs": len(small),
        "seconds": {
            "careful": t_careful,
            "careful_unicode": t_unicode,
            "rensa": t_rensa,
            "datasketch": t_ds,
        },
        "docs_per_second": rates,
    }


# ----------------------------------------------------------------------------- 1M near_dedup


def write_big(n: int, path: Path, seed: int = 1) -> None:
    """``n`` documents of 80-120 words (Zipf vocabulary); 10% are edited copies of others."""
    rng = np.random.default_rng(seed)
    vocab = pl.Series(make_vocab(rng))
    p = zipf_probs(len(vocab))
    cdf = np.cumsum(p)
    width = 120
    frames = []
    chunk = 100_000
    prev_ids = None
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        ids = np.searchsorted(cdf, rng.random((m, width))).astype(np.uint32)
        ids = np.minimum(ids, len(vocab) - 1)
        lengths = rng.integers(80, 121, m)
        if prev_ids is not None:
            dup = rng.random(m) < 0.1
            src = rng.integers(0, len(prev_ids), dup.sum())
            ids[dup] = prev_ids[src]
            lengths[dup] = 100
            subs = rng.integers(0, 6, dup.sum())
            rows = np.repeat(np.flatnonzero(dup), subs)
            ids[rows, rng.integers(0, 100, len(rows))] = rng.integers(0, len(vocab), len(rows))
        prev_ids = ids
        words = vocab.gather(ids.ravel()).reshape((m, width))
        text = words.arr.join(" ")
        # cut each document to its length by taking the first `length` words
        text = (
            pl.DataFrame({"w": words, "n": lengths})
            .select(pl.col("w").arr.to_list().list.head(pl.col("n")).list.join(" "))
            .to_series()
        )
        frames.append(pl.DataFrame({"text": text}))
        del text
    pl.concat(frames).write_parquet(path)


BIG_CODE = """
import time, polars as pl, careful_polars as cp
cp.near_dedup(pl.DataFrame({{"text": ["warm up a b c d e f", "warm up a b c d e f"]}}), "text")
df = pl.read_parquet({path!r})
t = time.perf_counter()
out = cp.near_dedup(df, "text", verify={verify!r})
print("SECONDS", time.perf_counter() - t, "KEPT", out.height, "ROWS", df.height)
"""


def big_run(path: Path, verify: str | None) -> dict:
    import resource  # noqa: F401  (Linux only; peak RSS via getrusage in the child)

    code = BIG_CODE.format(path=str(path), verify=verify)
    wrapper = (
        code
        + "\nimport resource\nprint('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper], capture_output=True, text=True, check=True
    ).stdout
    info: dict = {"load_average_1min": os.getloadavg()[0]}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "SECONDS":
            info.update(seconds=float(parts[1]), kept=int(parts[3]), rows=int(parts[5]))
        if parts and parts[0] == "PEAK":
            info["peak_rss_gb"] = int(parts[1]) * 1024 / 1e9
    return info


# ----------------------------------------------------------------------------- report


def markdown(res: dict) -> str:
    lines = [
        "### Near-duplicates (`benchmarks/bench_neardup.py`)",
        "",
        machine_line(res["machine"]),
        "The machine was shared with other jobs while this ran; figures are medians.",
        "",
        f"**Accuracy** on {res['accuracy_docs']:,} generated documents (~100 words, planted "
        f"near-duplicates by insertion, deletion, substitution, block moves and boilerplate), "
        f"{NUM_PERM} permutations, word {NGRAM}-grams; ground truth from an exact prefix-filtering "
        f"join ({res['accuracy']['truth_pairs_ge_0.5']:,} pairs with Jaccard >= 0.5). Pair level: "
        f"careful's predicted pairs are its verified links (`near_duplicate_pairs`), the peers' "
        f"their LSH candidates (and those whose MinHash estimate reaches the threshold). Cluster "
        f"level: every pair inside a connected component of those pairs (what a dedup acts on; "
        f"chains can join pairs below the threshold).",
        "",
    ]
    for t in ("0.8", "0.7"):
        block = res["accuracy"][t]
        lines += [
            f"Threshold {t} ({block['truth_pairs']:,} true pairs):",
            "",
            "| method | precision | recall | F1 | predicted pairs |",
            "|---|---|---|---|---|",
        ]
        for name, row in block["rows"].items():
            lines.append(
                f"| {name} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} "
                f"| {row['predicted']:,} |"
            )
        lines += ["", f"Cluster level at {t}:", ""]
        lines += [
            "| method | precision | recall | F1 | pairs in clusters |",
            "|---|---|---|---|---|",
        ]
        for name, row in block.get("cluster_rows", {}).items():
            lines.append(
                f"| {name} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} "
                f"| {row['predicted']:,} |"
            )
        lines.append("")
    sp = res["speed"]
    rates = sp["docs_per_second"]
    c = rates["careful minhash (expr, raw text)"]
    lines += [
        f"**Signatures from raw text** ({sp['docs']:,} documents; datasketch on "
        f"{sp['datasketch_docs']:,}), docs/s, median; 1-minute load average "
        f"{sp.get('load_average_1min', float('nan')):.1f} on {res['machine']['cores']} cores "
        f"while measuring:",
        "",
        "| pipeline | docs/s | careful speed-up |",
        "|---|---|---|",
    ]
    for name, rate in rates.items():
        lines.append(f"| {name} | {rate:,.0f} | {c / rate:.2f}x |")
    lines += [
        "",
        "Targets (issue): >= 250k docs/s, >= 2x rensa, >= 50x datasketch; 1M `near_dedup` <= 15 s "
        "and <= 3 GB. The ratios to the peers come from the same run on the same data; absolute "
        "rates and times here were measured with the 2 cores shared by several concurrent "
        "benchmark jobs (load average above), which also penalises careful's two threads against "
        "datasketch's single Python thread.",
        "",
    ]
    if "big" in res:
        b = res["big"]
        lines += [
            f'**`near_dedup(verify="jaccard")` on {b["rows"]:,} documents** (fresh process, '
            f"text read from Parquet first): median {b['seconds']:.1f} s, peak RSS "
            f"{b['peak_rss_gb_max']:.2f} GB (whole process, worst run), {b['kept']:,} rows kept "
            f"(runs: "
            f"{', '.join(f'{x:.1f} s' for x in b['runs_seconds'])}; 1-minute load average "
            f"{b.get('load_average_1min', float('nan')):.1f} after the run).",
        ]
    for run in res.get("earlier_runs", []):
        lines += [
            "",
            f"Earlier run ({run['note']}): careful {run['careful_docs_per_second']:,} docs/s, "
            f"rensa {run['rensa_docs_per_second']:,}, datasketch "
            f"{run['datasketch_docs_per_second']:,}; 1M `near_dedup` median "
            f"{run['big_median_seconds']:.1f} s, peak RSS {run['big_peak_rss_gb']:.2f} GB.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument(
        "--reuse-accuracy",
        action="store_true",
        help="take the accuracy part from the last results JSON and re-measure speed only",
    )
    args = parser.parse_args()
    if args.quick:
        args.docs, args.big, args.repeats = 5_000, 50_000, 2
    docs = quality_corpus(args.docs)
    res: dict = {"accuracy_docs": len(docs), "num_perm": NUM_PERM, "ngram": NGRAM}
    previous = RESULTS_JSON if not args.quick else RESULTS_JSON.with_name("neardup_quick.json")
    if args.reuse_accuracy and previous.exists():
        res["accuracy"] = json.loads(previous.read_text())["accuracy"]
    else:
        print("accuracy", flush=True)
        res["accuracy"] = accuracy(docs)
    print("speed", flush=True)
    speed_docs = docs if args.quick else docs + quality_corpus(50_000, seed=7)
    res["speed"] = speed(speed_docs, args.repeats)
    if not args.skip_big:
        path = BIG_PATH if not args.quick else BIG_PATH.with_name("careful_neardup_quick.parquet")
        if not path.exists() or pl.scan_parquet(path).select(pl.len()).collect().item() != args.big:
            print(f"writing {args.big:,} documents to {path}", flush=True)
            write_big(args.big, path)
        runs = [big_run(path, "jaccard") for _ in range(1 if args.quick else 3)]
        ordered = sorted(runs, key=lambda r: r["seconds"])
        res["big"] = {
            **ordered[len(ordered) // 2],
            "peak_rss_gb_max": max(r["peak_rss_gb"] for r in runs),
            "runs_seconds": [r["seconds"] for r in runs],
            "median_seconds": statistics.median(r["seconds"] for r in runs),
        }
        print("big", res["big"], flush=True)
    name = "neardup_quick" if args.quick else "neardup"
    if RESULTS_JSON.exists() and not args.quick:
        res["earlier_runs"] = json.loads(RESULTS_JSON.read_text()).get("earlier_runs", [])
    res = {**res, "machine": machine()}
    save(name, res)
    if not args.quick:
        update_doc("neardup", markdown(res))


if __name__ == "__main__":
    main()
