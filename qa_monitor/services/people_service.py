"""Teams, agents and reviewers.

Rule: anyone with history (evaluations, interactions, published forms, audit
entries) is deactivated, never deleted: they leave pick-lists and keep their place
in reports. Delete refuses with ``InUseError`` saying why and offering deactivation.
"""

from __future__ import annotations

from datetime import date

from qa_monitor.core.records import Agent, Reviewer, Team
from qa_monitor.services.common import Changes, Clock, InUseError
from qa_monitor.storage.people_repo import PeopleRepo

PEOPLE_CHANGED = Changes(people=True)
_USAGE_WORDS = {
    "evaluations": ("evaluation", "evaluations"),
    "interactions": ("interaction", "interactions"),
    "agents": ("agent", "agents"),
    "form_versions": ("published form version", "published form versions"),
    "audit_log": ("audit entry", "audit entries"),
    "reviewers": ("reviewer", "reviewers"),
    "sampling_rules": ("sampling rule", "sampling rules"),
    "coaching_sessions": ("coaching session", "coaching sessions"),
    "queue_items": ("queued call", "queued calls"),
}


def _describe(usage: dict[str, int]) -> str:
    parts = []
    for table, n in usage.items():
        one, many = _USAGE_WORDS[table]
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


class PeopleService:
    def __init__(self, repo: PeopleRepo, clock: Clock):
        self._repo = repo
        self._clock = clock

    def _delete(self, table: str, id_: int, label: str, name: str) -> Changes:
        usage = self._repo.usage(table, id_)
        if usage:
            raise InUseError(
                f"{label} '{name}' cannot be deleted: {_describe(usage)} refer to it. "
                f"Deactivate the {label.lower()} instead: it leaves the pick-lists and its "
                "history stays in reports.",
                usage,
            )
        self._repo.delete(table, id_)
        return PEOPLE_CHANGED

    # -- teams ---------------------------------------------------------------------------
    def list_teams(self, *, active_only: bool = False) -> list[Team]:
        return self._repo.list_teams(active_only=active_only)

    def get_team(self, team_id: int) -> Team:
        return self._repo.get_team(team_id)

    def add_team(self, name: str) -> Team:
        """A new active team; its name must differ from every active team's."""
        return self._repo.add_team(name, self._clock())

    def rename_team(self, team_id: int, name: str) -> Team:
        return self._repo.rename_team(team_id, name)

    def deactivate_team(self, team_id: int) -> Changes:
        self._repo.set_active("teams", team_id, False)
        return PEOPLE_CHANGED

    def reactivate_team(self, team_id: int) -> Changes:
        """Refused (ConflictError) if an active team has taken the name meanwhile."""
        self._repo.set_active("teams", team_id, True)
        return PEOPLE_CHANGED

    def delete_team(self, team_id: int) -> Changes:
        """Delete a team nothing refers to; otherwise InUseError (deactivate instead)."""
        team = self._repo.get_team(team_id)
        return self._delete("teams", team_id, "Team", team.name)

    # -- agents --------------------------------------------------------------------------
    def list_agents(self, *, active_only: bool = False, team_id: int | None = None) -> list[Agent]:
        return self._repo.list_agents(active_only=active_only, team_id=team_id)

    def get_agent(self, agent_id: int) -> Agent:
        return self._repo.get_agent(agent_id)

    def find_agent(self, external_id: str) -> Agent | None:
        """The agent with this phone-system id, if any."""
        return self._repo.find_agent(external_id)

    def add_agent(
        self,
        name: str,
        *,
        team_id: int | None = None,
        hire_date: date | None = None,
        external_id: str | None = None,
        email: str | None = None,
    ) -> Agent:
        """A new active agent; name unique among active agents, external id unique."""
        if team_id is not None:
            self._repo.get_team(team_id)
        return self._repo.add_agent(
            name,
            self._clock(),
            team_id=team_id,
            hire_date=hire_date,
            external_id=external_id,
            email=email,
        )

    def update_agent(self, agent: Agent) -> Agent:
        """Store name, team, hire date, external id and email; ``active`` is not changed here.

        Moving an agent to another team does not move their past evaluations: each
        keeps the team of its interaction.
        """
        if agent.team_id is not None:
            self._repo.get_team(agent.team_id)
        return self._repo.update_agent(agent)

    def deactivate_agent(self, agent_id: int) -> Changes:
        self._repo.set_active("agents", agent_id, False)
        return PEOPLE_CHANGED

    def reactivate_agent(self, agent_id: int) -> Changes:
        self._repo.set_active("agents", agent_id, True)
        return PEOPLE_CHANGED

    def delete_agent(self, agent_id: int) -> Changes:
        """Delete an agent without interactions or evaluations; otherwise InUseError."""
        agent = self._repo.get_agent(agent_id)
        return self._delete("agents", agent_id, "Agent", agent.name)

    # -- reviewers -----------------------------------------------------------------------
    def list_reviewers(self, *, active_only: bool = False) -> list[Reviewer]:
        return self._repo.list_reviewers(active_only=active_only)

    def get_reviewer(self, reviewer_id: int) -> Reviewer:
        return self._repo.get_reviewer(reviewer_id)

    def add_reviewer(
        self,
        name: str,
        *,
        is_expert: bool = False,
        team_id: int | None = None,
        agent_id: int | None = None,
    ) -> Reviewer:
        if team_id is not None:
            self._repo.get_team(team_id)
        if agent_id is not None:
            self._repo.get_agent(agent_id)
        return self._repo.add_reviewer(
            name, self._clock(), is_expert=is_expert, team_id=team_id, agent_id=agent_id
        )

    def update_reviewer(self, reviewer: Reviewer) -> Reviewer:
        """Store name, expert flag, team and agent record; ``active`` is not changed here."""
        if reviewer.team_id is not None:
            self._repo.get_team(reviewer.team_id)
        if reviewer.agent_id is not None:
            self._repo.get_agent(reviewer.agent_id)
        return self._repo.update_reviewer(reviewer)

    def deactivate_reviewer(self, reviewer_id: int) -> Changes:
        self._repo.set_active("reviewers", reviewer_id, False)
        return PEOPLE_CHANGED

    def reactivate_reviewer(self, reviewer_id: int) -> Changes:
        self._repo.set_active("reviewers", reviewer_id, True)
        return PEOPLE_CHANGED

    def delete_reviewer(self, reviewer_id: int) -> Changes:
        """Delete a reviewer who never evaluated, published or changed anything."""
        reviewer = self._repo.get_reviewer(reviewer_id)
        return self._delete("reviewers", reviewer_id, "Reviewer", reviewer.name)
