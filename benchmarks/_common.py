"""Shared helpers for the benchmark scripts: timing, peak memory, machine info, results."""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DOC = ROOT.parent / "docs" / "benchmarks.md"


def machine() -> dict[str, Any]:
    """Describe the machine and the versions of the libraries that matter."""
    import numba
    import numpy
    import polars
    import pyarrow

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "polars": polars.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
        "numba": numba.__version__,
    }


def median_time(fn: Callable[[], Any], repeats: int = 5, warmup: int = 1) -> dict[str, float]:
    """Run ``fn`` ``warmup + repeats`` times; return median, min and max seconds of the repeats."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def peak_rss_of(code: str, env: dict[str, str] | None = None) -> float:
    """Peak resident memory (bytes) of a fresh Python process running ``code``."""
    # VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts at its parent's peak
    wrapper = (
        code
        + "\nimport re\n"
        + "status = open('/proc/self/status').read()\n"
        + "print('PEAK', re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    ).stdout
    kb = int(out.strip().splitlines()[-1].split()[1])
    return kb * 1024.0


def save(name: str, payload: dict[str, Any]) -> Path:
    """Write ``payload`` (plus machine info) to ``benchmarks/results/<name>.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), **payload}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


def update_doc(section: str, markdown: str) -> None:
    """Replace the ``<!-- section: NAME -->`` block of docs/benchmarks.md with ``markdown``."""
    text = DOC.read_text()
    start, end = f"<!-- section: {section} -->", f"<!-- /section: {section} -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def machine_line(info: dict[str, Any]) -> str:
    """One markdown line describing the machine and versions."""
    return (
        f"Machine: {info['cpu']}, {info['cores']} cores; Python {info['python']}, "
        f"Polars {info['polars']}, pyarrow {info['pyarrow']}, NumPy {info['numpy']}, "
        f"numba {info['numba']}."
    )
