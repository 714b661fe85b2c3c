"""An agent's profile for the UI, safe to call from a worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning (an
  SQLite connection belongs to the thread that opened it), as ``DashboardService``.
- The profile covers the agent's evaluations in the filter; the drill-down lists the
  agent's evaluations in the same filter that missed a question, newest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_profile import AgentProfile, build_agent_profile
from qa_monitor.reports.analytics_questions import evaluations_for_question
from qa_monitor.storage.analytics_queries import open_readonly

__all__ = ["AgentProfile", "DashboardFilter", "ProfileService"]


class ProfileService:
    """Agent-profile queries over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    @contextmanager
    def _connection(self) -> Iterator[sqlite_utils.Database]:
        db = open_readonly(self.db_path)
        try:
            yield db
        finally:
            db.conn.close()

    def build(self, agent_id: int, f: DashboardFilter) -> AgentProfile:
        """Agent ``agent_id``'s profile over ``f``; LookupError for an unknown agent."""
        with self._connection() as db:
            return build_agent_profile(db, agent_id, f)

    def evaluations_missing(
        self, agent_id: int, f: DashboardFilter, form_id: str, question_id: str, limit: int = 500
    ) -> tuple[int, ...]:
        """Ids of the agent's evaluations in ``f`` that missed the question (scored below
        full marks), newest first."""
        agent_filter = replace(f, agent_ids=(agent_id,), team_ids=())
        with self._connection() as db:
            return evaluations_for_question(
                db, agent_filter, question_id, form_id=form_id, limit=limit
            )
