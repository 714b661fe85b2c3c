"""Centre settings: time zone, first day of the week, the reviewer using this machine.

Rule: an interaction's local date is computed in the centre's zone when it is
stored; changing the zone later does not move dates already stored.
"""

from __future__ import annotations

from qa_monitor.core.churn_reasons import SETTINGS_KEY as CHURN_REASONS_KEY
from qa_monitor.core.churn_reasons import ChurnReasons
from qa_monitor.core.disputes import DEFAULT_DEADLINE_DAYS
from qa_monitor.core.records import CentreSettings
from qa_monitor.services.common import Changes, NotAllowedError
from qa_monitor.storage.people_repo import PeopleRepo
from qa_monitor.storage.settings_repo import (
    CURRENT_REVIEWER,
    DISPUTE_DAYS,
    TEAM_ROLE,
    TIMEZONE,
    WEEK_START,
    SettingsRepo,
    machine_timezone,
    valid_zone,
)

SETTINGS_CHANGED = Changes(settings=True)


class SettingsService:
    def __init__(self, repo: SettingsRepo, people: PeopleRepo):
        self._repo = repo
        self._people = people

    def ensure_defaults(self) -> None:
        """Store the machine's zone as the centre's on first use, so dates stay put even if
        the machine moves zones later."""
        if self._repo.get_or_default(TIMEZONE) is None:
            self._repo.set_default(TIMEZONE, machine_timezone())

    def centre(self) -> CentreSettings:
        return self._repo.centre()

    def team_choices_allowed(self) -> bool:
        """Whether this installation may change the team-wide settings (time zone, week
        start): always, except for a reviewer's or an agent's login to a team server,
        which the server refuses (and a refused change would hold up everything sent
        after it)."""
        return self._repo.get(TEAM_ROLE) not in ("reviewer", "agent")

    def responses_allowed(self) -> bool:
        """Whether this installation may record answers and re-reviews for others (a
        supervisor's or an admin's login, or no team server); an agent's login records
        only the agent's own answer (DisputeService)."""
        return self.team_choices_allowed()

    def team_role(self) -> str | None:
        """The role a team server gave this installation's login (None: no server)."""
        return self._repo.get(TEAM_ROLE)

    def dispute_deadline_days(self) -> int:
        """Working days a dispute may wait for its re-review (default 5)."""
        value = self._repo.get(DISPUTE_DAYS)
        try:
            return int(value) if value is not None else DEFAULT_DEADLINE_DAYS
        except ValueError:
            return DEFAULT_DEADLINE_DAYS

    def set_dispute_deadline_days(self, days: int) -> Changes:
        if not 1 <= days <= 60:
            raise ValueError(
                "A dispute's deadline is from 1 to 60 working days after the agent disputes."
            )
        self._repo.set(DISPUTE_DAYS, str(days))
        return SETTINGS_CHANGED

    def _check_team_choice(self) -> None:
        if not self.team_choices_allowed():
            raise NotAllowedError(
                "The team's supervisors choose the centre's time zone and first day of the "
                "week on the team server; ask one of them to change it."
            )

    def set_timezone(self, zone: str) -> Changes:
        """Set the centre's IANA zone (e.g. "Asia/Tehran"); unknown names are refused."""
        self._check_team_choice()
        if not valid_zone(zone):
            raise ValueError(f"'{zone}' is not a known time zone; use a name like 'Asia/Tehran'")
        self._repo.set(TIMEZONE, zone)
        return SETTINGS_CHANGED

    def set_week_start(self, weekday: int) -> Changes:
        """0 = Monday ... 5 = Saturday, 6 = Sunday."""
        self._check_team_choice()
        if weekday not in range(7):
            raise ValueError("the week starts on a weekday from 0 (Monday) to 6 (Sunday)")
        self._repo.set(WEEK_START, str(weekday))
        return SETTINGS_CHANGED

    def churn_reasons(self) -> ChurnReasons:
        """The centre's churn reasons and the teams that act on them (the defaults until
        someone saves a list). ChurnReasonsError when the stored list is damaged."""
        return ChurnReasons.from_json(self._repo.get(CHURN_REASONS_KEY))

    def set_churn_reasons(self, reasons: ChurnReasons) -> Changes:
        """Store the centre's list (team-wide: it travels with team sync)."""
        self._check_team_choice()
        self._repo.set(CHURN_REASONS_KEY, reasons.to_json())
        return SETTINGS_CHANGED

    def set_current_reviewer(self, reviewer_id: int | None) -> Changes:
        """Who is evaluating on this database (None: nobody chosen yet)."""
        if reviewer_id is not None:
            self._people.get_reviewer(reviewer_id)
        self._repo.set(CURRENT_REVIEWER, None if reviewer_id is None else str(reviewer_id))
        return SETTINGS_CHANGED
