#!/usr/bin/env bash
# Set everything up and run the whole test suite twice: on SQLite, then on the local
# PostgreSQL (a fresh database per test, from a template migrated once per run). Real
# Tesseract, real PDFs; server-mode tests use the local PostgreSQL and Redis.
# SOHOA_TEST_DATABASE=sqlite or =postgresql runs only that pass.
set -euo pipefail
cd "$(dirname "$0")/.."
SOHOA_WITH_BROWSER=1 bash scripts/setup.sh
bash scripts/services.sh || true
export OMP_THREAD_LIMIT=1
# Style and types first: they take seconds and fail fast.
.venv/bin/ruff format --check --quiet .
.venv/bin/ruff check --quiet .
.venv/bin/mypy
passes=("${SOHOA_TEST_DATABASE:-sqlite}")
[[ -z "${SOHOA_TEST_DATABASE:-}" ]] && passes+=(postgresql)
status=0
for db in "${passes[@]}"; do
  echo "test: the suite on $db"
  set +e
  SOHOA_TEST_DATABASE=$db .venv/bin/python -m pytest "$@"
  rc=$?
  set -e
  if [[ $rc -eq 5 ]]; then
    echo "test: pytest collected no tests ($db)" >&2
    rc=1
  fi
  # Both passes always run, so one report shows every failure; either failing fails CI.
  if [[ $rc -ne 0 ]]; then
    echo "test: the $db pass failed (exit $rc)" >&2
    status=$rc
  fi
done
exit $status
