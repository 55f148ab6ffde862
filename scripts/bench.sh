#!/usr/bin/env bash
# Benchmarks (docs/benchmarks.md): the durable server against the in-memory reference server,
# both driven by the project's load tool (org.petmeeting.loadtest.LoadTool) on this machine.
#
#   scripts/bench.sh [all|throughput|idle]     (default: all)
#
# throughput, per scenario (BENCH_SCENARIOS, default "direct group"):
#   <scenario>.reference.max  closed loop (each client keeps BENCH_WINDOW sends unacked) on the reference
#   <scenario>.durable.max    the same on the durable server: its maximum sustained rate
#   <scenario>.durable.half   open loop at half of that rate: the latency figures
#   <scenario>.reference.half the same rate on the reference, for comparison
# idle: authenticated idle connections on one durable node (each user in one direct room): the heap
#   after a full GC (jcmd GC.run, GC.heap_info) and RSS before and after connecting. idle.durable:
#   BENCH_IDLE_CONNECTIONS (20,000, or what the open-files limit allows) with -Xmx512m;
#   idle256.durable: as many (or BENCH_IDLE_256_CONNECTIONS) with -Xmx256m.
#
# The durable server runs as scripts/run.sh runs it (AOF, WAIT for one Redis replica before each
# ack, MariaDB primary and replica) with these differences, all for the benchmark's sake: its own
# database (petmeeting_bench, dropped and recreated each time) and Redis database index (2,
# flushed), which is why the Redis client is in the standalone topology (on the primary; WAIT
# still waits for the replica): in the replica topology vertx-redis-client 5.0.7, when a pooled
# connection times out under load, rediscovers the primary through the replica and connects to it
# without the database index, so writes land in database 0 (docs/benchmarks.md); port 18080; the per-connection send and request limits raised to
# BENCH_SEND_RATE/s (the defaults, 20 sends and 50 requests a second, would throttle a closed
# loop); BCrypt cost 4 so that signing up thousands of users is quick (sign-up is not measured).
# The PM_DB_*, PM_REDIS_* and PM_AUTH_* variables of the caller are passed through (to measure the
# replica topology: PM_REDIS_TOPOLOGY=replica PM_REDIS_ENDPOINTS=redis://127.0.0.1:16379/2,redis://127.0.0.1:16380/2).
#
# Results: BENCH_OUT (default target/bench/<time>): one JSON per run, summary.json, bench.svg,
# summary.md, the servers' logs, and (BENCH_PROFILE=1, the default) a JFR recording of a third,
# closed-loop run of the durable server with its hot spots (<scenario>.durable.profile.txt). BENCH_SAVE=docs/bench copies the small files there. Other knobs: BENCH_DURATION,
# BENCH_WARMUP, BENCH_CLIENTS, BENCH_WINDOW, BENCH_MESSAGE_SIZE, BENCH_TAG (appended to scenario
# names, to tell a variant apart), BENCH_PROFILE=0 (no JFR).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

what=${1:-all}
case $what in
  all | throughput | idle) ;;
  -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/bench.sh [all|throughput|idle|--help]" >&2; exit 2 ;;
esac

# ---- settings (environment overrides)
scenarios=${BENCH_SCENARIOS:-direct group}
duration=${BENCH_DURATION:-30}
warmup=${BENCH_WARMUP:-20}
window=${BENCH_WINDOW:-4}
clients=${BENCH_CLIENTS:-1000}
message_size=${BENCH_MESSAGE_SIZE:-100}
event_loops=${BENCH_TOOL_EVENT_LOOPS:-2}
send_rate=${BENCH_SEND_RATE:-100000}
heap=${BENCH_HEAP:-512m}
durable_port=${BENCH_DURABLE_PORT:-18080}
reference_port=${BENCH_REFERENCE_PORT:-18090}
out=${BENCH_OUT:-target/bench/$(date -u +%Y%m%dT%H%M%SZ)}
save=${BENCH_SAVE:-}
profile=${BENCH_PROFILE:-1}
# Appended to the scenario names, to tell runs of a variant apart (e.g. another PM_REDIS_TOPOLOGY).
tag=${BENCH_TAG:-}
db=petmeeting_bench
redis_db=2

jar=target/petmeeting-server-0.1.0-SNAPSHOT.jar
mkdir -p "$out"
say() { printf '[bench] %s\n' "$*" >&2; }

# Each connection is a file descriptor in both processes; 20,000 idle connections need the limit
# raised (a soft limit can go up to the hard one without privileges).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
say "open-files limit $fd_limit; load average $(cut -d' ' -f1-3 /proc/loadavg); output in $out"

bash scripts/localenv.sh start >/dev/null
if [ ! -f "$jar" ] || [ -n "$(find src conf pom.xml -newer "$jar" -print -quit)" ]; then
  say "building $jar"
  mvn -B -q -DskipTests package
fi

