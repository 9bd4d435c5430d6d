#!/bin/bash
# Soak run of `policyd serve`: mixed ext_authz, Decision API and REST load
# while the bundles directory changes every few seconds, every third change
# a broken bundle (the previous snapshot must keep serving). Bounded:
# SOAK_SECONDS (default 600).
#
#   tests/soak/soak.sh [BUILD_DIR]      (needs the policyd and loadgen targets)
#
# Prints decisions per API, failures (calls that did not get a decision;
# denials by the policy are decisions), reloads that activated and that
# failed, and the server's resident memory at start and end. Exits non-zero
# on any failure, if the server died, or if RSS grew by more than
# SOAK_RSS_GROWTH_MB (default 64).
set -u
build=${1:-build}
seconds=${SOAK_SECONDS:-600}
rss_bound_mb=${SOAK_RSS_GROWTH_MB:-64}
reload_every=${SOAK_RELOAD_SECONDS:-3}
here=$(cd "$(dirname "$0")" && pwd)
workload=$here/../../../shared/bench/envoy
policyd=$build/service/policyd
loadgen=$build/tests/bench/loadgen
for f in "$policyd" "$loadgen" "$workload/input.json"; do
  [ -e "$f" ] || { echo "soak: missing $f" >&2; exit 2; }
done

work=$(mktemp -d /tmp/policyd_soak.XXXXXX)
bundles=$work/bundles
mkdir -p "$bundles/envoy/envoy"
cp "$workload/policy.rego" "$workload/data.json" "$bundles/envoy/envoy/"
echo '{"revision": "e1", "roots": ["envoy"]}' >"$bundles/envoy/.manifest"

# The changing bundle, written aside and renamed in (atomic, as the README
# recommends): a good revision, or every third time one that does not parse.
write_extra() {
  local n=$1 tmp=$work/extra.tmp
  rm -rf "$tmp" && mkdir -p "$tmp/soak"
  echo "{\"revision\": \"x$n\", \"roots\": [\"soak\"]}" >"$tmp/.manifest"
  if ((n % 3 == 0)); then
    printf 'package soak\nrevision := {\n' >"$tmp/soak/policy.rego"
  else
    printf 'package soak\nrevision := %d\n' "$n" >"$tmp/soak/policy.rego"
    echo "{\"items\": [$(seq -s, 1 $((n % 50 * 200 + 1)))]}" >"$tmp/soak/data.json"
  fi
  rm -rf "$work/extra.old"
  [ -d "$bundles/extra" ] && mv "$bundles/extra" "$work/extra.old"
  mv "$tmp" "$bundles/extra"
}
write_extra 1

grpc_port=$((20000 + RANDOM % 10000))
http_port=$((grpc_port + 1))
"$policyd" serve --bundles "$bundles" --grpc-addr 127.0.0.1:$grpc_port \
  --http-addr 127.0.0.1:$http_port --envoy-decision envoy/authz/decision \
  --watch-quiet-period 1s --watch-poll-interval 1s 2>"$work/policyd.log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do
  curl -sf "localhost:$http_port/health?bundles" >/dev/null && break
  sleep 0.1
done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
rss_start=$(rss)
metric() {
  curl -s "localhost:$http_port/metrics" |
    awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {printf "%d", s}'
}

# Load: ext_authz and the Decision API at a fixed rate each, REST from a
# curl loop.
"$loadgen" --addr 127.0.0.1:$grpc_port --api ext_authz \
  --input "$workload/input.json" --concurrency 8 --rate 400 \
  --duration "$seconds" >"$work/ext_authz.out" 2>&1 &
lg1=$!
"$loadgen" --addr 127.0.0.1:$grpc_port --api decide --path envoy/authz/decision \
  --input "$workload/input.json" --concurrency 8 --rate 400 \
  --duration "$seconds" >"$work/decide.out" 2>&1 &
lg2=$!
body=$(printf '{"input": %s}' "$(cat "$workload/input.json")")
(
  ok=0 failed=0 end=$((SECONDS + seconds))
  while ((SECONDS < end)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --data "$body" \
      "localhost:$http_port/v1/data/envoy/authz/decision")
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
  done
  echo "$ok $failed" >"$work/rest.out"
) &
rest=$!

# Bundle changes until the load ends.
n=1
end=$((SECONDS + seconds))
while ((SECONDS < end)); do
  sleep "$reload_every"
  n=$((n + 1))
  write_extra "$n"
done
wait "$lg1" "$lg2" "$rest"
sleep 1

alive=yes
kill -0 "$pid" 2>/dev/null || alive=no
rss_end=$(rss 2>/dev/null || echo 0)
field() { grep -o "$1=[0-9]*" "$2" | cut -d= -f2; }
ea_calls=$(field calls "$work/ext_authz.out") ea_err=$(field errors "$work/ext_authz.out")
de_calls=$(field calls "$work/decide.out") de_err=$(field errors "$work/decide.out")
read -r rest_ok rest_failed <"$work/rest.out"
activations=$(metric policyd_bundle_activations_total)
reload_failures=$(metric policyd_bundle_failures_total)
failures=$((ea_err + de_err + rest_failed))
growth_mb=$(((rss_end - rss_start) / 1024))

echo "soak: ${seconds}s, bundle changes: $((n - 1)) (every third broken)"
echo "decisions: ext_authz=$ea_calls decide=$de_calls rest=$rest_ok"
echo "failures: ext_authz=$ea_err decide=$de_err rest=$rest_failed (total $failures)"
echo "reloads: activated=$activations failed=$reload_failures"
echo "rss: start=$((rss_start / 1024)) MiB end=$((rss_end / 1024)) MiB (growth ${growth_mb} MiB, bound ${rss_bound_mb} MiB)"
echo "server alive: $alive"
[ "$alive" = yes ] && ((failures == 0)) && ((growth_mb <= rss_bound_mb))
