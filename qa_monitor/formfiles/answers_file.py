"""Answers files for `qa-monitor score`: question id -> answer, in YAML or JSON.

Each value is an option ("yes", "3"), "N/A", a list of options (tags), a number,
text, or a mapping {value, na, comment, timestamp_ms}. An option may be written as its
id or as its label as the form shows it ("Yes", "Meets expectations"), in any case; an
answer that names no option of its question is a problem, never an empty answer.

Types are strict, because YAML 1.2 reads ``na: no`` as the text "no" (only true/false
are booleans) and a plain ``bool()`` would make it true: ``na`` takes true/false or
yes/no in any case and nothing else; ``timestamp_ms`` a whole number of milliseconds
from 0 to 24 hours (never .inf, .nan, text or a negative number); a number answer a
finite number. The file is bounded like a form file (size, aliases, nesting: see
``yaml_limits``).
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from qa_monitor.core.answers import Answer
from qa_monitor.core.echo_text import shorten
from qa_monitor.core.forms import Form, Option, Question, QuestionType
from qa_monitor.formfiles.yaml_limits import YamlLimitError, load_bounded, too_large

NA_WORDS = frozenset({"n/a", "na", "not applicable"})
ANSWER_KEYS = frozenset({"value", "na", "comment", "timestamp_ms"})
# The spellings ``na`` accepts (any case); anything else is refused, never guessed.
NA_TRUE = frozenset({"true", "yes"})
NA_FALSE = frozenset({"false", "no"})
# A timestamp points into a recording; none lasts a day.
MAX_TIMESTAMP_MS = 24 * 60 * 60 * 1000


class AnswersFileError(ValueError):
    """A problem list for one answers file; str() gives one 'file:line: message' per line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


def load_answers(path: Path, form: Form) -> dict[str, Answer]:
    """Read ``path`` and turn it into answers for ``form``, reporting every problem at once."""
    try:
        refusal = too_large(path.stat().st_size)
        if refusal is not None:
            raise AnswersFileError(path, [f"{path}: {refusal}"])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnswersFileError(path, [f"{path}: file not found"]) from None
    except UnicodeDecodeError:
        raise AnswersFileError(path, [f"{path}: not UTF-8 text; save it as UTF-8"]) from None
    except OSError as exc:
        raise AnswersFileError(path, [f"{path}: cannot be read ({exc.strerror})"]) from None
    try:
        data = load_bounded(text)
    except YamlLimitError as exc:
        line = f":{exc.line}" if exc.line is not None else ""
        raise AnswersFileError(path, [f"{path}{line}: {exc}"]) from None
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
        if not _scalar_or_list(raw.get("value")):
            problems.append(f"{where}: the value of '{qid}' {_VALUE_KINDS}")
            return None
        value = _plain(raw.get("value"), question)
        flag = _na_flag(raw.get("na"), qid, where, problems)
        ts_ok, ts = _timestamp(raw.get("timestamp_ms"), qid, where, problems)
        comment = raw.get("comment")
        if isinstance(comment, dict | list):
            problems.append(f"{where}: the comment on '{qid}' must be text")
            return None
        if flag is None or not ts_ok or not _number_ok(question, value, where, problems):
            return None
        na = flag or _is_na(value)
        if na and not question.allow_na:
            problems.append(f"{where}: '{qid}' does not allow N/A; choose an answer")
            return None
        if not na and not _options_known(question, value, where, problems):
            return None
        return Answer(
            qid,
            value=None if na else _option_ids(question, value),
            na=na,
            comment=str(comment or ""),
            timestamp_ms=ts,
        )
    if _is_na(raw):
        if not question.allow_na:
            problems.append(f"{where}: '{qid}' does not allow N/A; choose an answer")
            return None
        return Answer(qid, na=True)
    if not _scalar_or_list(raw):
        problems.append(f"{where}: the answer to '{qid}' {_VALUE_KINDS}")
        return None
    value = _plain(raw, question)
    if not _number_ok(question, value, where, problems):
        return None
    if not _options_known(question, value, where, problems):
        return None
    return Answer(qid, value=_option_ids(question, value))


_VALUE_KINDS = "must be an option, a list of options, a number or text"


def _scalar_or_list(value: Any) -> bool:
    """A plain value, or a list of plain values (never mappings or lists in lists)."""
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return not isinstance(value, dict)


def _shown(raw: Any) -> str:
    return shorten(str(raw), 40)


def _na_flag(raw: Any, qid: str, where: str, problems: list[str]) -> bool | None:
    """``na`` as a bool: true/false, or yes/no written as text; ``na:`` with nothing after
    it is left out (false); None (a problem) for anything else."""
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().casefold() in NA_TRUE | NA_FALSE:
        return raw.strip().casefold() in NA_TRUE
    problems.append(
        f"{where}: 'na' of '{qid}' must be true or false (yes or no also work), not '{_shown(raw)}'"
    )
    return None


def _timestamp(raw: Any, qid: str, where: str, problems: list[str]) -> tuple[bool, int | None]:
    """(readable, ``timestamp_ms`` as whole milliseconds or None when absent); not readable
    (a problem added) when it is not a whole number from 0 to MAX_TIMESTAMP_MS: text,
    .inf, .nan, a fraction, a negative or a huge number."""
    if raw is None:
        return True, None
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_TIMESTAMP_MS:
        return True, raw
    problems.append(
        f"{where}: 'timestamp_ms' of '{qid}' must be a whole number of milliseconds from 0 "
        f"to {MAX_TIMESTAMP_MS:,} (24 hours), not '{_shown(raw)}'"
    )
    return False, None


def _number_ok(question: Question, value: Any, where: str, problems: list[str]) -> bool:
    """A number answer is finite (YAML reads .inf and .nan as numbers)."""
    if (
        question.type is QuestionType.NUMBER
        and isinstance(value, float)
        and not math.isfinite(value)
    ):
        problems.append(f"{where}: the answer to '{question.id}' must be a finite number")
        return False
    return True


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
