"""One agent's profile: trend against the team and the pass mark, strengths and
weaknesses, weakest questions, recent comments and critical failures — what a
supervisor opens before a coaching session.

Rules:
- Queries run on a worker thread (``QThreadPool``); the worker only calls the profile
  service (its own read-only connection) and hands the frozen result back by a queued
  signal. Widgets and figures are touched on the GUI thread only.
- Every request gets a new generation number and a ``CancelToken``; a new request
  cancels the one before (a query already running is interrupted within milliseconds,
  one still waiting is skipped) and a result that is not the latest is dropped, so
  quickly stepping through agents runs and shows only the last one.
- ``show_agent(id, filter)`` is how other screens open it (the dashboard's league,
  People): the filter's dates become the period (a preset when they match one) and
  its form, channel and reviewer choices are kept until "Show all" is pressed.
- Signals: ``exportFeedbackRequested(agent id)`` for the coaching workbook,
  ``evaluationsRequested(tuple of evaluation ids)`` for a weakest question's
  evaluations, ``openEvaluationRequested(evaluation id)`` for a comment or failure.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from qa_monitor.reports.analytics_filter import DashboardFilter
from qa_monitor.reports.analytics_profile import AgentProfile
from qa_monitor.services.profile_service import CancelToken, ProfileService
from qa_monitor.ui.screens.agent_profile_coaching import ProfileCoaching
from qa_monitor.ui.screens.agent_profile_header import CUSTOM, ProfileHeader, preset_filter
from qa_monitor.ui.screens.agent_profile_panels import ProfilePanels
from qa_monitor.ui.session import Session
from qa_monitor.ui.workers import QueryJob, emit_safely


class _Relay(QObject):
    done = Signal(int, object)  # generation, AgentProfile
    failed = Signal(int, str)


class AgentProfileScreen(QWidget):
    refreshed = Signal()
    exportFeedbackRequested = Signal(int)  # agent id
    evaluationsRequested = Signal(object)  # tuple[int, ...] of evaluation ids
    openEvaluationRequested = Signal(int)  # evaluation id
    coachingRequested = Signal(int)  # agent id: record a new coaching session
    coachingSessionRequested = Signal(int)  # coaching session id: show it

    def __init__(self, session: Session, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.session = session
        services = session.services
        centre = services.settings.centre()
        self.today = today or services.clock().astimezone(ZoneInfo(centre.timezone)).date()
        self.service = ProfileService(session.path)
        self.agent_id: int | None = None
        self.profile: AgentProfile | None = None
        # Filter choices other than the period and the agent (kinds, forms, channels...).
        self._base = DashboardFilter(week_start=centre.week_start)
        self._custom: DashboardFilter | None = None
        self.generation = 0
        self._token = CancelToken()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)

        layout = QVBoxLayout(self)
        self.header = ProfileHeader(self.today)
        self.header.agentChosen.connect(lambda agent_id: self.show_agent(agent_id))
        self.header.periodChanged.connect(self.refresh)
        self.header.exportRequested.connect(self._export)
        layout.addWidget(self.header)
        notes = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setProperty("role", "muted")
        self.message.setAccessibleName(self.tr("Agent profile status"))
        notes.addWidget(self.message, 1)
        self.show_all_button = QPushButton(self.tr("Show all forms and channels"))
        self.show_all_button.setAccessibleName(self.tr("Show all forms and channels"))
        self.show_all_button.clicked.connect(self.clear_extra_filters)
        notes.addWidget(self.show_all_button)
        layout.addLayout(notes)
        self.panels = ProfilePanels()
        self.panels.questionActivated.connect(self.drill_into_question)
        self.panels.evaluationActivated.connect(self.openEvaluationRequested)
        # The coaching history under the figures: what was agreed, and whether it worked.
        self.coaching = ProfileCoaching(str(session.path), self.today)
        self.coaching.newRequested.connect(self.coachingRequested)
        self.coaching.sessionActivated.connect(self.coachingSessionRequested)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.panels)
        column.addWidget(self.coaching)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.reload_agents()
        self._show_nothing()

    # ------------------------------------------------------------------ choosing
    def reload_agents(self, _changes: object = None) -> None:
        """Fill the agent picker again (after People changed)."""
        self.header.set_agents(self.session.services.people.list_agents())
        self.header.select_agent(self.agent_id)

    def show_agent(self, agent_id: int, f: DashboardFilter | None = None) -> int:
        """Show agent ``agent_id``; with ``f``, over its dates and filters (its agent and
        team choices are ignored). Returns the request's generation."""
        self.agent_id = agent_id
        if not self.header.select_agent(agent_id):
            self.reload_agents()
        if f is not None:
            self._base = replace(f, agent_ids=(), team_ids=(), date_from=None, date_to=None)
            self._custom = replace(f, agent_ids=(), team_ids=())
            self.header.set_period(self._custom)
        return self.refresh()

    def current_filter(self) -> DashboardFilter:
        key = self.header.period_key()
        if key == CUSTOM and self._custom is not None:
            return replace(
                self._base, date_from=self._custom.date_from, date_to=self._custom.date_to
            )
        return preset_filter(self._base, key, self.today)

    def clear_extra_filters(self) -> None:
        self._base = DashboardFilter(week_start=self._base.week_start)
        if self._custom is not None:
            self._custom = replace(
                self._base, date_from=self._custom.date_from, date_to=self._custom.date_to
            )
        self.refresh()

    def _extra_filters(self) -> list[str]:
        f = self._base
        named = (
            (f.form_ids or f.form_version_ids, self.tr("form")),
            (f.channels, self.tr("channel")),
            (f.reviewer_ids, self.tr("reviewer")),
        )
        return [name for values, name in named if values]

    # ------------------------------------------------------------------ refresh
    def refresh(self, _changes: object = None) -> int:
        """Start a query for the shown agent and period (stopping the one before);
        returns its generation."""
        self.generation += 1
        self._token.cancel()
        if self.agent_id is None:
            self._show_nothing()
            return self.generation
        self.header.set_busy(True)
        self.coaching.show_agent(self.agent_id, self.header.agent.currentText())
        self._token = CancelToken()
        agent_id, f, gen, relay = self.agent_id, self.current_filter(), self.generation, self._relay
        job = QueryJob(
            lambda t: self.service.build(agent_id, f, t),
            self._token,
            lambda profile: emit_safely(relay.done, gen, profile),
            lambda error: emit_safely(relay.failed, gen, error),
            expected=(LookupError,),  # the agent was deleted meanwhile: say so
            what="Agent profile query",
        )
        self._pool.start(job)
        return self.generation

    def _show_nothing(self) -> None:
        self.header.set_busy(False)
        self.coaching.show_agent(None, "")
        self.header.export_button.setEnabled(False)
        self.header.clear_profile()
        if self.header.agent.count():
            text = self.tr("Choose an agent above (type part of a name to find one).")
        else:
            text = self.tr("No agents yet — add them on the People screen or import a roster.")
        self.message.setText(text)
        self.message.show()
        self.show_all_button.hide()
        self.panels.clear(text)

    def _on_failed(self, generation: int, error: str) -> None:
        if generation != self.generation:
            return
        self.header.set_busy(False)
        self.message.setText(
            self.tr(
                "The profile could not be updated: {0} The figures shown are the previous "
                "ones; choose the agent again, or reopen the database."
            ).format(error if error.endswith(".") else error + ".")
        )
        self.message.show()

    def _on_done(self, generation: int, profile: AgentProfile) -> None:
        if generation != self.generation:
            return  # stale: a newer request is on its way
        self.header.set_busy(False)
        self.show_profile(profile)
        self.refreshed.emit()

    def show_profile(self, p: AgentProfile) -> None:
        self.profile = p
        self.header.show_profile(p)
        self.header.export_button.setEnabled(True)
        notes = []
        if p.kpis.n == 0:
            notes.append(
                self.tr(
                    "No submitted evaluations of {0} in this period. Choose a longer period, "
                    "such as All time."
                ).format(p.name)
            )
        extra = self._extra_filters()
        if extra:
            notes.append(
                self.tr("Only the evaluations matching the dashboard's {0} filter.").format(
                    ", ".join(extra)
                )
            )
        self.message.setText(" ".join(notes))
        self.message.setVisible(bool(notes))
        self.show_all_button.setVisible(bool(extra))
        if p.kpis.n == 0:
            self.panels.clear(
                self.tr("No evaluations of {0} in this period").format(p.name), no_data=True
            )
            self.panels.profile = p
        else:
            self.panels.show_profile(p)

    # ------------------------------------------------------------------ drill-down
    def drill_into_question(self, form_id: str, question_id: str) -> tuple[int, ...]:
        """Emit the shown agent's evaluations in the period that missed the question."""
        p = self.profile
        if p is None:
            return ()
        ids = self.service.evaluations_missing(p.agent_id, p.filter, form_id, question_id)
        self.evaluationsRequested.emit(tuple(ids))
        return tuple(ids)

    def _export(self) -> None:
        if self.agent_id is not None:
            self.exportFeedbackRequested.emit(self.agent_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Results of work still running must not arrive after the database is closed.
        self.generation += 1
        self._token.cancel()
        self._pool.waitForDone()
        self.coaching.stop()
        super().closeEvent(event)
