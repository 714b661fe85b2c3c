#!/usr/bin/env bash
# Install QA Monitor from the unpacked tarball.
#   ./install.sh            for you only: ~/.local/opt, ~/.local/bin, ~/.local/share
#   sudo ./install.sh --system   for everyone: /opt, /usr/local/bin, /usr/local/share
# Your data (databases, settings, backups) is never touched: it lives in
# ~/.local/share/QA Monitor (or in $QA_MONITOR_DATA_DIR).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--system" ]; then
    opt=/opt/qa-monitor; bin=/usr/local/bin; share=/usr/local/share
else
    opt="$HOME/.local/opt/qa-monitor"; bin="$HOME/.local/bin"; share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
rm -rf "$opt"
mkdir -p "$opt" "$bin" "$share/applications"
cp -a "$here/qa-monitor/." "$opt/"
ln -sf "$opt/qa-monitor" "$bin/qa-monitor"
for png in "$here"/icons/qa-monitor-*.png; do
    size=$(basename "$png" .png); size=${size#qa-monitor-}
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$share/icons/hicolor/${size}x${size}/apps/qa-monitor.png"
done
mkdir -p "$share/icons/hicolor/scalable/apps"
cp "$here/icons/qa-monitor.svg" "$share/icons/hicolor/scalable/apps/qa-monitor.svg"
sed "s|^Exec=qa-monitor|Exec=$opt/qa-monitor|" "$here/qa-monitor.desktop" \
    > "$share/applications/qa-monitor.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$share/icons/hicolor" 2>/dev/null || true
echo "Installed in $opt; start it from the menu or with: qa-monitor"
"$opt/qa-monitor" --self-test >/dev/null 2>&1 || echo "Note: run 'qa-monitor --self-test' to see what is missing."
