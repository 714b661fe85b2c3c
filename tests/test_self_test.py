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
    assert proc.stdout.count("[ok]") == 5 and "FAIL" not in proc.stdout
