"""Names as different keyboards and systems write them: a roster typed on a Persian
keyboard matched by a Windows-1256 call log with Arabic letters, re-imported with
Arabic letters without duplicates, searched either way; and cells too long to be a
name or an id refused with a short message."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportService
from tests.factories import Seed, interaction_data

ZWNJ = "\u200c"
# Persian keyboard: ی (U+06CC), ک (U+06A9), a ZWNJ, Persian digits in the ids.
ROSTER_FA = [
    "کد کارشناس;نام کارشناس;تیم",
    "۱۰۱;علی کاظمی;پشتیبانی",
    "۱۰۲;مریم یگانه;پشتیبانی",
    f"۱۰۳;محمد{ZWNJ}رضا کریمی;فروش",
]
# The same people as an Arabic-encoded system has them: ي (U+064A), ك (U+0643), no ZWNJ.
CALLS_AR = [
    "Call ID;Start;Agent ID;Agent;Team",
    "C-1;2026-03-02 09:00;101;;پشتيباني",
    "C-2;2026-03-02 09:30;;علي كاظمي;پشتيباني",
    "C-3;2026-03-02 10:00;;محمدرضا كريمي;فروش",
    "C-4;2026-03-02 10:30;;مريم يگانه;",
]
ROSTER_AR = [
    "نام کارشناس;تيم",
    "علي كاظمي;پشتيباني",
    "مريم يگانه;پشتيباني",
    "محمدرضا كريمي;فروش",
]


def _write(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def imports(services: Services, seeded: Seed) -> ImportService:
    return ImportService.from_services(services)


def test_persian_roster_matches_an_arabic_call_log(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    roster_file = _write(tmp_path / "roster.csv", ROSTER_FA, "utf-8")
    roster = imports.run_import(roster_file, ImportKind.ROSTER)
    assert (roster.created, roster.refused) == (3, ())
    people = {a.external_id: a for a in services.people.list_agents() if a.external_id != "ext-17"}
    assert set(people) == {"101", "102", "103"}  # Persian digits read as 0-9
    assert people["101"].name == "علی کاظمی"  # shown exactly as typed
    assert people["103"].name == f"محمد{ZWNJ}رضا کریمی"
    teams = {t.name: t.id for t in services.people.list_teams()}

    calls = _write(tmp_path / "calls.csv", CALLS_AR, "cp1256")
    report = imports.run_import(calls, ImportKind.INTERACTIONS)
    assert report.refused == ()
    assert (report.created, report.committed) == (4, True)
    found = {
        x: services.interactions.find_interaction(x) for x in ("C-1", "C-2", "C-3", "C-4")
    }
    assert {x: i.agent_id for x, i in found.items() if i} == {
        "C-1": people["101"].id,
        "C-2": people["101"].id,
        "C-3": people["103"].id,
        "C-4": people["102"].id,
    }
    assert {x: i.team_id for x, i in found.items() if i} == {
        "C-1": teams["پشتیبانی"],
        "C-2": teams["پشتیبانی"],
        "C-3": teams["فروش"],
        "C-4": teams["پشتیبانی"],
    }
    assert len(services.people.list_agents()) == 4  # the seeded agent and the three
    assert len(services.people.list_teams()) == 3  # Billing and the two


def test_reimporting_the_roster_with_arabic_letters_adds_nobody(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    imports.run_import(_write(tmp_path / "fa.csv", ROSTER_FA, "utf-8"), ImportKind.ROSTER)
    before = {a.id for a in services.people.list_agents()}
    arabic = _write(tmp_path / "ar.csv", ROSTER_AR, "cp1256")
    report = imports.run_import(arabic, ImportKind.ROSTER)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert {a.id for a in services.people.list_agents()} == before
    # Names stay as first typed: a second system's letter forms do not rename people.
    assert services.people.find_agent("101").name == "علی کاظمی"  # type: ignore[union-attr]
    assert sorted(t.name for t in services.people.list_teams()) == ["Billing", "فروش", "پشتیبانی"]


def test_a_roster_naming_one_agent_twice_in_two_letter_forms_is_refused(
    imports: ImportService, tmp_path: Path
) -> None:
    path = _write(tmp_path / "r.csv", ["Name;Team", "علی;A", "علي;A"], "utf-8")
    report = imports.run_import(path, ImportKind.ROSTER)
    assert [(p.row, p.reason) for p in report.refused] == [(3, "agent 'علي' is also on row 2")]


def test_people_with_the_same_name_key_cannot_both_be_active(services: Services) -> None:
    from qa_monitor.services import ConflictError

    services.people.add_agent("علي رضايي")
    with pytest.raises(ConflictError):
        services.people.add_agent("علی رضایی")
    services.people.add_team("محمدرضا")
    with pytest.raises(ConflictError):
        services.people.add_team(f"محمد{ZWNJ}رضا")


def test_evaluation_search_finds_arabic_letters_typed_on_a_persian_keyboard(
    services: Services, seeded: Seed
) -> None:
    team = services.people.add_team("پشتيباني")
    agent = services.people.add_agent("علي رضايي", team_id=team.id)
    interaction = services.interactions.create_interaction(
        interaction_data(agent.id, external_id="call-fa")
    )
    evaluation = services.evaluations.start_evaluation(
        interaction.id, seeded.version.id, seeded.reviewer.id
    )
    for typed in ("علی", "علی رضایی", "رضایي", "پشتیبانی", "ﻋﻠﻲ"):
        flt = EvaluationFilter(search=typed)
        assert [r.id for r in services.evaluations.list_evaluations(flt, 0, 10)] == [
            evaluation.id
        ], typed
        assert services.evaluations.count_evaluations(flt) == 1
    assert services.evaluations.count_evaluations(EvaluationFilter(search="علا")) == 0


# -- limits ------------------------------------------------------------------------------
def test_a_40000_character_name_is_refused_with_a_short_message(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    huge = "ب" * 40_000
    path = tmp_path / "roster.csv"
    path.write_text(f"Agent ID;Name;Team\nA1;{huge};Sales\nA2;Ok Name;{'T' * 201}\n", "utf-8")
    report = imports.run_import(path, ImportKind.ROSTER)
    assert not report.committed
    first, second = report.refused
    assert (first.row, first.column, second.row, second.column) == (2, "Name", 3, "Team")
    assert "40,000 characters long; this column allows at most 200" in first.reason
    assert "201 characters long; this column allows at most 200" in second.reason
    assert len(str(first)) < 200
    assert len(services.people.list_agents()) == 1


def test_long_cells_in_a_call_log_are_refused_and_echoed_short(
    imports: ImportService, tmp_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "Call ID;Start;Agent ID;Channel\n"
        f"{'7' * 101};2026-03-02 09:00;ext-17;phone\n"
        f"C-2;{'x' * 40_000};ext-17;phone\n"
        f"C-3;2026-03-02 09:00;{'y' * 40_000};phone\n"
        f"C-4;2026-03-02 09:00;ext-17;{'z' * 40_000}\n",
        "utf-8",
    )
    report = imports.run_import(path, ImportKind.INTERACTIONS)
    assert [(p.row, p.column) for p in report.refused] == [
        (2, "Call ID"),
        (3, "Start"),
        (4, "Agent ID"),
        (5, "Channel"),
    ]
    assert "101 characters long; this column allows at most 100" in report.refused[0].reason
    assert "40,000 characters long; this column allows at most 100" in report.refused[2].reason
    for problem in report.refused:
        assert len(str(problem)) < 300, str(problem)[:100]
        assert "…" in problem.reason


def test_a_long_name_typed_in_the_people_screen_is_refused(services: Services) -> None:
    with pytest.raises(ValueError, match=r"at most 200 characters; '.{59}…' has 40,000$"):
        services.people.add_agent("ن" * 40_000)
    assert services.people.add_team("ت" * 200).name == "ت" * 200
