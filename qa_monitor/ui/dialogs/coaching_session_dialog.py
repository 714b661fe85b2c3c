"""Record or edit a coaching session: who was coached, by whom and when, the
evaluations discussed, the behaviours targeted, notes, the follow-up's length and the
action plan.

Rules:
- The agent is fixed when the dialog starts from an evaluation, a profile or an
  existing session; otherwise it is a searchable list (type to find a name). The
  coach defaults to the reviewer using this computer; the day to today (centre's day).
- "Evaluations discussed" lists the agent's submitted evaluations of the last 90 days,
  newest first; the one the dialog started from is ticked. "Behaviours targeted" lists
  the scored questions of the ticked evaluations' forms by their text, those that lost
  points in them first, marked in words and with an icon.
- The action plan is typed in its table: Ctrl+Shift+A or Insert adds an action and
  starts typing its text (Tab moves on to owner, due date), Delete removes the
  selected one, Space ticks "done". The owner offers the agent's and the coach's names
  and takes any other.
- Ctrl+Enter (or Save) stores through the coaching service; a refusal is its sentence
  above the buttons, the dialog stays open with everything typed kept, and the cursor
  goes to the action concerned when there is one. Esc cancels.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.coaching import (
    DEFAULT_FOLLOW_WEEKS,
    MAX_FOLLOW_WEEKS,
    MIN_FOLLOW_WEEKS,
    ActionItem,
    CoachingSession,
    QuestionKey,
)
from qa_monitor.services import Changes, StorageError
from qa_monitor.services.coaching_service import Saved, SessionInput
from qa_monitor.ui import icons
from qa_monitor.ui.date_texts import centre_day, date_text, parse_date
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.models.coaching_models import ActionPlanModel
from qa_monitor.ui.session import Session
from qa_monitor.ui.widgets.date_field_widget import DateField
from qa_monitor.ui.widgets.widget_style import em, format_score, muted_label

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
ADD_KEYS = ("Ctrl+Shift+A", "Ins")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class OwnerDelegate(QStyledItemDelegate):
    """The owner cell: an editable list offering the agent's and the coach's names."""

    def __init__(self, names: callable, parent: QWidget | None = None):  # type: ignore[valid-type]
        super().__init__(parent)
        self._names = names

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setAccessibleName(self.tr("Owner"))
        for name in self._names():  # type: ignore[misc]
            if name:
                combo.addItem(name)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setEditText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(
        self, editor: QWidget, model: object, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]


class CoachingSessionDialog(QDialog):
    def __init__(
        self,
        session: Session,
        *,
        agent_id: int | None = None,
        evaluation_id: int | None = None,
        session_id: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.services = session.services
        self.session_id = session_id
        self.saved: Saved | None = None
        self.changes: Changes | None = None
        self.today = self.services.coaching.today()
        stored: CoachingSession | None = None
        checked_evaluations: set[int] = set()
        if session_id is not None:
            detail = self.services.coaching.detail(session_id)
            stored = detail.session
            agent_id = stored.agent_id
            checked_evaluations = {e.id for e in detail.evaluations}
        elif evaluation_id is not None:
            agent_id = self.services.evaluations.get_evaluation(evaluation_id).agent_id
            checked_evaluations = {evaluation_id}
        self._stored = stored
        self._fixed_agent = agent_id
        title = self.tr("Edit coaching session") if stored else self.tr("New coaching session")
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        outer.addLayout(top, 1)
        left = QVBoxLayout()
        right = QVBoxLayout()
        top.addLayout(left, 1)
        top.addLayout(right, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.addLayout(form)

        self.agent = QComboBox()
        self.agent.setAccessibleName(self.tr("Agent"))
        agents = self.services.people.list_agents()
        for agent in sorted(agents, key=lambda a: a.name.casefold()):
            if agent.active or agent.id == agent_id:
                self.agent.addItem(agent.name, agent.id)
        if agent_id is None:
            self.agent.setEditable(True)
            self.agent.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.agent.completer()
            if completer is not None:
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.agent.setCurrentIndex(-1)
            line = self.agent.lineEdit()
            if line is not None:
                line.setPlaceholderText(self.tr("Type to find the agent"))
            self.agent.currentIndexChanged.connect(lambda _i: self._agent_changed())
        else:
            self.agent.setCurrentIndex(self.agent.findData(agent_id))
            self.agent.setEnabled(False)
        self._add_row(form, self.tr("&Agent:"), self.agent)

        self.coach = QComboBox()
        self.coach.setAccessibleName(self.tr("Coach"))
        self.coach.addItem(self.tr("Nobody chosen"), None)
        coach_id = stored.coach_id if stored else session.reviewer_id
        for reviewer in self.services.people.list_reviewers():
            if reviewer.active or reviewer.id == coach_id:
                self.coach.addItem(reviewer.name, reviewer.id)
        self.coach.setCurrentIndex(max(0, self.coach.findData(coach_id)))
        self._add_row(form, self.tr("&Coach:"), self.coach)

        self.held_on = DateField(lambda: centre_day(self.services))
        self.held_on.setAccessibleName(self.tr("Held on"))
        self.held_on.set_date(stored.held_on if stored else self.today)
        self._add_row(form, self.tr("&Held on:"), self.held_on)

        self.follow_weeks = QSpinBox()
        self.follow_weeks.setRange(MIN_FOLLOW_WEEKS, MAX_FOLLOW_WEEKS)
        self.follow_weeks.setValue(stored.follow_weeks if stored else DEFAULT_FOLLOW_WEEKS)
        self.follow_weeks.setSuffix(self.tr(" weeks"))
        self.follow_weeks.setAccessibleName(self.tr("Follow-up weeks"))
        self.follow_weeks.setToolTip(
            self.tr(
                "The follow-up compares this many weeks before the session with as many "
                "weeks after it"
            )
        )
        self._add_row(form, self.tr("&Follow-up:"), self.follow_weeks)

        self.evaluations_model = QStandardItemModel(self)
        self.evaluations_view = self._list(self.tr("Evaluations discussed"), self.evaluations_model)
        self.evaluations_empty = muted_label(
            self.tr("This agent has no submitted evaluations in the last 90 days.")
        )
        self.evaluations_empty.setWordWrap(True)
        left.addWidget(
            self._group(
                self.tr("&Evaluations discussed"), self.evaluations_view, self.evaluations_empty
            ),
            1,
        )
        self.behaviours_model = QStandardItemModel(self)
        self.behaviours_view = self._list(self.tr("Behaviours targeted"), self.behaviours_model)
        self.behaviours_empty = muted_label(
            self.tr("Tick an evaluation discussed to choose among its form's questions.")
        )
        self.behaviours_empty.setWordWrap(True)
        left.addWidget(
            self._group(
                self.tr("&Behaviours targeted"), self.behaviours_view, self.behaviours_empty
            ),
            1,
        )

        notes_caption = QLabel(self.tr("&Notes:"))
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setPlaceholderText(self.tr("What was discussed and agreed"))
        notes_caption.setBuddy(self.notes)
        if stored:
            self.notes.setPlainText(stored.notes)
        right.addWidget(notes_caption)
        right.addWidget(self.notes, 1)

        self.plan_model = ActionPlanModel(True, self.today, self)
        if stored:
            self.plan_model.set_actions(stored.actions)
        self.plan = QTableView()
        self.plan.setAccessibleName(self.tr("Action plan"))
        self.plan.setModel(self.plan_model)
        self.plan.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.plan.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.plan.setTabKeyNavigation(True)
        self.plan.verticalHeader().hide()
        header = self.plan.horizontalHeader()
        header.setSectionResizeMode(ActionPlanModel.TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (ActionPlanModel.OWNER, 11),
            (ActionPlanModel.DUE, 9),
            (ActionPlanModel.DONE, 8),
        ):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.plan.setColumnWidth(col, em(self, width))
        self.plan.setItemDelegateForColumn(
            ActionPlanModel.OWNER, OwnerDelegate(self._owner_names, self.plan)
        )
        plan_group = QGroupBox(self.tr("Action &plan"))
        plan_column = QVBoxLayout(plan_group)
        plan_column.addWidget(self.plan, 1)
        plan_buttons = QHBoxLayout()
        self.plan_hint = muted_label(
            self.tr("Ctrl+Shift+A or Insert adds an action, Delete removes it, Space ticks done.")
        )
        self.plan_hint.setWordWrap(True)
        plan_buttons.addWidget(self.plan_hint, 1)
        self.add_button = QPushButton(icons.icon("mdi6.plus"), self.tr("Add action"))
        self.add_button.setToolTip(self.tr("Add an action to the plan (Ctrl+Shift+A or Insert)"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_action)
        self.remove_button = QPushButton(icons.icon("mdi6.minus"), self.tr("Remove action"))
        self.remove_button.setToolTip(self.tr("Remove the selected action (Delete)"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_action)
        plan_buttons.addWidget(self.add_button)
        plan_buttons.addWidget(self.remove_button)
        plan_column.addLayout(plan_buttons)
        right.addWidget(plan_group, 1)

        self.error = FieldError()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(self.tr("Save the session (Ctrl+Enter)"))
        self.save_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        for keys in ADD_KEYS:
            QShortcut(QKeySequence(keys), self, self.add_action)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.plan)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_action)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)

        for signal in (
            self.held_on.dateChanged,
            self.follow_weeks.valueChanged,
            self.coach.currentIndexChanged,
            self.plan_model.dataChanged,
            self.plan_model.rowsRemoved,
        ):
            signal.connect(self.error.clear)
        self.notes.textChanged.connect(self.error.clear)
        self.evaluations_model.itemChanged.connect(lambda _i: self._evaluations_changed())

        self._fill_evaluations(checked_evaluations)
        self._fill_behaviours(set(stored.questions) if stored else set())
        self.resize(em(self, 80), em(self, 44))
        (self.notes if agent_id is not None else self.agent).setFocus()

    # ---------------------------------------------------------------- building
    def _add_row(self, form: QFormLayout, label: str, field: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(field)
        form.addRow(caption, field)

    def _list(self, name: str, model: QStandardItemModel) -> QListView:
        view = QListView()
        view.setAccessibleName(name)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setUniformItemSizes(True)
        return view

    def _group(self, title: str, view: QListView, empty: QLabel) -> QGroupBox:
        group = QGroupBox(title)
        column = QVBoxLayout(group)
        column.addWidget(view, 1)
        column.addWidget(empty)
        return group

    def agent_id(self) -> int | None:
        if self._fixed_agent is not None:
            return self._fixed_agent
        data = self.agent.currentData() if self.agent.currentIndex() >= 0 else None
        if data is None or self.agent.currentText() != self.agent.itemText(
            self.agent.currentIndex()
        ):
            return None
        return int(data)

    def _owner_names(self) -> list[str]:
        names = []
        if self.agent.currentIndex() >= 0:
            names.append(self.agent.itemText(self.agent.currentIndex()))
        if self.coach.currentData() is not None:
            names.append(self.coach.currentText())
        return names

    def _agent_changed(self) -> None:
        self.error.clear()
        self._fill_evaluations(set())
        self._fill_behaviours(self.checked_questions())

    def _fill_evaluations(self, checked: set[int]) -> None:
        self.evaluations_model.blockSignals(True)
        self.evaluations_model.clear()
        agent_id = self.agent_id()
        rows = (
            self.services.coaching.agent_evaluations(agent_id, self.today)
            if agent_id is not None
            else []
        )
        if self._stored is not None:  # cited ones older than 90 days stay listed
            listed = {r.id for r in rows}
            older = self.services.coaching.detail(self.session_id or 0).evaluations
            rows += [e for e in older if e.id not in listed]
        for row in rows:
            text = self.tr("{0} · {1} · score {2}").format(
                date_text(row.interaction_date), row.form_title, format_score(row.score)
            )
            item = QStandardItem(text)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if row.id in checked else Qt.CheckState.Unchecked
            )
            item.setData(row.id, ID_ROLE)
            item.setData(text, Qt.ItemDataRole.AccessibleTextRole)
            self.evaluations_model.appendRow(item)
        self.evaluations_model.blockSignals(False)
        self.evaluations_view.reset()
        self.evaluations_view.setVisible(bool(rows))
        self.evaluations_empty.setVisible(not rows)
        if agent_id is None:
            self.evaluations_empty.setText(self.tr("Choose the agent to list their evaluations."))
        else:
            self.evaluations_empty.setText(
                self.tr("This agent has no submitted evaluations in the last 90 days.")
            )

    def checked_evaluations(self) -> list[int]:
        model = self.evaluations_model
        return [
            int(model.item(r).data(ID_ROLE))
            for r in range(model.rowCount())
            if model.item(r).checkState() == Qt.CheckState.Checked
        ]

    def checked_questions(self) -> set[QuestionKey]:
        model = self.behaviours_model
        return {
            tuple(model.item(r).data(KEY_ROLE))
            for r in range(model.rowCount())
            if model.item(r).checkState() == Qt.CheckState.Checked
        }

    def _evaluations_changed(self) -> None:
        self.error.clear()
        self._fill_behaviours(self.checked_questions())

    def _fill_behaviours(self, checked: set[QuestionKey]) -> None:
        self.behaviours_model.clear()
        choices = self.services.coaching.question_choices(self.checked_evaluations())
        known = {c.key for c in choices}
        lost_icon = icons.icon("mdi6.arrow-down-bold-circle-outline")
        for choice in choices:
            if choice.lost_points:
                text = self.tr("Lost points: {0} ({1})").format(choice.text, choice.form_title)
            else:
                text = self.tr("{0} ({1})").format(choice.text, choice.form_title)
            item = QStandardItem(text)
            if choice.lost_points:
                item.setIcon(lost_icon)
            self._add_behaviour(item, choice.key, choice.key in checked)
        # Targets of a stored session whose evaluations are no longer ticked stay offered.
        if checked - known:
            texts = self.services.repos.coaching.question_texts(sorted(checked - known))
            for key in sorted(checked - known):
                self._add_behaviour(QStandardItem(texts.get(key, key[1])), key, True)
        has = self.behaviours_model.rowCount() > 0
        self.behaviours_view.setVisible(has)
        self.behaviours_empty.setVisible(not has)

    def _add_behaviour(self, item: QStandardItem, key: QuestionKey, checked: bool) -> None:
        item.setCheckable(True)
        item.setEditable(False)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(list(key), KEY_ROLE)
        item.setData(item.text(), Qt.ItemDataRole.AccessibleTextRole)
        self.behaviours_model.appendRow(item)

    # ---------------------------------------------------------------- the plan
    def add_action(self) -> None:
        """A new, empty action at the end of the plan, its text ready to be typed."""
        if self.plan.state() == QAbstractItemView.State.EditingState:
            editor = self.plan.focusWidget()
            if editor is not None and editor is not self.plan:
                self.plan.commitData(editor)
                self.plan.closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)
        row = self.plan_model.add_row()
        index = self.plan_model.index(row, ActionPlanModel.TEXT)
        self.plan.setFocus()
        self.plan.setCurrentIndex(index)
        self.plan.edit(index)

    def remove_action(self) -> None:
        index = self.plan.currentIndex()
        if index.isValid():
            self.plan_model.remove_row(index.row())
            if self.plan_model.rowCount():
                row = min(index.row(), self.plan_model.rowCount() - 1)
                self.plan.setCurrentIndex(self.plan_model.index(row, index.column()))

    def _actions(self) -> tuple[ActionItem, ...] | None:
        """The plan as typed; None (with a sentence shown) when a due date is not a date."""
        out = []
        for position, row in enumerate(self.plan_model.plan_rows()):
            due: date | None = None
            if row.due_text:
                due = parse_date(row.due_text)
                if due is None:
                    self._refuse(
                        self.tr(
                            "The due date '{0}' of action {1} is not a date; type it as "
                            "the other dates are shown, for example {2}."
                        ).format(row.due_text, position + 1, date_text(self.today)),
                        position,
                    )
                    return None
            out.append(replace_due(row.action, due))
        return tuple(out)

    # ---------------------------------------------------------------- saving
    def given(self) -> SessionInput | None:
        actions = self._actions()
        if actions is None:
            return None
        day = self.held_on.date()
        assert day is not None
        return SessionInput(
            agent_id=self.agent_id(),
            coach_id=self.coach.currentData(),
            held_on=day,
            evaluation_ids=tuple(self.checked_evaluations()),
            questions=tuple(
                tuple(self.behaviours_model.item(r).data(KEY_ROLE))
                for r in range(self.behaviours_model.rowCount())
                if self.behaviours_model.item(r).checkState() == Qt.CheckState.Checked
            ),
            notes=self.notes.toPlainText(),
            follow_weeks=self.follow_weeks.value(),
            actions=actions,
        )

    def save(self) -> None:
        if self.plan.state() == QAbstractItemView.State.EditingState:
            editor = self.plan.focusWidget()
            if editor is not None and editor is not self.plan:
                self.plan.commitData(editor)
                self.plan.closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)
        self.error.clear()
        given = self.given()
        if given is None:
            return
        try:
            if self.session_id is None:
                self.saved = self.services.coaching.create(given)
            else:
                self.saved = self.services.coaching.update(self.session_id, given)
        except (ValueError, StorageError) as exc:
            log.info("Refused to save a coaching session: %s", exc)
            self._refuse(sentence(str(exc)), self._action_named(str(exc), given.actions))
            return
        self.changes = self.saved.changes
        self.accept()

    def _action_named(self, message: str, actions: tuple[ActionItem, ...]) -> int | None:
        for position, action in enumerate(actions):
            if action.text.strip() and f"'{action.text.strip()}'" in message:
                return position
            if message.startswith(f"Action {position + 1} of the plan"):
                return position
        return None

    def _refuse(self, message: str, action_row: int | None = None) -> None:
        self.error.show_message(message)
        if action_row is not None:
            column = ActionPlanModel.DUE if "due" in message else ActionPlanModel.TEXT
            self.plan.setFocus()
            self.plan.setCurrentIndex(self.plan_model.index(action_row, column))


def replace_due(action: ActionItem, due: date | None) -> ActionItem:
    return ActionItem(action.text, action.owner, due, action.done_on, action.id)
