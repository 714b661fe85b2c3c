"""Evaluations, their answers and their stored scores.

Drafts store answers only; submitting stores, for every question of the form, the
earned / possible points and status ``score_evaluation`` gave (full precision), the
section scores and the evaluation's score, so reports read numbers and never
re-score. Answers with nothing in them (no value, not N/A, no comment, no time
stamp) are not stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Category, Channel
from qa_monitor.core.records import (
    AnswerScore,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Interaction,
)
from qa_monitor.core.scoring import QuestionStatus, ScoreResult, SectionScore
from qa_monitor.storage.database import Database
from qa_monitor.storage.errors import NotFoundError
from qa_monitor.storage.score_rows import score_values, section_score_rows
from qa_monitor.storage.transactions import writes
from qa_monitor.storage.values import (
    opt_bool,
    opt_date,
    opt_parse_utc,
    opt_utc_text,
    parse_utc,
    utc_text,
    value_from_json,
    value_to_json,
)

Row = dict[str, Any]

_UPSERT_ANSWER = """
INSERT INTO answers (evaluation_id, question_id, section_id, value, na, comment, timestamp_ms)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (evaluation_id, question_id) DO UPDATE SET
    section_id = excluded.section_id, value = excluded.value, na = excluded.na,
    comment = excluded.comment, timestamp_ms = excluded.timestamp_ms
WHERE value IS NOT excluded.value OR na IS NOT excluded.na OR comment IS NOT excluded.comment
    OR timestamp_ms IS NOT excluded.timestamp_ms OR section_id IS NOT excluded.section_id
"""
_UPSERT_SCORE = """
INSERT INTO answers (evaluation_id, question_id, section_id, earned, possible, status, failing)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (evaluation_id, question_id) DO UPDATE SET
    earned = excluded.earned, possible = excluded.possible,
    status = excluded.status, failing = excluded.failing
