"""What a reviewer recorded for each question of an evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

# An option id (scored questions, tag), several option ids (tags), free text,
# a number, or an ISO-8601 date-time string.
AnswerValue = str | float | int | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: str
    value: AnswerValue = None
    na: bool = False
    comment: str = ""
    # Position in the recording the reviewer pointed at, in milliseconds.
    timestamp_ms: int | None = None

    @property
    def is_empty(self) -> bool:
        """No value and not N/A (a comment alone does not answer a question)."""
        if self.na:
            return False
        if self.value is None:
            return True
        if isinstance(self.value, str | tuple):
            return len(self.value) == 0
        return False

    def with_value(self, value: AnswerValue) -> Answer:
        return replace(self, value=value, na=False)

    def with_na(self) -> Answer:
        return replace(self, value=None, na=True)

    def with_comment(self, comment: str) -> Answer:
        return replace(self, comment=comment)


Answers = Mapping[str, Answer]


def answers_by_id(answers: list[Answer] | tuple[Answer, ...]) -> dict[str, Answer]:
    """Index answers by question id (the last one wins if a question repeats)."""
    return {a.question_id: a for a in answers}
