#!/usr/bin/env bash
# Every benchmark, one command:  bash tests/benchmarks/run.sh [--n 100000] [--runs 5]
# 1. receive, send and generation (tests/benchmarks/bench.py, each client in a fresh process);
#    the voice workload (voice.py); the runtime's own cost per event, without a network (micro.py);
# 2. Pants: cold export-codegen (no local cache), warm no-op, and after editing one of two specs,
#    with the number of generator processes each time (from --keep-sandboxes=always's log).
set -euo pipefail
cd "$(dirname "$0")/../.."
./pants run tests/benchmarks:bench -- "$@"
./pants run tests/benchmarks:voice -- --chunks 100000 --runs 7  # runs of 20,000 chunks (~0.2 s) move by ±15%
./pants run tests/benchmarks:micro

spec=specs/feed/feed.openapi.yaml
backup=$(mktemp)
cp "$spec" "$backup"
trap 'cp "$backup" "$spec"; rm -f "$backup"' EXIT

measure() {  # label, then pants arguments
  local label=$1; shift
  local start end log
  log=$(mktemp)
  start=$(date +%s.%N)
  ./pants --no-pantsd --keep-sandboxes=always "$@" export-codegen specs:: 2>"$log" >/dev/null
  end=$(date +%s.%N)
  printf '| %-40s | %7.1f | %s |\n' "$label" "$(echo "$end - $start" | bc)" \
    "$(grep -cE 'for Generate [a-z_]+ from ' "$log" || true)"
  rm -f "$log"
}

printf '\nPants: export-codegen specs:: (2 websocket_sdk targets), pantsd off\n\n'
printf '| %-40s | %7s | %s |\n' "run" "seconds" "generator processes"
printf '|%s|%s|%s|\n' "------------------------------------------" "---------" "---------------------"
measure "cold (no local cache)" --no-local-cache
# fill the local cache first: the cold run above writes none, and after a change to the
# generator no earlier run has cached its processes
./pants --no-pantsd export-codegen specs:: >/dev/null 2>&1
measure "warm, nothing changed"
printf '\n# bench edit %s\n' "$(date +%s%N)" >> "$spec"
measure "warm, feed spec edited"
