"""The reviewer quality report's fast strictness read (month roll-ups, vectorised offsets,
pooling in C) gives exactly, to the last bit, what a straightforward computation from
the raw evaluations gives: the rules of ``reports.analytics_reviewers`` spelled out one
evaluation and one cell at a time, with the pooling as ``core.reviewer_quality`` first
wrote it.

On the demo database (about 3,000 evaluations over a year: four forms, one with two
versions, three teams, three channels, drafts, calibration evaluations), changed so
that drafts carry scores (which must not count) and some evaluations have no team;
over periods that cut months at either end, fall inside one month, or are open; and
with the roll-ups stale (triggers off, rows changed behind them), when only the raw
rows may be read.
"""

from __future__ import annotations

import math
import random
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from qa_monitor.core.reviewer_quality import Offset
from qa_monitor.core.statistics import t_critical
from qa_monitor.reports.analytics_reviewers import reviewer_quality_parts
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.services.reviewer_quality_service import OPEN_END, OPEN_START
from qa_monitor.storage.analytics_queries import open_readonly
from qa_monitor.storage.dispute_repo import DisputeRepo
from qa_monitor.storage.rollups import rollup_differences, suspend_rollups

SCALE = 10_000
Cells = dict[int, dict[str, list[tuple[float, int]]]]  # reviewer → month → (offset, weight)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_database(path)
    return path


def _copy(demo: Path, folder: Path) -> Path:
    target = folder / "copy.db"
    shutil.copy(demo, target)
    return target


def _periods(first: date, last: date) -> list[tuple[date | None, date | None]]:
    """Open, whole-month, partial at both ends, inside one month, and random ones."""
    rng = random.Random(15)
    periods: list[tuple[date | None, date | None]] = [
        (None, None),
        (None, date(2026, 6, 10)),
        (date(2026, 2, 3), None),
        (date(2026, 1, 15), date(2026, 9, 20)),
        (date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 3, 5), date(2026, 3, 25)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (last - timedelta(days=89), last),
    ]
    span = (last - first).days
    for _ in range(6):
        start = first + timedelta(days=rng.randrange(span))
        periods.append((start, start + timedelta(days=rng.randrange(1, 200))))
    return periods


def _reference_pooled(cells: Iterable[tuple[float, int]]) -> Offset | None:
    """``pooled_offset`` as it was first written (before the pooling moved into C)."""
    pairs = [(x, w) for x, w in cells if w > 0]
    if not pairs:
        return None
    total = sum(w for _x, w in pairs)
    mean = math.fsum(x * w for x, w in pairs) / total
    k = len(pairs)
    if k < 2:
        return Offset(mean, None, None, k, total)
    spread = math.fsum(w * w * (x - mean) ** 2 for x, w in pairs) / (total * total)
    se = math.sqrt(k / (k - 1) * spread)
    half = t_critical(k - 1, 0.95) * se
    return Offset(mean, mean - half, mean + half, k, total)


def _reference(
    conn: sqlite3.Connection, start: date | None, end: date | None, *, drafts: bool = False
) -> tuple[Cells, dict[int, int]]:
    """Cells and scored evaluations per reviewer, one evaluation at a time."""
    counted = "" if drafts else " AND status <> 'draft'"
    rows = conn.execute(
        "SELECT interaction_date, reviewer_id, team_id, form_id, score FROM evaluations"
        f" WHERE kind = 'regular' AND score IS NOT NULL{counted}"
        " AND interaction_date BETWEEN ? AND ?",
        [(start or date.min).isoformat(), (end or date.max).isoformat()],
    ).fetchall()
    own: dict[tuple[str, int, int, str], list[int]] = {}
    for day, reviewer, team, form, score in rows:
        key = (day[:7] + "-01", reviewer, team or 0, form)
        sums = own.setdefault(key, [0, 0])
        sums[0] += 1
        sums[1] += int(score * SCALE + 0.5)  # the roll-ups' fixed point, half up
    cell: dict[tuple[str, int, str], list[int]] = {}
    for (month, _r, team, form), (n, q) in own.items():
        sums = cell.setdefault((month, team, form), [0, 0])
        sums[0] += n
        sums[1] += q
    cells: Cells = {}
    counts: dict[int, int] = {}
    for (month, reviewer, team, form), (n, q) in own.items():
        counts[reviewer] = counts.get(reviewer, 0) + n
        cell_n, cell_q = cell[(month, team, form)]
        others = cell_n - n
        if others <= 0:
            continue
        mean = q / (n * SCALE)
        others_mean = (cell_q / SCALE - mean * n) / others
        cells.setdefault(reviewer, {}).setdefault(month, []).append((others_mean - mean, n))
    return cells, counts


