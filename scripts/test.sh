#!/usr/bin/env bash
# Install everything the tests need and run the whole suite. Extra arguments go to pytest.
#   system: Debian's chromium (browser tests), Java 17 (the Spark cluster of `-m spark`), nginx (`-m proxy`);
#   Python: requirements-dev.txt (the dashboard, pyspark, pytest, playwright); the map assets from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
{ [ -n "${JAVA_HOME:-}" ] || command -v java >/dev/null 2>&1; } || missing+=(openjdk-17-jre-headless)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
