"""Opening a queued call, as My queue and the Evaluate screen's "next in your queue"
both do: resume the reviewer's own draft of the call if there is one, otherwise start
a new evaluation on the latest published version of the call's form."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from qa_monitor.services import Services
from qa_monitor.services.queue_service import QueueRow


class QueueOpenError(ValueError):
    """The call cannot be opened; the message is a sentence to show."""


def open_queued_call(services: Services, item: QueueRow, reviewer_id: int) -> int:
    """The id of the evaluation to open for ``item`` (resumed or started)."""
    draft = services.queue.my_draft(item.interaction_id, reviewer_id)
    if draft is not None:
        return draft
    version = services.forms.latest_published(item.form_id)
    if version is None:
        raise QueueOpenError(
            QCoreApplication.translate(
                "QueueOpen",
                "The form '{0}' of this call has no published version, so it cannot be "
                "scored. Publish the form on the Forms screen, or ask a supervisor to "
                "change the rule.",
            ).format(item.form_title)
        )
    return services.evaluations.start_evaluation(item.interaction_id, version.id, reviewer_id).id
