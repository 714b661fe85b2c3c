"""The demo calls that have real audio: recording path, transcript and length on the call.

``services.demo_recordings`` holds the scripts of a few calls and their committed
.ogg files. Each is given to a phone call of the agent it names (by first name), the
most recent one with a regular evaluation, so the evaluation screen can play it and
show its words; the agent's skill on that call follows the script (a good retention
save, a clean billing fix, a poor complaint call). Files that are missing are skipped
and the call keeps no recording path.
"""

from __future__ import annotations

import struct
from pathlib import Path

from qa_monitor.core.records import EvaluationKind
from qa_monitor.services.demo_evaluate import Call
from qa_monitor.services.demo_recordings import CALLS, recording_path, transcript

# How well the agent does on each scripted call (skill, roughly the score / 100).
_SKILL = {"retention_call_sara": 0.96, "billing_call_omid": 0.93, "complaint_call_dmitri": 0.5}


def ogg_seconds(path: Path) -> float | None:
    """The length of an Ogg Vorbis / Opus file: the last page's granule position over
    the sample rate (None when the file cannot be read that way)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    last = data.rfind(b"OggS")
    if last < 0 or len(data) < last + 14:
        return None
    (granule,) = struct.unpack_from("<q", data, last + 6)
    vorbis = data.find(b"\x01vorbis")
    if vorbis >= 0 and len(data) >= vorbis + 16:
        (rate,) = struct.unpack_from("<I", data, vorbis + 12)
    elif data.find(b"OpusHead") >= 0:
        rate = 48_000
    else:
        return None
    return granule / rate if rate and granule > 0 else None


def attach_recordings(calls: list[Call], agent_names: dict[int, str]) -> int:
    """Put each available recording on a call of the agent it names; returns how many."""
    attached = 0
    for name in CALLS:
        path = recording_path(name)
        seconds = ogg_seconds(path) if path.is_file() else None
        if seconds is None:
            continue
        first_name = name.rsplit("_", 1)[-1].lower()
        candidates = [
            c
            for c in calls
            if c.channel == "phone"
            and c.recording_path is None
            and agent_names.get(c.agent_id, "").lower().split(" ")[0] == first_name
            and any(e.kind is EvaluationKind.REGULAR and not e.draft for e in c.evals)
        ]
        if not candidates:
            continue
        call = max(candidates, key=lambda c: c.started)
        call.recording_path = str(path)
        call.transcript = transcript(name)
        call.duration_s = round(seconds, 1)
        call.skill = _SKILL.get(name, call.skill)
        attached += 1
    return attached