def _assert_same_as_reference(path: Path, *, comparable: int = 1_000) -> None:
    """The report equals the reference over every period, which hold more than
    ``comparable`` comparable cells between them."""
    db = open_readonly(path)
    try:
        first, last = db.execute(
            "SELECT min(interaction_date), max(interaction_date) FROM evaluations"
        ).fetchone()
        compared = 0
        for start, end in _periods(date.fromisoformat(first), date.fromisoformat(last)):
            parts = reviewer_quality_parts(db, start, end)
            cells, counts = _reference(db.conn, start, end)
            fast = {r.reviewer_id: r for r in parts.reviewers}
            assert {i for i, r in fast.items() if r.evaluations} == set(counts), (start, end)
            for reviewer_id, quality in fast.items():
                per_month = cells.get(reviewer_id, {})
                assert quality.evaluations == counts.get(reviewer_id, 0), (start, end)
                everything = [c for cs in per_month.values() for c in cs]
                assert quality.strictness == _reference_pooled(everything), (start, end)
                shown = {p.month.isoformat(): p.offset for p in quality.months}
                assert set(per_month) <= set(shown), (start, end)
                for month, offset in shown.items():
                    assert offset == _reference_pooled(per_month.get(month, ())), (month, start)
                compared += len(everything)
        assert compared >= comparable
    finally:
        db.conn.close()


def _dispute_totals_match(path: Path) -> None:
    db = open_readonly(path)
    try:
        repo = DisputeRepo(db)  # type: ignore[arg-type]  # reads through execute only
        for start, end in _periods(date(2025, 11, 15), date(2026, 11, 14)):
            period = (start or OPEN_START, end or OPEN_END)
            assert repo._totals(*period) == +repo._raw_totals(*period), period
    finally:
        db.conn.close()


@pytest.fixture
def changed(demo: Path, tmp_path: Path) -> Iterator[Path]:
    """The demo with scored drafts and some evaluations without a team (the roll-up
    triggers keep the roll-ups exact through the team change)."""
    path = _copy(demo, tmp_path)
    db = sqlite_utils.Database(path)
    with db.conn:
        db.execute("UPDATE evaluations SET score = 3.0 WHERE status = 'draft'")
        db.execute("UPDATE evaluations SET team_id = NULL WHERE id % 13 = 0")
    assert rollup_differences(db) == {}
    db.conn.close()
    yield path


def test_strictness_is_exactly_the_reference_computation(changed: Path) -> None:
    _assert_same_as_reference(changed)
    # The scored drafts are in the periods: counted, they would change the figures.
    conn = sqlite3.connect(changed)
    with_drafts, _ = _reference(conn, None, None, drafts=True)
    without, _ = _reference(conn, None, None)
    conn.close()
    assert with_drafts != without


def test_dispute_totals_from_the_roll_ups_equal_the_raw_counts(changed: Path) -> None:
    _dispute_totals_match(changed)


def test_stale_roll_ups_are_not_read(demo: Path, tmp_path: Path) -> None:
    """A first sync stopped halfway leaves the triggers off and the roll-ups behind the
    rows (``sync_apply.begin_bulk``): the report reads the rows instead."""
    path = _copy(demo, tmp_path)
    db = sqlite_utils.Database(path)
    with db.conn:
        db.execute("UPDATE sync_state SET rollups_stale = 1")
        suspend_rollups(db.conn)
        db.execute("UPDATE evaluations SET score = score / 2 WHERE id % 7 = 0")
        db.execute(
            "UPDATE evaluations SET reviewer_id = (SELECT min(id) FROM reviewers) WHERE id % 11 = 0"
        )
        db.execute("UPDATE evaluations SET status = 'draft' WHERE id % 17 = 0")
    assert rollup_differences(db) != {}  # the roll-ups are really wrong now
    db.conn.close()
    _assert_same_as_reference(path)
    _dispute_totals_match(path)


def test_a_lone_reviewer_is_counted_but_compared_with_nobody(demo: Path, tmp_path: Path) -> None:
    path = _copy(demo, tmp_path)
    db = sqlite_utils.Database(path)
    with db.conn:
        db.execute("UPDATE evaluations SET reviewer_id = (SELECT min(id) FROM reviewers)")
    db.conn.close()
    _assert_same_as_reference(path, comparable=0)
    check = open_readonly(path)
    parts = reviewer_quality_parts(check, None, None)
    check.conn.close()
    (lone,) = [r for r in parts.reviewers if r.evaluations]
    assert lone.strictness is None and all(m.offset is None for m in lone.months)
