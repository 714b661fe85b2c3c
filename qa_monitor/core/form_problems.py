"""A problem found in a form: what is wrong, where (section, question, property) and how to fix it.

Validation collects every problem at once rather than stopping at the first, so an author
fixes a form in one pass; ``FormInvalidError`` carries them all to whoever refused the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qa_monitor.core.forms import Question, Section

Add = Callable[["FormProblem"], None]


@dataclass(frozen=True, slots=True)
class FormProblem:
    message: str
    hint: str = ""
    section_id: str | None = None
    question_id: str | None = None
    # The property at fault ("points", "options", "condition", ...), for editors to highlight.
    field: str | None = None

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
