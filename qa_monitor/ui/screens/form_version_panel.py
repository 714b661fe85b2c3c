"""Beside the forms list: the selected version in brief and what it is worth per section.

A form row shows its draft if it has one, else its latest published version.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from qa_monitor.core.forms import Form
from qa_monitor.core.records import FormInfo, FormStatus, FormVersionSummary
from qa_monitor.ui.designer.form_summary_widget import FormSummaryWidget
from qa_monitor.ui.widgets.widget_style import muted_label, scaled_font


class FormVersionPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setFont(scaled_font(self.heading.font(), 1.15, bold=True))
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.details = muted_label("")
        self.details.setWordWrap(True)
        self.details.setAccessibleName(self.tr("Selected form"))
        self.summary = FormSummaryWidget()
        self.placeholder = muted_label(
            self.tr("Select a form to see its sections and what each is worth.")
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.summary)
        self.pages.addWidget(self.placeholder)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addWidget(self.pages, 1)
        self.show_version(None, None, None)

    def show_version(
        self, info: FormInfo | None, version: FormVersionSummary | None, form: Form | None
    ) -> None:
        """``version`` is the one shown (for a form row: its draft or latest version)."""
        if info is None or version is None or form is None:
            self.heading.setText(self.tr("No form selected"))
            self.details.setText(
                self.tr("Select a form to edit, publish, compare or export it.")
                if info is None
                else self.tr("This form has no version yet.")
            )
            self.pages.setCurrentWidget(self.placeholder)
            return
        if version.status is FormStatus.DRAFT:
            heading = self.tr("{0} — draft of version {1}")
            details = self.tr("Not published yet: reviewers cannot use it. Publish it when ready.")
        else:
            heading = self.tr("{0} — version {1}")
            details = self.tr(
                "%n evaluation(s) made with this version.", "", version.evaluation_count
            )
            if info.status is FormStatus.RETIRED:
                details += " " + self.tr("The form is retired: bring it back to use it.")
        self.heading.setText(heading.format(info.title, version.version))
        self.details.setText(details)
        self.summary.set_form(form)
        self.pages.setCurrentWidget(self.summary)
