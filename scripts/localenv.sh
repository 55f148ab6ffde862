#!/usr/bin/env bash
# Local dev/test environment for Pet Meeting, kept entirely in <project>/.local:
#   MariaDB primary (13306) -> replica (13307), GTID replication
#   Redis primary (16379) -> replica (16380), Sentinel (26379, master "pm-primary")
# Everything listens on 127.0.0.1 only and never touches the system services
# (3306/6379): each server gets its own config file and is started with
# --defaults-file / its own .conf, so /etc/mysql and /etc/redis are never read.
#
# Usage: scripts/localenv.sh start [component] | stop [component] | status | env | reset
# Components: mysql-primary mysql-replica redis-primary redis-replica sentinel
set -euo pipefail
# C locale: the timing helpers feed EPOCHREALTIME to awk, which needs a "." radix.
export LC_ALL=C

# Resolve the project root from the script's own location so the script works
# from any current directory.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCAL="$ROOT/.local"

HOST=127.0.0.1
DB_PRIMARY_PORT=13306
DB_REPLICA_PORT=13307
REDIS_PRIMARY_PORT=16379
REDIS_REPLICA_PORT=16380
SENTINEL_PORT=26379
SENTINEL_MASTER=pm-primary
DB_NAME=petmeeting
DB_TEST_NAME=petmeeting_test
DB_USER=petmeeting
# The password is applied when the primary is initialised; changing it later
# needs `reset` (or an ALTER USER on the primary).
DB_PASSWORD="${PM_DB_PASSWORD:-petmeeting-local}"
# Replication account: local-only, so a fixed password is fine.
REPL_USER=repl
REPL_PASSWORD=repl-local
# Deadline (seconds) for every wait loop: start, stop, replication.
TIMEOUT="${PM_LOCALENV_TIMEOUT:-60}"

COMPONENTS=(mysql-primary mysql-replica redis-primary redis-replica sentinel)

# ---------------------------------------------------------------- helpers ---

say() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

now() { printf '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
# True while the deadline (an absolute epoch time) has not passed.
before() { awk -v d="$1" -v n="$(now)" 'BEGIN { exit !(n < d) }'; }
deadline() { awk -v n="$(now)" -v t="$TIMEOUT" 'BEGIN { printf "%.3f", n + t }'; }

port_of() {
  case "$1" in
    mysql-primary) echo "$DB_PRIMARY_PORT" ;;
    mysql-replica) echo "$DB_REPLICA_PORT" ;;
    redis-primary) echo "$REDIS_PRIMARY_PORT" ;;
    redis-replica) echo "$REDIS_REPLICA_PORT" ;;
    sentinel) echo "$SENTINEL_PORT" ;;
    *) return 1 ;;
  esac
}

is_component() { port_of "$1" >/dev/null 2>&1; }

