"""Before Qt opens a window on Linux: are the system libraries its "xcb" plugin needs there?

Without them Qt prints "Could not load the Qt platform plugin "xcb" even though it was
found" and aborts, which names neither the library nor the package. This checks the
same libraries (``ldd`` of PySide6's ``libqxcb.so``, less those PySide6 ships) and says
which Debian/Ubuntu packages to install. No Qt import here: it runs before Qt loads.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# The system libraries libqxcb.so and libQt6XcbQpa.so.6 link (PySide6 6.11, Debian 12),
# with the Debian/Ubuntu package that installs each.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _loads(soname: str) -> bool:
    # A frozen build carries most of these beside Qt, which finds them there (RPATH);
    # the dynamic loader, asked by name, would look only in the system's folders.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / soname).exists():
        soname = str(Path(bundle) / soname)
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(
    environ: Mapping[str, str] | None = None, qt_args: Sequence[str] = (), platform: str = ""
) -> bool:
    """Whether Qt will try the xcb plugin: on Linux, asked for (``QT_QPA_PLATFORM`` or
    ``-platform``), or by default outside a Wayland session."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    for i, arg in enumerate(qt_args):
        name, _, value = arg.lstrip("-").partition("=")
        if name == "platform":
            chosen = value or (qt_args[i + 1] if i + 1 < len(qt_args) else "")
    if chosen:
        # "wayland;xcb" falls back to xcb, but only after Wayland failed: not checked.
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return env.get("XDG_SESSION_TYPE") != "wayland" and not env.get("WAYLAND_DISPLAY")


def missing_xcb_packages(loads: Callable[[str], bool] | None = None) -> list[str]:
    """The packages whose libraries cannot be loaded, in a stable order, each once."""
    loads = loads or _loads
    missing: list[str] = []
    for soname, package in XCB_LIBRARIES.items():
        if package not in missing and not loads(soname):
            missing.append(package)
    return missing


def missing_libraries_sentence(packages: Sequence[str]) -> str:
    return (
        'QA Monitor cannot open its window: the Qt platform plugin "xcb" needs system '
        "libraries that are not installed ({0}). On Debian or Ubuntu, install them with: "
        "sudo apt-get install {0}"
    ).format(" ".join(packages))
