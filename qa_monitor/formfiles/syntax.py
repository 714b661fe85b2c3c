"""YAML syntax errors as form-file problems: the line the author must look at, and a hint."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from qa_monitor.formfiles.errors import FormFileProblem
from qa_monitor.formfiles.fields import FORM_SCOPE, Issue

# The parser notices these only on a later line; the mistake is where the context began.
_CONTEXT_FIRST = (
    "while scanning a simple key",
    "while scanning a quoted scalar",
    "while parsing a flow",
)

_HINTS = (
    ("could not find expected ':'", "write 'key: value'; check this line's indentation"),
    ("'\\t'", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "put the text in quotes when it contains ': '"),
    ("end of stream", "close the quote that starts here"),
    ("expected ',' or ']'", "close the [list] or quote text that contains commas"),
    ("expected ',' or '}'", "close the {mapping} or quote text that contains commas"),
    ("undefined alias", "quote text that starts with *"),
    ("another document", "a form file holds one form; remove the extra '---'"),
    ("cannot start any token", "quote text that starts with @ or `"),
    ("expected <block end>", "keys of one mapping must line up at the same indentation"),
)


def _mark_pos(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return (None, None)
    return (int(mark.line) + 1, int(mark.column) + 1)


def _hint(problem: str) -> str:
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return "check the indentation and quotes on this line"


def yaml_error_problem(err: MarkedYAMLError | ReaderError, text: str, source: str) -> Issue:
    """One located problem for a YAML error: the line to fix, a plain message, a hint."""
    if isinstance(err, ReaderError):
        problem = _bad_character(err, text, source)
    elif isinstance(err, DuplicateKeyError):
        problem = _duplicate_key(err, source)
    else:
        problem = _syntax(err, source)
    return Issue(problem, FORM_SCOPE, None)


def _bad_character(err: ReaderError, text: str, source: str) -> FormFileProblem:
    position = max(int(err.position), 0)
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = err.character
    code = char if isinstance(char, int) else ord(str(char)[:1] or "\0")
    return FormFileProblem(
        source,
        line,
        column,
        "form",
        f"the file contains a character YAML does not allow (U+{code:04X})",
        "remove it or write it as an escape in quotes",
    )


def _duplicate_key(err: DuplicateKeyError, source: str) -> FormFileProblem:
    found = re.search(r'duplicate key "(.*?)" with value', str(err.problem or ""))
    key = found.group(1) if found else "?"
    line, column = _mark_pos(err.problem_mark)
    message = f"key '{key}' appears twice in the same mapping"
    return FormFileProblem(source, line, column, "form", message, "keep only one of them")


def _syntax(err: MarkedYAMLError, source: str) -> FormFileProblem:
    what = str(err.problem or err.context or "unreadable YAML")
    context = str(err.context or "")
    noticed = err.problem_mark
    mark = noticed
    if err.context_mark is not None and (context.startswith(_CONTEXT_FIRST) or mark is None):
        mark = err.context_mark
    message = f"YAML syntax error: {what}"
    if mark is not noticed and noticed is not None and noticed.line != mark.line:
        message += f" (noticed on line {noticed.line + 1})"
    line, column = _mark_pos(mark)
    return FormFileProblem(source, line, column, "form", message, _hint(what))
