"""A small real database for the reliability tests: generated like the 1M benchmark one
(benchmarks/generate.py), then journalled for team sync and given a draft, so every
kind of row (and the sync journal) is in it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import passing_answers, sample_form

REPO = Path(__file__).resolve().parents[2]


def make_database(path: Path, evaluations: int = 300) -> Path:
    script = str(REPO / "benchmarks" / "generate.py")
    done = subprocess.run(
        [sys.executable, script, str(evaluations), "--out", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    with Services.open(path) as services:
        SyncJournal(services.db).backfill()
        reviewer = services.people.add_reviewer("Archive Reviewer")
        version = services.forms.publish_form(sample_form(), reviewer.id)
        agent = services.people.list_agents()[0]
        from tests.factories import interaction_data

        interaction = services.interactions.create_interaction(interaction_data(agent.id))
        draft = services.evaluations.start_evaluation(interaction.id, version.id, reviewer.id)
        services.evaluations.save_draft(draft.id, passing_answers())
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def copy_database(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
