"""TeamSyncService as the app uses it: on a worker thread, status, conflicts in words."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.services.sync_conflicts import LineKind, short_site
from qa_monitor.services.team_sync import SyncMode, TeamSettings
from qa_monitor.storage.sync_journal import SyncJournal
from tests.sync.conflict_setup import conflicting_edits, two_sites


def on_a_thread(work):  # type: ignore[no-untyped-def]
    """Run ``work()`` on another thread, as the app's worker does; its result or error."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = work()
        except Exception as exc:  # handed back to the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["result"]


def test_sync_now_and_test_connection_run_on_a_worker_thread(tmp_path: Path) -> None:
    a, b, folder = two_sites(tmp_path)
    with Services.open(a) as sa:
        # The service was built on this thread; its own connection must not be used there.
        sentence = on_a_thread(
            lambda: sa.team_sync.test_connection(TeamSettings(SyncMode.FOLDER, folder=str(folder)))
        )
        assert "team folder" in sentence
        sa.people.add_team("Retention")
        assert sa.team_sync.status().pending == 1
        report = on_a_thread(lambda: sa.team_sync.sync_now())
        assert report.sent == 1 and report.problems == []
        status = on_a_thread(lambda: sa.team_sync.read_status())
        assert status.pending == 0 and status.last is not None and status.last.ok
    with Services.open(b) as sb:
        on_a_thread(lambda: sb.team_sync.sync_now())
        assert "Retention" in [t.name for t in sb.people.list_teams()]


def test_test_connection_says_what_is_missing(tmp_path: Path) -> None:
    with Services.open(tmp_path / "a.db") as s, pytest.raises(ValueError, match="team folder"):
        s.team_sync.test_connection(TeamSettings(SyncMode.FOLDER, folder=" "))


def test_a_conflict_is_described_in_words_and_dismissed(tmp_path: Path) -> None:
    pair = conflicting_edits(tmp_path)
    with Services.open(pair.a) as sa:
        assert sa.team_sync.status().conflicts == 1
        (detail,) = sa.team_sync.conflict_details()
        record = detail.record
        assert (record.agent, record.reviewer, record.local_date) == (
            "Sara Ahmadi", "Omid Karimi", "2026-03-01"
        )
        assert record.evaluation_id is not None
        assert detail.field == "content"
        kinds = {line.kind for line in detail.lines}
        assert {LineKind.SCORE, LineKind.COMMENT, LineKind.ANSWER} <= kinds
        comments = next(line for line in detail.lines if line.kind is LineKind.COMMENT)
        # The later edit (site b's, five minutes later) was kept.
        assert (comments.kept, comments.other) == ("Fine call.", "Missed the greeting.")
        answers = {line.label: line for line in detail.lines if line.kind is LineKind.ANSWER}
        greet = answers["Greeted the customer"]
        assert (greet.kept.text, greet.other.text) == ("Yes", "No")
        assert greet.other.comment == "no greeting heard"
        assert detail.kept.short == short_site(detail.row.kept.site)
        assert detail.other.this_site and not detail.kept.this_site
        digest = SyncJournal(sa.db).digest()
        sa.team_sync.dismiss_conflict(detail.row)
        assert sa.team_sync.conflict_details() == []
        assert sa.team_sync.status().conflicts == 0
        # Dismissing is this installation's note: the team's content is unchanged.
        assert SyncJournal(sa.db).digest() == digest
