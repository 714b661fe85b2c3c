"""Reading disputes for their queue and their rates (core/disputes.py has the rules).

A dispute is the audit entries of an evaluation (``respond``, ``dispute``, ``assign``,
``decide``); an open one is an evaluation whose status is ``disputed``. Both queries
start from the few disputed evaluations or the few dispute entries (two partial
indexes, ``INDEXES_SQL``, created by migration m010), never from all evaluations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from qa_monitor.storage.analytics_plan import Scope, merged, plan
from qa_monitor.storage.database import Database
from qa_monitor.storage.rollup_fill import ANALYTICS_INDEX_NAME
from qa_monitor.storage.rollup_specs import EVALUATION

INDEXES_SQL = (
    "CREATE INDEX IF NOT EXISTS evaluations_open_disputes ON evaluations (id)"
    " WHERE status = 'disputed'",
    "CREATE INDEX IF NOT EXISTS audit_log_dispute_entries ON audit_log (action, evaluation_id)"
    " WHERE action IN ('respond', 'dispute', 'decide')",
)


@dataclass(frozen=True, slots=True)
class OpenDisputeRow:
    evaluation_id: int
    agent_name: str
    team_name: str | None
    reviewer_id: int
    reviewer_name: str
    form_title: str
    interaction_date: date
    score: float | None


@dataclass(frozen=True, slots=True)
class ReviewerDisputeCounts:
    reviewer_id: int
    reviewer_name: str
    evaluations: int  # submitted (not drafts), regular, in the period
    disputed: int  # of those, disputed at some time
    disputed_questions: int
    decided_questions: int
    overturned_questions: int


class DisputeRepo:
    def __init__(self, db: Database):
        self.db = db

    def open_disputes(self) -> list[OpenDisputeRow]:
        rows = self.db.execute(
            "SELECT e.id, a.name, t.name, e.reviewer_id, r.name, f.title,"
            " e.interaction_date, e.score"
            " FROM evaluations e"
            " JOIN agents a ON a.id = e.agent_id"
            " LEFT JOIN teams t ON t.id = e.team_id"
            " JOIN reviewers r ON r.id = e.reviewer_id"
            " JOIN forms f ON f.id = e.form_id"
            " WHERE e.status = 'disputed'"
            # Only those with a dispute to show: an evaluation marked disputed by an older
            # version (or an import) without its entries is not in the queue anyway, and
            # the partial index answers this without reading it.
            " AND EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'respond'"
            " AND l.evaluation_id = e.id)"
            " ORDER BY e.id"
        ).fetchall()
        return [
            OpenDisputeRow(i, a, t, rid, r, f, date.fromisoformat(d), s)
            for i, a, t, rid, r, f, d, s in rows
        ]

    def reviewer_uuid(self, reviewer_id: int) -> str:
        (uuid,) = self.db.execute(
            "SELECT uuid FROM reviewers WHERE id = ?", [reviewer_id]
        ).fetchone()
        return str(uuid)

    def reviewer_by_uuid(self, uuid: str | None) -> tuple[int, str] | None:
        if not uuid:
            return None
        row = self.db.execute("SELECT id, name FROM reviewers WHERE uuid = ?", [uuid]).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def _counted_evaluations(self) -> str:
        """The totals' FROM term: through the analytics index when it is there. It holds
        the date, kind and reviewer of every submitted evaluation in date order, so a
        period is one range of it; left alone, the planner skip-scans
        evaluations_reviewer_date reviewer by reviewer and reads the table rows in that
        order (3.5 times slower over a 100,000-evaluation history). Only here: the join
        below looks evaluations up by id, which forcing an index would forbid."""
        found = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
            [ANALYTICS_INDEX_NAME],
        ).fetchone()
        return f"evaluations INDEXED BY {ANALYTICS_INDEX_NAME}" if found else "evaluations"

    def _raw_totals(self, start: date, end: date) -> Counter[int]:
        counted = (
            " WHERE status <> 'draft' AND kind = 'regular' AND interaction_date BETWEEN ? AND ?"
        )
        return Counter(
            dict(
                self.db.execute(
                    f"SELECT reviewer_id, count(*) FROM {self._counted_evaluations()}{counted}"
                    " GROUP BY reviewer_id",
                    [start.isoformat(), end.isoformat()],
                ).fetchall()
            )
        )

    def _totals(self, start: date, end: date) -> Counter[int]:
        """Counted regular evaluations per reviewer, interactions dated ``start`` to
        ``end``: whole years and months from the reviewer roll-ups through the
        dashboard's planner (a few rows a month, exact by their rule), the partial
        months at either end from the evaluations. A whole million-evaluation history:
        586 ms from the rows, 104 ms from the month roll-up (walked in reviewer order,
        a table lookup per row), 8 ms from the year roll-up."""
        first = start if start.day == 1 else _next_month(start)
        last_day = _next_month(end) - timedelta(days=1)
        after = _next_month(end) if end == last_day else end.replace(day=1)
        (stale,) = self.db.execute("SELECT rollups_stale FROM sync_state").fetchone() or (1,)
        if first >= after or stale:
            return self._raw_totals(start, end)
        scope = Scope(date_from=first, date_to=after - timedelta(days=1), kinds=("regular",))
        sql, params = merged(
            plan(EVALUATION, scope, ("reviewer_id",), None), 1, len(EVALUATION.measures)
        )
        totals: Counter[int] = Counter(
            {int(reviewer_id): int(n) for reviewer_id, n, *_rest in self.db.execute(sql, params)}
        )
        if start < first:
            totals.update(self._raw_totals(start, first - timedelta(days=1)))
        if after <= end:
            totals.update(self._raw_totals(after, end))
        return +totals  # reviewers with none in the period are left out, as before

    def reviewer_counts(self, start: date, end: date) -> list[ReviewerDisputeCounts]:
        """Per reviewer, over regular evaluations of interactions dated ``start`` to
        ``end``: how many were submitted, disputed, and the disputed, decided and
        overturned questions (the dispute and overturn rates of the calibration
        work)."""
        params = [start.isoformat(), end.isoformat()]
        counted = (
            " WHERE status <> 'draft' AND kind = 'regular' AND interaction_date BETWEEN ? AND ?"
        )
        base = f"SELECT id, reviewer_id FROM evaluations{counted}"
        totals = self._totals(start, end)
        counts = self.db.execute(
            f"SELECT e.reviewer_id,"
            " count(DISTINCT CASE WHEN l.action = 'respond' AND l.field = 'disputed'"
            "   THEN e.id END),"
            " count(DISTINCT CASE WHEN l.action = 'dispute' THEN e.id || ':' || l.field END),"
            " count(DISTINCT CASE WHEN l.action = 'decide' THEN e.id || ':' || l.field END),"
            " count(DISTINCT CASE WHEN l.action = 'decide' AND l.new = 'overturned'"
            "   THEN e.id || ':' || l.field END)"
            f" FROM audit_log l JOIN ({base}) e ON e.id = l.evaluation_id"
            " WHERE l.action IN ('respond', 'dispute', 'decide')"
            " GROUP BY e.reviewer_id",
            params,
        ).fetchall()
        by_reviewer = {r[0]: r[1:] for r in counts}
        names = dict(self.db.execute("SELECT id, name FROM reviewers").fetchall())
        out = []
        for reviewer_id, total in totals.items():
            disputed, questions, decided, overturned = by_reviewer.get(reviewer_id, (0, 0, 0, 0))
            out.append(
                ReviewerDisputeCounts(
                    reviewer_id,
                    names.get(reviewer_id, ""),
                    int(total),
                    int(disputed),
                    int(questions),
                    int(decided),
                    int(overturned),
                )
            )
        return sorted(out, key=lambda c: c.reviewer_name.casefold())


def _next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
