"""Start a new form: blank, from a shipped template, from a YAML file, or as a copy.

The dialog only collects a title and an unused id and builds the ``Form``; the caller
stores it as a draft. ``FormIdentityFields`` (title + id, the id following the title
until typed over) is shared with the scorecard import dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.form_edit import slugify, unique_id
from qa_monitor.core.form_validation import ID_HINT, ID_PATTERN
from qa_monitor.core.forms import Form
from qa_monitor.formfiles import FormFileError, load_form
from qa_monitor.ui.widgets.widget_style import danger_color, em, muted_label, set_text_color
from qa_monitor.ui.workers import wait_for_worker


def read_form_file(path: Path) -> Form | FormFileError:
    """The form in ``path``, or why it cannot be read (run off the GUI thread: a form
    file is bounded, but its reading still takes up to a few seconds)."""
    try:
        return load_form(path)
    except FormFileError as exc:
        return exc


class Source(Enum):
    BLANK = "blank"
    TEMPLATE = "template"
    FILE = "file"
    COPY = "copy"


def slug(text: str) -> str:
    """A valid form id read from a title in any of our users' scripts."""
    return slugify(text, fallback="form")


def unused_id(wanted: str, taken: Collection[str]) -> str:
    """``wanted`` (made valid) if free, else ``wanted_2``, ``wanted_3``, ..."""
    return unique_id(wanted if ID_PATTERN.match(wanted) else slug(wanted), taken)


class FormIdentityFields(QWidget):
    """Title and id of a new form, with the reason either is not usable yet."""

    changed = Signal()

    def __init__(self, taken_ids: Collection[str], parent: QWidget | None = None):
        super().__init__(parent)
        self._taken = set(taken_ids)
        self._id_typed = False
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Form title"))
        self.title.setPlaceholderText(self.tr("e.g. Inbound sales call"))
        self.form_id = QLineEdit()
        self.form_id.setAccessibleName(self.tr("Form id"))
        self.form_id.setToolTip(
            self.tr("Reports follow a form by its id; it cannot change once saved")
        )
        self.form_id.setMaxLength(64)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Form id or title problem"))
        set_text_color(self.error, danger_color(self.error.palette()))
        layout.addRow(self.tr("&Title:"), self.title)
        layout.addRow(self.tr("&Id:"), self.form_id)
        layout.addRow("", muted_label(self.tr("Lowercase letters, digits and _, e.g. sales_call")))
        layout.addRow("", self.error)
        self.title.textChanged.connect(self._title_changed)
        self.form_id.textEdited.connect(self._id_edited)
        self.form_id.textChanged.connect(lambda _t: self._check())

    def set_identity(self, title: str, form_id: str) -> None:
        """Propose ``title`` and a free id based on ``form_id`` (the user may change both)."""
        self._id_typed = False
        self.title.setText(title)
        self.form_id.setText(unused_id(form_id or slug(title), self._taken))
        self._id_typed = bool(form_id)  # a source's own id is kept when the title changes

    def values(self) -> tuple[str, str]:
        return self.title.text().strip(), self.form_id.text().strip()

    def problem(self) -> str:
        """Why the title or id cannot be used, or "" when both can."""
        title, form_id = self.values()
        if not title:
            return self.tr("Give the form a title.")
        if not ID_PATTERN.match(form_id):
            return self.tr("The id '{0}' is not valid: {1}.").format(form_id, ID_HINT)
        if form_id in self._taken:
            return self.tr("A form with the id '{0}' already exists; choose another id.").format(
                form_id
            )
        return ""

    def _title_changed(self, text: str) -> None:
        if not self._id_typed:
            self.form_id.setText(unused_id(slug(text), self._taken) if text.strip() else "")
        self._check()

    def _id_edited(self, _text: str) -> None:
        self._id_typed = True

    def _check(self) -> None:
        self.error.setText(self.problem())
        self.changed.emit()


