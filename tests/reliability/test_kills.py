"""A quick subset of the kill -9 harness (the full run: ``kills.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.kills import Setup, table, trial


def test_kill_during_backup_and_restore_leaves_a_whole_database(
    real_database: Path, tmp_path: Path
) -> None:
    setup = Setup(real_database, tmp_path)
    results = [
        trial(setup, 0, "restore", 1.4),
        trial(setup, 1, "restore", 60.0),  # not killed: it finishes, and holds the backup
    ]
    assert all(k.passed for k in results), table(results, {})
    assert results[1].finished and results[1].state == "backup"
