"""Tamper evidence: seven edits made with plain sqlite3 on a real database file, each
named by the check; a database changed only through QA Monitor checks clean."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from qa_monitor.cli import main
from qa_monitor.core.answers import Answer
from qa_monitor.core.records import EvaluationStatus
from qa_monitor.services import Services
from qa_monitor.services.evidence_check import Finding, Severity, check_evidence
from qa_monitor.services.form_service import FormChangedError
from qa_monitor.storage.database import open_database
from tests.factories import (
    FakeClock,
    failing_answers,
    interaction_data,
    passing_answers,
    seed,
)


def _work(services: Services) -> dict[str, int]:
    """Everything a normal day does to evaluations: submits, a re-score, a status
    change, a dispute, a discarded draft, a call moved to another agent."""
    first = seed(services)
    ids = {}
    for name, answers in (("failing", failing_answers()), ("passing", passing_answers())):
        ev = services.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        services.evaluations.save_draft(ev.id, answers, "first take")
        assert services.evaluations.submit(ev.id).ok
        ids[name] = ev.id
    edited = failing_answers()
    edited["verify"] = Answer("verify", "yes")
    services.evaluations.edit_submitted(
        ids["failing"], edited, "second take", first.expert.id, "dispute upheld"
    )
    services.evaluations.set_status(ids["passing"], EvaluationStatus.ACKNOWLEDGED, None)
    services.evaluations.set_status(
        ids["failing"], EvaluationStatus.DISPUTED, None, "the greeting was given"
    )
    draft = services.evaluations.start_evaluation(
        first.interaction.id, first.version.id, first.reviewer.id
    )
    services.evaluations.discard_draft(draft.id)
    call = services.interactions.create_interaction(
        interaction_data(first.agent.id, external_id="call-0002")
    )
    moved = services.evaluations.start_evaluation(call.id, first.version.id, first.reviewer.id)
    services.evaluations.save_draft(moved.id, passing_answers())
    assert services.evaluations.submit(moved.id).ok
    other = services.people.add_agent("Reza Tehrani", team_id=first.team.id)
    services.interactions.update_interaction(
        call.id, interaction_data(other.id, external_id="call-0002")
    )
    ids["version"] = first.version.id
    ids["reviewer"] = first.reviewer.id
    return ids


@pytest.fixture
def worked(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "qa.db"
    with Services.open(path, clock=FakeClock()) as services:
        ids = _work(services)
    return path, ids


def _check(path: Path) -> list[Finding]:
    db = open_database(path)
    try:
        return check_evidence(db)
    finally:
        db.close()


@contextmanager
def plain_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    """What someone with the sqlite3 shell has: no QA Monitor code on the connection."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def _only(findings: list[Finding]) -> str:
    assert len(findings) == 1, findings
    assert findings[0].severity is Severity.ERROR
    return findings[0].sentence


def test_a_database_changed_only_through_the_app_checks_clean(
    worked: tuple[Path, dict[str, int]],
) -> None:
    path, _ids = worked
    assert _check(path) == []
    with closing(sqlite3.connect(path)) as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM evidence GROUP BY kind"))
    # Both submits, the edit and the status changes each left links; the form one.
    assert kinds["form_version"] == 1
    assert kinds["evaluation"] >= 4
    assert kinds["audit"] >= 5


def test_1_an_audit_reason_changed(worked: tuple[Path, dict[str, int]]) -> None:
    path, _ids = worked
    with plain_sqlite(path) as conn:
        (entry,) = conn.execute("SELECT min(id) FROM audit_log WHERE reason <> ''").fetchone()
        conn.execute("UPDATE audit_log SET reason = 'typo' WHERE id = ?", [entry])
    sentence = _only(_check(path))
    assert sentence.startswith(
        f"The audit log was changed outside QA Monitor: entry {entry:,} (2026-"
    )
    assert "by Leila Navabi) no longer matches its recorded fingerprint" in sentence
    assert sentence.endswith("entries after it cannot be trusted.")


def test_2_audit_rows_deleted(worked: tuple[Path, dict[str, int]]) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        first, count = conn.execute(
            "SELECT min(id), count(*) FROM audit_log WHERE evaluation_id = ?", [ids["failing"]]
        ).fetchone()
        conn.execute("DELETE FROM audit_log WHERE evaluation_id = ?", [ids["failing"]])
    sentence = _only(_check(path))
    assert sentence == (
        f"The audit log was changed outside QA Monitor: entry {first:,} and {count - 1:,} "
        "later recorded entries were deleted."
    )


def test_3_a_back_dated_audit_entry_inserted(worked: tuple[Path, dict[str, int]]) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        cur = conn.execute(
            "INSERT INTO audit_log (evaluation_id, at, actor_id, action, field, old, new, reason)"
            " VALUES (?, '2025-01-02T09:00:00.000Z', ?, 'status', 'status', 'submitted',"
            " 'acknowledged', '')",
            [ids["passing"], ids["reviewer"]],
        )
        entry = cur.lastrowid
    sentence = _only(_check(path))
    assert sentence == (
        f"The audit log was changed outside QA Monitor: entry {entry:,} (2025-01-02, by "
        "Omid Karimi) was added without QA Monitor and has no recorded fingerprint."
    )


def test_4_a_score_raised_to_100(worked: tuple[Path, dict[str, int]]) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        (score,) = conn.execute(
            "SELECT score FROM evaluations WHERE id = ?", [ids["failing"]]
        ).fetchone()
        assert score < 100
        conn.execute(
            "UPDATE evaluations SET score = 100, passed = 1 WHERE id = ?", [ids["failing"]]
        )
    sentence = _only(_check(path))
    assert sentence == (
        "The evaluation of Sara Ahmadi's interaction of 2026-03-01, scored by Omid Karimi "
        f"(evaluation {ids['failing']:,}) was changed outside QA Monitor: its stored answers, "
        "scores or status no longer match its recorded fingerprint."
    )


