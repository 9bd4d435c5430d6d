#!/bin/bash
# Decision logging with upload, on against off, side by side (BENCHMARKS.md,
# "Decision log upload").
#
#   tests/bench/decision_log_ab.sh BUILD_DIR ROUNDS
#
# Serves the `envoy` workload twice: without a decision log, and with
# decision_logs uploaded (OPA's keys, 1-2 s reporting) to nginx as the
# collector (it answers 204 and discards the body, so the collector costs
# next to nothing). Then runs 5 s of ext_authz loadgen (32 calls in flight)
# against each in turn, ROUNDS times, and prints throughput, latency and
# the upload counters.
set -u
build=$1 rounds=$2
bin=$build/service/policyd loadgen=$build/tests/bench/loadgen
input=$(dirname "$0")/../../../shared/bench/envoy/input.json
work=$(mktemp -d /tmp/dlogbench.XXXXXX)
mkdir -p "$work/bundles/envoy" "$work/nginx"
cp "$(dirname "$input")"/{policy.rego,data.json} "$work/bundles/envoy/"

cat >"$work/nginx/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
daemon off; worker_processes 1; pid $work/nginx/pid; error_log $work/nginx/error.log;
events { worker_connections 256; }
http { access_log off; client_body_temp_path $work/nginx/body; client_max_body_size 64m;
  server { listen 127.0.0.1:29480; location / { return 204; } } }
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
cat >"$work/upload.yaml" <<CONF
services:
  collector: {url: "http://127.0.0.1:29480"}
decision_logs:
  service: collector
  reporting: {min_delay_seconds: 1, max_delay_seconds: 2}
CONF

common=(serve --bundles "$work/bundles" --envoy-decision envoy/authz/decision)
"$bin" "${common[@]}" --grpc-addr 127.0.0.1:29191 --http-addr 127.0.0.1:28181 >/dev/null 2>&1 &
off_pid=$!
"$bin" "${common[@]}" --config "$work/upload.yaml" --grpc-addr 127.0.0.1:29192 \
  --http-addr 127.0.0.1:28182 >/dev/null 2>&1 &
on_pid=$!
trap 'kill $off_pid $on_pid; sleep 1; kill $nginx_pid; wait 2>/dev/null; rm -rf "$work"' EXIT
sleep 2

run() {
  "$loadgen" --addr 127.0.0.1:"$1" --api ext_authz --input "$input" --concurrency 32 \
    --duration 5 | grep -o 'throughput=[0-9]*\|errors=[0-9]*\|p50=[0-9]*us\|p99=[0-9]*us' | tr '\n' ' '
}
for _ in $(seq "$rounds"); do
  off=$(run 29191)
  on=$(run 29192)
  t_off=$(grep -o 'throughput=[0-9]*' <<<"$off" | cut -d= -f2)
  t_on=$(grep -o 'throughput=[0-9]*' <<<"$on" | cut -d= -f2)
  echo "off: $off| upload on: $on| on/off $(awk -v a="$t_on" -v b="$t_off" 'BEGIN {printf "%.3f", a / b}')"
done
sleep 3
curl -s http://127.0.0.1:28182/metrics | grep -E '^policyd_decision_log_(events|upload_failures)_total'
