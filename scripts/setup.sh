#!/usr/bin/env bash
# Install what the dashboard needs: a virtual environment with the pinned Python packages (.venv/),
# and the map's JavaScript and CSS from npm, copied to static/vendor/ so the map draws without internet.
# Usage: bash scripts/setup.sh [requirements file]      (idempotent; re-running it is cheap)
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    .venv/bin/python -m dashboard assets --from node_modules
else
    echo "setup: npm not found; the map will load Leaflet from public CDNs instead of static/vendor/" >&2
fi
