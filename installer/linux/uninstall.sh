#!/usr/bin/env bash
# Remove QA Monitor (./uninstall.sh, or sudo ./uninstall.sh --system). Your databases,
# settings and backups in ~/.local/share/QA Monitor stay where they are.
set -euo pipefail
if [ "${1:-}" = "--system" ]; then
    opt=/opt/qa-monitor; bin=/usr/local/bin; share=/usr/local/share
else
    opt="$HOME/.local/opt/qa-monitor"; bin="$HOME/.local/bin"; share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
rm -rf "$opt"
rm -f "$bin/qa-monitor" "$share/applications/qa-monitor.desktop"
rm -f "$share"/icons/hicolor/*/apps/qa-monitor.png "$share/icons/hicolor/scalable/apps/qa-monitor.svg"
echo "QA Monitor removed; your data was kept."
