"""The questions the forms screen asks, built in one place and run through a ``Prompter``.

The screen never calls ``exec()`` itself: ``Prompter.run`` does, so a test can answer
a real dialog (click its button, check its text) without a nested event loop, and the
answer is always read back from the dialog (``clickedButton``/``result``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton, QWidget

MAX_LISTED = 12  # problems listed in a box's text; all of them go into its details


def tr(text: str) -> str:
    return QCoreApplication.translate("FormsScreen", text)


class Leave(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompter:
    """Runs the screen's dialogs and file pickers; tests replace what they answer."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def run(self, dialog: QDialog) -> int:
        return dialog.exec()

    def open_path(self, caption: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, caption, "", filters)
        return Path(name) if name else None

    def save_path(self, caption: str, suggested: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, caption, str(suggested), filters)
        return Path(name) if name else None


def _box(
    parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, informative: str = ""
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    return box


def listed(lines: Sequence[str]) -> str:
    """Lines as a bulleted list, at most ``MAX_LISTED`` of them, saying how many more."""
    shown = [f"• {line}" for line in lines[:MAX_LISTED]]
    if len(lines) > MAX_LISTED:
        shown.append(tr("… and {0} more (see Show Details)").format(len(lines) - MAX_LISTED))
    return "\n".join(shown)


def unsaved_box(parent: QWidget, title: str) -> tuple[QMessageBox, dict[QPushButton, Leave]]:
    box = _box(
        parent,
        QMessageBox.Icon.Warning,
        tr("Unsaved changes"),
        tr("“{0}” has changes that are not saved.").format(title),
        tr("Save them as the form's draft, discard them, or go back to editing?"),
    )
    save = box.addButton(tr("&Save draft"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(tr("&Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(tr("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box, {save: Leave.SAVE, discard: Leave.DISCARD, cancel: Leave.CANCEL}


def confirm_box(
    parent: QWidget, title: str, text: str, informative: str, verb: str
) -> tuple[QMessageBox, QPushButton]:
    """A question with one button that does it (``verb``) and Cancel (the default)."""
    box = _box(parent, QMessageBox.Icon.Question, title, text, informative)
    do = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box, do


def problems_box(parent: QWidget, title: str, text: str, problems: Sequence[str]) -> QMessageBox:
    """A refusal that lists every problem (all of them in the details, for copying)."""
    box = _box(parent, QMessageBox.Icon.Warning, title, text, listed(problems))
    box.setDetailedText("\n".join(problems))
    box.addButton(QMessageBox.StandardButton.Ok)
    return box


def info_box(parent: QWidget, title: str, text: str, informative: str = "") -> QMessageBox:
    box = _box(parent, QMessageBox.Icon.Information, title, text, informative)
    box.addButton(QMessageBox.StandardButton.Ok)
    return box


def error_box(parent: QWidget, title: str, text: str, informative: str = "") -> QMessageBox:
    box = _box(parent, QMessageBox.Icon.Warning, title, text, informative)
    box.addButton(QMessageBox.StandardButton.Ok)
    return box


def existing_id_box(
    parent: QWidget, form_id: str, title: str, draft_version: int | None
) -> tuple[QMessageBox, QPushButton, QPushButton]:
    """The imported file's id is taken: a new draft of that form, or a new form?"""
    informative = tr(
        "Import it as a new draft of “{0}” (publish it later as its next version), "
        "or as a separate new form with its own id?"
    ).format(title)
    if draft_version is not None:
        informative += " " + tr("The form's current draft (version {0}) would be replaced.").format(
            draft_version
        )
    box = _box(
        parent,
        QMessageBox.Icon.Question,
        tr("Form already exists"),
        tr("A form with the id '{0}' already exists.").format(form_id),
        informative,
    )
    as_draft = box.addButton(tr("New &draft of this form"), QMessageBox.ButtonRole.AcceptRole)
    as_new = box.addButton(tr("New &form…"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(cancel)
    return box, as_draft, as_new
