"""Form files: one YAML 1.2 file per form <-> the core ``Form`` (format: forms/README.md).

- ``parse_form``/``load_form`` check structure (keys, types, enum values, format version)
  and raise ``FormFileError`` listing every problem with its line. They do not judge the
  form itself, so a draft with problems still loads (pass ``validate=True`` to refuse it).
- ``validate_form_file`` returns every problem at once: YAML syntax, structure, then
  the core ``validate_form`` rules placed on the lines they concern.
- ``form_file_warnings`` returns the core ``form_warnings`` (points that do not add up
  to a section's declared maximum, weighted-mode weights that do not add up to 100): worth
  a look, never blocking.
- ``dump_form``/``save_form`` write the form back with defaults left out;
  ``parse_form(dump_form(f)) == f`` for every form (NaN numbers aside).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from qa_monitor.core.forms import Form
from qa_monitor.formfiles.errors import FormFileError, FormFileProblem
from qa_monitor.formfiles.placement import place_core_problems, place_core_warnings
from qa_monitor.formfiles.reader import ReadResult, read_form_text
from qa_monitor.formfiles.writer import dump_form
from qa_monitor.formfiles.yaml_limits import too_large


def _sorted(problems: list[FormFileProblem]) -> list[FormFileProblem]:
    """File order; problems about the whole file (no line) first. The sort is stable."""
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _read_problems(result: ReadResult) -> list[FormFileProblem]:
    return [issue.problem for issue in result.issues.items]


def _all_problems(result: ReadResult) -> list[FormFileProblem]:
    problems = _read_problems(result)
    if result.form is not None:
        problems += place_core_problems(result.form, result)
    return _sorted(problems)


def _read_file(path: Path) -> tuple[str | None, list[FormFileProblem]]:
    """The file's text, or the problem that kept it from being read (missing, not UTF-8)."""
    source = str(path)
    try:
        # Refused before it is read: a form file is never megabytes.
        refusal = too_large(path.stat().st_size)
        if refusal is not None:
            return None, [
                FormFileProblem(source, None, None, "form", refusal.message, refusal.hint)
            ]
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        return None, [
            FormFileProblem(source, None, None, "form", f"cannot read the file: {reason}")
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        byte = data[err.start : err.start + 1].hex()
        problem = FormFileProblem(
            source,
            line,
            column,
            "form",
            f"the file is not valid UTF-8 (byte 0x{byte} at line {line}, column {column})",
            "save the file with UTF-8 encoding",
        )
        return None, [problem]


def parse_form(text: str, source: str = "<text>", *, validate: bool = False) -> Form:
    """The Form written in ``text``.

    Raises ``FormFileError`` with every structural problem (syntax, unknown keys, wrong
    types, missing keys, bad enum values, unsupported format); with ``validate=True`` the
    core ``validate_form`` problems too. ``source`` names the text in messages.
    """
    result = read_form_text(text, source)
    problems = _all_problems(result) if validate else _sorted(_read_problems(result))
    if problems or result.form is None:
        raise FormFileError(source, problems)
    return result.form


def load_form(path: Path, *, validate: bool = False) -> Form:
    """The Form in the file at ``path`` (UTF-8); raises ``FormFileError`` as ``parse_form``."""
    text, problems = _read_file(Path(path))
    if text is None:
        raise FormFileError(str(path), problems)
    return parse_form(text, str(path), validate=validate)


def validate_form_text(text: str, source: str = "<text>") -> list[FormFileProblem]:
    """Every problem in ``text``, in file order: structure first, then the core's rules.

    An empty list means the form loads and can be published.
    """
    return _all_problems(read_form_text(text, source))


def validate_form_file(path: Path) -> list[FormFileProblem]:
    """Every problem in the file at ``path`` (see ``validate_form_text``); never raises."""
    text, problems = _read_file(Path(path))
    if text is None:
        return problems
    return validate_form_text(text, str(path))


def check_form_file(path: Path) -> tuple[list[FormFileProblem], list[FormFileProblem]]:
    """(``validate_form_file(path)``, ``form_file_warnings(path)``), reading and parsing
    the file once."""
    text, problems = _read_file(Path(path))
    if text is None:
        return problems, []
    result = read_form_text(text, str(path))
    if result.form is None or result.issues.items:
        return _all_problems(result), []
    return _all_problems(result), _sorted(place_core_warnings(result.form, result))


def form_text_warnings(text: str, source: str = "<text>") -> list[FormFileProblem]:
    """The warnings about the form in ``text``, in file order (each with ``warning`` set).

    A file that cannot be read gets none: its problems come first.
    """
    result = read_form_text(text, source)
    if result.form is None or result.issues.items:
        return []
    return _sorted(place_core_warnings(result.form, result))


def form_file_warnings(path: Path) -> list[FormFileProblem]:
    """The warnings about the form in the file at ``path`` (see ``form_text_warnings``)."""
    text, _problems = _read_file(Path(path))
    return [] if text is None else form_text_warnings(text, str(path))


def save_form(form: Form, path: Path) -> None:
    """Write ``form`` to ``path`` atomically: a temporary file beside it, then os.replace.

    Readers see the old file or the new one, never half of one; on failure the old
    file is left as it was.
    """
    path = Path(path)
    text = dump_form(form)
    # A fresh name opened with "x" (not mkstemp) so the file gets the usual permissions.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


__all__ = [
    "FormFileError",
    "FormFileProblem",
    "check_form_file",
    "dump_form",
    "form_file_warnings",
    "form_text_warnings",
    "load_form",
    "parse_form",
    "save_form",
    "validate_form_file",
    "validate_form_text",
]
