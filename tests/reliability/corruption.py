"""Random page corruptions of a real database: is each one caught, and is any write accepted?

Each trial copies the source database, overwrites a run of random bytes in one page,
then (1) opens it as the app does (``Services.open``) and, if that succeeds, tries to
add an agent; (2) runs the full check (``qa-monitor check``'s checks). A trial passes
when the damage was refused at open or found by the check, and no write was accepted.

The pages are chosen among: the header (page 1), b-tree pages of the big tables and
their indexes (found with SQLite's ``dbstat``), and any page. Used by
``tests/reliability/test_corruption.py`` (a quick subset) and, in full, by
``python -m tests.reliability.corruption SOURCE.db [--trials 40]``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

BIG = ("answers", "evaluations", "interactions", "audit_log", "section_scores", "agents")


@dataclass(frozen=True)
class Trial:
    number: int
    target: str
    page: int
    offset: int
    length: int
    refused_at_open: bool
    write_accepted: bool
    found_by_check: bool
    words: str
    # The file still reads, and every row reads back the same: the bytes hit held
    # nothing (a free slot); no check can or needs to see it.
    no_effect: bool = False

    @property
    def detected(self) -> bool:
        return self.refused_at_open or self.found_by_check

    @property
    def passed(self) -> bool:
        # Writing to a file whose every row still reads the same is right, not a miss.
        return self.no_effect or (self.detected and not self.write_accepted)


def pages_by_table(path: Path) -> dict[str, list[int]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, pageno FROM dbstat").fetchall()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    found: dict[str, list[int]] = {"_page_size": [page_size]}
    for name, page in rows:
        found.setdefault(name, []).append(page)
    return found


def choose(rng: random.Random, pages: dict[str, list[int]], trial: int) -> tuple[str, int]:
    """Every fifth trial hits the header; the others a big table's b-tree (or its index)
    or any page, in turn."""
    if trial % 5 == 0:
        return "header", 1
    big = [name for name in pages if name.startswith(BIG)]
    if trial % 5 == 4:
        name = rng.choice([n for n in pages if not n.startswith("_")])
    else:
        name = rng.choice(big)
    return name, rng.choice(pages[name])


def used_ranges(page_bytes: bytes, page: int) -> list[tuple[int, int]]:
    """The bytes of a b-tree page that hold something: its header and cell pointers, and
    the cell content area (the gap between them is free space, which no check can miss
    because nothing is there). Other pages (overflow) are used throughout."""
    base = 100 if page == 1 else 0
    kind = page_bytes[base]
    if kind not in (2, 5, 10, 13):
        return [(0, len(page_bytes))]
    header = 12 if kind in (2, 5) else 8
    cells = int.from_bytes(page_bytes[base + 3 : base + 5], "big")
    content = int.from_bytes(page_bytes[base + 5 : base + 7], "big") or 65536
    return [(base, base + header + 2 * cells), (min(content, len(page_bytes)), len(page_bytes))]


def corrupt(path: Path, page: int, page_size: int, rng: random.Random) -> tuple[int, int]:
    """Overwrite 16–512 random bytes starting in a used part of ``page`` (1-based); the
    header trials overwrite part of the 100-byte file header."""
    length = rng.randint(16, 512)
    with path.open("r+b") as f:
        f.seek((page - 1) * page_size)
        data = f.read(page_size)
        if page == 1:
            offset = rng.randrange(0, 100)
        else:
            ranges = [(a, b) for a, b in used_ranges(data, page) if b > a]
            a, b = rng.choice(ranges)
            offset = rng.randrange(a, b)
        length = min(length, page_size - offset)
        f.seek((page - 1) * page_size + offset)
        f.write(rng.randbytes(length))
    return offset, length


def content_digest(path: Path) -> str | None:
    """A digest of every row of every table, read-only; None when the file cannot be
    read that far (the damage shows)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.text_factory = bytes  # a damaged text is a difference, not a crash
        try:
            tables = [
                r[0].decode()
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            for name in tables:
                for row in conn.execute(f'SELECT * FROM "{name}"'):
                    digest.update(repr(row).encode())
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    return digest.hexdigest()


def run_trial(
    source: Path, work: Path, number: int, rng: random.Random, pages: dict, original: str | None
) -> Trial:
    from qa_monitor.services import Services, StorageError
    from qa_monitor.services.check_service import run_checks

    target = work / f"corrupt-{number}.db"
    shutil.copyfile(source, target)
    name, page = choose(rng, pages, number)
    offset, length = corrupt(target, page, pages["_page_size"][0], rng)
    refused = accepted = False
    words = ""
    no_effect = content_digest(target) == original
    try:
        services = Services.open(target)
    except StorageError as exc:
        refused, words = True, str(exc)
    except sqlite3.Error as exc:  # a raw error escaping open is a failure of its own
        refused, words = True, f"RAW {type(exc).__name__}: {exc}"
    else:
        try:
            services.people.add_agent(f"Corruption probe {number}")
            accepted = True
        except Exception as exc:
            words = f"write failed: {type(exc).__name__}"
        finally:
            services.close()
    report = run_checks(target)
    found = not report.ok
    if not words and found:
        words = report.findings[0].message
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return Trial(number, name, page, offset, length, refused, accepted, found, words, no_effect)


def run(source: Path, work: Path, trials: int, seed: int = 13) -> list[Trial]:
    rng = random.Random(seed)
    pages = pages_by_table(source)
    work.mkdir(parents=True, exist_ok=True)
    original = content_digest(source)
    return [run_trial(source, work, n, rng, pages, original) for n in range(trials)]


def table(results: list[Trial]) -> str:
    lines = [
        f"{'#':>3} {'target':<26} {'page':>6} {'bytes':>5}  open     write     check",
    ]
    for t in results:
        lines.append(
            f"{t.number:>3} {t.target:<26} {t.page:>6} {t.length:>5}  "
            f"{'refused' if t.refused_at_open else 'opened':<8} "
            f"{'ACCEPTED' if t.write_accepted else '-':<9} "
            f"{'found' if t.found_by_check else ('no effect' if t.no_effect else 'MISSED')}"
        )
    detected = sum(t.detected for t in results)
    accepted = sum(t.write_accepted for t in results)
    at_open = sum(t.refused_at_open for t in results)
    lines.append(
        f"{detected}/{len(results)} detected ({at_open} refused at open), "
        f"{accepted} writes accepted (target: {len(results)}/{len(results)} detected, 0 accepted)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a real database to copy (not changed)")
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--work", type=Path, default=Path("/tmp/qa-monitor-corruption"))
    args = parser.parse_args(argv)
    results = run(args.source, args.work, args.trials, args.seed)
    print(table(results))
    for t in results:
        if t.words:
            print(f"  #{t.number}: {t.words}")
    ok = all(t.passed for t in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
