"""Team sync keeps the tamper-evidence chain whole: records applied from other sites are
sealed as they are written, also in a first sync's bulk mode, so a database that
only QA Monitor changed checks clean on every site."""

from __future__ import annotations

from pathlib import Path

from qa_monitor.services import Services
from qa_monitor.services.evidence_check import check_evidence
from tests.factories import FakeClock, passing_answers, seed
from tests.storage.test_bulk_load import _load
from tests.sync.conflict_setup import conflicting_edits, join_folder, sync


def _links(services: Services, kind: str) -> int:
    (n,) = services.db.execute("SELECT count(*) FROM evidence WHERE kind = ?", [kind]).fetchone()
    return int(n)


def test_conflicting_edits_applied_from_another_site_check_clean(tmp_path: Path) -> None:
    pair = conflicting_edits(tmp_path)
    for path in (pair.a, pair.b):
        with Services.open(path, clock=FakeClock()) as services:
            assert check_evidence(services.db) == []
            # The remote edit re-sealed the evaluation it changed.
            assert _links(services, "evaluation") >= 2


def test_a_first_sync_in_bulk_mode_seals_what_it_inserts(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    with Services.open(a, clock=FakeClock()) as sa, Services.open(b, clock=FakeClock()) as sb:
        first = seed(sa)
        _load(sa.db, first, 600)  # bulk-loaded: sealed at the end of the load
        ev = sa.evaluations.start_evaluation(
            first.interaction.id, first.version.id, first.reviewer.id
        )
        sa.evaluations.save_draft(ev.id, passing_answers())
        assert sa.evaluations.submit(ev.id).ok
        assert check_evidence(sa.db) == []
        sb.settings.set_timezone("UTC")
        join_folder(sa, folder)
        join_folder(sb, folder)
        sync(sa, sb)
        (count,) = sb.db.execute("SELECT count(*) FROM evaluations").fetchone()
        assert count == 601
        assert _links(sb, "evaluation") >= 601
        assert check_evidence(sb.db) == []
        assert check_evidence(sa.db) == []
