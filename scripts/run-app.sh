#!/usr/bin/env bash
# Start the smartmap app on the shipped data: http://localhost:8501 (works offline).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/python -m smartmap.app.serve "$@"
