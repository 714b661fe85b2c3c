"""QA Monitor: offline quality assurance for contact centres."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qa-monitor")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.1.0"
