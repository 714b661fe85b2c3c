"""Writing a core ``Form`` as a form file: defaults left out, keys in reading order.

The form's own ``defaults:`` are written once at the top and left out of every question
that takes them, so a file written with defaults keeps its shape when saved again.

Every form reads back equal (``parse_form(dump_form(f)) == f``): whole numbers are
written as integers, other floats with Python's shortest exact repr, and text gets
whichever YAML style keeps it exactly (plain, quoted, or a literal block for
multi-line text).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from qa_monitor.core.forms import (
    Band,
    Form,
    FormSettings,
    InteractionCondition,
    Option,
    Question,
    QuestionDefaults,
    Section,
    default_options,
)
from qa_monitor.formfiles.keys import FORMAT

# Words YAML 1.1 tools read as booleans or null: quote them so any tool reads text.
_YAML11_WORDS = re.compile(
    r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
    r"|on|On|ON|off|Off|OFF|null|Null|NULL|~)$"
)
_SPECIAL_BREAKS = frozenset("\x85\u2028\u2029\ufeff")
_EXACT_INT_LIMIT = 2**53
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_SPECIAL = frozenset(",[]{}:#")


def _number(value: float) -> int | float:
    """Whole numbers as ints (``5`` rather than ``5.0``); they read back as equal floats."""
    value = float(value)
    if value.is_integer() and abs(value) < _EXACT_INT_LIMIT:
        return int(value)
    return value


def _printable(text: str) -> bool:
    return all(ch == " " or (ch.isprintable() and ch not in _SPECIAL_BREAKS) for ch in text)


def _flow_risky(text: str) -> bool:
    """Plain text ruamel may emit inside {...} or [...] but not read back (e.g. ``?0``)."""
    return not text or text[0] in _INDICATORS or any(ch in _FLOW_SPECIAL for ch in text)


def _literal_ok(text: str) -> bool:
    """Multi-line text a literal block (``|``) keeps exactly, with no indentation tricks."""
    if "\n" not in text or not text.strip() or text[0] in " \n":
        return False
    lines = text.split("\n")
    if any(line != line.rstrip(" ") for line in lines):
        return False
    return all(_printable(line) for line in lines)


def _text(value: str, block: bool = True) -> str:
    styled: str = value
    if block and _literal_ok(value):
        styled = LiteralScalarString(value)
    elif not _printable(value) or _YAML11_WORDS.match(value) or (not block and _flow_risky(value)):
        styled = DoubleQuotedScalarString(value)
    return styled


def _flow(pairs: list[tuple[str, Any]]) -> CommentedMap:
    node = CommentedMap(pairs)
    node.fa.set_flow_style()
    return node


def _flow_seq(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _option(option: Option) -> CommentedMap:
    pairs: list[tuple[str, Any]] = [("id", _text(option.id, block=False))]
    if option.label != option.id:
        pairs.append(("label", _text(option.label, block=False)))
    if option.fraction is not None:
        pairs.append(("fraction", _number(option.fraction)))
    if option.fails is not None:
        pairs.append(("fails", option.fails))
    return _flow(pairs)


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else _flow_seq(values)


def _interaction(condition: InteractionCondition) -> CommentedMap:
    pairs: list[tuple[str, Any]] = []
    if condition.channels:
        pairs.append(("channel", _one_or_list([c.value for c in condition.channels])))
    if condition.directions:
        pairs.append(("direction", _one_or_list([d.value for d in condition.directions])))
    return _flow(pairs)


def _condition(q: Question) -> CommentedMap:
    pairs: list[tuple[str, Any]] = []
    if q.condition is not None:
        ids = [_text(i, block=False) for i in q.condition.option_ids]
        pairs.append(("question", _text(q.condition.question_id, block=False)))
        pairs.append(("is", _one_or_list(ids)))
    if q.interaction_condition is not None:
        pairs.append(("interaction", _interaction(q.interaction_condition)))
    return _flow(pairs)


def _inherited(q: Question, form_defaults: QuestionDefaults) -> Question:
    """The values ``q`` gets for the keys it leaves out: the form's defaults when scored."""
    base = Question("", "", q.type)
    if not q.scored:
        return base
    d = form_defaults
    return Question(
        "",
        "",
        q.type,
        points=base.points if d.points is None else d.points,
        allow_na=base.allow_na if d.allow_na is None else d.allow_na,
        comment=base.comment if d.comment is None else d.comment,
    )


