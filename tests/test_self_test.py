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
    assert proc.stdout.count("[ok]") == (7 if sys.platform.startswith("linux") else 6)
    assert "[ok] playback" in proc.stdout  # .ci/run installs libpulse0
