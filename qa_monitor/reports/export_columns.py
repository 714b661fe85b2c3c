"""The columns of the Evaluations sheet (and of the CSV export), and each row's values.

Values are plain Python: numbers at full precision (formats round for display only),
naive datetimes in local time (the interaction's own zone for its start, the
centre's zone for the submission), ``timedelta`` durations, and words for enums and
pass/fail, so a reader never needs a legend.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from qa_monitor.core.forms import Category, ScoringMode
from qa_monitor.core.scoring import SectionScore
from qa_monitor.reports.xlsx_sheets import Column
from qa_monitor.reports.xlsx_styles import Kind
from qa_monitor.storage.export_queries import E_VERSION_ID, ExportLayout

BASE_COLUMNS: tuple[Column, ...] = (
    Column("Evaluation", Kind.INT),
    Column("Interaction", Kind.INT),
    Column("External id"),
    Column("Started", Kind.DATETIME),
    Column("Channel"),
    Column("Direction"),
    Column("Duration", Kind.DURATION),
    Column("Customer reference"),
    Column("Contact reason"),
    Column("Agent"),
    Column("Team"),
    Column("Reviewer"),
    Column("Form"),
    Column("Version", Kind.INT),
    Column("Kind"),
    Column("Status"),
    Column("Submitted", Kind.DATETIME),
    Column("Score", Kind.SCORE),
    Column("Score before critical", Kind.SCORE),
    Column("Result"),
    Column("Band"),
)
_HEADERS = [c.header for c in BASE_COLUMNS]
SCORE_COLUMN = _HEADERS.index("Score")  # 0-based
RESULT_COLUMN = _HEADERS.index("Result")
TAIL_COLUMNS: tuple[Column, ...] = (
    Column("Critical failure causes"),
    Column("Overall comment", width=50),
)
PASS, FAIL = "Pass", "Fail"
_WORDS = {
    "phone": "Phone",
    "chat": "Chat",
    "email": "Email",
    "social": "Social",
    "inbound": "Inbound",
    "outbound": "Outbound",
    "regular": "Regular",
    "calibration": "Calibration",
    "self": "Self-review",
    "draft": "Draft",
    "submitted": "Submitted",
    "acknowledged": "Acknowledged",
    "disputed": "Disputed",
    "resolved": "Resolved",
}


def word(value: str | None) -> str | None:
    return None if value is None else _WORDS.get(value, value)


def category_header(category: Category) -> str:
    return f"{category.label} (category)"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(utc_text: str | None, zone: str) -> datetime | None:
    """Stored UTC text as a naive datetime on the wall clock of ``zone``."""
    if utc_text is None:
        return None
    return datetime.fromisoformat(utc_text).astimezone(_zone(zone)).replace(tzinfo=None)


def category_percents(sections: list[SectionScore], mode: ScoringMode) -> dict[Category, float]:
    """Each category's percent, by ``core.scoring``'s rule for category scores (the
    category's applicable sections combined with the form's mode), in the same order of
    arithmetic, so the export shows exactly what the score panel shows; only the final
    score, not the before-critical one or the point totals, which exports do not need."""
    members: dict[Category, list[SectionScore]] = {}
    for s in sections:
        if s.possible > 0:
            members.setdefault(s.category, []).append(s)
    out: dict[Category, float] = {}
    for category, applicable in members.items():
        if mode is ScoringMode.POINTS:
            out[category] = (
                sum(s.earned for s in applicable) / sum(s.possible for s in applicable) * 100.0
            )
            continue
        total_weight = sum(s.weight for s in applicable)
        if total_weight <= 0:
            continue
        weighted = 0.0
        for s in applicable:
            weighted += s.weight * (s.earned / s.possible * 100.0)
        out[category] = weighted / total_weight
    return out


def pass_word(passed: int | None) -> str | None:
    return None if passed is None else (PASS if passed else FAIL)


class EvaluationColumns:
    """Columns for one export's form versions, and the row of each evaluation."""

    def __init__(self, layout: ExportLayout, centre_zone: str):
        self.layout = layout
        self.centre_zone = centre_zone
        self.columns: list[Column] = [
            *BASE_COLUMNS,
            *(Column(s.title, Kind.SCORE) for s in layout.sections),
            *(Column(category_header(c), Kind.SCORE) for c in layout.categories),
            *TAIL_COLUMNS,
        ]
        self.first_section = len(BASE_COLUMNS)
        self.first_category = self.first_section + len(layout.sections)
        self.causes_column = self.first_category + len(layout.categories)
        self._category_index = {c: i for i, c in enumerate(layout.categories)}
        self._blank_tail: list[float | None] = [None] * (
            len(layout.sections) + len(layout.categories)
        )

    @property
    def score_columns(self) -> range:
        """0-based indexes of every 0–100 score column."""
        return range(SCORE_COLUMN, SCORE_COLUMN + 2)

    def row(self, r: tuple, sections: list[SectionScore]) -> list[object]:
        (
            eid,
            iid,
            external_id,
            started_at,
            zone,
            channel,
            direction,
            duration,
            agent,
            team,
            reviewer,
            form,
            version,
            kind,
            status,
            submitted_at,
            score,
            before,
            passed,
            band,
            _critical,
            causes,
            comment,
            _version_id,
            customer_ref,
            contact_reason,
        ) = r
        values: list[object] = [
            eid,
            iid,
            external_id,
            local_time(started_at, zone),
            _WORDS.get(channel, channel),
            _WORDS.get(direction, direction),
            None if duration is None else timedelta(seconds=duration),
            customer_ref or None,
            contact_reason or None,
            agent,
            team,
            reviewer,
            form,
            version,
            _WORDS.get(kind, kind),
            _WORDS.get(status, status),
            local_time(submitted_at, self.centre_zone),
            score,
            before,
            None if passed is None else (PASS if passed else FAIL),
            band,
        ]
        scores: list[float | None] = list(self._blank_tail)
        if sections:
            layout = self.layout.versions.get(r[E_VERSION_ID])
            if layout is not None:
                for s in sections:
                    index = layout.section_columns.get(s.section_id)
                    if index is not None and s.possible > 0:
                        scores[index] = s.earned / s.possible * 100.0
                offset = len(self.layout.sections)
                for category, percent in category_percents(sections, layout.mode).items():
                    position = self._category_index.get(category)
                    if position is not None:
                        scores[offset + position] = percent
        values.extend(scores)
        values.append(causes)
        values.append(comment or None)
        return values
