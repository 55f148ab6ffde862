#!/usr/bin/env bash
# Runs N clustered server nodes on loopback against the local environment:
#   scripts/cluster.sh start [N]   # N nodes (default 3): HTTP 8081..808N, Hazelcast 5701..570N
#   scripts/cluster.sh status
#   scripts/cluster.sh stop        # SIGTERM: each node sends reconnect, closes clients with 1012
# Logs and pid files live in .local/nodes/. Any client may connect to any node.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
dir=.local/nodes
jar=target/petmeeting-server-0.1.0-SNAPSHOT.jar
cmd=${1:-start}
count=${2:-3}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

case "$cmd" in
  start)
    bash scripts/localenv.sh start >/dev/null
    if [ ! -f "$jar" ] || [ -n "$(find src conf pom.xml -newer "$jar" -print -quit)" ]; then
      echo "building $jar"
      mvn -B -q -DskipTests package
    fi
    mkdir -p "$dir"
    members=""
    for i in $(seq 1 "$count"); do members="$members${members:+,}127.0.0.1:$((5700 + i))"; done
    # Every node must verify every node's tokens: one secret for the local cluster.
    secret_file=$dir/jwt-secret
    [ -f "$secret_file" ] || head -c 48 /dev/urandom | base64 | tr -d '\n' > "$secret_file"
    for i in $(seq 1 "$count"); do
      pid=$dir/node-$i.pid
      if running "$pid"; then echo "node $i already running (pid $(cat "$pid"))"; continue; fi
      env PM_HTTP_PORT=$((8080 + i)) PM_CLUSTER_ENABLED=true PM_CLUSTER_HOST=127.0.0.1 \
          PM_CLUSTER_PORT=$((5700 + i)) PM_CLUSTER_MEMBERS="$members" \
          PM_AUTH_JWT_SECRET="${PM_AUTH_JWT_SECRET:-$(cat "$secret_file")}" \
          PM_DB_PRIMARY_PORT=13306 PM_DB_PRIMARY_USER=petmeeting PM_DB_PRIMARY_PASSWORD="${PM_DB_PASSWORD:-petmeeting-local}" \
          PM_DB_REPLICA_HOST=127.0.0.1 PM_DB_REPLICA_PORT=13307 PM_DB_REPLICA_USER=petmeeting \
          PM_DB_REPLICA_PASSWORD="${PM_DB_PASSWORD:-petmeeting-local}" \
          PM_REDIS_TOPOLOGY=replica PM_REDIS_ENDPOINTS=redis://127.0.0.1:16379,redis://127.0.0.1:16380 \
          nohup java ${JAVA_OPTS:--Xmx512m} -jar "$jar" >> "$dir/node-$i.log" 2>&1 < /dev/null &
      echo $! > "$pid"
      echo "node $i starting: http://127.0.0.1:$((8080 + i)) (log $dir/node-$i.log)"
    done
    for i in $(seq 1 "$count"); do
      deadline=$((SECONDS + 90))
      until curl -fs "http://127.0.0.1:$((8080 + i))/health/ready" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ] || ! running "$dir/node-$i.pid"; then
          echo "node $i did not become ready; see $dir/node-$i.log" >&2; exit 1
        fi
        sleep 0.5
      done
      echo "node $i ready"
    done
    ;;
  status)
    for pid in "$dir"/node-*.pid; do
      [ -e "$pid" ] || { echo "no nodes"; break; }
      n=$(basename "$pid" .pid); i=${n#node-}
      if running "$pid"; then echo "$n running pid $(cat "$pid") http://127.0.0.1:$((8080 + i))"; else echo "$n stopped"; fi
    done
    ;;
  stop)
    for pid in "$dir"/node-*.pid; do
      [ -e "$pid" ] || break
      if running "$pid"; then kill -TERM "$(cat "$pid")"; fi
    done
    for pid in "$dir"/node-*.pid; do
      [ -e "$pid" ] || break
      deadline=$((SECONDS + 30))
      while running "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      rm -f "$pid"
    done
    echo "nodes stopped"
    ;;
  *) echo "usage: $0 start [N] | status | stop" >&2; exit 2 ;;
esac