# Locate a binary on PATH or in the sbin directories (mariadbd lives in
# /usr/sbin, which is not on a normal user's PATH).
find_bin() { PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin" command -v "$1" 2>/dev/null; }

MARIADBD="" INSTALL_DB="" MARIADB="" MARIADB_ADMIN="" REDIS_SERVER="" REDIS_CLI=""
resolve_bins() {
  MARIADBD="$(find_bin mariadbd || true)"
  INSTALL_DB="$(find_bin mariadb-install-db || true)"
  MARIADB="$(find_bin mariadb || true)"
  MARIADB_ADMIN="$(find_bin mariadb-admin || true)"
  REDIS_SERVER="$(find_bin redis-server || true)"
  REDIS_CLI="$(find_bin redis-cli || true)"
}

# Install the Debian packages when something is missing (only possible as
# root); otherwise tell the user the exact command. Sentinel runs as
# `redis-server <conf> --sentinel`, so the redis-sentinel package is not needed.
ensure_bins() {
  resolve_bins
  local -A bins=([MARIADBD]=mariadbd [INSTALL_DB]=mariadb-install-db [MARIADB]=mariadb
    [MARIADB_ADMIN]=mariadb-admin [REDIS_SERVER]=redis-server [REDIS_CLI]=redis-cli)
  local missing=() v
  for v in "${!bins[@]}"; do [[ -n ${!v} ]] || missing+=("${bins[$v]}"); done
  ((${#missing[@]} == 0)) && return 0
  local pkgs=(mariadb-server mariadb-client redis-server)
  if [[ $EUID -ne 0 ]]; then
    die "not found: ${missing[*]}. Install them with:
  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${pkgs[*]}"
  fi
  say "not found: ${missing[*]}; installing ${pkgs[*]}"
  # The packages start their system services on 3306/6379; ours use other
  # ports, so that does not interfere.
  apt-get update -qq </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" </dev/null >/dev/null
  resolve_bins
  missing=()
  for v in "${!bins[@]}"; do [[ -n ${!v} ]] || missing+=("${bins[$v]}"); done
  ((${#missing[@]} == 0)) || die "still not found after apt-get install: ${missing[*]}"
}

# A process that has exited but not been reaped yet (zombie) still passes
# `kill -0`. Our daemons are reparented to PID 1, and some container inits
# reap only every few seconds, so zombies count as gone.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state=""
  [[ -r /proc/$1/status ]] || return 0 # no procfs: trust kill -0
  state=$(awk '/^State:/ { print $2; exit }' "/proc/$1/status" 2>/dev/null || true)
  [[ $state != Z && $state != X ]]
}

# PID of a running component, from the pid file the server writes itself.
# The executable is checked so a stale pid file whose PID was reused by an
# unrelated process is not mistaken for our server.
pid_of() {
  local f="$LOCAL/$1.pid" pid exe
  [[ -r $f ]] || return 1
  read -r pid <"$f" 2>/dev/null || return 1
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  case "${exe##*/}" in
    # Debian's redis-server is a symlink to redis-check-rdb, hence redis-*.
    mariadbd | mysqld | redis-*) ;;
    "") ;; # /proc not readable (other user): trust kill -0
    *) return 1 ;;
  esac
  printf '%s\n' "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Start a server detached from this script: own session (so a CI job killing
# our process group does not kill it), no stdin, output to its log, and all
# inherited file descriptors above 2 closed (otherwise the daemon would keep
# our lock fd or a caller's pipe open, and `$(localenv.sh start)` would hang).
LAUNCH_PID=""
launch() {
  local log=$1
  shift
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd=${fd##*/}
      if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" </dev/null >>"$log" 2>&1
  ) &
  LAUNCH_PID=$!
}

# If the process we launched has already exited with an error, fail now
# instead of waiting for the deadline.
launch_failed() {
  kill -0 "$LAUNCH_PID" 2>/dev/null && return 1
  local rc=0
  wait "$LAUNCH_PID" 2>/dev/null || rc=$?
  ((rc != 0))
}

fail_with_log() {
  printf 'ERROR: %s\n--- last lines of %s ---\n' "$1" "$2" >&2
  tail -n 20 "$2" >&2 2>/dev/null || true
  exit 1
}

sql_quote() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\'\'}"
}

# ---------------------------------------------------------------- MariaDB ---

sql() { # component, then mariadb client args; root over the unix socket
  local name=$1
  shift
  "$MARIADB" --no-defaults --socket="$LOCAL/$name.sock" -uroot --connect-timeout=5 "$@"
}

mysql_ping() {
  [[ -n $MARIADB_ADMIN ]] &&
    "$MARIADB_ADMIN" --no-defaults --socket="$LOCAL/$1.sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1
}

write_mysql_conf() { # name port server_id
  local name=$1 port=$2 sid=$3
  # Regenerated on every start so changes to this script take effect; the
  # data directory is what persists.
  cat >"$LOCAL/$name.cnf" <<EOF
# Generated by scripts/localenv.sh on every start: edit the script, not this file.
[mysqld]
datadir=$LOCAL/$name
socket=$LOCAL/$name.sock
pid-file=$LOCAL/$name.pid
log-error=$LOCAL/$name.log
port=$port
bind-address=$HOST
skip-name-resolve
server-id=$sid
log-bin=mysql-bin
relay-log=mysql-relay-bin
binlog_format=ROW
gtid_domain_id=0
gtid_strict_mode=ON
log_slave_updates=ON
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
# Small footprint: this is a dev box running two servers.
innodb_buffer_pool_size=128M
innodb_log_file_size=48M
performance_schema=OFF
EOF
  if [[ $name == mysql-replica ]]; then
    cat >>"$LOCAL/$name.cnf" <<EOF
read_only=ON
# Notice a vanished primary quickly and keep retrying (every MASTER_CONNECT_RETRY
# = 1 s, set in CHANGE MASTER) for days rather than giving up.
slave_net_timeout=10
master-retry-count=1000000
EOF
  fi
}

init_mysql_datadir() {
  local name=$1 dir="$LOCAL/$1" log="$LOCAL/$1.log"
  local user_opt=()
  [[ $EUID -eq 0 ]] && user_opt=(--user=root)
  say "$name: initialising $dir"
  # normal auth = root@localhost without password, reachable over our socket
  # whatever the OS user is (socket auth would tie it to the OS user name).
  if ! "$INSTALL_DB" --defaults-file="$LOCAL/$name.cnf" "${user_opt[@]}" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    >>"$log" 2>&1 </dev/null; then
    rm -rf "$dir" # a half-initialised datadir would fail every later start
    fail_with_log "$name: mariadb-install-db failed" "$log"
  fi
}

# Start one MariaDB server and wait until it answers. Returns with STARTED=1
# when it was actually started (0 when it was already running).
STARTED=0
start_mysql() {
  local name=$1 port=$2 sid=$3 pid t0 dl
  STARTED=0
  if pid=$(pid_of "$name"); then
    say "$name: already running (pid $pid, $HOST:$port)"
    return 0
  fi
  port_busy "$port" && die "$name: port $port is already in use by another process (check: ss -ltnp | grep $port)"
  local sock="$LOCAL/$name.sock"
  ((${#sock} < 100)) || die "socket path too long for a unix socket: $sock"
  t0=$(now)
  write_mysql_conf "$name" "$port" "$sid"
  [[ -d $LOCAL/$name/mysql ]] || init_mysql_datadir "$name"
  local user_opt=()
  [[ $EUID -eq 0 ]] && user_opt=(--user=root) # mariadbd refuses root otherwise
  rm -f "$LOCAL/$name.pid"
  launch "$LOCAL/$name.log" "$MARIADBD" --defaults-file="$LOCAL/$name.cnf" "${user_opt[@]}"
  dl=$(deadline)
  until mysql_ping "$name"; do
    launch_failed && fail_with_log "$name: mariadbd exited during startup" "$LOCAL/$name.log"
    before "$dl" || fail_with_log "$name: not answering after ${TIMEOUT}s" "$LOCAL/$name.log"
    sleep 0.1
  done
  STARTED=1
  say "$name: started (pid $(pid_of "$name" || echo '?'), $HOST:$port, $(elapsed "$t0"))"
}

# One-time setup on the primary, recorded by a marker file so a restart (e.g.
# a test simulating an outage) never re-runs it. Everything is binlogged, so
# the replica receives the databases and users through replication.
setup_primary() {
  local marker="$LOCAL/mysql-primary/.pm-initialised"
  [[ -f $marker ]] && return 0
  local pw rpw
  pw=$(sql_quote "$DB_PASSWORD")
  rpw=$(sql_quote "$REPL_PASSWORD")
  sql mysql-primary <<EOF || die "mysql-primary: initial setup failed"
CREATE USER IF NOT EXISTS '$REPL_USER'@'$HOST' IDENTIFIED BY $rpw;
GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'$HOST';
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`$DB_TEST_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY $pw;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY $pw;
GRANT ALL ON \`$DB_NAME\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
GRANT ALL ON \`$DB_TEST_NAME\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
EOF
  touch "$marker"
  say "mysql-primary: created databases $DB_NAME, $DB_TEST_NAME and users $DB_USER, $REPL_USER"
}

# One-time replica setup: point it at the primary by GTID. slave_pos starts
# empty, so the replica replays the primary's whole binlog (users, databases).
# Afterwards the replica resumes by itself on every restart of either server.
setup_replica() {
  local marker="$LOCAL/mysql-replica/.pm-initialised"
  [[ -f $marker ]] && return 0
  sql mysql-replica <<EOF || die "mysql-replica: CHANGE MASTER failed"
STOP SLAVE;
CHANGE MASTER TO MASTER_HOST='$HOST', MASTER_PORT=$DB_PRIMARY_PORT,
  MASTER_USER='$REPL_USER', MASTER_PASSWORD=$(sql_quote "$REPL_PASSWORD"),
  MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1;
START SLAVE;
EOF
  touch "$marker"
  say "mysql-replica: replicating from $HOST:$DB_PRIMARY_PORT (GTID, slave_pos)"
}

# Sets RS_IO RS_SQL RS_LAG RS_GTID RS_ERR from SHOW SLAVE STATUS.
replica_status() {
  RS_IO="" RS_SQL="" RS_LAG="" RS_GTID="" RS_ERR=""
  local out
  out=$(sql mysql-replica -e 'SHOW SLAVE STATUS\G' 2>/dev/null) || return 1
  [[ -n $out ]] || return 1
  eval "$(awk -F': ' '
    function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
    { k = $0; sub(/^ +/, "", k); v = k; sub(/:.*/, "", k); sub(/^[^:]*: ?/, "", v) }
    k == "Slave_IO_Running"      { print "RS_IO=" q(v) }
    k == "Slave_SQL_Running"     { print "RS_SQL=" q(v) }
    k == "Seconds_Behind_Master" { print "RS_LAG=" q(v) }
    k == "Gtid_IO_Pos"           { print "RS_GTID=" q(v) }
    (k == "Last_IO_Error" || k == "Last_SQL_Error") && v != "" { print "RS_ERR=" q(substr(v, 1, 160)) }
  ' <<<"$out")"
}

# Wait until both replication threads run; with catch_up, also until the
# replica has applied everything the primary has binlogged so far.
wait_replication() {
  local catch_up=${1:-0} dl idle=0
  dl=$(deadline)
  while :; do
    if replica_status && [[ $RS_IO == Yes && $RS_SQL == Yes ]]; then break; fi
    [[ $RS_SQL == No && -n $RS_ERR ]] && die "mysql-replica: replication SQL thread stopped: $RS_ERR"
    # Both threads off without an error = someone ran STOP SLAVE; waiting
    # would not help (a few seconds of grace while the server starts them).
    if [[ $RS_IO == No && $RS_SQL == No ]]; then
      ((++idle < 25)) || die "mysql-replica: replication is stopped; run: mariadb -S $LOCAL/mysql-replica.sock -uroot -e 'START SLAVE'"
    fi
    before "$dl" || die "mysql-replica: replication not running after ${TIMEOUT}s (io=$RS_IO sql=$RS_SQL${RS_ERR:+, $RS_ERR})"
    sleep 0.2
  done
  if ((catch_up)); then
    local pos rc
    pos=$(sql mysql-primary -N -B -e 'SELECT @@gtid_binlog_pos') || die "mysql-primary: cannot read gtid_binlog_pos"
    if [[ -n $pos ]]; then
      rc=$(sql mysql-replica -N -B -e "SELECT MASTER_GTID_WAIT('$pos', $TIMEOUT)") || rc=-1
      [[ $rc == 0 ]] || die "mysql-replica: did not catch up with primary GTID $pos within ${TIMEOUT}s"
    fi
  fi
  replica_status || true
  say "mysql-replica: replication io=$RS_IO sql=$RS_SQL gtid=${RS_GTID:-none}"
}

# ------------------------------------------------------------------ Redis ---

redis() { "$REDIS_CLI" -h "$HOST" -p "$1" "${@:2}" 2>/dev/null | tr -d '\r'; }
redis_ping() { [[ -n $REDIS_CLI && "$(redis "$1" ping || true)" == PONG ]]; }
info_field() { awk -F: -v k="$2" '$1 == k { print $2; exit }' <<<"$1"; }

# Redis and Sentinel rewrite their config files (Sentinel always, the data
# nodes on failover/reconfiguration), so configs are generated only once;
# `reset` returns to the initial topology.
write_redis_conf() {
  local name=$1 port=$2 conf="$LOCAL/$1.conf"
  [[ -f $conf ]] && return 0
  {
    say "# Generated once by scripts/localenv.sh; Redis/Sentinel may rewrite it."
    say "bind $HOST"
    say "port $port"
    say "daemonize no"
    say "pidfile $LOCAL/$name.pid"
    say "logfile $LOCAL/$name.log"
    say "dir $LOCAL/$name"
    case $name in
      redis-primary | redis-replica)
        say "appendonly yes"
        say "appendfsync everysec"
        # Default diskless-sync delay (5 s) would make every full resync, and
        # so every cold start, wait 5 s for more replicas that never come.
        say "repl-diskless-sync-delay 0"
        # The log is mostly short-lived stream entries, so the file outgrows its rewritten base
        # quickly: at the default 64 MB, a rewrite (fork and a full write) came every few seconds
        # under load, each a 100-300 ms stall of acks (docs/benchmarks.md).
        say "auto-aof-rewrite-min-size 1gb"
        # The AOF is the durability; RDB snapshots on top (every minute under load, by default)
        # only added a fork and a full write each time, and another stall.
        say "save \"\""
        ;;
    esac
    case $name in
      redis-replica)
        say "replicaof $HOST $REDIS_PRIMARY_PORT"
        say "replica-read-only yes"
        ;;
      sentinel)
        say "sentinel monitor $SENTINEL_MASTER $HOST $REDIS_PRIMARY_PORT 1"
        # Short detection time so failover tests do not take long.
        say "sentinel down-after-milliseconds $SENTINEL_MASTER 5000"
        say "sentinel failover-timeout $SENTINEL_MASTER 30000"
        say "sentinel parallel-syncs $SENTINEL_MASTER 1"
        ;;
    esac
  } >"$conf"
}

start_redis() {
  local name=$1 port pid t0 dl
  port=$(port_of "$name")
  if pid=$(pid_of "$name"); then
    say "$name: already running (pid $pid, $HOST:$port)"
    return 0
  fi
  port_busy "$port" && die "$name: port $port is already in use by another process (check: ss -ltnp | grep $port)"
  t0=$(now)
  mkdir -p "$LOCAL/$name"
  write_redis_conf "$name" "$port"
  local args=("$LOCAL/$name.conf")
  [[ $name == sentinel ]] && args+=(--sentinel)
  rm -f "$LOCAL/$name.pid"
  launch "$LOCAL/$name.log" "$REDIS_SERVER" "${args[@]}"
  dl=$(deadline)
  until redis_ping "$port"; do
    launch_failed && fail_with_log "$name: redis-server exited during startup" "$LOCAL/$name.log"
    before "$dl" || fail_with_log "$name: not answering after ${TIMEOUT}s" "$LOCAL/$name.log"
    sleep 0.1
  done
  say "$name: started (pid $(pid_of "$name" || echo '?'), $HOST:$port, $(elapsed "$t0"))"
}

# Wait until a Redis replica has its link to the master up. Normally that is
# 16380; after a Sentinel failover the roles are swapped, so accept either.
wait_redis_link() {
  local dl p info
  dl=$(deadline)
  while :; do
    for p in "$REDIS_REPLICA_PORT" "$REDIS_PRIMARY_PORT"; do
      info=$(redis "$p" info replication || true)
      if [[ $(info_field "$info" role) == slave && $(info_field "$info" master_link_status) == up ]]; then
        if [[ $p == "$REDIS_REPLICA_PORT" ]]; then
          say "redis-replica: master_link_status:up"
        else
          say "redis: NOTE roles swapped by a Sentinel failover: $REDIS_REPLICA_PORT is master, $REDIS_PRIMARY_PORT replicates"
          say "       (swap back: redis-cli -p $SENTINEL_PORT sentinel failover $SENTINEL_MASTER)"
        fi
        return 0
      fi
    done
    before "$dl" || die "redis: no replica with master_link_status:up after ${TIMEOUT}s (see $LOCAL/redis-replica.log)"
    sleep 0.2
  done
}

# ------------------------------------------------------------ components ---

start_component() {
  local name=$1
  case $name in
    mysql-primary)
      start_mysql mysql-primary "$DB_PRIMARY_PORT" 1
      setup_primary
      # After an outage, wait until a running replica has reconnected so the
      # caller can rely on replication right away (retry interval is 1 s).
      if [[ $STARTED == 1 && ${2:-single} == single ]] && pid_of mysql-replica >/dev/null && [[ -f $LOCAL/mysql-replica/.pm-initialised ]]; then
        wait_replication 0
      fi
      ;;
    mysql-replica)
      if [[ ! -f $LOCAL/mysql-replica/.pm-initialised ]] && ! mysql_ping mysql-primary; then
        die "mysql-replica: first start needs mysql-primary running (scripts/localenv.sh start mysql-primary)"
      fi
      start_mysql mysql-replica "$DB_REPLICA_PORT" 2
      setup_replica
      if [[ ${2:-single} == single ]]; then
        if mysql_ping mysql-primary; then
          wait_replication 1
        else
          say "mysql-replica: mysql-primary is down; replication resumes when it is back"
        fi
      fi
      ;;
    redis-primary | redis-replica | sentinel) start_redis "$name" ;;
  esac
}

stop_component() {
  local name=$1 pid t0 dl
  if ! pid=$(pid_of "$name"); then
    say "$name: already stopped"
    return 0
  fi
  t0=$(now)
  # SIGTERM is a clean shutdown for both mariadbd and redis-server.
  kill -TERM "$pid" 2>/dev/null || true
  dl=$(deadline)
  while alive "$pid"; do
    if ! before "$dl"; then
      warn "$name: still running after ${TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  say "$name: stopped (was pid $pid, $(elapsed "$t0"))"
}

component_status() { # prints one line; returns 0 when running and answering
  local name=$1 port pid detail="" bad=0
  port=$(port_of "$name")
  if ! pid=$(pid_of "$name"); then
    detail=""
    port_busy "$port" && detail="  (port in use by another process!)"
    printf '%-14s %-8s %s:%s%s\n' "$name" stopped "$HOST" "$port" "$detail"
    return 1
  fi
  case $name in
    mysql-primary)
      if mysql_ping "$name"; then
        detail="gtid=$(sql "$name" -N -B -e 'SELECT @@gtid_binlog_pos' 2>/dev/null || echo '?')"
      else bad=1; fi
      ;;
    mysql-replica)
      if mysql_ping "$name"; then
        if replica_status; then
          detail="replication io=$RS_IO sql=$RS_SQL"
          [[ $RS_LAG =~ ^[0-9]+$ ]] && detail+=" lag=${RS_LAG}s"
          detail+=" gtid=${RS_GTID:-none}"
          # Errors are only interesting while a thread is not running.
          [[ $RS_IO == Yes && $RS_SQL == Yes ]] || detail+="${RS_ERR:+  last error: ${RS_ERR:0:90}}"
        else
          detail="replication not configured"
        fi
      else bad=1; fi
      ;;
    redis-primary | redis-replica)
      if redis_ping "$port"; then
        local info role
        info=$(redis "$port" info replication || true)
        role=$(info_field "$info" role)
        if [[ $role == slave ]]; then
          detail="role=replica of $(info_field "$info" master_host):$(info_field "$info" master_port) link=$(info_field "$info" master_link_status)"
        else
          detail="role=master replicas=$(info_field "$info" connected_slaves)"
        fi
      else bad=1; fi
      ;;
    sentinel)
      if redis_ping "$port"; then
        detail="$SENTINEL_MASTER -> $(redis "$port" sentinel get-master-addr-by-name "$SENTINEL_MASTER" | paste -sd: -)"
      else bad=1; fi
      ;;
  esac
  if ((bad == 0)); then
    printf '%-14s %-8s %s:%s  pid %s  %s\n' "$name" running "$HOST" "$port" "$pid" "$detail"
  else
    printf '%-14s %-8s %s:%s  pid %s  NOT ANSWERING (see .local/%s.log)\n' "$name" running "$HOST" "$port" "$pid" "$name"
  fi
  return "$bad"
}

# Names match the server's configuration overrides (conf/application.yaml), so
# `eval "$(scripts/localenv.sh env)"` configures a server or test run.
print_env() {
  local db
  for db in PRIMARY REPLICA; do
    local port=$DB_PRIMARY_PORT
    [[ $db == REPLICA ]] && port=$DB_REPLICA_PORT
    say "PM_DB_${db}_HOST=$HOST"
    say "PM_DB_${db}_PORT=$port"
    say "PM_DB_${db}_DATABASE=$DB_NAME"
    say "PM_DB_${db}_USER=$DB_USER"
    say "PM_DB_${db}_PASSWORD=$(printf '%q' "$DB_PASSWORD")"
  done
  say "PM_REDIS_TOPOLOGY=replica"
  say "PM_REDIS_ENDPOINTS=redis://$HOST:$REDIS_PRIMARY_PORT,redis://$HOST:$REDIS_REPLICA_PORT"
  say "# tests: database $DB_TEST_NAME; Redis via Sentinel: PM_REDIS_TOPOLOGY=sentinel" \
    "PM_REDIS_ENDPOINTS=redis://$HOST:$SENTINEL_PORT PM_REDIS_MASTER_NAME=$SENTINEL_MASTER"
}

# Serialise start/stop/reset so two concurrent callers (e.g. parallel test
# jobs) do not both initialise a datadir. Daemons never inherit this fd.
take_lock() {
  mkdir -p "$LOCAL"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$LOCAL/.lock"
  flock -w "$TIMEOUT" 9 || die "another localenv.sh is still running (lock $LOCAL/.lock)"
}

usage() {
  cat >&2 <<EOF
Usage: scripts/localenv.sh start [component]   start everything (or one component)
       scripts/localenv.sh stop [component]    stop everything (or one component); data is kept
       scripts/localenv.sh status              one line per component; exit 0 only if all run
       scripts/localenv.sh env                 print the PM_* settings (eval-able) for servers/tests
       scripts/localenv.sh reset               stop everything and delete $LOCAL
Components: ${COMPONENTS[*]}
EOF
  exit 2
}

# ------------------------------------------------------------------- main ---

cmd=${1:-}
comp=${2:-}
[[ -z $comp ]] || is_component "$comp" || { say "unknown component: $comp" >&2; usage; }

case $cmd in
  start)
    ensure_bins
    take_lock
    t_start=$(now)
    if [[ -n $comp ]]; then
      start_component "$comp"
    else
      start_component mysql-primary all
      start_component mysql-replica all
      start_component redis-primary
      start_component redis-replica
      start_component sentinel
      wait_replication 1
      wait_redis_link
      say "all started in $(elapsed "$t_start"). Settings:"
      print_env | sed 's/^/  /'
    fi
    ;;
  stop)
    resolve_bins
    take_lock
    if [[ -n $comp ]]; then
      stop_component "$comp"
    else
      # Sentinel first so stopping the Redis primary does not trigger a failover.
      for c in sentinel redis-replica redis-primary mysql-replica mysql-primary; do
        stop_component "$c"
      done
    fi
    ;;
  status)
    [[ -z $comp ]] || usage
    resolve_bins
    rc=0
    for c in "${COMPONENTS[@]}"; do component_status "$c" || rc=1; done
    exit "$rc"
    ;;
  env)
    print_env
    ;;
  reset)
    [[ -z $comp ]] || usage
    resolve_bins
    take_lock
    for c in sentinel redis-replica redis-primary mysql-replica mysql-primary; do
      stop_component "$c"
    done
    # Guard the rm: LOCAL must be the .local folder inside the project.
    [[ $LOCAL == "$ROOT/.local" && -n $ROOT && $ROOT != / ]] || die "refusing to delete $LOCAL"
    rm -rf "$LOCAL"
    say "removed $LOCAL"
    ;;
  *) usage ;;
esac
