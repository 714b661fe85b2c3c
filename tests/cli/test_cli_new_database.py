"""Starting from nothing: `init`, and `import` into a database that does not exist yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_monitor.cli import main
from qa_monitor.services import Services

ROSTER = "Name;Team\nAnna Smirnova;Support\nReza Karimi;Support\n"


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_import_creates_the_database_and_says_so(
    tmp_path: Path, roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    assert main(["--db", str(db), "import", "roster", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "roster.csv: 2 added" in out
    assert f"Created a new QA Monitor database at {db.resolve()} for this import." in out
    with Services.open(db) as services:
        assert {a.name for a in services.people.list_agents()} == {
            "Anna Smirnova",
            "Reza Karimi",
        }
    # The second time it exists: no "Created" line.
    assert main(["--db", str(db), "import", "roster", str(roster)]) == 0
    assert "Created" not in capsys.readouterr().out


def test_refused_rows_still_leave_the_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text("Call ID;Start;Agent ID\nC-1;soon;ext-1\n", encoding="utf-8")
    db = tmp_path / "calls.db"
    assert main(["--db", str(db), "import", "interactions", str(calls)]) == 1
    out = capsys.readouterr().out
    assert "refused: calls.csv, row 2" in out and "Created a new QA Monitor database" in out
    assert db.exists()


def test_unreadable_import_file_leaves_no_database_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    assert main(["--db", str(db), "import", "roster", str(tmp_path / "missing.csv")]) == 2
    captured = capsys.readouterr()
    assert "does not exist" in captured.err and "Created" not in captured.out
    assert list(tmp_path.iterdir()) == []


def test_no_database_is_made_in_a_folder_that_does_not_exist(
    tmp_path: Path, roster: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "typo" / "new.db"
    for command in (["import", "roster", str(roster)], ["init"]):
        assert main(["--db", str(db), *command]) == 2
        assert capsys.readouterr().err == (
            f"Cannot create a database at '{db}': the folder '{db.parent}' does not exist. "
            "Create the folder first, or choose another path.\n"
        )
    assert not db.parent.exists()


def test_init_creates_an_empty_database_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "qa.db"
    assert main(["--db", str(db), "init"]) == 0
    assert capsys.readouterr().out == (
        f"Created a new, empty QA Monitor database at {db.resolve()}.\n"
    )
    with Services.open(db) as services:
        assert services.people.list_agents() == []
    assert main(["--db", str(db), "init"]) == 0
    assert "There is already a QA Monitor database at" in capsys.readouterr().out
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list", encoding="utf-8")
    assert main(["--db", str(junk), "init"]) == 2
    assert "is not a QA Monitor database" in capsys.readouterr().err
    assert junk.read_text(encoding="utf-8") == "shopping list"


def test_init_uses_the_default_database_without_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qa_monitor import paths

    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    assert main(["init"]) == 0
    default = tmp_path / "data" / "qa-monitor.db"
    assert default.exists() and str(default.resolve()) in capsys.readouterr().out


def test_export_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "none.db"
    assert main(["--db", str(db), "export", str(tmp_path / "x.xlsx")]) == 2
    assert capsys.readouterr().err == (
        f"No database at '{db}'. Give an existing one with --db PATH, or create one with: "
        f'qa-monitor --db "{db}" init\n'
    )
    assert list(tmp_path.iterdir()) == []
