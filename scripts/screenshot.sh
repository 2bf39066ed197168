#!/usr/bin/env bash
# Regenerate docs/report.png (the example's report.html) and docs/compare.png (compare.html of two runs of
# the example: "last month" with Japanese degraded, "this month" with French degraded) with headless Chromium.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" ""
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
EXAMPLE="$ROOT/examples/semarang-flood"
shoot() {  # shoot PAGE PNG HEIGHT
    chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-quic --hide-scrollbars \
        --user-data-dir="$OUT/profile" --window-size="1300,$3" --screenshot="$2" "file://$1" 2>/dev/null
    echo "wrote $2" >&2
}
"$VENV/bin/backtrans" score "$EXAMPLE" --out "$OUT/report" --quiet
shoot "$OUT/report/report.html" "$ROOT/docs/report.png" 1900
"$VENV/bin/python" -m backtrans.testing.degrade "$EXAMPLE" "$OUT/in/last-month/semarang-flood" ja >/dev/null
"$VENV/bin/python" -m backtrans.testing.degrade "$EXAMPLE" "$OUT/in/this-month/semarang-flood" fr >/dev/null
"$VENV/bin/backtrans" score "$OUT/in/last-month" --out "$OUT/last-month" --quiet
"$VENV/bin/backtrans" score "$OUT/in/this-month" --out "$OUT/this-month" --quiet
"$VENV/bin/backtrans" compare "$OUT/last-month" "$OUT/this-month" --out "$OUT/compare" --quiet
shoot "$OUT/compare/compare.html" "$ROOT/docs/compare.png" 1350
