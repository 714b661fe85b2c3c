"""Settings ▸ Team: how this database meets its team (off, a shared folder, a team
server), how often it syncs, and who this installation is.

Rules:
- Nothing is stored until Save (or Enter in a field); what keeps the settings from
  working is said under the fields (``TeamSettings.problems``), never in a pop-up.
- Test connection runs on a worker with the settings as typed and says what it found
  in place; the screen stays usable meanwhile.
- The server password is never stored in the database: it goes with Test connection
  and, after Save, with this session's syncs (``passwordGiven``); the team server
  keeps it in libpq's password file.
- Mnemonics avoid the menu bar's letters (F, E, D, V, H) and the other groups' (T, B, L).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.services.sync_conflicts import short_site
from qa_monitor.services.team_sync import MAX_INTERVAL, MIN_INTERVAL, SyncMode, TeamSettings
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import em, ltr
from qa_monitor.ui.workers import Job, JobControl


class TeamSettingsGroup(QGroupBox):
    saved = Signal(object)  # Changes
    passwordGiven = Signal(str)  # for this session's syncs; never stored here
    said = Signal(str)  # a sentence for the screen's status line

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(self.tr("Team"), parent)
        self.session = session
        self.setObjectName("teamSettings")
        self.setAccessibleName(self.tr("Team"))
        self.captions: list[QLabel] = []
        self.side_buttons: list[QPushButton] = []  # beside fields; the screen lines them up
        self.test_job: Job | None = None
        self._site_id = ""
        self._sslmode = TeamSettings().sslmode  # not shown: kept as stored
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Share evaluations with your team through a shared folder or a team "
                "server. Scoring stays offline; changes travel at each sync."
            )
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        self._layout = layout
        self._build_fields()
        self.problems = FieldError()
        layout.addWidget(self.problems)
        self.test_result = QLabel()
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.setAccessibleName(self.tr("Connection test result"))
        self.test_result.hide()
        layout.addWidget(self.test_result)
        buttons = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test &connection"))
        self.test_button.setToolTip(self.tr("Try the settings as typed, without saving them"))
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = QPushButton(self.tr("Save team settin&gs"))
        self.save_button.setDefault(False)
        self.save_button.setToolTip(self.tr("Store the settings (Enter in any field)"))
        self.save_button.clicked.connect(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.refresh()

    # ---------------------------------------------------------------- building
    def _section(self) -> QWidget:
        """A part of the form shown or hidden as a whole (QFormLayout.setRowVisible
        leaves the word-wrapped rows of a group box squeezed after a mode change);
        the screen lines up the captions of all parts."""
        section = QWidget()
        self.form = QFormLayout(section)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.addWidget(section)
        return section

    def _caption(self, text: str, buddy: QWidget, field: QWidget, note: str = "") -> QLabel:
        caption = QLabel(text)
        caption.setBuddy(buddy)
        self.captions.append(caption)
        buddy.setAccessibleName(text.replace("&", "").rstrip(":"))
        if note:
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(em(self, 0.25))
            column.addWidget(field)
            hint = QLabel(note)
            hint.setWordWrap(True)
            hint.setProperty("role", "muted")
            column.addWidget(hint)
            field = box
        self.form.addRow(caption, field)
        return caption

    def _line(self) -> QLineEdit:
        edit = QLineEdit()
        edit.returnPressed.connect(self.save)
        edit.textEdited.connect(lambda _t: self._edited())
        return edit

    def _build_fields(self) -> None:
        self._section()
        self.mode = QComboBox()
        for mode, text in (
            (SyncMode.OFF, self.tr("Off: this database stays on this computer")),
            (SyncMode.FOLDER, self.tr("A shared team folder")),
            (SyncMode.SERVER, self.tr("A team server (PostgreSQL)")),
        ):
            self.mode.addItem(text, mode.value)
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self._caption(self.tr("&Sync through:"), self.mode, self.mode)

        self.folder_section = self._section()
        self.folder = self._line()
        self.folder.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # paths read LTR
        self.folder.setPlaceholderText(self.tr("A folder every team member can reach"))
        self.browse = QPushButton(self.tr("B&rowse…"))
        self.browse.setAccessibleName(self.tr("Choose the team folder"))
        self.browse.clicked.connect(self.choose_folder)
        folder_row = QWidget()
        line = QHBoxLayout(folder_row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder, 1)
        line.addWidget(self.browse)
        self.side_buttons.append(self.browse)
        self._caption(
            self.tr("Team f&older:"),
            self.folder,
            folder_row,
            self.tr(
                "A network share, a synced cloud folder or a USB stick. Each computer "
                "writes only its own files there. Choose an empty folder to start a team."
            ),
        )

        self.server_section = self._section()
        self.host = self._line()
        self.host.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self._caption(self.tr("Server &address:"), self.host, self.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setGroupSeparatorShown(False)
        self.port.valueChanged.connect(lambda _v: self._edited())
        self._caption(self.tr("&Port:"), self.port, self.port)
        self.database = self._line()
        self.database.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self._caption(self.tr("Database na&me:"), self.database, self.database)
        self.user = self._line()
        self.user.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self._caption(self.tr("&User name:"), self.user, self.user)
        self.password = self._line()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self._caption(
            self.tr("Pass&word:"),
            self.password,
            self.password,
            self.tr(
                "Kept in this computer's PostgreSQL password file, never in the "
                "database. Leave it empty when it is saved already."
            ),
        )
        self.interval_section = self._section()
        self.interval = QSpinBox()
        self.interval.setRange(MIN_INTERVAL, MAX_INTERVAL)
        self.interval.valueChanged.connect(lambda _v: self._edited())
        self._caption(
            self.tr("Sync ever&y (minutes):"),
            self.interval,
            self.interval,
            self.tr("QA Monitor also syncs when it closes, and with Sync now (F5)."),
        )
        self._section()
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._caption(self.tr("You on the team:"), self.identity, self.identity)
        self.site = QLineEdit()
        self.site.setReadOnly(True)
        self.site.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.copy_site = QPushButton(self.tr("Copy"))
        self.copy_site.setAccessibleName(self.tr("Copy this installation's id"))
        self.copy_site.setToolTip(self.tr("Puts the full id on the clipboard"))
        self.copy_site.clicked.connect(self.copy_site_id)
        site_row = QWidget()
        line = QHBoxLayout(site_row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.site, 1)
        line.addWidget(self.copy_site)
        self.side_buttons.append(self.copy_site)
        self._caption(
            self.tr("This installation:"),
            self.site,
            site_row,
            self.tr("Sync problems and conflicts name installations by this short id."),
        )

    # ---------------------------------------------------------------- values
    def refresh(self) -> None:
        """Show the stored settings and who this installation is."""
        service = self.session.services.team_sync
        settings = service.team_settings()
        widgets = [self.mode, self.port, self.interval]
        for widget in widgets:
            widget.blockSignals(True)
        self.mode.setCurrentIndex(max(0, self.mode.findData(settings.mode.value)))
        self._sslmode = settings.sslmode
        self.folder.setText(settings.folder)
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.database.setText(settings.database)
        self.user.setText(settings.user)
        self.interval.setValue(
            min(max(settings.interval_minutes, MIN_INTERVAL), MAX_INTERVAL)
        )
        for widget in widgets:
            widget.blockSignals(False)
        self._sites()
        self._mode_changed(edited=False)

    def _sites(self) -> None:
        site, identity = self.session.services.team_sync.identity()
        self._site_id = site
        self.site.setText(short_site(site))
        self.site.setToolTip(ltr(site))
        self.site.setAccessibleDescription(site)
        self.show_identity(identity)

    def show_identity(self, identity: str) -> None:
        mode = self.current_settings().mode
        if mode is SyncMode.OFF:
            text = self.tr("Team sync is off: this database is yours alone.")
        elif identity:
            text = self.tr("Signed in to the team server as {0}.").format(identity)
        elif mode is SyncMode.SERVER:
            text = self.tr(
                "Not known yet: the team server says who you are and what your role "
                "allows when you test the connection or sync."
            )
        else:
            text = self.tr(
                "A team folder has no sign-in and no roles: everyone who can open the "
                "folder shares everything in it. Use a team server for roles."
            )
        self.identity.setText(text)

    def current_settings(self) -> TeamSettings:
        return TeamSettings(
            mode=SyncMode(self.mode.currentData()),
            folder=self.folder.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            sslmode=self._sslmode,
            interval_minutes=self.interval.value(),
        )

    def _mode_changed(self, *, edited: bool = True) -> None:
        mode = SyncMode(self.mode.currentData())
        self.folder_section.setVisible(mode is SyncMode.FOLDER)
        self.server_section.setVisible(mode is SyncMode.SERVER)
        self.interval_section.setVisible(mode is not SyncMode.OFF)
        self.test_button.setEnabled(mode is not SyncMode.OFF)
        self.show_identity(self.session.services.team_sync.identity()[1])
        if edited:
            self._edited()

    def _edited(self) -> None:
        """Problems shown stay until the fields say otherwise; the test result is stale."""
        if self.problems.isVisible():
            problems = self.current_settings().problems()
            if problems:
                self.problems.show_message(" ".join(problems))
            else:
                self.problems.clear()
        self.test_result.hide()

    # ---------------------------------------------------------------- actions
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the team folder"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)
            self._edited()
            self.folder.setFocus()

    def copy_site_id(self) -> None:
        QGuiApplication.clipboard().setText(self._site_id)
        self.said.emit(self.tr("Copied this installation's id ({0}).").format(ltr(self._site_id)))

    def save(self) -> bool:
        settings = self.current_settings()
        problems = settings.problems()
        if problems:
            self.problems.show_message(" ".join(problems))
            return False
        self.problems.clear()
        changes = self.session.services.team_sync.save_team_settings(settings)
        if self.password.text():
            self.passwordGiven.emit(self.password.text())
        self.said.emit(
            {
                SyncMode.OFF: self.tr("Saved: team sync is off."),
                SyncMode.FOLDER: self.tr(
                    "Saved: this database syncs through the team folder every {0} minutes."
                ).format(settings.interval_minutes),
                SyncMode.SERVER: self.tr(
                    "Saved: this database syncs with the team server every {0} minutes."
                ).format(settings.interval_minutes),
            }[settings.mode]
        )
        self.saved.emit(changes)
        return True

    def test_connection(self) -> None:
        if self.test_job is not None and self.test_job.is_running():
            return
        settings = self.current_settings()
        problems = settings.problems()
        if problems:
            self.problems.show_message(" ".join(problems))
            return
        password = self.password.text() or None
        service = self.session.services.team_sync

        def work(_control: JobControl) -> str:
            return service.test_connection(settings, password)

        self.test_job = Job(work, parent=self)
        self.test_job.succeeded.connect(lambda text: self._tested(str(text), ok=True))
        self.test_job.failed.connect(lambda exc: self._tested(str(exc), ok=False))
        self.test_button.setEnabled(False)
        self._show_test(self.tr("Testing the connection…"))
        self.test_job.start()

    def _tested(self, text: str, *, ok: bool) -> None:
        self.test_button.setEnabled(True)
        if ok:
            self._show_test(self.tr("Connection works: {0}").format(sentence(text)))
        else:
            self._show_test(self.tr("Connection failed: {0}").format(sentence(text)))
        self.show_identity(self.session.services.team_sync.identity()[1])

    def _show_test(self, text: str) -> None:
        self.test_result.setText(text)
        self.test_result.setAccessibleDescription(text)
        self.test_result.show()

    def stop(self) -> None:
        """Before the database goes: let a running test finish (it is bounded by the
        transport's own timeouts) so no result arrives for a closed screen."""
        if self.test_job is not None and self.test_job.is_running():
            self.test_job.wait(10)