# ---- the bench's own database and Redis db index, emptied each time
mariadb --no-defaults --socket="$root/.local/mysql-primary.sock" -uroot -e "
  DROP DATABASE IF EXISTS \`$db\`;
  CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  GRANT ALL ON \`$db\`.* TO 'petmeeting'@'127.0.0.1', 'petmeeting'@'localhost';"
redis-cli -h 127.0.0.1 -p 16379 -n "$redis_db" flushdb >/dev/null

# ---- servers: started here, stopped by pid
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

wait_ready() { # url
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$server_pid" 2>/dev/null || { say "server exited during start-up"; return 1; }
    sleep 0.2
  done
  say "server not ready: $1"
  return 1
}

start_durable() { # name heap
  local db_password=${PM_DB_PASSWORD:-petmeeting-local}
  env PM_HTTP_HOST=127.0.0.1 PM_HTTP_PORT="$durable_port" \
    PM_DB_PRIMARY_HOST="${PM_DB_PRIMARY_HOST:-127.0.0.1}" PM_DB_PRIMARY_PORT="${PM_DB_PRIMARY_PORT:-13306}" \
    PM_DB_PRIMARY_DATABASE="$db" PM_DB_PRIMARY_USER="${PM_DB_PRIMARY_USER:-petmeeting}" \
    PM_DB_PRIMARY_PASSWORD="${PM_DB_PRIMARY_PASSWORD:-$db_password}" \
    PM_DB_REPLICA_HOST="${PM_DB_REPLICA_HOST:-127.0.0.1}" PM_DB_REPLICA_PORT="${PM_DB_REPLICA_PORT:-13307}" \
    PM_DB_REPLICA_DATABASE="$db" PM_DB_REPLICA_USER="${PM_DB_REPLICA_USER:-petmeeting}" \
    PM_DB_REPLICA_PASSWORD="${PM_DB_REPLICA_PASSWORD:-$db_password}" \
    PM_REDIS_TOPOLOGY="${PM_REDIS_TOPOLOGY:-standalone}" \
    PM_REDIS_ENDPOINTS="${PM_REDIS_ENDPOINTS:-redis://127.0.0.1:16379/$redis_db}" \
    PM_REDIS_EXPECT_AOF="${PM_REDIS_EXPECT_AOF:-true}" PM_REDIS_WAIT_REPLICAS="${PM_REDIS_WAIT_REPLICAS:-1}" \
    PM_AUTH_JWT_SECRET="${PM_AUTH_JWT_SECRET:-bench-only-secret-bench-only-secret-0123456789}" \
    PM_AUTH_BCRYPT_COST="${PM_AUTH_BCRYPT_COST:-4}" \
    PM_LIMITS_SEND_RATE_PER_SECOND="$send_rate" PM_LIMITS_SEND_BURST="$send_rate" \
    PM_LIMITS_REQUEST_RATE_PER_SECOND="$send_rate" PM_LIMITS_REQUEST_BURST="$send_rate" \
    PM_LIMITS_REQUEST_RATE_PER_SECOND="$send_rate" PM_LIMITS_REQUEST_BURST="$send_rate" PM_LIMITS_MAX_IN_FLIGHT=100000 \
    java -XX:+UseG1GC "-Xmx$2" "-Xlog:gc:file=$out/$1.gc.log" -jar "$jar" >"$out/$1.server.log" 2>&1 &
  server_pid=$!
  wait_ready "http://127.0.0.1:$durable_port/health/ready"
  say "durable server up (pid $server_pid, -Xmx$2, send limit ${send_rate}/s per connection)"
}

start_reference() { # name
  java -XX:+UseG1GC "-Xmx$heap" -cp "$jar" org.petmeeting.loadtest.ReferenceServer --port "$reference_port" \
    >"$out/$1.server.log" 2>&1 &
  server_pid=$!
  wait_ready "http://127.0.0.1:$reference_port/health/ready"
  say "reference server up (pid $server_pid)"
}

# load <label> <port> <tool options...>: one load-tool run against the running server
load() {
  local label=$1 port=$2
  shift 2
  say "run $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local rc=0
  java -XX:+UseG1GC -Xmx2g -cp "$jar" org.petmeeting.loadtest.LoadTool --label "$label" \
    --url "http://127.0.0.1:$port" --server-pid "$server_pid" --event-loops "$event_loops" \
    --message-size "$message_size" --out "$out/$label.json" "$@" || rc=$?
  [ $rc -le 1 ] || { say "load tool failed ($rc) on $label"; exit $rc; }
  [ $rc -eq 0 ] || say "run $label: accounting or connection problems (see $out/$label.json)"
}

wait_drained() { # metrics url: until pm_persist_backlog is under 100 (at most 300 s)
  local backlog=""
  for _ in $(seq 1 300); do
    backlog=$(curl -fs "$1" | awk '$1 == "pm_persist_backlog" {printf "%d", $2}')
    if [ -n "$backlog" ] && [ "$backlog" -lt 100 ]; then return 0; fi
    sleep 1
  done
  say "persist backlog still $backlog after 300 s"
}

wait_jfr() { # file: until it exists and stops growing (at most 60 s)
  local size=-1
  for _ in $(seq 1 120); do
    if [ -s "$1" ] && [ "$(stat -c %s "$1")" = "$size" ]; then return 0; fi
    size=$(stat -c %s "$1" 2>/dev/null || echo -1)
    sleep 0.5
  done
  say "no complete JFR recording at $1"
}

json_field() { # file python-expression on d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

scenario_args() { # scenario -> rooms and room size for $clients clients
  case $1 in
    direct) echo "--clients $clients --rooms $((clients / 2)) --room-size 2" ;;
    group) echo "--clients $clients --rooms $((clients / 10)) --room-size 10" ;;
    *) say "unknown scenario $1 (direct or group)"; exit 2 ;;
  esac
}

if [ "$what" = all ] || [ "$what" = throughput ]; then
  for base in $scenarios; do
    sc=$base$tag
    # shellcheck disable=SC2046
    set -- $(scenario_args "$base")
    common=("$@" --ramp-up 5 --warmup "$warmup" --duration "$duration" --drain 60)

    start_reference "$sc.reference.max"
    load "$sc.reference.max" "$reference_port" "${common[@]}" --window "$window"
    stop_server

    start_durable "$sc.durable" "$heap"
    load "$sc.durable.max" "$durable_port" "${common[@]}" --window "$window"
    half=$(json_field "$out/$sc.durable.max.json" "max(1, round(d['throughput']['ackedPerSec'] / 2))")
    say "$sc: durable maximum $(json_field "$out/$sc.durable.max.json" "d['throughput']['ackedPerSec']") msg/s; half: $half msg/s"
    # The half-rate run starts once MariaDB has caught up with the maximum run, so that its
    # latency is its own and not that of a backlog being drained.
    wait_drained "http://127.0.0.1:$durable_port/metrics"
    load "$sc.durable.half" "$durable_port" "${common[@]}" --rate "$half"
    if [ "$profile" = 1 ]; then
      # A run of its own: starting JFR sets the JIT compiling again, which would cost the
      # measured maximum a good part of a core. Its figures are kept but not summarised.
      load "$sc.durable.profile" "$durable_port" "${common[@]}" --window "$window" --profile "$out/$sc.durable.jfr"
      # The server writes the recording when its duration ends, a moment after the tool's window.
      wait_jfr "$out/$sc.durable.jfr"
      java -cp "$jar" org.petmeeting.loadtest.JfrTop "$out/$sc.durable.jfr" 15 >"$out/$sc.durable.profile.txt" || true
    fi
    stop_server

    start_reference "$sc.reference.half"
    load "$sc.reference.half" "$reference_port" "${common[@]}" --rate "$half"
    stop_server
  done
fi

if [ "$what" = all ] || [ "$what" = idle ]; then
  # Both processes hold one descriptor per connection, plus their own (jars, pools, epoll).
  idle=${BENCH_IDLE_CONNECTIONS:-20000}
  max_idle=$((fd_limit - 400))
  if [ "$idle" -gt "$max_idle" ]; then
    say "open-files limit $fd_limit: $max_idle idle connections instead of $idle (the heap for 20,000 is projected from the per-connection figure)"
    idle=$max_idle
  fi
  # idle.durable: as many connections as the descriptors allow, with room in the heap, to measure
  # the live heap after a full GC at full scale. idle256.durable: the same number (or
  # BENCH_IDLE_256_CONNECTIONS) in a JVM capped at -Xmx256m, to show that it holds within the limit
  # (a roomier heap keeps more softly reachable caches through a full GC: it reads higher).
  idle_run() { # label heap connections
    start_durable "$1" "$2"
    load "$1" "$durable_port" --idle --clients "$3" --rooms $(($3 / 2)) --room-size 2 \
      --ramp-up $(($3 / ${BENCH_IDLE_CONNECT_RATE:-250})) --settle 10 --duration "${BENCH_IDLE_HOLD:-30}" \
      --rest-concurrency 16 --connect-concurrency 100
    stop_server
  }
  idle_run idle.durable "${BENCH_IDLE_HEAP:-512m}" "$idle"
  idle_run idle256.durable 256m "${BENCH_IDLE_256_CONNECTIONS:-$idle}"
fi

# The profiling runs are left out of the summary (JFR costs them CPU).
summarised=()
for f in "$out"/*.json; do
  case $f in */summary.json | *.profile.json) ;; *) summarised+=("$f") ;; esac
done
java -cp "$jar" org.petmeeting.loadtest.BenchReport --out "$out/summary.json" --svg "$out/bench.svg" \
  "${summarised[@]}" >"$out/summary.md" || true
cat "$out/summary.md"
if [ -n "$save" ]; then
  mkdir -p "$save"
  cp "${summarised[@]}" "$out/summary.json" "$out/bench.svg" "$out/summary.md" "$save/"
  cp "$out"/*.profile.txt "$save/" 2>/dev/null || true
  say "copied the results to $save"
fi
say "done: $out (load average $(cut -d' ' -f1-3 /proc/loadavg))"
