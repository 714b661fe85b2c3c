"""Settings: the centre's time zone and week start (in the database), where the data lives,
who is reviewing, and this computer's language and layout direction (in QSettings)."""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings, QSignalBlocker, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qa_monitor import paths
from qa_monitor.services import Changes, StorageError
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.screens.settings_backups import BackupSettingsGroup
from qa_monitor.ui.screens.settings_calibration import CalibrationSettingsGroup
from qa_monitor.ui.screens.settings_churn_reasons import ChurnReasonsSettingsGroup
from qa_monitor.ui.screens.settings_team import TeamSettingsGroup
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.widget_style import em, ltr

log = logging.getLogger(__name__)
LANGUAGE_KEY = "ui/language"
DIRECTION_KEY = "ui/direction"
LANGUAGES = (("en", "English"),)  # code, the language's own name
DIRECTIONS = ("auto", "ltr", "rtl")
# date.weekday() numbers, in the order the combo lists them: Saturday first.
WEEK_ORDER = (5, 6, 0, 1, 2, 3, 4)


def saved_direction() -> str:
    value = str(QSettings().value(DIRECTION_KEY, "auto"))
    return value if value in DIRECTIONS else "auto"


def direction_for(choice: str, language: str | None = None) -> Qt.LayoutDirection:
    """The layout direction a choice means; "auto" follows the language (else the system)."""
    if choice == "ltr":
        return Qt.LayoutDirection.LeftToRight
    if choice == "rtl":
        return Qt.LayoutDirection.RightToLeft
    locale = QLocale(language) if language else QLocale.system()
    return locale.textDirection()


