"""The demo's recorded calls: who says what, shared by the audio generator
(resources/demo_audio/make_demo_audio.py) and the demo database (transcripts and
recording paths), so the words on screen are the words in the audio."""

from __future__ import annotations

from pathlib import Path

from qa_monitor.paths import resources_dir

AGENT, CUSTOMER = "en-us+m3", "en-gb+f2"

CALLS = {
    "retention_call_sara": [
        (AGENT, "Thank you for calling Nova Telecom, this is Sara. May I have your name, please?"),
        (CUSTOMER, "Hi, it's Elena Petrova. I want to cancel my contract. It's too expensive."),
        (
            AGENT,
            "I'm sorry to hear that, Elena. Before anything else, can you tell me what "
            "you use the service for, so I understand what matters to you?",
        ),
        (CUSTOMER, "Mostly video calls with my family. But the bill went up again this month."),
        (
            AGENT,
            "I see, so the price rise is the problem, not the service itself. I can move "
            "you to the family plan, which keeps your video calls and costs less.",
        ),
        (CUSTOMER, "Really? How much less?"),
        (
            AGENT,
            "About twelve euros a month. I will send the details by email, and I will "
            "call you back on Friday at ten to confirm. Is that a good time?",
        ),
        (CUSTOMER, "Yes, Friday at ten is fine. Thank you."),
        (AGENT, "Thank you for staying with us, Elena. Have a lovely day."),
    ],
    "billing_call_omid": [
        (AGENT, "Good morning, Nova Telecom, Omid speaking."),
        (CUSTOMER, "Hello. I was charged twice for my internet this month."),
        (
            AGENT,
            "Before I look at your account, I need to verify your identity. Can you "
            "confirm your date of birth and postcode?",
        ),
        (CUSTOMER, "Fourth of March, nineteen eighty-eight, postcode one two three four."),
        (
            AGENT,
            "Thank you. Yes, I can see two payments. That's our mistake. I have "
            "refunded the second one; it will reach your card in three to five days.",
        ),
        (CUSTOMER, "Great, thanks for sorting it so quickly."),
        (AGENT, "You're welcome. Is there anything else I can help with today?"),
    ],
    "complaint_call_dmitri": [
        (AGENT, "Nova Telecom, Dmitri here. This call is recorded for quality and training."),
        (CUSTOMER, "My router has not worked for three days and nobody called me back!"),
        (AGENT, "Okay. What is your account number?"),
        (CUSTOMER, "I already gave it twice. Don't you have any notes?"),
        (AGENT, "I don't see notes. You need to restart the router."),
        (CUSTOMER, "I did that. This is the third time I am explaining this."),
        (AGENT, "Then I will book an engineer. Someone will contact you."),
    ],
}


def recording_path(name: str) -> Path:
    """The committed .ogg file for a call in CALLS."""
    return resources_dir() / "demo_audio" / f"{name}.ogg"


def resolve_recording(path: str | None) -> str | None:
    """Where to play ``path`` from: the path itself, or, for a demo recording whose
    install has moved since the demo database was built, the same file in this
    install's resources (demo databases store absolute paths)."""
    if not path or Path(path).exists():
        return path
    candidate = Path(path)
    if candidate.parent.name == "demo_audio" and candidate.stem in CALLS:
        moved = recording_path(candidate.stem)
        if moved.exists():
            return str(moved)
    return path


def transcript(name: str, agent_name: str = "Agent") -> str:
    """The call as 'Agent: …' / 'Customer: …' lines."""
    return "\n".join(
        f"{agent_name if voice == AGENT else 'Customer'}: {text}" for voice, text in CALLS[name]
    )
