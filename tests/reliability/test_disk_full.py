"""A full disk during submit, import and export: a sentence, exit code 4, no traceback,
the database intact and no half-written file (issue 13, items 4 and 7). The disk is a
real 2 MB tmpfs (tests/small_disk.py; skipped where mounting is not allowed)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.storage.errors import DiskFullError
from tests.factories import interaction_data, passing_answers, seed
from tests.small_disk import fill, make_read_only, small_disk

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa_monitor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=120,
        check=False,
    )


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _assert_one_sentence(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    for word in words:
        assert word in stderr


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    path = tmp_path / "qa.db"
    with Services.open(path) as services:
        s = seed(services)
        for i in range(30):
            interaction = services.interactions.create_interaction(
                interaction_data(s.agent.id, external_id=f"call-{i + 10}")
            )
            ev = services.evaluations.start_evaluation(interaction.id, s.version.id, s.reviewer.id)
            services.evaluations.save_draft(ev.id, passing_answers())
            services.evaluations.submit(ev.id)
    return path


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
def test_export_to_a_full_disk(filled_db: Path, tmp_path: Path, name: str) -> None:
    with small_disk(tmp_path / "disk") as disk:
        fill(disk, leave_bytes=4096)
        done = _cli("--db", str(filled_db), "export", str(disk / name))
        assert done.returncode == 4, done.stderr
        _assert_one_sentence(done.stderr, str(disk / name), "disk is full")
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no temp file left
    assert _integrity(filled_db) == "ok"


def test_submit_on_a_full_disk_keeps_the_draft(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "qa.db"
        with Services.open(path) as services:
            s = seed(services)
            draft = services.evaluations.start_evaluation(
                s.interaction.id, s.version.id, s.reviewer.id
            )
            services.evaluations.save_draft(draft.id, passing_answers())
            services.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            fill(disk)
            with pytest.raises(DiskFullError, match="is full"):
                for i in range(200):  # until the WAL needs a page the disk has not got
                    interaction = services.interactions.create_interaction(
                        interaction_data(s.agent.id, external_id=f"x-{i}", transcript="t" * 4000)
                    )
                    other = services.evaluations.start_evaluation(
                        interaction.id, s.version.id, s.reviewer.id
                    )
                    services.evaluations.save_draft(other.id, passing_answers())
                    services.evaluations.submit(other.id)
            (disk / "filler").unlink()
            assert services.evaluations.get_evaluation(draft.id).status is EvaluationStatus.DRAFT
            assert services.evaluations.submit(draft.id).ok
        assert _integrity(path) == "ok"


def test_import_on_a_full_disk(tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    lines = ["Call ID,Start time,Agent ID,Reason"]
    lines += [f"C{i:06d},2026-03-02 09:00,ext-17,{'word ' * 20}" for i in range(8000)]
    calls.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Room for the first chunks of the file, not for all of it.
    with small_disk(tmp_path / "disk", size="5m") as disk:
        path = disk / "qa.db"
        with Services.open(path) as services:
            seed(services)
        done = _cli("--db", str(path), "import", "interactions", str(calls))
        assert done.returncode == 4, done.stdout + done.stderr
        _assert_one_sentence(done.stderr, str(path), "is full", "importing the file again")
        assert _integrity(path) == "ok"
        with Services.open(path) as services:  # re-opens, and the seeded rows are there
            assert services.interactions.find_interaction("call-0001") is not None


def test_import_into_a_read_only_database(filled_db: Path, tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text("Call ID,Start time,Agent ID\nC-1,2026-03-02 09:00,ext-17\n", "utf-8")
    with small_disk(tmp_path / "disk") as disk:
        path = disk / "qa.db"
        path.write_bytes(filled_db.read_bytes())
        make_read_only(disk)
        done = _cli("--db", str(path), "import", "interactions", str(calls))
        assert done.returncode == 4, done.stdout + done.stderr
        _assert_one_sentence(done.stderr, str(path), "read-only")
