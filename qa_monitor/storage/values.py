"""Converting Python values to and from what the database stores.

Moments are UTC ISO-8601 text with milliseconds and a ``Z`` (fixed width, so text
order is time order); local dates are ``YYYY-MM-DD`` in the centre's zone.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from qa_monitor.core.answers import AnswerValue


def to_ms(moment: datetime) -> datetime:
    """``moment`` in UTC, truncated to the millisecond (what the database keeps)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime")
    utc = moment.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def utc_text(moment: datetime) -> str:
    return to_ms(moment).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def opt_utc_text(moment: datetime | None) -> str | None:
    return None if moment is None else utc_text(moment)


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def opt_parse_utc(text: str | None) -> datetime | None:
    return None if text is None else parse_utc(text)


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date of ``moment`` in the IANA zone ``zone``."""
    return to_ms(moment).astimezone(ZoneInfo(zone)).date()


def opt_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def opt_date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def opt_bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def opt_int(value: bool | None) -> int | None:
    return None if value is None else int(value)


def value_to_json(value: AnswerValue) -> str | None:
    """An answer value as JSON text (tuples as lists); no value is SQL NULL."""
    if value is None:
        return None
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def value_from_json(text: str | None) -> AnswerValue:
    if text is None:
        return None
    value = json.loads(text)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str | int | float):
        return value
    raise ValueError(f"stored answer value {text!r} is not a string, number or list")
