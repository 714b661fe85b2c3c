"""Hostile input files, each run through the real command line: refused within 5 s and 300 MB?

    python benchmarks/hostile_files.py [--out DIR] [--only NAME ...]

Writes each file into DIR (a temporary folder unless given), runs the command a user
would run on it (``python -m qa_monitor forms validate``, ``score --answers``,
``import``, ``forms import-sheet``) in a child process, and prints a table: file,
size, wall time, the child's CPU time and peak memory (its own ``ru_maxrss``, measured
with ``os.wait4`` in a small launcher process, so Linux and macOS only), the target
and the first line of the message. The process exits 1 when any file misses its target
or is not refused.

The files (tests/reliability/test_hostile_files.py runs small versions of each):
- ``alias_bomb.yaml``: nine anchors that each repeat the one before nine times (9⁹
  strings) in under 462 bytes, and a duplicate key, whose error message printed it all
  (past 120 s and 11.9 GB before the limits).
- ``alias_amplified.yaml``: one question aliased into thousands of questions (790 bytes
  took 18 s: each repeated id re-validated the whole form).
- ``deep.yaml``: 5,000 nested brackets.
- ``answers_*.yaml``: an answers file with an alias bomb, deep nesting, ``na: maybe``,
  ``timestamp_ms: .inf``.
- ``zip_bomb.xlsx``: one shared string of 1.5 GB of one letter, deflated to ~1.6 MB.
- ``rows_20m.xlsx``, ``strings_20m.xlsx``: 20 million rows or 20 million shared
  strings, under 3 MB.
- ``long_text.xlsx``: one 60 MB text that compresses 77 to 1, under the ratio limit.
- ``entities.xlsx``: XML entity expansion in the shared strings (defusedxml refuses it).
- ``field_50mb.csv``: a call log whose second row has a 50 MB field.
- ``field_in_99mb.csv``: 99 MB of calls (just under the 100 MB limit, so decoded whole)
  with a runaway field in row 3.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 5.0
TARGET_MB = 300.0

FORM_HEAD = "format: qa-monitor-form/1\nid: hostile\ntitle: Hostile\n"
SMALL_FORM = FORM_HEAD + (
    "sections:\n  - id: s\n    title: S\n    category: soft_skills\n    questions:\n"
    "      - {id: greeting, text: Greeted, type: yes_no, points: 5, allow_na: true}\n"
)


# -- YAML ------------------------------------------------------------------------------------
def alias_bomb(levels: int = 9, head: str = FORM_HEAD) -> str:
    """The "billion laughs": 9**levels strings, and a duplicate key after them."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append(f"{previous}: 1")
    return head + "\n".join(lines) + "\n"


def alias_amplified(copies: int = 250) -> str:
    """One question, aliased ``copies`` times in each of four sections."""
    question = "&q {id: q, text: Q, type: yes_no, points: 1}"
    body = FORM_HEAD + "sections:\n"
    for index in range(4):
        first = question if index == 0 else "*q"
        items = ",".join(["*q"] * (copies - 1))
        body += (
            f"  - {{id: s{index}, title: S, category: soft_skills, questions: [{first},{items}]}}\n"
        )
    return body


def deep(levels: int = 5000, head: str = FORM_HEAD) -> str:
    return head + "description: " + "[" * levels + "]" * levels + "\n"


