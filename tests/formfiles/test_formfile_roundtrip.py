"""Form files round-trip exactly: parse_form(dump_form(f)) == f, for shipped and generated forms."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

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
from qa_monitor.formfiles import (
    dump_form,
    load_form,
    parse_form,
    save_form,
    shipped_form_paths,
    validate_form_text,
)

# -- strategies over the core dataclasses ------------------------------------------------------

valid_ids = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
# Any text a str can hold in a UTF-8 file: control characters, line breaks, RTL scripts.
any_text = st.text(st.characters(codec="utf-8"), max_size=40)
awkward_text = st.sampled_from(
    [
        "",
        " ",
        "yes",
        "no",
        "No",
        "on",
        "true",
        "null",
        "~",
        "1",
        "1.5",
        "0o17",
        "2024-01-01",
        "- item",
        "a: b",
        "#hash",
        "'quoted'",
        '"double"',
        "line\nbreak",
        "two\n\nparagraphs\n",
        "trailing  \nspaces",
        "\ttab",
        "\x85",
        "\u2028",
        "سلام، حال شما چطور است؟",
        "Привет",
        "{flow}",
        "[list]",
        "*alias",
        "&anchor",
        "!tag",
        "%percent",
        "@at",
        "`tick",
        "?0",
        "?",
        "? x",
        "-x",
        ":x",
        "x:",
        "a,b",
        "a#b",
        "x #y",
        "x: ",
        "|",
        ">",
    ]
)
texts = st.one_of(any_text, awkward_text)
ids = st.one_of(valid_ids, valid_ids, texts)
numbers = st.one_of(
    st.floats(allow_nan=False),
    st.integers(-(10**6), 10**6).map(float),
    st.sampled_from([0.0, -0.0, 0.1, 0.25, 1 / 3, 1e-7, 2.0**53, 1e16, 5e-324]),
)
maybe_numbers = st.one_of(st.none(), numbers)

options = st.builds(
    Option,
    id=ids,
    label=st.one_of(texts, st.just("same")),
    fraction=maybe_numbers,
    fails=st.one_of(st.none(), st.booleans()),
)
conditions = st.builds(Condition, question_id=ids, option_ids=st.lists(ids, max_size=3).map(tuple))
interaction_conditions = st.builds(
    InteractionCondition,
    channels=st.lists(st.sampled_from(list(Channel)), max_size=3).map(tuple),
    directions=st.lists(st.sampled_from(list(Direction)), max_size=2).map(tuple),
)
question_defaults = st.builds(
    QuestionDefaults,
    points=maybe_numbers,
    allow_na=st.one_of(st.none(), st.booleans()),
    comment=st.one_of(st.none(), st.sampled_from(list(CommentRule))),
)


@st.composite
def questions(draw: st.DrawFn) -> Question:
    qtype = draw(st.sampled_from(list(QuestionType)))
    opts = draw(
        st.one_of(
            st.just(default_options(qtype)),
            st.just(()),
            st.lists(options, max_size=4).map(tuple),
        )
    )
    return Question(
        id=draw(ids),
        text=draw(texts),
        type=qtype,
        points=draw(numbers),
        options=opts,
        allow_na=draw(st.booleans()),
        critical=draw(st.sampled_from(list(CriticalLevel))),
        bonus=draw(st.booleans()),
        comment=draw(st.sampled_from(list(CommentRule))),
        condition=draw(st.one_of(st.none(), conditions)),
        guidance=draw(texts),
        required=draw(st.booleans()),
        outcome_field=draw(st.one_of(st.none(), st.sampled_from(list(OutcomeField)))),
        minimum=draw(maybe_numbers),
        maximum=draw(maybe_numbers),
        interaction_condition=draw(st.one_of(st.none(), interaction_conditions)),
    )


sections = st.builds(
    Section,
    id=ids,
    title=texts,
    category=st.sampled_from(list(Category)),
    weight=numbers,
    questions=st.lists(questions(), max_size=4).map(tuple),
    description=texts,
    max_points=maybe_numbers,
)
form_settings = st.builds(
    FormSettings,
    scoring_mode=st.sampled_from(list(ScoringMode)),
    pass_mark=numbers,
    bands=st.lists(st.builds(Band, name=texts, minimum=numbers), max_size=3).map(tuple),
    cap_bonus=st.booleans(),
    partial_fails=st.booleans(),
)
forms = st.builds(
    Form,
    id=ids,
    title=texts,
    sections=st.lists(sections, max_size=3).map(tuple),
    settings=st.one_of(st.just(FormSettings()), form_settings),
    description=texts,
    channels=st.lists(st.sampled_from(list(Channel)), max_size=3).map(tuple),
    defaults=st.one_of(st.just(QuestionDefaults()), question_defaults),
)


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", shipped_form_paths(), ids=lambda p: p.name)
def test_shipped_form_round_trips(path: Path) -> None:
    form = load_form(path)
    text = dump_form(form)
    assert parse_form(text) == form
    assert dump_form(parse_form(text)) == text  # writing is deterministic


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms)
def test_generated_form_round_trips(form: Form) -> None:
    assert parse_form(dump_form(form)) == form


@settings(max_examples=50, deadline=None)
@given(forms)
def test_round_trip_through_a_file(tmp_path_factory: pytest.TempPathFactory, form: Form) -> None:
    path = tmp_path_factory.mktemp("rt") / "form.yaml"
    save_form(form, path)
    assert load_form(path) == form


# -- what the writer leaves out and keeps -----------------------------------------------------


def _tree(text: str) -> object:
    return YAML(typ="safe").load(text)


def test_defaults_are_left_out() -> None:
    form = Form(
        "demo",
        "Demo",
        sections=(
            Section(
                "opening",
                "Opening",
                Category.SOFT_SKILLS,
                questions=(
                    Question(
                        "greeted",
                        "Greeted",
                        QuestionType.YES_NO,
                        5.0,
                        options=default_options(QuestionType.YES_NO),
                    ),
                ),
            ),
        ),
    )
    data = _tree(dump_form(form))
    assert data == {
        "format": "qa-monitor-form/1",
        "id": "demo",
        "title": "Demo",
        "sections": [
            {
                "id": "opening",
                "title": "Opening",
                "category": "soft_skills",
                "questions": [{"id": "greeted", "text": "Greeted", "type": "yes_no", "points": 5}],
            }
        ],
    }


def test_keys_are_written_in_reading_order() -> None:
    question = Question(
        "callback_at",
        "Callback promised at",
        QuestionType.DATETIME,
        guidance="Exact time",
        required=True,
        outcome_field=OutcomeField.CALLBACK_PROMISED_AT,
        condition=Condition("offered", ("yes",)),
    )
    text = dump_form(Form("f", "F", (Section("s", "S", Category.PROCESS, 2.0, (question,)),)))
    keys = [line.strip().split(":")[0].lstrip("- ") for line in text.splitlines()]
    assert keys == [
        "format",
        "id",
        "title",
        "sections",
        "id",
        "title",
        "category",
        "weight",
        "questions",
        "id",
        "text",
        "type",
        "required",
        "outcome_field",
        "show_if",
        "guidance",
    ]
    assert 'show_if: {question: offered, is: "yes"}' in text


def test_option_ids_yaml_1_1_reads_as_booleans_are_quoted() -> None:
    opts = (Option("yes", "Yes", 1.0), Option("no", "No", 0.5, fails=True))
    question = Question("q", "Q", QuestionType.YES_NO, 1.0, options=opts)
    text = dump_form(Form("f", "F", (Section("s", "S", Category.PROCESS, questions=(question,)),)))
    assert '- {id: "yes", label: "Yes", fraction: 1}' in text
    assert '- {id: "no", label: "No", fraction: 0.5, fails: true}' in text


def test_multi_line_text_is_written_as_a_block() -> None:
    form = Form("f", "F", description="First line.\nSecond line.")
    assert "description: |-\n  First line.\n  Second line.\n" in dump_form(form)


def test_bare_no_in_a_condition_is_the_option_id_no() -> None:
    text = """\
