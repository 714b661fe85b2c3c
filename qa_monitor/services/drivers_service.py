"""Which questions of a form go with better customer outcomes (core/drivers.py has the
statistics; docs/outcomes.md the rules). Reads only: give it a read-only database on
a worker thread.

Rules:
- Regular evaluations only (calibration and re-reviews score the same call again),
  submitted or later, of interactions with at least one outcome; months of the
  interaction date from the month of ``start`` to the month of ``end`` (the roll-up is
  monthly, so the range is widened to whole months, and the report says which).
- FCR from repeat contacts counts the calls with a customer reference whose repeat
  window closed by the query's ``as_of`` (now by default, or the latest contact stored
  if earlier: ``outcome_service.repeat_cutoff``): the contacts still inside it are read
  from the last days' evaluations and taken out of both groups, as the Outcomes screen
  does.
- Questions are grouped by their id across the form's versions and named by the
  latest version that has them.
- QA score against CSAT: the Pearson correlation over every such evaluation with a
  CSAT answer, from sums in one pass; the scatter shows at most ``SCATTER_POINTS`` of
  them (the most recent), which the correlation does not depend on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from qa_monitor.core.drivers import Outcome, QuestionDrivers, Tally, analyse
from qa_monitor.core.forms import OutcomeField
from qa_monitor.services.outcome_service import repeat_cutoff
from qa_monitor.storage.analytics_lookups import form_titles, question_info
from qa_monitor.storage.database import Database
from qa_monitor.storage.drivers_queries import DriversQueries
from qa_monitor.storage.rollup_drivers import MEASURE_NAMES

SCATTER_POINTS = 2000


@dataclass(frozen=True, slots=True)
class DriversQuery:
    form_id: str
    start: date
    end: date
    team_ids: tuple[int, ...] = ()
    # The moment repeat contacts are judged at (aware); None: now.
    as_of: datetime | None = None


@dataclass(frozen=True, slots=True)
class Correlation:
    n: int
    r: float | None  # None below 3 pairs or with no spread
    low: float | None  # Fisher z interval, 95 %
    high: float | None


@dataclass(frozen=True, slots=True)
class DriversReport:
    query: DriversQuery
    months: tuple[date, date]  # the whole months read
    form_title: str
    questions: tuple[QuestionDrivers, ...]
    texts: dict[str, str]  # question id → its wording
    score_csat: Correlation
    points: tuple[tuple[float, int], ...]  # (QA score, CSAT) for the scatter

    def text(self, question_id: str) -> str:
        return self.texts.get(question_id, question_id)


def whole_months(start: date, end: date) -> tuple[date, date]:
    first = start.replace(day=1)
    following = date(end.year + end.month // 12, end.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


class DriversService:
    def __init__(self, db: Database):
        self.db = db
        self.queries = DriversQueries(db)

    def report(self, query: DriversQuery) -> DriversReport:
        first, last = whole_months(query.start, query.end)
        tallies = self._tallies(query, first, last)
        info = question_info(self.db.conn, [query.form_id])
        texts = {q: item.text for (_f, q), item in info.items()}
        order = {q: item.position for (_f, q), item in info.items()}
        ordered = dict(sorted(tallies.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0])))
        title = form_titles(self.db.conn, [query.form_id]).get(query.form_id, "")
        correlation, points = self._score_csat(query, first, last)
        return DriversReport(
            query,
            (first, last),
            title,
            tuple(analyse(ordered, records=self._recorded_outcomes(query.form_id))),
            texts,
            correlation,
            points,
        )

    def _recorded_outcomes(self, form_id: str) -> dict[str, Outcome]:
        """Questions of any version of the form whose answer is an outcome."""
        fields = {
            OutcomeField.RESOLVED_FIRST_CONTACT: Outcome.FCR,
            OutcomeField.RETENTION: Outcome.RETENTION,
        }
        found = self.queries.outcome_questions(form_id)
        return {q: fields[f] for q, f in found.items() if f in fields}

    def _tallies(
        self, query: DriversQuery, first: date, last: date
    ) -> dict[str, tuple[Tally, Tally]]:
        out: dict[str, list[Tally]] = {}
        for question_id, full, *values in self.queries.tallies(
            query.form_id, first, last, query.team_ids
        ):
            pair = out.setdefault(question_id, [Tally(), Tally()])
            pair[0 if full else 1] = Tally(
                **{m: int(v) for m, v in zip(MEASURE_NAMES, values, strict=True)}
            )
        since = repeat_cutoff(query.as_of, self.queries.latest_contact())
        for question_id, full, n, repeats in self.queries.pending_contacts(
            query.form_id, first, last, query.team_ids, since
        ):
            found = out.get(question_id)
            if found is not None:  # the roll-up counts every answer this query reads
                side = 0 if full else 1
                t = found[side]
                found[side] = replace(t, n_rc=t.n_rc - n, n_repeat=t.n_repeat - repeats)
        return {q: (pair[0], pair[1]) for q, pair in out.items()}

    def _score_csat(
        self, query: DriversQuery, first: date, last: date
    ) -> tuple[Correlation, tuple[tuple[float, int], ...]]:
        q = self.queries
        correlation = pearson(*q.score_csat_sums(query.form_id, first, last, query.team_ids))
        points = q.recent_pairs(query.form_id, first, last, query.team_ids, SCATTER_POINTS)
        return correlation, tuple(points)


def pearson(n: int, sx: float, sy: float, sxx: float, syy: float, sxy: float) -> Correlation:
    """Pearson's r from sums, with the Fisher z 95 % interval (n ≥ 4)."""
    if n < 3:
        return Correlation(n, None, None, None)
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return Correlation(n, None, None, None)
    r = max(-1.0, min(1.0, (n * sxy - sx * sy) / math.sqrt(vx * vy)))
    if n < 4 or abs(r) == 1.0:
        return Correlation(n, r, None, None)
    z, half = math.atanh(r), 1.959964 / math.sqrt(n - 3)
    return Correlation(n, r, math.tanh(z - half), math.tanh(z + half))


__all__ = ["Correlation", "DriversQuery", "DriversReport", "DriversService", "Outcome", "pearson"]
