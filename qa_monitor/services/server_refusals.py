"""The sentence for a change the team server refused (row-level security said no).

The change is named as a person knows it (whose evaluation of which call), the rule
that refused it is said for the role of whoever is signed in, and the user is told
that nothing was lost.
"""

from __future__ import annotations

from qa_monitor.core.sync_merge import Change
from qa_monitor.storage.database import Database
from qa_monitor.storage.sync_records import record_facts

# One whole sentence per kind of record (translatable as it stands, never glued).
_REFUSED = {
    "evaluation": (
        "The team server refused your change to {reviewer}'s evaluation of {agent}'s call "
        "on {date}."
    ),
    "audit": (
        "The team server refused an audit entry on {reviewer}'s evaluation of {agent}'s "
        "call on {date}."
    ),
    "interaction": "The team server refused your change to {agent}'s call on {date}.",
    "team": "The team server refused your change to the team '{name}'.",
    "agent": "The team server refused your change to the agent '{name}'.",
    "reviewer": "The team server refused your change to the reviewer '{name}'.",
    "form": "The team server refused your change to the form '{name}'.",
    "form_version": "The team server refused version {version} of the form '{name}'.",
}
_REFUSED_UNKNOWN = {
    "evaluation": "The team server refused your change to an evaluation.",
    "audit": "The team server refused an audit entry on an evaluation.",
    "interaction": "The team server refused your change to a call.",
    "sampling_rule": "The team server refused your change to a sampling rule.",
    "queue_item": "The team server refused your change to a call in the review queue.",
    "coaching": "The team server refused your change to a coaching session.",
    "coaching_action": "The team server refused your change to a coaching action.",
    "calibration_session": "The team server refused your change to a calibration session.",
    "calibration_entry": "The team server refused your evaluation's place in a calibration "
    "session.",
    "calibration_note": "The team server refused your note on a calibration session.",
    "customer_count": "The team server refused your customer counts for a period.",
    "customer": "The team server refused your change to a customer in the customer list.",
    "churn_event": "The team server refused your churn event.",
}
_REFUSED_OTHER = "The team server refused one of your changes."
_ROSTER = frozenset({"team", "agent", "reviewer", "form", "form_version"})
_CUSTOMERS = frozenset({"customer_count", "customer", "churn_event"})

_WHY = {
    ("reviewer", "roster"): "Only supervisors and admins edit the roster and publish forms.",
    ("reviewer", "evaluation"): (
        "A reviewer may change only their own evaluations; acknowledging, disputing and "
        "resolving belong to the agent and the supervisors."
    ),
    ("reviewer", "rules"): "Only supervisors and admins set sampling rules.",
    ("reviewer", "customers"): "Only supervisors and admins import customer data.",
    ("agent", "any"): "An agent may only acknowledge or dispute their own evaluations.",
}
_WHY_SERVER = "The server said: {reason}."
_KEPT = (
    "Nothing was lost: it stays on this computer, waiting to be sent with the changes "
    "made after it. Ask a supervisor to make this change, or to sort it out."
)


def refusal_message(db: Database, change: Change, role: str, server_text: str) -> str:
    """Three whole sentences: what was refused, the rule that refused it, and that
    nothing was lost."""
    facts = record_facts(db, change.entity, change.uuid)
    try:
        what = _REFUSED[change.entity].format(**facts)
    except (KeyError, IndexError):
        what = _REFUSED_UNKNOWN.get(change.entity, _REFUSED_OTHER)
    if role == "agent":
        why = _WHY[("agent", "any")]
    elif role == "reviewer":
        if change.entity == "sampling_rule":
            why = _WHY[("reviewer", "rules")]
        elif change.entity in _CUSTOMERS:
            why = _WHY[("reviewer", "customers")]
        else:
            why = _WHY[("reviewer", "roster" if change.entity in _ROSTER else "evaluation")]
    else:
        why = _WHY_SERVER.format(reason=server_text.strip().rstrip("."))
    return f"{what} {why} {_KEPT}"
