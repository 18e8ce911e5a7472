#!/usr/bin/env bash
# The single MariaDB server store/mysql's tests use (GOVSHARE_TEST_MYSQL,
# default root@tcp(127.0.0.1:3306)/test): start it if it is not up, wait
# until it answers, and make sure the test database exists. Idempotent.
set -euo pipefail

ping() { mariadb-admin --no-defaults -h 127.0.0.1 -P 3306 -uroot --connect-timeout=2 ping >/dev/null 2>&1; }

if ! ping; then
  command -v mariadbd >/dev/null || { echo "20-mariadb.sh: mariadbd not found (apt-get install mariadb-server)" >&2; exit 1; }
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec "$(command -v mariadbd)" -- --user=mysql
  for _ in $(seq 1 60); do
    ping && break
    sleep 1
  done
  ping || { echo "20-mariadb.sh: MariaDB did not answer on 127.0.0.1:3306 within 60 s" >&2; exit 1; }
fi
mariadb --no-defaults -h 127.0.0.1 -P 3306 -uroot -e "CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
echo "MariaDB is up on 127.0.0.1:3306"
