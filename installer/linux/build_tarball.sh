#!/usr/bin/env bash
# Build the Linux bundle: dist/qa-monitor-<version>-linux-<arch>.tar.gz
#   installer/linux/build_tarball.sh          (from the repo root, with ".[build]" installed)
# Steps: freeze with PyInstaller, run the frozen app's --self-test, then pack the folder
# with the desktop entry, the icons and install.sh/uninstall.sh. An AppImage would need
# appimagetool, which this project does not fetch; the tarball installs per user or
# system-wide with the same result on the desktop.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
version=$("$PYTHON" -c 'import qa_monitor; print(qa_monitor.__version__)')
arch=$(uname -m)
name="qa-monitor-${version}-linux-${arch}"

echo "== 1. Freeze (PyInstaller, one folder)"
"$PYTHON" -m PyInstaller --noconfirm --clean installer/qa_monitor.spec
# Symbols off Python's own libraries (~25 MB from a pyenv build); never the wheels'
# libraries, which auditwheel patched and strip would break.
if command -v strip >/dev/null; then
    strip --strip-unneeded dist/qa-monitor/_internal/libpython3*.so* \
        dist/qa-monitor/_internal/python3*/lib-dynload/*.so
fi

echo "== 2. Self-test the frozen app (headless)"
QT_QPA_PLATFORM=offscreen dist/qa-monitor/qa-monitor --self-test

echo "== 3. Stage $name"
stage="dist/$name"
rm -rf "$stage"
mkdir -p "$stage/icons"
cp -a dist/qa-monitor "$stage/qa-monitor"
cp installer/qa-monitor.desktop installer/linux/install.sh installer/linux/uninstall.sh "$stage/"
cp resources/icons/qa-monitor.svg resources/icons/png/qa-monitor-*.png "$stage/icons/"
cp CHANGELOG.md "$stage/"

echo "== 4. Pack"
tar -C dist -czf "dist/$name.tar.gz" "$name"
echo "Unpacked: $(du -sh "$stage/qa-monitor" | cut -f1), $(find "$stage/qa-monitor" -type f | wc -l) files"
echo "Wrote dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))"
