"""Which encoding a text file is read in: UTF-8 (with or without a byte-order mark) and
UTF-16 with one first; otherwise charset-normalizer among the Windows code pages, on a
bounded sample; the decoded sample the preview shows; and the user's override for a
file the detector gets wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_monitor import tabular_read
from qa_monitor.services import Services
from qa_monitor.services.import_mapping import ImportKind
from qa_monitor.services.import_service import ImportInputError, ImportService
from qa_monitor.tabular_read import detect_encoding, read_table
from tests.factories import Seed

WESTERN = "Agent ID;Name;Team\nES1;José Núñez;Ventas\nES2;María Gómez;Soporte\n"
# A short Cyrillic roster that charset-normalizer reads as Western European: nothing in
# "Мария" as cp1252 ("Ìàðèÿ") looks wrong to it.
FOOLS_THE_DETECTOR = "Name;Team\nМария;Sales\n"


@pytest.fixture
def imports(services: Services, seeded: Seed) -> ImportService:
    return ImportService.from_services(services)


def test_a_cp1252_file_is_read_as_western_european(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(WESTERN.encode("cp1252"))
    preview = imports.preview(path, ImportKind.ROSTER)
    assert (preview.encoding, preview.encoding_chosen) == ("cp1252", False)
    assert preview.text_sample[1] == "ES1;José Núñez;Ventas"
    imports.run_import(path, ImportKind.ROSTER)
    assert {"José Núñez", "María Gómez"} <= {a.name for a in services.people.list_agents()}


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")],
)
def test_unicode_files_come_first(encoding: str, detected: str) -> None:
    assert detect_encoding(WESTERN.encode(encoding)) == detected


def test_the_user_can_override_a_wrong_guess(
    imports: ImportService, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_bytes(FOOLS_THE_DETECTOR.encode("cp1251"))
    guessed = imports.preview(path, ImportKind.ROSTER)
    assert guessed.encoding == "cp1252"
    assert guessed.text_sample == ("Name;Team", "Ìàðèÿ;Sales")  # what the user sees
    chosen = imports.preview(path, ImportKind.ROSTER, encoding="windows-1251")
    assert (chosen.encoding, chosen.encoding_chosen) == ("cp1251", True)
    assert chosen.text_sample == ("Name;Team", "Мария;Sales")
    imports.run_import(path, ImportKind.ROSTER, encoding="cp1251")
    assert "Мария" in {a.name for a in services.people.list_agents()}


def test_an_unknown_encoding_is_a_clear_message(imports: ImportService, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Name\nX\n", encoding="utf-8")
    with pytest.raises(ImportInputError, match="'klingon' is not an encoding; use one of utf-8"):
        imports.preview(path, ImportKind.ROSTER, encoding="klingon")


def test_detection_reads_a_bounded_sample_where_the_text_stops_being_ascii(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bytes] = []
    real = tabular_read.from_bytes

    def spy(data: bytes, **kw: object):  # type: ignore[no-untyped-def]
        seen.append(bytes(data))
        return real(data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tabular_read, "from_bytes", spy)
    rows = "".join(f"C{i};2026-03-01 10:00;Sara\n" for i in range(60_000))  # ~1.7 MB ASCII
    tail = "".join(f"E{i};2026-03-02 10:00;José Núñez\n" for i in range(20_000))
    path = tmp_path / "calls.csv"
    path.write_bytes(("Call ID;Start;Agent\n" + rows + tail).encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert len(seen) == 1 and len(seen[0]) <= 256 * 1024
    assert "Núñez".encode("cp1252") in seen[0]  # the sample starts near the first accent
    assert table.text_sample[-1] == "E0;2026-03-02 10:00;José Núñez"  # first non-ASCII line
