#!/usr/bin/env bash
# Runs the whole suite twice: on a throwaway PostgreSQL 15 cluster that this
# script creates and removes by itself, then on the embedded SQLite mode.
# Extra arguments go to pytest (e.g. tools/run-tests.sh -k audit).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

if [ ! -x "$PGBIN/pg_ctl" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "== Installing PostgreSQL 15 server (Debian package postgresql-15)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  else
    echo "PostgreSQL 15 is missing: install Debian's postgresql-15 package" >&2
    exit 1
  fi
fi

WORK=$(mktemp -d /tmp/concejo-test.XXXXXX)
chmod 755 "$WORK"
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
  # postgres refuses to run as root: run the cluster as an unprivileged user.
  PGUSER_OS=postgres
  id "$PGUSER_OS" >/dev/null 2>&1 || { PGUSER_OS=concejo-pg; id "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home "$PGUSER_OS"; }
  mkdir -p "$WORK/pg"
  chown "$PGUSER_OS" "$WORK/pg"
  RUNAS=(runuser -u "$PGUSER_OS" --)
else
  mkdir -p "$WORK/pg"
fi

cleanup() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${RUNAS[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U concejo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w \
  -o "-p $PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null

status=0
echo "== Test suite on PostgreSQL 15 (127.0.0.1:$PORT)"
DATABASE_URL="postgres://concejo@127.0.0.1:$PORT/concejo" CONCEJO_DATA_DIR="$WORK/data-pg" \
  .venv/bin/pytest -q "$@" || status=$?

echo "== Test suite on embedded SQLite"
env -u DATABASE_URL CONCEJO_DATA_DIR="$WORK/data-sqlite" \
  .venv/bin/pytest -q "$@" || status=$?

exit $status
