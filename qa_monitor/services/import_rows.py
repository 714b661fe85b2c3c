"""Checking one imported row at a time and turning it into what storage writes.

Each ``*Rows`` class takes a row's cells and returns the record to write, or raises
``RowError`` naming the column and the reason (call logs are checked a chunk at a
time by ``import_calls``, for speed). Rules:

- an interaction needs its id (re-imports find it by that), a start time and a known
  agent (by phone-system id, else by name); a named team must exist; channel defaults
  to phone and direction to inbound; the same id twice in one file is refused;
- a survey row needs the id of a stored interaction and scores on their scales
  (CSAT 1–5, NPS 0–10, CES 1–7); a blank cell leaves the stored value as it is;
- a roster row needs the agent's name; it updates the agent with that phone-system id
  (else that name, compared by ``name_key``) or adds one; a new team name adds the
  team. A name that differs from the stored one only in what ``name_key`` folds
  (Persian or Arabic letter forms, invisible marks, case) leaves the stored name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from qa_monitor.core.echo_text import shorten
from qa_monitor.core.text_keys import name_key
from qa_monitor.services.import_fields import TEXT_LIMITS
from qa_monitor.services.import_mapping import ColumnMapping
from qa_monitor.services.import_values import (
    clean,
    parse_bool,
    parse_day,
    parse_int,
    parse_moment,
    parse_text,
)
from qa_monitor.storage.import_repo import KnownAgent, KnownTeam
from qa_monitor.storage.values import utc_text

_CHANNELS = {
    "phone": {
        "phone",
        "call",
        "voice",
        "telephone",
        "tel",
        "تلفن",
        "تماس",
        "تلفنی",
        "هاتف",
        "مكالمة",
        "اتصال",
        "телефон",
        "звонок",
    },
    "chat": {"chat", "webchat", "web chat", "live chat", "چت", "گفتگو", "دردشة", "محادثة", "чат"},
    "email": {
        "email",
        "e-mail",
        "mail",
        "ایمیل",
        "بريد",
        "البريد الإلكتروني",
        "إيميل",
        "почта",
        "эл. почта",
    },
    "social": {
        "social",
        "messaging",
        "whatsapp",
        "telegram",
        "instagram",
        "facebook",
        "twitter",
        "x",
        "sms",
        "شبکه اجتماعی",
        "واتساپ",
        "تلگرام",
        "اینستاگرام",
        "واتساب",
        "تواصل اجتماعي",
        "соцсети",
        "мессенджер",
        "вотсап",
        "телеграм",
    },
}
_DIRECTIONS = {
    "inbound": {
        "inbound",
        "in",
        "incoming",
        "i",
        "ورودی",
        "وارده",
        "واردة",
        "وارد",
        "входящий",
        "входящая",
        "входящее",
        "вх",
    },
    "outbound": {
        "outbound",
        "out",
        "outgoing",
        "o",
        "خروجی",
        "صادره",
        "صادرة",
        "صادر",
        "исходящий",
        "исходящая",
        "исходящее",
        "исх",
    },
}
T = TypeVar("T")
N = TypeVar("N", KnownAgent, KnownTeam)
# By the words as written and by their name keys (Persian or Arabic letter forms alike).
CHANNEL_WORDS = {k: c for c, ws in _CHANNELS.items() for w in ws for k in (w, name_key(w))}
DIRECTION_WORDS = {k: d for d, ws in _DIRECTIONS.items() for w in ws for k in (w, name_key(w))}


def fast_utc_text(moment: datetime) -> str:
    """``storage.values.utc_text`` (UTC, milliseconds, ``Z``), through isoformat: faster."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def length_problem(name: str, text: str) -> str | None:
    """Why ``text`` is too long for field ``name`` (``TEXT_LIMITS``), or None."""
    limit = TEXT_LIMITS.get(name)
    if limit is None or len(text) <= limit:
        return None
    return (
        f"'{shorten(text)}' is {len(text):,} characters long; this column allows at most "
        f"{limit:,}"
    )


