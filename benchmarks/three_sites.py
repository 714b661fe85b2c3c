"""Three reviewers' installations each score 2,000 calls offline, edit some, and a
supervisor re-scores another reviewer's evaluation; then they sync through a team folder
(or a team server) and must hold identical content with nothing twice.

    python benchmarks/three_sites.py --work /tmp/three
    python benchmarks/three_sites.py --work /tmp/three --server "host=... user=postgres ..."

With ``--server DSN`` (a PostgreSQL superuser's libpq DSN), a fresh database is made
on that server, ``server init`` runs in it, the supervisor gets a supervisor login and
the two reviewers reviewer logins.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_monitor.core.answers import Answer
from qa_monitor.services import Services
from qa_monitor.services.sync_folder import TeamFolder
from qa_monitor.services.sync_service import run_sync
from qa_monitor.storage.sync_journal import SyncJournal
from tests.factories import FakeClock, interaction_data, random_answers, seed

# Who scores on each installation: the supervisor (the seed's expert) and two reviewers.
NAMES = ("Leila Navabi", "Reviewer B", "Reviewer C")


def score_calls(s: Services, rng: random.Random, n: int, tag: str, reviewer_id: int) -> list[int]:
    agents = [a.id for a in s.people.list_agents()]
    (version_id,) = s.db.execute(
        "SELECT max(id) FROM form_versions WHERE status = 'published'"
    ).fetchone()
    ids = []
    for i in range(n):
        call = s.interactions.create_interaction(
            interaction_data(rng.choice(agents), external_id=f"{tag}-{i:05d}")
        )
        ev = s.evaluations.start_evaluation(call.id, version_id, reviewer_id)
        s.evaluations.save_draft(ev.id, random_answers(rng))
        assert s.evaluations.submit(ev.id).ok
        ids.append(ev.id)
        s.clock.advance(seconds=30)  # type: ignore[attr-defined]
    return ids


def edit(s: Services, evaluation_id: int, actor: int, note: str) -> None:
    answers = dict(s.evaluations.get_evaluation(evaluation_id).answers)
    answers["notes"] = Answer("notes", note)
    answers["empathy"] = Answer("empathy", "3")
    result = s.evaluations.edit_submitted(evaluation_id, answers, note, actor, note)
    assert result.ok


class Transport:
    def __init__(self, work: Path, dsn: str | None):
        self.folder = work / "team"
        self.folder.mkdir()
        self.dsn = dsn
        self.logins: dict[int, tuple[str, str]] = {}
        if dsn:
            import psycopg
            from psycopg.conninfo import make_conninfo

            from qa_monitor.storage.server_admin import init_server

            self.name = f"qa_three_{secrets.token_hex(4)}"
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.team_dsn = make_conninfo(dsn, dbname=self.name)
            with psycopg.connect(self.team_dsn, autocommit=True) as conn:
                init_server(conn)

    def add_login(self, site: int, role: str, reviewer: str | None) -> None:
        if not self.dsn:
            return
        import psycopg

        from qa_monitor.storage.server_admin import add_user

        login, password = f"{role}_{secrets.token_hex(4)}", secrets.token_urlsafe(12)
        with psycopg.connect(self.team_dsn, autocommit=True) as conn:
            add_user(conn, login, role, password, reviewer=reviewer, display_name=reviewer)
        self.logins[site] = (login, password)

    def sync(self, site: int, s: Services) -> Any:
        if not self.dsn:
            report = TeamFolder(s.db, self.folder).sync()
        else:
            from psycopg.conninfo import conninfo_to_dict

            from qa_monitor.services.sync_server import TeamServer
            from qa_monitor.services.team_sync import SyncMode, TeamSettings

            p = conninfo_to_dict(self.dsn)
            login, password = self.logins[site]
            settings = TeamSettings(
                mode=SyncMode.SERVER, host=str(p.get("host", "127.0.0.1")),
                port=int(p.get("port", 5432)), database=self.name, user=login,
                sslmode="disable",
            )
            report = run_sync(s.db, TeamServer(s.db, settings, password))
        assert report.problems == [], report.problems
        return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/three_sites"))
    parser.add_argument("--per-site", type=int, default=2000)
    parser.add_argument("--server", metavar="DSN")
    args = parser.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    transport = Transport(args.work, args.server)
    sites = [Services.open(args.work / f"site{i}.db", clock=FakeClock()) for i in range(3)]
    started = time.perf_counter()
    try:
        # The supervisor's installation holds the roster and the form.
        first = seed(sites[0])
        for name in NAMES[1:]:
            sites[0].people.add_reviewer(name)
        transport.add_login(0, "supervisor", None)
        transport.sync(0, sites[0])  # reviewers' logins name reviewers the server knows
        transport.add_login(1, "reviewer", NAMES[1])
        transport.add_login(2, "reviewer", NAMES[2])
        for i, s in enumerate(sites):
            transport.sync(i, s)
        # Offline: each scores its own calls and corrects some of its own evaluations.
        mine: list[list[int]] = []
        for i, s in enumerate(sites):
            rng = random.Random(i)
            (reviewer_id,) = s.db.execute(
                "SELECT id FROM reviewers WHERE name = ?", [NAMES[i]]
            ).fetchone()
            ids = score_calls(s, rng, args.per_site, f"site{i}", reviewer_id)
            for ev_id in ids[:: max(1, args.per_site // 20)]:
                edit(s, ev_id, reviewer_id, f"corrected on site {i}")
            mine.append(ids)
        for _ in range(2):
            for i, s in enumerate(sites):
                transport.sync(i, s)
        # The supervisor re-scores one of reviewer B's evaluations.
        b_uuid = sites[1].db.execute(
            "SELECT uuid FROM evaluations WHERE id = ?", [mine[1][-1]]
        ).fetchone()[0]
        (target,) = sites[0].db.execute(
            "SELECT id FROM evaluations WHERE uuid = ?", [b_uuid]
        ).fetchone()
        edit(sites[0], target, first.expert.id, "supervisor re-score after calibration")
        for _ in range(2):
            for i, s in enumerate(sites):
                transport.sync(i, s)
        digests = [SyncJournal(s.db).digest() for s in sites]
        counts = [SyncJournal(s.db).counts() for s in sites]
        dupes = [
            s.db.execute(
                "SELECT count(*) FROM (SELECT external_id FROM interactions"
                " GROUP BY external_id HAVING count(*) > 1)"
            ).fetchone()[0]
            for s in sites
        ]
        rescored = [
            s.db.execute(
                "SELECT overall_comment FROM evaluations WHERE uuid = ?", [b_uuid]
            ).fetchone()[0]
            for s in sites
        ]
    finally:
        for s in sites:
            s.close()
    print(f"transport: {'server ' + transport.name if args.server else 'folder'}")
    for i in range(3):
        print(f"site {i}: digest {digests[i][:16]}…  evaluations {counts[i]['evaluation']:,}"
              f"  audit {counts[i]['audit']:,}  duplicate call ids {dupes[i]}"
              f"  re-scored comment: {rescored[i]!r}")
    same = len(set(digests)) == 1 and len({str(c) for c in counts}) == 1 and not any(dupes)
    print(f"identical: {same}   ({time.perf_counter() - started:.0f} s in all)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
