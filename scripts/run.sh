#!/usr/bin/env bash
# Set everything up, process the bundled samples on the embedded default (SQLite, local files,
# no server), then serve the app at http://127.0.0.1:${SOHOA_PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OMP_THREAD_LIMIT=1
# --wait prints the batch's status table once processing ends.
.venv/bin/sohoa ingest samples --batch mau --collection "Mẫu" --wait
# A first administrator, so the app can be opened at once; its password is printed once.
if ! .venv/bin/sohoa users list | tail -n +2 | grep -q .; then
  SOHOA_FIRST_PASSWORD="Sh-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
  export SOHOA_FIRST_PASSWORD
  .venv/bin/sohoa users add admin --role admin --clearance tuyet_mat \
      --password-env SOHOA_FIRST_PASSWORD
  echo "Tài khoản quản trị đầu tiên: admin / $SOHOA_FIRST_PASSWORD (hãy đổi mật khẩu sau khi đăng nhập)"
  unset SOHOA_FIRST_PASSWORD
fi
exec .venv/bin/sohoa serve --host "${SOHOA_HOST:-127.0.0.1}" --port "${SOHOA_PORT:-8000}"
