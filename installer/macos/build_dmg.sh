#!/usr/bin/env bash
# Build the macOS disk image: dist/qa-monitor-<version>-macos-<arch>.dmg
#   installer/macos/build_dmg.sh        (from the repo root, with ".[build]" installed)
# The app is ad-hoc signed by PyInstaller, not notarised: Gatekeeper asks on the first
# open (right-click > Open) until a Developer ID signs and notarises it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
version=$("$PYTHON" -c 'import qa_monitor; print(qa_monitor.__version__)')
app="dist/QA Monitor.app"
dmg="dist/qa-monitor-${version}-macos-$(uname -m).dmg"

echo "== 1. Freeze (PyInstaller: dist/qa-monitor and the $app bundle)"
"$PYTHON" -m PyInstaller --noconfirm --clean installer/qa_monitor.spec

echo "== 2. Self-test the app inside the bundle (headless)"
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/qa-monitor" --self-test

echo "== 3. Disk image: the app beside a link to /Applications, to drag it onto"
stage=dist/dmg
rm -rf "$stage" "$dmg"
mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "QA Monitor $version" -srcfolder "$stage" -ov -format UDZO "$dmg"
echo "Wrote $dmg ($(du -h "$dmg" | cut -f1))"
