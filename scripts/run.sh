#!/usr/bin/env bash
# Set everything up, process the bundled samples on the embedded default (SQLite, local files,
# no server), then serve the app at http://127.0.0.1:${SOHOA_PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OMP_THREAD_LIMIT=1
.venv/bin/sohoa ingest samples --batch mau --collection "Mẫu" --wait
.venv/bin/sohoa status --batch mau
exec .venv/bin/sohoa serve --host "${SOHOA_HOST:-127.0.0.1}" --port "${SOHOA_PORT:-8000}"
