"""Evaluations per form version (drafts included) come from the roll-ups plus the
drafts; they must equal counting the rows, whatever happened to the evaluations."""

from __future__ import annotations

import random
from pathlib import Path

from qa_monitor.core.records import EvaluationKind, EvaluationStatus
from qa_monitor.services import Services
from tests.factories import interaction_data, random_answers, sample_form, seed


def _raw_counts(services: Services) -> dict[int, int]:
    rows = services.db.execute(
        "SELECT form_version_id, count(*) FROM evaluations GROUP BY form_version_id"
    )
    return {version_id: n for version_id, n in rows}


def test_version_counts_equal_counting_the_rows(tmp_path: Path) -> None:
    rng = random.Random(5)
    with Services.open(tmp_path / "qa.db") as services:
        seeded = seed(services)
        second = services.forms.publish_form(sample_form("escalation", "Escalation"), None)
        versions = [seeded.version.id, second.id]
        made = []
        for n in range(40):
            interaction = services.interactions.create_interaction(
                interaction_data(seeded.agent.id, external_id=f"c{n}")
            )
            kind = rng.choice(list(EvaluationKind))
            draft = services.evaluations.start_evaluation(
                interaction.id, rng.choice(versions), seeded.reviewer.id, kind
            )
            made.append(draft.id)
            if rng.random() < 0.7:  # the rest stay drafts
                services.evaluations.save_draft(draft.id, random_answers(rng))
                if services.evaluations.submit(draft.id, seeded.reviewer.id).ok and n % 3 == 0:
                    services.evaluations.set_status(
                        draft.id, EvaluationStatus.ACKNOWLEDGED, seeded.reviewer.id, "seen"
                    )
        drafts = [e for e in made if services.evaluations.get_evaluation(e).status.value == "draft"]
        services.evaluations.discard_draft(drafts[0], seeded.reviewer.id)
        repo = services.repos.forms
        expected = _raw_counts(services)
        assert expected[seeded.version.id] and expected[second.id]
        assert repo._evaluation_counts() == expected
        assert repo._evaluation_counts([second.id]) == {second.id: expected[second.id]}
        assert repo._evaluation_counts([]) == {}
        assert services.forms.get_version(second.id).evaluation_count == expected[second.id]
        info = services.forms.form_info(seeded.version.form_id)
        assert info.evaluation_count == expected[seeded.version.id]


def test_counting_never_walks_a_versions_evaluations(tmp_path: Path) -> None:
    """At a million evaluations, walking one version's index entries took 70-100 ms per
    count: the statements must read the roll-ups and the drafts' index only."""
    with Services.open(tmp_path / "qa.db") as services:
        seeded = seed(services)
        statements: list[str] = []
        services.db.conn.set_trace_callback(statements.append)
        try:
            services.repos.forms._evaluation_counts([seeded.version.id])
            services.repos.forms._evaluation_counts()
        finally:
            services.db.conn.set_trace_callback(None)
        plans = [
            " | ".join(r[-1] for r in services.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in statements
            if sql.lstrip().upper().startswith("SELECT")
        ]
        assert plans and all("evaluations_version_date" not in p for p in plans), plans
        assert any("evaluations_status" in p for p in plans), plans
