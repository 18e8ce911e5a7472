#!/usr/bin/env bash
# PostgreSQL for the tests of store/postgres (issue 13): make sure the
# local cluster is up on 127.0.0.1:5432, starting it if it is not, and that
# the database "test" exists. Idempotent: on a machine where the server is
# up it changes nothing.
set -euo pipefail

ready() { pg_isready -h 127.0.0.1 -p 5432 -q; }

if ! ready; then
  version=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1; exit }')
  if [ -z "$version" ]; then
    echo "10-postgres: no PostgreSQL cluster named main (pg_lsclusters)" >&2
    exit 1
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do
    ready && break
    sleep 1
  done
  if ! ready; then
    echo "10-postgres: PostgreSQL $version did not become ready in 60 s" >&2
    exit 1
  fi
fi

# The tests connect as postgres to the database test.
if ! psql -h 127.0.0.1 -U postgres -d test -Atqc 'SELECT 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'CREATE DATABASE test'
fi
echo "10-postgres: ready"
