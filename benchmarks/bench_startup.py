"""Start-up cost: numba compilation (cold) vs the on-disk cache (warm).

Cold: a fresh process with an empty ``NUMBA_CACHE_DIR`` (every kernel compiles). Warm: a fresh
process reusing that cache. Measures ``import careful_polars`` alone, import plus a first hash
call, and ``careful audit`` on the example dataset. Writes benchmarks/results/startup.json and
the "startup" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, machine_line, save, update_doc

COMMANDS = {
    "import careful_polars": [sys.executable, "-c", "import careful_polars"],
    "import + first content_hash": [
        sys.executable,
        "-c",
        "import polars as pl, careful_polars as cp\n"
        "df = pl.DataFrame({'t': ['a', None], 'n': [1, 2]})\n"
        "df.select(cp.content_hash('t').alias('a'), cp.content_hash('t', 'n').alias('b'))",
    ],
    "careful audit": [sys.executable, "-m", "careful_polars.cli", "audit"],
}


def _time(cmd: list[str], cache: str) -> float:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    for name, cmd in COMMANDS.items():
        cold, warm = [], []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as cache:
                cold.append(_time(cmd, cache))
                warm.append(_time(cmd, cache))
        results[name] = {"cold": statistics.median(cold), "warm": statistics.median(warm)}
        print(name, results[name], flush=True)
    info = machine()
    save("startup", {"repeats": args.repeats, "seconds": results})
    lines = [
        "## Start-up: compilation and cache (`benchmarks/bench_startup.py`)",
        "",
        "Wall time of a fresh process. Cold: empty numba cache, every kernel the command uses "
        "compiles. Warm: the cache the cold run wrote. Median of "
        f"{args.repeats} runs. " + machine_line(info),
        "",
        "| command | cold s | warm s |",
        "| --- | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(f"| `{name}` | {r['cold']:.2f} | {r['warm']:.2f} |")
    lines += [
        "",
        "Targets: cold start under 20 s and warm start under 3 s for import plus a first hash "
        "call and for `careful audit`. Importing compiles nothing (kernels compile on first "
        "use; a test checks this).",
    ]
    update_doc("startup", "\n".join(lines))


if __name__ == "__main__":
    main()
