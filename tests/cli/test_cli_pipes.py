"""Output piped into a reader that stops early (`qa-monitor score ... | head -1`).

Real processes: the reader's end of the pipe is closed before the command writes, so
the write always meets a closed pipe (no race with how fast `head` would be).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qa_monitor.cli import PIPE_CLOSED

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
FORMS = sorted(str(p) for p in (ROOT / "forms").glob("*.yaml"))


def run_into_closed_pipe(*args: str) -> tuple[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa_monitor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away at once, as `head` does after its lines
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize(
    "args",
    [
        (
            "score",
            "--form",
            str(ROOT / "forms" / "compliance_call.yaml"),
            "--answers",
            str(DATA / "compliance_answers.yaml"),
        ),
        ("forms", "validate", *FORMS * 20),  # more than a pipe buffer of output
    ],
    ids=["score", "forms-validate"],
)
def test_closed_pipe_ends_quietly_with_the_documented_code(args: tuple[str, ...]) -> None:
    code, err = run_into_closed_pipe(*args)
    assert err == ""  # no traceback, no "Exception ignored" at interpreter exit
    assert code == PIPE_CLOSED == 141


def test_help_into_a_closed_pipe_prints_no_traceback() -> None:
    code, err = run_into_closed_pipe("--help")
    assert err == ""
    assert code in (0, PIPE_CLOSED)  # argparse itself ignores a failed write of the help


def test_head_reads_the_first_line_and_the_command_ends_cleanly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa_monitor", "forms", "validate", *FORMS * 20],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline().decode()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    assert first.endswith(": OK\n")
    assert proc.wait(timeout=120) in (0, PIPE_CLOSED)
    assert "Traceback" not in err and "BrokenPipeError" not in err
