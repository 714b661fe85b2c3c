"""Which key answers which option: one rule for the question cards and the help dialog.

- Options are numbered 1..9, 0 in order (the tenth option gets 0).
- Yes/no, yes/partial/no and pass/fail questions also answer with Y / N, Y / P / N and
  P / F, and show that letter (a pass/fail Partial keeps its digit: P is Pass).
- A 0–10 scale answers with the digit of its value; 10 has the key T.
- N/A is A. Digits typed on an Arabic or Persian keyboard count as their Western digit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from qa_monitor.core.forms import Option, Question, QuestionType, default_options

NA_KEY = "A"
COMMENT_KEY = "C"
GUIDANCE_KEY = "G"
TEN_KEY = "T"
_ORDER_DIGITS = "1234567890"
_LETTERS = {
    QuestionType.YES_NO: {"yes": "Y", "no": "N"},
    QuestionType.YES_PARTIAL_NO: {"yes": "Y", "partial": "P", "no": "N"},
    QuestionType.PASS_FAIL: {"pass": "P", "fail": "F"},
}


@dataclass(frozen=True, slots=True)
class OptionKey:
    option: Option
    shown: str  # the key printed on the button ("" when the option has none)
    accepted: frozenset[str]  # every token that chooses this option


def question_options(question: Question) -> tuple[Option, ...]:
    """The options a card shows: the question's own, else its type's defaults."""
    return question.options or default_options(question.type)


def option_keys(question: Question) -> list[OptionKey]:
    options = question_options(question)
    if question.type is QuestionType.SCALE_0_10:
        return [_scale_key(opt) for opt in options]
    letters = _LETTERS.get(question.type, {})
    keys = []
    for index, opt in enumerate(options):
        digit = _ORDER_DIGITS[index] if index < len(_ORDER_DIGITS) else ""
        letter = letters.get(opt.id, "")
        accepted = frozenset(k for k in (digit, letter) if k)
        keys.append(OptionKey(opt, letter or digit, accepted))
    return keys


def _scale_key(opt: Option) -> OptionKey:
    label = opt.label.strip()
    if label.isdigit() and len(label) == 1:
        return OptionKey(opt, label, frozenset({label}))
    if label == "10":
        return OptionKey(opt, TEN_KEY, frozenset({TEN_KEY}))
    return OptionKey(opt, "", frozenset())


def key_token(event: QKeyEvent) -> str | None:
    """The key as a token ("0".."9", "A".."Z"), or None for keys that never answer."""
    text = event.text()
    if len(text) == 1:
        try:
            return str(unicodedata.digit(text))
        except ValueError:
            pass
    key = event.key()
    if Qt.Key.Key_A <= key <= Qt.Key.Key_Z or Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
        return chr(key)
    return None
