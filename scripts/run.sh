#!/usr/bin/env bash
# Install what the dashboard needs and start it on the bundled data (or on the folder in $DASHBOARD_DATA).
# Extra arguments go to `streamlit run` (for example: --server.port 8080 --server.baseUrlPath dashboard).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
.venv/bin/python -m dashboard validate >/dev/null || { .venv/bin/python -m dashboard validate; exit 1; }
exec .venv/bin/python -m streamlit run streamlit_app.py "$@"
