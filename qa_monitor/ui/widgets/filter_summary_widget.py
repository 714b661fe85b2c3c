"""An ``EvaluationFilter`` in words and how many evaluations it holds: what an export
writes, said before anything is written.

Names come from the services (the UI never queries the database itself); numbers and
dates are kept left-to-right inside right-to-left text.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from qa_monitor.core.records import EvaluationFilter
from qa_monitor.services import Services
from qa_monitor.ui.date_texts import date_text
from qa_monitor.ui.widgets.widget_style import ltr
from qa_monitor.ui.widgets.wrapping_label import WrappingLabel


def tr(text: str) -> str:
    return QCoreApplication.translate("FilterSummary", text)


def _names(known: Iterable[tuple[object, str]], wanted: Iterable[object]) -> str:
    names = dict(known)
    return ", ".join(names.get(w, f"#{w}") for w in wanted)


def describe(services: Services, flt: EvaluationFilter) -> list[tuple[str, str]]:
    """(label, words) lines for ``flt``; dates, people and forms always appear ("All")."""
    if flt.date_from and flt.date_to:
        dates = tr("{0} to {1}").format(date_text(flt.date_from), date_text(flt.date_to))
    elif flt.date_from:
        dates = tr("from {0}").format(date_text(flt.date_from))
    elif flt.date_to:
        dates = tr("up to {0}").format(date_text(flt.date_to))
    else:
        dates = tr("All dates")
    people = services.people
    every = tr("All")
    lines = [(tr("Interaction dates"), dates)]
    if flt.evaluation_ids:
        count = len(flt.evaluation_ids)
        lines.append((tr("Evaluations"), tr("the {0} chosen from a chart").format(count)))
    teams = every
    if flt.team_ids:
        teams = _names(((t.id, t.name) for t in people.list_teams()), flt.team_ids)
    agents = every
    if flt.agent_ids:
        agents = _names(((a.id, a.name) for a in people.list_agents()), flt.agent_ids)
    forms = every
    if flt.form_ids:
        versions = services.forms.published_versions(include_retired=True)
        forms = _names(((v.form_id, v.form.title) for v in versions), flt.form_ids)
    lines += [(tr("Teams"), teams), (tr("Agents"), agents), (tr("Forms"), forms)]
    if flt.reviewer_ids:
        reviewers = _names(((r.id, r.name) for r in people.list_reviewers()), flt.reviewer_ids)
        lines.append((tr("Reviewers"), reviewers))
    for label, values in (
        (tr("Statuses"), flt.statuses),
        (tr("Kinds"), flt.kinds),
        (tr("Channels"), flt.channels),
    ):
        if values:
            lines.append((label, ", ".join(tr(v.value.replace("_", " ")) for v in values)))
    if flt.score_min is not None or flt.score_max is not None:
        low = "0" if flt.score_min is None else f"{flt.score_min:g}"
        high = "100" if flt.score_max is None else f"{flt.score_max:g}"
        lines.append((tr("Score"), tr("{0} to {1}").format(ltr(low), ltr(high))))
    if flt.critical_failed is not None:
        failed = tr("critical failures only") if flt.critical_failed else tr("no critical failure")
        lines.append((tr("Critical"), failed))
    if flt.search.strip():
        lines.append((tr("Search"), f"“{flt.search.strip()}”"))
    return lines


def is_everything(flt: EvaluationFilter) -> bool:
    """Whether ``flt`` selects every evaluation (sort order aside)."""
    return (
        flt.date_from is None
        and flt.date_to is None
        and not any(
            (
                flt.team_ids,
                flt.agent_ids,
                flt.form_ids,
                flt.form_version_ids,
                flt.reviewer_ids,
                flt.statuses,
                flt.kinds,
                flt.channels,
                flt.evaluation_ids,
                flt.search.strip(),
            )
        )
        and flt.score_min is None
        and flt.score_max is None
        and flt.critical_failed is None
    )


class FilterSummaryWidget(QGroupBox):
    """The filter line by line, then the number of evaluations the export counts
    (``count``; ``recount`` with the filter narrowed by the counting rule)."""

    def __init__(self, services: Services, flt: EvaluationFilter, parent: QWidget | None = None):
        super().__init__(
            self.tr("Evaluations to export (the Evaluations screen's filters)"), parent
        )
        form = QFormLayout(self)
        for label, words in describe(services, flt):
            form.addRow(label + ":", WrappingLabel(words))
        self.services = services
        self.everything = is_everything(flt)
        self.count = 0
        self.count_label = WrappingLabel()  # grows to the sentence said, never clipped
        self.count_label.setAccessibleName(self.tr("Evaluations to export"))
        form.addRow(self.tr("Total:"), self.count_label)
        self.recount(flt)

    def recount(self, counted: EvaluationFilter) -> int:
        """Count and show the evaluations of ``counted`` (the filter as the export will
        read it); returns the count."""
        self.count = self.services.evaluations.count_evaluations(counted)
        text = self.tr("%n evaluation(s) will be exported.", "", self.count)
        if self.count == 0:
            text = self.tr(
                "No evaluations match these filters and the evaluations counted. Change "
                "the filters on the Evaluations screen (Ctrl+3) or include more below."
            )
        elif self.everything:
            text += " " + self.tr("No filter is set on the Evaluations screen.")
        self.count_label.setText(text)
        return self.count
