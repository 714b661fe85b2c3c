"""The evaluation form model: forms, sections, questions, options and conditions.

Pure data. Validation lives in ``form_validation.py``; scoring in ``scoring.py``.
Ids (form, section, question, option) are chosen by the form's author and stay
stable across published versions, so reports can follow one question through
every version of its form.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    """The four areas every interaction is examined in (DOMAIN.md)."""

    SOFT_SKILLS = "soft_skills"
    PROCESS = "process"
    COMPLIANCE = "compliance"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.SOFT_SKILLS: "Soft skills",
    Category.PROCESS: "Process adherence",
    Category.COMPLIANCE: "Compliance",
    Category.OUTCOME: "Outcome",
}


class QuestionType(StrEnum):
    # Scored: the answer is one option worth a fraction of the question's points.
    YES_NO = "yes_no"
    YES_PARTIAL_NO = "yes_partial_no"  # yes / partial / no: the common three-step scale
    PASS_FAIL = "pass_fail"  # pass / partial / fail: the same scale, worded as a check
    SCALE_1_5 = "scale_1_5"
    SCALE_0_10 = "scale_0_10"
    CHOICE = "choice"  # custom options, each with its own fraction
    # Unscored: record data, never change the score.
    TEXT = "text"
    NUMBER = "number"
    DATETIME = "datetime"
    TAG = "tag"  # single choice among labels (e.g. churn reason)
    TAGS = "tags"  # multiple choice among labels

    @property
    def scored(self) -> bool:
        return self in SCORED_TYPES

    @property
    def has_options(self) -> bool:
        return self in SCORED_TYPES or self in (QuestionType.TAG, QuestionType.TAGS)

    @property
    def offers_partial(self) -> bool:
        """A three-step scale whose middle answer earns part of the points (Partial)."""
        return self in PARTIAL_TYPES


SCORED_TYPES = frozenset(
    {
        QuestionType.YES_NO,
        QuestionType.YES_PARTIAL_NO,
        QuestionType.PASS_FAIL,
        QuestionType.SCALE_1_5,
        QuestionType.SCALE_0_10,
        QuestionType.CHOICE,
    }
)
PARTIAL_TYPES = frozenset({QuestionType.YES_PARTIAL_NO, QuestionType.PASS_FAIL})


class CriticalLevel(StrEnum):
    """What a failing answer on the question does to the score."""

    NONE = "none"
    SECTION = "section"  # the section scores 0
    FORM = "form"  # the whole evaluation scores 0 (auto-fail)


class CommentRule(StrEnum):
    NEVER = "never"
    NOT_FULL = "not_full"  # required when the answer earns less than full marks
    ALWAYS = "always"


class ScoringMode(StrEnum):
    POINTS = "points"  # sum earned / sum possible
    WEIGHTED = "weighted"  # weighted mean of section percentages


class OutcomeField(StrEnum):
    """Interaction outcome fields a question can fill in (copied to the interaction on submit)."""

    RESOLVED_FIRST_CONTACT = "resolved_first_contact"
    RETENTION = "retention"  # retained / lost / undecided
    CHURN_RISK = "churn_risk"
    CHURN_REASON = "churn_reason"
    CALLBACK_PROMISED_AT = "callback_promised_at"
    CALLBACK_KEPT = "callback_kept"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str
    # Share of the question's points this answer earns (0..1); None on unscored tags.
    fraction: float | None = None
    # Whether choosing it triggers the question's critical rule. None means the default:
    # an option earning nothing (fraction 0) is a failing answer.
    fails: bool | None = None

    @property
    def is_failing(self) -> bool:
        if self.fails is not None:
            return self.fails
        return self.fraction is not None and self.fraction == 0


@dataclass(frozen=True, slots=True)
class Condition:
    """Show the question only if an earlier question was answered with one of ``option_ids``."""

    question_id: str
    option_ids: tuple[str, ...]


class Direction(StrEnum):
    """Who started the interaction: the customer (inbound) or the centre (outbound)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


@dataclass(frozen=True, slots=True)
class InteractionFacts:
    """What a form may ask of the interaction being scored; None where it is not known."""

    channel: Channel | None = None
    direction: Direction | None = None


