#!/bin/bash
# Alternating ext_authz runs against the null server (see BENCHMARKS.md,
# "Decision service: Envoy ext_authz over gRPC").
#
#   tests/bench/ext_authz_ab.sh BUILD_DIR ROUNDS POLICYD_BIN [POLICYD_BIN...]
#
# Serves the `envoy` workload from /tmp/envoybench with each binary and the
# null server side by side (ports 29191.., 28181.. and 29292), then runs 5 s
# of loadgen (32 calls in flight) against the null server and each binary in
# turn, ROUNDS times. Per run: throughput, the server's context switches and
# CPU microseconds per request (all its threads), errors, latency, and the
# ratio to the null run just before. RATE=N runs at a fixed rate instead;
# EXTRA="--workers 1" is passed to every policyd, LOADGEN_FLAGS="--threads 2"
# to every loadgen run.
set -u
build=$1 rounds=$2
shift 2
loadgen=$build/tests/bench/loadgen
input=$(dirname "$0")/../../../shared/bench/envoy/input.json
mkdir -p /tmp/envoybench/envoy
cp "$(dirname "$input")"/{policy.rego,data.json} /tmp/envoybench/envoy/

pids=() ports=()
i=0
for bin in "$@"; do
  port=$((29191 + i))
  # shellcheck disable=SC2086
  "$bin" serve --bundles /tmp/envoybench --grpc-addr 127.0.0.1:$port \
    --http-addr 127.0.0.1:$((28181 + i)) --envoy-decision envoy/authz/decision \
    ${EXTRA:-} >/dev/null 2>&1 &
  pids+=($!) ports+=($port)
  i=$((i + 1))
done
"$build"/tests/bench/null_authz_server --addr 127.0.0.1:29292 >/dev/null 2>&1 &
null_pid=$!
trap 'kill "${pids[@]}" $null_pid 2>/dev/null; wait 2>/dev/null' EXIT
sleep 1.5

switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }
ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }  # 10 ms each

# run PORT PID: "throughput switches/request cpu_us/request errors=N latency"
run() {
  local s0 t0 out calls
  s0=$(switches "$2") t0=$(ticks "$2")
  out=$("$loadgen" --addr 127.0.0.1:"$1" --api ext_authz --input "$input" \
    --concurrency 32 --duration 5 ${RATE:+--rate $RATE} ${LOADGEN_FLAGS:-})
  calls=$(grep -o 'calls=[0-9]*' <<<"$out" | cut -d= -f2)
  echo "$(grep -o 'throughput=[0-9]*' <<<"$out" | cut -d= -f2)" \
    "$(awk -v d=$(($(switches "$2") - s0)) -v n="$calls" 'BEGIN {printf "%.2f", d / n}')" \
    "$(awk -v d=$(($(ticks "$2") - t0)) -v n="$calls" 'BEGIN {printf "%.1f", d * 10000 / n}')" \
    "$(grep -o 'errors=[0-9]*' <<<"$out")" \
    "$(grep -o 'p50=[0-9]*us.*p99=[0-9]*us' <<<"$out")"
}

for _ in $(seq "$rounds"); do
  null=$(run 29292 $null_pid)
  line="null: $null"
  for k in "${!pids[@]}"; do
    r=$(run "${ports[$k]}" "${pids[$k]}")
    line="$line | $((k + 1)): $r ratio=$(awk -v a="${r%% *}" -v b="${null%% *}" 'BEGIN {printf "%.2f", a / b}')"
  done
  echo "$line"
done
echo "(throughput/s, context switches/request, CPU us/request, errors, latency)"