format: qa-monitor-form/1
id: demo
title: Demo
sections:
  - id: s
    title: S
    category: process
    questions:
      - id: offered_callback
        text: Offered a callback?
        type: yes_no
        points: 2
      - id: why_not
        text: Why no callback?
        type: text
        show_if: {question: offered_callback, is: no}
"""
    form = parse_form(text)
    question = form.question("why_not")
    assert question is not None
    assert question.condition == Condition("offered_callback", ("no",))
    assert validate_form_text(text) == []


def test_options_default_to_the_standard_set_and_labels_to_the_id() -> None:
    text = """\
format: qa-monitor-form/1
id: demo
title: Demo
sections:
  - id: s
    title: S
    category: process
    questions:
      - {id: a, text: A, type: scale_1_5, points: 5}
      - id: b
        text: B
        type: tag
        options: [{id: low}, {id: 3, label: 3}]
"""
    form = parse_form(text)
    assert form.sections[0].questions[0].options == default_options(QuestionType.SCALE_1_5)
    assert form.sections[0].questions[1].options == (Option("low", "low"), Option("3", "3"))


def test_a_yes_partial_no_form_file_round_trips() -> None:
    text = """\
format: qa-monitor-form/1
id: ypn
title: Yes / Partial / No
settings:
  partial_fails: true