class RowError(ValueError):
    def __init__(self, column: str | None, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


class Cells:
    """The mapped cells of a row, by field name."""

    def __init__(self, headers: Sequence[str], mapping: ColumnMapping):
        self.mapping = mapping
        self.index: dict[str, int] = {}
        for name, header in mapping.columns.items():
            if header in headers:
                self.index[name] = list(headers).index(header)
        self._pairs = list(self.index.items())
        self.values: dict[str, object] = {}

    @property
    def row(self) -> dict[str, object]:
        return self.values

    @row.setter
    def row(self, row: Sequence[object]) -> None:
        """Take a new row: its mapped cells, cleaned, by field name."""
        n = len(row)
        self.values = {name: clean(row[i]) if i < n else None for name, i in self._pairs}

    def get(self, name: str) -> object:
        return self.values.get(name)

    def header(self, name: str) -> str | None:
        return self.mapping.columns.get(name)

    def parse(self, name: str, parser: Callable[..., T], *args: object) -> T | None:
        """``parser(value, *args)`` of the field's cell (None when blank); a bad value
        raises RowError naming the column."""
        value = self.get(name)
        if value is None:
            return None
        try:
            return parser(value, *args)
        except ValueError as exc:
            raise RowError(self.header(name), str(exc)) from None

    def text(self, name: str) -> str | None:
        """The field's text (None when blank); RowError if longer than its limit."""
        text = parse_text(self.get(name))
        if text is not None and (problem := length_problem(name, text)):
            raise RowError(self.header(name), problem)
        return text

    def required_text(self, name: str, what: str) -> str:
        text = self.text(name)
        if text is None:
            raise RowError(self.header(name), f"the {what} is empty")
        return text


def _by_name(items: Sequence[N]) -> dict[str, N]:
    index: dict[str, N] = {}
    for item in items:  # active ones come first and win
        index.setdefault(item.key, item)
    return index


def _word(value: object, words: dict[str, str], what: str, choices: str) -> str:
    text = str(value).strip().casefold()
    if text in words:
        return words[text]
    raise ValueError(f"'{shorten(value)}' is not a {what} ({choices})")


@dataclass(frozen=True, slots=True)
class Lookups:
    agents_by_id: dict[str, KnownAgent]
    agents_by_name: dict[str, KnownAgent]
    teams_by_name: dict[str, KnownTeam]

    @classmethod
    def build(cls, agents: Sequence[KnownAgent], teams: Sequence[KnownTeam]) -> Lookups:
        by_id = {a.external_id: a for a in agents if a.external_id}
        return cls(by_id, _by_name(agents), _by_name(teams))


class SurveyRows:
    def __init__(self, cells: Cells, zone: str, day_first: bool):
        self.cells = cells
        self.zone = ZoneInfo(zone)
        self.day_first = day_first
        self.seen: dict[str, int] = {}

    def parse(self, number: int, row: Sequence[object]) -> tuple[str, tuple]:
        """(interaction external id, (csat, nps, ces, resolved, survey_at text))."""
        c = self.cells
        c.row = row
        external_id = c.required_text("external_id", "interaction id")
        if external_id in self.seen:
            raise RowError(
                c.header("external_id"),
                f"interaction id '{shorten(external_id)}' is also on row "
                f"{self.seen[external_id]}",
            )
        csat = c.parse("csat", parse_int, 1, 5, "CSAT")
        nps = c.parse("nps", parse_int, 0, 10, "NPS")
        ces = c.parse("ces", parse_int, 1, 7, "CES")
        resolved = c.parse("resolved", parse_bool)
        when = c.parse("survey_at", parse_moment, self.zone, self.day_first)
        if csat is None and nps is None and ces is None and resolved is None:
            column = next((c.header(n) for n in ("csat", "nps", "ces") if c.header(n)), None)
            raise RowError(column, "no survey result on this row")
        self.seen[external_id] = number
        flag = None if resolved is None else int(resolved)
        return external_id, (csat, nps, ces, flag, None if when is None else utc_text(when))


@dataclass(frozen=True, slots=True)
class RosterRow:
    number: int
    agent_id: int | None  # None: a new agent
    values: dict[str, object]  # agent columns to set (name, external_id, email, ...)
    team: str | None  # team name to find or add
    active: bool | None


class RosterRows:
    def __init__(self, cells: Cells, lookups: Lookups, zone: str, day_first: bool):
        self.cells = cells
        self.lookups = lookups
        self.zone = ZoneInfo(zone)
        self.day_first = day_first
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[str, int] = {}

    def parse(self, number: int, row: Sequence[object]) -> RosterRow:
        c = self.cells
        c.row = row
        name = " ".join(c.required_text("agent_name", "agent's name").split())
        external_id = c.text("agent_external_id")
        folded = name_key(name)
        if folded in self.seen_names:
            raise RowError(
                c.header("agent_name"),
                f"agent '{shorten(name)}' is also on row {self.seen_names[folded]}",
            )
        if external_id and external_id in self.seen_ids:
            raise RowError(
                c.header("agent_external_id"),
                f"agent id '{shorten(external_id)}' is also on row {self.seen_ids[external_id]}",
            )
        email = c.text("email")
        if email is not None and ("@" not in email or " " in email):
            raise RowError(c.header("email"), f"'{shorten(email)}' is not an email address")
        hired: date | None = c.parse("hire_date", parse_day, self.zone, self.day_first)
        active = c.parse("active", parse_bool)
        team = c.text("team")
        match = self.lookups.agents_by_id.get(external_id) if external_id else None
        by_name = self.lookups.agents_by_name.get(folded)
        if match is None and by_name is not None:
            if external_id and by_name.external_id and by_name.external_id != external_id:
                raise RowError(
                    c.header("agent_external_id"),
                    f"agent '{shorten(by_name.name)}' already has id "
                    f"'{shorten(by_name.external_id)}', the file says '{shorten(external_id)}'",
                )
            match = by_name
        if match is not None and by_name is not None and by_name.id != match.id and by_name.active:
            raise RowError(
                c.header("agent_name"),
                f"another active agent is already named '{shorten(by_name.name)}'",
            )
        # A spelling with the same key (the other keyboard's letter forms, case, marks)
        # keeps the name as first typed: two systems' rosters do not rename by turns.
        same = match is not None and match.key == folded
        values: dict[str, object] = {} if same else {"name": name}
        for key, value in (
            ("external_id", external_id),
            ("email", email),
            ("hire_date", None if hired is None else hired.isoformat()),
        ):
            if value is not None:
                values[key] = value
        self.seen_names[folded] = number
        if external_id:
            self.seen_ids[external_id] = number
        return RosterRow(number, None if match is None else match.id, values, team, active)
