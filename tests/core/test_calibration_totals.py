"""Reviewer totals over calibration sessions: only deviations count, each judged by the
bands of its own session; the expert of a session is not compared in it."""

from __future__ import annotations

import pytest

from qa_monitor.core.calibration import (
    Band,
    Bands,
    BenchmarkKind,
    Participant,
    Reveal,
    ReviewerResult,
    reviewer_totals,
)


def _person(reviewer_id: int, name: str, score: float | None) -> Participant:
    return Participant(reviewer_id, name, False, reviewer_id * 10, score, {}, frozenset())


def _session(bands: Bands, benchmark: float | None, *scores: tuple[int, str, float]) -> Reveal:
    results = []
    for reviewer_id, name, score in scores:
        deviation = None if benchmark is None else score - benchmark
        band = None if deviation is None else bands.band(deviation)
        results.append(ReviewerResult(_person(reviewer_id, name, score), deviation, band))
    kind = BenchmarkKind.NONE if benchmark is None else BenchmarkKind.EXPERT
    return Reveal((), (), (), tuple(results), benchmark, kind, None, bands)


def test_totals_pool_deviations_under_each_sessions_bands() -> None:
    wide, narrow = Bands(5, 10), Bands(2, 4)
    sessions = [
        _session(wide, 80.0, (2, "zoe", 84.0), (1, "Ali", 77.0)),  # +4 acceptable, −3
        _session(narrow, 90.0, (2, "zoe", 94.0)),  # +4 is only "discuss" here
        _session(wide, None, (2, "zoe", 50.0)),  # no benchmark: not counted
        _session(wide, 70.0, (1, "Ali", 82.0)),  # +12 recalibrate
    ]
    ali, zoe = reviewer_totals(sessions)  # by name, ignoring case
    assert (ali.name, ali.sessions) == ("Ali", 2)
    assert ali.mean_absolute == pytest.approx(7.5) and ali.bias == pytest.approx(4.5)
    assert (ali.acceptable, ali.discuss, ali.recalibrate) == (1, 0, 1)
    assert ali.within_acceptable == 0.5 and ali.within_discuss == 0.5
    assert ali.largest == pytest.approx(12.0)
    assert (zoe.sessions, zoe.acceptable, zoe.discuss) == (2, 1, 1)
    assert zoe.bias == pytest.approx(4.0) and zoe.within_discuss == 1.0


def test_no_deviation_no_total() -> None:
    assert reviewer_totals([_session(Bands(), None, (1, "Ali", 80.0))]) == []
    assert Band.ACCEPTABLE is Bands().band(-5.0)


def test_a_band_follows_the_deviation_as_shown() -> None:
    """DOMAIN.md: decisions follow what is displayed. 5.04 shows as +5.0: acceptable."""
    from qa_monitor.core.calibration import Band, Bands

    bands = Bands()
    assert bands.band(5.04) is Band.ACCEPTABLE
    assert bands.band(-5.04) is Band.ACCEPTABLE
    assert bands.band(5.05) is Band.DISCUSS
    assert bands.band(10.04) is Band.DISCUSS
    assert bands.band(10.05) is Band.RECALIBRATE