sections:
  - id: s
    title: S
    category: compliance
    questions:
      - {id: disclosure, text: Disclosure, type: yes_partial_no, points: 10, critical: section}
      - id: verified
        text: Verified the account holder
        type: yes_partial_no
        points: 5
        allow_na: true
        options:
          - {id: "yes", label: "Yes", fraction: 1}
          - {id: partial, label: Partially, fraction: 0.6}
          - {id: "no", label: "No", fraction: 0}
"""
    assert validate_form_text(text) == []
    form = parse_form(text)
    assert form.settings.partial_fails is True
    disclosure, verified = form.sections[0].questions
    assert disclosure.type is QuestionType.YES_PARTIAL_NO
    assert disclosure.options == default_options(QuestionType.YES_PARTIAL_NO)
    assert [o.fraction for o in verified.options] == [1, 0.6, 0]
    written = dump_form(form)
    assert "partial_fails: true" in written
    assert "type: yes_partial_no" in written
    assert parse_form(written) == form


def test_explicit_empty_options_stay_empty() -> None:
    question = Question("q", "Q", QuestionType.YES_NO, 1.0, options=())
    form = Form("f", "F", (Section("s", "S", Category.PROCESS, questions=(question,)),))
    assert "options: []" in dump_form(form)
    assert parse_form(dump_form(form)) == form


# -- saving ---------------------------------------------------------------------------------


def _small_form() -> Form:
    question = Question(
        "q", "Q", QuestionType.YES_NO, 1.0, options=default_options(QuestionType.YES_NO)
    )
    return Form("f", "F", (Section("s", "S", Category.PROCESS, questions=(question,)),))


def test_save_form_replaces_atomically_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    save_form(_small_form(), path)
    assert load_form(path) == _small_form()
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_save_form_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("old", encoding="utf-8")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save_form(_small_form(), path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


def test_saved_files_are_utf8_with_unix_newlines(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    form = replace(_small_form(), title="فرم ارزیابی تماس")
    save_form(form, path)
    data = path.read_bytes()
    assert "فرم ارزیابی تماس".encode() in data
    assert b"\r\n" not in data


# -- robustness: anything YAML can hold gives problems, never a traceback ---------------------

yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(["id", "type", "options", "show_if", "is"]), texts),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {"format": st.just("qa-monitor-form/1")},
        optional={
            "id": yaml_values,
            "title": yaml_values,
            "settings": yaml_values,
            "channels": yaml_values,
            "sections": st.lists(
                st.one_of(
                    yaml_values,
                    st.fixed_dictionaries(
                        {
                            "questions": st.lists(
                                st.dictionaries(
                                    st.sampled_from(
                                        [
                                            "id",
                                            "text",
                                            "type",
                                            "points",
                                            "options",
                                            "show_if",
                                            "critical",
                                        ]
                                    ),
                                    yaml_values,
                                ),
                                max_size=3,
                            )
                        },
                        optional={"id": yaml_values, "category": yaml_values},
                    ),
                ),
                max_size=3,
            ),
        },
    )
)
def test_any_yaml_gives_problems_not_exceptions(data: dict[str, object]) -> None:
    import io

    out = io.StringIO()
    YAML().dump(data, out)
    problems = validate_form_text(out.getvalue(), "fuzz.yaml")
    assert all(p.path == "fuzz.yaml" for p in problems)
