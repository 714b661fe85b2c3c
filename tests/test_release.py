"""Release hygiene: one version, a licence field setuptools keeps accepting, PyInstaller
pinned, and the installers' files name the icon and take the version from the build."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from qa_monitor import __version__

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_once():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "qa_monitor.__version__"
    }
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    iss = (ROOT / "installer" / "windows" / "qa_monitor.iss").read_text(encoding="utf-8")
    assert "AppVersion={#AppVersion}" in iss and __version__ not in iss


def test_licence_is_an_spdx_expression_with_its_file():
    project = PYPROJECT["project"]
    assert isinstance(project["license"], str)  # not the {text = ...} table
    for name in project["license-files"]:
        assert (ROOT / name).is_file()
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if "setuptools" in r]
    assert setuptools == "setuptools>=77"


def test_pyinstaller_is_pinned_in_the_build_extra():
    (pin,) = PYPROJECT["project"]["optional-dependencies"]["build"]
    assert re.fullmatch(r"pyinstaller==\d+\.\d+\.\d+", pin)


def test_every_icon_the_bundles_use_exists():
    icons = ROOT / "resources" / "icons"
    for name in ("qa-monitor.svg", "qa-monitor.ico", "qa-monitor.icns"):
        assert (icons / name).is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (icons / "png" / f"qa-monitor-{size}.png").is_file()
    desktop = (ROOT / "installer" / "qa-monitor.desktop").read_text(encoding="utf-8")
    assert "Exec=qa-monitor %f" in desktop and "Icon=qa-monitor" in desktop


def test_the_windows_installer_keeps_user_data_and_deploys_silently():
    iss = (ROOT / "installer" / "windows" / "qa_monitor.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequiredOverridesAllowed=dialog commandline" in iss
    assert "[UninstallDelete]" not in iss.replace("No [UninstallDelete]", "")
    assert "{autoprograms}" in iss and "skipifsilent" in iss


def test_the_window_uses_the_icon(qapp):
    from qa_monitor.app import application_icon

    icon = application_icon()
    assert not icon.isNull() and len(icon.availableSizes()) == 8
