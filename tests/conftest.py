"""Test-wide setup: Qt runs offscreen, and no test touches the user's real data or settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The data directory and QSettings point into a temporary folder for the whole run."""
    root = tmp_path_factory.mktemp("user-state")
    os.environ["QA_MONITOR_DATA_DIR"] = str(root / "data")
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("QA Monitor Tests")
    QCoreApplication.setApplicationName("QA Monitor Tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "qt"))
    yield root
