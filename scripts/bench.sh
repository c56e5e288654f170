#!/usr/bin/env bash
# Runs every benchmark the README's table lists, with the command it quotes; results land in
# bench/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m bench.transcode
.venv/bin/python -m bench.heartbeat
.venv/bin/python -m bench.ceiling
.venv/bin/python -m bench.capacity
.venv/bin/python -m bench.certificates
.venv/bin/python -m bench.verification
.venv/bin/python -m bench.eligibility
.venv/bin/python -m bench.pages
.venv/bin/python -m bench.studio --enrollments 100000
