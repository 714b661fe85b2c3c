"""The first start: an empty database opens on a short welcome with four ways forward.

Load the shipped form templates (published at once, ready to score), import a roster (the
Data menu's import), open the demo database (made in the background on first use), or
start empty. Loading forms or importing a roster keeps the welcome open with what was
done, so the other step is one key away; the demo switches the window to the demo
database; "Start empty" (or Esc) closes it. Shown by ``run_app`` only when the database
holds no forms, no agents and no evaluations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QLabel,
    QProgressBar,
    QVBoxLayout,
)

from qa_monitor import paths
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Changes, Services
from qa_monitor.services.import_fields import ImportKind
from qa_monitor.ui.workers import Job, JobControl

if TYPE_CHECKING:
    from qa_monitor.ui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("WelcomeDialog", text)


def is_empty(services: Services) -> bool:
    """No forms, no agents and no evaluations: a database nobody has set up yet."""
    return (
        not services.forms.list_forms()
        and not services.people.list_agents()
        and services.evaluations.count_evaluations(EvaluationFilter()) == 0
    )


def offer_welcome(window: MainWindow) -> WelcomeDialog | None:
    """Show the welcome over ``window`` when its database is empty (non-blocking)."""
    if not window.isVisible() or not is_empty(window.session.services):
        return None
    dialog = WelcomeDialog(window)
    dialog.open()
    return dialog


def _build_demo(path: Path, control: JobControl) -> Path:
    from qa_monitor.services.demo_data import build_demo_database

    build_demo_database(path)
    return path


class WelcomeDialog(QDialog):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self._job: Job | None = None
        self.setObjectName("welcome")
        self.setWindowTitle(tr("Welcome to QA Monitor"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "This database is empty. Choose how to start; you can do the same later "
                "from the Forms and People screens and the Data menu."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.forms_button = self._button(
            tr("&Load the shipped form templates"),
            tr(
                "Publish the evaluation forms that come with QA Monitor, ready to score with. "
                "You can change them on the Forms screen."
            ),
            self.load_forms,
        )
        self.roster_button = self._button(
            tr("&Import a roster…"),
            tr("Add your agents and teams from an Excel or CSV file."),
            self.import_roster,
        )
        self.demo_button = self._button(
            tr("Open the &demo"),
            tr(
                "Look around a separate database filled with realistic example data. "
                "This database stays as it is."
            ),
            self.open_demo,
        )
        self.empty_button = self._button(
            tr("&Start empty"),
            tr("Close this and set things up yourself."),
            self.reject,
        )
        for button in (self.forms_button, self.roster_button, self.demo_button, self.empty_button):
            layout.addWidget(button)
        self.status = QLabel(self)
        self.status.setObjectName("welcomeStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("What was done"))
        self.status.hide()
        layout.addWidget(self.status)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(tr("Making the demo database"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.forms_button.setDefault(True)
        self.forms_button.setFocus()
        # Wide enough that each description wraps to two lines at most (a command link
        # button clips a third).
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 44)

    def _button(
        self, text: str, description: str, slot: Callable[[], object]
    ) -> QCommandLinkButton:
        button = QCommandLinkButton(text, description, self)
        button.setAccessibleDescription(description)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def _done_with(self, button: QCommandLinkButton, next_button: QCommandLinkButton) -> None:
        button.setEnabled(False)
        self.empty_button.setText(tr("&Continue"))
        self.empty_button.setDescription(tr("Close this and start working."))
        next_button.setDefault(True)
        next_button.setFocus()

    # ------------------------------------------------------------------ the four ways
    def load_forms(self) -> None:
        from qa_monitor.formfiles import load_shipped_forms

        services = self.window_.session.services
        titles = []
        for form in load_shipped_forms():
            services.forms.publish_form(form, self.window_.session.reviewer_id)
            titles.append(form.title)
        self.window_.apply_changes(Changes(forms=True))
        self._say(
            tr("Published {0} forms: {1}. They are ready on the Evaluate screen.").format(
                len(titles), ", ".join(titles)
            )
        )
        nxt = self.roster_button if self.roster_button.isEnabled() else self.empty_button
        self._done_with(self.forms_button, nxt)

    def import_roster(self) -> None:
        dialog = self.window_.data_menu.make_import(ImportKind.ROSTER)
        if not dialog.exec():
            return
        agents = len(self.window_.session.services.people.list_agents())
        if agents == 0:
            return
        self._say(tr("The roster is in: {0} agents. See them on the People screen.").format(agents))
        nxt = self.forms_button if self.forms_button.isEnabled() else self.empty_button
        self._done_with(self.roster_button, nxt)

    def open_demo(self) -> None:
        demo = paths.demo_database_path()
        if demo.exists():
            self._switch_to(demo)
            return
        for button in (self.forms_button, self.roster_button, self.demo_button, self.empty_button):
            button.setEnabled(False)
        self._say(tr("Making the demo database; this takes about half a minute…"))
        self.progress.show()
        self._job = Job(lambda control: _build_demo(demo, control), parent=self)
        self._job.succeeded.connect(self._switch_to)
        self._job.failed.connect(self._demo_failed)
        self._job.start()

    def _demo_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        for button in (self.forms_button, self.roster_button, self.demo_button, self.empty_button):
            button.setEnabled(True)
        self._say(
            tr("The demo database could not be made: {0}. This database is unchanged.").format(exc)
        )

    def _switch_to(self, demo: Path) -> None:
        self.progress.hide()
        self.accept()
        self.window_.switch_database(demo)

    def reject(self) -> None:
        if self._job is not None and self._job.is_running():
            return  # the demo is being made: it opens when ready
        super().reject()

    def done(self, result: int) -> None:
        super().done(result)
        if self.window_.session is not None:
            self.window_.show_screen("evaluate")
