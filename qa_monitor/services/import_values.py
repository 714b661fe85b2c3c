"""Turning spreadsheet cells into values, with messages that say what was expected.

Accepted: Persian and Arabic-Indic digits as well as ASCII; ISO dates and times
(``2026-03-01``, ``2026-03-01 14:30``, with or without ``T``, seconds, an offset or
``Z``); day/month/year with ``/ . -`` (month/day/year when the mapping says so);
Solar Hijri (Jalali) dates, recognised by a year from 1300 to 1499; Excel date cells
and serial numbers; Unix timestamps. A time without a zone is on the centre's clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from qa_monitor.core.echo_text import shorten

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")
_DMY = re.compile(
    r"^(\d{1,4})[./\-](\d{1,2})[./\-](\d{1,4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm]|ق\.?ظ|ب\.?ظ)?)?$"
)
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?$")
_TRUE = {
    "1",
    "yes",
    "y",
    "true",
    "t",
    "x",
    "resolved",
    "solved",
    "بله",
    "بلی",
    "آری",
    "نعم",
    "да",
    "д",
    "истина",
    "✓",
    "✔",
}
_FALSE = {
    "0",
    "no",
    "n",
    "false",
    "f",
    "unresolved",
    "not resolved",
    "خیر",
    "نه",
    "لا",
    "нет",
    "н",
    "ложь",
    "✗",
    "✘",
}
_EXCEL_EPOCH = datetime(1899, 12, 30)
DATE_HINT = "write dates like 2026-03-01 or 01/03/2026 (day first)"


def clean(value: object) -> object:
    """Strip text and turn Persian/Arabic digits into ASCII; blank text becomes None."""
    if value.__class__ is str:
        text = value.strip()
        if not text:
            return None
        return text if text.isascii() else text.translate(_DIGITS)
    return value


def parse_text(value: object) -> str | None:
    """Text of a cell (numbers Excel stored for ids lose their ``.0``); blank is None."""
    if value.__class__ is str:
        return value.strip() or None
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id Excel stored as a number
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def parse_number(value: object, what: str = "number") -> float:
    if value.__class__ is str:
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
    value = clean(value)
    if isinstance(value, bool):
        raise ValueError(f"expected a {what}, found {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # decimal comma
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"'{shorten(value)}' is not a {what}") from None
    if not math.isfinite(number):
        raise ValueError(f"'{shorten(value)}' is not a {what}")
    return number


def parse_int(value: object, low: int, high: int, what: str) -> int:
    number = parse_number(value, f"whole number from {low} to {high}")
    if not number.is_integer() or not low <= number <= high:
        raise ValueError(
            f"{what} must be a whole number from {low} to {high}, found '{shorten(value)}'"
        )
    return int(number)


def parse_bool(value: object) -> bool:
    value = clean(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{shorten(value)}' is not yes or no (use yes/no, true/false or 1/0)")


def parse_duration(value: object) -> float:
    """Seconds, from a number of seconds, ``mm:ss`` or ``h:mm:ss`` (or an Excel time)."""
    value = clean(value)
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
    elif isinstance(value, str) and (match := _CLOCK.match(value)):
        hours, minutes, secs = match.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    else:
        try:
            seconds = parse_number(value, "duration")
        except ValueError:
            raise ValueError(
                f"'{shorten(value)}' is not a duration (give seconds, mm:ss or h:mm:ss)"
            ) from None
    if seconds < 0:
        raise ValueError(f"the duration cannot be negative ('{shorten(value)}')")
    return seconds


def _jalali_ordinal(year: int, month: int, day: int) -> int:
    # The 33-year cycle arithmetic (exact for Solar Hijri years 1178–1633).
    y = year + 1595
    days = -355_668 + 365 * y + (y // 33) * 8 + ((y % 33) + 3) // 4 + day
    days += (month - 1) * 31 if month < 7 else (month - 7) * 30 + 186
    return days - 365


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """A Solar Hijri (Jalali) date as a Gregorian date (1 Farvardin 1403 = 2024-03-20)."""
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        raise ValueError(f"{year}/{month}/{day} is not a Solar Hijri date")
    ordinal = _jalali_ordinal(year, month, day)
    if month == 12 and day == 30 and ordinal >= _jalali_ordinal(year + 1, 1, 1):
        raise ValueError(f"{year}/12/30 does not exist: {year} is not a leap year")
    return date.fromordinal(ordinal)


def _ymd(a: str, b: str, c: str, day_first: bool) -> date:
    if len(a) >= 3:  # year first: Y-M-D
        year, month, day = int(a), int(b), int(c)
    elif day_first:
        day, month, year = int(a), int(b), int(c)
    else:
        month, day, year = int(a), int(b), int(c)
    if year < 100:
        year += 2000
    if 1300 <= year < 1500:
        return jalali_to_gregorian(year, month, day)
    return date(year, month, day)


def _from_number(number: float, zone: ZoneInfo) -> datetime:
    if 1e12 <= number < 1e14:
        return datetime.fromtimestamp(number / 1000, UTC)
    if 1e9 <= number < 1e11:
        return datetime.fromtimestamp(number, UTC)
    if 1 <= number < 200_000:
        return (_EXCEL_EPOCH + timedelta(days=number)).replace(tzinfo=zone)
    raise ValueError(f"'{number:g}' is not a date")


def parse_moment(value: object, zone: ZoneInfo, day_first: bool = True) -> datetime:
    """An aware datetime; times without a zone are on the centre's clock (``zone``)."""
    value = clean(value)
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), zone)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(float(value), zone)
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if moment.year >= 1500:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    match = _DMY.match(text)
    if match is None:
        try:
            return _from_number(float(text), zone)
        except ValueError:
            raise ValueError(f"'{shorten(text)}' is not a date and time; {DATE_HINT}") from None
    a, b, c, hour, minute, second, half = match.groups()
    try:
        day = _ymd(a, b, c, day_first)
        h, m, s = int(hour or 0), int(minute or 0), int(second or 0)
        if half:
            pm = half.lower() in ("pm", "بظ", "ب.ظ")
            if not 1 <= h <= 12:
                raise ValueError(f"hour {h} with {half}")
            h = h % 12 + (12 if pm else 0)
        return datetime.combine(day, time(h, m, s), zone)
    except ValueError as exc:
        raise ValueError(
            f"'{shorten(text)}' is not a valid date ({exc}); {DATE_HINT}"
        ) from None


def parse_day(value: object, zone: ZoneInfo, day_first: bool = True) -> date:
    value = clean(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_moment(value, zone, day_first).date()


def detect_day_first(values: Iterable[object]) -> bool:
    """Whether ``a/b/yyyy`` dates in a column are day first: month first only when some
    second number exceeds 12 and no first number does (day first is the default)."""
    first_big = second_big = False
    for value in values:
        value = clean(value)
        if not isinstance(value, str):
            continue
        match = _DMY.match(value)
        if match is None or len(match.group(1)) >= 3:
            continue
        first_big |= int(match.group(1)) > 12
        second_big |= int(match.group(2)) > 12
        if first_big:
            return True
    return not second_big
