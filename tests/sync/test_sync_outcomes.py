"""Customer outcome data travels: counts, the customer list and churn events imported
on one installation arrive on the other, the centre's churn reasons are team-wide, and
importing the same file on the second machine updates the same records instead of
adding copies (their uuids come from their keys)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qa_monitor.core.churn_reasons import SETTINGS_KEY
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from qa_monitor.services.outcome_service import OutcomeQuery, OutcomeService
from tests.factories import FakeClock
from tests.sync.conflict_setup import sync, two_sites


def _csv(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n", "utf-8")
    return path


def _count(services: Services, table: str) -> int:
    return int(services.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_outcome_data_imported_on_one_machine_reaches_the_other_once(tmp_path: Path) -> None:
    a, b, _folder = two_sites(tmp_path)
    counts = _csv(
        tmp_path / "counts.csv",
        [
            ["Period start", "Period end", "Team", "S", "E", "N"],
            ["2026-01-01", "2026-01-31", "Billing", 20, 24, 5],
        ],
    )
    customers = _csv(
        tmp_path / "customers.csv",
        [["Customer", "Customer since", "Left on"], ["C-9", "2025-01-01", "2026-01-05"]],
    )
    churn = _csv(
        tmp_path / "churn.csv",
        [["Customer", "Churn date", "Reason"], ["C-9", "2026-01-05", "price"]],
    )
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        ia = ImportService.from_services(sa)
        for path, kind in (
            (counts, ImportKind.CUSTOMER_COUNTS),
            (customers, ImportKind.CUSTOMERS),
            (churn, ImportKind.CHURN_EVENTS),
        ):
            assert ia.run_import(path, kind).created == 1
        sa.repos.settings.set(SETTINGS_KEY, '[{"code": "other", "label": "Anything"}]')
        sync(sa, sb)

        assert [_count(sb, t) for t in ("customer_counts", "customers", "churn_events")] == [
            1,
            1,
            1,
        ]
        team_b = sb.db.execute("SELECT id FROM teams WHERE name = 'Billing'").fetchone()[0]
        query = OutcomeQuery(date(2026, 1, 1), date(2026, 1, 31), team_ids=(team_b,))
        (january,) = OutcomeService(sb.db).report(query).periods
        assert january.crr is not None and round(january.crr.value, 6) == 95.0
        assert sb.repos.settings.get(SETTINGS_KEY) == '[{"code": "other", "label": "Anything"}]'

        # The same files imported on b are the same records: nothing added, nothing sent.
        ib = ImportService.from_services(sb)
        again = ib.run_import(counts, ImportKind.CUSTOMER_COUNTS)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
        assert ib.run_import(churn, ImportKind.CHURN_EVENTS).created == 0
        sync(sa, sb)
        assert [_count(sa, t) for t in ("customer_counts", "customers", "churn_events")] == [
            1,
            1,
            1,
        ]
