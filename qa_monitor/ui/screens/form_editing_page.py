"""The forms screen's editing page: a header (what is being edited, its problems, whether
it is saved) with Back / Save draft / Publish, above the form editor.

The page knows nothing of the database: the screen saves and publishes when asked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_validation import FormProblem
from qa_monitor.core.forms import Form
from qa_monitor.ui import icons
from qa_monitor.ui.designer.form_editor_widget import FormEditorWidget
from qa_monitor.ui.widgets.widget_style import danger_color, muted_label, set_text_color

MAX_MENU_PROBLEMS = 30


class FormEditingPage(QWidget):
    backRequested = Signal()
    saveRequested = Signal()
    publishRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.form_id = ""
        self.version = 0  # the number this draft gets when published
        self.stored = False  # whether the draft exists in the database
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        rtl = QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
        self.back_button = self._button(
            self.tr("Back"),
            "mdi6.arrow-right" if rtl else "mdi6.arrow-left",  # back points to where we came from
            "Alt+Left",
            self.tr("Back to the list of forms"),
        )
        self.back_button.clicked.connect(self.backRequested)
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.title.setAccessibleName(self.tr("Form being edited"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_button = QToolButton()
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.problems_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.problems_button.setAccessibleName(self.tr("Problems to fix before publishing"))
        self.problems_menu = QMenu(self.problems_button)
        self.problems_button.setMenu(self.problems_menu)
        self.save_button = self._button(
            self.tr("Save draft"), "mdi6.content-save-outline", "Ctrl+S", self.tr("Save draft")
        )
        self.save_button.clicked.connect(self.saveRequested)
        self.publish_button = self._button(
            self.tr("Publish…"),
            "mdi6.publish",
            "Ctrl+Shift+P",
            self.tr("Publish as a new version reviewers can use"),
        )
        self.publish_button.clicked.connect(self.publishRequested)
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        for widget in (self.problems_button, self.save_button, self.publish_button):
            header.addWidget(widget)
        layout.addLayout(header)
        self.saved_label = muted_label("")
        self.saved_label.setAccessibleName(self.tr("Save state"))
        layout.addWidget(self.saved_label)
        self.editor = FormEditorWidget(self)
        layout.addWidget(self.editor, 1)
        self.editor.formChanged.connect(self._update)
        self.editor.dirtyChanged.connect(lambda _dirty: self._update())

    def _button(self, text: str, icon: str, keys: str, tip: str) -> QPushButton:
        button = QPushButton(icons.icon(icon, color=self.palette().text().color()), text)
        button.setAccessibleName(text.rstrip("…"))
        # A page action, not a button shortcut, so the keys work wherever the focus is here.
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(button.click)
        self.addAction(action)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{tip} ({native})")
        return button

    # ---------------------------------------------------------------- state
    def start(self, form: Form, version: int, *, stored: bool, id_editable: bool = False) -> None:
        """Edit ``form``, the draft that becomes version ``version`` when published."""
        self.form_id, self.version, self.stored = form.id, version, stored
        self.editor.load(form, id_editable=id_editable)
        self._update()

    def saved(self, version: int) -> None:
        """The editor's form was stored as the draft of ``version``."""
        self.version, self.stored = version, True
        self.editor.mark_saved()
        self._update()

    def is_dirty(self) -> bool:
        return self.editor.is_dirty()

    def form(self) -> Form:
        return self.editor.form()

    def problems(self) -> list[FormProblem]:
        return self.editor.problems()

    def _update(self) -> None:
        form = self.editor.form()
        if self.stored:
            text = self.tr("Editing “{0}” — draft of version {1}")
        else:
            text = self.tr("Editing “{0}” — new draft of version {1}")
        self.title.setText(text.format(form.title or form.id, self.version))
        dirty = self.editor.is_dirty()
        if dirty:
            saved = self.tr("Unsaved changes — Save draft (Ctrl+S) keeps them.")
        elif self.stored:
            saved = self.tr("All changes saved as the draft.")
        else:
            saved = self.tr(
                "Nothing stored yet: the draft is saved when you change something and save."
            )
        self.saved_label.setText(saved)
        self._update_problems(self.editor.problems())

    def _update_problems(self, problems: list[FormProblem]) -> None:
        color = self.palette().text().color()
        self.problems_menu.clear()
        if problems:
            count = len(problems)
            text = self.tr("1 problem") if count == 1 else self.tr("{0} problems").format(count)
            icon = icons.icon("mdi6.alert-circle-outline", color=danger_color(self.palette()))
            tip = self.tr("Fix these before publishing; choose one to go to it")
            for problem in problems[:MAX_MENU_PROBLEMS]:
                action = self.problems_menu.addAction(str(problem))
                action.triggered.connect(
                    lambda _c=False, p=problem: (
                        self.editor.select(p.section_id, p.question_id) if p.section_id else None
                    )
                )
        else:
            text = self.tr("No problems")
            icon = icons.icon("mdi6.check-circle-outline", color=color)
            tip = self.tr("The form can be published")
            self.problems_menu.addAction(tip).setEnabled(False)
        self.problems_button.setText(text)
        self.problems_button.setIcon(icon)
        self.problems_button.setToolTip(tip)
        set_text_color(self.problems_button, danger_color(self.palette()) if problems else color)