def test_5_a_changed_answer(worked: tuple[Path, dict[str, int]]) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        cur = conn.execute(
            "UPDATE answers SET value = '\"yes\"'"
            " WHERE evaluation_id = ? AND question_id = 'greet'",
            [ids["failing"]],
        )
        assert cur.rowcount == 1
    sentence = _only(_check(path))
    assert f"(evaluation {ids['failing']:,}) was changed outside QA Monitor" in sentence


def test_6_a_dropped_trigger(worked: tuple[Path, dict[str, int]]) -> None:
    path, _ids = worked
    with plain_sqlite(path) as conn:
        conn.execute("DROP TRIGGER form_versions_published_no_update")
    assert _only(_check(path)) == (
        "The database safeguard 'form_versions_published_no_update' (a trigger) is missing: "
        "it was dropped outside QA Monitor, so changes it should have stopped or recorded "
        "may have been made; restore a backup made before it was dropped."
    )


def _raise_points(conn: sqlite3.Connection, version_id: int) -> None:
    """Change the points of a published version's first question and put the guarding
    triggers back as they were, so only the content tells."""
    guards = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND name IN ('form_versions_published_no_update', 'form_questions_published_no_update')"
    ).fetchall()
    for name, _sql in guards:
        conn.execute(f"DROP TRIGGER {name}")
    (text,) = conn.execute(
        "SELECT definition FROM form_versions WHERE id = ?", [version_id]
    ).fetchone()
    data = json.loads(text)
    question = data["sections"][0]["questions"][0]
    question["points"] = question["points"] * 5
    conn.execute(
        "UPDATE form_versions SET definition = ? WHERE id = ?",
        [json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), version_id],
    )
    conn.execute(
        "UPDATE form_questions SET points = points * 5 WHERE form_version_id = ?"
        " AND question_id = ?",
        [version_id, question["id"]],
    )
    for _name, sql in guards:
        conn.execute(sql)


def test_7_a_published_forms_points_changed(worked: tuple[Path, dict[str, int]]) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        _raise_points(conn, ids["version"])
    assert _only(_check(path)) == (
        "Version 1 of the form 'Support call' was changed outside QA Monitor: its questions, "
        "points or checksum no longer match its recorded fingerprint, so evaluations scored "
        "with it cannot be trusted."
    )


def test_a_form_changed_outside_the_app_is_refused_when_used(
    worked: tuple[Path, dict[str, int]], caplog: pytest.LogCaptureFixture
) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        _raise_points(conn, ids["version"])
    with Services.open(path, clock=FakeClock()) as services:
        evaluation = services.evaluations.get_evaluation(ids["passing"])
        with pytest.raises(FormChangedError) as raised:
            services.evaluations.form_of(evaluation)
        interaction = evaluation.interaction_id
        with pytest.raises(FormChangedError):
            services.evaluations.start_evaluation(interaction, ids["version"], ids["reviewer"])
        (drafts,) = services.db.execute(
            "SELECT count(*) FROM evaluations WHERE status = 'draft'"
        ).fetchone()
    assert drafts == 0
    assert str(raised.value) == (
        "Version 1 of the form 'Support call' was changed outside QA Monitor (its questions "
        "no longer match the checksum stored when it was saved), so it cannot be used to "
        "score; restore a backup made before the change, or publish the form again as a new "
        "version."
    )
    assert "Version 1 of the form 'Support call' was changed outside" in caplog.text


def test_the_evidence_chain_itself_edited(worked: tuple[Path, dict[str, int]]) -> None:
    path, _ids = worked
    with plain_sqlite(path) as conn:
        (seq,) = conn.execute("SELECT min(seq) FROM evidence WHERE kind = 'audit'").fetchone()
        conn.execute("UPDATE evidence SET hash = zeroblob(32) WHERE seq = ?", [seq])
    sentence = _only(_check(path))
    assert sentence.startswith(
        f"The tamper-evidence chain was edited outside QA Monitor at link {seq:,}"
    )


def test_check_command_names_the_change_and_exits_1(
    worked: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = worked
    assert main(["--db", str(path), "check"]) == 0
    assert "No problems found" in capsys.readouterr().out
    with plain_sqlite(path) as conn:
        conn.execute("UPDATE evaluations SET score = 100 WHERE id = ?", [ids["failing"]])
    assert main(["--db", str(path), "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("The evaluation of Sara Ahmadi's interaction")
    assert "Traceback" not in captured.out + captured.err


def test_the_whole_chain_dropped(worked: tuple[Path, dict[str, int]]) -> None:
    path, _ids = worked
    with plain_sqlite(path) as conn:
        conn.execute("DROP TABLE evidence")
    assert _only(_check(path)) == (
        "The table 'evidence' is missing from the database; restore a backup."
    )


def test_a_stopped_check_reports_the_steps_it_finished(
    worked: tuple[Path, dict[str, int]],
) -> None:
    path, ids = worked
    with plain_sqlite(path) as conn:
        conn.execute("UPDATE evaluations SET score = 100 WHERE id = ?", [ids["failing"]])
        conn.execute("UPDATE audit_log SET reason = 'typo' WHERE id = 1")
    steps: list[str] = []

    def stop_at_evaluations(step: str) -> bool:
        steps.append(step)
        return step != "evaluation"

    db = open_database(path)
    try:
        assert check_evidence(db, stop_at_evaluations) == []
        assert steps == ["chain", "form_version", "evaluation"]
        assert len(check_evidence(db)) == 2
    finally:
        db.close()
