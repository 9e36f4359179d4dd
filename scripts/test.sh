#!/usr/bin/env bash
# Set everything up and run the whole test suite (real Tesseract, real PDFs, real SQLite;
# server-mode tests use the local PostgreSQL and Redis when they are reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
SOHOA_WITH_BROWSER=1 bash scripts/setup.sh
bash scripts/services.sh || true
export OMP_THREAD_LIMIT=1
# Style and types first: they take seconds and fail fast.
.venv/bin/ruff format --check --quiet .
.venv/bin/ruff check --quiet .
.venv/bin/mypy
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
  echo "test: pytest collected no tests" >&2
  exit 1
fi
exit $rc
