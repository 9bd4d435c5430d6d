#!/usr/bin/env bash
# Seed corpora for the fuzz targets, generated from the tests' examples into
# OUT/<target>/, with the seeds checked in under tests/fuzz/corpus/<target>/.
#   tests/fuzz/seed_corpus.sh OUT
set -euo pipefail
out=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"/fuzz_rego_parser "$out"/fuzz_rego_compile "$out"/fuzz_json_value "$out"/fuzz_yaml_value
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$out/fuzz_rego_parser/$n.rego"
  cp "$f" "$out/fuzz_rego_compile/$n.rego"
done < <(find "$src/examples" "$src/tests" -name '*.rego' -size -64k -print0)
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$out/fuzz_json_value/$n.json"
done < <(find "$src/examples" "$src/tests" -name '*.json' -size -64k -print0)
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "$out/fuzz_yaml_value/$n.yaml"
done < <(find "$src/examples" "$src/deploy" "$src/tests" \( -name '*.yaml' -o -name '*.yml' \) -size -64k -print0)
for seeds in "$src"/tests/fuzz/corpus/*/; do
  mkdir -p "$out/$(basename "$seeds")"
  cp "$seeds"* "$out/$(basename "$seeds")/"
done
