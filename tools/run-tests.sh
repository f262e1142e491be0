#!/usr/bin/env bash
# Runs the whole suite twice: on a throwaway PostgreSQL 15 cluster that this
# script creates and removes by itself, then on the embedded SQLite mode.
# Extra arguments go to pytest (e.g. tools/run-tests.sh -k audit).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/pg-cluster.sh

# End-to-end tests drive Debian's Chromium (Playwright cannot download browsers here).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "== Installing Chromium (Debian package chromium) for the end-to-end tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: the end-to-end tests will be skipped (install Debian's chromium)" >&2
  fi
fi

pg_cluster_start

DATA=$(mktemp -d /tmp/concejo-data.XXXXXX)
trap 'pg_cluster_stop; rm -rf "$DATA"' EXIT
trap 'exit 130' INT TERM
status=0
echo "== Test suite on PostgreSQL 15 (127.0.0.1:$PG_PORT)"
DATABASE_URL="$PG_URL" CONCEJO_DATA_DIR="$DATA/pg" .venv/bin/pytest -q "$@" || status=$?

echo "== Test suite on embedded SQLite"
env -u DATABASE_URL CONCEJO_DATA_DIR="$DATA/sqlite" .venv/bin/pytest -q "$@" || status=$?

exit $status
