# Sourced by the other scripts: make .venv (Python 3.11+) when missing and install the project into it.
# Installs once per change of pyproject.toml: the extras a script needs are added to those installed
# before (example.sh, test.sh and lint.sh, called in turn, do not reinstall each other's set).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${BACKTRANS_VENV:-$ROOT/.venv}"
# the extras of development (tests and linters): scripts/test.sh and scripts/lint.sh ask for the same set
DEV_EXTRAS="test,fast,ray,lint"
EXTRAS="${1:-}"
if [ "$EXTRAS" = dev ]; then EXTRAS="$DEV_EXTRAS"; fi
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "backtrans needs Python 3.11 or newer")'
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
STAMP="$VENV/.backtrans-installed"  # "<sha256 of pyproject.toml> extras=<sorted,comma,list>"
HASH="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
HAVE=""
if [ -f "$STAMP" ] && [ "$(cut -d' ' -f1 "$STAMP")" = "$HASH" ]; then
    HAVE="$(sed -n 's/^[^ ]* extras=//p' "$STAMP")"
fi
WANT="$(printf '%s,%s' "$HAVE" "$EXTRAS" | tr ',' '\n' | grep -v '^$' | sort -u | paste -sd, - || true)"
if [ ! -f "$STAMP" ] || [ "$(cut -d' ' -f1 "$STAMP")" != "$HASH" ] || [ "$WANT" != "$HAVE" ]; then
    echo "installing backtrans${WANT:+[$WANT]} into $VENV (once per change of pyproject.toml: about a minute) ..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT${WANT:+[$WANT]}" 2> >(grep -v "^WARNING: Location" >&2)
    echo "$HASH extras=$WANT" > "$STAMP"
fi
