"""Evaluation ids one screen sends the Evaluations list (a dashboard bar, an agent's
weakest question), with what they are and the filter they were picked within.

It is a tuple of the ids, so a receiver that wants only the ids reads it as before;
the Evaluations list also shows the reason ("missed “Greets the customer”") and puts
``within`` in its filter bar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from qa_monitor.core.records import EvaluationFilter


class EvaluationIds(tuple[int, ...]):
    reason: str
    within: EvaluationFilter

    def __new__(
        cls, ids: Iterable[int], reason: str = "", within: EvaluationFilter | None = None
    ) -> EvaluationIds:
        made = super().__new__(cls, ids)
        made.reason = reason
        made.within = within or EvaluationFilter()
        return made

    def as_filter(self) -> EvaluationFilter:
        """``within``, narrowed to these evaluations."""
        return replace(self.within, evaluation_ids=tuple(self))
