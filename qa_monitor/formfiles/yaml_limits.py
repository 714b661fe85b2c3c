"""Bounds on the YAML we read (form files, answers files), checked before and while parsing.

A few hundred bytes of YAML can describe billions of values through aliases: ``*a``
stands for everything anchored as ``&a``, and nine anchors that each repeat the one
before nine times make 9⁹ strings. Composing the tree is cheap (an alias is a
reference), but anything that walks it (a duplicate-key message printing the value, the
form reader visiting every question) takes hours and gigabytes. So the composer here
counts what the document would hold once every alias is expanded and stops as soon as
that passes ``MAX_NODES``; it also refuses nesting deeper than ``MAX_DEPTH`` (which
would otherwise end in a RecursionError) and an alias used inside its own anchor (a
cycle). The size of the text is checked before any of this (``MAX_BYTES``).

The largest shipped form holds about 470 values in 10 KB of text; the limits leave room
for forms twenty-five times longer and a hundred times richer.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode

# Bytes of text. ruamel.yaml reads about 100 KB a second (pure Python, keeping every
# line mark), so this keeps the slowest read of an acceptable file to a few seconds; a
# form of 600 questions with guidance is about 250 KB.
MAX_BYTES = 256 * 1024
# Values (scalars, lists, mappings) once every alias is expanded; the largest shipped
# form holds about 470.
MAX_NODES = 50_000
# Aliases (*name) in one file; forms use a few, for shared option lists.
MAX_ALIASES = 1_000
# Lists and mappings inside one another; a form file needs about 8.
MAX_DEPTH = 50


class YamlLimitError(ValueError):
    """The YAML is beyond one of the limits; ``line`` (from 1) is where it was noticed."""

    def __init__(self, message: str, hint: str, line: int | None = None):
        self.message, self.hint, self.line = message, hint, line
        super().__init__(f"{message} ({hint})" if hint else message)


def too_large(size: int, limit: int = MAX_BYTES) -> YamlLimitError | None:
    """The refusal for a text of ``size`` bytes, or None when it is within ``limit``."""
    if size <= limit:
        return None
    return YamlLimitError(
        f"the file is {size / 1024:,.0f} KB, more than the {limit / 1024:,.0f} KB "
        f"a form or answers file may have",
        "check that this is the right file; a form file is a few kilobytes of text",
    )


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else None


class BoundedComposer(Composer):
    """ruamel's composer, counting expanded values and depth as it builds each node."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        # Expanded size of each finished node, by id (the tree keeps every node alive).
        self._sizes: dict[int, int] = {}
        self._open: list[str] = []  # anchors of the nodes being composed
        self._level = 0
        self._total = 0  # values so far, each alias counted as what it stands for
        self._aliases = 0

    def compose_document(self: Any) -> Any:
        self._sizes, self._total, self._aliases = {}, 0, 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            if event.anchor in self._open:
                raise YamlLimitError(
                    f"the alias *{event.anchor} is used inside its own anchor &{event.anchor}",
                    "write the values out instead of the alias",
                    _line(event),
                )
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise YamlLimitError(
                    f"the file uses more than {MAX_ALIASES:,} aliases (*name)",
                    "write the values out instead",
                    _line(event),
                )
            target = super().compose_node(parent, index)
            self._add(self._sizes.get(id(target), 1), event)
            return target
        self._add(1, event)
        self._level += 1
        if self._level > MAX_DEPTH:
            raise _too_deep(_line(event))
        if event.anchor is not None:
            self._open.append(event.anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            if event.anchor is not None:
                self._open.pop()
            self._level -= 1
        self._count(node)
        return node

    def _count(self, node: Any) -> None:
        if isinstance(node, SequenceNode):
            children: list[Any] = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = []
        self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in children)

    def _add(self, values: int, event: Any) -> None:
        self._total += values
        if self._total > MAX_NODES:
            raise YamlLimitError(
                f"the file holds more than {MAX_NODES:,} values, counting each alias "
                f"(*name) as all the values it stands for",
                "use fewer aliases, or split the file",
                _line(event),
            )


_BRACKETS = re.compile(r"[\[\]{}]")


def _check_flow_depth(text: str) -> None:
    """Refuse more than MAX_DEPTH brackets ([ or {) open at once, before parsing: the
    scanner spends time on every open bracket for every character it reads ahead, so
    5,000 of them take ten seconds before the composer sees the first. Brackets inside
    quoted text count too; a real file never has fifty more opened than closed."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for found in _BRACKETS.finditer(text):
        depth = depth + 1 if found.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            raise _too_deep(text.count("\n", 0, found.start()) + 1)


def _too_deep(line: int | None) -> YamlLimitError:
    return YamlLimitError(
        f"the lists and mappings are nested more than {MAX_DEPTH} levels deep",
        "check the indentation; a form or answers file needs far fewer",
        line,
    )


def load_bounded(text: str) -> Any:
    """``text`` read with ``bounded_yaml``. YAML syntax errors pass through; a value the
    constructor cannot make (a 5,000-digit number, February 30th) becomes a
    YamlLimitError saying which, instead of a bare ValueError."""
    _check_flow_depth(text)
    try:
        return bounded_yaml().load(text)
    except (YAMLError, YamlLimitError):
        raise
    except (ValueError, OverflowError) as exc:
        if "integer string conversion" in str(exc):
            reason = "a number in the file has more than 4,300 digits"
        else:
            reason = f"a value in the file cannot be read ({exc})"
        raise YamlLimitError(reason, "put it in quotes if it is text") from None


def bounded_yaml() -> YAML:
    """A round-trip YAML 1.2 loader (line marks kept) with the composer above."""
    yaml = YAML(typ="rt")
    yaml.Composer = BoundedComposer
    yaml.allow_duplicate_keys = False
    return yaml
