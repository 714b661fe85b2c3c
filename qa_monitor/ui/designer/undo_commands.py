"""Undo for the form designer: every edit is a snapshot of the form before and after.

Forms are immutable values, so a command keeps two Forms and the selection that goes with
each; undo puts back the "before" form *and* selects what was selected then. Consecutive
keystrokes in one field carry the same merge key and become one command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from qa_monitor.core.forms import Form

_MERGE_ID = 0x5F0E  # one id for every mergeable command; the merge key decides


@dataclass(frozen=True, slots=True)
class Selection:
    """What the editor shows, by position (ids may be duplicated while the user types):
    nothing (the form's settings), a section, or a question of a section."""

    section: int | None = None
    question: int | None = None

    @property
    def is_form(self) -> bool:
        return self.section is None

    @property
    def is_section(self) -> bool:
        return self.section is not None and self.question is None

    @property
    def is_question(self) -> bool:
        return self.section is not None and self.question is not None


FORM_SELECTION = Selection()


class EditTarget(Protocol):
    def restore(self, form: Form, selection: Selection) -> None: ...


class FormEditCommand(QUndoCommand):
    def __init__(
        self,
        target: EditTarget,
        text: str,
        before: tuple[Form, Selection],
        after: tuple[Form, Selection],
        merge_key: tuple[object, ...] | None = None,
    ) -> None:
        super().__init__(text)
        self._target = target
        self._before = before
        self._after = after
        self._merge_key = merge_key

    def id(self) -> int:
        return _MERGE_ID if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FormEditCommand) or other._merge_key != self._merge_key:
            return False
        self._after = other._after
        # Typing a value and deleting it again leaves nothing to undo.
        self.setObsolete(self._after[0] == self._before[0])
        return True

    def redo(self) -> None:
        self._target.restore(*self._after)

    def undo(self) -> None:
        self._target.restore(*self._before)
