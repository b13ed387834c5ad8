#!/usr/bin/env bash
# Install what the dashboard needs and start it on the bundled data (or on $DASHBOARD_DATA).
# Extra arguments go to `streamlit run` (for example --server.port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
.venv/bin/python -m dashboard validate
