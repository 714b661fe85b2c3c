"""Regenerate the demo recordings (synthetic calls) with espeak-ng and sox.

Run once by a developer (`python resources/demo_audio/make_demo_audio.py`); the .ogg
files are committed so users and CI need neither tool. Two voices alternate: the agent
and the customer, with short pauses between turns.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
AGENT, CUSTOMER = "en-us+m3", "en-gb+f2"

CALLS = {
    "retention_call_sara": [
        (AGENT, "Thank you for calling Nova Telecom, this is Sara. May I have your name, please?"),
        (CUSTOMER, "Hi, it's Elena Petrova. I want to cancel my contract. It's too expensive."),
        (AGENT, "I'm sorry to hear that, Elena. Before anything else, can you tell me what "
                "you use the service for, so I understand what matters to you?"),
        (CUSTOMER, "Mostly video calls with my family. But the bill went up again this month."),
        (AGENT, "I see, so the price rise is the problem, not the service itself. I can move "
                "you to the family plan, which keeps your video calls and costs less."),
        (CUSTOMER, "Really? How much less?"),
        (AGENT, "About twelve euros a month. I will send the details by email, and I will "
                "call you back on Friday at ten to confirm. Is that a good time?"),
        (CUSTOMER, "Yes, Friday at ten is fine. Thank you."),
        (AGENT, "Thank you for staying with us, Elena. Have a lovely day."),
    ],
    "billing_call_omid": [
        (AGENT, "Good morning, Nova Telecom, Omid speaking."),
        (CUSTOMER, "Hello. I was charged twice for my internet this month."),
        (AGENT, "Before I look at your account, I need to verify your identity. Can you "
                "confirm your date of birth and postcode?"),
        (CUSTOMER, "Fourth of March, nineteen eighty-eight, postcode one two three four."),
        (AGENT, "Thank you. Yes, I can see two payments. That's our mistake. I have "
                "refunded the second one; it will reach your card in three to five days."),
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
                subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", str(padded),
                                "pad", "0", "0.6"], check=True)
                parts.append(str(padded))
            out = HERE / f"{name}.ogg"
            subprocess.run(["sox", *parts, "-C", "0", str(out)], check=True)
            print(out, out.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
