"""ChartWidget: a chart off screen waits to be seen before it builds and draws; a
rebuild reuses the canvas and figure; clicks on marked points are reported; the
context menu exports; a dark palette rebuilds it dark."""

from __future__ import annotations

from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from qa_monitor.reports.charts_style import ChartTheme, chart_style, clickable, reuse_axes
from qa_monitor.ui.widgets.chart_widget import ChartWidget


def line_chart(values: list[float]):
    def build(fig: Figure | None, theme: ChartTheme) -> Figure:
        with chart_style(theme):
            fig, (ax,) = reuse_axes(fig, "line", theme, lambda f: [f.add_subplot()], height=3)
            clickable(ax.plot(range(len(values)), values, marker="o"), "line")
            ax.set_xlim(-1, len(values))
            ax.set_ylim(0, 10)
            ax.set_title("Line")
        return fig

    return build


def test_off_screen_chart_builds_when_scrolled_into_view(qtbot) -> None:
    page = QWidget()
    column = QVBoxLayout(page)
    spacer = QWidget()
    spacer.setFixedHeight(2000)
    chart = ChartWidget("Below the fold")
    column.addWidget(spacer)
    column.addWidget(chart)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    scroll.resize(600, 400)
    qtbot.addWidget(scroll)
    scroll.show()
    qtbot.waitExposed(scroll)
    calls = []

    def build(fig, theme):
        calls.append(1)
        return line_chart([1, 2, 3])(fig, theme)

    chart.set_builder(build)
    qtbot.wait(20)
    assert chart.pending and not calls  # not seen: nothing built, nothing drawn
    with qtbot.waitSignal(chart.drawn, timeout=5000):
        scroll.ensureWidgetVisible(chart)
    assert not chart.pending and calls == [1]
    # Asking for the figure builds a waiting chart too (exports, tests).
    scroll.verticalScrollBar().setValue(0)
    chart.set_builder(build)
    assert chart.figure is not None and calls == [1, 1]


def test_rebuild_reuses_canvas_figure_and_axes_and_reports_clicks(qtbot, tmp_path) -> None:
    chart = ChartWidget("Line")
    qtbot.addWidget(chart)
    chart.resize(600, 400)
    chart.show()
    chart.set_builder(line_chart([1, 2, 3]))
    canvas, figure, axes = chart.canvas, chart.figure, chart.figure.axes[0]
    chart.set_builder(line_chart([4, 5, 6, 7]))
    assert chart.canvas is canvas and chart.figure is figure and figure.axes == [axes]
    assert len(axes.lines) == 1 and list(axes.lines[0].get_ydata()) == [4, 5, 6, 7]
    assert chart.revision == 2
    qtbot.waitUntil(lambda: hasattr(canvas, "renderer"))
    pos = chart.point_position("line", 2)
    with qtbot.waitSignal(chart.pointClicked) as clicked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == ["line", 2]
    far = pos.__class__(pos.x(), 5)
    with qtbot.assertNotEmitted(chart.pointClicked):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=far)
    actions = [a.text() for a in chart.export_menu.actions()]
    assert actions == ["Save as PNG image…", "Save as SVG vector image…", "Save as PDF document…"]
    assert chart.canvas.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    path = chart.export_to(tmp_path / "line.svg")
    assert path.read_text(encoding="utf-8").startswith("<?xml")


def test_palette_change_redraws_in_the_dark_theme(qtbot) -> None:
    chart = ChartWidget("Line")
    qtbot.addWidget(chart)
    chart.show()
    chart.set_builder(line_chart([1, 2]))
    assert sum(to_rgb(chart.figure.get_facecolor())) > 2.5  # light by default
    palette = QPalette(chart.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor("#1b1b1b"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    chart.setPalette(palette)
    fig = chart.figure
    assert to_rgb(fig.get_facecolor()) == to_rgb("#1b1b1b")
    assert sum(to_rgb(fig.axes[0].title.get_color())) > 2.5
    assert chart.revision == 2


def test_the_keyboard_steps_through_points_and_clicks_one(qtbot) -> None:
    """Tab into the chart, → and ← move between points (a ring, a tooltip and the
    accessible description follow), Home/End jump, Enter clicks like the mouse."""
    chart = ChartWidget("Keyboard")
    chart.describe = lambda key, index: f"{key} point {index + 1}"
    qtbot.addWidget(chart)
    chart.resize(600, 320)
    chart.show()
    qtbot.waitExposed(chart)
    with qtbot.waitSignal(chart.drawn, timeout=5000):
        chart.set_builder(line_chart([2, 5, 3, 7]))
    canvas = chart.canvas
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    assert chart.targets() == [("line", i) for i in range(4)]
    assert chart.focused_target == ("line", 0)
    assert canvas.accessibleDescription() == "line point 1"
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert chart.focused_target == ("line", 1)
    assert canvas.accessibleDescription() == "line point 2"
    # The ring is drawn in the highlight colour around the point.
    ring = chart._focus_ring()
    assert ring == chart.point_position("line", 1)
    image = canvas.grab().toImage()
    highlight = canvas.palette().color(QPalette.ColorRole.Highlight)
    edge = image.pixelColor(ring.x() + 9, ring.y())
    assert abs(edge.red() - highlight.red()) + abs(edge.blue() - highlight.blue()) < 90
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert chart.focused_target == ("line", 3)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # stays at the last point
    assert chart.focused_target == ("line", 3)
    with qtbot.waitSignal(chart.pointClicked) as clicked:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert clicked.args == ["line", 3]
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert chart.focused_target == ("line", 0)


def test_a_chart_first_shown_on_a_tab_is_drawn_once_at_its_own_height(qtbot) -> None:
    """A chart on a tab not yet shown waits; shown, it gets a resize (which asks for a
    draw) before its paint builds it. Before, the waiting figure was drawn at the old
    height by that resize, then the built one again: two draws (100-200 ms each on the
    Drivers tab at 1M evaluations) where one is needed."""
    from PySide6.QtWidgets import QTabWidget

    tabs = QTabWidget()
    tabs.addTab(QWidget(), "First")
    page = QWidget()
    chart = ChartWidget("On the second tab")
    QVBoxLayout(page).addWidget(chart)
    tabs.addTab(page, "Second")
    tabs.resize(700, 600)
    qtbot.addWidget(tabs)
    tabs.show()
    qtbot.waitExposed(tabs)
    chart.set_builder(line_chart([1, 5, 3]))  # 3 inches high; the empty canvas is taller
    qtbot.wait(50)
    heights: list[int] = []
    chart.drawn.connect(lambda: heights.append(chart.canvas.height()))
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: bool(heights))
    qtbot.wait(200)  # anything else queued has run
    figure = chart.canvas.figure
    expected = round(figure.get_figheight() * figure.dpi / (chart.canvas.device_pixel_ratio or 1))
    assert heights == [expected]
