"""Build the review queue of a period from the sampling rules (Coverage ▸ Build queue…).

Rules:
- The period is the one holding the chosen day (each rule's week or month; weeks start
  on the centre's first day); it starts on today, and "Last week" steps back seven days.
- Rules and reviewers are checkable; the active ones start checked (inactive rules and
  reviewers are not offered: they take no part in a build).
- Preview (Alt+P) and Build (Alt+B) run the queue service off the GUI thread on their
  own connection (``Job``); the window keeps painting and the buttons are disabled
  meanwhile. Preview shows per rule how many calls it takes, per reviewer how many they
  get, and every problem sentence (shortfalls, calls nobody may take). Build writes in
  one transaction, shows what was added and emits ``built`` with the changes.
- A refused build (a reviewer's login on the team server) or a failed one shows its
  sentence; nothing was written.
- Closing the dialog while work runs cancels it and waits for the worker.
"""

from __future__ import annotations

import html
import logging
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.sampling import PeriodKind
from qa_monitor.services import Changes, Services
from qa_monitor.services.queue_service import BuildResult
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.models.queue_table_models import rule_kind_text
from qa_monitor.ui.models.table_base import qdate
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.widget_style import em
from qa_monitor.ui.workers import Job, JobControl

log = logging.getLogger(__name__)


