#!/usr/bin/env bash
# Second command of the README: set up, then run the whole suite on SQLite and again on
# PostgreSQL when one answers (TEST_DATABASE_URL, default postgres@127.0.0.1:5432).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

PG_URL=${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
status=0

echo "=== layer contracts (import-linter, .importlinter) ==="
.venv/bin/lint-imports --no-cache || status=1

echo "=== test suite on SQLite ==="
env -u TEST_DATABASE_URL .venv/bin/pytest "$@" || status=1

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
  TEST_DATABASE_URL="$PG_URL" .venv/bin/pytest "$@" || status=1
else
  echo "=== PostgreSQL run skipped: no server answers ==="
fi
exit $status
