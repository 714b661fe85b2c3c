"""Add or edit a team, an agent or a reviewer.

Each dialog saves through the people service when OK is pressed. A refused change
(empty name, a name an active person already has, an external id in use) is shown
beside the field it concerns; the dialog stays open with everything typed kept.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import Agent, Reviewer, Team
from qa_monitor.services import Services, StorageError
from qa_monitor.ui import icons
from qa_monitor.ui.widgets.date_field_widget import set_up_date_edit
from qa_monitor.ui.widgets.widget_style import danger_color, em, set_text_color

log = logging.getLogger(__name__)
NO_DATE = QDate(1900, 1, 1)


def sentence(message: str) -> str:
    """A service message as a sentence: capital first letter, final full stop."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


class FieldError(QWidget):
    """A warning icon and a sentence under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel()
        color = danger_color(self.palette())
        size = em(self, 1)
        self.icon.setPixmap(icons.icon("mdi6.alert-circle-outline", color=color).pixmap(size, size))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_text_color(self.text, color)
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.setAccessibleName(message)
        self.show()

    def clear(self) -> None:
        self.text.clear()
        self.hide()


class PersonDialog(QDialog):
    """The shared frame: a form, per-field errors, OK/Cancel; ``save()`` does the work."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setMinimumWidth(em(self, 26))
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.general_error = FieldError()
        outer.addWidget(self.general_error)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Save"))
        self.ok_button.setAccessibleName(self.tr("Save"))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._save_and_close)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.name = self._line_edit(self.tr("Name"))
        self.name_error = self._add_row(self.tr("&Name:"), self.name)
        self.saved_id: int | None = None

    def _set_title(self, title: str) -> None:
        self.setWindowTitle(title)
        self.setAccessibleName(title)

    def _line_edit(self, accessible: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        edit.textEdited.connect(lambda _t: self._clear_errors())
        return edit

    def _add_row(self, label: str, field: QWidget) -> FieldError:
        caption = QLabel(label)
        caption.setBuddy(field)
        self.form.addRow(caption, field)
        error = FieldError()
        self.form.addRow("", error)
        return error

    def _clear_errors(self) -> None:
        for error in self.findChildren(FieldError):
            error.clear()

    def _error_field(self, message: str) -> tuple[FieldError, QWidget]:
        """Which field a refusal concerns (the name unless a subclass knows better)."""
        return self.name_error, self.name

    def _save_and_close(self) -> None:
        self._clear_errors()
        if not self.name.text().strip():
            self.name_error.show_message(self.tr("Type a name."))
            self.name.setFocus()
            return
        if not self.validate():
            return
        try:
            self.saved_id = self.save()
        except (ValueError, StorageError) as exc:
            log.info("Refused: %s", exc)
            error, field = self._error_field(str(exc))
            error.show_message(sentence(str(exc)))
            field.setFocus()
            return
        self.accept()

    def validate(self) -> bool:
        """Checks the dialog makes itself; a failing one shows its message and returns False."""
        return True

    def save(self) -> int:
        """Store the entries through the service; return the person's id."""
        raise NotImplementedError


class TeamDialog(PersonDialog):
    def __init__(self, services: Services, team: Team | None = None, parent: QWidget | None = None):
        super().__init__(services, parent)
        self._set_title(self.tr("Add team") if team is None else self.tr("Edit team"))
        self.team = team
        self.name.setPlaceholderText(self.tr("e.g. Billing"))
        if team is not None:
            self.name.setText(team.name)

    def save(self) -> int:
        people = self.services.people
        if self.team is None:
            return people.add_team(self.name.text()).id
        return people.rename_team(self.team.id, self.name.text()).id


class AgentDialog(PersonDialog):
    def __init__(
        self, services: Services, agent: Agent | None = None, parent: QWidget | None = None
    ):
        super().__init__(services, parent)
        self._set_title(self.tr("Add agent") if agent is None else self.tr("Edit agent"))
        self.agent = agent
        self.name.setPlaceholderText(self.tr("Full name"))
        self.team = QComboBox()
        self.team.setAccessibleName(self.tr("Team"))
        self.team.addItem(self.tr("No team"), None)
        current_team = agent.team_id if agent else None
        for team in services.people.list_teams():
            if team.active or team.id == current_team:
                label = team.name if team.active else self.tr("{0} (inactive)").format(team.name)
                self.team.addItem(label, team.id)
        self.team.setCurrentIndex(max(0, self.team.findData(current_team)))
        self.team_error = self._add_row(self.tr("&Team:"), self.team)
        self.external_id = self._line_edit(self.tr("External ID"))
        self.external_id.setPlaceholderText(self.tr("The agent's id in the phone or chat system"))
        self.external_id_error = self._add_row(self.tr("E&xternal ID:"), self.external_id)
        self.email = self._line_edit(self.tr("Email"))
        self.email.setPlaceholderText(self.tr("name@example.com"))
        self.email_error = self._add_row(self.tr("&Email:"), self.email)
        for edit in (self.external_id, self.email):
            # Ids and addresses are left-to-right even in a right-to-left window.
            edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.hire_known = QCheckBox(self.tr("Known"))
        self.hire_known.setAccessibleName(self.tr("Hire date known"))
        self.hire_date = QDateEdit()
        set_up_date_edit(self.hire_date)
        self.hire_date.setAccessibleName(self.tr("Hire date"))
        self.hire_date.setMinimumDate(NO_DATE)
        self.hire_date.setSpecialValueText(self.tr("not set"))
        self.hire_date.setDate(NO_DATE)
        self.hire_date.setEnabled(False)
        self.hire_known.toggled.connect(self._hire_known_toggled)
        hire_row = QWidget()
        hire_layout = QHBoxLayout(hire_row)
        hire_layout.setContentsMargins(0, 0, 0, 0)
        hire_layout.addWidget(self.hire_known)
        hire_layout.addWidget(self.hire_date, 1)
        self.hire_error = self._add_row(self.tr("&Hire date:"), hire_row)
        caption = self.form.labelForField(hire_row)
        if isinstance(caption, QLabel):
            caption.setBuddy(self.hire_known)
        if agent is not None:
            self.name.setText(agent.name)
            self.external_id.setText(agent.external_id or "")
            self.email.setText(agent.email or "")
            if agent.hire_date is not None:
                self.hire_known.setChecked(True)
                self.hire_date.setDate(QDate(agent.hire_date))

    def _hire_known_toggled(self, known: bool) -> None:
        self.hire_date.setEnabled(known)
        if known and self.hire_date.date() == NO_DATE:
            self.hire_date.setDate(QDate.currentDate())
        elif not known:
            self.hire_date.setDate(NO_DATE)

    def chosen_hire_date(self) -> date | None:
        if not self.hire_known.isChecked() or self.hire_date.date() == NO_DATE:
            return None
        return self.hire_date.date().toPython()  # type: ignore[no-any-return]

    def _error_field(self, message: str) -> tuple[FieldError, QWidget]:
        lowered = message.lower()
        if "external id" in lowered:
            return self.external_id_error, self.external_id
        if lowered.startswith("team"):
            return self.team_error, self.team
        return super()._error_field(message)

    def validate(self) -> bool:
        email = self.email.text().strip()
        if email and ("@" not in email or " " in email):
            self.email_error.show_message(
                self.tr("An email address looks like name@example.com; leave it empty if unknown.")
            )
            self.email.setFocus()
            return False
        return True

    def save(self) -> int:
        fields = {
            "team_id": self.team.currentData(),
            "hire_date": self.chosen_hire_date(),
            "external_id": self.external_id.text().strip() or None,
            "email": self.email.text().strip() or None,
        }
        people = self.services.people
        if self.agent is None:
            return people.add_agent(self.name.text(), **fields).id
        return people.update_agent(replace(self.agent, name=self.name.text(), **fields)).id


class ReviewerEditDialog(PersonDialog):
    def __init__(
        self, services: Services, reviewer: Reviewer | None = None, parent: QWidget | None = None
    ):
        super().__init__(services, parent)
        self._set_title(self.tr("Add reviewer") if reviewer is None else self.tr("Edit reviewer"))
        self.reviewer = reviewer
        self.name.setPlaceholderText(self.tr("Full name"))
        self.expert = QCheckBox(self.tr("E&xpert (the benchmark in calibration sessions)"))
        self.expert.setAccessibleName(self.tr("Expert"))
        self.form.addRow("", self.expert)
        # The review queue keeps a reviewer off their own calls (the agent record they
        # take calls as) and, where a rule asks, off their own team's.
        self.team = QComboBox()
        self.team.setAccessibleName(self.tr("Team"))
        self.team.addItem(self.tr("No team"), None)
        current_team = reviewer.team_id if reviewer else None
        for team in services.people.list_teams():
            if team.active or team.id == current_team:
                label = team.name if team.active else self.tr("{0} (inactive)").format(team.name)
                self.team.addItem(label, team.id)
        self.team.setCurrentIndex(max(0, self.team.findData(current_team)))
        self.team_error = self._add_row(self.tr("&Team:"), self.team)
        self.agent = QComboBox()
        self.agent.setAccessibleName(self.tr("Takes calls as"))
        self.agent.setToolTip(
            self.tr("The agent record of a reviewer who also takes calls: never given their own")
        )
        self.agent.addItem(self.tr("Nobody"), None)
        current_agent = reviewer.agent_id if reviewer else None
        for agent in services.people.list_agents():
            if agent.active or agent.id == current_agent:
                label = agent.name if agent.active else self.tr("{0} (inactive)").format(agent.name)
                self.agent.addItem(label, agent.id)
        self.agent.setCurrentIndex(max(0, self.agent.findData(current_agent)))
        self.agent_error = self._add_row(self.tr("Takes &calls as:"), self.agent)
        if reviewer is not None:
            self.name.setText(reviewer.name)
            self.expert.setChecked(reviewer.is_expert)

    def save(self) -> int:
        people = self.services.people
        team_id, agent_id = self.team.currentData(), self.agent.currentData()
        if self.reviewer is None:
            return people.add_reviewer(
                self.name.text(),
                is_expert=self.expert.isChecked(),
                team_id=team_id,
                agent_id=agent_id,
            ).id
        updated = replace(
            self.reviewer,
            name=self.name.text(),
            is_expert=self.expert.isChecked(),
            team_id=team_id,
            agent_id=agent_id,
        )
        return people.update_reviewer(updated).id


# ---------------------------------------------------------------- by kind, and undo helpers
Person = Team | Agent | Reviewer


def _tr(text: str) -> str:
    return QCoreApplication.translate("PersonDialogs", text)


def person_dialog(
    services: Services, kind: str, person: Person | None, parent: QWidget | None
) -> PersonDialog:
    """The add (``person`` None) or edit dialog for a "team", "agent" or "reviewer"."""
    if kind == "team":
        return TeamDialog(services, person if isinstance(person, Team) else None, parent)
    if kind == "agent":
        return AgentDialog(services, person if isinstance(person, Agent) else None, parent)
    return ReviewerEditDialog(services, person if isinstance(person, Reviewer) else None, parent)


def add_again(services: Services, person: Person) -> int:
    """Undo a delete: a new record with the deleted person's fields; returns its id."""
    people = services.people
    if isinstance(person, Team):
        return people.add_team(person.name).id
    if isinstance(person, Agent):
        return people.add_agent(
            person.name,
            team_id=person.team_id,
            hire_date=person.hire_date,
            external_id=person.external_id,
            email=person.email,
        ).id
    return people.add_reviewer(
        person.name, is_expert=person.is_expert, team_id=person.team_id, agent_id=person.agent_id
    ).id


def store_back(services: Services, before: Person) -> int:
    """Undo an edit: store the fields the person had before."""
    people = services.people
    if isinstance(before, Team):
        return people.rename_team(before.id, before.name).id
    if isinstance(before, Agent):
        return people.update_agent(before).id
    return people.update_reviewer(before).id


def usage_words(usage: dict[str, int]) -> str:
    """What refers to a person, in words: "12 evaluations, 1 agent"."""
    words = {
        "evaluations": (_tr("1 evaluation"), _tr("{0} evaluations")),
        "interactions": (_tr("1 interaction"), _tr("{0} interactions")),
        "agents": (_tr("1 agent"), _tr("{0} agents")),
        "form_versions": (_tr("1 published form"), _tr("{0} published forms")),
        "audit_log": (_tr("1 audit entry"), _tr("{0} audit entries")),
    }
    parts = []
    for key, n in usage.items():
        one, many = words.get(key, (f"1 {key}", f"{{0}} {key}"))
        parts.append(one if n == 1 else many.format(n))
    return ", ".join(parts)


def confirm_delete_box(name: str, parent: QWidget | None) -> tuple[QMessageBox, QPushButton]:
    """The one question before deleting someone without history; Cancel is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _tr("Delete"),
        _tr("Delete “{0}”? You can undo this with Ctrl+Z.").format(name),
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    delete = box.addButton(_tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box, delete


def keep_history_box(
    name: str, history: str, active: bool, parent: QWidget | None
) -> tuple[QMessageBox, QPushButton | None]:
    """Why someone with history is not deleted, offering to deactivate them instead."""
    text = _tr(
        "“{0}” cannot be deleted: {1} refer to them, and that history is kept. Nothing was deleted."
    ).format(name, history)
    if active:
        text += "\n\n" + _tr("Deactivate instead? They leave the pick-lists and stay in reports.")
    box = QMessageBox(QMessageBox.Icon.Information, _tr("History is kept"), text, parent=parent)
    if not active:
        box.addButton(QMessageBox.StandardButton.Ok)
        return box, None
    deactivate = box.addButton(_tr("Deactivate"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(deactivate)
    return box, deactivate