@dataclass(frozen=True, slots=True)
class InteractionCondition:
    """Show the question only on interactions of one of ``channels`` and one of ``directions``.

    An empty tuple puts no limit on that fact. A fact that is not known (a preview, the
    ``score`` command without ``--channel``) never hides a question: when in doubt the
    reviewer is asked, rather than a check being dropped silently.
    """

    channels: tuple[Channel, ...] = ()
    directions: tuple[Direction, ...] = ()

    def holds(self, facts: InteractionFacts | None) -> bool:
        if facts is None:
            return True
        if self.channels and facts.channel is not None and facts.channel not in self.channels:
            return False
        return not (
            self.directions
            and facts.direction is not None
            and facts.direction not in self.directions
        )


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    type: QuestionType
    points: float = 0.0
    options: tuple[Option, ...] = ()
    allow_na: bool = False
    critical: CriticalLevel = CriticalLevel.NONE
    bonus: bool = False
    comment: CommentRule = CommentRule.NEVER
    condition: Condition | None = None
    guidance: str = ""
    # Unscored questions are optional unless marked required; scored ones are always required.
    required: bool = False
    outcome_field: OutcomeField | None = None
    # Number questions may bound their value.
    minimum: float | None = None
    maximum: float | None = None
    # Shown only on some interactions (channel, direction); with ``condition`` both must hold.
    interaction_condition: InteractionCondition | None = None

    @property
    def scored(self) -> bool:
        return self.type.scored

    @property
    def is_required(self) -> bool:
        return self.scored or self.required

    def option(self, option_id: str) -> Option | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    category: Category
    weight: float = 1.0
    questions: tuple[Question, ...] = ()
    description: str = ""
    # The points the author means the section to be worth; validation warns when its
    # regular scored questions add up to something else. Never used in scoring.
    max_points: float | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """A named score range; a score belongs to the highest band whose minimum it reaches."""

    name: str
    minimum: float


@dataclass(frozen=True, slots=True)
class FormSettings:
    scoring_mode: ScoringMode = ScoringMode.POINTS
    pass_mark: float = 80.0
    bands: tuple[Band, ...] = ()
    # With bonus points a score can exceed 100; cap_bonus keeps it at 100.
    cap_bonus: bool = True
    # Whether a Partial answer (yes/partial/no, pass/partial/fail) on a critical question
    # triggers its critical rule. By default only No / Fail does (DOMAIN.md); an option's
    # own ``fails`` still wins.
    partial_fails: bool = False


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"


@dataclass(frozen=True, slots=True)
class QuestionDefaults:
    """Values every scored question of a form takes unless it gives its own (``defaults:``).

    Questions hold the values they end up with, so scoring and validation never look
    here; the form keeps the defaults so its file can be written back the way it was
    written, without repeating them on every question. None: no default for that value.
    """

    points: float | None = None
    allow_na: bool | None = None
    comment: CommentRule | None = None

    @property
    def is_empty(self) -> bool:
        return self.points is None and self.allow_na is None and self.comment is None


@dataclass(frozen=True, slots=True)
class Form:
    id: str
    title: str
    sections: tuple[Section, ...] = ()
    settings: FormSettings = field(default_factory=FormSettings)
    description: str = ""
    channels: tuple[Channel, ...] = ()
    defaults: QuestionDefaults = field(default_factory=QuestionDefaults)

    def questions(self) -> Iterator[tuple[Section, Question]]:
        """Every question in form order, with its section."""
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, question_id: str) -> Question | None:
        for _section, question in self.questions():
            if question.id == question_id:
                return question
        return None

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    @property
    def question_count(self) -> int:
        return sum(len(s.questions) for s in self.sections)


# Default option sets for the standard scored types. Forms may override labels and fractions.
DEFAULT_OPTIONS: dict[QuestionType, tuple[Option, ...]] = {
    QuestionType.YES_NO: (Option("yes", "Yes", 1.0), Option("no", "No", 0.0)),
    QuestionType.YES_PARTIAL_NO: (
        Option("yes", "Yes", 1.0),
        Option("partial", "Partial", 0.5),
        Option("no", "No", 0.0),
    ),
    QuestionType.PASS_FAIL: (
        Option("pass", "Pass", 1.0),
        Option("partial", "Partial", 0.5),
        Option("fail", "Fail", 0.0),
    ),
    QuestionType.SCALE_1_5: tuple(Option(str(i), str(i), (i - 1) / 4) for i in range(1, 6)),
    QuestionType.SCALE_0_10: tuple(Option(str(i), str(i), i / 10) for i in range(11)),
}


def default_options(qtype: QuestionType) -> tuple[Option, ...]:
    """The option set a scored type gets when the form does not list its own."""
    return DEFAULT_OPTIONS.get(qtype, ())


def is_partial(question: Question, option: Option) -> bool:
    """The option is the Partial answer of a yes/partial/no or pass/partial/fail question:
    it earns some but not all of the points (whatever its id or label)."""
    return (
        question.type.offers_partial and option.fraction is not None and 0 < option.fraction < 1
    )


def option_fails(question: Question, option: Option, settings: FormSettings) -> bool:
    """Whether choosing ``option`` triggers the question's critical rule: the option's own
    ``fails`` when set; else a Partial answer when the form's ``partial_fails`` says so;
    else an answer earning nothing."""
    if option.fails is None and settings.partial_fails and is_partial(question, option):
        return True
    return option.is_failing


def sorted_bands(settings: FormSettings) -> tuple[Band, ...]:
    """Bands sorted from highest minimum to lowest."""
    return tuple(sorted(settings.bands, key=lambda b: b.minimum, reverse=True))
