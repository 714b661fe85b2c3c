"""Typed, located access to the keys of one YAML mapping.

Every wrong value becomes a problem pointing at the line it is on; the getters then
return a default so reading can go on and report every other problem in the same pass.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from qa_monitor.formfiles.errors import FormFileProblem

# (section id, question id) of the part of the form a problem belongs to; None above it.
Scope = tuple[str | None, str | None]
FORM_SCOPE: Scope = (None, None)
Pos = tuple[int | None, int | None]
E = TypeVar("E", bound=StrEnum)


class _Missing:
    """Marks a key that is absent or has no value."""


MISSING = _Missing()


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found while reading, with the scope and file key it concerns.

    The scope and key let later checks skip core validation messages that only
    repeat it (a bad ``points`` value also reads as "points must be more than 0").
    """

    problem: FormFileProblem
    scope: Scope
    key: str | None


@dataclass
class Issues:
    source: str
    items: list[Issue] = field(default_factory=list)

    def add(
        self,
        pos: Pos,
        location: str,
        message: str,
        hint: str = "",
        scope: Scope = FORM_SCOPE,
        key: str | None = None,
    ) -> None:
        problem = FormFileProblem(self.source, pos[0], pos[1], location, message, hint)
        self.items.append(Issue(problem, scope, key))


def node_pos(node: Any) -> Pos:
    """Where a mapping or list starts (1-based), or (None, None) for plain scalars."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (None, None)
    return (lc.line + 1, lc.col + 1)


def key_pos(node: Any, key: Any) -> Pos:
    """Where ``key`` is written in mapping ``node``; the mapping's start if unknown."""
    try:
        line, col = node.lc.key(key)
    except (AttributeError, KeyError, TypeError):
        return node_pos(node)
    return (line + 1, col + 1)


def value_pos(node: Any, key: Any) -> Pos:
    """Where the value of ``key`` starts in mapping ``node``."""
    try:
        line, col = node.lc.value(key)
    except (AttributeError, KeyError, TypeError):
        return key_pos(node, key)
    return (line + 1, col + 1)


def item_pos(seq: Any, index: int) -> Pos:
    """Where item ``index`` of list ``seq`` starts."""
    try:
        line, col = seq.lc.item(index)
    except (AttributeError, KeyError, TypeError, IndexError):
        return node_pos(seq)
    return (line + 1, col + 1)


def describe(value: Any) -> str:
    """A value as the file's author would recognise it in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "…"
        return f"'{text}'"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(int(value))
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a value of type {type(value).__name__}"


def as_id(value: Any) -> str | None:
    """Ids are text; whole numbers are accepted too (``id: 3`` on a scale option)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    return None


def peek_id(node: CommentedMap, key: str = "id") -> str | None:
    """The id of a mapping if it has a readable one, to name it in messages."""
    return as_id(node.get(key))


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def enum_member(cls: type[E], value: Any) -> E | None:
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            return None
    return None


def enum_problem(cls: type[StrEnum], key: str, value: Any) -> tuple[str, str]:
    """Message and hint for a value outside an enum: list the allowed values."""
    allowed = [m.value for m in cls]
    message = f"{key} {describe(value)} is not allowed; use one of: {', '.join(allowed)}"
    close = suggest(value, allowed) if isinstance(value, str) else None
    if close:
        return message, f"did you mean '{close}'?"
    if isinstance(value, bool):
        return message, "YAML reads true/false as a boolean here; write one of the values above"
    return message, ""


