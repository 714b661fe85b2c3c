"""recordings_load: what --self-test's playback line rests on. Importing QtMultimedia
said nothing about its backend (the FFmpeg plugin and the libraries it links); opening
real recordings does."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from qa_monitor import paths
from qa_monitor.ui.widgets.audio_support import recordings_load

# FFmpeg's plugin looks for VA-API (video decoding on the GPU) when it loads.
pytestmark = pytest.mark.qt_log_ignore("Couldn't (load|resolve) va")


def test_a_wav_and_the_demo_recordings_open(qapp, tmp_path: Path):
    sample = tmp_path / "silence.wav"
    with wave.open(str(sample), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 2000)
    demo = sorted((paths.resources_dir() / "demo_audio").glob("*.ogg"))
    assert len(demo) == 3
    assert recordings_load([sample, *demo]) is None


@pytest.mark.qt_log_ignore("Couldn't (load|resolve) va", "Could not open media")
def test_a_file_that_is_not_a_recording_is_named(qapp, tmp_path: Path):
    junk = tmp_path / "junk.wav"
    junk.write_text("not a recording", encoding="utf-8")
    problem = recordings_load([junk])
    assert problem is not None and problem.startswith("junk.wav did not load: ")
