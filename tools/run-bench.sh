#!/usr/bin/env bash
# `make bench`: every benchmark on embedded SQLite and on a throwaway PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/pg-cluster.sh
pg_cluster_start
DATA=$(mktemp -d /tmp/concejo-bench.XXXXXX)
trap 'pg_cluster_stop; rm -rf "$DATA"' EXIT
trap 'exit 130' INT TERM
env -u DATABASE_URL CONCEJO_DATA_DIR="$DATA/sqlite" .venv/bin/python bench/run.py --label sqlite "$@"
DATABASE_URL="$PG_URL" CONCEJO_DATA_DIR="$DATA/pg" .venv/bin/python bench/run.py --label postgresql "$@"
