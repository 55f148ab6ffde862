#!/usr/bin/env bash
# Quick start, part two: bring up the local environment and run the whole test suite against it:
# `mvn -B verify` (which also builds the jar), then the web client's end-to-end tests in headless
# Chromium (e2e/, against that jar).
# Extra arguments go to Maven (for example -Dtest=ChatConformanceTest); arguments that narrow or
# skip the tests also skip the end-to-end tests, and so does PM_SKIP_E2E=1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

bash scripts/localenv.sh start

mvn -B verify "$@"

run_e2e=1
if [ "${PM_SKIP_E2E:-0}" = 1 ]; then
  run_e2e=0
fi
for arg in "$@"; do
  case "$arg" in
    -Dtest=* | -Dit.test=* | -Dgroups=* | -DexcludedGroups=* | -DskipTests* | -Dmaven.test.skip*)
      run_e2e=0 ;;
  esac
done
if [ "$run_e2e" = 0 ]; then
  echo "end-to-end tests skipped (PM_SKIP_E2E=1, or Maven arguments that narrow the tests)"
  exit 0
fi

# ---- prerequisites of the end-to-end tests: Debian's Chromium, Node.js, e2e/node_modules

chromium=${PM_E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian's chromium for the end-to-end tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "ERROR: the end-to-end tests need Debian's Chromium at $chromium. Install it with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
    echo "or skip them with PM_SKIP_E2E=1." >&2
    exit 1
  fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ERROR: the end-to-end tests need Node.js 20+ and npm (or skip them with PM_SKIP_E2E=1)." >&2
  exit 1
fi
# npm ci when node_modules is missing or older than the lock file.
if [ ! -f e2e/node_modules/.package-lock.json ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  npm ci --prefix e2e --no-audit --no-fund --loglevel=error
fi

PM_E2E_CHROMIUM="$chromium" npm test --prefix e2e --silent