# -- workbooks --------------------------------------------------------------------------------
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Calls" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
)
# Two header cells (shared strings 0 and 1) so the file looks like a call log.
_HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def write_workbook(
    path: Path,
    sheet_parts: Callable[[], object],
    strings_parts: Callable[[], object],
) -> None:
    """An .xlsx written part by part (deflated), the sheet and shared strings streamed
    from the given generators of text pieces, so gigabytes never sit in memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (
            ("xl/sharedStrings.xml", strings_parts),
            ("xl/worksheets/sheet1.xml", sheet_parts),
        ):
            with book.open(name, "w", force_zip64=True) as out:
                for piece in parts():  # type: ignore[attr-defined]
                    out.write(piece.encode() if isinstance(piece, str) else piece)


def _strings(*texts: str) -> Callable[[], object]:
    def parts():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}">'
        for text in texts:
            yield f"<si><t>{text}</t></si>"
        yield "</sst>"

    return parts


def _sheet(rows: int = 0, *, dimension: str = "") -> Callable[[], object]:
    def parts():
        yield _SHEET_HEAD
        if dimension:
            yield f'<dimension ref="{dimension}"/>'
        yield "<sheetData>" + _HEADER_ROW
        block = "<row><c><v>1</v></c><c><v>2</v></c></row>" * 10_000
        for _ in range(rows // 10_000):
            yield block
        yield "<row><c><v>1</v></c><c><v>2</v></c></row>" * (rows % 10_000)
        yield "</sheetData></worksheet>"

    return parts


def rows_workbook(path: Path, rows: int = 20_000_000, *, dimension: str = "") -> None:
    write_workbook(path, _sheet(rows, dimension=dimension), _strings("call_id", "agent"))


def strings_workbook(path: Path, strings: int = 20_000_000) -> None:
    def parts():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}">'
        yield "<si><t>call_id</t></si><si><t>agent</t></si>"
        block = "<si><t>x</t></si>" * 10_000
        for _ in range(strings // 10_000):
            yield block
        yield "<si><t>x</t></si>" * (strings % 10_000)
        yield "</sst>"

    write_workbook(path, _sheet(0), parts)


def zip_bomb(path: Path, megabytes: int = 1536) -> None:
    """One shared string of ``megabytes`` MB of one letter."""

    def parts():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}">'
        yield "<si><t>call_id</t></si><si><t>"
        block = b"A" * 1_048_576
        for _ in range(megabytes):
            yield block
        yield "</t></si></sst>"

    write_workbook(path, _sheet(0), parts)


def long_text(path: Path, megabytes: int = 60, gap: int = 150) -> None:
    """One shared string of ``megabytes`` MB, a varying letter every ``gap`` bytes so it
    compresses about 77 to 1, under the ratio limit (1.6 MB for 120 MB)."""

    def parts():
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}">'
        yield "<si><t>call_id</t></si><si><t>"
        letter = 0
        for _ in range(megabytes):
            block = bytearray(b"A" * 1_048_576)
            for index in range(0, len(block), gap):
                letter = (letter * 1_103_515_245 + 12_345) % 2**31  # a fixed pseudo-random walk
                block[index] = 66 + (letter >> 16) % 24
            yield bytes(block)
        yield "</t></si></sst>"

    write_workbook(path, _sheet(0), parts)


def entities_workbook(path: Path, levels: int = 9) -> None:
    """Shared strings whose DTD expands one entity into 10**levels letters."""

    def parts():
        yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst ['
        yield '<!ENTITY e0 "AAAAAAAAAA">'
        for level in range(1, levels + 1):
            yield f'<!ENTITY e{level} "' + f"&e{level - 1};" * 10 + '">'
        yield f']>\n<sst xmlns="{_MAIN}"><si><t>call_id</t></si><si><t>&e{levels};</t></si></sst>'

    write_workbook(path, _sheet(0), parts)


# -- text ---------------------------------------------------------------------------------
def csv_with_field(path: Path, field_chars: int = 50 * 1024 * 1024) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("call_id,agent,started_at,duration_s\n")
        out.write("c1,Ana Ruiz,2026-03-02 09:15,312\n")
        out.write('c2,"')
        chunk = "x" * 1_048_576
        for _ in range(field_chars // len(chunk)):
            out.write(chunk)
        out.write("x" * (field_chars % len(chunk)))
        out.write('",2026-03-02 09:20,100\n')


def csv_near_the_size_limit(path: Path) -> None:
    """99 MB of calls with a runaway field in row 3: the most a text import decodes."""
    row = "".join(
        f"c{i},Agent {i % 300},2026-03-02 09:{i % 60:02d},{i % 900}\n" for i in range(10_000)
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("call_id,agent,started_at,duration_s\nc1,Ana Ruiz,2026-03-02 09:15,312\n")
        out.write('c2,"' + "x" * 200_000 + '",2026-03-02 09:20,100\n')
        written = 0
        while written < 99 * 1_048_576 - len(row):
            written += out.write(row)


# -- running ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    command: Callable[[Path, Path], list[str]]  # (file, work dir) -> arguments after -m


def _text(content: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text(content, encoding="utf-8")

    return make


def _validate(path: Path, _work: Path) -> list[str]:
    return ["forms", "validate", str(path)]


def _score(path: Path, work: Path) -> list[str]:
    form = work / "small_form.yaml"
    form.write_text(SMALL_FORM, encoding="utf-8")
    return ["score", "--form", str(form), "--answers", str(path)]


def _import(path: Path, work: Path) -> list[str]:
    return ["--db", str(work / "hostile.db"), "import", "interactions", str(path)]


def _import_sheet(path: Path, work: Path) -> list[str]:
    return ["forms", "import-sheet", str(path), "-o", str(work / "out.yaml"), "--force"]


CASES = (
    Case("alias_bomb.yaml", _text(alias_bomb()), _validate),
    Case("alias_amplified.yaml", _text(alias_amplified()), _validate),
    Case("deep.yaml", _text(deep()), _validate),
    Case("answers_alias_bomb.yaml", _text(alias_bomb(head="greeting: yes\n")), _score),
    Case("answers_deep.yaml", _text(deep(head="")), _score),
    Case("answers_na_maybe.yaml", _text("greeting: {value: yes, na: maybe}\n"), _score),
    Case("answers_ts_inf.yaml", _text("greeting: {value: yes, timestamp_ms: .inf}\n"), _score),
    Case("zip_bomb.xlsx", zip_bomb, _import),
    Case("zip_bomb_sheet.xlsx", zip_bomb, _import_sheet),
    Case("long_text.xlsx", long_text, _import),
    Case("rows_20m.xlsx", rows_workbook, _import),
    Case("strings_20m.xlsx", strings_workbook, _import),
    Case("entities.xlsx", entities_workbook, _import),
    Case("field_50mb.csv", csv_with_field, _import),
    Case("field_in_99mb.csv", csv_near_the_size_limit, _import),
)


@dataclass(frozen=True)
class Outcome:
    size: int  # bytes of the file
    wall_s: float
    cpu_s: float  # the child's user + system time: what a busy machine does not inflate
    peak_mb: float  # the child's own peak resident memory
    exit_code: int
    message: str  # the first line it printed (stderr, else stdout)


# Runs the command given in its arguments and prints the child's exit code, CPU seconds
# and peak resident kilobytes (wait4). Linux counts a process's peak from the memory
# of the process that forked it (fork copies the mappings, exec keeps the figure), so
# a child forked straight from a 440 MB test worker reports 440 MB whatever it does:
# this small launcher forks the command from a ~10 MB process instead.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def run(case: Case, work: Path) -> Outcome:
    """Write ``case``'s file into ``work`` and run its command on it in a child process."""
    path = work / case.name
    case.make(path)
    args = [sys.executable, "-m", "qa_monitor", *case.command(path, work)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    with (work / "out.txt").open("w+b") as out, (work / "err.txt").open("w+b") as err:
        launcher = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *args],
            stdout=subprocess.PIPE,
            stderr=err,
            env={**env, "PYTHONUNBUFFERED": "1"},
            cwd=work,
            check=False,
        )
        wall = time.perf_counter() - started
        err.seek(0)
        # The command's own output went to the launcher's stdout before the figures line.
        lines = launcher.stdout.decode("utf-8", "replace").strip().splitlines()
        code_text, cpu_text, rss_text = lines[-1].split()
        out.write("\n".join(lines[:-1]).encode())
        out.seek(0)
        text = (err.read() or out.read()).decode("utf-8", "replace").strip().splitlines()
    kib = int(rss_text)
    peak = kib / (1_048_576 if sys.platform == "darwin" else 1024)
    message = next((line.strip() for line in text if "problem(s)" not in line), "")
    return Outcome(path.stat().st_size, wall, float(cpu_text), peak, int(code_text), message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the files (default: temporary)")
    parser.add_argument("--only", nargs="*", help="run only these files")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if not args.only or c.name in args.only]
    with tempfile.TemporaryDirectory() as temporary:
        work = args.out or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        print(
            f"{'file':<26} {'size':>9} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} {'exit':>4}"
            "  target  message"
        )
        missed = 0
        for case in cases:
            got = run(case, work)
            ok = (
                got.wall_s <= TARGET_S
                and got.peak_mb <= TARGET_MB
                and got.exit_code != 0
                and "Traceback" not in got.message
            )
            missed += not ok
            print(
                f"{case.name:<26} {_size(got.size):>9} {got.wall_s:>7.2f} {got.cpu_s:>6.2f} "
                f"{got.peak_mb:>8.0f} {got.exit_code:>4}  {'ok' if ok else 'MISSED':<6}  "
                f"{got.message[:160]}"
            )
            if args.out is None:
                (work / case.name).unlink()
    print(
        f"\ntarget: refused (exit ≠ 0, a sentence) within {TARGET_S:.0f} s and {TARGET_MB:.0f} MB"
    )
    return 1 if missed else 0


def _size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} B"


if __name__ == "__main__":
    sys.exit(main())
