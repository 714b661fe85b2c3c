"""A background read of a damaged file says so in words (issue 13: "a raw sqlite read
error in a background job reaches the UI as SQLite's words")."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Services
from qa_monitor.services.cancellation import CancelToken, run_readonly
from qa_monitor.services.evaluation_list_service import EvaluationListService
from qa_monitor.storage.errors import DatabaseCorruptError, StorageFailure


def test_a_file_that_is_not_a_database_is_named_in_words(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages of a database " * 200)
    with pytest.raises(DatabaseCorruptError) as caught:
        run_readonly(path, lambda db: db.execute("SELECT count(*) FROM agents").fetchone())
    assert str(path) in str(caught.value)


def test_damage_found_while_a_list_reads_is_a_storage_failure(tmp_path: Path) -> None:
    path = tmp_path / "qa.db"
    with Services.open(path) as services:
        for i in range(300):
            services.people.add_agent(f"Agent {i:03d} with a long name to fill the pages")
        services.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page,) = services.db.execute(
            "SELECT max(pageno) FROM dbstat WHERE name = 'agents'"
        ).fetchone()
        (size,) = services.db.execute("PRAGMA page_size").fetchone()
    with path.open("r+b") as f:  # a b-tree page of the agents overwritten with noise
        f.seek((page - 1) * size)
        f.write(b"\xff" * size)
    with pytest.raises(StorageFailure) as caught:
        run_readonly(path, lambda db: db.execute("SELECT * FROM agents").fetchall())
    assert "damaged" in str(caught.value) and str(path) in str(caught.value)
    # A list screen's read goes the same way.
    with pytest.raises(StorageFailure):
        EvaluationListService(path).first_page(EvaluationFilter(search="Agent"), 10, CancelToken())
