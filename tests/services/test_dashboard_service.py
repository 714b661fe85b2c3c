"""The dashboard service: filter choices and the centre's calendar from a read-only
connection, the area drill-down, the people tables computed beside the charts, and
cancelling a running query (in either part) from another thread."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest

from qa_monitor.core.forms import Category
from qa_monitor.reports.analytics import DashboardFilter
from qa_monitor.services.cancellation import readonly_connection as service_connection
from qa_monitor.services.dashboard_service import Cancelled, CancelToken, DashboardService
from tests.reports.analytics_data import evaluate, misses_for, open_centre

SLOW_SQL = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)"
    " SELECT count(*) FROM n"
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("s") / "qa.db"
    services, built = open_centre(path)
    with services:
        for index, agent in enumerate(built.agents):
            evaluate(built, agent, date(2026, 3, 2), misses_for(100 - 10 * index))
    return path


def test_choices_and_calendar(db_path: Path) -> None:
    service = DashboardService(db_path)
    choices = service.choices()
    assert choices.teams and choices.agents and choices.reviewers and choices.forms
    assert {a.group for a in choices.agents} <= {t.id for t in choices.teams} | {None}
    assert all(v.group in {f.id for f in choices.forms} for v in choices.versions)
    calendar = service.calendar()
    assert 0 <= calendar.week_start <= 6 and calendar.timezone


def test_area_drill_down_lists_evaluations_that_lost_points(db_path: Path) -> None:
    service = DashboardService(db_path)
    f = DashboardFilter()
    soft = service.evaluations_for_category(f, Category.SOFT_SKILLS)
    # misses_for(score) misses questions in order from q1 (soft skills): every agent
    # but the first lost soft-skills points, and the first lost none anywhere.
    assert len(soft) == service.build(f).league.__len__() - 1
    assert service.evaluations_for_category(f, Category.OUTCOME) == []


def test_a_cancelled_token_stops_before_and_during_a_query(db_path: Path) -> None:
    service = DashboardService(db_path)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        service.build(DashboardFilter(), token)

    token = CancelToken()
    outcome: list[object] = []

    def run() -> None:
        try:
            with service_connection(db_path, token) as db:
                outcome.append(db.execute(SLOW_SQL).fetchall())
        except Cancelled as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.1)  # the query is running
    cancelled_at = time.perf_counter()
    token.cancel()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert time.perf_counter() - cancelled_at < 1.0  # not the seconds the query needs
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    # An uncancelled build is unaffected by the token machinery.
    assert service.build(DashboardFilter(), CancelToken()).score.n > 0


def test_build_computes_the_people_tables_beside_the_charts(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_monitor.reports import analytics

    service = DashboardService(db_path)
    f = DashboardFilter()
    with analytics.open_readonly(db_path) as db:
        expected = analytics.build_dashboard(db, f)
    seen: dict[str, object] = {}
    people_tables = analytics.people_tables

    def recording_people(db: object, f: DashboardFilter) -> analytics.PeopleTables:
        seen["people"] = (threading.current_thread().name, db)
        return people_tables(db, f)  # type: ignore[arg-type]

    def on_charts(part: analytics.Dashboard) -> None:
        seen["charts"] = (threading.current_thread().name, part)

    monkeypatch.setattr(analytics, "people_tables", recording_people)
    built = service.build(f, CancelToken(), on_charts)
    assert built == expected
    charts_thread, part = seen["charts"]  # type: ignore[misc]
    people_thread, _db = seen["people"]  # type: ignore[misc]
    assert charts_thread == threading.current_thread().name
    assert people_thread.startswith("dashboard-people") and people_thread != charts_thread
    assert part.league == () and part.score == expected.score  # type: ignore[attr-defined]
    assert not [t for t in threading.enumerate() if t.name.startswith("dashboard-people")]


def test_a_cancel_stops_the_people_tables_too(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_monitor.reports import analytics

    def slow_people(db: object, f: DashboardFilter) -> analytics.PeopleTables:
        db.execute(SLOW_SQL).fetchall()  # type: ignore[attr-defined]
        raise AssertionError("the slow query was not interrupted")

    monkeypatch.setattr(analytics, "people_tables", slow_people)
    service, token = DashboardService(db_path), CancelToken()
    threading.Timer(0.2, token.cancel).start()
    started = time.perf_counter()
    with pytest.raises(Cancelled):
        service.build(DashboardFilter(), token)
    assert time.perf_counter() - started < 2.0
    assert not [t for t in threading.enumerate() if t.name.startswith("dashboard-people")]


def test_a_failing_people_part_is_reported_not_hung(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_monitor.reports import analytics

    def broken(db: object, f: DashboardFilter) -> analytics.PeopleTables:
        raise ValueError("no such column: n_critical")

    monkeypatch.setattr(analytics, "people_tables", broken)
    charts: list[object] = []
    with pytest.raises(ValueError, match="n_critical"):
        DashboardService(db_path).build(DashboardFilter(), None, charts.append)
    assert len(charts) == 1  # the charts were still shown first


def test_a_cancel_between_statements_still_stops_the_next_one(db_path: Path) -> None:
    """SQLite drops an interrupt that arrives while no statement runs; the token repeats
    it, so a long statement that slipped past the token's check is still stopped."""
    import sqlite3

    token = CancelToken()
    with pytest.raises(Cancelled), service_connection(db_path, token) as db:
        token.cancel()  # nothing is running yet: this first interrupt is lost
        started = time.perf_counter()
        try:
            sqlite3.Connection.execute(db.conn, SLOW_SQL).fetchall()  # past the check
        finally:
            assert time.perf_counter() - started < 1.0
