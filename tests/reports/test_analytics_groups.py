"""Teams, reviewers and the headline (``analytics_groups``) and the per-section and
per-question trends (``analytics_breakdown``) on the demo database: the roll-ups give
what the raw tables give, the parts add up to the whole, and the trends agree with the
averages and the Pareto they break down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_monitor.reports.analytics import (
    DashboardFilter,
    Granularity,
    question_pareto,
    rate_trends,
    score_trend,
    section_averages,
)
from qa_monitor.reports.analytics_breakdown import (
    MIN_POINT_N,
    breakdown_granularity,
    question_trends,
    section_trends,
)
from qa_monitor.reports.analytics_groups import group_row, group_tables
from qa_monitor.services.demo_data import build_demo_database
from qa_monitor.storage.analytics_queries import evaluation_sums, open_readonly

FILTERS = {
    "all time by week": DashboardFilter(granularity=Granularity.WEEK),
    "all time by quarter": DashboardFilter(granularity=Granularity.QUARTER),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    path: Path = tmp_path_factory.mktemp("groups") / "demo.db"
    build_demo_database(path)
    conn = open_readonly(path)
    yield conn
    conn.close()


@pytest.mark.parametrize("name", FILTERS)
def test_team_and_reviewer_rows_match_the_raw_tables_and_add_up(db, name) -> None:
    f = FILTERS[name]
    groups = group_tables(db, f)
    for dim, rows in (("team_id", groups.teams), ("reviewer_id", groups.reviewers)):
        raw = evaluation_sums(db, f.scope(), (dim,), use_rollups=False)
        assert {r.ident for r in rows} == {k[0] for k in raw if k[0] is not None}
        for row in rows:
            assert row == group_row(row.ident, row.name, raw[(row.ident,)])
        assert [r.mean for r in rows] == sorted((r.mean for r in rows), reverse=True)
        assert sum(r.n for r in rows) == groups.headline.n
    # The headline is the filter's own figures: the trends' totals.
    score, rates = score_trend(db, f), rate_trends(db, f)
    assert groups.headline.n == score.n
    assert groups.headline.mean == pytest.approx(score.mean)
    assert groups.headline.low is not None and groups.headline.low < score.mean
    assert groups.headline.passed == rates.passed
    assert groups.headline.critical == rates.critical


@pytest.mark.parametrize("name", FILTERS)
def test_section_trends_break_down_the_weakest_sections(db, name) -> None:
    f = FILTERS[name]
    points = score_trend(db, f).points
    series = section_trends(db, f, points)
    averages = {(s.form_id, s.section_id): s.average for s in section_averages(db, f)}
    assert 0 < len(series) <= 5
    overall = [s.overall for s in series]
    assert overall == sorted(overall)  # weakest first
    weakest = sorted(a.percent for a in averages.values() if a.percent is not None and a.n >= 20)
    assert overall == pytest.approx(weakest[: len(series)])
    for item in series:
        assert item.overall == pytest.approx(averages[(item.form_id, item.key)].percent)
        assert sum(p.n for p in item.points) == averages[(item.form_id, item.key)].n
        assert all(p.value is None for p in item.points if p.n < MIN_POINT_N)
        # The same date range as the score trend, by month at least.
        assert item.points[0].start == points[0].start
        assert item.points[-1].end == points[-1].end
    assert breakdown_granularity(f.granularity) in (Granularity.MONTH, Granularity.QUARTER)


@pytest.mark.parametrize("name", FILTERS)
def test_question_trends_follow_the_pareto(db, name) -> None:
    f = FILTERS[name]
    points = score_trend(db, f).points
    pareto = question_pareto(db, f)
    series = question_trends(db, f, points, pareto)
    assert [(s.form_id, s.key) for s in series] == [(q.form_id, q.question_id) for q in pareto[:5]]
    for item, q in zip(series, pareto, strict=False):
        assert sum(p.n for p in item.points) == q.answered
        assert item.overall == pytest.approx(q.missed / q.answered * 100)
        # Labels are wordings (with the form's title when two read the same), never ids.
        assert q.form_id not in item.label and item.label.startswith(q.text)
