"""Draws a change's sentence with, under it, the changed words of a text: removed words
struck through and added words underlined, each also in its colour (never colour alone).

The model gives the sentence (DisplayRole) and the word pieces (``WORDS_ROLE``, from
``core.word_diff``); rows without pieces are drawn as usual.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from qa_monitor.core.word_diff import WordChange, WordPiece
from qa_monitor.ui.widgets.widget_style import danger_color, success_color

Index = QModelIndex | QPersistentModelIndex
WORDS_ROLE = Qt.ItemDataRole.UserRole + 10


def pieces_html(pieces: tuple[WordPiece, ...], palette: QPalette) -> str:
    """The pieces as rich text: <s> for removed words, <u> for added ones, in colour."""
    removed, added = danger_color(palette).name(), success_color(palette).name()
    out = []
    for kind, text in pieces:
        words = escape(text)
        if kind is WordChange.REMOVED:
            out.append(f'<s style="color:{removed}">{words}</s>')
        elif kind is WordChange.ADDED:
            out.append(f'<u style="color:{added}"><b>{words}</b></u>')
        else:
            out.append(words)
    return "".join(out)


class WordDiffDelegate(QStyledItemDelegate):
    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument | None:
        pieces = index.data(WORDS_ROLE)
        if not pieces:
            return None
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        text_option = doc.defaultTextOption()
        text_option.setTextDirection(option.direction)
        text_option.setWrapMode(text_option.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(text_option)
        palette = option.palette
        sentence = escape(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        doc.setHtml(f"<p>{sentence}</p><p>{pieces_html(tuple(pieces), palette)}</p>")
        doc.setDocumentMargin(3)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        doc = self._document(view_option, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        rect = view_option.rect
        widget = view_option.widget
        style = widget.style() if widget is not None else QApplication.style()
        view_option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view_option, painter, widget)
        doc.setTextWidth(rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = view_option.state & QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, view_option.palette.color(role))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(rect.translated(-rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        doc = self._document(view_option, index)
        if doc is None:
            return super().sizeHint(option, index)
        view = self.parent()
        width = view.columnWidth(index.column()) if isinstance(view, QTableView) else 0
        doc.setTextWidth(max(width, 100))
        return QSize(int(doc.idealWidth()), int(doc.size().height()))
