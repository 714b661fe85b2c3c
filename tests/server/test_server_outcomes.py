"""Customer outcome data through a real PostgreSQL (issue 16): a supervisor's imports
reach every reviewer with the same figures; a reviewer's login may not import customer
data (the app says so before anything is written, and the server refuses a change that
slips past the app, with a sentence, keeping it); an agent's login never receives it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qa_monitor.services import Services
from qa_monitor.services.import_fields import ImportKind
from qa_monitor.services.import_service import ImportNotAllowedError, ImportService
from qa_monitor.services.outcome_service import OutcomeQuery, OutcomeService
from qa_monitor.services.sync_service import run_sync
from qa_monitor.services.sync_transport import TransportError
from tests.factories import FakeClock, seed
from tests.server.conftest import TeamDb
from tests.server.helpers import Site, server_count

TABLES = ("customer_counts", "customers", "churn_events")


def _csv(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n", "utf-8")
    return path


def _counts(s: Services) -> list[int]:
    return [int(s.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES]


@pytest.fixture
def dbs(tmp_path: Path) -> Iterator[list[Services]]:
    opened = [Services.open(tmp_path / f"site{i}.db", clock=FakeClock()) for i in range(3)]
    yield opened
    for s in opened:
        s.close()


@pytest.fixture
def files(tmp_path: Path) -> dict[ImportKind, Path]:
    # The first factory team is "Billing" (tests/factories.py::seed).
    return {
        ImportKind.CUSTOMER_COUNTS: _csv(
            tmp_path / "counts.csv",
            [
                ["Period start", "Period end", "Team", "S", "E", "N"],
                ["2026-01-01", "2026-01-31", "Billing", 20, 24, 5],
            ],
        ),
        ImportKind.CUSTOMERS: _csv(
            tmp_path / "customers.csv",
            [["Customer", "Customer since", "Left on"], ["C-9", "2025-01-01", "2026-01-05"]],
        ),
        ImportKind.CHURN_EVENTS: _csv(
            tmp_path / "churn.csv",
            [["Customer", "Churn date", "Reason"], ["C-9", "2026-01-05", "price"]],
        ),
    }


def test_customer_data_travels_from_a_supervisor_and_stays_theirs(
    team_db: TeamDb, dbs: list[Services], passfile_dir: Path, files: dict[ImportKind, Path]
) -> None:
    sup_db, reviewer_db, agent_db = dbs
    seed(sup_db)
    supervisor = Site(sup_db, team_db, *team_db.add("supervisor", name="Maryam"))
    supervisor.sync()
    reviewer = Site(reviewer_db, team_db, *team_db.add("reviewer", reviewer="Omid Karimi"))
    agent = Site(agent_db, team_db, *team_db.add("agent", agent="Sara Ahmadi"))
    reviewer.sync()
    agent.sync()

    importer = ImportService.from_services(sup_db)
    for kind, path in files.items():
        assert importer.run_import(path, kind).created == 1
    supervisor.sync()
    assert server_count(team_db, "entity IN ('customer_count', 'customer', 'churn_event')") == 3

    # A reviewer gets the same records and the same figure as the supervisor.
    reviewer.sync()
    assert _counts(reviewer_db) == [1, 1, 1]
    figures = []
    for s in (sup_db, reviewer_db):
        team = s.db.execute("SELECT id FROM teams WHERE name = 'Billing'").fetchone()[0]
        query = OutcomeQuery(date(2026, 1, 1), date(2026, 1, 31), team_ids=(team,))
        (january,) = OutcomeService(s.db).report(query).periods
        assert january.crr is not None
        figures.append(round(january.crr.value, 6))
    assert figures == [95.0, 95.0]
    # An agent's login reads none of the centre's customer data.
    agent.sync()
    assert _counts(agent_db) == [0, 0, 0]


def test_a_reviewer_may_not_import_customer_data(
    team_db: TeamDb, dbs: list[Services], passfile_dir: Path, files: dict[ImportKind, Path]
) -> None:
    sup_db, reviewer_db, _agent_db = dbs
    seed(sup_db)
    Site(sup_db, team_db, *team_db.add("supervisor", name="Maryam")).sync()
    reviewer = Site(reviewer_db, team_db, *team_db.add("reviewer", reviewer="Omid Karimi"))
    reviewer.sync()

    # The app refuses first, naming the rule; nothing is written.
    importer = ImportService.from_services(reviewer_db)
    for kind, path in files.items():
        with pytest.raises(ImportNotAllowedError, match="only a supervisor's or an admin's"):
            importer.preview(path, kind)
        with pytest.raises(ImportNotAllowedError, match="imports customer data"):
            importer.run_import(path, kind)
    assert _counts(reviewer_db) == [0, 0, 0]
    # Surveys and call logs stay a reviewer's to import.
    assert importer.refusal(ImportKind.SURVEYS) is None
    assert importer.refusal(ImportKind.INTERACTIONS) is None

    # A change that slips past the app (an older version, a hand edit) is refused by
    # the server with a sentence that says why, and kept on this computer.
    reviewer_db.db.execute(
        "INSERT INTO customer_counts (period_start, period_end, customers_start,"
        " customers_end, customers_new, updated_at)"
        " VALUES ('2026-02-01', '2026-02-28', 10, 9, 1, '2026-03-01T09:00:00Z')"
    )
    with pytest.raises(TransportError) as caught:
        run_sync(reviewer_db.db, reviewer.server())
    assert str(caught.value).startswith(
        "The team server refused your customer counts for a period. Only supervisors and"
        " admins import customer data. Nothing was lost"
    )
    assert _counts(reviewer_db) == [1, 0, 0]
    assert server_count(team_db, "entity = 'customer_count'") == 0
