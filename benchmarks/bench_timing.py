"""What the screen benchmarks share: medians of timed runs, the load average in words,
and a copy of a database (with its -wal file) to measure on."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """(median ms, worst ms, the last result) of ``runs`` runs after one warm-up."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times), max(times), result


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min, {os.cpu_count()} CPUs)"


def copy_database(source: Path, folder: Path) -> Path:
    """``source`` and its -wal file copied into ``folder``; returns the copy's path."""
    target = folder / source.name
    for suffix in ("", "-wal"):
        part = Path(str(source) + suffix)
        if part.exists():
            shutil.copy2(part, Path(str(target) + suffix))
    return target
