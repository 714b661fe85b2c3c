"""Regenerate the demo recordings (synthetic calls) with espeak-ng and sox.

Run once by a developer (`python resources/demo_audio/make_demo_audio.py`); the .ogg
files are committed so users and CI need neither tool. Two voices alternate: the agent
and the customer, with short pauses between turns.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from qa_monitor.services.demo_recordings import CALLS  # noqa: E402


def speak(voice: str, text: str, out: Path) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(out), text], check=True)


def main() -> None:
    for name, turns in CALLS.items():
        with tempfile.TemporaryDirectory() as tmp:
            parts = []
            for i, (voice, text) in enumerate(turns):
                wav = Path(tmp) / f"{i:02d}.wav"
                speak(voice, text, wav)
                padded = Path(tmp) / f"{i:02d}p.wav"
                subprocess.run(
                    ["sox", str(wav), "-r", "16000", "-c", "1", str(padded), "pad", "0", "0.6"],
                    check=True,
                )
                parts.append(str(padded))
            out = HERE / f"{name}.ogg"
            subprocess.run(["sox", *parts, "-C", "0", str(out)], check=True)
            print(out, out.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
