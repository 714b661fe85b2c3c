"""The dashboard service: filter choices and the centre's calendar from a read-only
connection, the area drill-down, and cancelling a running query from another thread."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest

from qa_monitor.core.forms import Category
from qa_monitor.reports.analytics import DashboardFilter
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
            with service._connection(token) as db:
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
