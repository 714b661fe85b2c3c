"""Answers files for `qa-monitor score`: question id -> answer, in YAML or JSON.

Each value is an option ("yes", "3"), "N/A", a list of options (tags), a number,
text, or a mapping {value, na, comment, timestamp_ms}. An option may be written as its
id or as its label as the form shows it ("Yes", "Meets expectations"), in any case; an
answer that names no option of its question is a problem, never an empty answer.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form, Option, Question

NA_WORDS = frozenset({"n/a", "na", "not applicable"})
ANSWER_KEYS = frozenset({"value", "na", "comment", "timestamp_ms"})


class AnswersFileError(ValueError):
    """A problem list for one answers file; str() gives one 'file:line: message' per line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


def load_answers(path: Path, form: Form) -> dict[str, Answer]:
    """Read ``path`` and turn it into answers for ``form``, reporting every problem at once."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnswersFileError(path, [f"{path}: file not found"]) from None
    except UnicodeDecodeError:
        raise AnswersFileError(path, [f"{path}: not UTF-8 text; save it as UTF-8"]) from None
    except OSError as exc:
        raise AnswersFileError(path, [f"{path}: cannot be read ({exc.strerror})"]) from None
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML or JSON"
        raise AnswersFileError(path, [f"{path}{line}: {problem}"]) from None
    if not isinstance(data, dict):
        raise AnswersFileError(
            path, [f"{path}: expected a mapping of question id to answer, e.g. 'greeting: yes'"]
        )
    problems: list[str] = []
    answers: dict[str, Answer] = {}
    for key, raw in data.items():
        qid = str(key)
        where = f"{path}:{_line(data, key)}"
        question = form.question(qid)
        if question is None:
            problems.append(_unknown_question(form, qid, where))
            continue
        answer = _to_answer(question, raw, where, problems)
        if answer is not None:
            answers[qid] = answer
    if problems:
        raise AnswersFileError(path, problems)
    return answers


def _line(data: Any, key: Any) -> int | str:
    try:
        return int(data.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return "?"


def _to_answer(question: Question, raw: Any, where: str, problems: list[str]) -> Answer | None:
    qid = question.id
    if isinstance(raw, dict):
        unknown = set(map(str, raw)) - ANSWER_KEYS
        if unknown:
            problems.append(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))} for '{qid}' "
                f"(allowed: {', '.join(sorted(ANSWER_KEYS))})"
            )
            return None
        value = _plain(raw.get("value"), question)
        na = bool(raw.get("na", False)) or _is_na(value)
        if na and not question.allow_na:
            problems.append(f"{where}: '{qid}' does not allow N/A; choose an answer")
            return None
        ts = raw.get("timestamp_ms")
        if not na and not _options_known(question, value, where, problems):
            return None
        return Answer(
            qid,
            value=None if na else _option_ids(question, value),
            na=na,
            comment=str(raw.get("comment") or ""),
            timestamp_ms=int(ts) if ts is not None else None,
        )
    if _is_na(raw):
        if not question.allow_na:
            problems.append(f"{where}: '{qid}' does not allow N/A; choose an answer")
            return None
        return Answer(qid, na=True)
    value = _plain(raw, question)
    if not _options_known(question, value, where, problems):
        return None
    return Answer(qid, value=_option_ids(question, value))


def _is_na(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in NA_WORDS


def _unknown_question(form: Form, qid: str, where: str) -> str:
    ids = [q.id for _s, q in form.questions()]
    close = difflib.get_close_matches(qid, ids, n=1) or [
        i for i in ids if i.casefold() == qid.casefold()
    ]
    if close:
        return f"{where}: '{qid}' is not a question of form '{form.id}'; did you mean '{close[0]}'?"
    return (
        f"{where}: '{qid}' is not a question of form '{form.id}'; use the question ids "
        f"written in the form file"
    )


def _match_option(question: Question, given: str) -> Option | None:
    """The option ``given`` names: its id exactly, else its id or label ignoring case and
    surrounding spaces (a label shared by two options matches neither)."""
    exact = question.option(given)
    if exact is not None:
        return exact
    key = _folded(given)
    for field in ("id", "label"):
        found = [o for o in question.options if _folded(getattr(o, field)) == key]
        if len(found) == 1:
            return found[0]
    return None


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _accepted(question: Question) -> str:
    shown = [
        o.id if _folded(o.label) == _folded(o.id) else f"{o.id} ({o.label})"
        for o in question.options
    ]
    if question.allow_na:
        shown.append("N/A")
    return ", ".join(shown)


def _options_known(question: Question, value: Any, where: str, problems: list[str]) -> bool:
    """Whether every option named in ``value`` exists; adds one problem per one that does not."""
    if not question.type.has_options or value is None:
        return True
    given = value if isinstance(value, tuple) else (value,)
    ok = True
    for item in given:
        if item.strip() and _match_option(question, item) is None:
            problems.append(
                f"{where}: the answer '{item}' to '{question.id}' is none of its options; "
                f"write one of: {_accepted(question)}"
            )
            ok = False
    return ok


def _option_ids(question: Question, value: Any) -> Any:
    """``value`` with every option named by its id (call after _options_known)."""
    if not question.type.has_options or value is None:
        return value
    if isinstance(value, tuple):
        return tuple(_option_id(question, v) for v in value)
    return _option_id(question, value)


def _option_id(question: Question, given: str) -> str:
    option = _match_option(question, given)
    return option.id if option is not None else given


def _plain(value: Any, question: Question) -> Any:
    """The answer value in the form core expects: option ids are always text."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, bool):
        # YAML 1.2 keeps yes/no as text, but true/false are booleans: read them as yes/no.
        return "yes" if value else "no"
    if value is None:
        return None
    if question.type.has_options:
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, int | float):
        return float(value) if isinstance(value, float) else int(value)
    return str(value)