def apply_saved_direction() -> Qt.LayoutDirection:
    """At start-up: apply the direction chosen in Settings (app.py calls this)."""
    language = str(QSettings().value(LANGUAGE_KEY, "en"))
    direction = direction_for(saved_direction(), language)
    QGuiApplication.setLayoutDirection(direction)
    return direction


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class SettingsScreen(QWidget):
    changed = Signal(object)  # Changes
    teamSaved = Signal(object)  # Changes: Settings ▸ Team stored new team settings
    passwordGiven = Signal(str)  # the team server's password, for this session only

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._zones = sorted(zoneinfo.available_timezones())
        self._captions: list[QLabel] = []
        self._buttons: list[QPushButton] = []
        outer = QVBoxLayout(self)
        title = QLabel(self.tr("Settings"))
        title.setProperty("role", "pageTitle")
        outer.addWidget(title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(em(self, 1))
        self.team = TeamSettingsGroup(session)
        self.team.said.connect(self._say)
        self.team.saved.connect(self.teamSaved)
        self.team.passwordGiven.connect(self.passwordGiven)
        self._captions.extend(self.team.captions)
        self._buttons.extend(self.team.side_buttons)
        self.backups = BackupSettingsGroup(session)
        self.backups.said.connect(self._say)
        self._captions.extend(self.backups.captions)
        self.calibration = CalibrationSettingsGroup(session)
        self.calibration.said.connect(self._say)
        self.calibration.changed.connect(self.changed)
        self._captions.extend(self.calibration.captions)
        self.churn_reasons = ChurnReasonsSettingsGroup(session)
        self.churn_reasons.said.connect(self._say)
        self.churn_reasons.changed.connect(self.changed)
        self._captions.extend(self.churn_reasons.captions)
        groups = (
            self._centre_group(),
            self.calibration,
            self.churn_reasons,
            self.team,
            self._database_group(),
            self.backups,
            self._appearance_group(),
        )
        # The column, not each group, has the maximum width: the layout then measures
        # the word-wrapped notes at the width they get (a group narrower than the
        # column was measured at the column's width and came out squeezed).
        body.setMaximumWidth(em(self, 48))
        for group in groups:
            column.addWidget(group)
        column.addStretch(1)
        self.scroll = scroll
        # One label column and one button width across the groups, so the fields line up.
        for widgets in (self._captions, self._buttons):
            width = max(w.sizeHint().width() for w in widgets)
            for widget in widgets:
                widget.setMinimumWidth(width)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))
        outer.addWidget(self.status)
        self.refresh()

    # ---------------------------------------------------------------- building
    def _form(self, title: str, note: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(title)
        group.setAccessibleName(title)
        layout = QVBoxLayout(group)
        hint = QLabel(note)
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        return group, form

    def _caption(self, form: QFormLayout, label: str, buddy: QWidget, field: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(buddy)
        self._captions.append(caption)
        form.addRow(caption, field)

    def _row(self, form: QFormLayout, label: str, field: QWidget, note: str = "") -> QLabel:
        """A labelled field with a muted note right under it."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(em(self, 0.25))
        column.addWidget(field)
        hint = QLabel(note)
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        column.addWidget(hint)
        self._caption(form, label, field, box)
        return hint

    def _centre_group(self) -> QGroupBox:
        group, form = self._form(
            self.tr("Centre"),
            self.tr("Stored in the database, so everyone who opens it counts days the same way."),
        )
        # Shown to a reviewer's or an agent's login on a team server, which may not
        # change these (the server would refuse it).
        self.centre_locked = QLabel(
            self.tr(
                "Your team's supervisors choose these on the team server; ask one of them "
                "to change them."
            )
        )
        self.centre_locked.setWordWrap(True)
        self.centre_locked.setProperty("role", "muted")
        self.centre_locked.hide()
        form.addRow(self.centre_locked)
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.setAccessibleName(self.tr("Centre time zone"))
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItems(self._zones)
        completer = QCompleter(self._zones, self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.zone.activated.connect(lambda _i: self.apply_zone())
        line_edit = self.zone.lineEdit()
        assert line_edit is not None
        line_edit.editingFinished.connect(self.apply_zone)
        line_edit.textEdited.connect(lambda _t: self.zone_error.clear())
        self.zone_error = FieldError()
        zone_box = QWidget()
        zone_column = QVBoxLayout(zone_box)
        zone_column.setContentsMargins(0, 0, 0, 0)
        zone_column.addWidget(self.zone)
        zone_column.addWidget(self.zone_error)
        self.zone_hint = self._row(form, self.tr("&Time zone:"), zone_box)
        self._captions[-1].setBuddy(self.zone)
        self.week_start = QComboBox()
        self.week_start.setAccessibleName(self.tr("First day of the week"))
        locale = QLocale()
        for weekday in WEEK_ORDER:
            self.week_start.addItem(locale.dayName(weekday + 1), weekday)
        self.week_start.activated.connect(lambda _i: self.apply_week_start())
        self._row(
            form,
            self.tr("First day of the &week:"),
            self.week_start,
            self.tr(
                "Weekly charts and reports start on this day. Iran: Saturday; "
                "Russia and most of Europe: Monday; the United States: Sunday."
            ),
        )
        self.dispute_days = QSpinBox()
        self.dispute_days.setRange(1, 60)
        self.dispute_days.setAccessibleName(
            self.tr("A dispute waits at most this many working days for its re-review")
        )
        # Arrow keys step the value: store it once the steps pause, or on Enter / leaving.
        self._dispute_days_pause = QTimer(self, singleShot=True, interval=600)
        self._dispute_days_pause.timeout.connect(self.apply_dispute_days)
        self.dispute_days.valueChanged.connect(lambda _v: self._dispute_days_pause.start())
        self.dispute_days.editingFinished.connect(self.apply_dispute_days)
        self._row(
            form,
            self.tr("Dispute deadli&ne:"),
            self.dispute_days,
            self.tr(
                "A dispute waits at most this many working days for its re-review, counted "
                "from the day the agent disputed (1 to 60). Disputes already open keep "
                "their deadline."
            ),
        )
        return group

    def _path_row(self, form: QFormLayout, label: str, button_text: str, slot) -> QLineEdit:  # type: ignore[no-untyped-def]
        field = QLineEdit()
        field.setReadOnly(True)
        field.setAccessibleName(label.replace("&", "").rstrip(":"))
        field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # paths read left-to-right
        button = QPushButton(button_text)
        button.setAccessibleName(button_text)
        button.clicked.connect(slot)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(field, 1)
        line.addWidget(button)
        self._caption(form, label, field, row)
        self._buttons.append(button)
        return field

    def _database_group(self) -> QGroupBox:
        group, form = self._form(
            self.tr("Data"),
            self.tr(
                "Back up by copying the database file while QA Monitor is closed. "
                "Open another database with File ▸ Open database (Ctrl+O)."
            ),
        )
        self.database_path = self._path_row(
            form, self.tr("Database fi&le:"), self.tr("Show in folder"), self.show_database_folder
        )
        self.data_folder = self._path_row(
            form, self.tr("Data f&older:"), self.tr("Open folder"), self.show_data_folder
        )
        self.reviewer = QLabel()
        self.reviewer.setAccessibleName(self.tr("Current reviewer"))
        self.reviewer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._row(
            form,
            self.tr("Current reviewer:"),
            self.reviewer,
            self.tr("Change it with Evaluation ▸ Change reviewer…"),
        )
        return group

    def _appearance_group(self) -> QGroupBox:
        group, form = self._form(
            self.tr("Appearance"), self.tr("Stored on this computer, for you only.")
        )
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language"))
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.activated.connect(lambda _i: self.apply_language())
        self._row(
            form,
            self.tr("&Language:"),
            self.language,
            self.tr("More languages will follow; a new language applies at the next start."),
        )
        self.direction = QComboBox()
        self.direction.setAccessibleName(self.tr("Layout direction"))
        for code, text in zip(
            DIRECTIONS,
            (
                self.tr("Automatic (from the language)"),
                self.tr("Left to right"),
                self.tr("Right to left"),
            ),
            strict=True,
        ):
            self.direction.addItem(text, code)
        self.direction.activated.connect(lambda _i: self.apply_direction())
        self._row(
            form,
            self.tr("Layout di&rection:"),
            self.direction,
            self.tr("Right to left mirrors every screen, as for Persian or Arabic."),
        )
        return group

    # ---------------------------------------------------------------- values
    def refresh(self, changes: Changes | None = None) -> None:
        """Show the stored values (after ``changes`` to settings or people, or always)."""
        if changes is not None and not (changes.settings or changes.people):
            return
        centre = self.session.services.settings.centre()
        blockers = [QSignalBlocker(w) for w in (self.zone, self.week_start, self.dispute_days)]
        self.zone.setCurrentText(centre.timezone)
        self.week_start.setCurrentIndex(max(0, self.week_start.findData(centre.week_start)))
        self.dispute_days.setValue(self.session.services.settings.dispute_deadline_days())
        del blockers
        allowed = self.session.services.settings.team_choices_allowed()
        self.zone.setEnabled(allowed)
        self.week_start.setEnabled(allowed)
        self.centre_locked.setVisible(not allowed)
        self._show_zone_time(centre.timezone)
        self.database_path.setText(str(self.session.path))
        self.data_folder.setText(str(paths.data_dir()))
        name = self.tr("none chosen")
        if self.session.reviewer_id is not None:
            try:
                name = self.session.services.people.get_reviewer(self.session.reviewer_id).name
            except StorageError:
                log.warning("Reviewer %s not found", self.session.reviewer_id)
        self.reviewer.setText(name)
        settings = QSettings()
        language = str(settings.value(LANGUAGE_KEY, "en"))
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.direction.setCurrentIndex(self.direction.findData(saved_direction()))
        self.backups.refresh()
        self.calibration.refresh()
        self.churn_reasons.refresh()
        if changes is None:
            self.team.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dispute_days_pause.isActive():
            self.apply_dispute_days()  # a value still waiting to be stored
        self.calibration.stop()
        self.team.stop()  # a connection test still running ends before the database goes
        super().closeEvent(event)

    def show_team(self) -> None:
        """Settings ▸ Team: bring the group into view and put the focus on its first field."""
        self.scroll.ensureWidgetVisible(self.team)
        self.team.mode.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_zone_time(self, zone: str) -> None:
        now = datetime.now(zoneinfo.ZoneInfo(zone))
        offset = now.strftime("%z")
        stamp = QLocale().toString(now.time(), QLocale.FormatType.ShortFormat)
        self.zone_hint.setText(
            self.tr(
                "Now {0} there (UTC{1}). Each call's day is counted in this zone when it is "
                "stored; changing the zone does not move days already stored."
            ).format(ltr(stamp), ltr(f"{offset[:3]}:{offset[3:]}"))
        )

    def _say(self, message: str) -> None:
        self.status.setText(message)
        self.status.setAccessibleDescription(message)

    # ---------------------------------------------------------------- changes
    def apply_zone(self) -> bool:
        zone = self.zone.currentText().strip()
        if zone == self.session.services.settings.centre().timezone:
            self.zone_error.clear()
            return True
        try:
            changes = self.session.services.settings.set_timezone(zone)
        except ValueError as exc:
            self.zone_error.show_message(sentence(str(exc)) + " " + self.tr("Nothing was changed."))
            return False
        self.zone_error.clear()
        self._show_zone_time(zone)
        self._say(self.tr("Saved: the centre's time zone is now {0}.").format(ltr(zone)))
        self.changed.emit(changes)
        return True

    def apply_week_start(self) -> None:
        weekday = int(self.week_start.currentData())
        if weekday == self.session.services.settings.centre().week_start:
            return
        changes = self.session.services.settings.set_week_start(weekday)
        self._say(self.tr("Saved: weeks now start on {0}.").format(self.week_start.currentText()))
        self.changed.emit(changes)

    def apply_dispute_days(self) -> None:
        self._dispute_days_pause.stop()
        days = self.dispute_days.value()
        settings = self.session.services.settings
        if days == settings.dispute_deadline_days():
            return
        try:
            changes = settings.set_dispute_deadline_days(days)
        except (ValueError, StorageError) as exc:
            self._say(sentence(str(exc)) + " " + self.tr("Nothing was changed."))
            return
        self._say(
            self.tr(
                "Saved: a dispute now waits at most %n working day(s) for its re-review.",
                "",
                days,
            )
        )
        self.changed.emit(changes)

    def apply_language(self) -> None:
        QSettings().setValue(LANGUAGE_KEY, self.language.currentData())
        self._say(
            self.tr("Saved: {0}. It applies the next time QA Monitor starts.").format(
                self.language.currentText()
            )
        )

    def apply_direction(self) -> None:
        choice = str(self.direction.currentData())
        QSettings().setValue(DIRECTION_KEY, choice)
        direction = direction_for(choice, str(self.language.currentData()))
        QGuiApplication.setLayoutDirection(direction)
        self._say(self.tr("Applied and saved: {0}.").format(self.direction.currentText()))

    def show_database_folder(self) -> None:
        self._open(self.session.path.parent)

    def show_data_folder(self) -> None:
        self._open(paths.data_dir())

    def _open(self, folder: Path) -> None:
        if not open_folder(folder):
            self._say(
                self.tr("Could not open {0}; copy the path above into your file manager.").format(
                    folder
                )
            )
