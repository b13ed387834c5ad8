#!/usr/bin/env bash
# Several dashboard processes behind nginx on this machine (or the nginx site file for several machines).
#   bash deploy/run_cluster.sh run --readers 4 --data /srv/dashboard-data --listen 0.0.0.0:8080
#   bash deploy/run_cluster.sh config --reader 10.0.0.11:8501 --reader 10.0.0.12:8501 --editor 10.0.0.11:8600
# Every option, and how the pieces fit, is in deploy/cluster.py's header (`bash deploy/run_cluster.sh run --help`).
# Needs .venv/ (bash scripts/run.sh or scripts/setup.sh makes it) and, for `run`, Debian's nginx (apt-get install -y nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m deploy.cluster "$@"
