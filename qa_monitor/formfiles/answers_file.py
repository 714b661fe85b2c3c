"""Answers files for `qa-monitor score`: question id -> answer, in YAML or JSON.

Each value is an option id ("yes", "3"), "N/A", a list of option ids (tags), a
number, text, or a mapping {value, na, comment, timestamp_ms}.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from qa_monitor.core.answers import Answer
from qa_monitor.core.forms import Form, Question

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
            problems.append(f"{where}: '{qid}' is not a question of form '{form.id}'")
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
        ts = raw.get("timestamp_ms")
        return Answer(
            qid,
            value=_plain(raw.get("value"), question),
            na=bool(raw.get("na", False)),
            comment=str(raw.get("comment") or ""),
            timestamp_ms=int(ts) if ts is not None else None,
        )
    if isinstance(raw, str) and raw.strip().lower() in NA_WORDS:
        if not question.allow_na:
            problems.append(f"{where}: '{qid}' does not allow N/A; choose an answer")
            return None
        return Answer(qid, na=True)
    return Answer(qid, value=_plain(raw, question))


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