def _question(q: Question, form_defaults: QuestionDefaults) -> CommentedMap:
    node = CommentedMap()
    node["id"] = _text(q.id)
    node["text"] = _text(q.text)
    node["type"] = q.type.value
    defaults = _inherited(q, form_defaults)
    # A scored question always needs points: written unless the form's default gives them.
    if (q.scored and (form_defaults.points is None or q.points != defaults.points)) or (
        not q.scored and q.points
    ):
        node["points"] = _number(q.points)
    if q.allow_na != defaults.allow_na:
        node["allow_na"] = q.allow_na
    if q.critical is not defaults.critical:
        node["critical"] = q.critical.value
    if q.bonus != defaults.bonus:
        node["bonus"] = q.bonus
    if q.comment is not defaults.comment:
        node["comment"] = q.comment.value
    if q.required != defaults.required:
        node["required"] = q.required
    if q.outcome_field is not None:
        node["outcome_field"] = q.outcome_field.value
    if q.minimum is not None:
        node["min"] = _number(q.minimum)
    if q.maximum is not None:
        node["max"] = _number(q.maximum)
    if q.condition is not None or q.interaction_condition is not None:
        node["show_if"] = _condition(q)
    if q.guidance:
        node["guidance"] = _text(q.guidance)
    if q.options != default_options(q.type):
        node["options"] = CommentedSeq([_option(o) for o in q.options])
    return node


def _section(section: Section, form_defaults: QuestionDefaults) -> CommentedMap:
    node = CommentedMap()
    node["id"] = _text(section.id)
    node["title"] = _text(section.title)
    node["category"] = section.category.value
    if section.weight != Section("", "", section.category).weight:
        node["weight"] = _number(section.weight)
    if section.max_points is not None:
        node["max_points"] = _number(section.max_points)
    if section.description:
        node["description"] = _text(section.description)
    node["questions"] = CommentedSeq([_question(q, form_defaults) for q in section.questions])
    return node


def _band(band: Band) -> CommentedMap:
    return _flow([("name", _text(band.name, block=False)), ("min", _number(band.minimum))])


def _settings(settings: FormSettings) -> CommentedMap:
    defaults = FormSettings()
    node = CommentedMap()
    if settings.scoring_mode is not defaults.scoring_mode:
        node["scoring_mode"] = settings.scoring_mode.value
    if settings.pass_mark != defaults.pass_mark:
        node["pass_mark"] = _number(settings.pass_mark)
    if settings.cap_bonus != defaults.cap_bonus:
        node["cap_bonus"] = settings.cap_bonus
    if settings.partial_fails != defaults.partial_fails:
        node["partial_fails"] = settings.partial_fails
    if settings.bands != defaults.bands:
        node["bands"] = CommentedSeq([_band(b) for b in settings.bands])
    return node


def _defaults(defaults: QuestionDefaults) -> CommentedMap:
    node = CommentedMap()
    if defaults.points is not None:
        node["points"] = _number(defaults.points)
    if defaults.allow_na is not None:
        node["allow_na"] = defaults.allow_na
    if defaults.comment is not None:
        node["comment"] = defaults.comment.value
    return node


def form_to_tree(form: Form) -> CommentedMap:
    """The YAML tree for ``form``, leaving out every value equal to its default."""
    root = CommentedMap()
    root["format"] = FORMAT
    root["id"] = _text(form.id)
    root["title"] = _text(form.title)
    if form.description:
        root["description"] = _text(form.description)
    if form.channels:
        root["channels"] = _flow_seq([c.value for c in form.channels])
    settings = _settings(form.settings)
    if settings:
        root["settings"] = settings
    if not form.defaults.is_empty:
        root["defaults"] = _defaults(form.defaults)
    root["sections"] = CommentedSeq([_section(s, form.defaults) for s in form.sections])
    return root


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    # Never fold long lines: one line per value keeps diffs small and round trips exact.
    yaml.width = 1_000_000
    yaml.allow_unicode = True
    return yaml


def dump_form(form: Form) -> str:
    """The form as form-file text (UTF-8, YAML 1.2); ``parse_form`` reads it back equal."""
    out = io.StringIO()
    _yaml().dump(form_to_tree(form), out)
    return out.getvalue()
