"""A corpus of real technical text from this machine, nobody here wrote: man pages,
/usr/share/doc changelogs and copyright files, Python standard-library docstrings.

``real_corpus(max_rows)`` returns one row per paragraph (``source``, ``text``), deterministic
for a given machine (files are read in sorted order). Used by tests/test_pii.py (a small
sample, false-positive bound) and tools/pii_real_eval.py (the full evaluation in docs/pii.md).
"""

from __future__ import annotations

import gzip
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl

_ROFF_REQUEST = re.compile(r"^[.'][A-Za-z\\]")
_ROFF_ESCAPE = re.compile(
    r"\\f[BIRP1-4]|\\f\(..|\\f\[[^]]*\]|\\s[-+]?\d|\\\(..|\\\[[^]]*\]|\\[&|^%:c]"
)


def _paragraphs(text: str, max_chars: int = 2000) -> Iterator[str]:
    for block in re.split(r"\n[ \t]*\n", text):
        block = " ".join(block.split())
        if len(block) >= 20:
            yield block[:max_chars]


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _man_text(roff: str) -> str:
    lines = []
    for line in roff.splitlines():
        if line.startswith((".PP", ".SH", ".SS", ".P", ".LP", ".TP", ".IP", ".sp")):
            lines.append("")
            rest = line.split(None, 1)
            if line.startswith((".SH", ".SS")) and len(rest) > 1:
                lines.append(rest[1].strip('"'))
            continue
        if line.startswith(('.\\"', "'\\\"")):
            continue
        if _ROFF_REQUEST.match(line):
            parts = line.split(None, 1)
            if (
                parts[0] in (".B", ".I", ".BR", ".IR", ".RB", ".RI", ".BI", ".IB")
                and len(parts) > 1
            ):
                lines.append(parts[1].replace('"', ""))
            continue
        lines.append(line)
    text = _ROFF_ESCAPE.sub("", "\n".join(lines))
    return text.replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ")


def _man_pages(limit: int) -> Iterator[tuple[str, str]]:
    root = Path("/usr/share/man")
    files = sorted(p for p in root.glob("man[1-8]/*") if p.is_file())
    n = 0
    for path in files:
        try:
            text = _man_text(_read(path))
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        for para in _paragraphs(text):
            yield "man", para
            n += 1
            if n >= limit:
                return


def _docs(limit: int) -> Iterator[tuple[str, str]]:
    root = Path("/usr/share/doc")
    files = sorted(
        p
        for p in root.glob("*/*")
        if p.is_file() and (p.name == "copyright" or p.name.startswith(("changelog", "NEWS")))
    )
    n = {"copyright": 0, "changelog": 0}
    for path in files:
        source = "copyright" if path.name == "copyright" else "changelog"
        if n[source] >= limit:
            continue
        try:
            text = _read(path)
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        for para in _paragraphs(text):
            yield source, para
            n[source] += 1
            if n[source] >= limit:
                break


def _docstrings(limit: int) -> Iterator[tuple[str, str]]:
    names = sorted(m for m in sys.stdlib_module_names if not m.startswith("_"))
    skip = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "lib2to3"}
    n = 0
    for name in names:
        if name in skip:
            continue
        try:
            module = importlib.import_module(name)
        except Exception:
            continue
        objects = [module, *(v for _, v in sorted(vars(module).items()) if callable(v))]
        for obj in objects:
            doc = inspect.getdoc(obj) if getattr(obj, "__doc__", None) else None
            if not doc:
                continue
            for para in _paragraphs(doc):
                yield "docstring", para
                n += 1
                if n >= limit:
                    return


def available() -> str | None:
    """``None`` when the sources exist, else why not (for a test skip reason)."""
    if not any(Path("/usr/share/man").glob("man1/*")):
        return "no man pages under /usr/share/man/man1 on this machine"
    if not any(Path("/usr/share/doc").glob("*/copyright")):
        return "no /usr/share/doc/*/copyright files on this machine"
    return None


def real_corpus(per_source: int = 10_000) -> pl.DataFrame:
    """Up to ``per_source`` paragraphs from each of man pages, docs and docstrings."""
    rows = [*_man_pages(per_source), *_docs(per_source), *_docstrings(per_source)]
    return pl.DataFrame(rows, schema={"source": pl.String, "text": pl.String}, orient="row")
