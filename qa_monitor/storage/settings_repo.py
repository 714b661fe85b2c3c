"""Centre settings kept in the database (key/value text), so they travel with the data."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal

from qa_monitor.core.records import CentreSettings
from qa_monitor.storage.database import Database
from qa_monitor.storage.transactions import writes

TIMEZONE = "centre_timezone"
WEEK_START = "week_start"
CURRENT_REVIEWER = "current_reviewer_id"
# The role the team server gave this installation's login (none off a server).
TEAM_ROLE = "sync.role"
# Working days an agent's dispute may wait for its re-review (core/disputes.py).
DISPUTE_DAYS = "disputes.deadline_days"
DEFAULT_PREFIX = "default."


def valid_zone(name: str) -> bool:
    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


log = logging.getLogger(__name__)


def machine_timezone() -> str:
    """The IANA name of this machine's zone, or "UTC" only when it cannot be told.

    ``tzlocal`` reads it where each system keeps it: $TZ, /etc/timezone and the
    /etc/localtime link on Linux and macOS, and on Windows the registry's zone, mapped
    from Windows' own names ("Iran Standard Time") to IANA names ("Asia/Tehran"). When
    it finds none, or one this machine's zone database does not know, the reason is
    logged and UTC is used until the centre sets its zone in the settings.
    """
    try:
        name = tzlocal.get_localzone_name()
    except (LookupError, OSError, ValueError) as exc:  # ZoneInfoNotFoundError is a LookupError
        log.warning("Could not tell this machine's time zone (%s); using UTC.", exc)
        return "UTC"
    if not name:
        log.warning("This machine names no time zone; using UTC.")
        return "UTC"
    if not valid_zone(name):
        log.warning("This machine's time zone %r is not a known zone name; using UTC.", name)
        return "UTC"
    return name


class SettingsRepo:
    def __init__(self, db: Database):
        self.db = db

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    @writes
    def set(self, key: str, value: str | None) -> None:
        """Store ``value``; None removes the key (back to its default)."""
        if value is None:
            self.db.execute("DELETE FROM settings WHERE key = ?", [key])
        else:
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @writes
    def set_default(self, key: str, value: str) -> None:
        """Store this installation's first-use default for ``key`` beside the setting,
        not as it: a team-wide setting (sync_schema.TEAM_SETTINGS) travels only when
        someone chooses it, so a new machine never overrides the team's choice."""
        self.set(DEFAULT_PREFIX + key, value)

    def get_or_default(self, key: str) -> str | None:
        return self.get(key) or self.get(DEFAULT_PREFIX + key)

    def all(self) -> dict[str, str]:
        return {k: v for k, v in self.db.execute("SELECT key, value FROM settings").fetchall()}

    def centre_timezone(self) -> str:
        """The stored IANA zone; until one is stored, this machine's zone (else UTC)."""
        stored = self.get_or_default(TIMEZONE)
        return stored if stored and valid_zone(stored) else machine_timezone()

    def week_start(self) -> int:
        """0 = Monday ... 6 = Sunday (``date.weekday()``); Monday unless set."""
        stored = self.get(WEEK_START)
        return int(stored) if stored and stored.isdigit() and int(stored) < 7 else 0

    def current_reviewer_id(self) -> int | None:
        stored = self.get(CURRENT_REVIEWER)
        return int(stored) if stored and stored.isdigit() else None

    def centre(self) -> CentreSettings:
        return CentreSettings(
            timezone=self.centre_timezone(),
            week_start=self.week_start(),
            current_reviewer_id=self.current_reviewer_id(),
        )
