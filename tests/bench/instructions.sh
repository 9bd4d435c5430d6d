#!/usr/bin/env bash
# Instructions per decision for each benchmark workload, counted by callgrind
# inside PreparedQuery::EvalValue and divided by the number of its calls.
# Repeatable whatever else the machine is doing, so before/after figures can
# be compared across runs.
#   tests/bench/instructions.sh [BUILD_DIR] [WORKLOAD...]
set -euo pipefail
build=${1:-build}
shift || true
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(rbac envoy k8s-labels acl)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for w in "${workloads[@]}"; do
  valgrind --tool=callgrind --callgrind-out-file="$out/$w" \
    --toggle-collect='policyd::PreparedQuery::EvalValue*' \
    "$build/tests/bench/rbac_bench" --benchmark_filter="BM_Decision/$w\$" \
    --benchmark_min_time=0.02 >/dev/null 2>&1
  awk -v w="$w" '
    /^c?fn=\([0-9]+\) .*PreparedQuery::EvalValue/ {
      id = $0; sub(/^c?fn=/, "", id); sub(/ .*/, "", id); ids[id] = 1
    }
    /^cfn=/ { id = $0; sub(/^cfn=/, "", id); sub(/ .*/, "", id); target = (id in ids) }
    /^calls=/ && target { split($0, a, /[= ]/); calls += a[2] }
    /^summary:/ { total = $2 }
    END { printf "%-12s %10.1f k instructions per decision (%d calls)\n", w, total / calls / 1000, calls }
  ' "$out/$w"
done
