#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages if missing, starts a throwaway cluster on loopback
# (port 54329, its own data folder), and prints the URL of a superuser database for the tests.
# PostgreSQL refuses to run as root: the server runs as the `postgres` user.
set -euo pipefail
PORT=${SKILLBRIDGE_PG_PORT:-54329}
DATA=${SKILLBRIDGE_PG_DATA:-/tmp/skillbridge-pg}
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
if [ -f "$DATA/postmaster.pid" ] && runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  :
else
  rm -rf "$DATA"
  mkdir -p "$DATA"
  chown postgres "$DATA"
  runuser -u postgres -- "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c fsync=off -c max_connections=300" start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
