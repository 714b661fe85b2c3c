"""One generated database per test session, copied for each test that changes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.real_db import make_database


@pytest.fixture(scope="session")
def real_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_database(tmp_path_factory.mktemp("real") / "real.db")
