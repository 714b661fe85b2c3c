"""The seven edits of issue 13, made with plain sqlite3, each caught by ``qa-monitor check``.

    python benchmarks/tamper_demo.py [--keep FOLDER]

Builds a small database through QA Monitor (submits, a re-score, status changes, a
discarded draft, a call moved to another agent), checks it (clean), then for each edit
copies it, makes the edit with Python's plain ``sqlite3`` (no QA Monitor code on the
connection) and prints what ``qa-monitor --db COPY check`` says and its exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa_monitor.cli import main as cli
from qa_monitor.services import Services
from tests.factories import FakeClock
from tests.services.test_tamper_evidence import _raise_points, _work

Edit = Callable[[sqlite3.Connection, dict[str, int]], str]


def _reason(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    conn.execute(
        "UPDATE audit_log SET reason = 'typo' WHERE id ="
        " (SELECT min(id) FROM audit_log WHERE reason <> '')"
    )
    return "UPDATE audit_log SET reason = 'typo' WHERE id = <first entry with a reason>"


def _delete(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    conn.execute("DELETE FROM audit_log WHERE evaluation_id = ?", [ids["failing"]])
    return f"DELETE FROM audit_log WHERE evaluation_id = {ids['failing']}"


def _backdate(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    conn.execute(
        "INSERT INTO audit_log (evaluation_id, at, actor_id, action, field, old, new, reason)"
        " VALUES (?, '2025-01-02T09:00:00.000Z', ?, 'status', 'status', 'submitted',"
        " 'acknowledged', '')",
        [ids["passing"], ids["reviewer"]],
    )
    return "INSERT INTO audit_log (...) VALUES (..., '2025-01-02T09:00:00.000Z', ...)"


def _score(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    (old,) = conn.execute("SELECT score FROM evaluations WHERE id = ?", [ids["failing"]]).fetchone()
    conn.execute("UPDATE evaluations SET score = 100, passed = 1 WHERE id = ?", [ids["failing"]])
    return f"UPDATE evaluations SET score = 100, passed = 1 (was {old:.1f})"


def _answer(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    conn.execute(
        "UPDATE answers SET value = '\"yes\"' WHERE evaluation_id = ? AND question_id = 'greet'",
        [ids["failing"]],
    )
    return "UPDATE answers SET value = '\"yes\"' WHERE question_id = 'greet' (was \"no\")"


def _trigger(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    conn.execute("DROP TRIGGER form_versions_published_no_update")
    return "DROP TRIGGER form_versions_published_no_update"


def _points(conn: sqlite3.Connection, ids: dict[str, int]) -> str:
    _raise_points(conn, ids["version"])
    return (
        "drop the two guarding triggers, multiply a question's points by 5 in the"
        " definition and form_questions, re-create the triggers exactly"
    )


EDITS: tuple[tuple[str, Edit], ...] = (
    ("1. an audit entry's reason changed", _reason),
    ("2. audit rows deleted", _delete),
    ("3. a back-dated audit entry inserted", _backdate),
    ("4. an evaluation's score raised to 100", _score),
    ("5. an answer changed", _answer),
    ("6. a trigger dropped", _trigger),
    ("7. a published form version's points changed", _points),
)


def _check(path: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli(["--db", str(path), "check"])
    return code, out.getvalue().strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the databases here and keep them")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the findings are printed below, once
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        base = folder / "base.db"
        with Services.open(base, clock=FakeClock()) as services:
            ids = _work(services)
        code, text = _check(base)
        print(f"unchanged database: exit {code}\n  {text}\n")
        caught = 0
        for n, (title, edit) in enumerate(EDITS, start=1):
            copy = folder / f"edit{n}.db"
            shutil.copyfile(base, copy)
            with contextlib.closing(sqlite3.connect(copy, isolation_level=None)) as conn:
                what = edit(conn, ids)
            code, text = _check(copy)
            caught += code == 1
            print(f"{title}\n  sqlite3: {what}\n  qa-monitor check: exit {code}\n  {text}\n")
        print(f"{caught} of {len(EDITS)} edits detected")
    return 0 if caught == len(EDITS) else 1


if __name__ == "__main__":
    sys.exit(main())
