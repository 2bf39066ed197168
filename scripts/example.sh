#!/usr/bin/env bash
# The main job on the bundled example: score its five AI versions against the Indonesian original,
# from the back-translation files shipped with it (no model download needed). Reports go to out/example/.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" ""
OUT="${OUT:-$ROOT/out/example}"
"$VENV/bin/backtrans" score "$ROOT/examples/semarang-flood" --out "$OUT" "$@"
echo "report: $OUT" >&2
