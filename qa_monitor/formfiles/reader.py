"""Reading a form file: YAML 1.2 text -> core ``Form``, with every problem located by line.

The reader checks structure only (keys, types, enum values, the format tag). Whether
the form makes sense (conditions, critical questions, duplicate ids) is the core's
``validate_form``; ``placement.py`` puts its findings back on the file's lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError

from qa_monitor.core.forms import (
    Band,
    Category,
    Channel,
    CommentRule,
    Condition,
    CriticalLevel,
    Direction,
    Form,
    FormSettings,
    InteractionCondition,
    Option,
    OutcomeField,
    Question,
    QuestionDefaults,
    QuestionType,
    ScoringMode,
    Section,
    default_options,
)
from qa_monitor.formfiles.fields import (
    FORM_SCOPE,
    MISSING,
    Fields,
    Issues,
    Scope,
    as_id,
    describe,
    enum_member,
    enum_problem,
    item_pos,
    node_pos,
    peek_id,
    value_pos,
)
from qa_monitor.formfiles.keys import (
    BAND_KEYS,
    CONDITION_KEYS,
    DEFAULTS_KEYS,
    FORM_KEYS,
    FORMAT,
    FORMAT_PREFIX,
    INTERACTION_KEYS,
    OPTION_KEYS,
    QUESTION_KEYS,
    SECTION_KEYS,
    SETTINGS_KEYS,
    SUPPORTED_FORMATS,
)
from qa_monitor.formfiles.syntax import yaml_error_problem
from qa_monitor.formfiles.yaml_limits import YamlLimitError, load_bounded, too_large

E = TypeVar("E", bound=StrEnum)
# Stands in for a wrong default of points, already reported, so that the questions relying
# on it are not each reported again as having no points.
_PLACEHOLDER_POINTS = 1.0


@dataclass
class NodeIndex:
    """Where each part of the form was written, for placing core validation problems."""

    root: CommentedMap | None = None
    settings: CommentedMap | None = None
    sections: dict[str, list[CommentedMap]] = field(default_factory=dict)
    questions: dict[tuple[str, str], list[CommentedMap]] = field(default_factory=dict)
    # Questions read with a placeholder type: core messages about their type-dependent
    # keys would only be noise.
    broken: set[Scope] = field(default_factory=set)


@dataclass
class ReadResult:
    form: Form | None  # None when nothing usable could be read
    issues: Issues
    index: NodeIndex


def read_form_text(text: str, source: str) -> ReadResult:
    """Read ``text`` into a Form, collecting every structural problem instead of stopping."""
    reader = _Reader(source)
    return ReadResult(reader.read(text), reader.issues, reader.index)


class _Reader:
    def __init__(self, source: str):
        self.issues = Issues(source)
        self.index = NodeIndex()

    def read(self, text: str) -> Form | None:
        root = self._load(text)
        if root is MISSING:
            return None
        if not isinstance(root, CommentedMap):
            line = node_pos(root)[0] or 1
            self.issues.add(
                (line, 1),
                "form",
                f"the file must be a mapping of keys (format, id, title, sections, ...), "
                f"got {describe(root)}",
                "start from one of the templates in forms/",
            )
            return None
        return self._form(root)

    def _load(self, text: str) -> Any:
        if text.startswith("\ufeff"):
            text = text[1:]
        # Characters, not bytes: the same bound (UTF-8 is at least a byte a character).
        refusal = too_large(len(text))
        try:
            if refusal is not None:
                raise refusal
            data = load_bounded(text)
        except YamlLimitError as err:
            self.issues.add((err.line, None), "form", err.message, err.hint)
            return MISSING
        except (MarkedYAMLError, ReaderError) as err:
            self.issues.items.append(yaml_error_problem(err, text, self.issues.source))
            return MISSING
        except Exception as err:  # ruamel raises a few plain errors (bad tags, recursion)
            self.issues.add((None, None), "form", f"the file is not valid YAML: {err}")
            return MISSING
        if data is None:
            self.issues.add(
                (None, None),
                "form",
                "the file is empty",
                f"a form file starts with 'format: {FORMAT}'; copy a template from forms/",
            )
            return MISSING
        return data

    # -- form ------------------------------------------------------------------------------

    def _form(self, root: CommentedMap) -> Form | None:
        self.index.root = root
        if self._unsupported_format(root):
            return None
        f = Fields(self.issues, root, "form", FORM_KEYS)
        self._check_format(f)
        empty = Form("", "")
        form_id = f.ident("id", hint="give the form an id such as inbound_service")
        title = f.text("title", required=True, hint="give the form a title reviewers recognise")
        description = f.text("description", default=empty.description)
        channels = self._channels(f)
        settings = self._settings(f)
        defaults = self._defaults(f)
        sections = self._sections(f, defaults)
        return Form(
            id=form_id,
            title=title,
            sections=sections,
            settings=settings,
            description=description,
            channels=channels,
            defaults=defaults,
        )

    def _unsupported_format(self, root: CommentedMap) -> bool:
        """Whether the file is a later version of the format; nothing else is checked then,
        since its keys may be ones this version does not know."""
        value = root.get("format")
        if not isinstance(value, str) or not value.startswith(FORMAT_PREFIX):
            return False
        if value in SUPPORTED_FORMATS:
            return False
        self.issues.add(
            value_pos(root, "format"),
            "form",
            f"format '{value}' is not supported by this version of QA Monitor",
            f"this version reads {', '.join(SUPPORTED_FORMATS)}; update QA Monitor",
            FORM_SCOPE,
            "format",
        )
        return True

    def _check_format(self, f: Fields) -> None:
        value = f.get("format", required=True, hint=f"add 'format: {FORMAT}' as the first line")
        if value is MISSING or value in SUPPORTED_FORMATS:
            return
        f.bad(
            "format",
            f"format {describe(value)} is not a QA Monitor form format",
            f"write 'format: {FORMAT}'",
        )

    def _channels(self, f: Fields) -> tuple[Channel, ...]:
        seq = f.seq("channels", hint="e.g. channels: [phone]")
        channels: list[Channel] = []
        for i, value in enumerate(seq or ()):
            member = enum_member(Channel, value)
            if member is None:
                message, hint = enum_problem(Channel, "channel", value)
                self.issues.add(item_pos(seq, i), "form", message, hint, FORM_SCOPE, "channels")
            else:
                channels.append(member)
        return tuple(channels)

    def _settings(self, f: Fields) -> FormSettings:
        defaults = FormSettings()
        node = f.mapping("settings", "e.g. settings: {scoring_mode: points, pass_mark: 80}")
        if node is None:
            return defaults
        self.index.settings = node
        s = Fields(self.issues, node, "settings", SETTINGS_KEYS)
        mode = s.enum("scoring_mode", ScoringMode) or defaults.scoring_mode
        pass_mark = s.number("pass_mark", defaults.pass_mark)
        cap_bonus = s.flag("cap_bonus", defaults.cap_bonus)
        partial_fails = s.flag("partial_fails", defaults.partial_fails)
        seq = s.seq("bands", hint="e.g. bands: [{name: Meets, min: 80}]")
        bands = []
        for i, item in enumerate(seq or ()):
            if not isinstance(item, CommentedMap):
                self._not_a_mapping(seq, i, item, "settings", "a band", "{name: Meets, min: 80}")
                continue
            name = peek_id(item, "name")
            where = f"settings › band '{name}'" if name else f"settings › band {i + 1}"
            b = Fields(self.issues, item, where, BAND_KEYS, FORM_SCOPE, "bands")
            bands.append(Band(b.text("name", required=True), b.number("min", 0.0, required=True)))
        return FormSettings(mode, pass_mark, tuple(bands), cap_bonus, partial_fails=partial_fails)

    def _defaults(self, f: Fields) -> QuestionDefaults:
        node = f.mapping("defaults", "e.g. defaults: {allow_na: true, comment: not_full}")
        if node is None:
            return QuestionDefaults()
        d = Fields(self.issues, node, "defaults", DEFAULTS_KEYS)
        points = d.optional_number("points")
        if points is None and "points" in node and node["points"] is not None:
            points = _PLACEHOLDER_POINTS  # not a number: reported above
        return QuestionDefaults(
            points=points,
            allow_na=d.optional_flag("allow_na"),
            comment=d.enum("comment", CommentRule),
        )

    def _not_a_mapping(
        self, seq: CommentedSeq | None, i: int, item: Any, where: str, what: str, example: str
    ) -> None:
        self.issues.add(
            item_pos(seq, i),
            where,
            f"{what} must be a mapping of keys, got {describe(item)}",
            f"e.g. {example}",
        )

    # -- sections and questions ------------------------------------------------------------

    def _sections(self, f: Fields, defaults: QuestionDefaults) -> tuple[Section, ...]:
        seq = f.seq(
            "sections",
            required=True,
            hint="add sections: with at least one section",
            type_hint="write one '- id: ...' item per section",
        )
        sections = []
        for i, item in enumerate(seq or ()):
            if isinstance(item, CommentedMap):
                sections.append(self._section(item, i + 1, defaults))
            else:
                example = "{id: opening, title: Opening, category: soft_skills, questions: [...]}"
                self._not_a_mapping(seq, i, item, f"section {i + 1}", "a section", example)
        return tuple(sections)

    def _section(self, node: CommentedMap, number: int, defaults: QuestionDefaults) -> Section:
        peek = peek_id(node)
        where = f"section '{peek}'" if peek else f"section {number}"
        f = Fields(self.issues, node, where, SECTION_KEYS, (peek or "", None))
        section_id = f.ident("id", hint="give the section an id such as opening")
        self.index.sections.setdefault(section_id, []).append(node)
        title = f.text("title", required=True, hint="give the section a title")
        category = f.enum("category", Category, required=True)
        weight = f.number("weight", Section("", "", Category.OUTCOME).weight)
        max_points = f.optional_number("max_points")
        description = f.text("description")
        seq = f.seq(
            "questions",
            required=True,
            hint="add questions: with at least one question",
            type_hint="write one '- id: ...' item per question",
        )
        questions = []
        for i, item in enumerate(seq or ()):
            if isinstance(item, CommentedMap):
                questions.append(self._question(item, section_id, where, i + 1, defaults))
            else:
                example = "{id: greeted, text: Greeted the customer, type: yes_no, points: 5}"
                self._not_a_mapping(seq, i, item, where, "a question", example)
        return Section(
            id=section_id,
            title=title,
            # A placeholder when the category is wrong; the problem is already reported.
            category=category or Category.SOFT_SKILLS,
            weight=weight,
            questions=tuple(questions),
            description=description,
            max_points=max_points,
        )

    def _question(
        self,
        node: CommentedMap,
        section_id: str,
        where: str,
        number: int,
        inherited: QuestionDefaults,
    ) -> Question:
        peek = peek_id(node)
        where = f"{where} › question '{peek}'" if peek else f"{where} › question {number}"
        scope: Scope = (section_id, peek or "")
        f = Fields(self.issues, node, where, QUESTION_KEYS, scope)
        question_id = f.ident("id", hint="give the question an id such as greeted_by_name")
        self.index.questions.setdefault((section_id, question_id), []).append(node)
        text = f.text("text", required=True, hint="write the question as reviewers should read it")
        qtype = f.enum("type", QuestionType, required=True)
        if qtype is None:
            self.index.broken.add(scope)
        scored = qtype is not None and qtype.scored
        defaults = Question("", "", QuestionType.TEXT)
        # The form's defaults fill in what a scored question leaves out.
        if not scored:
            inherited = QuestionDefaults()
        points = f.number(
            "points",
            0.0 if inherited.points is None else inherited.points,
            required=scored and inherited.points is None,
            hint="give its maximum points, e.g. 5, or set defaults: {points: 5} for the form",
        )
        allow_na = defaults.allow_na if inherited.allow_na is None else inherited.allow_na
        comment = defaults.comment if inherited.comment is None else inherited.comment
        options = self._options(f, where, qtype)
        condition, on_interaction = self._condition(f, where)
        return Question(
            id=question_id,
            text=text,
            # A placeholder when the type is wrong; the problem is already reported.
            type=qtype or QuestionType.TEXT,
            points=points,
            options=options,
            allow_na=f.flag("allow_na", allow_na),
            critical=f.enum("critical", CriticalLevel) or defaults.critical,
            bonus=f.flag("bonus", defaults.bonus),
            comment=f.enum("comment", CommentRule) or comment,
            condition=condition,
            guidance=f.text("guidance", default=defaults.guidance),
            required=f.flag("required", defaults.required),
            outcome_field=f.enum("outcome_field", OutcomeField),
            minimum=f.optional_number("min"),
            maximum=f.optional_number("max"),
            interaction_condition=on_interaction,
        )

    def _options(self, f: Fields, where: str, qtype: QuestionType | None) -> tuple[Option, ...]:
        if "options" not in f.node or f.node["options"] is None:
            return default_options(qtype) if qtype is not None else ()
        seq = f.seq("options", hint='e.g. options: [{id: "yes", label: "Yes", fraction: 1}]')
        options = []
        for i, item in enumerate(seq or ()):
            if not isinstance(item, CommentedMap):
                example = '{id: "yes", label: "Yes", fraction: 1}'
                self._not_a_mapping(seq, i, item, where, "an option", example)
                continue
            peek = peek_id(item)
            at = f"{where} › option '{peek}'" if peek else f"{where} › option {i + 1}"
            o = Fields(self.issues, item, at, OPTION_KEYS, f.scope, "options")
            option_id = o.ident("id", hint="give the option an id such as yes")
            options.append(
                Option(
                    id=option_id,
                    label=o.label("label", default=option_id),
                    fraction=o.optional_number("fraction"),
                    fails=o.optional_flag("fails"),
                )
            )
        return tuple(options)

    def _condition(
        self, f: Fields, where: str
    ) -> tuple[Condition | None, InteractionCondition | None]:
        """The answer condition and the interaction condition of ``show_if`` (both hold)."""
        node = f.mapping(
            "show_if",
            'e.g. show_if: {question: offered_callback, is: "yes"} '
            "or show_if: {interaction: {direction: outbound}}",
        )
        if node is None:
            return None, None
        where = f"{where} › show_if"
        c = Fields(self.issues, node, where, CONDITION_KEYS, f.scope, "show_if")
        on_interaction = self._interaction_condition(c, where) if "interaction" in node else None
        if "interaction" in node and "question" not in node and "is" not in node:
            return None, on_interaction
        return self._answer_condition(c), on_interaction

    def _interaction_condition(self, c: Fields, where: str) -> InteractionCondition | None:
        node = c.mapping("interaction", "e.g. interaction: {channel: phone, direction: outbound}")
        if node is None:
            return None
        i = Fields(self.issues, node, f"{where} › interaction", INTERACTION_KEYS, c.scope, c.key)
        return InteractionCondition(
            self._enum_values(i, "channel", Channel), self._enum_values(i, "direction", Direction)
        )

    def _enum_values(self, f: Fields, key: str, cls: type[E]) -> tuple[E, ...]:
        """One value or a list of them (``channel: phone`` or ``channel: [chat, email]``)."""
        value = f.get(key)
        if value is MISSING:
            return ()
        items = list(value) if isinstance(value, CommentedSeq) else [value]
        found: list[E] = []
        for n, item in enumerate(items):
            member = enum_member(cls, item)
            if member is None:
                message, hint = enum_problem(cls, key, item)
                pos = item_pos(value, n) if isinstance(value, CommentedSeq) else None
                if pos is None:
                    f.bad(key, message, hint)
                else:
                    self.issues.add(pos, f.location, message, hint, f.scope, f.key)
            else:
                found.append(member)
        return tuple(found)

    def _answer_condition(self, c: Fields) -> Condition:
        question_id = c.ident("question", hint="name an earlier question's id")
        value = c.get("is", required=True, hint="name the option(s) that show this question")
        if value is MISSING:
            return Condition(question_id, ())
        values = list(value) if isinstance(value, CommentedSeq) else [value]
        option_ids = []
        for item in values:
            found = as_id(item)
            if found is None:
                c.bad(
                    "is",
                    f"is must name option ids, got {describe(item)}",
                    "write an option id, in quotes if it looks like true/false",
                )
            else:
                option_ids.append(found)
        return Condition(question_id, tuple(option_ids))
