"""The main window: navigation between screens, menus, status bar, database switching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QWidget,
)

from qa_monitor import __version__, paths
from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Changes
from qa_monitor.ui import icons
from qa_monitor.ui.data_menu import build_data_menu
from qa_monitor.ui.database_menu import build_database_menu
from qa_monitor.ui.dialogs.reviewer_dialog import ReviewerDialog
from qa_monitor.ui.dialogs.user_guide_dialog import UserGuideDialog
from qa_monitor.ui.drill_down import EvaluationIds
from qa_monitor.ui.lazy_screens import LazyScreens
from qa_monitor.ui.screen_shortcuts import screen_shortcuts, window_shortcuts
from qa_monitor.ui.session import Session, open_session, recent_databases, set_reviewer
from qa_monitor.ui.team_sync_runner import FIRST_SYNC_DELAY_MS
from qa_monitor.ui.team_sync_ui import TeamSyncUi
from qa_monitor.ui.widgets.shortcut_help_widget import ShortcutHelpDialog

# Text fields take some keys for editing on some platforms (Ctrl+E is "end of line" in a
# line edit on Linux desktops); these classes never get the window's menu keys.
_TEXT_FIELDS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QComboBox)

# The daily backup waits until the window has settled (the first sync waits longer).
DAILY_BACKUP_DELAY_MS = 8_000

# The screens that read again when a screen reports a change (its ``changed`` signal),
# in the order they always did. The Evaluations screen changes statuses (discarded
# drafts, the agent's answers); a re-review changes an evaluation's answers, score and
# status; a dispute recorded elsewhere, a renamed person or a new deadline changes the
# queue; coaching started from an evaluation or a profile shows in both; the Forms
# screen shows evaluation counts per version and publishers' names; reviewer quality
# reads evaluations, re-reviews and the roster.
# fmt: off
READ_AGAIN: dict[str, tuple[str, ...]] = {
    "evaluate": (
        "evaluations", "dashboard", "forms", "profile", "disputes", "queue", "outcomes",
        "reviewers", "coaching", "calibration",
    ),
    "evaluations": (
        "dashboard", "profile", "disputes", "queue", "outcomes", "reviewers", "coaching",
        "calibration",
    ),
    "people": (
        "evaluations", "settings", "dashboard", "forms", "profile", "disputes", "queue",
        "reviewers", "coaching", "calibration",
    ),
    "settings": (
        "evaluations", "dashboard", "profile", "disputes", "queue", "outcomes", "coaching",
        "calibration",
    ),
    "forms": ("evaluations", "dashboard", "queue", "calibration"),
    "disputes": ("evaluations", "dashboard", "profile", "reviewers", "coaching"),
    "queue": ("evaluations", "dashboard"),
    "coaching": ("profile", "evaluations"),
    "calibration": ("evaluations", "reviewers", "forms"),
}
# fmt: on


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str
    icon: str
    build: Callable[[Session, QWidget], QWidget]
    # None: the next Ctrl+<digit> in the list's order (Ctrl+1 ... Ctrl+9, Ctrl+0).
    shortcut: str | None = None


class _MenuKeys(QObject):
    """Keeps the menus' shortcuts (Ctrl+E, Ctrl+N, Ctrl+1 …) working whatever has the
    focus in the window: a text field that claims such a key for editing (it accepts the
    ShortcutOverride) would otherwise swallow it, so Ctrl+E moved the cursor instead of
    exporting. Only the window's own menu keys are released; editing keys stay."""

    def __init__(self, window: QMainWindow, keys: Callable[[], set[QKeySequence]]):
        super().__init__(window)
        self.window_ = window
        self.keys = keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and isinstance(watched, _TEXT_FIELDS)
            and watched.window() is self.window_
            and QKeySequence(event.keyCombination()) in self.keys()
        ):
            event.ignore()
            return True  # not accepted: the shortcut map runs the menu's action
        return False


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: Session,
        *,
        ask_reviewer: bool = True,
        first_sync_delay_ms: int = FIRST_SYNC_DELAY_MS,
        auto_backup: bool = False,
    ):
        """``auto_backup``: back up daily when a database opens and when the window
        closes (the app's own window, from run_app; a test's window only if asked)."""
        super().__init__()
        self.session = session
        self.auto_backup = auto_backup
        self._closing_synced = False
        self.setWindowTitle(self.tr("QA Monitor"))
        self.setMinimumSize(QSize(960, 640))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Screens"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 14)
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.db_label = QLabel()
        self.reviewer_label = QLabel()
        self.team_sync = TeamSyncUi(
            self,
            apply_changes=self.apply_changes,
            show_team_settings=self.show_team_settings,
            open_evaluation=self._open_evaluation,
            first_delay_ms=first_sync_delay_ms,
        )
        self.statusBar().addPermanentWidget(self.team_sync.indicator)
        self.statusBar().addPermanentWidget(self.reviewer_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self._specs = self._screen_specs()
        self.screens = LazyScreens([], self._build_screen, self._wire_screen)
        self._build_menus()
        self._menu_keys = _MenuKeys(self, self.menu_shortcuts)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._menu_keys)
        self.team_sync.attach(session)
        self._build_screens()
        self.nav.currentRowChanged.connect(self._show_row)
        self._restore_state()  # builds the screen shown first, and only that one
        if auto_backup:
            QTimer.singleShot(DAILY_BACKUP_DELAY_MS, self, self._daily_backup)
        self._say_if_partly_checked()
        if ask_reviewer and session.reviewer_id is None:
            self.choose_reviewer()
        self._update_status()

    # ------------------------------------------------------------------ screens
    def _screen_specs(self) -> list[ScreenSpec]:
        return [
            ScreenSpec(
                "evaluate",
                self.tr("Evaluate"),
                "mdi6.clipboard-check-outline",
                self._build_evaluate,
            ),
            ScreenSpec("queue", self.tr("My queue"), "mdi6.tray-full", self._build_queue),
            ScreenSpec(
                "evaluations",
                self.tr("Evaluations"),
                "mdi6.format-list-bulleted",
                self._build_evaluations,
            ),
            ScreenSpec(
                "disputes",
                self.tr("Disputes"),
                "mdi6.scale-balance",
                self._build_disputes,
            ),
            ScreenSpec(
                "coaching",
                self.tr("Coaching"),
                "mdi6.account-voice",
                self._build_coaching,
            ),
            ScreenSpec("dashboard", self.tr("Dashboard"), "mdi6.chart-line", self._build_dashboard),
            ScreenSpec(
                "outcomes",
                self.tr("Customer outcomes"),
                "mdi6.account-heart-outline",
                self._build_outcomes,
                "Ctrl+Shift+U",
            ),
            ScreenSpec(
                "reviewers",
                self.tr("Reviewer quality"),
                "mdi6.account-check-outline",
                self._build_reviewer_quality,
                "Ctrl+Shift+Q",
            ),
            ScreenSpec(
                "calibration",
                self.tr("Calibration"),
                "mdi6.account-multiple-check-outline",
                self._build_calibration,
                "Ctrl+Shift+L",
            ),
            ScreenSpec(
                "profile",
                self.tr("Agent profile"),
                "mdi6.account-details-outline",
                self._build_profile,
            ),
            ScreenSpec("forms", self.tr("Forms"), "mdi6.form-select", self._build_forms),
            ScreenSpec(
                "people", self.tr("People"), "mdi6.account-group-outline", self._build_people
            ),
            ScreenSpec("settings", self.tr("Settings"), "mdi6.cog-outline", self._build_settings),
        ]

    def _build_evaluate(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.evaluate_screen import EvaluateScreen

        return EvaluateScreen(session, parent)

    def _build_queue(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.queue_screen import QueueScreen

        return QueueScreen(session, parent)

    def _build_reviewer_quality(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.reviewer_quality_screen import ReviewerQualityScreen

        return ReviewerQualityScreen(session, parent)

    def _build_calibration(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.calibration_screen import CalibrationScreen

        return CalibrationScreen(session, parent)

    def _build_coaching(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.coaching_screen import CoachingScreen

        return CoachingScreen(session, parent)

    def _build_evaluations(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.evaluations_screen import EvaluationsScreen

        return EvaluationsScreen(session, parent)

    def _build_disputes(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.disputes_screen import DisputesScreen

        return DisputesScreen(session, parent)

    def _build_dashboard(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.dashboard_screen import DashboardScreen

        return DashboardScreen(session, parent)

    def _build_outcomes(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.outcomes_screen import OutcomesScreen

        return OutcomesScreen(session, parent)

    def _build_profile(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.agent_profile_screen import AgentProfileScreen

        return AgentProfileScreen(session, parent)

    def _build_forms(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.forms_screen import FormsScreen

        return FormsScreen(session, parent)

    def _build_people(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.people_screen import PeopleScreen

        return PeopleScreen(session, parent)

    def _build_settings(self, session: Session, parent: QWidget) -> QWidget:
        from qa_monitor.ui.screens.settings_screen import SettingsScreen

        return SettingsScreen(session, parent)

    def _build_screens(self) -> None:
        """List every screen in the navigation; build none yet (``LazyScreens``)."""
        self.nav.clear()
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.screens = LazyScreens(
            [spec.key for spec in self._specs], self._build_screen, self._wire_screen
        )
        for spec in self._specs:
            item = QListWidgetItem(
                icons.icon(spec.icon, color=self.palette().text().color()), spec.title
            )
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self._fit_navigation()

    def _build_screen(self, key: str) -> QWidget:
        spec = next(spec for spec in self._specs if spec.key == key)
        widget = spec.build(self.session, self.stack)
        self.stack.addWidget(widget)
        # The window's F1 lists every screen's keys; a screen's own F1 (Evaluate's,
        # for when it stands alone) would make the key ambiguous, so neither ran.
        for shortcut in widget.findChildren(QShortcut):
            if shortcut.key() == QKeySequence(Qt.Key.Key_F1):
                shortcut.setEnabled(False)
        return widget

    def _fit_navigation(self) -> None:
        """Wide enough for its longest screen name (in any language), never narrower than
        14 ems: a name that did not fit ("Customer outcomes") was cut and the list
        scrolled sideways."""
        em = self.fontMetrics().horizontalAdvance("M")
        needed = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + em
        self.nav.setFixedWidth(max(em * 14, needed))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _wire_screen(self, key: str, screen: QWidget) -> None:
        """Connect what a screen just built asks of the others. Each request goes to a
        window method that shows (so builds) its target; a change reaches the screens
        built so far (``_screen_changed``). Made when the asking screen is built, so the
        order screens are built in does not matter."""
        changed = getattr(screen, "changed", None)
        if changed is not None:
            changed.connect(lambda changes, source=key: self._screen_changed(source, changes))
        for signal, slot in self._requests(key).items():
            getattr(screen, signal).connect(slot)
        if key == "settings":
            # Who the team server says we are, shown on Settings ▸ Team (read from the
            # database when Settings is built, so a status before then is not lost).
            runner = self.team_sync.runner
            if runner is not None:
                runner.statusChanged.connect(
                    lambda status: screen.team.show_identity(status.identity)  # type: ignore[attr-defined]
                )

    def _requests(self, key: str) -> dict[str, Callable[..., object]]:
        """A screen's signals asking for another screen (or the window), and the window
        method that answers each."""
        requests: dict[str, dict[str, Callable[..., object]]] = {
            "evaluations": {"openRequested": self._open_evaluation},
            "dashboard": {
                "drillDown": self._show_evaluations_filtered,
                "evaluationsRequested": self._show_evaluations,
                "agentProfileRequested": self.show_agent_profile,
            },
            "people": {"agentProfileRequested": self.show_agent_profile},
            "profile": {
                "evaluationsRequested": self._show_evaluations,
                "openEvaluationRequested": self._open_evaluation,
                "exportFeedbackRequested": self._export_feedback,
                # Coaching: started from a profile, shown on the Coaching screen.
                "coachingRequested": self._new_coaching_session,
                "coachingSessionRequested": self._show_coaching_session,
            },
            "disputes": {"openEvaluationRequested": self._open_evaluation},
            # The review queue: a queued call opens on Evaluate; a submit there marks it.
            "queue": {"openEvaluationRequested": self._open_evaluation},
            # Customer outcomes: a period's or an agent's row lists its evaluations.
            "outcomes": {"drillDown": self._show_evaluations_filtered},
            "coaching": {"openEvaluationRequested": self._open_evaluation},
            # Calibration: a session's draft opens on Evaluate, whose submit joins the
            # session; a note on guidance opens the form's draft on Forms.
            "calibration": {
                "openEvaluationRequested": self._open_evaluation,
                "formDraftRequested": self._show_form_draft,
            },
            # Settings ▸ Team drives the team sync runner.
            "settings": {
                "teamSaved": self.team_sync.settings_saved,
                "passwordGiven": self.team_sync.set_password,
            },
        }
        return requests.get(key, {})

    def _screen_changed(self, source: str, changes: Changes | None) -> None:
        """A screen stored a change: the screens that show it read again (those built;
        the others read everything when built), and team sync learns of it."""
        for key in READ_AGAIN.get(source, ()):
            target = self.screens.if_built(key)
            if target is None:
                continue
            if source == "evaluate" and key == "evaluations":
                # Always, whatever the change says (as since the first window).
                target.refresh()  # type: ignore[attr-defined]
                continue
            if source == "people" and key == "profile":
                target.reload_agents(changes)  # type: ignore[attr-defined]
            target.refresh(changes)  # type: ignore[attr-defined]
        if source == "people":
            self._update_status()  # the reviewer's name may have changed
        # What changed here waits to be sent.
        self.team_sync.local_change(changes)

    def _export_feedback(self, agent_id: int) -> None:
        self.data_menu.make_feedback_export(agent_id).exec()

    def show_team_settings(self) -> None:
        screen = self.show_screen("settings")
        screen.show_team()  # type: ignore[attr-defined]

    def _show_evaluations_filtered(self, flt: EvaluationFilter, reason: str = "") -> None:
        screen = self.show_screen("evaluations")
        screen.show_filter(flt, drill_down=True, reason=reason)  # type: ignore[attr-defined]

    def _show_evaluations(self, ids: tuple[int, ...]) -> None:
        """Evaluations another screen picked (``EvaluationIds``: with what they are)."""
        if isinstance(ids, EvaluationIds):
            self._show_evaluations_filtered(ids.as_filter(), ids.reason)
        else:
            self._show_evaluations_filtered(EvaluationFilter(evaluation_ids=tuple(ids)))

    def show_agent_profile(self, agent_id: int) -> None:
        screen = self.show_screen("profile")
        screen.show_agent(agent_id)  # type: ignore[attr-defined]

    def _new_coaching_session(self, agent_id: int) -> None:
        screen = self.show_screen("coaching")
        screen.new_session(agent_id=agent_id)  # type: ignore[attr-defined]

    def _show_coaching_session(self, session_id: int) -> None:
        screen = self.show_screen("coaching")
        screen.show_session(session_id)  # type: ignore[attr-defined]

    def _show_form_draft(self, form_id: str, question_id: str) -> None:
        screen = self.show_screen("forms")
        screen.show_draft(form_id, question_id)  # type: ignore[attr-defined]

    def _open_evaluation(self, evaluation_id: int) -> None:
        screen = self.show_screen("evaluate")
        screen.open_evaluation(evaluation_id)  # type: ignore[attr-defined]

    def _show_row(self, row: int) -> None:
        """Show the screen of navigation row ``row``, building it the first time."""
        if 0 <= row < len(self._specs):
            self.stack.setCurrentWidget(self.screens[self._specs[row].key])

    def _close_screens(self) -> None:
        """Let each screen save pending work and stop its timers before the database
        goes (a screen never built has neither: none is built to be closed)."""
        for _key, screen in self.screens.built():
            flush = getattr(screen, "flush", None)
            if callable(flush):
                flush()
            screen.close()

    def show_screen(self, key: str) -> QWidget:
        """Show the screen ``key`` (built now if it never was) and return it."""
        index = [s.key for s in self._specs].index(key)
        self.nav.setCurrentRow(index)
        self._show_row(index)  # also when the row was current already
        return self.screens[key]

    def enter_screen(self, key: str) -> QWidget:
        """Show a screen from the keyboard and put the focus in it: where it was when
        the screen was last left, else on its first field or list (the navigation list
        kept it before, so typing went to the list's search)."""
        screen = self.show_screen(key)
        previous = screen.focusWidget()
        if previous is not None and previous.isVisible() and previous.isEnabled():
            previous.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return screen
        for child in screen.findChildren(QWidget):
            if (
                child.isVisible()
                and child.isEnabled()
                and child.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                child.setFocus(Qt.FocusReason.ShortcutFocusReason)
                break
        return screen

    def current_screen_key(self) -> str:
        return self._specs[max(self.nav.currentRow(), 0)].key

    # ------------------------------------------------------------------ menus
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | None = None,
        icon: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{text.replace('&', '')} ({action.shortcut().toString()})")
        if icon:
            action.setIcon(icons.icon(icon, color=self.palette().text().color()))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(
            self._action(self.tr("&New database…"), self.new_database, "Ctrl+Shift+N")
        )
        file_menu.addAction(
            self._action(
                self.tr("&Open database…"), self.open_database, QKeySequence.StandardKey.Open
            )
        )
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addActions(self.team_sync.actions)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        )

        eval_menu = bar.addMenu(self.tr("&Evaluation"))
        eval_menu.addAction(
            self._action(
                self.tr("&New evaluation…"),
                self._new_evaluation,
                QKeySequence.StandardKey.New,
                "mdi6.plus",
            )
        )
        eval_menu.addAction(self._action(self.tr("Change &reviewer…"), self.choose_reviewer))

        self.data_menu = build_data_menu(
            self, bar, lambda: self.session, self._export_filter, self.apply_changes
        )
        self.database_menu = build_database_menu(self, lambda: self.session, self._reopen_database)

        view_menu = bar.addMenu(self.tr("&View"))
        digit = 0
        for spec in self._specs:
            if spec.shortcut is None:
                digit += 1
            view_menu.addAction(
                self._action(
                    spec.title,
                    lambda key=spec.key: self.enter_screen(key),
                    spec.shortcut or f"Ctrl+{digit % 10}",  # the tenth is Ctrl+0
                    spec.icon,
                )
            )

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(
            self._action(
                self.tr("&Keyboard shortcuts of this screen"),
                self.show_shortcuts,
                "F1",
                "mdi6.keyboard-outline",
            )
        )
        help_menu.addAction(
            self._action(
                self.tr("&User guide"), self.show_user_guide, "Shift+F1", "mdi6.book-open-outline"
            )
        )
        help_menu.addSeparator()
        help_menu.addAction(self._action(self.tr("&About QA Monitor"), self.show_about))

    def menu_shortcuts(self) -> set[QKeySequence]:
        """Every key of the menu bar's actions (the window's own shortcuts)."""
        keys: set[QKeySequence] = set()
        actions = list(self.menuBar().actions())
        while actions:
            action = actions.pop()
            menu = action.menu()
            if isinstance(menu, QMenu):
                actions.extend(menu.actions())
            keys.update(k for k in action.shortcuts() if not k.isEmpty())
        return keys

    def show_shortcuts(self) -> None:
        """F1: the keys of the screen shown, then those that work on every screen."""
        self.shortcut_dialog().exec()

    def shortcut_dialog(self) -> ShortcutHelpDialog:
        key = self.current_screen_key()
        screen = self.screens[key]
        own = getattr(screen, "shortcut_groups", None)
        groups = list(own()) if callable(own) else screen_shortcuts(key)
        digit, moves = 0, []
        for spec in self._specs:
            if spec.shortcut is None:
                digit += 1
            moves.append((spec.title, spec.shortcut or f"Ctrl+{digit % 10}"))
        groups.append(window_shortcuts(moves))
        dialog = ShortcutHelpDialog(self, groups)
        dialog.setWindowTitle(self.tr("Keyboard shortcuts — {0}").format(self._title(key)))
        return dialog

    def _title(self, key: str) -> str:
        return next(spec.title for spec in self._specs if spec.key == key)

    def show_user_guide(self) -> None:
        UserGuideDialog(self).exec()

    def _export_filter(self) -> EvaluationFilter:
        # What the Evaluations screen shows, also when it was never opened: built now, it
        # has the filter it starts with (an export is rare; a guessed filter is wrong).
        current = getattr(self.screens["evaluations"], "current_filter", None)
        return current() if callable(current) else EvaluationFilter()

    def apply_changes(self, changes: Changes) -> None:
        """Refresh every screen after a change made outside them (an import, a sync);
        a screen not built yet reads everything when it is."""
        for _key, screen in self.screens.built():
            refresh = getattr(screen, "refresh", None)
            if callable(refresh):
                refresh(changes)
        self._update_status()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = recent_databases()
        if not recent:
            self.recent_menu.addAction(self.tr("No recent databases")).setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self.switch_database(Path(p)))

    def _new_evaluation(self) -> None:
        screen = self.show_screen("evaluate")
        start = getattr(screen, "start_new", None)
        if callable(start):
            start()

    # ------------------------------------------------------------------ actions
    def choose_reviewer(self) -> None:
        dialog = ReviewerDialog(self.session.services, self.session.reviewer_id, self)
        if dialog.exec() and dialog.reviewer_id is not None:
            self.switch_reviewer(dialog.reviewer_id)

    def switch_reviewer(self, reviewer_id: int) -> None:
        """Make ``reviewer_id`` who reviews on this computer and show the screens as
        they see them."""
        set_reviewer(self.session, reviewer_id)
        self._update_status()
        # Who is reviewing decides what blind calibration scoring lets them see.
        for key in ("settings", "evaluations", "calibration"):
            screen = self.screens.if_built(key)
            if screen is not None:
                screen.refresh()  # type: ignore[attr-defined]

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("New database"),
            str(paths.data_dir() / "new.db"),
            self.tr("QA Monitor database (*.db)"),
        )
        if path:
            self.switch_database(Path(path))

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open database"),
            str(paths.data_dir()),
            self.tr("QA Monitor database (*.db);;All files (*)"),
        )
        if path:
            self.switch_database(Path(path))

    def _may_leave_screens(self) -> bool:
        """Ask about unsaved work (a form being edited) before the screens go; only a
        screen that was built can have any."""
        for _key, screen in self.screens.built():
            maybe_leave = getattr(screen, "maybe_leave", None)
            if callable(maybe_leave) and not maybe_leave():
                return False
        return True

    def switch_database(self, path: Path) -> bool:
        if not self._may_leave_screens():
            return False
        session = open_session(path, self, switching=True)
        if session is None:
            return False  # the current database stays open
        old = self.session
        if session.path.resolve() == old.path.resolve():
            session.lock, old.lock = old.lock, session.lock  # the same file: keep its lock
        self.team_sync.stop()
        self._close_screens()
        self.session = session
        self.team_sync.attach(session)
        self._build_screens()
        old.close()
        self._say_if_partly_checked()
        self.nav.setCurrentRow(0)
        self._show_row(0)  # built now (the row may not have changed)
        if session.reviewer_id is None:
            self.choose_reviewer()
        self._update_status()
        return True

    def _reopen_database(self, path: Path) -> None:
        """Show ``path`` after a restore or an archive import changed what it holds."""
        self.switch_database(path)

    def _say_if_partly_checked(self) -> None:
        health = getattr(self.session.services.db, "health", None)
        if health is not None and not health.complete:
            self.statusBar().showMessage(
                self.tr(
                    "This database is large, so the check when it opened covered only part "
                    "of it; Database ▸ Check checks all of it."
                ),
                30_000,
            )

    def _daily_backup(self) -> None:
        if self.auto_backup:
            self.database_menu.backup_if_due()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About QA Monitor"),
            self.tr(
                "<h3>QA Monitor {0}</h3><p>Offline quality assurance for contact centres."
                "</p><p>Database: <code>{1}</code><br>Data folder: <code>{2}</code></p>"
            ).format(__version__, self.session.path, paths.data_dir()),
        )

    def _update_status(self) -> None:
        self.db_label.setText(self.tr("Database: {0}").format(self.session.path.name))
        self.db_label.setToolTip(str(self.session.path))
        name = self.tr("none chosen")
        if self.session.reviewer_id is not None:
            name = self.session.services.people.get_reviewer(self.session.reviewer_id).name
        self.reviewer_label.setText(self.tr("Reviewer: {0}").format(name))

    def _close_synced(self) -> None:
        self._closing_synced = True
        self.close()

    # ------------------------------------------------------------------ state
    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        keys = [s.key for s in self._specs]
        last = settings.value("window/screen", "evaluate")
        row = keys.index(last) if last in keys else 0
        self.nav.setCurrentRow(row)
        self._show_row(row)  # built now (the row may not have changed)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave_screens():
            event.ignore()
            return
        if not self._closing_synced and self.team_sync.sync_before_close(self._close_synced):
            event.ignore()  # closes again once the changes waiting were sent
            return
        self.team_sync.stop()
        self._close_screens()
        self.database_menu.wait_for_jobs()
        if self.auto_backup:
            self.auto_backup = False  # a daily backup still waiting must not run now
            self.database_menu.backup_on_close(self.session)
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/screen", self.current_screen_key())
        self.session.close()
        super().closeEvent(event)
