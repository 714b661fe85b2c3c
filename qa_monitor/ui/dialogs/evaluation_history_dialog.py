"""Everything that happened to an evaluation, oldest first: submitted, edited, the agent's
answer, the dispute and its re-review (``DisputeService.history``), and the coaching
sessions that discussed it (``CoachingService.citing``).

Rules:
- Long reasons wrap; rows grow to fit them, nothing is cut off with "…".
- Ctrl+C (or Copy) puts the selected rows on the clipboard as tab-separated lines, with
  the column titles first, ready to paste into a spreadsheet or an email.
- Esc closes; the table has the focus when it opens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.records import EvaluationRow
from qa_monitor.services import Services
from qa_monitor.ui.audit_texts import evaluation_summary
from qa_monitor.ui.models.evaluation_history_model import (
    WHAT,
    WHEN,
    WHO,
    WHY,
    EvaluationHistoryModel,
)
from qa_monitor.ui.widgets.view_selection import select_row
from qa_monitor.ui.widgets.widget_style import em

# The direction marks that keep dates left-to-right on screen mean nothing in a paste.
_MARKS = str.maketrans({"\u2066": None, "\u2069": None, "\u200f": None, "\t": " ", "\n": " "})


def _plain(text: str) -> str:
    return text.translate(_MARKS)


class EvaluationHistoryDialog(QDialog):
    def __init__(self, services: Services, row: EvaluationRow, parent: QWidget | None = None):
        super().__init__(parent)
        title = self.tr("History of the evaluation")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        summary = QLabel(evaluation_summary(row))
        summary.setTextFormat(Qt.TextFormat.PlainText)  # names and titles people typed
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = EvaluationHistoryModel(self)
        evaluation = services.evaluations.get_evaluation(row.id)
        form = services.form_cache.form(evaluation.form_version_id)
        self.model.set_history(
            services.disputes.history(row.id),
            {q.id: q for _s, q in form.questions()},
            services.settings.centre().timezone,
            services.coaching.citing(row.id),
        )
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("History"))
        self.table.setModel(self.model)
        self._style_table()
        self.empty = QLabel(
            self.tr(
                "Nothing is recorded for this evaluation yet: its history starts when it "
                "is submitted."
            )
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setToolTip(
            self.tr("Copy the selected rows, or all of them, as text ({0})").format(
                QKeySequence(QKeySequence.StandardKey.Copy).toString(
                    QKeySequence.SequenceFormat.NativeText
                )
            )
        )
        self.copy_button.setAutoDefault(False)  # Enter closes, like Esc
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        self.copy_button.clicked.connect(self.copy_rows)
        self.copy_button.setEnabled(has_rows)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table, self.copy_rows)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        self.resize(em(self, 64), em(self, 30))
        self.table.setFocus()
        if has_rows:
            select_row(self.table, self.model.rowCount() - 1)  # the latest step

    def _style_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        table.verticalHeader().hide()
        # Rows follow their wrapped text whenever a column's width changes.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHO, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        table.setColumnWidth(WHY, em(self, 14))
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def copy_text(self) -> str:
        """The selected rows (all when none is selected) as tab-separated lines."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(self.model.rowCount()))
        titles = [
            str(self.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
            for c in range(self.model.columnCount())
        ]
        lines = ["\t".join(titles)]
        for row in rows:
            cells = (_plain(t) for t in self.model.row_texts(row))
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def copy_rows(self) -> None:
        if self.model.rowCount():
            QGuiApplication.clipboard().setText(self.copy_text())
