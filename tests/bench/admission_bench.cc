// In-process cost of one admission review: the bundle and review that
// admission_bundle.py writes (50 templates, 100 constraints, a realistic
// Pod), reviewed by PolicySet::Review without HTTP.
//
//   python3 tests/bench/admission_bundle.py /tmp/ab
//   build/tests/bench/admission_bench /tmp/ab
#include <cstdio>
#include <string>

#include "admission/admission_review.h"
#include "admission/objects.h"
#include "admission/policy_set.h"
#include "benchmark/benchmark.h"
#include "util/files.h"

namespace {

std::string dir;

void BM_Review(benchmark::State& state) {
  auto objects = policyd::admission::ReadObjects(dir + "/bundles");
  auto text = policyd::ReadFile(dir + "/review.json");
  if (!objects.ok() || !text.ok()) {
    state.SkipWithError("run admission_bundle.py DIR first");
    return;
  }
  auto set = policyd::admission::PolicySet::Build(*objects, policyd::Value());
  auto review = policyd::admission::ParseAdmissionReview(*text);
  if (!set.ok() || !review.ok()) {
    state.SkipWithError("bad bundle or review");
    return;
  }
  size_t denied = 0;
  for (auto _ : state) {
    policyd::admission::Decision d =
        (*set)->Review(review->request, policyd::EvalOptions{});
    denied += d.deny.size();
    benchmark::DoNotOptimize(d);
  }
  state.counters["violations"] =
      static_cast<double>(denied) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Review)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: admission_bench DIR (from admission_bundle.py)\n");
    return 2;
  }
  dir = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
