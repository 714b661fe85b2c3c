"""What every service shares: the change flags, the clock and the error types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from qa_monitor.storage.errors import ConflictError, NotFoundError

Clock = Callable[[], datetime]

__all__ = [
    "NO_CHANGES",
    "Changes",
    "Clock",
    "ConflictError",
    "InUseError",
    "NotAllowedError",
    "NotFoundError",
    "system_clock",
]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a use case changed, so screens refresh only what they show."""

    evaluations: bool = False
    interactions: bool = False
    forms: bool = False
    people: bool = False
    settings: bool = False
    # Sampling rules, the review queue, coaching sessions and their action plans.
    programme: bool = False
    # Customer counts, the customer list and churn events (issue 16).
    outcomes: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            evaluations=self.evaluations or other.evaluations,
            interactions=self.interactions or other.interactions,
            forms=self.forms or other.forms,
            people=self.people or other.people,
            settings=self.settings or other.settings,
            programme=self.programme or other.programme,
            outcomes=self.outcomes or other.outcomes,
        )

    @property
    def any(self) -> bool:
        return (
            self.evaluations
            or self.interactions
            or self.forms
            or self.people
            or self.settings
            or self.programme
            or self.outcomes
        )


NO_CHANGES = Changes()


class NotAllowedError(ValueError):
    """The rules forbid this change; the message says why and what to do instead."""


class InUseError(NotAllowedError):
    """Deleting would lose history; deactivating is offered instead."""

    def __init__(self, message: str, usage: dict[str, int]):
        super().__init__(message)
        self.usage = usage
        self.can_deactivate = True
