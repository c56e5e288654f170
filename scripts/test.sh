#!/usr/bin/env bash
# Second command of the README: set up, check the layer contracts, then run the whole suite on
# SQLite and on PostgreSQL when one answers (TEST_DATABASE_URL, default postgres@127.0.0.1:5432).
# The two runs go at once, one core each: they share nothing (each has its own database, instance
# folder and Redis databases), and the suite takes half the time. The SQLite run's output is
# printed after the PostgreSQL run's.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

PG_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
status=0

echo "=== layer contracts (import-linter, .importlinter) ==="
.venv/bin/lint-imports --no-cache || status=1

sqlite_log=$(mktemp -t alur-sqlite-tests.XXXXXX)
env -u TEST_DATABASE_URL TEST_REDIS_URL_WORKER=redis://127.0.0.1:6379/9 \
  TEST_REDIS_URL_LIMITS=redis://127.0.0.1:6379/11 .venv/bin/pytest "$@" >"$sqlite_log" 2>&1 &
sqlite_pid=$!

if .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {error}")
    sys.exit(1)
PY
then
  echo "=== test suite on PostgreSQL ==="
  TEST_DATABASE_URL="$PG_URL" TEST_REDIS_URL_WORKER=redis://127.0.0.1:6379/12 \
    TEST_REDIS_URL_LIMITS=redis://127.0.0.1:6379/13 .venv/bin/pytest "$@" || status=1
else
  echo "=== PostgreSQL run skipped: no server answers ==="
fi

wait "$sqlite_pid" || status=1
echo "=== test suite on SQLite ==="
cat "$sqlite_log"
rm -f "$sqlite_log"
exit $status
