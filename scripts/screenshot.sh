#!/usr/bin/env bash
# Regenerate docs/report.png: the example's report.html rendered by headless Chromium.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" ""
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$VENV/bin/backtrans" score "$ROOT/examples/semarang-flood" --out "$OUT/report" --quiet
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-quic --hide-scrollbars \
    --user-data-dir="$OUT/profile" --window-size=1300,1900 \
    --screenshot="$ROOT/docs/report.png" "file://$OUT/report/report.html" 2>/dev/null
echo "wrote $ROOT/docs/report.png" >&2
