"""Add or edit a sampling rule: every field of ``SamplingRule``.

Rules:
- Save (Enter on the button, or Ctrl+Enter anywhere) stores the rule through
  ``QueueService.save_rule``; a refusal (``RuleError``, a ``NotAllowedError`` for a
  reviewer's login on the team server) is shown above the buttons as the service's
  sentence, with everything typed kept; the dialog stays open.
- Numbers a filter may leave out start at 0, shown as "Any" ("Any CSAT", "Any
  length", "Any agent"): 0 means the filter is off. The least duration is typed in
  minutes and stored in seconds.
- Only live forms with a published version are offered (the form of a rule being
  edited is kept in the list, marked, so the refusal can say why).
- The seed makes the draw reproducible; "New seed" draws another one.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.sampling import (
    CHANNELS,
    MAX_DUE_DAYS,
    MAX_PER_AGENT,
    PeriodKind,
    RuleKind,
    SamplingRule,
)
from qa_monitor.services import Changes, DatabaseBusyError, Services, StorageError
from qa_monitor.ui.dialogs.person_dialogs import FieldError, sentence
from qa_monitor.ui.models.queue_table_models import channel_words
from qa_monitor.ui.widgets.widget_style import em

log = logging.getLogger(__name__)
GUI_WRITE_WAIT_S = 0.05
MAX_SEED = 2**31 - 1


class SamplingRuleDialog(QDialog):
    """``rule`` None adds one; ``saved`` holds the stored rule once Save succeeded."""

    def __init__(
        self, services: Services, rule: SamplingRule | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.services, self.rule = services, rule
        self.saved: SamplingRule | None = None
        self.changes: Changes | None = None
        title = self.tr("New sampling rule") if rule is None else self.tr("Edit sampling rule")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(em(self, 36))
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("For example: Weekly sample"))
        self._row(form, self.tr("&Name:"), self.name, self.tr("Name"))

        # What the rule takes.
        self.sample = QRadioButton(self.tr("&Sample calls per agent"))
        self.every = QRadioButton(self.tr("E&very call that matches the filters"))
        self.kinds = QButtonGroup(self)
        for button in (self.sample, self.every):
            button.setAccessibleName(button.text().replace("&", ""))
            self.kinds.addButton(button)
        self.per_agent = self._spin(1, MAX_PER_AGENT, self.tr("Calls per agent"))
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        self.period.addItem(self.tr("per week"), PeriodKind.WEEK.value)
        self.period.addItem(self.tr("per month"), PeriodKind.MONTH.value)
        kind_box = QVBoxLayout()
        sample_row = QHBoxLayout()
        sample_row.addWidget(self.sample)
        sample_row.addWidget(self.per_agent)
        sample_row.addWidget(self.period)
        sample_row.addStretch(1)
        kind_box.addLayout(sample_row)
        kind_box.addWidget(self.every)
        takes = QLabel(self.tr("Takes:"))
        form.addRow(takes, kind_box)
        self.sample.toggled.connect(self._kind_changed)

        self.team = QComboBox()
        self.team.addItem(self.tr("All teams"), None)
        for team in services.people.list_teams():
            if team.active or (rule is not None and rule.team_id == team.id):
                self.team.addItem(team.name, team.id)
        self._row(form, self.tr("&Team:"), self.team, self.tr("Team"))

        self.form_combo = QComboBox()
        for info in services.forms.list_forms(include_retired=True):
            live = info.status.value != "retired" and info.latest_published is not None
            if live:
                self.form_combo.addItem(info.title, info.form_id)
            elif rule is not None and rule.form_id == info.form_id:
                self.form_combo.addItem(
                    self.tr("{0} (retired or not published)").format(info.title), info.form_id
                )
        self._row(form, self.tr("&Form:"), self.form_combo, self.tr("Form"))

        outer.addWidget(self._filters_group())
        outer.addWidget(self._draw_group())

        self.error = FieldError()
        outer.addWidget(self.error)
        outer.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Save"))
        self.ok_button.setAccessibleName(self.tr("Save"))
        self.ok_button.setToolTip(self.tr("Save the rule (Ctrl+Enter)"))
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        for edit in self.findChildren(QLineEdit):
            edit.textEdited.connect(lambda _t: self.error.clear())

        self._load(rule)
        self.name.setFocus()

    # ---------------------------------------------------------------- building
    def _row(self, form: QFormLayout, label: str, field: QWidget, name: str) -> None:
        field.setAccessibleName(name)
        caption = QLabel(label)
        caption.setBuddy(field)
        form.addRow(caption, field)

    def _spin(self, low: int, high: int, name: str, any_text: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setAccessibleName(name)
        if any_text:
            spin.setSpecialValueText(any_text)
        # Numbers read left to right in a right-to-left dialog too.
        spin.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        return spin

    def _channel_combo(self, name: str, any_text: str | None) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        if any_text is not None:
            combo.addItem(any_text, None)
        for channel in CHANNELS:
            combo.addItem(channel_words(channel).capitalize(), channel)
        return combo

    def _filters_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Which calls"))
        form = QFormLayout(group)
        self.channel = self._channel_combo(self.tr("Channel"), self.tr("Any channel"))
        self._row(form, self.tr("C&hannel:"), self.channel, self.tr("Channel"))
        self.max_csat = self._spin(0, 5, self.tr("CSAT at most"), self.tr("Any CSAT"))
        self._row(form, self.tr("CSAT &at most:"), self.max_csat, self.tr("CSAT at most"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Any contact reason"))
        self._row(
            form, self.tr("Contact &reason contains:"), self.reason, self.tr("Contact reason")
        )
        self.min_minutes = self._spin(0, 600, self.tr("At least minutes"), self.tr("Any length"))
        self.min_minutes.setSuffix(self.tr(" min"))
        self._row(form, self.tr("At least (&minutes):"), self.min_minutes, self.tr("At least"))
        self.tenure = self._spin(0, 3650, self.tr("Agents in their first days"))
        self.tenure.setSpecialValueText(self.tr("Any agent"))
        self.tenure.setSuffix(self.tr(" days"))
        self._row(
            form, self.tr("Agents in their first:"), self.tenure, self.tr("Agents in their first")
        )
        minimum = QHBoxLayout()
        self.min_count = self._spin(0, MAX_PER_AGENT, self.tr("At least this many calls"))
        self.min_count.setSpecialValueText(self.tr("No minimum"))
        self.min_channel = self._channel_combo(self.tr("Of the channel"), None)
        minimum.addWidget(self.min_count)
        minimum.addWidget(QLabel(self.tr("calls of the channel")))
        minimum.addWidget(self.min_channel, 1)
        caption = QLabel(self.tr("At &least:"))
        caption.setBuddy(self.min_count)
        form.addRow(caption, minimum)
        self.min_count.valueChanged.connect(lambda v: self.min_channel.setEnabled(v > 0))
        self.stratify = QCheckBox(self.tr("S&pread the sample over the channels"))
        self.stratify.setAccessibleName(self.tr("Spread over channels"))
        form.addRow("", self.stratify)
        return group

    def _draw_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Draw and assignment"))
        form = QFormLayout(group)
        seed_row = QHBoxLayout()
        self.seed = self._spin(0, MAX_SEED, self.tr("Seed"))
        self.new_seed = QPushButton(self.tr("Ne&w seed"))
        self.new_seed.setToolTip(
            self.tr("Draw another seed: the same seed always takes the same calls")
        )
        self.new_seed.clicked.connect(self.draw_seed)
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.new_seed)
        caption = QLabel(self.tr("S&eed:"))
        caption.setBuddy(self.seed)
        form.addRow(caption, seed_row)
        self.due_days = self._spin(0, MAX_DUE_DAYS, self.tr("Due after working days"))
        self.due_days.setSuffix(self.tr(" working days after the period"))
        self._row(form, self.tr("&Due:"), self.due_days, self.tr("Due after working days"))
        self.exclude_own_team = QCheckBox(self.tr("&Keep reviewers off their own team's calls"))
        self.exclude_own_team.setAccessibleName(self.tr("Keep reviewers off their own team"))
        form.addRow("", self.exclude_own_team)
        return group

    # ---------------------------------------------------------------- values
    def _load(self, rule: SamplingRule | None) -> None:
        if rule is None:
            self.sample.setChecked(True)
            self.per_agent.setValue(4)
            self.due_days.setValue(5)
            self.draw_seed()
            self.min_channel.setEnabled(False)
            return
        self.name.setText(rule.name)
        (self.sample if rule.kind is RuleKind.SAMPLE else self.every).setChecked(True)
        self.per_agent.setValue(rule.per_agent or 4)
        self.period.setCurrentIndex(max(0, self.period.findData(rule.period.value)))
        self.team.setCurrentIndex(max(0, self.team.findData(rule.team_id)))
        self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(rule.form_id)))
        self.channel.setCurrentIndex(max(0, self.channel.findData(rule.channel)))
        self.max_csat.setValue(rule.max_csat or 0)
        self.reason.setText(rule.contact_reason or "")
        self.min_minutes.setValue(round((rule.min_duration_s or 0) / 60))
        self.tenure.setValue(rule.tenure_days or 0)
        self.min_count.setValue(rule.min_channel_count)
        if rule.min_channel:
            self.min_channel.setCurrentIndex(max(0, self.min_channel.findData(rule.min_channel)))
        self.min_channel.setEnabled(rule.min_channel_count > 0)
        self.stratify.setChecked(rule.stratify)
        self.seed.setValue(rule.seed)
        self.due_days.setValue(rule.due_days)
        self.exclude_own_team.setChecked(rule.exclude_own_team)
        self._kind_changed()

    def _kind_changed(self, *_args: object) -> None:
        sample = self.sample.isChecked()
        for widget in (self.per_agent, self.stratify, self.min_count):
            widget.setEnabled(sample)
        self.min_channel.setEnabled(sample and self.min_count.value() > 0)

    def draw_seed(self) -> None:
        self.seed.setValue(random.randint(1, 999_999))

    def entered_rule(self) -> SamplingRule:
        """The rule as typed (not yet checked)."""
        sample = self.sample.isChecked()
        count = self.min_count.value() if sample else 0
        values = SamplingRule(
            id=None,
            name=self.name.text(),
            form_id=str(self.form_combo.currentData() or ""),
            kind=RuleKind.SAMPLE if sample else RuleKind.EVERY,
            team_id=self.team.currentData(),
            per_agent=self.per_agent.value() if sample else None,
            period=PeriodKind(self.period.currentData()),
            channel=self.channel.currentData(),
            max_csat=self.max_csat.value() or None,
            contact_reason=self.reason.text() or None,
            min_duration_s=float(self.min_minutes.value() * 60) or None,
            tenure_days=self.tenure.value() or None,
            min_channel=self.min_channel.currentData() if count else None,
            min_channel_count=count,
            stratify=sample and self.stratify.isChecked(),
            seed=self.seed.value(),
            due_days=self.due_days.value(),
            exclude_own_team=self.exclude_own_team.isChecked(),
        )
        if self.rule is None:
            return values
        return replace(values, id=self.rule.id, uuid=self.rule.uuid, active=self.rule.active)

    def save(self) -> None:
        self.error.clear()
        try:
            with self.services.waiting_at_most(GUI_WRITE_WAIT_S):
                self.saved = self.services.queue.save_rule(self.entered_rule())
        except DatabaseBusyError:
            self.error.show_message(
                self.tr(
                    "Another import or sync is writing to the database; the rule was not "
                    "saved. Press Save again in a moment."
                )
            )
            return
        except (ValueError, StorageError) as exc:  # RuleError, NotAllowedError
            log.info("Rule refused: %s", exc)
            self.error.show_message(self.tr("{0} Nothing was saved.").format(sentence(str(exc))))
            return
        self.changes = Changes(programme=True)
        self.accept()
