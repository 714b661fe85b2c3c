"""Why customers leave, and which part of the business can act on each reason.

The defaults are the six reasons of DOMAIN.md's source article, each with the teams
that mitigate it, plus "competitor or price" and "other" for real use; their codes are
the retention call form's ``churn_reason`` options, so an answer and an imported churn
event name the same reason. The centre edits the list (labels, acting teams, words
that mean the reason in its files); it is one team-wide setting (``churn_reasons``).

Matching a reason as written in a file (``ChurnReasons.match``): its code, its label or
one of its words, compared by ``text_keys.name_key`` (case, Persian and Arabic letter
forms and spacing aside). Text that matches nothing is kept as written under "other",
so nothing a file says is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa_monitor.core.text_keys import name_key

OTHER = "other"
# The team-wide setting that holds the centre's list (storage/sync_schema.TEAM_SETTINGS).
SETTINGS_KEY = "churn_reasons"
# The most reasons a centre may define, and the longest label, team and word.
MAX_REASONS = 50
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class ChurnReason:
    code: str  # stable id (the retention form's option id)
    label: str
    teams: tuple[str, ...]  # who can act on it, first = the one it is grouped under
    words: tuple[str, ...] = ()  # other ways files name it

    @property
    def acting_team(self) -> str:
        return self.teams[0] if self.teams else ""

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "teams": list(self.teams),
            "words": list(self.words),
        }


DEFAULT_REASONS: tuple[ChurnReason, ...] = (
    ChurnReason(
        "incorrect_use_case",
        "Incorrect use case",
        ("Marketing and sales",),
        (
            "wrong product",
            "not what i needed",
            "use case",
            "مورد استفاده نادرست",
            "حالة استخدام خاطئة",
            "не тот продукт",
        ),
    ),
    ChurnReason(
        "failure_to_launch",
        "Failure to launch",
        ("Sales and onboarding",),
        ("never started", "never set up", "onboarding", "راه‌اندازی نشد", "لم يبدأ", "не запустили"),
    ),
    ChurnReason(
        "features_functionality",
        "Features and functionality",
        ("Product and customer support",),
        ("features", "functionality", "missing feature", "امکانات", "الميزات", "функциональность"),
    ),
    ChurnReason(
        "low_usage",
        "Low usage",
        ("Customer support and onboarding",),
        ("usage", "not using", "rarely used", "استفاده کم", "استخدام منخفض", "мало пользуется"),
    ),
    ChurnReason(
        "roi_value",
        "ROI and value",
        ("Metrics, customer support and relationship management",),
        ("roi", "value", "not worth it", "ارزش", "القيمة", "ценность"),
    ),
    ChurnReason(
        "organisational_change",
        "Customer or organisational change",
        ("Customer support and relationship management",),
        (
            "organisational change",
            "organizational change",
            "moved",
            "company closed",
            "تغییر سازمانی",
            "تغيير تنظيمي",
            "переезд",
        ),
    ),
    ChurnReason(
        "competitor_price",
        "Competitor or price",
        ("Marketing and sales", "Relationship management"),
        (
            "competitor",
            "price",
            "too expensive",
            "cheaper",
            "رقیب",
            "قیمت",
            "منافس",
            "السعر",
            "конкурент",
            "цена",
        ),
    ),
    ChurnReason(OTHER, "Other", (), ("unknown", "نامشخص", "أخرى", "другое")),
)


class ChurnReasonsError(ValueError):
    """The centre's list of reasons cannot be used as it is (the message says why)."""


@dataclass(frozen=True, slots=True)
class ChurnReasons:
    reasons: tuple[ChurnReason, ...] = DEFAULT_REASONS

    def __post_init__(self) -> None:
        codes = [r.code for r in self.reasons]
        if OTHER not in codes:
            raise ChurnReasonsError('The list of churn reasons needs the reason "other".')
        if len(set(codes)) != len(codes):
            raise ChurnReasonsError("Two churn reasons have the same code; give each its own.")
        if len(codes) > MAX_REASONS:
            raise ChurnReasonsError(
                f"There are {len(codes)} churn reasons; at most {MAX_REASONS} are allowed."
            )
        for reason in self.reasons:
            if not reason.code.strip() or not reason.label.strip():
                raise ChurnReasonsError("Every churn reason needs a code and a label.")
            texts = (reason.code, reason.label, *reason.teams, *reason.words)
            if any(len(text) > MAX_TEXT for text in texts):
                raise ChurnReasonsError(
                    f"A text of the churn reason '{reason.label[:40]}' is longer than "
                    f"{MAX_TEXT} characters."
                )

    def by_code(self, code: str) -> ChurnReason:
        for reason in self.reasons:
            if reason.code == code:
                return reason
        return self.by_code(OTHER)

    def match(self, text: str) -> str:
        """The code of the reason ``text`` names (its code, label or one of its words),
        else ``other``."""
        key = name_key(text)
        for reason in self.reasons:
            if key in (name_key(t) for t in (reason.code, reason.label, *reason.words)):
                return reason.code
        for reason in self.reasons:  # "too expensive for us" names "too expensive"
            if any(name_key(w) in key for w in reason.words if len(name_key(w)) >= 4):
                return reason.code
        return OTHER

    def acting_teams(self) -> tuple[str, ...]:
        """Each acting team once, in the order of the list (reasons with no team last)."""
        seen: dict[str, None] = {}
        for reason in self.reasons:
            if reason.acting_team:
                seen.setdefault(reason.acting_team, None)
        return tuple(seen)

    def to_json(self) -> str:
        return json.dumps([r.to_dict() for r in self.reasons], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> ChurnReasons:
        """The stored list; the defaults when nothing is stored. ChurnReasonsError when
        the text is not a list of reasons."""
        if not text:
            return cls()
        try:
            items = json.loads(text)
            reasons = tuple(_reason(item) for item in items)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ChurnReasonsError(
                "The stored list of churn reasons is damaged; open Settings and save it again."
            ) from exc
        return cls(reasons)


def _strings(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(v) for v in values if str(v).strip())


def _reason(item: dict[str, object]) -> ChurnReason:
    teams = item.get("teams", ())
    words = item.get("words", ())
    if not isinstance(teams, Sequence) or not isinstance(words, Sequence):
        raise TypeError("teams and words must be lists")
    return ChurnReason(str(item["code"]), str(item["label"]), _strings(teams), _strings(words))
