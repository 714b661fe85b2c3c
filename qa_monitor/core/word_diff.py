"""Which words changed between two versions of a text: the pieces a word-level diff shows.

Texts are cut into words, runs of spaces and single punctuation marks, and matched with
``difflib`` (longest common runs first), so "introduced themself and used the name"
against "introduced themselves and used the customer's name" marks only the words that
differ instead of showing both sentences cut at the same place.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from enum import StrEnum

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


class WordChange(StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


WordPiece = tuple[WordChange, str]


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(before: str, after: str) -> tuple[WordPiece, ...]:
    """The pieces that turn ``before`` into ``after``: unchanged, removed and added runs in
    reading order (a replaced run is its removed words, then its added words). Joining
    the SAME and REMOVED pieces gives ``before``; SAME and ADDED give ``after``."""
    old, new = _tokens(before), _tokens(after)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[WordPiece] = []

    def add(kind: WordChange, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if pieces and pieces[-1][0] is kind:
            pieces[-1] = (kind, pieces[-1][1] + text)
        else:
            pieces.append((kind, text))

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add(WordChange.SAME, old[i1:i2])
            continue
        add(WordChange.REMOVED, old[i1:i2])
        add(WordChange.ADDED, new[j1:j2])
    return tuple(pieces)
