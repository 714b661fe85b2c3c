"""Quoting a user's value back in a message without pasting all of it.

A refused cell can hold 40,000 characters (a whole paragraph pasted into a name);
a message that names the row and column needs only enough of it to be recognised.
"""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(value: object, limit: int = 60) -> str:
    """``value`` as text, cut to at most ``limit`` characters with an ellipsis at the end
    when it was longer (line breaks shown as spaces, so a message stays on one line)."""
    text = " ".join(str(value).split()) if value is not None else ""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
