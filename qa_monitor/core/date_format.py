"""Dates and moments as people read them: one short format, from the locale, in the
centre's time zone.

Rules:
- Moments are stored in UTC (a naive one is UTC); shown, they are in the centre's zone:
  a call at 21:00 UTC on 13 November is on 14 November, 00:30, in Tehran.
- Dates (an interaction's local date, a deadline, a session's day) already are the
  centre's: they are shown as they are, never moved by a zone.
- A ``DateStyle`` holds the locale's short patterns, in Qt's pattern letters (``d``,
  ``dd``, ``M`` … ``MMMM``, ``yy``, ``yyyy``, ``H``, ``HH``, ``h``, ``hh``, ``m``, ``mm``,
  ``s``, ``ss``, ``AP``/``ap``/``Ap``; text in single quotes as it is), so a date field and a
  list show the same text; the year is always written in full (``full_year``). Digits
  are the locale's (Persian ۱۴, Arabic ١٤).
- Without a locale (the C locale, the command line, a file) the style is ISO 8601:
  2026-11-14 and 14:30.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "ISO",
    "DateStyle",
    "centre_date",
    "centre_moment",
    "format_date",
    "format_moment",
    "format_time",
    "full_year",
]


@dataclass(frozen=True)
class DateStyle:
    """How one locale writes a date and a time (``ISO`` when there is no locale)."""

    date_pattern: str = "yyyy-MM-dd"
    time_pattern: str = "HH:mm"
    zero: str = "0"  # the locale's zero digit; the others follow it in Unicode
    am: str = "AM"
    pm: str = "PM"
    months: tuple[str, ...] = ()  # January … December, for MMMM (English when empty)
    short_months: tuple[str, ...] = ()  # for MMM
    days: tuple[str, ...] = ()  # Monday … Sunday, for dddd
    short_days: tuple[str, ...] = ()  # for ddd


ISO = DateStyle()

_EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# A quoted literal, an AM/PM marker, or a run of one pattern letter.
_TOKEN = re.compile(r"'(?:[^']|'')*'|AP|Ap|aP|ap|A|a|d+|M+|y+|H+|h+|m+|s+|[^'dMyHhmsAa]+")


def full_year(pattern: str) -> str:
    """``pattern`` with a two-digit year (``yy``) written in full (``yyyy``): "11/14/26"
    could be 1926 or 2026, and a list of a year's calls crosses years."""
    return "".join("yyyy" if token == "yy" else token for token in _TOKEN.findall(pattern))


@lru_cache(maxsize=64)
def _tokens(pattern: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(pattern))


def _digits(text: str, zero: str) -> str:
    if zero == "0":
        return text
    base = ord(zero)
    return "".join(chr(base + int(c)) if c.isascii() and c.isdigit() else c for c in text)


def _name(names: tuple[str, ...], fallback: list[str], index: int, short: bool) -> str:
    if names:
        return names[index]
    return fallback[index][:3] if short else fallback[index]


def _field(token: str, day: date | None, moment: time | None, style: DateStyle) -> str:
    """One pattern token of ``day`` / ``moment``; a token of the other kind stays as it is."""
    letter, width = token[0], len(token)
    if token in ("AP", "A", "ap", "a", "Ap", "aP") and moment is not None:
        marker = style.am if moment.hour < 12 else style.pm
        if token in ("AP", "A"):
            return marker.upper()
        return marker.lower() if token in ("ap", "a") else marker
    if day is not None:
        if letter == "d" and width <= 2:
            return _digits(f"{day.day:0{width}d}", style.zero)
        if letter == "d":
            return _name(style.short_days if width == 3 else style.days, _EN_DAYS,
                         day.weekday(), width == 3)  # fmt: skip
        if letter == "M" and width <= 2:
            return _digits(f"{day.month:0{width}d}", style.zero)
        if letter == "M":
            return _name(style.short_months if width == 3 else style.months, _EN_MONTHS,
                         day.month - 1, width == 3)  # fmt: skip
        if letter == "y":
            year = f"{day.year % 100:02d}" if width == 2 else f"{day.year:04d}"
            return _digits(year, style.zero)
    if moment is not None:
        hour12 = moment.hour % 12 or 12
        value = {
            "H": moment.hour, "h": hour12, "m": moment.minute, "s": moment.second
        }.get(letter)  # fmt: skip
        if value is not None:
            return _digits(f"{value:0{min(width, 2)}d}", style.zero)
    if token.startswith("'"):
        return token[1:-1].replace("''", "'") if len(token) > 2 else "'"
    return token


def _render(pattern: str, day: date | None, moment: time | None, style: DateStyle) -> str:
    return "".join(_field(token, day, moment, style) for token in _tokens(pattern))


def format_date(day: date, style: DateStyle = ISO) -> str:
    """``day`` in ``style``'s short date pattern ("14/11/2026", "۲۰۲۶/۱۱/۱۴")."""
    return _render(style.date_pattern, day, None, style)


def format_time(moment: time, style: DateStyle = ISO) -> str:
    """``moment`` in ``style``'s short time pattern ("14:30", "2:30 PM")."""
    return _render(style.time_pattern, None, moment, style)


def centre_moment(moment: datetime, zone: str) -> datetime:
    """``moment`` (aware, or naive UTC as stored) in the centre's zone ``zone``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone))


def centre_date(moment: datetime, zone: str) -> date:
    """The centre's calendar day of ``moment``: what people there call its date."""
    return centre_moment(moment, zone).date()


def format_moment(moment: datetime, zone: str, style: DateStyle = ISO) -> str:
    """``moment`` as its date and time in the centre's zone: "14/11/2026 00:30"."""
    local = centre_moment(moment, zone)
    return f"{format_date(local.date(), style)} {format_time(local.time(), style)}"
