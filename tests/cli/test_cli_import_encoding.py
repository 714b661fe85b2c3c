"""``qa-monitor import --encoding``: reading a text file the detector gets wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_monitor.cli import main
from qa_monitor.services import Services
from qa_monitor.tabular_read import detect_encoding

# charset-normalizer reads this short Cyrillic roster as Western European ("Ìàðèÿ").
ROSTER = "Name;Team\nМария;Sales\n".encode("cp1251")


def _names(db: Path) -> set[str]:
    with Services.open(db) as services:
        return {a.name for a in services.people.list_agents()}


def test_encoding_override_reads_what_detection_got_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER)
    assert detect_encoding(ROSTER) == "cp1252"
    guessed, chosen = tmp_path / "guessed.db", tmp_path / "chosen.db"
    Services.open(guessed).close()
    Services.open(chosen).close()
    assert main(["--db", str(guessed), "import", "roster", str(roster)]) == 0
    assert _names(guessed) == {"Ìàðèÿ"}
    args = ["--db", str(chosen), "import", "roster", str(roster), "--encoding", "cp1251"]
    assert main(args) == 0
    assert "1 added" in capsys.readouterr().out
    assert _names(chosen) == {"Мария"}


def test_an_unknown_encoding_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "qa.db"
    Services.open(db).close()
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER)
    assert main(["--db", str(db), "import", "roster", str(roster), "--encoding", "cp9999"]) == 2
    assert "'cp9999' is not an encoding; use one of utf-8, cp1252" in capsys.readouterr().err
