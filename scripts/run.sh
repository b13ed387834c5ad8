#!/usr/bin/env bash
# Install what the dashboard needs and start it on the bundled data (or on the folder in $DASHBOARD_DATA).
# Extra arguments go to `streamlit run` (for example: --server.port 8080 --server.baseUrlPath dashboard).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
.venv/bin/python -m dashboard validate >/dev/null || { .venv/bin/python -m dashboard validate; exit 1; }
# Streamlit runs each script run in a thread; glibc's default of up to eight memory arenas per core lets
# every new session's thread keep memory of its own (5 sessions on 1e5 incidents: +42-47 MB; with 2: +13 MB).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec .venv/bin/python -m streamlit run streamlit_app.py "$@"
