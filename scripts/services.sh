#!/usr/bin/env bash
# Start the local PostgreSQL and Redis used by server-mode tests, where they are installed
# but not running. Never fails the caller: tests skip, with a reason, what is unreachable.
set -uo pipefail
if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
  ver=$(ls /etc/postgresql 2>/dev/null | head -1)
  [[ -n "$ver" ]] && pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null
fi
if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp >/dev/null 2>&1
fi
if command -v rabbitmq-server >/dev/null 2>&1 \
    && ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  rabbitmq-server -detached >/dev/null 2>&1
fi
# Give whatever was just started a moment to accept connections (at most ~15 s each).
for probe in "pg_isready -q -h 127.0.0.1" "redis-cli -h 127.0.0.1 ping"; do
  command -v "${probe%% *}" >/dev/null 2>&1 || continue
  for _ in $(seq 30); do $probe >/dev/null 2>&1 && break; sleep 0.5; done
done
if command -v rabbitmq-server >/dev/null 2>&1; then
  for _ in $(seq 40); do (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 0.5; done
fi
exit 0
