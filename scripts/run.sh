#!/usr/bin/env bash
# Quick start, part one: bring up the local environment (MariaDB primary/replica, Redis
# primary/replica/Sentinel on loopback, see scripts/localenv.sh), build the server if needed and
# run it in the foreground on http://127.0.0.1:8080 against that environment.
# Any PM_* variable set by the caller wins over the values below.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/localenv.sh start

jar=target/petmeeting-server-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find src conf pom.xml -newer "$jar" -print -quit)" ]; then
  echo "building $jar"
  mvn -B -q -DskipTests package
fi

db_password=${PM_DB_PASSWORD:-petmeeting-local}
export PM_DB_PRIMARY_HOST=${PM_DB_PRIMARY_HOST:-127.0.0.1}
export PM_DB_PRIMARY_PORT=${PM_DB_PRIMARY_PORT:-13306}
export PM_DB_PRIMARY_USER=${PM_DB_PRIMARY_USER:-petmeeting}
export PM_DB_PRIMARY_PASSWORD=${PM_DB_PRIMARY_PASSWORD:-$db_password}
export PM_DB_REPLICA_HOST=${PM_DB_REPLICA_HOST:-127.0.0.1}
export PM_DB_REPLICA_PORT=${PM_DB_REPLICA_PORT:-13307}
export PM_DB_REPLICA_USER=${PM_DB_REPLICA_USER:-petmeeting}
export PM_DB_REPLICA_PASSWORD=${PM_DB_REPLICA_PASSWORD:-$db_password}
export PM_REDIS_TOPOLOGY=${PM_REDIS_TOPOLOGY:-replica}
export PM_REDIS_ENDPOINTS=${PM_REDIS_ENDPOINTS:-redis://127.0.0.1:16379,redis://127.0.0.1:16380}
export PM_REDIS_EXPECT_AOF=${PM_REDIS_EXPECT_AOF:-true}
export PM_REDIS_WAIT_REPLICAS=${PM_REDIS_WAIT_REPLICAS:-1}

exec java ${JAVA_OPTS:--XX:+UseZGC -Xmx512m} -jar "$jar"
