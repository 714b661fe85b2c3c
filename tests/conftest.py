"""Test-wide setup: Qt runs offscreen, and no test touches the user's real data."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep matplotlib's font cache and the app's data dir out of the user's home.
os.environ.setdefault("MPLBACKEND", "Agg")
