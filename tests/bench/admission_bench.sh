#!/bin/sh
# Admission decisions per second and latency through POST /v1/admit, for a
# bundle of 50 ConstraintTemplates and 100 Constraints and a realistic Pod
# (see admission_bundle.py). Run from the checkout after building policyd
# and admission_loadgen:
#
#   tests/bench/admission_bench.sh [BUILD_DIR] [SECONDS]
set -eu
BUILD=${1:-build}
SECONDS_PER_RUN=${2:-10}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 "$(dirname "$0")/admission_bundle.py" "$WORK"
"$BUILD/service/policyd" serve --bundles "$WORK/bundles" --grpc-addr 127.0.0.1:0 \
  --http-addr 127.0.0.1:0 2>"$WORK/err" &
PID=$!
for _ in $(seq 100); do
  grep -q "HTTP listening" "$WORK/err" && break
  sleep 0.1
done
grep "admission:" "$WORK/err"
PORT=$(sed -n 's/.*HTTP listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/err")
for CONNECTIONS in 1 2 4; do
  printf "connections %s: " "$CONNECTIONS"
  "$BUILD/tests/bench/admission_loadgen" --port "$PORT" --body "$WORK/review.json" \
    --connections "$CONNECTIONS" --duration "$SECONDS_PER_RUN"
done
