"""Checking the rows of the customer outcome imports (customer counts, the customer
list, churn events); ``import_service`` reads the file and writes what passes.

Rules (docs/outcomes.md):

- a count row needs its period (start and end days, the end not before the start),
  S, E and N as whole numbers of at least 0, and E no more than S + N (a period cannot
  end with more customers than it had plus those it gained); a named team must exist;
  the same period, team and segment twice in one file is refused;
- a customer row needs the customer's reference and the day they became a customer;
  the day they left, if given, is not before it; the same customer twice is refused;
- a churn event needs the customer and the day; the reason is matched against the
  centre's churn reasons (``core/churn_reasons.py``; text that matches none is kept as
  written under "other"); an interaction id, if given, must be one already imported;
  the customer must be on the customer list or on an interaction (checked for the
  whole file at once by the service).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from qa_monitor.core.churn_reasons import ChurnReasons
from qa_monitor.core.echo_text import shorten
from qa_monitor.core.text_keys import name_key
from qa_monitor.services.import_rows import Cells, Lookups, RowError
from qa_monitor.services.import_values import parse_day, parse_number
from qa_monitor.storage.outcome_repo import ChurnRow, CountRow, CustomerRow

# Beyond this a "count" is more likely a misplaced column (a phone number, an amount).
MAX_CUSTOMERS = 1_000_000_000


def parse_count(value: object, what: str) -> int:
    number = parse_number(value, what)
    if number != int(number):
        raise ValueError(f"{what} must be a whole number, not {shorten(value)}")
    if number < 0:
        raise ValueError(f"{what} cannot be below 0 (it is {int(number):,})")
    if number > MAX_CUSTOMERS:
        raise ValueError(
            f"{what} is {int(number):,}, more than any customer base; check the column"
        )
    return int(number)


def _team(cells: Cells, lookups: Lookups) -> tuple[int | None, str]:
    """(team id, its name key) of the row's team cell, (None, '') when blank."""
    name = cells.text("team")
    if name is None:
        return None, ""
    team = lookups.teams_by_name.get(name_key(name))
    if team is None:
        raise RowError(
            cells.header("team"),
            f"no team named '{shorten(name)}'; add it on the People screen or import the "
            "roster first, or leave the cell empty",
        )
    return team.id, team.key


class CountRows:
    def __init__(self, cells: Cells, lookups: Lookups, zone: str, day_first: bool):
        self.cells = cells
        self.lookups = lookups
        self.zone = ZoneInfo(zone)
        self.day_first = day_first
        self.seen: dict[tuple[date, date, str, str], int] = {}

    def _day(self, name: str, what: str) -> date:
        day = self.cells.parse(name, parse_day, self.zone, self.day_first)
        if day is None:
            raise RowError(self.cells.header(name), f"the {what} is empty")
        return day

    def _count(self, name: str, what: str) -> int:
        c = self.cells
        value = c.parse(name, parse_count, what)
        if value is None:
            raise RowError(c.header(name), f"{what} is empty; write 0 if there were none")
        return value

    def parse(self, number: int, row: Sequence[object]) -> CountRow:
        c = self.cells
        c.row = row
        start = self._day("period_start", "period's start")
        end = self._day("period_end", "period's end")
        if end < start:
            raise RowError(
                c.header("period_end"),
                f"the period ends on {end.isoformat()}, before it starts ({start.isoformat()})",
            )
        team_id, team_key = _team(c, self.lookups)
        segment = " ".join((c.text("segment") or "").split())
        s = self._count("customers_start", "customers at the start (S)")
        e = self._count("customers_end", "customers at the end (E)")
        n = self._count("customers_new", "new customers (N)")
        if e > s + n:
            raise RowError(
                c.header("customers_end"),
                f"E ({e:,}) is more than S ({s:,}) plus N ({n:,}): a period cannot end "
                "with more customers than it started with plus those it gained; check "
                "that the columns are the right way round",
            )
        key = (start, end, team_key, name_key(segment))
        if key in self.seen:
            raise RowError(
                c.header("period_start"),
                f"the period {start.isoformat()} to {end.isoformat()} for this team and "
                f"segment is also on row {self.seen[key]}",
            )
        self.seen[key] = number
        return CountRow(start, end, team_id, team_key, segment, s, e, n)


class CustomerRows:
    def __init__(self, cells: Cells, lookups: Lookups, zone: str, day_first: bool):
        self.cells = cells
        self.lookups = lookups
        self.zone = ZoneInfo(zone)
        self.day_first = day_first
        self.seen: dict[str, int] = {}

    def parse(self, number: int, row: Sequence[object]) -> CustomerRow:
        c = self.cells
        c.row = row
        ref = c.required_text("customer_ref", "customer")
        if ref in self.seen:
            raise RowError(
                c.header("customer_ref"),
                f"customer '{shorten(ref)}' is also on row {self.seen[ref]}",
            )
        started = c.parse("started_on", parse_day, self.zone, self.day_first)
        if started is None:
            raise RowError(c.header("started_on"), "the day the customer joined is empty")
        ended = c.parse("ended_on", parse_day, self.zone, self.day_first)
        if ended is not None and ended < started:
            raise RowError(
                c.header("ended_on"),
                f"the customer left on {ended.isoformat()}, before joining on "
                f"{started.isoformat()}",
            )
        team_id, _key = _team(c, self.lookups)
        segment = " ".join((c.text("segment") or "").split())
        self.seen[ref] = number
        return CustomerRow(ref, team_id, segment, started, ended)


class ChurnRows:
    """Rows to (churn row without its interaction, the interaction's external id or
    None); the service resolves the ids and checks the customers for the whole file."""

    def __init__(
        self,
        cells: Cells,
        lookups: Lookups,
        zone: str,
        day_first: bool,
        reasons: ChurnReasons,
    ):
        self.cells = cells
        self.lookups = lookups
        self.zone = ZoneInfo(zone)
        self.day_first = day_first
        self.reasons = reasons
        self.seen: dict[tuple[str, date], int] = {}

    def parse(self, number: int, row: Sequence[object]) -> tuple[ChurnRow, str | None]:
        c = self.cells
        c.row = row
        ref = c.required_text("customer_ref", "customer")
        day = c.parse("churned_on", parse_day, self.zone, self.day_first)
        if day is None:
            raise RowError(c.header("churned_on"), "the day the customer left is empty")
        key = (ref, day)
        if key in self.seen:
            raise RowError(
                c.header("customer_ref"),
                f"customer '{shorten(ref)}' leaving on {day.isoformat()} is also on row "
                f"{self.seen[key]}",
            )
        text = " ".join((c.text("reason") or "").split())
        code = self.reasons.match(text) if text else "other"
        team_id, _key = _team(c, self.lookups)
        external_id = c.text("external_id")
        self.seen[key] = number
        return ChurnRow(ref, day, code, text, None, team_id), external_id
