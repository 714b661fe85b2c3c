"""The shipped templates: found, valid for the core and the JSON Schema, and as DOMAIN.md asks."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

import qa_monitor
from qa_monitor.core.form_validation import validate_form
from qa_monitor.core.forms import (
    Category,
    Channel,
    CommentRule,
    CriticalLevel,
    Direction,
    Form,
    InteractionCondition,
    OutcomeField,
    QuestionType,
    ScoringMode,
)
from qa_monitor.formfiles import (
    form_file_warnings,
    keys,
    load_form,
    load_shipped_forms,
    shipped,
    shipped_form_paths,
    validate_form_file,
)

FORMS_DIR = Path(qa_monitor.__file__).resolve().parent.parent / "forms"
SCHEMA_PATH = FORMS_DIR / "schema.json"
EXPECTED = ["chat_email", "compliance_call", "inbound_service", "retention_call"]
PATHS = shipped_form_paths()


def _form(name: str) -> Form:
    return load_form(FORMS_DIR / f"{name}.yaml")


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def test_the_four_templates_are_found() -> None:
    assert [p.stem for p in PATHS] == EXPECTED
    assert [f.id for f in load_shipped_forms()] == EXPECTED


def test_templates_are_found_in_a_frozen_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "only.yaml").write_text("x", encoding="utf-8")
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert shipped.shipped_form_paths() == [tmp_path / "forms" / "only.yaml"]


def test_templates_fall_back_to_the_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(shipped, "_checkout_files", lambda: [])

    def files(package: str) -> Path:
        assert package == "qa_monitor._forms"
        return tmp_path

    monkeypatch.setattr(shipped.importlib.resources, "files", files)
    assert shipped.shipped_form_paths() == [tmp_path / "a.yaml", tmp_path / "b.yaml"]


def test_no_templates_installed_is_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    def files(package: str) -> Path:
        raise ModuleNotFoundError(package)

    monkeypatch.setattr(shipped, "_checkout_files", lambda: [])
    monkeypatch.setattr(shipped.importlib.resources, "files", files)
    assert shipped.shipped_form_paths() == []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_template_has_no_problems(path: Path) -> None:
    assert validate_form_file(path) == []
    assert validate_form(load_form(path)) == []
    assert form_file_warnings(path) == []  # e.g. weighted-mode weights add up to 100


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_template_declares_the_schema_for_editors(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema.json"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_template_matches_the_json_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    validator = jsonschema.Draft202012Validator(_schema())
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_rejects_what_the_reader_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    validator = jsonschema.Draft202012Validator(_schema())
    good = YAML(typ="safe").load((FORMS_DIR / "inbound_service.yaml").read_text("utf-8"))
    question = good["sections"][0]["questions"][0]
    question["pionts"] = 5
    question["type"] = "yesno"
    del good["format"]
    messages = sorted(e.message for e in validator.iter_errors(good))
    assert any("'format' is a required property" in m for m in messages)
    assert any("'pionts' was unexpected" in m for m in messages)
    assert any("'yesno' is not one of" in m for m in messages)


def _props(schema: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    node = schema if name is None else schema["$defs"][name]
    props: dict[str, Any] = node["properties"]
    return props


@pytest.mark.parametrize(
    ("definition", "keys_in_order"),
    [
        (None, keys.FORM_KEYS),
        ("settings", keys.SETTINGS_KEYS),
        ("band", keys.BAND_KEYS),
        ("section", keys.SECTION_KEYS),
        ("question", keys.QUESTION_KEYS),
        ("option", keys.OPTION_KEYS),
        ("condition", keys.CONDITION_KEYS),
        ("defaults", keys.DEFAULTS_KEYS),
    ],
)
def test_schema_keys_match_the_reader(definition: str | None, keys_in_order: tuple[str]) -> None:
    assert set(_props(_schema(), definition)) == set(keys_in_order)


@pytest.mark.parametrize(
    ("enum", "where"),
    [
        (Channel, ("$defs", "channel")),
        (Direction, ("$defs", "direction")),
        (CommentRule, ("$defs", "defaults", "properties", "comment")),
        (ScoringMode, ("$defs", "settings", "properties", "scoring_mode")),
        (Category, ("$defs", "section", "properties", "category")),
        (QuestionType, ("$defs", "question", "properties", "type")),
        (CriticalLevel, ("$defs", "question", "properties", "critical")),
        (CommentRule, ("$defs", "question", "properties", "comment")),
        (OutcomeField, ("$defs", "question", "properties", "outcome_field")),
    ],
)
def test_schema_enums_match_the_core(enum: type[StrEnum], where: tuple[str, ...]) -> None:
    node: Any = _schema()
    for step in where:
        node = node[step]
    assert node["enum"] == [m.value for m in enum]


# -- what each template must contain ----------------------------------------------------------


@pytest.mark.parametrize("name", EXPECTED)
def test_template_uses_all_four_categories_and_a_critical_question(name: str) -> None:
    form = _form(name)
    assert {s.category for s in form.sections} == set(Category)
    assert any(q.critical is not CriticalLevel.NONE for _s, q in form.questions())
    assert form.settings.bands and min(b.minimum for b in form.settings.bands) == 0


def test_inbound_service() -> None:
    form = _form("inbound_service")
    questions = [q for _s, q in form.questions()]
    assert 20 <= len(questions) <= 25
    assert form.settings.scoring_mode is ScoringMode.POINTS
    assert form.channels == (Channel.PHONE,)
    assert any(q.allow_na for q in questions)
    assert any(q.type is QuestionType.SCALE_1_5 for q in questions)
    assert any(q.bonus for q in questions)
    assert any(q.comment is CommentRule.NOT_FULL for q in questions)
    fcr = form.question("resolved_first_contact")
    assert fcr is not None
    assert fcr.type is QuestionType.YES_NO
    assert fcr.outcome_field is OutcomeField.RESOLVED_FIRST_CONTACT
    effort = form.question("customer_effort")
    assert effort is not None and effort.scored


def test_retention_call() -> None:
    form = _form("retention_call")
    assert form.settings.scoring_mode is ScoringMode.WEIGHTED
    assert len({s.weight for s in form.sections}) > 1
    reason = form.question("churn_reason")
    assert reason is not None
    assert reason.type is QuestionType.TAG
    assert reason.outcome_field is OutcomeField.CHURN_REASON
    assert [o.id for o in reason.options] == [
        "incorrect_use_case",
        "failure_to_launch",
        "features_functionality",
        "low_usage",
        "roi_value",
        "organisational_change",
        "competitor_price",
        "other",
    ]
    retention = form.question("retention")
    assert retention is not None
    assert retention.outcome_field is OutcomeField.RETENTION
    assert [o.id for o in retention.options] == ["retained", "lost", "undecided"]
    offered = form.question("offered_callback")
    promised = form.question("callback_promised_at")
    assert offered is not None and offered.type is QuestionType.YES_NO
    assert promised is not None and promised.type is QuestionType.DATETIME
    assert promised.outcome_field is OutcomeField.CALLBACK_PROMISED_AT
    assert promised.condition is not None
    assert (promised.condition.question_id, promised.condition.option_ids) == (
        "offered_callback",
        ("yes",),
    )
    # The reason is identified before any offer: its question comes first and is critical.
    order = [q.id for _s, q in form.questions()]
    assert order.index("identified_reason_first") < order.index("offer_fits_reason")


def test_chat_email() -> None:
    form = _form("chat_email")
    assert form.channels == (Channel.CHAT, Channel.EMAIL)
    ids = {q.id for _s, q in form.questions()}
    assert {"tone", "spelling_grammar", "response_time", "self_service_links"} <= ids


def test_compliance_call() -> None:
    form = _form("compliance_call")
    levels = {q.id: q.critical for _s, q in form.questions()}
    assert levels["verified_identity"] is CriticalLevel.FORM
    assert levels["recording_disclosure"] is CriticalLevel.FORM
    section = form.section("data_protection")
    assert section is not None
    assert any(q.critical is CriticalLevel.SECTION for q in section.questions)
    assert form.question("mandatory_disclosures") is not None
    assert form.section("complaints") is not None
    # Less to type: every lost point needs a comment unless a question says otherwise ...
    assert form.defaults.comment is CommentRule.NOT_FULL
    comments = {q.id: q.comment for _s, q in form.questions() if q.scored}
    assert comments["courtesy"] is CommentRule.NOT_FULL
    assert comments["resolved_first_contact"] is CommentRule.NEVER
    # ... and the recording disclosure is the agent's job only on outbound calls.
    disclosure = form.question("recording_disclosure")
    assert disclosure is not None
    assert disclosure.interaction_condition == InteractionCondition(
        (Channel.PHONE,), (Direction.OUTBOUND,)
    )


def test_schema_lets_the_form_defaults_give_the_points() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    validator = jsonschema.Draft202012Validator(_schema())
    data = YAML(typ="safe").load((FORMS_DIR / "inbound_service.yaml").read_text("utf-8"))
    del data["sections"][0]["questions"][0]["points"]
    messages = [e.message for e in validator.iter_errors(data)]
    assert messages and all("'points' is a required property" in m for m in messages)
    data["defaults"] = {"points": 5}
    assert list(validator.iter_errors(data)) == []
