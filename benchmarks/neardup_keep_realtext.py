"""Old rule (drop every row of a component but its representative) vs the keep rule, on real text.

Text nobody here wrote: man page paragraphs (``man -P cat``) and Python docstring paragraphs of
the installed packages. Exact Jaccard is recomputed in plain Python (regex tokens, word 5-gram
sets), independent of careful's kernels. Writes benchmarks/results/neardup_keep.json.
"""

from __future__ import annotations

import inspect
import json
import pkgutil
import re
import subprocess
import sys
import warnings
from pathlib import Path

import polars as pl

import careful_polars as cp

THRESHOLD = 0.8
NGRAM = 5
_SEP = re.compile(r"[^0-9A-Za-z\x80-\uffff]+")


def man_paragraphs(limit: int) -> list[str]:
    names = sorted(p.name.split(".")[0] for p in Path("/usr/share/man/man1").iterdir())[:limit]
    out: list[str] = []
    for name in names:
        try:
            text = subprocess.run(
                ["man", "-P", "cat", name], capture_output=True, text=True, timeout=10,
                env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin"},
            ).stdout  # fmt: skip
        except subprocess.TimeoutExpired:
            continue
        out += [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 8]
    return out


def docstring_paragraphs(packages: list[str]) -> list[str]:
    out: list[str] = []
    warnings.simplefilter("ignore")
    for pkg in packages:
        try:
            mod = __import__(pkg)
        except Exception:
            continue
        mods = [mod]
        for info in pkgutil.walk_packages(getattr(mod, "__path__", []), pkg + "."):
            if (
                "test" in info.name
                or "__main__" in info.name
                or "f2py" in info.name
                or "idle_test" in info.name
            ):
                continue
            try:
                mods.append(__import__(info.name, fromlist=["_"]))
            except Exception:
                continue
        for m in mods:
            for _, obj in inspect.getmembers(m):
                doc = getattr(obj, "__doc__", None)
                if isinstance(doc, str):
                    out += [
                        " ".join(p.split())
                        for p in re.split(r"\n\s*\n", doc)
                        if len(p.split()) >= 8
                    ]
    return out


def shingles(text: str) -> set[str]:
    toks = [t.lower() for t in _SEP.split(text) if t]
    if len(toks) <= NGRAM:
        return {" ".join(toks)}
    return {" ".join(toks[i : i + NGRAM]) for i in range(len(toks) - NGRAM + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def measure(name: str, docs: list[str]) -> dict[str, object]:
    df = pl.DataFrame({"text": docs})
    marked = cp.mark_near_duplicates(df, threshold=THRESHOLD, ngram=NGRAM).with_row_index("i")
    sets = [shingles(t) for t in docs]
    # old rule: one kept row per component (its first row, keep="first")
    first = marked.group_by("cluster_id").agg(pl.col("i").min().alias("rep"))
    old = marked.join(first, on="cluster_id").filter(pl.col("i") != pl.col("rep"))
    members = marked.group_by("cluster_id").agg(pl.col("i"))
    by_cluster = dict(zip(members["cluster_id"], members["i"].to_list(), strict=True))
    unique_lost = 0
    for row in old.iter_rows(named=True):
        # any row the old rule keeps (only the component's rep is kept in the component)
        if jaccard(sets[row["i"]], sets[row["rep"]]) < THRESHOLD:
            unique_lost += 1
    new_removed = int((~marked["is_representative"]).sum())
    bad_new = 0
    kept_ids = marked.filter(pl.col("is_representative"))
    row_of = dict(zip(kept_ids["example_id"], kept_ids["i"], strict=True))
    for row in marked.filter(~pl.col("is_representative")).iter_rows(named=True):
        if jaccard(sets[row["i"]], sets[row_of[row["dup_of"]]]) < THRESHOLD:
            bad_new += 1
    return {
        "corpus": name,
        "rows": len(docs),
        "clusters_with_2plus": sum(1 for v in by_cluster.values() if len(v) > 1),
        "old_rule_removed": old.height,
        "old_rule_removed_without_kept_row_within_threshold": unique_lost,
        "old_rule_share_unique_lost": unique_lost / old.height if old.height else 0.0,
        "new_rule_removed": new_removed,
        "new_rule_removed_below_threshold": bad_new,
    }


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    results = [
        measure("man_pages", man_paragraphs(limit)),
        measure(
            "docstrings",
            docstring_paragraphs(
                [
                    "numpy",
                    "scipy",
                    "pandas",
                    "sklearn",
                    "polars",
                    "pyarrow",
                    "email",
                    "xml",
                    "json",
                    "http",
                    "asyncio",
                    "multiprocessing",
                    "logging",
                    "unittest",
                    "distutils",
                ]
            ),
        ),
    ]
    for r in results:
        print(r)
    out = Path(__file__).parent / "results" / "neardup_keep.json"
    out.write_text(
        json.dumps({"threshold": THRESHOLD, "ngram": NGRAM, "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
