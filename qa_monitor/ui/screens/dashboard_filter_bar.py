"""The dashboard's filter bar: a period, multi-select people/form/channel/kind filters and
the trend step, turned into one ``DashboardFilter``.

Rules:
- Nothing ticked in a multi-select means "all" (no filter), except the kind, which
  starts at regular evaluations only (``DashboardFilter``'s rule: calibration and
  self-reviews are asked for explicitly); unticking every kind shows all kinds.
- The agent list follows the ticked teams (agents of other teams are not offered;
  ticked agents still offered stay ticked).
- Forms and versions: ticking a form takes all its versions; a form with several
  published versions also offers each version. When any version is ticked, the filter
  is the union of the ticked versions and every version of the ticked forms.
- ``changed`` fires on every edit; the screen debounces it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QWidget

from qa_monitor.core.forms import Channel
from qa_monitor.core.records import EvaluationKind
from qa_monitor.reports.analytics import DashboardFilter, Granularity
from qa_monitor.services.dashboard_service import FilterChoices
from qa_monitor.ui.widgets.multi_select_combo import MultiSelectCombo

PRESETS = ("last_30", "last_90", "month", "quarter", "year", "all")
GRAINS = (Granularity.DAY, Granularity.WEEK, Granularity.MONTH, Granularity.QUARTER)
FORM, VERSION = "form", "version"


def form_items(choices: FilterChoices, tr: Callable[[str], str]) -> list[tuple[str, object]]:
    """The form filter's entries: each form, then its versions indented when it has
    more than one (``tr``: the filter bar's own translation, for the version text)."""
    items: list[tuple[str, object]] = []
    for form in choices.forms:
        items.append((form.name, (FORM, form.id)))
        versions = [v for v in choices.versions if v.group == form.id]
        if len(versions) > 1:
            for version in versions:
                text = "    " + tr("{0}, version {1}").format(form.name, version.name)
                items.append((text, (VERSION, version.id)))
    return items


class DashboardFilterBar(QWidget):
    changed = Signal()

    def __init__(self, choices: FilterChoices, parent: QWidget | None = None):
        super().__init__(parent)
        self.choices = choices
        tr = self.tr
        presets = (
            tr("Last 30 days"),
            tr("Last 90 days"),
            tr("This month"),
            tr("This quarter"),
            tr("This year"),
            tr("All time"),
        )
        self.period = self._single(tr("Period"), list(zip(presets, PRESETS, strict=True)))
        self.period.setCurrentIndex(PRESETS.index("last_90"))
        steps = (tr("Day"), tr("Week"), tr("Month"), tr("Quarter"))
        self.granularity = self._single(
            tr("Group by"), [(s, g.value) for s, g in zip(steps, GRAINS, strict=True)]
        )
        self.granularity.setCurrentIndex(1)
        self.team = self._multi(tr("Team"), tr("All teams"), tr("{0} teams"))
        self.team.set_choices([(c.name, c.id) for c in choices.teams])
        self.agent = self._multi(tr("Agent"), tr("All agents"), tr("{0} agents"))
        self.form = self._multi(tr("Form"), tr("All forms"), tr("{0} forms"))
        self.form.set_choices(form_items(self.choices, self.tr))
        self.reviewer = self._multi(tr("Reviewer"), tr("All reviewers"), tr("{0} reviewers"))
        self.reviewer.set_choices([(c.name, c.id) for c in choices.reviewers])
        self.channel = self._multi(tr("Channel"), tr("All channels"), tr("{0} channels"))
        channel_names = {
            Channel.PHONE: tr("Phone"),
            Channel.CHAT: tr("Chat"),
            Channel.EMAIL: tr("Email"),
            Channel.SOCIAL: tr("Social / messaging"),
        }
        self.channel.set_choices([(channel_names[c], c.value) for c in Channel])
        self.kind = self._multi(tr("Kind"), tr("All kinds"), tr("{0} kinds"))
        kind_names = {
            EvaluationKind.REGULAR: tr("Regular"),
            EvaluationKind.CALIBRATION: tr("Calibration"),
            EvaluationKind.SELF: tr("Self-review"),
        }
        self.kind.set_choices([(kind_names[k], k.value) for k in EvaluationKind])
        self.kind.set_selected([EvaluationKind.REGULAR.value], emit=False)
        self._offer_agents()
        self.team.selectionChanged.connect(self._offer_agents)

        self.reset = QPushButton(tr("Clear filters"))
        self.reset.setAccessibleName(tr("Clear filters"))
        self.reset.setToolTip(tr("Every team, agent, form, reviewer and channel; regular kind"))
        self.reset.clicked.connect(self.clear)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        cells = [
            (tr("&Period"), self.period),
            (tr("&Team"), self.team),
            (tr("A&gent"), self.agent),
            (tr("F&orm"), self.form),
            (tr("&Reviewer"), self.reviewer),
            (tr("&Channel"), self.channel),
            (tr("&Kind"), self.kind),
            (tr("Gro&up by"), self.granularity),
        ]
        for col, (text, widget) in enumerate(cells):
            caption = QLabel(text)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, col)
            grid.addWidget(widget, 1, col)
            grid.setColumnStretch(col, 1)
        grid.addWidget(self.reset, 1, len(cells))

    # ------------------------------------------------------------------ building
    def _single(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def _multi(self, name: str, all_text: str, many_text: str) -> MultiSelectCombo:
        combo = MultiSelectCombo(all_text, many_text)
        combo.setAccessibleName(name)
        combo.selectionChanged.connect(self.changed)
        return combo

    def _offer_agents(self) -> None:
        teams = set(self.team.selected())
        agents = [c for c in self.choices.agents if not teams or c.group in teams]
        self.agent.set_choices([(c.name, c.id) for c in agents], emit=True)

    # ------------------------------------------------------------------ the filter
    def multi_selects(self) -> tuple[MultiSelectCombo, ...]:
        return (self.team, self.agent, self.form, self.reviewer, self.channel, self.kind)

    def current_filter(self, today: date, week_start: int) -> DashboardFilter:
        ticked = self.form.selected()
        form_ids = tuple(str(v) for k, v in ticked if k == FORM)
        version_ids = tuple(int(v) for k, v in ticked if k == VERSION)
        if version_ids:
            whole = {v.id for v in self.choices.versions if v.group in form_ids}
            version_ids, form_ids = tuple(sorted(whole | set(version_ids))), ()
        base = DashboardFilter(
            team_ids=tuple(int(v) for v in self.team.selected()),
            agent_ids=tuple(int(v) for v in self.agent.selected()),
            form_ids=form_ids,
            form_version_ids=version_ids,
            reviewer_ids=tuple(int(v) for v in self.reviewer.selected()),
            channels=tuple(Channel(str(c)) for c in self.channel.selected()),
            kinds=tuple(EvaluationKind(str(k)) for k in self.kind.selected()),
            granularity=Granularity(self.granularity.currentData()),
            week_start=week_start,
        )
        presets = {
            "last_30": lambda: base.last_30_days(today),
            "last_90": lambda: base.last_90_days(today),
            "month": lambda: base.this_month(today),
            "quarter": lambda: base.this_quarter(today),
            "year": lambda: base.this_year(today),
        }
        return presets.get(self.period.currentData(), base.all_time)()

    def clear(self) -> None:
        """Every filter back to its default (the period and step stay)."""
        for combo in self.multi_selects():
            combo.blockSignals(True)
        try:
            for combo in (self.team, self.agent, self.form, self.reviewer, self.channel):
                combo.clear_selection(emit=False)
            self.kind.set_selected([EvaluationKind.REGULAR.value], emit=False)
            self._offer_agents()
        finally:
            for combo in self.multi_selects():
                combo.blockSignals(False)
        self.changed.emit()