class BuildQueueDialog(QDialog):
    previewed = Signal(object)  # BuildResult
    built = Signal(object)  # Changes

    def __init__(self, session: Session, day: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        services = session.services
        self.build_result: BuildResult | None = None
        self.changes: Changes | None = None
        self._job: Job | None = None
        title = self.tr("Build the review queue")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(em(self, 52), em(self, 34))
        outer = QVBoxLayout(self)

        period = QHBoxLayout()
        self.day = QDateEdit()
        self.day.setAccessibleName(self.tr("A day of the period"))
        set_up_date_edit(self.day)
        week_start = services.settings.centre().week_start
        self.day.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek(week_start + 1))
        self.today = services.queue.today()
        self.day.setDate(qdate(day or self.today))
        self.day.dateChanged.connect(lambda _d: self._period_changed())
        caption = QLabel(self.tr("Perio&d of:"))
        caption.setBuddy(self.day)
        period.addWidget(caption)
        period.addWidget(self.day)
        self.this_week = QPushButton(self.tr("T&his week"))
        self.this_week.clicked.connect(lambda: self.day.setDate(qdate(self.today)))
        self.last_week = QPushButton(self.tr("&Last week"))
        self.last_week.clicked.connect(
            lambda: self.day.setDate(qdate(self.today - timedelta(days=7)))
        )
        period.addWidget(self.this_week)
        period.addWidget(self.last_week)
        self.period_label = QLabel()
        self.period_label.setProperty("role", "muted")
        period.addWidget(self.period_label, 1)
        outer.addLayout(period)

        lists = QGridLayout()
        self.rules = self._checklist(self.tr("Rules"))
        for rule in services.queue.rules(active_only=True):
            self._check_item(self.rules, f"{rule.name} — {rule_kind_text(rule)}", rule.id)
        self.reviewers = self._checklist(self.tr("Reviewers"))
        for reviewer in services.people.list_reviewers(active_only=True):
            self._check_item(self.reviewers, reviewer.name, reviewer.id)
        for column, (text, widget) in enumerate(
            ((self.tr("&Rules:"), self.rules), (self.tr("Re&viewers:"), self.reviewers))
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            lists.addWidget(label, 0, column)
            lists.addWidget(widget, 1, column)
        outer.addLayout(lists, 1)

        self.report = QTextBrowser()
        self.report.setAccessibleName(self.tr("What the build takes"))
        self.report.setOpenLinks(False)
        outer.addWidget(self.report, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        outer.addWidget(self.status)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = QPushButton(self.tr("&Preview"))
        self.preview_button.setToolTip(self.tr("Show what a build would queue (Alt+P)"))
        self.build_button = QPushButton(self.tr("&Build"))
        self.build_button.setToolTip(self.tr("Write the queue of the period (Alt+B)"))
        self.preview_button.setDefault(True)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.build_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.clicked.connect(self.preview)
        self.build_button.clicked.connect(self.build)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self._period_changed()
        if not self.rules.count():
            self.report.setPlainText(
                self.tr(
                    "There is no active sampling rule. Add one on the Rules tab (Ctrl+N), "
                    "then build the queue."
                )
            )
        self.rules.setFocus()

    # ---------------------------------------------------------------- lists
    def _checklist(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        return widget

    def _check_item(self, widget: QListWidget, text: str, record_id: int | None) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, record_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        widget.addItem(item)

    @staticmethod
    def _checked(widget: QListWidget) -> list[int]:
        return [
            int(widget.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]

    def chosen_day(self) -> date:
        return self.day.date().toPython()  # type: ignore[return-value]

    def _period_changed(self) -> None:
        self.build_result = None
        queue = self.session.services.queue
        week = queue.period_of(self.chosen_day(), PeriodKind.WEEK)
        month = queue.period_of(self.chosen_day(), PeriodKind.MONTH)
        locale = QLocale()
        self.period_label.setText(
            self.tr("Weekly rules: {0} to {1}; monthly rules: {2}").format(
                date_text(week.start, locale),
                date_text(week.end, locale),
                f"\u2066{locale.toString(qdate(month.start), 'MMMM yyyy')}\u2069",
            )
        )

    # ---------------------------------------------------------------- work
    def running(self) -> bool:
        return self._job is not None and self._job.is_running()

    def preview(self) -> None:
        self._run(write=False)

    def build(self) -> None:
        self._run(write=True)

    def _run(self, *, write: bool) -> None:
        if self.running():
            return
        rule_ids, reviewer_ids = self._checked(self.rules), self._checked(self.reviewers)
        if not rule_ids:
            self.status.setText(self.tr("Check at least one rule, then preview or build."))
            return
        day = self.chosen_day()
        path: Path = self.session.path
        clock = self.session.services.clock

        def work(control: JobControl) -> BuildResult:
            with Services.open(path, clock=clock) as services:
                if write:
                    return services.queue.build(day, rule_ids, reviewer_ids, control.cancelled)
                return services.queue.preview(day, rule_ids, reviewer_ids)

        job = self._job = Job(work, parent=self)
        job.succeeded.connect(lambda result: self._on_result(result, write))
        job.failed.connect(self._on_failed)
        job.finished.connect(lambda: self._set_busy(False))
        self._set_busy(True)
        self.status.setText(
            self.tr("Building the queue…") if write else self.tr("Working out the preview…")
        )
        job.start()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.preview_button, self.build_button, self.day, self.rules):
            widget.setEnabled(not busy)
        self.reviewers.setEnabled(not busy)

    def _on_failed(self, exc: object) -> None:
        self.status.setText(
            self.tr("{0} Nothing was written to the queue.").format(
                str(exc).rstrip(".") + "." if str(exc) else self.tr("The build failed.")
            )
        )

    def _on_result(self, result: object, write: bool) -> None:
        assert isinstance(result, BuildResult)
        self.build_result = result
        self.report.setHtml(self._report_html(result, write))
        calls = sum(len(p.assignments) for p in result.plans)
        if write:
            self.status.setText(
                self.tr("%n call(s) added to the queue.", "", result.added)
                if result.added
                else self.tr("Nothing was added: every rule's quota of the period is met already.")
            )
            self.changes = Changes(programme=True)
            self.built.emit(self.changes)
        else:
            self.status.setText(
                self.tr("A build would queue %n call(s). Press Build to write them.", "", calls)
            )
            self.previewed.emit(result)

    def _report_html(self, result: BuildResult, write: bool) -> str:
        # Each line takes the layout's direction, not its first name's (a Persian name
        # first made an English sentence right-to-left).
        mark = "\u200f" if self.layoutDirection() == Qt.LayoutDirection.RightToLeft else "\u200e"

        def esc(text: str) -> str:
            return mark + html.escape(text)

        parts = [f"<h3>{esc(self.tr('Per rule'))}</h3><ul>"]
        for plan in result.plans:
            parts.append(
                "<li>"
                + esc(self.tr("{0}: %n call(s)", "", len(plan.assignments)).format(plan.rule.name))
                + "</li>"
            )
        parts.append(f"</ul><h3>{esc(self.tr('Per reviewer'))}</h3><ul>")
        for name, count in result.per_reviewer:
            parts.append("<li>" + esc(self.tr("{0}: %n call(s)", "", count).format(name)) + "</li>")
        if result.unassigned:
            parts.append(
                "<li>"
                + esc(self.tr("Nobody (unassigned): %n call(s)", "", result.unassigned))
                + "</li>"
            )
        if not result.per_reviewer and not result.unassigned:
            parts.append("<li>" + esc(self.tr("No calls to give")) + "</li>")
        parts.append("</ul>")
        problems = result.problems
        heading = self.tr("%n problem(s)", "", len(problems))
        parts.append(f"<h3>{esc(heading)}</h3>")
        if problems:
            parts.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
        else:
            parts.append("<p>" + esc(self.tr("Every rule's quota can be met.")) + "</p>")
        return "".join(parts)

    def problems_text(self) -> str:
        return self.report.toPlainText()

    # ---------------------------------------------------------------- closing
    def done(self, result: int) -> None:
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            self._job.wait()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            self._job.wait()
        super().closeEvent(event)
