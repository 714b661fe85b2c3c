"""An agent's profile for the UI, safe to call from a worker thread.

Rules:
- Every call opens its own read-only connection and closes it before returning (an
  SQLite connection belongs to the thread that opened it), as ``DashboardService``.
- ``build`` given a ``CancelToken`` stops within milliseconds of the token's cancel and
  raises ``Cancelled`` (``services.cancellation``): a cold all-time profile of a busy
  agent reads for a second or two, which a newer request should not wait for.
- The profile covers the agent's evaluations in the filter; the drill-down lists the
  agent's evaluations in the same filter that missed a question, newest first.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_profile import AgentProfile, build_agent_profile
from qa_monitor.reports.analytics_questions import evaluations_for_question
from qa_monitor.services.cancellation import (
    Cancelled,
    CancelToken,
    readonly_connection,
    run_readonly,
)

__all__ = ["AgentProfile", "CancelToken", "Cancelled", "DashboardFilter", "ProfileService"]


class ProfileService:
    """Agent-profile queries over the database file at ``db_path``."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)

    def build(
        self, agent_id: int, f: DashboardFilter, cancel: CancelToken | None = None
    ) -> AgentProfile:
        """Agent ``agent_id``'s profile over ``f``; LookupError for an unknown agent,
        ``Cancelled`` once ``cancel`` is cancelled."""
        return run_readonly(self.db_path, lambda db: build_agent_profile(db, agent_id, f), cancel)

    def evaluations_missing(
        self, agent_id: int, f: DashboardFilter, form_id: str, question_id: str, limit: int = 500
    ) -> tuple[int, ...]:
        """Ids of the agent's evaluations in ``f`` that missed the question (scored below
        full marks), newest first."""
        agent_filter = replace(f, agent_ids=(agent_id,), team_ids=())
        with readonly_connection(self.db_path) as db:
            return evaluations_for_question(
                db, agent_filter, question_id, form_id=form_id, limit=limit
            )