"""


def _is_blank(answer: Answer) -> bool:
    return answer.is_empty and not answer.comment and answer.timestamp_ms is None


def _evaluation(row: Row, answers: list[Row], sections: list[Row]) -> Evaluation:
    date = opt_date(row["interaction_date"])
    assert date is not None
    stored_answers = {}
    scores = []
    for a in answers:
        answer = Answer(
            a["question_id"],
            value_from_json(a["value"]),
            bool(a["na"]),
            a["comment"],
            a["timestamp_ms"],
        )
        if not _is_blank(answer):
            stored_answers[answer.question_id] = answer
        if a["status"] is not None:
            scores.append(
                AnswerScore(
                    a["question_id"],
                    a["section_id"],
                    QuestionStatus(a["status"]),
                    a["earned"],
                    a["possible"],
                    bool(a["failing"]),
                )
            )
    return Evaluation(
        id=row["id"],
        interaction_id=row["interaction_id"],
        form_id=row["form_id"],
        form_version_id=row["form_version_id"],
        reviewer_id=row["reviewer_id"],
        agent_id=row["agent_id"],
        team_id=row["team_id"],
        channel=Channel(row["channel"]),
        interaction_date=date,
        kind=EvaluationKind(row["kind"]),
        status=EvaluationStatus(row["status"]),
        answers=stored_answers,
        overall_comment=row["overall_comment"],
        created_at=parse_utc(row["created_at"]),
        updated_at=parse_utc(row["updated_at"]),
        submitted_at=opt_parse_utc(row["submitted_at"]),
        score=row["score"],
        score_before_critical=row["score_before_critical"],
        passed=opt_bool(row["passed"]),
        band=row["band"],
        critical_failed=bool(row["critical_failed"]),
        auto_failed=bool(row["auto_failed"]),
        earned=row["earned"],
        possible=row["possible"],
        revision=row["revision"],
        sections=tuple(
            SectionScore(
                section_id=s["section_id"],
                category=Category(s["category"]),
                weight=s["weight"],
                earned=s["earned"],
                earned_before_critical=s["earned_before_critical"],
                possible=s["possible"],
                critical_failed=bool(s["critical_failed"]),
            )
            for s in sections
        ),
        answer_scores=tuple(scores),
    )


class EvaluationRepo:
    def __init__(self, db: Database):
        self.db = db

    @writes
    def create(
        self,
        interaction: Interaction,
        form_id: str,
        form_version_id: int,
        reviewer_id: int,
        kind: EvaluationKind,
        now: datetime,
    ) -> int:
        """A new draft; agent, team, channel and local date are copied from the interaction."""
        stamp = utc_text(now)
        cur = self.db.execute(
            "INSERT INTO evaluations (interaction_id, form_id, form_version_id, reviewer_id,"
            " agent_id, team_id, channel, interaction_date, kind, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
            [
                interaction.id,
                form_id,
                form_version_id,
                reviewer_id,
                interaction.agent_id,
                interaction.team_id,
                interaction.channel.value,
                interaction.local_date.isoformat(),
                kind.value,
                stamp,
                stamp,
            ],
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def get(self, evaluation_id: int) -> Evaluation:
        rows = list(self.db.query("SELECT * FROM evaluations WHERE id = ?", [evaluation_id]))
        if not rows:
            raise NotFoundError("evaluation", evaluation_id)
        answers = list(
            self.db.query(
                "SELECT a.* FROM answers a"
                " LEFT JOIN form_questions q"
                " ON q.form_version_id = ? AND q.question_id = a.question_id"
                " WHERE a.evaluation_id = ? ORDER BY q.position, a.question_id",
                [rows[0]["form_version_id"], evaluation_id],
            )
        )
        sections = list(
            self.db.query(
                "SELECT * FROM section_scores WHERE evaluation_id = ? ORDER BY position",
                [evaluation_id],
            )
        )
        return _evaluation(rows[0], answers, sections)

    def head(self, evaluation_id: int) -> tuple[EvaluationStatus, int]:
        """Status and form version id: all that autosave needs to know."""
        row = self.db.execute(
            "SELECT status, form_version_id FROM evaluations WHERE id = ?", [evaluation_id]
        ).fetchone()
        if row is None:
            raise NotFoundError("evaluation", evaluation_id)
        return EvaluationStatus(row[0]), int(row[1])

    def save_answers(
        self,
        evaluation_id: int,
        answers: Mapping[str, Answer],
        section_of: Mapping[str, str],
        overall_comment: str,
        now: datetime,
    ) -> None:
        """Make the stored answers equal ``answers`` (upsert changed ones, drop missing ones)."""
        kept = [a for a in answers.values() if not _is_blank(a)]
        rows = [
            (
                evaluation_id,
                a.question_id,
                section_of[a.question_id],
                value_to_json(a.value),
                int(a.na),
                a.comment,
                a.timestamp_ms,
            )
            for a in kept
        ]
        conn = self.db.conn
        with self.db.atomic():
            marks = ", ".join("?" * len(kept))
            conn.execute(
                f"DELETE FROM answers WHERE evaluation_id = ? AND question_id NOT IN ({marks})",
                [evaluation_id, *(a.question_id for a in kept)],
            )
            conn.executemany(_UPSERT_ANSWER, rows)
            conn.execute(
                "UPDATE evaluations SET overall_comment = ?, updated_at = ? WHERE id = ?",
                [overall_comment, utc_text(now), evaluation_id],
            )

    def store_scores(self, evaluation_id: int, result: ScoreResult, now: datetime) -> None:
        """Store every number of ``result``: per question, per section and overall."""
        conn = self.db.conn
        with self.db.atomic():
            conn.executemany(
                _UPSERT_SCORE,
                [
                    (
                        evaluation_id,
                        q.question_id,
                        q.section_id,
                        q.earned,
                        q.possible,
                        q.status.value,
                        int(q.failing),
                    )
                    for q in result.questions
                ],
            )
            conn.execute("DELETE FROM section_scores WHERE evaluation_id = ?", [evaluation_id])
            conn.executemany(
                "INSERT INTO section_scores (evaluation_id, section_id, position, category,"
                " earned, earned_before_critical, possible, weight, critical_failed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                section_score_rows(evaluation_id, result),
            )
            conn.execute(
                "UPDATE evaluations SET score = ?, score_before_critical = ?, passed = ?,"
                " band = ?, critical_failed = ?, auto_failed = ?, earned = ?, possible = ?,"
                " updated_at = ? WHERE id = ?",
                [
                    *score_values(result),
                    utc_text(now),
                    evaluation_id,
                ],
            )

    @writes
    def set_status(
        self,
        evaluation_id: int,
        status: EvaluationStatus,
        now: datetime,
        *,
        submitted_at: datetime | None = None,
    ) -> None:
        """Set the status (and, when given, the submission time)."""
        self.db.execute(
            "UPDATE evaluations SET status = ?, updated_at = ?,"
            " submitted_at = coalesce(?, submitted_at) WHERE id = ?",
            [status.value, utc_text(now), opt_utc_text(submitted_at), evaluation_id],
        )

    @writes
    def bump_revision(self, evaluation_id: int) -> None:
        self.db.execute(
            "UPDATE evaluations SET revision = revision + 1 WHERE id = ?", [evaluation_id]
        )

    @writes
    def delete_draft(self, evaluation_id: int) -> bool:
        """Delete the evaluation if it is a draft (submitted ones are history)."""
        cur = self.db.execute(
            "DELETE FROM evaluations WHERE id = ? AND status = 'draft'", [evaluation_id]
        )
        return cur.rowcount > 0

    def ids_for_interaction(self, interaction_id: int) -> list[int]:
        rows = self.db.execute(
            "SELECT id FROM evaluations WHERE interaction_id = ? ORDER BY id", [interaction_id]
        ).fetchall()
        return [r[0] for r in rows]
