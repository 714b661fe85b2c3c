"""Where a chart's click targets are: the points, bars and bar collections a builder
marked with ``charts_style.clickable``, found in a drawn Figure.

A target is ``(key, index)``: a line's point, a bar collection's path, or an indexed
bar patch (gid ``key:index``). Positions are matplotlib display pixels (origin at the
bottom left); the chart widget converts them to widget coordinates.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

Target = tuple[str, int]


def target_at(figure: Figure, x: float, y: float, radius: float) -> Target | None:
    """The target under display point (x, y): the nearest point within ``radius``, else
    a bar containing it."""
    best: tuple[float, str, int] | None = None
    for ax in figure.axes:
        for line in ax.lines:
            if not line.get_picker() or not isinstance(line, Line2D):
                continue
            xy = ax.transData.transform(np.asarray(line.get_xydata(), dtype=float))
            distance = np.hypot(xy[:, 0] - x, xy[:, 1] - y)
            distance[np.isnan(distance)] = np.inf
            if not len(distance):
                continue
            i = int(np.argmin(distance))
            if distance[i] <= radius and (best is None or distance[i] < best[0]):
                best = (float(distance[i]), str(line.get_gid()), i)
        for patch in ax.patches:
            gid = patch.get_gid()
            if patch.get_picker() and gid and patch.contains_point((x, y)):
                key, _, index = str(gid).rpartition(":")
                if best is None:
                    best = (radius, key, int(index))
        if best is None:
            point = ax.transData.inverted().transform((x, y))
            for collection in ax.collections:
                if collection.get_picker() and collection.get_gid():
                    for i, path in enumerate(collection.get_paths()):
                        if path.contains_point(point):
                            return str(collection.get_gid()), i
    return None if best is None else (best[1], best[2])


def target_position(figure: Figure, key: str, index: int) -> tuple[float, float]:
    """The display position of a target (a point, or a bar's centre); KeyError if the
    figure has no such target."""
    for ax in figure.axes:
        for line in ax.lines:
            if line.get_picker() and line.get_gid() == key and isinstance(line, Line2D):
                x, y = ax.transData.transform(np.asarray(line.get_xydata())[index])
                return float(x), float(y)
        for patch in ax.patches:
            if patch.get_picker() and patch.get_gid() == f"{key}:{index}":
                box = patch.get_window_extent()
                return box.x0 + box.width / 2, box.y0 + box.height / 2
        for collection in ax.collections:
            if collection.get_picker() and collection.get_gid() == key:
                box = collection.get_paths()[index].get_extents(ax.transData)
                return box.x0 + box.width / 2, box.y0 + box.height / 2
    raise KeyError(f"no click target {key}:{index}")


def targets_in_order(figure: Figure) -> list[Target]:
    """Every target in reading order: chart by chart from the top, then left to right
    (top to bottom for horizontal bars); what the keyboard steps through."""
    found: list[tuple[float, float, float, str, int]] = []
    for ax in figure.axes:
        row = -ax.bbox.y1  # the axes' top: one chart's targets stay together
        for line in ax.lines:
            if line.get_picker() and isinstance(line, Line2D) and line.get_gid():
                xy = ax.transData.transform(np.asarray(line.get_xydata(), dtype=float))
                for i, (x, y) in enumerate(xy):
                    if not (np.isnan(x) or np.isnan(y)):
                        found.append((row, float(x), -float(y), str(line.get_gid()), i))
        for patch in ax.patches:
            gid = patch.get_gid()
            if patch.get_picker() and gid:
                key, _, index = str(gid).rpartition(":")
                box = patch.get_window_extent()
                found.append((row, box.x0, -box.y1, key, int(index)))
        for collection in ax.collections:
            if collection.get_picker() and collection.get_gid():
                for i, path in enumerate(collection.get_paths()):
                    box = path.get_extents(ax.transData)
                    found.append((row, box.x0, -box.y1, str(collection.get_gid()), i))
    found.sort(key=lambda t: t[:3])
    return [(key, index) for *_place, key, index in found]
