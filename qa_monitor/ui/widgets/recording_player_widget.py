"""The call recording beside the form: play, seek, speed, volume, time-stamps, transcript.

A missing or unplayable recording never stops the review: the widget says so inline,
disables its controls and the reviewer goes on scoring (no dialog, no traceback). The
media player is created only when there is a file to play, so screens that never play
audio never start the multimedia backend. Keyboard shortcuts belong to the screen, which
calls ``toggle_play()``, ``skip(ms)`` and ``position_ms()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.ui.widgets.audio_support import load_multimedia
from qa_monitor.ui.widgets.transcript_widget import TranscriptWidget
from qa_monitor.ui.widgets.widget_style import em, format_clock, ltr, muted_label

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

_SPEEDS = (0.75, 1.0, 1.25, 1.5, 2.0)
_READY_NAMES = ("LoadedMedia", "BufferedMedia", "BufferingMedia", "EndOfMedia")


class RecordingPlayerWidget(QWidget):
    timestampRequested = Signal(int)  # the playing position, in milliseconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player: QMediaPlayer | None = None
        self._audio: QAudioOutput | None = None
        self._path: str | None = None
        self._duration = 0
        self.setAccessibleName(self.tr("Recording"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(em(self, 0.4))
        self.message = muted_label("", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(self.tr("Recording status"))
        layout.addWidget(self.message)
        layout.addLayout(self._build_transport())
        layout.addLayout(self._build_settings())
        self.transcript = TranscriptWidget(self)
        layout.addWidget(self.transcript, 1)
        self.load(None)

    # ------------------------------------------------------------------ building
    def _tool(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_transport(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.play_button = self._tool(self.tr("Play"), self.tr("Play"))
        self.play_button.setIcon(self._media_icon(playing=False))
        self.play_button.setMinimumWidth(em(self, 5.5))
        self.play_button.clicked.connect(self.toggle_play)
        self.back_button = self._tool(ltr("−5 s"), self.tr("Back 5 seconds"))
        self.back_button.clicked.connect(lambda: self.skip(-5000))
        self.forward_button = self._tool(ltr("+5 s"), self.tr("Forward 5 seconds"))
        self.forward_button.clicked.connect(lambda: self.skip(5000))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setAccessibleName(self.tr("Position in the recording"))
        self.slider.setSingleStep(1000)
        self.slider.setPageStep(5000)
        self.slider.sliderMoved.connect(self._seek)
        self.slider.actionTriggered.connect(self._slider_action)
        self.time_label = QLabel(self)
        self.time_label.setAccessibleName(self.tr("Elapsed and total time"))
        for widget in (self.play_button, self.back_button, self.forward_button):
            row.addWidget(widget)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        return row

    def _build_settings(self) -> QHBoxLayout:
        row = QHBoxLayout()
        speed_label = QLabel(self.tr("Speed"), self)
        self.speed_combo = QComboBox(self)
        self.speed_combo.setAccessibleName(self.tr("Playback speed"))
        for speed in _SPEEDS:
            self.speed_combo.addItem(ltr(f"{speed:g}×"), speed)
        self.speed_combo.setCurrentIndex(_SPEEDS.index(1.0))
        self.speed_combo.currentIndexChanged.connect(self._speed_changed)
        speed_label.setBuddy(self.speed_combo)
        volume_label = QLabel(self.tr("Volume"), self)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(80)
        self.volume_slider.setMaximumWidth(em(self, 7))
        self.volume_slider.setAccessibleName(self.tr("Volume"))
        self.volume_slider.valueChanged.connect(self._volume_changed)
        volume_label.setBuddy(self.volume_slider)
        self.timestamp_button = self._tool(
            self.tr("Insert timestamp"), self.tr("Insert the current time into the comment")
        )
        self.timestamp_button.clicked.connect(
            lambda: self.timestampRequested.emit(self.position_ms())
        )
        for widget in (speed_label, self.speed_combo, volume_label, self.volume_slider):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.timestamp_button)
        return row

    def _media_icon(self, playing: bool) -> QIcon:
        """Play/pause drawn in the button's text colour at the screen's pixel ratio: sharp on
        high-DPI screens, visible in dark mode, and never mirrored (media symbols are not)."""
        size = em(self, 0.9)
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round(size * ratio), round(size * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.ButtonText))
        if playing:
            bar = size * 0.3
            painter.drawRect(QRectF(size * 0.12, 0, bar, size))
            painter.drawRect(QRectF(size * 0.88 - bar, 0, bar, size))
        else:
            corners = [QPointF(size * 0.1, 0), QPointF(size, size / 2), QPointF(size * 0.1, size)]
            painter.drawPolygon(QPolygonF(corners))
        painter.end()
        return QIcon(pixmap)

    # ------------------------------------------------------------------ loading
    def load(self, path: str | None) -> None:
        """Load a recording; ``None`` or a bad file leaves a message and disabled controls."""
        self._path = path
        self._duration = 0
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())
        self._show_position(0)
        if not path:
            self._fail(
                self.tr("No recording for this interaction. You can still score the evaluation.")
            )
            return
        if not Path(path).is_file():
            self._fail(
                self.tr("Recording not found: %1. You can still score the evaluation.").replace(
                    "%1", path
                )
            )
            return
        player = self._ensure_player()
        if player is None:
            return  # _ensure_player said why
        if not player.isAvailable():
            self._fail(
                self.tr(
                    "Audio playback is not available on this computer, so the recording "
                    "cannot be played. You can still score the evaluation."
                )
            )
            return
        self._set_enabled(False)
        self.message.setText(self.tr("Loading the recording…"))
        self.message.show()
        player.setSource(QUrl.fromLocalFile(str(Path(path).resolve())))

    def _ensure_player(self) -> QMediaPlayer | None:
        if self._player is None:
            multimedia = load_multimedia()
            if multimedia.module is None:
                self._no_audio_library(multimedia.missing_package, multimedia.error)
                return None
            self._player = multimedia.module.QMediaPlayer(self)
            self._audio = multimedia.module.QAudioOutput(self)
            self._audio.setVolume(self.volume_slider.value() / 100)
            self._player.setAudioOutput(self._audio)
            self._player.setPlaybackRate(self.speed_combo.currentData())
            self._player.durationChanged.connect(self._duration_changed)
            self._player.positionChanged.connect(self._show_position)
            self._player.mediaStatusChanged.connect(self._status_changed)
            self._player.playbackStateChanged.connect(self._state_changed)
            self._player.errorOccurred.connect(self._error)
        return self._player

    def _no_audio_library(self, package: str | None, error: str) -> None:
        if package:
            text = self.tr(
                "Playback is turned off: the audio library is not installed on this computer "
                "(on Debian or Ubuntu, ask your IT team to install the package %1). You can "
                "still score the evaluation."
            ).replace("%1", package)
        else:
            text = self.tr(
                "Playback is turned off: the audio library could not be loaded (%1). You can "
                "still score the evaluation."
            ).replace("%1", error)
        self._fail(text)

    def _fail(self, text: str) -> None:
        self.message.setText(f"⚠ {text}")
        self.message.show()
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.play_button,
            self.back_button,
            self.forward_button,
            self.slider,
            self.speed_combo,
            self.volume_slider,
            self.timestamp_button,
        ):
            widget.setEnabled(enabled)

    def is_ready(self) -> bool:
        return self.play_button.isEnabled()

    def message_text(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""

    # ------------------------------------------------------------------ player events
    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status.name in _READY_NAMES and self._path:
            self.message.hide()
            self._set_enabled(True)
        elif status.name == "InvalidMedia" and self._path:
            self._cannot_play(self._player.errorString() if self._player else "")

    def _error(self, _error: QMediaPlayer.Error, text: str) -> None:
        if self._path:
            self._cannot_play(text)

    def _cannot_play(self, reason: str) -> None:
        detail = f" ({reason})" if reason else ""
        self._fail(
            self.tr("This recording cannot be played: %1%2. You can still score the evaluation.")
            .replace("%1", self._path or "")
            .replace("%2", detail)
        )

    def _duration_changed(self, duration: int) -> None:
        self._duration = max(0, duration)
        self.slider.setRange(0, self._duration)
        self._show_position(self.position_ms())

    def _show_position(self, position: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(position)
        total = format_clock(self._duration) if self._duration else "--:--"
        self.time_label.setText(ltr(f"{format_clock(position)} / {total}"))

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state.name == "PlayingState"
        self.play_button.setIcon(self._media_icon(playing))
        text = self.tr("Pause") if playing else self.tr("Play")
        self.play_button.setText(text)
        self.play_button.setAccessibleName(text)

    # ------------------------------------------------------------------ controls
    def toggle_play(self) -> None:
        if self._player is None or not self.is_ready():
            return
        if self._player.playbackState().name == "PlayingState":
            self._player.pause()
        else:
            self._player.play()

    def skip(self, ms: int) -> None:
        if self._player is not None and self.is_ready():
            self._seek(min(max(0, self.position_ms() + ms), self._duration or 0))

    def position_ms(self) -> int:
        return int(self._player.position()) if self._player is not None else 0

    def _seek(self, position: int) -> None:
        if self._player is not None:
            self._player.setPosition(position)
            self._show_position(position)

    def _slider_action(self, _action: int) -> None:
        # Keyboard steps and clicks on the groove seek too, not only dragging.
        if not self.slider.isSliderDown():
            self._seek(self.slider.sliderPosition())

    def _speed_changed(self) -> None:
        if self._player is not None:
            self._player.setPlaybackRate(self.speed_combo.currentData())

    def _volume_changed(self, value: int) -> None:
        if self._audio is not None:
            self._audio.setVolume(value / 100)

    def set_transcript(self, text: str | None) -> None:
        self.transcript.set_text(text or "")
