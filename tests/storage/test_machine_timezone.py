"""The centre's zone on first use: this machine's zone as ``tzlocal`` reads it (on Windows
from the registry, where the old guess found nothing), UTC only when none can be told,
and then the reason is logged."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfoNotFoundError

import pytest
import tzlocal

from qa_monitor.storage.settings_repo import machine_timezone


def _answer(monkeypatch: pytest.MonkeyPatch, answer: object) -> None:
    def get_localzone_name() -> object:
        if isinstance(answer, BaseException):
            raise answer
        return answer

    monkeypatch.setattr(tzlocal, "get_localzone_name", get_localzone_name)


@pytest.mark.parametrize("zone", ["Asia/Tehran", "Europe/Moscow", "America/Sao_Paulo"])
def test_the_zone_is_tzlocals_answer(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, zone: str
) -> None:
    # Whatever $TZ or /etc/localtime say here: what tzlocal reads (on Windows, the
    # registry's "Iran Standard Time" mapped to Asia/Tehran) is the answer.
    monkeypatch.setenv("TZ", "UTC")
    _answer(monkeypatch, zone)
    with caplog.at_level(logging.WARNING):
        assert machine_timezone() == zone
    assert caplog.records == []


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (ZoneInfoNotFoundError("Iran Standard Time"), "Could not tell this machine's time zone"),
        (LookupError("Can not find Windows timezone configuration"), "Could not tell"),
        (None, "This machine names no time zone"),
        ("Mars/Olympus", "'Mars/Olympus' is not a known zone name"),
    ],
)
def test_utc_only_when_no_zone_can_be_told_with_the_reason_logged(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    answer: object,
    reason: str,
) -> None:
    _answer(monkeypatch, answer)
    with caplog.at_level(logging.WARNING, logger="qa_monitor.storage.settings_repo"):
        assert machine_timezone() == "UTC"
    (record,) = caplog.records
    assert reason in record.getMessage() and "using UTC" in record.getMessage()
