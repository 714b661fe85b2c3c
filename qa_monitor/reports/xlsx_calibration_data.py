"""What the calibration workbook is written from: plain values and the core ``Reveal``.

The services build these from their ``RevealView``s (``services.calibration_export``);
reports never import services (services import reports), so the workbook takes only
what it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from qa_monitor.core.agreement import AlphaEstimate
from qa_monitor.core.calibration import QuestionAlpha, Reveal


@dataclass(frozen=True, slots=True)
class RevealedSession:
    """One revealed session as the workbook shows it."""

    title: str
    call: str  # "<external id> · <agent> · <date> · <channel>"
    call_id: str  # the call's id in the phone or chat system ('' when it has none)
    channel: str  # the channel's word, e.g. "phone"
    agent: str
    call_date: date
    form_title: str
    form_version: int
    expert_name: str | None  # None: consensus
    revealed_at: datetime | None  # naive, on the centre's clock
    summary: str
    reveal: Reveal
    questions: Mapping[str, QuestionAlpha]
    score_alpha: AlphaEstimate  # interval level, units: pooled sessions
    call_alpha: AlphaEstimate  # nominal, units: this call's questions
    pooled: int  # revealed sessions pooled for the alphas, this one included

    @property
    def invited(self) -> int:
        return len(self.reveal.participants) + len(self.reveal.missing)


@dataclass(frozen=True, slots=True)
class WorkbookInfo:
    """Who made the workbook, when, of which sessions, and the figures' parameters."""

    generated_at: datetime  # naive, on the centre's clock
    timezone: str
    generated_by: str
    scope: Sequence[tuple[str, str]]  # (label, words) lines, e.g. ("Form", "Support call")
    scope_sentence: str  # the scope in one line for the top of every table
    recent_sessions: int  # how many revealed sessions an alpha pools at most
    resamples: int  # bootstrap resamples of the 95 % intervals
    minimum_sessions: int  # sessions an alpha needs before it is judged
    capped_from: int | None = None  # matching sessions when more than fitted


@dataclass(frozen=True, slots=True)
class CalibrationExportResult:
    path: Path
    sessions: int
    sheets: tuple[str, ...]
    seconds: float
