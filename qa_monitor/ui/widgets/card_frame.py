"""The look shared by every question card: a palette-painted frame plus per-form shared parts.

Fonts, palettes and translated strings are made once per form (``CardKit``) rather than once
per card, because a 150-question form builds well over a thousand widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qa_monitor.core.forms import Section
from qa_monitor.ui.widgets.widget_style import aligned, danger_color, mix, muted_color, scaled_font


def _t(text: str) -> str:
    return QCoreApplication.translate("QuestionCard", text)


@dataclass(frozen=True, slots=True)
class CardKit:
    unit: int  # one font height in pixels
    text_font: QFont
    bold_font: QFont
    marker_font: QFont
    title_font: QFont
    muted: QPalette
    danger: QPalette
    strings: dict[str, str]

    @classmethod
    def for_widget(cls, widget: QWidget) -> CardKit:
        base = widget.font()
        palette = widget.palette()
        muted, danger = QPalette(palette), QPalette(palette)
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
            muted.setColor(role, muted_color(palette))
            danger.setColor(role, danger_color(palette))
        strings = {
            "question": _t("Question %1: %2"),
            "critical_form": _t("⚠ CRITICAL · auto-fail"),
            "critical_section": _t("⚠ CRITICAL · section"),
            "critical_form_tip": _t("A failing answer sets the whole evaluation to 0."),
            "critical_section_tip": _t("A failing answer sets this section to 0."),
            "bonus": _t("★ Bonus"),
            "points": _t("%1 points"),
            "not_scored": _t("Not scored"),
            "guidance": _t("Show guidance"),
            "comment": _t("Comment"),
            "show_comment": _t("Show comment"),
            "comment_required": _t("Comment (required for this answer)"),
            "answer": _t("Answer"),
            "na": _t("N/A"),
            "not_applicable": _t("Not applicable"),
            "answered": _t("answered"),
            "not_answered": _t("not answered"),
        }
        return cls(
            unit=widget.fontMetrics().height(),
            text_font=scaled_font(base, 1.05),
            bold_font=scaled_font(base, 1.05, bold=True),
            marker_font=scaled_font(base, 0.9, bold=True),
            title_font=scaled_font(base, 1.25, bold=True),
            muted=muted,
            danger=danger,
            strings=strings,
        )

    def px(self, ems: float) -> int:
        return round(self.unit * ems)

    def label(self, text: str, parent: QWidget, *, palette: QPalette | None = None) -> QLabel:
        label = QLabel(text, parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if palette is not None:
            label.setPalette(palette)
        return label


class CardFrame(QWidget):
    """Paints the card: Base fill, a thin border, and for the current question a highlight
    border with an accent bar on the leading edge (a problem gets a warning-coloured border)."""

    def __init__(self, kit: CardKit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kit = kit
        self._current = False
        self._has_problem = False

    def set_current(self, current: bool) -> None:
        if current != self._current:
            self._current = current
            self.update()

    def is_current(self) -> bool:
        return self._current

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        highlight = pal.color(QPalette.ColorRole.Highlight)
        if self._current:
            border, width = highlight, 2.0
        elif self._has_problem:
            border, width = danger_color(pal), 2.0
        else:
            window, text = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Text)
            border, width = mix(window, text, 0.2), 1.0
        rect = QRectF(self.rect()).adjusted(width / 2, width / 2, -width / 2, -width / 2)
        painter.setPen(QPen(border, width))
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 6, 6)
        if self._current:
            bar = QRectF(rect.x(), rect.y() + 6, self._kit.unit * 0.3, rect.height() - 12)
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
                bar.moveRight(rect.right())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(highlight)
            painter.drawRoundedRect(bar, 2, 2)


def section_header(section: Section, kit: CardKit, parent: QWidget) -> QWidget:
    """A section's title, its category label and its description, above its cards."""
    header = QWidget(parent)
    layout = QVBoxLayout(header)
    layout.setContentsMargins(0, kit.px(0.5), 0, 0)
    layout.setSpacing(kit.px(0.1))
    title = kit.label(section.title, header)
    title.setFont(kit.title_font)
    title.setWordWrap(True)
    layout.addWidget(title)
    category = QCoreApplication.translate("Category", section.category.label)
    category_label = kit.label(aligned(parent, category.upper()), header, palette=kit.muted)
    category_label.setFont(kit.marker_font)
    layout.addWidget(category_label)
    if section.description:
        description = kit.label(section.description, header, palette=kit.muted)
        description.setWordWrap(True)
        layout.addWidget(description)
    header.setAccessibleName(f"{section.title} — {category}")
    return header
