"""The Drivers analysis' reads (services/drivers_service.py has the rules): the
drivers and score/CSAT roll-ups of one form, the scatter's most recent pairs, and which
questions of a form record an outcome themselves."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from qa_monitor.core.form_codec import form_from_data
from qa_monitor.core.forms import OutcomeField
from qa_monitor.storage import repeat_contacts
from qa_monitor.storage.database import Database
from qa_monitor.storage.repeat_contacts import is_repeat
from qa_monitor.storage.rollup_drivers import MEASURE_NAMES, SCORE_TABLE, TABLE


def _teams(team_ids: Sequence[int], column: str = "team_id") -> tuple[str, list[object]]:
    if not team_ids:
        return "", []
    return f" AND {column} IN ({', '.join('?' * len(team_ids))})", list(team_ids)


class DriversQueries:
    def __init__(self, db: Database):
        self.db = db

    def tallies(
        self, form_id: str, first: date, last: date, team_ids: Sequence[int] = ()
    ) -> list[tuple[Any, ...]]:
        """(question id, full marks 0/1, the roll-up's measures…) of the form's regular
        evaluations in the months ``first``..``last``."""
        teams, params = _teams(team_ids)
        sums = ", ".join(f"sum({m})" for m in MEASURE_NAMES)
        return self.db.conn.execute(
            f"SELECT question_id, full, {sums} FROM {TABLE}"
            f" WHERE form_id = ? AND kind = 'regular' AND d >= ? AND d <= ?{teams}"
            " GROUP BY question_id, full",
            [form_id, first.isoformat(), last.isoformat(), *params],
        ).fetchall()

    def latest_contact(self) -> str | None:
        return repeat_contacts.latest_contact(self.db.conn)

    def pending_contacts(
        self, form_id: str, first: date, last: date, team_ids: Sequence[int], since: str
    ) -> list[tuple[str, int, int, int]]:
        """(question id, full marks 0/1, contacts, of them repeat-followed already) over
        the answers the roll-up counts for the form's regular evaluations in the months
        ``first``..``last``, of contacts whose repeat window has not closed (started
        after ``since``, UTC moment text). They lie in the last days: the evaluations'
        form and date index reads only those (a local date is at most a day before its
        UTC one)."""
        teams, params = _teams(team_ids, "e.team_id")
        floor = (date.fromisoformat(since[:10]) - timedelta(days=1)).isoformat()
        # The evaluations first, each call's repeat worked out once (not per answer).
        return [
            (str(q), int(full), int(n), int(repeats))
            for q, full, n, repeats in self.db.conn.execute(
                f"WITH p AS MATERIALIZED (SELECT e.id, {is_repeat('i')} AS repeat"
                " FROM evaluations e JOIN interactions i ON i.id = e.interaction_id"
                " WHERE e.form_id = ? AND e.interaction_date >= max(?, ?)"
                f" AND e.interaction_date <= ?{teams} AND e.kind = 'regular'"
                " AND e.status <> 'draft' AND i.started_at > ? AND i.customer_ref IS NOT NULL)"
                " SELECT c.question_id, c.earned >= c.possible, count(*), total(p.repeat)"
                " FROM p JOIN answers c ON c.evaluation_id = p.id"
                " WHERE c.status = 'scored' AND c.possible > 0 GROUP BY 1, 2",
                [form_id, first.isoformat(), floor, last.isoformat(), *params, since],
            )
        ]

    def score_csat_sums(
        self, form_id: str, first: date, last: date, team_ids: Sequence[int] = ()
    ) -> tuple[int, float, float, float, float, float]:
        """(n, Σx, Σy, Σx², Σy², Σxy) with x the QA score in points, y the CSAT answer."""
        teams, params = _teams(team_ids)
        n, sx, sxx, sy, syy, sxy = self.db.conn.execute(
            "SELECT total(n), total(sx), total(sxx), total(sy), total(syy), total(sxy)"
            f" FROM {SCORE_TABLE} WHERE form_id = ? AND kind = 'regular' AND d >= ? AND d <= ?"
            + teams,
            [form_id, first.isoformat(), last.isoformat(), *params],
        ).fetchone()
        # x is stored in hundredths of a point.
        return int(n), sx / 100, sy, sxx / 10_000, syy, sxy / 100

    def recent_pairs(
        self, form_id: str, first: date, last: date, team_ids: Sequence[int], limit: int
    ) -> list[tuple[float, int]]:
        """The most recent (QA score, CSAT) pairs, newest first from the form's date
        index."""
        teams, params = _teams(team_ids, "e.team_id")
        return [
            (float(x), int(y))
            for x, y in self.db.conn.execute(
                "SELECT e.score, i.csat FROM evaluations e"
                " JOIN interactions i ON i.id = e.interaction_id"
                " WHERE e.form_id = ? AND e.interaction_date >= ? AND e.interaction_date <= ?"
                f"{teams} AND e.kind = 'regular' AND e.status <> 'draft'"
                " AND e.score IS NOT NULL AND i.csat IS NOT NULL"
                f" ORDER BY e.interaction_date DESC LIMIT {int(limit)}",
                [form_id, first.isoformat(), last.isoformat(), *params],
            )
        ]

    def outcome_questions(self, form_id: str) -> dict[str, OutcomeField]:
        """Questions of any version of the form whose answer is an interaction outcome."""
        out: dict[str, OutcomeField] = {}
        for (definition,) in self.db.conn.execute(
            "SELECT definition FROM form_versions WHERE form_id = ?", [form_id]
        ):
            for _section, question in form_from_data(json.loads(definition)).questions():
                if question.outcome_field is not None:
                    out[question.id] = question.outcome_field
        return out

    def forms_with_outcomes(self, first: date, last: date) -> list[str]:
        """Forms whose answers have outcome data in the months ``first``..``last``."""
        return [
            str(r[0])
            for r in self.db.conn.execute(
                f"SELECT DISTINCT form_id FROM {TABLE} WHERE d >= ? AND d <= ?"
                " AND n_csat + n_nps + n_ces + n_fcr + n_ret + n_rc > 0 ORDER BY form_id",
                [first.replace(day=1).isoformat(), last.isoformat()],
            )
        ]
