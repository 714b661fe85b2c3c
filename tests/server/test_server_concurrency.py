"""Many installations pushing and pulling at once: no change lost, none doubled, none
skipped by a reader because it committed after a change with a larger cursor."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa_monitor.services import Services, sync_service
from qa_monitor.services.sync_server import TeamServer
from qa_monitor.services.sync_transport import Batch
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, seed
from tests.server.conftest import TeamDb
from tests.server.helpers import Site, local_id, server_count, submit

CLIENTS = 20
ROUNDS = 3
PER_ROUND = 3


class CountingServer(TeamServer):
    """Counts every change the server hands over, duplicates included."""

    delivered = 0

    def incoming(self, problems: list[str]) -> Iterator[Batch]:
        for batch in super().incoming(problems):
            self.delivered += len(batch.changes)
            yield batch


def _team_change(site: str, name: str) -> list[object]:
    fields = {"name": name, "active": 1, "created_at": "2026-01-01T00:00:00"}
    return [site, 1, 1, "team", str(uuid.uuid4()), json.dumps(fields)]


_INSERT = (
    "INSERT INTO qa.changes (site, seq, hlc, entity, uuid, fields) VALUES (%s, %s, %s, %s, %s, %s)"
)


def test_a_change_committed_late_with_a_smaller_cursor_is_not_skipped(
    tmp_path: Path, team_db: TeamDb, passfile_dir: Path
) -> None:
    login, password = team_db.add("supervisor", name="Writer")
    reader_login, reader_password = team_db.add("admin", name="Reader")
    reader_db = Services.open(tmp_path / "reader.db", clock=FakeClock())
    reader = Site(reader_db, team_db, reader_login, reader_password)
    slow = team_db.login(login, password)
    quick = team_db.login(login, password)
    try:
        slow.execute("BEGIN")
        slow.execute(_INSERT, _team_change(str(uuid.uuid4()), "Slow team"))  # smaller cursor
        done = threading.Event()

        def quick_writer() -> None:
            quick.execute(_INSERT, _team_change(str(uuid.uuid4()), "Quick team"))
            done.set()

        thread = threading.Thread(target=quick_writer)
        thread.start()
        time.sleep(0.5)
        # Without the writers' lock the quick change commits first with the larger cursor,
        # this sync moves past it, and the slow one is never seen.
        reader.sync()
        slow.execute("COMMIT")
        thread.join(10)
        assert done.is_set()
        reader.sync()
        names = sorted(r[0] for r in reader_db.db.execute("SELECT name FROM teams"))
        assert names == ["Quick team", "Slow team"]
    finally:
        slow.close()
        quick.close()
        reader_db.close()


def _client_work(path: Path, settings_login: tuple[TeamDb, str, str], n: int) -> int:
    """One installation's life on its own thread: score calls, sync, repeat. Returns how
    many changes the server delivered to it."""
    team_db, login, password = settings_login
    s = Services.open(path, clock=FakeClock())
    delivered = 0
    try:
        agent = local_id(s, "agents", "Sara Ahmadi")
        reviewer = local_id(s, "reviewers", "Omid Karimi")
        version = int(s.db.execute("SELECT id FROM form_versions").fetchone()[0])
        for r in range(ROUNDS):
            for k in range(PER_ROUND):
                call = s.interactions.create_interaction(
                    interaction_data(agent, external_id=f"c{n}-{r}-{k}")
                )
                submit(s, call.id, version, reviewer)
                s.clock.advance(minutes=1)  # type: ignore[attr-defined]
            server = CountingServer(s.db, team_db.settings(login), password)
            report = sync_service.run_sync(s.db, server)
            assert report.problems == []
            delivered += server.delivered
    finally:
        s.close()
    return delivered


def test_twenty_clients_push_at_once_and_nothing_is_lost_or_doubled(
    tmp_path: Path, team_db: TeamDb, passfile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small sends: many short transactions from every client, interleaved with the others'
    # reads.
    monkeypatch.setattr(sync_service, "SEND_BATCH", 4)
    login, password = team_db.add("supervisor", name="Team")
    first = Services.open(tmp_path / "c00.db", clock=FakeClock())
    seed(first)
    Site(first, team_db, login, password).sync()
    first.close()
    paths = [tmp_path / f"c{n:02d}.db" for n in range(CLIENTS)]
    for path in paths[1:]:
        s = Services.open(path, clock=FakeClock())
        Site(s, team_db, login, password).sync()
        s.close()
    with team_db.admin() as conn:
        before = int(conn.execute("SELECT qa.last_cursor()").fetchone()[0])
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [
            pool.submit(_client_work, path, (team_db, login, password), n)
            for n, path in enumerate(paths)
        ]
        delivered = [f.result(timeout=300) for f in futures]
    # A last round so that everyone pulls what the others sent after their last sync.
    digests, journals = [], []
    for n, path in enumerate(paths):
        s = Services.open(path, clock=FakeClock())
        server = CountingServer(s.db, team_db.settings(login), password)
        sync_service.run_sync(s.db, server)
        delivered[n] += server.delivered
        journal = SyncJournal(s.db)
        digests.append(journal.digest())
        journals.append((journal.site, journal.last_seq()))
        assert s.db.execute("SELECT count(*) FROM evaluations").fetchone()[0] == (
            CLIENTS * ROUNDS * PER_ROUND
        )
        s.close()
    total = server_count(team_db)
    for site, last in journals:  # every change of every site is there once
        assert server_count(team_db, f"site = '{site}'") == last
    with team_db.admin() as conn:
        row = conn.execute("SELECT count(DISTINCT (site, seq)) FROM qa.changes").fetchone()
        assert row == (total,)
    # Every client was handed every other client's new change exactly once.
    with team_db.admin() as conn:
        for n, (site, _last) in enumerate(journals):
            others = conn.execute(
                "SELECT count(*) FROM qa.changes WHERE cursor > %s AND site <> %s",
                [before, site],
            ).fetchone()
            assert others == (delivered[n],)
    assert len(set(digests)) == 1
    assert total == sum(last for _site, last in journals)
