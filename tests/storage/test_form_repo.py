"""Form versions: drafts, publishing, and the immutability of published versions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from qa_monitor.core.records import FormStatus
from qa_monitor.storage import Database
from qa_monitor.storage.form_repo import FormRepo
from qa_monitor.storage.people_repo import PeopleRepo
from tests.factories import sample_form

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_draft_is_saved_in_place_and_published_as_version_1(db: Database) -> None:
    repo = FormRepo(db)
    publisher = PeopleRepo(db).add_reviewer("Leila", NOW)
    form = sample_form()
    draft = repo.save_draft(form, NOW)
    assert (draft.version, draft.status, draft.form) == (1, FormStatus.DRAFT, form)
    retitled = replace(form, title="Support call (new)")
    again = repo.save_draft(retitled, NOW)
    assert again.id == draft.id and again.form == retitled

    published = repo.publish(retitled, publisher.id, NOW)
    assert published.id == draft.id
    assert published.status is FormStatus.PUBLISHED
    assert (published.published_at, published.published_by) == (NOW, publisher.id)
    assert repo.draft_of(form.id) is None
    info = repo.form_info(form.id)
    assert (info.title, info.status, info.latest_version) == (
        "Support call (new)",
        FormStatus.PUBLISHED,
        1,
    )


def test_form_questions_follow_the_definition(db: Database) -> None:
    repo = FormRepo(db)
    version = repo.publish(sample_form(), None, NOW)
    rows = db.execute(
        "SELECT question_id, section_id, category, position, points, critical, scored, bonus"
        " FROM form_questions WHERE form_version_id = ? ORDER BY position",
        [version.id],
    ).fetchall()
    expected = [
        (q.id, s.id, s.category.value, i, q.points, q.critical.value, int(q.scored), 0)
        for i, (s, q) in enumerate(sample_form().questions())
    ]
    assert rows == expected


def test_published_version_cannot_be_changed_or_deleted(db: Database) -> None:
    repo = FormRepo(db)
    version = repo.publish(sample_form(), None, NOW)
    for sql in (
        "UPDATE form_versions SET definition = '{}' WHERE id = ?",
        "UPDATE form_versions SET status = 'draft' WHERE id = ?",
        "DELETE FROM form_versions WHERE id = ?",
        "UPDATE form_questions SET points = 99 WHERE form_version_id = ?",
        "DELETE FROM form_questions WHERE form_version_id = ?",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="published form version"):
            db.execute(sql, [version.id])
    assert repo.get_version(version.id).form == sample_form()


def test_publishing_an_unchanged_form_returns_the_same_version(db: Database) -> None:
    repo = FormRepo(db)
    first = repo.publish(sample_form(), None, NOW)
    repo.save_draft(sample_form(), NOW)
    same = repo.publish(sample_form(), None, NOW)
    assert same.id == first.id and same.version == 1
    assert repo.draft_of("support_call") is None
    changed = repo.publish(replace(sample_form(), description="v2"), None, NOW)
    assert changed.version == 2 and changed.id != first.id
    assert [v.version for v in repo.form_info("support_call").versions] == [1, 2]


def test_retire_and_discard(db: Database) -> None:
    repo = FormRepo(db)
    repo.publish(sample_form(), None, NOW)
    repo.retire("support_call", NOW)
    info = repo.form_info("support_call")
    assert (info.status, info.retired_at) == (FormStatus.RETIRED, NOW)
    assert repo.published_versions() == []
    assert len(repo.published_versions(include_retired=True)) == 1

    repo.save_draft(sample_form("never_published", "Draft only"), NOW)
    assert repo.discard_draft("never_published")
    assert [f.form_id for f in repo.list_forms()] == ["support_call"]
