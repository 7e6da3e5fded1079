#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL cluster: initdb into a temp
# directory, start it on a free loopback port, export its URL as
# CREDITS_TEST_PG (for the catalog tests) and stop it — and remove it — when
# the command ends, however it ends. As root, the cluster runs as the
# `postgres` user (PostgreSQL refuses root).
#
#   scripts/with-postgres.sh cargo test
set -euo pipefail

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir="$d"
done
if [ -z "$bindir" ]; then
  echo "error: PostgreSQL's server binaries (initdb, pg_ctl) are not installed" >&2
  echo "hint: run scripts/setup.sh (it installs Debian's postgresql)" >&2
  exit 2
fi

dir="$(mktemp -d /tmp/credits-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U credits -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 2
}
# Enough connections for the concurrency tests and the parallel test threads.
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=200" \
  start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 2
}

export CREDITS_TEST_PG="postgres://credits@127.0.0.1:$port/postgres"
echo "with-postgres: throwaway cluster at 127.0.0.1:$port ($dir)" >&2
"$@"
