"""Child process for test_database_lock: open a database as the app does (its lock
included), say READY, then wait to be killed. Not a test module (no test_ prefix)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from qa_monitor.ui.session import open_session


def main() -> None:
    app = QApplication([])
    session = open_session(Path(sys.argv[1]), None)
    assert session is not None and session.lock.held
    print("READY", flush=True)
    time.sleep(120)
    del app


if __name__ == "__main__":
    main()
