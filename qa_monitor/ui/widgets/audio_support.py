"""QtMultimedia, loaded only when a recording is to be played, and why it cannot be.

On Linux ``libQt6Multimedia`` links the PulseAudio client library, so without the
``libpulse0`` package ``import PySide6.QtMultimedia`` fails. That must disable playback,
never stop the app: the recording player and ``--self-test`` both ask here.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
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


def recordings_load(files: Sequence[Path], timeout_ms: int = 5_000) -> str | None:
    """Open each recording with a media player, as the recording player does, without
    playing it; None when every one loads, else why the first one did not. Importing
    QtMultimedia is not enough: its backend (the FFmpeg plugin and the libraries that
    plugin links) loads only here, so a bundle missing one of those passed an import
    check and could play nothing. Needs a Q(Gui)Application."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl

    module = importlib.import_module("PySide6.QtMultimedia")
    player = module.QMediaPlayer()
    if not player.isAvailable():
        return "no media backend loaded (Qt's FFmpeg plugin or a library it needs is missing)"
    status = module.QMediaPlayer.MediaStatus
    for path in files:
        loop = QEventLoop()
        player.mediaStatusChanged.connect(
            lambda s, loop=loop: (
                loop.quit() if s in (status.LoadedMedia, status.InvalidMedia) else None
            )
        )
        QTimer.singleShot(timeout_ms, loop.quit)
        player.setSource(QUrl.fromLocalFile(str(path)))
        if player.mediaStatus() not in (status.LoadedMedia, status.InvalidMedia):
            loop.exec()
        player.mediaStatusChanged.disconnect()
        if player.mediaStatus() != status.LoadedMedia:
            reason = (
                player.errorString() or f"still {player.mediaStatus().name} after {timeout_ms} ms"
            )
            return f"{path.name} did not load: {reason}"
    return None
