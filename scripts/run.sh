#!/usr/bin/env bash
# First command of the README: set up, migrate, seed the demo course, and serve Alur at
# http://127.0.0.1:5000 with a background worker (SQLite, local storage, SQLite job queue).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export FLASK_APP=wsgi
.venv/bin/flask --app wsgi db upgrade
.venv/bin/flask --app wsgi seed-demo
.venv/bin/flask --app wsgi worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Alur is running at http://${HOST:-127.0.0.1}:${PORT:-5000} (Ctrl+C stops it)"
.venv/bin/flask --app wsgi run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" --with-threads
