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
internal=dist/qa-monitor/_internal
# Symbols off Python's own libraries (~25 MB from a pyenv build). Of the wheels'
# libraries, only the debug information some extension modules carry (Pillow's,
# kiwisolver's, PyYAML's: 10 MB): a full strip breaks the libraries auditwheel patched
# (numpy's OpenBLAS: "ELF load command address/offset not page-aligned"), a debug-only
# strip leaves their symbols and segments as they are; the self-test below loads them.
if command -v strip >/dev/null; then
    strip --strip-unneeded "$internal"/libpython3*.so* "$internal"/python3*/lib-dynload/*.so
    find "$internal" -name '*.so*' -type f | while read -r lib; do
        # (grep without -q reads all: -q would close the pipe early, and pipefail would
        # then count readelf's SIGPIPE as "no debug information".)
        if readelf -S "$lib" 2>/dev/null | grep '\.debug_info' >/dev/null; then
            strip --strip-debug "$lib"
        fi
    done
fi
# ICU's data (31 MB) down to what Qt reads, for the app's languages (installer/linux/
# trim_icu_data.py says what stays); the self-test below sorts words through it.
for icu in "$internal"/PySide6/Qt/lib/libicudata.so.*; do
    [ -L "$icu" ] && continue  # the file itself, not a link to it
    "$PYTHON" installer/linux/trim_icu_data.py "$icu"
done

echo "== 2. Self-test the frozen app (headless)"
status=0
report=$(QT_QPA_PLATFORM=offscreen dist/qa-monitor/qa-monitor --self-test) || status=$?
echo "$report"
[ "$status" -eq 0 ] || exit "$status"
# Playback is only a warning for users without libpulse0, but the bundle carries the
# PulseAudio client when the build machine has it: then a recording must open.
if ls "$internal"/libpulse.so.* >/dev/null 2>&1 && ! grep -q '\[ok\] playback' <<<"$report"; then
    echo "The bundle cannot play recordings (see the playback line above)." >&2
    exit 1
fi

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
