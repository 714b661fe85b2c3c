"""Which evaluations an export counts: regular, submitted ones unless the user ticks
drafts, calibration evaluations or self-reviews (``reports.counting_rule``'s rule, the
dashboard's default).

The boxes start from what the screen's filter asks for explicitly (a filter on the draft
status ticks "drafts"), else unticked; the line below them says in one sentence what
will be counted, and ``changed`` fires on every tick.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from qa_monitor.core.records import EvaluationKind
from qa_monitor.reports.counting_rule import CountingRule
from qa_monitor.ui.widgets.wrapping_label import WrappingLabel


def tr(text: str) -> str:
    return QCoreApplication.translate("CountingRule", text)


def kind_names(kinds: Iterable[EvaluationKind]) -> str:
    """The kinds as a list of translated names, in their fixed order."""
    names = {
        EvaluationKind.REGULAR: tr("regular"),
        EvaluationKind.CALIBRATION: tr("calibration"),
        EvaluationKind.SELF: tr("self-review"),
    }
    chosen = set(kinds)
    return ", ".join(names[k] for k in EvaluationKind if k in chosen)


def counted_text(kinds: Iterable[EvaluationKind], include_drafts: bool) -> str:
    """One sentence saying which evaluations are counted; no kind named means every kind
    (as in a filter)."""
    names = kind_names(kinds)
    if include_drafts:
        if not names:
            return tr("Counted: evaluations of every kind, drafts included.")
        return tr("Counted: evaluations of kind {0}, drafts included.").format(names)
    if not names:
        return tr("Counted: evaluations of every kind that were submitted; drafts are left out.")
    return tr("Counted: evaluations of kind {0} that were submitted; drafts are left out.").format(
        names
    )


class CountingRuleWidget(QGroupBox):
    changed = Signal()

    def __init__(self, rule: CountingRule, parent: QWidget | None = None):
        super().__init__(self.tr("Which evaluations to count"), parent)
        layout = QVBoxLayout(self)
        self.drafts = QCheckBox(self.tr("Include &drafts (not submitted yet; no score)"))
        self.calibration = QCheckBox(
            self.tr("Include c&alibration evaluations (several reviewers score one call)")
        )
        self.self_review = QCheckBox(self.tr("Include s&elf-reviews (the agent's own view)"))
        self.drafts.setChecked(rule.include_drafts)
        self.calibration.setChecked(EvaluationKind.CALIBRATION in rule.kinds)
        self.self_review.setChecked(EvaluationKind.SELF in rule.kinds)
        self.summary = WrappingLabel()
        self.summary.setProperty("role", "muted")
        self.summary.setAccessibleName(self.tr("Evaluations counted"))
        for box in (self.drafts, self.calibration, self.self_review):
            layout.addWidget(box)
            box.toggled.connect(self._toggled)
        layout.addWidget(self.summary)
        self._show()

    def rule(self) -> CountingRule:
        kinds = [EvaluationKind.REGULAR]
        if self.calibration.isChecked():
            kinds.append(EvaluationKind.CALIBRATION)
        if self.self_review.isChecked():
            kinds.append(EvaluationKind.SELF)
        return CountingRule(self.drafts.isChecked(), tuple(kinds))

    def _toggled(self, _checked: bool) -> None:
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        rule = self.rule()
        self.summary.setText(counted_text(rule.kinds, rule.include_drafts))
