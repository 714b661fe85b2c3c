"""Every date and moment the screens show, in one format: the locale's short date (the
year in full), moments in the centre's time zone (``core.date_format``).

Rules:
- ``date_text`` for a date (a call's day, a deadline), ``moment_text`` for a stored UTC
  moment (published, revealed, made); both come back left-to-right isolated, so they
  read the same inside right-to-left text.
- The style is the default ``QLocale``'s; the C locale (no locale chosen) is ISO 8601.
- ``date_pattern`` is the same pattern for fields where a date is typed, and
  ``parse_date`` reads what was typed: that pattern, ISO 8601, or Western digits in a
  locale with others.
- ``CentreDay`` says what a calendar needs: the centre's today and its first day of
  the week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from PySide6.QtCore import QLocale

from qa_monitor.core.date_format import (
    ISO,
    DateStyle,
    centre_date,
    format_date,
    format_moment,
    format_time,
    full_year,
)
from qa_monitor.services import Services
from qa_monitor.ui.widgets.widget_style import ltr

__all__ = [
    "CentreDay",
    "centre_day",
    "date_pattern",
    "date_style",
    "date_text",
    "moment_date_text",
    "moment_text",
    "parse_date",
    "time_text",
    "wall_text",
]


@lru_cache(maxsize=16)
def _style(name: str) -> DateStyle:
    locale = QLocale(name)
    if locale.language() == QLocale.Language.C:
        return ISO
    short = QLocale.FormatType.ShortFormat
    long = QLocale.FormatType.LongFormat
    return DateStyle(
        date_pattern=full_year(locale.dateFormat(short)),
        time_pattern=locale.timeFormat(short),
        zero=locale.zeroDigit() or "0",
        am=locale.amText() or "AM",
        pm=locale.pmText() or "PM",
        months=tuple(locale.monthName(m, long) for m in range(1, 13)),
        short_months=tuple(locale.monthName(m, short) for m in range(1, 13)),
        days=tuple(locale.dayName(d, long) for d in range(1, 8)),
        short_days=tuple(locale.dayName(d, short) for d in range(1, 8)),
    )


def date_style(locale: QLocale | None = None) -> DateStyle:
    """The short date and time style of ``locale`` (the default locale when None)."""
    return _style((locale or QLocale()).name())


def date_pattern(locale: QLocale | None = None) -> str:
    """The pattern dates are shown and typed in ("dd/MM/yyyy"; ISO for the C locale)."""
    return date_style(locale).date_pattern


def date_text(day: date | None, locale: QLocale | None = None, *, empty: str = "") -> str:
    """``day`` in the locale's short format, kept left-to-right; ``empty`` for None."""
    return empty if day is None else ltr(format_date(day, date_style(locale)))


def time_text(moment: time, locale: QLocale | None = None) -> str:
    """A time of day in the locale's short format, kept left-to-right."""
    return ltr(format_time(moment, date_style(locale)))


def moment_text(
    moment: datetime | None, zone: str, locale: QLocale | None = None, *, empty: str = ""
) -> str:
    """A stored moment's date and time in the centre's ``zone``; ``empty`` for None."""
    if moment is None:
        return empty
    return ltr(format_moment(moment, zone, date_style(locale)))


def wall_text(moment: datetime, locale: QLocale | None = None) -> str:
    """A date and time as it is, with no zone to move it to (a backup's file stamp, a
    cell of a file being imported, a date-and-time answer), kept left-to-right."""
    style = date_style(locale)
    return ltr(f"{format_date(moment.date(), style)} {format_time(moment.time(), style)}")


def moment_date_text(moment: datetime | None, zone: str, locale: QLocale | None = None) -> str:
    """The centre's day of a stored moment (``""`` for None)."""
    return "" if moment is None else date_text(centre_date(moment, zone), locale)


def _unmarked(text: str) -> str:
    return "".join(c for c in text if c not in "\u200e\u200f\u2066\u2067\u2068\u2069")


def parse_date(text: str, locale: QLocale | None = None) -> date | None:
    """The date typed in ``text``: in the shown pattern (the locale's digits or Western
    ones), or ISO 8601; None when it is not a whole, real date."""
    text = _unmarked(text).strip()
    if not text:
        return None
    loc = locale or QLocale()
    pattern = _unmarked(date_pattern(loc))
    for reader, fmt in ((loc, pattern), (QLocale.c(), pattern), (QLocale.c(), "yyyy-MM-dd")):
        parsed = reader.toDate(text, fmt)
        if parsed.isValid():
            return date(parsed.year(), parsed.month(), parsed.day())
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class CentreDay:
    """The centre's today and the first day of its week (0 = Monday … 6 = Sunday)."""

    today: date
    week_start: int = 0


def centre_day(services: Services) -> CentreDay:
    """Today in the centre's zone and the configured first day of the week."""
    centre = services.settings.centre()
    return CentreDay(centre_date(services.clock(), centre.timezone), centre.week_start)
