"""The status bar's team sync indicator: an icon and a few words ("Synced 2 min ago",
"12 changes waiting", "Syncing… 1,200 of 5,000", "Sync problem: …", "Team sync off"),
the whole story in its tooltip, and a menu (Sync now, Sync conflicts, Team settings)
on a click. The same actions are in the File menu, with their shortcuts, for the
keyboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

from qa_monitor.services.team_sync import SyncStatus
from qa_monitor.ui import icons
from qa_monitor.ui.sync_texts import ICONS, Shown, SyncState, shown
from qa_monitor.ui.widgets.widget_style import danger_color, em

TICK_MS = 30_000  # "2 min ago" moves on without a query


class SyncIndicatorWidget(QToolButton):
    def __init__(
        self,
        actions: Sequence[QAction],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.setMaximumWidth(em(self, 30))
        menu = QMenu(self)
        menu.addActions(list(actions))
        self.setMenu(menu)
        self._now = now
        self.status: SyncStatus | None = None
        self.progress: tuple[int, int] | None = None
        self.problem = ""
        self.zone = "UTC"  # the centre's time zone (set with the database)
        self.current: Shown = shown(None, now())
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self.render)
        self._tick.start()
        self.render()

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        self.render()

    def show_progress(self, progress: tuple[int, int] | None) -> None:
        self.progress = progress
        self.render()

    def show_problem(self, problem: str) -> None:
        """A sync that could not run (or "" once one ran)."""
        self.problem = problem
        self.render()

    def render(self) -> None:
        self.current = shown(
            self.status, self._now(), progress=self.progress, problem=self.problem, zone=self.zone
        )
        state = self.current.state
        color = (
            danger_color(self.palette())
            if state is SyncState.PROBLEM
            else self.palette().windowText().color()
        )
        self.setIcon(icons.icon(ICONS[state], color=color))
        # The words carry the meaning; the icon and its colour only repeat it.
        text = self.fontMetrics().elidedText(
            self.current.text, Qt.TextElideMode.ElideRight, em(self, 26)
        )
        self.setText(text.replace("&", "&&"))  # a name's "&" is not a mnemonic
        self.setToolTip(self.current.tooltip)
        self.setAccessibleName(self.tr("Team sync: {0}").format(self.current.text))
        self.setAccessibleDescription(self.current.tooltip)
