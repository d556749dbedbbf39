"""Time ``careful_polars.datasets.support_tickets`` at one million rows.

Run: ``PYTHONPATH=src python benchmarks/bench_datasets.py [--quick]``. Writes
``benchmarks/results/datasets.json``; the figure is quoted in ``docs/datasets.md``. Reports
wall time (median of the repeats), the process CPU time of one run, and the 1-minute load
average, because the machine is shared and wall time on a busy machine says little alone.
"""

from __future__ import annotations

import argparse
import os
import time

from _common import machine, machine_line, median_time, save

from careful_polars.datasets import support_tickets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k rows instead of 1M")
    args = parser.parse_args()
    half = 50_000 if args.quick else 500_000
    sizes = {"n_real": half, "n_synthetic": half, "n_eval": 2_000}

    support_tickets(n_real=100, n_synthetic=100, n_eval=10)  # first-call setup (template pools)
    load_before = os.getloadavg()[0]
    timing = median_time(lambda: support_tickets(**sizes, seed=0), repeats=3, warmup=0)
    cpu_start = time.process_time()
    tickets = support_tickets(**sizes, seed=0)
    cpu = time.process_time() - cpu_start
    load_after = os.getloadavg()[0]

    rows = tickets.real.height + tickets.synthetic.height + tickets.eval.height
    result = {
        "sizes": sizes,
        "rows": rows,
        "wall_seconds": timing,
        "cpu_seconds_one_run": cpu,
        "load_average_1min": [load_before, load_after],
        "planted": dict(tickets.planted.group_by("kind").len().iter_rows()),
    }
    path = save("datasets", result)
    print(machine_line(machine()))
    print(
        f"{rows:,} rows: median wall {timing['median']:.2f} s "
        f"(min {timing['min']:.2f}, max {timing['max']:.2f}), CPU {cpu:.2f} s, "
        f"load {load_before:.1f}->{load_after:.1f}; wrote {path}"
    )


if __name__ == "__main__":
    main()
