#!/usr/bin/env bash
# Runs the whole suite twice: on a throwaway PostgreSQL 15 cluster that this
# script creates and removes by itself, then on the embedded SQLite mode.
# Extra arguments go to pytest (e.g. tools/run-tests.sh -k audit).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/pg-cluster.sh

# Debian packages the tests use as real, independent components: Chromium for the
# end-to-end tests (Playwright cannot download browsers here) and poppler's pdfsig
# to verify the platform's PDF signatures.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "== Installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing ${missing[*]}: the tests that need them will be skipped" >&2
  fi
fi

# axe-core (accessibility checks run inside Chromium), pinned, from the npm registry.
AXE_VERSION=4.14.1
if command -v npm >/dev/null 2>&1 && [ ! -f "var/npm/node_modules/axe-core/axe.min.js" ]; then
  echo "== Installing axe-core $AXE_VERSION (npm)"
  mkdir -p var/npm
  npm install --silent --no-audit --no-fund --prefix var/npm "axe-core@$AXE_VERSION" >/dev/null
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
