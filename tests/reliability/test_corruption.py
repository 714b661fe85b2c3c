"""A quick subset of the page-corruption harness (the full 40: ``corruption.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.corruption import run, table


def test_random_page_corruptions_are_caught_and_take_no_writes(
    real_database: Path, tmp_path: Path
) -> None:
    results = run(real_database, tmp_path, trials=6, seed=13)
    assert all(t.passed for t in results), table(results)
    assert sum(t.refused_at_open for t in results) >= 5, table(results)


def test_damage_inside_a_journal_document_is_refused_at_open(tmp_path: Path) -> None:
    """A byte changed inside a sync journal entry's text leaves every page well formed,
    so SQLite's structure checks pass; the journal's JSON rule (m013) makes the opening
    quick_check find it, so nothing is written to the file. Before m013 the file opened
    and took the write, and only ``qa-monitor check`` found the damage later."""
    import pytest

    from qa_monitor.services import DamagedDatabaseError, Services

    path = tmp_path / "qa.db"
    with Services.open(path) as services:
        services.people.add_agent("Marker Zuhair Quennell")
        services.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    needle = b':"Marker Zuhair Quennell"'
    assert data.count(needle) == 1  # the journal entry's JSON, not the agents row
    path.write_bytes(data.replace(needle, b':#Marker Zuhair Quennell"'))
    with pytest.raises(DamagedDatabaseError, match="is damaged, so QA Monitor did not open"):
        Services.open(path)
