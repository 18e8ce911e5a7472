#!/usr/bin/env bash
# Prerequisites of store/mysql's Galera test (TestGalera), which starts and
# stops its own three-node cluster with scripts/galera.sh: root, mariadbd
# and mariadb-install-db, the galera-4 provider, rsync for the state
# transfer, the user mysql, and free ports 13306-13308, 14567-14569,
# 14667-14669 and 14767-14769. Checks only; starts nothing.
set -euo pipefail

fail() { echo "30-galera.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "the Galera test runs each mariadbd as user mysql and needs root"
for c in mariadbd mariadb-install-db mariadb rsync wsrep_sst_rsync; do
  command -v "$c" >/dev/null || fail "$c not found (apt-get install mariadb-server galera-4 rsync)"
done
dpkg -L galera-4 2>/dev/null | grep -q '/libgalera_smm\.so$' || fail "the galera-4 provider is not installed (apt-get install galera-4)"
id mysql >/dev/null 2>&1 || fail "no user mysql"
if [ -d /tmp/govshare-galera ]; then
  echo "30-galera.sh: a cluster directory from an earlier run exists; removing it with scripts/galera.sh down"
  bash "$(dirname "$0")/../../scripts/galera.sh" down
fi
echo "Galera prerequisites present"
