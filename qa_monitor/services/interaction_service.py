"""Recording interactions and linking their survey results.

Rules: the start time must carry a time zone; the interaction's local date is its
start's date in the centre's zone at the time it is stored; without a team the
interaction takes the agent's current team; survey scores must be on their scales
(CSAT 1–5, NPS 0–10, CES 1–7).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from qa_monitor.core.records import Interaction, InteractionData
from qa_monitor.services.common import Changes, Clock
from qa_monitor.storage.interaction_repo import InteractionRepo
from qa_monitor.storage.people_repo import PeopleRepo
from qa_monitor.storage.settings_repo import SettingsRepo

INTERACTIONS_CHANGED = Changes(interactions=True)
_SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


def check_survey(csat: int | None, nps: int | None, ces: int | None) -> None:
    for name, value in (("csat", csat), ("nps", nps), ("ces", ces)):
        low, high = _SCALES[name]
        if value is not None and not (isinstance(value, int) and low <= value <= high):
            raise ValueError(f"{name.upper()} must be a whole number from {low} to {high}")


def _check(data: InteractionData) -> None:
    for name in ("started_at", "callback_promised_at", "survey_at"):
        moment = getattr(data, name)
        if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
            raise ValueError(f"{name} has no time zone; give the time with its zone")
    if data.duration_s is not None and data.duration_s < 0:
        raise ValueError("the duration cannot be negative")
    if data.external_id is not None and not data.external_id.strip():
        raise ValueError("the external id is blank; leave it out instead")
    check_survey(data.csat, data.nps, data.ces)


class InteractionService:
    def __init__(
        self,
        repo: InteractionRepo,
        people: PeopleRepo,
        settings: SettingsRepo,
        clock: Clock,
    ):
        self._repo = repo
        self._people = people
        self._settings = settings
        self._clock = clock

    def _with_team(self, data: InteractionData) -> InteractionData:
        agent = self._people.get_agent(data.agent_id)
        if data.team_id is None and agent.team_id is not None:
            return replace(data, team_id=agent.team_id)
        if data.team_id is not None:
            self._people.get_team(data.team_id)
        return data

    def create_interaction(self, data: InteractionData) -> Interaction:
        """Store a new interaction (see the module rules)."""
        _check(data)
        data = self._with_team(data)
        return self._repo.add(data, self._settings.centre_timezone(), self._clock())

    def update_interaction(self, interaction_id: int, data: InteractionData) -> Interaction:
        """Replace an interaction's facts; its evaluations follow its agent, team,
        channel and local date."""
        _check(data)
        data = self._with_team(data)
        return self._repo.update(interaction_id, data, self._settings.centre_timezone())

    def link_survey(
        self,
        interaction_id: int,
        *,
        csat: int | None = None,
        nps: int | None = None,
        ces: int | None = None,
        survey_at: datetime | None = None,
    ) -> Interaction:
        """Attach survey results to an interaction (None clears a score)."""
        check_survey(csat, nps, ces)
        if survey_at is not None and survey_at.tzinfo is None:
            raise ValueError("survey_at has no time zone; give the time with its zone")
        return self._repo.set_survey(
            interaction_id, csat=csat, nps=nps, ces=ces, survey_at=survey_at
        )

    def get_interaction(self, interaction_id: int) -> Interaction:
        return self._repo.get(interaction_id)

    def find_interaction(self, external_id: str) -> Interaction | None:
        """The interaction with this id from the phone/chat system, if stored."""
        return self._repo.find(external_id)

    def list_interactions(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        agent_id: int | None = None,
        unevaluated_only: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[Interaction]:
        """Newest first; dates are the centre's local dates, inclusive.
        ``unevaluated_only``: the queue of interactions nobody has started evaluating."""
        return self._repo.list_interactions(
            date_from=date_from,
            date_to=date_to,
            agent_id=agent_id,
            unevaluated_only=unevaluated_only,
            offset=offset,
            limit=limit,
        )