class Fields:
    """The keys of one mapping, checked against ``allowed`` and read with their types."""

    def __init__(
        self,
        issues: Issues,
        node: CommentedMap,
        location: str,
        allowed: tuple[str, ...],
        scope: Scope = FORM_SCOPE,
        key: str | None = None,
    ):
        self.issues = issues
        self.node = node
        self.location = location
        self.scope = scope
        # Problems inside a nested mapping (an option, show_if, a band) are filed under the
        # parent key, which is what core validation names.
        self.key = key
        self._suggested: set[str] = set()
        for name in node:
            if name in allowed:
                continue
            close = suggest(name, allowed) if isinstance(name, str) else None
            if close:
                self._suggested.add(close)
                hint = f"did you mean '{close}'?"
            else:
                hint = "allowed keys: " + ", ".join(allowed)
            label = name if isinstance(name, str) else describe(name)
            self._add(key_pos(node, name), f"unknown key '{label}'", hint, close)

    def _add(self, pos: Pos, message: str, hint: str, key: str | None) -> None:
        self.issues.add(pos, self.location, message, hint, self.scope, self.key or key)

    def bad(self, key: str, message: str, hint: str = "") -> None:
        """Report a problem with the value of ``key``."""
        self._add(value_pos(self.node, key), message, hint, key)

    def get(self, key: str, required: bool = False, hint: str = "") -> Any:
        """The raw value, or MISSING (reported if required) when absent or empty."""
        value = self.node.get(key) if key in self.node else MISSING
        if value is None:
            value = MISSING
        if value is MISSING and required and key not in self._suggested:
            if key in self.node:
                self._add(key_pos(self.node, key), f"'{key}' has no value", hint, key)
            else:
                self._add(node_pos(self.node), f"missing required key '{key}'", hint, key)
        return value

    def ident(self, key: str, required: bool = True, hint: str = "") -> str:
        value = self.get(key, required, hint)
        if value is MISSING:
            return ""
        found = as_id(value)
        if found is None:
            self.bad(key, f"{key} must be text, got {describe(value)}", "write an id such as q1")
            return ""
        return found

    def text(self, key: str, required: bool = False, default: str = "", hint: str = "") -> str:
        value = self.get(key, required, hint)
        if value is MISSING:
            return default
        if isinstance(value, str):
            return str(value)
        self.bad(
            key,
            f"{key} must be text, got {describe(value)}",
            "put the text in quotes if it looks like a number, date or true/false",
        )
        return default

    def label(self, key: str, default: str) -> str:
        """Like ``text``, but whole numbers are accepted (``label: 3`` on a scale option)."""
        value = self.get(key)
        if value is MISSING:
            return default
        found = as_id(value)
        if found is None:
            self.bad(key, f"{key} must be text, got {describe(value)}", "write the label as text")
            return default
        return found

    def optional_number(self, key: str, required: bool = False, hint: str = "") -> float | None:
        value = self.get(key, required, hint)
        if value is MISSING:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                self.bad(key, f"{key} {describe(value)} is too large", "use a smaller number")
                return None
            if math.isnan(number):
                self.bad(key, f"{key} must be a number, got .nan", "write a number such as 5")
                return None
            return number
        if isinstance(value, str) and _looks_numeric(value):
            fix = "write the number without quotes"
        else:
            fix = f"write a number, e.g. {key}: 5"
        self.bad(key, f"{key} must be a number, got {describe(value)}", fix)
        return None

    def number(self, key: str, default: float, required: bool = False, hint: str = "") -> float:
        found = self.optional_number(key, required, hint)
        return default if found is None else found

    def optional_flag(self, key: str) -> bool | None:
        value = self.get(key)
        if value is MISSING:
            return None
        if isinstance(value, bool):
            return bool(value)
        hint = "write true or false"
        if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
            hint = "write true or false (form files are YAML 1.2, where yes/no are text)"
        self.bad(key, f"{key} must be true or false, got {describe(value)}", hint)
        return None

    def flag(self, key: str, default: bool) -> bool:
        found = self.optional_flag(key)
        return default if found is None else found

    def enum(self, key: str, cls: type[E], required: bool = False, hint: str = "") -> E | None:
        value = self.get(key, required, hint)
        if value is MISSING:
            return None
        member = enum_member(cls, value)
        if member is None:
            message, fix = enum_problem(cls, key, value)
            self.bad(key, message, fix)
        return member

    def seq(
        self, key: str, required: bool = False, hint: str = "", type_hint: str = ""
    ) -> CommentedSeq | None:
        value = self.get(key, required, hint)
        if value is MISSING:
            return None
        if not isinstance(value, CommentedSeq):
            fix = type_hint or hint or "write one '- ' item per line"
            self.bad(key, f"{key} must be a list, got {describe(value)}", fix)
            return None
        return value

    def mapping(self, key: str, hint: str = "") -> CommentedMap | None:
        value = self.get(key)
        if value is MISSING:
            return None
        if not isinstance(value, CommentedMap):
            self.bad(key, f"{key} must be a mapping of keys, got {describe(value)}", hint)
            return None
        return value


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
