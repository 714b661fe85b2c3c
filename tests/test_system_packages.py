"""README's list of system packages for a bare Debian/Ubuntu desktop is the one .ci/run
installs, and it covers every library the X11 pre-flight checks (qt_preflight)."""

from __future__ import annotations

import re
from pathlib import Path

from qa_monitor.qt_preflight import XCB_LIBRARIES

ROOT = Path(__file__).resolve().parent.parent


def readme_packages() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^sudo apt-get install (.+)$", text, flags=re.MULTILINE)
    return line.split()


def ci_packages() -> list[str]:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r"^desktop_packages=\(([^)]*)\)", text, flags=re.MULTILINE)
    assert match, "desktop_packages=(...) not found in .ci/run"
    return match.group(1).split()


def test_readme_and_ci_install_the_same_packages():
    assert readme_packages() == ci_packages()


def test_the_list_covers_what_the_window_and_playback_need():
    listed = set(readme_packages())
    assert set(XCB_LIBRARIES.values()) <= listed
    assert {"libpulse0", "libxcb-icccm4", "libxcb-keysyms1"} <= listed


def test_ci_ends_with_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    last = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"\n{last}\n" in readme
