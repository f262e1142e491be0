# Sourced by tools/run-tests.sh and tools/run-bench.sh: starts a throwaway
# PostgreSQL 15 cluster on loopback and removes it when the caller exits.
# After `pg_cluster_start`, PG_URL holds its connection URL.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

pg_cluster_start() {
  if [ ! -x "$PGBIN/pg_ctl" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "== Installing PostgreSQL 15 server (Debian package postgresql-15)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
    else
      echo "PostgreSQL 15 is missing: install Debian's postgresql-15 package" >&2
      return 1
    fi
  fi
  PG_WORK=$(mktemp -d /tmp/concejo-pg.XXXXXX)
  chmod 755 "$PG_WORK"
  mkdir -p "$PG_WORK/pg"
  PG_RUNAS=()
  if [ "$(id -u)" -eq 0 ]; then
    # postgres refuses to run as root: run the cluster as an unprivileged user.
    local os_user=postgres
    if ! id "$os_user" >/dev/null 2>&1; then
      os_user=concejo-pg
      id "$os_user" >/dev/null 2>&1 || useradd --system --no-create-home "$os_user"
    fi
    chown "$os_user" "$PG_WORK/pg"
    PG_RUNAS=(runuser -u "$os_user" --)
  fi
  trap pg_cluster_stop EXIT
  trap 'exit 130' INT TERM
  local port
  port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${PG_RUNAS[@]}" "$PGBIN/initdb" -D "$PG_WORK/pg/data" -U concejo --auth=trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  "${PG_RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PG_WORK/pg/data" -l "$PG_WORK/pg/server.log" -w \
    -o "-p $port -k $PG_WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=512MB" \
    start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U concejo concejo
  PG_URL="postgres://concejo@127.0.0.1:$port/concejo"
  PG_PORT=$port
}

pg_cluster_stop() {
  if [ -n "${PG_WORK:-}" ]; then
    "${PG_RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PG_WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_WORK"
    PG_WORK=
  fi
}
