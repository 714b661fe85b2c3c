"""QtMultimedia, loaded only when a recording is to be played, and why it cannot be.

On Linux ``libQt6Multimedia`` links the PulseAudio client library, so without the
``libpulse0`` package ``import PySide6.QtMultimedia`` fails. That must disable playback,
never stop the app: the recording player and ``--self-test`` both ask here.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Multimedia:
    module: ModuleType | None
    error: str  # why the module could not be loaded ("" when it was)

    @property
    def missing_package(self) -> str | None:
        """The Debian/Ubuntu package whose absence the error shows, when it is known."""
        if sys.platform.startswith("linux") and "libpulse" in self.error:
            return "libpulse0"
        return None


def load_multimedia() -> Multimedia:
    try:
        module = importlib.import_module("PySide6.QtMultimedia")
    except ImportError as exc:
        return Multimedia(None, str(exc))
    return Multimedia(module, "")
