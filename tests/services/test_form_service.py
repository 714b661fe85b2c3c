"""Forms: drafts with problems, publishing rules, versions and their evaluation counts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa_monitor.core.form_validation import FormInvalidError
from qa_monitor.core.records import FormStatus
from qa_monitor.services import NotAllowedError, Services
from tests.factories import Seed, passing_answers, sample_form


def test_draft_with_problems_is_kept_but_not_published(services: Services) -> None:
    broken = replace(sample_form(), title="")
    result = services.forms.save_form_draft(broken)
    assert not result.publishable and result.changes.forms
    assert any(p.field == "title" for p in result.problems)
    assert services.forms.get_draft("support_call") == result.version
    with pytest.raises(FormInvalidError, match="no title"):
        services.forms.publish_form(broken, None)
    assert services.forms.form_info("support_call").status is FormStatus.DRAFT
    with pytest.raises(FormInvalidError, match="not a valid id"):
        services.forms.save_form_draft(replace(sample_form(), id="Bad Id"))


def test_publish_creates_new_versions_only_for_changes(services: Services) -> None:
    reviewer = services.people.add_reviewer("Leila")
    v1 = services.forms.publish_form(sample_form(), reviewer.id)
    assert (v1.version, v1.status, v1.published_by) == (1, FormStatus.PUBLISHED, reviewer.id)
    assert services.forms.publish_form(sample_form(), reviewer.id) == v1
    changed = replace(sample_form(), settings=replace(sample_form().settings, pass_mark=85.0))
    services.forms.save_form_draft(changed)
    v2 = services.forms.publish_form(changed, reviewer.id)
    assert v2.version == 2 and v2.form == changed
    assert services.forms.get_version(v1.id).form == sample_form()  # history unchanged
    assert services.forms.published_versions() == [v2]
    assert services.forms.published_versions(latest_only=False) == [v2, v1]


def test_versions_list_their_evaluation_counts(services: Services, seeded: Seed) -> None:
    for _ in range(2):
        evaluation = services.evaluations.start_evaluation(
            seeded.interaction.id, seeded.version.id, seeded.reviewer.id
        )
    services.evaluations.save_draft(evaluation.id, passing_answers())
    services.evaluations.submit(evaluation.id)
    services.forms.publish_form(replace(sample_form(), description="v2"), seeded.expert.id)
    (info,) = services.forms.list_forms()
    assert [(v.version, v.evaluation_count) for v in info.versions] == [(1, 2), (2, 0)]
    assert info.evaluation_count == 2 and info.latest_version == 2
    assert services.forms.get_version(seeded.version.id).evaluation_count == 2


def test_retire_and_bring_back(services: Services, seeded: Seed) -> None:
    assert services.forms.retire_form("support_call").forms
    assert services.forms.published_versions() == []
    assert services.forms.list_forms(include_retired=False) == []
    again = services.forms.publish_form(sample_form(), seeded.expert.id)
    assert again.id == seeded.version.id
    assert services.forms.form_info("support_call").status is FormStatus.PUBLISHED
    services.forms.save_form_draft(sample_form("draft_only", "Draft only"))
    with pytest.raises(NotAllowedError, match="never published"):
        services.forms.retire_form("draft_only")
    assert services.forms.discard_form_draft("draft_only").forms
    assert not services.forms.discard_form_draft("draft_only").any
