"""One question of an evaluation form, as a card the reviewer answers by key or by click."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answers import Answer, AnswerValue
from qa_monitor.core.forms import CriticalLevel, Question, QuestionType
from qa_monitor.ui.widgets.answer_editors import (
    AnswerTextEdit,
    DateTimeEditor,
    NumberEditor,
    OptionButton,
    TagCheckBox,
)
from qa_monitor.ui.widgets.answer_keys import (
    COMMENT_KEY,
    GUIDANCE_KEY,
    NA_KEY,
    option_keys,
)
from qa_monitor.ui.widgets.card_frame import CardFrame, CardKit
from qa_monitor.ui.widgets.card_notes import CardNotesMixin
from qa_monitor.ui.widgets.widget_style import (
    aligned,
    ltr,
)

_FOCUS = Qt.FocusPolicy
_ARROWS = (Qt.Key.Key_Left, Qt.Key.Key_Right)
_ROW_EMS = 38  # answer rows wrap beyond this many font heights


class QuestionCard(CardNotesMixin, CardFrame):
    """Shows one question and keeps its :class:`Answer`; emits ``edited`` on every user change."""

    edited = Signal(str)  # question id

    def __init__(
        self, number: str, question: Question, kit: CardKit, parent: QWidget | None = None
    ) -> None:
        super().__init__(kit, parent)
        self.question = question
        self._number = number
        self._answer = Answer(question.id)
        self._read_only = self._comment_required = False
        # Hidden by its condition (kept by the form: isHidden() is also true before first show).
        self.condition_hidden = False
        self._keys = option_keys(question) if question.type.has_options else []
        self._buttons: list[QAbstractButton] = []
        self._group: QButtonGroup | None = None
        self._na: OptionButton | None = None
        self._editor: AnswerTextEdit | NumberEditor | DateTimeEditor | None = None
        self._guidance: QLabel | None = None
        self._guidance_toggle: QToolButton | None = None
        self._comment_box: QWidget | None = None
        self._comment_edit: AnswerTextEdit | None = None
        self._comment_label: QLabel | None = None
        self._problem: QLabel | None = None
        strings = kit.strings
        self.setFocusPolicy(_FOCUS.ClickFocus)
        self.setAccessibleName(
            strings["question"].replace("%1", number, 1).replace("%2", question.text)
        )
        self._grid = grid = QGridLayout(self)
        pad = kit.px(0.7)
        grid.setContentsMargins(pad + kit.px(0.25), pad, pad, pad)
        grid.setHorizontalSpacing(kit.px(0.5))
        grid.setVerticalSpacing(kit.px(0.5))
        grid.setColumnStretch(1, 1)
        # One label for the answered mark and the number: a big form has many cards.
        self._indicator = kit.label("", self)
        self._indicator.setFont(kit.bold_font)
        self._indicator.setMinimumWidth(kit.px(2.6))
        grid.addWidget(self._indicator, 0, 0, Qt.AlignmentFlag.AlignTop)
        text = kit.label(question.text, self)
        text.setWordWrap(True)
        text.setFont(kit.text_font)
        grid.addWidget(text, 0, 1)
        grid.addLayout(self._build_trailing(), 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(self._build_answer_row(), 1, 1, 1, 2)
        self._refresh_indicator()

    # ------------------------------------------------------------------ building
    def _build_trailing(self) -> QHBoxLayout:
        kit, q = self._kit, self.question
        strings = kit.strings
        row = QHBoxLayout()
        row.setSpacing(kit.px(0.4))
        if q.critical is not CriticalLevel.NONE:
            level = "critical_form" if q.critical is CriticalLevel.FORM else "critical_section"
            marker = kit.label(strings[level], self, palette=kit.danger)
            marker.setFont(kit.marker_font)
            marker.setToolTip(strings[f"{level}_tip"])
            row.addWidget(marker)
        if q.bonus:
            row.addWidget(kit.label(strings["bonus"], self, palette=kit.muted))
        if q.scored:
            points = strings["points"].replace("%1", ltr(f"{q.points:g}"))
            row.addWidget(kit.label(points, self, palette=kit.muted))
        else:
            row.addWidget(kit.label(strings["not_scored"], self, palette=kit.muted))
        if q.guidance:
            self._guidance_toggle = self._tool_button("?", strings["guidance"], GUIDANCE_KEY)
            self._guidance_toggle.toggled.connect(self._show_guidance)
            row.addWidget(self._guidance_toggle)
        self._comment_toggle = self._tool_button(
            strings["comment"], strings["show_comment"], COMMENT_KEY
        )
        self._comment_toggle.toggled.connect(self._comment_toggled)
        row.addWidget(self._comment_toggle)
        return row

    def _tool_button(self, text: str, name: str, key: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setCheckable(True)
        button.setAccessibleName(name)
        button.setToolTip(f"{name} ({key})")
        button.setFocusPolicy(_FOCUS.ClickFocus)
        return button

    def _build_answer_row(self) -> QVBoxLayout:
        area, q, strings = self, self.question, self._kit.strings
        controls: list[QWidget] = []
        if q.type is QuestionType.TAGS:
            for key in self._keys:
                label = f"[{key.shown}] {key.option.label}" if key.shown else key.option.label
                box = TagCheckBox(label, area)
                box.setAccessibleName(key.option.label)
                box.clicked.connect(self._tags_clicked)
                self._buttons.append(box)
            controls.extend(self._buttons)
        elif q.type.has_options:
            self._group = QButtonGroup(self)
            for index, key in enumerate(self._keys):
                button = OptionButton(key.option.label, key.shown, area)
                self._group.addButton(button, index)
                self._buttons.append(button)
            controls.extend(self._buttons)
            self._group.idClicked.connect(self._option_clicked)
        else:
            if q.type is QuestionType.NUMBER:
                self._editor = NumberEditor(q.minimum, q.maximum, area)
                self._editor.edited.connect(self._editor_edited)
            elif q.type is QuestionType.DATETIME:
                self._editor = DateTimeEditor(area)
                self._editor.edited.connect(self._editor_edited)
            else:
                self._editor = AnswerTextEdit(area, lines=2.6)
                self._editor.setAccessibleName(strings["answer"])
                self._editor.textChanged.connect(self._editor_edited)
            controls.append(self._editor)
        if q.allow_na:
            self._na = OptionButton(strings["na"], NA_KEY, area)
            self._na.setAccessibleName(strings["not_applicable"])
            self._na.setFocusPolicy(_FOCUS.ClickFocus)
            self._na.clicked.connect(self._na_clicked)
            controls.append(self._na)
        return self._wrap(controls, stretch=self._editor is None)

    def _wrap(self, controls: list[QWidget], *, stretch: bool) -> QVBoxLayout:
        """Rows of controls, wrapped before ``_ROW_EMS`` wide (only long option lists wrap).

        Plain box layouts, not a Python flow layout: they are laid out in C++, which matters
        with a thousand buttons on a long form.
        """
        kit = self._kit
        gap = kit.px(0.9 if self.question.type is QuestionType.TAGS else 0.45)
        rows = QVBoxLayout()
        rows.setSpacing(kit.px(0.45))
        row, used = None, 0
        for control in controls:
            width = control.sizeHint().width()
            if row is None or (used and used + gap + width > kit.px(_ROW_EMS)):
                row = QHBoxLayout()
                row.setSpacing(gap)
                rows.addLayout(row)
                used = 0
            row.addWidget(control, 1 if control is self._editor else 0)
            used += width + (gap if used else 0)
        if stretch:
            for index in range(rows.count()):
                rows.itemAt(index).layout().addStretch(1)
        self._update_tab_stop()
        return rows

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left/Right move between this question's options (mirrored right-to-left)."""
        key = event.key()
        focus = self.focusWidget()
        if key in _ARROWS and not event.modifiers() and focus in self._buttons:
            step = 1 if key == Qt.Key.Key_Right else -1
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
                step = -step
            target = self._buttons.index(focus) + step
            if 0 <= target < len(self._buttons):
                self._buttons[target].setFocus(Qt.FocusReason.TabFocusReason)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ answer state
    def answer(self) -> Answer:
        return self._answer

    def is_answered(self) -> bool:
        return not self._answer.is_empty

    def set_answer(self, answer: Answer | None) -> None:
        """Show ``answer`` without emitting ``edited`` (loading, not editing)."""
        self._answer = answer or Answer(self.question.id)
        self._sync_choice()
        if self._editor is not None:
            value = self._answer.value
            if isinstance(self._editor, AnswerTextEdit):
                self._editor.blockSignals(True)
                self._editor.setPlainText(value if isinstance(value, str) else "")
                self._editor.blockSignals(False)
            else:
                self._editor.set_value(value)
        if self._answer.comment or self._comment_edit is not None:
            self._ensure_comment()
            assert self._comment_edit is not None
            self._comment_edit.blockSignals(True)
            self._comment_edit.setPlainText(self._answer.comment)
            self._comment_edit.blockSignals(False)
            if self._answer.comment:
                self._comment_toggle.setChecked(True)
        self._refresh_indicator()

    def set_timestamp(self, ms: int | None) -> None:
        """Point the answer at a moment of the recording (kept silently; the form signals)."""
        self._answer = replace(self._answer, timestamp_ms=ms)

    def _commit(self, answer: Answer) -> None:
        self._answer = answer
        self._refresh_indicator()
        self.edited.emit(self.question.id)

    def _sync_choice(self) -> None:
        value = self._answer.value
        chosen = set(value) if isinstance(value, tuple) else {value}
        if self._group is not None:
            self._group.setExclusive(False)
            for key, button in zip(self._keys, self._buttons, strict=True):
                button.setChecked(not self._answer.na and key.option.id in chosen)
            self._group.setExclusive(True)
        elif self.question.type is QuestionType.TAGS:
            for key, box in zip(self._keys, self._buttons, strict=True):
                box.setChecked(key.option.id in chosen)
        if self._na is not None:
            self._na.setChecked(self._answer.na)
        self._update_tab_stop()

    def _option_clicked(self, index: int) -> None:
        self._choose(self._keys[index].option.id)

    def _choose(self, value: AnswerValue) -> None:
        self._answer = self._answer.with_value(value)
        self._sync_choice()
        self._commit(self._answer)

    def _tags_clicked(self) -> None:
        chosen = tuple(
            k.option.id for k, b in zip(self._keys, self._buttons, strict=True) if b.isChecked()
        )
        self._choose(chosen or None)

    def _na_clicked(self, checked: bool) -> None:
        self.set_na(checked)

    def set_na(self, na: bool = True) -> None:
        answer = self._answer.with_na() if na else replace(self._answer, na=False, value=None)
        self._answer = answer
        self._sync_choice()
        if self._editor is not None and na:
            self.set_answer(answer)  # empties the editor without echoing an edit
        self._commit(answer)

    def _editor_edited(self) -> None:
        editor = self._editor
        if isinstance(editor, AnswerTextEdit):
            value: AnswerValue = editor.toPlainText() or None
        else:
            assert editor is not None
            value = editor.value()
        if value is None and not self._answer.na:
            answer = replace(self._answer, value=None)
        else:
            answer = self._answer.with_value(value)
        if self._na is not None:
            self._na.setChecked(answer.na)
        self._commit(answer)

    def clear(self) -> bool:
        if self._read_only or self._answer.is_empty:
            return False
        answer = replace(self._answer, value=None, na=False)
        self.set_answer(answer)
        self._commit(answer)
        return True

    def apply_key(self, token: str) -> tuple[bool, bool]:
        """Answer with a key token; returns (handled, advance to the next question)."""
        if self._read_only:
            return False, False
        if token == NA_KEY and self._na is not None:
            if not self._answer.na:
                self.set_na(True)
            return True, True
        for index, key in enumerate(self._keys):
            if token not in key.accepted:
                continue
            if self.question.type is QuestionType.TAGS:
                box = self._buttons[index]
                box.setChecked(not box.isChecked())
                self._tags_clicked()
                return True, False
            if self._answer.value != key.option.id or self._answer.na:
                self._choose(key.option.id)
            return True, True
        return False, False

    # ------------------------------------------------------------------ focus
    def _update_tab_stop(self) -> None:
        """Only one control per card is a Tab stop, so Tab moves from question to question."""
        if not self._buttons:
            return
        checked = [b for b in self._buttons if b.isChecked()]
        stop = checked[0] if checked and self._group is not None else self._buttons[0]
        for button in self._buttons:
            button.setFocusPolicy(_FOCUS.StrongFocus if button is stop else _FOCUS.ClickFocus)

    def focus_primary(self) -> None:
        """Focus the control keys act on: the chosen (or first) option; for a question
        answered by typing, its field (so letters type instead of acting as shortcuts);
        else the card itself."""
        enabled = [b for b in self._buttons if b.isEnabled()]
        if not enabled and self.focus_editor():
            return
        if enabled and self._group is not None:
            checked = [b for b in enabled if b.isChecked()]
            (checked or enabled)[0].setFocus(Qt.FocusReason.OtherFocusReason)
        elif enabled:
            enabled[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_editor(self) -> bool:
        if self._editor is None or self._read_only:
            return False
        # Tab focus: a number field selects its "Not set", so the first digit replaces it.
        self._editor.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def last_answer_control(self) -> QWidget:
        """The answer control Tab leaves the card from (an open comment comes right after)."""
        if self._na is not None:
            return self._na
        if isinstance(self._editor, NumberEditor):
            return self._editor.spin
        if isinstance(self._editor, DateTimeEditor):
            return self._editor.not_set
        if self._editor is not None:
            return self._editor
        return self._buttons[-1] if self._buttons else self

    def owns_comment(self, widget: QWidget | None) -> bool:
        return widget is not None and widget is self._comment_edit

    # ------------------------------------------------------------------ looks
    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for button in self._buttons:
            button.setEnabled(not read_only)
        if self._na is not None:
            self._na.setEnabled(not read_only)
        editor = self._editor
        if isinstance(editor, AnswerTextEdit):
            editor.setReadOnly(read_only)
        elif isinstance(editor, NumberEditor):
            editor.spin.setReadOnly(read_only)
            editor.clear_button.setEnabled(not read_only)
        elif isinstance(editor, DateTimeEditor):
            editor.set_editable(not read_only)
        if self._comment_edit is not None:
            self._comment_edit.setReadOnly(read_only)

    def _refresh_indicator(self) -> None:
        answered = self.is_answered()
        mark = "✓" if answered else "•"
        self._indicator.setText(aligned(self, f"{mark}\u2002{ltr(self._number)}"))
        state = self._kit.strings["answered" if answered else "not_answered"]
        self._indicator.setAccessibleName(f"{self._number}: {state}")
        self._indicator.setToolTip(state)
