"""Where things live: the user's data directory and the bundled forms and resources.

Works from a source checkout, an installed wheel and a PyInstaller build.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "QA Monitor"
APP_AUTHOR = "QA Monitor"
# Overrides the data directory (tests, portable installs).
DATA_DIR_ENV = "QA_MONITOR_DATA_DIR"


def data_dir() -> Path:
    """The per-user data directory (created if missing)."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def matplotlib_config_dir() -> Path:
    return data_dir() / "matplotlib"


def use_data_dir_for_matplotlib() -> None:
    """Point matplotlib's config and font cache (MPLCONFIGDIR) into the data directory,
    unless the user chose a folder: a portable install then leaves nothing in the user's
    profile, and the frozen app keeps its font cache between starts instead of building
    it again (2-3 s) in a new temporary folder each time. Has no effect once matplotlib
    is imported, so the command line calls it first."""
    if "matplotlib" in sys.modules or os.environ.get("MPLCONFIGDIR"):
        return
    folder = matplotlib_config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(folder)


def settings_dir() -> Path | None:
    """Where QSettings go when ``QA_MONITOR_DATA_DIR`` is set (a portable install keeps
    them beside its data); None: the platform's usual place (registry, ~/.config...)."""
    return data_dir() / "settings" if os.environ.get(DATA_DIR_ENV) else None


def default_database_path() -> Path:
    return data_dir() / "qa-monitor.db"


def demo_database_path() -> Path:
    return data_dir() / "qa-monitor-demo.db"


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bundle_root() -> Path | None:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else None


def _checkout_root() -> Path:
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The resources/ folder (icons, styles, translations)."""
    bundle = _bundle_root()
    if bundle is not None:
        return bundle / "resources"
    checkout = _checkout_root() / "resources"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "_resources"


# The icon font (Material Design Icons 6) as the qtawesome package ships it, with its
# character map (name -> code point); the frozen app carries these two files only.
ICON_FONT_GLOB = "materialdesignicons6-webfont-[0-9]*.ttf"


def icon_font_files() -> tuple[Path, Path]:
    """The icon font and its character map: in the bundle, else in the installed
    qtawesome package (found without importing it: its import is slow)."""
    bundle = _bundle_root()
    if bundle is not None:
        folder = bundle / "qtawesome" / "fonts"
    else:
        spec = importlib.util.find_spec("qtawesome")
        if spec is None or spec.origin is None:
            raise FileNotFoundError("The qtawesome package, which holds the icon font, is missing.")
        folder = Path(spec.origin).parent / "fonts"
    fonts = sorted(folder.glob(ICON_FONT_GLOB))
    if not fonts:
        raise FileNotFoundError(f"The icon font is missing from {folder}.")
    ttf = fonts[-1]
    version = ttf.stem.rsplit("-", 1)[-1]
    return ttf, folder / f"materialdesignicons6-webfont-charmap-{version}.json"
