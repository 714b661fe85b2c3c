"""The installation self-test passes on the source tree (installers run the same check)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_self_test_passes_in_a_fresh_process():
    proc = subprocess.run(
        [sys.executable, "-m", "qa_monitor", "--self-test"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL" not in proc.stdout
    assert proc.stdout.count("[ok]") == (8 if sys.platform.startswith("linux") else 7)
    assert "[ok] playback" in proc.stdout  # .ci/run installs libpulse0
    assert "[ok] sorting" in proc.stdout


def test_the_sorting_check_says_which_language_sorts_wrong(monkeypatch):
    """What the bundle's trimmed ICU data must keep: a language whose collation is
    missing sorts by code point, and the check says so."""
    import pytest

    from qa_monitor import app

    assert app.collation_check().startswith("Persian, Russian and English")
    by_code_point = ("ل", "ک", "گ")  # what Persian gives without its collation data
    monkeypatch.setattr(app, "COLLATION_SAMPLES", (("fa", ("گ", "ل", "ک"), by_code_point),))
    with pytest.raises(RuntimeError, match="fa words sort as ک گ ل, not ل ک گ"):
        app.collation_check()
