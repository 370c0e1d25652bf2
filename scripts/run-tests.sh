#!/usr/bin/env bash
# Run the whole test suite: lint, unit/property/doctests, AppTest, notebooks and the browser tests
# (Playwright driving Debian's Chromium at /usr/bin/chromium; install it with
#  `sudo apt-get install -y --no-install-recommends chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
if [ ! -x "${SMARTMAP_CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "The browser tests need Debian's Chromium at ${SMARTMAP_CHROMIUM:-/usr/bin/chromium}:" >&2
    echo "  sudo apt-get install -y --no-install-recommends chromium" >&2
    exit 1
fi
.venv/bin/python -m ruff check .
.venv/bin/lint-imports   # the layer rule (docs/architecture.md)
.venv/bin/mypy           # types: [tool.mypy] in pyproject.toml
exec .venv/bin/python -m pytest "$@"
