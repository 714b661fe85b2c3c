"""A problem found in a form: what is wrong, where (section, question, property) and how to fix it.

Validation collects every problem at once rather than stopping at the first, so an author
fixes a form in one pass; ``FormInvalidError`` carries them all to whoever refused the form.
A problem is an error (the form cannot be published; ``form_validation``) or a warning
(worth a look, never blocking; ``form_warnings``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from qa_monitor.core.forms import Question, Section

Add = Callable[["FormProblem"], None]


class Severity(StrEnum):
    ERROR = "error"  # the form cannot be published until it is fixed
    WARNING = "warning"  # probably a mistake, but the form can be published as it is


@dataclass(frozen=True, slots=True)
class FormProblem:
    message: str
    hint: str = ""
    section_id: str | None = None
    question_id: str | None = None
    # The property at fault ("points", "options", "condition", ...), for editors to highlight.
    field: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    @property
    def location(self) -> str:
        parts = []
        if self.section_id:
            parts.append(f"section '{self.section_id}'")
        if self.question_id:
            parts.append(f"question '{self.question_id}'")
        if self.field:
            parts.append(self.field)
        return " › ".join(parts) if parts else "form"

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class FormInvalidError(ValueError):
    def __init__(self, problems: list[FormProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def question_problem(
    section: Section, question: Question, message: str, hint: str, field: str
) -> FormProblem:
    """A problem with ``field`` of ``question``, located by its section and its own id."""
    return FormProblem(message, hint, section.id, question.id, field)
