"""kill -9 during submit, import, sync apply and migration, a few times each
(benchmarks/kill_harness.py runs 200 kills): nothing acknowledged lost, no corrupt
file, every database re-opens consistent."""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks.kill_harness import kill_imports, kill_migrations, kill_submits, kill_syncs


def _clean(tally) -> None:  # type: ignore[no-untyped-def]
    assert tally.lost == 0
    assert tally.corrupt == 0
    assert tally.inconsistent == []


def test_killed_submits_lose_nothing_acknowledged(tmp_path: Path) -> None:
    tally = kill_submits(tmp_path, 2, random.Random(1))
    _clean(tally)
    assert tally.kills == 2 and tally.acked >= 2


def test_killed_imports_leave_a_sound_file_that_a_rerun_completes(tmp_path: Path) -> None:
    _clean(kill_imports(tmp_path, 1, random.Random(2), rows=1000))


def test_killed_sync_applies_resume_to_the_same_digest(tmp_path: Path) -> None:
    _clean(kill_syncs(tmp_path, 1, random.Random(3), evaluations=100))


def test_killed_upgrades_are_all_or_nothing(tmp_path: Path) -> None:
    _clean(kill_migrations(tmp_path, 1, random.Random(4), interactions=10_000))
