# Sourced by the other scripts: make .venv (Python 3.11+) when missing and install the project into it.
# Reinstalls only when pyproject.toml or the extras changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
# the extras of development (tests and linters): scripts/test.sh and scripts/lint.sh install the same set, so
# running one after the other installs nothing again
DEV_EXTRAS="test,fast,ray,lint"
EXTRAS="${1:-}"
if [ "$EXTRAS" = dev ]; then EXTRAS="$DEV_EXTRAS"; fi
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "backtrans needs Python 3.11 or newer")'
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
STAMP="$VENV/.backtrans-installed"
WANT="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1) extras=$EXTRAS"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "installing backtrans${EXTRAS:+[$EXTRAS]} into $VENV (first time: about a minute) ..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT${EXTRAS:+[$EXTRAS]}" 2> >(grep -v "^WARNING: Location" >&2)
    echo "$WANT" > "$STAMP"
fi
