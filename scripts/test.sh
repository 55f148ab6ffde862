#!/usr/bin/env bash
# Quick start, part two: bring up the local environment and run the whole test suite against it.
# Extra arguments go to Maven (for example -Dtest=ChatConformanceTest).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/localenv.sh start
exec mvn -B verify "$@"
