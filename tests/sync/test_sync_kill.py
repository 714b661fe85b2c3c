"""kill -9 during a sync's apply: the next sync resumes with nothing lost or doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.storage.database import open_database
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, random_answers, seed

ROOT = Path(__file__).resolve().parents[2]


def _source(path: Path, n: int) -> None:
    rng = random.Random(5)
    with Services.open(path, clock=FakeClock()) as s:
        first = seed(s)
        for i in range(n):
            interaction = s.interactions.create_interaction(
                interaction_data(first.agent.id, external_id=f"k-{i}")
            )
            ev = s.evaluations.start_evaluation(interaction.id, first.version.id, first.reviewer.id)
            s.evaluations.save_draft(ev.id, random_answers(rng))
            s.evaluations.submit(ev.id)


def _sync_child(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "qa_monitor", "--db", str(db), "sync", "folder", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_syncs_resume_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    _source(source, 500)
    with open_database(source) as db:
        # Small batches, so a kill can land between two of them as well as inside one.
        import qa_monitor.services.sync_service as engine

        engine.SEND_BATCH, saved = 150, engine.SEND_BATCH
        try:
            TeamFolder(db, folder).sync()
        finally:
            engine.SEND_BATCH = saved
        expected = SyncJournal(db).digest()
    open_database(target).close()
    rng = random.Random(11)
    kills = 0
    for _ in range(8):
        child = _sync_child(target, folder)
        time.sleep(rng.uniform(0.3, 1.6))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
    with open_database(target) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = TeamFolder(db, folder).sync()
        assert report.problems == []
        journal = SyncJournal(db)
        assert journal.digest() == expected
        assert db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 500
        (dupes,) = db.execute(
            "SELECT count(*) FROM (SELECT external_id FROM interactions"
            " GROUP BY external_id HAVING count(*) > 1)"
        ).fetchone()
        assert dupes == 0
    assert kills >= 2
