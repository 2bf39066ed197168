#!/usr/bin/env bash
# The linters CI runs before the tests, in .venv (made and filled when missing, with the same extras as test.sh):
# ruff check, ruff format --check and mypy src. Each must be clean.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" dev
cd "$ROOT"
"$VENV/bin/ruff" check src tests scripts
"$VENV/bin/ruff" format --check src tests scripts
"$VENV/bin/mypy" src