class NewFormDialog(QDialog):
    def __init__(
        self,
        taken_ids: Collection[str],
        templates: Sequence[Form],
        parent: QWidget | None = None,
        *,
        source: Source = Source.BLANK,
        base: Form | None = None,
        choose_file: Callable[[], Path | None] | None = None,
    ):
        super().__init__(parent)
        self._templates = list(templates)
        self._base = base
        self._file_form: Form | None = None
        self._choose_file = choose_file or self._ask_file
        self.setWindowTitle(self.tr("Duplicate form") if base else self.tr("New form"))
        self.setMinimumWidth(em(self, 34))
        layout = QVBoxLayout(self)
        if base is not None:
            heading = self.tr("Copy “{0}” as a new form with its own id and versions.")
            layout.addWidget(QLabel(heading.format(base.title), wordWrap=True))
        self.sources = QButtonGroup(self)
        grid = QGridLayout()
        self.blank = QRadioButton(self.tr("&Blank form"))
        self.from_template = QRadioButton(self.tr("From a &template:"))
        self.template = QComboBox()
        self.template.setAccessibleName(self.tr("Template"))
        for form in self._templates:
            self.template.addItem(
                self.tr("{0} ({1} questions)").format(form.title, form.question_count), form.id
            )
        self.from_file = QRadioButton(self.tr("From a &YAML file:"))
        self.path = QLineEdit(readOnly=True, placeholderText=self.tr("No file chosen"))
        self.path.setAccessibleName(self.tr("Form file"))
        browse = QPushButton(self.tr("B&rowse…"))
        browse.clicked.connect(self.browse)
        for row, (radio, widget) in enumerate(
            ((self.blank, None), (self.from_template, self.template), (self.from_file, self.path))
        ):
            self.sources.addButton(radio, row)
            grid.addWidget(radio, row, 0)
            if widget is not None:
                grid.addWidget(widget, row, 1)
        grid.addWidget(browse, 2, 2)
        grid.setColumnStretch(1, 1)
        self.from_template.setEnabled(bool(self._templates))
        self.file_problems = QPlainTextEdit(readOnly=True)
        self.file_problems.setAccessibleName(self.tr("Problems in the form file"))
        self.file_problems.setMaximumHeight(em(self, 7))
        self.file_problems.hide()
        self.identity = FormIdentityFields(taken_ids, self)
        if base is None:
            layout.addLayout(grid)
            layout.addWidget(self.file_problems)
        layout.addWidget(self.identity)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Create draft"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.sources.idToggled.connect(self._source_toggled)
        self.template.currentIndexChanged.connect(lambda _i: self._source_changed())
        self.identity.changed.connect(self._update_ok)
        if base is not None:
            self.identity.set_identity(self.tr("{0} (copy)").format(base.title), base.id)
        else:
            self.set_source(source)
        self._update_ok()

    # ---------------------------------------------------------------- sources
    def source(self) -> Source:
        if self._base is not None:
            return Source.COPY
        return [Source.BLANK, Source.TEMPLATE, Source.FILE][max(self.sources.checkedId(), 0)]

    def set_source(self, source: Source) -> None:
        button = {Source.TEMPLATE: self.from_template, Source.FILE: self.from_file}.get(
            source, self.blank
        )
        if not button.isEnabled():
            button = self.blank
        button.setChecked(True)
        self._source_changed()

    def _source_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._source_changed()

    def _source_changed(self) -> None:
        base = self._source_form()
        if base is not None:
            self.identity.set_identity(base.title, base.id)
        elif self.source() is Source.BLANK:
            self.identity.set_identity("", "")
        self._update_ok()

    def _source_form(self) -> Form | None:
        source = self.source()
        if source is Source.TEMPLATE and self._templates:
            return self._templates[max(self.template.currentIndex(), 0)]
        if source is Source.FILE:
            return self._file_form
        if source is Source.COPY:
            return self._base
        return None

    def browse(self) -> None:
        path = self._choose_file()
        if path is not None:
            self.load_file(path)

    def _ask_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a form file"), "", self.tr("Form files (*.yaml *.yml)")
        )
        return Path(name) if name else None

    def load_file(self, path: Path) -> bool:
        """Read the YAML form at ``path``; its problems are listed here, never raised."""
        self.path.setText(str(path))
        read = wait_for_worker(
            self, lambda: read_form_file(path), self.tr("Reading {0}…").format(path.name)
        )
        if isinstance(read, FormFileError):
            self._file_form = None
            self.file_problems.setPlainText(
                self.tr("The file cannot be imported; fix these lines and try again:")
                + "\n"
                + "\n".join(str(p) for p in read.problems)
            )
            self.file_problems.show()
        else:
            self._file_form = read
            self.file_problems.hide()
        self.from_file.setChecked(True)
        self._source_changed()
        return self._file_form is not None

    # ---------------------------------------------------------------- result
    def problem(self) -> str:
        if self.source() is Source.FILE and self._file_form is None:
            return self.tr("Choose a form file that reads without problems.")
        return self.identity.problem()

    def _update_ok(self) -> None:
        problem = self.problem()
        self.ok.setEnabled(not problem)
        self.ok.setToolTip(problem)

    def form(self) -> Form | None:
        """The new form with the chosen title and id, or None while something is missing."""
        if self.problem():
            return None
        title, form_id = self.identity.values()
        base = self._source_form()
        if base is None:
            return Form(id=form_id, title=title)
        return replace(base, id=form_id, title=title)

    def accept(self) -> None:
        if self.form() is not None:
            super().accept()


__all__ = ["FormIdentityFields", "NewFormDialog", "Source", "slug", "unused_id"]
