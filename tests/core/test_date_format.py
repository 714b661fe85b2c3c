"""One date format, from the locale, in the centre's time zone (core.date_format), checked
without Qt: the patterns are the ones Qt's locales give."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from qa_monitor.core.date_format import (
    ISO,
    DateStyle,
    centre_date,
    centre_moment,
    format_date,
    format_moment,
    format_time,
    full_year,
)

BRITISH = DateStyle("dd/MM/yyyy", "HH:mm")
AMERICAN = DateStyle(full_year("M/d/yy"), "h:mm\u202fAp")
PERSIAN = DateStyle("yyyy/M/d", "H:mm", zero="۰")
ARABIC = DateStyle("d\u200f/M\u200f/yyyy", "h:mm AP", zero="٠", am="ص", pm="م")


def test_a_moment_late_in_the_utc_evening_is_the_next_day_in_tehran():
    stored = datetime(2026, 11, 13, 21, 0, tzinfo=UTC)  # 00:30 on the 14th in Tehran
    assert centre_date(stored, "Asia/Tehran") == date(2026, 11, 14)
    assert centre_date(stored, "UTC") == date(2026, 11, 13)
    assert format_moment(stored, "Asia/Tehran", BRITISH) == "14/11/2026 00:30"
    assert format_moment(stored, "UTC", BRITISH) == "13/11/2026 21:00"


def test_a_moment_early_in_the_utc_morning_is_the_day_before_in_bogota():
    stored = datetime(2026, 1, 1, 3, 15, tzinfo=UTC)
    assert centre_date(stored, "America/Bogota") == date(2025, 12, 31)
    assert format_moment(stored, "America/Bogota", ISO) == "2025-12-31 22:15"


def test_a_naive_stored_moment_is_utc_and_an_aware_one_keeps_its_offset():
    naive = datetime(2026, 11, 13, 21, 0)
    assert centre_moment(naive, "Asia/Tehran") == datetime(2026, 11, 13, 21, 0, tzinfo=UTC)
    tehran = timezone(timedelta(hours=3, minutes=30))
    aware = datetime(2026, 11, 14, 0, 30, tzinfo=tehran)
    assert format_moment(aware, "Asia/Tehran", ISO) == "2026-11-14 00:30"
    assert format_moment(aware, "Europe/London", ISO) == "2026-11-13 21:00"


def test_summer_time_follows_the_zone_not_a_fixed_offset():
    winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    assert format_moment(winter, "Europe/London", ISO) == "2026-01-15 12:00"
    assert format_moment(summer, "Europe/London", ISO) == "2026-07-15 13:00"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (ISO, "2026-11-04"),
        (BRITISH, "04/11/2026"),
        (AMERICAN, "11/4/2026"),
        (PERSIAN, "۲۰۲۶/۱۱/۴"),
        (ARABIC, "٤\u200f/١١\u200f/٢٠٢٦"),
    ],
)
def test_a_date_in_each_locale_with_its_own_digits(style, expected):
    assert format_date(date(2026, 11, 4), style) == expected


def test_times_follow_the_locale_clock():
    assert format_time(time(14, 5), BRITISH) == "14:05"
    assert format_time(time(14, 5), AMERICAN) == "2:05\u202fPM"
    assert format_time(time(0, 30), AMERICAN) == "12:30\u202fAM"
    assert format_time(time(14, 5), ARABIC) == "٢:٠٥ م"
    assert format_time(time(9, 7), PERSIAN) == "۹:۰۷"


def test_a_two_digit_year_is_written_in_full():
    assert full_year("M/d/yy") == "M/d/yyyy"
    assert full_year("dd.MM.yy") == "dd.MM.yyyy"
    assert full_year("dd/MM/yyyy") == "dd/MM/yyyy"
    assert full_year("d 'yy' MMM yy") == "d 'yy' MMM yyyy"  # quoted text stays


def test_names_and_quoted_text():
    style = DateStyle("ddd d MMM yyyy 'at'")
    assert format_date(date(2026, 11, 14), style) == "Sat 14 Nov 2026 at"
    named = DateStyle("dddd d MMMM", months=tuple(f"m{i}" for i in range(1, 13)),
                      days=tuple(f"d{i}" for i in range(1, 8)))  # fmt: skip
    assert format_date(date(2026, 11, 14), named) == "d6 14 m11"
    assert format_date(date(2026, 3, 4), DateStyle("d 'o''clock' M")) == "4 o'clock 3"
