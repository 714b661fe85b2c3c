"""Comparing form versions: the diff view, the compare dialog and the publish confirmation.

Each change is a sentence with its kind shown as an icon, a word and a colour, and
whether it can move a score; a filter keeps only the changes that can.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_diff import FormDiff, diff_forms
from qa_monitor.core.forms import Form
from qa_monitor.ui.models.form_diff_model import FormDiffModel, ScoreChangesProxy
from qa_monitor.ui.widgets.widget_style import em, muted_label, scaled_font
from qa_monitor.ui.widgets.word_diff_delegate import WordDiffDelegate

LoadForm = Callable[[int], Form]


class FormDiffView(QWidget):
    """A summary line, a "score changes only" filter and the table of changes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Summary of changes"))
        self.summary.setFont(scaled_font(self.summary.font(), 1.1, bold=True))
        self.score_only = QCheckBox(self.tr("Only changes that affect &scores"))
        self.score_only.setAccessibleName(self.tr("Only changes that affect scores"))
        top.addWidget(self.summary, 1)
        top.addWidget(self.score_only)
        layout.addLayout(top)
        self.legend = muted_label(
            self.tr(
                "In a changed text, removed words are struck through and added words "
                "are underlined."
            )
        )
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self.model = FormDiffModel(self)
        self.proxy = ScoreChangesProxy(self)
        self.proxy.setSourceModel(self.model)
        self.score_only.toggled.connect(self.proxy.set_score_only)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Changes"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # A changed text shows its changed words under the sentence (a word-level diff).
        self.table.setItemDelegateForColumn(1, WordDiffDelegate(self.table))
        header = self.table.horizontalHeader()
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = muted_label(self.tr("These versions are identical."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)

    def set_diff(self, diff: FormDiff | None, empty_text: str = "") -> None:
        self.model.set_diff(diff)
        if diff is None or diff.is_empty:
            self.legend.hide()
            self.summary.setText(self.tr("No changes"))
            self.empty.setText(empty_text or self.tr("These versions are identical."))
            self.pages.setCurrentIndex(1)
            return
        summary = self.tr("{0}.").format(diff.summary())
        if diff.affects_score:
            summary += " " + self.tr("Scores can change.")
        else:
            summary += " " + self.tr("No change affects scores.")
        self.summary.setText(summary)
        self.legend.setVisible(any(c.before is not None for c in diff.changes))
        self.pages.setCurrentIndex(0)
        self.table.resizeRowsToContents()


class VersionDiffDialog(QDialog):
    """Compare any two versions of one form; ``versions`` are (label, version id), oldest
    first, and ``load`` gives a version's form."""

    def __init__(
        self,
        title: str,
        versions: Sequence[tuple[str, int]],
        load: LoadForm,
        old_id: int,
        new_id: int,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._load = load
        self._forms: dict[int, Form] = {}
        self.setWindowTitle(self.tr("Compare versions — {0}").format(title))
        self.resize(em(self, 52), em(self, 30))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.old = QComboBox()
        self.new = QComboBox()
        self.old.setAccessibleName(self.tr("Compare from version"))
        self.new.setAccessibleName(self.tr("Compare to version"))
        for label, version_id in versions:
            self.old.addItem(label, version_id)
            self.new.addItem(label, version_id)
        self.old.setCurrentIndex(max(self.old.findData(old_id), 0))
        self.new.setCurrentIndex(max(self.new.findData(new_id), 0))
        swap = QToolButton()
        swap.setText("⇄")
        swap.setToolTip(self.tr("Swap the two versions"))
        swap.setAccessibleName(self.tr("Swap versions"))
        swap.clicked.connect(self._swap)
        from_label = QLabel(self.tr("&From:"))
        from_label.setBuddy(self.old)
        to_label = QLabel(self.tr("&To:"))
        to_label.setBuddy(self.new)
        for widget in (from_label, self.old, swap, to_label, self.new):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.view = FormDiffView(self)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _form(self, version_id: int) -> Form:
        if version_id not in self._forms:
            self._forms[version_id] = self._load(version_id)
        return self._forms[version_id]

    def _swap(self) -> None:
        old, new = self.old.currentIndex(), self.new.currentIndex()
        self.old.blockSignals(True)
        self.old.setCurrentIndex(new)
        self.old.blockSignals(False)
        self.new.setCurrentIndex(old)
        self.refresh()

    def refresh(self) -> None:
        old_id, new_id = self.old.currentData(), self.new.currentData()
        if old_id is None or new_id is None:
            self.view.set_diff(None)
            return
        if old_id == new_id:
            self.view.set_diff(None, self.tr("Choose two different versions to compare."))
            return
        self.view.set_diff(diff_forms(self._form(old_id), self._form(new_id)))


class PublishDialog(QDialog):
    """Asks before publishing ``form`` as ``version``, showing what changes since the
    latest published version ``previous`` (``diff``; both None for a first version)."""

    def __init__(
        self,
        form: Form,
        version: int,
        previous: int | None,
        diff: FormDiff | None,
        previous_evaluations: int,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Publish “{0}”").format(form.title))
        first = previous is None or diff is None
        self.resize(em(self, 50), em(self, 12 if first else 26))
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Publish “{0}” as version {1}?").format(form.title, version))
        heading.setProperty("role", "pageTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if previous is None or diff is None:
            text = self.tr(
                "This is the form's first version: {0} sections, {1} questions. Reviewers can "
                "start evaluations with it as soon as it is published."
            ).format(len(form.sections), form.question_count)
        else:
            text = self.tr(
                "New evaluations will use version {0}. The {1} evaluations already made "
                "with earlier versions keep their version and their score. A published "
                "version never changes; to change it again, edit and publish a new one."
            ).format(version, previous_evaluations)
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        # A first version has nothing to compare with: no changes view at all (a view
        # made but never laid out would sit on top of the heading).
        self.view: FormDiffView | None = None
        if previous is not None and diff is not None:
            changes = QLabel(self.tr("Changes since version {0}:").format(previous))
            layout.addWidget(changes)
            empty = self.tr("Nothing changed since version {0}: no new version will be made.")
            self.view = FormDiffView(self)
            self.view.set_diff(diff, empty.format(previous))
            layout.addWidget(self.view, 1)
        else:
            layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.publish_button = self.buttons.addButton(
            self.tr("Publish version {0}").format(version),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.publish_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
