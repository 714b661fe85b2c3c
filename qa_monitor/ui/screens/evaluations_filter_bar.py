"""The Evaluations list's filter bar: typed dates, the dashboard's multi-select people,
form, status, kind and channel filters, a score range, critical failures and a search,
turned into one ``EvaluationFilter``; and a drill-down's filter in words.

Rules:
- Teams, agents, reviewers and forms are the Dashboard's choices with the Dashboard's
  behaviour: nothing ticked means all; several may be ticked; the agents offered follow
  the ticked teams; a form with several published versions also offers each version,
  and ticked versions add to ticked forms.
- Every ``EvaluationFilter`` a drill-down sends can be shown (``show``): each part
  lands in its control, so what the list shows is what the bar says, and can be
  changed there. Evaluation ids have no control; the screen names them.
- The bar never grows taller than its rows: an empty list leaves it as it is.
- ``changed`` fires on every edit by the user, never on ``show``; the screen debounces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus
from qa_monitor.services.dashboard_service import Choice, FilterChoices
from qa_monitor.ui.date_texts import CentreDay, date_text
from qa_monitor.ui.screens.dashboard_filter_bar import FORM, VERSION, form_items
from qa_monitor.ui.widgets.date_field_widget import DateField
from qa_monitor.ui.widgets.multi_select_combo import MultiSelectCombo

NO_SCORE_MAX = 150.0  # the top of the range means "no upper bound"


class EvaluationsFilterBar(QWidget):
    changed = Signal()

    def __init__(
        self,
        choices: FilterChoices,
        centre: Callable[[], CentreDay],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.choices = choices
        tr = self.tr
        self.date_from = DateField(centre, optional=True)
        self.date_to = DateField(centre, optional=True)
        for field, name in ((self.date_from, tr("From")), (self.date_to, tr("To"))):
            field.setAccessibleName(name)
            field.dateChanged.connect(lambda _d: self.changed.emit())
        self.team = self._multi(tr("Team"), tr("All teams"), tr("{0} teams"))
        self.agent = self._multi(tr("Agent"), tr("All agents"), tr("{0} agents"))
        self.form = self._multi(tr("Form"), tr("All forms"), tr("{0} forms"))
        self.reviewer = self._multi(tr("Reviewer"), tr("All reviewers"), tr("{0} reviewers"))
        self.status = self._multi(tr("Status"), tr("All statuses"), tr("{0} statuses"))
        self.status.set_choices([(status_name(s), s.value) for s in EvaluationStatus])
        self.kind = self._multi(tr("Kind"), tr("All kinds"), tr("{0} kinds"))
        self.kind.set_choices([(kind_name(k), k.value) for k in EvaluationKind])
        self.channel = self._multi(tr("Channel"), tr("All channels"), tr("{0} channels"))
        self.channel.set_choices([(channel_name(c), c.value) for c in Channel])
        self.set_choices(choices)
        self.team.selectionChanged.connect(self._offer_agents)
        self.score_min = QDoubleSpinBox(minimum=0, maximum=100, decimals=1, value=0)
        self.score_max = QDoubleSpinBox(
            minimum=0, maximum=NO_SCORE_MAX, decimals=1, value=NO_SCORE_MAX
        )
        self.score_min.setAccessibleName(tr("Minimum score"))
        self.score_max.setAccessibleName(tr("Maximum score"))
        for spin in (self.score_min, self.score_max):
            spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.critical_only = QCheckBox(tr("Critical failures only"))
        self.critical_only.toggled.connect(lambda _c: self.changed.emit())
        self.search = QLineEdit(placeholderText=tr("Search agent, team, reviewer, form, call id…"))
        self.search.setAccessibleName(tr("Search"))
        self.search.setToolTip(
            tr("Part of a name, a form's title or a call's id (such as 02962), or an "
               "evaluation's number.")
        )  # fmt: skip
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.changed.emit())
        self.clear_button = QPushButton(tr("Clear filters"))
        self.clear_button.setToolTip(tr("Every date, team, agent, form, status and score"))

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        cells = [
            (tr("Fro&m"), self.date_from),
            (tr("&To"), self.date_to),
            (tr("Te&am"), self.team),
            (tr("A&gent"), self.agent),
            (tr("F&orm"), self.form),
            (tr("&Reviewer"), self.reviewer),
            (tr("Stat&us"), self.status),
            (tr("&Kind"), self.kind),
            (tr("&Channel"), self.channel),
            (tr("Score ≥"), self.score_min),
            (tr("Score ≤"), self.score_max),
        ]
        for i, (label, widget) in enumerate(cells):
            row, col = divmod(i, 6)
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, row * 2, col)
            grid.addWidget(widget, row * 2 + 1, col)
        for col in range(6):
            grid.setColumnStretch(col, 1)
        grid.addWidget(self.critical_only, 3, 5)
        grid.addWidget(self.search, 4, 0, 1, 5)
        grid.addWidget(self.clear_button, 4, 5)
        # As tall as its rows, whatever the list below shows (or does not).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def _multi(self, name: str, all_text: str, many_text: str) -> MultiSelectCombo:
        combo = MultiSelectCombo(all_text, many_text)
        combo.setAccessibleName(name)
        combo.selectionChanged.connect(self.changed)
        return combo

    # ------------------------------------------------------------------ choices
    def set_choices(self, choices: FilterChoices) -> bool:
        """Offer ``choices`` (new people and forms appear); what is still offered stays
        ticked. Returns whether a ticked choice was dropped (the filter changed)."""
        before = self._ticked()
        self.choices = choices
        self.team.set_choices([(c.name, c.id) for c in choices.teams])
        self.form.set_choices(form_items(self.choices, self.tr))
        self.reviewer.set_choices([(c.name, c.id) for c in choices.reviewers])
        self._offer_agents(emit=False)
        return self._ticked() != before

    def _ticked(self) -> tuple[tuple[object, ...], ...]:
        return tuple(c.selected() for c in (self.team, self.agent, self.form, self.reviewer))

    def _offer_agents(self, emit: bool = True) -> None:
        teams = set(self.team.selected())
        agents = [c for c in self.choices.agents if not teams or c.group in teams]
        self.agent.set_choices([(c.name, c.id) for c in agents], emit=emit)

    # ------------------------------------------------------------------ the filter
    def current_filter(self, evaluation_ids: tuple[int, ...] = ()) -> EvaluationFilter:
        ticked: list[tuple[str, object]] = list(self.form.selected())  # type: ignore[arg-type]
        form_ids = tuple(str(v) for k, v in ticked if k == FORM)
        version_ids = tuple(int(str(v)) for k, v in ticked if k == VERSION)
        if version_ids:
            whole = {v.id for v in self.choices.versions if v.group in form_ids}
            version_ids, form_ids = tuple(sorted(whole | set(version_ids))), ()
        maximum = self.score_max.value()
        return EvaluationFilter(
            date_from=self.date_from.date(),
            date_to=self.date_to.date(),
            team_ids=tuple(int(str(v)) for v in self.team.selected()),
            agent_ids=tuple(int(str(v)) for v in self.agent.selected()),
            form_ids=form_ids,
            form_version_ids=version_ids,
            reviewer_ids=tuple(int(str(v)) for v in self.reviewer.selected()),
            # Qt hands the values back as plain text: rebuild the enums.
            statuses=tuple(EvaluationStatus(str(v)) for v in self.status.selected()),
            kinds=tuple(EvaluationKind(str(v)) for v in self.kind.selected()),
            channels=tuple(Channel(str(v)) for v in self.channel.selected()),
            score_min=self.score_min.value() or None,
            score_max=None if maximum >= NO_SCORE_MAX else maximum,
            critical_failed=True if self.critical_only.isChecked() else None,
            search=self.search.text().strip(),
            evaluation_ids=evaluation_ids,
        )

    def show(self, flt: EvaluationFilter) -> None:  # type: ignore[override]
        """Put every part of ``flt`` in its control, without ``changed``."""
        widgets = (
            self.date_from,
            self.date_to,
            self.team,
            self.agent,
            self.form,
            self.reviewer,
            self.status,
            self.kind,
            self.channel,
            self.score_min,
            self.score_max,
            self.critical_only,
            self.search,
        )
        blockers = [QSignalBlocker(w) for w in widgets]
        self.date_from.set_date(flt.date_from)
        self.date_to.set_date(flt.date_to)
        self.team.set_selected(flt.team_ids, emit=False)
        self._offer_agents(emit=False)
        self.agent.set_selected(flt.agent_ids, emit=False)
        versions = [(VERSION, v) for v in flt.form_version_ids]
        self.form.set_selected([(FORM, f) for f in flt.form_ids] + versions, emit=False)
        self.reviewer.set_selected(flt.reviewer_ids, emit=False)
        self.status.set_selected((s.value for s in flt.statuses), emit=False)
        self.kind.set_selected((k.value for k in flt.kinds), emit=False)
        self.channel.set_selected((c.value for c in flt.channels), emit=False)
        self.score_min.setValue(flt.score_min or 0)
        self.score_max.setValue(NO_SCORE_MAX if flt.score_max is None else flt.score_max)
        self.critical_only.setChecked(bool(flt.critical_failed))
        self.search.setText(flt.search)
        del blockers

    # ------------------------------------------------------------------ in words
    def summary(self, flt: EvaluationFilter) -> list[str]:
        """The parts of ``flt`` that narrow the list, in words, in the bar's order:
        ["07/11/2026 – 13/11/2026", "Customer Care", "Regular", …]."""
        parts: list[str] = []
        if flt.date_from and flt.date_to:
            parts.append(
                date_text(flt.date_from)
                if flt.date_from == flt.date_to
                else self.tr("{0} – {1}").format(date_text(flt.date_from), date_text(flt.date_to))
            )
        elif flt.date_from:
            parts.append(self.tr("from {0}").format(date_text(flt.date_from)))
        elif flt.date_to:
            parts.append(self.tr("up to {0}").format(date_text(flt.date_to)))
        versions = {v.id: v for v in self.choices.versions}
        forms = {f.id: f.name for f in self.choices.forms}
        version_names = [
            self.tr("{0}, version {1}").format(forms.get(v.group, v.group), v.name)
            for i in flt.form_version_ids
            if (v := versions.get(i)) is not None
        ]
        for names in (
            _names(self.choices.teams, flt.team_ids),
            _names(self.choices.agents, flt.agent_ids),
            _names(self.choices.forms, flt.form_ids) + version_names,
            _names(self.choices.reviewers, flt.reviewer_ids),
            [kind_name(k) for k in flt.kinds],
            [channel_name(c) for c in flt.channels],
            [status_name(s) for s in flt.statuses],
        ):
            if names:
                parts.append(", ".join(names))
        if flt.critical_failed:
            parts.append(self.tr("critical failures only"))
        return parts


def _names(choices: Iterable[Choice], ids: Iterable[object]) -> list[str]:
    known = {c.id: c.name for c in choices}
    return [known[i] for i in ids if i in known]


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationsFilterBar", text)


def status_name(status: EvaluationStatus) -> str:
    return {
        EvaluationStatus.DRAFT: _tr("Draft"),
        EvaluationStatus.SUBMITTED: _tr("Submitted"),
        EvaluationStatus.ACKNOWLEDGED: _tr("Acknowledged"),
        EvaluationStatus.DISPUTED: _tr("Disputed"),
        EvaluationStatus.RESOLVED: _tr("Resolved"),
    }[status]


def kind_name(kind: EvaluationKind) -> str:
    return {
        EvaluationKind.REGULAR: _tr("Regular"),
        EvaluationKind.CALIBRATION: _tr("Calibration"),
        EvaluationKind.SELF: _tr("Self-review"),
    }[kind]


def channel_name(channel: Channel) -> str:
    return {
        Channel.PHONE: _tr("Phone"),
        Channel.CHAT: _tr("Chat"),
        Channel.EMAIL: _tr("Email"),
        Channel.SOCIAL: _tr("Social / messaging"),
    }[channel]
