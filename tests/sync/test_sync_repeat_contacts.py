"""Repeat contacts across a team: ``next_contact_at`` is derived on each machine and
never travels, yet two machines that import the same call log, each on its own, get
the same column and the same FCR from repeat contacts; a repeat call arriving by sync
turns the other machine's earlier contact into a repeat-followed one."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.services.outcome_service import OutcomeQuery, OutcomeService
from qa_monitor.storage import repeat_contacts
from qa_monitor.storage.rollups import rollup_differences
from tests.factories import FakeClock
from tests.sync.conflict_setup import sync, two_sites

HEADER = "Call ID,Start time,Agent ID,Channel,Customer"
LOG = [
    HEADER,
    "R-1,2026-01-05 09:00,ext-17,phone,K-1",
    "R-2,2026-01-08 09:00,ext-17,phone,K-1",  # K-1 again 3 days later: R-1 is a repeat
    "R-3,2026-01-06 10:00,ext-17,phone,K-2",
    "R-4,2026-01-13 10:00,ext-17,phone,K-2",  # exactly 7 days: R-3 is a repeat
    "R-5,2026-01-07 11:00,ext-17,chat,K-3",
    "R-6,2026-01-20 11:00,ext-17,chat,K-3",
    "R-7,2026-01-09 12:00,ext-17,email,K-4",
]
JANUARY = OutcomeQuery(date(2026, 1, 1), date(2026, 1, 31), as_of=datetime(2026, 3, 1, tzinfo=UTC))


def _log(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _columns(services: Services) -> dict[str, str | None]:
    return {
        str(r[0]): r[1]
        for r in services.db.execute(
            "SELECT external_id, next_contact_at FROM interactions WHERE external_id LIKE 'R-%'"
        )
    }


def _fcr(services: Services) -> tuple[float, ...] | None:
    (january,) = OutcomeService(services.db).report(JANUARY).periods
    figure = january.fcr_repeat
    return None if figure is None else (figure.value, figure.n, january.fcr_pending)


def test_two_machines_importing_the_same_calls_get_the_same_fcr(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        # Each machine imports the log on its own, b in another order, before they sync.
        for services, lines in ((sa, LOG), (sb, [HEADER, *reversed(LOG[1:])])):
            path = _log(tmp_path / f"{services.path.stem}.csv", lines)
            report = ImportService.from_services(services).run_import(path, ImportKind.INTERACTIONS)
            assert report.created == 7, report.refused
        sync(sa, sb)
        for services in (sa, sb):
            assert services.db.execute(
                "SELECT count(*) FROM interactions WHERE external_id LIKE 'R-%'"
            ).fetchone() == (7,)
            assert rollup_differences(services.db) == {}
        assert _columns(sa) == _columns(sb)
        # 7 contacts, R-1 and R-3 repeat-followed: 5 of 7 resolved.
        assert _fcr(sa) == _fcr(sb)
        fcr = _fcr(sa)
        assert fcr is not None and round(fcr[0], 6) == round(500 / 7, 6) and fcr[1:] == (7, 0)

        # The column is this machine's own: no journal entry carries it.
        for services in (sa, sb):
            for (fields,) in services.db.execute(
                "SELECT fields FROM sync_journal WHERE entity = 'interaction' AND fields <> ''"
            ):
                assert repeat_contacts.COLUMN not in json.loads(fields)

        # K-4 calls again on a, 2 days later; b receives it by sync, and R-7 becomes a
        # repeat-followed contact there too.
        _log(tmp_path / "more.csv", [HEADER, "R-8,2026-01-11 12:00,ext-17,phone,K-4"])
        ImportService.from_services(sa).run_import(tmp_path / "more.csv", ImportKind.INTERACTIONS)
        sync(sa, sb)
        assert _columns(sb)["R-7"] is not None
        assert _columns(sa) == _columns(sb)
        assert _fcr(sa) == _fcr(sb)
        fcr = _fcr(sb)
        assert fcr is not None and fcr[1] == 8 and round(fcr[0], 6) == round(500 / 8, 6)
        assert rollup_differences(sb.db) == {}
