"""The sentence for a change the team server refused (row-level security said no).

The change is named as a person knows it (whose evaluation of which call), the rule
that refused it is said for the role of whoever is signed in, and the user is told
that nothing was lost.
"""

from __future__ import annotations

from qa_monitor.core.sync_merge import Change
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_records import record_facts

_WHAT = {
    "evaluation": "your change to {reviewer}'s evaluation of {agent}'s call on {date}",
    "audit": "an audit entry on {reviewer}'s evaluation of {agent}'s call on {date}",
    "interaction": "your change to {agent}'s call on {date}",
    "team": "your change to the team '{name}'",
    "agent": "your change to the agent '{name}'",
    "reviewer": "your change to the reviewer '{name}'",
    "form": "your change to the form '{name}'",
    "form_version": "version {version} of the form '{name}'",
}
_WHAT_UNKNOWN = {
    "evaluation": "your change to an evaluation",
    "audit": "an audit entry on an evaluation",
    "interaction": "your change to a call",
}
_ROSTER = frozenset({"team", "agent", "reviewer", "form", "form_version"})

_WHY = {
    ("reviewer", "roster"): "only supervisors and admins edit the roster and publish forms.",
    ("reviewer", "evaluation"): (
        "a reviewer may change only their own evaluations, and acknowledging, disputing "
        "and resolving belong to the agent and the supervisors."
    ),
    ("agent", "any"): "an agent may only acknowledge or dispute their own evaluations.",
}


def refusal_message(db: Database, change: Change, role: str, server_text: str) -> str:
    facts = record_facts(db, change.entity, change.uuid)
    try:
        what = _WHAT[change.entity].format(**facts)
    except (KeyError, IndexError):
        what = _WHAT_UNKNOWN.get(change.entity, "one of your changes")
    if role == "agent":
        why = _WHY[("agent", "any")]
    elif role == "reviewer":
        why = _WHY[("reviewer", "roster" if change.entity in _ROSTER else "evaluation")]
    else:
        why = f"the server said: {server_text.rstrip('.')}."
    return (
        f"The team server refused {what}: {why} Nothing was lost: it stays on this computer, "
        "waiting to be sent with the changes made after it. Ask a supervisor to make this "
        "change, or to sort it out."
    )
