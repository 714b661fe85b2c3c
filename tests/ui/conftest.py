"""UI tests see the texts users see: the English plural forms are installed once for
the whole run (as ``create_application`` does), so no test depends on whether an
earlier one happened to build the application."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from qa_monitor.app import install_plurals


@pytest.fixture(scope="session", autouse=True)
def english_plurals(qapp: QApplication) -> Iterator[None]:
    assert install_plurals(qapp) is not None
    yield
