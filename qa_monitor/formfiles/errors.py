"""Problems found in a form file, each naming the file, the line and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FormFileProblem:
    """One problem in a form file.

    ``line`` and ``column`` count from 1 and are None when the problem belongs to the
    whole file (empty, unreadable). ``location`` names the part of the form, e.g.
    ``section 'opening' › question 'greeted_by_name'``.
    """

    path: str
    line: int | None
    column: int | None
    location: str
    message: str
    hint: str = ""
    # A warning is worth a look but does not stop the form from loading or being published.
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        kind = "warning: " if self.warning else ""
        text = f"{where}: {self.location or 'form'}: {kind}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def render_problems(problems: Iterable[FormFileProblem]) -> str:
    """One problem per line, in the order given (file order for one file)."""
    return "\n".join(str(p) for p in problems)


class FormFileError(ValueError):
    """A form file could not be read; ``problems`` lists every reason, not just the first."""

    def __init__(self, path: str, problems: list[FormFileProblem]):
        self.path = path
        self.problems = problems
        super().__init__(render_problems(problems))
