"""A revealed calibration session: the benchmark, the spread and the agreement in
words; each reviewer's score, deviation and band; the question × reviewer matrix; and
the panel's agreed answer and note on the selected question.

Rules:
- The figures are the service's (``RevealView``); this view only words and lays them
  out (``calibration_texts``).
- The matrix keeps the form's order (not sortable): disagreeing questions and
  differing answers are shaded *and* marked (a legend says how); Enter on a question
  puts the keyboard on its agreed answer.
- The agreed answer, note and "guidance must change" of the selected question are
  stored with Save (Ctrl+S); moving to another question with unsaved changes stores
  them first, so nothing typed is lost. Only the session's expert, its creator or a
  supervisor may write them (``SessionView.can_manage``); for anyone else the fields
  are read-only and say so.
- The view emits what the user asks for (``noteSaveRequested``,
  ``guidanceDraftRequested``, ``summarySaveRequested``); the screen acts.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.answers import Answer
from qa_monitor.core.calibration import Bands, MatrixRow, answer_key
from qa_monitor.services.calibration_service import RevealView
from qa_monitor.ui.calibration_texts import (
    alpha_sentence,
    bands_sentence,
    benchmark_sentence,
    points,
    spread_sentence,
)
from qa_monitor.ui.date_texts import moment_date_text
from qa_monitor.ui.models.calibration_models import (
    DIFFERS_MARK,
    DISAGREES_MARK,
    EXPERT_MARK,
    MatrixModel,
    ScoresModel,
)
from qa_monitor.ui.screens.calibration_open_view import call_text
from qa_monitor.ui.widgets.record_table import action_button
from qa_monitor.ui.widgets.widget_style import em, ltr, muted_label, scaled_font
from qa_monitor.ui.widgets.widget_style import set_leading_text as put

NONE_AGREED = "__none__"
NA_AGREED = "__na__"


class RevealedSessionView(QWidget):
    noteSaveRequested = Signal(str, object, str, bool)  # question, Answer | None, note, guidance
    guidanceDraftRequested = Signal(str)  # question id
    summarySaveRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view: RevealView | None = None
        self.zone = "UTC"  # the centre's time zone: the day of the reveal is its day
        self._question: str | None = None  # the question the editor shows
        self._dirty = False
        self._filling = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setFont(scaled_font(self.font(), 1.25, bold=True))
        self.title.setWordWrap(True)
        column.addWidget(self.title)
        self.facts = muted_label("")
        self.facts.setWordWrap(True)
        column.addWidget(self.facts)
        column.addLayout(self._top())
        self.missing = muted_label("")
        self.missing.setWordWrap(True)
        column.addWidget(self.missing)
        column.addWidget(self._matrix_group(), 1)
        column.addLayout(self._bottom())
        for first, then in (
            (self.matrix, self.agreed),
            (self.agreed, self.guidance),
            (self.guidance, self.note),
            (self.note, self.save_note),
            (self.save_note, self.draft_button),
            (self.draft_button, self.summary),
            (self.summary, self.save_summary),
        ):
            QWidget.setTabOrder(first, then)

    # ---------------------------------------------------------------- building
    def _top(self) -> QGridLayout:
        grid = QGridLayout()
        self.benchmark, self.spread, self.score_alpha, self.call_alpha = (
            self._sentence(name)
            for name in (
                self.tr("Benchmark"),
                self.tr("Spread"),
                self.tr("Agreement on the score"),
                self.tr("Agreement on this call"),
            )
        )
        grid.addWidget(self.benchmark, 0, 0)
        grid.addWidget(self.spread, 1, 0)
        grid.addWidget(self.score_alpha, 0, 1)
        grid.addWidget(self.call_alpha, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _sentence(self, name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _table(self, name: str) -> QTableView:
        table = QTableView()
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        table.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.6))
        return table

    def _matrix_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Scores and answers, by reviewer (&M)"))
        group.setAccessibleName(self.tr("Scores and answers, by reviewer"))
        column = QVBoxLayout(group)
        column.setSpacing(0)
        self.legend = muted_label("")
        self.legend.setWordWrap(True)
        column.addWidget(self.legend)
        column.addSpacing(em(self, 0.3))
        # Two tables with the same columns, read as one: the reviewers' scores with the
        # column headers on top, the answers below; the answers scroll under the scores.
        self.matrix_model = MatrixModel(self)
        self.scores_model = ScoresModel(self.matrix_model, self)
        self.scores = self._table(self.tr("Reviewers' scores"))
        self.scores.setModel(self.scores_model)
        self.scores.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.scores.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scores.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scores.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matrix = self._table(self.tr("Answers, question by reviewer"))
        self.matrix.setModel(self.matrix_model)
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.horizontalHeader().hide()
        self.matrix.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scores.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scores.verticalScrollBar().setEnabled(False)
        self.matrix.horizontalScrollBar().valueChanged.connect(
            self.scores.horizontalScrollBar().setValue
        )
        self.matrix.horizontalHeader().sectionResized.connect(
            lambda col, _old, new: self.scores.setColumnWidth(col, new)
        )
        self.matrix.selectionModel().currentRowChanged.connect(lambda *_: self._row_changed())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.matrix, self._to_editor)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        column.addWidget(self.scores)
        column.addWidget(self.matrix, 1)
        return group

    def _bottom(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.editor = QGroupBox(self.tr("Selected question"))
        self.editor.setAccessibleName(self.tr("Selected question"))
        grid = QGridLayout(self.editor)
        self.question_text = QLabel()
        self.question_text.setWordWrap(True)
        self.question_text.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.question_text, 0, 0, 1, 3)
        self.agreed = QComboBox()
        self.agreed.setAccessibleName(self.tr("Agreed answer"))
        agreed_caption = QLabel(self.tr("A&greed answer:"))
        agreed_caption.setBuddy(self.agreed)
        self.guidance = QCheckBox(self.tr("Guidance must &change"))
        self.guidance.setToolTip(
            self.tr("The question's guidance in the form should say what the panel agreed")
        )
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.agreed)
        answer_row.addWidget(self.guidance)
        answer_row.addStretch(1)
        grid.addWidget(agreed_caption, 1, 0)
        grid.addLayout(answer_row, 1, 1)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("What the panel agreed, and why"))
        self.note.setFixedHeight(em(self, 2.8))
        note_caption = QLabel(self.tr("No&te:"))
        note_caption.setBuddy(self.note)
        grid.addWidget(note_caption, 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.note, 2, 1)
        self.save_note = action_button(
            self.tr("Save"),
            self.tr("Store the agreed answer and the note (Ctrl+S)"),
            self.save_current,
        )
        self.draft_button = action_button(
            self.tr("&Put into a form draft"),
            self.tr(
                "Add the note to the question's guidance in a new draft of the form and open "
                "it on Forms (Alt+P)"
            ),
            self.ask_guidance_draft,
        )
        buttons = QVBoxLayout()
        buttons.addWidget(self.save_note)
        buttons.addWidget(self.draft_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 1, 2, 2, 1)
        self.locked = muted_label("")
        self.locked.setWordWrap(True)
        self.locked.hide()
        grid.addWidget(self.locked, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        row.addWidget(self.editor, 3)
        summary_group = QGroupBox(self.tr("Session summary"))
        summary_group.setAccessibleName(self.tr("Session summary"))
        summary_grid = QGridLayout(summary_group)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName(self.tr("Session summary"))
        self.summary.setPlaceholderText(self.tr("What the session concluded"))
        self.summary.setFixedHeight(em(self, 2.8))
        summary_grid.addWidget(self.summary, 0, 0)
        self.save_summary = action_button(
            self.tr("Save s&ummary"),
            self.tr("Store the session's summary (Alt+U)"),
            lambda: self.summarySaveRequested.emit(self.summary.toPlainText()),
        )
        summary_grid.addWidget(self.save_summary, 1, 0, Qt.AlignmentFlag.AlignTrailing)
        row.addWidget(summary_group, 2)
        save = QShortcut(
            QKeySequence(QKeySequence.StandardKey.Save), self.editor, self.save_current
        )
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.agreed.currentIndexChanged.connect(lambda _i: self._edited())
        self.guidance.toggled.connect(lambda _c: self._edited())
        self.note.textChanged.connect(self._edited)
        return row

    # ---------------------------------------------------------------- showing
    def show_view(self, view: RevealView) -> None:
        same = self.view is not None and self.view.view.record.id == view.view.record.id
        keep = self._question if same else None
        if self._dirty and keep is not None:
            keep_dirty = (self.agreed_answer(), self.note.toPlainText(), self.guidance.isChecked())
        else:
            keep_dirty = None
        self.view = view
        session = view.view
        record = session.record
        reveal = view.reveal
        day = moment_date_text(record.revealed_at, self.zone)
        put(self.title, self.tr("{0} — revealed {1}").format(record.title, day))
        bands = Bands(record.acceptable, record.discuss)
        put(
            self.facts,
            self.tr("{0} · {1}, version {2} · bands {3} / {4} points").format(
                call_text(session),
                session.form_title,
                session.version,
                ltr(points(bands.acceptable)),
                ltr(points(bands.discuss)),
            ),
        )
        self.facts.setToolTip(bands_sentence(bands))
        put(
            self.benchmark,
            benchmark_sentence(reveal.benchmark_kind, reveal.benchmark, session.expert_name),
        )
        put(self.spread, spread_sentence(reveal.spread))
        put(
            self.score_alpha,
            self.tr("Agreement on the score: {0}").format(
                alpha_sentence(view.score_alpha, "sessions")
            ),
        )
        self.score_alpha.setToolTip(
            self.tr(
                "Krippendorff's alpha (interval level) over the reviewers' scores in this "
                "session and the form's recent revealed sessions, each session one unit: "
                "1 − observed disagreement ÷ disagreement expected by chance. {0}"
            ).format(alpha_sentence(view.score_alpha, "sessions", advice=True))
        )
        put(
            self.call_alpha,
            self.tr("Agreement on this call's answers: {0}").format(
                alpha_sentence(view.call_alpha, "questions")
            ),
        )
        self.call_alpha.setToolTip(
            self.tr(
                "Krippendorff's alpha (nominal level) over this session's answers, each "
                "question one unit: how far the panel agreed on this call. {0}"
            ).format(alpha_sentence(view.call_alpha, "questions", advice=True))
        )
        if reveal.missing:
            put(
                self.missing,
                self.tr("Did not submit before the reveal, so not compared: {0}.").format(
                    ", ".join(p.name for p in reveal.missing)
                ),
            )
        self.missing.setVisible(bool(reveal.missing))
        if record.expert_id is not None:
            legend = self.tr(
                "{0} the expert · {1} the reviewers did not all agree · {2} differs from the "
                "expert's answer · {3} of {4} questions disagree · hover a cell for its comment"
            )
        else:
            legend = self.tr(
                "{1} the reviewers did not all agree · {2} differs from the agreed answer, or "
                "the most common one until one is agreed · {3} of {4} "
                "questions disagree · hover a cell for its comment"
            )
        put(
            self.legend,
            legend.format(
                EXPERT_MARK,
                DISAGREES_MARK,
                DIFFERS_MARK,
                reveal.disagreeing_rows,
                len(reveal.rows),
            ),
        )
        self.matrix_model.set_reveal(view)
        self.scores_model.set_reveal(view)
        for score_row in range(self.scores_model.rowCount()):
            self.scores.setSpan(score_row, MatrixModel.SECTION, 1, 2)
        self._fit_scores_height()
        self.fit_matrix()
        self.summary.blockSignals(True)
        self.summary.setPlainText(record.summary)
        self.summary.blockSignals(False)
        manage = session.can_manage
        self.summary.setReadOnly(not manage)
        self.save_summary.setVisible(manage)
        self._select_question(keep)
        if keep_dirty is not None:
            self._fill_editor(*keep_dirty)
            self._dirty = True

    def _fit_scores_height(self) -> None:
        height = self.scores.horizontalHeader().sizeHint().height()
        height += self.scores_model.rowCount() * self.scores.verticalHeader().defaultSectionSize()
        self.scores.setFixedHeight(height + 2 * self.scores.frameWidth())

    def fit_matrix(self) -> None:
        """Columns as wide as their content in either table and their header; when they
        do not fit, the section and the question give way (eliding: their tooltip has
        the whole text), never below a floor; the note takes what is left."""
        count = self.matrix_model.columnCount()
        if count == 0:
            return
        header = self.scores.horizontalHeader()
        pad = em(self, 0.8)
        want = [
            max(
                self.matrix.sizeHintForColumn(c),
                self.scores.sizeHintForColumn(c) if c > MatrixModel.QUESTION else 0,
                header.sectionSizeHint(c),
            )
            + pad
            for c in range(count)
        ]
        want[MatrixModel.SECTION] = min(want[MatrixModel.SECTION], em(self, 7))
        note = count - 1
        want[note] = em(self, 10)
        room = self.matrix.viewport().width()
        over = sum(want) - room
        question = MatrixModel.QUESTION
        if over > 0:
            want[question] = max(em(self, 12), want[question] - over)
        for col in range(count - 1):
            self.matrix.setColumnWidth(col, want[col])
            self.scores.setColumnWidth(col, want[col])

    def _select_question(self, question_id: str | None) -> None:
        model = self.matrix_model
        if model.rowCount() == 0:
            self._show_question(None)
            return
        row = model.row_of(question_id) if question_id is not None else -1
        index = model.index(max(row, 0), 0)
        flags = QItemSelectionModel.SelectionFlag
        self._filling = True
        self.matrix.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self._filling = False
        self._show_question(model.row_at(index.row()))

    def current_row(self) -> MatrixRow | None:
        index = self.matrix.currentIndex()
        if not index.isValid() or index.row() >= self.matrix_model.rowCount():
            return None
        return self.matrix_model.row_at(index.row())

    def _row_changed(self) -> None:
        if self._filling:
            return
        if self._dirty and self._question is not None:
            self.save_current(self._question)
        self._show_question(self.current_row())

    def _show_question(self, row: MatrixRow | None) -> None:
        manage = bool(self.view and self.view.view.can_manage)
        self._question = row.question.id if row else None
        self.editor.setEnabled(row is not None)
        if row is None:
            put(self.question_text, self.tr("No question was answered in this session."))
            self.question_text.setToolTip("")
            return
        put(self.question_text, self.tr("{0} ▸ {1}").format(row.section_title, row.question.text))
        qa = self.view.questions.get(row.question.id) if self.view else None
        # The matrix row shows the figures; the sentence says them in words.
        agreement = (
            self.tr("Agreement on this question across the form's recent sessions: {0}").format(
                alpha_sentence(qa.estimate, "sessions")
            )
            if qa
            else ""
        )
        self.question_text.setToolTip(agreement)
        self.question_text.setAccessibleDescription(agreement)
        self._filling = True
        self.agreed.clear()
        self.agreed.addItem(self.tr("No agreed answer yet"), NONE_AGREED)
        for option in row.question.options:
            self.agreed.addItem(option.label, option.id)
        if row.question.allow_na:
            self.agreed.addItem(self.tr("N/A"), NA_AGREED)
        self._filling = False
        agreed = row.agreed
        self._fill_editor(
            agreed.answer if agreed else None,
            agreed.note if agreed else "",
            agreed.guidance_change if agreed else False,
        )
        for widget in (self.agreed, self.guidance):
            widget.setEnabled(manage)
        self.note.setReadOnly(not manage)
        self.save_note.setVisible(manage)
        self.draft_button.setVisible(manage)
        self.draft_button.setEnabled(bool(agreed and agreed.note.strip()))
        self.locked.setVisible(not manage)
        self.locked.setText(
            ""
            if manage
            else self.tr(
                "The session's expert, whoever created it, or a supervisor writes the "
                "agreed answers and notes."
            )
        )

    def _fill_editor(self, answer: Answer | None, note: str, guidance: bool) -> None:
        self._filling = True
        key = answer_key(answer)
        if key is None:
            wanted: str = NONE_AGREED
        elif answer is not None and answer.na:
            wanted = NA_AGREED
        else:
            wanted = key
        self.agreed.setCurrentIndex(max(0, self.agreed.findData(wanted)))
        self.note.setPlainText(note)
        self.guidance.setChecked(guidance)
        self._filling = False
        self._dirty = False

    def _edited(self) -> None:
        if not self._filling:
            self._dirty = True
            self.draft_button.setEnabled(bool(self.note.toPlainText().strip()))

    def _to_editor(self) -> None:
        if self.agreed.isEnabled():
            self.agreed.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ---------------------------------------------------------------- asking
    def agreed_answer(self) -> Answer | None:
        question = self._question
        data = self.agreed.currentData()
        if question is None or data in (None, NONE_AGREED):
            return None
        if data == NA_AGREED:
            return Answer(question, na=True)
        return Answer(question, str(data))

    def save_current(self, question_id: str | None = None) -> None:
        question = question_id or self._question
        if question is None or not (self.view and self.view.view.can_manage):
            return
        self._dirty = False
        self.noteSaveRequested.emit(
            question, self.agreed_answer(), self.note.toPlainText(), self.guidance.isChecked()
        )

    def ask_guidance_draft(self) -> None:
        if self._question is None:
            return
        if self._dirty:
            self.save_current()
        self.guidanceDraftRequested.emit(self._question)

    def pending(self) -> bool:
        return self._dirty

    def first_focus(self) -> QWidget:
        return self.matrix
