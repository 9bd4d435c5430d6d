#!/bin/bash
# REST decisions per second for the `envoy` workload with keep-alive, two or
# more policyd binaries side by side (see BENCHMARKS.md, "Decision service:
# REST API over HTTP/1.1").
#
#   tests/bench/rest_ab.sh ROUNDS POLICYD_BIN [POLICYD_BIN...]
#
# Serves the workload from /tmp/restbench with each binary (HTTP ports
# 38181..), then each round runs `h2load --h1` (Debian's nghttp2-client;
# CONNS connections, default 16, for DURATION seconds, default 5) against
# every binary at the same time, so that all see the same machine, and
# prints per binary: requests per second, mean latency, and the server's
# CPU microseconds and context switches per request (all its threads).
# EXTRA="--workers 1" is passed to every policyd.
set -u
rounds=$1
shift
command -v h2load >/dev/null || { echo "h2load missing: apt-get install nghttp2-client" >&2; exit 2; }
bench=$(dirname "$0")/../../../shared/bench/envoy
mkdir -p /tmp/restbench/envoy
cp "$bench"/{policy.rego,data.json} /tmp/restbench/envoy/
python3 -c 'import json, sys; print(json.dumps({"input": json.load(open(sys.argv[1]))}))' \
  "$bench/input.json" >/tmp/restbench.body

pids=() ports=()
i=0
for bin in "$@"; do
  # shellcheck disable=SC2086
  "$bin" serve --bundles /tmp/restbench --grpc-addr 127.0.0.1:0 \
    --http-addr 127.0.0.1:$((38181 + i)) --watch=false ${EXTRA:-} >/dev/null 2>&1 &
  pids+=($!) ports+=($((38181 + i)))
  i=$((i + 1))
done
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -f /tmp/restbench.out.*' EXIT
sleep 1.5

switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }
ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }  # 10 ms each

for r in $(seq "$rounds"); do
  s0=() t0=()
  for k in "${!pids[@]}"; do
    s0+=("$(switches "${pids[$k]}")") t0+=("$(ticks "${pids[$k]}")")
    h2load --h1 -c "${CONNS:-16}" -t 1 -D "${DURATION:-5}" -d /tmp/restbench.body \
      -H 'content-type: application/json' \
      "http://127.0.0.1:${ports[$k]}/v1/data/envoy/authz/decision" >/tmp/restbench.out.$k 2>&1 &
  done
  wait $(jobs -p | grep -v -e "$(printf '%s\n' "${pids[@]}")") 2>/dev/null
  line="round $r:"
  for k in "${!pids[@]}"; do
    out=/tmp/restbench.out.$k
    n=$(awk '/^status codes/ {print $3}' "$out")
    rps=$(awk '/^finished/ {printf "%d", $4}' "$out")
    mean=$(awk '/time for request/ {print $6}' "$out")
    cpu=$(awk -v d=$(($(ticks "${pids[$k]}") - t0[k])) -v n="$n" 'BEGIN {printf "%.1f", d * 10000 / n}')
    sw=$(awk -v d=$(($(switches "${pids[$k]}") - s0[k])) -v n="$n" 'BEGIN {printf "%.2f", d / n}')
    line="$line | bin$((k + 1)) ${rps}/s mean ${mean} cpu ${cpu}us sw ${sw} (2xx ${n})"
  done
  echo "$line"
done
