"""Service tests run on real SQLite files in a temporary folder with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_monitor.services import Services
from tests.factories import FakeClock, Seed, seed


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    with Services.open(tmp_path / "qa.db", clock=clock) as opened:
        yield opened


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)
