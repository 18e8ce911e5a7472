#!/usr/bin/env bash
# galera.sh — a three-node MariaDB Galera cluster on loopback, for the
# tests of store/mysql and for trying a multi-primary deployment by hand.
#
#   scripts/galera.sh up        initialise node 1, bootstrap it, join 2 and 3 (rsync SST)
#   scripts/galera.sh down      kill every node and remove the directory
#   scripts/galera.sh status    each node's wsrep state, cluster size and readiness
#   scripts/galera.sh kill N    SIGKILL node N (1–3), as a crash would
#   scripts/galera.sh start N   restart node N on its data; it rejoins the others (IST or SST)
#   scripts/galera.sh dsn N     print the go-sql-driver/mysql DSN of node N
#
# Everything lives under $GOVSHARE_GALERA_DIR (default /tmp/govshare-galera):
# node N has datadir nodeN/data owned by user mysql, a socket, a pid file
# and its error log nodeN/error.log. Ports, all on 127.0.0.1:
#
#   node  SQL    gcomm  IST    SST (rsync)
#   1     13306  14567  14667  14767
#   2     13307  14568  14668  14768
#   3     13308  14569  14669  14769
#
# Only node 1 is initialised (mariadb-install-db) and bootstrapped
# (--wsrep-new-cluster); nodes 2 and 3 start on empty datadirs and receive
# a full state transfer. Buffer pools and caches are tiny so that the
# cluster runs beside other work on two shared cores. root may connect
# over TCP from 127.0.0.1 without a password, as on the single test server;
# a database named test exists. Every wait is bounded ($GOVSHARE_GALERA_WAIT
# seconds, default 120) and fails with the node's log on timeout.
set -euo pipefail

DIR="${GOVSHARE_GALERA_DIR:-/tmp/govshare-galera}"
WAIT="${GOVSHARE_GALERA_WAIT:-120}"
NODES=(1 2 3)

die() { echo "galera.sh: $*" >&2; exit 1; }

sql_port() { echo $((13305 + $1)); }
gcomm_port() { echo $((14566 + $1)); }
ist_port() { echo $((14666 + $1)); }
sst_port() { echo $((14766 + $1)); }
node_dir() { echo "$DIR/node$1"; }

provider() {
  local p
  p=$(dpkg -L galera-4 2>/dev/null | grep -m1 '/libgalera_smm\.so$' || true)
  [ -n "$p" ] || p=$(ls /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so 2>/dev/null | head -1 || true)
  [ -n "$p" ] || die "no Galera provider: install galera-4 (dpkg -L galera-4 lists libgalera_smm.so)"
  echo "$p"
}

check_prereqs() {
  command -v mariadbd >/dev/null || die "mariadbd not found (install mariadb-server)"
  command -v mariadb-install-db >/dev/null || die "mariadb-install-db not found"
  command -v rsync >/dev/null || die "rsync not found (the state transfer needs it)"
  command -v wsrep_sst_rsync >/dev/null || die "wsrep_sst_rsync not found (mariadb-server)"
  id mysql >/dev/null 2>&1 || die "no user mysql"
  [ "$(id -u)" = 0 ] || die "run as root: each mariadbd is started as user mysql"
  provider >/dev/null
}

write_config() {
  local n=$1 d peers=""
  d=$(node_dir "$n")
  for i in "${NODES[@]}"; do
    peers+="${peers:+,}127.0.0.1:$(gcomm_port "$i")"
  done
  cat >"$d/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mysqld.pid
log-error=$d/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_bin
default-storage-engine=InnoDB
binlog_format=ROW
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
innodb_log_buffer_size=4M
innodb_flush_log_at_trx_commit=2
key_buffer_size=1M
max_connections=200
performance_schema=OFF
table_open_cache=200
thread_cache_size=16
wsrep_on=ON
wsrep_provider=$(provider)
wsrep_cluster_name=govshare_test
wsrep_cluster_address=gcomm://$peers
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(gcomm_port "$n")
wsrep_node_incoming_address=127.0.0.1:$(sql_port "$n")
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(sst_port "$n")
wsrep_slave_threads=2
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=64M;gcs.fc_limit=64;evs.keepalive_period=PT1S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT0.5S;evs.install_timeout=PT6S;pc.announce_timeout=PT1S"

[client]
socket=$d/mysqld.sock
EOF
}

client() { # client N args...: the mariadb client on node N's socket
  local n=$1; shift
  mariadb --no-defaults --protocol=socket -S "$(node_dir "$n")/mysqld.sock" -uroot -N -B "$@"
}

