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
