"""The live score beside the form: overall score, verdict, progress, sections, categories and
critical causes, compact enough to stay visible without scrolling for about eight sections."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qa_monitor.core.forms import CriticalLevel, Form
from qa_monitor.core.scoring import ScoreResult
from qa_monitor.ui.widgets.widget_style import (
    aligned,
    danger_color,
    em,
    format_score,
    leading,
    ltr,
    mix,
    muted_color,
    scaled_font,
    set_text_color,
    success_color,
)

PANEL_EMS = 17  # the score panel's width, in font heights


class NameLabel(QLabel):
    """A section or category name shown whole: it wraps onto more lines rather than being
    cut to "Unde…" (the panel's width is fixed); the full text is also its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)


class ScorePanelWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Score"))
        # A fixed width: PASS/FAIL, the band and long names must not resize the panel and
        # push every card of the form sideways while the reviewer scores.
        self.setFixedWidth(em(self, PANEL_EMS))
        layout = QVBoxLayout(self)
        layout.setSpacing(em(self, 0.3))
        self.score_label = QLabel(self)
        self.score_label.setFont(scaled_font(self.font(), 2.6, bold=True))
        self.before_label = self._muted()
        self.verdict_label = QLabel(self)
        self.verdict_label.setFont(scaled_font(self.font(), 1.15, bold=True))
        self.pass_mark_label = self._muted()
        self.progress_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(em(self, 0.5))
        self.progress.setAccessibleName(self.tr("Questions answered"))
        for label in (
            self.before_label,
            self.verdict_label,
            self.pass_mark_label,
            self.progress_label,
        ):
            label.setWordWrap(True)
        for widget in (
            self.score_label,
            self.before_label,
            self.verdict_label,
            self.pass_mark_label,
            self.progress_label,
            self.progress,
        ):
            layout.addWidget(widget)
        self._sections_grid = self._titled_grid(layout, self.tr("Sections"))
        self._categories_grid = self._titled_grid(layout, self.tr("Categories"))
        self.causes_title = self._heading(self.tr("Critical failures"))
        layout.addWidget(self.causes_title)
        self.causes_label = QLabel(self)
        self.causes_label.setWordWrap(True)
        self.causes_label.setTextFormat(Qt.TextFormat.PlainText)
        set_text_color(self.causes_label, danger_color(self.palette()))
        layout.addWidget(self.causes_label)
        layout.addStretch(1)
        self._section_rows: list[tuple[QLabel, QLabel, QLabel]] = []
        self._category_rows: list[tuple[QLabel, QLabel, QLabel]] = []
        self.clear()

    # ------------------------------------------------------------------ building
    def _muted(self) -> QLabel:
        label = QLabel(self)
        set_text_color(label, muted_color(self.palette()))
        return label

    def _heading(self, text: str) -> QLabel:
        label = QLabel(aligned(self, text), self)
        label.setFont(scaled_font(self.font(), 0.9, bold=True))
        set_text_color(label, muted_color(self.palette()))
        return label

    def _titled_grid(self, layout: QVBoxLayout, title: str) -> QGridLayout:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        window = self.palette().color(QPalette.ColorRole.Window)
        set_text_color(line, mix(window, self.palette().color(QPalette.ColorRole.WindowText), 0.25))
        layout.addSpacing(em(self, 0.3))
        layout.addWidget(line)
        layout.addWidget(self._heading(title.upper()))
        grid = QGridLayout()
        grid.setHorizontalSpacing(em(self, 0.5))
        grid.setVerticalSpacing(em(self, 0.15))
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        return grid

    def _rows(
        self, grid: QGridLayout, rows: list[tuple[QLabel, QLabel, QLabel]], count: int
    ) -> list[tuple[QLabel, QLabel, QLabel]]:
        """Reuse the grid's rows, adding or hiding some so exactly ``count`` show."""
        while len(rows) < count:
            mark, name, value = QLabel(self), NameLabel("", self), QLabel(self)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            mark.setFixedWidth(em(self, 1.0))
            set_text_color(mark, danger_color(self.palette()))
            row = len(rows)
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(mark, row, 0, top)
            grid.addWidget(name, row, 1)
            grid.addWidget(value, row, 2, top)
            rows.append((mark, name, value))
        for index, row_widgets in enumerate(rows):
            for widget in row_widgets:
                widget.setVisible(index < count)
        return rows[:count]

    # ------------------------------------------------------------------ showing a result
    def clear(self) -> None:
        """Nothing scored yet: dashes, and a hint of what to do."""
        self.score_label.setText(leading(self, format_score(None)))
        self.score_label.setAccessibleName(self.tr("Score: not scored yet"))
        self.before_label.hide()
        self.verdict_label.setText(self.tr("Answer questions to see the score"))
        set_text_color(self.verdict_label, muted_color(self.palette()))
        self.pass_mark_label.hide()
        self.progress_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._rows(self._sections_grid, self._section_rows, 0)
        self._rows(self._categories_grid, self._category_rows, 0)
        self.causes_title.hide()
        self.causes_label.hide()

    def update_result(self, form: Form, result: ScoreResult) -> None:
        score_text = format_score(result.score)
        self.score_label.setText(leading(self, score_text))
        provisional = not result.complete and result.score is not None
        name = self.tr("Score (provisional): %1") if provisional else self.tr("Score: %1")
        self.score_label.setAccessibleName(name.replace("%1", score_text))
        # Greyed while provisional: a 100% after one answer is not a result yet.
        set_text_color(
            self.score_label,
            muted_color(self.palette())
            if provisional
            else self.palette().color(QPalette.ColorRole.WindowText),
        )
        before = result.score_before_critical
        show_before = before is not None and result.score is not None and before != result.score
        self.before_label.setVisible(show_before)
        if show_before:
            self.before_label.setText(
                self.tr("Before critical failures: %1").replace("%1", ltr(format_score(before)))
            )
        self._show_verdict(result)
        pass_mark = ltr(format_score(form.settings.pass_mark))
        self.pass_mark_label.setText(self.tr("Pass mark: %1").replace("%1", pass_mark))
        self.pass_mark_label.show()
        self.progress_label.setText(
            self.tr("Answered %1 of %2")
            .replace("%1", str(result.asked_answered))
            .replace("%2", str(result.asked))
        )
        self.progress.setRange(0, max(result.asked, 1))
        self.progress.setValue(result.asked_answered)
        self._show_sections(form, result)
        self._show_categories(result)
        self._show_causes(form, result)

    def _show_verdict(self, result: ScoreResult) -> None:
        if result.passed is None:
            text, color = self.tr("— Not scored yet"), muted_color(self.palette())
        elif result.passed:
            text, color = self.tr("✔ PASS"), success_color(self.palette())
        else:
            text, color = self.tr("✘ FAIL"), danger_color(self.palette())
        if result.auto_failed:
            text += " · " + self.tr("auto-fail")
        elif result.band:
            text += f" · {result.band}"
        if result.passed is not None and not result.complete:
            left = result.asked - result.asked_answered
            text = self.tr("%1 (provisional: %n question(s) to answer)", "", left).replace(
                "%1", text
            )
        self.verdict_label.setText(text)
        set_text_color(self.verdict_label, color)

    def _show_sections(self, form: Form, result: ScoreResult) -> None:
        rows = self._rows(self._sections_grid, self._section_rows, len(result.sections))
        for (mark, name, value), score in zip(rows, result.sections, strict=True):
            section = form.section(score.section_id)
            title = section.title if section else score.section_id
            category = _category_label(score.category.label)
            name.setText(f"{title} · {category}")
            percent = score.percent
            value.setText(ltr(format_score(percent)) if percent is not None else self.tr("N/A"))
            failed = score.critical_failed
            mark.setText("✗" if failed else "")
            mark.setToolTip(self.tr("Critical failure: section set to 0") if failed else "")
            mark.setAccessibleName(mark.toolTip())

    def _show_categories(self, result: ScoreResult) -> None:
        rows = self._rows(self._categories_grid, self._category_rows, len(result.categories))
        for (mark, name, value), score in zip(rows, result.categories, strict=True):
            mark.setText("")
            name.setText(_category_label(score.category.label))
            percent = score.percent
            value.setText(ltr(format_score(percent)) if percent is not None else self.tr("N/A"))

    def _show_causes(self, form: Form, result: ScoreResult) -> None:
        lines = []
        for cause in result.critical_causes:
            question = form.question(cause.question_id)
            option = question.option(cause.option_id) if question else None
            text = question.text if question else cause.question_id
            answer = option.label if option else cause.option_id
            if cause.level is CriticalLevel.FORM:
                prefix = self.tr("Auto-fail")
            else:
                section = form.section(cause.section_id)
                prefix = self.tr("Section %1 set to 0").replace(
                    "%1", section.title if section else cause.section_id
                )
            lines.append(f"✗ {prefix}: {text} → {answer}")
        self.causes_label.setText("\n".join(lines))
        self.causes_title.setVisible(bool(lines))
        self.causes_label.setVisible(bool(lines))

    def causes_text(self) -> str:
        return self.causes_label.text() if self.causes_label.isVisibleTo(self) else ""


def _category_label(label: str) -> str:
    return QCoreApplication.translate("Category", label)