pid_of() { # pid_of N: the pid of node N's mariadbd, failing if it is not running
  local f
  f="$(node_dir "$1")/launch.pid"
  [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

status_var() { # status_var N name: the value of a global status variable, empty if down
  client "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'
}

launch() { # launch N [extra mariadbd args...]
  local n=$1 d; shift
  d=$(node_dir "$n")
  chown -R mysql:mysql "$d"
  rm -f "$d/mysqld.pid"
  # setsid execs mariadbd in place (the child is no group leader), so $!
  # is the server's own pid.
  setsid mariadbd --defaults-file="$d/my.cnf" "$@" >>"$d/stdout.log" 2>&1 </dev/null &
  echo $! >"$d/launch.pid"
}

wait_node() { # wait_node N: until node N is Synced and ready, bounded
  local n=$1 deadline=$((SECONDS + WAIT)) state ready
  while [ $SECONDS -lt $deadline ]; do
    state=$(status_var "$n" wsrep_local_state_comment || true)
    ready=$(status_var "$n" wsrep_ready || true)
    if [ "$state" = Synced ] && [ "$ready" = ON ]; then
      return 0
    fi
    if ! pid_of "$n" >/dev/null; then
      tail -40 "$(node_dir "$n")/error.log" >&2 || true
      die "node $n exited while starting"
    fi
    sleep 0.5
  done
  tail -40 "$(node_dir "$n")/error.log" >&2 || true
  die "node $n not Synced and ready within ${WAIT}s"
}

wait_size() { # wait_size K: until every running node sees a cluster of K, bounded
  local want=$1 deadline=$((SECONDS + WAIT)) ok n
  while [ $SECONDS -lt $deadline ]; do
    ok=1
    for n in "${NODES[@]}"; do
      pid_of "$n" >/dev/null || continue
      [ "$(status_var "$n" wsrep_cluster_size || true)" = "$want" ] || ok=0
    done
    [ $ok = 1 ] && return 0
    sleep 0.5
  done
  die "cluster size $want not reached within ${WAIT}s"
}

check_node() {
  [[ "${1:-}" =~ ^[123]$ ]] || die "node must be 1, 2 or 3, not '${1:-}'"
}

cmd_up() {
  check_prereqs
  if [ -d "$DIR" ]; then
    if pid_of 1 >/dev/null || pid_of 2 >/dev/null || pid_of 3 >/dev/null; then
      die "a cluster is already running in $DIR (scripts/galera.sh down first)"
    fi
    rm -rf "$DIR"
  fi
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  for n in "${NODES[@]}"; do
    mkdir -p "$(node_dir "$n")/data"
    write_config "$n"
  done
  chown -R mysql:mysql "$DIR"
  local d1
  d1=$(node_dir 1)
  mariadb-install-db --defaults-file="$d1/my.cnf" --user=mysql --skip-test-db \
    --auth-root-authentication-method=socket >"$d1/install.log" 2>&1 ||
    { cat "$d1/install.log" >&2; die "mariadb-install-db failed"; }
  launch 1 --wsrep-new-cluster
  wait_node 1
  client 1 -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
  for n in 2 3; do
    launch "$n"
    wait_node "$n"
  done
  wait_size 3
  cmd_status
}

cmd_down() {
  local n pid f
  [ -d "$DIR" ] || return 0
  for n in "${NODES[@]}"; do
    # The server, then an rsync daemon of a state transfer in progress;
    # only processes this script started, by the pids it recorded.
    for f in "$(node_dir "$n")/launch.pid" "$(node_dir "$n")/data/rsync_sst.pid"; do
      if [ -s "$f" ] && pid=$(cat "$f") && kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done
  done
  for n in "${NODES[@]}"; do
    if pid=$(cat "$(node_dir "$n")/launch.pid" 2>/dev/null); then
      local deadline=$((SECONDS + 10))
      while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    fi
  done
  rm -rf "$DIR"
}

cmd_status() {
  local n
  printf '%-5s %-6s %-8s %-10s %-5s\n' node port pid state size
  for n in "${NODES[@]}"; do
    local pid state size ready
    pid=$(pid_of "$n" || echo -)
    state=$(status_var "$n" wsrep_local_state_comment || true)
    size=$(status_var "$n" wsrep_cluster_size || true)
    ready=$(status_var "$n" wsrep_ready || true)
    printf '%-5s %-6s %-8s %-10s %-5s ready=%s\n' "$n" "$(sql_port "$n")" "$pid" "${state:-down}" "${size:--}" "${ready:--}"
  done
}

cmd_kill() {
  check_node "${1:-}"
  local pid
  pid=$(pid_of "$1") || die "node $1 is not running"
  kill -9 "$pid"
  local deadline=$((SECONDS + WAIT))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "node $1 (pid $pid) survived SIGKILL"
    sleep 0.1
  done
}

cmd_start() {
  check_node "${1:-}"
  local n=$1 d pos
  d=$(node_dir "$n")
  [ -f "$d/my.cnf" ] || die "no node $n in $DIR (scripts/galera.sh up first)"
  if pid_of "$n" >/dev/null; then
    die "node $n is already running"
  fi
  # After a crash grastate.dat has seqno -1: recover the position from
  # InnoDB, as galera_recovery does, so that the node can ask for an
  # incremental transfer; without one it gets a full SST.
  pos=""
  if [ -f "$d/data/ibdata1" ]; then
    chown -R mysql:mysql "$d"
    mariadbd --defaults-file="$d/my.cnf" --wsrep-recover --log-error="$d/recover.log" >/dev/null 2>&1 || true
    pos=$(grep -o 'WSREP: Recovered position: .*' "$d/recover.log" 2>/dev/null | tail -1 | awk '{print $4}' || true)
  fi
  if [ -n "$pos" ]; then
    launch "$n" --wsrep-start-position="$pos"
  else
    launch "$n"
  fi
  wait_node "$n"
}

cmd_dsn() {
  check_node "${1:-}"
  echo "root@tcp(127.0.0.1:$(sql_port "$1"))/test"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  start) cmd_start "${2:-}" ;;
  dsn) cmd_dsn "${2:-}" ;;
  *) die "usage: $0 up|down|status|kill N|start N|dsn N" ;;
esac
