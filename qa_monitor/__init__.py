"""QA Monitor: offline quality assurance for contact centres."""

# The one place the version is written: pyproject.toml reads it (dynamic version), the
# About box, --version, the self-test, exports, the macOS bundle and the Windows installer
# (installer/windows/qa_monitor.iss gets it from the build script) all use this.
__version__ = "0.2.0"
