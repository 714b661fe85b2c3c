"""Imports: every encoding and delimiter, header synonyms, refused rows with their row
numbers, all-or-nothing, and re-imports that never duplicate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind, auto_mapping, normalise_header
from qa_monitor.services.import_service import ImportCancelled, ImportInputError, ImportService
from qa_monitor.services.import_values import jalali_to_gregorian, parse_moment
from qa_monitor.tabular_read import detect_encoding, read_table, sniff_delimiter
from tests.factories import Seed, passing_answers

ROSTER = [
    ["Agent ID", "Name", "Team", "Email"],
    ["AG1", "Сара Иванова", "Поддержка", "sara@centre.example"],
    ["AG2", "Olga Petrova", "Поддержка", ""],
    ["AG3", "Мария Смирнова", "Retention", "maria@centre.example"],
]
ROSTER_FA = [
    ["کد کارشناس", "نام کارشناس", "تيم"],
    ["FA1", "مريم احمدي", "پشتيباني"],  # Windows-1256 has Arabic yeh, not the Persian one
    ["FA2", "علي رضايي", "پشتيباني"],
]


def _write(path: Path, rows: list[list[str]], encoding: str, delimiter: str) -> Path:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def imports(services: Services, seeded: Seed) -> ImportService:
    """The import service on a seeded database (agent 'Sara Ahmadi', id ext-17, team
    Billing) whose centre is in Tehran (UTC+3:30)."""
    services.settings.set_timezone("Asia/Tehran")
    return ImportService.from_services(services)


# -- reading -----------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_roster_in_every_encoding_and_delimiter(
    imports: ImportService, services: Services, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = _write(tmp_path / "roster.csv", ROSTER, encoding, delimiter)
    preview = imports.preview(path, ImportKind.ROSTER)
    assert preview.delimiter == delimiter
    assert preview.mapping.columns == {
        "agent_external_id": "Agent ID",
        "agent_name": "Name",
        "team": "Team",
        "email": "Email",
    }
    report = imports.run_import(path, ImportKind.ROSTER)
    assert (report.created, report.refused, report.committed) == (3, (), True)
    names = {a.name for a in services.people.list_agents()}
    assert {"Сара Иванова", "Мария Смирнова", "Olga Petrova"} <= names
    assert "Поддержка" in {t.name for t in services.people.list_teams()}


@pytest.mark.parametrize("encoding", ["cp1256", "utf-8", "utf-8-sig"])
def test_persian_roster_with_persian_headers(
    imports: ImportService, services: Services, tmp_path: Path, encoding: str
) -> None:
    path = _write(tmp_path / "roster.csv", ROSTER_FA, encoding, ";")
    preview = imports.preview(path, ImportKind.ROSTER)
    assert preview.encoding == ("utf-8" if encoding == "utf-8" else encoding)
    assert preview.mapping.columns["agent_name"] == "نام کارشناس"
    assert preview.mapping.columns["agent_external_id"] == "کد کارشناس"
    imports.run_import(path, ImportKind.ROSTER)
    agent = services.people.find_agent("FA2")
    assert agent is not None and agent.name == "علي رضايي"


def test_encoding_detection() -> None:
    assert detect_encoding("Имя;Команда\nОльга;Продажи\n".encode("cp1251")) == "cp1251"
    assert detect_encoding("ID;NAME\nX;ОЛЬГА СМИРНОВА\n".encode("cp1251")) == "cp1251"
    assert detect_encoding("الاسم,الفريق\nيوسف خليل,المبيعات\n".encode("cp1256")) == "cp1256"
    assert detect_encoding(b"a,b\n") == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfa,b\n") == "utf-8-sig"
    assert sniff_delimiter('a;b;"c;d"\n1;2;3\n') == ";"
    assert sniff_delimiter("a,b\tc\n1,2\t3\n4,5\t6\n") in (",", "\t")


def test_header_synonyms_in_several_languages() -> None:
    assert normalise_header("  Agent-ID ") == "agent id"
    mapping = auto_mapping(
        ImportKind.INTERACTIONS,
        [
            "ID звонка",
            "Дата и время",
            "Оператор",
            "Канал",
            "Длительность",
            "Очередь",
        ],
    )
    assert mapping.columns == {
        "external_id": "ID звонка",
        "started_at": "Дата и время",
        "agent_name": "Оператор",
        "channel": "Канал",
        "duration": "Длительность",
        "queue": "Очередь",
    }
    arabic = auto_mapping(ImportKind.SURVEYS, ["رقم المكالمة", "الرضا", "التوصية"])
    assert arabic.columns == {"external_id": "رقم المكالمة", "csat": "الرضا", "nps": "التوصية"}


def test_header_found_below_a_title_line(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "Call log export, March\n\nCall ID,Start,Agent\nC1,2026-03-01 10:00,x\n", encoding="utf-8"
    )
    table = read_table(path, lambda row: sum(1 for v in row if v in ("Call ID", "Start")) >= 2)
    assert table.header_row == 3 and table.headers == ("Call ID", "Start", "Agent")
    assert list(table.rows()) == [(4, ["C1", "2026-03-01 10:00", "x"])]


def test_dates_local_formats_and_jalali() -> None:
    from zoneinfo import ZoneInfo

    tehran = ZoneInfo("Asia/Tehran")
    assert jalali_to_gregorian(1403, 1, 1) == date(2024, 3, 20)
    assert parse_moment("۱۴۰۳/۰۵/۱۲ ۱۰:۲۰", tehran).astimezone(UTC) == datetime(
        2024, 8, 2, 6, 50, tzinfo=UTC
    )
    assert parse_moment("31.12.2025 23:59", tehran).date() == date(2025, 12, 31)
    assert parse_moment("03/15/2026 2:30 PM", tehran, day_first=False).hour == 14
    assert parse_moment("2026-03-01T10:00:00Z", tehran).utcoffset().total_seconds() == 0
    with pytest.raises(ValueError, match="not a valid date"):
        parse_moment("31/02/2026", tehran)


# -- call logs -----------------------------------------------------------------------------
def _log(tmp_path: Path, lines: list[str], name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD_LOG = [
    "Call ID,Start time,Agent ID,Channel,Direction,Duration,Customer,Resolved",
    "C-1,2026-03-01 10:00,ext-17,phone,inbound,5:12,CUST-1,yes",
    "C-2,02/03/2026 11:30,ext-17,chat,outbound,75,CUST-2,no",
    "C-3,1404/12/11 09:15,ext-17,تلفن,ورودی,0:00:30,CUST-3,",
]


def test_call_log_imported_in_the_centre_zone(
    imports: ImportService, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    report = imports.run_import(_log(tmp_path, GOOD_LOG), ImportKind.INTERACTIONS)
    assert (report.created, report.updated, report.refused) == (3, 0, ())
    first = services.interactions.find_interaction("C-1")
    assert first is not None
    assert first.started_at == datetime(2026, 3, 1, 6, 30, tzinfo=UTC)  # 10:00 in Tehran
    assert first.local_date == date(2026, 3, 1) and first.duration_s == 312
    assert first.team_id == seeded.team.id and first.resolved_first_contact is True
    second = services.interactions.find_interaction("C-2")
    assert second is not None and second.local_date == date(2026, 3, 2)
    assert second.channel.value == "chat" and second.direction.value == "outbound"
    third = services.interactions.find_interaction("C-3")
    assert third is not None and third.local_date == date(2026, 3, 2)  # 11 Esfand 1404


def test_xlsx_call_log(
    imports: ImportService, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Interaction ID", "Date", "Time", "Agent", "Talk time"])
    ws.append([1001, datetime(2026, 3, 5), "14:05", "Sara Ahmadi", 95])
    ws.append(["X-2", datetime(2026, 3, 5, 8, 0), None, "sara ahmadi", None])
    wb.save(tmp_path / "log.xlsx")
    report = imports.run_import(tmp_path / "log.xlsx", ImportKind.INTERACTIONS)
    assert report.created == 2, report.refused
    call = services.interactions.find_interaction("1001")  # a number cell is still an id
    assert call is not None and call.started_at == datetime(2026, 3, 5, 10, 35, tzinfo=UTC)


BAD_LOG = [
    "Call ID,Start time,Agent ID,Channel,Duration",
    "C-1,2026-03-01 10:00,ext-17,phone,60",
    ",2026-03-01 10:05,ext-17,phone,60",
    "C-3,yesterday,ext-17,phone,60",
    "C-4,2026-03-01 10:10,nobody,phone,60",
    "C-5,2026-03-01 10:15,ext-17,pigeon,60",
    "C-6,2026-03-01 10:20,ext-17,phone,-5",
    "C-1,2026-03-01 10:25,ext-17,phone,60",
    "C-8,2026-03-01 10:30,ext-17,email,60",
]


def test_every_bad_row_is_reported_and_nothing_is_half_imported(
    imports: ImportService, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    path = _log(tmp_path, BAD_LOG)
    before = services.db.execute("SELECT count(*) FROM interactions").fetchone()[0]
    report = imports.run_import(path, ImportKind.INTERACTIONS)
    assert not report.committed and report.imported == 0
    assert services.db.execute("SELECT count(*) FROM interactions").fetchone()[0] == before
    got = [(p.row, p.column) for p in report.refused]
    assert got == [
        (3, "Call ID"),
        (4, "Start time"),
        (5, "Agent ID"),
        (6, "Channel"),
        (7, "Duration"),
        (8, "Call ID"),
    ]
    reasons = [p.reason for p in report.refused]
    assert "empty" in reasons[0] and "yesterday" in reasons[1]
    assert "not in the roster" in reasons[2] and "pigeon" in reasons[3]
    assert "negative" in reasons[4] and "also on row 2" in reasons[5]
    assert str(report.refused[0]).startswith("calls.csv, row 3, column 'Call ID': ")
    assert report.total_rows == 8

    partial = imports.run_import(path, ImportKind.INTERACTIONS, allow_partial=True)
    assert partial.committed and (partial.created, len(partial.refused)) == (2, 6)
    assert services.interactions.find_interaction("C-8") is not None


def test_reimport_creates_no_duplicates_and_updates_evaluations(
    imports: ImportService, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    path = _log(tmp_path, GOOD_LOG)
    imports.run_import(path, ImportKind.INTERACTIONS)
    call = services.interactions.find_interaction("C-1")
    assert call is not None
    ev = services.evaluations.start_evaluation(call.id, seeded.version.id, seeded.reviewer.id)
    services.evaluations.save_draft(ev.id, passing_answers())
    services.evaluations.submit(ev.id)
    other = services.people.add_agent("Reza Karimi", team_id=seeded.team.id, external_id="ext-99")
    moved = [
        GOOD_LOG[0],
        GOOD_LOG[1].replace("ext-17", "ext-99").replace("10:00", "23:00"),
        *GOOD_LOG[2:],
    ]
    report = imports.run_import(_log(tmp_path, moved, "again.csv"), ImportKind.INTERACTIONS)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    count = services.db.execute("SELECT count(*) FROM interactions WHERE external_id LIKE 'C-%'")
    assert count.fetchone()[0] == 3
    rows = services.evaluations.list_evaluations(EvaluationFilter(agent_ids=(other.id,)))
    assert [r.id for r in rows] == [ev.id]  # the evaluation follows its interaction
    assert rows[0].interaction_date == date(2026, 3, 1)


def test_reimport_updates_the_duration_and_resolution_a_file_corrects(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    """Regression: the fields 'duration' and 'resolved' fill the columns duration_s and
    resolved_first_contact, and a re-import left those two unchanged while it reported
    every row updated."""
    imports.run_import(_log(tmp_path, GOOD_LOG), ImportKind.INTERACTIONS)
    corrected = [GOOD_LOG[0], GOOD_LOG[1].replace("5:12", "6:40").replace(",yes", ",no")]
    report = imports.run_import(_log(tmp_path, corrected, "fixed.csv"), ImportKind.INTERACTIONS)
    assert (report.created, report.updated) == (0, 1)
    call = services.interactions.find_interaction("C-1")
    assert call is not None
    assert (call.duration_s, call.resolved_first_contact) == (400.0, False)
    # A blank cell keeps what is stored.
    blank = [GOOD_LOG[0], "C-1,2026-03-01 10:00,ext-17,phone,inbound,,CUST-1,"]
    imports.run_import(_log(tmp_path, blank, "blank.csv"), ImportKind.INTERACTIONS)
    call = services.interactions.find_interaction("C-1")
    assert call is not None
    assert (call.duration_s, call.resolved_first_contact) == (400.0, False)


# -- surveys ---------------------------------------------------------------------------------
def test_surveys_match_interactions_and_check_scales(
    imports: ImportService, services: Services, seeded: Seed, tmp_path: Path
) -> None:
    imports.run_import(_log(tmp_path, GOOD_LOG), ImportKind.INTERACTIONS)
    surveys = _log(
        tmp_path,
        [
            "Call ID;CSAT;NPS;CES;Survey date",
            "C-1;5;9;6;2026-03-02",
            "C-2;6;;;",
            "C-404;4;;;",
            "C-3;;10;;",
        ],
        "surveys.csv",
    )
    report = imports.run_import(surveys, ImportKind.SURVEYS)
    assert not report.committed
    assert [(p.row, p.column) for p in report.refused] == [(3, "CSAT"), (4, "Call ID")]
    assert "from 1 to 5" in report.refused[0].reason
    report = imports.run_import(surveys, ImportKind.SURVEYS, allow_partial=True)
    assert report.committed and report.updated == 2
    again = imports.run_import(surveys, ImportKind.SURVEYS, allow_partial=True)
    assert (again.updated, again.unchanged) == (0, 2)
    first = services.interactions.find_interaction("C-1")
    assert first is not None and (first.csat, first.nps, first.ces) == (5, 9, 6)
    # A blank cell keeps what is stored.
    again = _log(tmp_path, ["Call ID,NPS", "C-1,7"], "nps.csv")
    imports.run_import(again, ImportKind.SURVEYS)
    first = services.interactions.find_interaction("C-1")
    assert first is not None and (first.csat, first.nps) == (5, 7)


# -- roster and mappings ---------------------------------------------------------------------
def test_roster_reimport_updates_and_refuses_clashes(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    path = _write(tmp_path / "r.csv", ROSTER, "utf-8", ",")
    imports.run_import(path, ImportKind.ROSTER)
    again = imports.run_import(path, ImportKind.ROSTER)
    assert (again.created, again.updated, again.refused) == (0, 0, ())
    assert len(services.people.list_agents()) == 3 + 1  # and the seeded agent
    changed = [
        ROSTER[0],
        ["AG1", "Сара Иванова", "Retention", "new@centre.example"],
        ["AG9", "Olga Petrova", "", ""],
        ["AG3", "Мария Смирнова", "", "bad address"],
    ]
    report = imports.run_import(
        _write(tmp_path / "r2.csv", changed, "utf-8", ","), ImportKind.ROSTER, allow_partial=True
    )
    assert report.updated == 1
    assert [(p.row, p.column) for p in report.refused] == [(3, "Agent ID"), (4, "Email")]
    agent = services.people.find_agent("AG1")
    assert agent is not None and agent.email == "new@centre.example"


def test_mapping_is_remembered_and_missing_columns_stop_the_import(
    imports: ImportService, seeded: Seed, tmp_path: Path
) -> None:
    odd = _log(tmp_path, ["Ref,When,Who", "C-1,2026-03-01 10:00,ext-17"], "odd.csv")
    with pytest.raises(ImportInputError, match="no column chosen for Interaction id"):
        imports.run_import(odd, ImportKind.INTERACTIONS)
    preview = imports.preview(odd, ImportKind.INTERACTIONS)
    assert "Interaction id" in preview.missing[0] and not preview.ready
    mapping = (
        preview.mapping.with_column("external_id", "Ref")
        .with_column("started_at", "When")
        .with_column("agent_external_id", "Who")
    )
    assert imports.run_import(odd, ImportKind.INTERACTIONS, mapping).created == 1
    assert imports.suggested_mapping(ImportKind.INTERACTIONS, ("Ref", "When", "Who")) == mapping
    with pytest.raises(ImportInputError, match="does not exist"):
        imports.run_import(tmp_path / "nope.csv", ImportKind.INTERACTIONS)
    with pytest.raises(ValueError, match="no field"):
        mapping.with_column("csat", "Ref")


def test_progress_and_cancel(imports: ImportService, services: Services, tmp_path: Path) -> None:
    header = "Call ID,Start time,Agent ID"
    lines = [header, *(f"C-{i},2026-03-01 10:00,ext-17" for i in range(5000))]
    seen: list[tuple[int, int]] = []
    report = imports.run_import(
        _log(tmp_path, lines), ImportKind.INTERACTIONS, progress=lambda d, t: seen.append((d, t))
    )
    assert report.created == 5000
    assert seen == [(2000, 5000), (4000, 5000)]
    more = [header, *(f"D-{i},2026-03-01 10:00,ext-17" for i in range(3000))]
    with pytest.raises(ImportCancelled):
        imports.run_import(
            _log(tmp_path, more, "more.csv"), ImportKind.INTERACTIONS, cancelled=lambda: True
        )
    assert services.interactions.find_interaction("D-1") is None
