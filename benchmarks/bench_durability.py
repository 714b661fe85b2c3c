"""What committing a submit with ``synchronous=FULL`` costs against ``NORMAL``.

    python benchmarks/bench_durability.py [N] [--folder DIR]

Submits N evaluations (started and answered beforehand) on a fresh database in each
mode and prints the submit's wall time (median, p95, max). The database goes in
``--folder`` (default: a temporary folder; put it on the disk users have, since an
fsync costs what the disk makes it cost). The decision and the trade-off are in
docs/durability.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_monitor.services import Services
from qa_monitor.storage.database import Database
from tests.factories import interaction_data, passing_answers, seed


@contextmanager
def _normal_commit(db: Database) -> Iterator[Database]:
    """``durable`` as ``atomic``: the submit commits with synchronous=NORMAL."""
    with db.atomic():
        yield db


def run(folder: Path, n: int, full: bool) -> list[float]:
    path = folder / ("full.db" if full else "normal.db")
    with Services.open(path) as services:
        s = seed(services)
        drafts = []
        for i in range(n):
            interaction = services.interactions.create_interaction(
                interaction_data(s.agent.id, external_id=f"d-{i}")
            )
            draft = services.evaluations.start_evaluation(
                interaction.id, s.version.id, s.reviewer.id
            )
            services.evaluations.save_draft(draft.id, passing_answers())
            drafts.append(draft.id)
        if not full:
            services.db.durable = lambda: _normal_commit(services.db)  # type: ignore[method-assign]
        times = []
        for draft_id in drafts:
            started = time.perf_counter()
            assert services.evaluations.submit(draft_id).ok
            times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qa-durability-") as temp:
        folder = args.folder or Path(temp)
        rows = [
            (mode, run(folder, args.n, full)) for mode, full in (("NORMAL", False), ("FULL", True))
        ]
    print(
        f"Submit latency, {args.n} submits per mode, database in {folder}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    print(f"{'synchronous':<12} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for mode, times in rows:
        ordered = sorted(times)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"{mode:<12} {statistics.median(times) * 1000:>10.1f} {p95 * 1000:>8.1f} "
            f"{max(times) * 1000:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
