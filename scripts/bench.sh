#!/usr/bin/env bash
# Runs every benchmark on this machine; results land in bench/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m bench.transcode
.venv/bin/python -m bench.heartbeat
.venv/bin/python -m bench.ceiling
.venv/bin/python -m bench.certificates
