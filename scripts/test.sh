#!/usr/bin/env bash
# The test suite, in .venv (made and filled when missing). Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" dev
cd "$ROOT"
export HF_HUB_OFFLINE=1
exec "$VENV/bin/python" -m pytest "$@"
